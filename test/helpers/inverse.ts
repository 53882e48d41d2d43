// An independent matrix inverse for tests that check the EIS statistics (standard errors, GCV)
// against numbers worked outside the code under test: it never imports src/analysis/eis/linalg.ts.

/** Inverse of a small non-singular matrix by Gauss–Jordan elimination with partial pivoting. */
export function inverse(A: number[][]): number[][] {
  const n = A.length;
  const a = A.map((r, i) => [...r, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    const piv = a[c]![c]!;
    for (let j = 0; j < 2 * n; j++) a[c]![j]! /= piv;
    for (let r = 0; r < n; r++) if (r !== c) { const f = a[r]![c]!; for (let j = 0; j < 2 * n; j++) a[r]![j]! -= f * a[c]![j]!; }
  }
  return a.map((r) => r.slice(n));
}
