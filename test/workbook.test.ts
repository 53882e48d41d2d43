// LAND workbooks: the third-party corpus file against its own Cycle-Tab, generated workbooks in
// every time shape against the CSV of the same cell, and broken workbooks.
import { describe, expect, it } from 'vitest';
import { zipSync, strToU8, unzipSync } from 'fflate';
import { loadCycling } from '../src/load.js';
import { cycleRows, ice, resolveMass } from '../src/analysis/metrics.js';
import { landFile, type Branch, type CellPlan } from '../src/generate/land.js';
import { landWorkbook, writeXlsx } from '../src/generate/xlsx.js';
import { CORPUS, HAVE_CORPUS, bytesInput, hcarb, one } from './helpers/io.js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CELLPY = CORPUS + 'land/cellpy_custom_data_002_landt_Si_halfcell.xlsx';

// The cycler's own Cycle-Tab of that file (read off the sheet: SpeCapD/mAh/g, SpeCapC/mAh/g, Efficiency/%).
const CYCLE_TAB: [number, number, number][] = [
  [3744.593, 3392.871, 90.6072], [3151.441, 2954.112, 93.7384], [2901.953, 2747.518, 94.6782],
  [2560.377, 2402.164, 93.8207], [2350.469, 2289.637, 97.4119], [1908.52, 1755.086, 91.9606],
  [1724.026, 1700.306, 98.6242], [1660.126, 1640.799, 98.8358], [1586.739, 1566.344, 98.7147],
  [1498.47, 1485.489, 99.1337], [1404.32, 1394.784, 99.3209], [1328.523, 1323.615, 99.6306],
  [1257.188, 1253.51, 99.7075], [1192.991, 1191.705, 99.8921],
];

describe.skipIf(!HAVE_CORPUS)('corpus: cellpy LANDdt workbook (Si half cell)', () => {
  it('hcarb ice gives the Cycle-Tab first cycle to 4 significant figures', () => {
    const r = hcarb(['ice', CELLPY, '--json']);
    expect(r.code).toBe(0);
    const d = one(r.stdout) as Record<string, number> & { crosscheck: { status: string; cycles_compared: number } };
    expect(d.ice_pct.toPrecision(4)).toBe('90.61');
    expect(d.q_dis_mAh_g.toPrecision(4)).toBe('3745');
    expect(Math.abs(d.q_dis_mAh_g - 3744.593) / 3744.593).toBeLessThan(1e-5);
    expect(d.crosscheck.status).toBe('ok');
    // ice stops reading after cycle 1, so the cross-check covers cycle 1; --full reads all 14.
    expect(d.crosscheck.cycles_compared).toBe(1);
    const full = one(hcarb(['ice', CELLPY, '--full', '--json']).stdout) as { ice_pct: number; crosscheck: { status: string; cycles_compared: number } };
    expect(full.crosscheck).toMatchObject({ status: 'ok', cycles_compared: 14 });
    expect(full.ice_pct).toBe(d.ice_pct);
  });

  it('hcarb cycles matches every cycle of the Cycle-Tab within 0.1 %', () => {
    const r = hcarb(['cycles', CELLPY, '--format', 'ndjson']);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
    expect(rows).toHaveLength(14);
    rows.forEach((row, i) => {
      const [d, c, e] = CYCLE_TAB[i]!;
      expect(Math.abs(row.q_dis_mAh_g! - d) / d).toBeLessThan(0.001);
      expect(Math.abs(row.q_ch_mAh_g! - c) / c).toBeLessThan(0.001);
      expect(Math.abs(row.ce_pct! - e)).toBeLessThan(0.1);
    });
  });

  it('hcarb inspect names the sheet, the 17 columns and the 14 cycles', () => {
    const r = hcarb(['inspect', CELLPY, '--json']);
    expect(r.code).toBe(0);
    const d = one(r.stdout) as Record<string, unknown>;
    expect(d.sheet).toBe('Record-Tab');
    expect(d.column_count).toBe(17);
    expect(d.cycles).toBe(14);
    expect(d.records).toBe(16538);
    expect((d.columns as { canonical: string }[]).map((c) => c.canonical)).toEqual(
      ['index', 'timeS', 'stepTimeS', 'currentMA', 'capacityMAh', 'specificCapacityMAhG', 'voltageV', 'cycleIndex', 'stepIndex', 'state']);
  });
});

// A generated cell (2 mg, linear profiles) whose capacity must come from integrating the current,
// so that every time shape is exercised: each branch runs longer than a day in the later cycles.
const MASS = 2;
function longPlan(): CellPlan {
  const branches: Branch[] = [];
  for (let n = 1; n <= 4; n++) {
    branches.push({ dir: 'D', capacityMAh: 1.0 - 0.05 * n, currentMA: 0.02, restAfterS: 600 });
    branches.push({ dir: 'C', capacityMAh: 0.8 - 0.05 * n, currentMA: 0.02, restAfterS: 600 });
  }
  return { branches, massMg: MASS, fractions: Array.from({ length: 41 }, (_, i) => i / 40), initialRestS: 600, sampleS: 300, voltage: (d, x) => (d === 'D' ? 2.5 * (1 - x) : 2.5 * x) };
}

describe('generated workbooks in every time shape give the CSV results', async () => {
  const plan = longPlan();
  const csv = await loadCycling(bytesInput(landFile(plan, { capacityMode: 'none' }), 'cell.csv'), { first: 'discharge', splitV: 0.1 });
  const csvRows = cycleRows(csv.data, resolveMass({ massMg: MASS, source: 'flag' }, csv.data, []));
  it('the CSV itself integrates to the planned capacities (0.95 mAh at 0.02 mA = 47.5 h)', () => {
    expect(csvRows[0]!.q_dis_mAh).toBeCloseTo(0.95, 9);
    expect(csvRows[3]!.q_ch_mAh).toBeCloseTo(0.6, 9);
  });
  it.each(['sec', 'hours', 'excel', 'excel-mixed', 'lanhe'] as const)('%s', async (time) => {
    const wb = landWorkbook(plan, { time, capacity: false });
    const { data, info } = await loadCycling(bytesInput(wb, `cell-${time}.xlsx`, 50000), { first: 'discharge', splitV: 0.1 });
    expect(info.sheet).toBe('Record-Tab');
    const rows = cycleRows(data, resolveMass({ massMg: MASS, source: 'flag' }, data, []));
    expect(rows).toHaveLength(csvRows.length);
    rows.forEach((r, i) => {
      expect(r.q_dis_mAh).toBeCloseTo(csvRows[i]!.q_dis_mAh!, 6);
      expect(r.q_ch_mAh).toBeCloseTo(csvRows[i]!.q_ch_mAh!, 6);
    });
  });
  it('with a capacity column, the ICE is the planned 0.75 / 0.95', async () => {
    const { data } = await loadCycling(bytesInput(landWorkbook(plan, { time: 'excel-mixed' }), 'c.xlsx'), { first: 'discharge', splitV: 0.1 });
    expect(ice(data, resolveMass(null, data, []), 'c').ice_pct).toBeCloseTo(0.75 / 0.95 * 100, 6);
  });
  it('older LAND layout: `Record` plus header-less `Record1` continuation sheet', async () => {
    const head = ['Record', 'TestTime/Sec', 'Current/mA', 'Capacity/mAh', 'Voltage/V', 'State'];
    const recs: (number | string)[][] = [];
    let n = 0;
    const { planRecords } = await import('../src/generate/land.js');
    for (const r of planRecords(plan)) recs.push([++n, r.timeS, r.currentMA, r.capacityMAh, r.voltageV, r.state === 'R' ? 'R' : r.state === 'D' ? 'D_CC' : 'C_CC']);
    const half = Math.floor(recs.length / 2);
    const wb = writeXlsx([{ name: 'Record', rows: [head, ...recs.slice(0, half)] }, { name: 'Record1', rows: recs.slice(half) }]);
    const { data, info } = await loadCycling(bytesInput(wb, 'old.xlsx'), { first: 'discharge', splitV: 0.1 });
    expect(info.sheet).toBe('Record + Record1');
    expect(data.records).toBe(recs.length);
    expect(data.cycles).toHaveLength(4);
    expect(data.cycles[3]!.extraction!.capacityMAh).toBeCloseTo(0.6, 9);
  });
});

describe('broken workbooks: one line naming file (and sheet and row), exit 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hcarb-wb-'));
  const put = (name: string, bytes: Uint8Array) => { const p = join(dir, name); writeFileSync(p, bytes); return p; };
  const good = landWorkbook(longPlan());
  const cases: [string, () => string, RegExp][] = [
    ['no record sheet', () => put('norec.xlsx', writeXlsx([{ name: 'Summary', rows: [['Operator', 'Ana'], ['Cell', 7]] }])),
      /norec\.xlsx: no record sheet: the workbook has sheet 'Summary' and none has a header with a voltage and a current column/],
    ['a record sheet without a recognisable header', () => put('nohead.xlsx', writeXlsx([{ name: 'Record-Tab', rows: [['a', 'b', 'c'], [1, 2, 3]] }])),
      /nohead\.xlsx:Record-Tab:1: no header row naming a voltage and a current column/],
    ['text where a number belongs', () => put('text.xlsx', writeXlsx([{ name: 'Record-Tab', rows: [['Record', 'TestTime/Sec', 'Current/mA', 'Voltage/V'], [1, 0, 0, 2.8], [2, 10, -0.1, 'two volts']] }])),
      /text\.xlsx:Record-Tab:3: 'two volts' in column 'Voltage\/V' is not a number/],
    ['a truncated workbook', () => put('trunc.xlsx', good.subarray(0, Math.floor(good.length / 2))),
      /trunc\.xlsx: the workbook is truncated or is not a zip file/],
    ['a zip that is not a workbook', () => put('zip.xlsx', zipSync({ 'readme.txt': strToU8('hello') })),
      /zip\.xlsx: this zip file is not an Excel workbook/],
    ['a password-protected (encrypted) workbook', () => put('locked.xlsx', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(504).fill(0)])),
      /locked\.xlsx: this is an old binary Excel \(\.xls\) or an encrypted \(password-protected\) workbook/],
    ['binary garbage renamed .xlsx', () => put('garbage.xlsx', new Uint8Array(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256))),
      /garbage\.xlsx:1: this is a binary file, not a text export/],
    ['shared strings that would inflate far beyond their size', () => {
      const bomb = writeXlsx([{ name: 'Record-Tab', rows: [['Record', 'Voltage/V', 'Current/mA', 'TestTime/Sec'], [1, 2, 0, 0]] }]);
      const parts = unzipSync(bomb);
      parts['xl/sharedStrings.xml'] = strToU8('<sst>' + '<si><t>a</t></si>'.repeat(1 << 17) + '</sst>');
      return put('bomb.xlsx', zipSync(parts, { level: 9 }));
    }, /bomb\.xlsx: 'xl\/sharedStrings\.xml' inflates to more than 250 times its size; refusing it/],
  ];
  it.each(cases)('%s', (_name, make, message) => {
    const r = hcarb(['ice', make()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('the cycle layer of a text export (LAND "mixed" CSV) is cross-checked too', () => {
  const branches: Branch[] = [];
  for (let n = 1; n <= 3; n++) { branches.push({ dir: 'D', capacityMAh: 1, currentMA: 0.2, restAfterS: 300 }); branches.push({ dir: 'C', capacityMAh: 0.9, currentMA: 0.2, restAfterS: 300 }); }
  const plan: CellPlan = { branches, massMg: 2, fractions: Array.from({ length: 21 }, (_, i) => i / 20), voltage: (d, x) => (d === 'D' ? 2.5 * (1 - x) : 2.5 * x) };
  it('agrees when the files agree', async () => {
    const { mixedCsv } = await import('../src/generate/land.js');
    const dir = mkdtempSync(join(tmpdir(), 'hcarb-mixed-'));
    const f = join(dir, 'mixed.csv');
    writeFileSync(f, mixedCsv(plan));
    const r = hcarb(['ice', f, '--json', '--verbose']);
    expect(r.code).toBe(0);
    const d = one(r.stdout) as { ice_pct: number; crosscheck: { status: string; cycles_compared: number } };
    expect(d.ice_pct).toBeCloseTo(90, 9);
    // ice reads up to cycle 1 only: the cross-check covers the cycles read.
    expect(d.crosscheck).toMatchObject({ status: 'ok', cycles_compared: 1 });
    expect(one(hcarb(['ice', f, '--full', '--json']).stdout).crosscheck).toMatchObject({ status: 'ok', cycles_compared: 3 });
    expect(r.stderr).toMatch(/note: the cycler's own summary of 3 cycles found before the records/);
  });
  it('warns, naming the cycle, when the cycler\'s table differs by more than 0.5 %', async () => {
    const { mixedCsv } = await import('../src/generate/land.js');
    const dir = mkdtempSync(join(tmpdir(), 'hcarb-mixed-'));
    const f = join(dir, 'mixed-bad.csv');
    writeFileSync(f, mixedCsv(plan, { cycle: 2, factor: 1.02 }));
    const r = hcarb(['cycles', f, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: the cycler's own Cycle section differs from the records by up to 1\.96 % \(cycle 2, charge capacity\) in cycle 2/);
  });
});

describe('LANHE (BTS) workbook: a DefaultGroup sheet with cycle, step and record sub-tables', () => {
  it('reads the records of every step and skips the sub-table headers and rows', async () => {
    const cycleHead = ['Cycle', 'CapC/uAh', 'CapD/uAh', 'SpeCapC/mAh/g', 'SpeCapD/mAh/g', 'CoulombEfficiency/%'];
    const stepHead = ['Step', 'WorkMode', 'StepDuration', 'StepInProcess', 'Capacity/uAh', 'StartVolt/V', 'EndVolt/V'];
    const recHead = ['Cycle', 'Step', 'Record', 'WorkMode', 'StepInProcess', 'StepDuration', 'StepTime', 'TestTime', 'Voltage/V', 'Current/uA', 'Capacity/uAh', 'SpeCap/mAh/g'];
    const rows: (string | number)[][] = [cycleHead, [1, 800, 1000, 400, 500, 80]];
    let rec = 0, t = 0;
    const step = (n: number, mode: string, iUA: number, qUAh: number, v0: number, v1: number) => {
      rows.push(stepHead, [n, mode, '0 01:00:00.000', n, qUAh, v0, v1], recHead);
      for (let k = 0; k <= 10; k++) {
        const s = k * 360;
        rows.push([1, n, ++rec, mode, n, '0 01:00:00.000', `0 00:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.000`, `0 ${String(Math.floor((t + s) / 3600)).padStart(2, '0')}:${String(Math.floor(((t + s) % 3600) / 60)).padStart(2, '0')}:00.000`, v0 + (v1 - v0) * k / 10, iUA, qUAh * k / 10, qUAh * k / 10 / 2]);
      }
      t += 3600;
    };
    step(1, 'D_CC', -1000, 1000, 2.5, 0);
    step(2, 'REST', 0, 1000, 0.1, 0.2);
    step(3, 'C_CC', 800, 800, 0, 2.5);
    const wb = writeXlsx([{ name: 'Test information', rows: [['Test name', 'x']] }, { name: 'DefaultGroup_00_6', rows }]);
    const { data, info } = await loadCycling(bytesInput(wb, 'lanhe.xlsx'), { first: 'discharge', splitV: 0.1 });
    expect(info.sheet).toBe('DefaultGroup_00_6');
    expect(info.layout).toBe('LANHE workbook');
    expect(data.records).toBe(33);
    const i = ice(data, resolveMass(null, data, []), 'lanhe');
    expect(i.q_dis_mAh).toBeCloseTo(1.0, 12); // 1000 uAh
    expect(i.ice_pct).toBeCloseTo(80, 10);
    expect(i.q_dis_mAh_g).toBeCloseTo(500, 9); // mass from Capacity / SpeCap = 2 mg
  });
});
