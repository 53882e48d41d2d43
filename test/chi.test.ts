// CHI exports: every corpus file parses; generated spectra and voltammograms with known answers.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseChiText } from '../src/readers/chi/chi.js';
import { chiCvText, chiEisText } from '../src/generate/chi.js';
import { CORPUS, HAVE_CORPUS, hcarb, one } from './helpers/io.js';

const dir = mkdtempSync(join(tmpdir(), 'hcarb-chi-'));
const put = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };

describe.skipIf(!HAVE_CORPUS)('every CHI file in the corpus parses', () => {
  // technique, model, number of parameters, number of points, columns, what else is special
  it.each([
    ['cv_chi1100b_ferricyanide_20mVs.csv', 'cv', 'CHI1100B', 9, 6000, ['potentialV', 'currentA']],
    ['cv_chi1100b_ferricyanide_200mVs.csv', 'cv', 'CHI1100B', 9, 6000, ['potentialV', 'currentA']],
    ['cv_chi760e_partial_segments_crlf.txt', 'cv', 'CHI760E', 9, 1400, ['potentialV', 'currentA']],
    ['dpv_chi1040c_tab_phantom_time.txt', 'dpv', 'CHI1040C', 9, 25, ['potentialV', 'currentA']],
    ['eis_chi660e_impedancepy.txt', 'eis', 'CHI660E', 6, 73, ['freqHz', 'zReOhm', 'zImOhm', 'zModOhm', 'phaseDeg']],
    ['lsv_chi760e_crlf.txt', 'lsv', 'CHI760E', 6, 500, ['potentialV', 'currentA']],
  ] as const)('%s', (file, kind, model, nParams, points, cols) => {
    const f = parseChiText(readFileSync(CORPUS + 'chi/' + file, 'utf8'), file);
    expect(f.kind).toBe(kind);
    expect(f.model).toBe(model);
    expect(f.parameters).toHaveLength(nParams);
    expect(f.data[0]!.length).toBe(points);
    expect(f.columns.map((c) => c.canonical)).toEqual(cols);
  });

  it('keeps units, flags, results and quirks', () => {
    const eis = parseChiText(readFileSync(CORPUS + 'chi/eis_chi660e_impedancepy.txt', 'utf8'), 'e');
    expect(eis.parameters.find((p) => p.key === 'High Frequency')).toMatchObject({ unit: 'Hz', value: 2e6 });
    expect(eis.parameters.find((p) => p.key === 'Cycles')).toMatchObject({ unit: '.1-1Hz', value: 1 });
    expect(eis.flags).toEqual(['Imp SF']);
    expect(eis.date).toBe('2020-02-20T15:55:08');
    const dpv = parseChiText(readFileSync(CORPUS + 'chi/dpv_chi1040c_tab_phantom_time.txt', 'utf8'), 'd');
    expect(dpv.phantomColumns).toEqual(['Time/s']);
    expect(dpv.results.map((r) => [r.name, r.value, r.unit])).toEqual([['Ep', 0.584, 'V'], ['ip', -1.618e-7, 'A'], ['Ap', -1.423e-8, 'VA']]);
    const part = hcarb(['cv', CORPUS + 'chi/cv_chi760e_partial_segments_crlf.txt', '--json']);
    expect(part.code).toBe(0);
    expect(part.stderr).toMatch(/the header says Segment = 6 but the data hold 2 sweep\(s\)/);
  });

  it('hcarb inspect reports a CHI file', () => {
    const r = hcarb(['inspect', CORPUS + 'chi/eis_chi660e_impedancepy.txt', '--json']);
    expect(r.code).toBe(0);
    expect(one(r.stdout)).toMatchObject({ instrument: 'CHI', technique: 'A.C. Impedance', model: 'CHI660E', points: 73 });
  });

  it('the corpus impedance spectrum: R_Ω at the high-frequency intercept; the open second arc is null, not a number', () => {
    const r = hcarb(['eis', CORPUS + 'chi/eis_chi660e_impedancepy.txt', '--json']);
    expect(r.code).toBe(0);
    const d = one(r.stdout) as { model: string; converged: boolean; r_ohm: number; R0_ohm: number; r_ct_ohm: number | null; undetermined: string[]; nyquist: unknown[] };
    expect(d.model).toBe('two-arc'); // the default
    expect(d.r_ohm).toBeGreaterThan(95);
    expect(d.r_ohm).toBeLessThan(105); // the high-frequency intercept is 99 Ω
    expect(d.R0_ohm).toBe(d.r_ohm);
    // the second arc never closes in 0.1 Hz…100 kHz (scipy's fit of the same circuit: R2 → 1e10…1e11 Ω)
    expect(d.r_ct_ohm).toBeNull();
    expect(d.undetermined).toContain('R2_ohm');
    expect(d.converged).toBe(false);
    expect(r.stderr).toMatch(/warning: R2_ohm is not determined by this spectrum: ran off scale/);
    expect(d.nyquist).toHaveLength(73);
  });

  it('the corpus scan-rate pair: one b per peak from baseline-corrected currents, the two peaks agreeing, no R² from two rates', () => {
    const r = hcarb(['cv', CORPUS + 'chi/cv_chi1100b_ferricyanide_20mVs.csv', CORPUS + 'chi/cv_chi1100b_ferricyanide_200mVs.csv', '--b-value', '--json']);
    expect(r.code).toBe(0);
    const d = one(r.stdout) as { file: string; files: string[]; cycle: number; peaks: { direction: string; rank: number; b: number; b_se: number | null; r2: number | null; scan_rates_v_s: number[] }[] };
    expect(d.file).toBe('b-value');
    expect(d.files).toHaveLength(2);
    expect(d.cycle).toBe(2);
    expect(d.peaks.map((p) => [p.direction, p.rank])).toEqual([['anodic', 1], ['cathodic', 1]]);
    for (const p of d.peaks) {
      expect(p.scan_rates_v_s).toEqual([0.02, 0.2]);
      // One couple: with the background taken out, both peaks give the same b (issue 14: raw currents gave 0.48 and 0.38).
      // Quasi-reversible at a GC electrode (ΔEp grows from 0.14 to 0.26 V), so i_p grows more slowly than v^½.
      expect(p.b).toBeGreaterThan(0.3);
      expect(p.b).toBeLessThan(0.5);
      expect(p.b_se).toBeNull();
      expect(p.r2).toBeNull();
    }
    expect(Math.abs(d.peaks[0]!.b - d.peaks[1]!.b)).toBeLessThan(0.05);
    expect(r.stderr).toMatch(/b-value: warning: with two scan rates the b-value has no standard error/);
  });
});

describe('EIS fit of generated spectra (written with 4 significant figures, like CHI)', () => {
  it('Randles: every parameter within 1 %', () => {
    const truth = [5, 50, 2e-5, 30];
    const r = hcarb(['eis', put('randles.txt', chiEisText('randles', truth)), '--model', 'randles', '--json']);
    expect(r.code).toBe(0);
    const d = one(r.stdout) as Record<string, number>;
    ['r_ohm', 'r_ct_ohm', 'c_dl_f', 'sigma_w_ohm_s05'].forEach((k, i) => expect(Math.abs(d[k]! / truth[i]! - 1)).toBeLessThan(0.01));
    ['R0_ohm', 'R1_ohm', 'C1_F', 'W1_sigma_ohm_s05'].forEach((k, i) => expect(Math.abs(d[k]! / truth[i]! - 1)).toBeLessThan(0.01));
    expect(d.r_ct_ohm_se).toBeGreaterThan(0);
  });
  it('Randles with a CPE: every parameter within 1 %', () => {
    const truth = [12, 180, 4e-5, 0.82, 60];
    const r = hcarb(['eis', put('cpe.txt', chiEisText('randles-cpe', truth, { crlf: true })), '--model', 'randles-cpe', '--json']);
    expect(r.code).toBe(0);
    const d = one(r.stdout) as Record<string, number>;
    ['r_ohm', 'r_ct_ohm', 'q_cpe', 'n_cpe', 'sigma_w_ohm_s05'].forEach((k, i) => expect(Math.abs(d[k]! / truth[i]! - 1)).toBeLessThan(0.01));
    ['R0_ohm', 'R1_ohm', 'CPE1_q', 'CPE1_n', 'W1_sigma_ohm_s05'].forEach((k, i) => expect(Math.abs(d[k]! / truth[i]! - 1)).toBeLessThan(0.01));
  });
});

describe('CV of generated voltammograms', () => {
  // A hard-carbon-like CV from 2.5 V down to 0.01 V and back, 3 cycles at 0.5 mV/s:
  // anodic peak at 0.120 V, cathodic at 0.050 V, and an SEI peak at 0.600 V in cycle 1 only.
  const text = chiCvText({ low: 0.01, high: 2.5, init: 2.5, initDir: 'N', rate: 0.0005, segments: 6, anodic: [{ e: 0.12, height: 2e-4, width: 0.03 }], cathodic: [{ e: 0.05, height: 3e-4, width: 0.02 }], firstCycleOnly: [{ e: 0.6, height: 6e-4, width: 0.05 }], capF: 0.02 });
  it('finds each peak within one sample interval and flags the first-cycle SEI peak only', () => {
    const r = hcarb(['cv', put('hc.txt', text), '--json']);
    expect(r.code).toBe(0);
    const d = one(r.stdout) as { sweeps: { cycle: number; direction: string; ep_v: number; flags: string[]; delta_ep_v: number }[]; peaks: { sweep: number; ep_v: number; ip_a: number; flags: string[] }[]; sei: { sweep: number; ep_v: number }[] };
    expect(d.sweeps).toHaveLength(6);
    expect(d.sweeps[0]!.direction).toBe('cathodic');
    // Cycle 1's cathodic sweep holds the SEI peak (6e-4 A, the largest) and the sodiation peak.
    expect(d.sei).toHaveLength(1);
    expect(d.sei[0]!.sweep).toBe(1);
    expect(Math.abs(d.sei[0]!.ep_v - 0.6)).toBeLessThanOrEqual(0.001);
    expect(d.peaks.filter((p) => p.flags.includes('sei')).map((p) => p.sweep)).toEqual([1]);
    expect(d.sweeps.map((s) => s.flags.includes('sei'))).toEqual([true, false, false, false, false, false]);
    for (const s of d.sweeps.slice(2)) expect(Math.abs(s.ep_v - (s.direction === 'anodic' ? 0.12 : 0.05))).toBeLessThanOrEqual(0.001);
    expect(d.sweeps[2]!.delta_ep_v).toBeCloseTo(0.07, 3);
  });
  it('--current-sign cathodic-positive reads a mirrored file the same way, and says so', () => {
    const mirrored = chiCvText({ low: -0.5, high: 0.5, init: -0.5, initDir: 'P', rate: 0.05, segments: 2, anodic: [{ e: 0.2, height: 1e-5, width: 0.05 }], cathodic: [{ e: 0.1, height: 1e-5, width: 0.05 }], cathodicPositive: true });
    const r = hcarb(['cv', put('mirror.txt', mirrored), '--current-sign', 'cathodic-positive', '--json']);
    const d = one(r.stdout) as { sweeps: { direction: string; ep_v: number; ip_a: number }[]; assumptions: { current_sign: string; current_sign_source: string } };
    expect(d.sweeps.map((s) => s.direction)).toEqual(['anodic', 'cathodic']);
    expect(Math.abs(d.sweeps[0]!.ep_v - 0.2)).toBeLessThanOrEqual(0.001);
    expect(Math.abs(d.sweeps[1]!.ep_v - 0.1)).toBeLessThanOrEqual(0.001);
    expect(d.sweeps[0]!.ip_a).toBeGreaterThan(0);
    expect(d.sweeps[1]!.ip_a).toBeLessThan(0);
    expect(d.assumptions).toMatchObject({ current_sign: 'cathodic-positive', current_sign_source: 'option' });
  });
  it.each([0.5, 1])('b = %s is recovered within 0.02 from five scan rates', (b) => {
    const rates = [0.0001, 0.0002, 0.0005, 0.001, 0.002];
    const files = rates.map((v, k) => put(`b${b}-${k}.txt`, chiCvText({ low: -0.2, high: 0.6, init: -0.2, initDir: 'P', rate: v, segments: 2, anodic: [{ e: 0.25, height: 1e-3 * (v / 0.001) ** b, width: 0.04 }], cathodic: [{ e: 0.15, height: 1e-3 * (v / 0.001) ** b, width: 0.04 }], capF: 1e-3 })));
    const r = hcarb(['cv', ...files, '--b-value', '--cycle', '1', '--json']);
    expect(r.code).toBe(0);
    const d = one(r.stdout) as { peaks: { direction: string; rank: number; b: number; b_se: number; r2: number }[] };
    for (const dir of ['anodic', 'cathodic']) {
      const p = d.peaks.find((q) => q.direction === dir && q.rank === 1)!;
      expect(Math.abs(p.b - b)).toBeLessThan(0.02);
      expect(p.b_se).toBeGreaterThanOrEqual(0);
      expect(p.r2).toBeGreaterThan(0.99);
    }
  });
});

function swapLines(text: string, a: number, b: number): string {
  const l = text.split('\n');
  [l[a - 1], l[b - 1]] = [l[b - 1]!, l[a - 1]!];
  return l.join('\n');
}

describe('bad CHI input', () => {
  const good = chiEisText('randles', [5, 50, 2e-5, 30]);
  it.each([
    ['not a CHI export', ['eis', put('x.txt', 'hello world\nthis is not it\n')], 1, /x\.txt:1: not a CHI export: expected a date \(e\.g\. 'Feb\. 20, 2020   15:55:08'\) on line 1 and the technique on line 2, found 'hello world'/],
    ['eis on a CV file', ['eis', put('cv.txt', chiCvText({ low: 0, high: 1, init: 0, initDir: 'P', rate: 0.1, segments: 2, anodic: [], cathodic: [] }))], 1, /cv\.txt:2: this is a Cyclic Voltammetry file; hcarb eis needs EIS data \(try hcarb cv\)/],
    ['cv on an EIS file', ['cv', put('e.txt', good)], 1, /e\.txt:2: this is a A\.C\. Impedance file; hcarb cv needs CV, LSV or DPV data \(try hcarb eis\)/],
    ['few points: a warning, not a refusal', ['eis', put('few.txt', chiEisText('randles', [5, 50, 2e-5, 30], { fHigh: 1e3, fLow: 100, perDecade: 5 })), '--model', 'randles'], 0, /warning: only 6 points for 4 free parameters \(at least 12 are advisable\)/],
    ['non-monotonic frequencies', ['eis', put('nm.txt', swapLines(good, 20, 21))], 1, /nm\.txt:21: frequencies are not monotonic \(68130 Hz then 82540 Hz\)/],
    ['a fit whose optimiser stops short', ['eis', put('slow.txt', chiEisText('randles', [5, 50, 2e-5, 30], { fHigh: 1e3, fLow: 100, perDecade: 5 })), '--model', 'two-arc', '--max-iter', '1'], 1, /warning: the optimiser did not meet its convergence criteria after \d+ iterations/],
    ['a LAND command on a CHI file', ['ice', put('c.txt', good)], 1, /c\.txt:2: this is a CHI A\.C\. Impedance export, not cycler records; use hcarb eis/],
    ['a non-numeric data cell', ['eis', put('nn.txt', good.replace(/\n(1\.000e\+3), /, '\n1.0O0e+3, '))], 1, /nn\.txt:\d+: '1\.0O0e\+3' is not a number \(column 1, 'Freq\/Hz'\)/],
  ] as const)('%s', (_n, args, code, message) => {
    const r = hcarb([...args]);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  it('a fit whose optimiser stops short still prints its best parameters, and exits 1', () => {
    const r = hcarb(['eis', put('slow2.txt', chiEisText('randles', [5, 50, 2e-5, 30], { fHigh: 1e3, fLow: 100, perDecade: 5 })), '--model', 'two-arc', '--max-iter', '1', '--json']);
    expect(r.code).toBe(1);
    const d = one(r.stdout) as { converged: boolean; r_ohm: number };
    expect(d.converged).toBe(false);
    expect(d.r_ohm).toBeGreaterThan(4);
    expect(d.r_ohm).toBeLessThan(6); // R_Ω = 5 Ω in the generated file
  });
});

describe('cv with per-file masses', () => {
  it('--masses gives the currents in A/g: i / m', () => {
    const m = put('masses.csv', 'file,mass_mg\nnpnhc-cv-0.5mVs.txt,2\n');
    const r = hcarb(['cv', 'samples/npnhc-cv-0.5mVs.txt', '--masses', m, '--json']);
    expect(r.code).toBe(0);
    const d = one(r.stdout) as { sweeps: { ip_a: number; ip_a_g: number }[] };
    for (const s of d.sweeps) expect(s.ip_a_g).toBeCloseTo(s.ip_a / 0.002, 12);
  });
});
