// Per-cycle voltages, energies and currents by hand; the constant-current |I| under a CV tail;
// retention variants against the generator's capacities; replicate statistics by hand; sanity
// warnings; early stop after cycle N.
import { readFileSync } from 'node:fs';
import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { loadCycling, readAssumptions } from '../src/load.js';
import { CyclingReducer } from '../src/analysis/cycling.js';
import { cycleRows, ice, resolveMass, retention, retentionAt } from '../src/analysis/metrics.js';
import { groupByRegex, groupRows, groupStats } from '../src/analysis/stats.js';
import { capacityHint, firstCycleEfficiencyWarning, loadingMixupWarning } from '../src/analysis/sanity.js';
import { hardCarbonPlan, landLines, encodeLines } from '../src/generate/land.js';
import type { CyclerRecord } from '../src/types.js';
import { bytesInput, CORPUS, fileInput, HAVE_CORPUS, ROOT } from './helpers/io.js';

const FIX = new URL('./fixtures/hand-small.csv', import.meta.url).pathname;
const SAMPLE = ROOT + 'samples/npnhc-t1200.csv';

describe('per-cycle figures on the hand-worked fixture (test/fixtures/hand-small.csv, 2 mg)', async () => {
  const { data } = await loadCycling(fileInput(FIX), { first: 'discharge', splitV: 0.1 });
  const mass = resolveMass(null, data, []);
  const rows = cycleRows(data, mass, { areaCm2: 1.131, nominalMAhG: 300 });
  const r = rows[0]!;

  it('energy = trapezoid ∫V dQ: discharge (2.5+0.4)/2·0.25 + (0.4+0.12)/2·0.25 + (0.12+0.08)/2·0.25 + 0.08/2·0.25 = 0.4625 mWh', () => {
    expect(r.e_dis_mWh).toBeCloseTo(0.4625, 12);
    expect(r.e_dis_mWh_g).toBeCloseTo(231.25, 9);
    expect(r.v_avg_dis_V).toBeCloseTo(0.4625, 12);
  });

  it('charge: 0.01375 + 0.025 + 0.16375 + (1.2+2.5)/2·0.125 = 0.43375 mWh over 0.875 mAh → 0.495714 V', () => {
    expect(r.e_ch_mWh).toBeCloseTo(0.43375, 12);
    expect(r.v_avg_ch_V).toBeCloseTo(0.43375 / 0.875, 12);
    expect(r.hysteresis_V).toBeCloseTo(0.43375 / 0.875 - 0.4625, 12);
    expect(r.ee_pct).toBeCloseTo(0.4625 / 0.43375 * 100, 9);
  });

  it('current 0.5 mA / 2 mg = 250 mA/g, C-rate 250/300; end voltages 0.00 and 2.50 V; 1.0 mAh / 1.131 cm²', () => {
    expect(r.i_dis_mA).toBeCloseTo(0.5, 12);
    expect(r.i_dis_mA_g).toBeCloseTo(250, 9);
    expect(r.i_ch_mA_g).toBeCloseTo(250, 9);
    expect(r.c_rate).toBeCloseTo(250 / 300, 12);
    expect(r.v_end_dis_V).toBe(0);
    expect(r.v_end_ch_V).toBe(2.5);
    expect(r.q_dis_mAh_cm2).toBeCloseTo(1 / 1.131, 12);
    expect(r.q_ch_mAh_cm2).toBeCloseTo(0.875 / 1.131, 12);
  });

  it('cycle 2 has no charge: its charge figures, EE and hysteresis are null; the discharge so far is (2.4+0.3)/2·0.25', () => {
    const c2 = rows[1]!;
    expect(c2.e_dis_mWh).toBeCloseTo(0.3375, 12);
    expect([c2.e_ch_mWh, c2.v_avg_ch_V, c2.ee_pct, c2.hysteresis_V, c2.v_end_ch_V, c2.q_ch_mAh_cm2, c2.i_ch_mA_g]).toEqual([null, null, null, null, null, null, null]);
  });

  it('without area or nominal capacity, areal capacity and C-rate are null', () => {
    const plain = cycleRows(data, mass)[0]!;
    expect([plain.c_rate, plain.q_dis_mAh_cm2]).toEqual([null, null]);
    const noMass = cycleRows(data, { massMg: null, source: 'none' }, { nominalMAhG: 300 })[0]!;
    expect([noMass.i_dis_mA_g, noMass.c_rate, noMass.e_dis_mWh_g]).toEqual([null, null, null]);
    expect(noMass.i_dis_mA).toBeCloseTo(0.5, 12);
  });
});

/** A record with the given fields (the rest empty). */
function rec(line: number, timeS: number, currentMA: number, voltageV: number, capacityMAh: number | null, stateKind: 'D' | 'C' | 'R' | null = null): CyclerRecord {
  return { line, timeS, stepTimeS: null, voltageV, currentMA, capacityMAh, specificCapacityMAhG: null, cycleIndex: null, stepIndex: null, stateKind };
}

describe('constant-current |I| of a branch', () => {
  it('is the CC current under a long CV tail (more tail records than CC records) and with ±0.2 % current noise', () => {
    const red = new CyclingReducer({ first: 'charge', splitV: 0.1 });
    let line = 1, t = 0, q = 0;
    const noise = [0.998, 1.002, 1.0, 1.001, 0.999];
    // 40 CC records at 1 mA (noisy), then 60 CV records decaying from 0.9 to 0.05 mA.
    for (let k = 0; k < 40; k++) { const i = 1 * noise[k % 5]!; q += i * 60 / 3600; t += 60; red.push(rec(line++, t, i, 3 + k * 0.01, q, 'C')); }
    for (let k = 0; k < 60; k++) { const i = 0.9 * Math.exp(-k / 20); q += i * 60 / 3600; t += 60; red.push(rec(line++, t, i, 3.4, q, 'C')); }
    const h = red.finish().halfCycles[0]!;
    // Median of the 40 CC records: the noise levels are symmetric about 1 mA; sorted, the middle pair is 1.0 and 1.0.
    expect(h.ccCurrentMA).toBeCloseTo(1.0, 3);
    expect(h.ccRecords).toBe(40);
    expect(h.maxAbsCurrentMA).toBeCloseTo(1.002, 12);
  });
});

describe('retention variants on the generated hard-carbon cell (truth: the plan\'s charge capacities)', async () => {
  const hc = hardCarbonPlan({ cycles: 40 });
  const bytes = encodeLines(landLines(hc.plan));
  const { data } = await loadCycling(bytesInput(bytes, 'hc.csv'), { first: 'discharge', splitV: 0.1 });
  const mass = resolveMass(null, data, []);

  it('--ref-cycle 3: retention = mean of the last 5 / Q_ch(3); plain ratio = Q_ch(40) / Q_ch(3)', () => {
    const r = retention(data, mass, 20, 5, 'hc.csv', { refCycle: 3 });
    const last5 = hc.qCh.slice(35).reduce((a, b) => a + b, 0) / 5;
    expect(r.retention_pct).toBeCloseTo(last5 / hc.qCh[2]! * 100, 4);
    expect(r.plain_ratio_pct).toBeCloseTo(hc.qCh[39]! / hc.qCh[2]! * 100, 4);
    expect(r.reference_cycles).toBe('3');
    expect(r.reference_mAh_g).toBeCloseTo(hc.qCh[2]!, 3);
  });

  it('--at 10,40 against cycle 3 and against the window 21–25', () => {
    const a = retentionAt(data, mass, [10, 40], { refCycle: 3 }, 'hc.csv');
    expect(a.map((r) => r.cycle)).toEqual([10, 40]);
    expect(a[0]!.q_rev_mAh_g).toBeCloseTo(hc.qCh[9]!, 3);
    expect(a[1]!.retention_pct).toBeCloseTo(hc.qCh[39]! / hc.qCh[2]! * 100, 4);
    const w = retentionAt(data, mass, [40], { skip: 20, window: 5 }, 'hc.csv');
    const ref = hc.qCh.slice(20, 25).reduce((x, y) => x + y, 0) / 5;
    expect(w[0]!.retention_pct).toBeCloseTo(hc.qCh[39]! / ref * 100, 4);
    expect(w[0]!.reference_cycles).toBe('21-25');
  });

  it('a cycle that does not exist is a DataError naming it', () => {
    expect(() => retentionAt(data, mass, [41], { refCycle: 1 }, 'hc.csv')).toThrow(/there is no cycle 41: the file has 40 cycle\(s\)/);
    expect(() => retention(data, mass, 0, 5, 'hc.csv', { refCycle: 38 })).toThrow(/too few cycles after --ref-cycle 38 for --window 5/);
  });
});

describe('groupStats: six replicate rows in two groups, against a hand computation', () => {
  const rows = [
    { name: 'HC1200-a', ice_pct: 80, q_dis_mAh_g: 370, note: 'x' },
    { name: 'HC1200-b', ice_pct: 82, q_dis_mAh_g: 380, note: 'y' },
    { name: 'HC1200-c', ice_pct: 84, q_dis_mAh_g: 360, note: 'z' },
    { name: 'HC1400-a', ice_pct: 90, q_dis_mAh_g: 300, note: 'x' },
    { name: 'HC1400-b', ice_pct: 91, q_dis_mAh_g: null, note: 'y' },
    { name: 'HC1400-c', ice_pct: 95, q_dis_mAh_g: 310, note: 'z' },
  ];
  const stats = groupStats(rows, (r) => groupByRegex(/^(HC\d+)-/)(r.name));

  it('HC1200: ICE 80, 82, 84 → mean 82, SD √((4+0+4)/2) = 2; Q 370, 380, 360 → mean 370, SD √((0+100+100)/2) = 10', () => {
    const a = stats[0]!;
    expect(a.group).toBe('HC1200');
    expect(a.n).toBe(3);
    expect(a.mean.ice_pct).toBeCloseTo(82, 12);
    expect(a.sd.ice_pct).toBeCloseTo(2, 12);
    expect(a.mean.q_dis_mAh_g).toBeCloseTo(370, 12);
    expect(a.sd.q_dis_mAh_g).toBeCloseTo(10, 12);
    expect('note' in a.mean).toBe(false);
  });

  it('HC1400: ICE 90, 91, 95 → mean 92, SD √((4+1+9)/2) = √7; Q over the two present: mean 305, SD √((25+25)/1) = √50', () => {
    const b = stats[1]!;
    expect(b.mean.ice_pct).toBeCloseTo(92, 12);
    expect(b.sd.ice_pct).toBeCloseTo(Math.sqrt(7), 12);
    expect(b.mean.q_dis_mAh_g).toBeCloseTo(305, 12);
    expect(b.sd.q_dis_mAh_g).toBeCloseTo(Math.sqrt(50), 12);
    expect(b.count.q_dis_mAh_g).toBe(2);
    expect(b.n).toBe(3);
  });

  it('as table rows "HC1200 (mean)" / "HC1200 (sd)"; rows in no group are left out', () => {
    const t = groupRows(stats);
    expect(t.map((r) => r.name)).toEqual(['HC1200 (mean)', 'HC1200 (sd)', 'HC1400 (mean)', 'HC1400 (sd)']);
    expect(t[1]!.ice_pct).toBeCloseTo(2, 12);
    expect(groupStats([...rows, { name: 'other', ice_pct: 1, q_dis_mAh_g: 1, note: '' }], (r) => groupByRegex(/^(HC\d+)-/)(r.name)).length).toBe(2);
  });
});

describe('sanity warnings', async () => {
  it('--first charge on the anode sample: ICE above 100 % → "is --first right?"', async () => {
    const { data } = await loadCycling(fileInput(SAMPLE), { first: 'charge', splitV: 0.1 });
    const i = ice(data, resolveMass(null, data, []), SAMPLE);
    expect(i.ice_pct!).toBeGreaterThan(100);
    expect(firstCycleEfficiencyWarning(i.ice_pct, 'charge')).toMatch(/^cycle 1: ICE 1\d\d\.\d % is above 100 % .*is --first right\?/);
    const right = await loadCycling(fileInput(SAMPLE), { first: 'discharge', splitV: 0.1 });
    expect(firstCycleEfficiencyWarning(ice(right.data, resolveMass(null, right.data, []), SAMPLE).ice_pct, 'discharge')).toBeNull();
  });

  it('a mass equal to the file\'s mass ÷ or × the area (within 2 %) → "did you mean --loading?"', () => {
    const area = Math.PI * 0.6 ** 2; // 12 mm disc, 1.131 cm²
    // The sample's cycler mass is 3.8 mg; a paper's "3.8" read as a loading makes 3.8 × 1.131 = 4.298 mg.
    expect(loadingMixupWarning(3.8, 3.8 * area, area)).toMatch(/equals the file's mass \(4\.298 mg\) ÷ the electrode area \(1\.131 cm²\).*did you mean --loading 3\.8\?/);
    expect(loadingMixupWarning(3.8 * area * 1.015, 3.8, area)).toMatch(/× the electrode area/);
    expect(loadingMixupWarning(3.8, 3.8, area)).toBeNull();
    expect(loadingMixupWarning(3.8 * 1.03 / area, 3.8, area)).toBeNull(); // 3 % off: no match
    expect(loadingMixupWarning(2.0, null, area)).toBeNull();
  });

  it('specific capacity above 2000 mAh/g for carbon is a hint; 373 is not', () => {
    expect(capacityHint([{ cycle: 1, q_dis_mAh_g: 373, q_ch_mAh_g: 305 }])).toBeNull();
    expect(capacityHint([{ cycle: 1, q_dis_mAh_g: 373, q_ch_mAh_g: 305 }, { cycle: 2, q_dis_mAh_g: 3730, q_ch_mAh_g: 3050 }])).toMatch(/^hint: the specific capacity reaches 3730 mAh\/g \(cycle 2 discharge\), above 2000 mAh\/g/);
    expect(capacityHint([{ cycle: 1, q_dis_mAh_g: 3730, q_ch_mAh_g: null }], 'silicon')).toBeNull();
  });
});

describe('early stop: stopAfterCycle', async () => {
  const text = readFileSync(SAMPLE, 'latin1').split('\n');
  const head = text[0]!.split(',');
  const cyc = head.indexOf('Cycle-Index');
  // A copy truncated after cycle 2: every line up to the last one of instrument cycle 2 (the
  // sample's instrument cycles begin at each discharge, as ours do).
  const lastOf2 = text.map((l) => l.split(',')[cyc]).lastIndexOf('2');
  const truncated = text.slice(0, lastOf2 + 1).join('\n') + '\n';
  const whole = await loadCycling(fileInput(SAMPLE), { first: 'discharge', splitV: 0.1 });
  const iceOf = (d: typeof whole.data) => ice(d, resolveMass(null, d, []), 'x');

  it('ICE on the copy truncated after cycle 2 equals ICE on the whole file', async () => {
    const cut = await loadCycling(bytesInput(truncated, 'cut.csv'), { first: 'discharge', splitV: 0.1 });
    expect(cut.data.cycles.length).toBe(2);
    expect(iceOf(cut.data)).toEqual(iceOf(whole.data));
  });

  it('stopAfterCycle 1 reads only cycle 1 (and one record more) and gives the same ICE; assumptions say so', async () => {
    const early = await loadCycling(fileInput(SAMPLE), { first: 'discharge', splitV: 0.1, stopAfterCycle: 1 });
    expect(early.data.cycles.length).toBe(1);
    expect(iceOf(early.data)).toEqual(iceOf(whole.data));
    expect(early.data.records).toBeLessThan(whole.data.records / 20);
    expect(early.data.partial!.stoppedAfterCycle).toBe(1);
    expect(early.data.partial!.lastLineRead).toBeLessThan(whole.data.cycles[1]!.insertion.firstLine);
    expect(early.data.partial!.lastLineRead).toBeGreaterThanOrEqual(whole.data.cycles[0]!.extraction!.lastLine);
    const a = readAssumptions(early.data)!;
    expect(a.read).toMatch(/^stopped after cycle 1 was complete \(records up to line \d+, \d+ records\); the rest of the file was not read$/);
    expect(a.file_wide_checks).toMatch(/cover only the records read/);
    expect(readAssumptions(whole.data)).toBeNull();
  });

  it('stopAfterCycle 2 equals the truncated copy cycle for cycle; beyond the last cycle it reads everything', async () => {
    const early = await loadCycling(fileInput(SAMPLE), { first: 'discharge', splitV: 0.1, stopAfterCycle: 2 });
    const mass = resolveMass(null, whole.data, []);
    expect(cycleRows(early.data, mass)).toEqual(cycleRows(whole.data, mass).slice(0, 2));
    const all = await loadCycling(fileInput(SAMPLE), { first: 'discharge', splitV: 0.1, stopAfterCycle: 99 });
    expect(all.data.partial).toBeNull();
    expect(all.data.records).toBe(whole.data.records);
  });

  it('without a state column, rest-current noise of either sign does not end the read early', async () => {
    // The generated cell with no Step-State column and ±0.2 µA noise on the rest current (below 0.5 % of the 0.114 mA).
    const hc = hardCarbonPlan({ cycles: 4 });
    let k = 0;
    const lines = [...landLines(hc.plan, { states: 'none' })].map((l, i) => {
      if (i === 0) return l;
      const c = l.split(',');
      if (c[3] === '0') c[3] = (k++ % 2 ? 0.0002 : -0.0002).toString();
      return c.join(',');
    });
    const bytes = encodeLines(lines);
    const full = await loadCycling(bytesInput(bytes, 'noisy.csv'), { first: 'discharge', splitV: 0.1 });
    const early = await loadCycling(bytesInput(bytes, 'noisy.csv'), { first: 'discharge', splitV: 0.1, stopAfterCycle: 1 });
    expect(full.data.cycles.length).toBe(4);
    expect(early.data.cycles.length).toBe(1);
    expect(iceOf(early.data)).toEqual(iceOf(full.data));
    expect(early.data.partial!.lastLineRead).toBeLessThan(full.data.cycles[1]!.insertion.firstLine);
  });
});

/** The Cycle-Tab of a LAND workbook, read here with a plain unzip and regular expressions: header → column of numbers. */
function cycleTab(path: string): Record<string, number[]> {
  const z = unzipSync(readFileSync(path));
  const strings = [...strFromU8(z['xl/sharedStrings.xml']!).matchAll(/<si>(.*?)<\/si>/gs)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));
  const sheet = strFromU8(z['xl/worksheets/sheet1.xml']!);
  const rows = [...sheet.matchAll(/<row[^>]*>(.*?)<\/row>/gs)].map((r) => [...r[1]!.matchAll(/<c r="[A-Z]+\d+"([^>]*)>(?:<v>([^<]*)<\/v>)?/g)].map((c) => (c[1]!.includes('t="s"') ? strings[Number(c[2])]! : c[2] ?? '')));
  const head = rows[0]!;
  return Object.fromEntries(head.map((h, i) => [h, rows.slice(1).map((r) => Number(r[i]))]));
}

describe.skipIf(!HAVE_CORPUS)('corpus: LAND Si half cell (cellpy custom_data_002.xlsx) against the cycler\'s own Cycle-Tab', async () => {
  const f = CORPUS + 'land/cellpy_custom_data_002_landt_Si_halfcell.xlsx';
  if (!HAVE_CORPUS) return;
  const tab = cycleTab(f);
  const whole = await loadCycling(fileInput(f), { first: 'discharge', splitV: 0.1 });
  const mass = resolveMass(null, whole.data, []);
  const rows = cycleRows(whole.data, mass);

  it('energies of all 14 cycles equal EnergyD / EnergyC within 0.1 %; end voltages equal EndVoltD', () => {
    expect(rows.length).toBe(14);
    expect(tab['EnergyD/mWh']!.length).toBe(14);
    rows.forEach((r, k) => {
      expect(Math.abs(r.e_dis_mWh! - tab['EnergyD/mWh']![k]!) / tab['EnergyD/mWh']![k]!).toBeLessThan(1e-3);
      expect(Math.abs(r.e_ch_mWh! - tab['EnergyC/mWh']![k]!) / tab['EnergyC/mWh']![k]!).toBeLessThan(1e-3);
      expect(r.v_end_dis_V).toBeCloseTo(tab['EndVoltD/V']![k]!, 6);
      expect(Math.abs(r.e_dis_mWh_g! - tab['SpeEnergyD/Wh/kg']![k]!) / tab['SpeEnergyD/Wh/kg']![k]!).toBeLessThan(1e-3);
    });
  });

  it('stopAfterCycle 1 on the workbook: the same cycle 1, about a third of the records read', async () => {
    const early = await loadCycling(fileInput(f), { first: 'discharge', splitV: 0.1, stopAfterCycle: 1 });
    expect(cycleRows(early.data, mass)).toEqual(rows.slice(0, 1));
    expect(early.data.records).toBeLessThan(whole.data.records / 2);
  });
});
