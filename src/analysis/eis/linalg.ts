/** Small dense linear algebra for the EIS fits: Cholesky, least squares by QR, NNLS (Lawson–Hanson). */

/** The Cholesky factor L (A = L Lᵀ, lower triangular) of a symmetric matrix; null if not positive definite. */
export function cholesky(A: number[][]): number[][] | null {
  const n = A.length;
  const L = A.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i]![j]!;
      for (let k = 0; k < j; k++) s -= L[i]![k]! * L[j]![k]!;
      if (i === j) {
        if (!(s > 0)) return null;
        L[i]![i] = Math.sqrt(s);
      } else L[i]![j] = s / L[j]![j]!;
    }
  }
  return L;
}

/** Solve L Lᵀ x = b with the factor from `cholesky`. */
function cholSubstitute(L: number[][], b: number[]): number[] {
  const n = b.length;
  const y = new Array<number>(n);
  for (let i = 0; i < n; i++) { let s = b[i]!; for (let k = 0; k < i; k++) s -= L[i]![k]! * y[k]!; y[i] = s / L[i]![i]!; }
  const x = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) { let s = y[i]!; for (let k = i + 1; k < n; k++) s -= L[k]![i]! * x[k]!; x[i] = s / L[i]![i]!; }
  return x;
}

/** Solve the symmetric positive-definite system A x = b by Cholesky; null if not positive definite. */
export function cholSolve(A: number[][], b: number[]): number[] | null {
  const L = cholesky(A);
  return L ? cholSubstitute(L, b) : null;
}

/**
 * Inverse of a symmetric positive-definite matrix; null if not positive definite. One factorisation,
 * then a substitution per column: O(n³) (a factorisation per column made the DRT's GCV, 62 × 62
 * matrices for ~90 values of λ, O(n⁴)).
 */
export function spdInverse(A: number[][]): number[][] | null {
  const n = A.length;
  const L = cholesky(A);
  if (!L) return null;
  const cols: number[][] = [];
  for (let j = 0; j < n; j++) {
    const e = new Array<number>(n).fill(0); e[j] = 1;
    cols.push(cholSubstitute(L, e));
  }
  return A.map((_, i) => cols.map((c) => c[i]!));
}

/** Eigenvalues and eigenvectors (columns of `vectors`) of a small symmetric matrix (cyclic Jacobi). */
export function symEigen(A: number[][]): { values: number[]; vectors: number[][] } {
  const n = A.length;
  const a = A.map((r) => [...r]);
  const v: number[][] = A.map((_, i) => A.map((__, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0, diag = 0;
    for (let i = 0; i < n; i++) { diag += a[i]![i]! ** 2; for (let j = i + 1; j < n; j++) off += a[i]![j]! ** 2; }
    if (off <= 1e-32 * diag || off < 1e-300) break;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) {
      if (Math.abs(a[p]![q]!) < 1e-300) continue;
      const theta = (a[q]![q]! - a[p]![p]!) / (2 * a[p]![q]!);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1), s = t * c;
      for (let k = 0; k < n; k++) {
        const akp = a[k]![p]!, akq = a[k]![q]!;
        a[k]![p] = c * akp - s * akq; a[k]![q] = s * akp + c * akq;
      }
      for (let k = 0; k < n; k++) {
        const apk = a[p]![k]!, aqk = a[q]![k]!;
        a[p]![k] = c * apk - s * aqk; a[q]![k] = s * apk + c * aqk;
      }
      for (let k = 0; k < n; k++) {
        const vkp = v[k]![p]!, vkq = v[k]![q]!;
        v[k]![p] = c * vkp - s * vkq; v[k]![q] = s * vkp + c * vkq;
      }
    }
  }
  return { values: a.map((r, i) => r[i]!), vectors: v };
}

/** Eigenvalues of a small symmetric matrix. */
export function symEigenvalues(A: number[][]): number[] { return symEigen(A).values; }

/**
 * Least squares min ‖A x − b‖ by Householder QR (A is m×n, m ≥ n, given as rows).
 * Columns that are numerically dependent on the ones before them (what is left of them after the
 * earlier reflections is below 1e-13 of their own norm, or of the largest column's) get x = 0 and
 * use no row of R, so the columns after them are still solved in least squares.
 */
export function lstsq(A: number[][], b: number[]): number[] {
  const m = A.length, n = A[0]!.length;
  const R = A.map((r) => [...r]);
  const y = [...b];
  const norm0 = Array.from({ length: n }, (_, j) => Math.sqrt(A.reduce((s, r) => s + r[j]! ** 2, 0)));
  const big = Math.max(0, ...norm0);
  /** The row of R that holds column j's pivot, or −1 for a dependent column. */
  const pivot = new Array<number>(n).fill(-1);
  let row = 0;
  for (let j = 0; j < n && row < m; j++) {
    let norm = 0;
    for (let i = row; i < m; i++) norm += R[i]![j]! ** 2;
    norm = Math.sqrt(norm);
    if (!(norm > 1e-13 * norm0[j]! && norm > 1e-13 * big)) continue;
    const alpha = R[row]![j]! > 0 ? -norm : norm;
    const v = new Array<number>(m).fill(0);
    for (let i = row; i < m; i++) v[i] = R[i]![j]!;
    v[row]! -= alpha;
    let vv = 0;
    for (let i = row; i < m; i++) vv += v[i]! ** 2;
    if (vv > 0) {
      for (let k = j; k < n; k++) {
        let s = 0;
        for (let i = row; i < m; i++) s += v[i]! * R[i]![k]!;
        s = 2 * s / vv;
        for (let i = row; i < m; i++) R[i]![k]! -= s * v[i]!;
      }
      let s = 0;
      for (let i = row; i < m; i++) s += v[i]! * y[i]!;
      s = 2 * s / vv;
      for (let i = row; i < m; i++) y[i]! -= s * v[i]!;
    }
    pivot[j] = row++;
  }
  const x = new Array<number>(n).fill(0);
  for (let j = n - 1; j >= 0; j--) {
    const r = pivot[j]!;
    if (r < 0) continue;
    let s = y[r]!;
    for (let k = j + 1; k < n; k++) s -= R[r]![k]! * x[k]!;
    x[j] = s / R[r]![j]!;
  }
  return x;
}

/**
 * Non-negative least squares on the normal equations: min ½xᵀGx − hᵀx subject to x ≥ 0
 * (G = AᵀA + λLᵀL positive definite), by the Lawson–Hanson active-set method.
 */
export function nnlsGram(G: number[][], h: number[], maxIter = 3 * h.length + 50): { x: number[]; passive: boolean[] } {
  const n = h.length;
  const x = new Array<number>(n).fill(0);
  const P = new Array<boolean>(n).fill(false);
  const grad = () => h.map((hi, i) => { let s = hi; for (let j = 0; j < n; j++) s -= G[i]![j]! * x[j]!; return s; });
  const solveP = (): number[] | null => {
    const idx = P.flatMap((p, i) => (p ? [i] : []));
    const z = cholSolve(idx.map((i) => idx.map((j) => G[i]![j]!)), idx.map((i) => h[i]!));
    if (!z) return null;
    const full = new Array<number>(n).fill(0);
    idx.forEach((i, k) => { full[i] = z[k]!; });
    return full;
  };
  const tol = 1e-12 * Math.max(1, ...h.map(Math.abs));
  for (let it = 0; it < maxIter; it++) {
    const w = grad();
    let best = -1, bw = tol;
    for (let i = 0; i < n; i++) if (!P[i] && w[i]! > bw) { bw = w[i]!; best = i; }
    if (best < 0) break;
    P[best] = true;
    for (let inner = 0; inner < 3 * n; inner++) {
      const z = solveP();
      if (!z) { P[best] = false; return { x, passive: P }; }
      if (P.every((p, i) => !p || z[i]! > 0)) { for (let i = 0; i < n; i++) x[i] = z[i]!; break; }
      let alpha = 1;
      for (let i = 0; i < n; i++) if (P[i] && z[i]! <= 0) alpha = Math.min(alpha, x[i]! / (x[i]! - z[i]!));
      for (let i = 0; i < n; i++) {
        x[i] = x[i]! + alpha * (z[i]! - x[i]!);
        if (P[i] && x[i]! <= 1e-300) { P[i] = false; x[i] = 0; }
      }
    }
  }
  return { x, passive: P };
}
