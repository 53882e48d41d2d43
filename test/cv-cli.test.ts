// `hcarb cv` through the CLI (issue 14): the current sign detected and stated, every peak with a
// baseline, the SEI flag, LSV onsets, --channel, --all-peaks, --b-value and --dunn, on generated
// files (truth from src/generate/cv.ts, which does not import the analysis), on the bundled samples
// and on the real CHI files of the corpus.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chiCvModelText, cvModel, modelCurrent, type CvModel, type GenCvOptions } from '../src/generate/cv.js';
import { command } from '../src/commands/cv.js';
import { CORPUS, HAVE_CORPUS, hcarb, one } from './helpers/io.js';

const dir = mkdtempSync(join(tmpdir(), 'hcarb-cvcli-'));
const put = (name: string, o: GenCvOptions) => { const p = join(dir, name); writeFileSync(p, chiCvModelText(o)); return p; };
const chi = (name: string) => CORPUS + 'chi/' + name;
const SAMPLE = 'samples/npnhc-cv-0.5mVs.txt';
const RATE_SAMPLES = [0.1, 0.2, 0.5, 1].map((mV) => `samples/npnhc-cv-rate-${mV}mVs.txt`);
const FIELDS = new Set(command.fields.map((f) => f.key));
const DOC_KEYS = new Set([...FIELDS, ...(command.docFields ?? []).map((f) => f.key), 'assumptions', 'warnings']);

type Row = Record<string, unknown>;
const ndjson = (stdout: string): Row[] => stdout.trim().split('\n').map((l) => JSON.parse(l) as Row);
/** Every row key declared in `fields`, every top-level JSON key in `fields` or `docFields`. */
function declared(args: string[]): void {
  const nd = hcarb([...args, '--format', 'ndjson']);
  expect(nd.code, nd.stderr).toBe(0);
  for (const r of ndjson(nd.stdout)) expect(Object.keys(r).filter((k) => !FIELDS.has(k))).toEqual([]);
  const js = JSON.parse(hcarb([...args, '--json']).stdout) as Row[];
  for (const el of js) expect(Object.keys(el).filter((k) => !DOC_KEYS.has(k))).toEqual([]);
}
/** A table that fits 80 columns as a grid (not the vertical fallback). */
function table80(args: string[]): string {
  const r = hcarb([...args, '--format', 'table'], { env: { COLUMNS: '80' } });
  expect(r.code, r.stderr).toBe(0);
  for (const l of r.stdout.split('\n')) expect([...l].length, l).toBeLessThanOrEqual(80);
  expect(r.stdout).toContain('│');
  return r.stdout;
}

describe('current sign: a file written cathodic-positive reads the same without --current-sign', () => {
  const model = cvModel({ capF: 2e-5, k2Anodic: [{ e: 0.32, height: 1e-4, width: 0.05 }], k2Cathodic: [{ e: 0.26, height: 1e-4, width: 0.05 }] });
  const base: GenCvOptions = { low: 0, high: 0.6, init: 0, initDir: 'P', rate: 0.05, segments: 4, model, noisePct: 0.5, seed: 7 };
  const a = put('sign-a.txt', base), c = put('sign-c.txt', { ...base, cathodicPositive: true });

  it('identical rows and peaks; the assumptions say which sign the file had and how it was told', () => {
    const ca = hcarb(['cv', a, '--format', 'csv']), cc = hcarb(['cv', c, '--format', 'csv']);
    expect(ca.code).toBe(0);
    expect(cc.stdout.replace(/sign-c/g, 'sign-a')).toBe(ca.stdout);
    expect(cc.stderr).toBe('');
    const ja = one(hcarb(['cv', a, '--json']).stdout), jc = one(hcarb(['cv', c, '--json']).stdout);
    expect(ja.assumptions).toMatchObject({ current_sign: 'anodic-positive', current_sign_source: 'loop orientation' });
    expect(jc.assumptions).toMatchObject({ current_sign: 'cathodic-positive', current_sign_source: 'loop orientation' });
    for (const k of ['sweeps', 'peaks', 'sei', 'scan_rate_v_s']) expect(jc[k]).toEqual(ja[k]);
    // The anodic peak is positive, the cathodic negative, in both.
    expect(jc.sweeps.map((s: Row) => Math.sign(s.ip_a as number))).toEqual([1, -1, 1, -1]);
    const t = table80(['cv', c]);
    expect(t).toMatch(/file's current sign: cathodic-positive \(loop orientation\); shown\s+anodic-positive/);
  });

  it('--current-sign overrides the detection and says so; a contradiction is a warning', () => {
    const r = hcarb(['cv', c, '--current-sign', 'anodic-positive', '--json']);
    expect(one(r.stdout).assumptions).toMatchObject({ current_sign: 'anodic-positive', current_sign_source: 'option' });
    expect(r.stderr).toMatch(/warning: the given current sign \(anodic-positive\) contradicts the file's loop orientation/);
    expect(hcarb(['cv', c, '--current-sign', 'sideways']).code).toBe(2);
  });
});

describe('the bundled sample (0.5 mV/s, SEI peak at 0.6 V in the first sweep)', () => {
  it('the table: the main peak of each sweep and the SEI peak of cycle 1, flagged; nothing else flagged sei', () => {
    const rows = ndjson(hcarb(['cv', SAMPLE, '--format', 'ndjson']).stdout);
    // The sample (scripts/make-samples.js): sodiation 0.05 V (3e-4 A), desodiation 0.12 V (2e-4 A), SEI 0.6 V (1.5e-4 A).
    expect(rows.map((r) => [r.cycle, r.direction, Math.round((r.ep_v as number) * 100) / 100])).toEqual([
      [1, 'cathodic', 0.05], [1, 'cathodic', 0.6], [1, 'anodic', 0.12], [2, 'cathodic', 0.05], [2, 'anodic', 0.12], [3, 'cathodic', 0.05], [3, 'anodic', 0.12],
    ]);
    const sei = rows.filter((r) => (r.flags as string[]).includes('sei'));
    expect(sei).toHaveLength(1);
    expect(sei[0]).toMatchObject({ cycle: 1, sweep: 1, rank: 2 });
    expect((sei[0]!.ip_a as number) / -1.5e-4).toBeCloseTo(1, 2);
    // ΔEp of each cycle: 0.12 − 0.05 V, on the rank-1 rows only.
    for (const r of rows) expect(r.delta_ep_v === null ? null : Number((r.delta_ep_v as number).toFixed(3))).toBe(r.rank === 1 ? 0.07 : null);
    const t = table80(['cv', SAMPLE]);
    expect(t).toMatch(/│ +1 │ cathodic +│ +0\.600 │ -1\.50e-4 │ +│ sei +│/);
    declared(['cv', SAMPLE]);
  });

  it('--all-peaks lists every peak with its rank; --mass adds A/g; the table still fits 80 columns', () => {
    const all = ndjson(hcarb(['cv', RATE_SAMPLES[2]!, '--all-peaks', '--format', 'ndjson']).stdout);
    const main = ndjson(hcarb(['cv', RATE_SAMPLES[2]!, '--format', 'ndjson']).stdout);
    // The rate samples: the plateau peak (rank 1) and the broad sloping-region hump (rank 2) in every sweep.
    expect(all.map((r) => r.rank)).toEqual([1, 2, 1, 2, 1, 2, 1, 2]);
    expect(main.map((r) => r.rank)).toEqual([1, 2, 1, 1, 1]); // rank 2 of sweep 1 is the SEI peak
    expect(main[1]!.flags).toContain('sei');
    const t = table80(['cv', RATE_SAMPLES[2]!, '--all-peaks', '--mass', '3.8']);
    expect(t).toMatch(/│ rank │ E_p \(V\) │ i_p \(A\/g\) │ flags/);
    const m = ndjson(hcarb(['cv', SAMPLE, '--mass', '3.8', '--format', 'ndjson']).stdout);
    for (const r of m) expect(r.ip_a_g as number).toBeCloseTo((r.ip_a as number) / 0.0038, 9);
    declared(['cv', RATE_SAMPLES[2]!, '--all-peaks', '--mass', '3.8']);
  });
});

describe('sweeps without a peak say why', () => {
  it('a CV of pure noise: no number, no_peak with the reason, and the table says why E_p is blank', () => {
    const flat: CvModel = { k1: () => 0, k2: () => 0 };
    const f = put('noise.txt', { low: -0.2, high: 0.6, init: -0.2, initDir: 'P', rate: 0.05, segments: 2, model: flat, extra: () => 7.2e-11, noiseA: 1.1e-11, seed: 3 });
    const rows = ndjson(hcarb(['cv', f, '--format', 'ndjson']).stdout);
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r).toMatchObject({ ep_v: null, ip_a: null, delta_ep_v: null, flags: ['no_peak'] });
      expect(r.no_peak).toMatch(/^noise: /);
    }
    const t = table80(['cv', f]);
    expect(t).toContain('no_peak: noise');
    expect(t).toMatch(/E_p \(V\) is blank: sweep 1: noise: the current varies by [^;]+ within the noise [^;]+; sweep 2: noise: /);
  });
});

describe('bipotentiostat files: --channel', () => {
  const model = cvModel({ capF: 1e-4, k1Anodic: [{ e: 0.4, height: 2e-4, width: 0.05 }], k1Cathodic: [{ e: 0.35, height: 2e-4, width: 0.05 }] });
  const f = put('bipot.txt', { low: 0, high: 0.8, init: 0, initDir: 'P', rate: 0.1, segments: 2, model, channel2: (e, d) => d * 1e-6 + (d > 0 ? 3e-6 * Math.exp(-(((e - 0.6) / 0.05) ** 2)) : 0) });
  it('channel 1 by default with a note that i2/A exists; --channel 2 reads the second electrode; --channel 3 is refused', () => {
    const one1 = hcarb(['cv', f, '--format', 'ndjson', '-v']);
    expect(ndjson(one1.stdout)[0]!.ep_v as number).toBeCloseTo(0.4, 2);
    expect(one1.stderr).toMatch(/note: the file also holds a second working electrode \(i2\/A\): channel 2 analyses it/);
    const two = hcarb(['cv', f, '--channel', '2', '--json']);
    const d = one(two.stdout);
    expect(d.channel).toBe(2);
    expect(d.peaks.map((p: Row) => Math.round((p.ep_v as number) * 100))).toEqual([60]);
    expect(d.sweeps[1].no_peak).not.toBeNull();
    const bad = hcarb(['cv', f, '--channel', '3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--channel must be 1 or 2, not '3'/);
  });
});

describe("--b-value and --dunn over five generated scan rates (i = k1·v + k2·v^½, 0.5 % noise)", () => {
  // As in test/cv.test.ts: a diffusion peak (k2) and a surface peak (k1) anodic, a mixed cathodic peak.
  const P = { k2a: { e: 0.35, height: 3e-3, width: 0.05 }, k1a: { e: 0.6, height: 0.02, width: 0.05 }, k1c: { e: 0.3, height: 0.03, width: 0.05 }, k2c: { e: 0.3, height: 1.5e-3, width: 0.05 } };
  const model = cvModel({ capF: 0.02, slope: { at0: 0.004, perV: 0.01 }, k2Anodic: [P.k2a], k1Anodic: [P.k1a], k1Cathodic: [P.k1c], k2Cathodic: [P.k2c] });
  const rates = [0.0002, 0.0005, 0.001, 0.002, 0.005];
  const files = (flip: boolean) => rates.map((v, k) => put(`cell-${flip ? 'c' : 'a'}-${v}.txt`, { low: 0, high: 0.9, init: 0, initDir: 'P', rate: v, segments: 6, model, noisePct: 0.5, seed: 100 + k, cathodicPositive: flip }));
  const fa = files(false), fc = files(true);

  it('--dunn: the capacitive share per rate and direction within 2 points of the model; one JSON element for the batch', () => {
    const r = hcarb(['cv', ...fa, '--dunn', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = one(r.stdout);
    expect(d.file).toBe('dunn');
    expect(d.files).toHaveLength(5);
    expect(d.cycle).toBe(2);
    expect(d.assumptions.model).toMatch(/i\(V\) = k1·v \+ k2·v\^½ at each potential \(Dunn\)/);
    expect(d.shares).toHaveLength(10);
    for (const s of d.shares as Row[]) {
      const dirn = s.direction === 'anodic' ? 1 : -1;
      const v = s.scan_rate_v_s as number;
      // Truth: ∫|k1·v| dE / ∫|i| dE of the noiseless model over the range the fit used.
      let qc = 0, qt = 0;
      for (let e = s.e_from_v as number; e <= (s.e_to_v as number) + 1e-9; e += 0.0005) { qc += Math.abs(model.k1(e, dirn) * v); qt += Math.abs(modelCurrent(model, e, dirn, v)); }
      expect(Math.abs((s.capacitive_share_pct as number) - (100 * qc) / qt)).toBeLessThan(2);
    }
    // k1(V), k2(V) in JSON: at 0.6 V anodic the surface peak dominates k1.
    const g = (d.k_of_v as Row[]).find((x) => x.direction === 'anodic' && Math.abs((x.e_v as number) - 0.6) < 1e-9)!;
    expect((g.k1_a_s_per_v as number) / model.k1(0.6, 1)).toBeCloseTo(1, 1);
    // CSV: the share rows, in rate order.
    const csv = hcarb(['cv', ...fa, '--dunn', '--format', 'csv']).stdout.trim().split('\n');
    expect(csv[0]).toBe('file,scan_rate_v_s,direction,cycle,e_from_v,e_to_v,capacitive_share_pct,q_total_c,q_capacitive_c');
    expect(csv).toHaveLength(11);
    const t = table80(['cv', ...fa, '--dunn']);
    expect(t).toMatch(/cycle 2 \(--cycle\)/);
    declared(['cv', ...fa, '--dunn']);
  });

  it('--b-value: b per peak within 0.03 of the noiseless peak currents, b(V) = 1 where only k1 acts, b(V) rows in CSV', () => {
    const r = hcarb(['cv', ...fa, '--b-value', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = one(r.stdout);
    const truth = (h1: number, h2: number) => {
      const x = rates.map(Math.log10), y = rates.map((v) => Math.log10(h1 * v + h2 * Math.sqrt(v)));
      const mx = x.reduce((s, q) => s + q, 0) / 5, my = y.reduce((s, q) => s + q, 0) / 5;
      return x.reduce((s, q, k) => s + (q - mx) * (y[k]! - my), 0) / x.reduce((s, q) => s + (q - mx) ** 2, 0);
    };
    const an = (d.peaks as Row[]).find((p) => p.direction === 'anodic' && p.rank === 1)!;
    const ca = (d.peaks as Row[]).find((p) => p.direction === 'cathodic' && p.rank === 1)!;
    expect(Math.abs((an.b as number) - truth(0, P.k2a.height))).toBeLessThan(0.03);
    expect(Math.abs((ca.b as number) - truth(P.k1c.height, P.k2c.height))).toBeLessThan(0.03);
    expect(an.points).toBe(5);
    const far = (d.b_of_v as Row[]).find((x) => x.direction === 'anodic' && Math.abs((x.e_v as number) - 0.85) < 1e-9)!;
    expect(far.b as number).toBeCloseTo(1, 1);
    const rows = ndjson(hcarb(['cv', ...fa, '--b-value', '--format', 'ndjson']).stdout);
    expect(rows.filter((x) => x.row_type === 'peak').length).toBe((d.peaks as Row[]).length);
    expect(rows.filter((x) => x.row_type === 'b_of_v').length).toBe((d.b_of_v as Row[]).length);
    table80(['cv', ...fa, '--b-value']);
    declared(['cv', ...fa, '--b-value']);
  });

  it('every current flipped: the same --b-value and --dunn results, the sign told by the loop orientation', () => {
    for (const flag of ['--b-value', '--dunn']) {
      const a = one(hcarb(['cv', ...fa, flag, '--json']).stdout), c = one(hcarb(['cv', ...fc, flag, '--json']).stdout);
      const strip = (x: unknown) => JSON.parse(JSON.stringify(x).replace(/cell-[ac]-/g, 'cell-')) as unknown;
      expect(strip(c)).toEqual(strip(a));
    }
    for (const f of fc) expect(one(hcarb(['cv', f, '--json']).stdout).assumptions.current_sign_source).toBe('loop orientation');
  });

  it('--dunn needs three scan rates; --b-value and --dunn together are refused', () => {
    const two = hcarb(['cv', fa[0]!, fa[1]!, '--dunn']);
    expect(two.code).toBe(1);
    expect(two.stderr).toMatch(/Dunn's method needs CVs of one cell at three or more different scan rates \(found 2\)/);
    const both = hcarb(['cv', ...fa, '--dunn', '--b-value']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give --b-value or --dunn, not both/);
  });
});

describe('the bundled scan-rate samples (scripts/make-samples.js)', () => {
  // The model the samples were written from (scripts/make-samples.js), written again here.
  const model = cvModel({
    capF: 0.01,
    k1Anodic: [{ e: 0.45, height: 0.05, width: 0.35 }], k1Cathodic: [{ e: 0.35, height: 0.05, width: 0.35 }],
    k2Anodic: [{ e: 0.12, height: 9e-3, width: 0.04 }], k2Cathodic: [{ e: 0.05, height: 1.3e-2, width: 0.03 }],
  });
  it('--dunn gives the model\'s capacitive share within 2 points; --b-value: plateau peaks b = 0.5, sloping humps b = 1', () => {
    const d = one(hcarb(['cv', ...RATE_SAMPLES, '--dunn', '--json']).stdout);
    expect(d.shares).toHaveLength(8);
    for (const s of d.shares as Row[]) {
      const dirn = s.direction === 'anodic' ? 1 : -1, v = s.scan_rate_v_s as number;
      let qc = 0, qt = 0;
      for (let e = s.e_from_v as number; e <= (s.e_to_v as number) + 1e-9; e += 0.0005) { qc += Math.abs(model.k1(e, dirn) * v); qt += Math.abs(modelCurrent(model, e, dirn, v)); }
      expect(Math.abs((s.capacitive_share_pct as number) - (100 * qc) / qt)).toBeLessThan(2);
    }
    const b = one(hcarb(['cv', ...RATE_SAMPLES, '--b-value', '--json']).stdout);
    // Rank 1: the k2 plateau peak on a k1 background the baseline removes (b = ½, within 0.03); rank 2: the
    // broad k1 hump of the sloping region (b = 1; within 0.05, as its baseline, drawn on the plateau peak's
    // tail, carries a little v^½ current).
    expect((b.peaks as Row[]).map((p) => [p.direction, p.rank])).toEqual([['anodic', 1], ['anodic', 2], ['cathodic', 1], ['cathodic', 2]]);
    for (const p of b.peaks as Row[]) expect(Math.abs((p.b as number) - (p.rank === 1 ? 0.5 : 1))).toBeLessThan(p.rank === 1 ? 0.03 : 0.05);
  });
});

describe.skipIf(!HAVE_CORPUS)('real CHI files (corpus) through the CLI', () => {
  it('the partial-segment CHI760E keeps its peaks and warns that segments are missing', () => {
    const r = hcarb(['cv', chi('cv_chi760e_partial_segments_crlf.txt'), '--format', 'ndjson']);
    expect(r.code).toBe(0);
    const rows = ndjson(r.stdout);
    // The data: a bump to 2.127e-5 A at −0.151 V (anodic), −2.621e-5 A at −0.059 V (cathodic).
    expect(rows.map((x) => [x.direction, Math.round((x.ep_v as number) * 100)])).toEqual([['anodic', -15], ['cathodic', -6]]);
    expect(rows[0]!.ip_a as number).toBeGreaterThan(0);
    expect(rows[1]!.ip_a as number).toBeLessThan(0);
    expect(r.stderr).toMatch(/warning: the header says Segment = 6 but the data hold 2 sweep\(s\) \(a partial export\)/);
    table80(['cv', chi('cv_chi760e_partial_segments_crlf.txt')]);
  });

  it('both ferricyanide files keep a peak in every sweep, sign from the loop orientation', () => {
    for (const name of ['cv_chi1100b_ferricyanide_20mVs.csv', 'cv_chi1100b_ferricyanide_200mVs.csv']) {
      const rows = ndjson(hcarb(['cv', chi(name), '--format', 'ndjson']).stdout);
      expect(rows.map((x) => x.direction)).toEqual(['anodic', 'cathodic', 'anodic', 'cathodic', 'anodic', 'cathodic']);
      for (const x of rows) {
        expect(x.no_peak).toBeNull();
        if (x.direction === 'anodic') { expect(x.ep_v as number).toBeGreaterThan(0.05); expect(x.ep_v as number).toBeLessThan(0.15); expect(x.ip_a as number).toBeGreaterThan(0); }
        else { expect(x.ep_v as number).toBeGreaterThan(-0.15); expect(x.ep_v as number).toBeLessThan(-0.03); expect(x.ip_a as number).toBeLessThan(0); }
        expect(x.flags).not.toContain('sei');
      }
      expect(one(hcarb(['cv', chi(name), '--json']).stdout).assumptions.current_sign_source).toBe('loop orientation');
    }
  });

  it('the LSV reports an onset and its final current, not a peak; the table says why the limiting current is blank', () => {
    const r = hcarb(['cv', chi('lsv_chi760e_crlf.txt'), '--format', 'ndjson']);
    const rows = ndjson(r.stdout);
    expect(rows).toHaveLength(1);
    expect(rows[0]).not.toHaveProperty('ep_v');
    expect(rows[0]!.no_peak).toMatch(/^monotonic/);
    expect(rows[0]!.onset_v as number).toBeGreaterThan(-0.6);
    expect(rows[0]!.onset_v as number).toBeLessThan(-0.45);
    expect(rows[0]!.final_current_a as number).toBeCloseTo(-3.679e-3, 5); // the file's last point: −0.699 V, −3.679e-3 A
    expect(r.stderr).toMatch(/warning: the current sign cannot be told from this file/);
    const t = table80(['cv', chi('lsv_chi760e_crlf.txt')]);
    expect(t).toMatch(/onset \(V\)/);
    expect(t).toMatch(/limiting current \(A\) is blank: the current has not levelled off/);
    declared(['cv', chi('lsv_chi760e_crlf.txt')]);
  });

  it("the DPV (CHI1040C, cathodic-positive): the sign from the file's Results block, the peak near CHI's own", () => {
    const d = one(hcarb(['cv', chi('dpv_chi1040c_tab_phantom_time.txt'), '--json']).stdout);
    expect(d.assumptions).toMatchObject({ current_sign: 'cathodic-positive', current_sign_source: 'results' });
    // CHI's Results: Ep = 0.584 V, ip = −1.618e-7 A as written (cathodic-positive).
    expect(Math.abs(d.peaks[0].ep_v - 0.584)).toBeLessThan(0.03);
    expect(d.peaks[0].ip_a / 1.618e-7).toBeGreaterThan(0.85);
    expect(d.peaks[0].ip_a / 1.618e-7).toBeLessThan(1.15);
  });

  it('an impedance file is refused with a pointer to hcarb eis', () => {
    const r = hcarb(['cv', chi('eis_chi660e_impedancepy.txt')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/this is a A\.C\. Impedance file; hcarb cv needs CV, LSV or DPV data \(try hcarb eis\)/);
  });
});

describe('the library gives what the CLI prints', () => {
  it('cv() then dunn() and bValues(): the same numbers as hcarb cv --dunn / --b-value', async () => {
    const lib = await import('../src/index.js');
    const fs = await Promise.all(RATE_SAMPLES.map((f) => lib.cv(f)));
    expect(fs[0]!.sei.map((s) => Math.round(s.ep_v * 10) / 10)).toEqual([0.6]);
    const d = one(hcarb(['cv', ...RATE_SAMPLES, '--dunn', '--json']).stdout);
    const mine = lib.dunn(fs).shares.map((s) => [s.scan_rate_v_s, s.direction, Number(s.capacitive_share_pct!.toPrecision(12))]).sort();
    expect((d.shares as Row[]).map((s) => [s.scan_rate_v_s, s.direction, s.capacitive_share_pct]).sort()).toEqual(mine);
    const b = one(hcarb(['cv', ...RATE_SAMPLES, '--b-value', '--json']).stdout);
    expect((b.peaks as Row[]).map((p) => p.b)).toEqual(lib.bValues(fs).peaks.map((p) => Number(p.b.toPrecision(12))));
  });
});
