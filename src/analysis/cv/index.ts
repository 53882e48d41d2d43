/**
 * Cyclic / linear-sweep / differential-pulse voltammetry of one CHI file, and the analyses over
 * several files of one cell (b-values, b(V), Dunn's capacitive contribution).
 * Everything here is pure: it takes a parsed ChiFile and options, and returns rows, assumptions
 * and warnings. Output currents are anodic-positive whatever the file's convention.
 */
import { DataError, UsageError } from '../../errors.js';
import { column, param, type ChiFile } from '../../readers/chi/chi.js';
import { splitSweeps, type Sweep } from '../cv.js';
import { decideSign, type CurrentSign, type SignDecision } from './sign.js';
import { findSweepPeaks, lsvSummary, type LsvSummary, type PeakRow } from './peaks.js';
import { cycleOf, findSei, type SeiRow } from './sei.js';

export { decideSign, loopRatio, FLAT_LOOP, type CurrentSign, type SignDecision } from './sign.js';
export { findSweepPeaks, lsvSummary, type PeakRow, type LsvSummary } from './peaks.js';
export { findSei, type SeiRow } from './sei.js';
export { bValues, type BPeakRow, type BvRow, type BValuesResult } from './bvalue.js';
export { dunn, type DunnRow, type DunnShareRow, type DunnResult } from './dunn.js';

export interface CvFileOptions {
  /** Overrides the detection. */
  currentSign?: CurrentSign;
  /** Working electrode of a bipotentiostat export (i1/A, i2/A); default 1. */
  channel?: 1 | 2;
  massMg?: number | null;
}

export interface SweepRow {
  cycle: number; sweep: number; direction: 'anodic' | 'cathodic';
  e_start_v: number; e_end_v: number; points: number;
  peaks: number; main_ep_v: number | null; main_ip_a: number | null; delta_ep_v: number | null;
  no_peak: string | null; noise_a: number; flags: string[];
}

export interface CvFileAnalysis {
  file: string;
  technique: string;
  kind: 'cv' | 'lsv' | 'dpv';
  scan_rate_v_s: number | null;
  channel: 1 | 2;
  sweeps: SweepRow[];
  /** Every accepted peak, by sweep then rank. */
  peaks: (PeakRow & { ip_a_g: number | null })[];
  sei: SeiRow[];
  /** LSV only. */
  lsv: LsvSummary | null;
  sign: SignDecision;
  assumptions: Record<string, unknown>;
  warnings: string[];
  notes: string[];
  /** Potentials, anodic-positive currents and the sweep split, for b(V), Dunn and plots. */
  trace: { e: Float64Array; i: Float64Array; sweeps: Sweep[] };
}

export const PEAK_ASSUMPTIONS = {
  peak: 'local maximum of the current in the sweep direction (Savitzky–Golay smoothing, quadratic, ±4 mV), prominence above max(5 σ of the sweep, 10 σ of ±3 % of the sweep around the peak (sweeps of ≥ 240 points), 0.05 % of the largest |i| in the file), not within the first/last 1 % (≥ 3 points) of the sweep, raw current of the sweep direction\'s sign',
  noise: 'σ from the median absolute deviation of the second differences of each sweep\'s current',
  baseline: 'linear, fitted to the current over 2 half-widths before the peak\'s foot (3 half-widths before Ep) and extrapolated under the peak, as in CHI\'s Results; ip is measured from it, ip_raw is the current as recorded',
  half_width: 'full width of the baseline-corrected peak at half its height',
  charge: '∫ (i − baseline) dE / v from the foot to 3 right half-widths after Ep',
  sei: 'cycle-1 cathodic peak with no peak within ±50 mV and ≥ 1/3 of its current in any later cathodic sweep',
};

export function analyseCvFile(f: ChiFile, o: CvFileOptions = {}): CvFileAnalysis {
  if (f.kind !== 'cv' && f.kind !== 'lsv' && f.kind !== 'dpv') throw new DataError(`this is a ${f.technique || 'CHI'} file; voltammetry analysis needs CV, LSV or DPV data`, { file: f.source, line: 2 });
  const channel = o.channel ?? 1;
  if (channel !== 1 && channel !== 2) throw new UsageError(`channel must be 1 or 2, not ${String(channel)}`);
  const e = column(f, 'potentialV');
  const i1 = column(f, 'currentA'), i2 = column(f, 'current2A');
  const notes = [...f.notes];
  if (!e || !i1) throw new DataError(`no Potential/V and Current/A (or i1/A) columns (found ${f.columns.map((c) => c.header).join(', ')})`, { file: f.source, line: f.headerLine });
  if (channel === 2 && !i2) throw new DataError(`channel 2 asked for, but the file has no i2/A column (found ${f.columns.map((c) => c.header).join(', ')})`, { file: f.source, line: f.headerLine });
  if (channel === 1 && i2) notes.push('the file also holds a second working electrode (i2/A): channel 2 analyses it');
  if (channel === 2) notes.push('channel 2 (i2/A) analysed; the file also holds channel 1 (i1/A)');
  const iRead = channel === 2 ? i2! : i1;
  if (e.length < 10) throw new DataError(`too few points for a voltammogram (${e.length}); at least 10 are needed`, { file: f.source });
  const kind = f.kind;
  const n = e.length;
  const sweeps: Sweep[] = kind === 'cv' ? splitSweeps(e, f.segments) : [{ index: 1, direction: e[n - 1]! >= e[0]! ? 'anodic' : 'cathodic', start: 0, end: n }];
  const initE = param(f, 'Init E'), finalE = param(f, 'Final E');
  const pn = param(f, 'Init P/N');
  const sign = decideSign(e, iRead, sweeps, {
    results: f.results, block: channel === 2 ? 'Current 2' : null,
    initPN: typeof pn === 'string' ? pn.toUpperCase() : null,
    singleSweepDir: kind !== 'cv' && typeof initE === 'number' && typeof finalE === 'number' && finalE !== initE ? Math.sign(finalE - initE) : kind !== 'cv' ? (sweeps[0]!.direction === 'anodic' ? 1 : -1) : null,
    sweeps,
  }, o.currentSign);
  const i = sign.current_sign === 'cathodic-positive' ? iRead.map((x) => -x) : Float64Array.from(iRead);
  const rate = param(f, 'Scan Rate');
  let scanRate = typeof rate === 'number' && rate > 0 ? rate : null;
  const warnings = [...sign.warnings];
  if (kind === 'dpv') scanRate = null;
  let maxAbs = 0;
  for (const v of i) maxAbs = Math.max(maxAbs, Math.abs(v));
  const g = o.massMg ? o.massMg / 1000 : null;
  const peaks: CvFileAnalysis['peaks'] = [];
  const rows: SweepRow[] = [];
  for (const s of sweeps) {
    const cycle = kind === 'cv' ? cycleOf(s) : 1;
    const r = findSweepPeaks(e, i, s, { scanRateVS: scanRate, cycle, minProminenceA: 5e-4 * maxAbs });
    for (const p of r.peaks) peaks.push({ ...p, ip_a_g: g ? p.ip_a / g : null });
    const main = r.peaks[0];
    rows.push({
      cycle, sweep: s.index, direction: s.direction, e_start_v: e[s.start]!, e_end_v: e[s.end - 1]!, points: s.end - s.start,
      peaks: r.peaks.length, main_ep_v: main?.ep_v ?? null, main_ip_a: main?.ip_a ?? null, delta_ep_v: null,
      no_peak: r.no_peak, noise_a: r.noise_a, flags: r.no_peak ? ['no_peak'] : [],
    });
  }
  for (const c of new Set(rows.map((r) => r.cycle))) {
    const pair = rows.filter((r) => r.cycle === c);
    const an = pair.find((r) => r.direction === 'anodic'), ca = pair.find((r) => r.direction === 'cathodic');
    if (an?.main_ep_v != null && ca?.main_ep_v != null) for (const r of pair) r.delta_ep_v = Math.abs(an.main_ep_v - ca.main_ep_v);
  }
  let sei: SeiRow[] = [];
  if (kind === 'cv') {
    const s = findSei(e, sweeps, peaks);
    sei = s.sei;
    if (s.note) notes.push(s.note);
    for (const r of rows) if (peaks.some((p) => p.sweep === r.sweep && p.flags.includes('sei'))) r.flags.push('sei');
  }
  const lsv = kind === 'lsv' ? lsvSummary(e, i, sweeps[0]!) : null;
  const segParam = param(f, 'Segment');
  if (kind === 'cv' && typeof segParam === 'number' && segParam !== sweeps.length) warnings.push(`the header says Segment = ${segParam} but the data hold ${sweeps.length} sweep(s) (a partial export); cycles are numbered from the first sweep in the data`);
  const assumptions: Record<string, unknown> = {
    current_sign: sign.current_sign,
    current_sign_source: sign.current_sign_source,
    current_sign_detail: signDetail(sign),
    output_current: 'anodic-positive (oxidation / desodiation > 0)',
    channel,
    sweep_split: kind !== 'cv' ? 'one sweep' : f.segments ? "the file's Segment N: blocks" : 'where the potential reverses',
    cycle: 'two consecutive sweeps from the first in the data',
    ...PEAK_ASSUMPTIONS,
    ...(lsv ? { onset: lsv.criterion } : {}),
    scan_rate_v_s: scanRate, mass_mg: o.massMg ?? null, technique: f.technique, model: f.model,
  };
  return { file: f.source, technique: f.technique, kind, scan_rate_v_s: scanRate, channel, sweeps: rows, peaks, sei, lsv, sign, assumptions, warnings, notes, trace: { e, i, sweeps } };
}

function signDetail(s: SignDecision): string {
  const loop = s.loop_ratio === null ? 'no closed loop' : `loop ∮ i dE / ∫|i||dE| = ${s.loop_ratio.toFixed(3)} as read`;
  const res = s.results_sign ? `Results block (${s.results_peaks} peak(s)) implies ${s.results_sign}` : 'no usable Results peaks';
  return `${s.current_sign} from ${s.current_sign_source}; ${res}; ${loop}`;
}
