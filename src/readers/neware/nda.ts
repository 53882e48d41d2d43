/**
 * Neware `.nda` (BTS 7.x and 9.x binary). Magic `NEWARE` at 0, version byte at 14.
 * - v29 (BTS 7.6): 86-byte records from the first `55 00 01 00 00 00` (data record 1); identifier
 *   0x55 data, 0x65 auxiliary (temperature, aux voltage), others skipped. Verified on a corpus file.
 * - v22: as v29 with a Unix time at 70 instead of the local date; found from `AA 00 01 00 00 00`.
 *   (From the format notes, no sample.)
 * - v130 BTS 9.1: records from offset 1024, their length the distance to the next repeat of the
 *   first two bytes; float current (mA), voltage (V), signed capacity (mAs). (No sample.)
 * Records carry per-step capacity (charge or discharge, positive), the cycler's 0-based cycle + 1.
 */
import { DataError } from '../../errors.js';
import type { CyclerRecord, SourceInfo } from '../../types.js';
import { Bytes, rangeMultiplier, TotalTime } from './binary.js';
import { STEP_TYPES, stepTypeKind } from './columns.js';
import { ndaVersion } from './sniff.js';

export { ndaVersion };

const BATCH = 4096;

function findBytes(b: Uint8Array, pat: number[], from = 0): number {
  outer: for (let i = from; i + pat.length <= b.length; i++) {
    for (let j = 0; j < pat.length; j++) if (b[i + j] !== pat[j]) continue outer;
    return i;
  }
  return -1;
}


function ascii(b: Uint8Array, from: number, max: number): string {
  let s = '';
  for (let i = from; i < Math.min(b.length, from + max); i++) {
    const c = b[i]!;
    if (c === 0) break;
    s += c >= 32 && c < 127 ? String.fromCharCode(c) : '';
  }
  return s;
}

export function* readNda(b: Uint8Array, source: string, info: SourceInfo): Generator<CyclerRecord[]> {
  const version = ndaVersion(b);
  if (version === null) throw new DataError('not a Neware .nda file (no NEWARE signature)', { file: source });
  info.layout = `Neware .nda version ${version}`;
  const server = findBytes(b.subarray(0, Math.min(b.length, 1 << 20)), [...'BTSServer'].map((c) => c.charCodeAt(0)));
  if (server >= 0) info.notes.push(`written by ${ascii(b, server, 60)}`);
  if (version === 29 || version === 22) yield* inBatches(nda29Records(b, source, info, version), source, info);
  else if (version === 130) yield* inBatches(nda130Records(b, source, info), source, info);
  else throw new DataError(`.nda version ${version} is not supported (versions 22, 29 and 130 are); export the test from BTSDA as .csv`, { file: source });
}

/** Records in batches of BATCH, `info.records` kept up to date; a file without any is an error. */
function* inBatches(records: Iterable<CyclerRecord>, source: string, info: SourceInfo): Generator<CyclerRecord[]> {
  let batch: CyclerRecord[] = [];
  let count = 0;
  for (const r of records) {
    batch.push(r);
    count++;
    if (batch.length >= BATCH) { info.records = count; yield batch; batch = []; }
  }
  info.records = count;
  if (batch.length) yield batch;
  if (count === 0) throw new DataError('the .nda file holds no data records', { file: source });
}

function* nda29Records(b: Uint8Array, source: string, info: SourceInfo, version: number): Generator<CyclerRecord> {
  const R = 86;
  const start = findBytes(b, version === 29 ? [0x55, 0, 1, 0, 0, 0] : [0xaa, 0, 1, 0, 0, 0], 15);
  if (start < 0) throw new DataError('no data records: the first record (index 1) was not found; the file is empty, truncated in its header, or damaged', { file: source });
  const n = Math.floor((b.length - start) / R);
  const tail = (b.length - start) % R;
  if (tail) throw new DataError(`the file ends inside record ${n + 1} (${tail} of ${R} bytes): it is truncated; copy it again from the cycler`, { file: source });
  const v = new Bytes(b, source, 'the .nda file');
  // Auxiliary records (0x65) name their data record by index; gather them first.
  const aux = new Map<number, Record<string, number | null>>();
  const auxKeys = new Set<string>();
  for (let k = 0; k < n; k++) {
    const o = start + k * R;
    if (b[o] !== 0x65) continue;
    const ch = b[o + 1]!;
    const idx = v.u32(o + 2);
    let e = aux.get(idx);
    if (!e) aux.set(idx, (e = {}));
    const t = v.i16(o + 34) / 10, volt = v.i32(o + 22) / 1e4;
    e[`t${ch}_degC`] = t; auxKeys.add(`t${ch}_degC`);
    e[`v${ch}_V`] = volt; auxKeys.add(`v${ch}_V`);
  }
  if (auxKeys.size) info.extraColumns = [...auxKeys].sort();
  const total = new TotalTime();
  let count = 0, other = 0, prevIndex = 0, prevStepByte = -1, stepCount = 0;
  let zeroRange = 0;
  for (let k = 0; k < n; k++) {
    const o = start + k * R;
    const id = b[o]!;
    if (id !== 0x55) {
      if (id !== 0x65) other++;
      continue;
    }
    const index = v.u32(o + 2);
    if (index !== prevIndex + 1) throw new DataError(`record ${count + 1} (offset ${o}) has index ${index} after ${prevIndex}: the file is damaged`, { file: source });
    prevIndex = index;
    const stepByte = b[o + 13]!;
    if (stepByte !== prevStepByte) { stepCount++; prevStepByte = stepByte; }
    const type = b[o + 12]!;
    const stepTimeS = v.u64(o + 14) / 1000;
    const range = v.i32(o + 78);
    const mult = rangeMultiplier(range);
    if (mult === 0) zeroRange++;
    const capMAh = (Math.abs(v.i64(o + 38)) + Math.abs(v.i64(o + 46))) * mult / 3600;
    const r: CyclerRecord = {
      line: index,
      timeS: total.at(stepCount, stepTimeS),
      stepTimeS,
      voltageV: v.i32(o + 22) / 1e4,
      currentMA: v.i32(o + 26) * mult,
      capacityMAh: capMAh,
      specificCapacityMAhG: null,
      cycleIndex: v.u32(o + 6) + 1,
      stepIndex: v.u16(o + 10),
      stateKind: stepTypeKind(type),
    };
    if (auxKeys.size) {
      const e = aux.get(index);
      const x: Record<string, number | null> = {};
      for (const key of auxKeys) x[key] = e?.[key] ?? null;
      r.extra = x;
    }
    count++;
    yield r;
  }
  if (other) info.notes.push(`${other} non-data records (identifier other than 0x55/0x65) skipped`);
  if (zeroRange) info.warnings.push(`${zeroRange} records have current range 0: their current and capacity read as 0`);
  info.notes.push('record numbers (line) are the cycler\'s record index; cycle = the cycler\'s stored cycle + 1; capacity per step');
}

function* nda130Records(b: Uint8Array, source: string, info: SourceInfo): Generator<CyclerRecord> {
  const START = 1024;
  if (b.length < START + 56) throw new DataError('the .nda file ends before its first record: it is truncated', { file: source });
  const sub = b[START]!;
  if (sub !== 85) throw new DataError(`.nda version 130 with record marker ${sub}: only BTS 9.1 files (marker 85) are supported; export the test from BTSDA as .csv`, { file: source });
  const R = findBytes(b, [b[START]!, b[START + 1]!], START + 2) - START;
  if (R < 52 || R > 1024) throw new DataError('cannot find the record length of this BTS 9 .nda (no second record): truncated or damaged', { file: source });
  const n = Math.floor((b.length - START) / R);
  const v = new Bytes(b, source, 'the .nda file');
  const id = v.u16(START);
  const withT = R >= 56;
  if (withT) info.extraColumns = ['t1_degC'];
  info.layout += ` (BTS 9.1, ${R}-byte records)`;
  info.notes.push('BTS 9.1 .nda: read from the format notes, not checked against a sample; step time = total time since the step began');
  let prevStep = -1, stepCount = 0, stepStart = 0, lastTotal = 0;
  for (let k = 0; k < n; k++) {
    const o = START + k * R;
    if (v.u16(o) !== id) continue;
    const step = b[o + 2]!;
    const totalS = v.u32(o + 12) + v.u32(o + 16) / 1e9;
    if (step !== prevStep) { stepCount++; prevStep = step; stepStart = stepCount === 1 ? 0 : lastTotal; }
    lastTotal = totalS;
    const cap = v.f32(o + 28) / 3600;
    const r: CyclerRecord = {
      line: v.u32(o + 8),
      timeS: totalS,
      stepTimeS: totalS - stepStart,
      voltageV: v.f32(o + 24),
      currentMA: v.f32(o + 20),
      capacityMAh: Math.abs(cap),
      specificCapacityMAhG: null,
      cycleIndex: v.u32(o + 36) + 1,
      stepIndex: step,
      stateKind: stepTypeKind(b[o + 3]!),
    };
    if (withT) r.extra = { t1_degC: v.f32(o + 52) };
    yield r;
  }
}

export { STEP_TYPES };
