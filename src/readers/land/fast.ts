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
 * On a long file (fastPath.threadAfterBytes) the line scanner (scanline.ts) also runs on a worker
 * thread (scan-worker.ts) over shared copies of the chunks; records are still built here, in order.
 * Chunks from `readFileChunks` are handed back to it once scanned or copied.
 *
 * Records of a batch are reused for the next batch: consumers must copy what they keep.
 */
import { DataError } from '../../errors.js';
import type { CyclerRecord, Kind, SourceInfo } from '../../types.js';
import { stateKind } from './columns.js';
import { MAX_LINE_CHARS, lineTooLong, sniffEncoding, takeHead } from '../shared/decode.js';
import { HeaderFinder, RowSink, newSourceInfo, numberReaders, parseLandTextGeneral, type Plan } from './land.js';
import { sniffDelimiter, splitCells } from './rows.js';
import { READ_CHUNK_BYTES, concatBytes, prepend, releaseChunk } from '../../io.js';
import { parseLine, scanInto, scanState, slotViews, SLOT_BYTES_PER_LINE, type ScanState, type SlotViews } from './scanline.js';
import type { ScanDone, ScanInit, ScanJob } from './scan-worker.js';
import { Worker } from 'node:worker_threads';

export { parseLine, scanState, type ScanState } from './scanline.js';

const HEAD_BYTES = 1 << 16;
/** How far the header search reads on through a mixed export's cycle and step tables. */
const PROBE_MAX_BYTES = 32 << 20;
const BATCH = 4096;

/**
 * Options. `threadAfterBytes`: after this many bytes of one file, a worker thread scans the rest
 * while this thread builds and reduces the records (the CLI sets it when there are two cores; the
 * library default is never). Output is the same either way (tests run both). `scanWorker`: the
 * worker's module (tests give a broken one: the jobs are then scanned on this thread).
 */
export const fastPath = { enabled: true, threadAfterBytes: Infinity, scanWorker: new URL('./scan-worker.js', import.meta.url) };

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

  /** A record from the values at V[o…o+7] and null flags at N[o…] (the scanner's, or a worker's slot). */
  const emit = (b: Uint8Array, ln: number, V: Float64Array, N: Uint8Array, o: number): void => {
    sink.checkPending();
    const r = pool[used++]!;
    r.line = ln;
    r.voltageV = V[o]! * vS; r.currentMA = V[o + 1]! * iS;
    r.capacityMAh = C < 0 || N[o + 2] ? null : V[o + 2]! * cS;
    r.specificCapacityMAhG = SP < 0 || N[o + 3] ? null : V[o + 3]! * spS;
    r.cycleIndex = CY < 0 || N[o + 4] ? null : V[o + 4]!;
    r.stepIndex = ST < 0 || N[o + 5] ? null : V[o + 5]!;
    // Null flag 2: a duration, already in seconds.
    const nT = N[o + 6], nTS = N[o + 7];
    r.timeS = T < 0 || nT === 1 ? null : nT === 2 ? V[o + 6]! : V[o + 6]! * tS;
    r.stepTimeS = TS < 0 || nTS === 1 ? null : nTS === 2 ? V[o + 7]! : V[o + 7]! * tsS;
    r.stateKind = STATE >= 0 ? kindOf(b) : null;
    batch.push(r);
    info.records++;
  };

  /** A line of b[s, e) (e its LF) the scanner did not fully understand: the general row logic. */
  const slow = (b: Uint8Array, s: number, e: number, ln: number): void => {
    const end = e > s && b[e - 1] === 13 ? e - 1 : e;
    if (end - s > MAX_LINE_CHARS) throw lineTooLong(source, ln);
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
      if (st.ok) emit(b, line, val, isNull, 0);
      else slow(b, s, e, line);
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

  // A long file is scanned by a worker thread (see fastPath.threadAfterBytes): all its lines go,
  // in order, through shared job buffers; this thread turns the results into records, in order,
  // and takes the lines the scanner did not understand the general way, exactly as below.
  let thr: Threads | null = null;
  const jobs: SharedArrayBuffer[] = [];
  const takeJob = (need: number): Uint8Array => {
    const k = jobs.findIndex((j) => j.byteLength >= need);
    return new Uint8Array(k >= 0 ? jobs.splice(k, 1)[0]! : new SharedArrayBuffer(Math.max(need, JOB_BYTES)));
  };
  const giveJob = (j: Uint8Array): void => { if (jobs.length < 4) jobs.push(j.buffer as SharedArrayBuffer); };

  const processOldest = async function* (t: Threads): AsyncGenerator<CyclerRecord[]> {
    const p = t.pending.shift()!;
    let r: ScanDone;
    try {
      r = await p.done;
    } catch {
      // The worker failed (it should not): this job is scanned here, and so are all later ones
      // (queued() is infinite from now on).
      r = { ...scanInto(p.job, 0, p.to, st, p.slot.views, SLOT_LINES), sawComma: st.sawComma };
    }
    if (r.sawComma) st.sawComma = true;
    const v = p.slot.views, b = p.job;
    let s = 0;
    for (let k = 0; k < r.n; k++) {
      const e = v.ends[k]!;
      line++;
      if (v.ok[k]) {
        st.stS = v.st[3 * k]!; st.stE = v.st[3 * k + 1]!; st.stH = v.st[3 * k + 2]!;
        emit(b, line, v.val, v.isNull, 8 * k);
      } else slow(b, s, e, line);
      s = e + 1;
      if (used >= BATCH || batch.length >= BATCH) yield* flush();
    }
    // More lines than a slot holds (a file of very short lines): the rest here.
    while (s < p.to) { s = lines(b, s, p.to); yield* flush(); }
    t.freeSlots.push(p.slot);
    giveJob(b);
  };

  const drain = async function* (t: Threads, keep: number): AsyncGenerator<CyclerRecord[]> {
    while (t.pending.length > keep) yield* processOldest(t);
  };

  /** One chunk the threaded way: the carry and the chunk's complete lines become one job. */
  const threaded = async function* (t: Threads, c: Uint8Array, final: boolean): AsyncGenerator<CyclerRecord[]> {
    const cut = final ? c.length : c.lastIndexOf(10) + 1;
    const head = carry ? carry.length : 0;
    if (cut === 0 && !final) {
      if (head + c.length > MAX_LINE_CHARS) { yield* drain(t, 0); throw lineTooLong(source, line + 1); }
      const joined = new Uint8Array(head + c.length);
      if (carry) joined.set(carry);
      joined.set(c, head);
      carry = joined;
      releaseChunk(c);
      return;
    }
    const job = takeJob(head + cut + 1);
    if (carry) job.set(carry);
    job.set(c.subarray(0, cut), head);
    let to = head + cut;
    carry = !final && cut < c.length ? c.slice(cut) : null;
    releaseChunk(c);
    // The scanner's loops stop at line ends: give the file's last line one.
    if (final && to > 0 && job[to - 1] !== 10) job[to++] = 10;
    // While the worker has enough queued, this thread scans the job itself (it would wait otherwise).
    if (to > 0) t.submit(job, to, t.queued() >= PIPELINE_DEPTH); else giveJob(job);
    yield* drain(t, final ? 0 : PIPELINE_DEPTH);
  };

  let cur: Uint8Array = view(first);
  let seen = 0;
  try {
    for (;;) {
      const next = it ? await it.next() : { done: true as const, value: undefined };
      const final = Boolean(next.done);
      seen += cur.length;
      if (!thr && !final && seen > fastPath.threadAfterBytes) thr = startThreads(st);
      if (thr) {
        yield* threaded(thr, cur, final);
        if (final) break;
        cur = view(next.value!);
        continue;
      }
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
  } finally {
    if (thr) await thr.stop();
  }
  if (st.sawComma) info.decimalComma = true;
  sink.end();
  yield* flush();
}

/** Bytes of a job buffer: a read chunk and room for a carried partial line. */
const JOB_BYTES = READ_CHUNK_BYTES + (64 << 10);
/** Lines per result slot (89 bytes each). */
const SLOT_LINES = 16384;
/** Jobs queued at the worker while this thread turns results into records. */
const PIPELINE_DEPTH = 2;

interface Slot { sab: SharedArrayBuffer; views: SlotViews }
interface Pending { job: Uint8Array; to: number; slot: Slot; done: Promise<ScanDone> }
interface Threads {
  pending: Pending[];
  freeSlots: Slot[];
  /** Jobs sent to the worker and not yet answered; infinite before it has started and after it failed. */
  queued(): number;
  /** Queue a job: to the worker, or scanned at once on this thread (`here`). */
  submit(job: Uint8Array, to: number, here: boolean): void;
  stop(): Promise<void>;
}

/** Start the scanner worker for the columns of `st`. */
function startThreads(st: ScanState): Threads {
  const worker = new Worker(fastPath.scanWorker, { resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 } });
  const waiters: { resolve: (d: ScanDone) => void; reject: (e: unknown) => void }[] = [];
  let failure: unknown = null;
  const fail = (e: unknown) => { failure ??= e; for (const w of waiters.splice(0)) w.reject(failure); };
  // Until the worker has started (~0.1 s: its own isolate and module), this thread scans every job.
  let ready = false;
  worker.on('message', (d: ScanDone | { ready: true }) => { if ('ready' in d) ready = true; else waiters.shift()?.resolve(d); });
  worker.on('error', fail);
  worker.on('exit', () => fail(new Error('the scanner thread stopped unexpectedly')));
  worker.postMessage({ init: { prog: st.prog, durOnly: st.durOnly, delim: st.delim, comma: st.comma } satisfies ScanInit });
  const newSlot = (): Slot => {
    const sab = new SharedArrayBuffer(SLOT_BYTES_PER_LINE * SLOT_LINES);
    return { sab, views: slotViews(sab, SLOT_LINES) };
  };
  const t: Threads = {
    pending: [],
    freeSlots: [],
    queued: () => (ready && !failure ? waiters.length : Infinity),
    submit(job, to, here) {
      const slot = t.freeSlots.pop() ?? newSlot();
      if (here) {
        // With the caller's scanner state: its values are set again from the slot for each record.
        const { n, next } = scanInto(job, 0, to, st, slot.views, SLOT_LINES);
        t.pending.push({ job, to, slot, done: Promise.resolve({ n, next, sawComma: st.sawComma }) });
        return;
      }
      const done = new Promise<ScanDone>((resolve, reject) => waiters.push({ resolve, reject }));
      done.catch(() => undefined);
      worker.postMessage({ buf: job.buffer as SharedArrayBuffer, from: 0, to, slot: slot.sab, max: SLOT_LINES } satisfies ScanJob);
      t.pending.push({ job, to, slot, done });
    },
    async stop() {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
  return t;
}
