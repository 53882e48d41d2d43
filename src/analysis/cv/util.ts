/** Small numeric helpers shared by the CV modules (pure, no dependencies). */

export function median(a: ArrayLike<number>): number {
  const s = Array.from(a).filter(Number.isFinite).sort((x, y) => x - y);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Centred moving average over ±h points (the window shrinks symmetrically at the ends). */
export function movingAverage(y: ArrayLike<number>, h: number): Float64Array {
  const n = y.length;
  const out = new Float64Array(n);
  if (h <= 0) { for (let k = 0; k < n; k++) out[k] = y[k]!; return out; }
  const pre = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) pre[k + 1] = pre[k]! + y[k]!;
  for (let k = 0; k < n; k++) {
    const r = Math.min(h, k, n - 1 - k);
    out[k] = (pre[k + r + 1]! - pre[k - r]!) / (2 * r + 1);
  }
  return out;
}

/**
 * Noise standard deviation of a sampled current, from the robust spread (MAD) of its second
 * differences: for white noise of σ, Δ²y has σ·√6, and a smooth signal contributes little.
 */
export function noiseSigma(y: ArrayLike<number>): number {
  const n = y.length;
  if (n < 5) return 0;
  const d = new Float64Array(n - 2);
  for (let k = 1; k < n - 1; k++) d[k - 1] = y[k + 1]! - 2 * y[k]! + y[k - 1]!;
  const m = median(d);
  const mad = median(Array.from(d, (x) => Math.abs(x - m)));
  return (1.4826 * mad) / Math.sqrt(6);
}

/** Ordinary least squares y = a + b x; null when x has no spread. */
export function lineFit(x: ArrayLike<number>, y: ArrayLike<number>, from = 0, to = x.length): { a: number; b: number } | null {
  const n = to - from;
  if (n < 2) return null;
  let sx = 0, sy = 0;
  for (let k = from; k < to; k++) { sx += x[k]!; sy += y[k]!; }
  const mx = sx / n, my = sy / n;
  let sxx = 0, sxy = 0;
  for (let k = from; k < to; k++) { sxx += (x[k]! - mx) ** 2; sxy += (x[k]! - mx) * (y[k]! - my); }
  if (!(sxx > 0)) return null;
  const b = sxy / sxx;
  return { a: my - b * mx, b };
}

/** Slope, its standard error and R² of y on x (least squares with intercept). */
export function regression(x: number[], y: number[]): { slope: number; intercept: number; se: number | null; r2: number | null } {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n, my = y.reduce((s, v) => s + v, 0) / n;
  let sxx = 0, sxy = 0, syy = 0;
  for (let k = 0; k < n; k++) { sxx += (x[k]! - mx) ** 2; sxy += (x[k]! - mx) * (y[k]! - my); syy += (y[k]! - my) ** 2; }
  const slope = sxy / sxx, intercept = my - slope * mx;
  let sse = 0;
  for (let k = 0; k < n; k++) sse += (y[k]! - intercept - slope * x[k]!) ** 2;
  return { slope, intercept, se: n > 2 ? Math.sqrt(sse / (n - 2) / sxx) : null, r2: n > 2 && syy > 0 ? 1 - sse / syy : null };
}

/** Linear interpolation of y at xq on a monotonic run x[from..to) (either direction); null outside. */
export function interpAt(x: ArrayLike<number>, y: ArrayLike<number>, from: number, to: number, xq: number): number | null {
  for (let k = from + 1; k < to; k++) {
    const a = x[k - 1]!, b = x[k]!;
    if ((a - xq) * (b - xq) <= 0) {
      if (a === b) return (y[k - 1]! + y[k]!) / 2;
      return y[k - 1]! + ((xq - a) / (b - a)) * (y[k]! - y[k - 1]!);
    }
  }
  return null;
}

/** Potential grid with step `step` covering [lo, hi] (inclusive where it lands). */
export function grid(lo: number, hi: number, step: number): number[] {
  const out: number[] = [];
  // a NaN or infinite end (a non-finite potential from a damaged file) or a step ≤ 0 would never end
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && step > 0)) return out;
  const first = Math.ceil(lo / step - 1e-9) * step;
  for (let k = 0; ; k++) {
    const v = Number((first + k * step).toFixed(9));
    if (v > hi + 1e-12) break;
    out.push(v);
  }
  return out;
}

/**
 * Savitzky–Golay smoothing (quadratic, window 2h+1; the window shrinks symmetrically at the
 * ends). Unlike a moving average it keeps the height and position of a peak to second order.
 */
export function savitzkyGolay(y: ArrayLike<number>, h: number): Float64Array {
  const n = y.length;
  const out = new Float64Array(n);
  const coef: Float64Array[] = [];
  for (let r = 0; r <= h; r++) {
    const c = new Float64Array(2 * r + 1);
    const den = (2 * r - 1) * (2 * r + 1) * (2 * r + 3);
    for (let j = -r; j <= r; j++) c[j + r] = r === 0 ? 1 : (3 * (3 * r * r + 3 * r - 1) - 15 * j * j) / den;
    coef.push(c);
  }
  for (let k = 0; k < n; k++) {
    const r = Math.min(h, k, n - 1 - k);
    const c = coef[r]!;
    let s = 0;
    for (let j = -r; j <= r; j++) s += c[j + r]! * y[k + j]!;
    out[k] = s;
  }
  return out;
}
