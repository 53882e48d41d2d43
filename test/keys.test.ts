// Output keys that no other test pinned to an independent value (issue 20 point 2; the table is
// docs/testing-keys.md). Every expected number here is worked by hand from a file written here or
// from the hand fixture's text, or taken from a generator's own truth (src/generate/, which never
// imports analysis code), never from the code under test.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { landFile, mixedCsv, encodeLines, recordLines, type Branch, type CellPlan } from '../src/generate/land.js';
import { defaultGittPlan, gittRun } from '../src/generate/gitt.js';
import * as G from '../src/generate/eis.js';
import { parseChiText, column } from '../src/readers/chi/chi.js';
import { fitCircuit, fitRow } from '../src/analysis/eis/fit.js';
import { chiCvModelText, cvModel, modelCurrent, type GenCvOptions } from '../src/generate/cv.js';
import { hcarb, one, ROOT } from './helpers/io.js';
import { inverse } from './helpers/inverse.js';

const dir = mkdtempSync(join(tmpdir(), 'hcarb-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FIX = 'test/fixtures/hand-small.csv';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const json = (args: string[]): Any => {
  const r = hcarb([...args, '--json', '-q']);
  expect(r.code, r.stderr).toBe(0);
  return one(r.stdout);
};
const put = (name: string, content: string | Uint8Array): string => { const p = join(dir, name); writeFileSync(p, content); return p; };

// ---------------------------------------------------------------------------------------------
// The hand fixture (test/fixtures/hand-small.csv): 16 records, header on line 1, so record k is on
// line k + 1. Mass 2 mg (Capacity / SpeCap = 0.25 / 125). Cycle 1: discharge records 3–7 (lines
// 4–8) at −0.5 mA to 1.0 mAh, rest, charge records 9–13 (lines 10–14) at 0.5 mA to 0.875 mAh,
// rest; cycle 2: discharge records 15–16 (lines 16–17) to 0.25 mAh, no charge.
// ---------------------------------------------------------------------------------------------
describe('the hand fixture through the CLI: keys worked from its text', () => {
  it('ice: irreversible 1.0 − 0.875 = 0.125 mAh; Q_ch 0.875 mAh; lines 4 (first discharge record) to 14 (last charge record)', () => {
    const d = json(['ice', FIX]);
    expect(d.irreversible_mAh).toBeCloseTo(0.125, 12);
    expect(d.q_ch_mAh).toBeCloseTo(0.875, 12);
    expect(d.cycle).toBe(1);
    expect([d.first_line, d.last_line]).toEqual([4, 14]);
    expect([d.mass_mg, d.mass_source]).toEqual([2, 'file']);
  });

  it('cycles: the Cycle-Index written (1, 2); lines 4–14 and 16–17; charge current 0.5 mA; charge energy 0.43375 mWh / 0.002 g = 216.875 mWh/g', () => {
    const d = json(['cycles', FIX]);
    const [c1, c2] = d.cycles;
    expect([c1.vendor_cycle, c2.vendor_cycle]).toEqual([1, 2]);
    expect([c1.first_line, c1.last_line, c2.first_line, c2.last_line]).toEqual([4, 14, 16, 17]);
    expect(c1.i_ch_mA).toBeCloseTo(0.5, 12);
    // charge trapezoid: (0.02+0.09)/2·0.25 + (0.09+0.11)/2·0.25 + (0.11+1.2)/2·0.25 + (1.2+2.5)/2·0.125
    expect(c1.e_ch_mWh_g).toBeCloseTo(0.43375 / 0.002, 9);
    expect(c1.q_ch_mAh).toBeCloseTo(0.875, 12);
    expect(c2.q_dis_mAh).toBeCloseTo(0.25, 12);
  });

  it('split at 0.1 V: discharge crosses at 0.625 mAh (slope 0.625, plateau 0.375 mAh, 62.5 %), charge at 0.375 mAh (plateau 0.375, slope 0.5 mAh, 4/7)', () => {
    const d = json(['split', FIX]);
    expect(d.split_v).toBe(0.1);
    expect(d.dis_slope_mAh).toBeCloseTo(0.625, 12);
    expect(d.dis_plateau_mAh).toBeCloseTo(0.375, 12);
    expect(d.ch_slope_mAh).toBeCloseTo(0.5, 12);
    expect(d.ch_plateau_mAh).toBeCloseTo(0.375, 12);
    expect(d.dis_slope_pct).toBeCloseTo(62.5, 9);
    expect(d.ch_slope_pct).toBeCloseTo(0.5 / 0.875 * 100, 9);
    expect([d.dis_reached_split, d.ch_reached_split]).toEqual([true, true]);
  });

  it('split at 3.0 V (above every voltage written): the discharge is below it from its first record (all plateau, 1.0 mAh); the charge never reaches it (all plateau, 0.875 mAh)', () => {
    const d = json(['split', FIX, '--split', '3']);
    expect(d.split_v).toBe(3);
    expect([d.dis_reached_split, d.ch_reached_split]).toEqual([true, false]);
    expect(d.dis_slope_mAh).toBeCloseTo(0, 12);
    expect(d.dis_plateau_mAh).toBeCloseTo(1.0, 12);
    expect(d.ch_plateau_mAh).toBeCloseTo(0.875, 12);
    expect(d.ch_slope_mAh).toBeCloseTo(0, 12);
    expect(d.dis_plateau_pct).toBeCloseTo(100, 9);
    expect(d.ch_plateau_pct).toBeCloseTo(100, 9);
  });

  it('split at 0.05 V on a cell that never goes below 0.1 V: the discharge never reaches it (all slope, 0.9 mAh); the charge starts above it (all slope)', () => {
    // one cycle, 2 mg: discharge 1.0 → 0.1 V to 0.9 mAh, charge 0.1 → 1.0 V to 0.8 mAh, 4 records each
    const rows = ['Cycle,Step,Record,TestTime/Sec,Voltage/V,Current/mA,Capacity/mAh,State'];
    let rec = 1;
    for (const [dirn, q, step] of [['D', 0.9, 1], ['C', 0.8, 2]] as const) {
      for (let j = 0; j <= 3; j++) rows.push(`1,${step},${rec},${rec * 1080},${(dirn === 'D' ? 1.0 - 0.3 * j : 0.1 + 0.3 * j).toFixed(2)},${dirn === 'D' ? -1 : 1},${(j * q / 3).toFixed(6)},${dirn}`), rec++;
    }
    const d = json(['split', put('above.csv', rows.join('\n') + '\n'), '--split', '0.05', '--mass', '2']);
    expect([d.dis_reached_split, d.ch_reached_split]).toEqual([false, true]);
    expect(d.dis_slope_mAh).toBeCloseTo(0.9, 9);
    expect(d.dis_slope_mAh_g).toBeCloseTo(450, 6);
    expect(d.dis_plateau_mAh).toBeCloseTo(0, 9);
    expect(d.ch_slope_mAh).toBeCloseTo(0.8, 9);
    expect(d.ch_slope_pct).toBeCloseTo(100, 9);
    expect(d.dis_slope_pct).toBeCloseTo(100, 9);
  });

  it('summary: split at 0.1 V, irreversible 0.125 mAh, Q_ch 0.875 mAh, one complete cycle, no cycler table', () => {
    const d = json(['summary', FIX]);
    expect(d.name).toBe('hand-small');
    expect(d.split_v).toBe(0.1);
    expect(d.irreversible_mAh).toBeCloseTo(0.125, 12);
    expect(d.q_ch_mAh).toBeCloseTo(0.875, 12);
    expect(d.dis_slope_mAh_g).toBeCloseTo(312.5, 9);
    expect(d.ch_slope_mAh_g).toBeCloseTo(250, 9);
    expect(d.ch_plateau_pct).toBeCloseTo(0.375 / 0.875 * 100, 9);
    expect([d.cycles, d.last_cycle]).toEqual([1, 1]);
    expect([d.crosscheck, d.crosscheck_max_diff_pct]).toEqual([null, null]);
  });

  it('records: line 12 (record 11) column by column, as written; states from R / D_CC / C_CC', () => {
    const r = hcarb(['records', FIX, '--format', 'ndjson']);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Any);
    expect(rows).toHaveLength(16);
    // 11,11460,3600,0.5,0.5,250,0.11,1,4,C_CC
    expect(rows.find((x) => x.line === 12)).toEqual({
      line: 12, time_s: 11460, step_time_s: 3600, current_mA: 0.5, voltage_V: 0.11, capacity_mAh: 0.5,
      specific_capacity_mAh_g: 250, state: 'charge', vendor_cycle: 1, vendor_step: 4,
    });
    // 16,16560,1800,-0.5,0.25,125,0.30,2,6,D_CC
    expect(rows[15]).toMatchObject({ line: 17, step_time_s: 1800, current_mA: -0.5, specific_capacity_mAh_g: 125, state: 'discharge', vendor_cycle: 2, vendor_step: 6 });
    expect(rows.map((x) => x.state).filter((s) => s === 'rest')).toHaveLength(4);
  });

  it('inspect: 16 records, 4 at rest, 6 steps, 3 half-cycles, 2 cycles (1 complete), Cycle-Index 1–2, 16560 s, 2 mg stated', () => {
    const d = json(['inspect', FIX]);
    expect(d).toMatchObject({
      header_line: 1, column_count: 10, records: 16, rest_records: 4, steps: 6, half_cycles: 3, cycles: 2, complete_cycles: 1,
      vendor_cycles: 2, time_span_s: 16560, time_span: '4 h 36 min', stated_mass_mg: 2, mass_mg: 2, mass_source: 'file',
      skipped_lines: 0, delimiter: ',', decimal_comma: false, capacity_source: 'column', cycler_summary_cycles: null,
    });
    expect(d.columns.map((c: Any) => c.header)).toEqual(readFileSync(FIX, 'utf8').split('\n')[0]!.trim().split(','));
  });
});

// ---------------------------------------------------------------------------------------------
// An analytic 30-cycle cell (the construction of test/dialects.test.ts): 2 mg; cycle n discharges
// Q_dis(n) and charges Q_ch(n) = 0.8 − 0.01 (n − 1) mAh; V linear 2.5 → 0 V on discharge and
// 0 → 2.5 V on charge, sampled every 5 % so interpolation at 0.1 V is exact (discharge reaches it at
// 96 %, charge at 4 %).
// ---------------------------------------------------------------------------------------------
const N = 30;
const qCh = (n: number) => 0.8 - 0.01 * (n - 1);
const qDis = (n: number) => (n === 1 ? 1.0 : qCh(n) + 0.01);
function analyticPlan(): CellPlan {
  const branches: Branch[] = [];
  for (let n = 1; n <= N; n++) {
    branches.push({ dir: 'D', capacityMAh: qDis(n), currentMA: 0.2, restAfterS: 600 });
    branches.push({ dir: 'C', capacityMAh: qCh(n), currentMA: 0.2, restAfterS: 600 });
  }
  return {
    branches, massMg: 2, fractions: Array.from({ length: 21 }, (_, i) => i / 20), initialRestS: 600, initialV: 2.7, sampleS: 300,
    voltage: (d, x) => (d === 'D' ? 2.5 * (1 - x) : 2.5 * x),
  };
}

describe('summary on the analytic 30-cycle cell (--skip 20 --window 5 by default)', () => {
  const file = put('analytic30.csv', landFile(analyticPlan()));
  const d = json(['summary', file, '--mass', '2']);
  it('retention: reference = mean Q_ch(21…25) = 0.58 mAh = 290 mAh/g, final = mean Q_ch(26…30) = 0.53 mAh = 265 mAh/g', () => {
    expect(d.reference_cycles).toBe('21-25');
    expect(d.final_cycles).toBe('26-30');
    expect(d.reference_mAh_g).toBeCloseTo(290, 6);
    expect(d.final_mAh_g).toBeCloseTo(265, 6);
    expect(d.retention_pct).toBeCloseTo(0.53 / 0.58 * 100, 6);
    // the fade line has slope −0.01 mAh per cycle: −0.01 / 0.58 × 100 × 100 % per 100 cycles
    expect(d.fade_pct_per_100_cycles).toBeCloseTo(-0.01 / 0.58 * 1e4, 4);
    expect(d.retention_note ?? null).toBeNull();
  });
  it('last reversible capacity Q_ch(30) = 0.51 mAh = 255 mAh/g; 30 cycles', () => {
    expect([d.cycles, d.last_cycle]).toEqual([30, 30]);
    expect(d.last_rev_mAh_g).toBeCloseTo(255, 6);
    expect(d.last_rev_mAh).toBeCloseTo(0.51, 9);
  });
  it('split of cycle 1: discharge slope 0.96 mAh (480 mAh/g), plateau 0.04 mAh (20 mAh/g, 4 %); charge plateau 4 % of 0.8 mAh (16 mAh/g), slope 384 mAh/g', () => {
    expect(d.dis_slope_mAh_g).toBeCloseTo(480, 6);
    expect(d.dis_plateau_mAh_g).toBeCloseTo(20, 6);
    expect(d.ch_plateau_mAh_g).toBeCloseTo(16, 6);
    expect(d.ch_slope_mAh_g).toBeCloseTo(384, 6);
    expect(d.dis_plateau_pct).toBeCloseTo(4, 6);
    expect(d.ch_plateau_pct).toBeCloseTo(4, 6);
    expect(d.irreversible_mAh).toBeCloseTo(0.2, 9);
    expect(d.q_dis_mAh).toBeCloseTo(1.0, 9);
    expect(d.q_ch_mAh).toBeCloseTo(0.8, 9);
  });
});

describe('retention through the CLI on the analytic 30-cycle cell', () => {
  const file = put('analytic30-ret.csv', landFile(analyticPlan()));
  it('--skip 5 --window 4: reference mean Q_ch(6…9) = 0.735 mAh, final mean Q_ch(27…30) = 0.525 mAh, fade −0.01 mAh (−5 mAh/g) per cycle', () => {
    const d = json(['retention', file, '--mass', '2', '--skip', '5', '--window', '4']);
    expect([d.skip, d.window, d.cycles, d.reference_cycles, d.final_cycles]).toEqual([5, 4, 30, '6-9', '27-30']);
    expect(d.reference_mAh).toBeCloseTo(0.735, 9);
    expect(d.final_mAh).toBeCloseTo(0.525, 9);
    expect(d.reference_mAh_g).toBeCloseTo(367.5, 6);
    expect(d.final_mAh_g).toBeCloseTo(262.5, 6);
    expect(d.retention_pct).toBeCloseTo(0.525 / 0.735 * 100, 6);
    expect(d.plain_ratio_pct).toBeCloseTo(qCh(30) / qCh(6) * 100, 6);
    expect(d.fade_mAh_per_cycle).toBeCloseTo(-0.01, 9);
    expect(d.fade_mAh_g_per_cycle).toBeCloseTo(-5, 6);
    expect(d.fade_pct_per_100_cycles).toBeCloseTo(-0.01 / 0.735 * 1e4, 4);
  });
  it('--ref-cycle 3 --at 10,30: Q_rev(10) = 0.71 mAh = 355 mAh/g, Q_rev(30) = 0.51 mAh, against Q_ch(3) = 0.78 mAh = 390 mAh/g', () => {
    const d = json(['retention', file, '--mass', '2', '--ref-cycle', '3', '--at', '10,30']);
    const [a, b] = d.at;
    expect([a.cycle, b.cycle]).toEqual([10, 30]);
    expect(a.q_rev_mAh).toBeCloseTo(0.71, 9);
    expect(a.q_rev_mAh_g).toBeCloseTo(355, 6);
    expect(b.q_rev_mAh).toBeCloseTo(0.51, 9);
    expect(b.retention_pct).toBeCloseTo(0.51 / 0.78 * 100, 6);
    expect(a.reference_mAh_g).toBeCloseTo(390, 6);
    expect(a.reference_cycles).toBe('3');
  });
});

describe("summary's cross-check against the cycler's own Cycle section (mixed LAND CSV)", () => {
  it('untouched: ok, largest difference below the 6 decimals written; cycle 1 charge × 1.02 in the table: differs by 0.02 / 1.02 = 1.961 %', () => {
    const ok = json(['summary', put('mixed-ok.csv', mixedCsv(analyticPlan())), '--mass', '2']);
    expect(ok.crosscheck).toBe('ok');
    expect(ok.crosscheck_max_diff_pct).toBeLessThan(1e-3);
    const r = hcarb(['summary', put('mixed-bad.csv', mixedCsv(analyticPlan(), { cycle: 1, factor: 1.02 })), '--mass', '2', '--json']);
    const bad = one(r.stdout);
    expect(bad.crosscheck).toBe('differs');
    // charge capacity: |0.8 − 0.816| / 0.816; the efficiency differs by 81.6 − 80 = 1.6 points, less
    expect(bad.crosscheck_max_diff_pct).toBeCloseTo(0.02 / 1.02 * 100, 4);
  });
});

// ---------------------------------------------------------------------------------------------
// Rate steps through the CLI on a file written here: 2 mg, each half-cycle 4 records with the
// capacity rising linearly to q at constant |I| (time consistent with I·t).
// ---------------------------------------------------------------------------------------------
function rateFile(): string {
  // [insertion current mA, Q_dis, Q_ch] per cycle
  const plan: [number, number, number][] = [[0.1, 1.0, 0.8], [0.2, 0.62, 0.6], [0.2, 0.6, 0.58], [0.4, 0.52, 0.5], [0.4, 0.49, 0.48], [0.2, 0.58, 0.57], [0.2, 0.57, 0.55]];
  const rows = ['Cycle,Step,Record,TestTime/Sec,Voltage/V,Current/mA,Capacity/mAh,State'];
  let rec = 1, step = 1, t = 0;
  plan.forEach(([i, qd, qc], k) => {
    for (const [dirn, q] of [['D', qd], ['C', qc]] as const) {
      for (let j = 0; j <= 3; j++) {
        if (j > 0) t += (q / 3) / i * 3600;
        const v = dirn === 'D' ? 1.0 - j * 0.3 : 0.1 + j * 0.3;
        rows.push(`${k + 1},${step},${rec++},${t.toFixed(3)},${v.toFixed(2)},${dirn === 'D' ? -i : i},${(j * q / 3).toFixed(6)},${dirn}`);
      }
      step++;
    }
  });
  return put('rate-hand.csv', rows.join('\n') + '\n');
}

describe('rate through the CLI on a hand-made run: formation 50 mA/g, 100 (cycles 2–3), 200 (4–5), back to 100 (6–7)', () => {
  const d = json(['rate', rateFile(), '--mass', '2', '--nominal', '400']);
  const sd2 = (a: number, b: number) => Math.abs(a - b) / Math.SQRT2; // sample SD of two values
  it('step keys: currents, cycles, means and sample SDs (mAh and mAh/g), CE, against step 1', () => {
    const [s1, s2, s3] = d.steps;
    expect(d.steps.map((s: Any) => [s.step, s.first_cycle, s.last_cycle, s.n, s.cycles])).toEqual([[1, 2, 3, 2, '2-3'], [2, 4, 5, 2, '4-5'], [3, 6, 7, 2, '6-7']]);
    expect(s1.i_mA).toBeCloseTo(0.2, 9);
    expect(s1.i_mA_g).toBeCloseTo(100, 6);
    expect(s2.i_mA).toBeCloseTo(0.4, 9);
    expect(s2.c_rate).toBeCloseTo(200 / 400, 9);
    expect(s1.q_dis_mean_mAh).toBeCloseTo(0.61, 9);
    expect(s1.q_dis_sd_mAh).toBeCloseTo(sd2(0.62, 0.6), 9);
    expect(s1.q_ch_mean_mAh).toBeCloseTo(0.59, 9);
    expect(s1.q_ch_sd_mAh).toBeCloseTo(sd2(0.6, 0.58), 9);
    expect(s1.q_dis_mean_mAh_g).toBeCloseTo(305, 6);
    expect(s1.q_dis_sd_mAh_g).toBeCloseTo(sd2(310, 300), 6);
    expect(s1.q_ch_mean_mAh_g).toBeCloseTo(295, 6);
    expect(s1.q_ch_sd_mAh_g).toBeCloseTo(sd2(300, 290), 6);
    expect(s1.ce_mean_pct).toBeCloseTo((0.6 / 0.62 + 0.58 / 0.6) / 2 * 100, 6);
    expect(s1.ce_sd_pct).toBeCloseTo(sd2(0.6 / 0.62 * 100, 0.58 / 0.6 * 100), 6);
    expect(s2.q_dis_sd_mAh).toBeCloseTo(sd2(0.52, 0.49), 9);
    expect(s2.q_ch_mean_mAh_g).toBeCloseTo(245, 6);
    expect(s3.q_ch_sd_mAh_g).toBeCloseTo(sd2(285, 275), 6);
    expect(s1.rev_vs_first_pct).toBeCloseTo(100, 9);
    expect(s2.rev_vs_first_pct).toBeCloseTo(0.49 / 0.59 * 100, 6);
    expect(s3.rev_vs_first_pct).toBeCloseTo(0.56 / 0.59 * 100, 6);
    expect(d.recovery_pct).toBeCloseTo(0.56 / 0.59 * 100, 6);
    expect([d.mass_mg, d.mass_source]).toEqual([2, 'flag']);
  });
});

// ---------------------------------------------------------------------------------------------
// GITT: every per-pulse key against the generator's truth (src/generate/gitt.ts).
// ---------------------------------------------------------------------------------------------
describe('GITT per-pulse keys against the analytic run', () => {
  const plan = defaultGittPlan();
  const { records, truth } = gittRun(plan);
  const file = put('gitt.csv', encodeLines(recordLines(records, plan.massMg, {}, 6)));
  // The pulses in the written file: runs of current records in cycle 2 (record k is on line k + 2).
  const runs: { first: number; last: number }[] = [];
  records.forEach((r, k) => {
    if (r.cycle !== 2 || r.state === 'R') return;
    const last = runs[runs.length - 1];
    if (last && last.last === k + 1) last.last = k + 2; else runs.push({ first: k + 2, last: k + 2 });
  });
  const endpoint = json(['gitt', file, '--mass', '3.8']).pulses as Any[];
  const sqrt = json(['gitt', file, '--mass', '3.8', '--etau', 'sqrt']).pulses as Any[];
  const above = (i: number) => truth[i]!.dEs_V > 1e-6;

  it('pulse numbers 1…77 in file order, all in cycle 2 (cycle 1 is the formation), τ = 600 s, lines = the current records of each pulse', () => {
    expect(runs).toHaveLength(truth.length);
    expect(endpoint.map((p) => p.pulse)).toEqual(truth.map((_, i) => i + 1));
    expect(endpoint.every((p) => p.cycle === 2 && p.tau_s === plan.tauS)).toBe(true);
    expect(endpoint.map((p) => [p.first_line, p.last_line])).toEqual(runs.map((r) => [r.first, r.last]));
  });

  it('ΔE_s within 2 µV (two readings of 1 µV) of the truth; ΔE_τ by either method within 0.1 %; dEtau_mV is the chosen one', () => {
    endpoint.forEach((p, i) => {
      const t = truth[i]!;
      expect(Math.abs(p.dEs_mV - t.dEs_V * 1000), `pulse ${i + 1}`).toBeLessThan(0.002);
      if (!above(i)) return; // ΔE_s of 0.3 µV: ΔE_τ is a few µV, below what the file resolves
      expect(Math.abs(p.dEtau_endpoint_mV / (t.dEtau_V * 1000) - 1), `pulse ${i + 1}`).toBeLessThan(1e-3);
      expect(Math.abs(p.dEtau_sqrt_mV / (t.dEtau_V * 1000) - 1), `pulse ${i + 1}`).toBeLessThan(1e-3);
      expect(Math.abs(p.dEtau_mV / (t.dEtau_V * 1000) - 1)).toBeLessThan(1e-3);
      expect(Math.abs(sqrt[i].dEtau_mV / (t.dEtau_V * 1000) - 1)).toBeLessThan(1e-3);
    });
  });

  it('log10_d within 0.005 of log10 of the true D (D within about 1 %), for both methods', () => {
    let checked = 0;
    endpoint.forEach((p, i) => {
      if (!above(i)) return;
      const truthLog = Math.log10(truth[i]!.d_cm2_s);
      expect(Math.abs(p.log10_d - truthLog), `pulse ${i + 1}`).toBeLessThan(0.005);
      expect(Math.abs(sqrt[i].log10_d - truthLog), `pulse ${i + 1}`).toBeLessThan(0.005);
      checked++;
    });
    expect(checked).toBe(truth.length - 3);
  });
});

// ---------------------------------------------------------------------------------------------
// dQ/dV and dV/dQ on a branch written here: V moves 1 mV per record between 1.0 and 0.1 V at
// 1 mA; |dQ/dV| = 1 mAh/V everywhere except a box of 11 mAh/V between 0.45 and 0.50 V, so the
// branch passes 0.9 + 0.5 = 1.4 mAh. Q(V) on discharge: (1.0 − V) + 10 · (the part of [0.45, 0.50]
// above V); the charge retraces it. Voltages to 4 decimals, exact.
// ---------------------------------------------------------------------------------------------
function boxFile(withMass: boolean): string {
  // below 0.45 V the whole box (0.5 mAh) has passed; inside it, 10 · (0.50 − V)
  const qDis = (v: number) => (1.0 - v) + (v <= 0.45 ? 0.5 : v < 0.5 ? 10 * (0.5 - v) : 0);
  const total = qDis(0.1);
  const rows = [`Record,TestTime/Sec,Current/mA,Capacity/mAh,${withMass ? 'SpeCap/mAh/g,' : ''}Voltage/V,Cycle-Index,Step-Index,Step-State`];
  let rec = 1, t = 0;
  const push = (cur: number, q: number, v: number, step: number, st: string) => {
    rows.push(`${rec++},${t.toFixed(4)},${cur},${q.toFixed(9)},${withMass ? (q / 0.002).toFixed(6) + ',' : ''}${v.toFixed(4)},1,${step},${st}`);
  };
  push(0, 0, 1.0, 1, 'R');
  for (let k = 0; k <= 900; k++) { const v = 1.0 - k / 1000, q = qDis(v); t = 10 + q * 3600; push(-1, q, v, 2, 'D_CC'); }
  const t0 = t;
  for (let k = 0; k <= 900; k++) { const v = 0.1 + k / 1000, q = total - qDis(v); t = t0 + 1 + q * 3600; push(1, q, v, 3, 'C_CC'); }
  return put(withMass ? 'box-mass.csv' : 'box.csv', rows.join('\n') + '\n');
}

describe('dqdv keys on a hand-built branch with a box peak (11 mAh/V between 0.45 and 0.50 V on 1 mAh/V)', () => {
  const nd = (args: string[]): Any[] => {
    const r = hcarb([...args, '--format', 'ndjson', '-q']);
    expect(r.code, r.stderr).toBe(0);
    return r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  };
  const near = (rows: Any[], key: string, x: number) => rows.reduce((b, r) => (Math.abs(r[key] - x) < Math.abs(b[key] - x) ? r : b));
  const withMass = boxFile(true), noMass = boxFile(false);

  // The analytic branch: Q passed on discharge at V, and |dQ/dV| at V (off the kinks).
  const qDis = (v: number) => (1.0 - v) + (v <= 0.45 ? 0.5 : v < 0.5 ? 10 * (0.5 - v) : 0);
  const slope = (v: number) => (v > 0.45 && v < 0.5 ? 11 : 1);
  const offKinks = (r: Any) => [0.45, 0.5].every((k) => Math.abs(r.v - k) > 0.0006);

  it('every curve row, 2 mg: dQ/dV = ∓1 (off the box) or ∓11 mAh/V (on it) / 0.002 g; Q at the row voltage = the analytic Q(V) / 0.002 g', () => {
    const rows = nd(['dqdv', withMass, '--step', '0.001']).filter(offKinks);
    const dis = rows.filter((r) => r.branch === 'discharge'), ch = rows.filter((r) => r.branch === 'charge');
    expect(dis.length).toBeGreaterThan(800);
    expect(ch.length).toBeGreaterThan(800);
    for (const r of dis) {
      expect(r.dqdv_mAh_g_V, `discharge ${r.v} V`).toBeCloseTo(-slope(r.v) / 0.002, 4);
      expect(r.q_mAh_g, `discharge ${r.v} V`).toBeCloseTo(qDis(r.v) / 0.002, 4);
    }
    for (const r of ch) {
      expect(r.dqdv_mAh_g_V, `charge ${r.v} V`).toBeCloseTo(slope(r.v) / 0.002, 4);
      expect(r.q_mAh_g, `charge ${r.v} V`).toBeCloseTo((qDis(0.1) - qDis(r.v)) / 0.002, 4);
    }
  });

  it('without a mass: dqdv_mAh_V = −1 or −11 mAh/V and q_mAh = Q(V) on every discharge row', () => {
    const dis = nd(['dqdv', noMass, '--step', '0.001']).filter((r) => r.branch === 'discharge').filter(offKinks);
    for (const r of dis) {
      expect(r.dqdv_mAh_V, `${r.v} V`).toBeCloseTo(-slope(r.v), 7);
      expect(r.q_mAh, `${r.v} V`).toBeCloseTo(qDis(r.v), 7);
    }
    expect(dis[0]).not.toHaveProperty('dqdv_mAh_g_V');
  });

  it('--peaks: one peak per branch, on the box, 11 mAh/V high with prominence 11 − 1 = 10 mAh/V (5000 mAh/g/V with 2 mg)', () => {
    const pk = nd(['dqdv', withMass, '--step', '0.001', '--peaks']);
    expect(pk.map((p) => [p.branch, p.rank])).toEqual([['discharge', 1], ['charge', 1]]);
    for (const p of pk) {
      expect(p.peak_v).toBeGreaterThanOrEqual(0.45);
      expect(p.peak_v).toBeLessThanOrEqual(0.5);
      expect(Math.abs(p.dqdv_mAh_g_V)).toBeCloseTo(5500, 6);
      expect(p.prominence_mAh_g_V).toBeCloseTo(5000, 6);
    }
    const plain = nd(['dqdv', noMass, '--step', '0.001', '--peaks']);
    for (const p of plain) expect(p.prominence_mAh_V).toBeCloseTo(10, 9);
  });

  it('--dvdq: dV/dQ = −1 V/mAh off the box and −1/11 on it; per gram × 0.002 g: −0.002 and −0.002/11 V/(mAh/g)', () => {
    const dis = nd(['dqdv', noMass, '--dvdq']).filter((r) => r.branch === 'discharge');
    expect(near(dis, 'q_mAh', 0.2).dvdq_V_mAh).toBeCloseTo(-1, 6);   // V = 0.8
    expect(near(dis, 'q_mAh', 0.75).dvdq_V_mAh).toBeCloseTo(-1 / 11, 6); // inside the box (Q 0.5…1.05)
    expect(near(dis, 'q_mAh', 1.2).dvdq_V_mAh).toBeCloseTo(-1, 6);   // V = 0.3
    const g = nd(['dqdv', withMass, '--dvdq']).filter((r) => r.branch === 'discharge');
    expect(near(g, 'q_mAh_g', 100).dvdq_V_mAh_g).toBeCloseTo(-0.002, 9);
    expect(near(g, 'q_mAh_g', 375).dvdq_V_mAh_g).toBeCloseTo(-0.002 / 11, 9);
    expect(near(g, 'q_mAh_g', 100).v).toBeCloseTo(0.8, 3);
  });
});

// ---------------------------------------------------------------------------------------------
// EIS standard errors, χ², AIC and BIC recomputed here: the model is the generator's own element
// formulas (src/generate/eis.ts) at the fitted values, the Jacobian by central differences, the
// covariance s² (JᵀJ)⁻¹ with s² = χ² / (2N − p), residuals (Z_model − Z_data) / |Z_data| (the
// modulus weighting of science.md), AIC = 2N ln(χ²/2N) + 2p, BIC = 2N ln(χ²/2N) + p ln 2N.
// ---------------------------------------------------------------------------------------------
type Zf = (w: number) => { re: number; im: number };
interface Spec { f: Float64Array; re: Float64Array; im: Float64Array }
function specOf(text: string): Spec {
  const f = parseChiText(text, 'gen.txt');
  return { f: column(f, 'freqHz')!, re: column(f, 'zReOhm')!, im: column(f, 'zImOhm')! };
}
function residuals(s: Spec, z: Zf): number[] {
  const out: number[] = [];
  s.f.forEach((f, k) => {
    const m = z(2 * Math.PI * f), w = 1 / Math.hypot(s.re[k]!, s.im[k]!);
    out.push(w * (m.re - s.re[k]!), w * (m.im - s.im[k]!));
  });
  return out;
}
/** Standard errors and fit statistics of `model(values)` on `s`, worked here. */
function independentSe(s: Spec, values: number[], model: (v: number[]) => Zf) {
  const r0 = residuals(s, model(values));
  const chi2 = r0.reduce((a, x) => a + x * x, 0);
  const J = values.map((v, j) => {
    const h = Math.abs(v) * 1e-6;
    const up = [...values], dn = [...values];
    up[j] = v + h; dn[j] = v - h;
    const a = residuals(s, model(up)), b = residuals(s, model(dn));
    return a.map((x, k) => (x - b[k]!) / (2 * h));
  });
  const p = values.length, n2 = 2 * s.f.length;
  const jtj = J.map((ci) => J.map((cj) => ci.reduce((acc, x, k) => acc + x * cj[k]!, 0)));
  const inv = inverse(jtj);
  const s2 = chi2 / (n2 - p);
  return {
    se: inv.map((row, j) => Math.sqrt(s2 * row[j]!)), chi2, chi2_dof: s2,
    aic: n2 * Math.log(chi2 / n2) + 2 * p, bic: n2 * Math.log(chi2 / n2) + p * Math.log(n2),
  };
}

describe('EIS standard errors and fit statistics against an independent recomputation (generated spectra, 0.3 % noise)', () => {
  const cases: { name: string; circuit: string; text: string; keys: string[]; aliases: Record<string, string>; model: (v: number[]) => Zf }[] = [
    {
      name: 'randles', circuit: 'randles',
      text: G.chiEisText(G.randles({ r0: 5, rct: 50, cdl: 2e-5, sigma: 30 }), { noisePct: 0.3, seed: 11 }),
      keys: ['R0_ohm', 'R1_ohm', 'C1_F', 'W1_sigma_ohm_s05'],
      aliases: { R0_ohm: 'r_ohm', R1_ohm: 'r_ct_ohm', C1_F: 'c_dl_f', W1_sigma_ohm_s05: 'sigma_w_ohm_s05' },
      model: ([r0, rct, cdl, sigma]) => G.randles({ r0: r0!, rct: rct!, cdl: cdl!, sigma: sigma! }),
    },
    {
      name: 'randles-cpe', circuit: 'randles-cpe',
      text: G.chiEisText(G.series(G.R(5), G.parallel(G.CPE(4e-5, 0.85), G.series(G.R(50), G.W(30)))), { noisePct: 0.3, seed: 12 }),
      keys: ['R0_ohm', 'CPE1_q', 'CPE1_n', 'R1_ohm', 'W1_sigma_ohm_s05'],
      aliases: { R0_ohm: 'r_ohm', R1_ohm: 'r_ct_ohm', CPE1_q: 'q_cpe', CPE1_n: 'n_cpe', W1_sigma_ohm_s05: 'sigma_w_ohm_s05' },
      model: ([r0, q, n, rct, sigma]) => G.series(G.R(r0!), G.parallel(G.CPE(q!, n!), G.series(G.R(rct!), G.W(sigma!)))),
    },
    {
      name: 'two-arc preset', circuit: 'two-arc',
      text: G.chiEisText(G.twoArcW({ r0: 10, r1: 30, q1: 2e-5, n1: 0.9, r2: 100, q2: 5e-4, n2: 0.85, sigma: 20 }), { noisePct: 0.3, seed: 14 }),
      keys: ['R0_ohm', 'R1_ohm', 'CPE1_q', 'CPE1_n', 'R2_ohm', 'CPE2_q', 'CPE2_n', 'W1_sigma_ohm_s05'],
      aliases: { R0_ohm: 'r_ohm', R1_ohm: 'r_sei_ohm', R2_ohm: 'r_ct_ohm', W1_sigma_ohm_s05: 'sigma_w_ohm_s05' },
      model: ([r0, r1, q1, n1, r2, q2, n2, sigma]) => G.twoArcW({ r0: r0!, r1: r1!, q1: q1!, n1: n1!, r2: r2!, q2: q2!, n2: n2!, sigma: sigma! }),
    },
    {
      name: 'two arcs, Warburg and a series inductance', circuit: 'L0-R0-p(R1,CPE1)-p(R2,CPE2)-W1',
      text: G.chiEisText(G.twoArcW({ l: 2e-7, r0: 10, r1: 30, q1: 2e-5, n1: 0.9, r2: 100, q2: 5e-4, n2: 0.85, sigma: 20 }), { noisePct: 0.3, seed: 13, fHigh: 1e6 }),
      keys: ['L0_H', 'R0_ohm', 'R1_ohm', 'CPE1_q', 'CPE1_n', 'R2_ohm', 'CPE2_q', 'CPE2_n', 'W1_sigma_ohm_s05'],
      aliases: {},
      model: ([l, r0, r1, q1, n1, r2, q2, n2, sigma]) => G.twoArcW({ l: l!, r0: r0!, r1: r1!, q1: q1!, n1: n1!, r2: r2!, q2: q2!, n2: n2!, sigma: sigma! }),
    },
  ];
  it.each(cases.map((c) => [c.name, c] as const))('%s: every _se (and its paper-name alias) within 1 %, χ², χ²/dof, AIC and BIC', (_n, c) => {
    const s = specOf(c.text);
    const f = fitCircuit(s, c.circuit);
    const row = fitRow(f) as Record<string, number | null>;
    expect(f.undetermined).toEqual([]);
    const values = c.keys.map((k) => row[k] as number);
    const mine = independentSe(s, values, c.model);
    c.keys.forEach((k, j) => {
      expect(Math.abs((row[k + '_se'] as number) / mine.se[j]! - 1), `${k}_se ${row[k + '_se']} vs ${mine.se[j]}`).toBeLessThan(0.01);
      const a = c.aliases[k];
      if (a) expect(row[a + '_se'], a).toBe(row[k + '_se']);
    });
    expect(Math.abs(row.chi2! / mine.chi2 - 1)).toBeLessThan(1e-6);
    expect(Math.abs(row.chi2_dof! / mine.chi2_dof - 1)).toBeLessThan(1e-6);
    expect(row.aic!).toBeCloseTo(mine.aic, 4);
    expect(row.bic!).toBeCloseTo(mine.bic, 4);
    expect(row.points).toBe(s.f.length);
  });
});

describe('eis --nyquist rows on the bundled Randles sample', () => {
  it("z_re_ohm, z_im_ohm are the file's Z′, Z″; fit_z_* are the generator's Randles formula at the fitted values", () => {
    const SAMPLE = ROOT + 'samples/npnhc-eis.txt';
    const d = json(['eis', SAMPLE, '--model', 'randles']);
    const z = G.randles({ r0: d.R0_ohm, rct: d.R1_ohm, cdl: d.C1_F, sigma: d.W1_sigma_ohm_s05 });
    const text = readFileSync(SAMPLE, 'utf8').split('\n').filter((l) => /^\d/.test(l)).map((l) => l.split(',').map(Number));
    const r = hcarb(['eis', SAMPLE, '--model', 'randles', '--nyquist', '--format', 'ndjson', '-q']);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Any);
    expect(rows).toHaveLength(text.length);
    rows.forEach((p, k) => {
      expect([p.freq_hz, p.z_re_ohm, p.z_im_ohm]).toEqual([text[k]![0], text[k]![1], text[k]![2]]);
      const m = z(2 * Math.PI * p.freq_hz);
      expect(Math.abs(p.fit_z_re_ohm / m.re - 1)).toBeLessThan(1e-9);
      expect(Math.abs(p.fit_z_im_ohm / m.im - 1)).toBeLessThan(1e-9);
      expect(Math.abs(p.fit_z_mod_ohm / Math.hypot(m.re, m.im) - 1)).toBeLessThan(1e-9);
      expect(p.fit_phase_deg).toBeCloseTo(Math.atan2(m.im, m.re) * 180 / Math.PI, 6);
      expect(p.fitted).toBe(true);
    });
  });

  it('--conc 1e-3: the SE of D is 2 D · SE(σ)/σ (D ∝ σ⁻²), under both names', () => {
    const d = json(['eis', ROOT + 'samples/npnhc-eis.txt', '--model', 'randles', '--conc', '1e-3']);
    expect(d.W1_d_cm2_s_se).toBe(d.d_cm2_s_se);
    expect(d.W1_d_cm2_s_se / (2 * d.W1_d_cm2_s * d.W1_sigma_ohm_s05_se / d.W1_sigma_ohm_s05)).toBeCloseTo(1, 9);
  });
});

// ---------------------------------------------------------------------------------------------
// CV keys against the generator's model (src/generate/cv.ts): Gaussian peaks
// h·exp(−((E − e)/w)²) in k1 on a flat background, current = k1 · v.
// ---------------------------------------------------------------------------------------------
const putCv = (name: string, o: GenCvOptions) => put(name, chiCvModelText(o));

describe('cv peak rows on a generated CV: one Gaussian per sweep (h = 10 µA, w = 40 mV) on a flat 2 µA background, 1 V/s', () => {
  const h = 1e-5, w = 0.04;
  const model = cvModel({ slope: { at0: 2e-6, perV: 0 }, k1Anodic: [{ e: 0.31, height: h, width: w }], k1Cathodic: [{ e: 0.23, height: h, width: w }] });
  const f = putCv('one-peak.txt', { low: -0.2, high: 0.8, init: -0.2, initDir: 'P', rate: 1, segments: 2, model });
  const r = hcarb(['cv', f, '--format', 'ndjson', '-q']);
  const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Any);

  it('scan_rate_v_s is the 1 V/s written; prominence_a = h within 2 % (the background is flat on both sides)', () => {
    expect(r.code, r.stderr).toBe(0);
    expect(rows.map((x) => [x.sweep, x.direction])).toEqual([[1, 'anodic'], [2, 'cathodic']]);
    for (const x of rows) {
      expect(x.scan_rate_v_s).toBe(1);
      expect(Math.abs(x.prominence_a / h - 1), `sweep ${x.sweep}`).toBeLessThan(0.02);
    }
  });

  it('inspect: 1001 + 1000 points (−0.2 → 0.8 → −0.2 V at 1 mV), 2 sweeps, no Segment blocks in the data', () => {
    const d = json(['inspect', f]);
    expect(d).toMatchObject({ instrument: 'CHI', technique: 'Cyclic Voltammetry', technique_key: 'cv', points: 2001, sweeps: 2, segment_blocks_in_data: false });
  });

  it('baseline_from_v … baseline_to_v lies before the peak in the sweep direction, where the Gaussian is below 1 % of h', () => {
    const [an, ca] = rows;
    const gauss = (e: number, e0: number) => Math.exp(-(((e - e0) / w) ** 2));
    expect(an.baseline_from_v).toBeLessThan(an.baseline_to_v);
    expect(an.baseline_to_v).toBeLessThan(an.ep_v);
    expect(ca.baseline_from_v).toBeGreaterThan(ca.baseline_to_v);
    expect(ca.baseline_to_v).toBeGreaterThan(ca.ep_v);
    for (const e of [an.baseline_from_v, an.baseline_to_v]) expect(gauss(e, 0.31)).toBeLessThan(0.01);
    for (const e of [ca.baseline_from_v, ca.baseline_to_v]) expect(gauss(e, 0.23)).toBeLessThan(0.01);
  });
});

describe("cv --dunn charges against the model's integrals (five scan rates, 0.5 % noise, the cv-cli model)", () => {
  const P = { k2a: { e: 0.35, height: 3e-3, width: 0.05 }, k1a: { e: 0.6, height: 0.02, width: 0.05 }, k1c: { e: 0.3, height: 0.03, width: 0.05 }, k2c: { e: 0.3, height: 1.5e-3, width: 0.05 } };
  const model = cvModel({ capF: 0.02, slope: { at0: 0.004, perV: 0.01 }, k2Anodic: [P.k2a], k1Anodic: [P.k1a], k1Cathodic: [P.k1c], k2Cathodic: [P.k2c] });
  const rates = [0.0002, 0.0005, 0.001, 0.002, 0.005];
  const files = rates.map((v, k) => putCv(`dunn-${v}.txt`, { low: 0, high: 0.9, init: 0, initDir: 'P', rate: v, segments: 6, model, noisePct: 0.5, seed: 100 + k }));

  it('q_total_c = ∫|i| dE / v within 2 %; q_capacitive_c = ∫|k1·v| dE / v within 2 % of q_total (the share test\'s tolerance)', () => {
    const d = json(['cv', ...files, '--dunn']);
    expect(d.shares).toHaveLength(10);
    for (const x of d.shares as Any[]) {
      const dirn = x.direction === 'anodic' ? 1 : -1, v = x.scan_rate_v_s as number, dE = 0.0005;
      let qc = 0, qt = 0;
      for (let e = x.e_from_v; e <= x.e_to_v + 1e-9; e += dE) { qc += Math.abs(model.k1(e, dirn) * v) * dE / v; qt += Math.abs(modelCurrent(model, e, dirn, v)) * dE / v; }
      expect(Math.abs(Math.abs(x.q_total_c) / qt - 1), `${v} ${x.direction}`).toBeLessThan(0.02);
      expect(Math.abs(Math.abs(x.q_capacitive_c) - qc) / qt, `${v} ${x.direction}`).toBeLessThan(0.02);
      expect(x.capacitive_share_pct).toBeCloseTo(Math.abs(x.q_capacitive_c / x.q_total_c) * 100, 6);
    }
  });
});
