// Mutation tests for src/analysis/eis/drt.ts (issue 20 point 4; docs/mutation/drt-dunn.md).
// Expected values come from the analytic DRT of RC elements (R/(1 + jωτ) is one delta of area R at
// τ = RC; Z(ω→0) = R∞ + Σ R), from the objective of the module's doc comment written again here
// (its minimiser is unique, so the optimality (KKT) conditions checked with this file's own
// gradient pin the solution down), and from GCV(λ) = m‖r‖²/(m − tr H)² computed here with this
// file's own matrix inverse. Nothing from src/ other than drt() itself is imported.
import { describe, expect, it } from 'vitest';
import { drt, type DrtResult } from '../src/analysis/eis/drt.js';
import type { Spectrum } from '../src/analysis/eis/spectrum.js';

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
