/**
 * `hcarb eis` as a user runs it. Truths: the parameters of the independent generator
 * (src/generate/eis.ts, its own element formulas), the corpus CHI660E file's own |Z| and phase
 * columns, impedance.py's fit of the corpus spectrum reproduced with scipy (χ²/dof 0.000509 on all
 * 73 points, χ² 0.0658387 on the 70 left after the 3 points with Z″ > 0 are dropped; see
 * test/eis-fit.test.ts), and D from σ worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as G from '../src/generate/eis.js';
import { CORPUS, hcarb, one } from './helpers/io.js';

const dir = mkdtempSync(join(tmpdir(), 'hcarb-eis-cli-'));
const put = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
const SAMPLE = 'samples/npnhc-eis.txt';
const corpusFile = CORPUS + 'chi/eis_chi660e_impedancepy.txt';
const HAVE = existsSync(corpusFile);
const PRESETS = ['randles', 'randles-cpe', 'two-arc', 'auto'];

type Doc = Record<string, unknown> & { undetermined: string[]; undetermined_reasons: Record<string, string>; warnings: string[] };

/** Every parameter value and standard error is null or within 1e-12…1e12; every null parameter has a reason and a warning. */
function expectHonest(d: Doc, stderr: string): void {
  const circuitKeys = /^(R|C|L|CPE|W|Wo|Ws)\d+_/;
  for (const [k, v] of Object.entries(d)) {
    if (!circuitKeys.test(k) && !/^(r_|r_ct|r_sei|c_dl|q_cpe|n_cpe|sigma_w)/.test(k)) continue;
    if (v === null) continue;
    expect(typeof v, k).toBe('number');
    expect(Math.abs(v as number), k).toBeGreaterThanOrEqual(1e-12);
    expect(Math.abs(v as number), k).toBeLessThanOrEqual(1e12);
  }
  for (const k of d.undetermined) {
    expect(d[k], k).toBeNull();
    expect(d.undetermined_reasons[k], k).toMatch(/\w/);
    // one warning per parameter, or one for the whole fit when there is none
    expect(stderr.includes(`warning: ${k} is not determined`) || /warning: no fit: .*; every parameter is reported as null/.test(stderr), k).toBe(true);
  }
  // a null parameter (not its SE) is always listed as undetermined
  for (const [k, v] of Object.entries(d)) if (circuitKeys.test(k) && !k.endsWith('_se') && !k.includes('_d_') && v === null) expect(d.undetermined, k).toContain(k);
}

describe.skipIf(!HAVE)('the corpus CHI660E spectrum (impedance.py example data)', () => {
  it.each(PRESETS)('--model %s: no value beyond 1e-12…1e12, nulls with reasons, warnings, exit 0', (m) => {
    const r = hcarb(['eis', corpusFile, '--model', m, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = one(r.stdout) as Doc;
    expectHonest(d, r.stderr);
    expect(d.undetermined.length).toBeGreaterThan(0); // every preset leaves something open on this spectrum
    expect(r.stderr).toMatch(/warning: /);
    // the table a person reads does not print such values either, and fits 80 columns
    const t = hcarb(['eis', corpusFile, '--model', m, '--format', 'table'], { env: { COLUMNS: '80' } });
    expect(t.code).toBe(0);
    for (const l of t.stdout.split('\n')) expect([...l].length, l).toBeLessThanOrEqual(80);
    expect(t.stdout).not.toMatch(/e[+-](1[3-9]|[2-9]\d|\d{3})\b/);
    expect(t.stdout).toMatch(/not determined/);
  });

  it("R0-p(R1,CPE1)-p(R2,CPE2) reaches impedance.py's weighted χ²/dof: all 73 points (--keep-inductive) and the 70 capacitive ones", () => {
    const all = one(hcarb(['eis', corpusFile, '--model', 'R0-p(R1,CPE1)-p(R2,CPE2)', '--keep-inductive', '--json']).stdout) as Doc;
    expect(all.points).toBe(73);
    expect(all.chi2_dof as number).toBeLessThanOrEqual(0.00052); // impedance.py 0.000509, same points and weighting
    const r = hcarb(['eis', corpusFile, '--model', 'R0-p(R1,CPE1)-p(R2,CPE2)', '--json']);
    const cropped = one(r.stdout) as Doc;
    expect(cropped.points).toBe(70);
    expect(r.stderr).toMatch(/left out 3 inductive high-frequency point\(s\) \(Z″ > 0 at 5\.625e\+4–8\.252e\+4 Hz\); add an L to the circuit or keep them with --keep-inductive/);
    expect(cropped.chi2_dof as number).toBeLessThanOrEqual(0.0658387 / 133 * 1.00001); // scipy's optimum on these 70 points
    expect(cropped.undetermined).toEqual(['R2_ohm']); // the second arc never closes (scipy: R2 → 1e10…1e11 Ω)
    expect(cropped.R0_ohm as number).toBeCloseTo(96.01, 1); // scipy
    expect(cropped.converged).toBe(false);
  });

  it('auto prefers a two-arc circuit and lists every preset with χ²/dof, AIC and BIC', () => {
    const r = hcarb(['eis', corpusFile, '--model', 'auto', '--json']);
    expect(r.code).toBe(0);
    const d = one(r.stdout) as Doc & { candidates: { model: string; chi2_dof: number; aic: number; bic: number; chosen: boolean }[] };
    expect(d.model).toMatch(/^two-arc/);
    expect(d.circuit).toMatch(/p\(R1,CPE1\)-p\(R2,CPE2\)/);
    expect(d.candidates.map((c) => c.model.replace('+L0', '')).sort()).toEqual(['randles', 'randles-cpe', 'two-arc']);
    const best = d.candidates.find((c) => c.chosen)!;
    expect(best.aic).toBe(Math.min(...d.candidates.map((c) => c.aic)));
    for (const c of d.candidates) for (const k of ['chi2_dof', 'aic', 'bic'] as const) expect(Number.isFinite(c[k])).toBe(true);
    const csv = hcarb(['eis', corpusFile, '--model', 'auto', '--format', 'csv', '--fields', 'model,chosen']).stdout.trim().split('\n');
    expect(csv).toHaveLength(4);
    expect(csv.filter((l) => l.endsWith(',true'))).toEqual([`${d.model},true`]);
    const t = hcarb(['eis', corpusFile, '--model', 'auto', '--format', 'table'], { env: { COLUMNS: '80' } }).stdout;
    expect(t).toMatch(/candidates +model +χ²\/dof +AIC +BIC/);
    expect(t).toMatch(/two-arc\S* +\d\.\d\de-4 +-\d+\.\d +-\d+\.\d +chosen/);
  });

  it('a point whose columns are swapped (the fuzzer, seed 352355027): R2 runs off to infinity, and the reason says ∞, never the word Infinity', () => {
    // the 12.12 Hz line with its Z′ and |Z| columns moved: a wild point that drives the second arc off scale
    const text = readFileSync(corpusFile, 'utf8').replace(/^1\.212e\+1, 5\.975e\+2, -5\.452e\+2, 8\.088e\+2, -42\.4$/m, '1.212e+1, -42.4, 8.088e+2, 5.975e+2, -5.452e+2');
    expect(text).toContain('1.212e+1, -42.4, 8.088e+2');
    const r = hcarb(['eis', put('swapped.txt', text), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = one(r.stdout) as Doc;
    expect(d.R2_ohm).toBeNull();
    expect(d.undetermined_reasons.R2_ohm).toBe('ran off scale (∞ Ω, outside 1e-12…1e12)');
    expect(r.stdout + r.stderr).not.toMatch(/Infinity|\bNaN\b/);
  });

  it("--nyquist: Bode columns equal the file's own Z/ohm and Phase/deg; Lin-KK residuals on every point", () => {
    const text = readFileSync(corpusFile, 'utf8').split('\n').filter((l) => /^\d/.test(l)).map((l) => l.split(',').map(Number));
    const r = hcarb(['eis', corpusFile, '--nyquist', '--format', 'ndjson']);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, number | boolean | null>);
    expect(rows).toHaveLength(73);
    rows.forEach((p, k) => {
      expect(p.freq_hz).toBe(text[k]![0]);
      expect(Math.abs((p.z_mod_ohm as number) / text[k]![3]! - 1)).toBeLessThan(1e-3); // CHI writes 4 significant figures
      expect(Math.abs((p.phase_deg as number) - text[k]![4]!)).toBeLessThanOrEqual(0.05 + 0.01);
      expect(typeof p.kk_res_re_pct).toBe('number');
    });
    // the three inductive points were not fitted
    expect(rows.filter((p) => !p.fitted).map((p) => p.freq_hz)).toEqual([82520, 68120, 56250]);
    expect(rows.filter((p) => !p.fitted).every((p) => p.fit_z_re_ohm === null)).toBe(true);
  });
});

describe('degenerate spectra of our own generator: nulls with reasons, exit 0', () => {
  const cases: [string, G.Zfn, G.GenOptions][] = [
    ['every Z′ negative', G.series(G.R(-300), G.parallel(G.R(50), G.Cap(1e-5))), { noisePct: 0.3, seed: 12 }],
    ['an arc cut off before its apex', G.series(G.R(10), G.parallel(G.R(1000), G.CPE(1e-3, 0.9))), { fLow: 10, noisePct: 0.3, seed: 9 }],
    ['a plain R–CPE line', G.series(G.R(10), G.CPE(1e-4, 0.8)), { noisePct: 0.3, seed: 10 }],
    ['5 points', G.randles({ r0: 5, rct: 50, cdl: 2e-5, sigma: 30 }), { fHigh: 1e4, fLow: 1, perDecade: 1, noisePct: 0.3, seed: 11 }],
  ];
  it.each(cases)('%s', (name, z, o) => {
    const file = put(name.replace(/\W+/g, '-') + '.txt', G.chiEisText(z, o));
    for (const m of PRESETS) {
      const r = hcarb(['eis', file, '--model', m, '--json']);
      expect(r.code, `${m}: ${r.stderr}`).toBe(0);
      const d = one(r.stdout) as Doc;
      expectHonest(d, r.stderr);
      expect(r.stderr, m).toMatch(/warning: /);
    }
    if (name === 'every Z′ negative') {
      const r = hcarb(['eis', file, '--model', 'randles', '--json']);
      expect(r.stderr).toMatch(/points have Z′ < 0, which a passive cell cannot give/);
      expect((one(r.stdout) as Doc).R1_ohm).toBeNull();
    }
    if (name === '5 points') expect(hcarb(['eis', file, '--model', 'randles']).stderr).toMatch(/only 5 points for 4 free parameters/);
  });
});

describe('generated spectra', () => {
  // R_Ω 10 Ω, arcs 40 Ω at τ1 = 1e-4 s and 100 Ω at τ2 = 1e-1 s (C = τ/R)
  const twoRc = put('two-rc.txt', G.chiEisText(G.series(G.R(10), G.parallel(G.R(40), G.Cap(1e-4 / 40)), G.parallel(G.R(100), G.Cap(1e-1 / 100)))));

  it('--drt: two peaks at τ1 and τ2 within 10 %, resistances within 10 %; rows are the γ grid', () => {
    const r = hcarb(['eis', twoRc, '--drt', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = one(r.stdout) as { drt: { peaks: { tau_s: number; freq_hz: number; r_ohm: number }[]; lambda: number; gamma: unknown[] }; assumptions: Record<string, unknown> };
    expect(d.drt.peaks).toHaveLength(2);
    const [p1, p2] = [...d.drt.peaks].sort((a, b) => a.tau_s - b.tau_s);
    expect(Math.abs(p1!.tau_s / 1e-4 - 1)).toBeLessThan(0.1);
    expect(Math.abs(p2!.tau_s / 1e-1 - 1)).toBeLessThan(0.1);
    expect(Math.abs(p1!.r_ohm / 40 - 1)).toBeLessThan(0.1);
    expect(Math.abs(p2!.r_ohm / 100 - 1)).toBeLessThan(0.1);
    expect(p1!.freq_hz * 2 * Math.PI * p1!.tau_s).toBeCloseTo(1, 9);
    expect(d.assumptions.drt_lambda_source).toBe('generalised cross-validation');
    // the table lists the peaks; CSV rows are the grid (τ, f, γ)
    const t = hcarb(['eis', twoRc, '--drt', '--format', 'table'], { env: { COLUMNS: '80' } }).stdout;
    expect(t.split('\n').filter((l) => /^│ +[12] │/.test(l))).toHaveLength(2);
    const csv = hcarb(['eis', twoRc, '--drt', '--format', 'csv']).stdout.trim().split('\n');
    expect(csv[0]).toBe('file,tau_s,freq_hz,gamma_ohm');
    expect(csv.length - 1).toBe(d.drt.gamma.length);
    const given = one(hcarb(['eis', twoRc, '--drt', '--lambda', '0.001', '--json']).stdout) as { drt: { lambda: number } };
    expect(given.drt.lambda).toBe(0.001);
  });

  it('a circuit string with two RC arcs recovers them within 1 %', () => {
    const d = one(hcarb(['eis', twoRc, '--model', 'R0-p(R1,C1)-p(R2,C2)', '--json']).stdout) as Record<string, number>;
    expect(Math.abs(d.R0_ohm! / 10 - 1)).toBeLessThan(0.01);
    expect(Math.abs(d.R1_ohm! / 40 - 1)).toBeLessThan(0.01);
    expect(Math.abs(d.C1_F! / 2.5e-6 - 1)).toBeLessThan(0.01);
    expect(Math.abs(d.R2_ohm! / 100 - 1)).toBeLessThan(0.01);
    expect(Math.abs(d.C2_F! / 1e-3 - 1)).toBeLessThan(0.01);
  });

  // the Lin-KK test spectrum of test/eis-kk.test.ts: two CPE arcs and a Warburg tail, 0.1 % noise
  const TWO = G.twoArcW({ r0: 10, r1: 30, q1: 2e-5, n1: 0.9, r2: 100, q2: 5e-4, n2: 0.85, sigma: 20 });
  it('--kk: the table shows the Lin-KK verdict (pass on a valid spectrum); JSON always has it', () => {
    const valid = put('valid.txt', G.chiEisText(TWO, { noisePct: 0.1, seed: 21 }));
    const d = one(hcarb(['eis', valid, '--json']).stdout) as Record<string, unknown> & { kk: { verdict: string; max_residual_pct: number } };
    expect(d.kk.verdict).toBe('pass');
    expect(d.kk.max_residual_pct).toBeLessThan(1);
    expect(d.kk_verdict).toBe('pass');
    const t = hcarb(['eis', valid, '--kk', '--format', 'table'], { env: { COLUMNS: '80' } }).stdout;
    expect(t).toMatch(/^Lin-KK +pass$/m);
    expect(hcarb(['eis', valid, '--format', 'table'], { env: { COLUMNS: '80' } }).stdout).not.toMatch(/Lin-KK/);
  });

  it('the same spectrum with a drift in its low-frequency half fails Lin-KK with a warning', () => {
    const drift = put('drift.txt', G.chiEisText(TWO, { noisePct: 0.1, seed: 21, driftOhm: 20 }));
    const r = hcarb(['eis', drift, '--kk', '--json']);
    expect(r.code).toBe(0);
    expect((one(r.stdout) as { kk: { verdict: string } }).kk.verdict).toBe('fail');
    expect(r.stderr).toMatch(/Lin-KK: residuals up to .* exceed 1 %/);
  });
});

describe('the bundled sample (Randles: R_Ω 6.2 Ω, R_ct 180 Ω, C_dl 15 µF, σ 45 Ω s^-½)', () => {
  it('--model randles: element keys and paper names, each within 0.1 %', () => {
    const d = one(hcarb(['eis', SAMPLE, '--model', 'randles', '--json']).stdout) as Record<string, number>;
    const truth: [string, string, number][] = [['R0_ohm', 'r_ohm', 6.2], ['R1_ohm', 'r_ct_ohm', 180], ['C1_F', 'c_dl_f', 1.5e-5], ['W1_sigma_ohm_s05', 'sigma_w_ohm_s05', 45]];
    for (const [k, a, v] of truth) {
      expect(Math.abs(d[k]! / v - 1), k).toBeLessThan(1e-3);
      expect(d[a], a).toBe(d[k]);
      expect(d[a + '_se'], a).toBe(d[k + '_se']);
    }
    expect(d.converged as unknown).toBe(true);
  });

  it('--conc: D = R²T²/(2A²F⁴C²σ²) by hand; no --conc, no D', () => {
    // (8.314462618·298.15)² / (2 (π 0.6²)² 96485.33212⁴ (1e-3)² 45²) = 1.36878e-11 cm²/s
    const d = one(hcarb(['eis', SAMPLE, '--model', 'randles', '--conc', '1e-3', '--json']).stdout) as Record<string, number> & { assumptions: Record<string, unknown> };
    expect(Math.abs(d.d_cm2_s! / 1.368778e-11 - 1)).toBeLessThan(1e-3);
    expect(d.W1_d_cm2_s).toBe(d.d_cm2_s);
    expect(d.d_cm2_s_se! / d.d_cm2_s!).toBeCloseTo(2 * d.W1_sigma_ohm_s05_se! / d.W1_sigma_ohm_s05!, 12);
    expect(d.assumptions.area_source).toBe('default 12 mm disc');
    expect(d.assumptions.temp_source).toBe('default 298.15 K');
    // 318 K: D × (318/298.15)²
    const hot = one(hcarb(['eis', SAMPLE, '--model', 'randles', '--conc', '1e-3', '--temp', '318', '--json']).stdout) as Record<string, number>;
    expect(Math.abs(hot.d_cm2_s! / (1.368778e-11 * (318 / 298.15) ** 2) - 1)).toBeLessThan(1e-3);
    // a 10 mm disc: π 0.5² cm², D × (0.36/0.25)²
    const d10 = one(hcarb(['eis', SAMPLE, '--model', 'randles', '--conc', '1e-3', '--diameter', '10', '--json']).stdout) as Record<string, number>;
    expect(Math.abs(d10.d_cm2_s! / 2.838298e-11 - 1)).toBeLessThan(1e-3);
    const none = one(hcarb(['eis', SAMPLE, '--model', 'randles', '--json']).stdout) as Record<string, unknown> & { assumptions: Record<string, string> };
    expect(none).not.toHaveProperty('d_cm2_s');
    expect(none.assumptions.d).toMatch(/needs the concentration .*--conc/);
  });

  it('--fix holds a value (by key or paper name), --guess only starts from it', () => {
    const d = one(hcarb(['eis', SAMPLE, '--model', 'randles', '--fix', 'r_ohm=6', '--json']).stdout) as Record<string, number> & { assumptions: { fixed: Record<string, number> } };
    expect(d.R0_ohm).toBe(6);
    expect(d.R0_ohm_se).toBeNull();
    expect(d.assumptions.fixed).toEqual({ R0_ohm: 6 });
    const g = one(hcarb(['eis', SAMPLE, '--model', 'randles', '--guess', 'R1_ohm=20,C1_F=1e-6', '--json']).stdout) as Record<string, number>;
    expect(Math.abs(g.R1_ohm! / 180 - 1)).toBeLessThan(1e-3);
    const t = hcarb(['eis', SAMPLE, '--model', 'randles', '--fix', 'R0_ohm=6', '--fix', 'C1_F=1.5e-5', '--format', 'table'], { env: { COLUMNS: '80' } }).stdout;
    expect(t.match(/^± +fixed$/gm)).toHaveLength(2);
  });

  it('--fmin/--fmax choose the points; --weighting unit is said in the assumptions', () => {
    const d = one(hcarb(['eis', SAMPLE, '--model', 'randles', '--fmin', '1', '--fmax', '1000', '--weighting', 'unit', '--json']).stdout) as Record<string, number> & { assumptions: { weighting: string }; nyquist: unknown[] };
    expect(d.points).toBe(37); // 12 per decade, 1 Hz … 1 kHz inclusive
    expect(d.freq_min_hz).toBe(1);
    expect(d.freq_max_hz).toBe(1000);
    expect(d.nyquist).toHaveLength(37);
    expect(d.assumptions.weighting).toMatch(/^unit/);
  });

  it('usage errors name what is wrong (exit 2)', () => {
    const cases: [string[], RegExp][] = [
      [['--model', 'R0-p(R1,C1'], /circuit 'R0-p\(R1,C1': expected ',' or '\)' but found the end at position 11/],
      [['--model', 'randles', '--fix', 'R9_ohm=3'], /--fix R9_ohm: the circuit R0-p\(C1,R1-W1\) has no such parameter \(it has R0_ohm, C1_F, R1_ohm, W1_sigma_ohm_s05\)/],
      [['--fix', 'R0_ohm'], /--fix takes NAME=VALUE/],
      [['--model', 'auto', '--fix', 'R0_ohm=5'], /--fix and --guess need one circuit/],
      [['--fmin', '100', '--fmax', '10'], /--fmin \(100 Hz\) must be below --fmax \(10 Hz\)/],
      [['--conc', '0'], /--conc must be a positive number/],
    ];
    for (const [args, msg] of cases) {
      const r = hcarb(['eis', SAMPLE, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
  });
});
