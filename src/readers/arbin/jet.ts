/**
 * A reader of the tables of an MS Access Jet 4 database (Arbin `.res` files), written for hcarb
 * from the published format notes (mdbtools' HACKING, facts only). Enough for Arbin: tables found
 * by their column names, fixed-width columns (Byte, Integer, Long, Single, Double, DateTime,
 * Boolean) and short text columns; memo/OLE values are not read (null).
 *
 * Layout (little-endian, 4096-byte pages): page 0 = header (`Standard Jet DB`, byte 0x14 = 1 for
 * Jet 4). TDEF page (type 2): next page u32 @4, row count u32 @16, variable columns u16 @43,
 * columns u16 @45, real indexes u32 @51, then 12 bytes per real index, 25 bytes per column (type
 * @0, number @5, variable offset @7, flags @15 (1 = fixed), fixed offset @21, length @23), then
 * the names (u16 byte length + UCS-2). Data page (type 1): owning TDEF u32 @4, row count u16 @12,
 * row offsets u16 from @14 (0x8000 deleted, 0x4000 overflow pointer); rows fill the page from
 * the end. Row: u16 column count, the fixed columns at 2 + offset, …, u16 eod, the variable
 * offsets (reversed), u16 their count, then the null mask (1 = present) at the very end.
 */
import { DataError } from '../../errors.js';

export const JET_PAGE = 4096;

export interface JetColumn { name: string; type: number; num: number; fixed: boolean; offF: number; offV: number; len: number; compressed: boolean }
export interface JetTableDef { page: number; rows: number; columns: JetColumn[]; varCols: number }
export type JetValue = number | string | boolean | null;
export interface JetTable { def: JetTableDef; rows: JetValue[][]; /** Rows skipped as deleted or overflow pointers. */ skipped: number }

export function isJet4(b: Uint8Array): boolean {
  if (b.length < 0x15) return false;
  const magic = '\x00\x01\x00\x00Standard Jet DB';
  for (let i = 0; i < magic.length; i++) if (b[i] !== magic.charCodeAt(i)) return false;
  return b[0x14] === 1;
}

const FIXED_SIZE: Record<number, number> = { 1: 0, 2: 1, 3: 2, 4: 4, 5: 8, 6: 4, 7: 8, 8: 8, 0x0f: 16 };

export class JetDb {
  readonly pages: number;
  private readonly dv: DataView;
  constructor(readonly b: Uint8Array, readonly source: string) {
    if (!isJet4(b)) throw new DataError(b.length >= 19 && new TextDecoder('latin1').decode(b.subarray(4, 19)) === 'Standard Jet DB' ? `this Access database is Jet version ${b[0x14]}; hcarb reads Jet 4 (.res from MITS Pro)` : 'not an MS Access / Jet database', { file: source });
    if (b.length % JET_PAGE !== 0) throw new DataError(`the file is ${b.length} bytes, not a whole number of ${JET_PAGE}-byte pages: truncated or damaged`, { file: source });
    this.pages = b.length / JET_PAGE;
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  private u16(o: number): number { return this.dv.getUint16(o, true); }
  private u32(o: number): number { return this.dv.getUint32(o, true); }

  private bad(msg: string, page: number): DataError {
    return new DataError(`${msg} (page ${page}): the database is damaged`, { file: this.source });
  }

  /** The definition on TDEF page `p` (continuation pages joined). */
  tableDef(p: number): JetTableDef {
    const parts: Uint8Array[] = [];
    const seen = new Set<number>();
    for (let q = p; q !== 0; q = this.u32(q * JET_PAGE + 4)) {
      if (q >= this.pages || seen.has(q) || this.b[q * JET_PAGE] !== 2) throw this.bad('a table definition continues on a page that is not one', q);
      seen.add(q);
      parts.push(this.b.subarray(q * JET_PAGE + (parts.length ? 8 : 0), (q + 1) * JET_PAGE));
    }
    const t = new Uint8Array(parts.reduce((a, x) => a + x.length, 0));
    let o = 0;
    for (const x of parts) { t.set(x, o); o += x.length; }
    const dv = new DataView(t.buffer);
    const need = (n: number) => { if (n > t.length) throw this.bad('a table definition is cut short', p); };
    need(63);
    const rows = dv.getUint32(16, true), varCols = dv.getUint16(43, true), nCols = dv.getUint16(45, true), nReal = dv.getUint32(51, true);
    let c = 63 + 12 * nReal;
    need(c + 25 * nCols);
    const cols: JetColumn[] = [];
    for (let k = 0; k < nCols; k++, c += 25) {
      cols.push({ name: '', type: t[c]!, num: dv.getUint16(c + 5, true), offV: dv.getUint16(c + 7, true), fixed: (t[c + 15]! & 1) === 1, compressed: (t[c + 16]! & 1) === 1, offF: dv.getUint16(c + 21, true), len: dv.getUint16(c + 23, true) });
    }
    for (const col of cols) {
      need(c + 2);
      const n = dv.getUint16(c, true);
      need(c + 2 + n);
      col.name = new TextDecoder('utf-16le').decode(t.subarray(c + 2, c + 2 + n));
      c += 2 + n;
    }
    return { page: p, rows, columns: cols, varCols };
  }

  /** Every table definition in the file, with its page. */
  tableDefs(): JetTableDef[] {
    const out: JetTableDef[] = [];
    for (let p = 1; p < this.pages; p++) {
      if (this.b[p * JET_PAGE] !== 2) continue;
      // Continuation pages of a long definition are also type 2; they fail to parse or are reached from their head.
      try { out.push(this.tableDef(p)); } catch { /* not a head page */ }
    }
    return out;
  }

  /** The rows of the table defined at `def.page`, in page order. `limit` bounds the work on a damaged file. */
  read(def: JetTableDef, want: string[] | null = null): JetTable {
    const cols = want ? want.map((n) => def.columns.find((c) => c.name === n) ?? null) : def.columns;
    const rows: JetValue[][] = [];
    let skipped = 0;
    for (let p = 1; p < this.pages; p++) {
      const base = p * JET_PAGE;
      if (this.b[base] !== 1 || this.u32(base + 4) !== def.page) continue;
      const n = this.u16(base + 12);
      if (14 + 2 * n > JET_PAGE) throw this.bad(`a data page claims ${n} rows`, p);
      let end = JET_PAGE;
      for (let r = 0; r < n; r++) {
        const raw = this.u16(base + 14 + 2 * r);
        const start = raw & 0x1fff;
        const rowEnd = end;
        end = start;
        if (raw & 0xc000) { skipped++; continue; }
        if (start < 14 + 2 * n || start >= rowEnd) throw this.bad(`row ${r + 1} of a data page lies outside its page`, p);
        rows.push(this.row(base + start, base + rowEnd, cols, def, p));
      }
    }
    return { def, rows, skipped };
  }

  private row(s: number, e: number, cols: (JetColumn | null)[], def: JetTableDef, page: number): JetValue[] {
    const len = e - s;
    if (len < 2) throw this.bad('a row is shorter than its header', page);
    const nCols = this.u16(s);
    const maskLen = (nCols + 7) >> 3;
    if (2 + maskLen > len) throw this.bad('a row is shorter than its null mask', page);
    const mask = e - maskLen;
    const present = (num: number) => num < nCols && ((this.b[mask + (num >> 3)]! >> (num & 7)) & 1) === 1;
    let varInfo: { count: number; eod: number; offsets: (k: number) => number } | null = null;
    const vars = () => {
      if (varInfo) return varInfo;
      const count = this.u16(mask - 2);
      const eodAt = mask - 4 - 2 * count;
      if (eodAt < s + 2) throw this.bad('a row\'s variable-column table does not fit', page);
      varInfo = { count, eod: this.u16(eodAt), offsets: (k) => this.u16(mask - 4 - 2 * k) };
      return varInfo;
    };
    return cols.map((c) => {
      if (!c) return null;
      if (c.type === 1) return present(c.num);
      if (!present(c.num)) return null;
      if (c.fixed) {
        const size = FIXED_SIZE[c.type];
        const o = s + 2 + c.offF;
        if (size === undefined || o + size > mask) throw this.bad(`column ${c.name} lies outside its row`, page);
        switch (c.type) {
          case 2: return this.b[o]!;
          case 3: return this.dv.getInt16(o, true);
          case 4: return this.dv.getInt32(o, true);
          case 5: return Number(this.dv.getBigInt64(o, true)) / 10000;
          case 6: return this.dv.getFloat32(o, true);
          case 7: case 8: return this.dv.getFloat64(o, true);
          default: return null;
        }
      }
      if (c.type !== 0x0a) return null; // memo / OLE: not read
      const v = vars();
      if (c.offV >= v.count) return null;
      const a = v.offsets(c.offV), z = c.offV + 1 < v.count ? v.offsets(c.offV + 1) : v.eod;
      if (a > z || s + z > mask) throw this.bad(`text column ${c.name} lies outside its row`, page);
      return jetText(this.b.subarray(s + a, s + z));
    });
  }
}

/** Jet 4 text: UCS-2, or "compressed" (FF FE, then 8-bit runs with 00 switching to UCS-2 and back). */
export function jetText(b: Uint8Array): string {
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) {
    let s = '';
    let compressed = true;
    for (let i = 2; i < b.length;) {
      if (b[i] === 0) { compressed = !compressed; i++; continue; }
      if (compressed) { s += String.fromCharCode(b[i]!); i++; } else { if (i + 1 >= b.length) break; s += String.fromCharCode(b[i]! | (b[i + 1]! << 8)); i += 2; }
    }
    return s;
  }
  return new TextDecoder('utf-16le').decode(b.subarray(0, b.length & ~1));
}
