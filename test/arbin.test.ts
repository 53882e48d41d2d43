/**
 * The Arbin reader against real exports (../shared/corpus/arbin) and hand-made CSV / xlsx files
 * whose numbers are worked by hand. Reference values are read from the files with the test's own
 * few lines (CSV split, the project's shared OOXML reader for the workbook).
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CyclingReducer } from '../src/analysis/cycling.js';
import { DataError } from '../src/errors.js';
import { writeXlsx } from '../src/generate/xlsx.js';
import { Workbook } from '../src/readers/shared/xlsx.js';
import { arbinReader, readResTables } from '../src/readers/arbin/index.js';
import { chooseReader } from '../src/readers/registry.js';
import { SNIFF_BYTES } from '../src/readers/types.js';
import type { CyclerRecord, SourceInfo } from '../src/types.js';
import { bytesInput, CORPUS, HAVE_CORPUS, seededRandom } from './helpers/io.js';

const AR = CORPUS + 'arbin/';
const corpus = HAVE_CORPUS && existsSync(AR) ? describe : describe.skip;
const file = (f: string): Uint8Array => new Uint8Array(readFileSync(AR + f));

async function readAll(bytes: Uint8Array | string, name: string): Promise<{ info: SourceInfo; recs: CyclerRecord[] }> {
  const r = await arbinReader.read(bytesInput(bytes, name));
  const recs: CyclerRecord[] = [];
  for await (const b of r.batches) recs.push(...b);
  return { info: r.info, recs };
}

function csvRows(bytes: Uint8Array): Record<string, string>[] {
  const lines = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l);
  const h = lines[0]!.split(',');
  return lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, k) => [h[k]!, v])));
}

corpus('corpus: Arbin exports', () => {
  it('every corpus file is claimed by the Arbin reader, and by it alone', () => {
    for (const f of ['beep_FastCharge_000025_CH8.csv', 'beep_FastCharge_000025_CH8_Metadata.csv', 'pyprobe_sample_data_arbin.csv', 'navani_bs542_Channel_11.xlsx', 'cellpy_20160805_test001_45_cc_01.res']) {
      const c = chooseReader(file(f).subarray(0, SNIFF_BYTES), f);
      expect(c?.reader.name, f).toBe('arbin');
      expect(c!.others.every((o) => o.confidence < 0.5), f).toBe(true);
    }
  });

  it('beep CSV without units: every row, in A → mA, V, s; one rest on an open channel', async () => {
    const bytes = file('beep_FastCharge_000025_CH8.csv');
    const ref = csvRows(bytes);
    const { recs, info } = await readAll(bytes, 'beep.csv');
    expect(recs.length).toBe(ref.length);
    expect(recs.length).toBe(248);
    ref.forEach((r, k) => {
      expect(recs[k]!.voltageV).toBe(Number(r.Voltage));
      expect(recs[k]!.currentMA).toBe(Number(r.Current) * 1000);
      expect(recs[k]!.timeS).toBe(Number(r.Test_Time));
      expect(recs[k]!.extra?.t1_degC).toBe(Number(r.Temperature));
      expect(recs[k]!.line).toBe(k + 2);
    });
    expect(info.layout).toBe('Arbin CSV (no units in the headers)');
    expect(info.notes.join(' ')).toMatch(/Current in A/);
    const red = new CyclingReducer({ first: 'discharge', splitV: 0.1 });
    for (const r of recs) red.push(r);
    expect(red.finish().halfCycles.length).toBe(0);
  });

  it('the metadata companion: a clear DataError', async () => {
    await expect(readAll(file('beep_FastCharge_000025_CH8_Metadata.csv'), 'm.csv')).rejects.toThrow(/metadata companion/);
  });

  it('cellpy .res (Jet 4): every Channel_Normal_Table row, and per-cycle figures that agree with Channel_Statistic_Table', async () => {
    const bytes = file('cellpy_20160805_test001_45_cc_01.res');
    const { recs, info } = await readAll(bytes, 'x.res');
    // 10 261 rows: the table's own row count (its definition page), and mdb-tools' count in PROVENANCE.md.
    const t = readResTables(bytes, 'x.res');
    expect(t.normal.declaredRows).toBe(10261);
    expect(recs.length).toBe(10261);
    expect(info.warnings).toEqual([]);
    expect(recs.map((r) => r.line)).toEqual(Array.from({ length: 10261 }, (_, k) => k + 1)); // Data_Point 1…10261
    // The first record as noted in the format reference: Test_Time 300 s (300 s logging), 3.0976 V, I = 0.
    expect(recs[0]!.timeS).toBeCloseTo(300.0105, 4);
    expect(recs[0]!.voltageV).toBeCloseTo(3.0976174, 6);
    expect(info.statedMassMg).toBeCloseTo(0.852838, 6); // Global_Table MASS 0.000852838 g
    // Per Cycle_Index from the records: last Data_Point, largest voltage, time in charge and in discharge.
    const per = new Map<number, { last: number; vmax: number; tc: number; td: number }>();
    recs.forEach((r, k) => {
      const e = per.get(r.cycleIndex!) ?? { last: 0, vmax: -Infinity, tc: 0, td: 0 };
      e.last = r.line; e.vmax = Math.max(e.vmax, r.voltageV);
      if (k > 0) { const dt = r.timeS! - recs[k - 1]!.timeS!; if (r.currentMA > 0) e.tc += dt; else if (r.currentMA < 0) e.td += dt; }
      per.set(r.cycleIndex!, e);
    });
    const st = t.statistic!;
    expect(st.rows.length).toBe(17); // 18 cycles, the last not completed
    const col = (n: string) => st.columns.indexOf(n);
    st.rows.forEach((row, k) => {
      const e = per.get(k + 1)!;
      expect(e.last, `cycle ${k + 1} last point`).toBe(row[col('Data_Point')]);
      // The cycler sees every sample, the file only the logged ones: the logged maximum is at most the cycler's, within 1 mV.
      const vmax = row[col('Vmax_On_Cycle')] as number;
      expect(e.vmax).toBeLessThanOrEqual(vmax + 1e-6);
      expect(vmax - e.vmax).toBeLessThan(1e-3);
      expect(Math.abs(e.tc - (row[col('Charge_Time')] as number)), `cycle ${k + 1} charge time`).toBeLessThan(0.2);
      expect(Math.abs(e.td - (row[col('Discharge_Time')] as number)), `cycle ${k + 1} discharge time`).toBeLessThan(0.2);
    });
    // Arbin's counters restart at each Cycle_Index, which advances at each discharge start: the last
    // Discharge_/Charge_Capacity of Cycle_Index n are the cycler's capacities of cycle n (anode first: discharge).
    const n = t.normal.columns;
    const iC = n.indexOf('Cycle_Index'), iQc = n.indexOf('Charge_Capacity'), iQd = n.indexOf('Discharge_Capacity');
    const counters = new Map<number, [number, number]>();
    for (const row of t.normal.rows) counters.set(row[iC] as number, [(row[iQd] as number) * 1000, (row[iQc] as number) * 1000]);
    const red = new CyclingReducer({ first: 'discharge', splitV: 0.1 });
    for (const r of recs) red.push(r);
    const d = red.finish();
    expect(d.cycles.length).toBe(18);
    d.cycles.forEach((c, k) => {
      const [qd, qc] = counters.get(k + 1)!;
      // Within 5e-6 mAh: single records at noise-level current (0.0007 mA) between steps are counted as rest.
      expect(c.insertion.capacityMAh, `cycle ${k + 1} discharge`).toBeCloseTo(qd, 5);
      if (c.extraction) expect(c.extraction.capacityMAh, `cycle ${k + 1} charge`).toBeCloseTo(qc, 5);
    });
    // Cycle 1 by hand from the counters: 1.7551 mAh in, 1.6254 mAh out (ICE 92.6 %).
    expect(d.cycles[0]!.insertion.capacityMAh).toBeCloseTo(1.7551, 4);
    expect(d.cycles[0]!.extraction!.capacityMAh).toBeCloseTo(1.6254, 4);
  });

  it('.res: a row marked deleted is not read, and the count against the table definition says so', async () => {
    const bytes = file('cellpy_20160805_test001_45_cc_01.res').slice();
    const dv = new DataView(bytes.buffer);
    // Channel_Normal_Table's definition is on page 30 (the catalogue's Id for it); its first data page is the first type-1 page that names page 30.
    let p = 1;
    while (!(bytes[p * 4096] === 1 && dv.getUint32(p * 4096 + 4, true) === 30)) p++;
    dv.setUint16(p * 4096 + 14, dv.getUint16(p * 4096 + 14, true) | 0x8000, true);
    const { recs, info } = await readAll(bytes, 'del.res');
    expect(recs.length).toBe(10260);
    expect(recs[0]!.line).toBe(2); // Data_Point 1 was the deleted row
    expect(info.warnings).toEqual(['Channel_Normal_Table declares 10261 rows and 10260 were read']);
  });

  it('PyProBE CSV with units, BOM and TAB-led dates: per-step capacity from the counters', async () => {
    const bytes = file('pyprobe_sample_data_arbin.csv');
    const ref = csvRows(bytes);
    const { recs, info } = await readAll(bytes, 'pyprobe.csv');
    expect(recs.length).toBe(13);
    expect(info.layout).toBe('Arbin CSV (units in the headers)');
    // Rows 12–13: step 3, charge at 2.65 A; the counter was 0 before the step (row 11, a rest).
    expect(recs[11]!.capacityMAh).toBeCloseTo(Number(ref[11]!['Charge Capacity (Ah)']) * 1000, 12);
    expect(recs[12]!.capacityMAh).toBeCloseTo(0.400839, 12);
    expect(recs[12]!.currentMA).toBeCloseTo(2650.138, 9);
    expect(recs.slice(0, 11).every((r) => r.capacityMAh === 0 && r.currentMA === 0)).toBe(true);
  });

  it('navani xlsx: two discharge/charge cycles; half-cycle capacities are the differences of Arbin\'s counters', async () => {
    const bytes = file('navani_bs542_Channel_11.xlsx');
    // Reference: runs of one current sign from the sheet, and the counter change over each run.
    const wb = new Workbook(bytes, 'ref');
    const sheet = wb.sheets.find((s) => s.name === 'Channel_11_1')!;
    const rows: (number | string | undefined)[][] = [];
    for (const b of wb.rows(sheet)) for (const r of b) rows.push(r.cells);
    const h = rows[0]!.map(String);
    const I = h.indexOf('Current(A)'), QC = h.indexOf('Charge_Capacity(Ah)'), QD = h.indexOf('Discharge_Capacity(Ah)');
    const runs: { dir: string; before: number; last: number }[] = [];
    for (let k = 1; k < rows.length; k++) {
      const i = rows[k]![I] as number;
      if (i === 0) continue;
      const dir = i > 0 ? 'C' : 'D';
      const ctr = (row: (number | string | undefined)[]) => (dir === 'C' ? row[QC] : row[QD]) as number;
      if (!runs.length || runs[runs.length - 1]!.dir !== dir) runs.push({ dir, before: k > 1 ? ctr(rows[k - 1]!) : 0, last: ctr(rows[k]!) });
      else runs[runs.length - 1]!.last = ctr(rows[k]!);
    }
    expect(runs.map((r) => r.dir).join('')).toBe('DCDC');
    const { recs, info } = await readAll(bytes, 'navani.xlsx');
    expect(recs.length).toBe(rows.length - 1);
    expect(recs.length).toBe(4526);
    expect(info.sheet).toBe('Channel_11_1');
    const red = new CyclingReducer({ first: 'discharge', splitV: 0.1 });
    for (const r of recs) red.push(r);
    const d = red.finish();
    expect(d.cycles.length).toBe(2);
    expect(d.warnings.filter((w) => /does not restart/.test(w))).toEqual([]);
    const got = d.halfCycles.map((x) => x.capacityMAh);
    runs.forEach((r, k) => expect(got[k]!, `run ${k + 1} ${r.dir}`).toBeCloseTo((r.last - r.before) * 1000, 9));
    // First cycle: 5.798 mAh in, 5.698 mAh out: ICE 98.3 %.
    expect(d.cycles[0]!.insertion.capacityMAh).toBeCloseTo(5.79804, 4);
    expect(d.cycles[0]!.extraction!.capacityMAh / d.cycles[0]!.insertion.capacityMAh * 100).toBeCloseTo(98.28, 1);
    // The same bytes named .xls are still found by content.
    expect(chooseReader(bytes.subarray(0, SNIFF_BYTES), 'navani.xls')?.reader.name).toBe('arbin');
  });
});

describe('hand-made Arbin exports', () => {
  it('CSV in mA / mAh / mV; the counters reset when Cycle_Index advances', async () => {
    const csv = [
      'Data_Point,Test_Time(s),Step_Time(s),Step_Index,Cycle_Index,Current(mA),Voltage(mV),Charge_Capacity(mAh),Discharge_Capacity(mAh)',
      '1,0,0,1,1,-1,1000,0,0',
      '2,3600,3600,1,1,-1,500,0,1',
      '3,7200,7200,1,1,-1,100,0,2', // 2 mAh discharged
      '4,7300,100,2,1,0,400,0,2',
      '5,10800,3500,3,2,1,700,0.5,0', // new cycle: both counters restart at 0
      '6,14400,7100,3,2,1,900,1.5,0', // 1.5 mAh charged
    ].join('\r\n');
    const { recs } = await readAll(csv, 'mA.csv');
    expect(recs.map((r) => r.capacityMAh)).toEqual([0, 1, 2, 0, 0.5, 1.5]);
    [1, 0.5, 0.1, 0.4, 0.7, 0.9].forEach((v, k) => expect(recs[k]!.voltageV).toBeCloseTo(v, 12));
    expect(recs.map((r) => r.currentMA)).toEqual([-1, -1, -1, 0, 1, 1]);
  });

  it('an OOXML workbook named .xls with Info, two Channel sheets and a Statistics sheet: joined records and vendorCycles', async () => {
    const head = ['Data_Point', 'Test_Time(s)', 'Step_Index', 'Cycle_Index', 'Current(A)', 'Voltage(V)', 'Charge_Capacity(Ah)', 'Discharge_Capacity(Ah)'];
    const xlsx = writeXlsx([
      { name: 'Info', rows: [['TEST REPORT']] },
      { name: 'Channel_1-053', rows: [head, [1, 0, 1, 1, -0.001, 1, 0, 0], [2, 3600, 1, 1, -0.001, 0.1, 0, 0.001]] },
      { name: 'Channel_1-053_2', rows: [head, [3, 7200, 2, 1, 0.001, 0.5, 0.0009, 0.001], [4, 10800, 2, 1, 0.001, 1, 0.0009, 0.001]] },
      { name: 'Statistics_1-053', rows: [['Cycle_Index', 'Charge_Capacity(Ah)', 'Discharge_Capacity(Ah)'], [1, 0.0009, 0.001]] },
    ]);
    expect(chooseReader(xlsx.subarray(0, SNIFF_BYTES), 'old.xls')?.reader.name).toBe('arbin');
    const { recs, info } = await readAll(xlsx, 'old.xls');
    expect(recs.map((r) => r.line)).toEqual([2, 3, 2, 3]);
    expect(recs.map((r) => r.capacityMAh)).toEqual([0, 1, 0.9, 0.9]);
    expect(info.vendorCycles).toEqual([{ cycle: 1, capCMAh: 0.9, capDMAh: 1, speCapCMAhG: null, speCapDMAhG: null, efficiencyPct: null }]);
    expect(info.notes.join(' ')).toMatch(/2 Channel sheets joined/);
  });

  it('a non-number, a short row, a truncated workbook: DataErrors with the place', async () => {
    const h = 'Data_Point,Test_Time,Current,Voltage,Charge_Capacity,Discharge_Capacity\n';
    let e = await readAll(h + '1,0,0,3.1,0,0\n2,1,x,3.1,0,0\n', 'bad.csv').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DataError);
    expect([(e as DataError).line, (e as DataError).message]).toEqual([3, "'x' in column 'Current' is not a number"]);
    e = await readAll(h + '1,0,0\n', 'short.csv').catch((x: unknown) => x);
    expect((e as DataError).message).toMatch(/3 fields where the header has 6/);
    const xlsx = writeXlsx([{ name: 'Global_Info', rows: [['x']] }, { name: 'Channel_1_1', rows: [['Test_Time(s)', 'Current(A)', 'Voltage(V)', 'Charge_Capacity(Ah)', 'Discharge_Capacity(Ah)'], [0, 0, 1, 0, 0]] }]);
    e = await readAll(xlsx.subarray(0, xlsx.length - 30), 'cut.xlsx').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DataError);
  });
});

const damaged = HAVE_CORPUS && existsSync(AR) ? describe : describe.skip;
damaged('random damage to the corpus binaries: records or a DataError, never another error or a hang', { timeout: 60_000 }, () => {
  const rng = seededRandom;
  for (const f of ['cellpy_20160805_test001_45_cc_01.res', 'navani_bs542_Channel_11.xlsx', 'pyprobe_sample_data_arbin.csv']) {
    it(f, async () => {
      const orig = file(f);
      const rand = rng(f.length * 7919);
      for (let k = 0; k < 30; k++) {
        let b = orig.slice();
        if (k % 4 === 0) b = b.subarray(0, Math.floor(rand() * b.length));
        else if (k % 4 === 1) b = b.subarray(0, 4096 * Math.floor(rand() * (b.length / 4096))); // whole pages
        else {
          const n = 1 + Math.floor(rand() * 16);
          // Half of the damage in the first 128 KB, where the catalogue and the table definitions are.
          for (let j = 0; j < n; j++) b[Math.floor(rand() * (j % 2 ? b.length : Math.min(b.length, 1 << 17)))] = Math.floor(rand() * 256);
        }
        const t0 = Date.now();
        try { await readAll(b, `${f}#${k}`); } catch (e) {
          if (!(e instanceof DataError)) expect.fail(`${f} variant ${k}: ${(e as Error).stack}`);
        }
        expect(Date.now() - t0, `${f} variant ${k}`).toBeLessThan(5000);
      }
    });
  }
});
