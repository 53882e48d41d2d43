/**
 * Output: the same flat rows as a table (cli-table3), CSV (papaparse), JSON or NDJSON.
 * Keys are snake_case with units and identical across formats; only the table relabels them.
 */
import { papaparse, cliTable } from '../lazy.js';

export type Format = 'table' | 'json' | 'ndjson' | 'csv';
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
  /** One human line of what was assumed, printed under a table. */
  assumptionLine?: string;
  /** Printed on stderr as `hcarb: FILE: warning: …`. */
  warnings: string[];
  /** Printed on stderr with --verbose. */
  notes?: string[];
  /** A result printed but still a failure (e.g. a fit that did not converge): exit 1. */
  exitCode?: number;
}

const UNIT_SUFFIXES: [string, string][] = [
  ['_mAh_g_per_cycle', 'mAh/g/cycle'], ['_mAh_per_cycle', 'mAh/cycle'], ['_pct_per_100_cycles', '%/100 cycles'],
  ['_mAh_g_V', 'mAh/g/V'], ['_mAh_V', 'mAh/V'], ['_cm2_s', 'cm²/s'], ['_mV_h', 'mV/h'], ['_mAh_g', 'mAh/g'], ['_mAh', 'mAh'], ['_pct', '%'], ['_mg', 'mg'], ['_mV', 'mV'], ['_v', 'V'], ['_s', 's'],
  ['_a_g', 'A/g'], ['_a', 'A'], ['_ohm', 'Ω'], ['_f', 'F'], ['_h', 'h'], ['_V', 'V'],
];

/** `q_dis_mAh_g` → `q dis (mAh/g)`. */
export function label(key: string): string {
  for (const [suf, unit] of UNIT_SUFFIXES) {
    if (key.endsWith(suf) && key.length > suf.length) return `${key.slice(0, -suf.length).replace(/_/g, ' ')} (${unit})`;
  }
  return key.replace(/_/g, ' ');
}

export function fmtCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return '';
    if (Number.isInteger(v) && Math.abs(v) < 1e7) return String(v);
    const a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e7)) return v.toExponential(3);
    return a >= 1000 ? v.toFixed(1) : a >= 1 ? v.toFixed(Math.max(0, 4 - String(Math.trunc(a)).length + 1)) : v.toPrecision(4);
  }
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.join(' ');
  return String(v);
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

/** JSON-safe value: non-finite numbers become null; numbers to OUTPUT_DIGITS. */
function jsonReplacer(_k: string, v: unknown): unknown {
  if (typeof v !== 'number') return v;
  return Number.isFinite(v) ? outputNumber(v) : null;
}

export function toJson(v: unknown, pretty = true): string {
  return JSON.stringify(v, jsonReplacer, pretty ? 2 : undefined);
}

function csvValue(v: unknown): unknown {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? outputNumber(v) : '';
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'number' && Number.isFinite(x) ? outputNumber(x) : x)).join(';');
  if (typeof v === 'object') return JSON.stringify(v);
  return v;
}

/**
 * Writes results as they come, so that output already printed for good files stays valid when a
 * later file fails. Tables are collected and printed at the end.
 */
export class ResultWriter {
  private keys: string[] | null = null;
  private count = 0;
  private readonly tableRows: Row[] = [];
  private tableKeys: string[] | null = null;
  private readonly footers: string[] = [];

  constructor(private readonly format: Format, private readonly out: (s: string) => void, private readonly multi: boolean) {}

  write(r: FileResult): void {
    switch (this.format) {
      case 'json': {
        const body = toJson(r.doc);
        if (this.multi) this.out((this.count === 0 ? '[\n' : ',\n') + indent(body));
        else this.out(body + '\n');
        break;
      }
      case 'ndjson':
        for (const row of r.rows) this.out(toJson(row, false) + '\n');
        break;
      case 'csv': {
        if (!r.rows.length) break;
        if (!this.keys) {
          this.keys = Object.keys(r.rows[0]!);
          this.out(papaparse().unparse([this.keys], { newline: '\n' }) + '\n');
        }
        const keys = this.keys;
        this.out(papaparse().unparse(r.rows.map((row) => keys.map((k) => csvValue(row[k]))), { newline: '\n' }) + '\n');
        break;
      }
      case 'table':
        this.tableKeys ??= r.tableKeys ?? (r.rows[0] ? Object.keys(r.rows[0]) : null);
        this.tableRows.push(...(r.tableRows ?? r.rows));
        if (r.assumptionLine) this.footers.push(this.multi ? `${r.file}: ${r.assumptionLine}` : r.assumptionLine);
        break;
    }
    this.count++;
  }

  end(): void {
    if (this.format === 'json' && this.multi) this.out(this.count ? '\n]\n' : '[]\n');
    if (this.format === 'table' && this.tableKeys?.[0] === '__kv__') {
      for (const r of this.tableRows) this.out(renderKeyValue(r) + '\n');
      return;
    }
    if (this.format === 'table' && this.tableKeys && this.tableRows.length) {
      this.out(renderTable(this.tableRows, this.tableKeys) + '\n');
      for (const f of this.footers) this.out(f + '\n');
    }
  }
}

function indent(s: string): string {
  return s.split('\n').map((l) => '  ' + l).join('\n');
}

export function renderTable(rows: Row[], keys: string[]): string {
  const t = new (cliTable())({ head: keys.map(label), style: { head: [], border: [] }, chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } });
  for (const r of rows) t.push(keys.map((k) => fmtCell(r[k])));
  return t.toString();
}

/** A vertical key / value table (one file per table), for `inspect`. */
export function renderKeyValue(row: Row): string {
  const t = new (cliTable())({ style: { head: [], border: [] }, chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } });
  for (const [k, v] of Object.entries(row)) {
    if (v === null || v === undefined || v === '') continue;
    t.push({ [label(k)]: fmtCell(v).replace(/; /g, '\n') });
  }
  return t.toString();
}
