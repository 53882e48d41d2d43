/**
 * The Neware reader against real files (../shared/corpus/neware) and the vendor's own exports of
 * the same tests, plus hand-made exports whose numbers are worked by hand. Reference files are
 * parsed here with their own few lines of code (not the reader under test).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { CyclingReducer } from '../src/analysis/cycling.js';
import { DataError } from '../src/errors.js';
import type { CyclerRecord, Kind, SourceInfo } from '../src/types.js';
import { newareReader } from '../src/readers/neware/index.js';
import { chooseReader } from '../src/readers/registry.js';
import { SNIFF_BYTES } from '../src/readers/types.js';
import { bytesInput, CORPUS, HAVE_CORPUS, seededRandom } from './helpers/io.js';

const NW = CORPUS + 'neware/';
const corpus = HAVE_CORPUS && existsSync(NW) ? describe : describe.skip;

async function readAll(bytes: Uint8Array, name: string): Promise<{ info: SourceInfo; recs: CyclerRecord[] }> {
  const r = await newareReader.read(bytesInput(bytes, name)); // 4 KB chunks, as small as a pipe gives
  const recs: CyclerRecord[] = [];
  for await (const b of r.batches) recs.push(...b);
  return { info: r.info, recs };
}

const file = (f: string): Uint8Array => new Uint8Array(readFileSync(NW + f));

/** `HH:MM:SS(.mmm)` or plain seconds → seconds (written again here, independent of the reader). */
function seconds(t: string): number {
  const p = t.split(':');
  if (p.length === 1) return Number(t);
  return Number(p[0]) * 3600 + Number(p[1]) * 60 + Number(p[2]);
}

function kindOf(stepType: string): Kind | null {
  const s = stepType.toLowerCase();
  if (s === 'rest') return 'R';
  if (s.includes('dchg')) return 'D';
  if (s.includes('chg')) return 'C';
  return null;
}

interface Ref { cycle: number; step: number; kind: Kind | null; stepTimeS: number; totalTimeS: number; currentMA: number; voltageV: number; capacityMAh: number }

/** A BTSDA record-layer export (µA, mV, mAs): one row per record. */
function readReference(bytes: Uint8Array): Ref[] {
  const lines = new TextDecoder('latin1').decode(bytes).split(/\r?\n/).filter((l) => l.trim());
  const head = lines[0]!.split(',').map((h) => h.trim());
  const col = (re: RegExp): number => { const i = head.findIndex((h) => re.test(h)); expect(i, `column ${re}`).toBeGreaterThanOrEqual(0); return i; };
  const c = { cyc: col(/^Cycle Index$/), step: col(/^Step Index$/), type: col(/^Step Type$/), t: col(/^Time$/), tt: col(/^Total Time$/),
    i: col(/^Current\((uA|\xb5A)\)$/), v: col(/^Voltage\(mV\)$/), q: col(/^Capacity\(mAs\)$/) };
  return lines.slice(1).map((l) => {
    const x = l.split(',');
    return { cycle: +x[c.cyc]!, step: +x[c.step]!, kind: kindOf(x[c.type]!), stepTimeS: seconds(x[c.t]!), totalTimeS: seconds(x[c.tt]!),
      currentMA: +x[c.i]! / 1000, voltageV: +x[c.v]! / 1000, capacityMAh: +x[c.q]! / 3600 };
  });
}

/**
 * The references are written at 0.1 µA, 0.1 mV, 0.1 mAs and 0.1 s (then stored as float32): a
 * value matches when it is within half of that unit (plus float32 rounding).
 */
function expectMatches(recs: CyclerRecord[], ref: Ref[]): void {
  expect(recs.length).toBe(ref.length);
  const near = (a: number, b: number, half: number, what: string, k: number): void => {
    if (Math.abs(a - b) > half + 1e-6 * Math.abs(b)) expect.fail(`record ${k + 1}: ${what} ${a} vs reference ${b}`);
  };
  ref.forEach((r, k) => {
    const x = recs[k]!;
    near(x.voltageV, r.voltageV, 0.05e-3, 'voltage V', k);
    near(x.currentMA, r.currentMA, 0.05e-3, 'current mA', k);
    near(x.capacityMAh!, Math.abs(r.capacityMAh), 0.05 / 3600, 'capacity mAh', k);
    near(x.stepTimeS!, r.stepTimeS, 0.05, 'step time s', k);
    near(x.timeS!, r.totalTimeS, 0.05, 'total time s', k);
    expect(x.cycleIndex, `record ${k + 1} cycle`).toBe(r.cycle);
    expect(x.stepIndex, `record ${k + 1} step`).toBe(r.step);
    expect(x.stateKind, `record ${k + 1} kind`).toBe(r.kind);
  });
}

corpus('Neware corpus files', () => {
  it('every file in corpus/neware reads, as Neware, with records', async () => {
    const files = readdirSync(NW).filter((f) => statSync(NW + f).isFile());
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const f of files) {
      const { info, recs } = await readAll(file(f), f);
      expect(info.instrument, f).toBe('Neware');
      expect(recs.length, f).toBeGreaterThan(100);
      expect(info.records, f).toBe(recs.length);
      for (const r of recs) expect(Number.isFinite(r.voltageV) && Number.isFinite(r.currentMA), f).toBe(true);
    }
  });

  it('.nda v29: records equal the vendor export (439 records, CC discharge/charge and rests)', async () => {
    const { info, recs } = await readAll(file('fastnda_new_nda_file_v29.nda'), 'x.nda');
    expect(info.layout).toBe('Neware .nda version 29');
    const ref = readReference(file('fastnda_new_nda_file_v29_reference.csv'));
    expect(ref.length).toBe(439);
    expectMatches(recs, ref);
    // The file has real current: a discharge record is negative, a charge one positive.
    expect(recs.some((r) => r.stateKind === 'D' && r.currentMA < -0.04)).toBe(true);
    expect(recs.some((r) => r.stateKind === 'C' && r.currentMA > 0.04)).toBe(true);
    expect(Math.max(...recs.map((r) => r.capacityMAh!))).toBeGreaterThan(17 / 3600);
  });

  it('.ndax (data.ndc v14): records equal the vendor export', async () => {
    const { recs } = await readAll(file('fastnda_21_10_7_85.ndax'), 'x.ndax');
    expectMatches(recs, readReference(file('fastnda_21_10_7_85_reference.csv')));
  });

  it('.ndax with rows missing from runInfo (filled forward by dt): records equal the raw BTSDA CSV', async () => {
    const { info, recs } = await readAll(file('fastnda_interp-test.ndax'), 'x.ndax');
    expect(info.notes.join('\n')).toMatch(/267 of 333 records have no runInfo row/);
    expectMatches(recs, readReference(file('fastnda_interp-test_BTSDA.csv')));
    // Record spacing 3 s, then 7 s, then 11 s (two edits of the program during the run).
    expect(recs[1]!.timeS).toBeCloseTo(3, 6);
    expect(recs[177]!.timeS! - recs[176]!.timeS!).toBeCloseTo(7, 6);
    expect(recs[330]!.timeS! - recs[329]!.timeS!).toBeCloseTo(11, 6);
  });

  it('hierarchical BTSDA CSV: per-cycle capacities through the CyclingReducer equal its own 20 cycle rows within 0.1 %', async () => {
    const bytes = file('cellpy_nw_regular_export_ife_example.csv');
    // The cycle rows, read here: lines without a leading comma; Chg./DChg. Cap. in Ah.
    const vendor = new TextDecoder().decode(bytes).split('\n').slice(3).filter((l) => /^\d/.test(l)).map((l) => l.split(','))
      .map((x) => ({ cycle: +x[0]!, chgMAh: +x[1]! * 1000, dchgMAh: +x[2]! * 1000 }));
    expect(vendor.length).toBe(20);
    const { info, recs } = await readAll(bytes, 'x.csv');
    expect(recs.length).toBe(9295);
    // Line 4 is cycle row 1 and step row 1 (Step Index 1, Rest) on one line: its records belong to that step.
    expect(recs[0]).toMatchObject({ line: 5, cycleIndex: 1, stepIndex: 1, stateKind: 'R', voltageV: 4.3185, extra: { v1_V: 0, t1_degC: 26.61 } });
    expect(info.vendorCycles?.length).toBe(20);
    expect(info.extraColumns).toEqual(['v1_V', 't1_degC']);
    const red = new CyclingReducer({ first: 'charge', splitV: 0.1 });
    for (const r of recs) red.push(r);
    const data = red.finish();
    expect(data.cycles.length).toBe(20);
    data.cycles.forEach((c, k) => {
      const v = vendor[k]!;
      expect(c.insertion.dir).toBe('C');
      expect(Math.abs(c.insertion.capacityMAh / v.chgMAh - 1), `cycle ${k + 1} charge`).toBeLessThan(1e-3);
      expect(Math.abs(c.extraction!.capacityMAh / v.dchgMAh - 1), `cycle ${k + 1} discharge`).toBeLessThan(1e-3);
    });
  });

  it('BTS 7 .xls: ICE (charge after the first discharge / first discharge) equals the Cycle sheet within 0.1 %', async () => {
    const { info, recs } = await readAll(file('cellpy_custom_data_003_neware_bts7.xls'), 'x.xls');
    expect(recs.length).toBe(2943);
    // Cycle sheet (read with xlrd for docs/reference/other-instruments.md §1.2): cycle 1 discharge
    // 3.5241 mAh, cycle 2 charge 3.1197 mAh (Neware counts "Charge First").
    const dis1 = 3.5241, chg2 = 3.1197;
    expect(info.vendorCycles?.length).toBe(14);
    expect(info.vendorCycles![0]!.capDMAh).toBeCloseTo(dis1, 4);
    expect(info.vendorCycles![1]!.capCMAh).toBeCloseTo(chg2, 4);
    const red = new CyclingReducer({ first: 'discharge', splitV: 0.1 });
    for (const r of recs) red.push(r);
    const c1 = red.finish().cycles[0]!;
    expect(Math.abs(c1.insertion.capacityMAh / dis1 - 1)).toBeLessThan(1e-3);
    expect(Math.abs(c1.extraction!.capacityMAh / chg2 - 1)).toBeLessThan(1e-3);
    const ice = (c1.extraction!.capacityMAh / c1.insertion.capacityMAh) * 100;
    expect(Math.abs(ice / ((chg2 / dis1) * 100) - 1)).toBeLessThan(1e-3);
  });
});

corpus('sniff: the Neware reader claims exactly the Neware files of the corpus', () => {
  it('each corpus file is claimed iff it is in corpus/neware', () => {
    const dirs = readdirSync(CORPUS).filter((d) => statSync(CORPUS + d).isDirectory());
    expect(dirs.length).toBeGreaterThanOrEqual(5);
    let n = 0;
    for (const d of dirs) {
      for (const f of readdirSync(CORPUS + d)) {
        const b = new Uint8Array(readFileSync(CORPUS + d + '/' + f)).subarray(0, SNIFF_BYTES);
        const choice = chooseReader(b, f, [newareReader]);
        expect(choice?.reader.name ?? null, `${d}/${f}`).toBe(d === 'neware' ? 'neware' : null);
        n++;
      }
    }
    expect(n).toBeGreaterThan(20);
  });
});

describe('BTSDA CSV: units, encodings, layouts (hand-made, numbers worked by hand)', () => {
  it('flat export in A, Ah and seconds', async () => {
    const csv = 'DataPoint,Cycle Index,Step Index,Step Type,Time,Total Time,Current(A),Voltage(V),Capacity(Ah)\n' +
      '1,1,1,CC_DChg,0,0,-0.0015,1.2,0\n2,1,1,CC_DChg,60,60,-0.0015,1.1,0.000025\n3,1,2,Rest,0,61,0,1.15,0\n';
    const { info, recs } = await readAll(new TextEncoder().encode(csv), 'a.csv');
    expect(info.layout).toBe('BTSDA CSV (record layer)');
    expect(recs.map((r) => [r.timeS, r.currentMA, r.voltageV, r.capacityMAh, r.stateKind, r.stepIndex])).toEqual([
      [0, -1.5, 1.2, 0, 'D', 1], [60, -1.5, 1.1, 0.025, 'D', 1], [61, 0, 1.15, 0, 'R', 2]]);
  });

  it('Windows-1252 export with µA, mV, mAs and h:min:s.ms times', async () => {
    const head = 'DataPoint,Cycle Index,Step Index,Step Type,Time,Total Time,Current(\xb5A),Voltage(mV),Capacity(mAs),\n';
    const rows = '1,1,3,CC_Chg,00:00:00.000,01:00:00.500,250,3500.5,0,\n2,1,3,CC_Chg,00:01:00.000,01:01:00.500,250,3510,15,\n';
    const bytes = Uint8Array.from(head + rows, (ch) => ch.charCodeAt(0));
    const { info, recs } = await readAll(bytes, 'b.csv');
    expect(info.encoding).toBe('windows-1252');
    expect(recs[1]).toMatchObject({ timeS: 3660.5, stepTimeS: 60, currentMA: 0.25, stateKind: 'C' });
    expect(recs[1]!.voltageV).toBeCloseTo(3.51, 12);
    expect(recs[1]!.capacityMAh).toBeCloseTo(15 / 3600, 12);
  });

  it('GB18030 export with Chinese headers (恒流放电)', async () => {
    // `iconv -t gb18030` of: 数据序号,循环号,工步号,工步类型,时间,总时间,电流(mA),电压(V),容量(mAh) and one record.
    const hex = 'cafdbeddd0f2bac52cd1adbbb7bac52cb9a4b2bdbac52cb9a4b2bdc0e0d0cd2ccab1bce42cd7dccab1bce42cb5e7c1f7286d41292cb5e7d1b92856292cc8ddc1bf286d4168290a312c312c312cbae3c1f7b7c5b5e72c30303a30303a30312e3030302c30303a30303a30312e3030302c2d312e352c312e322c302e3030310a';
    const bytes = Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
    const { info, recs } = await readAll(bytes, 'c.csv');
    expect(info.encoding).toBe('gb18030');
    expect(recs).toEqual([{ line: 2, timeS: 1, stepTimeS: 1, voltageV: 1.2, currentMA: -1.5, capacityMAh: 0.001, specificCapacityMAhG: null, cycleIndex: 1, stepIndex: 1, stateKind: 'D' }]);
  });

  it('a discharge step written with a positive current is made negative, and said so', async () => {
    const csv = 'Record ID,Step Type,Time(h:min:s.ms),Current(mA),Voltage(V),Capacity(mAh)\n1,CC_DChg,0:00:01.000,2,1.0,0.1\n';
    const { info, recs } = await readAll(new TextEncoder().encode(csv), 'd.csv');
    expect(recs[0]!.currentMA).toBe(-2);
    expect(info.notes.join()).toMatch(/1 discharge records had a positive current/);
  });

  it('an unknown unit is refused with the line', async () => {
    const csv = 'DataPoint,Step Type,Time,Current(kA),Voltage(V),Capacity(Ah)\n1,Rest,0,0,1,0\n';
    await expect(readAll(new TextEncoder().encode(csv), 'e.csv')).rejects.toMatchObject({ name: 'DataError', line: 1, message: expect.stringMatching(/unknown unit in column 'Current\(kA\)'/) });
  });
});

const damaged = HAVE_CORPUS && existsSync(NW) ? describe : describe.skip;
damaged('damaged binary files: clear DataErrors, no hangs', { timeout: 10_000 }, () => {
  const expectDataError = async (bytes: Uint8Array, re: RegExp): Promise<void> => {
    const t0 = Date.now();
    const e = await readAll(bytes, 'bad').then(() => null, (x: unknown) => x);
    expect(e, 'should fail').toBeInstanceOf(DataError);
    expect((e as Error).message).toMatch(re);
    expect(Date.now() - t0).toBeLessThan(5000);
  };

  it('.ndax cut in half, or its central directory cut', async () => {
    const z = file('fastnda_interp-test.ndax');
    await expectDataError(z.subarray(0, z.length >> 1), /truncated|not a Neware file/);
    const glued = new Uint8Array([...z.subarray(0, z.length - 400), ...z.subarray(z.length - 22)]);
    await expectDataError(glued, /damaged/);
  });

  it('.ndax with a corrupt data page, or an unknown ndc version', async () => {
    const members = unzipSync(file('fastnda_21_10_7_85.ndax'));
    const data = members['data.ndc']!.slice();
    data[4096 + 200] ^= 0xff;
    await expectDataError(zipSync({ ...members, 'data.ndc': data }), /page 1 of data\.ndc fails its checksum/);
    const v = members['data.ndc']!.slice();
    v[2] = 99;
    await expectDataError(zipSync({ ...members, 'data.ndc': v }), /file type 1 version 99, which hcarb cannot read/);
    await expectDataError(zipSync({ ...members, 'data.ndc': members['data.ndc']!.subarray(0, 5000) }), /not a whole number of 4096-byte pages/);
  });

  it('.nda cut inside a record, of an unknown version, with a damaged record index, or without records', async () => {
    const b = file('fastnda_new_nda_file_v29.nda');
    await expectDataError(b.subarray(0, b.length - 40), /ends inside record \d+ \(46 of 86 bytes\): it is truncated/);
    const v = b.slice(); v[14] = 99;
    await expectDataError(v, /\.nda version 99 is not supported/);
    const r = b.slice();
    const start = 85471; // first record (documented offset; the test checks it)
    expect(Array.from(r.subarray(start, start + 6))).toEqual([0x55, 0, 1, 0, 0, 0]);
    r[start + 86 * 10 + 2] = 0xee;
    await expectDataError(r, /has index \d+ after \d+: the file is damaged/);
    await expectDataError(b.subarray(0, 2000), /no data records/);
  });

  it('.xls cut short, or with a sector chain that loops', async () => {
    const b = file('cellpy_custom_data_003_neware_bts7.xls');
    await expectDataError(b.subarray(0, 300_000), /truncated|damaged/);
    const loop = b.slice();
    const dv = new DataView(loop.buffer);
    const fat0 = dv.getUint32(76, true), dirStart = dv.getUint32(48, true);
    dv.setUint32((fat0 + 1) * 512 + 4 * dirStart, dirStart, true);
    await expectDataError(loop, /chain is broken or loops/);
  });
});

damaged('random damage to the corpus binaries: records or a DataError, never another error or a hang', { timeout: 60_000 }, () => {
  const rng = seededRandom;
  for (const f of ['fastnda_new_nda_file_v29.nda', 'fastnda_21_10_7_85.ndax', 'fastnda_interp-test.ndax', 'cellpy_custom_data_003_neware_bts7.xls']) {
    it(f, async () => {
      const orig = file(f);
      const rand = rng(f.length * 7919);
      for (let k = 0; k < 40; k++) {
        let b = orig.slice();
        if (k % 4 === 0) b = b.subarray(0, Math.floor(rand() * b.length));
        else {
          const n = 1 + Math.floor(rand() * 16);
          for (let j = 0; j < n; j++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
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

damaged('layouts without a corpus sample, built here from the documented layouts', () => {
  const V29_START = 85471; // first record of the v29 corpus file (checked above)

  it('.nda v29 auxiliary record (0x65): temperature and aux voltage join their record by index', async () => {
    const b = file('fastnda_new_nda_file_v29.nda');
    const aux = new Uint8Array(86);
    const dv = new DataView(aux.buffer);
    aux[0] = 0x65; aux[1] = 1; dv.setUint32(2, 1, true); dv.setInt32(22, 12345, true); dv.setInt16(34, 253, true);
    const at = V29_START + 86;
    const withAux = new Uint8Array([...b.subarray(0, at), ...aux, ...b.subarray(at)]);
    const { info, recs } = await readAll(withAux, 'aux.nda');
    expect(recs.length).toBe(439);
    expect(info.extraColumns).toEqual(['t1_degC', 'v1_V']);
    expect(recs[0]!.extra).toEqual({ t1_degC: 25.3, v1_V: 1.2345 });
    expect(recs[1]!.extra).toEqual({ t1_degC: null, v1_V: null });
  });

  it('.nda v22 (start marked by an 0xAA record): the same records as v29', async () => {
    const b = file('fastnda_new_nda_file_v29.nda');
    const mark = new Uint8Array(86);
    mark.set([0xaa, 0, 1, 0, 0, 0]);
    const v22 = new Uint8Array([...b.subarray(0, V29_START), ...mark, ...b.subarray(V29_START)]);
    v22[14] = 22;
    const a = await readAll(b, 'a.nda'), c = await readAll(v22, 'c.nda');
    expect(c.info.layout).toBe('Neware .nda version 22');
    expect(c.recs).toEqual(a.recs);
  });

  it('.nda v130 (BTS 9.1): float records, signed capacity, step time from the step start', async () => {
    // 3 records of 56 bytes: CC discharge at -1.5 mA for 3.6 s steps, then a rest.
    const head = new Uint8Array(1024);
    head.set([...'NEWARE20240101'].map((c) => c.charCodeAt(0)));
    head[14] = 130;
    const rec = (index: number, step: number, type: number, t: number, mA: number, V: number, mAs: number): Uint8Array => {
      const r = new Uint8Array(56);
      const dv = new DataView(r.buffer);
      r[0] = 85; r[1] = 0x81; r[2] = step; r[3] = type;
      dv.setUint32(8, index, true); dv.setUint32(12, Math.floor(t), true); dv.setUint32(16, Math.round((t % 1) * 1e9), true);
      dv.setFloat32(20, mA, true); dv.setFloat32(24, V, true); dv.setFloat32(28, mAs, true); dv.setUint32(36, 0, true);
      dv.setFloat32(52, 24.5, true);
      return r;
    };
    const recs56 = [rec(1, 1, 2, 0, -1.5, 1.0, 0), rec(2, 1, 2, 3.6, -1.5, 0.9, -5.4), rec(3, 1, 2, 7.2, -1.5, 0.8, -10.8), rec(4, 2, 4, 10.2, 0, 0.85, 0)];
    const bytes = new Uint8Array([...head, ...recs56.flatMap((r) => [...r])]);
    const { info, recs } = await readAll(bytes, 'b.nda');
    expect(info.layout).toBe('Neware .nda version 130 (BTS 9.1, 56-byte records)');
    expect(recs.map((r) => [r.line, r.stateKind, r.stepIndex, r.cycleIndex])).toEqual([[1, 'D', 1, 1], [2, 'D', 1, 1], [3, 'D', 1, 1], [4, 'R', 2, 1]]);
    expect(recs[2]!.capacityMAh).toBeCloseTo(10.8 / 3600, 9);
    expect(recs[2]!.currentMA).toBeCloseTo(-1.5, 6);
    expect(recs[2]!.stepTimeS).toBeCloseTo(7.2, 5);
    expect(recs[3]!.stepTimeS).toBeCloseTo(3.0, 5); // 10.2 s − 7.2 s (the last time of step 1)
    expect(recs[3]!.extra!.t1_degC).toBeCloseTo(24.5, 6);
  });

  it('.ndax auxiliary channel (data_AUX_*.ndc, file type 5 version 14) named by TestInfo ChlType 103', async () => {
    const members = unzipSync(file('fastnda_21_10_7_85.ndax'));
    const auxFile = new Uint8Array(8192);
    auxFile.set([5, 0, 14, 0]);
    const page = auxFile.subarray(4096);
    page[0] = 6;
    new DataView(page.buffer, page.byteOffset).setUint16(2, 141, true);
    for (let i = 0; i < 141; i++) {
      page[4 + (i >> 3)]! |= 1 << (i & 7);
      new DataView(page.buffer, page.byteOffset).setFloat32(132 + 4 * i, 20 + i / 10, true);
    }
    const ti = new TextDecoder('latin1').decode(members['TestInfo.xml']!).replace('</TestInfo>', '<AuxChl1 AuxID="1" ChlType="103" /></TestInfo>');
    expect(ti).toContain('AuxChl1');
    const z = zipSync({ ...members, 'TestInfo.xml': Uint8Array.from(ti, (c) => c.charCodeAt(0)), 'data_AUX_1_1_1.ndc': auxFile });
    const { info, recs } = await readAll(z, 'aux.ndax');
    expect(info.extraColumns).toEqual(['t1_degC']);
    expect(recs[0]!.extra!.t1_degC).toBeCloseTo(20, 5);
    expect(recs[140]!.extra!.t1_degC).toBeCloseTo(34, 5);
  });
});
