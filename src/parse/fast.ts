/**
 * The fast path for the common case: a comma-, tab- or semicolon-separated LAND record export in
 * UTF-8, GB18030 or UTF-16 (turned into UTF-8 as it streams). Bytes are scanned for line ends and only
 * the columns a reduction needs are parsed, straight from the bytes (numbers, durations, the
 * state). Any line the fast path does not fully understand (an empty line, a repeated header, a
 * short line, a placeholder, a quote, text where a number belongs, an unusual number) is decoded
 * and handed to the general row logic, so results, skips and errors are the same as the general
 * parser's (a test proves it on every sample, fixture, dialect and corpus file). Files with NUL
 * bytes, a delimiter other than comma, tab or semicolon, or a header beyond the first block go to
 * the general parser.
 *
 * Records of a batch are reused for the next batch: consumers must copy what they keep.
 */
import { DataError } from '../errors.js';
import type { CyclerRecord, Kind, SourceInfo } from '../types.js';
import { stateKind } from './columns.js';
import { MAX_LINE_CHARS, lineTooLong, sniffEncoding, takeHead } from './decode.js';
import { HeaderFinder, RowSink, newSourceInfo, numberReaders, parseLandTextGeneral, type Plan } from './land.js';
import { sniffDelimiter, splitCells } from './rows.js';
import { concatBytes, prepend, releaseChunk } from '../io.js';

const HEAD_BYTES = 1 << 16;
/** How far the header search reads on through a mixed export's cycle and step tables. */
const PROBE_MAX_BYTES = 32 << 20;
const BATCH = 4096;
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Options for tests and benchmarks. */
export const fastPath = { enabled: true };

function sameBytes(a: Uint8Array, b: Uint8Array, off: number): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[off + k]) return false;
  return true;
}

/**
 * Parse a LAND text export: the fast path when it applies, else the general parser. UTF-16 files
 * (LAND's "Unicode" text) are turned into UTF-8 as they stream and scanned the same way.
 */
export async function* parseLandText(chunks: AsyncIterable<Uint8Array>, source: string, info: SourceInfo = newSourceInfo(source)): AsyncGenerator<CyclerRecord[]> {
  const it = chunks[Symbol.asyncIterator]();
  try {
    yield* parseWith(it, source, info);
  } finally {
    // Stopped early (an error, a consumer that has seen enough): let the reader close the file.
    await it.return?.();
  }
}

async function* parseWith(it: AsyncIterator<Uint8Array>, source: string, info: SourceInfo): AsyncGenerator<CyclerRecord[]> {
  let { head, done } = await takeHead(it, HEAD_BYTES);
  const general = () => parseLandTextGeneral(done ? (async function* () { yield head; })() : prepend(head, it), source, info);
  if (!fastPath.enabled || head.length === 0) { yield* general(); return; }
  const { encoding, bomLength } = sniffEncoding(head.subarray(0, HEAD_BYTES));
  const label = bomLength ? `${encoding} (BOM)` : encoding;
  const utf16 = encoding.startsWith('utf-16');
  // UTF-16 is probed (and later scanned) as UTF-8; the decoder of the last probe goes on with the rest.
  let dec16: TextDecoder | null = null, head8 = head;
  const look = (): Probe | 'more' | null => {
    if (!utf16) return probe(head, encoding, bomLength, label, source);
    dec16 = new TextDecoder(encoding);
    head8 = new TextEncoder().encode(dec16.decode(head.subarray(bomLength), { stream: !done }) + (done ? dec16.decode() : ''));
    return probe(head8, 'utf-8', 0, label, source);
  };
  let p = look();
  // The cycle and step tables of a mixed export can run past the head: read on while they do.
  while (p === 'more' && !done && head.length < PROBE_MAX_BYTES && head.length - head.lastIndexOf(10) <= MAX_LINE_CHARS) {
    const more = await takeHead(it, head.length);
    head = concatBytes([head, more.head], head.length + more.head.length);
    done = more.done;
    p = look();
  }
  if (p === null || p === 'more') { yield* general(); return; }
  if (utf16) {
    const dec = dec16!, enc = new TextEncoder();
    const rest = done ? null : (async function* () {
      for (;;) {
        const r = await it.next();
        if (r.done) break;
        const text = dec.decode(r.value, { stream: true });
        releaseChunk(r.value);
        yield enc.encode(text);
      }
      const tail = dec.decode();
      if (tail) yield enc.encode(tail);
    })();
    yield* start(p, head8, rest, 'utf-8');
    return;
  }
  yield* start(p, head, done ? null : it, encoding);

  function start(p: Probe, bytes: Uint8Array, rest: AsyncIterator<Uint8Array> | null, enc: string): AsyncGenerator<CyclerRecord[]> {
    Object.assign(info, p.info, { instrument: 'LAND', layout: p.info.layout.startsWith('mixed') ? p.info.layout : 'record table (text)', encoding: label, delimiter: p.delimiter === '\t' ? 'tab' : p.delimiter, decimalComma: false });
    const decimalComma = p.delimiter !== ',';
    const { num, timeOf } = numberReaders(source, decimalComma, info);
    const sink = new RowSink(p.plan, info, source, num, timeOf);
    return scan(bytes.subarray(p.offset), rest, p.headerLine, p.plan, sink, info, decimalComma, p.delimiter.charCodeAt(0), enc, source);
  }
}

interface Probe { plan: Plan; headerLine: number; delimiter: string; info: SourceInfo; offset: number }

/**
 * Whether the fast path can take a file, from its first bytes: no NUL, a comma, tab or semicolon
 * delimiter, and the header found exactly as the general parser finds it within complete lines
 * of the head. Null when the file must go the general way; 'more' when the head ends before the
 * search does.
 */
function probe(head: Uint8Array, encoding: string, bomLength: number, label: string, source: string): Probe | 'more' | null {
  if (head.subarray(0, 4096).includes(0)) return null;
  const text = new TextDecoder(encoding).decode(head.subarray(bomLength, head.lastIndexOf(10) + 1));
  const delimiter = sniffDelimiter(text.slice(0, 65536));
  if (delimiter !== ',' && delimiter !== '\t' && delimiter !== ';') return null;
  const lines = text.split('\n');
  const info = { ...newSourceInfo(source), encoding: label };
  const finder = new HeaderFinder(info, source, delimiter);
  for (let k = 0; k < lines.length - 1; k++) {
    if (finder.exhausted(k + 1)) return null;
    const cells = splitCells(lines[k]!, delimiter);
    const plan = finder.offer(cells, k + 1);
    if (plan) {
      // Byte offset just after the header line.
      let offset = bomLength;
      for (let n = 0; n <= k; n++) offset = head.indexOf(10, offset) + 1;
      return { plan, headerLine: k + 1, delimiter, info, offset };
    }
  }
  // Out of complete lines with the search still on (inside a mixed export's sections): more bytes.
  return 'more';
}

/** Column layout and output of the byte scanner; a plain object so the hot loop reads locals. */
export interface ScanState {
  /**
   * The needed columns in order, as pairs: how many columns to skip before it, then its value
   * slot (0 V, 1 I, 2 capacity, 3 specific capacity, 4 cycle, 5 step, 6 time, 7 step time; 8 the
   * state column).
   */
  prog: Int8Array;
  /** Bit k set: slot k is a time column without a unit, where only durations are read here. */
  durOnly: number;
  delim: number;
  comma: boolean;
  val: Float64Array;
  isNull: Uint8Array;
  /** State column bytes of the line just parsed, and their FNV hash. */
  stS: number; stE: number; stH: number;
  sawComma: boolean;
  ok: boolean;
}

/** A scanner state for columns `slotOf` (per column index: its slot, or -1 when not needed). */
export function scanState(slotOf: ArrayLike<number>, delim: number, comma: boolean, durOnly = 0): ScanState {
  const prog: number[] = [];
  let skip = 0;
  for (let f = 0; f < slotOf.length; f++) {
    if (slotOf[f]! < 0) { skip++; continue; }
    prog.push(skip, slotOf[f]!);
    skip = 0;
  }
  return { prog: Int8Array.from(prog), durOnly, delim, comma, val: new Float64Array(8), isNull: new Uint8Array(8).fill(1), stS: 0, stE: 0, stH: 0, sawComma: false, ok: false };
}

/**
 * A duration at b[p…] exactly as the general parser reads one (columns.ts `parseDuration`):
 * D-HH:MM:SS, D.HH:MM:SS or D HH:MM:SS (days ≤ 6 digits), H:MM:SS or M:SS (≤ 9 digits), the
 * seconds with up to 9 decimals. Its value in seconds goes to val[slot], summed in the same order;
 * returns the index just after it, or -1 when the text is not one of these.
 */
function durationAt(b: Uint8Array, p: number, val: Float64Array, slot: number): number {
  let a = 0, n = 0, c = b[p]!;
  while (c >= 48 && c <= 57) { if (++n > 9) return -1; a = a * 10 + (c - 48); c = b[++p]!; }
  if (n === 0) return -1;
  if (c === 45 || c === 46 || c === 32) {
    // Days, then HH:MM:SS.
    if (n > 6) return -1;
    const h = upTo2(b, p + 1);
    if (h < 0) return -1;
    p += 1 + (h & 3);
    if (b[p] !== 58) return -1;
    const m = upTo2(b, p + 1);
    if (m < 0) return -1;
    p += 1 + (m & 3);
    if (b[p] !== 58) return -1;
    p = secondsAt(b, p + 1, val, slot);
    if (p < 0) return -1;
    val[slot] = a * 86400 + (h >> 2) * 3600 + (m >> 2) * 60 + val[slot]!;
    return p;
  }
  if (c !== 58) return -1;
  const g = upTo2(b, p + 1);
  if (g < 0) return -1;
  if (b[p + 1 + (g & 3)] === 58) {
    // H:MM:SS
    p = secondsAt(b, p + 2 + (g & 3), val, slot);
    if (p < 0) return -1;
    val[slot] = a * 3600 + (g >> 2) * 60 + val[slot]!;
    return p;
  }
  // M:SS
  p = secondsAt(b, p + 1, val, slot);
  if (p < 0) return -1;
  val[slot] = a * 60 + val[slot]!;
  return p;
}

/** One or two digits at b[p]: value * 4 + count, or -1. */
function upTo2(b: Uint8Array, p: number): number {
  const c0 = b[p]! - 48;
  if (c0 < 0 || c0 > 9) return -1;
  const c1 = b[p + 1]! - 48;
  if (c1 < 0 || c1 > 9) return c0 * 4 + 1;
  const c2 = b[p + 2]! - 48;
  if (c2 >= 0 && c2 <= 9) return -1;
  return (c0 * 10 + c1) * 4 + 2;
}

/** Seconds SS or SS.fffffffff at b[p] (as Number() reads them) into val[slot]; the index after, or -1. */
function secondsAt(b: Uint8Array, p: number, val: Float64Array, slot: number): number {
  const s = upTo2(b, p);
  if (s < 0) return -1;
  p += s & 3;
  let x = s >> 2;
  if (b[p] === 46) {
    let k = 0, f = 0, c = b[++p]!;
    while (c >= 48 && c <= 57) { if (++k > 9) return -1; f = f * 10 + (c - 48); c = b[++p]!; }
    if (k === 0) return -1;
    x = (x * POW10[k]! + f) / POW10[k]!;
  }
  val[slot] = x;
  return p;
}

/**
 * Parse the fields of the line starting at s in one pass: needed numbers into `val` (exactly
 * Number() of their text: ≤ 15 significant digits and |exponent| ≤ 22), the state column's span
 * and hash, other fields skipped; then on to the line end. The line must end with an LF before n
 * (the LF is the loops' only bound). Returns the index of the LF and sets `st.ok` false when the
 * line must go the general way.
 */
export function parseLine(b: Uint8Array, s: number, n: number, st: ScanState): number {
  const prog = st.prog, delim = st.delim, comma = st.comma, val = st.val, isNull = st.isNull;
  // Bytes above this are never a delimiter, LF or quote: one comparison skips them (',' and TAB
  // files: digits, letters, '.', '-', ':'; ';' files: letters).
  const fence = delim === 59 ? 59 : 44;
  const np = prog.length;
  let p = s, c = 0;
  let ok = true;
  fields: for (let k = 0; k < np; k += 2) {
    // Skipped columns.
    for (let m = prog[k]!; m > 0; m--) {
      for (;;) { c = b[p]!; if (c > fence) { p++; continue; } if (c === delim || c === 10 || c === 34) break; p++; }
      if (c !== delim) { ok = false; break fields; }
      p++;
    }
    const slot = prog[k + 1]!;
    const last = k + 2 === np;
    if (slot === 8) {
      let h = 2166136261;
      const q0 = p;
      for (;;) { c = b[p]!; if (c === delim || c === 10 || c === 13 || c === 34) break; h = Math.imul(h ^ c, 16777619); p++; }
      if (c === 34) { ok = false; break; }
      st.stS = q0; st.stE = p; st.stH = h;
      if (c === delim) { p++; continue; }
      if (!last) { ok = false; break; }
      continue;
    }
    c = b[p]!;
    if (c === delim) { isNull[slot] = 1; p++; continue; }
    if (c === 10 || c === 13) { if (!last) { ok = false; break; } isNull[slot] = 1; continue; }
    let neg = false;
    const f0 = p;
    if (c === 45) {
      neg = true;
      c = b[++p]!;
      if (c === delim || c === 10 || c === 13) { isNull[slot] = 1; if (c === delim) p++; else if (!last) { ok = false; break; } continue; }
    } else if (c === 43) c = b[++p]!;
    // The mantissa must stay an exact integer (< 2^53): then mant / 10^k is Number()'s rounding.
    let mant = 0, dotAt = -1;
    const from = p;
    for (;;) {
      const d = c - 48;
      if (d >= 0 && d <= 9) {
        if (mant >= 900719925474099) { ok = false; break fields; }
        mant = mant * 10 + d;
      } else if (c === 46 && dotAt < 0) dotAt = p;
      else if (c === 44 && comma && dotAt < 0) { dotAt = p; st.sawComma = true; }
      else break;
      c = b[++p]!;
    }
    const frac = dotAt < 0 ? 0 : p - dotAt - 1;
    if (p - from - (dotAt < 0 ? 0 : 1) === 0) { ok = false; break; }
    if (slot >= 6 && (c === 58 || c === 45 || c === 32)) {
      // A time column written as a duration (D-HH:MM:SS and the like): not scaled by the unit.
      p = b[f0] === 45 || b[f0] === 43 ? -1 : durationAt(b, f0, val, slot);
      if (p < 0) { p = f0; ok = false; break; }
      isNull[slot] = 2;
      c = b[p]!;
      if (c === delim) { p++; continue; }
      if ((c === 10 || c === 13) && last) continue;
      ok = false;
      break;
    }
    if (slot >= 6 && (st.durOnly >> slot) & 1) { ok = false; break; }
    let exp = 0;
    if (c === 101 || c === 69) {
      c = b[++p]!;
      let eneg = false;
      if (c === 45) { eneg = true; c = b[++p]!; } else if (c === 43) c = b[++p]!;
      let ed = 0;
      while (c >= 48 && c <= 57) { if (++ed > 3) { ok = false; break fields; } exp = exp * 10 + (c - 48); c = b[++p]!; }
      if (ed === 0) { ok = false; break; }
      if (eneg) exp = -exp;
    }
    const pw = exp - frac;
    let x: number;
    if (pw === 0) x = mant;
    else if (pw > 0 && pw <= 22) x = mant * POW10[pw]!;
    else if (pw < 0 && pw >= -22) x = mant / POW10[-pw]!;
    else { ok = false; break; }
    val[slot] = neg ? -x : x;
    isNull[slot] = 0;
    if (c === delim) { p++; continue; }
    if ((c === 10 || c === 13) && last) continue;
    ok = false;
    break;
  }
  // On to the end of the line.
  if (b[p] !== 10) { p = b.indexOf(10, p); if (p < 0) p = n; }
  // Under 2000 bytes, a line cannot have more columns than the general parser allows (2000).
  st.ok = ok && p - s < 2000 && isNull[0] === 0 && isNull[1] === 0;
  return p;
}

async function* scan(first: Uint8Array, it: AsyncIterator<Uint8Array> | null, headerLine: number, plan: Plan, sink: RowSink, info: SourceInfo, comma: boolean, delim: number, encoding: string, source: string): AsyncGenerator<CyclerRecord[]> {
  const dec = new TextDecoder(encoding);
  const delimStr = String.fromCharCode(delim);
  const V = plan.voltage.index, I = plan.current.index;
  const C = plan.capacity?.index ?? -1, SP = plan.spec?.index ?? -1, CY = plan.cycle?.index ?? -1, ST = plan.step?.index ?? -1;
  const STATE = plan.state?.index ?? -1, T = plan.time?.index ?? -1, TS = plan.stepTime?.index ?? -1;
  const maxIdx = Math.max(V, I, C, SP, CY, ST, STATE, T, TS);
  const vS = plan.voltage.scale, iS = plan.current.scale, cS = plan.capacity?.scale ?? 1, spS = plan.spec?.scale ?? 1;
  // A time column without a unit is read here only where it holds durations (D-HH:MM:SS): plain
  // numbers in it go the general way, which reads them as seconds and says so in a note.
  const unitless = (c?: { scale: number }) => c !== undefined && Number.isNaN(c.scale);
  const durOnly = (unitless(plan.time) ? 1 << 6 : 0) | (unitless(plan.stepTime) ? 1 << 7 : 0);
  const tS = plan.time?.scale ?? 1, tsS = plan.stepTime?.scale ?? 1;
  // Which slot each needed column fills: 0 V, 1 I, 2 capacity, 3 specific, 4 cycle, 5 step, 6 time, 7 step time; 8 state.
  const slotOf = new Int8Array(maxIdx + 1).fill(-1);
  [V, I, C, SP, CY, ST, T, TS].forEach((idx, k) => { if (idx >= 0) slotOf[idx] = k; });
  if (STATE >= 0) slotOf[STATE] = 8;
  const st = scanState(slotOf, delim, comma, durOnly);
  const val = st.val, isNull = st.isNull;
  const stateCache = new Map<number, { bytes: Uint8Array; kind: Kind | null }[]>();
  let lastState: Uint8Array | null = null, lastKind: Kind | null = null;
  const pool: CyclerRecord[] = Array.from({ length: BATCH }, () => ({ line: 0, timeS: null, stepTimeS: null, voltageV: 0, currentMA: 0, capacityMAh: null, specificCapacityMAhG: null, cycleIndex: null, stepIndex: null, stateKind: null }));
  let batch: CyclerRecord[] = [];
  let used = 0;
  let line = headerLine;
  let carry: Uint8Array | null = null;

  const kindOf = (b: Uint8Array): Kind | null => {
    const s = st.stS, len = st.stE - st.stS;
    if (lastState !== null && lastState.length === len && sameBytes(lastState, b, s)) return lastKind;
    let list = stateCache.get(st.stH);
    let hit: { bytes: Uint8Array; kind: Kind | null } | undefined;
    if (list) for (const x of list) if (x.bytes.length === len && sameBytes(x.bytes, b, s)) { hit = x; break; }
    if (!hit) {
      hit = { bytes: b.slice(s, st.stE), kind: stateKind(dec.decode(b.subarray(s, st.stE))) };
      if (!list) stateCache.set(st.stH, (list = []));
      list.push(hit);
    }
    lastState = hit.bytes; lastKind = hit.kind;
    return hit.kind;
  };

  const emit = (b: Uint8Array, ln: number): void => {
    sink.checkPending();
    const r = pool[used++]!;
    r.line = ln;
    r.voltageV = val[0]! * vS; r.currentMA = val[1]! * iS;
    r.capacityMAh = C < 0 || isNull[2] ? null : val[2]! * cS;
    r.specificCapacityMAhG = SP < 0 || isNull[3] ? null : val[3]! * spS;
    r.cycleIndex = CY < 0 || isNull[4] ? null : val[4]!;
    r.stepIndex = ST < 0 || isNull[5] ? null : val[5]!;
    // Null flag 2: a duration, already in seconds.
    const nT = isNull[6], nTS = isNull[7];
    r.timeS = T < 0 || nT === 1 ? null : nT === 2 ? val[6]! : val[6]! * tS;
    r.stepTimeS = TS < 0 || nTS === 1 ? null : nTS === 2 ? val[7]! : val[7]! * tsS;
    r.stateKind = STATE >= 0 ? kindOf(b) : null;
    batch.push(r);
    info.records++;
  };

  const slow = (b: Uint8Array, s: number, e: number, ln: number): void => {
    const rec = sink.row(splitCells(dec.decode(b.subarray(s, e)), delimStr), ln);
    if (rec) batch.push(rec);
  };

  /**
   * Lines of b[from, to) (to is just past a line end, or the buffer end when final), until the
   * batch is full. Returns where it stopped.
   */
  const lines = (b: Uint8Array, from: number, to: number): number => {
    let s = from;
    while (s < to) {
      const e = parseLine(b, s, to, st);
      line++;
      if (st.ok) emit(b, line);
      else {
        const end = e > s && b[e - 1] === 13 ? e - 1 : e;
        if (end - s > MAX_LINE_CHARS) throw lineTooLong(source, line);
        slow(b, s, e, line);
      }
      s = e + 1;
      if (used >= BATCH || batch.length >= BATCH) return s;
    }
    return to;
  };

  const flush = function* (): Generator<CyclerRecord[]> {
    if (batch.length) { const out = batch; batch = []; yield out; }
    used = 0;
  };

  /** All complete lines of a buffer (all lines when final), in batches. */
  const block = function* (b: Uint8Array, final: boolean): Generator<CyclerRecord[]> {
    if (final && b.length && b[b.length - 1] !== 10) {
      // The scanner's loops stop at line ends: give the file's last line one.
      const c = new Uint8Array(b.length + 1);
      c.set(b); c[b.length] = 10;
      b = c;
    }
    const to = final ? b.length : b.lastIndexOf(10) + 1;
    let s = 0;
    while (s < to) {
      s = lines(b, s, to);
      yield* flush();
    }
    carry = to < b.length ? b.slice(to) : null;
  };

  // Plain Uint8Array views: one element kind in the hot loop, and the built-in indexOf, not Buffer's.
  const view = (x: Uint8Array) => (x.constructor === Uint8Array ? x : new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
  let cur: Uint8Array = view(first);
  for (;;) {
    const next = it ? await it.next() : { done: true as const, value: undefined };
    const final = Boolean(next.done);
    let b = cur;
    if (carry) {
      // Finish the carried partial line with the head of this chunk, then go on in the chunk itself.
      const c: Uint8Array = carry;
      carry = null;
      const nl = b.indexOf(10);
      if (nl < 0 && !final) {
        if (c.length + b.length > MAX_LINE_CHARS) throw lineTooLong(source, line + 1);
        const joined = new Uint8Array(c.length + b.length);
        joined.set(c); joined.set(b, c.length);
        carry = joined;
        releaseChunk(cur);
        cur = view(next.value!);
        continue;
      }
      const cut = nl < 0 ? b.length : nl + 1;
      const joined = new Uint8Array(c.length + cut);
      joined.set(c); joined.set(b.subarray(0, cut), c.length);
      yield* block(joined, true);
      b = b.subarray(cut);
    }
    if (!final && b.length && b.indexOf(10) < 0) {
      if (b.length > MAX_LINE_CHARS) throw lineTooLong(source, line + 1);
      carry = b.slice();
    } else yield* block(b, final);
    // Nothing holds a view of this chunk now (carries and state bytes are copies): its reader may reuse it.
    releaseChunk(cur);
    if (final) break;
    cur = view(next.value!);
  }
  if (carry) { const c: Uint8Array = carry; carry = null; yield* block(c, true); }
  if (st.sawComma) info.decimalComma = true;
  sink.end();
  yield* flush();
}
