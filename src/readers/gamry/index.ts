/**
 * The Gamry reader: Framework `.DTA` (EXPLAIN) files, decided by content.
 * - records (`read`): the CURVE tables in order (CV, chronopotentiometry, …), else the ZCURVE
 *   (EIS: the DC potential and current at each frequency), else OCVCURVE: timeS = T/Time,
 *   voltageV = Vf/Vdc/Vm, currentMA = Im/Idc × 1000 as Gamry signs it (anodic positive);
 *   cycleIndex = the curve number (CURVEn); line = the file line. No capacity, no state.
 * - the ChiFile shape of `cv` and `eis` (`readGamryTechnique`): EIS from ZCURVE (freqHz, zReOhm,
 *   zImOhm = Zimag, already negative for capacitive as CHI, zModOhm, phaseDeg, timeS, potentialV =
 *   Vdc, currentA = Idc); CV/LSV from the CURVE tables (timeS, potentialV = Vf, currentA = Im,
 *   curve), one segment per sweep: split at each CURVE and where the applied potential (Sig)
 *   reverses; `Scan Rate` (V/s) from SCANRATE and the unit in its label.
 */
import { DataError } from '../../errors.js';
import { collect, type Input } from '../../io.js';
import type { ChiColumn, ChiFile, ChiParameter, ChiTechnique } from '../chi/chi.js';
import type { ColumnInfo, CyclerRecord, SourceInfo } from '../../types.js';
import type { Reader, ReadResult } from '../types.js';
import { sweepSegments } from '../shared/sweeps.js';
import { sniffGamry } from './sniff.js';
import { param, parseDta, tableColumn, type GamryFile, type GamryTable } from './dta.js';

export { parseDta };
export { sniffGamry };
export type { GamryFile, GamryTable };

export const MAX_GAMRY_BYTES = 512 << 20;
const BATCH = 4096;


async function readFile(input: Input): Promise<GamryFile> {
  const bytes = await collect(input.chunks(), MAX_GAMRY_BYTES, () => new DataError(`larger than ${MAX_GAMRY_BYTES >> 20} MB: not a Gamry .DTA file`, { file: input.name }));
  if (bytes.length === 0) throw new DataError('the file is empty', { file: input.name, line: 1 });
  return parseDta(bytes, input.name);
}

const curveNo = (t: GamryTable): number => { const m = /^CURVE(\d*)$/.exec(t.name); return m ? (m[1] ? Number(m[1]) : 1) : 0; };

/** The tables that hold the run's records, in order. */
function recordTables(f: GamryFile): GamryTable[] {
  const curves = f.tables.filter((t) => /^CURVE\d*$/.test(t.name));
  if (curves.length) return curves;
  const z = f.tables.filter((t) => t.name === 'ZCURVE');
  if (z.length) return z;
  return f.tables.filter((t) => t.name === 'OCVCURVE');
}

export function gamrySourceInfo(f: GamryFile): SourceInfo {
  return {
    source: f.source, instrument: 'Gamry', layout: `Gamry .DTA (${f.tag})`, encoding: f.encoding, delimiter: '\t',
    columns: [], ignoredColumns: [], records: 0, skipped: [], skippedCount: 0, notes: [...f.notes], warnings: [...f.warnings],
  };
}

export function gamryRecords(f: GamryFile, info: SourceInfo): CyclerRecord[][] {
  const tables = recordTables(f);
  if (!tables.length) throw new DataError(`no data table (CURVE, ZCURVE or OCVCURVE) in this ${f.tag} file; tables: ${f.tables.map((t) => t.name).join(', ') || 'none'}`, { file: f.source });
  const out: CyclerRecord[][] = [];
  let batch: CyclerRecord[] = [];
  let n = 0;
  let noCurrent = false;
  for (const t of tables) {
    const time = tableColumn(t, 'T', 'Time');
    const v = tableColumn(t, 'Vf', 'Vdc', 'Vm');
    const i = tableColumn(t, 'Im', 'Idc');
    if (!v) throw new DataError(`table ${t.name} has no potential column (Vf, Vdc or Vm); columns: ${t.names.join(', ')}`, { file: f.source, line: t.line + 1 });
    if (!i) noCurrent = true;
    if (!info.columns.length) {
      const ci = (name: string | undefined, canonical: string, scale: number): ColumnInfo[] => name ? [{ header: name, index: t.names.indexOf(name), canonical, unit: t.units[t.names.indexOf(name)] ?? '', scale }] : [];
      const nm = (c: Float64Array | undefined) => (c ? t.names[t.data.indexOf(c)] : undefined);
      info.columns = [...ci(nm(time), 'timeS', 1), ...ci(nm(v), 'voltageV', 1), ...ci(nm(i), 'currentMA', 1000)];
      info.headerLine = t.line + 1;
      info.headerWidth = t.names.length;
      info.ignoredColumns = t.names.filter((x) => !info.columns.some((c) => c.header === x));
    }
    const cyc = curveNo(t) || null;
    for (let k = 0; k < v.length; k++) {
      batch.push({
        line: t.lines[k]!, timeS: time ? time[k]! : null, stepTimeS: null, voltageV: v[k]!, currentMA: i ? i[k]! * 1000 : 0,
        capacityMAh: null, specificCapacityMAhG: null, cycleIndex: cyc, stepIndex: null, stateKind: null,
      });
      n++;
      if (batch.length === BATCH) { out.push(batch); batch = []; }
    }
  }
  if (batch.length) out.push(batch);
  info.records = n;
  info.notes.push(`records from table${tables.length > 1 ? 's' : ''} ${tables.map((t) => t.name).join(', ')}; currents as Gamry signs them (anodic positive)`);
  if (tables[0]!.name === 'ZCURVE') info.notes.push('this is an impedance spectrum: its records are the DC potential and current at each frequency; hcarb eis reads the impedance');
  if (noCurrent) info.warnings.push('the table has no current column: currentMA is 0 on every record (an open-circuit measurement)');
  return out;
}

export async function readGamry(input: Input): Promise<ReadResult> {
  const f = await readFile(input);
  const info = gamrySourceInfo(f);
  const batches = gamryRecords(f, info);
  return { info, batches: (async function* () { yield* batches; })() };
}

function techniqueKind(f: GamryFile): ChiTechnique {
  const tag = f.tag.toUpperCase();
  if (/^EIS/.test(tag) || (!f.tables.some((t) => /^CURVE/.test(t.name)) && f.tables.some((t) => t.name === 'ZCURVE'))) return 'eis';
  if (tag === 'CV' || tag === 'RCV') return 'cv';
  if (tag === 'LSV') return 'lsv';
  if (tag === 'CHRONOP') return 'cp';
  if (tag === 'CHRONOA') return 'ca';
  if (tag === 'CORPOT') return 'ocpt';
  return 'other';
}

/** `M/D/YYYY` and `HH:MM:SS` → ISO local time (month first, as Gamry's US-locale files). */
function gamryDate(d: string | undefined, t: string | undefined): string | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec((d ?? '').trim());
  const h = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec((t ?? '').trim());
  if (!m) return null;
  const p = (x: string) => x.padStart(2, '0');
  return `${m[3]}-${p(m[1]!)}-${p(m[2]!)}${h ? `T${p(h[1]!)}:${h[2]}:${h[3]}` : ''}`;
}

/** A Gamry file in the shape the `cv` and `eis` commands read. */
export function gamryChiFile(f: GamryFile): ChiFile {
  const kind = techniqueKind(f);
  const columns: ChiColumn[] = [];
  const data: Float64Array[] = [];
  const notes = [...f.notes, ...f.warnings];
  let lines: Uint32Array;
  let segments: Int32Array | null = null;
  let headerLine: number;
  const joinCol = (tables: GamryTable[], names: string[], scale = 1): Float64Array | undefined => {
    const parts = tables.map((t) => tableColumn(t, ...names));
    if (parts.some((p) => !p)) return undefined;
    const out = new Float64Array(parts.reduce((a, p) => a + p!.length, 0));
    let o = 0;
    for (const p of parts) { for (let k = 0; k < p!.length; k++) out[o + k] = p![k]! * scale; o += p!.length; }
    return out;
  };
  const add = (canonical: string, header: string, unit: string, c: Float64Array | undefined): void => { if (c) { columns.push({ header, canonical, unit }); data.push(c); } };
  if (kind === 'eis') {
    const z = f.tables.filter((t) => t.name === 'ZCURVE');
    if (!z.length) throw new DataError(`this ${f.tag} file has no ZCURVE table (tables: ${f.tables.map((t) => t.name).join(', ') || 'none'}); the measurement holds no impedance`, { file: f.source });
    add('freqHz', 'Freq', 'Hz', joinCol(z, ['Freq']));
    add('zReOhm', 'Zreal', 'Ω', joinCol(z, ['Zreal']));
    add('zImOhm', 'Zimag', 'Ω', joinCol(z, ['Zimag']));
    add('zModOhm', 'Zmod', 'Ω', joinCol(z, ['Zmod']));
    add('phaseDeg', 'Zphz', 'deg', joinCol(z, ['Zphz']));
    add('timeS', 'Time', 's', joinCol(z, ['Time']));
    add('potentialV', 'Vdc', 'V', joinCol(z, ['Vdc']));
    add('currentA', 'Idc', 'A', joinCol(z, ['Idc']));
    if (!columns.some((c) => c.canonical === 'freqHz') || !columns.some((c) => c.canonical === 'zImOhm')) throw new DataError(`the ZCURVE table lacks Freq, Zreal or Zimag (columns: ${z[0]!.names.join(', ')})`, { file: f.source, line: z[0]!.line + 1 });
    lines = Uint32Array.from(z.flatMap((t) => Array.from(t.lines)));
    headerLine = z[0]!.line + 1;
    notes.push("Z'' is Gamry's Zimag: negative for capacitive behaviour, as CHI writes it");
  } else {
    const curves = f.tables.filter((t) => /^CURVE\d*$/.test(t.name));
    if (!curves.length) throw new DataError(`this ${f.tag} file has no CURVE table (tables: ${f.tables.map((t) => t.name).join(', ') || 'none'})`, { file: f.source });
    add('timeS', 'T', 's', joinCol(curves, ['T']));
    add('potentialV', 'Vf', 'V', joinCol(curves, ['Vf']));
    add('currentA', 'Im', 'A', joinCol(curves, ['Im']));
    const curveCol = Float64Array.from(curves.flatMap((t) => Array.from(t.lines, () => curveNo(t))));
    add('curve', 'CURVE', '', curveCol);
    lines = Uint32Array.from(curves.flatMap((t) => Array.from(t.lines)));
    headerLine = curves[0]!.line + 1;
    if (kind === 'cv' || kind === 'lsv') {
      const sig = joinCol(curves, ['Sig']);
      const e = sig ?? joinCol(curves, ['Vf']);
      if (e) segments = sweepSegments(e, curveCol);
      notes.push(`${curves.length} curve${curves.length > 1 ? 's' : ''} (${curves.map((t) => `${t.name}: ${t.lines.length} points`).join(', ')}); sweeps split at each curve and where the ${sig ? 'applied potential (Sig)' : 'potential'} reverses`);
    }
    notes.push('currents as Gamry writes them: anodic positive');
  }
  const parameters: ChiParameter[] = [];
  for (const p of f.params) {
    if (p.type === 'NOTES' || p.type === 'TABLE') continue;
    const label = (p.values[p.values.length - 1] ?? '').replace(/&/g, '');
    const unit = /\(([^)]*)\)\s*$/.exec(label)?.[1] ?? '';
    const first = p.type === 'TWOPARAM' ? p.values[1] : p.values[0];
    const x = Number(first);
    parameters.push({ key: p.key, unit, value: first !== undefined && first.trim() !== '' && Number.isFinite(x) ? x : (first ?? '').trim(), line: p.line });
  }
  const sr = parameters.find((p) => p.key === 'SCANRATE');
  if (sr && typeof sr.value === 'number') {
    const scale = sr.unit === 'mV/s' ? 1e-3 : sr.unit === 'V/s' ? 1 : NaN;
    if (Number.isFinite(scale)) parameters.push({ key: 'Scan Rate', unit: 'V/s', value: sr.value * scale, line: sr.line });
    else notes.push(`the scan rate unit '${sr.unit}' is not known; no scan rate`);
  }
  const date = param(f, 'DATE')?.values[0], time = param(f, 'TIME')?.values[0];
  return {
    source: f.source, technique: param(f, 'TITLE')?.values[0]?.trim() || f.tag, kind,
    date: gamryDate(date, time), dateText: date ? `${date.trim()} ${(time ?? '').trim()}`.trim() : null,
    model: param(f, 'PSTAT')?.values[0]?.trim() ?? null, memo: { TAG: f.tag }, parameters, flags: [], results: [], columns,
    phantomColumns: [], data, lines, segments, headerLine, encoding: f.encoding, notes,
  };
}

/** Read a Gamry .DTA as a technique file for `cv` and `eis`. */
export async function readGamryTechnique(input: Input): Promise<ChiFile> {
  return gamryChiFile(await readFile(input));
}

export const gamryReader: Reader = {
  name: 'gamry',
  sniff: (head) => sniffGamry(head),
  read: readGamry,
};
