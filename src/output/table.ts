/**
 * Tables for people: headers and decimals from units.ts, fitted to the terminal.
 *
 * To fit the width: with one file, the file column goes and the file is named above the table;
 * with several, files are shown by their stem (`npnhc-t1200`, more of the path only where two
 * stems collide); if the table is still too wide it is printed vertically, one key per line.
 * `--wide` keeps the full table whatever the width.
 */
import { cliTable } from '../lazy.js';
import { columnFormatter, header } from './units.js';
import type { FileResult, Row } from './format.js';

export interface TableLayout {
  /** Terminal columns; tables never print lines longer than this unless `wide`. */
  width: number;
  wide: boolean;
}

/** Visible width of a rendered line (our text has no wide or combining characters). */
export function visibleWidth(s: string): number {
  // eslint-disable-next-line no-control-regex
  return [...s.replace(/\x1b\[[0-9;]*m/g, '')].length;
}

/** The shortest distinct names for paths: the stem, with parent folders added where stems collide. */
export function shortNames(paths: string[]): Map<string, string> {
  const parts = new Map(paths.map((p) => [p, p.replace(/\\/g, '/').split('/').filter(Boolean)]));
  const stem = (segs: string[], depth: number) => {
    const last = segs[segs.length - 1] ?? '';
    const base = segs.length ? last.replace(/\.(csv|txt|xlsx|xls|tsv|dta|mpt|mpr|ndax|nda|res)$/i, '') : '';
    return [...segs.slice(Math.max(0, segs.length - depth), -1), base].join('/');
  };
  const out = new Map<string, string>();
  for (const p of new Set(paths)) {
    const segs = parts.get(p)!;
    let depth = 1;
    while (depth < segs.length && [...new Set(paths)].some((q) => q !== p && stem(parts.get(q)!, depth) === stem(segs, depth))) depth++;
    out.set(p, segs.length ? stem(segs, depth) : p);
  }
  return out;
}

function union(lists: string[][]): string[] {
  const seen = new Set<string>();
  for (const l of lists) for (const k of l) seen.add(k);
  return [...seen];
}

function isNumericColumn(rows: Row[], k: string): boolean {
  return rows.some((r) => typeof r[k] === 'number') && rows.every((r) => r[k] === null || r[k] === undefined || typeof r[k] === 'number');
}

/** Text cells wider than this wrap at spaces. */
const MAX_TEXT_CELL = 32;

function grid(rows: Row[], keys: string[]): string {
  const fmts = new Map(keys.map((k) => [k, columnFormatter(k, rows.map((r) => r[k]))]));
  const numeric = new Set(keys.filter((k) => isNumericColumn(rows, k)));
  const t = new (cliTable())({
    head: keys.map(header), style: { head: [], border: [], compact: true },
    colAligns: keys.map((k) => (numeric.has(k) ? 'right' : 'left')),
  });
  // Long text (a list of flags) wraps inside its cell rather than widening the whole table.
  for (const r of rows) t.push(keys.map((k) => wrap(fmts.get(k)!(r[k]), MAX_TEXT_CELL).replace(/\n {2}/g, '\n')));
  return t.toString();
}

/** One block per row: `header  value` lines, aligned. */
function vertical(rows: Row[], keys: string[], skipEmpty: boolean): string {
  const fmts = new Map(keys.map((k) => [k, columnFormatter(k, rows.map((r) => r[k]))]));
  const labels = new Map(keys.map((k) => [k, header(k)]));
  const w = Math.max(...keys.map((k) => visibleWidth(labels.get(k)!)));
  return rows.map((r) => keys
    .map((k) => [k, fmts.get(k)!(r[k])] as const)
    .filter(([, v]) => !skipEmpty || v !== '')
    .map(([k, v]) => `${labels.get(k)!.padEnd(w)}  ${v.replace(/\n/g, '\n' + ' '.repeat(w + 2))}`).join('\n')).join('\n\n');
}

function tooWide(text: string, width: number): boolean {
  return text.split('\n').some((l) => visibleWidth(l) > width);
}

/** Notes printed under a table: one assumption line per batch unless they differ, and why cells are blank. */
function footers(results: FileResult[], names: Map<string, string>, oneFile: boolean): string[] {
  const lines: string[] = [];
  const assumed = results.filter((r) => r.assumptionLine);
  const distinct = new Set(assumed.map((r) => r.assumptionLine));
  if (distinct.size === 1) lines.push(assumed[0]!.assumptionLine!);
  else for (const r of assumed) lines.push(`${names.get(r.file) ?? r.file}: ${r.assumptionLine!}`);
  for (const r of results) {
    for (const [k, why] of Object.entries(r.blanks ?? {})) lines.push(`${oneFile ? '' : `${names.get(r.file) ?? r.file}: `}${header(k)} is blank: ${why}`);
  }
  return lines;
}

/** The whole table output of a batch ('' when there is nothing to show). */
export function renderTable(results: FileResult[], fields: string[] | null, layout: TableLayout): string {
  if (!results.length) return '';
  const files = [...new Set(results.map((r) => r.file))];
  const names = shortNames(files);
  const oneFile = files.length === 1;
  const out: string[] = [];

  if (results.every((r) => r.vertical)) {
    for (const r of results) {
      const rows = r.tableRows ?? r.rows;
      const keys = fields ?? union(rows.map((x) => Object.keys(x)));
      if (!oneFile || results.length > 1) out.push(`== ${r.file}`);
      out.push(vertical(rows, keys.filter((k) => fields || k !== 'file'), !fields));
    }
    return out.join('\n') + '\n';
  }

  let keys = fields ?? union(results.map((r) => r.tableKeys ?? Object.keys((r.tableRows ?? r.rows)[0] ?? {})));
  let rows = results.flatMap((r) => (r.tableRows ?? r.rows).map((row) => ('file' in row ? { ...row, file: names.get(String(row.file)) ?? row.file } : row)));
  if (!rows.length) return footers(results, names, oneFile).map((l) => l + '\n').join('');
  if (oneFile && keys.includes('file') && !fields) {
    keys = keys.filter((k) => k !== 'file');
    out.push(files[0]!);
  }
  rows = rows.map((r) => r);
  let text = grid(rows, keys);
  if (!layout.wide && tooWide(text, layout.width)) text = vertical(rows, keys, false);
  out.push(text);
  out.push(...footers(results, names, oneFile));
  // A footer longer than the terminal wraps at word boundaries rather than mid-word.
  return out.map((l) => (layout.wide ? l : wrap(l, layout.width))).join('\n') + '\n';
}

/** Wrap a text line at spaces to `width` (lines of a table are never wrapped: they already fit). */
export function wrap(text: string, width: number): string {
  return text.split('\n').map((line) => {
    if (visibleWidth(line) <= width) return line;
    const words = line.split(' ');
    const lines: string[] = [];
    let cur = '';
    for (const w of words) {
      if (cur && visibleWidth(cur + ' ' + w) > width) { lines.push(cur); cur = '  ' + w; } else cur = cur ? cur + ' ' + w : w;
    }
    if (cur) lines.push(cur);
    return lines.join('\n');
  }).join('\n');
}
