/**
 * Output: the same flat rows as a table, CSV, TSV, JSON or NDJSON. Keys are snake_case with units
 * and identical across formats; only the table relabels them (units.ts).
 *
 * The contract scripts rely on:
 * - JSON is always an array of file results, one element per file (one element for one file).
 * - NDJSON is one object per row; CSV and TSV one line per row under one header line.
 * - Numbers in machine formats have 12 significant digits (no float noise); non-finite numbers
 *   are null (JSON) or empty (CSV/TSV).
 * - `--fields` selects and orders the columns of table, CSV, TSV and NDJSON.
 */
import { renderTable, type TableLayout } from './table.js';

export type Format = 'table' | 'json' | 'ndjson' | 'csv' | 'tsv';
export const FORMATS: readonly Format[] = ['table', 'json', 'ndjson', 'csv', 'tsv'];
export type Row = Record<string, unknown>;

/** What a command produced for one file. */
export interface FileResult {
  file: string;
  /** The JSON document for this file (with `assumptions` and `warnings`). */
  doc: Row;
  /** Flat rows for table / CSV / NDJSON. */
  rows: Row[];
  /** Key order and which keys a table shows (all keys in machine formats). */
  tableKeys?: string[];
  /** Rows the table shows when they differ from the machine rows (e.g. peaks instead of a curve). */
  tableRows?: Row[];
  /** Show the table vertically, one key per line (inspect). */
  vertical?: boolean;
  /** One human line of what was assumed, printed under a table. */
  assumptionLine?: string;
  /** Why a blank table cell is blank: key → reason (printed under the table). */
  blanks?: Record<string, string>;
  /** Printed on stderr as `hcarb: FILE: warning: …`. */
  warnings: string[];
  /** Printed on stderr with --verbose. */
  notes?: string[];
  /** A result printed but still a failure (e.g. a fit that did not converge): exit 1. */
  exitCode?: number;
}

/**
 * Significant digits of numbers in JSON, NDJSON and CSV. No measurement carries more than ~7, and
 * at 12 the noise of binary floating point (373.29999999999995 for 1.41854 mAh / 3.8 mg) is gone.
 */
export const OUTPUT_DIGITS = 12;

/** A number as the machine formats write it: 12 significant digits; integers as they are. */
export function outputNumber(v: number): number {
  return Number.isInteger(v) ? v : Number(v.toPrecision(OUTPUT_DIGITS));
}

/**
 * Checks for the fuzzer: with `strictNumbers` a NaN or infinity reaching the output is an error
 * (a result that should have been null with a reason) instead of a silent null.
 */
export const outputChecks = { strictNumbers: false };

/** JSON-safe value: non-finite numbers become null; numbers to OUTPUT_DIGITS. */
function jsonReplacer(k: string, v: unknown): unknown {
  if (typeof v !== 'number') return v;
  if (!Number.isFinite(v) && outputChecks.strictNumbers) throw new Error(`non-finite number (${v}) in the output at key '${k}'`);
  return Number.isFinite(v) ? outputNumber(v) : null;
}

export function toJson(v: unknown, pretty = true): string {
  return JSON.stringify(v, jsonReplacer, pretty ? 2 : undefined);
}

/**
 * One cell as CSV or TSV writes it. CSV (RFC 4180): quoted, with quotes doubled, when it holds a
 * comma, a quote, a line break or a byte-order mark, or begins or ends with a space (as papaparse's
 * writer does, which hcarb used before); TSV: tabs and line breaks become one space.
 */
export function delimitedCell(s: string, f: 'csv' | 'tsv'): string {
  if (f === 'tsv') return s.replace(/[\t\r\n]+/g, ' ');
  return /[",\r\n\ufeff]|^ | $/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A line of cells (no line break). */
export function delimitedLine(cells: string[], f: 'csv' | 'tsv'): string {
  return cells.map((c) => delimitedCell(c, f)).join(f === 'csv' ? ',' : '\t');
}

/** A cell of CSV/TSV: numbers to 12 digits, lists of plain values joined by ';', anything nested as JSON text. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(outputNumber(v)) : '';
  if (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object')) return v.map((x) => cellText(x)).join(';');
  if (typeof v === 'object') return toJson(v, false);
  return String(v);
}

export interface WriterOptions {
  format: Format;
  /** Columns chosen with --fields (already checked against the command's keys). */
  fields?: string[];
  /** CSV/TSV header line (--no-header turns it off). */
  header: boolean;
  /** Table layout: terminal width and --wide. */
  layout: TableLayout;
}

/**
 * Collects results and writes them. JSON and NDJSON are written as each file finishes, so that the
 * output of good files stands when a later file fails; CSV, TSV and tables wait for the last file,
 * so that their header covers every file's keys (a LAND and a CHI file in one `inspect`).
 */
export class ResultWriter {
  private count = 0;
  private readonly held: FileResult[] = [];

  constructor(private readonly o: WriterOptions, private readonly out: (s: string) => void) {}

  private project(row: Row): Row {
    if (!this.o.fields) return row;
    const r: Row = {};
    for (const k of this.o.fields) r[k] = row[k] ?? null;
    return r;
  }

  write(r: FileResult): void {
    switch (this.o.format) {
      case 'json':
        this.out((this.count === 0 ? '[\n' : ',\n') + indent(toJson(r.doc)));
        break;
      case 'ndjson':
        for (const row of r.rows) this.out(toJson(this.project(row), false) + '\n');
        break;
      default:
        this.held.push(r);
    }
    this.count++;
  }

  end(): void {
    const f = this.o.format;
    if (f === 'json') this.out(this.count ? '\n]\n' : '[]\n');
    else if (f === 'csv' || f === 'tsv') this.delimited(f);
    else if (f === 'table') {
      const text = renderTable(this.held, this.o.fields ?? null, this.o.layout);
      if (text) this.out(text);
    }
  }

  private delimited(f: 'csv' | 'tsv'): void {
    const rows = this.held.flatMap((r) => r.rows);
    let keys = this.o.fields;
    if (!keys) {
      const seen = new Set<string>();
      for (const row of rows) for (const k of Object.keys(row)) seen.add(k);
      keys = [...seen];
    }
    if (!keys.length) return;
    const lines: string[][] = [];
    if (this.o.header) lines.push(keys);
    for (const row of rows) lines.push(keys.map((k) => cellText(row[k])));
    this.out(lines.map((l) => delimitedLine(l, f)).join('\n') + '\n');
  }
}

function indent(s: string): string {
  return s.split('\n').map((l) => '  ' + l).join('\n');
}
