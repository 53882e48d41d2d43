/**
 * EC-Lab `.mpr` binary files (../shared/docs/reference/other-instruments.md §2.2). Little-endian.
 * - Magic `BIO-LOGIC MODULAR FILE` 1A, spaces to 48 bytes, 00 00 00 00; modules from offset 52.
 * - Module: `MODULE`, short name (10 B), long name (25 B), then either length u32, version u32,
 *   date 8 B (EC-Lab ≤ 11.4x: data 57 bytes after `MODULE`) or FFFFFFFF, length u32, version u32,
 *   u32, date 8 B (EC-Lab ≥ 11.50: data 65 bytes after).
 * - `VMP data`: u32 points, then the column-ID list and fixed-width records. Layouts: old header +
 *   version 2 (u16 IDs @5, records @0x195), version 3 (u16 IDs @5, records @0x196), new header
 *   (u16 count @4, u16 IDs @6, records @0x3EF). One byte holds the flag columns (IDs 1, 2, 3, 21,
 *   31, 65) at the place of the first of them.
 * - `VMP Set`: byte 0 = technique id. `VMP LOG`: OLE date of the acquisition start @0x249.
 * An ID not in the table below stops the reading (the record width would be unknown).
 */
import { DataError } from '../../errors.js';
import type { BioTable } from './table.js';
import { oleDate } from './table.js';
import { MPR_MAGIC, isMpr } from './sniff.js';

export { MPR_MAGIC, isMpr };



export type FieldType = 'f4' | 'f8' | 'u2' | 'u4' | 'flag';
export const TYPE_SIZE: Record<Exclude<FieldType, 'flag'>, number> = { f4: 4, f8: 8, u2: 2, u4: 4 };

/** Flag columns: bit masks within the shared flags byte. */
export const FLAG_BITS: Record<number, [string, number]> = {
  1: ['mode', 0x03], 2: ['ox/red', 0x04], 3: ['error', 0x08], 21: ['control changes', 0x10], 31: ['Ns changes', 0x20], 65: ['counter inc.', 0x80],
};

/** Column ID → (.mpt name, type). */
export const MPR_COLUMNS: Record<number, [string, FieldType]> = {
  4: ['time/s', 'f8'], 5: ['control/V/mA', 'f4'], 6: ['Ewe/V', 'f4'], 7: ['dq/mA.h', 'f8'], 8: ['I/mA', 'f4'], 9: ['Ece/V', 'f4'],
  11: ['<I>/mA', 'f8'], 13: ['(Q-Qo)/mA.h', 'f8'], 19: ['control/V', 'f4'], 20: ['control/mA', 'f4'], 23: ['dQ/mA.h', 'f8'],
  24: ['cycle number', 'f8'], 32: ['freq/Hz', 'f4'], 33: ['|Ewe|/V', 'f4'], 34: ['|I|/A', 'f4'], 35: ['Phase(Z)/deg', 'f4'],
  36: ['|Z|/Ohm', 'f4'], 37: ['Re(Z)/Ohm', 'f4'], 38: ['-Im(Z)/Ohm', 'f4'], 39: ['I Range', 'u2'], 70: ['P/W', 'f4'],
  76: ['<I>/mA', 'f4'], 77: ['<Ewe>/V', 'f4'], 123: ['Energy charge/W.h', 'f8'], 124: ['Energy discharge/W.h', 'f8'],
  125: ['Capacitance charge/µF', 'f8'], 126: ['Capacitance discharge/µF', 'f8'], 131: ['Ns', 'u2'], 169: ['Cs/µF', 'f4'],
  172: ['Cp/µF', 'f4'], 174: ['<Ewe>/V', 'f4'], 178: ['(Q-Qo)/C', 'f4'], 179: ['dQ/C', 'f4'],
  211: ['Q charge/discharge/mA.h', 'f8'], 212: ['half cycle', 'u4'], 434: ['(Q-Qo)/C', 'f4'], 435: ['dQ/C', 'f4'],
  438: ['step time/s', 'f8'], 441: ['<Ece>/V', 'f4'], 462: ['Temperature/°C', 'f4'], 467: ['Q charge/discharge/mA.h', 'f8'],
  468: ['half cycle', 'u4'], 473: ['THD Ewe/%', 'f4'], 474: ['THD I/%', 'f4'], 476: ['NSD Ewe/%', 'f4'], 477: ['NSD I/%', 'f4'],
  479: ['NSR Ewe/%', 'f4'], 480: ['NSR I/%', 'f4'],
};

/** Technique ids of the settings module (byte 0) → the name EC-Lab prints on line 4 of the .mpt. */
export const MPR_TECHNIQUES: Record<number, string> = {
  0x04: 'Galvanostatic Cycling with Potential Limitation', 0x06: 'Cyclic Voltammetry', 0x0b: 'Open Circuit Voltage',
  0x18: 'Chronoamperometry / Chronocoulometry', 0x19: 'Chronopotentiometry', 0x1d: 'Potentio Electrochemical Impedance Spectroscopy',
  0x1e: 'Galvano Electrochemical Impedance Spectroscopy', 0x6c: 'Linear Sweep Voltammetry', 0x7f: 'Modulo Bat',
};


interface Module { short: string; long: string; version: number; date: string; start: number; length: number; newHeader: boolean }

function ascii(b: Uint8Array, from: number, len: number): string {
  let s = '';
  for (let i = from; i < from + len && i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

function modules(b: Uint8Array, dv: DataView, source: string): Module[] {
  const out: Module[] = [];
  let p = 52;
  if (b.length < 52) throw new DataError(`the file is truncated (${b.length} bytes, shorter than the .mpr file header)`, { file: source });
  while (p < b.length) {
    if (ascii(b, p, 6) !== 'MODULE') throw new DataError(`expected a module at byte ${p} but found ${JSON.stringify(ascii(b, p, 6))}; the file is damaged`, { file: source });
    if (p + 57 > b.length) throw new DataError(`the file is truncated inside the header of module ${out.length + 1} (byte ${p})`, { file: source });
    const short = ascii(b, p + 6, 10).trimEnd();
    const long = ascii(b, p + 16, 25).trimEnd();
    const newHeader = dv.getUint32(p + 41, true) === 0xffffffff;
    let length: number, version: number, date: string, start: number;
    if (newHeader) {
      if (p + 65 > b.length) throw new DataError(`the file is truncated inside the header of module '${short}' (byte ${p})`, { file: source });
      length = dv.getUint32(p + 45, true); version = dv.getUint32(p + 49, true); date = ascii(b, p + 57, 8); start = p + 65;
    } else {
      length = dv.getUint32(p + 41, true); version = dv.getUint32(p + 45, true); date = ascii(b, p + 49, 8); start = p + 57;
    }
    if (start + length > b.length) throw new DataError(`the file is truncated: module '${short}' at byte ${p} declares ${length} bytes but only ${b.length - start} remain`, { file: source });
    out.push({ short, long, version, date, start, length, newHeader });
    p = start + length;
  }
  return out;
}

export function parseMpr(b: Uint8Array, source: string): BioTable {
  if (!isMpr(b)) throw new DataError("not an EC-Lab .mpr file (no 'BIO-LOGIC MODULAR FILE' magic)", { file: source });
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const mods = modules(b, dv, source);
  const data = mods.filter((m) => m.short === 'VMP data');
  if (data.length !== 1) throw new DataError(data.length ? `${data.length} 'VMP data' modules; expected one` : `no 'VMP data' module (modules: ${mods.map((m) => `'${m.short}'`).join(', ') || 'none'}); the file holds no points`, { file: source });
  const d = data[0]!;
  const t: BioTable = {
    source, format: 'mpr', technique: '', names: [], data: [], lines: new Uint32Array(0), params: [], acquisitionStart: null,
    headerLine: 0, encoding: 'binary', decimalComma: false, notes: [], warnings: [],
  };
  const set = mods.find((m) => m.short === 'VMP Set');
  if (set && set.length > 0) {
    const id = b[set.start]!;
    t.technique = MPR_TECHNIQUES[id] ?? '';
    t.params.push({ key: 'technique id', value: String(id), line: 0 });
    if (!t.technique) t.notes.push(`technique id ${id} (0x${id.toString(16)}) of the settings module is not known; the technique is judged from the columns`);
  }
  const log = mods.find((m) => m.short === 'VMP LOG');
  if (log && log.length >= 0x249 + 8) t.acquisitionStart = oleDate(dv.getFloat64(log.start + 0x249, true));
  const verText = log && log.length > 0x3b7 + 6 ? ascii(b, log.start + 0x3b7, 6).replace(/[^0-9.]/g, '') : '';
  if (verText) t.params.push({ key: 'EC-Lab version', value: verText, line: 0 });

  // The data module.
  const m0 = d.start, len = d.length;
  if (len < 6) throw new DataError(`the 'VMP data' module is ${len} bytes long: truncated`, { file: source });
  const nPoints = dv.getUint32(m0, true);
  let ids: number[] = [];
  let recStart: number;
  if (d.newHeader) {
    const n = dv.getUint16(m0 + 4, true);
    if (6 + 2 * n > len) throw new DataError(`the data module lists ${n} columns but is only ${len} bytes long: damaged`, { file: source });
    for (let k = 0; k < n; k++) ids.push(dv.getUint16(m0 + 6 + 2 * k, true));
    recStart = 0x3ef; t.layout = '11.50';
  } else if (d.version === 2 || d.version === 3) {
    const n = b[m0 + 4]!;
    if (5 + 2 * n > len) throw new DataError(`the data module lists ${n} columns but is only ${len} bytes long: damaged`, { file: source });
    for (let k = 0; k < n; k++) ids.push(dv.getUint16(m0 + 5 + 2 * k, true));
    recStart = d.version === 2 ? 0x195 : 0x196; t.layout = `v${d.version}`;
  } else {
    throw new DataError(`the 'VMP data' module has version ${d.version}, which hcarb does not read (it reads versions 2 and 3 and the EC-Lab 11.50 layout); export the run as .mpt from EC-Lab`, { file: source });
  }
  if (!ids.length) throw new DataError('the data module lists no columns', { file: source });
  t.columnIds = ids;
  // Field layout.
  type Field = { name: string; type: FieldType; off: number; mask: number };
  const fields: Field[] = [];
  let size = 0;
  let flagOff = -1;
  const seen = new Set<string>();
  for (const id of ids) {
    const fb = FLAG_BITS[id];
    if (fb) {
      if (flagOff < 0) { flagOff = size; size += 1; }
      fields.push({ name: fb[0], type: 'flag', off: flagOff, mask: fb[1] });
      continue;
    }
    const c = MPR_COLUMNS[id];
    if (!c) throw new DataError(`column ID ${id} of the data module is not known to hcarb, so the width of its records is unknown and no value can be read safely (IDs in this file: ${ids.join(', ')}); export the run as .mpt from EC-Lab`, { file: source });
    let name = c[0];
    if (seen.has(name)) name = `${name} (ID ${id})`;
    seen.add(name);
    fields.push({ name, type: c[1], off: size, mask: 0 });
    size += TYPE_SIZE[c[1] as Exclude<FieldType, 'flag'>];
  }
  const avail = len - recStart;
  if (avail < 0) throw new DataError(`the data module (${len} bytes) ends before its records begin (byte ${recStart}); truncated`, { file: source });
  const need = nPoints * size;
  if (need > avail) throw new DataError(`the data module announces ${nPoints} points of ${size} bytes (${need} bytes) but holds ${avail}; the file is truncated or damaged`, { file: source });
  if (need < avail) t.warnings.push(`the data module holds ${avail - need} bytes after its ${nPoints} points; they were not read`);
  t.names = fields.map((f) => f.name);
  t.data = fields.map(() => new Float64Array(nPoints));
  const lines = new Uint32Array(nPoints);
  let p = m0 + recStart;
  for (let r = 0; r < nPoints; r++, p += size) {
    lines[r] = r + 1;
    for (let k = 0; k < fields.length; k++) {
      const f = fields[k]!;
      const o = p + f.off;
      let v: number;
      switch (f.type) {
        case 'flag': { const raw = b[o]! & f.mask; v = f.mask === 0x03 ? raw : raw ? 1 : 0; break; }
        case 'f4': v = dv.getFloat32(o, true); break;
        case 'f8': v = dv.getFloat64(o, true); break;
        case 'u2': v = dv.getUint16(o, true); break;
        default: v = dv.getUint32(o, true);
      }
      t.data[k]![r] = v;
    }
  }
  t.lines = lines;
  t.notes.push(`.mpr data module layout ${t.layout}, ${nPoints} points of ${size} bytes, column IDs ${ids.join(', ')}`);
  return t;
}
