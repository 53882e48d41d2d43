/**
 * BTSDA 7 Excel exports as legacy `.xls` (BIFF8): sheets `Info`, `Cycle_<dev>_<unit>_<chl>` (the
 * cycler's own per-cycle capacities), `Statis_…` (steps) and `Detail_…` (records; a long test
 * continues on further `Detail…` sheets). Records: `Record Index, Status, JumpTo, Cycle, Step,
 * Cur(mA), Voltage(V), CapaCity(mAh), Energy(mWh), Relative Time(h:min:s.ms), Absolute Time`.
 */
import { DataError } from '../../errors.js';
import type { CyclerRecord, SourceInfo, VendorCycle } from '../../types.js';
import { XlsWorkbook, type XlsCell } from '../shared/xls.js';
import { matchRecordColumns } from './columns.js';
import { isNewareRecordHeader, planRecords, type Ctx, type RecordPlan } from './text.js';

const BATCH = 4096;

function texts(cells: XlsCell[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < cells.length; i++) { const c = cells[i]; out.push(c === undefined ? '' : typeof c === 'number' ? String(c) : c); }
  return out;
}

/** The sheet names of a BIFF8 workbook (for sniffing), or null when it is not one. */
export function xlsSheetNames(bytes: Uint8Array, source: string): string[] | null {
  try { return new XlsWorkbook(bytes, source).sheets.map((s) => s.name); } catch { return null; }
}

export function isBts7Workbook(names: string[]): boolean {
  return names.some((n) => /^detail/i.test(n)) && names.some((n) => /^(cycle|statis)/i.test(n));
}

export function* readBts7Xls(bytes: Uint8Array, source: string, info: SourceInfo): Generator<CyclerRecord[]> {
  const wb = new XlsWorkbook(bytes, source);
  const details = wb.sheets.filter((s) => /^detail/i.test(s.name.trim()));
  if (!details.length) throw new DataError(`no Detail sheet: the workbook has sheets ${wb.sheets.map((s) => `'${s.name}'`).join(', ')}; export the records (Detail) from BTSDA`, { file: source });
  info.layout = 'BTSDA 7 workbook (.xls)';
  info.sheet = details.map((s) => s.name).join(', ');
  const infoSheet = wb.sheets.find((s) => /^info$/i.test(s.name.trim()));
  if (infoSheet) {
    for (const r of wb.rows(infoSheet)) {
      for (const c of texts(r.cells)) if (/cycle mode/i.test(c)) info.notes.push(`Info sheet: ${c.trim()}`);
    }
  }
  const cycleSheet = wb.sheets.find((s) => /^cycle/i.test(s.name.trim()));
  if (cycleSheet) {
    const vendor: VendorCycle[] = [];
    let cols: ReturnType<typeof matchRecordColumns>['cols'] | null = null;
    for (const r of wb.rows(cycleSheet)) {
      const t = texts(r.cells);
      if (!cols) {
        const m = matchRecordColumns(t, ['cycle', 'cycChgCap', 'cycDchgCap', 'cycEff']).cols;
        if (m.cycle && (m.cycChgCap || m.cycDchgCap)) cols = m;
        continue;
      }
      const get = (k: 'cycle' | 'cycChgCap' | 'cycDchgCap' | 'cycEff'): number | null => {
        const c = cols![k];
        if (!c) return null;
        const v = r.cells[c.index];
        return typeof v === 'number' ? v * c.scale : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) * c.scale : null;
      };
      const cycle = get('cycle');
      if (cycle === null) continue;
      vendor.push({ cycle, capCMAh: get('cycChgCap'), capDMAh: get('cycDchgCap'), speCapCMAhG: null, speCapDMAhG: null, efficiencyPct: get('cycEff') });
    }
    if (vendor.length) {
      info.vendorCycles = vendor;
      info.notes.push(`sheet '${cycleSheet.name}': the cycler's own summary of ${vendor.length} cycles (used for the cross-check)`);
    }
  }
  let plan: RecordPlan | null = null;
  const ctx: Ctx = { cycle: null, stepIndex: null, stepType: null };
  let batch: CyclerRecord[] = [];
  let records = 0;
  for (const sheet of details) {
    const rows = wb.rows(sheet);
    let first = true;
    for (const r of rows) {
      const t = texts(r.cells);
      if (first) {
        first = false;
        if (isNewareRecordHeader(t)) {
          if (!plan) { info.columns = []; plan = planRecords(t, r.row, source, info, sheet.name); }
          continue;
        }
        if (!plan) throw new DataError(`the first row of sheet '${sheet.name}' is not a record header (expected Record Index, Status, Cur(mA), Voltage(V) …)`, { file: source, where: sheet.name, line: r.row });
      }
      if (t.every((c) => c.trim() === '')) continue;
      batch.push(plan!.record(t, r.row, ctx));
      records++;
      if (batch.length >= BATCH) { info.records = records; yield batch; batch = []; }
    }
  }
  info.records = records;
  if (batch.length) yield batch;
  if (!records) throw new DataError('the Detail sheet has a header but no records', { file: source });
  plan?.finish();
  if (details.length > 1) info.notes.push(`records from ${details.length} sheets in workbook order (line = row within its sheet)`);
}
