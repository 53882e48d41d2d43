/**
 * LAND workbooks (.xlsx): find the record sheet by name or content, the header row by content,
 * read rows as they are inflated, and read the cycler's own Cycle-Tab for the cross-check.
 * Layouts: LANDdt three-table (`Record-Tab`, `Cycle-Tab`, `Step-Tab`), older `Record`, `Record1`…
 * continuation sheets without a header, `记录表`, LANHE `DefaultGroup…` sheets with sub-tables.
 */
import { DataError } from '../errors.js';
import { collect } from '../io.js';
import type { ColumnInfo, CyclerRecord, SourceInfo, VendorCycle } from '../types.js';
import { looksLikeHeader, parseDuration } from './columns.js';
import { clip, isHeaderRepeat, makeNumberReader, noteSkip, planFromHeader, recordFromCells, type Plan } from './land.js';
import { Workbook, type Cell, type SheetRef } from './xlsx.js';
import { cycleColumns, vendorCycle, type CycleColumns } from './cyclelayer.js';

export const MAX_WORKBOOK_BYTES = 1024 ** 3;
const HEADER_SEARCH_ROWS = 60;
const BATCH = 2048;

function cellText(c: Cell): string {
  return c === undefined ? '' : typeof c === 'number' ? String(c) : c;
}

function rowTexts(cells: Cell[]): string[] {
  const out = new Array<string>(cells.length);
  for (let i = 0; i < cells.length; i++) out[i] = cellText(cells[i]);
  return out;
}

/** The record sheet(s): by name first, then by content. */
function chooseRecordSheets(wb: Workbook, info: SourceInfo): SheetRef[] {
  const byName = (re: RegExp) => wb.sheets.filter((s) => re.test(s.name.trim()));
  const exact = byName(/^(record-tab|记录表|记录层|record)$/i);
  if (exact.length) {
    const first = exact[0]!;
    const cont = /^record$/i.test(first.name.trim())
      ? wb.sheets.filter((s) => /^record\d+$/i.test(s.name.trim())).sort((a, b) => num(a.name) - num(b.name))
      : [];
    return [first, ...cont];
  }
  const lanhe = byName(/defaultgroup/i);
  if (lanhe.length) { info.layout = 'LANHE workbook'; return [lanhe[0]!]; }
  const loose = byName(/record/i);
  if (loose.length) return [loose[0]!];
  // By content: the first sheet with a record header in its first rows.
  for (const s of wb.sheets) {
    let n = 0;
    for (const batch of wb.rows(s)) {
      for (const r of batch) {
        if (looksLikeHeader(rowTexts(r.cells))) { info.notes.push(`record sheet '${s.name}' found by its content`); return [s]; }
        if (++n >= HEADER_SEARCH_ROWS) break;
      }
      if (n >= HEADER_SEARCH_ROWS) break;
    }
  }
  throw new DataError(`no record sheet: the workbook has sheet${wb.sheets.length === 1 ? '' : 's'} ${wb.sheets.map((s) => `'${s.name}'`).join(', ') || '(none)'} and none has a header with a voltage and a current column; export the record layer (Record-Tab)`, { file: wb.source });
}

function num(name: string): number {
  const m = /(\d+)$/.exec(name);
  return m ? Number(m[1]) : 0;
}

/** The cycler's own per-cycle table, if the workbook has one. */
function readCycleTab(wb: Workbook, info: SourceInfo): VendorCycle[] | undefined {
  const sheet = wb.sheets.find((s) => /^(cycle-tab|cycle|循环层|循环表)$/i.test(s.name.trim()));
  if (!sheet) return undefined;
  let cols: CycleColumns | null = null;
  const out: VendorCycle[] = [];
  for (const batch of wb.rows(sheet)) {
    for (const r of batch) {
      if (!cols) {
        cols = cycleColumns(rowTexts(r.cells));
        if (!cols && r.row > 5) return undefined;
        continue;
      }
      const v = vendorCycle(cols, (i) => { const x = r.cells[i]; return typeof x === 'number' ? x : null; });
      if (v) out.push(v);
    }
  }
  info.notes.push(`sheet '${sheet.name}': the cycler's own summary of ${out.length} cycles (used for the cross-check)`);
  return out;
}

/** Time cells in a workbook: numbers in the header's unit, or in days when the header has none; text durations. */
function makeWorkbookTimeReader(source: string, sheet: () => string, raw: () => Cell[]) {
  return (_cell: string | undefined, col: ColumnInfo, line: number): number | null => {
    const c = raw()[col.index];
    if (c === undefined) return null;
    if (typeof c === 'number') return Number.isNaN(col.scale) ? c * 86400 : c * col.scale;
    const s = c.trim();
    if (s === '' || s === '-') return null;
    const d = parseDuration(s);
    if (d !== null) return d;
    const v = Number(s);
    if (s !== '' && Number.isFinite(v)) return Number.isNaN(col.scale) ? v * 86400 : v * col.scale;
    throw new DataError(`'${clip(s)}' in column '${col.header}' is not a time (expected seconds, an Excel time or D-HH:MM:SS)`, { file: source, where: sheet(), line });
  };
}

/** True for a row that is a sub-table header: several cells, all text. */
function isTextRow(t: string[]): boolean {
  let n = 0;
  for (const s of t) {
    if (!s) continue;
    if (Number.isFinite(Number(s)) || parseDuration(s) !== null) return false;
    n++;
  }
  return n >= 3;
}

export async function* readLandWorkbook(chunks: AsyncIterable<Uint8Array>, source: string, info: SourceInfo): AsyncGenerator<CyclerRecord[]> {
  info.instrument = 'LAND';
  info.layout = 'LANDdt workbook';
  info.encoding = 'xlsx (UTF-8 XML)';
  const zip = await collect(chunks, MAX_WORKBOOK_BYTES, () => new DataError(`the workbook is larger than ${MAX_WORKBOOK_BYTES / 1024 ** 3} GB; export the record layer as .csv instead`, { file: source }));
  const wb = new Workbook(zip, source);
  const sheets = chooseRecordSheets(wb, info);
  info.sheet = sheets.map((s) => s.name).join(' + ');
  info.notes.push(`sheets in the workbook: ${wb.sheets.map((s) => s.name).join(', ')}`);
  info.vendorCycles = readCycleTab(wb, info);
  if (/^record$/i.test(sheets[0]!.name.trim())) info.layout = 'older LAND workbook (Record sheets)';
  const baseNum = makeNumberReader(source, false);
  let sheetName = sheets[0]!.name;
  let raw: Cell[] = [];
  const num = (c: string | undefined, line: number, h: string): number | null => {
    try { return baseNum(c, line, h); } catch (e) { if (e instanceof DataError) e.where = sheetName; throw e; }
  };
  const timeOf = makeWorkbookTimeReader(source, () => sheetName, () => raw);
  let plan: Plan | null = null;
  let inRecords = false;
  let batch: CyclerRecord[] = [];
  for (const sheet of sheets) {
    sheetName = sheet.name;
    let rowsSeen = 0;
    for (const rows of wb.rows(sheet)) {
      for (const r of rows) {
        rowsSeen++;
        const t = rowTexts(r.cells);
        if (!plan) {
          if (looksLikeHeader(t)) {
            plan = planFromHeader(t, info, source, r.row, sheet.name);
            info.headerLine = r.row;
            inRecords = true;
            if (r.row > 1) info.notes.push(`${r.row - 1} row(s) before the header skipped`);
          } else if (rowsSeen >= HEADER_SEARCH_ROWS) {
            throw new DataError(`no header row naming a voltage and a current column in the first ${HEADER_SEARCH_ROWS} rows`, { file: source, where: sheet.name, line: 1 });
          }
          continue;
        }
        if (isHeaderRepeat(t, plan)) { inRecords = true; if (sheet === sheets[0] || rowsSeen > 1) noteSkip(info, r.row, 'repeated header'); continue; }
        if (!t.some((s) => s)) continue;
        if (isTextRow(t)) { inRecords = false; noteSkip(info, r.row, 'sub-table header'); continue; }
        if (!inRecords) { noteSkip(info, r.row, 'sub-table row'); continue; }
        raw = r.cells;
        let rec: CyclerRecord | null;
        try {
          rec = recordFromCells(t, r.row, plan, num, timeOf, source, sheet.name);
        } catch (e) { if (e instanceof DataError) e.where ??= sheet.name; throw e; }
        if (!rec) { noteSkip(info, r.row, 'too few cells'); continue; }
        batch.push(rec);
        info.records++;
        if (batch.length >= BATCH) { yield batch; batch = []; }
      }
    }
    if (!plan) throw new DataError('no header row naming a voltage and a current column', { file: source, where: sheet.name, line: 1 });
  }
  if (batch.length) yield batch;
  if (info.records === 0) throw new DataError('the record sheet has a header but no records', { file: source, where: sheets[0]!.name, line: info.headerLine });
}

