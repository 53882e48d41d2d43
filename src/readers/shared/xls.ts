/**
 * Legacy Excel 97–2003 `.xls` (BIFF8) workbooks, read from the compound file (./cfb.ts): sheet
 * names, the shared-string table, and cell values (numbers, strings, formula results). Formats,
 * styles and formulas themselves are ignored. Our own reader: small, bounded, and its errors name
 * the file; the npm `xlsx` 0.18 line has known advisories and later SheetJS builds are not on npm.
 */
import { DataError } from '../../errors.js';
import { CompoundFile } from './cfb.js';
import type { Book, BookRow } from './book.js';

export type XlsCell = number | string | undefined;
export interface XlsSheet { name: string; offset: number; type: number }

const BOF = 0x0809, EOF = 0x000a, BOUNDSHEET = 0x0085, SST = 0x00fc, CONTINUE = 0x003c, FILEPASS = 0x002f;
const LABELSST = 0x00fd, NUMBER = 0x0203, RK = 0x027e, MULRK = 0x00bd, LABEL = 0x0204, FORMULA = 0x0006, STRING = 0x0207, BOOLERR = 0x0205;
/** Rows a sheet may hold (BIFF8: 65 536). */
const MAX_ROWS = 65536;
const MAX_COLS = 256;
const ROW_BATCH = 2048;

/**
 * The sheet names a BIFF8 workbook declares, found in the first bytes of a file without reading
 * the container: its BOUNDSHEET records (type 0x0085) sit near the start of the workbook stream,
 * and each is recognised by its exact shape (length = 8 + the name's bytes, a 0/1 string flag, a
 * known sheet type). For sniffing; never throws.
 */
export function sheetNamesInHead(head: Uint8Array): string[] {
  const out: string[] = [];
  for (let i = 0; i + 12 <= head.length; i++) {
    if (head[i] !== 0x85 || head[i + 1] !== 0x00) continue;
    const len = head[i + 2]! | (head[i + 3]! << 8);
    if (len < 9 || len > 8 + 2 * 31 || i + 4 + len > head.length) continue;
    const d = i + 4;
    const vis = head[d + 4]!, dt = head[d + 5]!, cch = head[d + 6]!, flags = head[d + 7]!;
    if ((vis & 0xfc) !== 0 || (dt !== 0 && dt !== 1 && dt !== 2 && dt !== 6) || cch === 0 || cch > 31 || (flags & 0xfe) !== 0) continue;
    const wide = flags === 1;
    if (len !== 8 + cch * (wide ? 2 : 1)) continue;
    let name = '';
    for (let k = 0; k < cch; k++) name += String.fromCharCode(wide ? head[d + 8 + 2 * k]! | (head[d + 9 + 2 * k]! << 8) : head[d + 8 + k]!);
    out.push(name);
    i += 3 + len;
  }
  return out;
}

function rk(v: number): number {
  let n: number;
  if (v & 2) n = v >> 2;
  else {
    const dv = new DataView(new ArrayBuffer(8));
    dv.setUint32(4, v & 0xfffffffc, true);
    dv.setUint32(0, 0, true);
    n = dv.getFloat64(0, true);
  }
  return v & 1 ? n / 100 : n;
}

/** Reads an unicode string across record segments (SST + CONTINUE): a new segment restarts with a flag byte. */
class SegReader {
  seg = 0;
  pos = 0;
  constructor(private readonly segs: Uint8Array[], private readonly fail: () => DataError) {}
  private cur(): Uint8Array {
    while (this.seg < this.segs.length && this.pos >= this.segs[this.seg]!.length) { this.seg++; this.pos = 0; }
    if (this.seg >= this.segs.length) throw this.fail();
    return this.segs[this.seg]!;
  }
  u8(): number { const s = this.cur(); return s[this.pos++]!; }
  u16(): number { return this.u8() | (this.u8() << 8); }
  u32(): number { return (this.u16() + this.u16() * 65536) >>> 0; }
  skip(n: number): void { for (let i = 0; i < n; i++) this.u8(); }
  chars(cch: number, highByte: boolean): string {
    let out = '';
    let wide = highByte;
    let left = cch;
    while (left > 0) {
      if (this.seg < this.segs.length && this.pos >= this.segs[this.seg]!.length) {
        // Continued in the next record: its first byte is a new flag.
        this.seg++; this.pos = 0;
        if (this.seg >= this.segs.length) throw this.fail();
        wide = (this.segs[this.seg]![this.pos++]! & 1) === 1;
        continue;
      }
      const s = this.cur();
      if (wide) {
        if (this.pos + 1 >= s.length) throw this.fail();
        out += String.fromCharCode(s[this.pos]! | (s[this.pos + 1]! << 8));
        this.pos += 2;
      } else {
        out += String.fromCharCode(s[this.pos]!);
        this.pos++;
      }
      left--;
    }
    return out;
  }
  /** XLUnicodeRichExtendedString. */
  richString(): string {
    const cch = this.u16();
    const flags = this.u8();
    const runs = flags & 8 ? this.u16() : 0;
    const ext = flags & 4 ? this.u32() : 0;
    const s = this.chars(cch, (flags & 1) === 1);
    this.skip(4 * runs + ext);
    return s;
  }
}

export class XlsWorkbook implements Book<XlsSheet> {
  readonly format = 'xls (BIFF8, Excel 97-2003)';
  readonly sheets: XlsSheet[] = [];
  private readonly strings: string[] = [];
  private readonly wb: Uint8Array;
  private readonly dv: DataView;

  constructor(bytes: Uint8Array, readonly source: string) {
    const cf = new CompoundFile(bytes, source);
    const wb = cf.stream('Workbook') ?? null;
    if (!wb) {
      if (cf.stream('Book')) throw new DataError('this is an Excel 5/95 workbook (BIFF5); open it in Excel and save as .xlsx', { file: source });
      if (cf.stream('EncryptedPackage')) throw new DataError('this workbook is encrypted (password-protected); save it as .xlsx without a password', { file: source });
      throw new DataError('this compound file holds no Excel workbook stream (not an .xls workbook)', { file: source });
    }
    this.wb = wb;
    this.dv = new DataView(wb.buffer, wb.byteOffset, wb.byteLength);
    this.readGlobals();
  }

  private err(msg: string): DataError {
    return new DataError(`${msg} (old binary Excel .xls)`, { file: this.source });
  }

  private *records(from: number): Generator<{ type: number; data: Uint8Array; at: number }> {
    let o = from;
    while (o + 4 <= this.wb.length) {
      const type = this.dv.getUint16(o, true), len = this.dv.getUint16(o + 2, true);
      if (o + 4 + len > this.wb.length) throw this.err(`a record at offset ${o} runs past the end of the workbook stream: the file is truncated or damaged`);
      yield { type, data: this.wb.subarray(o + 4, o + 4 + len), at: o };
      o += 4 + len;
    }
  }

  private readGlobals(): void {
    const it = this.records(0);
    const first = it.next();
    if (first.done || first.value.type !== BOF) throw this.err('the workbook stream does not start with a BOF record: damaged');
    const ver = first.value.data.length >= 2 ? first.value.data[0]! | (first.value.data[1]! << 8) : 0;
    if (ver !== 0x0600) throw new DataError(`this .xls is BIFF version 0x${ver.toString(16)}, not BIFF8 (Excel 97–2003); open it in Excel and save as .xlsx`, { file: this.source });
    let sst: Uint8Array[] | null = null;
    let ended = false;
    for (const r of it) {
      if (sst && r.type !== CONTINUE) { this.readSst(sst); sst = null; }
      if (r.type === FILEPASS) throw new DataError('this workbook is encrypted (password-protected); save it as .xlsx without a password', { file: this.source });
      if (r.type === BOUNDSHEET) {
        const d = new DataView(r.data.buffer, r.data.byteOffset, r.data.byteLength);
        if (r.data.length < 8) throw this.err('a sheet entry is cut short');
        const cch = r.data[6]!, wide = (r.data[7]! & 1) === 1;
        let name = '';
        for (let i = 0; i < cch; i++) {
          const p = 8 + (wide ? 2 * i : i);
          if (p + (wide ? 1 : 0) >= r.data.length) throw this.err('a sheet name is cut short');
          name += String.fromCharCode(wide ? r.data[p]! | (r.data[p + 1]! << 8) : r.data[p]!);
        }
        this.sheets.push({ name, offset: d.getUint32(0, true), type: r.data[5]! });
      } else if (r.type === SST) sst = [r.data.subarray(8)];
      else if (r.type === CONTINUE && sst) sst.push(r.data);
      else if (r.type === EOF) { ended = true; break; }
    }
    if (sst) this.readSst(sst);
    if (!ended) throw this.err('the workbook globals have no end record: the file is truncated');
  }

  private readSst(segs: Uint8Array[]): void {
    const r = new SegReader(segs, () => this.err('the shared-string table is cut short'));
    // The count in the SST header can be wrong; read until the data ends.
    while (r.seg < segs.length && !(r.seg === segs.length - 1 && r.pos >= segs[r.seg]!.length)) {
      if (r.pos >= segs[r.seg]!.length) { r.seg++; r.pos = 0; continue; }
      this.strings.push(r.richString());
    }
  }

  /** The Book interface: a sheet's rows in batches (the sheet is decoded whole: at most 65 536 rows). */
  *batches(sheet: XlsSheet): Generator<BookRow[]> {
    const all = this.rows(sheet);
    for (let i = 0; i < all.length; i += ROW_BATCH) yield all.slice(i, i + ROW_BATCH);
  }

  /** All rows of a worksheet, in row order (1-based row numbers as Excel shows them). */
  rows(sheet: XlsSheet): { row: number; cells: XlsCell[] }[] {
    if (sheet.offset >= this.wb.length) throw this.err(`sheet '${sheet.name}' starts beyond the end of the workbook stream: the file is truncated`);
    const rows = new Map<number, XlsCell[]>();
    const set = (row: number, col: number, v: XlsCell): void => {
      if (row >= MAX_ROWS || col >= MAX_COLS) throw this.err(`sheet '${sheet.name}' has a cell beyond row ${MAX_ROWS} or column ${MAX_COLS}: damaged`);
      let r = rows.get(row);
      if (!r) rows.set(row, (r = []));
      r[col] = v;
    };
    let pendingString: { row: number; col: number } | null = null;
    let first = true, ended = false;
    for (const rec of this.records(sheet.offset)) {
      const d = rec.data;
      const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
      if (first) { if (rec.type !== BOF) throw this.err(`sheet '${sheet.name}' does not start with a BOF record: damaged`); first = false; continue; }
      const need = (n: number): void => { if (d.length < n) throw this.err(`a cell record in sheet '${sheet.name}' is cut short`); };
      switch (rec.type) {
        case EOF: ended = true; break;
        case LABELSST: { need(10); const i = dv.getUint32(6, true); set(dv.getUint16(0, true), dv.getUint16(2, true), this.strings[i] ?? ''); break; }
        case NUMBER: need(14); set(dv.getUint16(0, true), dv.getUint16(2, true), dv.getFloat64(6, true)); break;
        case RK: need(10); set(dv.getUint16(0, true), dv.getUint16(2, true), rk(dv.getUint32(6, true))); break;
        case MULRK: {
          need(6);
          const row = dv.getUint16(0, true), c0 = dv.getUint16(2, true);
          const n = Math.floor((d.length - 6) / 6);
          for (let k = 0; k < n; k++) set(row, c0 + k, rk(dv.getUint32(4 + 6 * k + 2, true)));
          break;
        }
        case LABEL: {
          need(9);
          const r = new SegReader([d.subarray(6)], () => this.err(`a text cell in sheet '${sheet.name}' is cut short`));
          const cch = r.u16(), flags = r.u8();
          set(dv.getUint16(0, true), dv.getUint16(2, true), r.chars(cch, (flags & 1) === 1));
          break;
        }
        case FORMULA: {
          need(20);
          const row = dv.getUint16(0, true), col = dv.getUint16(2, true);
          if (dv.getUint16(12, true) === 0xffff) {
            const t = d[6]!;
            if (t === 0) pendingString = { row, col };
            else if (t === 1) set(row, col, d[8]!);
            else set(row, col, undefined);
          } else set(row, col, dv.getFloat64(6, true));
          break;
        }
        case STRING: {
          if (!pendingString) break;
          const r = new SegReader([d], () => this.err(`a formula's text in sheet '${sheet.name}' is cut short`));
          const cch = r.u16(), flags = r.u8();
          set(pendingString.row, pendingString.col, r.chars(cch, (flags & 1) === 1));
          pendingString = null;
          break;
        }
        case BOOLERR: need(8); set(dv.getUint16(0, true), dv.getUint16(2, true), d[7] === 0 ? d[6]! : undefined); break;
        default: break;
      }
      if (ended) break;
    }
    if (!ended) throw this.err(`sheet '${sheet.name}' has no end record: the file is truncated`);
    return [...rows.keys()].sort((a, b) => a - b).map((r) => ({ row: r + 1, cells: rows.get(r)! }));
  }
}
