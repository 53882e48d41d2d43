/** `hcarb inspect`: what a file is and how hcarb reads it — the command to run when a number looks wrong. */
import { perFileRun } from './run.js';
import type { CommandSpec, FieldSpec } from './spec.js';
import { peekInput, type Input } from '../io.js';
import { loadChi } from '../load.js';
import { looksLikeChi, type ChiFile } from '../readers/chi/chi.js';
import { splitSweeps } from '../analysis/cv.js';
import type { FileResult, Row } from '../output/format.js';
import { runCycling } from './cycling-run.js';
import type { CommonOptions } from './common.js';

function duration(s: number | null): string | null {
  if (s === null) return null;
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  return d ? `${d} d ${h} h ${m} min` : h ? `${h} h ${m} min` : `${m} min ${Math.round(s % 60)} s`;
}

function inspectChi(f: ChiFile): FileResult {
  const sweeps = f.kind === 'cv' || f.kind === 'lsv' ? splitSweeps(f.data[0]!, f.segments).length : null;
  const doc: Row = {
    file: f.source, instrument: 'CHI', reader: 'chi', reader_reason: 'content sniffed: a CHI date line and technique line', technique: f.technique, technique_key: f.kind, model: f.model, date: f.date, date_text: f.dateText,
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
    ...doc, memo: Object.entries(f.memo).map(([k, v]) => `${k}: ${v}`).join('\n'),
    parameters: f.parameters.map((p) => `${p.key}${p.unit ? ` (${p.unit})` : ''} = ${p.value}`).join('\n'),
    flags: f.flags.join('\n'), results: f.results.map((r) => `${r.segment !== null ? `seg ${r.segment} ` : ''}${r.name} = ${r.value}${r.unit}`).join('\n'),
    columns: f.columns.map((c) => `${c.header}→${c.canonical}`).join('\n'), phantom_columns: f.phantomColumns.join('\n'), notes: f.notes.join('\n'), warnings: '',
  };
  return { file: f.source, doc, rows: [doc], tableRows: [flat], vertical: true, warnings: [], notes: [] };
}

const f = (key: string, description: string) => ({ key, description });
export const INSPECT_FIELDS: FieldSpec[] = [
  f('file', 'the input file as given'), f('instrument', 'LAND, CHI, Neware, …'), f('reader', 'the reader that read the file'), f('reader_reason', 'why that reader: its confidence from the content, and the others\''), f('layout', 'how the records are laid out (record table, mixed export, workbook sheet)'),
  f('technique', 'CHI: the technique as written'), f('technique_key', 'CHI: cv, lsv, eis, istep, …'), f('model', 'CHI: instrument model'),
  f('date', 'CHI: date of the run (ISO)'), f('date_text', 'CHI: the date as written'), f('sheet', 'workbook: the sheet read'),
  f('encoding', 'text encoding'), f('delimiter', 'field delimiter'), f('decimal_comma', 'numbers written with a decimal comma'),
  f('header_line', 'line of the column headers'), f('columns', 'the columns read: header, canonical name, unit (JSON text in CSV)'),
  f('column_count', 'cells in the header row'), f('ignored_columns', 'header cells not used'), f('phantom_columns', 'CHI: columns named in the header with no data'),
  f('memo', 'CHI: the memo lines'), f('parameters', 'CHI: the technique parameters'), f('flags', 'CHI: option flags in the header'), f('results', "CHI: the file's own Results block"),
  f('points', 'CHI: data points'), f('segment_blocks_in_data', 'CHI: the data are split into Segment blocks'), f('sweeps', 'CHI CV: sweeps found'),
  f('records', 'records read'), f('rest_records', 'records classified as rest'), f('steps', 'steps'), f('half_cycles', 'half-cycles'), f('cycles', 'cycles'),
  f('complete_cycles', 'cycles with both branches'), f('vendor_cycles', "the cycler's own largest cycle number"), f('time_span_s', 'time from the first to the last record'),
  f('time_span', 'the time span in days, hours and minutes'), f('capacity_source', 'capacity from the column, or integrated |I| dt'),
  f('stated_mass_mg', 'mass implied by Capacity / SpeCap'), f('mass_mg', 'mass used'), f('mass_source', 'where the mass came from'),
  f('cycler_summary_cycles', "rows in the cycler's own cycle table"), f('crosscheck', "the cross-check with the cycler's table"),
  f('skipped_lines', 'lines skipped'), f('skipped_examples', 'the first skipped lines and why'), f('notes', 'notes'), f('warnings', 'warnings'),
];

export async function inspectCommand(input0: Input, o: CommonOptions): Promise<FileResult> {
  const { head, input } = await peekInput(input0);
  if (looksLikeChi(new TextDecoder('latin1').decode(head.subarray(0, 4096)))) return inspectChi(await loadChi(input));
  const run = await runCycling(input, o);
  const { info, data } = run.loaded;
  const doc: Row = {
    file: input.name,
    instrument: info.instrument,
    reader: info.reader ?? null,
    reader_reason: info.readerReason ?? null,
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
  const flat: Row = { ...doc, columns: info.columns.map((c) => `${c.header}→${c.canonical}`).join('\n'), ignored_columns: info.ignoredColumns.join('\n'), crosscheck: run.crosscheck ? `${run.crosscheck.status} (max ${run.crosscheck.max_diff_pct.toPrecision(2)} %)` : null, skipped_examples: (doc.skipped_examples as string[]).join('\n'), notes: info.notes.join('\n'), warnings: run.warnings.join('\n') };
  return { file: input.name, doc, rows: [doc], tableRows: [flat], vertical: true, warnings: run.warnings, notes: [] };
}

function maxVendor(v: (number | null)[]): number | null {
  let m: number | null = null;
  for (const x of v) if (x !== null && (m === null || x > m)) m = x;
  return m;
}

export const command: CommandSpec = {
  name: 'inspect',
  summary: 'what a file is and how hcarb reads it',
  description: "Instrument, layout, sheet, encoding, header line, the columns found with their canonical names and units, records, steps, cycles, time span, stated mass, the cross-check with the cycler's own summary, and anything skipped or guessed. Run it when a number looks wrong.",
  files: 'exports to inspect; - or none for standard input',
  takes: { mass: true, first: true },
  options: [],
  examples: ['hcarb inspect samples/npnhc-t1200.csv', "hcarb inspect samples/npnhc-t1200.csv --json | jq '.[0].columns'", 'hcarb inspect samples/npnhc-t1200.csv samples/npnhc-eis.txt --format ndjson'],
  fields: INSPECT_FIELDS,
  run: perFileRun((input, _o, c) => inspectCommand(input, c)),
};
