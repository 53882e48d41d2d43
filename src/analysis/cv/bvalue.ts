/**
 * b-values over several files of one cell at different scan rates: log10|ip| = b·log10 v + c
 * per peak (the peaks of one sweep direction and cycle, matched by rank across files), from
 * baseline-corrected currents; and b(V), the same slope at each potential of a grid, per
 * sweep direction, from the currents as recorded.
 */
import { DataError } from '../../errors.js';
import type { PeakRow } from './peaks.js';
import { grid, interpAt, savitzkyGolay, regression, median } from './util.js';
import { pickSweep, sweepRange, type TraceFile } from './pick.js';

export interface BFile extends TraceFile { peaks: PeakRow[] }

export interface BPeakRow {
  direction: 'anodic' | 'cathodic'; rank: number; cycle: number;
  b: number; b_se: number | null; r2: number | null; points: number;
  scan_rates_v_s: number[]; ip_a: number[]; ep_v: number[]; files: string[];
}
export interface BvRow { direction: 'anodic' | 'cathodic'; e_v: number; b: number | null; b_se: number | null; r2: number | null; points: number }
export interface BValuesResult { peaks: BPeakRow[]; b_of_v: BvRow[]; assumptions: Record<string, unknown>; warnings: string[] }

export interface BOptions { cycle?: number; gridStepV?: number; smoothV?: number }

export function bValues(files: BFile[], o: BOptions = {}): BValuesResult {
  const cycle = o.cycle ?? 2, step = o.gridStepV ?? 0.01, smoothV = o.smoothV ?? 0.004;
  const usable = files.filter((f) => f.scan_rate_v_s !== null && f.scan_rate_v_s > 0);
  const rates = new Set(usable.map((f) => f.scan_rate_v_s));
  if (rates.size < 2) throw new DataError(`b-values need files at two or more different scan rates (found ${rates.size}${usable.length < files.length ? `; ${files.length - usable.length} file(s) without a Scan Rate` : ''})`, {});
  const warnings: string[] = [];
  if (rates.size === 2) warnings.push('with two scan rates the b-value has no standard error and no meaningful R² (a line through two points); use three or more');
  const peaks: BPeakRow[] = [];
  const fellBack = new Set<string>();
  for (const dir of ['anodic', 'cathodic'] as const) {
    const per = usable.map((f) => {
      const p = pickSweep(f, cycle, dir);
      if (p.sweep && p.cycle !== cycle) fellBack.add(`${f.file} (cycle ${p.cycle})`);
      return { f, ps: p.sweep ? f.peaks.filter((q) => q.sweep === p.sweep!.index).sort((a, b) => a.rank - b.rank) : [], cyc: p.cycle };
    });
    const maxRank = Math.max(0, ...per.map((x) => x.ps.length));
    for (let r = 1; r <= maxRank; r++) {
      const pts = per.filter((x) => x.ps[r - 1]).map((x) => ({ f: x.f, p: x.ps[r - 1]! }));
      if (new Set(pts.map((x) => x.f.scan_rate_v_s)).size < 2) continue;
      const reg = regression(pts.map((x) => Math.log10(x.f.scan_rate_v_s!)), pts.map((x) => Math.log10(Math.abs(x.p.ip_a))));
      const eps = pts.map((x) => x.p.ep_v);
      const spread = Math.max(...eps) - Math.min(...eps);
      if (spread > 0.1) warnings.push(`${dir} peak of rank ${r}: Ep spreads over ${(spread * 1000).toFixed(0)} mV across the files; check that the rank-matched peaks are the same process`);
      if (reg.r2 !== null && reg.r2 < 0.9) warnings.push(`${dir} peak of rank ${r}: log|ip| against log v is not a line (R² = ${reg.r2.toFixed(2)}; Ep ${eps.map((e) => e.toFixed(3)).join(', ')} V): check that the rank-matched peaks are the same process`);
      if (pts.length < per.length) warnings.push(`${dir} peak of rank ${r} is missing in ${per.length - pts.length} file(s); its b uses ${pts.length}`);
      peaks.push({ direction: dir, rank: r, cycle, b: reg.slope, b_se: reg.se, r2: reg.r2, points: pts.length, scan_rates_v_s: pts.map((x) => x.f.scan_rate_v_s!), ip_a: pts.map((x) => x.p.ip_a), ep_v: eps, files: pts.map((x) => x.f.file) });
    }
  }
  if (fellBack.size) warnings.push(`cycle ${cycle} is missing in ${[...fellBack].join(', ')}: the last cycle there is used`);
  const b_of_v: BvRow[] = [];
  for (const dir of ['anodic', 'cathodic'] as const) {
    const curves = usable.map((f) => ({ f, s: pickSweep(f, cycle, dir).sweep })).filter((x) => x.s) as { f: BFile; s: NonNullable<ReturnType<typeof pickSweep>['sweep']> }[];
    if (new Set(curves.map((c) => c.f.scan_rate_v_s)).size < 2) continue;
    const ranges = curves.map((c) => sweepRange(c.f.trace.e, c.s));
    const lo = Math.max(...ranges.map((r) => r[0])) + 2 * smoothV, hi = Math.min(...ranges.map((r) => r[1])) - 2 * smoothV;
    const sm = curves.map((c) => smoothedSweep(c.f, c.s, smoothV));
    for (const v of grid(lo, hi, step)) {
      const ii = sm.map((s) => interpAt(s.x, s.y, 0, s.x.length, v));
      const ok = ii.every((x) => x !== null && x !== 0) && new Set(ii.map((x) => Math.sign(x!))).size === 1;
      if (!ok) { b_of_v.push({ direction: dir, e_v: v, b: null, b_se: null, r2: null, points: curves.length }); continue; }
      const reg = regression(curves.map((c) => Math.log10(c.f.scan_rate_v_s!)), ii.map((x) => Math.log10(Math.abs(x!))));
      b_of_v.push({ direction: dir, e_v: v, b: reg.slope, b_se: reg.se, r2: reg.r2, points: curves.length });
    }
  }
  return {
    peaks, b_of_v, warnings,
    assumptions: {
      fit: 'least squares of log10|i| against log10 v', peak_current: 'baseline-corrected ip', peak_matching: 'by rank (1 = largest corrected |ip|) within each sweep direction of the cycle',
      cycle, b_of_v: `current as recorded (Savitzky–Golay smoothing, quadratic, ±${smoothV * 1000} mV) at each potential of a ${step * 1000} mV grid over the range all files share; null where the current changes sign between rates or is zero`,
    },
  };
}

export function smoothedSweep(f: TraceFile, s: { start: number; end: number }, smoothV: number): { x: Float64Array; y: Float64Array } {
  const x = f.trace.e.subarray(s.start, s.end);
  const steps: number[] = [];
  for (let k = 1; k < x.length; k++) steps.push(Math.abs(x[k]! - x[k - 1]!));
  const dE = median(steps) || 1e-3;
  return { x, y: savitzkyGolay(f.trace.i.subarray(s.start, s.end), Math.round(smoothV / dE)) };
}
