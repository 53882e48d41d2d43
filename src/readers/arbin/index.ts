/**
 * The Arbin reader: CSV exports (with or without units in the headers), `.xlsx` exports (Channel_*
 * sheets; Statistics_* sheets as the cycler's own summary), by content (OOXML named .xls too), and
 * `.res` files (MS Access Jet 4, read by the project's own Jet reader: jet.ts, res.ts).
 * Records: currentMA negative in discharge (Arbin's sign); capacityMAh = the charge passed since the
 * step began (positive, from Charge_ or Discharge_Capacity by the current's sign); cycleIndex and
 * stepIndex as written; stateKind null (the current's sign decides); line = text line or sheet row.
 */
import { DataError } from '../../errors.js';
import { collect, type Input } from '../../io.js';
import { takeHead } from '../shared/decode.js';
import type { ColumnInfo, CyclerRecord, SourceInfo, VendorCycle } from '../../types.js';
import { SNIFF_BYTES, type Reader, type ReadResult } from '../types.js';
import { ArbinRecordMaker, arbinColumns, isArbinHeader, splitName } from './columns.js';
import { readResTables, type ResTables } from './res.js';
import { arbinClaim, sniffArbin, type ArbinKind } from './sniff.js';

export { sniffArbin, type ArbinKind };

export { readResTables };
export type { ResTables };

/** Records of an Arbin .res file: Channel_Normal_Table in Data_Point order. */
function readRes(bytes: Uint8Array, source: string, info: SourceInfo): CyclerRecord[][] {
  const t = readResTables(bytes, source);
  const names = t.normal.columns;
  const cols = arbinColumns(names);
  if (!cols) throw new DataError(`Channel_Normal_Table has no Current and Voltage columns (columns: ${names.join(', ')})`, { file: source });
  info.columns = cols.info; info.ignoredColumns = cols.ignored; info.headerWidth = names.length; info.sheet = 'Channel_Normal_Table';
  info.notes.push(...t.notes);
  info.warnings.push(...t.warnings);
  if (t.massMg !== null) info.statedMassMg = t.massMg;
  const maker = new ArbinRecordMaker(cols);
  const iPoint = names.indexOf('Data_Point');
  const out: CyclerRecord[][] = [];
  let batch: CyclerRecord[] = [];
  let row: (number | string | boolean | null)[] = [];
  const get = (c: ColumnInfo): number | null => { const x = row[c.index]; return typeof x === 'number' ? x : null; };
  for (const r of t.normal.rows) {
    row = r;
    const line = iPoint >= 0 && typeof r[iPoint] === 'number' ? (r[iPoint] as number) : info.records + 1;
    const rec = maker.make(get, line, () => ({ file: source, where: 'Channel_Normal_Table' }));
    if (!rec) { info.skippedCount++; continue; }
    batch.push(rec);
    info.records++;
    if (batch.length === BATCH) { out.push(batch); batch = []; }
  }
  if (batch.length) out.push(batch);
  info.notes.push('line numbers are the Data_Point of each record');
  return out;
}

export const MAX_ARBIN_XLSX_BYTES = 1024 ** 3;
const BATCH = 4096;





export function arbinSourceInfo(source: string, layout: string): SourceInfo {
  return { source, instrument: 'Arbin', layout, columns: [], ignoredColumns: [], records: 0, skipped: [], skippedCount: 0, notes: [], warnings: [] };
}

/** Lines of a UTF-8 stream (BOM removed), with their 1-based numbers. */
async function* textLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<[string, number]> {
  const dec = new TextDecoder('utf-8');
  let rest = '';
  let n = 0;
  let first = true;
  for await (const c of chunks) {
    let s = rest + dec.decode(c, { stream: true });
    if (first) { s = s.replace(/^\uFEFF/, ''); first = false; }
    let a = 0;
    for (let b = s.indexOf('\n'); b >= 0; b = s.indexOf('\n', a)) { yield [s.slice(a, b).replace(/\r$/, ''), ++n]; a = b + 1; }
    rest = s.slice(a);
    if (rest.length > 1 << 20) throw new DataError('a line is longer than 1 MB; this is not an Arbin CSV export', { line: n + 1 });
  }
  rest += dec.decode();
  if (rest !== '') yield [rest.replace(/\r$/, ''), ++n];
}

async function* readCsv(chunks: AsyncIterable<Uint8Array>, source: string, info: SourceInfo): AsyncGenerator<CyclerRecord[]> {
  let maker: ArbinRecordMaker | null = null;
  let width = 0;
  let batch: CyclerRecord[] = [];
  let cells: string[] = [];
  let line = 0;
  const get = (c: ColumnInfo): number | null => {
    const s = (cells[c.index] ?? '').trim();
    if (s === '') return null;
    const x = Number(s);
    if (!Number.isFinite(x)) throw new DataError(`'${s.slice(0, 40)}' in column '${c.header}' is not a number`, { file: source, line });
    return x;
  };
  try {
    for await (const [l, n] of textLines(chunks)) {
      line = n;
      if (!maker) {
        const h = l.split(',');
        const cols = arbinColumns(h);
        if (!cols || !isArbinHeader(h)) throw new DataError('line 1 is not an Arbin header (Test_Time, Current, Voltage, Charge_Capacity, Discharge_Capacity …)', { file: source, line: 1 });
        maker = new ArbinRecordMaker(cols);
        width = h.length;
        info.columns = cols.info; info.ignoredColumns = cols.ignored; info.headerLine = 1; info.headerWidth = width; info.delimiter = ',';
        info.layout = cols.info.some((c) => /\(/.test(c.header)) ? 'Arbin CSV (units in the headers)' : 'Arbin CSV (no units in the headers)';
        if (cols.assumedUnits.length) info.notes.push(`no units in the headers: Arbin's own units assumed (${cols.assumedUnits.join(', ')})`);
        continue;
      }
      if (l.trim() === '') continue;
      cells = l.split(',');
      if (cells.length < width - 1) throw new DataError(`${cells.length} fields where the header has ${width}; the file is truncated or damaged`, { file: source, line: n });
      const r = maker.make(get, n, () => ({ file: source }));
      if (!r) { info.skipped.length < 100 && info.skipped.push({ line: n, reason: 'no voltage or current' }); info.skippedCount++; continue; }
      batch.push(r);
      info.records++;
      if (batch.length === BATCH) { yield batch; batch = []; }
    }
  } catch (e) {
    if (e instanceof DataError && e.file === undefined) e.file = source;
    throw e;
  }
  if (!maker) throw new DataError('the file is empty', { file: source, line: 1 });
  if (batch.length) yield batch;
}

/** Statistics sheet rows → the cycler's own per-cycle capacities (mAh). */
function vendorRows(header: string[], rows: (number | string | undefined)[][]): VendorCycle[] {
  const idx = (k: string) => header.findIndex((h) => splitName(h).key === k);
  const ic = idx('cycle_index'), iq = idx('charge_capacity'), id = idx('discharge_capacity');
  if (ic < 0 || (iq < 0 && id < 0)) return [];
  const scale = (i: number) => (i >= 0 && /\(mAh\)/i.test(header[i]!) ? 1 : 1000);
  const out: VendorCycle[] = [];
  for (const r of rows) {
    const c = r[ic];
    if (typeof c !== 'number') continue;
    const q = iq >= 0 && typeof r[iq] === 'number' ? (r[iq] as number) * scale(iq) : null;
    const d = id >= 0 && typeof r[id] === 'number' ? (r[id] as number) * scale(id) : null;
    out.push({ cycle: c, capCMAh: q, capDMAh: d, speCapCMAhG: null, speCapDMAhG: null, efficiencyPct: null });
  }
  return out;
}

async function* readXlsx(bytes: Uint8Array, source: string, info: SourceInfo): AsyncGenerator<CyclerRecord[]> {
  const { Workbook } = await import('../shared/xlsx.js');
  const wb = new Workbook(bytes, source);
  const data = wb.sheets.filter((s) => /^Channel_\d+/i.test(s.name.trim()));
  if (!data.length) throw new DataError(`no Channel_* sheet: the workbook has ${wb.sheets.map((s) => `'${s.name}'`).join(', ')}`, { file: source });
  info.layout = `Arbin workbook (${data.map((s) => s.name).join(', ')})`;
  const stats = wb.sheets.filter((s) => /^Statistics?_/i.test(s.name.trim()));
  if (stats.length) {
    const vc: VendorCycle[] = [];
    for (const s of stats) {
      let header: string[] | null = null;
      const rows: (number | string | undefined)[][] = [];
      for (const b of wb.rows(s)) for (const r of b) { if (!header) header = r.cells.map((c) => (c === undefined ? '' : String(c))); else rows.push(r.cells); }
      if (header) vc.push(...vendorRows(header, rows));
    }
    if (vc.length) { info.vendorCycles = vc; info.notes.push(`sheet${stats.length > 1 ? 's' : ''} ${stats.map((s) => `'${s.name}'`).join(', ')}: the cycler's own summary of ${vc.length} cycles (used for the cross-check)`); }
  }
  let maker: ArbinRecordMaker | null = null;
  let header: string[] = [];
  for (const sheet of data) {
    let first = true;
    let cells: (number | string | undefined)[] = [];
    let row = 0;
    const get = (c: ColumnInfo): number | null => {
      const x = cells[c.index];
      if (x === undefined || x === '') return null;
      if (typeof x === 'number') return x;
      const v = Number(x.trim());
      if (!Number.isFinite(v)) throw new DataError(`'${x.slice(0, 40)}' in column '${c.header}' is not a number`, { file: source, where: sheet.name, line: row });
      return v;
    };
    for (const b of wb.rows(sheet)) {
      const out: CyclerRecord[] = [];
      for (const r of b) {
        if (first) {
          first = false;
          const h = r.cells.map((c) => (c === undefined ? '' : String(c)));
          if (!maker) {
            const cols = arbinColumns(h);
            if (!cols || !isArbinHeader(h)) throw new DataError(`row ${r.row} of sheet '${sheet.name}' is not an Arbin header (Test_Time(s), Current(A), Voltage(V), Charge_/Discharge_Capacity(Ah) …)`, { file: source, where: sheet.name, line: r.row });
            maker = new ArbinRecordMaker(cols);
            header = h;
            info.columns = cols.info; info.ignoredColumns = cols.ignored; info.headerLine = r.row; info.headerWidth = h.length; info.sheet = sheet.name;
          } else if (h.join('\u0001') !== header.join('\u0001')) throw new DataError(`sheet '${sheet.name}' has other columns than '${data[0]!.name}'; the sheets cannot be joined`, { file: source, where: sheet.name, line: r.row });
          continue;
        }
        cells = r.cells; row = r.row;
        const rec = maker!.make(get, r.row, () => ({ file: source, where: sheet.name }));
        if (!rec) { info.skippedCount++; continue; }
        out.push(rec);
      }
      info.records += out.length;
      if (out.length) yield out;
    }
  }
  if (data.length > 1) info.notes.push(`${data.length} Channel sheets joined in order (line numbers are rows of each sheet)`);
}

export async function readArbin(input: Input): Promise<ReadResult> {
  const it = input.chunks()[Symbol.asyncIterator]();
  const { head, done } = await takeHead(it, SNIFF_BYTES);
  if (head.length === 0) throw new DataError('the file is empty', { file: input.name, line: 1 });
  async function* all(): AsyncGenerator<Uint8Array> {
    yield head;
    if (done) return;
    for (;;) { const r = await it.next(); if (r.done) return; yield r.value; }
  }
  const kind = sniffArbin(head);
  if (!kind) { await it.return?.(); throw new DataError('not an Arbin file: expected a CSV export (Data_Point, Test_Time, Current, Voltage, Charge_Capacity …) or an .xlsx export (Channel_* sheets)', { file: input.name, line: 1 }); }
  if (kind.kind === 'metadata') { await it.return?.(); throw new DataError('this is the metadata companion of an Arbin CSV export (test_id, schedule_file_name …), not data; give the data file (the one with Data_Point, Test_Time, Current, Voltage)', { file: input.name, line: 1 }); }
  if (kind.kind === 'res') {
    const bytes = await collect(all(), MAX_ARBIN_XLSX_BYTES, () => new DataError(`larger than ${MAX_ARBIN_XLSX_BYTES >> 20} MB: too large to read whole`, { file: input.name }));
    const info = arbinSourceInfo(input.name, 'Arbin .res (MS Access Jet 4)');
    const batches = readRes(bytes, input.name, info);
    return { info, batches: (async function* () { yield* batches; })() };
  }
  if (kind.kind === 'csv') {
    const info = arbinSourceInfo(input.name, 'Arbin CSV');
    info.encoding = 'utf-8';
    return { info, batches: readCsv(all(), input.name, info) };
  }
  const bytes = await collect(all(), MAX_ARBIN_XLSX_BYTES, () => new DataError(`larger than ${MAX_ARBIN_XLSX_BYTES >> 20} MB: too large to read whole; export .csv`, { file: input.name }));
  const info = arbinSourceInfo(input.name, 'Arbin workbook');
  return { info, batches: readXlsx(bytes, input.name, info) };
}

export const arbinReader: Reader = {
  name: 'arbin',
  sniff: (head) => arbinClaim(head),
  read: readArbin,
};
