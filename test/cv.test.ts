// CV analysis (issue 14): current sign, every peak with a baseline, no_peak reasons, SEI, channels,
// b-values, b(V) and Dunn. Truth comes from src/generate/cv.ts (which does not import the analysis),
// from worked figures, or from the instrument's own Results block.
import { describe, expect, it } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import { existsSync, readFileSync } from 'node:fs';
import { parseChiText } from '../src/readers/chi/chi.js';
import { analyseCvFile, bValues, dunn, findSweepPeaks, type CvFileAnalysis } from '../src/analysis/cv/index.js';
import { chiCvModelText, cvModel, modelCurrent, normalRng, type CvModel, type GenCvOptions } from '../src/generate/cv.js';
import { CORPUS, HAVE_CORPUS, ROOT } from './helpers/io.js';

const gen = (o: GenCvOptions, name = 'gen.txt') => parseChiText(chiCvModelText(o), name);
const run = (o: GenCvOptions, opts: Parameters<typeof analyseCvFile>[1] = {}, name = 'gen.txt') => analyseCvFile(gen(o, name), opts);
const chi = (name: string) => parseChiText(readFileSync(CORPUS + 'chi/' + name, 'utf8'), name);
const peaksOf = (r: CvFileAnalysis, sweep: number) => r.peaks.filter((p) => p.sweep === sweep);

describe('peaks on a sloping background (baseline-corrected)', () => {
  // i = [(at0 + perV·E) + Gaussian]·d at v = 1 V/s, so k1 is the current itself.
  const cases: [string, number, number, number, number][] = [
    // label, slope at 0 V (A), slope (A/V), peak height (A), width (V)
    ['flat background', 2e-6, 0, 1e-5, 0.04],
    ['rising background', 2e-6, 1e-5, 1e-5, 0.04],
    ['steep falling background', 2e-5, -3e-5, 1e-5, 0.05],
    ['narrow peak on a slope', 1e-6, 2e-5, 5e-6, 0.02],
  ];
  it.each(cases)('%s: ip within 2 %% of the peak height, Ep within 1 mV', (_l, at0, perV, h, w) => {
    const model = cvModel({ slope: { at0, perV }, k1Anodic: [{ e: 0.31, height: h, width: w }], k1Cathodic: [{ e: 0.23, height: h, width: w }] });
    const r = run({ low: -0.2, high: 0.8, init: -0.2, initDir: 'P', rate: 1, segments: 2, model });
    const an = peaksOf(r, 1), ca = peaksOf(r, 2);
    expect(an).toHaveLength(1);
    expect(ca).toHaveLength(1);
    expect(Math.abs(an[0]!.ep_v - 0.31)).toBeLessThan(0.001);
    expect(Math.abs(ca[0]!.ep_v - 0.23)).toBeLessThan(0.001);
    expect(an[0]!.ip_a / h).toBeGreaterThan(0.98);
    expect(an[0]!.ip_a / h).toBeLessThan(1.02);
    expect(ca[0]!.ip_a / -h).toBeGreaterThan(0.98);
    expect(ca[0]!.ip_a / -h).toBeLessThan(1.02);
    // The raw current at Ep includes the background: ip_raw − ip = background at Ep.
    expect(an[0]!.ip_raw_a - an[0]!.ip_a).toBeCloseTo(at0 + perV * an[0]!.ep_v, 7);
    // Half-width: full width at half height of exp(−(x/w)²) is 2·w·√ln2; charge: h·w·√π / v.
    expect(an[0]!.half_width_v!).toBeCloseTo(2 * w * Math.sqrt(Math.LN2), 3);
    expect(an[0]!.charge_c! / (h * w * Math.sqrt(Math.PI))).toBeGreaterThan(0.98);
    expect(an[0]!.charge_c! / (h * w * Math.sqrt(Math.PI))).toBeLessThan(1.02);
    expect(an[0]!.baseline).toMatch(/^linear, fitted to/);
  });

  it('finds every peak of a sweep, ranked by corrected current', () => {
    const model = cvModel({ capF: 2e-6, k1Anodic: [{ e: 0.1, height: 4e-6, width: 0.03 }, { e: 0.45, height: 1e-5, width: 0.04 }], k1Cathodic: [{ e: 0.3, height: 6e-6, width: 0.04 }] });
    const r = run({ low: -0.2, high: 0.8, init: -0.2, initDir: 'P', rate: 1, segments: 2, model });
    const an = peaksOf(r, 1);
    expect(an.map((p) => [p.rank, Math.round(p.ep_v * 1000)])).toEqual([[1, 450], [2, 100]]);
    expect(an[1]!.ip_a / 4e-6).toBeGreaterThan(0.98);
  });
});

describe('current sign', () => {
  const model = cvModel({ capF: 2e-5, k2Anodic: [{ e: 0.32, height: 1e-4, width: 0.05 }], k2Cathodic: [{ e: 0.26, height: 1e-4, width: 0.05 }] });
  const base: GenCvOptions = { low: 0, high: 0.6, init: 0, initDir: 'P', rate: 0.05, segments: 4, model, noisePct: 0.5, seed: 7 };

  it('a file written cathodic-positive gives the same results as its anodic-positive twin, from the loop orientation', () => {
    const a = run(base), c = run({ ...base, cathodicPositive: true });
    expect(a.sign).toMatchObject({ current_sign: 'anodic-positive', current_sign_source: 'loop orientation' });
    expect(c.sign).toMatchObject({ current_sign: 'cathodic-positive', current_sign_source: 'loop orientation' });
    expect(c.assumptions).toMatchObject({ current_sign: 'cathodic-positive', current_sign_source: 'loop orientation' });
    expect(c.peaks).toEqual(a.peaks);
    expect(c.warnings).toEqual([]);
    expect(a.peaks.find((p) => p.sweep === 1)!.ip_a).toBeGreaterThan(0);
    expect(a.peaks.find((p) => p.sweep === 2)!.ip_a).toBeLessThan(0);
  });

  it("the file's Results block decides before the loop; a disagreement is a warning", () => {
    // Results as CHI writes them for a cathodic-positive file: the anodic peak (segment 1) has negative ip.
    const results = [{ segment: 1, ep: 0.32, ip: -7e-6, ah: -1e-6 }, { segment: 2, ep: 0.26, ip: 7e-6, ah: 1e-6 }];
    const agree = run({ ...base, cathodicPositive: true, results });
    expect(agree.sign).toMatchObject({ current_sign: 'cathodic-positive', current_sign_source: 'results', results_peaks: 2 });
    expect(agree.warnings).toEqual([]);
    const disagree = run({ ...base, results });
    expect(disagree.sign.current_sign_source).toBe('results');
    expect(disagree.warnings.join('\n')).toMatch(/Results block implies cathodic-positive but the loop orientation .* implies anodic-positive; the Results block is used/);
  });

  it('an explicit sign wins, and says so when the file disagrees', () => {
    const r = run({ ...base, cathodicPositive: true }, { currentSign: 'anodic-positive' });
    expect(r.sign.current_sign_source).toBe('option');
    expect(r.warnings.join('\n')).toMatch(/the given current sign \(anodic-positive\) contradicts the file's loop orientation, which implies cathodic-positive/);
  });

  it('a loop with no hysteresis is too flat to tell: default and a warning', () => {
    // A resistor: i = E/R on both sweeps, so ∮ i dE = 0.
    const flat: CvModel = { k1: (e) => e * 1e-3, k2: () => 0 };
    const r = run({ low: -0.5, high: 0.5, init: -0.5, initDir: 'P', rate: 1, segments: 2, model: flat });
    expect(r.sign.current_sign_source).toBe('default');
    expect(r.warnings.join('\n')).toMatch(/too flat to tell the current sign/);
  });

  it.skipIf(!HAVE_CORPUS)('corpus DPV (CHI1040C, cathodic-positive): the Results block sets the sign; the peak agrees with CHI', () => {
    const r = analyseCvFile(chi('dpv_chi1040c_tab_phantom_time.txt'));
    expect(r.sign).toMatchObject({ current_sign: 'cathodic-positive', current_sign_source: 'results' });
    expect(r.peaks).toHaveLength(1);
    // CHI's own Results: Ep = 0.584 V, ip = -1.618e-7 A (cathodic-positive) = +1.618e-7 A anodic-positive.
    expect(Math.abs(r.peaks[0]!.ep_v - 0.584)).toBeLessThan(0.03); // the data step is 40 mV
    expect(r.peaks[0]!.ip_a / 1.618e-7).toBeGreaterThan(0.85);
    expect(r.peaks[0]!.ip_a / 1.618e-7).toBeLessThan(1.15);
  });
});

describe('no_peak, never a number of the wrong sign (property)', () => {
  const sweep = (n: number, dir: 1 | -1) => {
    const e = new Float64Array(n);
    for (let k = 0; k < n; k++) e[k] = dir > 0 ? k * 0.001 : (n - 1 - k) * 0.001;
    return e;
  };
  const kinds = ['noise', 'monotonic', 'never-crossing'] as const;
  fcTest.prop([fc.constantFrom(...kinds), fc.constantFrom<1 | -1>(1, -1), fc.integer({ min: 100, max: 1500 }), fc.integer({ min: 1, max: 1e6 }), fc.double({ min: -12, max: -3, noNaN: true })], { numRuns: 120 })(
    'noise-only, monotonic and never-crossing sweeps', (kind, dir, n, seed, logScale) => {
      const scale = 10 ** logScale;
      const rng = normalRng(seed);
      const e = sweep(n, dir);
      const i = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        const x = k / (n - 1);
        if (kind === 'noise') i[k] = scale * (1 + 0.3 * rng());
        // Monotonic in the sweep's faradaic direction: exponential growth (an LSV onset) plus small noise.
        else if (kind === 'monotonic') i[k] = dir * scale * (Math.exp(5 * x) + 0.001 * rng());
        // Current of the wrong sign throughout, with a dip that looks like a peak in the sweep direction.
        else i[k] = -dir * scale * (1 - 0.5 * Math.exp(-(((x - 0.5) / 0.08) ** 2)) + 0.001 * rng());
      }
      const r = findSweepPeaks(e, i, { index: 1, direction: dir > 0 ? 'anodic' : 'cathodic', start: 0, end: n }, { scanRateVS: 0.01, cycle: 1 });
      for (const p of r.peaks) expect(Math.sign(p.ip_raw_a)).toBe(dir);
      expect(r.peaks).toEqual([]);
      expect(r.no_peak).toMatch(kind === 'never-crossing' ? /^wrong_sign/ : kind === 'monotonic' ? /^(monotonic|edge)/ : /^noise/);
    });
});

describe('whole files that hold no peak', () => {
  it('a microelectrode CV of pure noise (50–94 pA): no peak, no couple', () => {
    // Noise only: 72 pA ± 11 pA on both sweeps, no capacitive or faradaic current.
    const flat: CvModel = { k1: () => 0, k2: () => 0 };
    const r = run({ low: -0.2, high: 0.6, init: -0.2, initDir: 'P', rate: 0.05, segments: 2, model: flat, extra: () => 7.2e-11, noiseA: 1.1e-11, seed: 3 });
    expect(r.peaks).toEqual([]);
    expect(r.sweeps.map((s) => s.no_peak)).toEqual([expect.stringMatching(/^noise/), expect.stringMatching(/^noise/)]);
    expect(r.sweeps.map((s) => s.delta_ep_v)).toEqual([null, null]);
  });

  it('a reverse sweep whose current never turns cathodic has no cathodic peak (wrong_sign)', () => {
    // Anodic peak at 0.3 V on a large positive background; on the reverse sweep the current stays
    // positive and dips at 0.25 V (a maximum of −i of the wrong sign).
    const m: CvModel = { k1: (e, d) => 2e-7 + (d > 0 ? 5e-7 * Math.exp(-(((e - 0.3) / 0.05) ** 2)) : -1e-7 * Math.exp(-(((e - 0.25) / 0.05) ** 2))), k2: () => 0 };
    const r = run({ low: 0, high: 0.6, init: 0, initDir: 'P', rate: 1, segments: 2, model: m });
    expect(peaksOf(r, 1).map((p) => Math.round(p.ep_v * 100))).toEqual([30]);
    expect(peaksOf(r, 2)).toEqual([]);
    expect(r.sweeps[1]!.no_peak).toMatch(/^wrong_sign/);
    expect(r.sweeps[1]!.delta_ep_v).toBeNull();
  });
});

describe('SEI peak', () => {
  it('fires on the bundled sample in cycle 1 only (0.6 V)', () => {
    const r = analyseCvFile(parseChiText(readFileSync(ROOT + 'samples/npnhc-cv-0.5mVs.txt', 'utf8'), 'npnhc-cv-0.5mVs.txt'));
    expect(r.sei).toHaveLength(1);
    expect(r.sei[0]).toMatchObject({ cycle: 1, sweep: 1, later_sweeps_checked: [3, 5] });
    expect(r.sei[0]!.ep_v).toBeCloseTo(0.6, 3);
    // The sample's SEI peak: 1.5e-4 A, width 0.08 V (scripts/make-samples.js): charge h·w·√π / v.
    expect(r.sei[0]!.ip_a / -1.5e-4).toBeCloseTo(1, 2);
    expect(r.sei[0]!.charge_c! / (-1.5e-4 * 0.08 * Math.sqrt(Math.PI) / 0.0005)).toBeCloseTo(1, 2);
    expect(r.sweeps.filter((s) => s.flags.includes('sei')).map((s) => s.sweep)).toEqual([1]);
    // The sodiation (0.05 V) and desodiation (0.12 V) peaks repeat in every cycle and are not flagged.
    expect(r.peaks.filter((p) => Math.abs(p.ep_v - 0.05) < 0.002).map((p) => p.sweep)).toEqual([1, 3, 5]);
    expect(r.peaks.filter((p) => Math.abs(p.ep_v - 0.12) < 0.002).map((p) => p.sweep)).toEqual([2, 4, 6]);
    expect(r.peaks.filter((p) => p.flags.includes('sei'))).toHaveLength(1);
  });

  it('does not fire on repeating cycles, and fires when the later peak falls below a third', () => {
    const model = cvModel({ capF: 1e-2, k2Anodic: [{ e: 0.15, height: 5e-3, width: 0.04 }], k2Cathodic: [{ e: 0.08, height: 5e-3, width: 0.03 }] });
    const o: GenCvOptions = { low: 0.0, high: 1.5, init: 1.5, initDir: 'N', rate: 0.001, segments: 6, model, interval: 0.002 };
    expect(run(o).sei).toEqual([]);
    // A cycle-1 peak at 0.7 V whose later-cycle current is 30 % of it: flagged; 40 %: not.
    const extra = (f: number) => (e: number, d: 1 | -1, seg: number) => d < 0 ? -1e-4 * (seg <= 2 ? 1 : f) * Math.exp(-(((e - 0.7) / 0.06) ** 2)) : 0;
    expect(run({ ...o, extra: extra(0.3) }).sei.map((s) => Math.round(s.ep_v * 100))).toEqual([70]);
    expect(run({ ...o, extra: extra(0.4) }).sei).toEqual([]);
  });
});

describe('multi-channel (bipotentiostat) files', () => {
  const model = cvModel({ capF: 1e-4, k1Anodic: [{ e: 0.4, height: 2e-4, width: 0.05 }], k1Cathodic: [{ e: 0.35, height: 2e-4, width: 0.05 }] });
  const o: GenCvOptions = { low: 0, high: 0.8, init: 0, initDir: 'P', rate: 0.1, segments: 2, model, channel2: (e, d) => d * 1e-6 + (d > 0 ? 3e-6 * Math.exp(-(((e - 0.6) / 0.05) ** 2)) : 0) };
  it('reads i1/A by default and says that i2/A exists; channel 2 analyses the second electrode', () => {
    const one = run(o);
    expect(one.channel).toBe(1);
    expect(one.notes.join('\n')).toMatch(/second working electrode \(i2\/A\): channel 2 analyses it/);
    expect(Math.round(peaksOf(one, 1)[0]!.ep_v * 100)).toBe(40);
    const two = run(o, { channel: 2 });
    expect(two.channel).toBe(2);
    expect(two.notes.join('\n')).toMatch(/channel 2 \(i2\/A\) analysed/);
    expect(peaksOf(two, 1).map((p) => Math.round(p.ep_v * 100))).toEqual([60]);
    expect(peaksOf(two, 1)[0]!.ip_a / 3e-6).toBeCloseTo(1, 1);
    expect(() => run({ ...o, channel2: undefined }, { channel: 2 })).toThrow(/no i2\/A column/);
  });
});

describe("b-values and Dunn's method on generated CVs at five scan rates", () => {
  // Anodic: a diffusion-controlled peak (k2) at 0.35 V and a small surface peak (k1) at 0.6 V;
  // cathodic: one mixed peak at 0.3 V; a double layer and a sloping capacitive background.
  const P = { k2a: { e: 0.35, height: 3e-3, width: 0.05 }, k1a: { e: 0.6, height: 0.02, width: 0.05 }, k1c: { e: 0.3, height: 0.03, width: 0.05 }, k2c: { e: 0.3, height: 1.5e-3, width: 0.05 } };
  const model = cvModel({ capF: 0.02, slope: { at0: 0.004, perV: 0.01 }, k2Anodic: [P.k2a], k1Anodic: [P.k1a], k1Cathodic: [P.k1c], k2Cathodic: [P.k2c] });
  const rates = [0.0002, 0.0005, 0.001, 0.002, 0.005];
  const opts = (v: number, k: number): GenCvOptions => ({ low: 0, high: 0.9, init: 0, initDir: 'P', rate: v, segments: 6, model, noisePct: 0.5, seed: 100 + k });
  const files = (flip: boolean) => rates.map((v, k) => run({ ...opts(v, k), cathodicPositive: flip }, {}, `cell-${v}.txt`));

  it('recovers the capacitive share per rate within 2 points, and k1, k2 within 5 % where each term matters', () => {
    const fs = files(false);
    const d = dunn(fs);
    expect(d.assumptions.model).toMatch(/i\(V\) = k1·v \+ k2·v\^½/);
    expect(d.assumptions.smoothing).toMatch(/±10 mV/);
    for (const dir of [1, -1] as const) {
      const name = dir > 0 ? 'anodic' : 'cathodic';
      for (const v of rates) {
        const row = d.shares.find((s) => s.direction === name && s.scan_rate_v_s === v)!;
        expect(row.cycle).toBe(2);
        // 0…0.9 V less 2 × 10 mV at each vertex (the vertex point opens the next sweep, so one grid step may go too).
        expect([0.02, 0.025]).toContain(row.e_from_v);
        expect([0.875, 0.88]).toContain(row.e_to_v);
        // Truth: ∫|k1 v| dE / ∫|i| dE of the noiseless model over that range.
        let qc = 0, qt = 0;
        for (let e = row.e_from_v!; e <= row.e_to_v! + 1e-9; e += 0.0005) { qc += Math.abs(model.k1(e, dir) * v); qt += Math.abs(modelCurrent(model, e, dir, v)); }
        expect(Math.abs(row.capacitive_share_pct! - (100 * qc) / qt)).toBeLessThan(2);
      }
      let checked = 0;
      for (const g of d.grid.filter((r) => r.direction === name)) {
        const k1 = model.k1(g.e_v, dir), k2 = model.k2(g.e_v, dir);
        const big = (t: (v: number) => number) => rates.every((v) => Math.abs(t(v)) >= 0.1 * Math.abs(modelCurrent(model, g.e_v, dir, v)));
        if (big((v) => k1 * v)) { expect(Math.abs(g.k1_a_s_per_v! / k1 - 1)).toBeLessThan(0.05); checked++; }
        if (big((v) => k2 * Math.sqrt(v))) { expect(Math.abs(g.k2_a_s05_per_v05! / k2 - 1)).toBeLessThan(0.05); checked++; }
      }
      expect(checked).toBeGreaterThan(50);
    }
  });

  it('b of the main peaks within 0.03 of the noiseless peak currents, and b(V) near 1 where only k1 acts', () => {
    const fs = files(false);
    const b = bValues(fs);
    const truth = (h1: number, h2: number) => {
      const x = rates.map(Math.log10), y = rates.map((v) => Math.log10(h1 * v + h2 * Math.sqrt(v)));
      const mx = x.reduce((s, q) => s + q, 0) / 5, my = y.reduce((s, q) => s + q, 0) / 5;
      return x.reduce((s, q, k) => s + (q - mx) * (y[k]! - my), 0) / x.reduce((s, q) => s + (q - mx) ** 2, 0);
    };
    const an = b.peaks.find((p) => p.direction === 'anodic' && p.rank === 1)!;
    const ca = b.peaks.find((p) => p.direction === 'cathodic' && p.rank === 1)!;
    expect(an.points).toBe(5);
    expect(Math.abs(an.b - truth(0, P.k2a.height))).toBeLessThan(0.03); // 0.5
    expect(Math.abs(ca.b - truth(P.k1c.height, P.k2c.height))).toBeLessThan(0.03);
    expect(an.b_se).not.toBeNull();
    expect(an.r2!).toBeGreaterThan(0.99);
    // b(V) in the anodic sweep at 0.85 V (capacitive background only): b = 1.
    const far = b.b_of_v.find((r) => r.direction === 'anodic' && Math.abs(r.e_v - 0.85) < 1e-9)!;
    expect(far.b!).toBeCloseTo(1, 1);
    // Two scan rates: a value and a warning, no R².
    const two = bValues(fs.slice(0, 2));
    expect(two.warnings.join('\n')).toMatch(/with two scan rates the b-value has no standard error/);
    expect(two.peaks[0]!.r2).toBeNull();
    expect(two.peaks[0]!.b_se).toBeNull();
  });

  it('every current flipped: identical Dunn and b results, sign from the loop orientation', () => {
    const a = files(false), c = files(true);
    for (const f of c) expect(f.sign.current_sign_source).toBe('loop orientation');
    expect(dunn(c)).toEqual(dunn(a));
    expect(bValues(c)).toEqual(bValues(a));
  });

  it('Dunn needs three scan rates', () => {
    expect(() => dunn(files(false).slice(0, 2))).toThrow(/three or more different scan rates/);
  });
});

describe.skipIf(!HAVE_CORPUS)('real CHI files (corpus)', () => {
  it('both ferricyanide files keep a peak in every sweep, anodic-positive by the loop orientation', () => {
    for (const name of ['cv_chi1100b_ferricyanide_20mVs.csv', 'cv_chi1100b_ferricyanide_200mVs.csv']) {
      const r = analyseCvFile(chi(name));
      expect(r.sign).toMatchObject({ current_sign: 'anodic-positive', current_sign_source: 'loop orientation' });
      expect(r.sweeps.map((s) => s.peaks)).toEqual([1, 1, 1, 1, 1, 1]);
      for (const s of r.sweeps) {
        const p = peaksOf(r, s.sweep)[0]!;
        // Ferricyanide couple at a GC electrode: E° ≈ 0 V vs Pt here; anodic peak positive of the cathodic.
        if (s.direction === 'anodic') { expect(p.ep_v).toBeGreaterThan(0.05); expect(p.ep_v).toBeLessThan(0.15); expect(p.ip_a).toBeGreaterThan(0); }
        else { expect(p.ep_v).toBeGreaterThan(-0.15); expect(p.ep_v).toBeLessThan(-0.03); expect(p.ip_a).toBeLessThan(0); }
      }
      expect(r.sei).toEqual([]);
    }
  });

  it('the partial-segment CHI760E file keeps its peaks and warns about the missing segments', () => {
    const r = analyseCvFile(chi('cv_chi760e_partial_segments_crlf.txt'));
    expect(r.sign.current_sign).toBe('anodic-positive');
    expect(Math.round(peaksOf(r, 1)[0]!.ep_v * 100)).toBe(-15); // the data: a bump to 2.127e-5 A at −0.151 V
    expect(Math.round(peaksOf(r, 2)[0]!.ep_v * 100)).toBe(-6); // −2.621e-5 A at −0.059 V
    expect(r.warnings.join('\n')).toMatch(/Segment = 6 but the data hold 2 sweep\(s\)/);
  });

  it('the LSV file reports an onset, not a peak', () => {
    const r = analyseCvFile(chi('lsv_chi760e_crlf.txt'));
    expect(r.kind).toBe('lsv');
    expect(r.peaks).toEqual([]);
    expect(r.sweeps[0]!.no_peak).toMatch(/^monotonic/);
    expect(r.lsv!.onset_v!).toBeGreaterThan(-0.6);
    expect(r.lsv!.onset_v!).toBeLessThan(-0.45);
    expect(r.lsv!.final_current_a).toBeCloseTo(-3.679e-3, 5);
    expect(r.warnings.join('\n')).toMatch(/current sign cannot be told/);
  });

  it('the ferricyanide scan-rate pair: b from corrected currents with a two-rate warning', () => {
    const fs = ['cv_chi1100b_ferricyanide_20mVs.csv', 'cv_chi1100b_ferricyanide_200mVs.csv'].map((n) => analyseCvFile(chi(n)));
    const b = bValues(fs);
    expect(b.peaks.map((p) => p.direction)).toEqual(['anodic', 'cathodic']);
    expect(b.warnings.join('\n')).toMatch(/two scan rates/);
  });
});

it('samples folder holds the CHI CV sample', () => { expect(existsSync(ROOT + 'samples/npnhc-cv-0.5mVs.txt')).toBe(true); });
