/**
 * LAND / LANHE record-layer parser for text exports (.csv comma, .txt tab), streaming.
 * Input: bytes plus a source name. Output: batches of canonical records; `info` is filled as the
 * file is read (encoding, delimiter, header line, columns, skipped lines, stated mass).
 */
import { DataError } from '../../errors.js';
import type { ColumnInfo, CyclerRecord, SourceInfo, VendorCycle } from '../../types.js';
import { cycleColumns, vendorCycle, type CycleColumns } from './cyclelayer.js';
import { decodeStream } from '../shared/decode.js';
import { looksLikeHeader, matchColumns, matchHeader, parseDuration, stateKind } from './columns.js';
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
      throw new DataError(`'${clip(cell)}' in column '${header}' is not a number; correct that cell, or export the file again from the cycler software`, { file: source, line });
    }
    if (!Number.isFinite(v)) {
      throw new DataError(`'${clip(cell)}' in column '${header}' is out of range (infinite); correct that cell, or export the file again from the cycler software`, { file: source, line });
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
  /**
   * A header repeated side by side (user-arranged blocks, e.g. a charge block and a discharge
   * block): one plan per block, each with absolute column indices, the first being this plan.
   */
  blocks?: Plan[];
  /** The block's columns [start, end) when this plan is one of `blocks`. */
  span?: [number, number];
}

/** Column letters as a spreadsheet shows them (0 → A, 26 → AA). */
export function colLetters(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function fieldOf(cell: string): string | null {
  const t = cell.trim();
  if (!t) return null;
  // The unit is not needed to know the field (an unknown unit is reported by the plan).
  return matchHeader(t, 0)?.info?.canonical ?? matchHeader(t.replace(/\s*[/(].*$/, ''), 0)?.info?.canonical ?? null;
}

/**
 * The blocks of a header row that repeats a record header side by side: [start, end) column
 * ranges, each holding a voltage and a current column, or null for an ordinary single table. A
 * block starts after an empty column or where a column name repeats one of the block before;
 * pieces without both a voltage and a current column (e.g. `Cycle-Index, Step-State` after
 * LANDdt's blank column) belong to the block before them.
 */
export function headerBlocks(cells: string[]): [number, number][] | null {
  const fields = cells.map(fieldOf);
  const pieces: [number, number][] = [];
  let start = -1;
  let seen = new Set<string>();
  for (let i = 0; i <= cells.length; i++) {
    const empty = i === cells.length || !(cells[i] ?? '').trim();
    const f = i < cells.length ? fields[i] : null;
    if (start >= 0 && (empty || (f !== null && seen.has(f)))) { pieces.push([start, i]); start = -1; seen = new Set(); }
    if (!empty && start < 0) start = i;
    if (f !== null) seen.add(f);
  }
  const full = (p: [number, number]) => {
    const fs = new Set(fields.slice(p[0], p[1]));
    return fs.has('voltageV') && fs.has('currentMA');
  };
  const blocks: [number, number][] = [];
  let lead: number | null = null;
  for (const p of pieces) {
    if (full(p)) blocks.push([lead ?? p[0], p[1]]), lead = null;
    else if (blocks.length) blocks[blocks.length - 1]![1] = p[1];
    else lead ??= p[0];
  }
  return blocks.length >= 2 ? blocks : null;
}

function spanText(b: [number, number]): string {
  return `${colLetters(b[0])}–${colLetters(b[1] - 1)}`;
}

function listText(parts: string[]): string {
  return parts.length <= 2 ? parts.join(' and ') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** What a side-by-side refusal or note calls the blocks: "2 record tables side by side (columns A–E and G–K, …)". */
function blocksText(blocks: [number, number][], where?: string): string {
  return `${where ? 'the sheet' : 'the file'} holds ${blocks.length} record tables side by side (columns ${listText(blocks.map(spanText))}, the same header repeated)`;
}

export function planFromHeader(cells: string[], info: SourceInfo, source: string, line: number, where?: string): Plan {
  if (cells.length > MAX_COLUMNS) {
    throw new DataError(`the header has ${cells.length} columns (limit ${MAX_COLUMNS}); this is not a LAND record export`, { file: source, line, where });
  }
  const blocks = headerBlocks(cells);
  if (!blocks) return planOne(cells, info, source, line, where);
  const plans = blocks.map((b, k) => {
    const masked = cells.map((c, i) => (i >= b[0] && i < b[1] ? c : ''));
    const p = planOne(masked, k === 0 ? info : newSourceInfo(source), source, line, where, true);
    p.span = b;
    return p;
  });
  const untimed = plans.findIndex((p) => !p.time);
  if (untimed >= 0) {
    throw new DataError(`${blocksText(blocks, where)}; such blocks are read as one run, one block after another in time order, only when every block is a complete record table with a time column (TestTime), and block ${untimed + 1} (columns ${spanText(blocks[untimed]!)}) has none: put the blocks one under the other in time order, or export the record table from the cycler software as it was written`, { file: source, line, where });
  }
  info.layout = `side-by-side record tables (${blocks.length} blocks)`;
  info.notes.push(`${blocksText(blocks, where)}: read as one run, block after block in time order; the columns named are those of block 1`);
  plans[0]!.blocks = plans;
  return plans[0]!;
}

function planOne(cells: string[], info: SourceInfo, source: string, line: number, where: string | undefined, masked = false): Plan {
  const { columns, ignored, unitProblems } = matchColumns(cells);
  for (const p of unitProblems) {
    // a vital column in a unit hcarb does not know is an error, unless another column of the same
    // field is there in a unit it knows (then this one is passed over, with a note)
    const isVital = (p.field === 'voltageV' || p.field === 'currentMA' || p.field === 'capacityMAh') && !columns.has(p.field);
    if (isVital) {
      const hint = /[^\x20-\x7e]/.test(p.unit) && info.encoding === 'gb18030' ? ' (the file is not UTF-8 and was read as GB18030; if it was saved in a Western code page, save it again as UTF-8)' : '';
      throw new DataError(`unknown unit '${p.unit}' in column '${p.header}'; expected ${p.expected}${hint}`, { file: source, line, where });
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
  const blanks = masked ? 0 : cells.filter((c) => !c.trim()).length;
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
    const col = v === null ? plan.voltage : plan.current;
    throw new DataError(`no ${v === null ? 'voltage' : 'current'} value (the cell in column '${col.header}' is empty or a placeholder); every record needs one: check this row (a cut or edited export?) and export the record table again from the cycler software`, { file: source, line, where });
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

/** Records side-by-side blocks may hold in all: they are kept in memory to be put in order. */
export const MAX_BLOCK_RECORDS = 2_000_000;

/**
 * Reads the rows of a header repeated side by side (Plan.blocks): each block's rows become that
 * block's records (a block whose cells are all empty on a row has ended there: a shorter block is
 * not an error); at the end the blocks are put one after another in time order. Blocks that
 * overlap in time are not parts of one run: refused, with what was found.
 */
export class BlockCollector {
  private readonly recs: CyclerRecord[][];
  private total = 0;
  private readonly blocks: Plan[];
  /** The sheet of the last row (for messages about the whole table). */
  private where?: string;
  constructor(
    readonly plan: Plan, readonly info: SourceInfo, readonly source: string,
    readonly num: (c: string | undefined, line: number, h: string) => number | null,
    readonly timeOf: (c: string | undefined, col: ColumnInfo, line: number) => number | null,
    readonly workbook = false,
  ) {
    this.blocks = plan.blocks ?? [plan];
    this.recs = this.blocks.map(() => []);
  }

  private refuse(what: string, line?: number, where?: string): never {
    const spans = this.blocks.map((b) => b.span!);
    throw new DataError(`${blocksText(spans, this.workbook ? where ?? 'sheet' : undefined)}, read as one run block after block in time order, but ${what}: hcarb cannot tell how the blocks fit together; put each run in its own file, or put the blocks one under the other in time order`, { file: this.source, line, where });
  }

  /** One row; `lineOffset` is added to the records' line (continuation sheets), not to messages. */
  row(cells: string[], line: number, where?: string, lineOffset = 0): void {
    this.where = where;
    for (let k = 0; k < this.blocks.length; k++) {
      const b = this.blocks[k]!;
      const [from, to] = b.span!;
      let any = false;
      for (let i = from; i < to && i < cells.length; i++) if ((cells[i] ?? '').trim() !== '') { any = true; break; }
      if (!any) continue;
      const rec = recordFromCells(cells, line, b, this.num, this.timeOf, this.source, where);
      if (!rec) throw new DataError(`the row ends inside block ${k + 1} (columns ${spanText(b.span!)}): a truncated row; check the file and export it again`, { file: this.source, line, where });
      if (rec.timeS === null) throw new DataError(`no time value in column '${b.time!.header}' of block ${k + 1}, and side-by-side blocks are put in order by their time; check this row (a cut or edited export?)`, { file: this.source, line, where });
      const list = this.recs[k]!;
      const prev = list[list.length - 1];
      if (prev && rec.timeS < prev.timeS!) this.refuse(`the time goes back inside block ${k + 1} (${prev.timeS} s, then ${rec.timeS} s at row ${line})`, line, where);
      if (++this.total > MAX_BLOCK_RECORDS) throw new DataError(`side-by-side blocks are read whole to be put in order, and these hold more than ${MAX_BLOCK_RECORDS} records; put the blocks one under the other in time order`, { file: this.source, line, where });
      rec.line += lineOffset;
      list.push(rec);
    }
  }

  /** The records of all blocks, block after block in time order. */
  *finish(): Generator<CyclerRecord[]> {
    const order = this.recs.map((r, k) => ({ k, r })).filter((x) => x.r.length > 0)
      .sort((a, b) => a.r[0]!.timeS! - b.r[0]!.timeS!);
    for (let j = 1; j < order.length; j++) {
      const a = order[j - 1]!, b = order[j]!;
      const end = a.r[a.r.length - 1]!.timeS!, start = b.r[0]!.timeS!;
      if (start < end) {
        const range = (x: { k: number; r: CyclerRecord[] }) => `block ${x.k + 1}: ${x.r[0]!.timeS} to ${x.r[x.r.length - 1]!.timeS} s`;
        this.refuse(`the blocks overlap in time (${range(a)}, ${range(b)}), so they are not consecutive parts of one run`, undefined, this.where);
      }
    }
    const empty = this.recs.map((r, k) => (r.length ? -1 : k)).filter((k) => k >= 0);
    if (empty.length) this.info.warnings.push(`side-by-side block${empty.length > 1 ? 's' : ''} ${empty.map((k) => k + 1).join(', ')} ha${empty.length > 1 ? 've' : 's'} a header but no records`);
    this.info.notes.push(`side-by-side blocks read in time order: ${order.map((x) => `block ${x.k + 1} (columns ${spanText(this.blocks[x.k]!.span!)}, ${x.r.length} records, ${x.r[0]!.timeS} to ${x.r[x.r.length - 1]!.timeS} s)`).join(', then ')}; line numbers are the rows of the file`);
    this.info.records += this.total;
    for (const x of order) {
      for (let i = 0; i < x.r.length; i += BATCH) yield x.r.slice(i, i + BATCH);
    }
  }
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
 * What happens to each row after the header, shared by the general parser and the fast path so
 * both give the same records, skips and errors.
 */
export class RowSink {
  pendingShort: number | null = null;
  constructor(
    readonly plan: Plan, readonly info: SourceInfo, readonly source: string,
    readonly num: (c: string | undefined, line: number, h: string) => number | null,
    readonly timeOf: (c: string | undefined, col: ColumnInfo, line: number) => number | null,
  ) {}

  /** Before any record: a short line followed by another line is an error, not a truncated end. */
  checkPending(): void {
    if (this.pendingShort !== null) {
      throw new DataError(`line has too few fields (a truncated or broken line) and more lines follow it; check the file (a damaged copy or an edited export?) and export it again from the cycler software`, { file: this.source, line: this.pendingShort });
    }
  }

  row(cells: string[], line: number): CyclerRecord | null {
    if (cells.length === 1 && cells[0]!.trim() === '') return null;
    this.checkPending();
    if (isHeaderRepeat(cells, this.plan)) { noteSkip(this.info, line, 'repeated header'); return null; }
    if (cells.length > MAX_COLUMNS) throw new DataError(`line has ${cells.length} columns (limit ${MAX_COLUMNS})`, { file: this.source, line });
    const rec = recordFromCells(cells, line, this.plan, this.num, this.timeOf, this.source);
    if (!rec) { this.pendingShort = line; return null; }
    this.info.records++;
    return rec;
  }

  end(): void {
    const repeats = this.info.skipped.filter((k) => k.reason === 'repeated header');
    if (repeats.length) this.info.warnings.push(`${repeats.length} repeated header row(s) inside the data skipped (first at line ${repeats[0]!.line})`);
    if (this.pendingShort !== null) {
      noteSkip(this.info, this.pendingShort, 'truncated last line');
      this.info.warnings.push(`line ${this.pendingShort} is truncated (file still being written?): skipped`);
    }
    if (this.info.records === 0) throw new DataError('the header is there but no records follow it', { file: this.source, line: this.info.headerLine });
  }
}

/** Header search over the first rows: the same for both paths. Returns the plan, or null to go on. */
export class HeaderFinder {
  firstRows: string[] = [];
  /** Lines inside recognised Cycle / Step sections of a "mixed" export (not counted in the search). */
  private sectionLines = 0;
  private section: 'cycle' | 'step' | null = null;
  private cycleCols: CycleColumns | null = null;
  private readonly vendor: VendorCycle[] = [];
  /** The header repeats side by side and this finder leaves such files to the general parser. */
  declined = false;
  /**
   * `blocks`: whether a header repeated side by side (Plan.blocks) is taken. The fast path's
   * finder does not take one: it declines (the search ends, `exhausted`), and the file goes to
   * the general parser, which reads or refuses the blocks.
   */
  constructor(readonly info: SourceInfo, readonly source: string, readonly delimiter: string, readonly opts: { blocks?: boolean } = {}) {}

  /** True when the search has gone on long enough without a header. */
  exhausted(line: number): boolean {
    return this.declined || line - this.sectionLines >= HEADER_SEARCH_LINES;
  }

  offer(cells: string[], line: number): Plan | null {
    if (cells.length > MAX_COLUMNS) throw new DataError(`line has ${cells.length} columns (limit ${MAX_COLUMNS}); this is not a LAND record export`, { file: this.source, line });
    // The Cycle and Step sections of a LAND "mixed" CSV come before the records: keep the
    // cycler's own cycle table for the cross-check, and do not count these lines in the search.
    const first = (cells[0] ?? '').trim().toLowerCase();
    const cc = first === 'cycle' || first === '循环序号' ? cycleColumns(cells) : null;
    if (cc) { this.section = 'cycle'; this.cycleCols = cc; this.sectionLines++; return null; }
    if ((first === 'step' || first === '工步序号') && cells.some((c) => /^(mode|capacity|工作模式)/i.test(c.trim())) && !looksLikeHeader(cells)) { this.section = 'step'; this.sectionLines++; return null; }
    if (this.section) {
      const n = Number(first);
      if (first !== '' && Number.isFinite(n)) {
        this.sectionLines++;
        if (this.section === 'cycle') {
          const v = vendorCycle(this.cycleCols!, (i) => { const s = (cells[i] ?? '').trim(); const x = Number(s.replace(',', '.')); return s !== '' && Number.isFinite(x) ? x : null; });
          if (v) this.vendor.push(v);
        }
        return null;
      }
      this.section = null;
    }
    if (looksLikeHeader(cells)) {
      if (!this.opts.blocks && headerBlocks(cells)) { this.declined = true; return null; }
      if (this.vendor.length) {
        this.info.vendorCycles = this.vendor;
        this.info.layout = 'mixed export (cycle, step and record sections)';
        this.info.notes.push(`the cycler's own summary of ${this.vendor.length} cycles found before the records (used for the cross-check)`);
      }
      const plan = planFromHeader(cells, this.info, this.source, line);
      this.info.headerLine = line;
      if (line > 1) this.info.notes.push(`${line - 1} line${line > 2 ? 's' : ''} before the header skipped`);
      return plan;
    }
    if (this.firstRows.length < 2 && cells.join('').trim()) this.firstRows.push(cells.join(this.delimiter).trim());
    return null;
  }
  fail(): never {
    const seen = this.firstRows.length ? ` (it starts with '${clip(this.firstRows[0]!, 60)}')` : '';
    throw new DataError(`not a LAND record export: no header row naming a voltage and a current column in the first ${HEADER_SEARCH_LINES} lines${seen}`, { file: this.source, line: 1 });
  }
}

export function numberReaders(source: string, decimalComma: boolean, info: SourceInfo) {
  const baseNum = makeNumberReader(source, decimalComma);
  const num = (c: string | undefined, line: number, h: string): number | null => {
    if (decimalComma && c !== undefined && c.includes(',')) info.decimalComma = true;
    return baseNum(c, line, h);
  };
  return { num, timeOf: makeTextTimeReader(source, decimalComma, info) };
}

/**
 * Parse a LAND text export with the general parser (papaparse): any delimiter, quotes, any
 * encoding. Yields batches of records; throws DataError with file and line.
 */
export async function* parseLandTextGeneral(chunks: AsyncIterable<Uint8Array>, source: string, info: SourceInfo = newSourceInfo(source)): AsyncGenerator<CyclerRecord[]> {
  info.instrument = 'LAND';
  info.layout = 'record table (text)';
  const decoded = await decodeStream(chunks, source);
  info.encoding = decoded.encoding;
  // Peek the first text chunk to choose the delimiter, then put it back in front.
  const first = await decoded.text.next();
  if (first.done || !first.value.trim()) throw new DataError('the file is empty; export the record table from LANDdt (Record-Tab) as .csv, .txt or .xlsx', { file: source, line: 1 });
  const delimiter = sniffDelimiter(first.value.slice(0, 65536));
  info.delimiter = delimiter === '\t' ? 'tab' : delimiter;
  info.decimalComma = false;
  async function* all(): AsyncGenerator<string> { yield first.value as string; yield* decoded.text; }
  const { num, timeOf } = numberReaders(source, delimiter !== ',', info);
  const finder = new HeaderFinder(info, source, delimiter, { blocks: true });
  let sink: RowSink | null = null;
  let blocks: BlockCollector | null = null;
  let batch: CyclerRecord[] = [];
  for await (const { line, cells } of textRows(all(), delimiter)) {
    if (!sink) {
      const plan = finder.offer(cells, line);
      if (plan) {
        sink = new RowSink(plan, info, source, num, timeOf);
        if (plan.blocks) blocks = new BlockCollector(plan, info, source, num, timeOf);
      } else if (finder.exhausted(line)) break;
      continue;
    }
    if (blocks) {
      if (cells.length === 1 && cells[0]!.trim() === '') continue;
      if (isHeaderRepeat(cells, sink.plan)) { noteSkip(info, line, 'repeated header'); continue; }
      blocks.row(cells, line);
      continue;
    }
    const rec = sink.row(cells, line);
    if (!rec) continue;
    batch.push(rec);
    if (batch.length >= BATCH) { yield batch; batch = []; }
  }
  if (!sink) return finder.fail();
  if (blocks) yield* blocks.finish();
  sink.end();
  if (batch.length) yield batch;
}
