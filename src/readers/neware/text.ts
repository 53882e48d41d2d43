/**
 * BTSDA CSV exports (BTS 7 and 8), streaming. Two layouts:
 * - flat "record layer": one header line, one record per line (`DataPoint, Cycle Index, Step Index,
 *   Step Type, Time, Total Time, Current(µA), Voltage(mV), Capacity(mAs), …`);
 * - hierarchical (BTS 8 default): three header lines (cycle, step, record), then cycle rows (no
 *   leading empty cell), step rows (one) and record rows (two) interleaved. The cycle rows are the
 *   cycler's own per-cycle summary (`SourceInfo.vendorCycles`); a record takes its cycle from the
 *   last cycle row and its step index / step type from the last step row.
 * Encodings: UTF-8 (BOM or not), UTF-16 with BOM, GB18030 (Chinese headers) or Windows-1252
 * (`µ` as byte B5) when the bytes are not UTF-8.
 */
import { DataError } from '../../errors.js';
import { lineTooLong, MAX_LINE_CHARS, takeHead } from '../shared/decode.js';
import type { CyclerRecord, SourceInfo, VendorCycle } from '../../types.js';
import { CYCLE_FIELDS, RECORD_FIELDS, isNewareCycleHeader, isNewareRecordHeader, sniffNewareEncoding } from './sniff.js';
import { auxKey, matchRecordColumns, newareKind, parseNwDuration, splitHeader, type NwColumn, type NwField } from './columns.js';

export { isNewareCycleHeader, isNewareRecordHeader, sniffNewareEncoding };

const BATCH = 2048;
const SNIFF_BYTES = 1 << 16;


const STEP_FIELDS: NwField[] = ['stepIndex', 'stepNumber', 'stepType'];



/** Lines of a byte stream (without their line end), numbered from 1, decoded. */
async function* decodedLines(chunks: AsyncIterable<Uint8Array>, source: string, onEncoding: (e: string) => void): AsyncGenerator<{ line: number; text: string }> {
  const it = chunks[Symbol.asyncIterator]();
  const { head, done } = await takeHead(it, SNIFF_BYTES);
  const { encoding, bomLength } = sniffNewareEncoding(head);
  onEncoding(bomLength ? `${encoding} (BOM)` : encoding);
  if (head.subarray(0, 4096).includes(0) && !encoding.startsWith('utf-16')) {
    throw new DataError('this is a binary file, not a BTSDA text export (it contains NUL bytes)', { file: source, line: 1 });
  }
  const dec = new TextDecoder(encoding);
  let rest = '';
  let line = 0;
  function* split(s: string, final: boolean): Generator<{ line: number; text: string }> {
    const buf = rest + s;
    let from = 0;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n', from)) {
      line++;
      if (nl - from > MAX_LINE_CHARS) throw lineTooLong(source, line);
      const t = buf.charCodeAt(nl - 1) === 13 ? buf.slice(from, nl - 1) : buf.slice(from, nl);
      yield { line, text: t };
      from = nl + 1;
    }
    rest = buf.slice(from);
    if (rest.length > MAX_LINE_CHARS) throw lineTooLong(source, line + 1);
    if (final && rest.length) { line++; yield { line, text: rest.endsWith('\r') ? rest.slice(0, -1) : rest }; rest = ''; }
  }
  yield* split(dec.decode(head.subarray(bomLength), { stream: !done }), false);
  if (!done) {
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      yield* split(dec.decode(r.value, { stream: true }), false);
    }
  }
  yield* split(dec.decode(), true);
}

/** Leading empty cells. */
function indent(cells: string[]): number {
  let i = 0;
  while (i < cells.length && cells[i]!.trim() === '') i++;
  return i;
}



export interface Ctx { cycle: number | null; stepIndex: number | null; stepType: string | null }

export async function* readBtsdaText(chunks: AsyncIterable<Uint8Array>, source: string, info: SourceInfo): AsyncGenerator<CyclerRecord[]> {
  const lines = decodedLines(chunks, source, (e) => { info.encoding = e; });
  const header: { line: number; cells: string[] }[] = [];
  // The header: 1 line (flat) or 3 (hierarchical); blank lines before it are skipped.
  for (;;) {
    const n = await lines.next();
    if (n.done) break;
    const l = n.value;
    if (!l.text.trim() && header.length === 0) continue;
    header.push({ line: l.line, cells: l.text.split(',') });
    if (header.length === 1 && isNewareRecordHeader(header[0]!.cells)) break;
    if (header.length === 3) break;
    if (l.line > 20) break;
  }
  const h0 = header[0];
  if (!h0) throw new DataError('the file is empty; export the test from BTSDA as .csv', { file: source, line: 1 });
  let recHeader: { line: number; cells: string[] };
  let cycleCols: Partial<Record<NwField, NwColumn>> | null = null;
  let cycleWidth = 0;
  let stepCols: Partial<Record<NwField, NwColumn>> | null = null;
  if (isNewareRecordHeader(h0.cells)) {
    recHeader = h0;
    info.layout = 'BTSDA CSV (record layer)';
  } else if (isNewareCycleHeader(h0.cells) && header.length === 3 && indent(header[1]!.cells) === 1 && indent(header[2]!.cells) === 2 && isNewareRecordHeader(header[2]!.cells)) {
    recHeader = header[2]!;
    cycleCols = matchRecordColumns(h0.cells, CYCLE_FIELDS).cols;
    cycleWidth = h0.cells.length;
    stepCols = matchRecordColumns(header[1]!.cells, STEP_FIELDS).cols;
    info.layout = 'BTSDA CSV (cycle, step and record layers)';
  } else {
    throw new DataError(`line ${h0.line} is not a Neware BTSDA header (expected columns such as DataPoint, Step Type, Current(A), Voltage(V), or the three header lines of a cycle/step/record export)`, { file: source, line: h0.line });
  }
  const plan = planRecords(recHeader.cells, recHeader.line, source, info);
  const vendor: VendorCycle[] = [];
  const ctx: Ctx = { cycle: null, stepIndex: null, stepType: null };
  const num = plan.num;
  const readCycle = (cells: string[], line: number): void => {
    const c = cycleCols!;
    const cyc = num(cells, c.cycle, line);
    if (cyc === null) throw new DataError('a cycle row without a cycle number', { file: source, line });
    ctx.cycle = cyc;
    const ch = num(cells, c.cycChgCap, line), dc = num(cells, c.cycDchgCap, line);
    vendor.push({ cycle: cyc, capCMAh: ch, capDMAh: dc, speCapCMAhG: null, speCapDMAhG: null, efficiencyPct: num(cells, c.cycEff, line) });
  };
  const readStep = (cells: string[], line: number): void => {
    const c = stepCols!;
    ctx.stepIndex = num(cells, c.stepIndex, line);
    ctx.stepType = c.stepType ? (cells[c.stepType.index] ?? '').trim() : null;
  };
  let batch: CyclerRecord[] = [];
  let records = 0;
  for (;;) {
    const n = await lines.next();
    if (n.done) break;
    const { line, text } = n.value;
    if (!text.trim()) continue;
    const cells = text.split(',');
    if (cycleCols) {
      const ind = indent(cells);
      if (ind === 0) {
        readCycle(cells, line);
        // BTS 8 sometimes writes the first step row on the cycle row's line (no line break).
        if (cells.length > cycleWidth && cells.slice(cycleWidth).some((c) => c.trim())) readStep(['', ...cells.slice(cycleWidth)], line);
        continue;
      }
      if (ind === 1) { readStep(cells, line); continue; }
      if (ind !== 2) throw new DataError(`a row with ${ind} leading empty cells: neither a cycle (0), a step (1) nor a record row (2)`, { file: source, line });
    }
    const rec = plan.record(cells, line, ctx);
    batch.push(rec);
    records++;
    if (batch.length >= BATCH) { info.records = records; yield batch; batch = []; }
  }
  info.records = records;
  if (batch.length) yield batch;
  if (records === 0) throw new DataError('the export has a header but no records', { file: source, line: recHeader.line });
  plan.finish();
  if (vendor.length) {
    info.vendorCycles = vendor;
    info.notes.push(`the cycle rows: the cycler's own summary of ${vendor.length} cycles (used for the cross-check)`);
  }
}

export interface RecordPlan {
  cols: Partial<Record<NwField, NwColumn>>;
  num: (cells: string[], c: NwColumn | undefined, line: number) => number | null;
  /** One record from the cells of a record row; `ctx` gives cycle and step where the row has none. */
  record: (cells: string[], line: number, ctx: Ctx) => CyclerRecord;
  /** Notes that need the whole file. */
  finish: () => void;
}

/** Column plan of a record header, and the row → record conversion (shared by CSV and .xls). */
export function planRecords(headerCells: string[], headerLine: number, source: string, info: SourceInfo, where?: string): RecordPlan {
  const { cols, unknownUnits } = matchRecordColumns(headerCells, RECORD_FIELDS);
  if (unknownUnits.length) throw new DataError(`unknown unit in column${unknownUnits.length > 1 ? 's' : ''} ${unknownUnits.map((u) => `'${u}'`).join(', ')} (expected A, mA or µA; V or mV; Ah, mAh, µAh, As, mAs or µAs; seconds or h:min:s.ms)`, { file: source, line: headerLine, where });
  if (!cols.voltage || !cols.current) throw new DataError('the record header has no voltage or no current column', { file: source, line: headerLine, where });
  const vCol = cols.voltage, iCol = cols.current;
  info.headerLine = headerLine;
  info.headerWidth = headerCells.length;
  const used = new Set<number>();
  for (const c of Object.values(cols)) {
    used.add(c.index);
    info.columns.push({ header: c.header, index: c.index, canonical: c.field, unit: c.unit, scale: c.scale });
  }
  const aux: { key: string; index: number; scale: number }[] = [];
  headerCells.forEach((cell, index) => {
    if (used.has(index)) return;
    const a = auxKey(cell);
    if (a && !aux.some((x) => x.key === a.key)) { aux.push({ ...a, index }); used.add(index); }
  });
  if (aux.length) info.extraColumns = aux.map((a) => a.key);
  info.ignoredColumns = headerCells.map((c, i) => (used.has(i) ? '' : c.trim())).filter((c) => c);
  if (!cols.capacity && (cols.chgCap || cols.dchgCap)) info.notes.push('capacity taken as charge + discharge capacity (the file has no Capacity column)');
  let flipped = 0;
  const num = (cells: string[], c: NwColumn | undefined, line: number): number | null => {
    if (!c) return null;
    const t = cells[c.index]?.trim() ?? '';
    if (t === '' || t === '-') return null;
    const v = Number(t);
    if (!Number.isFinite(v)) throw new DataError(`'${t.slice(0, 40)}' in column '${c.header}' is not a number`, { file: source, line, where });
    return v * c.scale;
  };
  const time = (cells: string[], c: NwColumn | undefined, line: number): number | null => {
    if (!c) return null;
    const t = cells[c.index]?.trim() ?? '';
    if (t === '') return null;
    if (t.includes(':')) {
      const d = parseNwDuration(t);
      if (d === null) throw new DataError(`'${t.slice(0, 40)}' in column '${c.header}' is not a time (expected h:min:s.ms or seconds)`, { file: source, line, where });
      return d;
    }
    const v = Number(t);
    if (!Number.isFinite(v)) throw new DataError(`'${t.slice(0, 40)}' in column '${c.header}' is not a time (expected h:min:s.ms or seconds)`, { file: source, line, where });
    return v * c.scale;
  };
  const stepCol = cols.stepIndex ?? cols.stepNumber;
  // Without a total-time column, the test time comes from the date column (seconds since the first record).
  const dateCol = cols.totalTime ? undefined : cols.date;
  let t0: number | null = null;
  if (dateCol) info.notes.push(`test time from '${dateCol.header}' (time since the first record, at the column's resolution)`);
  const dateTime = (cells: string[], line: number): number | null => {
    const t = cells[dateCol!.index]?.trim() ?? '';
    if (t === '') return null;
    const ms = parseDateMs(t);
    if (ms === null) throw new DataError(`'${t.slice(0, 40)}' in column '${dateCol!.header}' is not a date (expected YYYY-MM-DD hh:mm:ss or an Excel date)`, { file: source, line, where });
    t0 ??= ms;
    return Math.round(ms - t0) / 1000;
  };
  const record = (cells: string[], line: number, ctx: Ctx): CyclerRecord => {
    const voltage = num(cells, vCol, line);
    let current = num(cells, iCol, line);
    if (voltage === null || current === null) {
      // BTSDA never writes a record without V or I: the export is cut or damaged.
      throw new DataError(`this record has no ${voltage === null ? 'voltage' : 'current'} value (column '${voltage === null ? vCol.header : iCol.header}'); the export is damaged or cut`, { file: source, line, where });
    }
    const typeText = cols.stepType ? (cells[cols.stepType.index] ?? '').trim() : ctx.stepType;
    const kind = typeText ? newareKind(typeText) : null;
    if (kind === 'D' && current > 0) { current = -current; flipped++; }
    let cap = num(cells, cols.capacity, line);
    if (cap === null && (cols.chgCap || cols.dchgCap)) {
      const a = num(cells, cols.chgCap, line), b = num(cells, cols.dchgCap, line);
      cap = a === null && b === null ? null : Math.abs(a ?? 0) + Math.abs(b ?? 0);
    }
    const rec: CyclerRecord = {
      line,
      timeS: dateCol ? dateTime(cells, line) : time(cells, cols.totalTime, line),
      stepTimeS: time(cells, cols.stepTime, line),
      voltageV: voltage,
      currentMA: current,
      capacityMAh: cap === null ? null : Math.abs(cap),
      specificCapacityMAhG: num(cells, cols.specCap, line),
      cycleIndex: cols.cycle ? num(cells, cols.cycle, line) : ctx.cycle,
      stepIndex: stepCol ? num(cells, stepCol, line) : ctx.stepIndex,
      stateKind: kind,
    };
    if (aux.length) {
      const e: Record<string, number | null> = {};
      for (const a of aux) {
        const t = cells[a.index]?.trim() ?? '';
        const v = Number(t);
        e[a.key] = t === '' || !Number.isFinite(v) ? null : v * a.scale;
      }
      rec.extra = e;
    }
    return rec;
  };
  const finish = (): void => {
    if (flipped) info.notes.push(`${flipped} discharge records had a positive current: made negative (discharge is negative here)`);
  };
  return { cols, num, record, finish };
}

/** A date cell → ms (zone-less, read as UTC: only differences are used). Excel serial days or text. */
export function parseDateMs(t: string): number | null {
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 86400000;
  let m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)Z?$/.exec(t);
  if (m) return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!) + +m[6]! * 1000;
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(t);
  if (m) return Date.UTC(+m[3]!, +m[1]! - 1, +m[2]!, +m[4]!, +m[5]!) + +m[6]! * 1000;
  return null;
}
