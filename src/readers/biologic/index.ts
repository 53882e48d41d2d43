/**
 * The BioLogic EC-Lab reader: `.mpt` text exports and `.mpr` binary files, decided by content.
 * Both are read into a BioTable (columns under their EC-Lab names), then into:
 * - cycler records (`read`): currentMA as EC-Lab signs it (positive = oxidation of the working
 *   electrode, so negative in the discharge of a half cell whose working electrode is the anode
 *   or a cathode being lithiated/sodiated); capacityMAh = |Q charge/discharge| (the charge passed
 *   since the current half-cycle began, positive); stateKind from `mode` (3 = rest) and `ox/red`
 *   (1 = oxidation = C, 0 = reduction = D); cycleIndex = `cycle number` (0-based, as written);
 *   stepIndex = `Ns` (the sequence of the technique); line = text line or point number.
 *   `.mpr` GCPL files store no current: it is derived as EC-Lab does on export, dq·3600/Δt.
 * - the ChiFile shape the `cv` and `eis` commands read (`readBiologicTechnique`): potentialV,
 *   currentA, timeS, chargeC, freqHz, zReOhm, zImOhm (negative for capacitive, as CHI: EC-Lab's
 *   `-Im(Z)` negated), zModOhm, phaseDeg; `Scan Rate` in V/s from `dE/dt` and its unit.
 */
import { DataError } from '../../errors.js';
import { collect, type Input } from '../../io.js';
import type { ChiFile, ChiTechnique, ChiColumn, ChiParameter } from '../chi/chi.js';
import type { ColumnInfo, CyclerRecord, Kind, SourceInfo } from '../../types.js';
import { type Reader, type ReadResult } from '../types.js';
import { sweepSegments } from '../shared/sweeps.js';
import { parseMpr } from './mpr.js';
import { parseMpt } from './mpt.js';
import { biologicClaim, sniffBiologic } from './sniff.js';

export { sniffBiologic };
import { col, type BioTable } from './table.js';

export { parseMpr, parseMpt };
export type { BioTable };

/** Largest file read (whole). */
export const MAX_BIOLOGIC_BYTES = 2 * 1024 ** 3 - 1;
const BATCH = 4096;


async function readTable(input: Input): Promise<BioTable> {
  const bytes = await collect(input.chunks(), MAX_BIOLOGIC_BYTES, () => new DataError(`larger than ${MAX_BIOLOGIC_BYTES >> 20} MB: too large to read whole`, { file: input.name }));
  if (bytes.length === 0) throw new DataError('the file is empty', { file: input.name, line: 1 });
  const kind = sniffBiologic(bytes.subarray(0, 4096));
  if (!kind) throw new DataError("not a BioLogic EC-Lab file: expected an .mpr ('BIO-LOGIC MODULAR FILE') or an .mpt text export ('EC-Lab ASCII FILE', 'Nb header lines : N')", { file: input.name, line: 1 });
  return kind.kind === 'mpr' ? parseMpr(bytes, input.name) : parseMpt(bytes, input.name);
}

export function biologicSourceInfo(t: BioTable): SourceInfo {
  return {
    source: t.source, instrument: 'BioLogic',
    layout: `EC-Lab ${t.format === 'mpr' ? `.mpr (data module ${t.layout})` : '.mpt text export'}${t.technique ? `: ${t.technique}` : ''}`,
    encoding: t.encoding, delimiter: t.format === 'mpt' ? '\t' : undefined, decimalComma: t.format === 'mpt' ? t.decimalComma : undefined,
    headerLine: t.format === 'mpt' ? t.headerLine : undefined, headerWidth: t.names.length,
    columns: [], ignoredColumns: [], records: 0, skipped: [], skippedCount: 0, notes: [...t.notes], warnings: [...t.warnings],
  };
}

function unitOf(name: string): string {
  const i = name.indexOf('/');
  return i >= 0 ? name.slice(i + 1) : '';
}

/** The records of a table (all at once; batches of 4096). */
export function biologicRecords(t: BioTable, info: SourceInfo): CyclerRecord[][] {
  const used: ColumnInfo[] = [];
  const pick = (canonical: string, scale: number, ...names: string[]): Float64Array | undefined => {
    for (const n of names) {
      const i = t.names.indexOf(n);
      if (i >= 0) { used.push({ header: n, index: i, canonical, unit: unitOf(n), scale }); return t.data[i]; }
    }
    return undefined;
  };
  const time = pick('timeS', 1, 'time/s');
  const volt = pick('voltageV', 1, 'Ewe/V', '<Ewe>/V', 'Ecell/V');
  let cur = pick('currentMA', 1, 'I/mA', '<I>/mA');
  const qcd = pick('capacityMAh', 1, 'Q charge/discharge/mA.h');
  const cyc = pick('cycleIndex', 1, 'cycle number');
  const ns = pick('stepIndex', 1, 'Ns');
  const stepT = pick('stepTimeS', 1, 'step time/s');
  const mode = col(t, 'mode'), oxred = col(t, 'ox/red');
  if (mode) used.push({ header: 'mode', index: t.names.indexOf('mode'), canonical: 'stateKind', unit: '', scale: 1 });
  if (!volt) throw new DataError(`no working-electrode potential column (Ewe/V or <Ewe>/V); columns: ${t.names.join(', ')}`, { file: t.source, line: t.headerLine || undefined });
  const n = volt.length;
  if (!cur) {
    const dq = col(t, 'dq/mA.h') ?? col(t, 'dQ/mA.h');
    if (!dq || !time) throw new DataError(`no current column (I/mA or <I>/mA), and no dq/mA.h with time/s to derive it from; columns: ${t.names.join(', ')}`, { file: t.source, line: t.headerLine || undefined });
    const d = new Float64Array(n);
    let zeroDt = 0;
    for (let k = 1; k < n; k++) {
      const dt = time[k]! - time[k - 1]!;
      if (dt > 0) d[k] = dq[k]! * 3600 / dt;
      else if (dq[k] !== 0) zeroDt++;
    }
    cur = d;
    used.push({ header: 'dq/mA.h', index: t.names.indexOf(col(t, 'dq/mA.h') ? 'dq/mA.h' : 'dQ/mA.h'), canonical: 'currentMA', unit: 'mA.h', scale: NaN });
    info.notes.push('the file stores no current (as EC-Lab stores GCPL data): currentMA = dq·3600/Δt from consecutive points, as EC-Lab computes <I>/mA on export; the first point has 0 mA');
    if (zeroDt) info.warnings.push(`${zeroDt} points pass charge with no time elapsed since the previous point; their current is set to 0`);
  }
  info.columns = used;
  info.ignoredColumns = t.names.filter((nm) => !used.some((u) => u.header === nm) && nm !== 'ox/red');
  if (t.format === 'mpt') {
    const mass = t.params.find((p) => /^Characteristic mass$/i.test(p.key));
    if (mass) info.notes.push(`the header states a characteristic mass of ${mass.value} (not used: EC-Lab's default is often left in place)`);
  }
  if (/impedance/i.test(t.technique) || col(t, 'freq/Hz')) info.notes.push('this is an impedance spectrum: its records are the DC potential and current at each frequency; hcarb eis reads the impedance');
  const out: CyclerRecord[][] = [];
  let batch: CyclerRecord[] = [];
  for (let k = 0; k < n; k++) {
    let kind: Kind | null = null;
    if (mode) {
      const m = mode[k]!;
      if (m === 3) kind = 'R';
      else if (oxred && (m === 1 || m === 2)) kind = oxred[k] ? 'C' : 'D';
    }
    batch.push({
      line: t.lines[k]!, timeS: time ? time[k]! : null, stepTimeS: stepT ? stepT[k]! : null, voltageV: volt[k]!, currentMA: cur[k]!,
      capacityMAh: qcd ? Math.abs(qcd[k]!) : null, specificCapacityMAhG: null,
      cycleIndex: cyc ? cyc[k]! : null, stepIndex: ns ? ns[k]! : null, stateKind: kind,
    });
    if (batch.length === BATCH) { out.push(batch); batch = []; }
  }
  if (batch.length) out.push(batch);
  info.records = n;
  return out;
}

export async function readBiologic(input: Input): Promise<ReadResult> {
  const t = await readTable(input);
  const info = biologicSourceInfo(t);
  const batches = biologicRecords(t, info);
  return { info, batches: (async function* () { yield* batches; })() };
}

const KINDS: [RegExp, ChiTechnique][] = [
  [/^cyclic voltammetry/i, 'cv'], [/^linear sweep voltammetry/i, 'lsv'], [/impedance spectroscopy/i, 'eis'],
  [/^chronopotentiometry/i, 'cp'], [/^chronoamperometry/i, 'ca'], [/^open circuit voltage/i, 'ocpt'],
];

/** The technique of a BioLogic table in the shape the `cv` and `eis` commands read (CHI's ChiFile). */
export function biologicChiFile(t: BioTable): ChiFile {
  let kind: ChiTechnique = 'other';
  for (const [re, k] of KINDS) if (re.test(t.technique)) { kind = k; break; }
  if (kind === 'other' && !t.technique && col(t, 'freq/Hz')) kind = 'eis';
  const columns: ChiColumn[] = [];
  const data: Float64Array[] = [];
  const add = (canonical: string, unit: string, scale: number, ...names: string[]): void => {
    for (const n of names) {
      const i = t.names.indexOf(n);
      if (i < 0) continue;
      columns.push({ header: n, canonical, unit });
      data.push(scale === 1 ? t.data[i]! : t.data[i]!.map((v) => v * scale));
      return;
    }
  };
  add('timeS', 's', 1, 'time/s');
  add('potentialV', 'V', 1, 'Ewe/V', '<Ewe>/V');
  add('currentA', 'A', 1e-3, 'I/mA', '<I>/mA');
  add('chargeC', 'C', 1, '(Q-Qo)/C');
  if (!columns.some((c) => c.canonical === 'chargeC')) add('chargeC', 'C', 3.6, '(Q-Qo)/mA.h');
  add('freqHz', 'Hz', 1, 'freq/Hz');
  add('zReOhm', 'Ω', 1, 'Re(Z)/Ohm');
  add('zImOhm', 'Ω', -1, '-Im(Z)/Ohm');
  add('zModOhm', 'Ω', 1, '|Z|/Ohm');
  add('phaseDeg', 'deg', 1, 'Phase(Z)/deg');
  add('cycleNumber', '', 1, 'cycle number');
  const parameters: ChiParameter[] = t.params.map((p) => {
    const v = Number(p.value.replace(',', '.'));
    return { key: p.key, unit: '', value: p.value !== '' && Number.isFinite(v) ? v : p.value, line: p.line };
  });
  const notes = [...t.notes, ...t.warnings];
  const rate = t.params.find((p) => /^dE\/dt$/i.test(p.key));
  const rateUnit = t.params.find((p) => /^dE\/dt unit$/i.test(p.key));
  if (rate) {
    const v = Number(rate.value.replace(',', '.'));
    const u = (rateUnit?.value ?? 'mV/s').trim();
    const scale = u === 'V/s' ? 1 : u === 'mV/s' ? 1e-3 : u === 'µV/s' || u === '\u00b5V/s' ? 1e-6 : NaN;
    if (Number.isFinite(v) && Number.isFinite(scale)) parameters.push({ key: 'Scan Rate', unit: 'V/s', value: v * scale, line: rate.line });
    else notes.push(`the scan rate '${rate.value} ${u}' could not be read`);
  }
  if (kind === 'eis') {
    const c = col(t, 'cycle number');
    if (c && c.length && c[0] !== c[c.length - 1]) notes.push(`the spectrum holds several cycles (cycle number ${c[0]}–${c[c.length - 1]}); the points of all are given in file order`);
    notes.push("Z'' is EC-Lab's -Im(Z) negated: negative for capacitive behaviour, as CHI writes it");
  }
  let segments: Int32Array | null = null;
  const ctrl = col(t, 'control/V');
  if ((kind === 'cv' || kind === 'lsv') && ctrl) {
    segments = sweepSegments(ctrl, col(t, 'cycle number') ?? null);
    notes.push('sweeps split where the applied potential (control/V) reverses');
  }
  const dev = t.params.find((p) => /^Device$/i.test(p.key));
  return {
    source: t.source, technique: t.technique || (kind === 'eis' ? 'Impedance (from the columns)' : ''), kind,
    date: t.acquisitionStart, dateText: t.params.find((p) => /^Acquisition started on$/i.test(p.key))?.value ?? null,
    model: dev ? dev.value : null, memo: {}, parameters, flags: [], results: [], columns, phantomColumns: [], data,
    lines: t.lines, segments, headerLine: t.headerLine, encoding: t.encoding, notes,
  };
}

/** Read a BioLogic file (.mpt or .mpr) as a technique file for `cv` and `eis`. */
export async function readBiologicTechnique(input: Input): Promise<ChiFile> {
  return biologicChiFile(await readTable(input));
}

export const biologicReader: Reader = {
  name: 'biologic',
  sniff: (head) => biologicClaim(head),
  read: readBiologic,
};
