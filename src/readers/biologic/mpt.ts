/**
 * EC-Lab `.mpt` text exports (../shared/docs/reference/other-instruments.md §2.1):
 * `EC-Lab ASCII FILE` (or `BT-Lab ASCII FILE`), `Nb header lines : N` (all header lines, the
 * column names on line N), the technique on line 4, `Key : value` lines, technique parameters in
 * 20-character columns (one per sequence), then tab-separated rows. Single-byte Windows text
 * (latin-1), decimal point or comma as the PC locale had it, LF or CRLF.
 */
import { DataError } from '../../errors.js';
import type { BioParam, BioTable } from './table.js';
import { MPT_MAGIC, looksLikeMpt } from './sniff.js';

export { MPT_MAGIC, looksLikeMpt };




/** `03/02/2021 16:17:59(.886)` (month first) → ISO local time. */
function mptDate(s: string): string | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})(?:\.\d+)?$/.exec(s.trim());
  if (!m) return null;
  const p = (x: string) => x.padStart(2, '0');
  return `${m[3]}-${p(m[1]!)}-${p(m[2]!)}T${p(m[4]!)}:${m[5]}:${m[6]}`;
}

export function parseMpt(bytes: Uint8Array, source: string): BioTable {
  // EC-Lab writes the Windows code page; latin-1 keeps every byte (µ = B5).
  const text = new TextDecoder('latin1').decode(bytes);
  const lines = text.split('\n');
  const line = (k: number): string => (lines[k - 1] ?? '').replace(/\r$/, '');
  if (!MPT_MAGIC.test(line(1))) throw new DataError("not an EC-Lab text export: line 1 is not 'EC-Lab ASCII FILE'", { file: source, line: 1 });
  const m = /^Nb header lines\s*:\s*(\d+)\s*$/.exec(line(2));
  if (!m) throw new DataError("line 2 is not 'Nb header lines : N'; the file is damaged or not an EC-Lab export", { file: source, line: 2 });
  const n = Number(m[1]);
  if (n < 3 || n > lines.length) throw new DataError(`the header says it has ${n} lines but the file has ${lines.length}; the file is truncated or damaged`, { file: source, line: 2 });
  const t: BioTable = {
    source, format: 'mpt', technique: '', names: [], data: [], lines: new Uint32Array(0), params: [], acquisitionStart: null,
    headerLine: n, encoding: 'latin1', decimalComma: false, notes: [], warnings: [],
  };
  if (n > 4) t.technique = line(4).trim();
  const params: BioParam[] = [];
  let sequences = 1;
  for (let k = 5; k < n; k++) {
    const l = line(k);
    const kv = /^\s*([^:\t]+?)\s+:\s?(.*)$/.exec(l);
    if (kv) { params.push({ key: kv[1]!.trim(), value: kv[2]!.trim(), line: k }); continue; }
    if (l.length > 20 && l[19] === ' ' && l.slice(0, 20).trim()) {
      const key = l.slice(0, 20).trim();
      const vals: string[] = [];
      for (let c = 20; c < l.length; c += 20) vals.push(l.slice(c, c + 20).trim());
      const used = vals.filter((v) => v !== '');
      if (used.length > sequences) sequences = used.length;
      params.push({ key, value: vals[0] ?? '', line: k });
    }
  }
  t.params = params;
  if (sequences > 1) t.notes.push(`the technique has ${sequences} sequences; the parameters listed are those of the first`);
  const acq = params.find((p) => /^Acquisition started on$/i.test(p.key));
  if (acq) t.acquisitionStart = mptDate(acq.value);
  const names = line(n).split('\t');
  while (names.length && names[names.length - 1]!.trim() === '') names.pop();
  if (!names.length || !names.some((x) => x.includes('/'))) throw new DataError(`line ${n} should hold the column names (the header says ${n} header lines) but does not; the file is damaged`, { file: source, line: n });
  t.names = names.map((x) => x.trim());
  const width = names.length;
  const cols: number[][] = names.map(() => []);
  const rowLines: number[] = [];
  let comma: boolean | null = null;
  for (let k = n + 1; k <= lines.length; k++) {
    const l = line(k);
    if (l.trim() === '') continue;
    const cells = l.split('\t');
    if (cells.length < width) throw new DataError(`${cells.length} fields where the header names ${width} columns; the file is truncated or damaged`, { file: source, line: k });
    for (let c = 0; c < width; c++) {
      let s = cells[c]!.trim();
      if (s.includes(',')) { s = s.replace(',', '.'); comma = true; }
      const v = s === '' ? NaN : Number(s);
      if (!Number.isFinite(v)) throw new DataError(`'${cells[c]!.slice(0, 40)}' in column '${t.names[c]}' is not a number`, { file: source, line: k });
      cols[c]!.push(v);
    }
    rowLines.push(k);
  }
  t.decimalComma = comma === true;
  t.data = cols.map((c) => Float64Array.from(c));
  t.lines = Uint32Array.from(rowLines);
  repairEwe(t);
  return t;
}

/**
 * Some exports print `<Ewe>/V` (or `Ewe/V`) as exactly 0 on rows where `Ewe-Ece/V` and `<Ece>/V`
 * show a cell far from 0 V (bioconv_cp.mpt: rows 5–121, whose .mpr holds the measured values).
 * Since Ewe = (Ewe−Ece) + Ece identically, those rows get that sum, with a warning.
 */
function repairEwe(t: BioTable): void {
  const ie = t.names.findIndex((n) => n === 'Ewe/V' || n === '<Ewe>/V');
  const id = t.names.indexOf('Ewe-Ece/V');
  const ic = t.names.findIndex((n) => n === '<Ece>/V' || n === 'Ece/V');
  if (ie < 0 || id < 0 || ic < 0) return;
  const e = t.data[ie]!, d = t.data[id]!, c = t.data[ic]!;
  let n = 0, first = 0;
  for (let k = 0; k < e.length; k++) {
    const sum = d[k]! + c[k]!;
    if (e[k] === 0 && Math.abs(sum) > 1e-3) { e[k] = sum; if (n++ === 0) first = t.lines[k]!; }
  }
  if (n) t.warnings.push(`${t.names[ie]} is printed as 0 on ${n} of ${e.length} rows (first at line ${first}) where Ewe-Ece/V and ${t.names[ic]} are not: the potential there is taken as (Ewe-Ece) + Ece`);
}
