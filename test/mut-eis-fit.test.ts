// Mutation tests for src/analysis/eis/fit.ts and guess.ts (issue 20 point 4; docs/mutation/eis-fit.md).
// Truths: spectra made here from the element formulas of docs/science.md ("CHI: impedance") through
// the generator src/generate/eis.ts (R, 1/(jωC), 1/(Q (jω)^n), σ(1 − j)/√ω; it does not import the
// fitter), so a noise-free spectrum must be fitted back to the parameters it was made from; rules
// (canonical arc order, nulls, warnings, AIC choice) written again here from the spec and the
// module's documented contract. Every value is computed inside it() (Stryker mutates only code that
// runs under a test).
import { describe, expect, it } from 'vitest';
import { Cap, CPE, R, W, parallel, series, type Zfn } from '../src/generate/eis.js';
import { fitAuto, fitCircuit, fitRow } from '../src/analysis/eis/fit.js';
import type { Spectrum } from '../src/analysis/eis/spectrum.js';

/** The spectrum of z at the frequencies fs (Hz), optionally scaled point by point by (1 + e_k) on Z′ and (1 − e_k) on Z″. */
const spec = (z: Zfn, fs: number[], e: number[] = []): Spectrum => {
  const v = fs.map((f) => z(2 * Math.PI * f));
  return { f: Float64Array.from(fs), re: Float64Array.from(v, (q, k) => q.re * (1 + (e[k] ?? 0))), im: Float64Array.from(v, (q, k) => q.im * (1 - (e[k] ?? 0))) };
};
/** n points per decade from fHi down to fLo. */
const logf = (fHi: number, fLo: number, per: number) => { const n = Math.round(Math.log10(fHi / fLo) * per); return Array.from({ length: n + 1 }, (_, k) => fHi * 10 ** (-k / per)); };
const rel = (got: number | null | undefined, want: number) => Math.abs((got as number) / want - 1);
const vals = (f: ReturnType<typeof fitCircuit>) => f.params.map((p) => p.value);

describe('fit: canonical arc order (same-shape arcs sorted by time constant, the fastest first in the string)', () => {
  it('p(R,C) arcs: a fit started from the swapped assignment comes back with τ = R·C ascending', () => {
    // truth: R0 = 5, arc 1 R1 = 40, C1 = 2.5e-6 (τ = 1e-4 s), arc 2 R2 = 100, C2 = 1e-3 (τ = 0.1 s)
    const z = series(R(5), parallel(R(40), Cap(2.5e-6)), parallel(R(100), Cap(1e-3)));
    const S = spec(z, logf(1e5, 0.1, 4));
    // every start is the swapped optimum (the guess replaces that parameter in all starts)
    const fit = fitCircuit(S, 'R0-p(R1,C1)-p(R2,C2)', { guess: { R1_ohm: 100, C1_F: 1e-3, R2_ohm: 40, C2_F: 2.5e-6 } });
    const want = [5, 40, 2.5e-6, 100, 1e-3];
    want.forEach((x, k) => expect(rel(fit.params[k]!.value, x), `${k}`).toBeLessThan(1e-6));
    expect(fit.params.map((p) => p.initial)).toEqual([fit.params[0]!.initial, 100, 1e-3, 40, 2.5e-6]);
    expect(fit.undetermined).toEqual([]);
  });
  it('p(R,CPE) arcs: τ = (R·Q)^(1/n), not R·Q, decides the order', () => {
    // arc A: R = 100, Q = 1e-4, n = 0.5: RQ = 1e-2, τ = 1e-4 s; arc B: R = 10, Q = 1e-4, n = 0.9: RQ = 1e-3
    // (smaller), τ = 1e-3^(1/0.9) = 4.6e-4 s (larger): A is the faster arc and comes first.
    const tA = (100 * 1e-4) ** (1 / 0.5), tB = (10 * 1e-4) ** (1 / 0.9);
    expect(tA).toBeLessThan(tB);
    const z = series(R(2), parallel(R(100), CPE(1e-4, 0.5)), parallel(R(10), CPE(1e-4, 0.9)));
    const S = spec(z, logf(1e6, 0.01, 4));
    const fit = fitCircuit(S, 'R0-p(R1,CPE1)-p(R2,CPE2)', { guess: { R1_ohm: 10, CPE1_q: 1e-4, CPE1_n: 0.9, R2_ohm: 100, CPE2_q: 1e-4, CPE2_n: 0.5 } });
    const want = [2, 100, 1e-4, 0.5, 10, 1e-4, 0.9];
    want.forEach((x, k) => expect(rel(fit.params[k]!.value, x), `${k}`).toBeLessThan(1e-5));
  });
});
