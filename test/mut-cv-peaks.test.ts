// Mutation tests for src/analysis/cv/peaks.ts, measurePeak and lsvSummary (issue 20 point 4).
// In-process, small, hand-built inputs. Most sweeps here run 0 → 1 V in 10 mV steps (101 points):
// then sweepGeometry gives h = round(0.004 / 0.01) = 0 (no smoothing: the code works on the very
// numbers written here) and m = 3, so every expected value can be worked exactly from the formula of
// the current: a raised-cosine peak H·cos²(π(E − C)/(2a)) on |E − C| < a (height H, FWHM a, area H·a,
// zero outside, so a straight background is recovered exactly by a line fit), a Gaussian
// H·exp(−((E − C)/w)²) (FWHM 2w√ln2, area H·w·√π), a ramp wave for LSV (10 % reached at a known E).
import { describe, expect, it } from 'vitest';
import { findSweepPeaks, lsvSummary, type PeakRow } from '../src/analysis/cv/peaks.js';
import type { Sweep } from '../src/analysis/cv.js';

const sweep = (direction: 'anodic' | 'cathodic', start: number, end: number, index = 1): Sweep => ({ index, direction, start, end });
const near = (x: number, want: number, tol: number) => expect(Math.abs(x - want)).toBeLessThanOrEqual(tol);
/** 0 → 1 V in 10 mV steps. */
const X10 = Float64Array.from({ length: 101 }, (_, k) => k / 100);
const UP10 = sweep('anodic', 0, 101);
/** 0 → 1 V in steps of 1/128 V (7.8 mV: h = round(0.51) = 1, a Savitzky–Golay of ±1 point that changes
 * nothing, m = 3): every potential and every distance between two is exact in binary, so "3 half-widths"
 * lands exactly on a grid point and a boundary (< against ≤) shows. */
const D = 1 / 128;
const X128 = Float64Array.from({ length: 129 }, (_, k) => k * D);
const UP128 = sweep('anodic', 0, 129);
const cos2 = (E: number, C: number, H: number, a: number) => (Math.abs(E - C) < a ? H * Math.cos((Math.PI * (E - C)) / (2 * a)) ** 2 : 0);
const gau = (E: number, C: number, H: number, w: number) => H * Math.exp(-(((E - C) / w) ** 2));

describe('measurePeak: a raised-cosine peak on a straight line, no smoothing', () => {
  // Line 2 µA + 4 µA/V·E, peak 10 µA at 0.5 V (grid point 64), a = 0.17 V (half height at ±85 mV = ±10.88 steps,
  // support ±170 mV = ±21.8 steps).
  const b0 = 2e-6, b1 = 4e-6, H = 1e-5, C = 0.5, a = 0.17, v = 0.02;
  const I = X128.map((E) => b0 + b1 * E + cos2(E, C, H, a));

  it('Ep, ip, ip_raw, baseline line and window, FWHM and charge from the formula', () => {
    const r = findSweepPeaks(X128, I, UP128, { scanRateVS: v, cycle: 1 });
    expect(r.peaks).toHaveLength(1);
    const p = r.peaks[0]!;
    expect(p.flags).toEqual([]);
    // Symmetric about a grid point: the parabola's vertex is the grid point itself.
    expect(p.ep_v).toBeCloseTo(C, 12);
    expect(p.ip_a).toBeCloseTo(H, 15);
    expect(p.ip_raw_a).toBeCloseTo(b0 + b1 * C + H, 15);
    // The fit window (before the foot, outside the support) sees the line only.
    expect(p.baseline_slope_a_per_v).toBeCloseTo(b1, 13);
    expect(p.baseline_at_ep_a).toBeCloseTo(b0 + b1 * C, 15);
    // Half-width on the grid: the first point at or below half height is 11 steps left (10.88 → 11).
    // Foot: 3 half-widths = 33 steps before Ep (point 31); window: 2 half-widths = 22 steps before the foot (point 9).
    expect(p.baseline_to_v).toBe(31 * D);
    expect(p.baseline_from_v).toBe(9 * D);
    // FWHM: linear interpolation between the grid points either side of ±85 mV (10 and 11 steps) of a cos²;
    // the exact value is a.
    const f = (dd: number) => Math.cos((Math.PI * dd) / (2 * a)) ** 2;
    const half = 10 * D + ((f(10 * D) - 0.5) / (f(10 * D) - f(11 * D))) * D;
    near(p.half_width_v!, 2 * half, 1e-12);
    near(p.half_width_v!, a, 2e-3);
    // Charge: ∫ cos² over its support = H·a; the trapezoid rule on this grid, summed here over the support.
    let q = 0;
    for (let k = 1; k <= 128; k++) q += ((cos2(X128[k]!, C, H, a) + cos2(X128[k - 1]!, C, H, a)) / 2) * D;
    expect(p.charge_c!).toBeCloseTo(q / v, 14);
    near(p.charge_c! / ((H * a) / v), 1, 1e-3);
    expect(p.baseline).toBe('linear, fitted to 0.070…0.242 V before the foot and extrapolated under the peak');
  });

  it('cathodic mirror (1 → 0 V): anodic-positive signs', () => {
    const Xd = Float64Array.from(X128).reverse();
    const Id = Xd.map((E) => -(b0 + b1 * E + cos2(E, C, H, a)));
    const p = findSweepPeaks(Xd, Id, sweep('cathodic', 0, 129, 2), { scanRateVS: v, cycle: 1 }).peaks[0]!;
    expect(p.ep_v).toBeCloseTo(C, 12);
    expect(p.ip_a).toBeCloseTo(-H, 15);
    expect(p.baseline_slope_a_per_v).toBeCloseTo(-b1, 13);
    expect(p.baseline_to_v).toBe(1 - 31 * D);
    expect(p.baseline_from_v).toBe(1 - 9 * D);
    near(p.charge_c! / (-(H * a) / v), 1, 1e-3);
  });
});

describe('measurePeak: Ep and ip refined by a parabola', () => {
  it('a peak centred between grid points: Ep and ip from the parabola through the top three points', () => {
    // cos² 10 µA, a = 0.17 V, at 0.5 + 3/1024 V (3/8 of a step right of point 64) on a flat 1 µA: the
    // baseline is exact, so the corrected current is the cos² itself.
    const H = 1e-5, C = 0.5 + 3 / 1024, a = 0.17;
    const p = findSweepPeaks(X128, X128.map((E) => 1e-6 + cos2(E, C, H, a)), UP128, { scanRateVS: null, cycle: 1 }).peaks[0]!;
    // Parabola through the points 63, 64, 65, worked here: vertex and its height.
    const c0 = cos2(63 * D, C, H, a), c1 = cos2(64 * D, C, H, a), c2 = cos2(65 * D, C, H, a);
    const den = c0 - 2 * c1 + c2, t = (c0 - c2) / (2 * den);
    expect(t).toBeGreaterThan(0.3);
    near(p.ep_v, 0.5 + t * D, 1e-12);
    near(p.ep_v, C, 2e-4);
    near(p.ip_a, c1 - ((c0 - c2) * t) / 4, 1e-17);
    near(p.ip_a / H, 1, 1e-5);
    expect(p.charge_c).toBeNull();
    near(p.half_width_v!, a, 2e-3);
  });
});

describe('measurePeak: charge window and half-widths of asymmetric peaks', () => {
  // Two peaks on the line 1 µA + 2 µA/V·E, grid 1/128 V.
  // Peak 1: cos², 8 µA, a = 0.1 V, at 0.25 V (point 32). Peak 2 at 0.65625 V (point 84), 12 µA: left side cos²
  // with aL = 0.06 V (half height 3.84 steps before the top), right side 12 µA·2^(−x/0.05) (half height 50 mV
  // = 6.4 steps after it, still 1/8 of the height 3 half-widths after it).
  const b0 = 1e-6, b1 = 2e-6, v = 0.05, H1 = 8e-6, C1 = 32 * D, a1 = 0.1, H2 = 1.2e-5, C2 = 84 * D, aL = 0.06, hR = 0.05;
  const p2 = (E: number) => (E < C2 ? cos2(E, C2, H2, aL) : H2 * 2 ** (-(E - C2) / hR));
  const peaks = (E: number) => cos2(E, C1, H1, a1) + p2(E);
  const I = X128.map((E) => b0 + b1 * E + peaks(E));

  it('the charge runs from the foot to 3 right half-widths after Ep (right half-width from the right side)', () => {
    const r = findSweepPeaks(X128, I, UP128, { scanRateVS: v, cycle: 1 });
    expect(r.peaks.map((p) => p.rank)).toEqual([1, 2]);
    const [q2, q1] = r.peaks as [PeakRow, PeakRow];
    near(q1.ep_v, C1, 1e-12);
    near(q1.charge_c! / ((H1 * a1) / v), 1, 1e-3);
    // Peak 2: the left half-width on the grid is 4 steps, so the foot is 12 steps before the top (point 72).
    expect(q2.baseline_to_v).toBe(72 * D);
    expect(q2.baseline_from_v).toBe(64 * D);
    expect(q2.baseline_slope_a_per_v).toBeCloseTo(b1, 12);
    // Ep and the height from the parabola through points 83, 84, 85 (worked here); the right half-height
    // crossing interpolated between points 90 and 91; the window ends at the first point ≥ 3·(xr − Ep) after the top.
    const c0 = p2(83 * D), c1 = p2(84 * D), c2 = p2(85 * D), den = c0 - 2 * c1 + c2;
    const t = Math.max(-0.5, Math.min(0.5, (c0 - c2) / (2 * den)));
    const ep = C2 + t * D, hPk = c1 - ((c0 - c2) * t) / 4;
    near(q2.ep_v, ep, 1e-12);
    near(q2.ip_a, hPk, 1e-17);
    const xr = 90 * D + ((p2(90 * D) - hPk / 2) / (p2(90 * D) - p2(91 * D))) * D;
    let xl = 0;
    for (let k = 84; k > 0; k--) if (p2((k - 1) * D) <= hPk / 2) { xl = k * D - ((p2(k * D) - hPk / 2) / (p2(k * D) - p2((k - 1) * D))) * D; break; }
    near(q2.half_width_v!, xr - xl, 1e-12);
    let end = 84;
    while ((end - 84) * D < 3 * (xr - ep)) end++;
    expect(end).toBe(104); // 3 × ~6.4 steps ≈ 19.4 → 20 steps
    let q = 0;
    for (let k = 73; k <= end; k++) q += ((peaks(k * D) + peaks((k - 1) * D)) / 2) * D;
    near(q2.charge_c! / (q / v), 1, 1e-9);
  });

  it('no charge for a zero or negative scan rate', () => {
    expect(findSweepPeaks(X128, I, UP128, { scanRateVS: 0, cycle: 1 }).peaks.map((p) => p.charge_c)).toEqual([null, null]);
    expect(findSweepPeaks(X128, I, UP128, { scanRateVS: -0.05, cycle: 1 }).peaks.map((p) => p.charge_c)).toEqual([null, null]);
  });

  it('a right side that never falls to half height: no FWHM; the charge window uses the left half-width', () => {
    // cos² left side (10 µA, a = 0.1 V, half height 6.4 steps before the top → 7 steps on the grid), right side
    // falling from 10 µA to a 6 µA plateau (0.6 of the height, above half) by a cos² of the same a; flat line 1 µA.
    const H = 1e-5, C = 64 * D, a = 0.1;
    const f = (E: number) => (E < C ? cos2(E, C, H, a) : 0.6 * H + 0.4 * cos2(E, C, H, a));
    const p = findSweepPeaks(X128, X128.map((E) => 1e-6 + f(E)), UP128, { scanRateVS: v, cycle: 1 }).peaks[0]!;
    expect(p.half_width_v).toBeNull();
    near(p.ep_v, C, D / 2); // the parabola leans to the higher right side: within half a step
    // Foot 21 steps before the top (point 43), end 21 steps after it (point 85).
    expect(p.baseline_to_v).toBe(43 * D);
    let q = 0;
    for (let k = 44; k <= 85; k++) q += ((f(k * D) + f((k - 1) * D)) / 2) * D;
    near(p.charge_c! / (q / v), 1, 1e-9);
  });

  it('the charge window stops where the current rises above the peak again (a larger peak right after it)', () => {
    // cos² 10 µA, a = 0.1 V at point 64, then cos² 20 µA, a = 0.1 V at point 88, on 1 µA + 3 µA/V·E.
    // 3 right half-widths of the first (3 × 6.4 steps) would reach point 84, but the current rises above the
    // first peak's top before that: the window ends at the last point not above it (found here on the formula).
    const g = (E: number) => cos2(E, 64 * D, 1e-5, 0.1) + cos2(E, 88 * D, 2e-5, 0.1);
    const line = (E: number) => 1e-6 + 3e-6 * E;
    const r = findSweepPeaks(X128, X128.map((E) => line(E) + g(E)), UP128, { scanRateVS: v, cycle: 1 });
    const p = r.peaks.find((q) => Math.abs(q.ep_v - 64 * D) < 1e-9)!;
    expect(p.baseline_to_v).toBe(43 * D); // 3 × 7 steps before the top
    let hi = 64;
    while (hi + 1 <= 128 && line((hi + 1) * D) + g((hi + 1) * D) <= line(64 * D) + g(64 * D)) hi++;
    expect(hi).toBeLessThan(84);
    let q = 0;
    for (let k = 44; k <= hi; k++) q += ((g(k * D) + g((k - 1) * D)) / 2) * D;
    near(p.charge_c! / (q / v), 1, 1e-9);
  });
});

describe('measurePeak: horizontal baseline when no line can be fitted before the foot', () => {
  // A 20-point hold at 0 V (the potential does not move), then 0 → 1 V at 10 mV: 121 points, h = 0, m = 3.
  // A peak at 0.1 V, 3 half-widths of which reach back into the hold: every point of the fit window is at 0 V,
  // so no line has spread → the baseline is horizontal through the lowest current up to the peak.
  const X = Float64Array.from({ length: 121 }, (_, k) => (k < 20 ? 0 : (k - 20) / 100));
  const b0 = 3e-6, b1 = 1e-5, H = 2e-5, C = 0.1, a = 0.07;
  const I = X.map((E) => b0 + b1 * E + cos2(E, C, H, a));

  it('baseline: the lowest current before the peak (the hold, b0), flat; flagged short', () => {
    const p = findSweepPeaks(X, I, sweep('anodic', 0, 121), { scanRateVS: 0.05, cycle: 1 }).peaks[0]!;
    expect(p.baseline).toBe('horizontal through the lowest current before the peak (no room for a fitted line before the foot)');
    expect(p.flags).toEqual(['short_baseline']);
    expect(p.baseline_slope_a_per_v).toBe(0);
    expect(p.baseline_at_ep_a).toBeCloseTo(b0, 15);
    // Corrected current b1·E + peak above b0: its maximum is past C (the line adds b1·E); at the grid it is at 0.10 V
    // or 0.11 V; ip is at least the value at C, b1·C + H.
    expect(p.ip_a).toBeGreaterThanOrEqual(b1 * C + H - 1e-15);
    expect(p.ip_a).toBeLessThan(b1 * (C + 0.01) + H);
    near(p.ep_v, C, 0.01);
    // The baseline runs from the sweep's first point to the peak.
    expect(p.baseline_from_v).toBe(0);
    near(p.baseline_to_v, p.ep_v, 0.011);
  });
});

describe('measurePeak: fall-back baseline through the lowest contour either side', () => {
  it('a small peak on the falling tail of a larger one: no maximum inside the peak from the foot line', () => {
    // Gaussians 10 µA at 0.4 V (w 40 mV) and 3 µA at 0.5 V (w 20 mV) on a flat 1 µA, 1 mV steps.
    const X = Float64Array.from({ length: 1001 }, (_, k) => k / 1000);
    const I = X.map((E) => 1e-6 + gau(E, 0.4, 1e-5, 0.04) + gau(E, 0.5, 3e-6, 0.02));
    const r = findSweepPeaks(X, I, sweep('anodic', 0, 1001), { scanRateVS: 0.01, cycle: 1 });
    const p = r.peaks.find((q) => Math.abs(q.ep_v - 0.5) < 0.01)!;
    expect(p.flags).toEqual(['valley_baseline']);
    expect(p.baseline).toBe(`line through the peak's lowest contour either side (${p.baseline_from_v.toFixed(3)} and ${p.baseline_to_v.toFixed(3)} V): the line extrapolated from before the foot leaves no maximum inside the peak`);
    expect(p.ip_a).toBeGreaterThan(1.5e-6);
    expect(p.ip_a).toBeLessThan(3e-6);
    // The chord joins the current at its two ends.
    const at = (E: number) => 1e-6 + gau(E, 0.4, 1e-5, 0.04) + gau(E, 0.5, 3e-6, 0.02);
    near(p.baseline_slope_a_per_v / ((at(p.baseline_to_v) - at(p.baseline_from_v)) / (p.baseline_to_v - p.baseline_from_v)), 1, 0.03);
    // The charge stops at the right contour point.
    expect(p.charge_c).not.toBeNull();
    expect(p.charge_c!).toBeGreaterThan(0);
    expect(p.charge_c!).toBeLessThan((3e-6 * 0.02 * Math.sqrt(Math.PI)) / 0.01);
  });


  it('a peak just after a step down: the foot line (on the step) runs above the whole peak', () => {
    // Grid 1/256 V (h = 1, no smoothing). 3 µA up to 0.44 V, 0 after; a 2 µA Gaussian at 0.5 V (w 20 mV).
    // The line fitted before the foot lies on the 3 µA step, above the peak, with its maximum inside the peak:
    // fall back to the chord through the lowest contour (1 % of the prominence 2 µA): |E − 0.5| ≥ 0.02·√ln 100
    // = 42.9 mV → 11 steps (42.97 mV) either side; the chord is flat (symmetric), ip = H·(1 − exp(−(11/256/0.02)²)).
    const X = Float64Array.from({ length: 257 }, (_, k) => k / 256);
    const H = 2e-6, w = 0.02;
    const p = findSweepPeaks(X, X.map((E) => (E < 0.44 ? 3e-6 : 0) + gau(E, 0.5, H, w)), sweep('anodic', 0, 257), { scanRateVS: null, cycle: 1 }).peaks[0]!;
    expect(p.flags).toEqual(['valley_baseline']);
    expect(p.baseline_from_v).toBe(117 / 256);
    expect(p.baseline_to_v).toBe(139 / 256);
    expect(p.baseline).toBe("line through the peak's lowest contour either side (0.457 and 0.543 V): the line extrapolated from before the foot runs above the peak");
    expect(p.baseline_slope_a_per_v).toBeCloseTo(0, 15);
    near(p.ep_v, 0.5, 1e-12);
    near(p.ip_a, H * (1 - Math.exp(-(((11 / 256) / w) ** 2))), 1e-17);
    near(p.baseline_at_ep_a, gau(0.5 + 11 / 256, 0.5, H, w), 1e-18);
  });
});

describe('measurePeak: a peak close to the sweep start (grid 1/128 V, m = 3)', () => {
  // cos² 10 µA, a = 0.1 V (half height 6.4 steps → 7 on the grid, support ±12.8 steps) at point 18, on the line
  // 1 µA + 5 µA/V·E. The foot walks back to the edge zone (point 3, 15 steps = 2.1 half-widths before the top:
  // not 3) and stops there; the window then takes the 3 points 1 … 3 (to − 2 … to), still left of the support.
  const H = 1e-5, C = 18 * D, a = 0.1, b0 = 1e-6, b1 = 5e-6;
  it('window 1 … 3 before a foot held at the edge zone: the line is still exact; flagged short', () => {
    const p = findSweepPeaks(X128, X128.map((E) => b0 + b1 * E + cos2(E, C, H, a)), UP128, { scanRateVS: null, cycle: 1 }).peaks[0]!;
    expect(p.baseline_to_v).toBe(3 * D);
    expect(p.baseline_from_v).toBe(1 * D);
    expect(p.flags).toEqual(['short_baseline']);
    expect(p.baseline).toBe('linear, fitted to 0.008…0.023 V before the foot and extrapolated under the peak (shortened: the peak is close to the sweep start)');
    expect(p.baseline_slope_a_per_v).toBeCloseTo(b1, 12);
    near(p.ep_v, C, 1e-12);
    expect(p.ip_a).toBeCloseTo(H, 15);
  });
});

describe('measurePeak: wrong sign', () => {
  it('a peak whose top is exactly at zero current is of the wrong sign (strictly positive needed)', () => {
    // −1 µA flat with a 1 µA cos² bump at 0.5 V: the top is −1e-6 + 1e-6 = 0 exactly.
    const r = findSweepPeaks(X128, X128.map((E) => -1e-6 + cos2(E, 0.5, 1e-6, 0.1)), UP128, { scanRateVS: null, cycle: 1 });
    expect(r.peaks).toEqual([]);
    expect(r.no_peak).toMatch(/^wrong_sign: /);
    // 1 % higher: a peak (ip_raw just above zero).
    const ok = findSweepPeaks(X128, X128.map((E) => -1e-6 + cos2(E, 0.5, 1.01e-6, 0.1)), UP128, { scanRateVS: null, cycle: 1 });
    expect(ok.peaks).toHaveLength(1);
    expect(ok.peaks[0]!.ip_raw_a).toBeCloseTo(1e-8, 20);
  });
});

describe('lsvSummary: a ramp wave on a straight line, no smoothing', () => {
  // i = b0 + b1·E + L·clamp((E − 0.5)/0.2, 0, 1): the wave rises linearly from 0.5 to 0.7 V and stays at L.
  // 10 % of the excursion L is reached at 0.52 V exactly, a grid point; linear interpolation is exact.
  const b0 = 1e-6, b1 = 5e-6, L = 4e-5;
  const wave = (E: number) => L * Math.min(1, Math.max(0, (E - 0.5) / 0.2));
  const crit = 'current (in the sweep direction) above a line fitted to the first 10 % of the sweep exceeds 10 % of its final value and stays there';

  it('onset at 10 % of the excursion above the starting line; limiting current = mean of the last 10 points', () => {
    const r = lsvSummary(X10, X10.map((E) => b0 + b1 * E + wave(E)), UP10);
    expect(r.criterion).toBe(crit);
    near(r.onset_v!, 0.52, 1e-12);
    expect(r.onset_reason).toBeNull();
    expect(r.final_current_a).toBeCloseTo(b0 + b1 + L, 16);
    // Last 10 points (0.91 … 1.00 V): mean b0 + b1·0.955 + L.
    expect(r.limiting_current_a!).toBeCloseTo(b0 + b1 * 0.955 + L, 16);
  });

  it('onset between grid points: interpolated', () => {
    // Ramp 0.503 → 0.703 V: 10 % (4 µA) at 0.523 V, between 0.52 and 0.53 V; linear in between, so exact.
    const w2 = (E: number) => L * Math.min(1, Math.max(0, (E - 0.503) / 0.2));
    near(lsvSummary(X10, X10.map((E) => b0 + b1 * E + w2(E)), UP10).onset_v!, 0.523, 1e-12);
  });

  it('a plateau that ends at 10 % + a little: the current must stay above 10 % of the final excursion', () => {
    // Wave: 8 µA (20 % of 40 µA... here the final value) hump between 0.2 and 0.3 V that falls back, then the ramp:
    // the hump crosses 10 % of the final excursion but does not stay: the onset is the ramp's.
    const hump = (E: number) => (E >= 0.2 && E <= 0.3 ? 8e-6 : 0);
    near(lsvSummary(X10, X10.map((E) => b0 + b1 * E + wave(E) + hump(E)), UP10).onset_v!, 0.52, 1e-12);
  });

  it('levelled: the last 10 % must change by less than 10 % of the excursion', () => {
    // Still rising at the end: ramp 0.5 → 1.0 V (L at 1 V). Last 10 points change by L·0.09/0.5 = 0.18 L ≥ 0.1 L: not levelled.
    const r = lsvSummary(X10, X10.map((E) => b0 + L * Math.max(0, (E - 0.5) / 0.5)), UP10);
    expect(r.limiting_current_a).toBeNull();
    near(r.onset_v!, 0.55, 1e-12);
    // Currents written point by point (whole numbers, so the comparison is exact): 0 up to point 49, a ramp of
    // 1 per point from 50 to 59, flat 9 … then the last 10 points (91 … 100) rise by δ in equal steps. The first
    // 10 % is 0, so the line is 0 and the excursion is 9 + δ; the tail changes by δ.
    const tailRise = (dl: number) => Float64Array.from({ length: 101 }, (_, k) => (k < 50 ? 0 : k < 59 ? k - 50 : 9) + (k > 91 ? (dl * (k - 91)) / 9 : 0));
    // δ = 0.9: 0.9 < 0.1·9.9 → levelled, mean of points 91 … 100 = 9 + 0.9·(0+1+…+9)/9/10 = 9.45.
    expect(lsvSummary(X10, tailRise(0.9), UP10).limiting_current_a).toBeCloseTo(9.45, 12);
    // δ = 1: 1 < 0.1·10 is false (equal) → not levelled.
    expect(lsvSummary(X10, tailRise(1), UP10).limiting_current_a).toBeNull();
    // δ = 1.5: 1.5 ≥ 1.05 → not levelled.
    expect(lsvSummary(X10, tailRise(1.5), UP10).limiting_current_a).toBeNull();
    // A falling current (excursion < 0) is neither an onset nor a limiting current, even if flat at the end.
    const f = lsvSummary(X10, X10.map((E) => b0 - wave(E)), UP10);
    expect(f.limiting_current_a).toBeNull();
    expect(f.onset_v).toBeNull();
    expect(f.onset_reason).toBe('no faradaic rise in the sweep direction (anodic) above the starting background');
  });

  it('the rise must exceed 10 σ and 2 % of the largest |current|, strictly', () => {
    // Noise-free, piecewise linear: σ = 0. 49 flat, then a ramp of 1 (points 50 … 60) to 50: the excursion 1 equals
    // 2 % of the largest |current| 50 → no onset; a ramp to 50 from 48.9 (excursion 1.1 > 1) → onset.
    const pts = (base: number, top: number) => Float64Array.from({ length: 101 }, (_, k) => base + (top - base) * Math.min(1, Math.max(0, (k - 50) / 10)));
    expect(lsvSummary(X10, pts(49, 50), UP10).onset_v).toBeNull();
    near(lsvSummary(X10, pts(48.9, 50), UP10).onset_v!, 0.51, 1e-12);
  });

  it('the rise must exceed 2 % of the largest |current|: a 1 % wave on a large offset is no onset', () => {
    // 100 µA offset, 1 µA wave: 1 µA ≤ 2 % of 101 µA → no onset. 3 µA wave: above 2 % of 103 µA → onset.
    const small = lsvSummary(X10, X10.map((E) => 1e-4 + wave(E) / 40), UP10);
    expect(small.onset_v).toBeNull();
    const big = lsvSummary(X10, X10.map((E) => 1e-4 + (3 * wave(E)) / 40), UP10);
    near(big.onset_v!, 0.52, 1e-12);
  });

  it('a hold at the start (no potential spread in the first 10 %): the background is the current at the first point after the edge zone', () => {
    // 20 points at 0 V then 0 → 1 V: b0 = m = 3, b1 = max(6, 12) = 12, all at 0 V. Background = ys[3] = 1 µA,
    // flat; the wave (on a flat current) reaches 10 % at 0.52 V.
    const X = Float64Array.from({ length: 121 }, (_, k) => (k < 20 ? 0 : (k - 20) / 100));
    const r = lsvSummary(X, X.map((E) => 1e-6 + wave(E)), sweep('anodic', 0, 121));
    near(r.onset_v!, 0.52, 1e-12);
    expect(r.limiting_current_a!).toBeCloseTo(1e-6 + L, 16);
  });

  it('a short sweep: the background line uses at least 4 points from the edge zone on', () => {
    // 30 points at 10 mV (0 → 0.29 V): m = 3, b0 = 3, b1 = max(6, 3) = 6: the line through points 3…6.
    // Slope 1e-4 A/V line then a ramp 0.15 → 0.25 V of 20 µA: 10 % at 0.16 V.
    const X = Float64Array.from({ length: 30 }, (_, k) => k / 100);
    const w3 = (E: number) => 2e-5 * Math.min(1, Math.max(0, (E - 0.15) / 0.1));
    const r = lsvSummary(X, X.map((E) => 1e-6 + 1e-4 * E + w3(E)), sweep('anodic', 0, 30));
    near(r.onset_v!, 0.16, 1e-12);
  });

  it('the background line is fitted over the whole first 10 % (points m … round(0.1 n))', () => {
    // 0 → 1 V at 10 mV: the line is fitted to points 3 … 10 (0.03 … 0.10 V). A current that bends at 0.06 V
    // (slope 0 before, 1e-4 A/V after): the fitted line is the least-squares line of those 8 points, worked here.
    const bent = (E: number) => 1e-6 + 1e-4 * Math.max(0, E - 0.06);
    const xs = [3, 4, 5, 6, 7, 8, 9, 10].map((k) => k / 100), ysv = xs.map(bent);
    const mx = xs.reduce((s, q) => s + q, 0) / 8, my = ysv.reduce((s, q) => s + q, 0) / 8;
    const bb = xs.reduce((s, q, k) => s + (q - mx) * (ysv[k]! - my), 0) / xs.reduce((s, q) => s + (q - mx) ** 2, 0), aa = my - bb * mx;
    const cur = (E: number) => bent(E) + wave(E);
    const c = (E: number) => cur(E) - (aa + bb * E);
    const exc = c(1);
    // Onset: last grid crossing of 10 % of exc, interpolated linearly (worked on the formula).
    let k = 100;
    while (k > 10 && c((k - 1) / 100) > 0.1 * exc) k--;
    const lo = c((k - 1) / 100), hi = c(k / 100);
    const want = (k - 1) / 100 + ((0.1 * exc - lo) / (hi - lo)) * 0.01;
    near(lsvSummary(X10, X10.map(cur), UP10).onset_v!, want, 1e-9);
  });
});

// ---------------------------------------------------------------------------------------------------
// Second pass (whole module): whole-number currents written point by point on the 1/128 V grid (129 points,
// h = 1: the ±1-point Savitzky–Golay is the identity; m = 3). Piecewise-linear currents have zero second
// differences almost everywhere, so σ = 0 and the threshold is 0 (or minProminenceA): every comparison
// below is exact, and ties (a value exactly at half height, two equal maxima) are built on purpose.
const pw = (f: (k: number) => number, n = 129) => Float64Array.from({ length: n }, (_, k) => f(k));
const tri = (k: number, c: number, h: number, s: number) => Math.max(0, h - s * Math.abs(k - c));
const run128 = (I: Float64Array, o: Partial<{ scanRateVS: number | null; minProminenceA: number }> = {}) =>
  findSweepPeaks(X128, I, UP128, { scanRateVS: null, cycle: 1, ...o });

describe('findSweepPeaks: candidates and prominence on hand-written currents', () => {
  it('a flat top of two equal points is one peak, Ep halfway between them (the plateau is walked)', () => {
    // 0, rising 3 per point to 60 at points 64 and 65, falling 3 per point: by symmetry Ep = 64.5 steps.
    const r = run128(pw((k) => (k <= 64 ? tri(k, 64, 60, 3) : tri(k, 65, 60, 3))));
    expect(r.peaks).toHaveLength(1);
    const p = r.peaks[0]!;
    expect(p.ep_v).toBe(64.5 * D);
    expect(p.prominence_a).toBe(60);
    expect(p.ip_raw_a).toBe(60);
    // ip: the parabola through the first of the equal maxima and its neighbours (57, 60, 60): vertex
    // height 60 + 3/8 (worked by hand: t = 1/2, c1 − (c0 − c2)·t/4).
    expect(p.ip_a).toBe(60.375);
  });

  it('equal maxima of the corrected current: the first one is taken (asymmetric flat top)', () => {
    // Rising 3 per point to 60 at 64 and 65, falling 2 per point after. From point 64 (57, 60, 60):
    // t = 1/2, ip = 60 + 3/8; from point 65 it would be (60, 60, 58): t = −1/2, ip = 60 + 2/8.
    const p = run128(pw((k) => (k <= 64 ? tri(k, 64, 60, 3) : tri(k, 65, 60, 2)))).peaks[0]!;
    expect(p.ep_v).toBe(64.5 * D);
    expect(p.ip_a).toBe(60.375);
  });

  it('prominence: an equal maximum on the way does not stop the walk (twin peaks of the same height)', () => {
    // Triangles 60 high, 3 per point, at points 40 and 70 (overlapping: a flat 30 between 50 and 60), 0 elsewhere.
    // Each top's walk passes the other (equal, not above) down to 0: prominence 60 for both, not 60 − 30.
    const r = run128(pw((k) => tri(k, 40, 60, 3) + tri(k, 70, 60, 3)), { minProminenceA: 45 });
    expect(r.peaks.map((p) => [p.ep_v / D, p.prominence_a]).sort((a, b) => a[0]! - b[0]!)).toEqual([[40, 60], [70, 60]]);
  });

  it('prominence: the lowest point on the left may be the first point of the sweep', () => {
    // 20 + k (line) plus a triangle 60 high (3 per point) at 50 up to point 70, then falling 3 per point to 0:
    // the left low is the first point (20), the right low 0: prominence 130 − 20 = 110. The line before the
    // foot (points 1 … 3, the edge zone stops the foot) is 20 + k itself: ip = 60 at 50 steps, slope 128 A/V.
    const r = run128(pw((k) => (k <= 70 ? 20 + k + tri(k, 50, 60, 3) : Math.max(0, 90 - 3 * (k - 70)))));
    expect(r.peaks).toHaveLength(1);
    const p = r.peaks[0]!;
    expect(p.prominence_a).toBe(110);
    expect(p.ep_v).toBe(50 * D);
    expect(p.ip_a).toBeCloseTo(60, 10);
    expect(p.baseline_slope_a_per_v).toBeCloseTo(128, 9);
  });

  it('a notched top is one peak: the second maximum is measured onto the same peak and dropped', () => {
    // Triangle 60 high, 2 per point at 64, with points 63 … 66 pressed down to 54, 52, 54, 55: two local maxima,
    // 56 at 62 and 55 at 66 (prominence 55 − 52 = 3: its own peak is measured from the notch on, at 66), 4 steps
    // apart: more than 2 grid steps, less than a quarter of the first one's FWHM (32 steps). One peak, at 62.
    const r = run128(pw((k) => [54, 52, 54, 55][k - 63] ?? tri(k, 64, 60, 2)));
    expect(r.peaks).toHaveLength(1);
    near(r.peaks[0]!.ep_v, 62 * D, D / 2);
    expect(r.peaks[0]!.half_width_v).toBe(32 * D);
  });
});

describe('findSweepPeaks / measurePeak: the edge zone (first and last m = 3 points)', () => {
  it('a one-point spike at point 3 (the first point past the edge zone) is a peak; its maximum stays there', () => {
    const r = run128(pw((k) => (k === 3 ? 60 : 0)));
    expect(r.peaks).toHaveLength(1);
    const p = r.peaks[0]!;
    expect(p.ep_v).toBe(3 * D);
    expect(p.ip_a).toBe(60);
    // The chord through the lowest contour would need a point left of the edge zone: the line fitted before
    // the foot (points 0 … 1, zero) is kept.
    expect(p.flags).toEqual(['short_baseline']);
  });

  it('a one-point spike at point 125 (the last point before the edge zone) is a peak', () => {
    const r = run128(pw((k) => (k === 125 ? 60 : 0)));
    expect(r.peaks).toHaveLength(1);
    expect(r.peaks[0]!.ep_v).toBe(125 * D);
    expect(r.peaks[0]!.ip_a).toBe(60);
    expect(r.peaks[0]!.flags).toEqual([]);
  });

  it('a peak whose corrected maximum moves into the first 3 points is an edge, not a peak', () => {
    // 0, 10, 59, 60, 0 …: the raw maximum is at 3, but the line through points 0 … 1 (10 per point) lifts the
    // corrected current at 2 (59 − 20 = 39) above that at 3 (60 − 30 = 30).
    const r = run128(pw((k) => [0, 10, 59, 60][k] ?? 0));
    expect(r.peaks).toEqual([]);
    expect(r.no_peak).toBe("edge: the largest current is at the sweep's start or end (a current still rising at a vertex is not a peak)");
  });

  it('a peak whose corrected maximum moves into the last 3 points is an edge, not a peak', () => {
    // 100 up to point 100, falling 5 per point to 0 at 120, 0, then 60 at 125, 59 at 126, 0, 0: the line fitted
    // before the foot lies on the fall (−5 per point), so the corrected current is 85 at 125 and 89 at 126.
    const r = run128(pw((k) => (k <= 100 ? 100 : k <= 120 ? 100 - 5 * (k - 100) : k === 125 ? 60 : k === 126 ? 59 : 0)));
    expect(r.peaks).toEqual([]);
    expect(r.no_peak).toBe("edge: the largest current is at the sweep's start or end (a current still rising at a vertex is not a peak)");
  });
});

describe('measurePeak: exact half-widths and the contour test (triangles on zero)', () => {
  it('the half-width is the first point at or below half height: 60 high, 3 per point → 10 steps; foot 30 steps before', () => {
    const p = run128(pw((k) => tri(k, 64, 60, 3))).peaks[0]!;
    expect(p.baseline_to_v).toBe(34 * D);
    expect(p.baseline_from_v).toBe(14 * D);
    expect(p.flags).toEqual([]);
    expect(p.ip_a).toBe(60);
    expect(p.half_width_v).toBe(20 * D);
  });

  it('near the start, the foot goes into the edge zone only while closer than 1.5 half-widths to the top', () => {
    // 0, then a step to 30 ten points before the top, rising 3 per point to 60, falling 3 per point: half height
    // (30) first reached 10 steps before the top. Top at 18: the edge zone (point 3) is 15 steps = 1.5 half-widths
    // away, not closer: the foot stops at 3, the window is 1 … 3; ip = 60 over the zero line.
    const ped = (c: number) => pw((k) => (k < c - 10 ? 0 : tri(k, c, 60, 3)));
    const p = run128(ped(18)).peaks[0]!;
    expect(p.baseline_to_v).toBe(3 * D);
    expect(p.baseline_from_v).toBe(1 * D);
    expect(p.ip_a).toBe(60);
    expect(p.flags).toEqual(['short_baseline']);
    // Top at 17: point 3 is 14 steps (< 1.5 half-widths) away: the foot goes on to point 2, window 0 … 2.
    const q = run128(ped(17)).peaks[0]!;
    expect(q.baseline_to_v).toBe(2 * D);
    expect(q.baseline_from_v).toBe(0);
    expect(q.ip_a).toBe(60);
  });

  it('a foot at point 1: the line through the two first points (not a horizontal line)', () => {
    // 0, 0, 0, then a step to 40 rising 2.5 per point to 60 at point 11, falling 2.5 per point: half height 30 is
    // first reached at point 2 (9 steps): 1.5 half-widths reach past the start, the foot stops at point 1.
    // (The window 0 … 1 has two points: a line through them, zero.) Symmetric top: ip = 60.
    const p = run128(pw((k) => (k < 3 ? 0 : k <= 11 ? 40 + 2.5 * (k - 3) : tri(k, 11, 60, 2.5)))).peaks[0]!;
    expect(p.baseline_to_v).toBe(1 * D);
    expect(p.baseline_from_v).toBe(0);
    expect(p.baseline).toBe('linear, fitted to 0.000…0.008 V before the foot and extrapolated under the peak (shortened: the peak is close to the sweep start)');
    expect(p.ip_a).toBe(60);
  });

  it('a top next to the left contour point (a one-step rise) takes the chord through the contour', () => {
    // 0 up to 63, 60 at 64, then falling 3 per point: the corrected maximum is next to the contour point 63.
    // The chord is the zero line; Ep and ip from the parabola through (0, 60, 57), worked here: t = 57/126.
    const p = run128(pw((k) => (k < 64 ? 0 : tri(k, 64, 60, 3)))).peaks[0]!;
    expect(p.flags).toEqual(['valley_baseline']);
    expect(p.baseline_from_v).toBe(63 * D);
    expect(p.baseline_to_v).toBe(84 * D);
    const t = (0 - 57) / (2 * (0 - 120 + 57));
    near(p.ep_v, (64 + t) * D, 1e-15);
    near(p.ip_a, 60 - ((0 - 57) * t) / 4, 1e-12);
  });

  it('a top next to the right contour point (a one-step fall) takes the chord through the contour', () => {
    const p = run128(pw((k) => (k > 64 ? 0 : tri(k, 64, 60, 3)))).peaks[0]!;
    expect(p.flags).toEqual(['valley_baseline']);
    expect(p.baseline_from_v).toBe(44 * D);
    expect(p.baseline_to_v).toBe(65 * D);
    const t = (57 - 0) / (2 * (57 - 120 + 0));
    near(p.ep_v, (64 + t) * D, 1e-15);
    near(p.ip_a, 60 - (57 * t) / 4, 1e-12);
  });
});

describe('noPeakReason: exact ties and the baseline reason', () => {
  it('a current rising along a straight line and then falling: the maximum is not above the line before its foot', () => {
    // k up to point 64, then falling 2 per point to 0: the line fitted before the foot is the current itself.
    const r = run128(pw((k) => (k <= 64 ? k : Math.max(0, 64 - 2 * (k - 64)))));
    expect(r.peaks).toEqual([]);
    expect(r.no_peak).toBe('baseline: the local maximum does not rise above the baseline extrapolated from before its foot');
  });

  it('a bump whose prominence equals the threshold is not above it (the no-peak reason says so)', () => {
    // V shape |k − 64| with point 30 raised from 34 to 39: prominence 39 − 35 = 4 exactly. Threshold 4.
    const I = pw((k) => (k === 30 ? 39 : Math.abs(k - 64)));
    expect(run128(I, { minProminenceA: 4 }).no_peak).toBe(`noise: no local maximum stands out of the noise (prominence ≤ ${(4).toExponential(2)} A)`);
    expect(run128(I, { minProminenceA: 3.9 }).peaks).toHaveLength(1);
  });

  it('a range of exactly 10 × threshold/5 is within the noise', () => {
    // V shape |k − 64|: range 64; threshold 32 → 10·32/5 = 64.
    expect(run128(pw((k) => Math.abs(k - 64)), { minProminenceA: 32 }).no_peak).toMatch(/^noise: the current varies by 6\.40e\+1 A over the sweep/);
  });

  it('monotonic means a return of less than 10 % of the main change (exactly 10 % is not)', () => {
    // Falling 1 per point from 100 to 0 (point 100), rising back 1 per point to 10 (point 110), flat: up 10, down 100.
    const r = run128(pw((k) => (k <= 100 ? 100 - k : Math.min(10, k - 100))));
    expect(r.no_peak).toBe(`noise: no local maximum stands out of the noise (prominence ≤ ${(0).toExponential(2)} A)`);
    // Back up to 9 only: monotonic.
    expect(run128(pw((k) => (k <= 100 ? 100 - k : Math.min(9, k - 100)))).no_peak).toBe('monotonic: the current changes steadily over the sweep without a maximum');
  });
});

describe('charge on an uneven potential grid; LSV of a few points', () => {
  it('the trapezoid uses the step before each point: a triangle with its corners on the grid integrates exactly', () => {
    // Steps growing from 1/128 V by 1/50 of that per point (x_k = (k + k(k − 1)/100)/128 V). A triangle 60 high with
    // its top on x_50, corners on x_40 and x_56, zero elsewhere: the trapezoid rule is exact on it, and the charge
    // window (foot … 3 right half-widths) covers the base: charge = 60·(x_56 − x_40)/2 / v. (On a grid of
    // alternating steps the error of using the next step cancels over a peak that starts and ends at zero.)
    const X = Float64Array.from({ length: 101 }, (_, k) => (k + (k * (k - 1)) / 100) * D);
    const Ec = X[50]!, wl = Ec - X[40]!, wr = X[56]! - Ec, v = 0.1;
    const I = X.map((E) => 60 * Math.max(0, E < Ec ? 1 - (Ec - E) / wl : 1 - (E - Ec) / wr));
    const p = findSweepPeaks(X, I, sweep('anodic', 0, 101), { scanRateVS: v, cycle: 1 }).peaks[0]!;
    near(p.charge_c! / ((60 * (wl + wr)) / 2 / v), 1, 1e-12);
  });

  it('a six-point LSV on a straight line has no onset (the background line uses points 3 … 5)', () => {
    // i = 1 … 6 at 0 … 50 mV: m = 3, the line through points 3 … 5 is the current itself: no rise above it.
    const r = lsvSummary(X10.subarray(0, 6), Float64Array.from([1, 2, 3, 4, 5, 6]), sweep('anodic', 0, 6));
    expect(r.onset_v).toBeNull();
    expect(r.limiting_current_a).toBeNull();
    expect(r.final_current_a).toBe(6);
  });
});

describe('measurePeak: more exact windows and contours (whole-number currents, 1/128 V grid)', () => {
  it('a narrow peak: the half-width floor is 2 steps, the foot 6 steps before the top, the window 4 points before the foot', () => {
    // 0, 20, 40, 60 (point 64), 40, 20, 0: half height 30 first reached 2 steps before the top (= the floor 2·step).
    const p = run128(pw((k) => tri(k, 64, 60, 20))).peaks[0]!;
    expect(p.baseline_to_v).toBe(58 * D);
    expect(p.baseline_from_v).toBe(54 * D);
    expect(p.flags).toEqual([]);
    expect(p.ip_a).toBe(60);
  });

  it('the lowest contour is the first point at or below 1 % of the prominence (a point exactly at it stops the walk)', () => {
    // 0 up to 62, 1 at 63, 100 at 64, then falling 5 per point: prominence 100, contour 100 − 99 = 1 exactly, reached
    // at 63. The top is next to it: the chord through the contour (63 … 84, the first point ≤ 1 on the right).
    const p = run128(pw((k) => (k < 63 ? 0 : k === 63 ? 1 : tri(k, 64, 100, 5)))).peaks[0]!;
    expect(p.flags).toEqual(['valley_baseline']);
    expect(p.baseline_from_v).toBe(63 * D);
    expect(p.baseline_to_v).toBe(84 * D);
    // Mirror: falling in one step to 1 at 65, then 0.
    const q = run128(pw((k) => (k > 65 ? 0 : k === 65 ? 1 : tri(k, 64, 100, 5)))).peaks[0]!;
    expect(q.flags).toEqual(['valley_baseline']);
    expect(q.baseline_from_v).toBe(44 * D);
    expect(q.baseline_to_v).toBe(65 * D);
  });

  it('the chord through the contour is subtracted (a sloped line): a one-step rise on 2 per point', () => {
    // 2k plus a peak rising in one step to 60 at 64 and falling 3 per point to 0 at 84. Prominence 188 − 168 = 20,
    // contour 168.2: points 63 (126) and 84 (168), on the line 2k, so the corrected current is the peak itself:
    // ip from the parabola through (0, 60, 57) as in the flat case, slope 2 per step = 256 A/V.
    const p = run128(pw((k) => 2 * k + (k < 64 ? 0 : tri(k, 64, 60, 3)))).peaks[0]!;
    expect(p.flags).toEqual(['valley_baseline']);
    expect(p.baseline_from_v).toBe(63 * D);
    expect(p.baseline_to_v).toBe(84 * D);
    expect(p.baseline_slope_a_per_v).toBeCloseTo(256, 9);
    const t = (0 - 57) / (2 * (0 - 120 + 57));
    near(p.ip_a, 60 - ((0 - 57) * t) / 4, 1e-9);
    near(p.ip_raw_a, 188, 1e-12);
  });

  it('a corrected height equal to the threshold is not above it: baseline', () => {
    // The "lowest point at the start" current (prominence 110, ip 60 above the line 20 + k); threshold 60 → rejected
    // (no chord through the contour: it would start at point 1, in the edge zone); 59.9 → the peak.
    const I = pw((k) => (k <= 70 ? 20 + k + tri(k, 50, 60, 3) : Math.max(0, 90 - 3 * (k - 70))));
    const r = run128(I, { minProminenceA: 60 });
    expect(r.peaks).toEqual([]);
    expect(r.no_peak).toBe('baseline: the local maximum does not rise above the baseline extrapolated from before its foot');
    expect(run128(I, { minProminenceA: 59.9 }).peaks).toHaveLength(1);
  });
});

describe('findSweepPeaks: the local noise test needs at least 8 windows (n ≥ 8·W, W = 15 points here)', () => {
  // 10 mV grid (h = 0). ±1 alternating around a peak at point 50 (points 35 … 65, outside the peak's 7 points), 0
  // elsewhere: less than half the sweep is noisy, so σ of the sweep is 0; σ nearby = 1.4826·4/√6 ≈ 2.42 (Δ² = ±4).
  // Peak: 19 at 50, 3 per point down to 1 at 44 and 56 → prominence 19 + 1 = 20 (the lowest noise is −1).
  // Threshold 10 (minProminenceA): the noise's own maxima (prominence 2) are out; 10 σ nearby ≈ 24 > 20.
  const cur = (n: number) => Float64Array.from({ length: n }, (_, k) => {
    const d = Math.abs(k - 50);
    if (d <= 6) return 19 - 3 * d;
    return d <= 15 ? (k % 2 ? 1 : -1) : 0;
  });
  const at = (n: number) => findSweepPeaks(Float64Array.from({ length: n }, (_, k) => k / 100), cur(n), sweep('anodic', 0, n), { scanRateVS: null, cycle: 1, minProminenceA: 10 });
  it('119 points (< 120): no local test, the peak stands', () => {
    const r = at(119);
    expect(r.peaks).toHaveLength(1);
    near(r.peaks[0]!.ep_v, 0.5, 1e-3); // the line fitted on the noise before the foot tilts it a little
    expect(r.peaks[0]!.prominence_a).toBe(20);
  });
  it('120 points: the local test applies, the peak is within 10 σ of its surroundings', () => {
    const r = at(120);
    expect(r.peaks).toEqual([]);
  });
  it('101 points: no local test', () => {
    expect(at(101).peaks).toHaveLength(1);
  });
});

describe('findSweepPeaks: the left walk and the last edge point', () => {
  it('prominence: the left walk starts left of the top (a lower point right after it does not count on the left)', () => {
    // 20 up to 44, a triangle to 80 at 64 (3 per point), then 0 from 65 on: lows 20 (left) and 0 (right):
    // prominence 80 − 20 = 60. The top is next to the right contour point (65): a chord through the contour.
    const p = run128(pw((k) => (k <= 64 ? 20 + tri(k, 64, 60, 3) : 0))).peaks[0]!;
    expect(p.prominence_a).toBe(60);
    expect(p.flags).toEqual(['valley_baseline']);
  });

  it('a raw maximum at point 126 (in the last 3 points) is an edge even if the corrected maximum would be at 125', () => {
    // 2k up to 124, then 310, 311, 254, 256 (2k + 60, 2k + 59, 2k, 2k): the raw maximum is point 126.
    const r = run128(pw((k) => 2 * k + (k === 125 ? 60 : k === 126 ? 59 : 0)));
    expect(r.peaks).toEqual([]);
    expect(r.no_peak).toBe("edge: the largest current is at the sweep's start or end (a current still rising at a vertex is not a peak)");
  });
});

describe('measurePeak: the chord through the contour needs both contour points outside the edge zones', () => {
  it('a one-step rise at point 4 (left contour point 3 = m): the chord is allowed', () => {
    // 0 up to 3, 60 at 4, falling 3 per point to 0 at 24.
    const p = run128(pw((k) => (k < 4 ? 0 : tri(k, 4, 60, 3)))).peaks[0]!;
    expect(p.flags).toEqual(['valley_baseline']);
    expect(p.baseline_from_v).toBe(3 * D);
    expect(p.baseline_to_v).toBe(24 * D);
  });

  it('a one-step fall at point 124 (right contour point 125 = n − 1 − m): the chord is allowed', () => {
    // Rising 3 per point from 0 at 104 to 60 at 124, 0 from 125 on.
    const p = run128(pw((k) => (k > 124 ? 0 : tri(k, 124, 60, 3)))).peaks[0]!;
    expect(p.flags).toEqual(['valley_baseline']);
    expect(p.baseline_from_v).toBe(104 * D);
    expect(p.baseline_to_v).toBe(125 * D);
  });
});

describe('measurePeak: ties in the fall-back to the contour chord', () => {
  it('equal maxima above the chord: the first is taken (a one-step rise onto a two-point top)', () => {
    // 0 up to 63, 60 at 64 and 65, falling 3 per point to 0 at 85. The chord is zero; from the first of the equal
    // maxima the parabola through (0, 60, 60) gives t = 1/2 and ip = 60 + 60/8 = 67.5 (from the second, (60, 60, 57),
    // it would be 60.375).
    const p = run128(pw((k) => (k < 64 ? 0 : k === 64 ? 60 : tri(k, 65, 60, 3)))).peaks[0]!;
    expect(p.flags).toEqual(['valley_baseline']);
    expect(p.ep_v).toBe(64.5 * D);
    expect(p.ip_a).toBe(67.5);
  });

  it('a height above the foot line equal to the threshold falls back to the contour chord', () => {
    // 10 up to point 40, 0 after, a triangle 60 high (3 per point) at 64: the line before the foot (on the 10) leaves
    // 50; threshold 50 → not above → the chord through the contour (44 … 84, zero): ip 60.
    const I = pw((k) => (k <= 40 ? 10 : tri(k, 64, 60, 3)));
    const p = run128(I, { minProminenceA: 50 }).peaks[0]!;
    expect(p.flags).toEqual(['valley_baseline']);
    expect(p.ip_a).toBe(60);
    // Threshold 49.9: the line before the foot stands, ip 50.
    const q = run128(I, { minProminenceA: 49.9 }).peaks[0]!;
    expect(q.flags).toEqual([]);
    expect(q.ip_a).toBe(50);
  });
});
