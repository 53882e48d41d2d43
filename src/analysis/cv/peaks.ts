/**
 * Every peak of a voltammetric sweep, found by prominence, with a CHI-style linear baseline.
 *
 * Currents come in anodic-positive. A sweep is worked on as y = d·i (d = +1 positive-going,
 * −1 negative-going), so a faradaic peak in the sweep's direction is a maximum of y.
 * 1. The current is smoothed (Savitzky–Golay, quadratic, ±4 mV, at most 2 % of the sweep).
 * 2. Candidates are local maxima; prominence as usual (height above the higher of the two
 *    lowest points reached before the current rises above the peak again on either side).
 * 3. Rejected: within the first/last 1 % of the sweep (at least 3 points and the smoothing window) -> `edge`;
 *    prominence below max(5 σ of the sweep, 10 σ nearby, 0.05 % of the file's largest |i|), σ from the data
 *    (noiseSigma) -> `noise`; raw current at the peak of the wrong sign for the sweep direction
 *    -> `wrong_sign`; no height above its own baseline -> `baseline`.
 * 4. Baseline (as CHI's Results): a straight line fitted to the current just before the
 *    peak's foot and extrapolated under the peak. The foot lies 3 left half-widths before the
 *    peak; the fit window covers 2 half-widths (≥ 5 points) before the foot; iterated 3 times
 *    with the half-width measured from the baseline.
 * 5. Ep is the maximum of the baseline-corrected current (parabolic refinement), ip its
 *    corrected value, ip_raw the raw current there.
 */
import type { Sweep } from '../cv.js';
import { lineFit, movingAverage, noiseSigma, median, savitzkyGolay } from './util.js';

export interface PeakRow {
  cycle: number;
  sweep: number;
  direction: 'anodic' | 'cathodic';
  rank: number;
  ep_v: number;
  /** Baseline-corrected peak current, anodic-positive (A). */
  ip_a: number;
  ip_raw_a: number;
  /** Description of the baseline. */
  baseline: string;
  baseline_from_v: number;
  baseline_to_v: number;
  baseline_slope_a_per_v: number;
  baseline_at_ep_a: number;
  prominence_a: number;
  /** Full width of the corrected peak at half its height (V); null when a side does not fall to half. */
  half_width_v: number | null;
  /** ∫ (i − baseline) dt over the peak, anodic-positive (C); null without a scan rate. */
  charge_c: number | null;
  flags: string[];
}

export interface SweepPeaks { peaks: PeakRow[]; no_peak: string | null; noise_a: number; threshold_a: number }

export interface PeakOptions { scanRateVS: number | null; cycle: number; minProminenceA?: number }

/**
 * A peak's prominence must exceed NOISE_FACTOR σ of the whole sweep and, where the sweep has
 * enough points (≥ 8 windows of ±3 %, at least ±15 points), LOCAL_NOISE_FACTOR σ of the window
 * around the peak (noise often grows with the current: bubbles, a rotating electrode).
 */
export const NOISE_FACTOR = 5, LOCAL_NOISE_FACTOR = 10;
/** Smallest half-width used to place the foot (V), and the shortest baseline window (V). */
const MIN_HALF_WIDTH_V = 0.005, MIN_WINDOW_V = 0.01;

interface Cand { k: number; prom: number; lo: number; hi: number; lb: number; rb: number }

export function sweepGeometry(e: Float64Array, s: Sweep) {
  const n = s.end - s.start;
  const steps: number[] = [];
  for (let k = s.start + 1; k < s.end; k++) steps.push(Math.abs(e[k]! - e[k - 1]!));
  const dE = median(steps) || 1e-3;
  const h = Math.max(0, Math.min(Math.round(0.004 / dE), Math.floor(n / 50)));
  const m = Math.max(3, h + 1, Math.round(0.01 * n));
  return { n, dE, h, m };
}

export function findSweepPeaks(e: Float64Array, i: Float64Array, s: Sweep, o: PeakOptions): SweepPeaks {
  const d = s.direction === 'anodic' ? 1 : -1;
  const { n, h, m } = sweepGeometry(e, s);
  const x = e.subarray(s.start, s.end);
  const y = Float64Array.from(i.subarray(s.start, s.end), (v) => d * v);
  const ys = savitzkyGolay(y, h);
  const sigma = noiseSigma(y);
  const thr = Math.max(NOISE_FACTOR * sigma, o.minProminenceA ?? 0);
  const W = Math.max(15, Math.round(0.03 * n));
  const base = { cycle: o.cycle, sweep: s.index, direction: s.direction };
  if (n < 7) return { peaks: [], no_peak: `too few points (${n}) in the sweep`, noise_a: sigma, threshold_a: thr };
  // Candidates and their prominences.
  const cands: Cand[] = [];
  for (let k = 1; k < n - 1; k++) {
    if (!(ys[k]! > ys[k - 1]!)) continue;
    let r = k;
    while (r + 1 < n && ys[r + 1] === ys[k]) r++;
    if (r + 1 >= n || !(ys[r + 1]! < ys[k]!)) continue;
    const peakK = (k + r) >> 1;
    let lmin = ys[k]!, lo = k, lb = k;
    for (let j = k - 1; j >= 0 && ys[j]! <= ys[k]!; j--) { if (ys[j]! < lmin) { lmin = ys[j]!; lb = j; } lo = j; }
    let rmin = ys[k]!, hi = r, rb = r;
    for (let j = r + 1; j < n && ys[j]! <= ys[k]!; j++) { if (ys[j]! < rmin) { rmin = ys[j]!; rb = j; } hi = j; }
    cands.push({ k: peakK, prom: ys[k]! - Math.max(lmin, rmin), lo, hi, lb, rb });
  }
  const rejected: { prom: number; reason: string }[] = [];
  const found: PeakRow[] = [];
  for (const c of cands) {
    if (c.k < m || c.k > n - 1 - m) { rejected.push({ prom: c.prom, reason: 'edge' }); continue; }
    if (!(c.prom > thr)) { rejected.push({ prom: c.prom, reason: 'noise' }); continue; }
    // Local noise (noise often grows with the current, e.g. gas bubbles at high current).
    const lthr = n >= 8 * W ? Math.max(thr, LOCAL_NOISE_FACTOR * noiseSigma(y.subarray(Math.max(0, c.k - W), Math.min(n, c.k + W + 1)))) : thr;
    if (!(c.prom > lthr)) { rejected.push({ prom: c.prom, reason: 'noise' }); continue; }
    const p = measurePeak(x, y, ys, c, m, lthr, d, o.scanRateVS);
    if (typeof p === 'string') { rejected.push({ prom: c.prom, reason: p }); continue; }
    // Two candidates measured onto the same maximum: keep the first.
    if (found.some((q) => Math.abs(q.ep_v - p.ep_v) <= Math.max(2 * Math.abs(x[1]! - x[0]!), 0.25 * (q.half_width_v ?? 0)))) continue;
    found.push({ ...base, rank: 0, ...p, prominence_a: c.prom });
  }
  found.sort((a, b) => Math.abs(b.ip_a) - Math.abs(a.ip_a));
  found.forEach((p, r) => { p.rank = r + 1; });
  if (found.length) return { peaks: found, no_peak: null, noise_a: sigma, threshold_a: thr };
  return { peaks: [], no_peak: noPeakReason(ys, rejected, thr, sigma, d), noise_a: sigma, threshold_a: thr };
}

function noPeakReason(ys: Float64Array, rejected: { prom: number; reason: string }[], thr: number, sigma: number, d: number): string {
  const dir = d > 0 ? 'anodic' : 'cathodic';
  const range = Math.max(...ys) - Math.min(...ys);
  const big = rejected.filter((r) => r.prom > thr).sort((a, b) => b.prom - a.prom)[0];
  if (big?.reason === 'wrong_sign') return `wrong_sign: the only local maximum of the ${dir} current has ${d > 0 ? 'cathodic (negative)' : 'anodic (positive)'} current, so it is not an ${dir} peak`;
  if (big?.reason === 'baseline') return 'baseline: the local maximum does not rise above the baseline extrapolated from before its foot';
  if (big?.reason === 'edge') return "edge: the largest current is at the sweep's start or end (a current still rising at a vertex is not a peak)";
  if (range <= 10 * Math.max(sigma, thr / NOISE_FACTOR)) return `noise: the current varies by ${range.toExponential(2)} A over the sweep, within the noise (σ ≈ ${sigma.toExponential(2)} A)`;
  let up = 0, down = 0;
  for (let k = 1; k < ys.length; k++) { const q = ys[k]! - ys[k - 1]!; if (q > 0) up += q; else down -= q; }
  if (Math.min(up, down) < 0.1 * Math.max(up, down)) return 'monotonic: the current changes steadily over the sweep without a maximum';
  if (big?.reason === 'noise') return `noise: no local maximum stands out of the noise around it (${LOCAL_NOISE_FACTOR} σ of the current nearby)`;
  return `noise: no local maximum stands out of the noise (prominence ≤ ${thr.toExponential(2)} A)`;
}

function measurePeak(x: Float64Array, y: Float64Array, ys: Float64Array, c: Cand, m: number, thr: number, d: number, rate: number | null):
  Omit<PeakRow, 'cycle' | 'sweep' | 'direction' | 'rank' | 'prominence_a'> | string {
  const n = x.length;
  const dist = (a: number, b: number) => Math.abs(x[a]! - x[b]!);
  // Left half-width from the prominence: where ys falls by half the prominence.
  let j = c.k;
  while (j > c.lo && ys[j]! > ys[c.k]! - c.prom / 2) j--;
  const minHw = Math.max(2 * Math.abs(x[1]! - x[0]!), MIN_HALF_WIDTH_V);
  let hwL = Math.max(dist(c.k, j), minHw);
  // The corrected maximum may move from the raw one (a sloping background), but not out of the
  // peak: at most one half-prominence width beyond it on either side.
  let hl = c.k, hr = c.k;
  while (hl > 0 && ys[hl]! > ys[c.k]! - c.prom / 2) hl--;
  while (hr < n - 1 && ys[hr]! > ys[c.k]! - c.prom / 2) hr++;
  const kmin = Math.max(0, hl - (c.k - hl)), kmax = Math.min(n - 1, hr + (hr - c.k));
  let kp = c.k, A = 0, B = 0, from = 0, to = 0, foot = 0, H = 0, short = false, flat = false;
  // The peak's lowest contour: nearest points either side down at the prominence base.
  const level = ys[c.k]! - 0.99 * c.prom;
  let vl = c.k, vr = c.k;
  while (vl > 0 && ys[vl]! > level) vl--;
  while (vr < n - 1 && ys[vr]! > level) vr++;
  for (let it = 0; it < 3; it++) {
    // Foot: 3 half-widths before the peak, not into the edge zone.
    foot = kp;
    while (foot > 1 && (foot > m || dist(kp, foot) < 1.5 * hwL) && dist(kp, foot) < 3 * hwL) foot--;
    to = foot;
    from = to;
    while (from > m && (dist(to, from) < Math.max(2 * hwL, MIN_WINDOW_V) || to - from < 4)) from--;
    if (to - from < 2) from = Math.max(0, to - 2);
    short = dist(kp, foot) < 2.999 * hwL || dist(to, from) < 1.999 * hwL;
    const fit = to - from >= 1 ? lineFit(x, ys, from, to + 1) : null;
    flat = !fit;
    if (fit) { A = fit.a; B = fit.b; } else {
      let mn = Infinity;
      for (let q = 0; q <= kp; q++) mn = Math.min(mn, ys[q]!);
      A = mn; B = 0; from = 0; to = kp;
    }
    // Corrected maximum within the candidate's own range.
    let best = -Infinity, bk = kp;
    for (let q = Math.max(foot, vl, kmin); q <= Math.min(vr, kmax); q++) { const v = ys[q]! - (A + B * x[q]!); if (v > best) { best = v; bk = q; } }
    kp = bk; H = best;
    let l = kp;
    while (l > 0 && ys[l]! - (A + B * x[l]!) > H / 2) l--;
    hwL = Math.max(dist(kp, l), minHw);
  }
  let valley = false;
  const atContour = kp <= Math.max(foot, vl) + 1 || kp >= vr - 1;
  if (!(H > thr) || atContour) {
    // The line extrapolated from before the foot runs above the peak (a bump on a steep
    // background), or so far below it that the corrected current has no maximum inside the
    // peak (a peak on the tail of another): fall back to the line through the peak's lowest
    // contour either side.
    if (vl >= m && vr <= n - 1 - m && vr > vl) {
      B = (ys[vr]! - ys[vl]!) / (x[vr]! - x[vl]!);
      A = ys[vl]! - B * x[vl]!;
      let best = -Infinity;
      for (let q = Math.max(vl, kmin); q <= Math.min(vr, kmax); q++) { const v = ys[q]! - (A + B * x[q]!); if (v > best) { best = v; kp = q; } }
      H = best; valley = true; foot = vl; from = vl; to = vr;
    }
  }
  if (!(H > thr)) return 'baseline';
  if (kp < m || kp > n - 1 - m) return 'edge';
  // Parabolic refinement of Ep on the corrected (smoothed) current.
  const cor = (q: number) => ys[q]! - (A + B * x[q]!);
  let ep = x[kp]!, hPk = H;
  if (kp > 0 && kp < n - 1) {
    const c0 = cor(kp - 1), c1 = cor(kp), c2 = cor(kp + 1), den = c0 - 2 * c1 + c2;
    if (den < 0) {
      const t = Math.max(-0.5, Math.min(0.5, (c0 - c2) / (2 * den)));
      ep = x[kp]! + t * (x[kp + 1]! - x[kp - 1]!) / 2;
      hPk = c1 - ((c0 - c2) * t) / 4;
    }
  }
  const rawAtPk = y[kp]!;
  if (!(ys[kp]! > 0)) return 'wrong_sign';
  // Half-height crossings (interpolated).
  const cross = (step: number): number | null => {
    for (let q = kp; q + step >= 0 && q + step < n; q += step) {
      const a = cor(q), b = cor(q + step);
      if (b <= hPk / 2) return x[q]! + ((a - hPk / 2) / (a - b)) * (x[q + step]! - x[q]!);
    }
    return null;
  };
  const xl = cross(-1), xr = cross(1);
  const fwhm = xl !== null && xr !== null ? Math.abs(xr - xl) : null;
  // Charge: from the foot to 3 right half-widths after the peak (within the candidate's range).
  let charge: number | null = null;
  if (rate && rate > 0) {
    const hwR = xr !== null ? Math.abs(xr - ep) : hwL;
    let end = kp;
    while (end < (valley ? vr : c.hi) && dist(kp, end) < 3 * hwR) end++;
    let q = 0;
    for (let k = Math.max(foot, 1); k <= end; k++) q += ((cor(k) + cor(k - 1)) / 2) * Math.abs(x[k]! - x[k - 1]!);
    charge = (d * q) / rate;
  }
  const baseAtEp = A + B * ep;
  return {
    ep_v: ep, ip_a: d * hPk, ip_raw_a: d * rawAtPk,
    baseline: valley
      ? `line through the peak's lowest contour either side (${x[vl]!.toFixed(3)} and ${x[vr]!.toFixed(3)} V): the line extrapolated from before the foot ${atContour ? 'leaves no maximum inside the peak' : 'runs above the peak'}`
      : flat
      ? `horizontal through the lowest current before the peak (no room for a fitted line before the foot)`
      : `linear, fitted to ${x[from]!.toFixed(3)}…${x[to]!.toFixed(3)} V before the foot and extrapolated under the peak${short ? ' (shortened: the peak is close to the sweep start)' : ''}`,
    baseline_from_v: x[from]!, baseline_to_v: x[to]!, baseline_slope_a_per_v: d * B, baseline_at_ep_a: d * baseAtEp,
    half_width_v: fwhm, charge_c: charge, flags: valley ? ['valley_baseline'] : short || flat ? ['short_baseline'] : [],
  };
}

export interface LsvSummary {
  direction: 'anodic' | 'cathodic';
  onset_v: number | null;
  onset_reason: string | null;
  /** Mean current over the last 10 % of the sweep when it has levelled off, else null. */
  limiting_current_a: number | null;
  final_current_a: number;
  criterion: string;
}

/**
 * LSV: onset = the potential after which the current, in the sweep's direction and measured
 * from a line fitted to the first 10 % of the sweep, stays above 10 % of its final excursion.
 * Limiting current when the last 10 % of the sweep changes by less than 10 % of the excursion.
 */
export function lsvSummary(e: Float64Array, i: Float64Array, s: Sweep): LsvSummary {
  const d = s.direction === 'anodic' ? 1 : -1;
  const { n, h, m } = sweepGeometry(e, s);
  const x = e.subarray(s.start, s.end);
  const y = Float64Array.from(i.subarray(s.start, s.end), (v) => d * v);
  const ys = movingAverage(y, h);
  const sigma = noiseSigma(y);
  const criterion = 'current (in the sweep direction) above a line fitted to the first 10 % of the sweep exceeds 10 % of its final value and stays there';
  const final = d * ys[n - 1]!;
  const tail = Math.max(3, Math.round(0.1 * n));
  const res = { direction: s.direction, criterion, final_current_a: final };
  const b0 = Math.min(n - 1, m), b1 = Math.min(n - 1, Math.max(b0 + 3, Math.round(0.1 * n)));
  const fit = lineFit(x, ys, b0, b1 + 1) ?? { a: ys[b0]!, b: 0 };
  const c = Float64Array.from(ys, (v, k) => v - (fit.a + fit.b * x[k]!));
  const exc = c[n - 1]!;
  const tailChange = Math.abs(ys[n - 1]! - ys[n - tail]!);
  const levelled = exc > 0 && tailChange < 0.1 * exc;
  let lim: number | null = null;
  if (levelled) { let sum = 0; for (let k = n - tail; k < n; k++) sum += ys[k]!; lim = (d * sum) / tail; }
  if (!(exc > Math.max(10 * sigma, 0.02 * Math.max(...Array.from(ys, Math.abs))))) {
    return { ...res, onset_v: null, onset_reason: `no faradaic rise in the sweep direction (${s.direction}) above the starting background`, limiting_current_a: lim };
  }
  let k = n - 1;
  while (k > b1 && c[k - 1]! > 0.1 * exc) k--;
  const a = c[k - 1]!, b = c[k]!;
  const onset = b !== a ? x[k - 1]! + ((0.1 * exc - a) / (b - a)) * (x[k]! - x[k - 1]!) : x[k]!;
  return { ...res, onset_v: onset, onset_reason: null, limiting_current_a: lim };
}
