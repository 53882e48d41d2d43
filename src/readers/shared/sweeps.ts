/**
 * Potential sweeps of a voltammogram as segment numbers (one per monotonic sweep, as CHI's
 * `Segment N:` blocks), for readers whose files mark cycles but not sweeps.
 */

/**
 * Segment number (from 1) per point: a new segment at each reversal of `driver` (the applied
 * potential, which has no noise; zero steps ignored; the vertex point stays with the sweep it ends)
 * and at each change of `group` (a curve or cycle number), when given.
 */
export function sweepSegments(driver: Float64Array, group: ArrayLike<number> | null = null): Int32Array {
  const n = driver.length;
  const seg = new Int32Array(n);
  let s = n ? 1 : 0;
  let dir = 0;
  let last = n ? driver[0]! : 0;
  for (let k = 0; k < n; k++) {
    if (k > 0 && group && group[k] !== group[k - 1]) { s++; dir = 0; last = driver[k]!; seg[k] = s; continue; }
    const d = Math.sign(driver[k]! - last);
    if (d !== 0) {
      if (dir !== 0 && d !== dir) s++;
      dir = d;
      last = driver[k]!;
    }
    seg[k] = s;
  }
  return seg;
}
