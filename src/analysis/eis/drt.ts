/**
 * Distribution of relaxation times: Z(ω) = R∞ + ∫ γ(ln τ) / (1 + jωτ) d ln τ (docs/science.md).
 * γ on a log-spaced τ grid (rectangle rule), R∞ and γ ≥ 0, found by Tikhonov-regularised
 * non-negative least squares:
 *     min ‖W(A x − Z)‖² + λ (‖D γ̃‖² + 0.01 ‖γ̃‖²)     subject to x ≥ 0,  γ̃ = γ / R_ref
 * with W = 1/|Z| (relative residuals) on the real part, the imaginary part or both, D the first
 * difference along ln τ (a smooth γ is preferred over a spiky one), and R_ref = max |Z| so that
 * λ is dimensionless. Peaks smaller than 1 % of the polarisation resistance are not listed. λ by generalised cross-validation over a log grid
 * (GCV(λ) = m ‖r‖² / (m − tr H)², H the influence matrix of the unconstrained Tikhonov problem)
 * unless given.
 * The NNLS is Lawson–Hanson's active-set method on the normal equations.
 */
import { nnlsGram, spdInverse } from './linalg.js';
import type { Spectrum } from './spectrum.js';

export interface DrtOptions {
  /** Regularisation parameter; chosen by GCV when absent. */
  lambda?: number;
  /** Which part of Z the fit uses; default 'both'. */
  part?: 'both' | 're' | 'im';
  /** τ grid points per decade; default 10. */
  perDecade?: number;
  /** Decades added beyond 1/ω_max and 1/ω_min on each side; default 1. */
  extendDecades?: number;
}
export interface DrtPeak { tau_s: number; f_hz: number; r_ohm: number }
export interface DrtResult {
  tau_s: Float64Array;
  /** γ(ln τ) in Ω (resistance per unit ln τ). */
  gamma_ohm: Float64Array;
  r_inf_ohm: number | null;
  lambda: number;
  lambda_source: 'gcv' | 'given';
  peaks: DrtPeak[];
  /** Polarisation resistance Σ γ Δln τ. */
  r_pol_ohm: number;
  rms_residual_pct: number;
  assumptions: Record<string, unknown>;
  warnings: string[];
}

export function drt(s: Spectrum, o: DrtOptions = {}): DrtResult {
  const part = o.part ?? 'both', per = o.perDecade ?? 10, ext = o.extendDecades ?? 1;
  const N = s.f.length;
  const w = Array.from(s.f, (f) => 2 * Math.PI * f);
  const lo = Math.log10(1 / Math.max(...w)) - ext, hi = Math.log10(1 / Math.min(...w)) + ext;
  const M = Math.max(2, Math.round((hi - lo) * per) + 1);
  const tau = Float64Array.from({ length: M }, (_, k) => 10 ** (lo + (k * (hi - lo)) / (M - 1)));
  const dln = Math.log(10) * (hi - lo) / (M - 1);
  const rRef = Math.max(...Array.from(s.f, (_, i) => Math.hypot(s.re[i]!, s.im[i]!)));
  const withRinf = part !== 'im';
  const off = withRinf ? 1 : 0;
  const n = M + off;
  // rows of W A (unknowns scaled by R_ref)
  const A: number[][] = [], b: number[] = [];
  for (let i = 0; i < N; i++) {
    const m = Math.hypot(s.re[i]!, s.im[i]!) || 1;
    if (part !== 'im') {
      const row = new Array<number>(n).fill(0);
      if (withRinf) row[0] = rRef / m;
      for (let k = 0; k < M; k++) row[off + k] = rRef * dln / (1 + (w[i]! * tau[k]!) ** 2) / m;
      A.push(row); b.push(s.re[i]! / m);
    }
    if (part !== 're') {
      const row = new Array<number>(n).fill(0);
      for (let k = 0; k < M; k++) row[off + k] = -rRef * dln * w[i]! * tau[k]! / (1 + (w[i]! * tau[k]!) ** 2) / m;
      A.push(row); b.push(s.im[i]! / m);
    }
  }
  const rowsN = A.length;
  const AtA = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => { let t = 0; for (const r of A) t += r[i]! * r[j]!; return t; }));
  const Atb = Array.from({ length: n }, (_, i) => { let t = 0; A.forEach((r, q) => { t += r[i]! * b[q]!; }); return t; });
  const solve = (lam: number) => {
    // penalty λ(‖Dγ‖² + 0.01‖γ‖²), D the first difference along ln τ (scaled γ)
    const G = AtA.map((row, i) => row.map((v, j) => {
      if (i < off || j < off) return v;
      const a = i - off, c = j - off;
      let pen = a === c ? (a === 0 || a === M - 1 ? 1 : 2) + 0.01 : Math.abs(a - c) === 1 ? -1 : 0;
      return v + lam * pen;
    }));
    const { x, passive } = nnlsGram(G, Atb);
    let rss = 0;
    A.forEach((r, q) => { let t = -b[q]!; for (let j = 0; j < n; j++) t += r[j]! * x[j]!; rss += t * t; });
    // tr H of the unconstrained Tikhonov problem, tr((AᵀA + λD)⁻¹ AᵀA): the constraint is left
    // out of the influence matrix (with it, the few active columns make tr H small and GCV
    // prefers too little smoothing)
    let tr = 0;
    const inv = spdInverse(G);
    if (inv) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) tr += inv[i]![j]! * AtA[j]![i]!;
    return { x, rss, tr };
  };
  let lambda = o.lambda ?? NaN;
  let best: ReturnType<typeof solve> | null = null;
  if (o.lambda === undefined) {
    let bestG = Infinity;
    for (let e = -7; e <= 0; e += 0.25) {
      const r = solve(10 ** e);
      const g = rowsN * r.rss / Math.max(rowsN - r.tr, 1e-9) ** 2;
      if (g < bestG) { bestG = g; best = r; lambda = 10 ** e; }
    }
  } else best = solve(lambda);
  const x = best!.x;
  const gamma = Float64Array.from({ length: M }, (_, k) => x[off + k]! * rRef);
  const warnings: string[] = [];
  // peaks: local maxima above 1 % of the largest γ inside the measured τ range, area between
  // the neighbouring minima
  // (the ends widened by 1e-9: the grid point meant to sit on 1/ω_max or 1/ω_min may round just outside)
  const tLo = (1 - 1e-9) / Math.max(...w), tHi = (1 + 1e-9) / Math.min(...w);
  const gmax = Math.max(...Array.from(gamma).filter((_, k) => tau[k]! >= tLo && tau[k]! <= tHi), 0);
  const peaks: DrtPeak[] = [];
  let k = 0;
  while (k < M) {
    if (gamma[k]! > 0.01 * gmax && (k === 0 || gamma[k]! >= gamma[k - 1]!) && (k === M - 1 || gamma[k]! > gamma[k + 1]!)) {
      let a = k, z = k;
      while (a > 0 && gamma[a - 1]! <= gamma[a]! && gamma[a - 1]! > 0) a--;
      while (z < M - 1 && gamma[z + 1]! <= gamma[z]! && gamma[z + 1]! > 0) z++;
      let area = 0;
      for (let j = a; j <= z; j++) area += gamma[j]! * dln;
      // parabolic interpolation of the apex in ln τ
      let lt = Math.log(tau[k]!);
      if (k > 0 && k < M - 1) {
        const y0 = gamma[k - 1]!, y1 = gamma[k]!, y2 = gamma[k + 1]!;
        const den = y0 - 2 * y1 + y2;
        if (den < 0) lt += 0.5 * dln * (y0 - y2) / den;
      }
      if (k === 0 || k === M - 1) warnings.push(`DRT: a peak lies at the edge of the τ grid (τ = ${tau[k]!.toPrecision(3)} s): a process outside the measured range (or a capacitive/diffusive tail)`);
      peaks.push({ tau_s: Math.exp(lt), f_hz: 1 / (2 * Math.PI * Math.exp(lt)), r_ohm: area });
      k = z + 1;
    } else k++;
  }
  let rpol = 0, rIn = 0;
  gamma.forEach((g, k) => { rpol += g * dln; if (tau[k]! >= tLo && tau[k]! <= tHi) rIn += g * dln; });
  const listed = peaks.filter((p) => p.r_ohm >= 0.01 * rIn);
  return {
    tau_s: tau, gamma_ohm: gamma, r_inf_ohm: withRinf ? x[0]! * rRef : null, lambda, lambda_source: o.lambda === undefined ? 'gcv' : 'given',
    peaks: listed, r_pol_ohm: rpol, rms_residual_pct: 100 * Math.sqrt(best!.rss / rowsN),
    assumptions: {
      drt_method: 'Tikhonov-regularised NNLS (Lawson–Hanson) on a log τ grid, residuals weighted by 1/|Z|, penalty λ(‖Δγ̃‖² + 0.01‖γ̃‖²) on γ̃ = γ/max|Z| (Δ: first difference in ln τ)',
      drt_part: part, drt_lambda: lambda, drt_lambda_source: o.lambda === undefined ? 'generalised cross-validation' : 'given',
      drt_tau_range_s: [tau[0], tau[M - 1]], drt_points_per_decade: per,
    },
    warnings,
  };
}
