/**
 * CH Instruments (CHI 6xx/7xx/1xxx) text and .csv exports: any subset of the memo, parameter,
 * results and numeric blocks, comma or TAB, CRLF or LF (../shared/docs/reference/chi-formats.md).
 * Input: the text plus a source name. Output: technique, model, date, every `Key (unit) = value`
 * parameter, the results block and the numeric columns with canonical names and units.
 */
import { DataError } from '../../errors.js';

export type ChiTechnique = 'cv' | 'lsv' | 'eis' | 'cp' | 'istep' | 'it' | 'ocpt' | 'dpv' | 'ca' | 'other';

export interface ChiParameter { key: string; unit: string; value: number | string; line: number }
export interface ChiResult { channel: number | null; segment: number | null; block: string | null; name: string; value: number; unit: string; line: number }
export interface ChiColumn { header: string; canonical: string; unit: string }

export interface ChiFile {
  source: string;
  technique: string;
  kind: ChiTechnique;
  date: string | null;
  dateText: string | null;
  model: string | null;
  memo: Record<string, string>;
  parameters: ChiParameter[];
  flags: string[];
  results: ChiResult[];
  columns: ChiColumn[];
  /** Header names the rows do not have (e.g. a phantom `Time/s`). */
  phantomColumns: string[];
  /** Column-major data. */
  data: Float64Array[];
  /** File line of each row. */
  lines: Uint32Array;
  /** Segment number per row when the data are split by `Segment N:` lines, else null. */
  segments: Int32Array | null;
  headerLine: number;
  encoding: string;
  notes: string[];
}

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11, november: 11, dec: 12, december: 12,
};
const DATE_RE = /^([A-Za-z]{3,9})\.? (\d{1,2}), (\d{4}) {1,6}(\d{1,2}):(\d{2}):(\d{2})$/;

const TECHNIQUES: [RegExp, ChiTechnique][] = [
  [/^cyclic voltammetry$|^循环伏安法$/i, 'cv'],
  [/^linear sweep voltammetry$|^线性扫描伏安法$/i, 'lsv'],
  [/^a\.c\. impedance$|^impedance - (potential|time)$|^交流阻抗$/i, 'eis'],
  [/^chronopotentiometry$|^计时电位法$/i, 'cp'],
  [/^multi-current steps$|^多电流阶跃$/i, 'istep'],
  [/^amperometric i-t curve$|^i-t/i, 'it'],
  [/^open circuit potential - time$|^开路电位-时间$/i, 'ocpt'],
  [/^differential pulse voltammetry$|^差分脉冲伏安法$/i, 'dpv'],
  [/^chronoamperometry$/i, 'ca'],
];

/** Technique names CHI writes on line 2 (any of these marks a CHI file). */
const KNOWN_NAMES = /^(cyclic voltammetry|linear sweep voltammetry|a\.c\. impedance|chronopotentiometry|multi-current steps|amperometric i-t curve|open circuit potential - time|differential pulse voltammetry|chronoamperometry|bulk electrolysis with coulometry|square wave voltammetry|normal pulse voltammetry|tafel plot|impedance - (potential|time)|chronocoulometry|staircase voltammetry|a\.c\. voltammetry|循环伏安法|线性扫描伏安法|开路电位-时间)$/i;

const COLUMN_MAP: [RegExp, string, string][] = [
  [/^potential\/v$/i, 'potentialV', 'V'],
  [/^(current|i1)\/a$/i, 'currentA', 'A'],
  [/^i2\/a$/i, 'current2A', 'A'],
  [/^charge\/c$/i, 'chargeC', 'C'],
  [/^time\/(s|sec)$/i, 'timeS', 's'],
  [/^freq\/hz$/i, 'freqHz', 'Hz'],
  [/^z'\/ohm$/i, 'zReOhm', 'Ω'],
  [/^z"\/ohm$|^z''\/ohm$/i, 'zImOhm', 'Ω'],
  [/^z\/ohm$/i, 'zModOhm', 'Ω'],
  [/^phase\/deg$/i, 'phaseDeg', 'deg'],
  [/^log\(i\/a\)$/i, 'logI', 'log A'],
];

export function parseChiDate(s: string): string | null {
  const m = DATE_RE.exec(s.trim());
  if (!m) return null;
  const mon = MONTHS[m[1]!.toLowerCase()];
  if (!mon) return null;
  const p = (x: string | number) => String(x).padStart(2, '0');
  return `${m[3]}-${p(mon)}-${p(m[2]!)}T${p(m[4]!)}:${m[5]}:${m[6]}`;
}

/** The CHI reader's claim on a file from its head (the registry asks it without loading the reader). */
export function sniffChi(head: Uint8Array): number {
  return looksLikeChi(new TextDecoder('latin1').decode(head.subarray(0, 4096))) ? 0.95 : 0;
}

/** Cheap test used to route a text file: does it look like a CHI export? */
export function looksLikeChi(text: string): boolean {
  const lines = text.split(/\r?\n/, 40).map((l) => l.trim()).filter((l) => l);
  if (!lines.length) return false;
  if (parseChiDate(lines[0]!) !== null) return true;
  if (lines[1] && KNOWN_NAMES.test(lines[1])) return true;
  if (KNOWN_NAMES.test(lines[0]!)) return true;
  return lines.some((l) => /^(Potential\/V|Freq\/Hz|Time\/sec)\s*[,\t]/.test(l)) && lines.some((l) => / = /.test(l));
}

function techniqueKind(name: string): ChiTechnique {
  for (const [re, k] of TECHNIQUES) if (re.test(name.trim())) return k;
  return 'other';
}

const PARAM_RE = /^([^=()]+?)\s*(?:\(([^)]*)\))?\s*=\s*(.*)$/;
const RESULT_VALUE_RE = /^(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*([A-Za-z]*)$/i;
const SECTION_RE = /^(Results|Channel (\d+)|Segment (\d+)|Current (\d+)|Forward|Reverse):$/i;

function splitRow(line: string): string[] {
  const s = line.trim();
  if (s.includes('\t')) return s.split(/\s*\t\s*/);
  if (s.includes(',')) return s.split(/\s*,\s*/);
  return s.split(/ +/);
}

function isColumnHeader(line: string): boolean {
  const toks = splitRow(line);
  if (!toks.length || !toks[0]) return false;
  return toks.every((t) => /^[A-Za-z][A-Za-z0-9'"() .-]{0,30}\/[A-Za-z]{1,6}\)?$/.test(t));
}

export function parseChiText(text: string, source: string, encoding = 'utf-8'): ChiFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const f: ChiFile = {
    source, technique: '', kind: 'other', date: null, dateText: null, model: null, memo: {}, parameters: [], flags: [], results: [],
    columns: [], phantomColumns: [], data: [], lines: new Uint32Array(0), segments: null, headerLine: 0, encoding, notes: [],
  };
  let i = 0;
  const n = lines.length;
  const skipBlank = () => { while (i < n && !lines[i]!.trim()) i++; };
  skipBlank();
  if (i >= n) throw new DataError('the file is empty; export the data from the CHI software with File › Save As (.txt or .csv)', { file: source, line: 1 });
  // Memo block.
  const d = parseChiDate(lines[i]!);
  if (d !== null) {
    f.dateText = lines[i]!.trim();
    f.date = d;
    i++;
    f.technique = (lines[i] ?? '').trim();
    i++;
    while (i < n && lines[i]!.trim()) {
      const m = /^([A-Za-z ]+):\s?(.*)$/.exec(lines[i]!);
      if (!m) break;
      f.memo[m[1]!.trim()] = m[2]!.trim();
      i++;
    }
    f.model = f.memo['Instrument Model'] ?? null;
  } else if (KNOWN_NAMES.test(lines[i]!.trim())) {
    f.technique = lines[i]!.trim();
    i++;
  } else {
    f.notes.push('no memo block (date, technique, model): the technique is inferred from the parameters and columns');
  }
  // Parameters, results, then the numeric header.
  let inResults = false;
  let channel: number | null = null, segment: number | null = null, block: string | null = null;
  for (; i < n; i++) {
    const raw = lines[i]!;
    const line = raw.trim();
    if (!line) continue;
    if (isColumnHeader(line)) break;
    const sec = SECTION_RE.exec(line);
    if (sec) {
      inResults = true;
      if (sec[2]) channel = Number(sec[2]);
      else if (sec[3]) segment = Number(sec[3]);
      else if (sec[4]) { block = `Current ${sec[4]}`; segment = null; }
      else if (/^(forward|reverse)$/i.test(sec[1]!)) block = sec[1]!;
      continue;
    }
    const pm = PARAM_RE.exec(line);
    if (pm) {
      const key = pm[1]!.trim(), unit = (pm[2] ?? '').trim(), valText = pm[3]!.trim();
      const rv = RESULT_VALUE_RE.exec(valText);
      const looksResult = inResults || (/^(Ep|ip|Ah|Ap|Slp|Int|Cor|Eh|Ei|Ef)$/.test(key) && !unit);
      if (looksResult && rv) {
        inResults = true;
        f.results.push({ channel, segment, block, name: key, value: Number(rv[1]), unit: rv[2] ?? '', line: i + 1 });
      } else {
        const num = Number(valText);
        f.parameters.push({ key, unit, value: valText !== '' && Number.isFinite(num) ? num : valText, line: i + 1 });
      }
      continue;
    }
    if (/^-?\d/.test(line)) {
      throw new DataError(`numeric data before a column header (expected a line like 'Potential/V, Current/A'); the file is not a complete CHI export`, { file: source, line: i + 1 });
    }
    if (!inResults && f.parameters.length) { f.flags.push(line); continue; }
    if (!f.parameters.length && !f.technique) {
      throw new DataError(`not a CHI export: expected a date (e.g. 'Feb. 20, 2020   15:55:08') on line 1 and the technique on line 2, found '${clip(line)}'`, { file: source, line: i + 1 });
    }
    f.flags.push(line);
  }
  if (i >= n) {
    if (!f.technique && !f.parameters.length) throw new DataError(`not a CHI export: expected a date (e.g. 'Feb. 20, 2020   15:55:08') on line 1 and the technique on line 2`, { file: source, line: 1 });
    throw new DataError('no numeric data: the export has no column header such as \'Potential/V, Current/A\' (turn on "Numeric Data" in the Text File Format dialog)', { file: source, line: n });
  }
  f.headerLine = i + 1;
  const names = splitRow(lines[i]!);
  i++;
  // Rows.
  const rows: number[][] = [];
  const rowLines: number[] = [];
  const segs: number[] = [];
  let curSeg = -1, sawSeg = false;
  let width = -1;
  for (; i < n; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const sm = /^Segment (\d+):$/i.exec(line);
    if (sm) { curSeg = Number(sm[1]); sawSeg = true; continue; }
    const toks = splitRow(line);
    const vals = toks.map(Number);
    const bad = vals.findIndex((v, k) => !Number.isFinite(v) || toks[k] === '');
    if (bad >= 0) throw new DataError(`'${clip(toks[bad] ?? line)}' is not a number (column ${bad + 1}, '${names[bad] ?? '?'}'); correct that value, or export the file again from the CHI software`, { file: source, line: i + 1 });
    if (width < 0) width = vals.length;
    else if (vals.length !== width) throw new DataError(`this row has ${vals.length} values, the rows before it ${width} (a cut or edited file?); check the file, or export it again from the CHI software`, { file: source, line: i + 1 });
    rows.push(vals);
    rowLines.push(i + 1);
    segs.push(curSeg);
  }
  if (!rows.length) throw new DataError('the column header is there but no data rows follow it', { file: source, line: f.headerLine });
  if (width < names.length) {
    f.phantomColumns = names.slice(width);
    f.notes.push(`the header names ${names.length} columns but the rows have ${width}: ${f.phantomColumns.join(', ')} ignored`);
  } else if (width > names.length) {
    throw new DataError(`the rows have ${width} values but the header names ${names.length} columns`, { file: source, line: f.headerLine });
  }
  f.columns = names.slice(0, width).map((h) => {
    for (const [re, c, u] of COLUMN_MAP) if (re.test(h.trim())) return { header: h, canonical: c, unit: u };
    return { header: h, canonical: h, unit: h.split('/').pop() ?? '' };
  });
  f.data = f.columns.map((_, k) => Float64Array.from(rows, (r) => r[k]!));
  f.lines = Uint32Array.from(rowLines);
  if (sawSeg) f.segments = Int32Array.from(segs);
  // Technique from the columns and parameters when the memo is missing.
  f.kind = techniqueKind(f.technique);
  if (f.kind === 'other' && !f.technique) {
    const has = (k: string) => f.parameters.some((p) => p.key.toLowerCase() === k);
    const cols = f.columns.map((c) => c.canonical);
    if (cols[0] === 'freqHz') f.kind = 'eis';
    else if (cols[0] === 'potentialV' && has('scan rate') && has('high e')) f.kind = 'cv';
    else if (cols[0] === 'potentialV' && has('scan rate')) f.kind = 'lsv';
    else if (cols[0] === 'potentialV' && has('incr e')) f.kind = 'dpv';
    else if (cols[0] === 'timeS' && has('i1')) f.kind = 'istep';
    else if (cols[0] === 'timeS' && (has('anodic current') || has('cathodic current'))) f.kind = 'cp';
    else if (cols[0] === 'timeS' && cols[1] === 'potentialV') f.kind = 'ocpt';
    else if (cols[0] === 'timeS' && cols[1] === 'currentA') f.kind = 'it';
    f.technique = f.kind === 'other' ? 'unknown' : f.kind.toUpperCase() + ' (inferred)';
  }
  // Quirks worth telling the user.
  const segParam = param(f, 'Segment');
  if (typeof segParam === 'number' && f.kind === 'cv') f.notes.push(`the header says Segment = ${segParam}; the data are split into sweeps where the potential reverses`);
  const t = f.columns.findIndex((c) => c.canonical === 'timeS');
  if (t >= 0) {
    let rep = 0;
    const col = f.data[t]!;
    for (let k = 1; k < col.length; k++) if (col[k] === col[k - 1]) rep++;
    if (rep) f.notes.push(`${rep} repeated time value(s) (CHI writes 4 significant figures)`);
  }
  return f;
}

export function param(f: ChiFile, key: string): number | string | undefined {
  const k = key.toLowerCase();
  return f.parameters.find((p) => p.key.toLowerCase() === k)?.value;
}

export function column(f: ChiFile, canonical: string): Float64Array | undefined {
  const k = f.columns.findIndex((c) => c.canonical === canonical);
  return k >= 0 ? f.data[k] : undefined;
}

function clip(s: string, n = 40): string {
  return s.length > n ? s.slice(0, n) + '…' : s;
}
