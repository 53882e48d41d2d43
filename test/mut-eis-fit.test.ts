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
import { initialGuesses, spectrumFeatures } from '../src/analysis/eis/guess.js';
import { parseCircuit } from '../src/analysis/eis/circuit.js';
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

describe('fit: canonical order with the capacitor written first in each block', () => {
  it('p(C1,R1)-p(C2,R2): the fast arc (τ = 1e-5 s) first although its C is the larger', () => {
    // fast: C = 1e-6, R = 10 (τ = 1e-5 s); slow: C = 1e-7, R = 1e4 (τ = 1e-3 s): ordering by C
    // alone, or by any product that is not R·C, would put the slow arc first
    const z = series(R(5), parallel(Cap(1e-6), R(10)), parallel(Cap(1e-7), R(1e4)));
    const fit = fitCircuit(spec(z, logf(1e6, 1, 4)), 'R0-p(C1,R1)-p(C2,R2)', { guess: { C1_F: 1e-7, R1_ohm: 1e4, C2_F: 1e-6, R2_ohm: 10 } });
    [5, 1e-6, 10, 1e-7, 1e4].forEach((x, k) => expect(rel(fit.params[k]!.value, x), `${k}`).toBeLessThan(1e-9));
  });
});

describe('fit: arcs that must not be reordered', () => {
  it('a p(R,C) and a p(R,CPE) arc are of different shapes: the slow C arc stays first', () => {
    const z = series(R(5), parallel(R(100), Cap(1e-3)), parallel(R(40), CPE(2.5e-6, 0.9)));
    const S = spec(z, logf(1e5, 0.1, 4));
    const fit = fitCircuit(S, 'R0-p(R1,C1)-p(R2,CPE2)', { guess: { R1_ohm: 100, C1_F: 1e-3, R2_ohm: 40, CPE2_q: 2.5e-6, CPE2_n: 0.9 } });
    [5, 100, 1e-3, 40, 2.5e-6, 0.9].forEach((x, k) => expect(rel(fit.params[k]!.value, x), `${k}`).toBeLessThan(1e-6));
  });
  it('an arc with a fixed parameter: the order is left as given (the slow arc first)', () => {
    const z = series(R(5), parallel(R(100), Cap(1e-3)), parallel(R(40), Cap(2.5e-6)));
    const S = spec(z, logf(1e5, 0.1, 4));
    const fit = fitCircuit(S, 'R0-p(R1,C1)-p(R2,C2)', { fix: { C1_F: 1e-3 }, guess: { R1_ohm: 100, R2_ohm: 40, C2_F: 2.5e-6 } });
    [5, 100, 1e-3, 40, 2.5e-6].forEach((x, k) => expect(rel(fit.params[k]!.value, x), `${k}`).toBeLessThan(1e-6));
    expect(fit.params[1]!.se).not.toBeNull();
    expect(fit.params[2]).toMatchObject({ fixed: true, se: null, value: 1e-3 });
  });
});

describe('fit: "arc not closed" counts resistances only, and only arc resistances are flagged', () => {
  it('p(R1,C1)-R2 measured above the apex: R1 flagged (R1 alone passes max Z′), the top-level R2 after it not', () => {
    // apex at 1/(2π·1e-3) ≈ 159 Hz; points 10 kHz…1 kHz: max Z′ = 10 + 100/(1 + (2π)²) ≈ 12.47 Ω
    const S = spec(series(parallel(R(100), Cap(1e-5)), R(10)), [1e4, 5e3, 2e3, 1e3]);
    const zmax = 10 + 100 / (1 + (2 * Math.PI) ** 2);
    const fit = fitCircuit(S, 'p(R1,C1)-R2');
    expect(rel(fit.params[0]!.value, 100)).toBeLessThan(1e-4);
    expect(rel(fit.params[2]!.value, 10)).toBeLessThan(1e-4);
    const arc = fit.warnings.filter((w) => w.startsWith('arc not closed'));
    expect(arc).toEqual([`arc not closed: with R1_ohm = ${fit.params[0]!.value!.toPrecision(4)} Ω the resistances add up to ${fit.params[0]!.value!.toPrecision(4)} Ω, beyond the largest measured Z′ (${zmax.toPrecision(4)} Ω); this value is an extrapolation (extend the low-frequency range)`]);
  });
  it('R0-p(R1,C1) above the apex: one warning (for R1), none for C1', () => {
    const S = spec(series(R(10), parallel(R(100), Cap(1e-5))), [1e4, 5e3, 2e3, 1e3]);
    const fit = fitCircuit(S, 'R0-p(R1,C1)');
    const arc = fit.warnings.filter((w) => w.startsWith('arc not closed'));
    expect(arc.length).toBe(1);
    expect(arc[0]).toMatch(/^arc not closed: with R1_ohm = /);
  });
});

describe('fit: messages, data checks, null results, assumptions, rows', () => {
  const S = () => spec(series(R(10), parallel(R(100), Cap(1e-5))), logf(1e4, 1, 2));
  it('an unknown --fix / --guess key names the option', () => {
    expect(() => fitCircuit(S(), 'R0', { fix: { X1: 1 } })).toThrow('--fix X1: the circuit R0 has no such parameter (it has R0_ohm)');
    expect(() => fitCircuit(S(), 'R0', { guess: { X1: 1 } })).toThrow('--guess X1: the circuit R0 has no such parameter (it has R0_ohm)');
  });
  it('Z′ = 0 exactly is not negative: no warning; 4 of 8 negative is not a majority: fitted', () => {
    const s = S();
    const z0 = { ...s, re: Float64Array.from(s.re, (x, i) => (i === 0 ? 0 : x)) };
    expect(fitCircuit(z0, 'R0', { maxIter: 2 }).warnings.join('\n')).not.toMatch(/Z′ < 0/);
    const f8 = { f: s.f.slice(0, 8), re: Float64Array.from(s.re.slice(0, 8), (x, i) => (i < 4 ? -x : x)), im: s.im.slice(0, 8) };
    const four = fitCircuit(f8, 'R0', { maxIter: 2 });
    expect(four.chi2).not.toBeNull();
    expect(four.warnings[0]).toBe('4 of 8 points have Z′ < 0, which a passive cell cannot give (non-physical: check the connections and the reference electrode)');
    expect(four.warnings.join('\n')).not.toMatch(/no fit/);
  });
  it('a null result keeps the preset aliases and has no raw vector', () => {
    const s = S();
    const neg = fitCircuit({ ...s, re: Float64Array.from(s.re, (x) => -x) }, 'randles');
    expect(neg.params.map((p) => p.alias)).toEqual(['r_ohm', 'c_dl_f', 'r_ct_ohm', 'sigma_w_ohm_s05']);
    expect(neg.raw).toEqual([]);
    expect(neg.cropped_hz).toEqual([]);
    expect(neg.params.every((p) => p.value === null && Number.isNaN(p.initial))).toBe(true);
  });
  it('the assumptions spell out χ²/dof, AIC/BIC and the method', () => {
    const a = fitCircuit(S(), 'R0-p(R1,C1)', { maxIter: 2 }).assumptions;
    expect(a.chi2_dof).toBe('Σ w²(ΔZ′² + ΔZ″²) / (2N − p)');
    expect(a.aic_bic).toBe('AIC = 2N ln(χ²/2N) + 2p, BIC = 2N ln(χ²/2N) + p ln 2N');
    expect(a.method).toBe('Levenberg–Marquardt on ln(parameter) (logit for CPE n), multi-start from the spectrum\'s guesses');
  });
  it('fitRow: a preset parameter appears under its alias too; undetermined keys joined by ";"', () => {
    const fit = fitCircuit(S(), 'randles', { maxIter: 3 });
    const row = fitRow(fit);
    expect(row.model).toBe('randles');
    expect(row.r_ohm).toBe(fit.params[0]!.value);
    expect(row.r_ohm_se).toBe(fit.params[0]!.se);
    expect(row.c_dl_f).toBe(fit.params[1]!.value);
    expect(Object.keys(row)).toContain('sigma_w_ohm_s05_se');
    const two = fitRow(fitCircuit({ f: Float64Array.of(1, 10, 100), re: Float64Array.of(30, 30, 30), im: Float64Array.of(-1, -1, -1) }, 'R0-R1'));
    expect(two.undetermined).toBe('R0_ohm;R1_ohm');
    expect(two.R0_ohm).toBeNull();
    expect(Object.keys(two)).not.toContain('r_ohm');
    expect(Object.keys(two).sort()).toEqual(['R0_ohm', 'R0_ohm_se', 'R1_ohm', 'R1_ohm_se', 'aic', 'bic', 'chi2', 'chi2_dof', 'circuit', 'converged', 'model', 'points', 'undetermined']);
  });
  it('a stopped optimiser says so with the total iteration count (maxIter 0: the polish never starts)', () => {
    const noisy = spec(series(R(10), parallel(R(100), Cap(1e-5))), logf(1e4, 1, 2), [0.01, -0.02, 0.015, -0.01, 0.02, -0.015, 0.01, 0.005, -0.01]);
    const fit = fitCircuit(noisy, 'R0-p(R1,C1)', { maxIter: 0 });
    expect(fit.converged).toBe(false);
    expect(fit.iterations).toBeGreaterThan(0);
    expect(fit.warnings).toContain(`the optimiser did not meet its convergence criteria after ${fit.iterations} iterations`);
    expect(fit.warnings.join('\n')).not.toMatch(/not of full rank/);
    // the same data with the polish: converged, no such warning
    const full = fitCircuit(noisy, 'R0-p(R1,C1)');
    expect(full.converged).toBe(true);
    expect(full.warnings.join('\n')).not.toMatch(/convergence criteria/);
  });
});

describe('fit: CPE exponents at their bounds', () => {
  const flat = () => ({ f: Float64Array.of(1, 10, 100, 1000, 1e4, 1e5), re: Float64Array.of(10, 10, 10, 10, 10, 10), im: new Float64Array(6) });
  it('n started at 1 on purely resistive data: Q has no effect, so n at 1 is null with the element reason', () => {
    const fit = fitCircuit(flat(), 'R0-CPE1', { guess: { CPE1_n: 1 } });
    expect(fit.params[0]!.value!).toBeCloseTo(10, 9);
    expect(vals(fit).slice(1)).toEqual([null, null]);
    expect(fit.undetermined).toEqual([
      { key: 'CPE1_q', reason: 'does not change the fitted spectrum (zero Jacobian column)' },
      { key: 'CPE1_n', reason: 'its element CPE1 is not determined (n sits on its bound 1)' },
    ]);
    expect(fit.warnings.join('\n')).not.toMatch(/reached its bound n = 1/);
    expect(fit.converged).toBe(false);
  });
  it('n at 1 while other, unrelated parameters are null: n is still reported as 1 (only its own element\'s nulls null it)', () => {
    const S = spec(series(R(10), parallel(R(100), Cap(1e-5))), [1e4, 3e3, 1e3, 300, 100, 30, 10, 3, 1]);
    const fit = fitCircuit(S, 'R0-R1-p(R2,CPE2)');
    expect(fit.undetermined.map((u) => u.key)).toEqual(['R0_ohm', 'R1_ohm']);
    expect(fit.params[4]).toMatchObject({ key: 'CPE2_n', value: 1, se: null });
    expect(fit.warnings).toContain('CPE2_n reached its bound n = 1 (an ideal capacitor); it is reported as 1 without a standard error');
    expect(rel(fit.params[3]!.value, 1e-5)).toBeLessThan(1e-6);
  });
  it('R0-C1 on resistive data: the zero column makes the fit "not of full rank"', () => {
    const fit = fitCircuit(flat(), 'R0-C1');
    expect(fit.undetermined).toEqual([{ key: 'C1_F', reason: 'does not change the fitted spectrum (zero Jacobian column)' }]);
    expect(fit.converged).toBe(false);
    expect(fit.warnings).toContain('not converged: the Jacobian is not of full rank at the optimum (some parameters are not identifiable); try a simpler circuit');
  });
});

describe('fitAuto: the choice by AIC (ΔAIC < 2: fewest parameters)', () => {
  /** The rule of fitAuto's contract, written again: lowest AIC; among those within ΔAIC < 2 of it, fewest free parameters. */
  const expected = (fits: ReturnType<typeof fitCircuit>[]) => {
    const ok = fits.filter((f) => f.aic !== null);
    const min = Math.min(...ok.map((f) => f.aic!));
    const lowest = ok.find((f) => f.aic === min)!;
    const pool = ok.filter((f) => f.aic! - min < 2);
    const fewest = Math.min(...pool.map((f) => f.free_params));
    const best = pool.filter((f) => f.free_params === fewest).sort((a, b) => a.aic! - b.aic!)[0]!;
    return { best, lowest, min };
  };
  const noise = (n: number) => Array.from({ length: n }, (_, k) => 0.005 * Math.sin(1.7 * k * k + 0.3));
  it('a two-arc spectrum: two-arc has by far the lowest AIC and is chosen despite more parameters', () => {
    const fs = logf(1e5, 0.01, 4);
    const z = series(R(5), parallel(R(30), CPE(1e-5, 0.85)), parallel(R(100), CPE(1e-3, 0.8)), W(10));
    const a = fitAuto(spec(z, fs, noise(fs.length)));
    const e = expected(a.fits);
    expect(a.best.preset).toBe('two-arc');
    expect(a.best).toBe(e.best);
    expect(a.warnings).toEqual(['auto: chose two-arc (R0-p(R1,CPE1)-p(R2,CPE2)-W1) by AIC among 3 presets']);
    expect(a.candidates.map((c) => [c.preset, c.aic])).toEqual(a.fits.map((f) => [f.preset, f.aic]));
  });
  it('randles-cpe lower by less than 2 than randles: randles (fewer parameters) is chosen and the warning says why', () => {
    const fs = logf(1e4, 0.1, 4);
    const z = series(R(10), parallel(CPE(1e-5, 0.9968), series(R(100), W(20))));
    const a = fitAuto(spec(z, fs, noise(fs.length)));
    const e = expected(a.fits);
    expect(e.lowest.preset).toBe('randles-cpe'); // the case this test is for
    expect(a.best).toBe(e.best);
    expect(a.best.preset).toBe('randles');
    const d = a.best.aic! - e.min;
    expect(d).toBeGreaterThan(0);
    expect(d).toBeLessThan(2);
    expect(a.warnings).toEqual([`auto: chose randles (R0-p(C1,R1-W1)) by AIC among 3 presets (randles-cpe has an AIC lower by ${d.toFixed(2)} < 2 but more parameters)`]);
  });
  it('four points: two-arc (8 parameters) cannot be fitted (2N ≤ p) and is left out; the choice is among the others', () => {
    const z = series(R(10), parallel(Cap(1e-5), series(R(100), W(20))));
    const a = fitAuto(spec(z, [1000, 100, 10, 1]));
    expect(a.fits[2]!.aic).toBeNull();
    const e = expected(a.fits);
    expect(a.best).toBe(e.best);
    expect(a.warnings[0]).toMatch(new RegExp(`^auto: chose ${e.best.preset} `));
  });
});

describe('fit: standard errors by the delta method, worked in natural units', () => {
  /** (JᵀJ)⁻¹ by Gauss–Jordan elimination. */
  const invert = (A: number[][]) => {
    const n = A.length, M = A.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
    for (let c = 0; c < n; c++) {
      let p = c; for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
      [M[c], M[p]] = [M[p]!, M[c]!];
      const d = M[c]![c]!; M[c] = M[c]!.map((x) => x / d);
      for (let r = 0; r < n; r++) if (r !== c) { const f = M[r]![c]!; M[r] = M[r]!.map((x, j) => x - f * M[c]![j]!); }
    }
    return M.map((row) => row.slice(n));
  };
  it('R0-CPE1 on a CPE spectrum with 0.5 % scatter: SE(R0), SE(Q), SE(n) = √(s² [(JᵀJ)⁻¹]kk), J of the weighted residuals in R0, Q, n', () => {
    const fs = logf(1e4, 0.1, 3);
    const e = fs.map((_, k) => 0.005 * Math.sin(1.7 * k * k + 0.3));
    const S = spec(series(R(20), CPE(2e-4, 0.75)), fs, e);
    const fit = fitCircuit(S, 'R0-CPE1');
    const p = fit.params.map((q) => q.value!);
    expect(rel(p[2], 0.75)).toBeLessThan(0.05);
    // residuals (Z_model − Z_data)/|Z_data| of the test's own model
    const res = (x: number[]) => fs.flatMap((f, k) => {
      const z = series(R(x[0]!), CPE(x[1]!, x[2]!))(2 * Math.PI * f);
      const m = Math.hypot(S.re[k]!, S.im[k]!);
      return [(z.re - S.re[k]!) / m, (z.im - S.im[k]!) / m];
    });
    const r0 = res(p);
    const chi2 = r0.reduce((a, x) => a + x * x, 0);
    expect(rel(fit.chi2, chi2)).toBeLessThan(1e-9);
    // AIC = 2N ln(χ²/2N) + 2p, BIC = 2N ln(χ²/2N) + p ln 2N with p = 3
    const N2 = 2 * fs.length;
    expect(fit.aic!).toBeCloseTo(N2 * Math.log(chi2 / N2) + 6, 6);
    expect(fit.bic!).toBeCloseTo(N2 * Math.log(chi2 / N2) + 3 * Math.log(N2), 6);
    expect(rel(fit.chi2_dof, chi2 / (N2 - 3))).toBeLessThan(1e-9);
    const J = p.map((x, j) => {
      const h = 1e-6 * x, up = [...p], dn = [...p];
      up[j] = x + h; dn[j] = x - h;
      const a = res(up), b = res(dn);
      return a.map((v, i) => (v - b[i]!) / (2 * h));
    });
    const JtJ = J.map((a) => J.map((b) => a.reduce((s, v, i) => s + v * b[i]!, 0)));
    const cov = invert(JtJ);
    const s2 = chi2 / (2 * fs.length - 3);
    const want = cov.map((row, k) => Math.sqrt(s2 * row[k]!));
    fit.params.forEach((q, k) => expect(rel(q.se, want[k]!), `${q.key}: ${q.se} vs ${want[k]}`).toBeLessThan(1e-4));
    expect(fit.undetermined).toEqual([]);
    expect(fit.converged).toBe(true);
  });
});

describe('fit: a noise-free spectrum is fitted back exactly and the fit says converged', () => {
  it('R0-p(R1,C1) from its own formula on 9 points: values to 1e-9, χ² at rounding level, converged, no warning', () => {
    // docs/mutation/eis.md recorded this as converged: false ("did not meet its convergence
    // criteria"): at χ² ≈ 1e-30 the gradient test, relative to the residual, judged rounding noise
    const S = spec(series(R(10), parallel(R(100), Cap(1e-5))), logf(1e4, 1, 2));
    const fit = fitCircuit(S, 'R0-p(R1,C1)');
    [10, 100, 1e-5].forEach((x, k) => expect(rel(fit.params[k]!.value, x), `${k}`).toBeLessThan(1e-9));
    expect(fit.chi2!).toBeLessThan(1e-20);
    expect(fit.converged).toBe(true);
    expect(fit.warnings).toEqual([]);
  });
});

describe('fit: identifiability, worked by hand', () => {
  const flat = (x: number): Spectrum => ({ f: Float64Array.of(1, 10, 100, 1000, 1e4, 1e5), re: Float64Array.of(x, x, x, x, x, x), im: new Float64Array(6) });
  it('three resistors in series on Z = 30: only the sum is determined, so all three are null (two null directions)', () => {
    // the Jacobian's three columns are equal: rank 1, a two-dimensional null space; no single
    // resistor is determined, whichever of them a null vector happens to leave out
    const fit = fitCircuit(flat(30), 'R0-R1-R2');
    expect(vals(fit)).toEqual([null, null, null]);
    expect(fit.undetermined).toEqual([
      { key: 'R0_ohm', reason: 'cannot be separated from R1_ohm, R2_ohm (the Jacobian is singular: only a combination is determined)' },
      { key: 'R1_ohm', reason: 'cannot be separated from R0_ohm, R2_ohm (the Jacobian is singular: only a combination is determined)' },
      { key: 'R2_ohm', reason: 'cannot be separated from R0_ohm, R1_ohm (the Jacobian is singular: only a combination is determined)' },
    ]);
    expect(fit.raw.reduce((a, b) => a + b, 0)).toBeCloseTo(30, 9);
    expect(fit.converged).toBe(false);
  });
  it('R0-R1-C1-C2 on a series R–C: two separate null directions, each pair named with its partner only', () => {
    // Z = R0 + R1 + 1/(jωC1) + 1/(jωC2): only R0 + R1 and 1/C1 + 1/C2 are determined; R0 does not
    // trade against C1 (the old wording lumped all four together)
    const S = spec(series(R(30), Cap(1e-5)), [1e4, 3e3, 1e3, 300, 100, 30, 10, 3, 1]);
    const fit = fitCircuit(S, 'R0-R1-C1-C2');
    const sing = '(the Jacobian is singular: only a combination is determined)';
    expect(fit.undetermined).toEqual([
      { key: 'R0_ohm', reason: `cannot be separated from R1_ohm ${sing}` },
      { key: 'R1_ohm', reason: `cannot be separated from R0_ohm ${sing}` },
      { key: 'C1_F', reason: `cannot be separated from C2_F ${sing}` },
      { key: 'C2_F', reason: `cannot be separated from C1_F ${sing}` },
    ]);
    expect(fit.raw[0]! + fit.raw[1]!).toBeCloseTo(30, 6);
    expect(1 / fit.raw[2]! + 1 / fit.raw[3]!).toBeCloseTo(1e5, 0);
  });
  it('R0-R1-p(R2,C2) on an exact RC spectrum: R0 and R1 inseparable, the arc determined', () => {
    const S = spec(series(R(10), parallel(R(100), Cap(1e-5))), [1e4, 3e3, 1e3, 300, 100, 30, 10, 3, 1]);
    const fit = fitCircuit(S, 'R0-R1-p(R2,C2)');
    expect(fit.undetermined).toEqual([
      { key: 'R0_ohm', reason: 'cannot be separated from R1_ohm (the Jacobian is singular: only a combination is determined)' },
      { key: 'R1_ohm', reason: 'cannot be separated from R0_ohm (the Jacobian is singular: only a combination is determined)' },
    ]);
    expect(rel(fit.params[2]!.value, 100)).toBeLessThan(1e-9);
    expect(rel(fit.params[3]!.value, 1e-5)).toBeLessThan(1e-9);
    expect(fit.raw[0]! + fit.raw[1]!).toBeCloseTo(10, 9);
  });
  it('R0 on Z = 1 exactly: χ² = 0, so SE = 0 (not null)', () => {
    // the start R∞ = 1 is ln 1 = 0 in the optimiser: every residual is exactly 0
    const fit = fitCircuit(flat(1), 'R0');
    expect(fit.chi2).toBe(0);
    expect(fit.params[0]).toMatchObject({ value: 1, se: 0 });
    expect(fit.converged).toBe(true);
  });
  it('a CPE on Z = 5: n → 0 makes the fit "not of full rank" (the fit itself is exact)', () => {
    const fit = fitCircuit(flat(5), 'CPE1');
    expect(fit.params[1]!.value).toBeNull();
    expect(fit.converged).toBe(false);
    expect(fit.warnings).toContain('not converged: the Jacobian is not of full rank at the optimum (some parameters are not identifiable); try a simpler circuit');
  });
  it('unit weighting on Z = 1 MΩ: a series C\'s column is below 1e-9 of R0\'s (1e-9 times the largest, not divided by it)', () => {
    const fit = fitCircuit(flat(1e6), 'R0-C1', { weighting: 'unit' });
    expect(rel(fit.params[0]!.value, 1e6)).toBeLessThan(1e-12);
    expect(fit.undetermined).toEqual([{ key: 'C1_F', reason: 'does not change the fitted spectrum (zero Jacobian column)' }]);
  });
});

describe('fit: the multi-start keeps the start that ends lowest (checked against single-start runs)', () => {
  it('p(R1,L1) on resistive data (L runs off towards ∞ at a rate set by its start): maxIter 0 reports the lowest of the eight', () => {
    // a start given for every parameter makes all starts that one: fitCircuit(…, {guess: start i,
    // maxIter: 0}) is the 60-iteration run from start i alone (9 identical copies)
    const flat: Spectrum = { f: Float64Array.of(1, 10, 100, 1000, 1e4, 1e5), re: Float64Array.of(10, 10, 10, 10, 10, 10), im: new Float64Array(6) };
    const c = 'p(R1,L1)';
    const starts = initialGuesses(parseCircuit(c), flat).starts;
    const single = starts.map((p0) => fitCircuit(flat, c, { maxIter: 0, guess: { R1_ohm: p0[0]!, L1_H: p0[1]! } }));
    const costs = single.map((f) => f.chi2!);
    const lowest = costs.indexOf(Math.min(...costs));
    // the case this test is for: the lowest is neither the first nor the last start
    expect(lowest).toBeGreaterThan(0);
    expect(lowest).toBeLessThan(starts.length - 1);
    const all = fitCircuit(flat, c, { maxIter: 0 });
    expect(all.chi2).toBe(costs[lowest]);
    expect(all.raw).toEqual(single[lowest]!.raw);
    expect(all.starts).toBe(8);
    expect(all.iterations).toBe(single.reduce((a, f) => a + f.iterations, 0) / 9);
  });
});

// ======================================================================================= guess
describe('guess: peaks, prominence, closed arcs and fills worked by hand', () => {
  /** Spectrum from Z′ and −Z″ lists (high to low frequency). */
  const sp = (f: number[], re: number[], v: number[]): Spectrum => ({ f: Float64Array.from(f), re: Float64Array.from(re), im: Float64Array.from(v, (x) => -x) });
  /** The smoothing of guess.ts's contract, written again: (a + 2b + c)/4 with the ends repeated. */
  const smooth = (v: number[]) => v.map((_, j) => (v[Math.max(0, j - 1)]! + 2 * v[j]! + v[Math.min(v.length - 1, j + 1)]!) / 4);
  const tanK = Math.tan(0.85 * Math.PI / 4); // an open arc's diameter is 2·height/tan(0.85π/4)
  const f10 = [1000, 500, 200, 100, 50, 20, 10, 5, 2, 1];
  const w = (f: number) => 2 * Math.PI * f;

  it('a flat-topped peak counts once, at its last point (sm ≥ left, > right)', () => {
    // −Z″ = [0,2,6,6,2,0,0,0,0,0] smooths to [0.5,2.5,5,5,2.5,0.5,0,0,0,0]: the peak is j = 3
    // (5 ≥ 5, 5 > 2.5), not j = 2 (5 > 5 fails); its valley is the first 0 (j = 6, not the last
    // point, 0 < 0.8·5): closed, diameter Z′[6] − R∞ = 20 − 1 = 19 (> 2·5)
    const v = [0, 2, 6, 6, 2, 0, 0, 0, 0, 0];
    expect(smooth(v)).toEqual([0.5, 2.5, 5, 5, 2.5, 0.5, 0, 0, 0, 0]);
    const ft = spectrumFeatures(sp(f10, [1, 2, 4, 8, 14, 18, 20, 21, 22, 23], v));
    expect(ft.arcs).toEqual([{ fHz: 100, rOhm: 19 }]);
  });
  it('a peak at the second point: its left minimum is the first point', () => {
    // −Z″ = [0,8,0,…] smooths to [2,4,2,0,…]: peak j = 1, left minimum 2, valley 0 at j = 3:
    // prominence 4 − 2 = 2 ≥ 5 % of 4; closed (0 < 3.2, not the last point): Z′[3] − R∞ = 9 − 1
    const v = [0, 8, 0, 0, 0, 0, 0, 0, 0, 0];
    expect(smooth(v).slice(0, 4)).toEqual([2, 4, 2, 0]);
    const ft = spectrumFeatures(sp(f10, [1, 3, 6, 9, 10, 11, 12, 13, 14, 15], v));
    expect(ft.arcs).toEqual([{ fHz: 500, rOhm: 8 }]);
  });
  it('a shoulder on the rising side of a big arc is not an arc: prominence against the valley on its right', () => {
    // −Z″ = [0,0,4,4.8,4,4,8,12,8,2,0,0] smooths to [0,1,3.2,4.4,4.2,5,8,10,7.5,3,0.5,0];
    // peaks at j = 3 (4.4) and j = 7 (10). j = 3: left minimum 0, valley 4.2 (j = 4) before the
    // next peak: prominence 4.4 − max(0, 4.2) = 0.2 < 5 % of 10 = 0.5: skipped. j = 7: valley 0 at
    // the last point: open, 2·10/tan(0.85π/4)
    const v = [0, 0, 4, 4.8, 4, 4, 8, 12, 8, 2, 0, 0];
    const sm = smooth(v);
    [0, 1, 3.2, 4.4, 4.2, 5, 8, 10, 7.5, 3, 0.5, 0].forEach((x, k) => expect(sm[k]).toBeCloseTo(x, 12));
    const f = Array.from({ length: 12 }, (_, k) => 10 ** (4 - k / 2));
    const ft = spectrumFeatures(sp(f, [1, 1.5, 2, 3, 4, 6, 9, 14, 20, 24, 26, 27], v));
    expect(ft.arcs.length).toBe(1);
    expect(ft.arcs[0]!.fHz).toBeCloseTo(10 ** 0.5, 12);
    expect(ft.arcs[0]!.rOhm).toBeCloseTo(20 / tanK, 12);
  });
  it('after a closed arc the next peak\'s left minimum is taken from that arc\'s valley on', () => {
    // −Z″ = [0,4,10,8,4,5,6.4,6,0,0] smooths to [1,4.5,8,7.5,5.25,5.1,5.95,4.6,1.5,0]: peaks at
    // j = 2 (8) and j = 6 (5.95). j = 2: valley 5.1 at j = 5 (< 0.8·8 = 6.4, not the last point):
    // closed, Z′[5] − R∞ = 20 − 2 = 18 (> 2·8; R∞ = min of the first 3 Z′). j = 6: left minimum
    // from j = 5 on is 5.1, valley 0 at the last point: prominence 0.85 ≥ 5 % of 8: open, 2·5.95/tan
    const v = [0, 4, 10, 8, 4, 5, 6.4, 6, 0, 0];
    [1, 4.5, 8, 7.5, 5.25, 5.1, 5.95, 4.6, 1.5, 0].forEach((x, k) => expect(smooth(v)[k]).toBeCloseTo(x, 12));
    const re = [2, 3, 5, 9, 14, 20, 22, 24, 26, 27];
    const ft = spectrumFeatures(sp(f10, re, v));
    expect(ft.arcs.length).toBe(2);
    expect(ft.arcs[0]).toEqual({ fHz: 200, rOhm: 18 });
    expect(ft.arcs[1]!.fHz).toBe(10);
    expect(ft.arcs[1]!.rOhm).toBeCloseTo(2 * 5.95 / tanK, 12);
    // the second bump lower: −Z″ = [0,4,10,8,4,5,5.3,5.1,0,0] smooths at j = 5…7 to 4.825, 5.175,
    // 3.875: prominence 5.175 − 4.825 = 0.35 < 0.4: skipped, although it stands 5.175 above 0
    const v2 = [0, 4, 10, 8, 4, 5, 5.3, 5.1, 0, 0];
    [4.825, 5.175, 3.875].forEach((x, k) => expect(smooth(v2)[k + 5]).toBeCloseTo(x, 12));
    expect(spectrumFeatures(sp(f10, re, v2)).arcs).toEqual([{ fHz: 200, rOhm: 18 }]);
  });
  it('prominence exactly 5 % of the largest −Z″ is enough (< is the test)', () => {
    const v = [0, 4, 10, 8, 0, 0, 0, 0.8, 0, 0, 0, 0];
    const sm = smooth(v);
    // −Z″ = [0,4,10,8,0,0,0,0.8,0,0,0,0] smooths to [1,4.5,8,6.5,2,0,0.2,0.4,0.2,0,0,0]: the big
    // peak j = 2 (8), closed at its valley j = 5 (0 < 6.4): Z′[5] − R∞ = 20 − 1 = 19 (> 16); the
    // bump j = 7: left minimum 0 (from j = 5 on), valley 0 at j = 9: prominence exactly 0.4 =
    // 0.05·8 in doubles: kept; closed (0 < 0.32, j = 9 not the last point): Z′[9] − Z′[5] = 5
    expect(sm).toEqual([1, 4.5, 8, 6.5, 2, 0, 0.2, 0.4, 0.2, 0, 0, 0]);
    expect(0.4 - 0).toBe(0.05 * 8);
    const f = Array.from({ length: 12 }, (_, k) => 10 ** (3 - k / 3));
    const re = [1, 2, 3, 6, 12, 20, 21, 22, 23, 25, 26, 27];
    const ft = spectrumFeatures(sp(f, re, v));
    expect(ft.arcs.map((a) => a.rOhm)).toEqual([19, 5]);
    expect(ft.arcs[1]!.fHz).toBeCloseTo(10 ** (3 - 7 / 3), 12);
  });
  it('a valley exactly 0.8 of the peak does not close the arc; an open arc does not move the reference for the next', () => {
    // −Z″ = [0,4,6,4,4,4,8,8,0,0,0,0] smooths to [1,3.5,5,4.5,4,5,7,6,2,0,0,0]: peaks j = 2 (5) and
    // j = 6 (7). j = 2: valley 4 at j = 4, and 4 < 0.8·5 = 4 is false: open, 2·5/tan(0.85π/4).
    // j = 6: left minimum 1 (from j = 0: the open arc leaves it), valley 0 at j = 9 (not the last
    // point): closed, measured from R∞ (not from Z′ at the open arc's valley): 50 − 1 = 49
    const v = [0, 4, 6, 4, 4, 4, 8, 8, 0, 0, 0, 0];
    expect(smooth(v)).toEqual([1, 3.5, 5, 4.5, 4, 5, 7, 6, 2, 0, 0, 0]);
    expect(0.8 * 5).toBe(4);
    const f = Array.from({ length: 12 }, (_, k) => 10 ** (3 - k / 3));
    const ft = spectrumFeatures(sp(f, [1, 2, 3, 5, 20, 24, 28, 33, 40, 50, 52, 53], v));
    expect(ft.arcs.length).toBe(2);
    expect(ft.arcs[0]!.rOhm).toBeCloseTo(10 / tanK, 12);
    expect(ft.arcs[1]!.rOhm).toBe(49);
    // two blocks: the larger arc (49 Ω) is the low-frequency one; the blocks still take the arcs
    // high frequency first: block 1 the 5-Ω-high arc at f[2], block 2 the 49 Ω arc at f[6]
    const g = initialGuesses(parseCircuit('R0-p(R1,C1)-p(R2,C2)'), sp(f, [1, 2, 3, 5, 20, 24, 28, 33, 40, 50, 52, 53], v));
    const r1 = 10 / tanK;
    const want = [1, r1, 1 / (w(f[2]!) * r1), 49, 1 / (w(f[6]!) * 49)];
    want.forEach((x, k) => expect(rel(g.starts[0]![k], x), `${k}`).toBeLessThan(1e-12));
    expect(g.starts.length).toBe(8);
  });
  it('L from the largest Z″/ω among the inductive points, not the last', () => {
    // 9 points, top third = 3: Z″ = +10 at 10 kHz and +1 at 5 kHz are inductive: L = 10/(2π·1e4)
    const f = [1e4, 5e3, 2e3, 1e3, 500, 200, 100, 50, 20];
    const ft = spectrumFeatures({ f: Float64Array.from(f), re: Float64Array.of(5, 5, 5, 6, 8, 10, 11, 11.5, 12), im: Float64Array.of(10, 1, -1, -2, -3, -2, -1, -0.5, -0.2) });
    expect(ft.lH!).toBeCloseTo(10 / w(1e4), 18);
  });
  it('Wo/Ws starts: τ = 1/(2π f_min), Z0 = σ·scale·√(2τ) with each variation\'s σ scale', () => {
    // the last 3 of 9 points: Z′ = 3 + 2/√ω exactly, −Z″ falling: σ = 2 (the Z′ slope alone)
    const f = [1e3, 500, 200, 100, 50, 20, 10, 5, 2].map((x) => x / 100);
    const re = f.map((x, k) => (k < 6 ? 3 + k * 0.1 : 3 + 2 / Math.sqrt(w(x))));
    const v = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.5, 0.4, 0.3];
    const g = initialGuesses(parseCircuit('R0-Wo1'), sp(f, re, v));
    expect(g.features.sigma).toBeCloseTo(2, 10);
    const tau = 1 / w(0.02);
    [1, 1, 0.3, 1, 0.1, 1, 1, 3].forEach((sc, i) => {
      expect(rel(g.starts[i]![2], tau), `${i}`).toBeLessThan(1e-12);
      expect(rel(g.starts[i]![1], 2 * sc * Math.sqrt(2 * tau)), `${i}`).toBeLessThan(1e-9);
    });
  });
  it('one arc seen far from both grid cells of two blocks: exactly one grid cell is added (the first far one)', () => {
    // 10 points 10 kHz … 1 Hz; −Z″ peaks only at 2 Hz ([…,0,2,8,2] smooths to 0.5, 3, 5, 3.5): open,
    // 2·5/tan(0.85π/4). Grid cells [1e4, 1e2] and [1e2, 1], centres 1 kHz and 10 Hz, both more than
    // half a decade from 2 Hz: the first (1 kHz, Z′(100) − Z′(1e4) = 8 − 1 = 7) fills block 1, the
    // seen arc is block 2
    const f = [1e4, 3e3, 1e3, 300, 100, 30, 10, 5, 2, 1];
    const s = sp(f, [1, 2, 3, 5, 8, 12, 15, 17, 18, 19], [0, 0, 0, 0, 0, 0, 0, 2, 8, 2]);
    const g = initialGuesses(parseCircuit('R0-p(R1,C1)-p(R2,C2)'), s);
    const r2 = 10 / tanK;
    const want = [1, 7, 1 / (w(1e3) * 7), r2, 1 / (w(2) * r2)];
    want.forEach((x, k) => expect(rel(g.starts[0]![k], x), `${k}`).toBeLessThan(1e-12));
    expect(g.starts.length).toBe(10);
  });
  it('non-finite or zero starting values fall back to 1 (n would be 0.85)', () => {
    // all Z′ < 0: max Z′ is the floor 1e-300; a top-level C gets 1/(2π f_min · 1e-300) = ∞ at
    // f_min = 1e-50 Hz, and σ (no positive slope) = 1e-3 · 1e-300 · √(2π·1e-50) underflows to 0
    const s = sp([1e3, 1, 1e-50], [-1, -2, -3], [3, 2, 1]);
    expect(1 / (w(1e-50) * 1e-300)).toBe(Infinity);
    expect(1e-3 * 1e-300 * Math.sqrt(w(1e-50))).toBe(0);
    const g = initialGuesses(parseCircuit('C0-W1'), s);
    expect(g.starts[0]).toEqual([1, 1]);
  });
  it('no arc seen, one block: the grid cell spans the whole band (Z′ at the edges, clamped), shifted by each variation', () => {
    // −Z″ rises steadily (no peak); band 2 kHz … 50 Hz, whose log10 round trips land just outside
    // the measured band (10^log10(2000) > 2000, 10^log10(50) < 50): Z′ there is the end value,
    // so the cell's Z′ rise is 16 − 1 = 15 at √(2000·50) Hz
    const f = [2000, 1000, 500, 200, 100, 50];
    expect(10 ** Math.log10(2000)).toBeGreaterThan(2000);
    const s = sp(f, [1, 2, 4, 7, 11, 16], [1, 2, 3, 4, 5, 6]);
    const g = initialGuesses(parseCircuit('R0-p(R1,C1)'), s);
    const fc = Math.sqrt(2000 * 50);
    expect(g.features.arcs).toEqual([]);
    expect(rel(g.starts[0]![1], 15)).toBeLessThan(1e-9);
    expect(rel(g.starts[0]![2], 1 / (w(fc) * 15))).toBeLessThan(1e-9);
    expect(rel(g.starts[5]![2], 1 / (w(10 * fc) * 15))).toBeLessThan(1e-9);
    expect(rel(g.starts[6]![2], 1 / (w(0.1 * fc) * 15))).toBeLessThan(1e-9);
  });

  it('a local maximum of −Z″ below zero (Z″ > 0 at low frequency, a pseudo-inductive loop) is not an arc', () => {
    // −Z″ = [0,4,8,4,0,−4,−4,−1,−4,−4,−4] smooths to [1,4,6,4,0,−3,−3.25,−2.5,−3.25,−4,−4]: j = 7 is a
    // local maximum but not above 0. The arc at j = 2 then looks for its valley up to the end: the
    // first −4 (j = 9, not the last point): closed, Z′[9] − R∞ = 40 − 1 = 39
    const v = [0, 4, 8, 4, 0, -4, -4, -1, -4, -4, -4];
    expect(smooth(v)).toEqual([1, 4, 6, 4, 0, -3, -3.25, -2.5, -3.25, -4, -4]);
    const f = Array.from({ length: 11 }, (_, k) => 10 ** (3 - k / 2));
    const ft = spectrumFeatures(sp(f, [1, 3, 8, 15, 20, 22, 25, 30, 35, 40, 41], v));
    expect(ft.arcs).toEqual([{ fHz: 100, rOhm: 39 }]);
  });

  it('no arc seen, band 1 kHz … 1 Hz (exact powers of ten): Z′ at the top edge is the measured Z′ at 1 kHz', () => {
    // 10^log10(1000) = 1000 exactly: the edge falls on the first point (t = 0 of the first segment)
    expect(10 ** Math.log10(1000)).toBe(1000);
    const g = initialGuesses(parseCircuit('R0-p(R1,C1)'), sp([1000, 100, 10, 1], [1, 3, 6, 10], [1, 2, 3, 4]));
    expect(g.features.arcs).toEqual([]);
    expect(g.starts[0]![1]).toBe(9);
    expect(rel(g.starts[0]![2], 1 / (w(Math.sqrt(1000)) * 9))).toBeLessThan(1e-12);
  });

});
