/**
 * LAND / LANHE record-layer parser for text exports (.csv comma, .txt tab), streaming.
 * Input: bytes plus a source name. Output: batches of canonical records; `info` is filled as the
 * file is read (encoding, delimiter, header line, columns, skipped lines, stated mass).
 */
import { DataError } from '../errors.js';
import type { ColumnInfo, CyclerRecord, SourceInfo } from '../types.js';
import { decodeStream } from './decode.js';
import { looksLikeHeader, matchColumns, parseDuration, stateKind } from './columns.js';
import { sniffDelimiter, textRows } from './rows.js';

export const HEADER_SEARCH_LINES = 200;
export const MAX_COLUMNS = 2000;
const BATCH = 2048;

export function newSourceInfo(source: string): SourceInfo {
  return { source, instrument: 'unknown', layout: 'unknown', columns: [], ignoredColumns: [], records: 0, skipped: [], skippedCount: 0, notes: [], warnings: [] };
}

export function noteSkip(info: SourceInfo, line: number, reason: string): void {
  info.skippedCount++;
  if (info.skipped.length < 20) info.skipped.push({ line, reason });
}

/** Cell → number. `''` and `-` are "no value" (null). Anything else non-numeric is an error. */
export function makeNumberReader(source: string, decimalComma: boolean) {
  return (cell: string | undefined, line: number, header: string): number | null => {
    if (cell === undefined) return null;
    let s = cell.trim();
    if (s === '' || s === '-' || s === '--') return null;
    if (decimalComma && s.includes(',')) s = s.replace(',', '.');
    const v = Number(s);
    if (Number.isNaN(v) || /^0[xob]/i.test(s)) {
      throw new DataError(`'${clip(cell)}' in column '${header}' is not a number; fix or remove the line`, { file: source, line });
    }
    if (!Number.isFinite(v)) {
      throw new DataError(`'${clip(cell)}' in column '${header}' is out of range (infinite); fix or remove the line`, { file: source, line });
    }
    return v;
  };
}

export function clip(s: string, n = 40): string {
  return s.length > n ? s.slice(0, n) + '…' : s;
}

/** The column plan built from a header row, shared by text and workbook readers. */
export interface Plan {
  voltage: ColumnInfo;
  current: ColumnInfo;
  time?: ColumnInfo;
  stepTime?: ColumnInfo;
  capacity?: ColumnInfo;
  spec?: ColumnInfo;
  cycle?: ColumnInfo;
  step?: ColumnInfo;
  state?: ColumnInfo;
  headerCells: string[];
  width: number;
}

export function planFromHeader(cells: string[], info: SourceInfo, source: string, line: number, where?: string): Plan {
  if (cells.length > MAX_COLUMNS) {
    throw new DataError(`the header has ${cells.length} columns (limit ${MAX_COLUMNS}); this is not a LAND record export`, { file: source, line, where });
  }
  const { columns, ignored, unitProblems } = matchColumns(cells);
  for (const p of unitProblems) {
    const isVital = /^(voltage|电压|current|电流|capacity|容量)/i.test(p.header);
    if (isVital) {
      throw new DataError(`unknown unit '${p.unit}' in column '${p.header}'; expected ${p.expected}`, { file: source, line, where });
    }
    info.notes.push(`column '${p.header}' ignored: unit '${p.unit}' not understood`);
  }
  const voltage = columns.get('voltageV');
  const current = columns.get('currentMA');
  if (!voltage || !current) {
    const missing = !voltage ? "voltage column ('Voltage/V' or '电压/V')" : "current column ('Current/mA', 'Current/uA' or '电流/mA')";
    throw new DataError(`no ${missing} in the header; found: ${cells.filter((c) => c.trim()).map((c) => clip(c, 20)).join(', ')}`, { file: source, line, where });
  }
  for (const c of ['currentMA', 'voltageV'] as const) {
    const col = columns.get(c)!;
    if (col.unit === '') info.notes.push(`column '${col.header}' has no unit: read as ${c === 'currentMA' ? 'mA' : 'V'} (guessed)`);
  }
  info.columns = [...columns.values()].sort((a, b) => a.index - b.index);
  info.ignoredColumns = ignored;
  info.headerWidth = cells.length;
  const blanks = cells.filter((c) => !c.trim()).length;
  if (blanks) info.notes.push(`${blanks} unnamed column${blanks > 1 ? 's' : ''} ignored`);
  const plan: Plan = {
    voltage, current,
    time: columns.get('timeS'), stepTime: columns.get('stepTimeS'),
    capacity: columns.get('capacityMAh'), spec: columns.get('specificCapacityMAhG'),
    cycle: columns.get('cycleIndex'), step: columns.get('stepIndex'), state: columns.get('state'),
    headerCells: cells, width: cells.length,
  };
  if (!plan.capacity) info.notes.push('no capacity column: capacities are integrated from current and time');
  if (!plan.state) info.notes.push('no state column: records are classified by the sign of the current');
  if (!plan.time && !plan.capacity) {
    throw new DataError('neither a capacity column nor a time column: capacity cannot be computed; export with Capacity/mAh or TestTime', { file: source, line, where });
  }
  return plan;
}

/** True when a row repeats the header (some exports repeat it per step or per sheet). */
export function isHeaderRepeat(cells: string[], plan: Plan): boolean {
  return (cells[plan.voltage.index] ?? '').trim() === plan.voltage.header && (cells[plan.current.index] ?? '').trim() === plan.current.header;
}

/**
 * Convert one row with a plan. `num` reads numbers; `timeCell` turns a time cell into seconds.
 * Returns null when the row has too few cells (the caller decides whether that is fatal).
 */
export function recordFromCells(
  cells: string[], line: number, plan: Plan,
  num: (c: string | undefined, line: number, header: string) => number | null,
  timeOf: (c: string | undefined, col: ColumnInfo, line: number) => number | null,
  source: string, where?: string,
): CyclerRecord | null {
  const need = Math.max(plan.voltage.index, plan.current.index, plan.capacity?.index ?? 0);
  if (cells.length <= need) return null;
  const v = num(cells[plan.voltage.index], line, plan.voltage.header);
  const i = num(cells[plan.current.index], line, plan.current.header);
  if (v === null || i === null) {
    throw new DataError(`no ${v === null ? 'voltage' : 'current'} value; fix or remove the line`, { file: source, line, where });
  }
  const cap = plan.capacity ? num(cells[plan.capacity.index], line, plan.capacity.header) : null;
  const spec = plan.spec ? num(cells[plan.spec.index], line, plan.spec.header) : null;
  const cyc = plan.cycle ? num(cells[plan.cycle.index], line, plan.cycle.header) : null;
  const stp = plan.step ? num(cells[plan.step.index], line, plan.step.header) : null;
  return {
    line,
    timeS: plan.time ? timeOf(cells[plan.time.index], plan.time, line) : null,
    stepTimeS: plan.stepTime ? timeOf(cells[plan.stepTime.index], plan.stepTime, line) : null,
    voltageV: v * plan.voltage.scale,
    currentMA: i * plan.current.scale,
    capacityMAh: cap === null ? null : cap * plan.capacity!.scale,
    specificCapacityMAhG: spec === null ? null : spec * plan.spec!.scale,
    cycleIndex: cyc,
    stepIndex: stp,
    stateKind: plan.state ? stateKind(cells[plan.state.index] ?? '') : null,
  };
}

/** Time cell in a text file: a number in the header's unit, or duration text. */
export function makeTextTimeReader(source: string, decimalComma: boolean, info: SourceInfo) {
  const num = makeNumberReader(source, decimalComma);
  let notedUnitless = false;
  return (cell: string | undefined, col: ColumnInfo, line: number): number | null => {
    if (cell === undefined) return null;
    const s = cell.trim();
    if (s === '' || s === '-') return null;
    if (s.includes(':')) {
      const d = parseDuration(s);
      if (d === null) throw new DataError(`'${clip(s)}' in column '${col.header}' is not a time (expected seconds or D-HH:MM:SS)`, { file: source, line });
      return d;
    }
    const v = num(s, line, col.header)!;
    if (Number.isNaN(col.scale)) {
      if (!notedUnitless) { info.notes.push(`column '${col.header}' has no unit: plain numbers read as seconds (guessed)`); notedUnitless = true; }
      return v;
    }
    return v * col.scale;
  };
}

/**
 * Parse a LAND text export. Yields batches of records; throws DataError with file and line.
 */
export async function* parseLandText(chunks: AsyncIterable<Uint8Array>, source: string, info: SourceInfo = newSourceInfo(source)): AsyncGenerator<CyclerRecord[]> {
  info.instrument = 'LAND';
  info.layout = 'record table (text)';
  const decoded = await decodeStream(chunks, source);
  info.encoding = decoded.encoding;
  // Peek the first text chunk to choose the delimiter, then put it back in front.
  const first = await decoded.text.next();
  if (first.done || !first.value.trim()) throw new DataError('the file is empty; export the record table from LANDdt (Record-Tab) as .csv, .txt or .xlsx', { file: source, line: 1 });
  const delimiter = sniffDelimiter(first.value.slice(0, 65536));
  const decimalComma = delimiter !== ',';
  info.delimiter = delimiter === '\t' ? 'tab' : delimiter;
  info.decimalComma = false;
  async function* all(): AsyncGenerator<string> { yield first.value as string; yield* decoded.text; }
  const baseNum = makeNumberReader(source, decimalComma);
  const num = (c: string | undefined, line: number, h: string): number | null => {
    if (decimalComma && c !== undefined && c.includes(',')) info.decimalComma = true;
    return baseNum(c, line, h);
  };
  const timeOf = makeTextTimeReader(source, decimalComma, info);
  let plan: Plan | null = null;
  let batch: CyclerRecord[] = [];
  let pendingShort: number | null = null;
  let firstRows: string[] = [];
  for await (const { line, cells } of textRows(all(), delimiter)) {
    if (!plan) {
      if (cells.length > MAX_COLUMNS) throw new DataError(`line has ${cells.length} columns (limit ${MAX_COLUMNS}); this is not a LAND record export`, { file: source, line });
      if (looksLikeHeader(cells)) {
        plan = planFromHeader(cells, info, source, line);
        info.headerLine = line;
        if (line > 1) info.notes.push(`${line - 1} line${line > 2 ? 's' : ''} before the header skipped`);
        continue;
      }
      if (firstRows.length < 2 && cells.join('').trim()) firstRows.push(cells.join(delimiter).trim());
      if (line >= HEADER_SEARCH_LINES) break;
      continue;
    }
    if (cells.length === 1 && cells[0]!.trim() === '') continue;
    if (pendingShort !== null) {
      throw new DataError(`line has too few fields (a truncated or broken line); fix or remove it`, { file: source, line: pendingShort });
    }
    if (isHeaderRepeat(cells, plan)) { noteSkip(info, line, 'repeated header'); continue; }
    if (cells.length > MAX_COLUMNS) throw new DataError(`line has ${cells.length} columns (limit ${MAX_COLUMNS})`, { file: source, line });
    const rec = recordFromCells(cells, line, plan, num, timeOf, source);
    if (!rec) { pendingShort = line; continue; }
    batch.push(rec);
    info.records++;
    if (batch.length >= BATCH) { yield batch; batch = []; }
  }
  if (!plan) {
    const seen = firstRows.length ? ` (it starts with '${clip(firstRows[0]!, 60)}')` : '';
    throw new DataError(`not a LAND record export: no header row naming a voltage and a current column in the first ${HEADER_SEARCH_LINES} lines${seen}`, { file: source, line: 1 });
  }
  if (pendingShort !== null) {
    noteSkip(info, pendingShort, 'truncated last line');
    info.warnings.push(`line ${pendingShort} is truncated (file still being written?): skipped`);
  }
  if (batch.length) yield batch;
  if (info.records === 0) throw new DataError('the header is there but no records follow it', { file: source, line: info.headerLine });
}
