/**
 * Gamry Framework `.DTA` files (EXPLAIN format; ../shared/docs/reference/other-instruments.md §4):
 * line 1 `EXPLAIN`, line 2 `TAG<TAB>technique`, tagged header lines `KEY<TAB>TYPE<TAB>value…<TAB>label`
 * (`NOTES` with a count of indented lines), and tables `NAME<TAB>TABLE[<TAB>rows]` followed by a
 * names row, a units row and data rows, all indented. A table ends at the first line that is not
 * indented. Latin-1 or UTF-8 text, LF or CRLF.
 */
import { DataError } from '../../errors.js';
import { looksLikeDta } from './sniff.js';

export { looksLikeDta };

export interface GamryParam { key: string; type: string; values: string[]; line: number }

export interface GamryTable {
  name: string;
  /** Line of `NAME<TAB>TABLE`. */
  line: number;
  names: string[];
  units: string[];
  /** Column-major numbers; NaN in text columns (`Over`). */
  data: Float64Array[];
  /** Columns whose cells are text (flags), not numbers. */
  text: boolean[];
  lines: Uint32Array;
  /** Row count stated after TABLE, if any. */
  declared: number | null;
}

export interface GamryFile {
  source: string;
  tag: string;
  params: GamryParam[];
  tables: GamryTable[];
  encoding: string;
  notes: string[];
  warnings: string[];
}


function decode(bytes: Uint8Array): { text: string; encoding: string } {
  try { return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' }; } catch {
    return { text: new TextDecoder('latin1').decode(bytes), encoding: 'latin1' };
  }
}

export function parseDta(bytes: Uint8Array, source: string): GamryFile {
  if (bytes.subarray(0, 4096).includes(0)) throw new DataError('this is a binary file, not a Gamry .DTA text file', { file: source, line: 1 });
  const { text, encoding } = decode(bytes);
  const lines = text.replace(/^\uFEFF/, '').split('\n').map((l) => l.replace(/\r$/, ''));
  if (!looksLikeDta(lines.slice(0, 2).join('\n'))) throw new DataError("not a Gamry .DTA file: expected 'EXPLAIN' on line 1 and 'TAG<TAB>technique' on line 2", { file: source, line: 1 });
  const f: GamryFile = { source, tag: lines[1]!.split('\t')[1]!.trim(), params: [], tables: [], encoding, notes: [], warnings: [] };
  const indented = (l: string | undefined) => l !== undefined && /^[\t ]/.test(l);
  let k = 2; // 0-based index of the next line
  while (k < lines.length) {
    const l = lines[k]!;
    if (l.trim() === '') { k++; continue; }
    if (indented(l)) { f.warnings.push(`line ${k + 1}: an indented line outside a table or notes block was ignored`); k++; continue; }
    const cells = l.split('\t');
    const key = cells[0]!.trim(), type = (cells[1] ?? '').trim();
    if (type === 'NOTES') {
      const n = Number(cells[2]);
      f.params.push({ key, type, values: [], line: k + 1 });
      k++;
      let taken = 0;
      while (Number.isInteger(n) && taken < n && k < lines.length && (indented(lines[k]) || lines[k] === '')) { f.params[f.params.length - 1]!.values.push(lines[k]!.trim()); k++; taken++; }
      continue;
    }
    if (type !== 'TABLE') { f.params.push({ key, type, values: cells.slice(2), line: k + 1 }); k++; continue; }
    const tableLine = k + 1;
    const declared = cells[2] !== undefined && cells[2].trim() !== '' ? Number(cells[2]) : null;
    const namesLine = lines[k + 1], unitsLine = lines[k + 2];
    if (!indented(namesLine) || !indented(unitsLine)) throw new DataError(`table ${key} has no names and units rows; the file is truncated or damaged`, { file: source, line: tableLine });
    const names = namesLine!.split('\t').slice(1).map((s) => s.trim());
    const units = unitsLine!.split('\t').slice(1).map((s) => s.trim());
    while (names.length && names[names.length - 1] === '') names.pop();
    if (!names.length) throw new DataError(`table ${key} has an empty names row`, { file: source, line: tableLine + 1 });
    const cols: number[][] = names.map(() => []);
    const textCol: boolean[] = names.map(() => false);
    const rowLines: number[] = [];
    k += 3;
    while (k < lines.length && indented(lines[k])) {
      const raw = lines[k]!;
      let v = raw.split('\t').slice(raw.startsWith('\t') ? 1 : 0).map((s) => s.trim());
      if (v.length < names.length) v = raw.trim().split(/[\t ]+/);
      while (v.length > names.length && v[v.length - 1] === '') v.pop();
      if (v.length < names.length) throw new DataError(`table ${key}: ${v.length} values where the names row has ${names.length}; the file is truncated or damaged`, { file: source, line: k + 1 });
      for (let c = 0; c < names.length; c++) {
        const s = v[c]!;
        const x = s === '' ? NaN : Number(s);
        if (!Number.isFinite(x)) {
          if (rowLines.length === 0 && s !== '') textCol[c] = true;
          else if (!textCol[c]) throw new DataError(`table ${key}: '${s.slice(0, 40)}' in column ${names[c]} is not a number`, { file: source, line: k + 1 });
        }
        cols[c]!.push(textCol[c] ? NaN : x);
      }
      rowLines.push(k + 1);
      k++;
    }
    if (declared !== null && declared !== rowLines.length) f.warnings.push(`table ${key} (line ${tableLine}) announces ${declared} rows and holds ${rowLines.length}`);
    f.tables.push({ name: key, line: tableLine, names, units, data: cols.map((c) => Float64Array.from(c)), text: textCol, lines: Uint32Array.from(rowLines), declared });
  }
  const aborted = f.params.find((p) => p.key === 'EXPERIMENTABORTED' && (p.values[0] ?? '').trim() === 'T');
  if (aborted) f.warnings.push(`the experiment was aborted (EXPERIMENTABORTED T, line ${aborted.line}): the data stop early`);
  return f;
}

export function param(f: GamryFile, key: string): GamryParam | undefined {
  return f.params.find((p) => p.key === key);
}

export function tableColumn(t: GamryTable, ...names: string[]): Float64Array | undefined {
  for (const n of names) {
    const i = t.names.indexOf(n);
    if (i >= 0 && !t.text[i]) return t.data[i];
  }
  return undefined;
}
