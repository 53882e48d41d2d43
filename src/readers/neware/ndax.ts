/**
 * Neware `.ndax` (BTS 8+): a zip of XML (test info, program) and `.ndc` files in 4096-byte pages.
 * data.ndc gives voltage and current per record; data_runInfo.ndc gives step time, capacities and the
 * step count for some records (the others are filled forward, time and capacity advanced by
 * dt and I·dt); data_step.ndc gives cycle, step index and step type per step count.
 * ndc page layout: page 0 is a header (byte 0 file type, byte 2 version); data pages have byte 0 =
 * type + 1, u16 valid rows at 2, a validity bitmask from 4, rows from 132; in version 14 the last
 * 4 bytes of a page are the CRC-32 of the rest (checked for the record, step and runInfo files,
 * where it was seen).
 */
import { unzipSync } from 'fflate';
import { DataError } from '../../errors.js';
import type { CyclerRecord, SourceInfo } from '../../types.js';
import { Bytes, crc32, TotalTime } from './binary.js';
import { STEP_TYPES, stepTypeKind } from './columns.js';

const PAGE = 4096;
const ROWS_AT = 132;
const BATCH = 4096;
/** Uncompressed size allowed for one member. */
export const MAX_MEMBER_BYTES = 2 * 1024 ** 3;
const MAX_RATIO = 1000;

interface Layout { size: number; verified: boolean }
/** Row sizes by (file type, version). */
const LAYOUTS: Record<string, Layout> = {
  '1/11': { size: 8, verified: false }, '1/14': { size: 8, verified: true }, '1/16': { size: 8, verified: false }, '1/17': { size: 8, verified: false },
  '18/11': { size: 47, verified: false }, '18/14': { size: 55, verified: true }, '18/16': { size: 100, verified: false }, '18/17': { size: 100, verified: false },
  '7/11': { size: 37, verified: false }, '7/14': { size: 37, verified: true }, '7/16': { size: 100, verified: false }, '7/17': { size: 100, verified: false },
  '5/14': { size: 4, verified: false },
};

/**
 * The members of a zip from its central directory (Zip64 sizes resolved): name, compressed and
 * uncompressed size. Lets sizes be checked before anything is inflated.
 */
export function zipDirectory(zip: Uint8Array, source: string): { name: string; size: number; originalSize: number }[] {
  const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65557); i--) {
    if (dv.getUint32(i, true) === 0x06054b50) { eocd = i; break; }
  }
  const bad = (what: string): DataError => new DataError(`the .ndax is ${what}; copy it again from the cycler computer`, { file: source });
  if (eocd < 0) throw bad('truncated or is not a zip file (no end-of-archive record)');
  let count = dv.getUint16(eocd + 10, true);
  let cdOff = dv.getUint32(eocd + 16, true);
  if (cdOff === 0xffffffff || count === 0xffff) {
    const loc = eocd - 20;
    if (loc < 0 || dv.getUint32(loc, true) !== 0x07064b50) throw bad('damaged (Zip64 locator missing)');
    const z64 = Number(dv.getBigUint64(loc + 8, true));
    if (z64 + 56 > zip.length || dv.getUint32(z64, true) !== 0x06064b50) throw bad('damaged (Zip64 end record missing)');
    count = Number(dv.getBigUint64(z64 + 32, true));
    cdOff = Number(dv.getBigUint64(z64 + 48, true));
  }
  const out: { name: string; size: number; originalSize: number }[] = [];
  let o = cdOff;
  for (let k = 0; k < count; k++) {
    if (o + 46 > zip.length || dv.getUint32(o, true) !== 0x02014b50) throw bad('damaged (its central directory is cut or corrupt)');
    let size = dv.getUint32(o + 20, true), originalSize = dv.getUint32(o + 24, true);
    const nameLen = dv.getUint16(o + 28, true), extraLen = dv.getUint16(o + 30, true), commentLen = dv.getUint16(o + 32, true);
    if (o + 46 + nameLen + extraLen > zip.length) throw bad('damaged (its central directory is cut)');
    const name = new TextDecoder('utf-8').decode(zip.subarray(o + 46, o + 46 + nameLen));
    // Zip64 extra field (id 1): the 64-bit sizes of the fields that read 0xFFFFFFFF, in order.
    for (let e = o + 46 + nameLen; e + 4 <= o + 46 + nameLen + extraLen;) {
      const id = dv.getUint16(e, true), len = dv.getUint16(e + 2, true);
      if (id === 1) {
        let p = e + 4;
        if (originalSize === 0xffffffff && p + 8 <= e + 4 + len) { originalSize = Number(dv.getBigUint64(p, true)); p += 8; }
        if (size === 0xffffffff && p + 8 <= e + 4 + len) { size = Number(dv.getBigUint64(p, true)); p += 8; }
      }
      e += 4 + len;
    }
    out.push({ name, size, originalSize });
    o += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** The valid rows of an ndc file, with its type and version. */
function ndcRows(buf: Uint8Array, name: string, source: string, rowSizeOverride?: (ft: number, ver: number, firstRow: Uint8Array) => number): { ft: number; ver: number; rows: Uint8Array[] } {
  if (buf.length < PAGE) throw new DataError(`${name} is shorter than its header page (${buf.length} bytes): the .ndax is damaged`, { file: source });
  if (buf.length % PAGE) throw new DataError(`${name} is not a whole number of 4096-byte pages (${buf.length} bytes): the .ndax is damaged`, { file: source });
  const ft = buf[0]!, ver = buf[2]!;
  let size = LAYOUTS[`${ft}/${ver}`]?.size;
  if (rowSizeOverride) size = rowSizeOverride(ft, ver, buf.subarray(PAGE + ROWS_AT, PAGE + ROWS_AT + 1));
  if (!size) throw new DataError(`${name} is ndc file type ${ft} version ${ver}, which hcarb cannot read (data versions 11, 14, 16 and 17 are read); export the test from BTSDA as .csv`, { file: source });
  const perPage = Math.floor((PAGE - ROWS_AT - 1) / size);
  const rows: Uint8Array[] = [];
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let p = PAGE, page = 1; p < buf.length; p += PAGE, page++) {
    const pg = buf.subarray(p, p + PAGE);
    if (pg[0] === 0 && pg.every((x) => x === 0)) continue;
    if (pg[0] !== ft + 1) throw new DataError(`page ${page} of ${name} is not a data page (type byte ${pg[0]}, expected ${ft + 1}): the .ndax is damaged`, { file: source });
    if (ver === 14 && (ft === 1 || ft === 7 || ft === 18) && crc32(pg.subarray(0, PAGE - 4)) !== dv.getUint32(p + PAGE - 4, true)) {
      throw new DataError(`page ${page} of ${name} fails its checksum: the .ndax is damaged`, { file: source });
    }
    const valid = dv.getUint16(p + 2, true);
    let seen = 0;
    for (let i = 0; i < perPage; i++) {
      if (!(pg[4 + (i >> 3)]! & (1 << (i & 7)))) continue;
      rows.push(pg.subarray(ROWS_AT + i * size, ROWS_AT + (i + 1) * size));
      seen++;
    }
    if (seen !== valid) throw new DataError(`page ${page} of ${name} says ${valid} rows but marks ${seen}: the .ndax is damaged`, { file: source });
  }
  return { ft, ver, rows };
}

interface RunInfo { stepTimeS: number; chgMAh: number; dchgMAh: number; dtS: number; stepCount: number }

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m?.[1];
}

export function* readNdax(zip: Uint8Array, source: string, info: SourceInfo): Generator<CyclerRecord[]> {
  const wanted = (name: string): boolean => /^(data(_runInfo|_step)?\.ndc|TestInfo\.xml|data_AUX.*\.ndc)$/i.test(name);
  for (const f of zipDirectory(zip, source)) {
    if (!wanted(f.name)) continue;
    if (f.originalSize > MAX_MEMBER_BYTES || (f.originalSize > 1e6 && f.originalSize > f.size * MAX_RATIO)) {
      throw new DataError(`'${f.name}' would inflate to ${f.originalSize} bytes; refusing it (a damaged file or a zip bomb)`, { file: source });
    }
  }
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip, { filter: (f) => wanted(f.name) });
  } catch (e) {
    throw new DataError(`the .ndax (a zip) is damaged: ${(e as Error).message}; copy it again from the cycler computer`, { file: source });
  }
  const data = files['data.ndc'];
  if (!data) throw new DataError('this zip has no data.ndc: not a Neware .ndax (or one from BTS 7, whose records are in a .nda)', { file: source });
  const d = ndcRows(data, 'data.ndc', source);
  if (d.ft !== 1) throw new DataError(`data.ndc is ndc file type ${d.ft}, not 1 (records)`, { file: source });
  info.layout = `Neware .ndax (data.ndc version ${d.ver})`;
  if (!LAYOUTS[`1/${d.ver}`]!.verified) info.notes.push(`data.ndc version ${d.ver}: layout from the format notes, not checked against a sample`);
  const testInfo = files['TestInfo.xml'] ? new TextDecoder('latin1').decode(files['TestInfo.xml']) : '';
  const ti = /<TestInfo\s[^>]*>/.exec(testInfo)?.[0];
  if (ti) {
    const parts = ['DevID', 'UnitID', 'ChlID', 'TestID', 'StartTime', 'Barcode'].map((k) => [k, attr(ti, k)]).filter(([, x]) => x !== undefined && x !== '');
    if (parts.length) info.notes.push(`test: ${parts.map(([k, x]) => `${k}=${x}`).join(', ')}`);
  }

  // Voltage (V) and current (mA) per record.
  const V = new Float64Array(d.rows.length), I = new Float64Array(d.rows.length);
  d.rows.forEach((r, k) => {
    const dv = new DataView(r.buffer, r.byteOffset, r.byteLength);
    const v = dv.getFloat32(0, true), c = dv.getFloat32(4, true);
    if (d.ver === 11) { V[k] = v * 1e-4; I[k] = c; }
    else if (d.ver === 16) { V[k] = v / 1e4; I[k] = c; }
    else { V[k] = v; I[k] = c * 1000; }
  });

  // runInfo: sparse, keyed by record index.
  const run = new Map<number, RunInfo>();
  const rbuf = files['data_runInfo.ndc'];
  if (rbuf) {
    const r = ndcRows(rbuf, 'data_runInfo.ndc', source);
    const capScale = r.ver === 14 || r.ver === 17 ? 1000 : 1 / 3600;
    let prevRaw: number | null = null, count = 0;
    for (const row of r.rows) {
      const b = new Bytes(row, source, 'data_runInfo.ndc');
      const raw = b.u32(37);
      let stepCount: number;
      if (r.ver === 11 || r.ver === 14) { if (raw !== prevRaw) { count++; prevRaw = raw; } stepCount = count; }
      else stepCount = raw;
      const index = b.u32(41);
      if (run.has(index)) continue;
      run.set(index, {
        stepTimeS: b.u32(0) / 1000,
        chgMAh: Math.abs(b.f32(5)) * capScale,
        dchgMAh: Math.abs(b.f32(9)) * capScale,
        dtS: b.i32(29) / 1000,
        stepCount,
      });
    }
  } else info.warnings.push('the .ndax has no data_runInfo.ndc: records have no time, capacity, cycle or step');

  // step: cycle, step index and type by step count.
  const steps = new Map<number, { cycle: number; stepIndex: number; type: number }>();
  const sbuf = files['data_step.ndc'];
  if (sbuf) {
    const s = ndcRows(sbuf, 'data_step.ndc', source);
    let prevIdx: number | null = null, count = 0;
    s.rows.forEach((row, k) => {
      const b = new Bytes(row, source, 'data_step.ndc');
      const stepIndex = b.u32(4);
      let sc: number;
      if (s.ver === 16) { if (stepIndex !== prevIdx) { count++; prevIdx = stepIndex; } sc = count; }
      else sc = k + 1;
      if (!steps.has(sc)) steps.set(sc, { cycle: b.u32(0) + 1, stepIndex, type: b.u8(24) });
    });
  }

  const aux = readAux(files, testInfo, source, info, d.rows.length);

  const total = new TotalTime();
  let batch: CyclerRecord[] = [];
  let last: RunInfo | null = null;
  let sinceT = 0, sinceQ = 0, filled = 0, unknownType = 0;
  for (let k = 0; k < d.rows.length; k++) {
    const index = k + 1;
    const ri = run.get(index);
    let stepTimeS: number | null = null, cap: number | null = null, stepCount: number | null = null;
    if (ri) {
      last = ri; sinceT = 0; sinceQ = 0;
      stepTimeS = ri.stepTimeS; cap = ri.chgMAh + ri.dchgMAh; stepCount = ri.stepCount;
    } else if (last) {
      // Fill-in: advance by dt and I·dt from the last runInfo row.
      sinceT += last.dtS;
      sinceQ += I[k]! * last.dtS / 3600;
      stepTimeS = last.stepTimeS + sinceT;
      cap = last.chgMAh + Math.max(0, sinceQ) + last.dchgMAh - Math.min(0, sinceQ);
      stepCount = last.stepCount;
      filled++;
    }
    const st = stepCount === null ? undefined : steps.get(stepCount);
    const kind = st ? stepTypeKind(st.type) : null;
    if (st && kind === null && !STEP_TYPES[st.type]) unknownType++;
    const rec: CyclerRecord = {
      line: index,
      timeS: stepTimeS === null || stepCount === null ? null : total.at(stepCount, stepTimeS),
      stepTimeS,
      voltageV: V[k]!,
      currentMA: I[k]!,
      capacityMAh: cap,
      specificCapacityMAhG: null,
      cycleIndex: st ? st.cycle : null,
      stepIndex: st ? st.stepIndex : null,
      stateKind: kind,
    };
    if (aux) rec.extra = aux(index);
    batch.push(rec);
    if (batch.length >= BATCH) { info.records = index; yield batch; batch = []; }
  }
  info.records = d.rows.length;
  if (batch.length) yield batch;
  if (d.rows.length === 0) throw new DataError('data.ndc holds no records', { file: source });
  if (filled) info.notes.push(`${filled} of ${d.rows.length} records have no runInfo row: their step time and capacity are advanced from the previous one by dt and I·dt (as BTSDA does)`);
  if (unknownType) info.warnings.push(`${unknownType} records have an unknown step type code: charge/discharge from the current's sign`);
  info.notes.push('record numbers (line) are the cycler\'s record index; capacity per step');
}

/** Auxiliary channels: `data_AUX_*.ndc` members paired in order with TestInfo's aux entries. */
function readAux(files: Record<string, Uint8Array>, testInfo: string, source: string, info: SourceInfo, n: number): ((index: number) => Record<string, number | null>) | null {
  const names = Object.keys(files).filter((f) => /^data_AUX.*\.ndc$/i.test(f))
    .sort((a, b) => { const x = (a.match(/\d+/g) ?? []).map(Number), y = (b.match(/\d+/g) ?? []).map(Number); for (let i = 0; i < Math.max(x.length, y.length); i++) { const d = (x[i] ?? -1) - (y[i] ?? -1); if (d) return d; } return 0; });
  if (!names.length) return null;
  const entries = [...testInfo.matchAll(/<(\w*aux\w*)\s[^>]*>/gi)].map((m) => m[0]).filter((t) => attr(t, 'ChlType') !== undefined || attr(t, 'AuxID') !== undefined);
  if (entries.length !== names.length) {
    info.warnings.push(`${names.length} auxiliary channel files but ${entries.length} auxiliary channels in TestInfo.xml: auxiliary channels dropped`);
    return null;
  }
  const channels: { key: string; values: Map<number, number> }[] = [];
  names.forEach((name, i) => {
    const t = entries[i]!;
    const id = attr(t, 'AuxID') ?? String(i + 1);
    const type = Number(attr(t, 'ChlType'));
    const key = type === 103 ? `t${id}_degC` : type === 335 ? `tset${id}_degC` : type === 345 ? `humidity${id}_pct` : `aux${id}`;
    const values = new Map<number, number>();
    const buf = files[name]!;
    const r = ndcRows(buf, name, source, (ft, ver, first) => {
      if (ft !== 5) return 0;
      if (ver === 14) return 4;
      if ((ver === 11 || ver === 16) && first[0] === 0x65) return 7;
      if (ver === 11 && first[0] === 0x74) return 88;
      return 0;
    });
    r.rows.forEach((row, k) => {
      const b = new Bytes(row, source, name);
      if (r.ver === 14) values.set(k + 1, b.f32(0));
      else if (row.length === 7) values.set(k + 1, b.i16(5) / 10);
      else values.set(b.u32(1), b.i16(35) / 10);
    });
    channels.push({ key, values });
  });
  info.extraColumns = channels.map((c) => c.key);
  info.notes.push(`auxiliary channels ${info.extraColumns.join(', ')} (layout from the format notes, not checked against a sample); ${n} records`);
  return (index) => {
    const e: Record<string, number | null> = {};
    for (const c of channels) e[c.key] = c.values.get(index) ?? null;
    return e;
  };
}
