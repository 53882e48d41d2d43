/**
 * LAND workbooks (.xlsx and legacy .xls, both read through the Book interface of
 * src/readers/shared/book.ts): find the record sheet by name or content, the header row by content,
 * read rows as they are inflated, and read the cycler's own Cycle-Tab for the cross-check.
 * Layouts: LANDdt three-table (`Record-Tab`, `Cycle-Tab`, `Step-Tab`), older `Record`, `Record1`…
 * continuation sheets without a header, `记录表`, LANHE `DefaultGroup…` sheets with sub-tables.
 * A record sheet longer than a legacy sheet holds (65 536 rows) continues on numbered sheets:
 * `Record1`, `Record2` … after `Record`; `Record-Tab1` or `Record-Tab(1)`, `Record-Tab_1`,
 * `Record-Tab-1` after `Record-Tab` (both numbered forms are read; with or without a header row).
 */
import { DataError } from '../../errors.js';
import { collect } from '../../io.js';
import type { ColumnInfo, CyclerRecord, SourceInfo, VendorCycle } from '../../types.js';
import { looksLikeHeader, parseDuration } from './columns.js';
import { BlockCollector, clip, isHeaderRepeat, makeNumberReader, noteSkip, planFromHeader, recordFromCells, type Plan } from './land.js';
import { Workbook } from '../shared/xlsx.js';
import type { Book, BookCell as Cell, BookSheet as SheetRef } from '../shared/book.js';
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
function chooseRecordSheets(wb: Book, info: SourceInfo): SheetRef[] {
  const byName = (re: RegExp) => wb.sheets.filter((s) => re.test(s.name.trim()));
  const exact = byName(/^(record-tab|记录表|记录层|record)$/i);
  if (exact.length) {
    const first = exact[0]!;
    const cont = continuationSheets(wb, first.name.trim());
    if (cont.length) info.notes.push(`the records continue on sheet${cont.length > 1 ? 's' : ''} ${cont.map((s) => `'${s.name}'`).join(', ')} (read after '${first.name}', in sheet-number order)`);
    return [first, ...cont];
  }
  const lanhe = byName(/defaultgroup/i);
  if (lanhe.length) { info.layout = 'LANHE workbook'; return [lanhe[0]!]; }
  const loose = byName(/record/i);
  if (loose.length) return [loose[0]!];
  // By content: the first sheet with a record header in its first rows.
  for (const s of wb.sheets) {
    let n = 0;
    for (const batch of wb.batches(s)) {
      for (const r of batch) {
        if (looksLikeHeader(rowTexts(r.cells))) { info.notes.push(`record sheet '${s.name}' found by its content`); return [s]; }
        if (++n >= HEADER_SEARCH_ROWS) break;
      }
      if (n >= HEADER_SEARCH_ROWS) break;
    }
  }
  throw new DataError(`no record sheet: the workbook has sheet${wb.sheets.length === 1 ? '' : 's'} ${wb.sheets.map((s) => `'${s.name}'`).join(', ') || '(none)'} and none has a header with a voltage and a current column; export the record layer (Record-Tab)`, { file: wb.source });
}

/** Numbered continuation sheets of `base`: `base1`, `base(1)`, `base_1`, `base-1`, `base 1`, in number order. */
export function continuationSheets<S extends SheetRef>(wb: Book<S>, base: string): S[] {
  const esc = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^${esc}\\s*(?:[-_ ]\\s*)?(?:\\((\\d{1,4})\\)|(\\d{1,4}))$`, 'i');
  return wb.sheets
    .map((s) => ({ s, m: re.exec(s.name.trim()) }))
    .filter((x): x is { s: S; m: RegExpExecArray } => x.m !== null)
    .map((x) => ({ s: x.s, n: Number(x.m[1] ?? x.m[2]) }))
    .sort((a, b) => a.n - b.n)
    .map((x) => x.s);
}

/** The cycler's own per-cycle table, if the workbook has one. */
function readCycleTab(wb: Book, info: SourceInfo): VendorCycle[] | undefined {
  const sheet = wb.sheets.find((s) => /^(cycle-tab|cycle|循环层|循环表)$/i.test(s.name.trim()));
  if (!sheet) return undefined;
  let cols: CycleColumns | null = null;
  const out: VendorCycle[] = [];
  for (const batch of wb.batches(sheet)) {
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

function readWhole(chunks: AsyncIterable<Uint8Array>, source: string): Promise<Uint8Array> {
  return collect(chunks, MAX_WORKBOOK_BYTES, () => new DataError(`the workbook is larger than ${MAX_WORKBOOK_BYTES / 1024 ** 3} GB; export the record layer as .csv instead`, { file: source }));
}

/** A LAND .xlsx workbook → records. */
export async function* readLandWorkbook(chunks: AsyncIterable<Uint8Array>, source: string, info: SourceInfo): AsyncGenerator<CyclerRecord[]> {
  const zip = await readWhole(chunks, source);
  yield* readLandBook(new Workbook(zip, source), info);
}

/** A LAND legacy .xls (BIFF8) workbook → records: the same sheets as an .xlsx. */
export async function* readLandXls(chunks: AsyncIterable<Uint8Array>, source: string, info: SourceInfo): AsyncGenerator<CyclerRecord[]> {
  const bytes = await readWhole(chunks, source);
  const { XlsWorkbook } = await import('../shared/xls.js');
  const { CompoundFile } = await import('../shared/cfb.js');
  try {
    new CompoundFile(bytes, source);
  } catch (e) {
    // The signature of a compound file, but no readable container: which of the two it was cannot be told.
    if (!(e instanceof DataError)) throw e;
    throw new DataError(`this is an old binary Excel (.xls) or an encrypted (password-protected) workbook, and its container cannot be read (${e.message.replace(/ \(old binary Excel \/ OLE2 container\)$/, '')}); copy it again, or save it from Excel as .xlsx without a password`, { file: source });
  }
  yield* readLandBook(new XlsWorkbook(bytes, source), info);
}

/** Any workbook behind the Book interface → LAND records. */
export function* readLandBook(wb: Book, info: SourceInfo): Generator<CyclerRecord[]> {
  const source = wb.source;
  info.instrument = 'LAND';
  info.layout = 'LANDdt workbook';
  info.encoding = wb.format;
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
  let blocks: BlockCollector | null = null;
  // Records on continuation sheets are numbered on from the sheet before (as one table would be:
  // the lines then match the same run exported as one sheet); messages name the sheet and its row.
  let lineOffset = 0, lastRow = 0;
  const offsets: string[] = [];
  for (const sheet of sheets) {
    sheetName = sheet.name;
    if (sheet !== sheets[0]) { lineOffset += lastRow; offsets.push(`row r of '${sheet.name}' is line ${lineOffset} + r`); }
    lastRow = 0;
    let rowsSeen = 0;
    for (const rows of wb.batches(sheet)) {
      for (const r of rows) {
        rowsSeen++;
        lastRow = r.row;
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
        if (isHeaderRepeat(t, plan)) { inRecords = true; if (sheet === sheets[0] || rowsSeen > 1) noteSkip(info, r.row + lineOffset, 'repeated header'); continue; }
        if (!t.some((s) => s)) continue;
        if (isTextRow(t)) { inRecords = false; noteSkip(info, r.row + lineOffset, 'sub-table header'); continue; }
        if (!inRecords) { noteSkip(info, r.row + lineOffset, 'sub-table row'); continue; }
        raw = r.cells;
        if (plan.blocks) {
          blocks ??= new BlockCollector(plan, info, source, num, timeOf, true);
          try { blocks.row(t, r.row, sheet.name, lineOffset); } catch (e) { if (e instanceof DataError) e.where ??= sheet.name; throw e; }
          continue;
        }
        let rec: CyclerRecord | null;
        try {
          rec = recordFromCells(t, r.row, plan, num, timeOf, source, sheet.name);
        } catch (e) { if (e instanceof DataError) e.where ??= sheet.name; throw e; }
        if (!rec) { noteSkip(info, r.row + lineOffset, 'too few cells'); continue; }
        rec.line += lineOffset;
        batch.push(rec);
        info.records++;
        if (batch.length >= BATCH) { yield batch; batch = []; }
      }
    }
    if (!plan) throw new DataError('no header row naming a voltage and a current column', { file: source, where: sheet.name, line: 1 });
  }
  if (offsets.length) info.notes.push(`record lines run on across the sheets as in one table: ${offsets.join(', ')}`);
  if (blocks) yield* blocks.finish();
  if (batch.length) yield batch;
  if (info.records === 0) throw new DataError('the record sheet has a header but no records', { file: source, where: sheets[0]!.name, line: info.headerLine });
}

