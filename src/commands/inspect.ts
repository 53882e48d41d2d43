/** `hcarb inspect`: what a file is and how hcarb reads it — the command to run when a number looks wrong. */
import { peekInput, type Input } from '../io.js';
import { loadChi } from '../load.js';
import { looksLikeChi, type ChiFile } from '../parse/chi.js';
import { splitSweeps } from '../analysis/cv.js';
import type { FileResult, Row } from '../output/format.js';
import { runCycling } from './cycling.js';
import type { CommonOptions } from './common.js';

function duration(s: number | null): string | null {
  if (s === null) return null;
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  return d ? `${d} d ${h} h ${m} min` : h ? `${h} h ${m} min` : `${m} min ${Math.round(s % 60)} s`;
}

function inspectChi(f: ChiFile): FileResult {
  const sweeps = f.kind === 'cv' || f.kind === 'lsv' ? splitSweeps(f.data[0]!, f.segments).length : null;
  const doc: Row = {
    file: f.source, instrument: 'CHI', technique: f.technique, technique_key: f.kind, model: f.model, date: f.date, date_text: f.dateText,
    encoding: f.encoding, memo: f.memo,
    parameters: f.parameters.map((p) => ({ key: p.key, unit: p.unit, value: p.value })),
    flags: f.flags, results: f.results,
    header_line: f.headerLine,
    columns: f.columns.map((c) => ({ header: c.header, canonical: c.canonical, unit: c.unit })),
    phantom_columns: f.phantomColumns, points: f.data[0]?.length ?? 0,
    segment_blocks_in_data: f.segments !== null, sweeps,
    notes: f.notes, warnings: [],
  };
  const flat: Row = {
    ...doc, memo: Object.entries(f.memo).map(([k, v]) => `${k}: ${v}`).join('; '),
    parameters: f.parameters.map((p) => `${p.key}${p.unit ? ` (${p.unit})` : ''} = ${p.value}`).join('; '),
    flags: f.flags.join('; '), results: f.results.map((r) => `${r.segment !== null ? `seg ${r.segment} ` : ''}${r.name} = ${r.value}${r.unit}`).join('; '),
    columns: f.columns.map((c) => `${c.header}→${c.canonical}`).join('; '), phantom_columns: f.phantomColumns.join('; '), notes: f.notes.join('; '), warnings: '',
  };
  return { file: f.source, doc, rows: [flat], tableKeys: ['__kv__'], warnings: [], notes: [] };
}

export async function inspectCommand(input0: Input, o: CommonOptions): Promise<FileResult> {
  const { head, input } = await peekInput(input0);
  if (looksLikeChi(new TextDecoder('latin1').decode(head.subarray(0, 4096)))) return inspectChi(await loadChi(input));
  const run = await runCycling(input, o);
  const { info, data } = run.loaded;
  const doc: Row = {
    file: input.name,
    instrument: info.instrument,
    layout: info.layout,
    sheet: info.sheet ?? null,
    encoding: info.encoding ?? null,
    delimiter: info.delimiter ?? null,
    decimal_comma: info.decimalComma ?? false,
    header_line: info.headerLine ?? null,
    columns: info.columns.map((c) => ({ header: c.header, canonical: c.canonical, unit: c.unit, scale_to_canonical: Number.isNaN(c.scale) ? 'days (number) or D-HH:MM:SS' : c.scale })),
    column_count: info.headerWidth ?? info.columns.length + info.ignoredColumns.length,
    ignored_columns: info.ignoredColumns,
    records: data.records,
    rest_records: data.restRecords,
    steps: data.steps,
    half_cycles: data.halfCycles.length,
    cycles: data.cycles.length,
    complete_cycles: data.cycles.filter((c) => c.extraction).length,
    vendor_cycles: maxVendor(data.halfCycles.map((h) => h.vendorCycle)),
    time_span_s: data.timeSpanS,
    time_span: duration(data.timeSpanS),
    capacity_source: data.capacitySource,
    stated_mass_mg: data.statedMassMg,
    mass_mg: run.mass.massMg,
    mass_source: run.mass.source,
    cycler_summary_cycles: info.vendorCycles?.length ?? null,
    crosscheck: run.crosscheck,
    skipped_lines: info.skippedCount,
    skipped_examples: info.skipped.slice(0, 5).map((s) => `${s.line}: ${s.reason}`),
    notes: info.notes,
    warnings: run.warnings,
  };
  const flat: Row = { ...doc, columns: info.columns.map((c) => `${c.header}→${c.canonical}`).join('; '), ignored_columns: info.ignoredColumns.join('; '), crosscheck: run.crosscheck ? `${run.crosscheck.status} (max ${run.crosscheck.max_diff_pct.toPrecision(2)} %)` : null, skipped_examples: (doc.skipped_examples as string[]).join('; '), notes: info.notes.join('; '), warnings: run.warnings.join('; ') };
  return { file: input.name, doc, rows: [flat], tableKeys: ['__kv__'], warnings: run.warnings, notes: [] };
}

function maxVendor(v: (number | null)[]): number | null {
  let m: number | null = null;
  for (const x of v) if (x !== null && (m === null || x > m)) m = x;
  return m;
}
