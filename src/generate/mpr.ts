/**
 * EC-Lab `.mpr` files with chosen columns, for tests (written from the format notes,
 * ../shared/docs/reference/other-instruments.md §2.2, independently of the reader: its own ID table).
 *
 * Layouts: 'v2' and 'v3' (module header: length, version, date; u16 column IDs at 5; records at
 * 0x195 / 0x196 of the data module), '11.50' (module header FFFFFFFF, length, version 0, 10 or 11,
 * date; u16 column count at 4 and IDs at 6; records at 0x3EF). Flag IDs 1, 2, 3, 21, 31, 65 share one
 * byte at the place of the first of them: bits 0–1, 2, 3, 4, 5, 7.
 */

export type MprLayout = 'v2' | 'v3' | '11.50';

/** Column ID → byte width and kind (f = float, u = unsigned integer). */
const WIDTH: Record<number, [number, 'f' | 'u']> = {};
for (const id of [5, 6, 8, 9, 19, 20, 32, 33, 34, 35, 36, 37, 38, 70, 76, 77, 169, 172, 174, 178, 179, 434, 435, 441, 462, 473, 474, 476, 477, 479, 480]) WIDTH[id] = [4, 'f'];
for (const id of [4, 7, 11, 13, 23, 24, 123, 124, 125, 126, 211, 438, 467]) WIDTH[id] = [8, 'f'];
for (const id of [39, 131]) WIDTH[id] = [2, 'u'];
for (const id of [212, 468]) WIDTH[id] = [4, 'u'];
const FLAG_MASK: Record<number, number> = { 1: 0x03, 2: 0x04, 3: 0x08, 21: 0x10, 31: 0x20, 65: 0x80 };

/** Every column ID the generator can write (flag IDs included). */
export const GENERATOR_IDS: number[] = [...Object.keys(FLAG_MASK), ...Object.keys(WIDTH)].map(Number);

export interface MprColumn { id: number; values: number[] }

export interface MprSpec {
  layout: MprLayout;
  columns: MprColumn[];
  /** Technique id written as byte 0 of the settings module (4 = GCPL). */
  techniqueId?: number;
  /** OLE date (days since 1899-12-30) of the acquisition start, written in the LOG module. */
  startOle?: number;
  /** Write this many points in the header instead of the real count (damage tests). */
  claimPoints?: number;
  /** Raw column IDs to declare instead of those of `columns` (e.g. an unknown ID). */
  declareIds?: number[];
}

function moduleBytes(short: string, long: string, body: Uint8Array, layout: MprLayout, version: number, kind: number): Uint8Array {
  const newer = layout === '11.50';
  const head = new Uint8Array(6 + 10 + 25 + (newer ? 24 : 16));
  const dv = new DataView(head.buffer);
  const put = (s: string, at: number, len: number) => { for (let i = 0; i < len; i++) head[at + i] = i < s.length ? s.charCodeAt(i) : 0x20; };
  put('MODULE', 0, 6); put(short, 6, 10); put(long, 16, 25);
  let p = 41;
  if (newer) { dv.setUint32(p, 0xffffffff, true); p += 4; }
  dv.setUint32(p, body.length, true); p += 4;
  dv.setUint32(p, version, true); p += 4;
  if (newer) { dv.setUint32(p, kind, true); p += 4; }
  put('01/10/24', p, 8);
  const out = new Uint8Array(head.length + body.length);
  out.set(head); out.set(body, head.length);
  return out;
}

export function makeMpr(spec: MprSpec): Uint8Array {
  const n = spec.columns.length ? spec.columns[0]!.values.length : 0;
  // Record layout: one shared flags byte, then each value column in order.
  let size = 0;
  let flagAt = -1;
  const offs: number[] = [];
  for (const c of spec.columns) {
    if (FLAG_MASK[c.id] !== undefined) { if (flagAt < 0) { flagAt = size; size += 1; } offs.push(flagAt); continue; }
    const w = WIDTH[c.id];
    if (!w) throw new Error(`generator: no width for column ID ${c.id}`);
    offs.push(size); size += w[0];
  }
  const ids = spec.declareIds ?? spec.columns.map((c) => c.id);
  const start = spec.layout === 'v2' ? 0x195 : spec.layout === 'v3' ? 0x196 : 0x3ef;
  const body = new Uint8Array(start + n * size);
  const dv = new DataView(body.buffer);
  dv.setUint32(0, spec.claimPoints ?? n, true);
  if (spec.layout === '11.50') {
    dv.setUint16(4, ids.length, true);
    ids.forEach((id, k) => dv.setUint16(6 + 2 * k, id, true));
  } else {
    body[4] = ids.length;
    ids.forEach((id, k) => dv.setUint16(5 + 2 * k, id, true));
  }
  body[start - 1] = 1;
  for (let r = 0; r < n; r++) {
    const base = start + r * size;
    spec.columns.forEach((c, k) => {
      const v = c.values[r]!;
      const o = base + offs[k]!;
      const mask = FLAG_MASK[c.id];
      if (mask !== undefined) {
        // mode is a 2-bit number; the other flags are single bits.
        const bits = mask === 0x03 ? v & 0x03 : v ? mask : 0;
        body[o] = body[o]! | bits;
        return;
      }
      const [w, kind] = WIDTH[c.id]!;
      if (kind === 'f') { if (w === 4) dv.setFloat32(o, v, true); else dv.setFloat64(o, v, true); }
      else if (w === 2) dv.setUint16(o, v, true); else dv.setUint32(o, v, true);
    });
  }
  const settings = new Uint8Array(0x300);
  settings[0] = spec.techniqueId ?? 4;
  const log = new Uint8Array(0x400);
  if (spec.startOle !== undefined) new DataView(log.buffer).setFloat64(0x249, spec.startOle, true);
  const version = spec.layout === 'v2' ? 2 : spec.layout === 'v3' ? 3 : 0;
  const mods = [
    moduleBytes('VMP Set', 'VMP settings', settings, spec.layout, 0, 10),
    moduleBytes('VMP data', 'VMP data', body, spec.layout, version, 11),
    moduleBytes('VMP LOG', 'VMP LOG', log, spec.layout, 0, 10),
  ];
  const magic = new Uint8Array(52).fill(0x20);
  const m = 'BIO-LOGIC MODULAR FILE\x1a';
  for (let i = 0; i < m.length; i++) magic[i] = m.charCodeAt(i);
  magic.fill(0, 48, 52);
  const total = magic.length + mods.reduce((a, x) => a + x.length, 0);
  const out = new Uint8Array(total);
  let p = 0;
  for (const part of [magic, ...mods]) { out.set(part, p); p += part.length; }
  return out;
}
