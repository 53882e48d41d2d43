/**
 * Kramers–Kronig validation by the Lin-KK test (Schönleber, Klotz, Ivers-Tiffée, Electrochim.
 * Acta 131 (2014) 20–27): fit Z(ω) = R0 + jωL + 1/(jωC) + Σ_k R_k / (1 + jωτ_k) with the τ_k fixed
 * and log-spaced from 1/ω_max to 1/ω_min, linearly, weighted by 1/|Z|. The number M of RC
 * elements grows from 1 until μ = 1 − Σ_{R_k<0}|R_k| / Σ_{R_k≥0}|R_k| falls below c (0.85): more
 * elements would start to fit noise. A KK-consistent spectrum is then reproduced to within its
 * noise; residuals Δ′ = (Z′ − Z′_fit)/|Z| and Δ″ = (Z″ − Z″_fit)/|Z| in % show the points that
 * are not (drift, non-stationarity, non-linearity).
 */
import { lstsq } from './linalg.js';
import type { Spectrum } from './spectrum.js';

export interface KkOptions {
  /** μ threshold; default 0.85 (Schönleber 2014). */
  c?: number;
  /** Largest M tried; default min(number of points, 60). */
  maxM?: number;
  /** Verdict threshold on the largest |residual|, % of |Z|; default 1. */
  passPct?: number;
}
export interface KkRow { freq_hz: number; kk_res_re_pct: number; kk_res_im_pct: number }
export interface KkResult {
  m: number;
  mu: number;
  rows: KkRow[];
  max_residual_pct: number;
  /** Frequency of the largest residual. */
  max_residual_freq_hz: number;
  rms_residual_pct: number;
  verdict: 'pass' | 'fail';
  assumptions: Record<string, unknown>;
  warnings: string[];
}

function fitM(s: Spectrum, M: number): { x: number[]; tau: number[]; re: number[]; im: number[] } {
  const N = s.f.length;
  const w = Array.from(s.f, (f) => 2 * Math.PI * f);
  const wMax = Math.max(...w), wMin = Math.min(...w);
  const tau = Array.from({ length: M }, (_, k) => (M === 1 ? 1 / Math.sqrt(wMax * wMin) : Math.exp(Math.log(1 / wMax) + (k / (M - 1)) * Math.log(wMax / wMin))));
  // unknowns: R0, L, 1/C, R_1..R_M
  const rows: number[][] = [], b: number[] = [];
  for (let i = 0; i < N; i++) {
    const m = Math.hypot(s.re[i]!, s.im[i]!) || 1;
    const re = [1, 0, 0], im = [0, w[i]!, -1 / w[i]!];
    for (const t of tau) { const d = 1 + (w[i]! * t) ** 2; re.push(1 / d); im.push(-w[i]! * t / d); }
    rows.push(re.map((v) => v / m)); b.push(s.re[i]! / m);
    rows.push(im.map((v) => v / m)); b.push(s.im[i]! / m);
  }
  // column scaling for conditioning
  const scale = rows[0]!.map((_, j) => Math.sqrt(rows.reduce((a, r) => a + r[j]! ** 2, 0)) || 1);
  const y = lstsq(rows.map((r) => r.map((v, j) => v / scale[j]!)), b);
  const x = y.map((v, j) => v / scale[j]!);
  const re: number[] = [], im: number[] = [];
  for (let i = 0; i < N; i++) {
    let zr = x[0]!, zi = x[1]! * w[i]! - x[2]! / w[i]!;
    tau.forEach((t, k) => { const d = 1 + (w[i]! * t) ** 2; zr += x[3 + k]! / d; zi -= x[3 + k]! * w[i]! * t / d; });
    re.push(zr); im.push(zi);
  }
  return { x, tau, re, im };
}

export function linKK(s: Spectrum, o: KkOptions = {}): KkResult {
  const c = o.c ?? 0.85, passPct = o.passPct ?? 1;
  const N = s.f.length;
  const maxM = Math.max(1, Math.min(o.maxM ?? 60, N - 2));
  const warnings: string[] = [];
  let chosen: ReturnType<typeof fitM> | null = null, mu = 1, M = 1;
  for (M = 1; M <= maxM; M++) {
    const r = fitM(s, M);
    const rk = r.x.slice(3);
    const pos = rk.filter((v) => v >= 0).reduce((a, v) => a + v, 0), neg = rk.filter((v) => v < 0).reduce((a, v) => a - v, 0);
    mu = pos > 0 ? 1 - neg / pos : 0;
    chosen = r;
    if (mu < c) break;
  }
  if (M > maxM) { M = maxM; warnings.push(`Lin-KK: μ stayed above ${c} up to M = ${maxM} RC elements; the largest M was used`); }
  const rows: KkRow[] = Array.from(s.f, (f, i) => {
    const m = Math.hypot(s.re[i]!, s.im[i]!) || 1;
    return { freq_hz: f, kk_res_re_pct: 100 * (s.re[i]! - chosen!.re[i]!) / m, kk_res_im_pct: 100 * (s.im[i]! - chosen!.im[i]!) / m };
  });
  let max = 0, at = s.f[0]!, ss = 0;
  for (const r of rows) {
    const a = Math.max(Math.abs(r.kk_res_re_pct), Math.abs(r.kk_res_im_pct));
    if (a > max) { max = a; at = r.freq_hz; }
    ss += r.kk_res_re_pct ** 2 + r.kk_res_im_pct ** 2;
  }
  const verdict = max < passPct ? 'pass' : 'fail';
  if (verdict === 'fail') warnings.push(`Lin-KK: residuals up to ${max.toFixed(2)} % of |Z| (at ${at.toPrecision(4)} Hz) exceed ${passPct} %: the spectrum is not Kramers–Kronig consistent there (drift, a non-stationary cell or a non-linear response); fitted parameters may be biased`);
  return {
    m: M, mu, rows, max_residual_pct: max, max_residual_freq_hz: at, rms_residual_pct: Math.sqrt(ss / (2 * N)), verdict,
    assumptions: { kk_method: 'Lin-KK (Schönleber 2014): R0 + jωL + 1/(jωC) + M RC elements with τ log-spaced over 1/ω_max…1/ω_min, linear fit weighted by 1/|Z|', kk_mu_threshold: c, kk_pass_pct: passPct },
    warnings,
  };
}
