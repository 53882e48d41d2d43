/**
 * EIS: complex non-linear least squares fit of an equivalent circuit (the paper's Randles
 * circuit) by Levenberg–Marquardt on the real and imaginary residuals with modulus weighting:
 *
 *   randles:      Z = R_Ω + 1 / ( jωC_dl + 1/(R_ct + Z_W) ),   Z_W = σ ω^(-1/2) (1 − j)
 *   randles-cpe:  C_dl replaced by a CPE, Y = Q (jω)^n
 *
 * residual_k = (Z_model − Z_data) / |Z_data| for the real and the imaginary part. Parameters are
 * fitted as logarithms (all positive; n through a logistic), so no bounds are needed. Initial
 * guesses come from the spectrum: the high-frequency intercept (R_Ω), the arc's apex (R_ct, C_dl)
 * and the low-frequency slope against ω^(-1/2) (σ). Standard errors come from the covariance
 * s² (JᵀJ)⁻¹ at the optimum.
 */
import { DataError } from '../errors.js';
import { maxOf, minOf } from './extent.js';

export type EisModel = 'randles' | 'randles-cpe';
export interface Spectrum { f: Float64Array; re: Float64Array; im: Float64Array }

export const PARAM_NAMES: Record<EisModel, string[]> = {
  randles: ['r_ohm', 'r_ct_ohm', 'c_dl_f', 'sigma_w_ohm_s05'],
  'randles-cpe': ['r_ohm', 'r_ct_ohm', 'q_cpe', 'n_cpe', 'sigma_w_ohm_s05'],
};

/** Model impedance at angular frequency w for parameters p (natural units). */
export function impedance(model: EisModel, p: number[], w: number): [number, number] {
  const [r0, rct] = [p[0]!, p[1]!];
  const sigma = p[p.length - 1]!;
  const sw = sigma / Math.sqrt(w);
  const a = rct + sw, b = -sw; // R_ct + Z_W
  const d = a * a + b * b;
  let yr = a / d, yi = -b / d; // 1/(R_ct + Z_W)
  if (model === 'randles') yi += w * p[2]!;
  else {
    const q = p[2]!, n = p[3]!;
    const m = q * Math.pow(w, n);
    yr += m * Math.cos(n * Math.PI / 2);
    yi += m * Math.sin(n * Math.PI / 2);
  }
  const yy = yr * yr + yi * yi;
  return [r0 + yr / yy, -yi / yy];
}

const sigmoid = (u: number) => 1 / (1 + Math.exp(-u));
function toNatural(model: EisModel, u: number[]): number[] {
  return u.map((x, k) => (model === 'randles-cpe' && k === 3 ? sigmoid(x) : Math.exp(x)));
}
function toInternal(model: EisModel, p: number[]): number[] {
  return p.map((x, k) => (model === 'randles-cpe' && k === 3 ? Math.log(x / (1 - x)) : Math.log(x)));
}

function residuals(model: EisModel, s: Spectrum, u: number[]): Float64Array {
  const p = toNatural(model, u);
  const n = s.f.length;
  const r = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    const [zr, zi] = impedance(model, p, 2 * Math.PI * s.f[k]!);
    const mod = Math.hypot(s.re[k]!, s.im[k]!) || 1;
    r[2 * k] = (zr - s.re[k]!) / mod;
    r[2 * k + 1] = (zi - s.im[k]!) / mod;
  }
  return r;
}

const sumSq = (r: Float64Array) => { let s = 0; for (const x of r) s += x * x; return s; };

/** Solve A x = b (A symmetric positive definite, small) by Gaussian elimination; null if singular. */
function solve(A: number[][], b: number[]): number[] | null {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[piv]![c]!)) piv = r;
    if (Math.abs(M[piv]![c]!) < 1e-300) return null;
    [M[c], M[piv]] = [M[piv]!, M[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r]![c]! / M[c]![c]!;
      for (let k = c; k <= n; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  return M.map((row, i) => row[n]! / row[i]!);
}

function jacobian(model: EisModel, s: Spectrum, u: number[], r0: Float64Array): Float64Array[] {
  return u.map((_, j) => {
    const h = 1e-6 * Math.max(1, Math.abs(u[j]!));
    const up = [...u]; up[j]! += h;
    const um = [...u]; um[j]! -= h;
    const rp = residuals(model, s, up), rm = residuals(model, s, um);
    const col = new Float64Array(r0.length);
    for (let k = 0; k < col.length; k++) col[k] = (rp[k]! - rm[k]!) / (2 * h);
    return col;
  });
}

export interface FitResult {
  model: EisModel;
  params: number[];
  se: (number | null)[];
  chi2: number;
  cost: number;
  converged: boolean;
  iterations: number;
  initial: number[];
}

/** Levenberg–Marquardt from one start. */
function lm(model: EisModel, s: Spectrum, p0: number[], maxIter = 400): FitResult {
  let u = toInternal(model, p0);
  let r = residuals(model, s, u);
  let cost = sumSq(r);
  let lambda = 1e-3;
  let converged = false;
  let it = 0;
  for (; it < maxIter; it++) {
    const J = jacobian(model, s, u, r);
    const m = u.length;
    const A = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => { let t = 0; const a = J[i]!, b = J[j]!; for (let k = 0; k < a.length; k++) t += a[k]! * b[k]!; return t; }));
    const g = J.map((col) => { let t = 0; for (let k = 0; k < col.length; k++) t += col[k]! * r[k]!; return -t; });
    let improved = false;
    for (let tries = 0; tries < 30; tries++) {
      const Ad = A.map((row, i) => row.map((x, j) => (i === j ? x * (1 + lambda) + 1e-15 : x)));
      const delta = solve(Ad, g);
      if (!delta) { lambda *= 10; continue; }
      const un = u.map((x, k) => x + delta[k]!);
      const rn = residuals(model, s, un);
      const cn = sumSq(rn);
      if (Number.isFinite(cn) && cn < cost) {
        const rel = (cost - cn) / Math.max(cost, 1e-300);
        const step = maxOf(delta.map(Math.abs));
        u = un; r = rn; cost = cn;
        lambda = Math.max(lambda / 10, 1e-12);
        improved = true;
        if (rel < 1e-12 || step < 1e-10) converged = true;
        break;
      }
      lambda *= 10;
      if (lambda > 1e12) break;
    }
    if (!improved) { converged = true; break; }
    if (converged) break;
  }
  const p = toNatural(model, u);
  const dof = Math.max(1, r.length - u.length);
  const s2 = cost / dof;
  const J = jacobian(model, s, u, r);
  const m = u.length;
  const A = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => { let t = 0; const a = J[i]!, b = J[j]!; for (let k = 0; k < a.length; k++) t += a[k]! * b[k]!; return t; }));
  const se = p.map((pk, k) => {
    const e = Array.from({ length: m }, (_, j) => (j === k ? 1 : 0));
    const col = solve(A, e);
    if (!col || !(col[k]! >= 0)) return null;
    const seU = Math.sqrt(s2 * col[k]!);
    return model === 'randles-cpe' && k === 3 ? pk * (1 - pk) * seU : pk * seU;
  });
  return { model, params: p, se, chi2: s2, cost, converged: converged && Number.isFinite(cost), iterations: it, initial: p0 };
}

/** Initial guesses read off the spectrum itself. */
export function initialGuess(model: EisModel, s: Spectrum): number[] {
  const n = s.f.length;
  const order = Array.from(s.f.keys()).sort((a, b) => s.f[b]! - s.f[a]!); // high → low frequency
  const third = order.slice(0, Math.max(3, Math.floor(n / 3)));
  let r0k = third[0]!;
  for (const k of third) if (Math.abs(s.im[k]!) < Math.abs(s.im[r0k]!) && s.re[k]! > 0) r0k = k;
  const r0 = Math.max(1e-6, minOf(third.map((k) => s.re[k]!).filter((x) => x > 0), s.re[r0k]!));
  // Arc apex: the first local maximum of −Z'' going from high to low frequency.
  let apex = -1;
  for (let j = 1; j < n - 1; j++) {
    const a = -s.im[order[j - 1]!]!, b = -s.im[order[j]!]!, c = -s.im[order[j + 1]!]!;
    if (b > 0 && b >= a && b >= c) { apex = order[j]!; break; }
  }
  if (apex < 0) apex = order[Math.floor(n / 2)]!;
  const rct = Math.max(2 * (s.re[apex]! - r0), 1e-3 * Math.max(r0, 1));
  const c = 1 / (2 * Math.PI * s.f[apex]! * rct);
  // σ from the low-frequency tail: Z' and −Z'' against ω^(-1/2).
  const tail = order.slice(Math.max(0, n - Math.max(3, Math.floor(n / 5))));
  const slope = (ys: number[]) => {
    const xs = tail.map((k) => 1 / Math.sqrt(2 * Math.PI * s.f[k]!));
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length, my = ys.reduce((a, b) => a + b, 0) / ys.length;
    let sxy = 0, sxx = 0;
    xs.forEach((x, k) => { sxy += (x - mx) * (ys[k]! - my); sxx += (x - mx) ** 2; });
    return sxx > 0 ? sxy / sxx : 0;
  };
  const s1 = slope(tail.map((k) => s.re[k]!)), s2 = slope(tail.map((k) => -s.im[k]!));
  const pos = [s1, s2].filter((x) => x > 0);
  const sigma = pos.length ? pos.reduce((a, b) => a + b, 0) / pos.length : 1e-3 * rct * Math.sqrt(2 * Math.PI * s.f[order[n - 1]!]!);
  return model === 'randles' ? [r0, rct, c, sigma] : [r0, rct, c, 0.9, sigma];
}

export function checkSpectrum(s: Spectrum, lines: Uint32Array, source: string, nParams: number): void {
  const n = s.f.length;
  if (n < 2 * nParams + 2) throw new DataError(`too few points for a ${nParams}-parameter fit (${n}); at least ${2 * nParams + 2} are needed`, { file: source });
  const dir = Math.sign(s.f[1]! - s.f[0]!);
  for (let k = 1; k < n; k++) {
    const d = Math.sign(s.f[k]! - s.f[k - 1]!);
    if (d === 0 || d !== dir) throw new DataError(`frequencies are not monotonic (${s.f[k - 1]} Hz then ${s.f[k]} Hz); the spectrum must sweep one way`, { file: source, line: lines[k] });
    if (!(s.f[k]! > 0)) throw new DataError(`frequency ${s.f[k]} Hz is not positive`, { file: source, line: lines[k] });
  }
}

/** Fit from the spectrum's own guesses, with a few rescaled restarts; the best fit wins. */
export function fitEis(model: EisModel, s: Spectrum, maxIter = 400): FitResult {
  const g = initialGuess(model, s);
  const starts: number[][] = [g];
  for (const [a, b] of [[0.3, 1], [3, 1], [1, 0.1], [1, 10], [0.3, 0.3], [3, 3]] as const) {
    const p = [...g];
    p[1] = g[1]! * a; p[p.length - 1] = g[g.length - 1]! * b;
    starts.push(p);
  }
  let best: FitResult | null = null;
  for (const p0 of starts) {
    const r = lm(model, s, p0, maxIter);
    if (!best || (r.converged && !best.converged) || (r.converged === best.converged && r.cost < best.cost)) best = r;
  }
  best!.initial = g;
  return best!;
}
