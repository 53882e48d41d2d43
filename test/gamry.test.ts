/**
 * The Gamry reader against real .DTA files (../shared/corpus/gamry). The tables are counted and
 * read again here with the test's own few lines as the reference.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitCircuit } from '../src/analysis/eis/index.js';
import { splitSweeps } from '../src/analysis/cv.js';
import { DataError } from '../src/errors.js';
import { column, param } from '../src/readers/chi/chi.js';
import { gamryReader, readGamryTechnique } from '../src/readers/gamry/index.js';
import { chooseReader } from '../src/readers/registry.js';
import { SNIFF_BYTES } from '../src/readers/types.js';
import type { CyclerRecord, SourceInfo } from '../src/types.js';
import { bytesInput, CORPUS, HAVE_CORPUS, seededRandom } from './helpers/io.js';

const GA = CORPUS + 'gamry/';
const corpus = HAVE_CORPUS && existsSync(GA) ? describe : describe.skip;
const file = (f: string): Uint8Array => new Uint8Array(readFileSync(GA + f));
const FILES = ['impedancepy_exampleDataGamry.DTA', 'gamryparser_cv_data.dta', 'gamryparser_eispot_data.dta'];

async function readAll(bytes: Uint8Array, name: string): Promise<{ info: SourceInfo; recs: CyclerRecord[] }> {
  const r = await gamryReader.read(bytesInput(bytes, name));
  const recs: CyclerRecord[] = [];
  for await (const b of r.batches) recs.push(...b);
  return { info: r.info, recs };
}

/** Reference: the rows of table `name` as arrays of fields (whitespace-split), with their lines. */
function tableRows(bytes: Uint8Array, name: string): { line: number; v: string[] }[] {
  const lines = new TextDecoder('latin1').decode(bytes).split('\n').map((l) => l.replace(/\r$/, ''));
  const at = lines.findIndex((l) => l.startsWith(name + '\tTABLE'));
  const out: { line: number; v: string[] }[] = [];
  for (let k = at + 3; k < lines.length && /^\s/.test(lines[k]!); k++) out.push({ line: k + 1, v: lines[k]!.trim().split(/\s+/) });
  return out;
}

corpus('corpus: Gamry .DTA files', () => {
  it('every corpus file is claimed by the Gamry reader, and by it alone', () => {
    for (const f of FILES) {
      const c = chooseReader(file(f).subarray(0, SNIFF_BYTES), f);
      expect(c?.reader.name, f).toBe('gamry');
      expect(c!.others.every((o) => o.confidence < 0.5), f).toBe(true);
    }
  });

  it('impedancepy EISPOT: every ZCURVE point, Zimag as written (negative = capacitive), and the Randles fit', async () => {
    const bytes = file('impedancepy_exampleDataGamry.DTA');
    const ref = tableRows(bytes, 'ZCURVE');
    expect(ref.length).toBe(72); // Pt 0…71
    const f = await readGamryTechnique(bytesInput(bytes, 'eis.DTA'));
    expect(f.kind).toBe('eis');
    expect(f.date).toBe('2018-04-23T16:43:15');
    expect(f.model).toBe('REF3000-34128');
    const fr = column(f, 'freqHz')!, re = column(f, 'zReOhm')!, im = column(f, 'zImOhm')!;
    expect(fr.length).toBe(72);
    ref.forEach((r, k) => {
      expect(fr[k]).toBe(Number(r.v[2]));
      expect(re[k]).toBe(Number(r.v[3]));
      expect(im[k]).toBe(Number(r.v[4]));
      expect(f.lines[k]).toBe(r.line);
    });
    // The point noted in the format reference: 0.025 Hz, Zreal 14 713.85, Zimag −5703.416.
    const k = Array.from(fr).indexOf(0.0251881);
    expect([re[k], im[k]]).toEqual([14713.85, -5703.416]);
    const fit = fitCircuit({ f: fr, re, im }, 'randles');
    expect(fit.params.every((p) => p.value === null || Number.isFinite(p.value))).toBe(true);
    expect(fit.params.filter((p) => p.value !== null).length).toBeGreaterThanOrEqual(3);
    // Records: the DC state at each frequency.
    const { recs, info } = await readAll(bytes, 'eis.DTA');
    expect(recs.length).toBe(72);
    expect(recs[0]!.currentMA).toBeCloseTo(-5.89286e-6 * 1000, 15);
    expect(info.instrument).toBe('Gamry');
  });

  it('gamry-parser CV: every curve, sweeps split at the curves and at the reversals of the applied potential', async () => {
    const bytes = file('gamryparser_cv_data.dta');
    const f = await readGamryTechnique(bytesInput(bytes, 'cv.dta'));
    expect(f.kind).toBe('cv');
    expect(param(f, 'Scan Rate')).toBeCloseTo(1.23456e-3, 12); // SCANRATE 1.23456E+000 mV/s
    const curves = [1, 2, 3, 4, 5].map((n) => tableRows(bytes, `CURVE${n}`));
    const total = curves.reduce((a, c) => a + c.length, 0);
    const e = column(f, 'potentialV')!, i = column(f, 'currentA')!, cur = column(f, 'curve')!;
    expect(e.length).toBe(total);
    let k = 0;
    curves.forEach((rows, c) => rows.forEach((r) => {
      expect([cur[k], e[k], i[k], f.lines[k]]).toEqual([c + 1, Number(r.v[2]), Number(r.v[3]), r.line]);
      k++;
    }));
    // Segments: never across two curves; within one, the applied potential (Sig, field 6) is monotonic.
    const sig = curves.flat().map((r) => Number(r.v[5]));
    const seg = f.segments!;
    for (let j = 1; j < total; j++) if (cur[j] !== cur[j - 1]) expect(seg[j]).not.toBe(seg[j - 1]);
    const sweeps = splitSweeps(e, seg);
    for (const s of sweeps) {
      const d = Math.sign(sig[s.end - 1]! - sig[s.start]!);
      for (let j = s.start + 1; j < s.end; j++) expect(Math.sign(sig[j]! - sig[j - 1]!) * d).toBeGreaterThanOrEqual(0);
    }
    expect(new Set(cur).size).toBe(5);
    const { recs } = await readAll(bytes, 'cv.dta');
    expect(recs.length).toBe(total);
    expect(recs.map((r) => r.cycleIndex)).toEqual(Array.from(cur));
  });

  it('gamry-parser EISPOT: reads, the space-separated rows too', async () => {
    const f = await readGamryTechnique(bytesInput(file('gamryparser_eispot_data.dta'), 'eispot.dta'));
    expect(f.kind).toBe('eis');
    expect(Array.from(column(f, 'freqHz')!)).toEqual([10000, 5000, 1000, 500.1, 100, 50, 10, 5, 1, 0.5]);
    expect(column(f, 'zReOhm')![0]).toBe(224.6075);
  });
});

describe('hand-made .DTA files', () => {
  const head = 'EXPLAIN\r\nTAG\tCHRONOP\r\nTITLE\tLABEL\tChronopotentiometry\tTest &Identifier\r\n';
  it('chronopotentiometry records: T, Vf, Im in mA; CRLF', async () => {
    const text = head + 'CURVE\tTABLE\r\n\tPt\tT\tVf\tIm\r\n\t#\ts\tV vs. Ref.\tA\r\n\t0\t0.5\t1.25\t-1.0E-003\r\n\t1\t1.5\t1.2\t-1.0E-003\r\n';
    const { recs, info } = await readAll(new TextEncoder().encode(text), 'cp.dta');
    expect(recs.map((r) => [r.line, r.timeS, r.voltageV, r.currentMA])).toEqual([[7, 0.5, 1.25, -1], [8, 1.5, 1.2, -1]]);
    expect(info.layout).toBe('Gamry .DTA (CHRONOP)');
  });
  it('a row cut short, a non-number, a table without its names row: DataErrors with the line', async () => {
    const bad = [
      [head + 'CURVE\tTABLE\n\tPt\tT\tVf\tIm\n\t#\ts\tV\tA\n\t0\t0.5\t1.25\n', /3 values where the names row has 4/, 7],
      [head + 'CURVE\tTABLE\n\tPt\tT\tVf\tIm\n\t#\ts\tV\tA\n\t0\t0.5\t1.25\t1\n\t1\t0.7\tx\t1\n', /'x' in column Vf/, 8],
      [head + 'CURVE\tTABLE\n', /no names and units rows/, 4],
    ] as const;
    for (const [t, re, line] of bad) {
      const e = await readAll(new TextEncoder().encode(t), 'bad.dta').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(DataError);
      expect((e as DataError).message).toMatch(re);
      expect((e as DataError).line).toBe(line);
    }
  });
});

const damaged = HAVE_CORPUS && existsSync(GA) ? describe : describe.skip;
damaged('random damage to the corpus files: data or a DataError, never another error or a hang', { timeout: 60_000 }, () => {
  const rng = seededRandom;
  for (const f of FILES) {
    it(f, async () => {
      const orig = file(f);
      const rand = rng(f.length * 7919);
      for (let k = 0; k < 60; k++) {
        let b = orig.slice();
        if (k % 3 === 0) b = b.subarray(0, Math.floor(rand() * b.length));
        else {
          const n = 1 + Math.floor(rand() * 16);
          const bytes = [0x09, 0x0a, 0x20, 0x2e, 0x30, 0x41, 0x00, 0xff];
          for (let j = 0; j < n; j++) b[Math.floor(rand() * b.length)] = bytes[Math.floor(rand() * bytes.length)]!;
        }
        const t0 = Date.now();
        for (const read of [() => readAll(b, `${f}#${k}`), () => readGamryTechnique(bytesInput(b, `${f}#${k}`))]) {
          try { await read(); } catch (e) {
            if (!(e instanceof DataError)) expect.fail(`${f} variant ${k}: ${(e as Error).stack}`);
          }
        }
        expect(Date.now() - t0, `${f} variant ${k}`).toBeLessThan(5000);
      }
    });
  }
});
