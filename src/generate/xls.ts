/**
 * A minimal legacy Excel (.xls, BIFF8) writer for generated test workbooks, written from the
 * published format descriptions ([MS-CFB] for the compound-file container, [MS-XLS] for the
 * Workbook stream), independent of the project's reader (src/readers/shared/): sheets of numbers
 * and strings, strings in the shared-string table (SST, split across CONTINUE records the way
 * Excel splits them), one NUMBER or LABELSST record per cell.
 *
 * Container: version 3 (512-byte sectors); the Workbook stream is padded to 4096 bytes so it never
 * lives in the mini stream; FAT sectors beyond the 109 the header lists are chained through DIFAT
 * sectors (a workbook over ~7 MB needs them).
 */
import type { CellPlan } from './land.js';
import { landSheets, type LandSheetOptions, type XCell, type XSheet } from './xlsx.js';

/** Rows a BIFF8 sheet holds. */
export const XLS_MAX_ROWS = 65536;
/** Largest record body BIFF8 allows (longer data continues in CONTINUE records). */
const MAX_RECORD = 8224;

const R = { BOF: 0x0809, EOF: 0x000a, CODEPAGE: 0x0042, BOUNDSHEET: 0x0085, SST: 0x00fc, CONTINUE: 0x003c, DIMENSIONS: 0x0200, NUMBER: 0x0203, LABELSST: 0x00fd };

const F64 = new DataView(new ArrayBuffer(8));

class Bytes {
  private buf: Uint8Array;
  constructor(capacity = 1 << 16) { this.buf = new Uint8Array(capacity); }
  length = 0;
  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.length));
    this.buf = b;
  }
  u8(v: number): void { this.room(1); this.buf[this.length++] = v & 0xff; }
  u16(v: number): void { this.u8(v); this.u8(v >>> 8); }
  u32(v: number): void { this.u16(v & 0xffff); this.u16(v >>> 16); }
  f64(v: number): void { F64.setFloat64(0, v, true); for (let i = 0; i < 8; i++) this.u8(F64.getUint8(i)); }
  bytes(b: Uint8Array): void { this.room(b.length); this.buf.set(b, this.length); this.length += b.length; }
  record(type: number, body: Uint8Array): void { this.u16(type); this.u16(body.length); this.bytes(body); }
  done(): Uint8Array { return this.buf.slice(0, this.length); }
}

function body(fill: (b: Bytes) => void): Uint8Array {
  const b = new Bytes(32);
  fill(b);
  return b.done();
}

const wide = (s: string): boolean => [...s].some((c) => c.charCodeAt(0) > 0xff);

function bof(dt: number): Uint8Array {
  // vers 0x0600 (BIFF8), dt (0x0005 globals, 0x0010 worksheet), build 0x0dbb, year 0x07cc, file history flags, lowest BIFF version 6.
  return body((b) => { b.u16(0x0600); b.u16(dt); b.u16(0x0dbb); b.u16(0x07cc); b.u32(0); b.u32(6); });
}

/**
 * The SST: cstTotal, cstUnique, then each string as cch (u16), flags (bit 0: two bytes per
 * character) and the characters. A string whose characters do not fit in the record goes on in a
 * CONTINUE record that begins with a new flags byte (one byte per character when the rest allows,
 * so a string can change width there); a string header is never split.
 */
function sstRecords(strings: string[], total: number): Uint8Array {
  const out = new Bytes();
  let cur = new Bytes();
  let type = R.SST;
  cur.u32(total); cur.u32(strings.length);
  const flush = (): void => { out.record(type, cur.done()); cur = new Bytes(); type = R.CONTINUE; };
  for (const s of strings) {
    let w = wide(s);
    if (MAX_RECORD - cur.length < 3 + (w ? 2 : 1)) flush();
    cur.u16(s.length); cur.u8(w ? 1 : 0);
    let i = 0;
    while (i < s.length) {
      const per = w ? 2 : 1;
      const fit = Math.floor((MAX_RECORD - cur.length) / per);
      // The rest goes on in a CONTINUE record, one byte per character when it can (as Excel does).
      if (fit === 0) { flush(); w = wide(s.slice(i)); cur.u8(w ? 1 : 0); continue; }
      const n = Math.min(fit, s.length - i);
      for (let k = 0; k < n; k++) { const c = s.charCodeAt(i + k); if (w) cur.u16(c); else cur.u8(c); }
      i += n;
    }
  }
  flush();
  return out.done();
}

/** A BIFF8 Workbook stream with these sheets. */
export function workbookStream(sheets: XSheet[]): Uint8Array {
  const strings: string[] = [];
  const index = new Map<string, number>();
  let refs = 0;
  const sid = (s: string): number => { refs++; let i = index.get(s); if (i === undefined) { i = strings.length; strings.push(s); index.set(s, i); } return i; };
  const subs = sheets.map((sh) => {
    if (sh.rows.length > XLS_MAX_ROWS) throw new Error(`sheet '${sh.name}' has ${sh.rows.length} rows; a BIFF8 sheet holds ${XLS_MAX_ROWS}`);
    if (sh.name.length > 31) throw new Error(`sheet name '${sh.name}' is longer than 31 characters`);
    const b = new Bytes();
    b.record(R.BOF, bof(0x0010));
    const cols = sh.rows.reduce((m, r) => Math.max(m, r.length), 0);
    b.record(R.DIMENSIONS, body((d) => { d.u32(0); d.u32(sh.rows.length); d.u16(0); d.u16(cols); d.u16(0); }));
    sh.rows.forEach((row, ri) => row.forEach((v: XCell, ci) => {
      if (v === null || v === undefined || v === '') return;
      if (typeof v === 'number') b.record(R.NUMBER, body((d) => { d.u16(ri); d.u16(ci); d.u16(15); d.f64(v); }));
      else { const i = sid(v); b.record(R.LABELSST, body((d) => { d.u16(ri); d.u16(ci); d.u16(15); d.u32(i); })); }
    }));
    b.record(R.EOF, new Uint8Array(0));
    return b.done();
  });
  const g = new Bytes();
  g.record(R.BOF, bof(0x0005));
  g.record(R.CODEPAGE, body((d) => d.u16(1200)));
  const patch: number[] = [];
  for (const sh of sheets) {
    const w = wide(sh.name);
    patch.push(g.length + 4);
    g.record(R.BOUNDSHEET, body((d) => {
      d.u32(0); d.u8(0); d.u8(0); d.u8(sh.name.length); d.u8(w ? 1 : 0);
      for (const c of sh.name) { if (w) d.u16(c.charCodeAt(0)); else d.u8(c.charCodeAt(0)); }
    }));
  }
  g.bytes(sstRecords(strings, refs));
  g.record(R.EOF, new Uint8Array(0));
  const globals = g.done();
  const total = globals.length + subs.reduce((n, s) => n + s.length, 0);
  const out = new Uint8Array(total);
  out.set(globals);
  const dv = new DataView(out.buffer);
  let at = globals.length;
  subs.forEach((s, k) => { dv.setUint32(patch[k]!, at, true); out.set(s, at); at += s.length; });
  return out;
}

const ENDOFCHAIN = 0xfffffffe, FREESECT = 0xffffffff, FATSECT = 0xfffffffd, DIFSECT = 0xfffffffc, NOSTREAM = 0xffffffff;

/** A compound file (version 3) holding one stream, named `name`, in the root storage. */
export function compoundFile(name: string, stream: Uint8Array): Uint8Array {
  const SS = 512;
  // Pad to the mini-stream cutoff so the stream lives in regular sectors.
  const size = Math.max(stream.length, 4096);
  const nData = Math.ceil(size / SS);
  let nFat = 1, nDifat = 0;
  for (;;) {
    const sectors = nData + 1 + nFat + nDifat;
    const needFat = Math.ceil(sectors / (SS / 4));
    const needDifat = needFat > 109 ? Math.ceil((needFat - 109) / (SS / 4 - 1)) : 0;
    if (needFat === nFat && needDifat === nDifat) break;
    nFat = needFat; nDifat = needDifat;
  }
  const dirSector = nData, fat0 = nData + 1, difat0 = fat0 + nFat;
  const nSectors = difat0 + nDifat;
  const file = new Uint8Array(SS * (1 + nSectors));
  const dv = new DataView(file.buffer);
  // Header.
  [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1].forEach((x, i) => { file[i] = x; });
  dv.setUint16(24, 0x003e, true); dv.setUint16(26, 3, true); dv.setUint16(28, 0xfffe, true);
  dv.setUint16(30, 9, true); dv.setUint16(32, 6, true);
  dv.setUint32(40, 0, true); dv.setUint32(44, nFat, true); dv.setUint32(48, dirSector, true);
  dv.setUint32(52, 0, true); dv.setUint32(56, 4096, true);
  dv.setUint32(60, ENDOFCHAIN, true); dv.setUint32(64, 0, true);
  dv.setUint32(68, nDifat ? difat0 : ENDOFCHAIN, true); dv.setUint32(72, nDifat, true);
  for (let i = 0; i < 109; i++) dv.setUint32(76 + 4 * i, i < nFat ? fat0 + i : FREESECT, true);
  const sec = (n: number): number => SS * (n + 1);
  // Stream data.
  file.set(stream, sec(0));
  // Directory: root, the stream, two unused entries.
  const entry = (k: number, ename: string, type: number, child: number, start: number, len: number): void => {
    const o = sec(dirSector) + 128 * k;
    for (let i = 0; i < ename.length; i++) dv.setUint16(o + 2 * i, ename.charCodeAt(i), true);
    dv.setUint16(o + 64, ename ? 2 * (ename.length + 1) : 0, true);
    file[o + 66] = type; file[o + 67] = 1;
    dv.setUint32(o + 68, NOSTREAM, true); dv.setUint32(o + 72, NOSTREAM, true); dv.setUint32(o + 76, child, true);
    dv.setUint32(o + 116, start, true); dv.setUint32(o + 120, len, true);
  };
  entry(0, 'Root Entry', 5, 1, ENDOFCHAIN, 0);
  entry(1, name, 2, NOSTREAM, 0, size);
  entry(2, '', 0, NOSTREAM, 0, 0);
  entry(3, '', 0, NOSTREAM, 0, 0);
  // FAT.
  const fat = new Uint32Array(nFat * SS / 4).fill(FREESECT);
  for (let i = 0; i < nData; i++) fat[i] = i === nData - 1 ? ENDOFCHAIN : i + 1;
  fat[dirSector] = ENDOFCHAIN;
  for (let i = 0; i < nFat; i++) fat[fat0 + i] = FATSECT;
  for (let i = 0; i < nDifat; i++) fat[difat0 + i] = DIFSECT;
  for (let i = 0; i < fat.length; i++) dv.setUint32(sec(fat0) + 4 * i, fat[i]!, true);
  // DIFAT sectors: the FAT sectors after the header's 109, 127 per sector, then the next DIFAT sector.
  for (let d = 0; d < nDifat; d++) {
    const o = sec(difat0 + d);
    for (let i = 0; i < SS / 4 - 1; i++) {
      const k = 109 + d * (SS / 4 - 1) + i;
      dv.setUint32(o + 4 * i, k < nFat ? fat0 + k : FREESECT, true);
    }
    dv.setUint32(o + SS - 4, d === nDifat - 1 ? ENDOFCHAIN : difat0 + d + 1, true);
  }
  return file;
}

/** An .xls workbook (BIFF8 in a compound file) with these sheets. */
export function writeXls(sheets: XSheet[]): Uint8Array {
  return compoundFile('Workbook', workbookStream(sheets));
}

export interface LandXlsOptions extends LandSheetOptions {
  /** Rows per record sheet, the header included (default 65 536, the BIFF8 limit). */
  rowsPerSheet?: number;
  /** Name of the k-th continuation sheet (k = 1, 2 …) of `base`; default `${base}${k}`. */
  continuationName?: (base: string, k: number) => string;
  /** Repeat the header row at the top of each continuation sheet (default false, as older LAND writes). */
  continuationHeader?: boolean;
}

/**
 * The LANDdt workbook of `landWorkbook` (src/generate/xlsx.ts) as a legacy .xls: the same
 * `Cycle-Tab` and `Record-Tab`; a record table longer than a sheet goes on in continuation sheets.
 */
export function landXls(plan: CellPlan, opts: LandXlsOptions = {}): Uint8Array {
  return writeXls(splitLong(landSheets(plan, opts), opts));
}

/** Sheets longer than `rowsPerSheet` split into numbered continuation sheets. */
export function splitLong(sheets: XSheet[], opts: LandXlsOptions = {}): XSheet[] {
  const per = opts.rowsPerSheet ?? XLS_MAX_ROWS;
  const name = opts.continuationName ?? ((b: string, k: number) => `${b}${k}`);
  const out: XSheet[] = [];
  for (const s of sheets) {
    if (s.rows.length <= per) { out.push(s); continue; }
    out.push({ ...s, rows: s.rows.slice(0, per) });
    const head = s.rows[0]!;
    const body = opts.continuationHeader ? per - 1 : per;
    for (let at = per, k = 1; at < s.rows.length; at += body, k++) {
      const rows = s.rows.slice(at, at + body);
      out.push({ name: name(s.name, k), rows: opts.continuationHeader ? [head, ...rows] : rows });
    }
  }
  return out;
}
