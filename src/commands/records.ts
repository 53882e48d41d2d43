/**
 * `hcarb records FILE…`: the canonical records of any supported export, as CSV, TSV or NDJSON with
 * units in the column names — the converter between instruments, and how every reader is checked
 * against the vendor's own export. Streamed: memory does not grow with the file.
 */
import { UsageError } from '../errors.js';
import { openRecords } from '../load.js';
import { cellText, delimitedLine, toJson } from '../output/format.js';
import type { CyclerRecord } from '../types.js';
import type { CommandSpec, FieldSpec } from './spec.js';

const STATE: Record<string, string> = { D: 'discharge', C: 'charge', R: 'rest' };

export const RECORD_FIELDS: FieldSpec[] = [
  { key: 'file', description: 'the input file as given (only with several files)' },
  { key: 'line', description: 'line in the text file, row in the sheet, or the record index in a binary file' },
  { key: 'time_s', description: 'test time' },
  { key: 'step_time_s', description: 'time within the step' },
  { key: 'current_mA', description: 'current, negative in discharge (sodiation)' },
  { key: 'voltage_V', description: 'cell voltage' },
  { key: 'capacity_mAh', description: 'capacity as the cycler writes it (per step or per half-cycle)' },
  { key: 'specific_capacity_mAh_g', description: "the cycler's specific capacity, where the file has one" },
  { key: 'state', description: "discharge, charge or rest from the file's step type (empty when the file has none)" },
  { key: 'vendor_cycle', description: "the cycler's own cycle number" },
  { key: 'vendor_step', description: "the cycler's own step number" },
];

function row(r: CyclerRecord, extra: string[]): unknown[] {
  return [r.line, r.timeS, r.stepTimeS, r.currentMA, r.voltageV, r.capacityMAh, r.specificCapacityMAhG, r.stateKind ? STATE[r.stateKind] : null, r.cycleIndex, r.stepIndex, ...extra.map((k) => r.extra?.[k] ?? null)];
}

const HEAD_ROWS = 20;

export const command: CommandSpec = {
  name: 'records',
  summary: 'the canonical records of any supported export (CSV, TSV, NDJSON)',
  description: "Every record of a cycler export as the readers see it, converted to canonical units with the units in the column names: the converter between instruments and file formats. Auxiliary channels (temperature) follow as extra columns. On a terminal, a table of the first records; CSV when piped. Streamed, so a file of any size takes constant memory.",
  files: 'cycler exports (LAND, Neware, …); - or none for standard input',
  takes: { output: false },
  options: [
    { flags: '-f, --format <format>', description: 'output format (default: a table of the first records on a terminal, csv when piped)', choices: ['table', 'csv', 'tsv', 'ndjson'] },
    { flags: '--fields <keys>', description: "columns, comma-separated ('--fields help' lists them)" },
    { flags: '--no-header', description: 'CSV/TSV without the header line' },
  ],
  examples: ['hcarb records samples/npnhc-t1200.csv > records.csv', "hcarb records samples/npnhc-t1200.csv --format ndjson | jq -c 'select(.state == \"rest\") | [.line, .voltage_V]'", 'hcarb records run.ndax --fields time_s,voltage_V,current_mA --format tsv'],
  fields: RECORD_FIELDS,
  async run(ctx, _args, files0, o) {
    const files = ctx.inputFiles(files0);
    const format = (o.format as string | undefined) ?? (ctx.isTerminal() ? 'table' : 'csv');
    let want: string[] | null = null;
    if (o.fields !== undefined) {
      if (String(o.fields).trim() === 'help') { ctx.io.stdout(ctx.fieldsHelp()); return; }
      want = String(o.fields).split(',').map((s) => s.trim()).filter(Boolean);
      const bad = want.filter((k) => !RECORD_FIELDS.some((f) => f.key === k) && !/_[A-Za-z]+$/.test(k));
      if (bad.length) throw new UsageError(`--fields: no key ${bad.map((b) => `'${b}'`).join(', ')} in hcarb records; the keys are ${RECORD_FIELDS.map((f) => f.key).join(', ')} and the file's auxiliary channels`);
    }
    const multi = files.length > 1;
    let headerDone = false;
    for (const f of files) {
      const input = ctx.io.open(f);
      try {
        const opened = await openRecords(input);
        let keys: string[] | null = null;
        let shown = 0, total = 0;
        const table: string[][] = [];
        for await (const batch of opened.records) {
          if (!batch.length) continue;
          if (!keys) {
            // One header for a batch: auxiliary channels only with one file (or named in --fields).
            const extra = multi ? (opened.info.extraColumns ?? []).filter((k) => want?.includes(k)) : opened.info.extraColumns ?? [];
            const all = ['line', 'time_s', 'step_time_s', 'current_mA', 'voltage_V', 'capacity_mAh', 'specific_capacity_mAh_g', 'state', 'vendor_cycle', 'vendor_step', ...extra];
            keys = all;
            if (!headerDone && o.header !== false && (format === 'csv' || format === 'tsv')) {
              const cols = want ?? (multi ? ['file', ...all] : all);
              ctx.io.stdout(delimitedLine(cols, format) + '\n');
            }
            headerDone = true;
          }
          const cols = want ?? (multi ? ['file', ...keys] : keys);
          const idx = cols.map((k) => (k === 'file' ? -1 : keys!.indexOf(k)));
          let out = '';
          for (const r of batch) {
            total++;
            const v = row(r, opened.info.extraColumns ?? []);
            const cells = idx.map((i) => (i === -1 ? input.name : i >= 0 ? v[i] : null));
            if (format === 'ndjson') out += toJson(Object.fromEntries(cols.map((k, j) => [k, cells[j] ?? null])), false) + '\n';
            else if (format === 'table') { if (shown < HEAD_ROWS) { table.push(cells.map((c) => cellText(c))); shown++; } }
            else out += delimitedLine(cells.map((c) => cellText(c)), format as 'csv' | 'tsv') + '\n';
          }
          if (out) ctx.io.stdout(out);
        }
        if (format === 'table') {
          const cols = want ?? keys ?? [];
          const w = cols.map((k, j) => Math.max(k.length, ...table.map((r) => r[j]!.length)));
          ctx.io.stdout(`${input.name}: ${opened.info.instrument} ${opened.info.layout}, ${total} records${total > shown ? ` (the first ${shown}; --format csv for all)` : ''}\n`);
          ctx.io.stdout([cols, ...table].map((r) => r.map((c, j) => c.padStart(w[j]!)).join('  ')).join('\n') + '\n');
        }
        for (const w of opened.info.warnings) ctx.warn(input.name, w);
      } catch (e) {
        if (e instanceof UsageError || !ctx.fail(e, f === '-' ? '<stdin>' : f)) throw e;
      }
    }
  },
};
