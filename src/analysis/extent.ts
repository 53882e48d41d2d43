/**
 * Largest and smallest of a list of numbers, by a loop: `Math.max(...xs)` overflows the call stack
 * once a list has some hundred thousand elements (a long file, or a damaged one, can give that).
 */
export function maxOf(xs: Iterable<number>, start = -Infinity): number {
  let m = start;
  for (const x of xs) if (x > m || Number.isNaN(x)) m = x;
  return m;
}

export function minOf(xs: Iterable<number>, start = Infinity): number {
  let m = start;
  for (const x of xs) if (x < m || Number.isNaN(x)) m = x;
  return m;
}
