/**
 * Legacy .xls (BIFF8) LAND workbooks: the generator (src/generate/xls.ts, written from the format
 * descriptions, not from the reader) against the reader (src/readers/shared/xls.ts + the LAND
 * workbook logic), the reader choice by content, the same `cycles` as the .xlsx of the same run,
 * and damaged files (clear DataErrors, no hangs).
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../src/errors.js';
import { compoundFile, landXls, splitLong, workbookStream, writeXls, XLS_MAX_ROWS } from '../src/generate/xls.js';
import { landSheets, landWorkbook } from '../src/generate/xlsx.js';
import { hardCarbonPlan, planRecords, rng } from '../src/generate/land.js';
import { sheetNamesInHead, XlsWorkbook } from '../src/readers/shared/xls.js';
import { landReader } from '../src/readers/land/index.js';
import { newareReader } from '../src/readers/neware/index.js';
import { chooseReader } from '../src/readers/registry.js';
import { SNIFF_BYTES } from '../src/readers/types.js';
import type { CyclerRecord, SourceInfo } from '../src/types.js';
import { bytesInput, CORPUS, HAVE_CORPUS, hcarb } from './helpers/io.js';

async function readLand(bytes: Uint8Array, name = 'run.xls'): Promise<{ info: SourceInfo; recs: CyclerRecord[] }> {
  const r = await landReader.read(bytesInput(bytes, name, 1 << 16));
  const recs: CyclerRecord[] = [];
  for await (const b of r.batches) recs.push(...b.map((x) => ({ ...x })));
  return { info: r.info, recs };
}

describe('the BIFF8 writer and reader agree on every cell', () => {
  it('numbers, 8-bit and UTF-16 strings, a shared-string table split across CONTINUE records, several sheets', () => {
    // ~2400 strings of 30 characters: the SST is well over one record (8224 bytes), so strings
    // are cut across CONTINUE records, each part with its own flag byte (a UTF-16 string whose
    // rest is ASCII goes on in one byte per character).
    const rand = rng(7);
    const rows: (string | number)[][] = [['Record', '电压/V', 'Voltage/V']];
    for (let i = 0; i < 1200; i++) rows.push([i + 1, `字符串${i}`.padEnd(30, i % 2 ? '汉' : 'y'), `s${i}`.padEnd(30, 'x'), (rand() - 0.5) * 1e6, -0.000123 * i]);
    const wb = new XlsWorkbook(writeXls([{ name: 'Sheet A', rows }, { name: '记录表', rows: [[1, 'a'], [], [2.5, 'b']] }]), 'g.xls');
    expect(wb.sheets.map((s) => s.name)).toEqual(['Sheet A', '记录表']);
    const got = wb.rows(wb.sheets[0]!);
    expect(got.length).toBe(1201);
    got.forEach((r, i) => { expect(r.row).toBe(i + 1); expect(r.cells).toEqual(rows[i]); });
    // Row 2 of the second sheet is empty: rows are numbered as Excel shows them.
    expect(wb.rows(wb.sheets[1]!)).toEqual([{ row: 1, cells: [1, 'a'] }, { row: 3, cells: [2.5, 'b'] }]);
  });

  it('the sheet names are found in the first bytes (BOUNDSHEET records), as a sniffer sees them', () => {
    const b = writeXls([{ name: 'Cycle-Tab', rows: [[1]] }, { name: 'Record-Tab', rows: [[1]] }, { name: '记录表1', rows: [[1]] }]);
    expect(sheetNamesInHead(b.subarray(0, 4096))).toEqual(['Cycle-Tab', 'Record-Tab', '记录表1']);
  });

  it('a stream larger than 109 FAT sectors describe is chained through DIFAT sectors', () => {
    const big = new Uint8Array(9 << 20);
    for (let i = 0; i < big.length; i += 4096) big[i] = (i >> 12) & 0xff;
    // A Workbook stream that is one BOF then filler is not a workbook; the container must still read.
    const f = compoundFile('Workbook', big);
    expect(f.length).toBeGreaterThan(109 * 128 * 512);
    expect(new DataView(f.buffer).getUint32(72, true)).toBeGreaterThan(0); // DIFAT sectors in the header
    expect(() => new XlsWorkbook(f, 'big.xls')).toThrow(/does not start with a BOF record/);
  });
});

const small = hardCarbonPlan({ cycles: 3, sampleS: 900 });

describe('LAND .xls workbooks read like .xlsx', () => {
  it('Cycle-Tab + Record-Tab: the same records as the .xlsx and as the generator wrote them, the Cycle-Tab as the cross-check', async () => {
    const truth = [...planRecords(small.plan)];
    const x = await readLand(landXls(small.plan), 'run.xls');
    const y = await readLand(landWorkbook(small.plan), 'run.xlsx');
    expect(x.recs.length).toBe(truth.length);
    expect(x.recs).toEqual(y.recs);
    x.recs.forEach((r, i) => {
      const t = truth[i]!;
      expect(r.timeS).toBeCloseTo(t.timeS, 9);
      expect(r.currentMA).toBeCloseTo(t.currentMA, 12);
      expect(r.voltageV).toBeCloseTo(t.voltageV, 12);
      expect(r.capacityMAh).toBeCloseTo(t.capacityMAh, 12);
      expect(r.cycleIndex).toBe(t.cycle);
      expect(r.stateKind).toBe(t.state);
    });
    expect(x.info.encoding).toMatch(/^xls \(BIFF8/);
    expect(x.info.sheet).toBe('Record-Tab');
    // The Cycle-Tab: discharge of cycle 1 = the plan's first branch (373.3 mAh/g × 3.8 mg).
    expect(x.info.vendorCycles?.length).toBe(3);
    expect(x.info.vendorCycles![0]!.capDMAh).toBeCloseTo(373.3 * 3.8e-3, 9);
    expect(x.info.vendorCycles).toEqual(y.info.vendorCycles);
  });

  const namings: [string, (b: string, k: number) => string, boolean][] = [
    ['Record-Tab1, Record-Tab2 … without a header', (b, k) => `${b}${k}`, false],
    ['Record-Tab(1), Record-Tab(2) … with the header repeated', (b, k) => `${b}(${k})`, true],
    ['Record-Tab_1 …', (b, k) => `${b}_${k}`, false],
  ];
  for (const [label, name, header] of namings) {
    it(`a record table continued on numbered sheets: ${label}`, async () => {
      const truth = [...planRecords(small.plan)];
      const per = 97;
      const x = await readLand(landXls(small.plan, { rowsPerSheet: per, continuationName: name, continuationHeader: header }));
      const sheets = Math.ceil((truth.length + 1 - per) / (header ? per - 1 : per)) + 1;
      expect(x.info.sheet!.split(' + ').length).toBe(sheets);
      expect(x.recs.map((r) => r.voltageV)).toEqual(truth.map((t) => t.voltageV));
      expect(x.recs.map((r) => r.timeS)).toEqual(truth.map((t) => t.timeS));
      expect(x.info.skippedCount).toBe(0);
      // Lines run on across the sheets: without repeated headers they are those of one long sheet (header = line 1).
      if (!header) expect(x.recs.map((r) => r.line)).toEqual(truth.map((_, i) => i + 2));
    });
  }

  it('older LAND: Record, Record1, Record2 … in number order even when the sheets are not', async () => {
    const [cyc, rec] = landSheets(small.plan, { sheetName: 'Record' });
    const parts = splitLong([rec!], { rowsPerSheet: 100 });
    const shuffled = [cyc!, parts[0]!, ...parts.slice(1).reverse()];
    const x = await readLand(writeXls(shuffled));
    expect(x.recs.map((r) => r.timeS)).toEqual([...planRecords(small.plan)].map((t) => t.timeS));
    expect(x.info.layout).toMatch(/older LAND workbook/);
  });
});

describe('which reader claims an .xls', () => {
  it('LAND claims a LAND .xls at 0.9 (Record/Cycle sheet names in the head); Neware does not', () => {
    const head = landXls(small.plan).subarray(0, SNIFF_BYTES);
    expect(landReader.sniff(head, 'x.xls')).toBe(0.9);
    expect(newareReader.sniff(head, 'x.xls')).toBe(0);
    expect(chooseReader(head, 'x.xls')?.reader.name).toBe('land');
  });
  it('an .xls with other sheet names is not claimed by LAND (0.3, the fallback)', () => {
    expect(landReader.sniff(writeXls([{ name: 'Sheet1', rows: [[1]] }]), 'x.xls')).toBe(0.3);
  });
  it.skipIf(!HAVE_CORPUS)('the Neware BTS 7 .xls of the corpus is not claimed by LAND, and still reads as Neware', () => {
    const b = new Uint8Array(readFileSync(CORPUS + 'neware/cellpy_custom_data_003_neware_bts7.xls'));
    expect(landReader.sniff(b.subarray(0, SNIFF_BYTES), 'b.xls')).toBeLessThan(0.5);
    expect(chooseReader(b.subarray(0, SNIFF_BYTES), 'b.xls')?.reader.name).toBe('neware');
  });
});

describe('compound files that are not a BIFF8 workbook, and damaged ones', () => {
  const expectDataError = async (bytes: Uint8Array, re: RegExp): Promise<void> => {
    let err: unknown = null;
    try { await readLand(bytes); } catch (e) { err = e; }
    expect(err, 'a DataError').toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(re);
  };
  it('Excel 5/95 (a Book stream), encrypted (EncryptedPackage), not a workbook (WordDocument), not BIFF8', async () => {
    await expectDataError(compoundFile('Book', new Uint8Array(100)), /Excel 5\/95 workbook \(BIFF5\); open it in Excel and save as \.xlsx/);
    await expectDataError(compoundFile('EncryptedPackage', new Uint8Array(100)), /encrypted \(password-protected\)/);
    await expectDataError(compoundFile('WordDocument', new Uint8Array(100)), /holds no Excel workbook stream/);
    const s = workbookStream([{ name: 'Record-Tab', rows: [['Voltage/V']] }]);
    s[4] = 0x00; s[5] = 0x05; // BOF version 0x0500 (BIFF5)
    await expectDataError(compoundFile('Workbook', s), /BIFF version 0x500, not BIFF8/);
  });
  it('an .xls without a record sheet says which sheets it has', async () => {
    await expectDataError(writeXls([{ name: 'Notes', rows: [['hello']] }]), /no record sheet: the workbook has sheet 'Notes'/);
  });

  const file = landXls(small.plan, { rowsPerSheet: 200 });
  it('truncated anywhere: a DataError that says truncated or damaged', { timeout: 30_000 }, async () => {
    for (const f of [0.0005, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.9999]) {
      await expectDataError(file.subarray(0, Math.floor(file.length * f)), /truncated|damaged/);
    }
  });
  it('seeded random damage: records or a DataError, never another error or a hang', { timeout: 60_000 }, async () => {
    const rand = rng(20261130);
    let errors = 0, reads = 0;
    for (let run = 0; run < 300; run++) {
      const b = file.slice();
      const n = 1 + Math.floor(rand() * 8);
      // Half the runs damage the container (first 2 KB: header, FAT, directory), half the stream.
      for (let k = 0; k < n; k++) {
        const at = run % 2 ? Math.floor(rand() * 2048) : Math.floor(rand() * b.length);
        b[at] = Math.floor(rand() * 256);
      }
      const t0 = Date.now();
      try { await readLand(b); reads++; } catch (e) {
        if (!(e instanceof DataError)) throw new Error(`run ${run}: ${(e as Error).stack}`);
        errors++;
      }
      expect(Date.now() - t0, `run ${run} took too long`).toBeLessThan(5000);
    }
    expect(errors + reads).toBe(300);
    expect(errors).toBeGreaterThan(10);
  });
});

describe('hcarb cycles: the .xls gives the same cycles as the .xlsx of the same run', () => {
  it('a Record-Tab longer than a BIFF8 sheet (continued on Record-Tab1), through the CLI, --format csv', { timeout: 120_000 }, () => {
    const long = hardCarbonPlan({ cycles: 24, sampleS: 25 });
    const n = [...planRecords(long.plan)].length;
    expect(n).toBeGreaterThan(XLS_MAX_ROWS); // the record table continues on a second sheet
    const dir = mkdtempSync(join(tmpdir(), 'hcarb-xls-'));
    const xls = join(dir, 'run.xls'), xlsx = join(dir, 'run.xlsx');
    writeFileSync(xls, landXls(long.plan));
    writeFileSync(xlsx, landWorkbook(long.plan));
    expect(existsSync(xls)).toBe(true);
    const a = hcarb(['cycles', xls, '--format', 'csv']);
    const b = hcarb(['cycles', xlsx, '--format', 'csv']);
    expect(a.stderr).not.toMatch(/error/i);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const rows = a.stdout.trim().split('\n');
    expect(rows.length).toBe(25); // header + 24 cycles
    expect(a.stdout.replaceAll('run.xls', 'run.FILE')).toBe(b.stdout.replaceAll('run.xlsx', 'run.FILE'));
    // And the numbers are the plan's: cycle 1 discharge 373.3 mAh/g, ICE 81.81 %.
    const head = rows[0]!.split(',');
    const c1 = rows[1]!.split(',');
    expect(Number(c1[head.indexOf('q_dis_mAh_g')])).toBeCloseTo(373.3, 1);
    expect(Number(c1[head.indexOf('ce_pct')])).toBeCloseTo(81.81, 1);
    // The notes name both sheets.
    const v = hcarb(['cycles', xls, '--format', 'csv', '-v']);
    expect(v.stderr).toMatch(/Record-Tab1/);
  });
});
