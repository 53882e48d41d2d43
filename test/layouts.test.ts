/**
 * User-arranged layouts: the same record header repeated side by side (a discharge block and a
 * charge block, the same Chinese headers twice, an empty column between). Read block after block
 * in time order when each block is a complete record table with a time column, else refused with
 * a message that says exactly that; a shorter block is never a bad line. The sheets are built here
 * from the generator's records (src/generate/land.ts), whose capacities are exactly I·t.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeLines, planRecords, type CellPlan, type Rec } from '../src/generate/land.js';
import { writeXlsx, type XCell } from '../src/generate/xlsx.js';
import { headerBlocks } from '../src/readers/land/land.js';
import { hcarb } from './helpers/io.js';

const MASS_MG = 4;
/** Two cycles: 300 then 250 mAh/g discharged, 240 then 245 mAh/g charged (CE 80 % and 98 %). */
const Q = { dis: [300, 250], ch: [240, 245] };
function plan(fractions?: number[]): CellPlan {
  const g = MASS_MG / 1000;
  return {
    massMg: MASS_MG,
    branches: [
      { dir: 'D', capacityMAh: Q.dis[0]! * g, currentMA: 0.12 },
      { dir: 'C', capacityMAh: Q.ch[0]! * g, currentMA: 0.12 },
      { dir: 'D', capacityMAh: Q.dis[1]! * g, currentMA: 0.12 },
      { dir: 'C', capacityMAh: Q.ch[1]! * g, currentMA: 0.12 },
    ],
    voltage: (dir, x) => (dir === 'D' ? 2.5 - 2.5 * x : 2.5 * x),
    sampleS: 120, sampleDV: 1, fractions,
  };
}

const ZH = ['记录序号', '测试时间/Sec', '步骤时间/Sec', '电流/mA', '容量/mAh', '电压/V'];
const row = (r: Rec, n: number): XCell[] => [n, r.timeS, r.stepTimeS, r.currentMA, r.capacityMAh, r.voltageV];

/** The branches of a run (records with the same cycle and state, in order). */
function branches(p: CellPlan): Rec[][] {
  const out: Rec[][] = [];
  let prev: Rec | null = null;
  for (const r of planRecords(p)) {
    if (!prev || prev.state !== r.state || prev.cycle !== r.cycle) out.push([]);
    out[out.length - 1]!.push(r);
    prev = r;
  }
  return out;
}

/** Blocks side by side, an empty column between; `header` per block; rows as long as the longest block. */
function sideBySide(blocks: Rec[][], header: string[] = ZH, cells: (r: Rec, n: number) => XCell[] = row): XCell[][] {
  const rows: XCell[][] = [blocks.flatMap((_, k) => (k ? ['', ...header] : header))];
  const n = Math.max(...blocks.map((b) => b.length));
  let rec = 0;
  const numbers = blocks.map((b) => b.map(() => ++rec));
  for (let i = 0; i < n; i++) {
    rows.push(blocks.flatMap((b, k) => {
      const c = i < b.length ? cells(b[i]!, numbers[k]![i]!) : header.map(() => '');
      return k ? ['', ...c] : c;
    }));
  }
  return rows;
}

function csv(rows: XCell[][], trimTrailing: boolean): string {
  return rows.map((r) => {
    const cells = r.map((c) => (c === null || c === undefined ? '' : String(c)));
    if (trimTrailing) while (cells.length && cells[cells.length - 1] === '') cells.pop();
    return cells.join(',');
  }).join('\n') + '\n';
}

const dir = mkdtempSync(join(tmpdir(), 'hcarb-layouts-'));
function file(name: string, data: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

function cycles(path: string): { code: number | null; rows: Record<string, string>[]; stderr: string } {
  const r = hcarb(['cycles', path, '--mass', String(MASS_MG), '--format', 'csv']);
  const lines = r.stdout.trim().split('\n');
  const head = lines[0]?.split(',') ?? [];
  return { code: r.code, stderr: r.stderr, rows: lines.slice(1).filter(Boolean).map((l) => Object.fromEntries(l.split(',').map((v, i) => [head[i]!, v]))) };
}

const OLD_DIAGNOSES = /the current is never negative|no voltage value|no current value|remove the line|fix or remove/;

function expectRightCycles(path: string): void {
  const c = cycles(path);
  expect(c.stderr).not.toMatch(OLD_DIAGNOSES);
  expect(c.code, c.stderr).toBe(0);
  expect(c.rows.length).toBe(2);
  c.rows.forEach((r, k) => {
    expect(Number(r.q_dis_mAh_g)).toBeCloseTo(Q.dis[k]!, 6);
    expect(Number(r.q_ch_mAh_g)).toBeCloseTo(Q.ch[k]!, 6);
    expect(Number(r.ce_pct)).toBeCloseTo(Q.ch[k]! / Q.dis[k]! * 100, 2);
  });
}

describe('header blocks', () => {
  it('a LANDdt header with its blank column is one table; a header repeated after an empty column, or at once, is blocks', () => {
    expect(headerBlocks(['Record', 'TestTime/Sec', 'Current/mA', 'Voltage/V', 'SysTime', '', 'Cycle-Index', 'Step-Index', 'Step-State'])).toBeNull();
    expect(headerBlocks(ZH)).toBeNull();
    expect(headerBlocks([...ZH, '', ...ZH])).toEqual([[0, 6], [7, 13]]);
    expect(headerBlocks([...ZH, ...ZH, '', '', ...ZH])).toEqual([[0, 6], [6, 12], [14, 20]]);
    // What follows a block without its own voltage and current belongs to it.
    expect(headerBlocks([...ZH, '', '工步状态', '', ...ZH, '', '工步状态'])).toEqual([[0, 8], [9, 17]]);
  });
});

describe('side-by-side blocks that are consecutive parts of one run: read in time order', () => {
  // One block per branch: D1 | C1 | D2 | C2, each a complete record table with its test time.
  const unequal = branches(plan());
  const equal = branches(plan([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]));
  it('the blocks differ in length (the generator samples by time)', () => {
    expect(new Set(unequal.map((b) => b.length)).size).toBeGreaterThan(1);
    expect(new Set(equal.map((b) => b.length)).size).toBe(1);
  });
  for (const [label, blocks] of [['equal blocks', equal], ['unequal blocks', unequal]] as const) {
    it(`${label}, .xlsx`, () => expectRightCycles(file(`sbs-${label}.xlsx`, writeXlsx([{ name: '记录表', rows: sideBySide(blocks) }]))));
    it(`${label}, .csv with the empty cells written out`, () => expectRightCycles(file(`sbs-${label}-full.csv`, csv(sideBySide(blocks), false))));
    it(`${label}, .csv with short lines where the first blocks have ended`, () => expectRightCycles(file(`sbs-${label}-short.csv`, csv(sideBySide(blocks), true))));
    it(`${label}, in the reverse order of columns (C2 | D2 | C1 | D1): still time order`, () => expectRightCycles(file(`sbs-${label}-rev.csv`, csv(sideBySide([...blocks].reverse()), false))));
  }
  it('a long file (past the fast path\'s head) and GB18030 headers read the same', () => {
    const long = branches({ ...plan(), sampleS: 5 });
    expect(long[0]!.length).toBeGreaterThan(1000);
    expectRightCycles(file('sbs-long.csv', csv(sideBySide(long), true)));
    expectRightCycles(file('sbs-long-gb.csv', encodeLines(csv(sideBySide(long), true).trimEnd().split('\n'), { crlf: true }, 'gb18030')));
  });
  it('the notes say what was read', () => {
    const r = hcarb(['cycles', file('sbs-notes.csv', csv(sideBySide(unequal), false)), '--mass', '4', '-v']);
    expect(r.stderr).toMatch(/the file holds 4 record tables side by side \(columns A–F, H–M, O–T and V–AA, the same header repeated\): read as one run, block after block in time order/);
  });
});

describe('side-by-side blocks that cannot be put in order: refused, saying exactly why', () => {
  it('blocks without a time column', () => {
    const head = ['电流/mA', '容量/mAh', '电压/V'];
    const blocks = branches(plan()).slice(0, 2);
    const p = file('sbs-untimed.csv', csv(sideBySide(blocks, head, (r) => [r.currentMA, r.capacityMAh, r.voltageV]), false));
    const r = hcarb(['cycles', p, '--mass', '4']);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(OLD_DIAGNOSES);
    expect(r.stderr.trim()).toBe(`hcarb: ${p}:1: the file holds 2 record tables side by side (columns A–C and E–G, the same header repeated); such blocks are read as one run, one block after another in time order, only when every block is a complete record table with a time column (TestTime), and block 1 (columns A–C) has none: put the blocks one under the other in time order, or export the record table from the cycler software as it was written`);
  });
  it('blocks that overlap in time (every discharge in one block, every charge in the other), .xlsx', () => {
    const b = branches(plan());
    const rows = sideBySide([[...b[0]!, ...b[2]!], [...b[1]!, ...b[3]!]]);
    const p = file('sbs-overlap.xlsx', writeXlsx([{ name: 'Sheet1', rows }]));
    const r = hcarb(['cycles', p, '--mass', '4']);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(OLD_DIAGNOSES);
    const t = (x: Rec) => x.timeS;
    expect(r.stderr.trim()).toBe(`hcarb: ${p}:Sheet1: the sheet holds 2 record tables side by side (columns A–F and H–M, the same header repeated), read as one run block after block in time order, but the blocks overlap in time (block 1: ${t(b[0]![0]!)} to ${t(b[2]!.at(-1)!)} s, block 2: ${t(b[1]![0]!)} to ${t(b[3]!.at(-1)!)} s), so they are not consecutive parts of one run: hcarb cannot tell how the blocks fit together; put each run in its own file, or put the blocks one under the other in time order`);
  });
});
