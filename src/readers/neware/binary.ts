/** Little helpers for Neware's binary files: bounded reads that name the file on failure, CRC-32. */
import { DataError } from '../../errors.js';

export class Bytes {
  readonly dv: DataView;
  constructor(readonly b: Uint8Array, readonly source: string, readonly what: string) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  private check(o: number, n: number): void {
    if (o < 0 || o + n > this.b.length) throw new DataError(`${this.what} ends inside a record (offset ${o}, ${this.b.length} bytes): the file is truncated or damaged`, { file: this.source });
  }
  u8(o: number): number { this.check(o, 1); return this.b[o]!; }
  u16(o: number): number { this.check(o, 2); return this.dv.getUint16(o, true); }
  i16(o: number): number { this.check(o, 2); return this.dv.getInt16(o, true); }
  u32(o: number): number { this.check(o, 4); return this.dv.getUint32(o, true); }
  i32(o: number): number { this.check(o, 4); return this.dv.getInt32(o, true); }
  f32(o: number): number { this.check(o, 4); return this.dv.getFloat32(o, true); }
  /** 64-bit integers as numbers (exact below 2^53, which any real count or time is). */
  u64(o: number): number { this.check(o, 8); return Number(this.dv.getBigUint64(o, true)); }
  i64(o: number): number { this.check(o, 8); return Number(this.dv.getBigInt64(o, true)); }
}

let table: Uint32Array | null = null;
export function crc32(b: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = table[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Current range code → multiplier of the raw current and capacity integers of `.nda` files
 * (Neware's range in mA: 1–5 → 1e-4, 10–50 → 1e-3, 100–500 → 1e-2, ≥ 1000 → 1e-1; negative
 * codes one decade smaller; 0 → 0; −100000000 → 10).
 */
export function rangeMultiplier(code: number): number {
  if (code === 0) return 0;
  if (code === -100000000) return 10;
  const a = Math.abs(code);
  const base = a < 10 ? 1e-4 : a < 100 ? 1e-3 : a < 1000 ? 1e-2 : 1e-1;
  return code < 0 ? base / 10 : base;
}

/** Running total time from step times: the offset grows by each finished step's longest step time. */
export class TotalTime {
  private offset = 0;
  private stepMax = 0;
  private step: number | null = null;
  at(stepCount: number, stepTimeS: number): number {
    if (this.step !== stepCount) {
      if (this.step !== null) this.offset += this.stepMax;
      this.step = stepCount;
      this.stepMax = 0;
    }
    if (stepTimeS > this.stepMax) this.stepMax = stepTimeS;
    return this.offset + stepTimeS;
  }
}
