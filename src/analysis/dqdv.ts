/**
 * Differential capacity dQ/dV of one branch, from the capacity on a uniform voltage grid.
 * Q(V_g) is the capacity passed when the voltage first reaches V_g (going down for a discharge,
 * up for a charge), interpolated between the bracketing records — so noise, relaxation and any
 * non-monotonic stretch of the raw voltage cannot scramble the curve. dQ/dV is the difference of
 * Q between neighbouring grid levels over the grid step, then a centred moving average.
 */
import { maxOf, minOf } from './extent.js';

export interface BranchPoints { dir: 'D' | 'C'; v: number[]; q: number[] }

export interface DqdvCurve { v: number[]; q: number[]; dqdv: number[] }

/** More grid levels than any real branch needs (5 V at 0.1 mV is 50 000). */
export const MAX_GRID_LEVELS = 200_000;

/** How many grid levels a branch spans at this step. */
export function gridLevels(p: BranchPoints, step: number): number {
  return (maxOf(p.v) - minOf(p.v)) / step;
}

/** Capacity at each grid level, first-passage, interpolated. */
export function capacityOnGrid(p: BranchPoints, step: number): { v: number[]; q: number[] } {
  const down = p.dir === 'D';
  const outV: number[] = [], outQ: number[] = [];
  if (p.v.length < 2) return { v: outV, q: outQ };
  // The first grid level strictly past the starting voltage.
  const v0 = p.v[0]!;
  let level = down ? Math.floor(v0 / step - 1e-9) * step : Math.ceil(v0 / step + 1e-9) * step;
  let ext = v0, extQ = p.q[0]!;
  for (let k = 1; k < p.v.length; k++) {
    const v = p.v[k]!, q = p.q[k]!;
    const past = down ? v < ext : v > ext;
    if (!past) continue;
    while (down ? v <= level + 1e-12 : v >= level - 1e-12) {
      const f = (level - ext) / (v - ext);
      outV.push(+level.toFixed(10));
      outQ.push(extQ + f * (q - extQ));
      level = down ? level - step : level + step;
    }
    ext = v; extQ = q;
  }
  return { v: outV, q: outQ };
}

export function movingAverage(y: number[], n: number): number[] {
  if (n <= 1) return [...y];
  const h = Math.floor(n / 2);
  return y.map((_, k) => {
    let s = 0, c = 0;
    for (let j = Math.max(0, k - h); j <= Math.min(y.length - 1, k + h); j++) { s += y[j]!; c++; }
    return s / c;
  });
}

/** dQ/dV at the midpoints of the grid (signed: negative for a discharge). */
export function dqdv(p: BranchPoints, step: number, smooth: number): DqdvCurve {
  const g = capacityOnGrid(p, step);
  const v: number[] = [], q: number[] = [], d: number[] = [];
  for (let k = 1; k < g.v.length; k++) {
    v.push((g.v[k]! + g.v[k - 1]!) / 2);
    q.push((g.q[k]! + g.q[k - 1]!) / 2);
    d.push((g.q[k]! - g.q[k - 1]!) / (g.v[k]! - g.v[k - 1]!));
  }
  return { v, q, dqdv: movingAverage(d, smooth) };
}

export interface DqdvPeak { v: number; dqdv: number }

/** Local maxima of |dQ/dV| above `minShare` of the largest, biggest first (at most `max`). */
export function peaks(c: DqdvCurve, minShare = 0.1, max = 3): DqdvPeak[] {
  const a = c.dqdv.map(Math.abs);
  const top = maxOf(a, 0);
  const out: DqdvPeak[] = [];
  for (let k = 0; k < a.length; k++) {
    const l = k > 0 ? a[k - 1]! : -Infinity, r = k < a.length - 1 ? a[k + 1]! : -Infinity;
    if (a[k]! > l && a[k]! >= r && a[k]! >= minShare * top && top > 0) out.push({ v: c.v[k]!, dqdv: c.dqdv[k]! });
  }
  return out.sort((x, y) => Math.abs(y.dqdv) - Math.abs(x.dqdv)).slice(0, max);
}

// ---------------------------------------------------------------------------------------------
// dQ/dV that keeps the peaks: defaults, Savitzky–Golay, peaks by prominence, dV/dQ, several cycles.
//
// Why these defaults (for the README):
// - Every smoothing is an average over a voltage window W, and an average flattens a peak of width
//   w by about W²/(6w²) of its height (for the logistic-derivative shape of a two-phase plateau,
//   sech², FWHM = 3.5 w). The plateau peak of a hard carbon at low rate is narrow (FWHM ≈ 5–10 mV,
//   on discharge often a cusp at the start of the plateau), so keeping 90 % of its height allows a
//   total window of about 1 mV. The old default (5 mV grid, 3-point average: a 15 mV window)
//   halved the sample's discharge peak and moved it 7 mV.
// - The grid step is therefore 0.5 mV, and no smoothing by default: the grid itself averages over
//   one step. Readings quantised to a resolution r put the capacity at each grid level off by up
//   to dQ/dV·r, so one dQ/dV value is off by up to r/step of itself: the step is at least
//   DQDV_RESOLUTION_STEPS = 10 resolution steps (0.1 mV readings → 1 mV grid, ripple ≤ 10 %;
//   1 mV readings → 10 mV), which also keeps a 14 mV-wide peak within 1 % of its height.
// - Noise is handled where it does harm, in the peak list. Peaks are detected on a copy averaged
//   over 4.5 mV (positive weights: no ringing beside a sharp peak), and their position and height
//   are read from the curve itself within half that window, so the listed peak is the curve's.
//   A peak needs a prominence (height above the higher of the lowest points separating it from
//   higher ground) above 5 % of the largest |dQ/dV| and above 5 standard deviations of the noise
//   of that prominence. That noise is worked out from the records, not fitted to a curve: the
//   voltage noise σ_V (third differences of the readings, at least resolution/√12) moves the
//   capacity at each grid level by dQ/dV·σ_V; an average of differences over the window W
//   telescopes to one difference over W, so its relative noise is √2·σ_V/W, and the prominence's
//   is that times √(peak² + base²). 5σ rather than 3σ because first passage picks the extreme of
//   the noise (a minimum, not a mean), so ripples run larger than σ_V predicts. Ripples from the
//   voltage resolution therefore never clear it, and no peak is listed within 3 grid steps of a
//   higher one. On the bundled sample (±0.3 mV noise) these settings list exactly the plateau
//   peak in all 80 branches of its 40 cycles; on the corpus Si half cell (LAND, cellpy) they list
//   the a-Si pairs of cycle 2 (0.105 / 0.239 V on lithiation, 0.264 / 0.467 V on delithiation) and
//   the crystalline plateau of cycle 1 (0.066 V).
// - Smoothing stays available for display: Savitzky–Golay (a local polynomial fit, which keeps a
//   peak's height and position far better than a moving average of the same width) or the moving
//   average; the assumptions state the window in volts.

/** Default grid step, V. */
export const DQDV_STEP_V = 0.0005;
/** The grid step is at least this many voltage-resolution steps. */
export const DQDV_RESOLUTION_STEPS = 10;
/** Peaks closer than this many grid steps to a higher peak are not listed. */
export const DQDV_MIN_SEPARATION_STEPS = 3;
/** A peak's prominence must exceed this share of the largest |dQ/dV|… */
export const DQDV_MIN_PROMINENCE_SHARE = 0.05;
/** …and this many standard deviations of the prominence's noise (see findPeaks). */
export const DQDV_NOISE_SIGMAS = 5;
/** Peaks are detected on a moving average over this voltage window (9 grid points at 0.5 mV). */
export const DQDV_DETECT_WINDOW_V = 0.0045;

/** Grid points of the detection average for a step: the window over the step, odd, at least 1. */
export function detectPoints(stepV: number): number {
  const n = Math.max(1, Math.round(DQDV_DETECT_WINDOW_V / stepV));
  return n % 2 ? n : n + 1;
}

export type Smoothing =
  | { kind: 'none' }
  | { kind: 'moving'; points: number }
  | { kind: 'savgol'; points: number; order: number };

export interface DqdvOptions {
  /** Grid step, V (default: DQDV_STEP_V, raised to DQDV_RESOLUTION_STEPS × the voltage resolution). */
  stepV?: number;
  smoothing?: Smoothing;
}

export interface DqdvResult extends DqdvCurve {
  stepV: number;
  /** Voltage resolution of the records (V), from the decimals written. */
  resolutionV: number;
  /** Standard deviation of the voltage noise of the records, V (see voltageNoise). */
  voltageNoiseV: number;
  /**
   * Relative standard deviation of one dQ/dV value from that noise: √2 σ_V / step × the smoothing's
   * gain (the capacity at each grid level is off by dQ/dV · δV, and two levels are differenced).
   */
  relativeNoise: number;
  assumptions: { step_v: number; resolution_v: number; voltage_noise_v: number; method: string; smoothing: string; sign: string };
}

/**
 * The voltage resolution of a series: the smallest decimal step its values are written in
 * (10⁻ᵈ for d = 0…7 decimals), found from the values themselves. Floating-point readings with
 * more than 7 decimals count as 1e-7 V.
 */
export function voltageResolution(v: number[]): number {
  let d = 0;
  const n = Math.min(v.length, 5000);
  for (let k = 0; k < n && d < 7; k++) {
    const x = Math.abs(v[k]!);
    while (d < 7) {
      const s = x * 10 ** d;
      if (Math.abs(s - Math.round(s)) <= 1e-9 * Math.max(1, s)) break;
      d++;
    }
  }
  return Number(`1e-${d}`);
}

/** The default grid step for a branch: DQDV_STEP_V, or DQDV_RESOLUTION_STEPS resolution steps if coarser. */
export function defaultStepV(p: BranchPoints): number {
  return Math.max(DQDV_STEP_V, DQDV_RESOLUTION_STEPS * voltageResolution(p.v));
}

/** Savitzky–Golay convolution weights for the centre of a window of `points` (odd) and polynomial `order`. */
export function savgolWeights(points: number, order: number): number[] {
  if (!Number.isInteger(points) || points < 3 || points % 2 === 0) throw new RangeError(`Savitzky–Golay window must be an odd whole number ≥ 3, not ${points}`);
  if (!Number.isInteger(order) || order < 0 || order >= points) throw new RangeError(`Savitzky–Golay order must be a whole number below the window (${points}), not ${order}`);
  const m = (points - 1) / 2, p = order + 1;
  // Normal equations (AᵀA) c = Aᵀ e_centre; weights = row 0 of (AᵀA)⁻¹Aᵀ.
  const ata: number[][] = Array.from({ length: p }, (_, a) => Array.from({ length: p }, (_, b) => {
    let s = 0;
    for (let i = -m; i <= m; i++) s += i ** (a + b);
    return s;
  }));
  const inv = invert(ata);
  const w: number[] = [];
  for (let i = -m; i <= m; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += inv[0]![j]! * i ** j;
    w.push(s);
  }
  return w;
}

function invert(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((r, i) => [...r, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[piv]![c]!)) piv = r;
    [m[c], m[piv]] = [m[piv]!, m[c]!];
    const d = m[c]![c]!;
    for (let k = 0; k < 2 * n; k++) m[c]![k]! /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]!;
      for (let k = 0; k < 2 * n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((r) => r.slice(n));
}

/**
 * Savitzky–Golay smoothing. Within half a window of either end, the polynomial fitted to the
 * first (last) full window is evaluated there, so the ends are smoothed too, not copied.
 */
export function savitzkyGolay(y: number[], points: number, order: number): number[] {
  const m = (points - 1) / 2;
  if (y.length < points) return [...y];
  const w = savgolWeights(points, order);
  const out = new Array<number>(y.length);
  for (let k = m; k < y.length - m; k++) {
    let s = 0;
    for (let i = -m; i <= m; i++) s += w[i + m]! * y[k + i]!;
    out[k] = s;
  }
  // Ends: least-squares polynomial over the end window, evaluated at each end point.
  const fitEval = (start: number) => {
    const xs = Array.from({ length: points }, (_, i) => i - m);
    const p = order + 1;
    const ata = Array.from({ length: p }, (_, a) => Array.from({ length: p }, (_, b) => xs.reduce((s, x) => s + x ** (a + b), 0)));
    const aty = Array.from({ length: p }, (_, a) => xs.reduce((s, x, i) => s + x ** a * y[start + i]!, 0));
    const inv = invert(ata);
    const c = inv.map((r) => r.reduce((s, v, j) => s + v * aty[j]!, 0));
    return (x: number) => c.reduce((s, cj, j) => s + cj * x ** j, 0);
  };
  const head = fitEval(0), tail = fitEval(y.length - points);
  for (let k = 0; k < m; k++) out[k] = head(k - m);
  for (let k = y.length - m; k < y.length; k++) out[k] = tail(k - (y.length - points) - m);
  return out;
}

function smoothingText(s: Smoothing, stepV: number): string {
  if (s.kind === 'none') return 'none (the grid step is the only averaging)';
  const width = `${(s.points * stepV * 1000).toPrecision(3)} mV`;
  return s.kind === 'moving'
    ? `centred moving average over ${s.points} grid points (${width})`
    : `Savitzky–Golay, ${s.points} points (${width}), polynomial order ${s.order}`;
}

function applySmoothing(y: number[], s: Smoothing): number[] {
  if (s.kind === 'none') return [...y];
  if (s.kind === 'moving') return movingAverage(y, s.points);
  return savitzkyGolay(y, s.points, s.order);
}

/** dQ/dV of a branch with the peak-keeping defaults (or the options given). */
export function dqdvCurve(p: BranchPoints, opts: DqdvOptions = {}): DqdvResult {
  const resolutionV = voltageResolution(p.v);
  const stepV = opts.stepV ?? Math.max(DQDV_STEP_V, DQDV_RESOLUTION_STEPS * resolutionV);
  if (!(stepV > 0)) throw new RangeError(`the grid step must be positive, not ${stepV}`);
  const smoothing = opts.smoothing ?? { kind: 'none' };
  const raw = dqdv(p, stepV, 1);
  const voltageNoiseV = voltageNoise(p.v, resolutionV);
  return {
    v: raw.v, q: raw.q, dqdv: applySmoothing(raw.dqdv, smoothing), stepV, resolutionV, voltageNoiseV,
    relativeNoise: Math.SQRT2 * voltageNoiseV / stepV * smoothingGain(smoothing),
    assumptions: {
      step_v: stepV,
      resolution_v: resolutionV,
      voltage_noise_v: voltageNoiseV,
      method: 'capacity at the first passage of each grid voltage (interpolated), differenced over the grid step',
      smoothing: smoothingText(smoothing, stepV),
      sign: 'dQ/dV negative on discharge, positive on charge',
    },
  };
}

export interface Peak {
  v: number;
  dqdv: number;
  /** Height of |dQ/dV| above the higher of the lowest points separating it from higher ground. */
  prominence: number;
}

/**
 * Standard deviation of the voltage noise of a branch, V: the larger of the quantisation noise
 * (resolution / √12) and the robust scatter of third differences of consecutive readings
 * (1.4826 · median|Δ³V| / √20; a smooth trend, even a curved one, adds little to a third difference).
 */
export function voltageNoise(v: number[], resolutionV = voltageResolution(v)): number {
  const d: number[] = [];
  for (let k = 0; k + 3 < v.length; k++) d.push(Math.abs(v[k + 3]! - 3 * v[k + 2]! + 3 * v[k + 1]! - v[k]!));
  d.sort((a, b) => a - b);
  const med = d.length ? (d.length % 2 ? d[(d.length - 1) / 2]! : (d[d.length / 2 - 1]! + d[d.length / 2]!) / 2) : 0;
  return Math.max(resolutionV / Math.sqrt(12), 1.4826 * med / Math.sqrt(20));
}

/** How much a smoothing reduces independent noise: √Σw² of its weights (1 without smoothing). */
export function smoothingGain(s: Smoothing): number {
  if (s.kind === 'none') return 1;
  if (s.kind === 'moving') return 1 / Math.sqrt(Math.max(1, s.points));
  return Math.sqrt(savgolWeights(s.points, s.order).reduce((a, w) => a + w * w, 0));
}

export interface PeakOptions {
  minProminenceShare?: number;
  noiseSigmas?: number;
  /** Points of the moving average peaks are detected on (default detectPoints(step): 4.5 mV; 1 = none). */
  detectPoints?: number;
  /** Minimum distance to a higher peak, V (default DQDV_MIN_SEPARATION_STEPS grid steps). */
  minSeparationV?: number;
  /** At most this many peaks, largest first (default all). */
  max?: number;
}

/**
 * Peaks of |dQ/dV| by prominence, largest first.
 *
 * Detection runs on a copy averaged over `detectPoints` grid points (non-negative weights: no
 * ringing, so no false maxima beside a sharp peak); position and height are then read from the
 * curve itself, at its largest |dQ/dV| within half that window — the curve shown keeps its peak.
 * A local maximum of the detection copy (a flat top counts once; not at either end of the curve)
 * is a peak when its prominence (height above the higher of the lowest points separating it from
 * higher ground on either side) exceeds both `minProminenceShare` × the largest |dQ/dV| and the
 * noise floor: `noiseSigmas` × the standard deviation of the prominence, √2·σ_V/window ×
 * √(peak² + base²) (voltage noise and quantisation scatter dQ/dV in proportion to its value). No
 * peak is listed within `minSeparationV` of a higher one.
 */
export function findPeaks(c: Pick<DqdvResult, 'v' | 'dqdv' | 'stepV' | 'voltageNoiseV'>, opts: PeakOptions = {}): { peaks: Peak[]; thresholds: Record<string, number> } {
  const raw = c.dqdv.map(Math.abs);
  const points = opts.detectPoints ?? detectPoints(c.stepV);
  const a = movingAverage(raw, points);
  const n = a.length;
  const top = maxOf(a, 0);
  const share = opts.minProminenceShare ?? DQDV_MIN_PROMINENCE_SHARE;
  const sigmas = opts.noiseSigmas ?? DQDV_NOISE_SIGMAS;
  // The average of `points` differences telescopes to one difference over the whole window, so
  // its relative noise is √2·σ_V / window (any smoothing of the curve only lowers it further).
  const rel = Math.SQRT2 * c.voltageNoiseV / (Math.max(1, points) * c.stepV);
  const sep = opts.minSeparationV ?? DQDV_MIN_SEPARATION_STEPS * c.stepV;
  const half = Math.floor(points / 2);
  const cands: Peak[] = [];
  for (let k = 0; k < n; k++) {
    // Local maximum; for a flat top take its first point and look past the flat.
    if (k > 0 && a[k - 1]! >= a[k]!) continue;
    let e = k;
    while (e + 1 < n && a[e + 1] === a[k]) e++;
    if (e + 1 < n && a[e + 1]! > a[k]!) continue;
    // A maximum at either end of the curve is the branch's cut-off, not a peak.
    if (k === 0 || e === n - 1) continue;
    // Each side: the lowest point before higher ground (or the end of the curve); the base is the higher of the two.
    let lmin = a[k]!, rmin = a[k]!;
    for (let j = k - 1; j >= 0 && a[j]! <= a[k]!; j--) if (a[j]! < lmin) lmin = a[j]!;
    for (let i = e + 1; i < n && a[i]! <= a[k]!; i++) if (a[i]! < rmin) rmin = a[i]!;
    const base = Math.max(lmin, rmin);
    const prominence = a[k]! - base;
    if (!(top > 0 && prominence > share * top && prominence > sigmas * rel * Math.hypot(a[k]!, base))) continue;
    let best = k;
    for (let j = Math.max(0, k - half); j <= Math.min(n - 1, e + half); j++) if (raw[j]! > raw[best]!) best = j;
    cands.push({ v: c.v[best]!, dqdv: c.dqdv[best]!, prominence });
  }
  cands.sort((x, y) => Math.abs(y.dqdv) - Math.abs(x.dqdv));
  const kept: Peak[] = [];
  for (const p of cands) if (!kept.some((q) => Math.abs(q.v - p.v) < sep - 1e-12)) kept.push(p);
  return {
    peaks: kept.slice(0, opts.max ?? kept.length),
    thresholds: { min_prominence_share: share, noise_sigmas: sigmas, relative_noise: rel, detect_window_v: points * c.stepV, min_separation_v: sep },
  };
}

export interface DvdqCurve { q: number[]; v: number[]; dvdq: number[] }

/**
 * dV/dQ of a branch on a uniform capacity grid (default 1000 intervals over the branch): the
 * voltage at each grid capacity interpolated between records (capacity never decreases within a
 * branch; a record that goes back is skipped), differenced over the grid step, V mAh⁻¹; optional
 * smoothing as for dQ/dV.
 */
export function dvdq(p: BranchPoints, opts: { intervals?: number; smoothing?: Smoothing } = {}): DvdqCurve {
  const qs: number[] = [], vs: number[] = [];
  for (let k = 0; k < p.q.length; k++) {
    if (qs.length && p.q[k]! <= qs[qs.length - 1]!) { if (p.q[k] === qs[qs.length - 1]) vs[vs.length - 1] = p.v[k]!; continue; }
    qs.push(p.q[k]!); vs.push(p.v[k]!);
  }
  const out: DvdqCurve = { q: [], v: [], dvdq: [] };
  if (qs.length < 2) return out;
  const n = opts.intervals ?? 1000;
  const q0 = qs[0]!, q1 = qs[qs.length - 1]!, h = (q1 - q0) / n;
  const gv: number[] = [];
  let j = 0;
  for (let g = 0; g <= n; g++) {
    const q = g === n ? q1 : q0 + g * h;
    while (j < qs.length - 2 && qs[j + 1]! < q) j++;
    const f = (q - qs[j]!) / (qs[j + 1]! - qs[j]!);
    gv.push(vs[j]! + f * (vs[j + 1]! - vs[j]!));
  }
  const d: number[] = [];
  for (let g = 1; g <= n; g++) {
    out.q.push(q0 + (g - 0.5) * h);
    out.v.push((gv[g]! + gv[g - 1]!) / 2);
    d.push((gv[g]! - gv[g - 1]!) / h);
  }
  out.dvdq = applySmoothing(d, opts.smoothing ?? { kind: 'none' });
  return out;
}

/**
 * Collect the points of chosen cycles as they stream by (pass `onPoint` to the loader), for
 * dQ/dV of several cycles at once. Memory: the points of those cycles only.
 */
export function branchCollector(cycles: Set<number>) {
  const branches = new Map<string, BranchPoints & { cycle: number; firstLine: number; lastLine: number }>();
  return {
    onPoint(cycle: number, dir: 'D' | 'C', v: number, q: number, line: number): void {
      if (!cycles.has(cycle)) return;
      const key = `${cycle}${dir}`;
      let b = branches.get(key);
      if (!b) branches.set(key, (b = { cycle, dir, v: [], q: [], firstLine: line, lastLine: line }));
      b.v.push(v); b.q.push(q); b.lastLine = line;
    },
    /** The branches collected, in order of cycle, discharge before charge within a cycle as they came. */
    branches: () => [...branches.values()],
  };
}
