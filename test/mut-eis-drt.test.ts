// Mutation tests for src/analysis/eis/drt.ts (issue 20 point 4; docs/mutation/drt-dunn.md).
// Expected values come from the analytic DRT of RC elements (R/(1 + jωτ) is one delta of area R at
// τ = RC; Z(ω→0) = R∞ + Σ R), from the objective of the module's doc comment written again here
// (its minimiser is unique, so the optimality (KKT) conditions checked with this file's own
// gradient pin the solution down), and from GCV(λ) = m‖r‖²/(m − tr H)² computed here with this
// file's own matrix inverse. Nothing from src/ other than drt() itself is imported.
import { describe, expect, it } from 'vitest';
import { drt, type DrtResult } from '../src/analysis/eis/drt.js';
import type { Spectrum } from '../src/analysis/eis/spectrum.js';
import { inverse } from './helpers/inverse.js';

type C = [number, number];
/** R∞ + Σ R/(1 + jωτ) at angular frequency w. */
const zRc = (w: number, rInf: number, rcs: [number, number][]): C => rcs.reduce<C>((s, [r, t]) => {
  const d = 1 + (w * t) ** 2;
  return [s[0] + r / d, s[1] - (r * w * t) / d];
}, [rInf, 0]);
/** A spectrum at angular frequencies ws from a function of ω (optionally with relative noise). */
const specOf = (ws: number[], z: (w: number) => C, noise: number[] = []): Spectrum => {
  const zs = ws.map((w, i) => { const q = z(w); const e = noise[i % Math.max(1, noise.length)] ?? 0; return [q[0] * (1 + e), q[1] * (1 - e)] as C; });
  return { f: Float64Array.from(ws, (w) => w / (2 * Math.PI)), re: Float64Array.from(zs, (q) => q[0]), im: Float64Array.from(zs, (q) => q[1]) };
};
/** n log-spaced values from 10^a to 10^b. */
const logspace = (a: number, b: number, n: number) => Array.from({ length: n }, (_, k) => 10 ** (a + ((b - a) * k) / (n - 1)));
const NOISE = [0.01, -0.02, 0.015, -0.01, 0.02, -0.015, 0.01, 0.005, -0.01, 0.02, -0.02, 0.01, -0.005];

/**
 * The objective of the module's doc comment, written again: rows (re and/or im) of the residual
 * (R∞ + Σ γ_k Δ/(1 + jωτ_k) − Z)/|Z|, penalty λ(Σ(γ̃_{k+1} − γ̃_k)² + 0.01 Σ γ̃_k²), γ̃ = γ/max|Z|.
 * Returns the residual rows and the gradient with respect to the scaled unknowns
 * x = [R∞, γ_0, …]/max|Z| (R∞ only when the real part is used).
 */
function objective(s: Spectrum, part: 'both' | 're' | 'im', tau: ArrayLike<number>, dln: number, lambda: number, rInf: number, gamma: ArrayLike<number>) {
  const M = tau.length, N = s.f.length;
  const rRef = Math.max(...Array.from(s.f, (_, i) => Math.hypot(s.re[i]!, s.im[i]!)));
  const withR = part !== 'im';
  const grad = new Array<number>(M + (withR ? 1 : 0)).fill(0);
  const rows: number[] = [];
  for (let i = 0; i < N; i++) {
    const w = 2 * Math.PI * s.f[i]!, m = Math.hypot(s.re[i]!, s.im[i]!);
    const dRe = Array.from(tau, (t) => dln / (1 + (w * t) ** 2));
    const dIm = Array.from(tau, (t) => (-dln * w * t) / (1 + (w * t) ** 2));
    if (part !== 'im') {
      const r = (rInf + dRe.reduce((a, d, k) => a + d * gamma[k]!, 0) - s.re[i]!) / m;
      rows.push(r);
      grad[0] += (2 * r * rRef) / m;
      dRe.forEach((d, k) => { grad[1 + k] += (2 * r * d * rRef) / m; });
    }
    if (part !== 're') {
      const r = (dIm.reduce((a, d, k) => a + d * gamma[k]!, 0) - s.im[i]!) / m;
      rows.push(r);
      dIm.forEach((d, k) => { grad[(withR ? 1 : 0) + k] += (2 * r * d * rRef) / m; });
    }
  }
  const g = Array.from(gamma, (x) => x / rRef);
  for (let k = 0; k < M; k++) {
    let pen = 0.01 * g[k]!;
    if (k > 0) pen += g[k]! - g[k - 1]!;
    if (k < M - 1) pen += g[k]! - g[k + 1]!;
    grad[(withR ? 1 : 0) + k] += 2 * lambda * pen;
  }
  return { rows, grad, rRef };
}

/** KKT conditions of min F(x), x ≥ 0: ∂F/∂x = 0 where x > 0, ≥ 0 where x = 0. */
function expectOptimal(s: Spectrum, part: 'both' | 're' | 'im', d: DrtResult, lambda: number, tol = 1e-7) {
  const M = d.tau_s.length;
  const dln = Math.log(d.tau_s[M - 1]! / d.tau_s[0]!) / (M - 1);
  const { rows, grad, rRef } = objective(s, part, d.tau_s, dln, lambda, d.r_inf_ohm ?? 0, d.gamma_ohm);
  const x = [...(part === 'im' ? [] : [d.r_inf_ohm!]), ...Array.from(d.gamma_ohm)].map((v) => v / rRef);
  let free = 0;
  x.forEach((v, k) => {
    expect(v, `x[${k}]`).toBeGreaterThanOrEqual(0);
    if (v > 0) { free++; expect(Math.abs(grad[k]!), `∂F/∂x[${k}] at x = ${v}`).toBeLessThan(tol); } else expect(grad[k]!, `∂F/∂x[${k}] at a bound`).toBeGreaterThan(-tol);
  });
  // the reported residual and R_pol from γ
  const rss = rows.reduce((a, r) => a + r * r, 0);
  expect(d.rms_residual_pct / (100 * Math.sqrt(rss / rows.length)) - 1).toBeCloseTo(0, 9);
  expect(d.r_pol_ohm / (Array.from(d.gamma_ohm).reduce((a, g) => a + g, 0) * dln) - 1).toBeCloseTo(0, 12);
  return { free, rss, m: rows.length };
}

describe('DRT of RC elements: analytic peaks (τ = RC, area R), R∞, Z(ω→0) = R∞ + R_pol', () => {
  it('one RC (R∞ = 2 Ω, R = 10 Ω, τ = 2 ms, between grid points), λ by GCV: one peak at τ with area R', () => {
    const ws = logspace(0, 5, 26);
    const s = specOf(ws, (w) => zRc(w, 2, [[10, 2e-3]]));
    const d = drt(s);
    expect(d.lambda_source).toBe('gcv');
    expect(d.peaks).toHaveLength(1);
    expect(Math.abs(Math.log(d.peaks[0]!.tau_s / 2e-3))).toBeLessThan(0.1);
    expect(d.peaks[0]!.f_hz * 2 * Math.PI * d.peaks[0]!.tau_s).toBeCloseTo(1, 12);
    expect(Math.abs(d.peaks[0]!.r_ohm / 10 - 1)).toBeLessThan(0.05);
    expect(Math.abs(d.r_inf_ohm! - 2)).toBeLessThan(0.2);
    expect(Math.abs((d.r_inf_ohm! + d.r_pol_ohm) / 12 - 1)).toBeLessThan(0.01);
    expect(d.warnings).toEqual([]);
    expectOptimal(s, 'both', d, d.lambda);
  });
  it('two well-separated RCs (10 Ω at 1 ms, 5 Ω at 0.1 s) plus R∞ = 3 Ω: two peaks, in order', () => {
    const ws = logspace(-1, 5, 25);
    const s = specOf(ws, (w) => zRc(w, 3, [[10, 1e-3], [5, 0.1]]));
    const d = drt(s);
    expect(d.peaks).toHaveLength(2);
    expect(Math.abs(Math.log(d.peaks[0]!.tau_s / 1e-3))).toBeLessThan(0.1);
    expect(Math.abs(Math.log(d.peaks[1]!.tau_s / 0.1))).toBeLessThan(0.1);
    expect(Math.abs(d.peaks[0]!.r_ohm / 10 - 1)).toBeLessThan(0.05);
    expect(Math.abs(d.peaks[1]!.r_ohm / 5 - 1)).toBeLessThan(0.05);
    expect(Math.abs((d.r_inf_ohm! + d.r_pol_ohm) / 18 - 1)).toBeLessThan(0.01);
    expectOptimal(s, 'both', d, d.lambda);
  });
});

describe('DRT with λ given: the result is the minimiser of the stated objective (KKT checked here)', () => {
  // Three RCs with ±2 % noise, so that the fit is not exact and every term of the objective (the
  // 1/|Z| weights, the penalty, R∞'s column) moves the minimiser. ω from 0.3 to 3e4 rad/s.
  const make = () => specOf(logspace(Math.log10(0.3), Math.log10(3e4), 16), (w) => zRc(w, 3, [[4, 1e-4], [10, 1e-2], [5, 1]]), NOISE);
  for (const part of ['both', 're', 'im'] as const) {
    it(`part ${part}: KKT of min ‖W(Ax − Z)‖² + λ(‖Dγ̃‖² + 0.01‖γ̃‖²), x ≥ 0, at λ = 1 and 1e-2`, () => {
      const s = make();
      for (const lambda of [1, 1e-2]) {
        const d = drt(s, { lambda, part, perDecade: 2, extendDecades: 0 });
        expect(d.lambda).toBe(lambda);
        expect(d.r_inf_ohm === null).toBe(part === 'im');
        // τ grid 1/ω_max … 1/ω_min at 2 per decade: 10 decades → 11 points
        expect(d.tau_s.length).toBe(11);
        expect(d.tau_s[0]! * 3e4).toBeCloseTo(1, 12);
        expect(d.tau_s[10]! * 0.3).toBeCloseTo(1, 12);
        const { free, m } = expectOptimal(s, part, d, lambda);
        expect(m).toBe(part === 'both' ? 32 : 16);
        // the end points of the grid are in the solution (so the penalty's end rows matter)
        expect(d.gamma_ohm[0]!).toBeGreaterThan(0);
        expect(d.gamma_ohm[10]!).toBeGreaterThan(0);
        expect(free).toBeGreaterThan(lambda === 1 ? 9 : 6);
      }
    });
  }
});


/**
 * GCV(λ) = m‖r‖² / (m − tr H)², H = A(AᵀA + λP)⁻¹Aᵀ of the unconstrained Tikhonov problem, with
 * ‖r‖² of the constrained solution drt() returns for that λ (its optimality is checked above).
 * A: rows of the weighted model in the scaled unknowns, built here; P = DᵀD + 0.01 I on γ̃.
 */
function gcvCurve(s: Spectrum, opts: { perDecade: number; extendDecades: number }) {
  const out: { e: number; g: number }[] = [];
  for (let q = 0; q <= 28; q++) {
    const e = -7 + q / 4, lambda = 10 ** e;
    const d = drt(s, { ...opts, lambda });
    const M = d.tau_s.length, dln = Math.log(d.tau_s[M - 1]! / d.tau_s[0]!) / (M - 1);
    const rRef = Math.max(...Array.from(s.f, (_, i) => Math.hypot(s.re[i]!, s.im[i]!)));
    const A: number[][] = [];
    s.f.forEach((f, i) => {
      const w = 2 * Math.PI * f, m = Math.hypot(s.re[i]!, s.im[i]!);
      A.push([rRef / m, ...Array.from(d.tau_s, (t) => (rRef * dln) / (1 + (w * t) ** 2) / m)]);
      A.push([0, ...Array.from(d.tau_s, (t) => (-rRef * dln * w * t) / (1 + (w * t) ** 2) / m)]);
    });
    const n = M + 1;
    const AtA = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => A.reduce((t, r) => t + r[i]! * r[j]!, 0)));
    const G = AtA.map((r, i) => r.map((v, j) => {
      if (i === 0 || j === 0) return v;
      const a = i - 1, c = j - 1;
      const dtd = a === c ? (a === 0 || a === M - 1 ? 1 : 2) : Math.abs(a - c) === 1 ? -1 : 0;
      return v + lambda * (dtd + (a === c ? 0.01 : 0));
    }));
    const Gi = inverse(G);
    let tr = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) tr += Gi[i]![j]! * AtA[j]![i]!;
    const rss = objective(s, 'both', d.tau_s, dln, lambda, d.r_inf_ohm!, d.gamma_ohm).rows.reduce((t, r) => t + r * r, 0);
    out.push({ e, g: (A.length * rss) / (A.length - tr) ** 2 });
  }
  return out;
}

describe('DRT with λ given: R∞ on its bound', () => {
  it('one RC and no series resistance (τ = 10^−3.8 s, λ = 1): R∞ = 0 is optimal (∂F/∂R∞ ≥ 0 there), the rest KKT as well', () => {
    const s = specOf(Array.from({ length: 13 }, (_, k) => 10 ** (k / 3)), (w) => zRc(w, 0, [[10, 10 ** -3.8]]));
    const d = drt(s, { lambda: 1, perDecade: 2, extendDecades: 0 });
    expect(d.r_inf_ohm).toBe(0);
    expectOptimal(s, 'both', d, 1);
  });
});

describe('DRT: λ by generalised cross-validation, recomputed here', () => {
  it('three noisy RCs: the λ chosen is the quarter-decade grid point of least GCV (computed here)', () => {
    const s = specOf(logspace(Math.log10(0.3), Math.log10(3e4), 16), (w) => zRc(w, 3, [[4, 1e-4], [10, 1e-2], [5, 1]]), NOISE);
    const opts = { perDecade: 2, extendDecades: 0 };
    const curve = gcvCurve(s, opts);
    const sorted = [...curve].sort((p, q) => p.g - q.g);
    expect(sorted[1]!.g / sorted[0]!.g - 1).toBeGreaterThan(1e-6); // a clear minimum, not a tie
    expect(sorted[0]!.e).toBeGreaterThan(-7); // inside the grid
    expect(sorted[0]!.e).toBeLessThan(0);
    const d = drt(s, opts);
    expect(d.lambda).toBe(10 ** sorted[0]!.e);
    expect(d.lambda_source).toBe('gcv');
    expect(d.assumptions.drt_lambda).toBe(d.lambda);
    expectOptimal(s, 'both', d, d.lambda);
  });
  it('a resistor with 2 % noise on Z′ (nothing for γ to fit): GCV falls all the way to λ = 1, the end of the grid', () => {
    const s = specOf(logspace(0, 4, 16), () => [5, 0], NOISE);
    const opts = { perDecade: 2, extendDecades: 0 };
    const curve = gcvCurve(s, opts);
    for (let q = 1; q < curve.length; q++) expect(curve[q]!.g).toBeLessThan(curve[q - 1]!.g);
    const d = drt(s, opts);
    expect(d.lambda).toBe(1);
    expectOptimal(s, 'both', d, 1);
    expect(Math.abs(d.r_inf_ohm! - 5)).toBeLessThan(0.01);
  });
  it('an exact resistor: every λ fits exactly (GCV = 0), the least λ of the grid (1e-7) is kept; no peak, no warning', () => {
    const s = specOf(logspace(0, 4, 16), () => [5, 0]);
    const d = drt(s, { perDecade: 2, extendDecades: 0 });
    expect(d.lambda).toBe(1e-7);
    expect(d.r_inf_ohm).toBe(5);
    expect(d.r_pol_ohm).toBe(0);
    expect(d.rms_residual_pct).toBe(0);
    expect(d.peaks).toEqual([]);
    expect(d.warnings).toEqual([]);
  });
  it('λ = 0 given on a single frequency (the normal matrix is singular): plain NNLS, Z′ reproduced, no NaN', () => {
    const s: Spectrum = { f: Float64Array.of(100 / (2 * Math.PI)), re: Float64Array.of(5), im: Float64Array.of(-2) };
    const d = drt(s, { lambda: 0, part: 're' });
    expect(d.lambda).toBe(0);
    expect(d.tau_s.length).toBe(21); // one decade either side of 1/ω = 0.01 s
    const dln = Math.log(10) / 10;
    const zRe = d.r_inf_ohm! + Array.from(d.gamma_ohm).reduce((a, g, k) => a + (g * dln) / (1 + (100 * d.tau_s[k]!) ** 2), 0);
    expect(zRe).toBeCloseTo(5, 12);
    expect(d.rms_residual_pct).toBeLessThan(1e-10);
    expect(Number.isFinite(d.r_pol_ohm)).toBe(true);
  });
});

describe('DRT peaks on γ built exactly on the τ grid (λ tiny: the fit recovers γ), by the rules of the doc comment', () => {
  // RC elements R_k/(1 + jωτ_k) with τ_k on the grid are γ_k = R_k/Δln τ exactly; with λ = 1e-12
  // the NNLS recovers them to ~1e-6. Peaks: local maxima of γ above 1 % of the largest γ inside the
  // measured τ range [1/ω_max, 1/ω_min], area = Σ γΔ between the neighbouring minima (both
  // included), listed when the area is at least 1 % of the resistance inside the measured range.
  const onGrid = (ws: number[], rInf: number, tauOf: (k: number) => number, comps: [number, number][]) => specOf(ws, (w) => zRc(w, rInf, comps.map(([k, r]) => [r, tauOf(k)])));
  const areas = (d: DrtResult) => d.peaks.map((p) => Number(p.r_ohm.toFixed(4)));
  it('two touching peaks: each area runs down both slopes to the minimum between them', () => {
    // ω = 10^(k/3), k = 0…12; 2 per decade, no extension: τ_k = 10^(−4 + k/2), k = 0…8.
    // γΔ = [0.5, 2, 6, 3, 1, 4, 0.5, 0, 0.01]: maxima at k = 2 (0.5 + 2 + 6 + 3 + 1 = 12.5) and k = 5
    // (1 + 4 + 0.5 = 5.5); the minimum γΔ = 1 at k = 4 belongs to both ranges ("between the
    // neighbouring minima"). The 0.01 at the last point is a local maximum under 1 % of the largest
    // γ: no peak, so no edge warning.
    const d = drt(onGrid(Array.from({ length: 13 }, (_, k) => 10 ** (k / 3)), 5, (k) => 10 ** (-4 + k / 2), [[0, 0.5], [1, 2], [2, 6], [3, 3], [4, 1], [5, 4], [6, 0.5], [8, 0.01]]), { lambda: 1e-12, perDecade: 2, extendDecades: 0 });
    expect(areas(d)).toEqual([12.5, 5.5]);
    const dln = Math.log(10) / 2;
    // parabolic apex: ½Δ(y0 − y2)/(y0 − 2y1 + y2) with y = [2, 6, 3] → ½Δ(−1)/(−7); [1, 4, 0.5] → ½Δ(0.5)/(−6.5)
    expect(Math.log(d.peaks[0]!.tau_s / 1e-3) / dln).toBeCloseTo(1 / 14, 6);
    expect(Math.log(d.peaks[1]!.tau_s / 10 ** -1.5) / dln).toBeCloseTo(-0.5 / 13, 6);
    expect(d.r_pol_ohm).toBeCloseTo(17.01, 6);
    expect(d.warnings).toEqual([]);
  });
  it('resistance outside the measured τ range counts neither in the 1 %-of-γ threshold nor in the 1 %-of-R listing', () => {
    // ω = 0.1…1000 rad/s (τ measured 1e-3…10 s); one decade beyond: τ_k = 10^(−4 + k/2), k = 0…12.
    // 1000 Ω at τ = 100 s (k = 12, outside), 5 Ω at τ = 1 s (k = 8), 0.03 Ω at τ = 10^−2.5 s (k = 3).
    // Inside: largest γΔ 5, so 0.03 (< 1 % of it) is no peak; the 5 Ω peak is listed (≥ 1 % of 5.03 Ω).
    const d = drt(onGrid(Array.from({ length: 13 }, (_, k) => 10 ** (k / 3 - 1)), 2, (k) => 10 ** (-4 + k / 2), [[3, 0.03], [8, 5], [12, 1000]]), { lambda: 1e-12, perDecade: 2, extendDecades: 1 });
    expect(d.tau_s.length).toBe(13);
    expect(areas(d)).toEqual([5, 1000]);
    expect(d.peaks[0]!.tau_s).toBeCloseTo(1, 5);
    expect(d.peaks[1]!.tau_s).toBeCloseTo(100, 3);
    expect(d.warnings).toEqual(['DRT: a peak lies at the edge of the τ grid (τ = 100 s): a process outside the measured range (or a capacitive/diffusive tail)']);
    expect(d.r_pol_ohm).toBeCloseTo(1005.03, 4);
    // mirrored: 1000 Ω at τ = 1e-4 s (k = 0, below the measured range), 5 Ω at k = 5, 0.03 Ω at k = 9
    const m = drt(onGrid(Array.from({ length: 13 }, (_, k) => 10 ** (k / 3 - 1)), 2, (k) => 10 ** (-4 + k / 2), [[0, 1000], [5, 5], [9, 0.03]]), { lambda: 1e-12, perDecade: 2, extendDecades: 1 });
    expect(areas(m)).toEqual([1000, 5]);
    expect(m.peaks[1]!.tau_s).toBeCloseTo(10 ** -1.5, 6);
    expect(m.warnings).toEqual(['DRT: a peak lies at the edge of the τ grid (τ = 0.000100 s): a process outside the measured range (or a capacitive/diffusive tail)']);
  });
  it('no extension: every grid point is inside the measured range, the first one too (a 0.6 Ω peak beside 100 Ω at τ = 1/ω_max is under 1 %)', () => {
    const d = drt(onGrid(Array.from({ length: 13 }, (_, k) => 10 ** (k / 3)), 5, (k) => 10 ** (-4 + k / 2), [[0, 100], [4, 0.6]]), { lambda: 1e-12, perDecade: 2, extendDecades: 0 });
    expect(areas(d)).toEqual([100]);
    const e = drt(onGrid(Array.from({ length: 13 }, (_, k) => 10 ** (k / 3)), 5, (k) => 10 ** (-4 + k / 2), [[8, 100], [4, 0.6]]), { lambda: 1e-12, perDecade: 2, extendDecades: 0 });
    expect(areas(e)).toEqual([100]);
  });
});

describe('DRT: units and scale', () => {
  it('a milliohm cell is the ohm cell scaled: same λ (dimensionless), peaks at the same τ with areas × 1e-3', () => {
    const ws = Array.from({ length: 13 }, (_, k) => 10 ** (k / 3));
    const z = (c: number) => specOf(ws, (w) => zRc(w, 5 * c, [[10 * c, 1e-3], [3 * c, 0.1]]));
    const o = { lambda: 1e-12, perDecade: 2, extendDecades: 0 };
    const a = drt(z(1), o), b = drt(z(1e-3), o);
    expect(a.peaks.map((p) => Number(p.r_ohm.toFixed(5)))).toEqual([10, 3]);
    expect(b.peaks.map((p) => Number((p.r_ohm * 1e3).toFixed(5)))).toEqual([10, 3]);
    b.peaks.forEach((p, k) => expect(p.tau_s / a.peaks[k]!.tau_s).toBeCloseTo(1, 6));
    expect(b.r_inf_ohm! * 1e3).toBeCloseTo(5, 6);
    expect(b.assumptions.drt_method).toBe('Tikhonov-regularised NNLS (Lawson–Hanson) on a log τ grid, residuals weighted by 1/|Z|, penalty λ(‖Δγ̃‖² + 0.01‖γ̃‖²) on γ̃ = γ/max|Z| (Δ: first difference in ln τ)');
  });
});
