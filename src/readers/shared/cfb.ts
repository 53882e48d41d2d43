/**
 * A small, bounded reader of the Compound File Binary container (OLE2, [MS-CFB]) that legacy
 * `.xls` workbooks live in: header, FAT from the DIFAT, directory, streams (regular and mini).
 * Every chain is walked with a step limit (a loop in a damaged FAT is an error, not a hang) and
 * every sector number is range-checked, so a truncated or corrupt file gives a DataError.
 */
import { DataError } from '../../errors.js';

const SIG = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ENDOFCHAIN = 0xfffffffe;
const FREESECT = 0xffffffff;
const MAX_REGSECT = 0xfffffffa;

export interface CfbEntry { name: string; type: number; start: number; size: number }

export function isCfb(b: Uint8Array): boolean {
  return b.length >= 8 && SIG.every((x, i) => b[i] === x);
}

export class CompoundFile {
  readonly entries: CfbEntry[] = [];
  private readonly sectorSize: number;
  private readonly miniSectorSize: number;
  private readonly miniCutoff: number;
  private readonly fat: Uint32Array;
  private miniFat: Uint32Array | null = null;
  private miniStream: Uint8Array | null = null;
  private readonly dv: DataView;

  constructor(readonly b: Uint8Array, readonly source: string) {
    if (!isCfb(b)) throw this.err('not a compound file (OLE2): no signature');
    if (b.length < 512) throw this.err('the file is truncated inside its header');
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const shift = this.dv.getUint16(30, true), miniShift = this.dv.getUint16(32, true);
    if (shift !== 9 && shift !== 12) throw this.err(`sector size 2^${shift} is not 512 or 4096: the file is damaged`);
    if (miniShift !== 6) throw this.err('mini sector size is not 64: the file is damaged');
    this.sectorSize = 1 << shift;
    this.miniSectorSize = 1 << miniShift;
    this.miniCutoff = this.dv.getUint32(56, true);
    const nFat = this.dv.getUint32(44, true);
    const maxSectors = Math.ceil(b.length / this.sectorSize);
    if (nFat > maxSectors) throw this.err('the header names more FAT sectors than the file holds: it is truncated or damaged');
    // DIFAT: 109 entries in the header, then a chain of DIFAT sectors.
    const fatSectors: number[] = [];
    for (let i = 0; i < 109 && fatSectors.length < nFat; i++) fatSectors.push(this.dv.getUint32(76 + 4 * i, true));
    let difat = this.dv.getUint32(68, true);
    let guard = 0;
    const perDifat = this.sectorSize / 4 - 1;
    while (fatSectors.length < nFat) {
      if (difat >= MAX_REGSECT || ++guard > maxSectors) throw this.err('the DIFAT chain is broken: the file is truncated or damaged');
      const off = this.offset(difat);
      for (let i = 0; i < perDifat && fatSectors.length < nFat; i++) fatSectors.push(this.dv.getUint32(off + 4 * i, true));
      difat = this.dv.getUint32(off + 4 * perDifat, true);
    }
    const fat = new Uint32Array(nFat * this.sectorSize / 4);
    fatSectors.forEach((s, k) => {
      const off = this.offset(s);
      for (let i = 0; i < this.sectorSize / 4; i++) fat[k * this.sectorSize / 4 + i] = this.dv.getUint32(off + 4 * i, true);
    });
    this.fat = fat;
    // Directory.
    const dir = this.chain(this.dv.getUint32(48, true), Infinity);
    for (let o = 0; o + 128 <= dir.length; o += 128) {
      const e = new DataView(dir.buffer, dir.byteOffset + o, 128);
      const nameLen = Math.min(64, e.getUint16(64, true));
      let name = '';
      for (let i = 0; i + 2 < nameLen; i += 2) name += String.fromCharCode(e.getUint16(i, true));
      this.entries.push({ name, type: e.getUint8(66), start: e.getUint32(116, true), size: e.getUint32(120, true) });
    }
    if (!this.entries.length || this.entries[0]!.type !== 5) throw this.err('the directory has no root entry: the file is damaged');
    const mfStart = this.dv.getUint32(60, true);
    if (mfStart < MAX_REGSECT) {
      const mf = this.chain(mfStart, Infinity);
      this.miniFat = new Uint32Array(mf.length / 4);
      for (let i = 0; i < this.miniFat.length; i++) this.miniFat[i] = new DataView(mf.buffer, mf.byteOffset).getUint32(4 * i, true);
    }
  }

  private err(msg: string): DataError {
    return new DataError(`${msg} (old binary Excel / OLE2 container)`, { file: this.source });
  }

  private offset(sector: number): number {
    const off = (sector + 1) * this.sectorSize;
    if (sector >= MAX_REGSECT || off + this.sectorSize > this.b.length) throw this.err(`sector ${sector} lies beyond the end of the file: it is truncated`);
    return off;
  }

  /** Bytes of a regular-sector chain (at most `size` bytes). */
  private chain(start: number, size: number): Uint8Array {
    const parts: Uint8Array[] = [];
    let len = 0;
    let s = start;
    const limit = this.fat.length;
    let steps = 0;
    while (s !== ENDOFCHAIN && len < size) {
      if (s === FREESECT || s >= limit || ++steps > limit) throw this.err('a sector chain is broken or loops: the file is damaged');
      const off = this.offset(s);
      parts.push(this.b.subarray(off, off + this.sectorSize));
      len += this.sectorSize;
      s = this.fat[s]!;
    }
    if (Number.isFinite(size) && len < size) throw this.err('a stream is shorter than its directory entry says: the file is truncated');
    const out = new Uint8Array(len);
    let o = 0;
    for (const p of parts) { out.set(p, o); o += p.length; }
    return Number.isFinite(size) ? out.subarray(0, size) : out;
  }

  private miniChain(start: number, size: number): Uint8Array {
    if (!this.miniStream) { const root = this.entries[0]!; this.miniStream = this.chain(root.start, root.size); }
    if (!this.miniFat) throw this.err('a small stream but no mini FAT: the file is damaged');
    const out = new Uint8Array(size);
    let o = 0, s = start, steps = 0;
    while (o < size) {
      if (s >= this.miniFat.length || ++steps > this.miniFat.length) throw this.err('a mini-sector chain is broken or loops: the file is damaged');
      const off = s * this.miniSectorSize;
      if (off + this.miniSectorSize > this.miniStream.length && off + (size - o) > this.miniStream.length) throw this.err('a mini sector lies beyond the mini stream: the file is damaged');
      const n = Math.min(this.miniSectorSize, size - o);
      out.set(this.miniStream.subarray(off, off + n), o);
      o += n;
      s = this.miniFat[s]!;
    }
    return out;
  }

  /** A stream by name (case-insensitive), or null. */
  stream(name: string): Uint8Array | null {
    const e = this.entries.find((x) => x.type === 2 && x.name.toLowerCase() === name.toLowerCase());
    if (!e) return null;
    if (e.size > this.b.length * 2 + (1 << 20)) throw this.err(`stream '${e.name}' claims ${e.size} bytes, more than the file holds`);
    return e.size < this.miniCutoff ? this.miniChain(e.start, e.size) : this.chain(e.start, e.size);
  }
}
