/**
 * The BioLogic reader against real EC-Lab files (../shared/corpus/biologic) and against .mpr files
 * of the project's own generator (src/generate/mpr.ts, written from the format notes without the
 * reader). The .mpt text is parsed here again, in a few lines, as the reference for the .mpr.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CyclingReducer } from '../src/analysis/cycling.js';
import { fitCircuit } from '../src/analysis/eis/index.js';
import { DataError } from '../src/errors.js';
import { GENERATOR_IDS, makeMpr, type MprColumn, type MprLayout } from '../src/generate/mpr.js';
import { column } from '../src/readers/chi/chi.js';
import { biologicReader, parseMpr, readBiologicTechnique } from '../src/readers/biologic/index.js';
import { chooseReader } from '../src/readers/registry.js';
import { SNIFF_BYTES } from '../src/readers/types.js';
import type { CyclerRecord, SourceInfo } from '../src/types.js';
import { bytesInput, CORPUS, HAVE_CORPUS, seededRandom } from './helpers/io.js';

const BL = CORPUS + 'biologic/';
const corpus = HAVE_CORPUS && existsSync(BL) ? describe : describe.skip;
const file = (f: string): Uint8Array => new Uint8Array(readFileSync(BL + f));

async function readAll(bytes: Uint8Array, name: string): Promise<{ info: SourceInfo; recs: CyclerRecord[] }> {
  const r = await biologicReader.read(bytesInput(bytes, name));
  const recs: CyclerRecord[] = [];
  for await (const b of r.batches) recs.push(...b);
  return { info: r.info, recs };
}

/** The .mpt data as printed: column name → the text of each row (reference parser of the test). */
function mptText(bytes: Uint8Array): Map<string, string[]> {
  const lines = new TextDecoder('latin1').decode(bytes).split('\n').map((l) => l.replace(/\r$/, ''));
  const n = Number(/: (\d+)/.exec(lines[1]!)![1]);
  const names = lines[n - 1]!.split('\t');
  const out = new Map<string, string[]>(names.filter((x) => x).map((x) => [x, []]));
  for (const l of lines.slice(n)) {
    if (!l.trim()) continue;
    l.split('\t').forEach((v, k) => out.get(names[k]!)?.push(v));
  }
  return out;
}

/** Half a unit in the last printed digit of `s` (`-3.2463198E+000` → 5e-8). */
function halfUlp(s: string): number {
  const m = /^-?\d+(?:[.,](\d+))?(?:E([+-]\d+))?$/i.exec(s.trim())!;
  return 0.5 * 10 ** (Number(m[2] ?? 0) - (m[1]?.length ?? 0));
}

corpus('registry: every corpus file is claimed by the reader of its folder, and only by it', () => {
  it('every corpus file by its own reader, and no other claims it', () => {
    const own = new Set(['land', 'chi', 'neware', 'biologic', 'gamry', 'arbin']);
    let n = 0;
    for (const d of readdirSync(CORPUS).filter((x) => statSync(CORPUS + x).isDirectory())) {
      for (const f of readdirSync(CORPUS + d)) {
        const c = chooseReader(new Uint8Array(readFileSync(CORPUS + d + '/' + f)).subarray(0, SNIFF_BYTES), f);
        expect(c?.reader.name ?? null, `${d}/${f}`).toBe(own.has(d) ? d : null);
        if (c) expect(c.others.every((o) => o.confidence < 0.5), `${d}/${f}: ${JSON.stringify(c.others)}`).toBe(true);
        n++;
      }
    }
    expect(n).toBeGreaterThanOrEqual(27);
  });
});

corpus('corpus: EC-Lab files', () => {
  it('every corpus file is claimed by the BioLogic reader, and by it alone', () => {
    for (const f of ['bioconv_cp.mpr', 'bioconv_cp.mpt', 'navani_jdb11-1_gcpl_5cycles_C09.mpr', 'impedancepy_exampleDataBioLogic.mpt']) {
      const c = chooseReader(file(f).subarray(0, SNIFF_BYTES), f);
      expect(c?.reader.name, f).toBe('biologic');
      expect(c!.others.every((o) => o.confidence < 0.5), f).toBe(true);
    }
  });

  it('bioconv_cp.mpr reads to the values its own .mpt export prints, within the printed precision', async () => {
    const mpr = await readAll(file('bioconv_cp.mpr'), 'cp.mpr');
    const mpt = await readAll(file('bioconv_cp.mpt'), 'cp.mpt');
    expect(mpt.info.warnings).toEqual(['<Ewe>/V is printed as 0 on 117 of 121 rows (first at line 62) where Ewe-Ece/V and <Ece>/V are not: the potential there is taken as (Ewe-Ece) + Ece']);
    const ref = mptText(file('bioconv_cp.mpt'));
    expect(mpr.recs.length).toBe(121);
    expect(mpt.recs.length).toBe(121);
    expect(ref.get('time/s')!.length).toBe(121);
    const fields: [keyof CyclerRecord, string][] = [['timeS', 'time/s'], ['voltageV', '<Ewe>/V'], ['currentMA', 'I/mA'], ['capacityMAh', 'Q charge/discharge/mA.h'], ['stepIndex', 'Ns']];
    for (let k = 0; k < 121; k++) {
      for (const [key, name] of fields) {
        const printed = ref.get(name)![k]!;
        let want = Number(printed);
        if (key === 'capacityMAh') want = Math.abs(want);
        let extra = 0;
        if (key === 'voltageV' && want === 0) {
          // Rows 5–121 of this .mpt print <Ewe>/V as 0; Ewe = (Ewe-Ece) + <Ece>, both printed on the row.
          const d = ref.get('Ewe-Ece/V')![k]!, c = ref.get('<Ece>/V')![k]!;
          want = Number(d) + Number(c);
          // Printed digits, and float32 arithmetic in EC-Lab (Ewe-Ece is a float32 difference).
          extra = halfUlp(d) + halfUlp(c) + (Math.abs(Number(d)) + Math.abs(Number(c))) * 2 ** -24;
          expect(k).toBeGreaterThanOrEqual(4);
        }
        const tol = extra + halfUlp(printed) + Math.abs(want) * 2 ** -24; // printed digits, and float32 storage
        expect(Math.abs((mpr.recs[k]![key] as number) - want), `${name} point ${k + 1}: mpr ${mpr.recs[k]![key]} vs mpt ${printed}`).toBeLessThanOrEqual(tol);
        expect(Math.abs((mpt.recs[k]![key] as number) - want), `${name} row ${k + 1} of the .mpt`).toBeLessThanOrEqual(extra + halfUlp(printed));
      }
      // −100 mA on the working electrode: a reduction (ox/red 0), so discharge, from both files.
      expect(mpr.recs[k]!.stateKind).toBe('D');
      expect(mpt.recs[k]!.stateKind).toBe('D');
    }
    // Every other column of the .mpr against the .mpt column of the same name.
    const t = parseMpr(file('bioconv_cp.mpr'), 'cp.mpr');
    expect(t.technique).toBe('Chronopotentiometry');
    expect(t.acquisitionStart).toBe('2021-03-02T16:17:59'); // 'Acquisition started on : 03/02/2021 16:17:59'
    for (const [k, name] of t.names.entries()) {
      const printed = ref.get(name);
      expect(printed, name).toBeDefined();
      for (let r = 0; r < 121; r++) {
        if (name === '<Ewe>/V' && r >= 4) continue; // checked above
        const want = Number(printed![r]);
        expect(Math.abs(t.data[k]![r]! - want), `${name} point ${r + 1}`).toBeLessThanOrEqual(halfUlp(printed![r]!) + Math.abs(want) * 2 ** -24);
      }
    }
  });

  it('navani GCPL .mpr: its cycles carry the charge that the records integrate to (trapezoid ∫|I|dt)', async () => {
    const { info, recs } = await readAll(file('navani_jdb11-1_gcpl_5cycles_C09.mpr'), 'gcpl.mpr');
    expect(recs.length).toBe(46102);
    expect(info.instrument).toBe('BioLogic');
    expect(info.notes.join(' ')).toMatch(/dq·3600\/Δt/);
    // The test's own trapezoid over each run of one direction (rests excluded).
    const runs: { dir: 'C' | 'D'; q: number }[] = [];
    let prev: CyclerRecord | null = null;
    for (const r of recs) {
      const dir = r.stateKind === 'R' ? null : r.currentMA > 0 ? 'C' : 'D';
      if (dir && (!runs.length || runs[runs.length - 1]!.dir !== dir || prev?.stateKind === 'R')) {
        if (!runs.length || runs[runs.length - 1]!.dir !== dir) runs.push({ dir, q: 0 });
      } else if (dir && prev) runs[runs.length - 1]!.q += (Math.abs(r.currentMA) + Math.abs(prev.currentMA)) / 2 * (r.timeS! - prev.timeS!) / 3600;
      prev = dir ? r : null;
    }
    // The file: a rest, a first discharge from OCV to 2 V, then charge/discharge pairs (Ns 2 and 3).
    expect(runs.map((x) => x.dir).join('')).toBe('DCDCDCDCDCDCD');
    const red = new CyclingReducer({ first: 'charge', splitV: 3 });
    for (const r of recs) red.push(r);
    const d = red.finish();
    // Program: 5 repetitions of the charge/discharge loop after the first pass → 6 full cycles.
    expect(d.cycles.length).toBe(6);
    expect(d.leading.length).toBe(1);
    expect(d.capacitySource).toBe('column');
    // The derived current is dq/Δt of each point, so the trapezoid and the summed dq differ only at run ends.
    const TOL = 1e-4;
    for (const [k, c] of d.cycles.entries()) {
      const ch = runs[1 + 2 * k]!, dis = runs[2 + 2 * k]!;
      expect(Math.abs(c.insertion.capacityMAh - ch.q) / ch.q, `cycle ${k + 1} charge`).toBeLessThan(TOL);
      expect(Math.abs(c.extraction!.capacityMAh - dis.q) / dis.q, `cycle ${k + 1} discharge`).toBeLessThan(TOL);
    }
    // First cycle by hand from the run sums: charge 0.98678 mAh, discharge 0.85285 mAh.
    expect(d.cycles[0]!.insertion.capacityMAh).toBeCloseTo(0.98678, 4);
    expect(d.cycles[0]!.extraction!.capacityMAh).toBeCloseTo(0.85285, 4);
  });

  it('the PEIS .mpt is an eis technique file with all 43 points, Z" negative for capacitive, and the Randles fit runs', async () => {
    const bytes = file('impedancepy_exampleDataBioLogic.mpt');
    const f = await readBiologicTechnique(bytesInput(bytes, 'peis.mpt'));
    expect(f.kind).toBe('eis');
    const ref = mptText(bytes);
    const n = ref.get('freq/Hz')!.length;
    expect(n).toBe(43);
    const fr = column(f, 'freqHz')!, re = column(f, 'zReOhm')!, im = column(f, 'zImOhm')!;
    expect(fr.length).toBe(n);
    for (let k = 0; k < n; k++) {
      expect(fr[k]).toBe(Number(ref.get('freq/Hz')![k]));
      expect(re[k]).toBe(Number(ref.get('Re(Z)/Ohm')![k]));
      expect(im[k]).toBe(-Number(ref.get('-Im(Z)/Ohm')![k]));
    }
    expect(f.lines[0]).toBe(62); // 'Nb header lines : 61'
    const fit = fitCircuit({ f: fr, re, im }, 'randles');
    expect(fit.params.every((p) => p.value === null || Number.isFinite(p.value))).toBe(true);
    expect(fit.params.filter((p) => p.value !== null).length).toBeGreaterThanOrEqual(3);
    expect(fit.params[0]!.value!).toBeGreaterThan(0);
    const { recs } = await readAll(bytes, 'peis.mpt');
    expect(recs.length).toBe(43);
  });
});

// ---------------------------------------------------------------------------------------------

/** Values a column of this ID can hold exactly (float32 where the ID is 4-byte float). */
function valuesFor(id: number, n: number, seed: number): number[] {
  const f4 = new Set([5, 6, 8, 9, 19, 20, 32, 33, 34, 35, 36, 37, 38, 70, 76, 77, 169, 172, 174, 178, 179, 434, 435, 441, 462, 473, 474, 476, 477, 479, 480]);
  return Array.from({ length: n }, (_, k) => {
    if (id === 1) return (k + seed) % 4;
    if ([2, 3, 21, 31, 65].includes(id)) return (k + seed + id) % 2;
    if ([39, 131].includes(id)) return (k * 37 + seed * 11 + id) % 65536;
    if ([212, 468].includes(id)) return k * 100003 + seed;
    const x = Math.sin(k * 1.7 + seed + id) * 10 ** ((id % 7) - 3);
    return f4.has(id) ? Math.fround(x) : x;
  });
}

describe('generated .mpr files: every supported column ID, every layout', () => {
  const layouts: MprLayout[] = ['v2', 'v3', '11.50'];
  for (const layout of layouts) {
    it(`${layout}: all ${GENERATOR_IDS.length} IDs read back to the values written`, () => {
      // Flags first, placed in the middle too (the flags byte sits where the first flag ID is).
      const ids = [4, 1, 2, ...GENERATOR_IDS.filter((i) => ![1, 2, 4].includes(i))];
      const cols: MprColumn[] = ids.map((id, s) => ({ id, values: valuesFor(id, 57, s) }));
      const t = parseMpr(makeMpr({ layout, columns: cols, techniqueId: 0x19, startOle: 44257.5 }), `gen-${layout}.mpr`);
      expect(t.layout).toBe(layout);
      expect(t.columnIds).toEqual(ids);
      expect(t.technique).toBe('Chronopotentiometry');
      expect(t.acquisitionStart).toBe('2021-03-02T12:00:00'); // OLE 44257.5 = 2021-03-02 noon
      expect(t.data.length).toBe(ids.length);
      cols.forEach((c, k) => expect(Array.from(t.data[k]!), `ID ${c.id}`).toEqual(c.values));
    });
  }

  it('a GCPL file without a current column: current from dq·3600/Δt, state from mode and ox/red', async () => {
    // Rest 2 points, charge 3 points (0.001 mAh per 10 s = 0.36 mA), discharge 2 points (0.002 mAh per 20 s = −0.36 mA).
    const cols: MprColumn[] = [
      { id: 1, values: [3, 3, 1, 1, 1, 1, 1] }, { id: 2, values: [1, 1, 1, 1, 1, 0, 0] },
      { id: 131, values: [0, 0, 1, 1, 1, 2, 2] }, { id: 4, values: [0, 10, 20, 30, 40, 60, 80] },
      { id: 7, values: [0, 0, 0.001, 0.001, 0.001, -0.002, -0.002] }, { id: 6, values: [2.5, 2.5, 3, 3.1, 3.2, 3.1, 3.0].map(Math.fround) },
      { id: 467, values: [0, 0, 0.001, 0.002, 0.003, -0.002, -0.004] },
    ];
    for (const layout of layouts) {
      const { recs, info } = await readAll(makeMpr({ layout, columns: cols }), `gcpl-${layout}.mpr`);
      expect(recs.map((r) => r.stateKind)).toEqual(['R', 'R', 'C', 'C', 'C', 'D', 'D']);
      const want = [0, 0, 0.36, 0.36, 0.36, -0.36, -0.36];
      recs.forEach((r, k) => expect(r.currentMA).toBeCloseTo(want[k]!, 12));
      expect(recs.map((r) => r.capacityMAh)).toEqual([0, 0, 0.001, 0.002, 0.003, 0.002, 0.004]);
      expect(recs.map((r) => r.stepIndex)).toEqual([0, 0, 1, 1, 1, 2, 2]);
      expect(recs.map((r) => r.line)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(info.layout).toMatch(new RegExp(`data module ${layout.replace('.', '\\.')}`));
    }
  });

  it('an unknown column ID is a DataError naming it, never a misread', () => {
    const cols: MprColumn[] = [{ id: 4, values: [0, 1] }, { id: 6, values: [1, 2] }];
    for (const layout of layouts) {
      const b = makeMpr({ layout, columns: cols, declareIds: [4, 6, 9999] });
      expect(() => parseMpr(b, 'u.mpr')).toThrow(DataError);
      expect(() => parseMpr(b, 'u.mpr')).toThrow(/column ID 9999/);
    }
  });

  it('an unknown data-module version, a point count beyond the data, a cut file: DataErrors', () => {
    const cols: MprColumn[] = [{ id: 4, values: [0, 1, 2] }, { id: 6, values: [1, 2, 3] }];
    const good = makeMpr({ layout: 'v3', columns: cols });
    const v7 = good.slice();
    const at = new TextDecoder('latin1').decode(v7).indexOf('VMP data');
    new DataView(v7.buffer).setUint32(at - 6 + 45, 7, true);
    expect(() => parseMpr(v7, 'v7.mpr')).toThrow(/version 7/);
    expect(() => parseMpr(makeMpr({ layout: 'v3', columns: cols, claimPoints: 4 }), 'c.mpr')).toThrow(/announces 4 points/);
    for (let cut = 0; cut < good.length; cut += 97) expect(() => parseMpr(good.subarray(0, cut), `cut${cut}.mpr`), `cut at ${cut}`).toThrow(DataError);
  });
});

describe('hand-made .mpt exports', () => {
  /** A CV export as EC-Lab writes it on a French PC: decimal commas, CRLF, latin-1, 20-character parameter columns. */
  function cvMpt(): Uint8Array {
    const pad = (k: string, v: string) => k.padEnd(20) + v.padEnd(20);
    const head = ['EC-Lab ASCII FILE', 'Nb header lines : 12', '', 'Cyclic Voltammetry', '', 'Acquisition started on : 11/05/2024 09:15:02.120',
      'Device : VSP-300 (SN 0123)', pad('dE/dt', '20,000'), pad('dE/dt unit', 'mV/s'), pad('E1 (V)', '1,500'), 'Cycle Definition : Charge/Discharge alternance',
      'mode\tox/red\terror\tcontrol changes\tcounter inc.\ttime/s\tcontrol/V\tEwe/V\t<I>/mA\tcycle number\t(Q-Qo)/mA.h\t'];
    // Triangle 0 → 0.04 → 0 V at 20 mV/s (1 s per 0.02 V), then a second cycle.
    const rows: string[] = [];
    const ctrl = [0, 0.02, 0.04, 0.02, 0, 0.02, 0.04, 0.02, 0];
    ctrl.forEach((e, k) => rows.push(['2', k % 4 < 2 ? '1' : '0', '0', '0', '0', `${k},000`, `${e}`.replace('.', ','), `${e + 0.001}`.replace('.', ','), k % 4 < 2 ? '1,5E-002' : '-1,5E-002', k < 4 ? '1,000' : '2,000', '0,0'].join('\t')));
    return new Uint8Array(Buffer.from([...head, ...rows].join('\r\n') + '\r\n', 'latin1'));
  }

  it('a CV .mpt with decimal commas and CRLF: the ChiFile for hcarb cv, scan rate in V/s, sweeps from control/V', async () => {
    const f = await readBiologicTechnique(bytesInput(cvMpt(), 'cv.mpt'));
    expect(f.kind).toBe('cv');
    expect(f.parameters.find((p) => p.key === 'Scan Rate')).toMatchObject({ unit: 'V/s', value: 0.02 });
    expect(f.date).toBe('2024-11-05T09:15:02');
    expect(f.model).toBe('VSP-300 (SN 0123)');
    expect(Array.from(column(f, 'potentialV')!)).toEqual([0.001, 0.021, 0.041, 0.021, 0.001, 0.021, 0.041, 0.021, 0.001]);
    expect(Array.from(column(f, 'currentA')!)).toEqual([1.5e-5, 1.5e-5, -1.5e-5, -1.5e-5, 1.5e-5, 1.5e-5, -1.5e-5, -1.5e-5, 1.5e-5]);
    // Sweeps: up (points 1–3, the vertex ends it), down (point 4); point 5 opens cycle 2 (cycle number 2): up (5–7), down (8–9).
    expect(Array.from(f.segments!)).toEqual([1, 1, 1, 2, 3, 3, 3, 4, 4]);
    expect(Array.from(f.lines)).toEqual([13, 14, 15, 16, 17, 18, 19, 20, 21]);
    const { info, recs } = await readAll(cvMpt(), 'cv.mpt');
    expect(info.decimalComma).toBe(true);
    expect(recs.map((r) => r.stateKind)).toEqual(['C', 'C', 'D', 'D', 'C', 'C', 'D', 'D', 'C']);
  });

  it('a header that counts more lines than the file has, a short row, a non-number: DataErrors with the line', async () => {
    const base = 'EC-Lab ASCII FILE\nNb header lines : 5\n\nChronopotentiometry\ntime/s\tEwe/V\tI/mA\n';
    const cases: [string, RegExp, number][] = [
      ['EC-Lab ASCII FILE\nNb header lines : 90\n\nX\n', /header says it has 90 lines/, 2],
      [base + '1\t3,1\n', /2 fields where the header names 3 columns/, 6],
      [base + '1\t3,1\t0\n2\tabc\t0\n', /'abc' in column 'Ewe\/V' is not a number/, 7],
    ];
    for (const [text, re, line] of cases) {
      const e = await readAll(new TextEncoder().encode(text), 'bad.mpt').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(DataError);
      expect((e as DataError).message).toMatch(re);
      expect((e as DataError).line).toBe(line);
    }
  });
});

const damaged = HAVE_CORPUS && existsSync(BL) ? describe : describe.skip;
damaged('random damage to the corpus files: records or a DataError, never another error or a hang', { timeout: 60_000 }, () => {
  const rng = seededRandom;
  for (const f of ['bioconv_cp.mpr', 'navani_jdb11-1_gcpl_5cycles_C09.mpr', 'bioconv_cp.mpt', 'impedancepy_exampleDataBioLogic.mpt']) {
    it(f, async () => {
      const orig = file(f);
      const rand = rng(f.length * 7919);
      for (let k = 0; k < 40; k++) {
        let b = orig.slice();
        if (k % 4 === 0) b = b.subarray(0, Math.floor(rand() * b.length));
        else {
          const n = 1 + Math.floor(rand() * 16);
          // Damage near the headers as often as anywhere (the data module header, the .mpt header).
          for (let j = 0; j < n; j++) b[Math.floor(rand() * (j % 2 ? b.length : Math.min(b.length, 8000)))] = Math.floor(rand() * 256);
        }
        const t0 = Date.now();
        for (const read of [() => readAll(b, `${f}#${k}`), () => readBiologicTechnique(bytesInput(b, `${f}#${k}`))]) {
          try { await read(); } catch (e) {
            if (!(e instanceof DataError)) expect.fail(`${f} variant ${k}: ${(e as Error).stack}`);
          }
        }
        expect(Date.now() - t0, `${f} variant ${k}`).toBeLessThan(5000);
      }
    });
  }
});
