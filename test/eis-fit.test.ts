/**
 * CNLS fit of circuits. Truths: spectra of the independent generator (src/generate/eis.ts, its own
 * element formulas) written as CHI text with 4 significant figures and 0.3 % noise; the corpus
 * CHI660E spectrum against impedance.py's fit (scipy curve_fit, sigma = |Z| on real and imaginary
 * parts, bounds [0, ∞), n ≤ 1 — reproduced with scipy 1.17: χ²/dof = 0.000509 on all 73 points,
 * 0.000495 on the 70 left after dropping the 3 points with Z″ > 0, R2 → 1e10…1e11 Ω, i.e. the
 * second arc never closes); hand-worked D from σ.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { parseChiText, column } from '../src/readers/chi/chi.js';
import { fitAuto, fitCircuit, fitRow, type EisFit } from '../src/analysis/eis/fit.js';
import { PRESETS } from '../src/analysis/eis/circuit.js';
import type { Spectrum } from '../src/analysis/eis/spectrum.js';
import { warburgD, warburgDFromFit, DISC_12MM_CM2 } from '../src/analysis/eis/warburg.js';
import * as G from '../src/generate/eis.js';
import { CORPUS } from './helpers/io.js';
import { UsageError } from '../src/errors.js';

function spectrumOf(text: string): Spectrum {
  const f = parseChiText(text, 'gen.txt');
  return { f: column(f, 'freqHz')!, re: column(f, 'zReOhm')!, im: column(f, 'zImOhm')! };
}
const value = (f: EisFit, key: string) => f.params.find((p) => p.key === key)!.value;
function expectRecovered(f: EisFit, truth: Record<string, number>) {
  for (const [k, v] of Object.entries(truth)) {
    const got = value(f, k);
    expect(got, k).not.toBeNull();
    if (k.endsWith('_n')) expect(Math.abs(got! - v), k).toBeLessThan(0.02);
    else expect(Math.abs(got! / v - 1), `${k}: ${got} vs ${v}`).toBeLessThan(0.03);
  }
}
/** No parameter outside 1e-12…1e12 in its unit (n in (0, 1]); every null has a reason and a warning. */
function expectHonest(f: EisFit) {
  for (const p of f.params) {
    if (p.value === null) {
      expect(f.undetermined.some((u) => u.key === p.key), p.key).toBe(true);
      expect(f.warnings.some((w) => w.includes(p.key) || w.includes('every parameter is reported as null')), p.key).toBe(true);
    } else if (p.key.endsWith('_n')) expect(p.value > 0 && p.value <= 1, p.key).toBe(true);
    else expect(p.value >= 1e-12 && p.value <= 1e12, `${p.key} = ${p.value}`).toBe(true);
    if (p.se !== null) expect(p.value !== null && p.se <= Math.abs(p.value), p.key).toBe(true);
  }
}

const TWO = { r0: 10, r1: 30, q1: 2e-5, n1: 0.9, r2: 100, q2: 5e-4, n2: 0.85, sigma: 20 };
const TWO_KEYS = { R0_ohm: TWO.r0, R1_ohm: TWO.r1, CPE1_q: TWO.q1, CPE1_n: TWO.n1, R2_ohm: TWO.r2, CPE2_q: TWO.q2, CPE2_n: TWO.n2, W1_sigma_ohm_s05: TWO.sigma };

describe('generated spectra (CHI text, 4 significant figures, 0.3 % noise) recovered from our own guesses', () => {
  it('two arcs + Warburg: within 3 % (n within 0.02), converged, χ²/dof ≈ noise², auto picks two-arc', () => {
    const s = spectrumOf(G.chiEisText(G.twoArcW(TWO), { noisePct: 0.3, seed: 3 }));
    const f = fitCircuit(s, 'two-arc');
    expectRecovered(f, TWO_KEYS);
    expect(f.converged).toBe(true);
    expect(f.undetermined).toEqual([]);
    // residuals are 0.3 % of |Z| per part: χ²/dof ≈ 0.003² = 9e-6
    expect(f.chi2_dof!).toBeGreaterThan(0.6 * 9e-6);
    expect(f.chi2_dof!).toBeLessThan(1.6 * 9e-6);
    const row = fitRow(f);
    expect(row.r_ct_ohm).toBe(row.R2_ohm);
    expect(row.r_sei_ohm).toBe(row.R1_ohm);
    expect(typeof row.R1_ohm_se).toBe('number');
    const a = fitAuto(s);
    expect(a.best.preset).toBe('two-arc');
    expect(a.candidates.map((c) => c.preset)).toEqual(Object.keys(PRESETS));
  });
  it('the same with a series inductance, measured from 1 MHz: L kept and recovered; auto adds L0', () => {
    const s = spectrumOf(G.chiEisText(G.twoArcW({ ...TWO, l: 2e-7 }), { fHigh: 1e6, noisePct: 0.3, seed: 4 }));
    const f = fitCircuit(s, 'L0-R0-p(R1,CPE1)-p(R2,CPE2)-W1');
    expectRecovered(f, { ...TWO_KEYS, L0_H: 2e-7 });
    expect(f.converged).toBe(true);
    expect(f.cropped_hz).toEqual([]);
    // without an L the inductive points are cropped, with a note
    const g = fitCircuit(s, 'two-arc');
    expect(g.cropped_hz.length).toBeGreaterThan(0);
    expect(g.warnings.join('\n')).toMatch(/left out \d+ inductive high-frequency point\(s\)/);
    expect(fitAuto(s).best.preset).toBe('two-arc+L0');
  });
  it('noisy Randles: within 3 %, auto picks randles', () => {
    const s = spectrumOf(G.chiEisText(G.randles({ r0: 5, rct: 50, cdl: 2e-5, sigma: 30 }), { noisePct: 0.3, seed: 5 }));
    const f = fitCircuit(s, 'randles');
    expectRecovered(f, { R0_ohm: 5, R1_ohm: 50, C1_F: 2e-5, W1_sigma_ohm_s05: 30 });
    expect(fitRow(f).r_ct_ohm).toBe(value(f, 'R1_ohm'));
    expect(f.converged).toBe(true);
    expect(fitAuto(s).best.preset).toBe('randles');
  });
  it('recovery does not hang on a lucky seed: four noise draws each, within 3 %', () => {
    for (let seed = 41; seed <= 44; seed++) {
      expectRecovered(fitCircuit(spectrumOf(G.chiEisText(G.twoArcW(TWO), { noisePct: 0.3, seed })), 'two-arc'), TWO_KEYS);
      expectRecovered(fitCircuit(spectrumOf(G.chiEisText(G.randles({ r0: 20, rct: 300, cdl: 5e-6, sigma: 100 }), { noisePct: 0.3, seed })), 'randles'), { R0_ohm: 20, R1_ohm: 300, C1_F: 5e-6, W1_sigma_ohm_s05: 100 });
    }
  });
  it('auto: of presets within ΔAIC < 2 the simpler one is chosen', () => {
    // seed 8 of this Randles spectrum gives randles-cpe an AIC lower by less than 2
    const a = fitAuto(spectrumOf(G.chiEisText(G.randles({ r0: 20, rct: 300, cdl: 5e-6, sigma: 100 }), { noisePct: 0.3, seed: 8 })));
    const aic = Object.fromEntries(a.candidates.map((c) => [c.preset, c.aic!]));
    expect(aic['randles-cpe']!).toBeLessThan(aic.randles!);
    expect(aic.randles! - aic['randles-cpe']!).toBeLessThan(2);
    expect(a.best.preset).toBe('randles');
    expect(a.warnings[0]).toMatch(/randles-cpe has an AIC lower by 1\.\d\d < 2 but more parameters/);
  });
  it('finite-length Warburg elements (Wo, Ws) are recovered', () => {
    const zo = G.series(G.R(8), G.parallel(G.R(40), G.Cap(1e-5)), G.Wo(60, 5));
    const fo = fitCircuit(spectrumOf(G.chiEisText(zo, { noisePct: 0.2, seed: 6, fLow: 0.005 })), 'R0-p(R1,C1)-Wo1');
    expectRecovered(fo, { R0_ohm: 8, R1_ohm: 40, C1_F: 1e-5, Wo1_z0_ohm: 60, Wo1_tau_s: 5 });
    const zs = G.series(G.R(8), G.parallel(G.R(40), G.Cap(1e-5)), G.Ws(60, 5));
    const fs = fitCircuit(spectrumOf(G.chiEisText(zs, { noisePct: 0.2, seed: 7, fLow: 0.005 })), 'R0-p(R1,C1)-Ws1');
    expectRecovered(fs, { R0_ohm: 8, R1_ohm: 40, C1_F: 1e-5, Ws1_z0_ohm: 60, Ws1_tau_s: 5 });
  });
  it('--fix holds a value, --guess is accepted, unknown names are a usage error', () => {
    const s = spectrumOf(G.chiEisText(G.randles({ r0: 5, rct: 50, cdl: 2e-5, sigma: 30 }), { noisePct: 0.3, seed: 5 }));
    const f = fitCircuit(s, 'randles', { fix: { r_ohm: 5 }, guess: { R1_ohm: 10 } });
    expect(f.params[0]).toMatchObject({ key: 'R0_ohm', value: 5, fixed: true, se: null });
    expect(f.free_params).toBe(3);
    expectRecovered(f, { R1_ohm: 50, C1_F: 2e-5 });
    expect(() => fitCircuit(s, 'randles', { fix: { R9_ohm: 1 } })).toThrow(UsageError);
    expect(() => fitCircuit(s, 'randles-cpe', { fix: { CPE1_n: 1.2 } })).toThrow(/must be in \(0, 1\]/);
  });
});

describe('degenerate spectra: nothing outside 1e-12…1e12, nulls with reasons', () => {
  const rand = spectrumOf(G.chiEisText(G.randles({ r0: 5, rct: 50, cdl: 2e-5, sigma: 30 }), { noisePct: 0.3, seed: 8 }));
  const negative: Spectrum = { ...rand, re: rand.re.map((x) => -x) };
  // an arc with its apex at 0.16 Hz measured only down to 10 Hz
  const cut = spectrumOf(G.chiEisText(G.series(G.R(10), G.parallel(G.R(1000), G.CPE(1e-3, 0.9))), { fLow: 10, noisePct: 0.3, seed: 9 }));
  const line = spectrumOf(G.chiEisText(G.series(G.R(10), G.CPE(1e-4, 0.8)), { noisePct: 0.3, seed: 10 }));
  const five = spectrumOf(G.chiEisText(G.randles({ r0: 5, rct: 50, cdl: 2e-5, sigma: 30 }), { fHigh: 1e4, fLow: 1, perDecade: 1, noisePct: 0.3, seed: 11 }));
  it('every Z′ negative: no fit, every value null, the warning says non-physical', () => {
    for (const m of Object.keys(PRESETS)) {
      const f = fitCircuit(negative, m);
      expect(f.params.every((p) => p.value === null)).toBe(true);
      expect(f.warnings.join('\n')).toMatch(/have Z′ < 0, which a passive cell cannot give/);
      expect(f.converged).toBe(false);
      expectHonest(f);
    }
  });
  it('an arc cut off before its apex: the arc is flagged as not closed or its R is null', () => {
    expect(five.f.length).toBe(5);
    for (const m of Object.keys(PRESETS)) {
      const f = fitCircuit(cut, m);
      expectHonest(f);
      const r = value(f, 'R1_ohm');
      if (r !== null && r > Math.max(...cut.re)) expect(f.warnings.join('\n')).toMatch(/arc not closed/);
    }
  });
  it('an arc whose apex is measured but not its end: "arc not closed"', () => {
    const partial = spectrumOf(G.chiEisText(G.series(G.R(10), G.parallel(G.R(1000), G.CPE(1e-3, 0.9))), { fLow: 0.1, noisePct: 0.3, seed: 9 }));
    const f = fitCircuit(partial, 'R0-p(R1,CPE1)');
    expectHonest(f);
    expect(Math.max(...partial.re)).toBeLessThan(700);
    expect(value(f, 'R1_ohm')! / 1000 - 1).toBeLessThan(0.03);
    expect(f.warnings.join('\n')).toMatch(/arc not closed: with R1_ohm = 99\d\.\d Ω the resistances add up to 10\d\d Ω, beyond the largest measured Z′ \(6\d\d\.\d Ω\)/);
    expect(f.warnings.join('\n')).toMatch(/within noise of zero/);
  });
  it('a plain R–CPE line, 5 points: honest under every preset', () => {
    for (const s of [line, five]) for (const m of Object.keys(PRESETS)) expectHonest(fitCircuit(s, m));
    expect(fitCircuit(five, 'randles').warnings.join('\n')).toMatch(/only 5 points for 4 free parameters \(at least 12 are advisable\)/);
  });
  it('a few negative Z′ points are warned about', () => {
    const s = { ...rand, re: rand.re.map((x, k) => (k === 0 ? -x : x)) };
    expect(fitCircuit(s, 'randles').warnings.join('\n')).toMatch(/1 of \d+ points have Z′ < 0/);
  });
});

const corpusFile = CORPUS + 'chi/eis_chi660e_impedancepy.txt';
describe.skipIf(!existsSync(corpusFile))('corpus CHI660E spectrum (impedance.py example data)', () => {
  const s = existsSync(corpusFile) ? spectrumOf(readFileSync(corpusFile, 'utf8')) : null!;
  it('R0-p(R1,CPE1)-p(R2,CPE2) reaches impedance.py\'s χ²/dof on the same points and weighting; R2 never closes and is null', () => {
    const all = fitCircuit(s, 'R0-p(R1,CPE1)-p(R2,CPE2)', { keepInductive: true });
    expect(all.points).toBe(73);
    expect(all.chi2_dof!).toBeLessThanOrEqual(0.00052);
    expect(all.chi2_dof!).toBeLessThanOrEqual(0.0005088);
    const cropped = fitCircuit(s, 'R0-p(R1,CPE1)-p(R2,CPE2)');
    expect(cropped.points).toBe(70);
    // scipy's optimum on these 70 points: χ² = 0.0658387 (R2 → ∞ in both); χ²/dof = χ²/(140 − 7)
    expect(Math.abs(cropped.chi2! / 0.0658387 - 1)).toBeLessThan(1e-5);
    // χ² recomputed here from the returned model values: Σ (ΔZ′² + ΔZ″²)/|Z|²
    let chi2 = 0;
    cropped.used.f.forEach((_, k) => { chi2 += ((cropped.fit_re![k]! - cropped.used.re[k]!) ** 2 + (cropped.fit_im![k]! - cropped.used.im[k]!) ** 2) / (cropped.used.re[k]! ** 2 + cropped.used.im[k]! ** 2); });
    expect(cropped.chi2! / chi2 - 1).toBeCloseTo(0, 10);
    expect(cropped.chi2_dof! * 133 / chi2 - 1).toBeCloseTo(0, 10);
    expect(all.chi2_dof! * (146 - 7) / all.chi2! - 1).toBeCloseTo(0, 10);
    expect(cropped.chi2_dof!).toBeLessThanOrEqual(0.0004951);
    expect(cropped.undetermined.map((u) => u.key)).toEqual(['R2_ohm']);
    expect(cropped.undetermined[0]!.reason).toMatch(/ran off scale/);
    // scipy: R0 96.01, R1 555.6, n1 0.6805, n2 0.7777
    expect(value(cropped, 'R0_ohm')).toBeCloseTo(96.01, 1);
    expect(value(cropped, 'R1_ohm')! / 555.58 - 1).toBeLessThan(0.001);
    expect(value(cropped, 'CPE2_n')).toBeCloseTo(0.7777, 3);
    expect(cropped.converged).toBe(false);
    expectHonest(cropped);
    // Standard errors from the Jacobian reduced to the determined parameters = scipy curve_fit of
    // R0-p(R1,CPE1)-CPE2 on the same 70 points (sqrt of diag pcov, absolute_sigma=False); scipy
    // divides χ² by 2N − 6, we by 2N − 7 (R2 was a free parameter), hence √(134/133).
    const scipySe: Record<string, number> = { R0_ohm: 0.64839, R1_ohm: 25.96905, CPE1_q: 3.632869e-6, CPE1_n: 0.00927124, CPE2_q: 5.244444e-7, CPE2_n: 0.00461131 };
    for (const [k, se] of Object.entries(scipySe)) {
      const got = cropped.params.find((q) => q.key === k)!.se!;
      expect(Math.abs(got * Math.sqrt(133 / 134) / se - 1), k).toBeLessThan(0.005);
    }
  });
  it('every preset stays in range or null with a reason; auto prefers a two-arc circuit', () => {
    for (const m of Object.keys(PRESETS)) expectHonest(fitCircuit(s, m));
    expectHonest(fitCircuit(s, 'R0-p(R1,CPE1)-p(R2,CPE2)'));
    const a = fitAuto(s);
    expect(a.best.circuit).toMatch(/p\(R1,CPE1\)-p\(R2,CPE2\)/);
    for (const f of a.fits) expectHonest(f);
  });
});

describe('D from the Warburg coefficient', () => {
  it('D = R²T²/(2A²n⁴F⁴C²σ²), worked by hand', () => {
    // (8.314462618·298.15)² / (2 (π·0.36)² 96485.33212⁴ (1e-3)² 100²) = 2.7718e-12 cm² s⁻¹
    const d = warburgD(100, { concMolCm3: 1e-3 });
    expect(d.d_cm2_s / 2.771775619926995e-12 - 1).toBeLessThan(1e-9);
    expect(d.assumptions.area_cm2).toBe(DISC_12MM_CM2);
    expect(d.assumptions.temp_k).toBe(298.15);
    expect(warburgD(35, { concMolCm3: 2e-5, areaCm2: 2 }).d_cm2_s / 1.8088674591333516e-8 - 1).toBeLessThan(1e-9);
    expect(warburgD(100, { concMolCm3: 1e-3, tempK: 318 }).d_cm2_s / 3.153135855349674e-12 - 1).toBeLessThan(1e-9);
    expect(() => warburgD(100, { concMolCm3: NaN })).toThrow(/needs the concentration/);
    // from a fit: σ = 100 ± 5 gives D ± 10 %; no W, no D
    const fake = { params: [{ key: 'R0_ohm', value: 5, se: 0.1 }, { key: 'W1_sigma_ohm_s05', value: 100, se: 5 }, { key: 'W2_sigma_ohm_s05', value: null, se: null }] };
    const ds = warburgDFromFit(fake, { concMolCm3: 1e-3 });
    expect(ds.length).toBe(1);
    expect(ds[0]!.element).toBe('W1');
    expect(ds[0]!.d_se_cm2_s! / ds[0]!.d_cm2_s).toBeCloseTo(0.1, 12);
    expect(warburgDFromFit({ params: [{ key: 'Wo1_z0_ohm', value: 3, se: null }] }, { concMolCm3: 1e-3 })).toEqual([]);
  });
  it('a non-positive frequency is a data error', () => {
    expect(() => fitCircuit({ f: Float64Array.of(1, 0), re: Float64Array.of(1, 1), im: Float64Array.of(-1, -1) }, 'R0')).toThrow(/frequencies must be positive/);
  });
});
