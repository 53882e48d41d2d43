// Mutation tests for src/analysis/cv.ts and src/analysis/cv/ (issue 20 point 4). In-process and small:
// every input is built here by hand (sweeps, peaks, currents written as formulas), and every expected
// number is worked from that input: by hand, from an analytic form (a Gaussian peak of known position
// and height on a linear baseline, i = a·v^b, i = k1·v + k2·v^½), or from the rules in
// docs/science.md ("CHI: cyclic voltammetry"). No generated corpus, no CLI.
import { describe, expect, it } from 'vitest';
import { grid, interpAt, lineFit, median, movingAverage, noiseSigma, regression, savitzkyGolay } from '../src/analysis/cv/util.js';
import { pickSweep, sweepRange, type TraceFile } from '../src/analysis/cv/pick.js';
import { cycleOf, findSei, SEI_CURRENT_FRACTION, SEI_WINDOW_V } from '../src/analysis/cv/sei.js';
import { decideSign, FLAT_LOOP, loopRatio, resultsVotes, type ResultsContext } from '../src/analysis/cv/sign.js';
import { findSweepPeaks, lsvSummary, sweepGeometry, type PeakRow } from '../src/analysis/cv/peaks.js';
import { bValues, type BFile } from '../src/analysis/cv/bvalue.js';
import { dunn } from '../src/analysis/cv/dunn.js';
import { analyseCv, bValue, splitSweeps, sweepPeak, type Sweep } from '../src/analysis/cv.js';
import type { ChiFile, ChiResult } from '../src/readers/chi/chi.js';
import { analyseCvFile, PEAK_ASSUMPTIONS } from '../src/analysis/cv/index.js';

const f64 = (a: number[]) => Float64Array.from(a);
const sw = (index: number, direction: 'anodic' | 'cathodic', start: number, end: number): Sweep => ({ index, direction, start, end });
const arr = (a: ArrayLike<number>) => Array.from(a);

describe('cv/util', () => {
  it('median: numeric order, even and odd counts, non-finite values dropped, NaN when empty', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([10, 9, 1])).toBe(9); // a string sort would put 10 first and answer 10
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([NaN, 1, Infinity, 3])).toBe(2);
    expect(median([])).toBeNaN();
    expect(median([NaN])).toBeNaN();
    expect(median([1, 2, NaN])).toBe(1.5); // NaN is dropped, not counted as a third value
  });

  it('movingAverage: ±h points, the window shrinking symmetrically at the ends; h = 0 copies', () => {
    const y = [1, 2, 4, 8, 16];
    expect(arr(movingAverage(y, 0))).toEqual(y);
    expect(arr(movingAverage(y, -1))).toEqual(y);
    // h ≤ 0 copies exactly (a prefix-sum difference would give 0.30000000000000004 − 0.1 ≠ 0.2).
    expect(arr(movingAverage([0.1, 0.2, 0.3], 0))).toEqual([0.1, 0.2, 0.3]);
    expect(arr(movingAverage([0.1, 0.2, 0.3], -1))).toEqual([0.1, 0.2, 0.3]);
    const m1 = arr(movingAverage(y, 1));
    [1, 7 / 3, 14 / 3, 28 / 3, 16].forEach((v, k) => expect(m1[k]).toBeCloseTo(v, 12));
    const m2 = arr(movingAverage(y, 2));
    [1, 7 / 3, 31 / 5, 28 / 3, 16].forEach((v, k) => expect(m2[k]).toBeCloseTo(v, 12));
  });

  it('noiseSigma: 1.4826·MAD of the second differences / √6; 0 below 5 points', () => {
    // Second differences of [0,0,1,4,10,20,35] are 1,2,3,4,5: median 3, MAD 1.
    expect(noiseSigma([0, 0, 1, 4, 10, 20, 35])).toBeCloseTo(1.4826 / Math.sqrt(6), 12);
    // Five points: second differences 1,2,3, median 2, MAD 1.
    expect(noiseSigma([0, 0, 1, 4, 10])).toBeCloseTo(1.4826 / Math.sqrt(6), 12);
    // Second differences −3, −1, 4, 8: median 1.5, deviations 4.5, 2.5, 2.5, 6.5 → MAD 3.5.
    // y: 0, 0, −3, −7, −7, 1 (each y[k+1] = d + 2y[k] − y[k−1]).
    expect(noiseSigma([0, 0, -3, -7, -7, 1])).toBeCloseTo((1.4826 * 3.5) / Math.sqrt(6), 12);
    expect(noiseSigma([0, 0, 1, 4])).toBe(0);
  });

  it('lineFit: least squares over [from, to); null with fewer than 2 points or no spread', () => {
    expect(lineFit([0, 1, 2, 3], [1, 3, 5, 7])).toEqual({ a: 1, b: 2 });
    // x = 0,1,2, y = 0,2,1: mean 1 and 1, Sxx = 2, Sxy = 1 → b = 0.5, a = 0.5.
    expect(lineFit([0, 1, 2], [0, 2, 1])).toEqual({ a: 0.5, b: 0.5 });
    expect(lineFit([0, 1, 2, 3, 4], [100, 3, 5, 7, -100], 1, 4)).toEqual({ a: 1, b: 2 });
    expect(lineFit([0, 1, 2, 3], [5, 5, 5, 5], 2, 3)).toBeNull();
    expect(lineFit([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(lineFit([5, 5, 1, 2], [1, 2, 3, 4], 0, 2)).toBeNull();
    expect(lineFit([0, 1], [1, 3])).toEqual({ a: 1, b: 2 });
    // Centred sums: x near 1e8 (slope 0.65 / 5 = 0.13) stays exact to 1e-12; uncentred x would lose ~1e-9.
    expect(lineFit([0, 1, 2, 3].map((v) => 1e8 + v), [0.1, 0.25, 0.35, 0.5])!.b).toBeCloseTo(0.13, 12);
    expect(regression([0, 1, 2, 3].map((v) => 1e8 + v), [0.1, 0.25, 0.35, 0.5]).slope).toBeCloseTo(0.13, 12);
  });

  it('regression: slope, intercept, standard error and R² by hand', () => {
    // x 0..3, y 0,2,1,3: Sxx 5, Sxy 4 → slope 0.8, intercept 0.3; residuals −0.3, 0.9, −0.9, 0.3 → SSE 1.8; Syy 5.
    const r = regression([0, 1, 2, 3], [0, 2, 1, 3]);
    expect(r.slope).toBeCloseTo(0.8, 12);
    expect(r.intercept).toBeCloseTo(0.3, 12);
    expect(r.se!).toBeCloseTo(Math.sqrt(1.8 / 2 / 5), 12);
    expect(r.r2!).toBeCloseTo(1 - 1.8 / 5, 12);
    const two = regression([1, 3], [2, 6]);
    expect(two.slope).toBeCloseTo(2, 12);
    expect(two.intercept).toBeCloseTo(0, 12);
    expect(two.se).toBeNull();
    expect(two.r2).toBeNull();
    const flat = regression([1, 2, 3], [4, 4, 4]);
    expect(flat.slope).toBe(0);
    expect(flat.r2).toBeNull();
    expect(flat.se).toBe(0);
  });

  it('interpAt: either direction, nodes, a repeated x, and null outside or beyond [from, to)', () => {
    expect(interpAt([0, 1, 2, 3], [0, 10, 20, 40], 0, 4, 2.5)).toBeCloseTo(30, 12);
    expect(interpAt([3, 2, 1, 0], [40, 20, 10, 0], 0, 4, 2.5)).toBeCloseTo(30, 12);
    expect(interpAt([3, 2, 1, 0], [40, 20, 10, 0], 0, 4, 0.25)).toBeCloseTo(2.5, 12);
    expect(interpAt([0, 1, 2, 3], [0, 10, 20, 40], 0, 4, 1)).toBe(10);
    expect(interpAt([0, 1, 2, 3], [0, 10, 20, 40], 0, 4, 3)).toBe(40);
    expect(interpAt([0, 1, 2, 3], [0, 10, 20, 40], 0, 4, 0)).toBe(0);
    expect(interpAt([1, 1, 2], [10, 30, 40], 0, 3, 1)).toBe(20);
    expect(interpAt([0, 1, 2, 3], [0, 10, 20, 40], 0, 4, 3.5)).toBeNull();
    expect(interpAt([0, 1, 2, 3], [0, 10, 20, 40], 2, 4, 0.5)).toBeNull();
    expect(interpAt([0, 1, 2, 3], [0, 10, 20, 40], 0, 2, 2.5)).toBeNull();
    expect(interpAt([0, 1, 2, 3], [0, 10, 20, 40], 0, 2, 1.5)).toBeNull(); // x[2] is outside [from, to)
    expect(interpAt([0, 1, 2, 3], [0, 10, 20, 40], 1, 4, 1.5)).toBeCloseTo(15, 12);
  });

  it('grid: multiples of the step inside [lo, hi], ends included where they land', () => {
    expect(grid(0.013, 0.05, 0.01)).toEqual([0.02, 0.03, 0.04, 0.05]);
    expect(grid(0.02, 0.05, 0.01)).toEqual([0.02, 0.03, 0.04, 0.05]);
    expect(grid(-0.015, 0.005, 0.01)).toEqual([-0.01, 0]);
    expect(grid(0.3, 0.3, 0.1)).toEqual([0.3]);
    expect(grid(0.31, 0.39, 0.1)).toEqual([]);
    // ends that are not numbers, or no step: no grid (it never ended before)
    for (const [lo, hi, st] of [[0, NaN, 0.01], [NaN, 1, 0.01], [0, Infinity, 0.01], [-Infinity, 0, 0.01], [0, 1, 0], [0, 1, -0.01], [0, 1, NaN]]) expect(grid(lo!, hi!, st!)).toEqual([]);
  });

  it('savitzkyGolay: the 5-point quadratic weights (−3, 12, 17, 12, −3)/35, quadratics kept exactly', () => {
    const delta = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0];
    const s = arr(savitzkyGolay(delta, 2));
    const want = [0, 0, 0, -3 / 35, 12 / 35, 17 / 35, 12 / 35, -3 / 35, 0, 0, 0];
    want.forEach((v, k) => expect(s[k]).toBeCloseTo(v, 12));
    // Near the ends the window shrinks to ±1 (identity for a quadratic of 3 points) and ±0.
    const near = arr(savitzkyGolay([0, 1, 0, 0, 0, 0, 0], 2));
    [0, 1, 12 / 35, -3 / 35, 0, 0, 0].forEach((v, k) => expect(near[k]).toBeCloseTo(v, 12));
    const q = Array.from({ length: 12 }, (_, k) => 3 - 2 * k + 0.5 * k * k);
    const sq = arr(savitzkyGolay(q, 3));
    q.forEach((v, k) => expect(sq[k]).toBeCloseTo(v, 9));
    expect(arr(savitzkyGolay(delta, 0))).toEqual(delta);
    // ±3: weights (7, 6, 3, −2)/21 from the centre out.
    const s3 = arr(savitzkyGolay([0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0], 3));
    [-2 / 21, 3 / 21, 6 / 21, 7 / 21, 6 / 21, 3 / 21, -2 / 21].forEach((v, k) => expect(s3[k + 4]).toBeCloseTo(v, 12));
  });
});

describe('cv/pick', () => {
  const e = f64([0, 1, 2, 1, 0, 1, 2, 1, 0]);
  const file = (sweeps: Sweep[]): TraceFile => ({ file: 'f', scan_rate_v_s: 0.1, trace: { e, i: new Float64Array(e.length), sweeps } });
  const four = [sw(1, 'anodic', 0, 3), sw(2, 'cathodic', 2, 5), sw(3, 'anodic', 4, 7), sw(4, 'cathodic', 6, 9)];

  it('pickSweep: the sweep of that cycle and direction, else the last of that direction, else none', () => {
    expect(pickSweep(file(four), 1, 'anodic')).toEqual({ sweep: four[0], cycle: 1 });
    expect(pickSweep(file(four), 2, 'anodic')).toEqual({ sweep: four[2], cycle: 2 });
    expect(pickSweep(file(four), 2, 'cathodic')).toEqual({ sweep: four[3], cycle: 2 });
    expect(pickSweep(file(four), 1, 'cathodic')).toEqual({ sweep: four[1], cycle: 1 });
    expect(pickSweep(file(four), 5, 'cathodic')).toEqual({ sweep: four[3], cycle: 2 });
    expect(pickSweep(file(four.slice(0, 3)), 3, 'anodic')).toEqual({ sweep: four[2], cycle: 2 });
    expect(pickSweep(file([four[0]!, four[2]!]), 2, 'cathodic')).toEqual({ sweep: null, cycle: null });
  });

  it('sweepRange: min and max of e over [start, end)', () => {
    const x = f64([0.5, 0.1, 0.9, 0.3, 2]);
    expect(sweepRange(x, sw(1, 'anodic', 1, 4))).toEqual([0.1, 0.9]);
    expect(sweepRange(x, sw(1, 'anodic', 0, 5))).toEqual([0.1, 2]);
    expect(sweepRange(x, sw(1, 'anodic', 3, 5))).toEqual([0.3, 2]);
  });
});

/** A minimal PeakRow: only the fields findSei reads matter. */
const peak = (sweep: number, ep: number, ip: number, charge: number | null = null): PeakRow => ({
  cycle: cycleOf(sw(sweep, 'anodic', 0, 0)), sweep, direction: sweep % 2 ? 'anodic' : 'cathodic', rank: 1, ep_v: ep, ip_a: ip, ip_raw_a: ip,
  baseline: '', baseline_from_v: 0, baseline_to_v: 0, baseline_slope_a_per_v: 0, baseline_at_ep_a: 0, prominence_a: Math.abs(ip),
  half_width_v: null, charge_c: charge, flags: [],
});

describe('cv/sei', () => {
  it('cycleOf: two sweeps per cycle from sweep 1', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((k) => cycleOf(sw(k, 'anodic', 0, 2)))).toEqual([1, 1, 2, 2, 3, 3, 4]);
  });

  // Cycle 1: sweep 1 (anodic 0 → 1 V) is not used; sweep 2 cathodic 1 → −0.2 V; cycle 2: sweep 3 anodic, sweep 4 cathodic 1 → 0 V.
  const e = f64([0, 0.5, 1, 0.5, 0, -0.2, 0, 0.5, 1, 0.5, 0]);
  const sweeps = [sw(1, 'anodic', 0, 3), sw(2, 'cathodic', 2, 6), sw(3, 'anodic', 5, 9), sw(4, 'cathodic', 8, 11)];

  it('notes when cycle 1 has no cathodic sweep or there is no later cycle', () => {
    expect(findSei(e, [sweeps[0]!, sweeps[2]!, sweeps[3]!], [])).toEqual({ sei: [], note: 'SEI peak not assessed: cycle 1 has no cathodic sweep' });
    expect(findSei(e, sweeps.slice(0, 3), [peak(2, 0.6, -1)])).toEqual({ sei: [], note: 'SEI peak not assessed: no later cycle to compare cycle 1 with' });
    expect(findSei(e, sweeps, [])).toEqual({ sei: [], note: null });
  });

  it('a cycle-1 cathodic peak with no counterpart within ±50 mV and ≥ 1/3 of its current is flagged', () => {
    expect(SEI_WINDOW_V).toBe(0.05);
    expect(SEI_CURRENT_FRACTION).toBeCloseTo(1 / 3, 15);
    const p = peak(2, 0.6, -3e-4, -0.12);
    const r = findSei(e, sweeps, [peak(1, 0.6, 5e-4), p, peak(3, 0.6, 3e-4)]);
    // The anodic peaks of sweeps 1 and 3 are neither candidates nor counterparts.
    expect(r).toEqual({ sei: [{ cycle: 1, sweep: 2, ep_v: 0.6, ip_a: -3e-4, charge_c: -0.12, later_sweeps_checked: [4] }], note: null });
    expect(p.flags).toEqual(['sei']);
  });

  it('the counterpart rules at their boundaries: exactly 50 mV away and exactly a third still count', () => {
    // |0 − 0.05| is exactly the double 0.05; (1/3)·3 is exactly 1.
    const at = (q: PeakRow) => findSei(e, sweeps, [peak(2, 0, -3), q]).sei.length;
    expect(at(peak(4, 0.05, -1))).toBe(0);
    expect(at(peak(4, -0.05, 1))).toBe(0); // |ip| is compared, whatever its sign
    expect(at(peak(4, 0.0501, -1))).toBe(1);
    expect(at(peak(4, 0.05, -0.999))).toBe(1);
    expect(at(peak(4, 0, -3))).toBe(0);
  });

  it('a later sweep that does not cover the potential is no evidence; one covering it exactly at its end is', () => {
    // Cycle-1 peak at −0.1 V: sweep 4 only reaches down to 0 V, so it is not checked and nothing is flagged.
    expect(findSei(e, sweeps, [peak(2, -0.1, -1)])).toEqual({ sei: [], note: null });
    // Above the later sweep's highest point (1 V): not covered either.
    expect(findSei(e, sweeps, [peak(2, 1.05, -1)])).toEqual({ sei: [], note: null });
    // Peak at 0 V: sweep 4 ends at 0 V (its lowest point) and covers it; at 1 V its highest point.
    expect(findSei(e, sweeps, [peak(2, 0, -1)]).sei.map((s) => s.later_sweeps_checked)).toEqual([[4]]);
    expect(findSei(e, sweeps, [peak(2, 1, -1)]).sei.map((s) => s.ep_v)).toEqual([1]);
    // Two later cathodic sweeps: only the one that covers the potential is listed; a match in either clears it.
    const e6 = f64([0, 0.5, 1, 0.5, 0, -0.2, 0, 0.5, 1, 0.5, 0, 0.5, 1, 0.5, -0.3]);
    const s6 = [...sweeps, sw(5, 'anodic', 10, 13), sw(6, 'cathodic', 12, 15)];
    expect(findSei(e6, s6, [peak(2, -0.1, -1)]).sei[0]!.later_sweeps_checked).toEqual([6]);
    expect(findSei(e6, s6, [peak(2, 0.3, -1)]).sei[0]!.later_sweeps_checked).toEqual([4, 6]);
    expect(findSei(e6, s6, [peak(2, 0.3, -1), peak(6, 0.31, -0.5)]).sei).toEqual([]);
  });
});

describe('cv/sign: loopRatio', () => {
  it('∮ i dE / ∫|i||dE| over a pair, by hand', () => {
    // Anodic 0 → 2 V with i 1,2,3; cathodic 2 → 0 V with i −1,1,1.
    // Anodic: mid-currents 1.5, 2.5 × dE 1 → 4 (and 4). Cathodic: 0 × −1, 1 × −1 → −1 (and 1). Ratio 3/5.
    const e = f64([0, 1, 2, 2, 1, 0]), i = f64([1, 2, 3, -1, 1, 1]);
    expect(loopRatio(e, i, [sw(1, 'anodic', 0, 3), sw(2, 'cathodic', 3, 6)])).toBeCloseTo(0.6, 12);
    // The same loop read the other way round (currents negated): −0.6.
    expect(loopRatio(e, i.map((x) => -x), [sw(1, 'anodic', 0, 3), sw(2, 'cathodic', 3, 6)])).toBeCloseTo(-0.6, 12);
  });

  it('only the potential range both sweeps cover counts (an interval whose midpoint is on the edge counts)', () => {
    // Cathodic sweep 2 → 0.5 V: the shared range is 0.5…2 V; anodic 0 → 0.5 → 1 → 2 with i 10 on the first
    // interval (midpoint 0.25 V, outside).
    const e = f64([0, 0.5, 1, 2, 2, 1, 0.5]), i = f64([10, 10, 1, 1, 3, 3, 3]);
    // Anodic: [0,0.5] mid 0.25 excluded; [0.5,1] mid 0.75: im 5.5 × 0.5 = 2.75; [1,2]: 1 × 1 = 1.
    // Cathodic: [2,1]: 3 × −1 = −3; [1,0.5]: 3 × −0.5 = −1.5. num = −0.75, den = 8.25.
    expect(loopRatio(e, i, [sw(1, 'anodic', 0, 4), sw(2, 'cathodic', 4, 7)])).toBeCloseTo(-0.75 / 8.25, 12);
    const e2 = f64([0, 1, 2, 2, 1.5, 0.5]), i2 = f64([4, 2, 2, 1, 1, 1]);
    // Shared 0.5…2: anodic [0,1] mid 0.5 counted: 3 × 1; [1,2]: 2 × 1. Cathodic [2,1.5]: −0.5; [1.5,0.5]: −1. num 3.5, den 6.5.
    expect(loopRatio(e2, i2, [sw(1, 'anodic', 0, 3), sw(2, 'cathodic', 3, 6)])).toBeCloseTo(3.5 / 6.5, 12);
    // Shared 0…1.5 (anodic to 2 V, cathodic from 1.5 V): the anodic interval [1,2] has its midpoint 1.5 V on the edge, counted.
    const e3 = f64([0, 1, 2, 1.5, 0]), i3 = f64([1, 1, -3, -1, -1]);
    // Anodic: 1 × 1 + (−1) × 1 = 0 (den 2); cathodic [1.5,0]: −1 × −1.5 = 1.5. num 1.5, den 3.5.
    expect(loopRatio(e3, i3, [sw(1, 'anodic', 0, 3), sw(2, 'cathodic', 3, 5)])).toBeCloseTo(1.5 / 3.5, 12);
    // Anodic to 3 V, cathodic from 2 V: the anodic interval [2,3] (midpoint 2.5 V) is outside and its i = −9 ignored.
    const e4 = f64([0, 1, 2, 3, 2, 1, 0]), i4 = f64([1, 1, 1, -9, -1, -1, -1]);
    // Anodic 1 + 1 (den 2); cathodic [2,1] and [1,0]: −1 × −1 twice = 2 (den 2): 4 / 4.
    expect(loopRatio(e4, i4, [sw(1, 'anodic', 0, 4), sw(2, 'cathodic', 4, 7)])).toBeCloseTo(1, 12);
  });

  it('pairs are (1,2), (3,4), …; an unpaired sweep, a pair without overlap or a zero current give nothing', () => {
    // Pairs (1,2) and (3,4) only: a (2,3) pair would add its own terms.
    const e = f64([0, 1, 2, 1, 0, 1, 2, 1, 0]);
    const i = f64([2, 2, 2, -2, -2, 1, 1, 1, 1]);
    const s = [sw(1, 'anodic', 0, 3), sw(2, 'cathodic', 2, 5), sw(3, 'anodic', 4, 7), sw(4, 'cathodic', 6, 9)];
    // Pair 1: anodic 2 + 2 = 4; cathodic (2+(−2))/2·(−1) = 0 then −2 × −1 = 2 → num 6, den 6.
    // Pair 2: anodic (−2+1)/2 × 1 = −0.5, then 1 (den 1.5); cathodic 1 × −1 twice → −2 (den 2): num −1.5, den 3.5. Total 4.5 / 9.5.
    expect(loopRatio(e, i, s)).toBeCloseTo(4.5 / 9.5, 12);
    expect(loopRatio(e, i, s.slice(0, 3))).toBeCloseTo(1, 12);
    expect(loopRatio(e, i, s.slice(0, 1))).toBeNull();
    expect(loopRatio(e, new Float64Array(9), s)).toBeNull();
    const apart = f64([0, 1, 2, 5, 4, 3]);
    expect(loopRatio(apart, f64([1, 1, 1, 1, 1, 1]), [sw(1, 'anodic', 0, 3), sw(2, 'cathodic', 3, 6)])).toBeNull();
    // Sweeps that touch at one potential only (2 V): no overlap.
    const touch = f64([0, 1, 2, 3, 2.5, 2]);
    expect(loopRatio(touch, f64([1, 1, 1, 1, 1, 1]), [sw(1, 'anodic', 0, 3), sw(2, 'cathodic', 3, 6)])).toBeNull();
  });
});

describe('cv/sign: the Results block', () => {
  const res = (segment: number | null, value: number, block: string | null = null, name = 'ip'): ChiResult => ({ channel: null, segment, block, name, value, unit: 'A', line: 1 });
  const ctx = (results: ChiResult[], o: Partial<ResultsContext> = {}): ResultsContext => ({ results, block: null, initPN: null, singleSweepDir: null, sweeps: [], ...o });

  it('votes: +1 per peak whose ip has the sign of its segment direction (Init P/N, else the sweeps)', () => {
    // Init P: odd segments go positive. ip > 0 on segment 1 and ip < 0 on segment 2 are both anodic-positive.
    expect(resultsVotes(ctx([res(1, 2e-6), res(2, -3e-6)], { initPN: 'P' }))).toEqual({ votes: 2, peaks: 2 });
    expect(resultsVotes(ctx([res(1, 2e-6), res(2, -3e-6)], { initPN: 'N' }))).toEqual({ votes: -2, peaks: 2 });
    expect(resultsVotes(ctx([res(3, -2e-6), res(4, 5e-6)], { initPN: 'N' }))).toEqual({ votes: 2, peaks: 2 });
    // No Init P/N: the direction of the data's sweep of that number; a segment beyond the data is not counted.
    const sweeps = [sw(1, 'cathodic', 0, 3), sw(2, 'anodic', 2, 5)];
    expect(resultsVotes(ctx([res(1, -1e-6), res(2, 1e-6), res(3, 1e-6)], { sweeps }))).toEqual({ votes: 2, peaks: 2 });
    expect(resultsVotes(ctx([res(1, 1e-6), res(2, 1e-6)], { sweeps, initPN: 'X' }))).toEqual({ votes: 0, peaks: 2 });
    // No segment (LSV/DPV): the single sweep's direction; unknown → not counted.
    expect(resultsVotes(ctx([res(null, -1e-6)], { singleSweepDir: -1 }))).toEqual({ votes: 1, peaks: 1 });
    expect(resultsVotes(ctx([res(null, -1e-6)], { singleSweepDir: 1 }))).toEqual({ votes: -1, peaks: 1 });
    expect(resultsVotes(ctx([res(null, -1e-6)]))).toEqual({ votes: 0, peaks: 0 });
  });

  it('only ip entries that are non-zero, of the chosen block', () => {
    const rs = [res(1, 1e-6), res(1, 0), res(1, -5e-6, null, 'ep'), res(1, -1e-6, 'Current 2'), res(2, 1e-6, 'Current 2')];
    expect(resultsVotes(ctx(rs, { initPN: 'P' }))).toEqual({ votes: 1, peaks: 1 });
    // Channel 2: segment 1 ip < 0 (cathodic-positive), segment 2 ip > 0 (cathodic-positive).
    expect(resultsVotes(ctx(rs, { initPN: 'P', block: 'Current 2' }))).toEqual({ votes: -2, peaks: 2 });
  });
});

describe('cv/sign: decideSign', () => {
  const res = (segment: number | null, value: number): ChiResult => ({ channel: null, segment, block: null, name: 'ip', value, unit: 'A', line: 1 });
  const ctx = (results: ChiResult[] = []): ResultsContext => ({ results, block: null, initPN: 'P', singleSweepDir: null, sweeps: [] });
  // One step up with current x, one step down with current y: ratio (x − y)/(|x| + |y|).
  const e = f64([0, 1, 1, 0]);
  const s = [sw(1, 'anodic', 0, 2), sw(2, 'cathodic', 2, 4)];
  const loop = (x: number, y: number) => f64([x, x, y, y]);
  const anodicRes = [res(1, 1e-6), res(2, -1e-6)]; // Results implying anodic-positive
  const cathodicRes = [res(1, -1e-6), res(2, 1e-6)];

  it('the loop decides when nothing else does; FLAT_LOOP = 0.02 is the edge (exactly 0.02 still tells)', () => {
    expect(FLAT_LOOP).toBe(0.02);
    const a = decideSign(e, loop(3, -1), s, ctx());
    expect(a).toEqual({ current_sign: 'anodic-positive', current_sign_source: 'loop orientation', loop_ratio: 1, results_sign: null, results_peaks: 0, warnings: [] });
    const c = decideSign(e, loop(-1, 3), s, ctx());
    expect(c).toMatchObject({ current_sign: 'cathodic-positive', current_sign_source: 'loop orientation', loop_ratio: -1, warnings: [] });
    // (51 − 49)/100 = 0.02 exactly: not flat.
    expect(decideSign(e, loop(51, 49), s, ctx())).toMatchObject({ current_sign: 'anodic-positive', current_sign_source: 'loop orientation', loop_ratio: 0.02, warnings: [] });
    expect(decideSign(e, loop(49, 51), s, ctx())).toMatchObject({ current_sign: 'cathodic-positive', current_sign_source: 'loop orientation', loop_ratio: -0.02 });
  });

  it('a flat loop: default anodic-positive with the full warning', () => {
    // (50.5 − 49.5)/100 = 0.01.
    const r = decideSign(e, loop(50.5, 49.5), s, ctx());
    expect(r).toMatchObject({ current_sign: 'anodic-positive', current_sign_source: 'default', results_sign: null });
    expect(r.loop_ratio).toBeCloseTo(0.01, 12);
    expect(r.warnings).toEqual(['the voltammogram loop is too flat to tell the current sign (∮ i dE / ∫|i| |dE| = 0.010, |·| < 0.02); currents read as anodic-positive (IUPAC): check, or give the sign explicitly']);
    // A flat loop under an explicit sign says nothing; under the Results block only the flatness.
    expect(decideSign(e, loop(50.5, 49.5), s, ctx(), 'cathodic-positive').warnings).toEqual([]);
    const withRes = decideSign(e, loop(50.5, 49.5), s, ctx(cathodicRes));
    expect(withRes).toMatchObject({ current_sign: 'cathodic-positive', current_sign_source: 'results', results_sign: 'cathodic-positive', results_peaks: 2 });
    expect(withRes.warnings).toEqual(['the voltammogram loop is too flat to tell the current sign (∮ i dE / ∫|i| |dE| = 0.010, |·| < 0.02)']);
  });

  it('no loop and no Results: default with its own warning', () => {
    const one = [sw(1, 'anodic', 0, 2)];
    const r = decideSign(e, loop(1, 1), one, ctx());
    expect(r).toEqual({ current_sign: 'anodic-positive', current_sign_source: 'default', loop_ratio: null, results_sign: null, results_peaks: 0,
      warnings: ['the current sign cannot be told from this file (no Results peaks, no closed loop); currents read as anodic-positive (IUPAC): check, or give the sign explicitly'] });
    expect(decideSign(e, loop(1, 1), one, ctx(), 'cathodic-positive')).toEqual({ current_sign: 'cathodic-positive', current_sign_source: 'option', loop_ratio: null, results_sign: null, results_peaks: 0, warnings: [] });
    expect(decideSign(e, loop(1, 1), one, ctx(cathodicRes)).warnings).toEqual([]);
  });

  it('Results before the loop; their disagreement is a warning', () => {
    const agree = decideSign(e, loop(3, -1), s, ctx(anodicRes));
    expect(agree).toEqual({ current_sign: 'anodic-positive', current_sign_source: 'results', loop_ratio: 1, results_sign: 'anodic-positive', results_peaks: 2, warnings: [] });
    const dis = decideSign(e, loop(3, -1), s, ctx(cathodicRes));
    expect(dis).toMatchObject({ current_sign: 'cathodic-positive', current_sign_source: 'results' });
    expect(dis.warnings).toEqual(["the file's Results block implies cathodic-positive but the loop orientation (∮ i dE / ∫|i| |dE| = 1.000) implies anodic-positive; the Results block is used"]);
  });

  it('inconsistent Results: a majority still decides (with a warning); a tie does not', () => {
    const three = [res(1, 1e-6), res(2, -1e-6), res(3, -1e-6)]; // votes +1 +1 −1
    const r = decideSign(e, loop(3, -1), s, ctx(three));
    expect(r).toMatchObject({ current_sign: 'anodic-positive', current_sign_source: 'results', results_sign: 'anodic-positive', results_peaks: 3 });
    expect(r.warnings).toEqual(["the file's Results block is inconsistent: 2 of 3 peak currents imply anodic-positive, the others the opposite"]);
    // Votes −1, −1, +1, −1, +1 (odd segments positive-going).
    const c3 = decideSign(e, loop(3, -1), s, ctx([res(1, -1e-6), res(2, 1e-6), res(3, 1e-6), res(4, 1e-6), res(5, 1e-6)]));
    expect(c3.warnings[0]).toBe("the file's Results block is inconsistent: 3 of 5 peak currents imply cathodic-positive, the others the opposite");
    const tie = decideSign(e, loop(-1, 3), s, ctx([res(1, 1e-6), res(2, 1e-6)]));
    expect(tie).toMatchObject({ current_sign: 'cathodic-positive', current_sign_source: 'loop orientation', results_sign: null, results_peaks: 2 });
    expect(tie.warnings).toEqual(["the file's Results block is inconsistent (2 peaks, half each way): it does not settle the current sign"]);
  });

  it('an explicit sign wins; it warns when the Results block or else the loop disagrees', () => {
    expect(decideSign(e, loop(3, -1), s, ctx(anodicRes), 'anodic-positive').warnings).toEqual([]);
    const vsRes = decideSign(e, loop(3, -1), s, ctx(cathodicRes), 'anodic-positive');
    expect(vsRes).toMatchObject({ current_sign: 'anodic-positive', current_sign_source: 'option', results_sign: 'cathodic-positive' });
    expect(vsRes.warnings).toEqual([
      "the file's Results block implies cathodic-positive but the loop orientation (∮ i dE / ∫|i| |dE| = 1.000) implies anodic-positive; the explicit sign is used",
      "the given current sign (anodic-positive) contradicts the file's Results block, which implies cathodic-positive",
    ]);
    const vsLoop = decideSign(e, loop(3, -1), s, ctx(), 'cathodic-positive');
    expect(vsLoop.warnings).toEqual(["the given current sign (cathodic-positive) contradicts the file's loop orientation, which implies anodic-positive"]);
    expect(decideSign(e, loop(-1, 3), s, ctx(), 'cathodic-positive').warnings).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// b-values and Dunn on hand-built files: a triangle 0 → top → 0 → … in N steps per sweep (10 mV for
// top = 1 V, N = 100), consecutive sweeps sharing their vertex point; the current of each sweep
// direction is a formula of E and v written in the test.
type Cur = (e: number, v: number) => number;
function cvTrace(name: string, v: number | null, an: Cur, ca: Cur, o: { sweeps?: number; top?: number; bottom?: number; n?: number; skip?: 'anodic' | 'cathodic' } = {}): TraceFile {
  const nS = o.sweeps ?? 4, top = o.top ?? 1, bottom = o.bottom ?? 0, N = o.n ?? 100;
  const e: number[] = [], i: number[] = [], sweeps: Sweep[] = [];
  for (let s = 1; s <= nS; s++) {
    const dir = s % 2 ? 'anodic' : 'cathodic';
    for (let j = s === 1 ? 0 : 1; j <= N; j++) {
      const E = dir === 'anodic' ? bottom + (j / N) * (top - bottom) : top - (j / N) * (top - bottom);
      e.push(E);
      i.push((dir === 'anodic' ? an : ca)(E, v ?? 1));
    }
    if (o.skip !== dir) sweeps.push(sw(s, dir, (s - 1) * N, s * N + 1));
  }
  return { file: name, scan_rate_v_s: v, trace: { e: f64(e), i: f64(i), sweeps } };
}
const withPeaks = (f: TraceFile, peaks: PeakRow[]): BFile => ({ ...f, peaks });
/** A peak row of sweep `sweep` with rank, Ep and corrected ip. */
const pk = (sweep: number, rank: number, ep: number, ip: number): PeakRow => ({ ...peak(sweep, ep, ip), rank });
/** Least-squares slope of y on x, written out. */
const slopeOf = (x: number[], y: number[]) => {
  const mx = x.reduce((s, q) => s + q, 0) / x.length, my = y.reduce((s, q) => s + q, 0) / y.length;
  return x.reduce((s, q, k) => s + (q - mx) * (y[k]! - my), 0) / x.reduce((s, q) => s + (q - mx) ** 2, 0);
};

describe('cv/bvalue: b per peak from i = a·v^b', () => {
  const zero: Cur = () => 0;
  const rates = [0.001, 0.01, 0.1];
  // Anodic (sweep 3 of cycle 2): rank 1 i = 2e-3·v^0.5 at 0.3 V, rank 2 i = 5e-4·v^0.9 at 0.6 V;
  // cathodic (sweep 4): rank 1 i = −1e-3·v^0.75 at 0.25 V. Cycle-1 peaks (sweeps 1, 2) are decoys.
  const files = rates.map((v, k) => withPeaks(cvTrace(`f${k}`, v, zero, zero), [
    pk(3, 2, 0.6, 5e-4 * v ** 0.9), pk(4, 1, 0.25, -1e-3 * v ** 0.75), pk(3, 1, 0.3 + 0.01 * k, 2e-3 * v ** 0.5),
    pk(1, 1, 0.3, 1e-3 * v), pk(2, 1, 0.2, -1e-2),
  ]));

  it('recovers b of each rank and direction; lists rates, currents, potentials and files', () => {
    const r = bValues(files);
    expect(r.peaks.map((p) => [p.direction, p.rank, p.cycle, p.points])).toEqual([['anodic', 1, 2, 3], ['anodic', 2, 2, 3], ['cathodic', 1, 2, 3]]);
    [0.5, 0.9, 0.75].forEach((b, k) => {
      expect(r.peaks[k]!.b).toBeCloseTo(b, 10);
      expect(r.peaks[k]!.b_se!).toBeCloseTo(0, 10);
      expect(r.peaks[k]!.r2!).toBeCloseTo(1, 10);
    });
    expect(r.peaks[0]!.scan_rates_v_s).toEqual(rates);
    expect(r.peaks[0]!.ip_a).toEqual(rates.map((v) => 2e-3 * v ** 0.5));
    expect(r.peaks[0]!.ep_v).toEqual([0.3, 0.31, 0.32]);
    expect(r.peaks[2]!.ip_a).toEqual(rates.map((v) => -1e-3 * v ** 0.75));
    expect(r.peaks[0]!.files).toEqual(['f0', 'f1', 'f2']);
    expect(r.warnings).toEqual([]);
    expect(r.assumptions).toMatchObject({ cycle: 2, fit: 'least squares of log10|i| against log10 v', peak_current: 'baseline-corrected ip', peak_matching: 'by rank (1 = largest corrected |ip|) within each sweep direction of the cycle' });
    expect(r.assumptions.b_of_v).toBe('current as recorded (Savitzky–Golay smoothing, quadratic, ±4 mV) at each potential of a 10 mV grid over the range all files share; null where the current changes sign between rates or is zero');
  });

  it('cycle 1 when asked; the standard error and R² of a scattered set by hand', () => {
    const r = bValues(files, { cycle: 1 });
    // Anodic: i = 1e-3·v → b = 1; cathodic: the same −1e-2 at every rate → b = 0, and R² undefined (no spread), 0 here is Syy = 0 → null.
    expect(r.peaks.map((p) => [p.direction, p.rank, p.cycle])).toEqual([['anodic', 1, 1], ['cathodic', 1, 1]]);
    expect(r.peaks[0]!.b).toBeCloseTo(1, 10);
    expect(r.peaks[1]!.b).toBeCloseTo(0, 10);
    expect(r.peaks[1]!.r2).toBeNull();
    expect(r.assumptions.cycle).toBe(1);
    // log10 v = −3, −2, −1 and log10|ip| = −5, −4.4, −4: slope 0.5, SSE 1/150, Syy 0.50667 (worked in the util test's way).
    const sc = rates.map((v, k) => withPeaks(cvTrace(`s${k}`, v, zero, zero), [pk(3, 1, 0.3, [1e-5, 10 ** -4.4, 1e-4][k]!)]));
    const p = bValues(sc).peaks[0]!;
    expect(p.b).toBeCloseTo(0.5, 10);
    expect(p.b_se!).toBeCloseTo(Math.sqrt(1 / 150 / 1 / 2), 10);
    expect(p.r2!).toBeCloseTo(1 - (1 / 150) / (0.76 / 1.5), 10);
  });

  it('warnings: two rates, Ep spread over 100 mV, not a line, a rank missing in a file, a cycle missing', () => {
    const two = bValues(files.slice(0, 2));
    expect(two.warnings).toEqual(['with two scan rates the b-value has no standard error and no meaningful R² (a line through two points); use three or more']);
    expect(two.peaks[0]!.b_se).toBeNull();
    expect(two.peaks[0]!.r2).toBeNull();
    // Ep 0.30, 0.45, 0.35: spread 150 mV; log|ip| −5, −3, −5 against −3, −2, −1: slope 0, R² 0.
    const bad = rates.map((v, k) => withPeaks(cvTrace(`b${k}`, v, zero, zero), [pk(3, 1, [0.3, 0.45, 0.35][k]!, [1e-5, 1e-3, 1e-5][k]!)]));
    expect(bValues(bad).warnings).toEqual([
      'anodic peak of rank 1: Ep spreads over 150 mV across the files; check that the rank-matched peaks are the same process',
      'anodic peak of rank 1: log|ip| against log v is not a line (R² = 0.00; Ep 0.300, 0.450, 0.350 V): check that the rank-matched peaks are the same process',
    ]);
    // Exactly 100 mV of spread (0.25 − 0.15 = 0.1 as doubles) is no warning.
    const edge = rates.map((v, k) => withPeaks(cvTrace(`e${k}`, v, zero, zero), [pk(3, 1, [0.15, 0.25, 0.2][k]!, v)]));
    expect(0.25 - 0.15).toBe(0.1);
    expect(bValues(edge).warnings).toEqual([]);
    // Rank 2 only in two of three files; a file with only cycle 1 falls back to it (its sweeps 1 and 2).
    const short = withPeaks(cvTrace('short', 0.1, zero, zero, { sweeps: 2 }), [pk(1, 1, 0.3, 2e-3 * 0.1 ** 0.5), pk(2, 1, 0.25, -1e-3 * 0.1 ** 0.75)]);
    const r = bValues([files[0]!, files[1]!, short]);
    expect(r.peaks.map((p) => [p.direction, p.rank, p.points])).toEqual([['anodic', 1, 3], ['anodic', 2, 2], ['cathodic', 1, 3]]);
    expect(r.peaks[1]!.files).toEqual(['f0', 'f1']);
    expect(r.peaks[0]!.b).toBeCloseTo(0.5, 10);
    expect(r.warnings).toEqual([
      'anodic peak of rank 2 is missing in 1 file(s); its b uses 2',
      'cycle 2 is missing in short (cycle 1): the last cycle there is used',
    ]);
    // A file with no cathodic sweep at all offers no cathodic peak (not an empty one).
    const noCa = withPeaks(cvTrace('noca', 0.1, zero, zero, { skip: 'cathodic' }), [pk(3, 1, 0.3, 2e-3 * 0.1 ** 0.5)]);
    const rc = bValues([files[0]!, files[1]!, noCa]);
    expect(rc.peaks.map((p) => [p.direction, p.rank, p.points])).toEqual([['anodic', 1, 3], ['anodic', 2, 2], ['cathodic', 1, 2]]);
    expect(rc.peaks[2]!.b).toBeCloseTo(0.75, 10);
    expect(rc.peaks[2]!.files).toEqual(['f0', 'f1']);
    // Two files with one cycle: both named, comma-separated.
    const short2 = { ...short, file: 'short2', scan_rate_v_s: 0.03 };
    expect(bValues([files[0]!, short, short2]).warnings.at(-1)).toBe('cycle 2 is missing in short (cycle 1), short2 (cycle 1): the last cycle there is used');
    // A rank found at one rate only (two files at the same rate) is skipped.
    const same = [files[0]!, { ...files[1]!, file: 'g', peaks: files[1]!.peaks.filter((q) => q.rank === 1) }, { ...files[2]!, file: 'h', scan_rate_v_s: 0.01, peaks: files[2]!.peaks.filter((q) => q.rank === 1) }];
    expect(bValues(same).peaks.map((p) => [p.direction, p.rank])).toEqual([['anodic', 1], ['cathodic', 1]]);
  });

  it('needs two different positive scan rates; says how many files had none', () => {
    const noRate = { ...files[2]!, scan_rate_v_s: null };
    const zeroRate = { ...files[1]!, scan_rate_v_s: 0 };
    expect(() => bValues([files[0]!, noRate])).toThrow('b-values need files at two or more different scan rates (found 1; 1 file(s) without a Scan Rate)');
    expect(() => bValues([files[0]!, zeroRate, noRate])).toThrow('(found 1; 2 file(s) without a Scan Rate)');
    expect(() => bValues([files[0]!, { ...files[0]!, file: 'again' }])).toThrow(/^b-values need files at two or more different scan rates \(found 1\)$/);
    expect(bValues([files[0]!, files[1]!, noRate]).peaks[0]!.points).toBe(2);
  });
});

describe('cv/bvalue: b(V) from i(E, v) = A(E)·v^b', () => {
  // Anodic i = (1e-3 + 2e-3·E)·v^0.6, cathodic i = −(3e-3 − 1e-3·E)·v^0.85: b(V) is 0.6 and 0.85 everywhere.
  const an: Cur = (e, v) => (1e-3 + 2e-3 * e) * v ** 0.6;
  const ca: Cur = (e, v) => -(3e-3 - 1e-3 * e) * v ** 0.85;
  const rates = [0.001, 0.004, 0.02];
  const files = rates.map((v, k) => withPeaks(cvTrace(`f${k}`, v, an, ca), []));

  it('a 10 mV grid from 2 × 4 mV inside the shared range, per direction, b constant', () => {
    const r = bValues(files);
    expect(r.peaks).toEqual([]);
    for (const dir of ['anodic', 'cathodic'] as const) {
      const rows = r.b_of_v.filter((x) => x.direction === dir);
      // 0 … 1 V less 8 mV at each end: 0.01 … 0.99 V.
      expect(rows.map((x) => x.e_v)).toEqual(Array.from({ length: 99 }, (_, k) => Number(((k + 1) / 100).toFixed(9))));
      for (const x of rows) {
        expect(x.b!).toBeCloseTo(dir === 'anodic' ? 0.6 : 0.85, 9);
        expect(x.r2!).toBeCloseTo(1, 9);
        expect(x.b_se!).toBeCloseTo(0, 9);
        expect(x.points).toBe(3);
      }
    }
    expect(r.b_of_v.filter((x) => x.direction === 'anodic')).toHaveLength(99);
  });

  it('the range all files share; a coarser grid; null where the current changes sign between rates or is zero', () => {
    // One file reaches 1.2 V: the grid still ends at 0.99 V; a 50 mV grid from 0.05.
    const wide = withPeaks(cvTrace('wide', 0.1, an, ca, { top: 1.2, n: 120 }), []);
    const r = bValues([...files, wide], { gridStepV: 0.05 });
    expect(r.b_of_v.filter((x) => x.direction === 'anodic').map((x) => x.e_v)).toEqual(Array.from({ length: 19 }, (_, k) => Number(((k + 1) * 0.05).toFixed(9))));
    expect(r.b_of_v.every((x) => x.points === 4 && Math.abs(x.b! - (x.direction === 'anodic' ? 0.6 : 0.85)) < 1e-9)).toBe(true);
    expect(r.assumptions.b_of_v).toMatch(/at each potential of a 50 mV grid/);
    // One file starts at 0.3 V: the shared range is 0.3…1 V, the grid 0.31…0.99 (8 mV in from each end).
    const late = withPeaks(cvTrace('late', 0.1, an, ca, { bottom: 0.3, n: 70 }), []);
    const rl = bValues([...files, late]);
    const al = rl.b_of_v.filter((x) => x.direction === 'anodic');
    expect([al[0]!.e_v, al[al.length - 1]!.e_v, al.length]).toEqual([0.31, 0.99, 69]);
    // Cathodic current of the slowest file flips sign above 0.5 V (i = +… there): null there, b = 0.85 below.
    const flip = [withPeaks(cvTrace('x', rates[0]!, an, (e, v) => (e > 0.5 ? 1 : -1) * (3e-3 - 1e-3 * e) * v ** 0.85), []), files[1]!, files[2]!];
    const rf = bValues(flip).b_of_v.filter((x) => x.direction === 'cathodic');
    expect(rf.find((x) => x.e_v === 0.7)).toEqual({ direction: 'cathodic', e_v: 0.7, b: null, b_se: null, r2: null, points: 3 });
    expect(rf.find((x) => x.e_v === 0.3)!.b!).toBeCloseTo(0.85, 9);
    // Zero current in every file: no slope (b null), not log 0.
    const allNil = rates.map((v, k) => withPeaks(cvTrace(`z${k}`, v, () => 0, ca), []));
    expect(bValues(allNil).b_of_v.filter((x) => x.direction === 'anodic').every((x) => x.b === null && x.r2 === null && x.b_se === null)).toBe(true);
    // A zero current at every potential of one file: every row null.
    const nil = [withPeaks(cvTrace('z', rates[0]!, () => 0, ca), []), files[1]!, files[2]!];
    expect(bValues(nil).b_of_v.filter((x) => x.direction === 'anodic').every((x) => x.b === null)).toBe(true);
    // With only one rate offering a cathodic sweep, no cathodic b(V) rows.
    const oneCa = [files[0]!, withPeaks(cvTrace('n1', 0.004, an, ca, { skip: 'cathodic' }), []), withPeaks(cvTrace('n2', 0.02, an, ca, { skip: 'cathodic' }), [])];
    expect(bValues(oneCa).b_of_v.filter((x) => x.direction === 'cathodic')).toEqual([]);
  });

  it('the current is smoothed (Savitzky–Golay ±smoothV) before b(V): a one-point spike shows with weights 17/35, 12/35, −3/35', () => {
    // Two rates 0.001 and 0.01 (log10 ratio 1). The slow file's anodic current is doubled·(1 + δ) at 0.5 V only,
    // δ = 35/17: smoothed over ±2 points (±20 mV at 10 mV a step) it is multiplied by 2 at 0.5 V, by 1 + 12/17 at
    // 0.49 and 0.51 V and by 1 − 3/17 at 0.48 and 0.52 V. b = 0.6 − log10(factor).
    const d = 35 / 17;
    const spiky: Cur = (e, v) => an(e, v) * (Math.abs(e - 0.5) < 1e-9 ? 1 + d : 1);
    const pair = [withPeaks(cvTrace('s', 0.001, spiky, ca), []), withPeaks(cvTrace('t', 0.01, an, ca), [])];
    const rows = bValues(pair, { smoothV: 0.02 }).b_of_v.filter((x) => x.direction === 'anodic');
    const at = (e: number) => rows.find((x) => Math.abs(x.e_v - e) < 1e-9)!.b!;
    expect(at(0.5)).toBeCloseTo(0.6 - Math.log10(2), 9);
    // Beside 0.5 V the spike's share is scaled by A(0.5)/A(E) (A = 1e-3 + 2e-3·E; the linear part is kept exactly).
    const A = (e: number) => 1e-3 + 2e-3 * e;
    expect(at(0.49)).toBeCloseTo(0.6 - Math.log10(1 + (12 / 17) * A(0.5) / A(0.49)), 9);
    expect(at(0.51)).toBeCloseTo(0.6 - Math.log10(1 + (12 / 17) * A(0.5) / A(0.51)), 9);
    expect(at(0.48)).toBeCloseTo(0.6 - Math.log10(1 - (3 / 17) * A(0.5) / A(0.48)), 9);
    expect(at(0.47)).toBeCloseTo(0.6, 9);
    // The grid stops 2 × 20 mV in from each end.
    expect([rows[0]!.e_v, rows[rows.length - 1]!.e_v]).toEqual([0.04, 0.96]);
  });
});

describe("cv/dunn: k1, k2 and the capacitive share from i = k1·v + k2·v^½", () => {
  // v = 1e-4, 4e-4, 9e-4, 16e-4 (√v = 0.01 … 0.04). Anodic k1 = 1 + 2E, k2 = 0.05 + 0.1E;
  // cathodic i = −(k1·v + k2·√v) with k1 = 3 − E, k2 = 0.02 + 0.05E.
  const k1a = (e: number) => 1 + 2 * e, k2a = (e: number) => 0.05 + 0.1 * e;
  const k1c = (e: number) => 3 - e, k2c = (e: number) => 0.02 + 0.05 * e;
  const an: Cur = (e, v) => k1a(e) * v + k2a(e) * Math.sqrt(v);
  const ca: Cur = (e, v) => -(k1c(e) * v + k2c(e) * Math.sqrt(v));
  const rates = [1e-4, 4e-4, 9e-4, 16e-4];
  const files = rates.map((v, k) => cvTrace(`d${k}`, v, an, ca));
  // ∫ (p + qE) dE from a to b.
  const int = (p: number, q: number, a: number, b: number) => p * (b - a) + (q * (b * b - a * a)) / 2;

  it('k1(E) and k2(E) at every grid potential, R² = 1', () => {
    const r = dunn(files);
    const g = r.grid.filter((x) => x.direction === 'anodic');
    // Default grid: 5 mV from 0 + 2 × 10 mV to 1 − 2 × 10 mV.
    expect(g.map((x) => x.e_v)).toEqual(Array.from({ length: 193 }, (_, k) => Number((0.02 + k * 0.005).toFixed(9))));
    for (const x of r.grid) {
      const [k1, k2] = x.direction === 'anodic' ? [k1a(x.e_v), k2a(x.e_v)] : [-k1c(x.e_v), -k2c(x.e_v)];
      expect(x.k1_a_s_per_v!).toBeCloseTo(k1, 8);
      expect(x.k2_a_s05_per_v05!).toBeCloseTo(k2, 9);
      expect(x.r2!).toBeCloseTo(1, 9);
      expect(x.points).toBe(4);
    }
    expect(r.grid.filter((x) => x.direction === 'cathodic')).toHaveLength(193);
    expect(r.warnings).toEqual([]);
  });

  it('capacitive share = v∫k1 dE / ∫(k1·v + k2·√v) dE over 0.02…0.98 V; charges over v', () => {
    const r = dunn(files);
    expect(r.shares).toHaveLength(8);
    for (const s of r.shares) {
      const v = s.scan_rate_v_s;
      const [p1, q1, p2, q2] = s.direction === 'anodic' ? [1, 2, 0.05, 0.1] : [3, -1, 0.02, 0.05];
      const qc = v * int(p1, q1, 0.02, 0.98), qt = qc + Math.sqrt(v) * int(p2, q2, 0.02, 0.98);
      expect(s).toMatchObject({ cycle: 2, e_from_v: 0.02, e_to_v: 0.98 });
      expect(s.capacitive_share_pct!).toBeCloseTo((100 * qc) / qt, 7);
      expect(s.q_total_c!).toBeCloseTo(qt / v, 7);
      expect(s.q_capacitive_c!).toBeCloseTo(qc / v, 7);
    }
    expect(r.shares.map((s) => [s.file, s.direction])).toEqual([...files.map((f) => [f.file, 'anodic']), ...files.map((f) => [f.file, 'cathodic'])]);
    expect(r.assumptions).toMatchObject({
      grid_step_v: 0.005, cycle: 2,
      model: 'i(V) = k1·v + k2·v^½ at each potential (Dunn): a surface-controlled (capacitive) term proportional to v plus a diffusion-controlled term proportional to v^½; nothing else (no IR drop, no peak shift with rate, no other kinetics)',
      fit: 'least squares of i/v^½ = k1·v^½ + k2 over the scan rates at each potential', r2: 'of the fitted i against the measured i at that potential',
      capacitive_share: '∫|k1·v| dV / ∫|i| dV over the grid (e_from_v…e_to_v: the range all files share, less twice the smoothing half-window at each vertex), per sweep direction; i is the measured (smoothed) current',
      charges: 'q = ∫|i| dV / v (C) over that range',
    });
    expect(r.assumptions.smoothing).toBe('currents smoothed over potential (Savitzky–Golay, quadratic, ±10 mV) before the fit (the model is linear in i, so this equals smoothing k1(V) and k2(V) the same way); the grid stops 20 mV short of the vertices');
  });

  it('options: cycle, grid step and smoothing; a single grid point gives no share', () => {
    const r = dunn(files, { cycle: 1, gridStepV: 0.1, smoothV: 0.05 });
    const g = r.grid.filter((x) => x.direction === 'anodic');
    expect(g.map((x) => x.e_v)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(g[3]!.k1_a_s_per_v!).toBeCloseTo(k1a(0.4), 8);
    const s = r.shares[0]!;
    expect(s).toMatchObject({ cycle: 1, e_from_v: 0.1, e_to_v: 0.9 });
    expect(s.capacitive_share_pct!).toBeCloseTo((100 * 1e-4 * int(1, 2, 0.1, 0.9)) / (1e-4 * int(1, 2, 0.1, 0.9) + 0.01 * int(0.05, 0.1, 0.1, 0.9)), 7);
    expect(r.assumptions).toMatchObject({ grid_step_v: 0.1, cycle: 1 });
    expect(r.assumptions.smoothing).toMatch(/±50 mV\) before the fit .* the grid stops 100 mV short of the vertices$/);
    // Grid of one point (0.49…0.51 V with a 50 mV step holds only 0.5): k1 there, but no share.
    const one = dunn(files, { gridStepV: 0.5, smoothV: 0.245 });
    expect(one.grid.filter((x) => x.direction === 'anodic').map((x) => x.e_v)).toEqual([0.5]);
    expect(one.shares[0]).toMatchObject({ e_from_v: 0.5, e_to_v: 0.5, capacitive_share_pct: null, q_total_c: null, q_capacitive_c: null });
  });

  it('a current outside the model (i ∝ v^¼): k1, k2 and R² of the least-squares fit, worked here', () => {
    // i = 1e-3·(1 + E)·v^¼. Fit z = i/√v = k1·√v + k2 over the four rates, then R² of i against k1·v + k2·√v.
    const f = (e: number, v: number) => 1e-3 * (1 + e) * v ** 0.25;
    const r = dunn(rates.map((v, k) => cvTrace(`q${k}`, v, f, ca)));
    const row = r.grid.find((x) => x.direction === 'anodic' && x.e_v === 0.5)!;
    const sq = rates.map(Math.sqrt), iv = rates.map((v) => f(0.5, v)), z = iv.map((x, k) => x / sq[k]!);
    const mx = sq.reduce((a, b) => a + b) / 4, mz = z.reduce((a, b) => a + b) / 4;
    const k1 = sq.reduce((a, x, k) => a + (x - mx) * (z[k]! - mz), 0) / sq.reduce((a, x) => a + (x - mx) ** 2, 0), k2 = mz - k1 * mx;
    const mi = iv.reduce((a, b) => a + b) / 4;
    const sse = iv.reduce((a, x, k) => a + (x - k1 * rates[k]! - k2 * sq[k]!) ** 2, 0), sst = iv.reduce((a, x) => a + (x - mi) ** 2, 0);
    expect(row.k1_a_s_per_v!).toBeCloseTo(k1, 8);
    expect(row.k2_a_s05_per_v05!).toBeCloseTo(k2, 10);
    expect(row.r2!).toBeCloseTo(1 - sse / sst, 10);
    expect(row.r2!).toBeLessThan(0.9999);
  });

  it('zero current: no share (∫|i| = 0)', () => {
    const r = dunn(rates.map((v, k) => cvTrace(`z${k}`, v, () => 0, ca)));
    expect(r.shares.filter((s) => s.direction === 'anodic').every((s) => s.capacitive_share_pct === null && s.q_total_c === null)).toBe(true);
    expect(r.shares.filter((s) => s.direction === 'cathodic').every((s) => s.capacitive_share_pct !== null)).toBe(true);
    // k1 = k2 = 0 there, and R² undefined (no spread of i): null.
    const g = r.grid.filter((x) => x.direction === 'anodic');
    expect(g.every((x) => x.k1_a_s_per_v === 0 && x.k2_a_s05_per_v05 === 0 && x.r2 === null && x.points === 4)).toBe(true);
  });

  it('three different rates needed; a direction without them is skipped with a warning; windows and missing cycles warned', () => {
    expect(() => dunn(files.slice(0, 2))).toThrow("Dunn's method needs CVs of one cell at three or more different scan rates (found 2)");
    expect(() => dunn([...files.slice(0, 2), { ...files[2]!, scan_rate_v_s: null }, { ...files[3]!, scan_rate_v_s: 0 }])).toThrow('(found 2; 2 file(s) without a Scan Rate)');
    // Same rate twice does not make three.
    expect(() => dunn([...files.slice(0, 2), { ...files[1]!, file: 'again' }])).toThrow(/\(found 2\)$/);
    const noCa = [files[0]!, files[1]!, cvTrace('n', 9e-4, an, ca, { skip: 'cathodic' })];
    const r = dunn(noCa);
    expect(r.warnings).toEqual(['no cathodic sweep at three or more scan rates: no Dunn fit for that direction']);
    expect(r.grid.every((x) => x.direction === 'anodic')).toBe(true);
    expect(r.shares).toHaveLength(3);
    // One file to 1.1 V: beyond 20 mV of the shared window → warning with the shared range; 1.01 V is within it.
    const wide = dunn([...files.slice(0, 3), cvTrace('w', 16e-4, an, ca, { top: 1.1, n: 110 })]);
    expect(wide.warnings).toEqual([
      'the anodic sweeps cover different potential windows; the fit uses 0.020…0.980 V, which all of them share',
      'the cathodic sweeps cover different potential windows; the fit uses 0.020…0.980 V, which all of them share',
    ]);
    expect(dunn([...files.slice(0, 3), cvTrace('w', 16e-4, an, ca, { top: 1.01, n: 101 })]).warnings).toEqual([]);
    const low = dunn([...files.slice(0, 3), cvTrace('l', 16e-4, an, ca, { bottom: -0.1, n: 110 })]);
    expect(low.warnings[0]).toBe('the anodic sweeps cover different potential windows; the fit uses 0.020…0.980 V, which all of them share');
    // A file with one cycle: its cycle-1 sweeps are used, said once.
    expect(dunn([...files.slice(0, 2), cvTrace('s1', 9e-4, an, ca, { sweeps: 2 }), cvTrace('s2', 16e-4, an, ca, { sweeps: 2 })]).warnings)
      .toEqual(['cycle 2 is missing in s1 (cycle 1), s2 (cycle 1): the last cycle there is used']);
    const short = dunn([...files.slice(0, 3), cvTrace('s', 16e-4, an, ca, { sweeps: 2 })]);
    expect(short.warnings).toEqual(['cycle 2 is missing in s (cycle 1): the last cycle there is used']);
    expect(short.shares.filter((s) => s.file === 's').map((s) => s.cycle)).toEqual([1, 1]);
    expect(short.grid.find((x) => x.direction === 'anodic' && x.e_v === 0.5)!.k1_a_s_per_v!).toBeCloseTo(k1a(0.5), 8);
  });
});

// ---------------------------------------------------------------------------------------------
// src/analysis/cv.ts (the module `hcarb cv` uses): sweep split, the peak of a sweep, rows, b.
describe('cv.ts: splitSweeps', () => {
  it('by reversal: the vertex opens the next sweep; a flat step does not reverse', () => {
    expect(splitSweeps(f64([0, 1, 2, 3, 2, 1, 0, 1, 2]))).toEqual([sw(1, 'anodic', 0, 3), sw(2, 'cathodic', 3, 6), sw(3, 'anodic', 6, 9)]);
    expect(splitSweeps(f64([0, 1, 1, 2, 1]))).toEqual([sw(1, 'anodic', 0, 3), sw(2, 'cathodic', 3, 5)]);
    expect(splitSweeps(f64([2, 1, 0]))).toEqual([sw(1, 'cathodic', 0, 3)]);
    expect(splitSweeps(f64([1, 1, 1]))).toEqual([sw(1, 'anodic', 0, 3)]);
    // A one-point sweep between two reversals is dropped, the numbers kept.
    expect(splitSweeps(f64([0, 1, 2, 1, 2, 3]))).toEqual([sw(1, 'anodic', 0, 2), sw(3, 'anodic', 3, 6)]);
    // Two points make a sweep.
    expect(splitSweeps(f64([0, 1, 2, 1, 0, 5]))).toEqual([sw(1, 'anodic', 0, 2), sw(2, 'cathodic', 2, 4), sw(3, 'anodic', 4, 6)]);
  });

  it("by the file's segments: one sweep per run of equal segment numbers, direction from its ends", () => {
    expect(splitSweeps(f64([0, 1, 2, 1, 0]), Int32Array.from([1, 1, 1, 2, 2]))).toEqual([sw(1, 'anodic', 0, 3), sw(2, 'cathodic', 3, 5)]);
    expect(splitSweeps(f64([0, 1, 1, 0.5]), Int32Array.from([1, 1, 2, 2]))).toEqual([sw(1, 'anodic', 0, 2), sw(2, 'cathodic', 2, 4)]);
    // Equal ends count as anodic; a one-point segment is kept.
    expect(splitSweeps(f64([1, 2, 1, 3]), Int32Array.from([4, 4, 4, 5]))).toEqual([sw(1, 'anodic', 0, 3), sw(2, 'anodic', 3, 4)]);
  });
});

describe('cv.ts: sweepPeak', () => {
  // 21 points (w = 3): a tent i = 10 − |k − c|.
  const e21 = f64(Array.from({ length: 21 }, (_, k) => k / 20));
  const tent = (c: number, sign = 1) => f64(Array.from({ length: 21 }, (_, k) => sign * (10 - Math.abs(k - c))));
  it('the largest local extremum in the sweep direction, away from the ends', () => {
    expect(sweepPeak(e21, tent(10), sw(1, 'anodic', 0, 21))).toEqual({ ep_v: 0.5, ip_a: 10, index: 10 });
    expect(sweepPeak(e21, tent(10, -1), sw(1, 'cathodic', 0, 21))).toEqual({ ep_v: 0.5, ip_a: -10, index: 10 });
    // A maximum of i on a cathodic sweep is no cathodic peak.
    expect(sweepPeak(e21, tent(10), sw(1, 'cathodic', 0, 21))).toEqual({ ep_v: null, ip_a: null, index: null });
    // The first and last points it can take: w = 3 from either end.
    expect(sweepPeak(e21, tent(3), sw(1, 'anodic', 0, 21)).index).toBe(3);
    expect(sweepPeak(e21, tent(17), sw(1, 'anodic', 0, 21)).index).toBe(17);
    expect(sweepPeak(e21, tent(2), sw(1, 'anodic', 0, 21)).index).toBeNull();
    expect(sweepPeak(e21, tent(18), sw(1, 'anodic', 0, 21)).index).toBeNull();
    // Still rising at the vertex: no peak.
    expect(sweepPeak(e21, f64(Array.from({ length: 21 }, (_, k) => k)), sw(1, 'anodic', 0, 21)).index).toBeNull();
    // Within a sub-range: a tent at 10 seen from points 5…20 (w = 3).
    expect(sweepPeak(e21, tent(10), sw(1, 'anodic', 5, 21)).index).toBe(10);
    expect(sweepPeak(e21, tent(10), sw(1, 'anodic', 8, 21)).index).toBeNull();
    expect(sweepPeak(e21, tent(10), sw(1, 'anodic', 0, 13)).index).toBeNull();
    expect(sweepPeak(e21, tent(10), sw(1, 'anodic', 0, 14)).index).toBe(10);
  });

  it('a plateau gives its first point; a higher point within w disqualifies; two peaks give the larger', () => {
    const plat = tent(10); plat[11] = 10;
    expect(sweepPeak(e21, plat, sw(1, 'anodic', 0, 21)).index).toBe(10);
    // Equal to the point w away on one side: not a peak there (strictly higher needed).
    const eq = f64(Array.from({ length: 21 }, (_, k) => (k >= 7 && k <= 10 ? 5 : k < 7 ? k - 2 : 0)));
    expect(sweepPeak(e21, eq, sw(1, 'anodic', 0, 21)).index).toBe(8); // 7 ties with 10, three away
    const two = f64(Array.from({ length: 21 }, (_, k) => Math.max(6 - Math.abs(k - 5), 8 - Math.abs(k - 14), 0)));
    expect(sweepPeak(e21, two, sw(1, 'anodic', 0, 21))).toEqual({ ep_v: 0.7, ip_a: 8, index: 14 });
    const bump = tent(10); bump[12] = 11; // the point at 12 is highest: the peak moves there
    expect(sweepPeak(e21, bump, sw(1, 'anodic', 0, 21)).index).toBe(12);
    // w grows with the sweep: 400 points → w = 4. A point 4 to the side that is higher rules out a local maximum.
    const e400 = f64(Array.from({ length: 400 }, (_, k) => k / 1000));
    const i400 = f64(Array.from({ length: 400 }, (_, k) => (k === 200 ? 5 : k === 204 ? 6 : k > 150 && k < 250 ? 1 : 0)));
    expect(sweepPeak(e400, i400, sw(1, 'anodic', 0, 400)).index).toBe(204);
    const j400 = f64(Array.from({ length: 400 }, (_, k) => (k === 200 ? 5 : k === 205 ? 6 : k > 150 && k < 250 ? 1 : 0)));
    // 205 is 5 away: both 200 and 205 are local maxima; the larger wins.
    expect(sweepPeak(e400, j400, sw(1, 'anodic', 0, 400)).index).toBe(205);
    // The same 400 points as the second half of an 800-point trace: w still 4 (from the sweep's length).
    const e800 = f64([...Array.from({ length: 400 }, () => 0), ...e400]), i800 = f64([...Array.from({ length: 400 }, () => 0), ...i400]);
    expect(sweepPeak(e800, i800, sw(1, 'anodic', 400, 800)).index).toBe(604);
    // A plateau of 9 points (5…13): every point ties with one w = 3 away on one side or the other: no peak.
    const wide = f64(Array.from({ length: 21 }, (_, k) => (k >= 5 && k <= 13 ? 5 : 0)));
    expect(sweepPeak(e21, wide, sw(1, 'anodic', 0, 21)).index).toBeNull();
    // 3000 points: w = 25 (not 30).
    const e3k = f64(Array.from({ length: 3000 }, (_, k) => k / 10000));
    const i3k = f64(Array.from({ length: 3000 }, (_, k) => (k === 1500 ? 5 : k === 1527 ? 6 : k > 1400 && k < 1600 ? 1 : 0)));
    expect(sweepPeak(e3k, i3k, sw(1, 'anodic', 0, 3000)).index).toBe(1527);
    const i3k2 = f64(Array.from({ length: 3000 }, (_, k) => (k === 1500 ? 5 : k === 1526 ? 6 : k > 1400 && k < 1600 ? 1 : 0)));
    expect(sweepPeak(e3k, i3k2, sw(1, 'anodic', 0, 3000)).index).toBe(1526);
    // 1000 points: w = 10; a spike 4 points from a higher one is shadowed either way.
  });
});

describe('cv.ts: analyseCv', () => {
  // Two cycles of 0 → 1 → 0 V in 20 steps; anodic tents at 0.6 V (10 mA), cathodic at 0.4 V (−8 mA);
  // in cycle 2 the cathodic tent is 3 mA (the cycle-1 one is irreversible: 3 < 0.5 · 8).
  const e: number[] = [], i: number[] = [];
  const tentAt = (E: number, c: number, h: number) => Math.max(0, h * (1 - Math.abs(E - c) / 0.5));
  for (let s = 0; s < 4; s++) for (let k = s ? 1 : 0; k <= 20; k++) {
    const up = s % 2 === 0, E = up ? k / 20 : 1 - k / 20;
    e.push(E);
    i.push(up ? tentAt(E, 0.6, 1e-2) : -tentAt(E, 0.4, s === 1 ? 8e-3 : 3e-3));
  }
  const E = f64(e), I = f64(i);

  it('rows with Ep, ip, ip per gram, ΔEp per cycle and the first-cycle irreversible flag', () => {
    const r = analyseCv(E, I, { segments: null, cathodicPositive: false, massMg: 2 }, 'x');
    expect(r.sweeps).toEqual([sw(1, 'anodic', 0, 20), sw(2, 'cathodic', 20, 40), sw(3, 'anodic', 40, 60), sw(4, 'cathodic', 60, 81)]);
    expect(r.rows.map((x) => [x.cycle, x.sweep, x.direction, x.ep_v, x.ip_a, x.delta_ep_v, x.e_start_v, x.e_end_v, x.points, x.flags])).toEqual([
      [1, 1, 'anodic', 0.6, 1e-2, 0.19999999999999996, 0, 0.95, 20, []],
      [1, 2, 'cathodic', 0.4, -8e-3, 0.19999999999999996, 1, 1 - 19 / 20, 20, ['first_cycle_irreversible']],
      [2, 3, 'anodic', 0.6, 1e-2, 0.19999999999999996, 0, 0.95, 20, []],
      [2, 4, 'cathodic', 0.4, -3e-3, 0.19999999999999996, 1, 0, 21, []],
    ]);
    expect(r.rows.map((x) => x.ip_a_g)).toEqual([1e-2 / 0.002, -8e-3 / 0.002, 1e-2 / 0.002, -3e-3 / 0.002]);
    expect(r.current).toBe(I);
  });

  it('cathodic-positive input is negated once; no mass, no per-gram current; a missing peak breaks ΔEp', () => {
    const r = analyseCv(E, I.map((x) => -x), { segments: null, cathodicPositive: true, massMg: null }, 'x');
    expect(r.rows.map((x) => x.ip_a)).toEqual([1e-2, -8e-3, 1e-2, -3e-3]);
    expect(r.rows.map((x) => x.ip_a_g)).toEqual([null, null, null, null]);
    expect(arr(r.current)).toEqual(arr(I));
    expect(analyseCv(E, I, { segments: null, cathodicPositive: false, massMg: 0 }, 'x').rows[0]!.ip_a_g).toBeNull();
    // Cathodic currents zero: no cathodic peak, flagged, and no ΔEp.
    const an = I.map((x) => Math.max(0, x));
    const r2 = analyseCv(E, an, { segments: null, cathodicPositive: false, massMg: null }, 'x');
    expect(r2.rows.map((x) => [x.ep_v, x.delta_ep_v, x.flags])).toEqual([[0.6, null, []], [null, null, ['no_peak']], [0.6, null, []], [null, null, ['no_peak']]]);
  });

  it('the irreversible flag: below half of the cycle-1 current at the same potential in cycle 2, not at half', () => {
    const at = (h2: number) => {
      const j = f64(i.map((x, k) => (k > 60 ? (x / 3e-3) * h2 : x)));
      return analyseCv(E, j, { segments: null, cathodicPositive: false, massMg: null }, 'x').rows[1]!.flags;
    };
    expect(at(4e-3)).toEqual([]);
    expect(at(3.9e-3)).toEqual(['first_cycle_irreversible']);
    // Only cycle 1 is checked (cycle 2's anodic peak has no cycle 3).
    const one = analyseCv(E.subarray(0, 41), I.subarray(0, 41), { segments: null, cathodicPositive: false, massMg: null }, 'x');
    expect(one.rows.map((x) => x.flags)).toEqual([[], []]);
  });

  it('ΔEp pairs the sweeps of each cycle; a cycle missing a peak or a sweep has none; only cycle 1 is checked for irreversibility', () => {
    // Three cycles; cycle 2 has its peaks 0.1 V further out (0.7 / 0.3 V), cycle 3 none on the cathodic side.
    const e3: number[] = [], i3: number[] = [];
    for (let s = 0; s < 6; s++) for (let k = s ? 1 : 0; k <= 20; k++) {
      const upS = s % 2 === 0, x = upS ? k / 20 : 1 - k / 20, cyc = (s >> 1) + 1;
      e3.push(x);
      i3.push(upS ? tentAt(x, cyc === 2 ? 0.7 : 0.6, 1e-2) : cyc === 3 ? 0 : -tentAt(x, cyc === 2 ? 0.3 : 0.4, 8e-3));
    }
    const r = analyseCv(f64(e3), f64(i3), { segments: null, cathodicPositive: false, massMg: 1 }, 'x');
    expect(r.rows.map((x) => [x.cycle, x.ep_v, x.delta_ep_v])).toEqual([
      [1, 0.6, 0.19999999999999996], [1, 0.4, 0.19999999999999996], [2, 0.7, 0.7 - 0.30000000000000004], [2, 0.30000000000000004, 0.7 - 0.30000000000000004], [3, 0.6, null], [3, null, null],
    ]);
    // No peak: no current per gram either.
    expect(r.rows[5]!.ip_a_g).toBeNull();
    // Cycle 2's cathodic peak is gone in cycle 3, but only cycle 1 is checked.
    // (Cycle 1's cathodic peak keeps 6.4 mA of 8 at 0.4 V in cycle 2: not flagged either.)
    expect(r.rows.map((x) => x.flags)).toEqual([[], [], [], [], [], ['no_peak']]);
    // A cycle with an anodic sweep only (5 sweeps) or a cathodic sweep only (a CV starting downwards, one sweep).
    expect(analyseCv(f64(e3.slice(0, 101)), f64(i3.slice(0, 101)), { segments: null, cathodicPositive: false, massMg: null }, 'x').rows.map((x) => x.delta_ep_v)).toEqual([0.19999999999999996, 0.19999999999999996, 0.7 - 0.30000000000000004, 0.7 - 0.30000000000000004, null]);
    const dn = f64(Array.from({ length: 21 }, (_, k) => 1 - k / 20));
    expect(analyseCv(dn, dn.map((x) => -tentAt(x, 0.4, 1e-3)), { segments: null, cathodicPositive: false, massMg: null }, 'x').rows.map((x) => [x.direction, x.ep_v, x.delta_ep_v])).toEqual([['cathodic', 0.4, null]]);
    // Anodic current zero in cycle 1: no ΔEp there.
    const noAn = analyseCv(f64(e3), f64(i3.map((x, k) => (k < 20 ? 0 : x))), { segments: null, cathodicPositive: false, massMg: null }, 'x');
    expect(noAn.rows.map((x) => x.delta_ep_v).slice(0, 2)).toEqual([null, null]);
  });

  it('the irreversible flag needs the next sweep to reach Ep', () => {
    // Cycle 1 cathodic 1 → 0 V with a tent at 0.2 V; cycle 2 only goes down to 0.5 V.
    const e4 = [...Array.from({ length: 21 }, (_, k) => k / 20), ...Array.from({ length: 20 }, (_, k) => 1 - (k + 1) / 20), ...Array.from({ length: 20 }, (_, k) => (k + 1) / 20), ...Array.from({ length: 10 }, (_, k) => 1 - (k + 1) / 20)];
    const i4 = e4.map((x, k) => (k <= 20 || (k > 40 && k <= 60) ? tentAt(x, 0.6, 1e-2) : -tentAt(x, 0.2, 8e-3)));
    const r = analyseCv(f64(e4), f64(i4), { segments: null, cathodicPositive: false, massMg: null }, 'x');
    expect(r.rows.map((x) => x.ep_v)).toEqual([0.6, 0.19999999999999996, 0.6, null]);
    expect(r.rows[1]!.flags).toEqual([]);
  });

  it('fewer than 10 points is an error', () => {
    expect(() => analyseCv(f64([0, 1, 2, 3, 4, 5, 4, 3, 2]), new Float64Array(9), { segments: null, cathodicPositive: false, massMg: null }, 'x.txt'))
      .toThrow(expect.objectContaining({ message: 'too few points for a CV (9); at least 10 are needed', file: 'x.txt' }));
    expect(analyseCv(f64([0, 1, 2, 3, 4, 5, 4, 3, 2, 1]), new Float64Array(10), { segments: null, cathodicPositive: false, massMg: null }, 'x.txt').rows).toHaveLength(2);
  });
});

describe('cv.ts: bValue', () => {
  it('b from i = a·v^b; standard error with 3+ rates; R² 1 when log|ip| does not vary', () => {
    const r = bValue([0.001, 0.01, 0.1], [0.001, 0.01, 0.1].map((v) => -2e-3 * v ** 0.5));
    expect(r.b).toBeCloseTo(0.5, 10);
    expect(r.b_se!).toBeCloseTo(0, 10);
    expect(r.r2).toBeCloseTo(1, 10);
    expect(r.points).toBe(3);
    expect(r.scan_rates_v_s).toEqual([0.001, 0.01, 0.1]);
    // log10 v = −3, −2, −1; log10|ip| = −5, −4.4, −4: b 0.5, SSE 1/150, Sxx 2, Syy 0.76/1.5.
    const s = bValue([0.001, 0.01, 0.1], [1e-5, 10 ** -4.4, 1e-4]);
    expect(s.b).toBeCloseTo(0.5, 10);
    expect(s.b_se!).toBeCloseTo(Math.sqrt(1 / 150 / 2), 10);
    expect(s.r2).toBeCloseTo(1 - (1 / 150) / (0.76 / 1.5), 10);
    // Four rates: log10 v = −3…0, log10|ip| = 0, 1, 1, 3: Sxx 5, Sxy 4.5 → b 0.9, c 2.6; residuals 0.1, 0.2, −0.7, 0.4
    // → SSE 0.7, se = √(0.7 / 2 / 5); Syy 4.75.
    const four = bValue([0.001, 0.01, 0.1, 1], [1, 10, 10, 1000]);
    expect(four.b).toBeCloseTo(0.9, 10);
    expect(four.b_se!).toBeCloseTo(Math.sqrt(0.07), 10);
    expect(four.r2).toBeCloseTo(1 - 0.7 / 4.75, 10);
    const two = bValue([0.01, 0.1], [1e-4, 1e-3]);
    expect(two.b).toBeCloseTo(1, 10);
    expect(two.b_se).toBeNull();
    const flat = bValue([0.01, 0.1, 1], [1e-4, -1e-4, 1e-4]);
    expect(flat.b).toBeCloseTo(0, 12);
    expect(flat.r2).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------
// cv/peaks: Gaussian peaks h·exp(−((E − c)/w)²) of known position and height on a straight line,
// 0 → 1 V at 1 mV a point (n = 1001: smoothing ±4 points, edge zone 10 points, local window ±30).
const gauss = (E: number, c: number, h: number, w: number) => h * Math.exp(-(((E - c) / w) ** 2));
const E1 = Float64Array.from({ length: 1001 }, (_, k) => k / 1000);
const up = sw(1, 'anodic', 0, 1001);
/** The same potentials run 1 → 0 V. */
const E1down = Float64Array.from(E1).reverse();
const down = sw(2, 'cathodic', 0, 1001);
const within = (x: number, want: number, tol: number) => expect(Math.abs(x - want)).toBeLessThanOrEqual(tol);

describe('cv/peaks: sweepGeometry', () => {
  it('median step, smoothing half-window (4 mV, at most n/50) and edge zone (1 %, at least 3 points and h + 1)', () => {
    expect(sweepGeometry(E1, up)).toEqual({ n: 1001, dE: expect.closeTo(0.001, 12), h: 4, m: 10 });
    const e10 = Float64Array.from({ length: 101 }, (_, k) => k / 100);
    expect(sweepGeometry(e10, sw(1, 'anodic', 0, 101))).toEqual({ n: 101, dE: expect.closeTo(0.01, 12), h: 0, m: 3 });
    // 0.5 mV steps, 200 points: 4 mV would be 8 points, n/50 = 4 caps it; m = h + 1 = 5.
    const e05 = Float64Array.from({ length: 200 }, (_, k) => k / 2000);
    expect(sweepGeometry(e05, sw(1, 'anodic', 0, 200))).toEqual({ n: 200, dE: expect.closeTo(0.0005, 12), h: 4, m: 5 });
    // A constant potential: the step falls back to 1 mV.
    expect(sweepGeometry(new Float64Array(300), sw(1, 'anodic', 0, 300))).toEqual({ n: 300, dE: 1e-3, h: 4, m: 5 });
    // Only the sweep's own points count: 2 mV steps after a 10 mV one.
    const mixed = f64([0, 0.01, 0.012, 0.014, 0.016, 0.018]);
    expect(sweepGeometry(mixed, sw(1, 'anodic', 1, 6)).dE).toBeCloseTo(0.002, 12);
    // The steps inside [start, end) only: 0.002 V, not the 0.01 V steps before start or the 0.1 V jump after end.
    expect(sweepGeometry(f64([0, 0.01, 0.02, 0.022, 0.024]), sw(1, 'anodic', 2, 5)).dE).toBeCloseTo(0.002, 12);
    expect(sweepGeometry(f64([0, 0.002, 0.1]), sw(1, 'anodic', 0, 2)).dE).toBeCloseTo(0.002, 12);
    // n is the sweep's own length: the second half of E1 has 501 points (m = max(3, 5, 5)).
    expect(sweepGeometry(E1, sw(1, 'anodic', 500, 1001))).toMatchObject({ n: 501, h: 4, m: 5 });
  });
});

describe('cv/peaks: findSweepPeaks on a Gaussian over a sloping line', () => {
  const H = 1e-5, W = 0.04, C = 0.5, b0 = 2e-6, b1 = 4e-6, v = 0.01;
  const iUp = E1.map((E) => b0 + b1 * E + gauss(E, C, H, W));
  // Prominence: the peak top minus the lowest point after it (the line keeps rising, so the
  // right minimum is higher than the left one at 0 V): minimise the formula on a fine grid.
  let rightMin = Infinity;
  for (let E = C; E <= 1; E += 1e-6) rightMin = Math.min(rightMin, b0 + b1 * E + gauss(E, C, H, W));
  const prom = b0 + b1 * C + H - rightMin;
  const fwhm = 2 * W * Math.sqrt(Math.LN2), charge = (H * W * Math.sqrt(Math.PI)) / v;

  it('anodic: Ep, ip from the baseline, ip_raw, baseline line and window, FWHM, charge, prominence', () => {
    const r = findSweepPeaks(E1, iUp, up, { scanRateVS: v, cycle: 3 });
    expect(r.no_peak).toBeNull();
    expect(r.peaks).toHaveLength(1);
    const p = r.peaks[0]!;
    expect(p).toMatchObject({ cycle: 3, sweep: 1, direction: 'anodic', rank: 1, flags: [] });
    within(p.ep_v, C, 5e-4);
    within(p.ip_a / H, 1, 0.005);
    expect(p.ip_raw_a).toBeCloseTo(b0 + b1 * C + H, 15); // the raw current at the grid point of Ep (0.500 V)
    within(p.baseline_slope_a_per_v / b1, 1, 0.05);
    within(p.baseline_at_ep_a / (b0 + b1 * C), 1, 0.01);
    // The foot 3 left half-widths (w·√ln2 each) before Ep, the window 2 half-widths before it.
    const hw = W * Math.sqrt(Math.LN2);
    within(p.baseline_to_v, C - 3 * hw, 0.003);
    within(p.baseline_from_v, C - 5 * hw, 0.004);
    expect(p.baseline).toBe(`linear, fitted to ${p.baseline_from_v.toFixed(3)}…${p.baseline_to_v.toFixed(3)} V before the foot and extrapolated under the peak`);
    within(p.half_width_v!, fwhm, 3e-4);
    within(p.charge_c! / charge, 1, 0.01);
    within(p.prominence_a / prom, 1, 1e-3);
    // Noise-free: σ ≈ 0, and the threshold is 5 σ.
    expect(r.noise_a).toBeLessThan(1e-15);
    expect(r.threshold_a).toBeCloseTo(5 * r.noise_a, 30);
  });

  it('cathodic (1 → 0 V, current negative): the mirror image with anodic-positive signs', () => {
    const i = E1down.map((E) => -(b0 + b1 * E + gauss(E, C, H, W)));
    const r = findSweepPeaks(E1down, i, down, { scanRateVS: v, cycle: 1 });
    const p = r.peaks[0]!;
    expect(p).toMatchObject({ sweep: 2, direction: 'cathodic', rank: 1, flags: [] });
    within(p.ep_v, C, 5e-4);
    within(p.ip_a / -H, 1, 0.005);
    expect(p.ip_raw_a).toBeCloseTo(-(b0 + b1 * C + H), 15);
    // i = −(b0 + b1·E) under the peak: slope −b1 in A/V, value −(b0 + b1·C) at Ep; the window lies above Ep.
    within(p.baseline_slope_a_per_v / -b1, 1, 0.05);
    within(p.baseline_at_ep_a / -(b0 + b1 * C), 1, 0.01);
    const hw = W * Math.sqrt(Math.LN2);
    within(p.baseline_to_v, C + 3 * hw, 0.004);
    within(p.baseline_from_v, C + 5 * hw, 0.005);
    within(p.half_width_v!, fwhm, 3e-4);
    within(p.charge_c! / -charge, 1, 0.01);
  });

  it('every peak, ranked by corrected |ip|; no charge without a scan rate', () => {
    const i = E1.map((E) => 1e-6 + gauss(E, 0.3, 1e-5, 0.04) + gauss(E, 0.7, 2e-5, 0.04));
    const r = findSweepPeaks(E1, i, up, { scanRateVS: null, cycle: 1 });
    expect(r.peaks.map((p) => [p.rank, Math.round(p.ep_v * 1000)])).toEqual([[1, 700], [2, 300]]);
    within(r.peaks[0]!.ip_a / 2e-5, 1, 0.005);
    within(r.peaks[1]!.ip_a / 1e-5, 1, 0.005);
    // On a flat line the prominence is the height.
    within(r.peaks[0]!.prominence_a / 2e-5, 1, 1e-4);
    within(r.peaks[1]!.prominence_a / 1e-5, 1, 1e-4);
    expect(r.peaks.map((p) => p.charge_c)).toEqual([null, null]);
    expect(findSweepPeaks(E1, i, up, { scanRateVS: 0, cycle: 1 }).peaks.map((p) => p.charge_c)).toEqual([null, null]);
  });

  it('a peak close to the sweep start: shortened baseline, flagged, still right on a straight line', () => {
    const i = E1.map((E) => 1e-6 + 2e-6 * E + gauss(E, 0.08, 1e-5, 0.02));
    const p = findSweepPeaks(E1, i, up, { scanRateVS: v, cycle: 1 }).peaks[0]!;
    within(p.ep_v, 0.08, 5e-4);
    within(p.ip_a / 1e-5, 1, 0.01);
    expect(p.flags).toEqual(['short_baseline']);
    // The window may not enter the first 1 % (10 points = 10 mV) of the sweep.
    expect(p.baseline_from_v).toBe(0.01);
    expect(p.baseline).toBe(`linear, fitted to 0.010…${p.baseline_to_v.toFixed(3)} V before the foot and extrapolated under the peak (shortened: the peak is close to the sweep start)`);
  });

  it('a peak on the falling tail of a larger one: baseline through its lowest contour either side', () => {
    // 10 µA at 0.4 V (w 40 mV) and 3 µA at 0.5 V (w 20 mV): the line from before the small peak's foot lies on the
    // big peak's flank, so the fall-back chord between the contour points either side is used.
    const i = E1.map((E) => 1e-6 + gauss(E, 0.4, 1e-5, 0.04) + gauss(E, 0.5, 3e-6, 0.02));
    const r = findSweepPeaks(E1, i, up, { scanRateVS: v, cycle: 1 });
    expect(r.peaks.map((p) => Math.round(p.ep_v * 100))).toEqual([40, 50]);
    expect(r.peaks[0]!.flags).toEqual([]);
    const p = r.peaks[1]!;
    expect(p.flags).toEqual(['valley_baseline']);
    within(p.ep_v, 0.5, 3e-3);
    // The chord cuts off the foot of the small peak: less than its 3 µA, more than half of it.
    expect(p.ip_a).toBeGreaterThan(1.5e-6);
    expect(p.ip_a).toBeLessThan(3e-6);
    expect(p.baseline_from_v).toBeLessThan(0.5);
    expect(p.baseline_to_v).toBeGreaterThan(0.5);
    expect(p.baseline).toBe(`line through the peak's lowest contour either side (${p.baseline_from_v.toFixed(3)} and ${p.baseline_to_v.toFixed(3)} V): the line extrapolated from before the foot leaves no maximum inside the peak`);
    // The chord joins the (smoothed) current at its two ends: within 3 % of the raw chord's slope.
    const at = (x: number) => 1e-6 + gauss(x, 0.4, 1e-5, 0.04) + gauss(x, 0.5, 3e-6, 0.02);
    within(p.baseline_slope_a_per_v / ((at(p.baseline_to_v) - at(p.baseline_from_v)) / (p.baseline_to_v - p.baseline_from_v)), 1, 0.03);
    within(p.ip_raw_a - p.ip_a, p.baseline_at_ep_a, 1e-8);
  });

  it('a minimum prominence rejects the peak; the threshold is reported', () => {
    const r = findSweepPeaks(E1, iUp, up, { scanRateVS: v, cycle: 1, minProminenceA: 2 * H });
    expect(r.peaks).toEqual([]);
    expect(r.threshold_a).toBe(2 * H);
    // The whole sweep varies by less than 10 × threshold / 5: "within the noise".
    expect(r.no_peak).toMatch(/^noise: the current varies by 1\.20e-5 A over the sweep, within the noise \(σ ≈ \d\.\d\de-\d\d A\)$/);
    // Just under the prominence: kept.
    expect(findSweepPeaks(E1, iUp, up, { scanRateVS: v, cycle: 1, minProminenceA: 0.99 * prom }).peaks).toHaveLength(1);
    expect(findSweepPeaks(E1, iUp, up, { scanRateVS: v, cycle: 1, minProminenceA: 1.01 * prom }).peaks).toHaveLength(0);
  });

  it('no_peak reasons: too few points, edge, wrong sign, monotonic, a small bump on a large swing', () => {
    const six = findSweepPeaks(E1, iUp, sw(1, 'anodic', 0, 6), { scanRateVS: v, cycle: 1 });
    expect(six).toMatchObject({ peaks: [], no_peak: 'too few points (6) in the sweep' });
    expect(findSweepPeaks(E1, E1.map((E) => Math.sin(40 * E) * 1e-6), sw(1, 'anodic', 0, 7), { scanRateVS: v, cycle: 1 }).no_peak).not.toBe('too few points (7) in the sweep');
    // A peak at 5 mV, inside the first 10 points.
    expect(findSweepPeaks(E1, E1.map((E) => 1e-6 + gauss(E, 0.005, 1e-5, 0.04)), up, { scanRateVS: v, cycle: 1 }).no_peak)
      .toBe("edge: the largest current is at the sweep's start or end (a current still rising at a vertex is not a peak)");
    // A peak in the last 10 points (0.995 V) is at the edge too.
    expect(findSweepPeaks(E1, E1.map((E) => 1e-6 + gauss(E, 0.995, 1e-5, 0.04)), up, { scanRateVS: v, cycle: 1 }).no_peak)
      .toBe("edge: the largest current is at the sweep's start or end (a current still rising at a vertex is not a peak)");
    // Two rejected maxima: the larger one's reason is given (a 4 µA edge peak at 0.992 V over a 1 µA wrong-sign bump met first).
    expect(findSweepPeaks(E1, E1.map((E) => -5e-6 + gauss(E, 0.3, 1e-6, 0.04) + gauss(E, 0.992, 4e-6, 0.005)), up, { scanRateVS: v, cycle: 1 }).no_peak)
      .toMatch(/^edge: /);
    // Negative current with an upward bump on a positive-going sweep, and its mirror.
    expect(findSweepPeaks(E1, E1.map((E) => -5e-6 + gauss(E, 0.5, 1e-6, 0.04)), up, { scanRateVS: v, cycle: 1 }).no_peak)
      .toBe('wrong_sign: the only local maximum of the anodic current has cathodic (negative) current, so it is not an anodic peak');
    expect(findSweepPeaks(E1down, E1down.map((E) => 5e-6 - gauss(E, 0.5, 1e-6, 0.04)), down, { scanRateVS: v, cycle: 1 }).no_peak)
      .toBe('wrong_sign: the only local maximum of the cathodic current has anodic (positive) current, so it is not an cathodic peak');
    expect(findSweepPeaks(E1, E1.map((E) => 1e-6 * Math.exp(5 * E)), up, { scanRateVS: v, cycle: 1 }).no_peak)
      .toBe('monotonic: the current changes steadily over the sweep without a maximum');
    expect(findSweepPeaks(E1down, E1down.map((E) => -1e-6 * Math.exp(5 * (1 - E))), down, { scanRateVS: v, cycle: 1 }).no_peak)
      .toBe('monotonic: the current changes steadily over the sweep without a maximum');
    // A U-shaped current (range 1e-4 A) with a 2 µA bump (a local maximum: the U is flat enough at 0.45 V), against a
    // 10 µA threshold: the bump is below the threshold, so it is not the reason given.
    const u = findSweepPeaks(E1, E1.map((E) => 4e-4 * (E - 0.5) ** 2 + gauss(E, 0.45, 2e-6, 0.02)), up, { scanRateVS: v, cycle: 1, minProminenceA: 1e-5 });
    expect(u.no_peak).toBe('noise: no local maximum stands out of the noise (prominence ≤ 1.00e-5 A)');
  });

  it('local noise: a peak must stand 10 σ above the noise within ±3 % of the sweep around it', () => {
    // Noise a·sin(2.7k) only within ±30 mV of the peak: its second differences are a·sin(2.7k)·(2cos 2.7 − 2), whose
    // MAD is about 0.707 · 3.81 a, so σ ≈ 1.63 a there and ≈ 0 elsewhere.
    const a = 1e-7;
    const noisy = (h: number) => E1.map((E, k) => gauss(E, 0.5, h, 0.04) + (Math.abs(E - 0.5) < 0.03 ? a * Math.sin(2.7 * k) : 0));
    const small = findSweepPeaks(E1, noisy(10 * a), up, { scanRateVS: v, cycle: 1 });
    expect(small.peaks).toEqual([]);
    expect(small.no_peak).toBe('noise: no local maximum stands out of the noise around it (10 σ of the current nearby)');
    const big = findSweepPeaks(E1, noisy(30 * a), up, { scanRateVS: v, cycle: 1 });
    expect(big.peaks.map((p) => Math.round(p.ep_v * 100))).toEqual([50]);
    // A sweep shorter than 8 windows of ±15 points (here 100 points at 10 mV) has no local test: a 1 µA peak whose
    // neighbourhood carries 0.1 µA of noise (10 σ ≈ 1.6 µA) stays.
    const e100 = Float64Array.from({ length: 100 }, (_, k) => k / 100);
    const h = findSweepPeaks(e100, e100.map((E, k) => gauss(E, 0.5, 1e-6, 0.1) + (Math.abs(E - 0.5) < 0.1 ? a * Math.sin(2.7 * k) : 0)), sw(1, 'anodic', 0, 100), { scanRateVS: v, cycle: 1 });
    expect(h.peaks[0]!.ip_a).toBeGreaterThan(8e-7);
    within(h.peaks[0]!.ep_v, 0.5, 0.03);
    // A sweep shorter than 8 windows (here 200 points at 5 mV, W = 15) has no local test: the small peak stays.
    const e5 = Float64Array.from({ length: 200 }, (_, k) => k / 200);
    const short = findSweepPeaks(e5, e5.map((E, k) => gauss(E, 0.5, 10 * a, 0.04) + (Math.abs(E - 0.5) < 0.03 ? a * Math.sin(2.7 * k) : 0)), sw(1, 'anodic', 0, 200), { scanRateVS: v, cycle: 1 });
    expect(short.peaks.length).toBeGreaterThan(0);
  });
});

describe('cv/peaks: lsvSummary', () => {
  // i = b0 + b1·E + L / (1 + exp(−(E − 0.6)/0.02)): the line is the background, the sigmoid the wave.
  const L = 1e-4, b0 = 1e-6, b1 = 2e-6;
  const sig = (E: number) => L / (1 + Math.exp(-(E - 0.6) / 0.02));
  const crit = 'current (in the sweep direction) above a line fitted to the first 10 % of the sweep exceeds 10 % of its final value and stays there';
  // Onset: the sigmoid reaches 10 % of L where (E − 0.6)/0.02 = −ln 9.
  const onset = 0.6 - 0.02 * Math.log(9);
  // Limiting current: the mean over the last 100 points (0.901 … 1 V).
  let tailMean = 0;
  for (let k = 901; k <= 1000; k++) tailMean += (b0 + b1 * (k / 1000) + sig(k / 1000)) / 100;

  it('anodic wave: onset, limiting and final current', () => {
    const r = lsvSummary(E1, E1.map((E) => b0 + b1 * E + sig(E)), up);
    expect(r.direction).toBe('anodic');
    expect(r.criterion).toBe(crit);
    within(r.onset_v!, onset, 5e-4);
    expect(r.onset_reason).toBeNull();
    expect(r.final_current_a).toBeCloseTo(b0 + b1 + sig(1), 15);
    within(r.limiting_current_a! / tailMean, 1, 1e-6);
  });

  it('cathodic wave (1 → 0 V): signs follow the current', () => {
    const r = lsvSummary(E1down, E1down.map((E) => -(b0 + b1 * E + sig(1 - E))), down);
    expect(r.direction).toBe('cathodic');
    within(r.onset_v!, 1 - onset, 5e-4);
    expect(r.final_current_a).toBeCloseTo(-(b0 + sig(1)), 15);
    let m = 0;
    for (let k = 901; k <= 1000; k++) { const E = 1 - k / 1000; m -= (b0 + b1 * E + sig(1 - E)) / 100; }
    within(r.limiting_current_a! / m, 1, 1e-6);
  });

  it('a wave still rising at the end has an onset but no limiting current; a flat one has neither', () => {
    const r = lsvSummary(E1, E1.map((E) => 1e-6 + 1e-4 * Math.max(0, E - 0.5) ** 2), up);
    // The corrected current is 1e-4·(E − 0.5)² (the first 10 % is flat), final 2.5e-5: 10 % at E − 0.5 = √0.025.
    within(r.onset_v!, 0.5 + Math.sqrt(0.025), 5e-4);
    expect(r.limiting_current_a).toBeNull();
    const flat = lsvSummary(E1, E1.map((E) => 1e-6 + 1e-6 * E), up);
    expect(flat).toEqual({ direction: 'anodic', criterion: crit, final_current_a: expect.closeTo(2e-6, 15), onset_v: null, onset_reason: 'no faradaic rise in the sweep direction (anodic) above the starting background', limiting_current_a: null });
    // A wave in the other direction (current falling on an anodic sweep) is no rise.
    const wrong = lsvSummary(E1, E1.map((E) => b0 - sig(E)), up);
    expect(wrong.onset_v).toBeNull();
    expect(wrong.limiting_current_a).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// cv/index: analyseCvFile on ChiFile objects built here (no reader, no text).
type Param = [string, number | string];
function chiFile(o: { kind?: ChiFile['kind']; technique?: string; e: Float64Array; i?: Float64Array | null; i2?: Float64Array; params?: Param[]; results?: ChiResult[]; segments?: Int32Array | null; model?: string | null }): ChiFile {
  const columns: ChiFile['columns'] = [{ header: 'Potential/V', canonical: 'potentialV', unit: 'V' }];
  const data = [o.e];
  if (o.i) { columns.push({ header: o.i2 ? 'i1/A' : 'Current/A', canonical: 'currentA', unit: 'A' }); data.push(o.i); }
  if (o.i2) { columns.push({ header: 'i2/A', canonical: 'current2A', unit: 'A' }); data.push(o.i2); }
  return {
    source: 'hand.txt', technique: o.technique ?? 'Cyclic Voltammetry', kind: o.kind ?? 'cv', date: null, dateText: null, model: o.model === undefined ? 'CHI660E' : o.model, memo: {},
    parameters: (o.params ?? []).map(([key, value], k) => ({ key, unit: '', value, line: 3 + k })), flags: [], results: o.results ?? [], columns, phantomColumns: [], data,
    lines: new Uint32Array(o.e.length), segments: o.segments ?? null, headerLine: 12, encoding: 'utf-8', notes: ['a reader note'],
  };
}

describe('cv/index: analyseCvFile', () => {
  // Two cycles 0 → 1 → 0 V at 1 mV a point. Capacitive current ±2 µA following the sweep (anodic-positive
  // loop); anodic Gaussian at 0.5 V (10 µA, w 40 mV), cathodic at 0.45 V (−8 µA); cycle 1's cathodic sweep
  // also has an SEI peak at 0.2 V (−6 µA, w 30 mV) that cycle 2 lacks.
  const e: number[] = [], i: number[] = [];
  for (let s = 0; s < 4; s++) for (let k = s ? 1 : 0; k <= 1000; k++) {
    const anodic = s % 2 === 0, E = anodic ? k / 1000 : 1 - k / 1000;
    e.push(E);
    i.push(anodic ? 2e-6 + gauss(E, 0.5, 1e-5, 0.04) : -2e-6 - gauss(E, 0.45, 8e-6, 0.04) - (s === 1 ? gauss(E, 0.2, 6e-6, 0.03) : 0));
  }
  const E = f64(e), I = f64(i);
  const params: Param[] = [['Scan Rate', 0.01], ['Init P/N', 'p'], ['Segment', 4]];
  const cv = chiFile({ e: E, i: I, params });

  it('sweeps, every peak, ΔEp per cycle, the SEI peak, sign from the loop, per-gram currents and assumptions', () => {
    const r = analyseCvFile(cv, { massMg: 4 });
    expect(r).toMatchObject({ file: 'hand.txt', technique: 'Cyclic Voltammetry', kind: 'cv', scan_rate_v_s: 0.01, channel: 1, lsv: null, warnings: [], notes: ['a reader note'] });
    expect(r.sign).toMatchObject({ current_sign: 'anodic-positive', current_sign_source: 'loop orientation', results_sign: null, results_peaks: 0 });
    expect(r.sweeps.map((s) => [s.cycle, s.sweep, s.direction, s.e_start_v, s.e_end_v, s.points, s.peaks, s.no_peak, s.flags])).toEqual([
      [1, 1, 'anodic', 0, 0.999, 1000, 1, null, []],
      [1, 2, 'cathodic', 1, 1 - 999 / 1000, 1000, 2, null, ['sei']],
      [2, 3, 'anodic', 0, 0.999, 1000, 1, null, []],
      [2, 4, 'cathodic', 1, 0, 1001, 1, null, []],
    ]);
    const main = r.sweeps.map((s) => s.main_ep_v!);
    [0.5, 0.45, 0.5, 0.45].forEach((x, k) => within(main[k]!, x, 1e-3));
    within(r.sweeps[0]!.main_ip_a! / 1e-5, 1, 0.01);
    within(r.sweeps[1]!.main_ip_a! / -8e-6, 1, 0.02);
    expect(r.sweeps.map((s) => s.delta_ep_v)).toEqual([main[0]! - main[1]!, main[0]! - main[1]!, main[2]! - main[3]!, main[2]! - main[3]!]);
    expect(r.peaks.map((p) => [p.sweep, p.rank, Math.round(p.ep_v * 100)])).toEqual([[1, 1, 50], [2, 1, 45], [2, 2, 20], [3, 1, 50], [4, 1, 45]]);
    // ip per gram: ip / 4 mg.
    for (const p of r.peaks) expect(p.ip_a_g).toBeCloseTo(p.ip_a / 0.004, 15);
    // The SEI peak of cycle 1 (0.2 V): flagged, the only one.
    expect(r.sei).toHaveLength(1);
    expect(r.sei[0]).toMatchObject({ cycle: 1, sweep: 2, later_sweeps_checked: [4] });
    within(r.sei[0]!.ep_v, 0.2, 1e-3);
    within(r.sei[0]!.ip_a / -6e-6, 1, 0.03);
    expect(r.peaks.filter((p) => p.flags.includes('sei')).map((p) => p.sweep)).toEqual([2]);
    expect(r.sweeps.map((s) => s.noise_a < 1e-12)).toEqual([true, true, true, true]);
    expect(r.assumptions).toMatchObject({
      current_sign: 'anodic-positive', current_sign_source: 'loop orientation', output_current: 'anodic-positive (oxidation / desodiation > 0)', channel: 1,
      sweep_split: 'where the potential reverses', cycle: 'two consecutive sweeps from the first in the data', scan_rate_v_s: 0.01, mass_mg: 4, technique: 'Cyclic Voltammetry', model: 'CHI660E',
      ...PEAK_ASSUMPTIONS,
    });
    expect(r.assumptions.current_sign_detail).toBe(`anodic-positive from loop orientation; no usable Results peaks; loop ∮ i dE / ∫|i||dE| = ${r.sign.loop_ratio!.toFixed(3)} as read`);
    expect(r.assumptions).not.toHaveProperty('onset');
    expect(r.trace.e).toBe(E);
    expect(arr(r.trace.i)).toEqual(arr(I));
    expect(r.trace.i).not.toBe(I);
    expect(r.trace.sweeps.map((s) => [s.start, s.end])).toEqual([[0, 1000], [1000, 2000], [2000, 3000], [3000, 4001]]);
  });

  it('a cathodic-positive file: negated once, the same peaks; Results decide before the loop', () => {
    const flipped = chiFile({ e: E, i: I.map((x) => -x), params, results: [{ channel: null, segment: 1, block: null, name: 'ip', value: -1e-5, unit: 'A', line: 9 }] });
    const a = analyseCvFile(cv), c = analyseCvFile(flipped);
    expect(c.sign).toMatchObject({ current_sign: 'cathodic-positive', current_sign_source: 'results', results_sign: 'cathodic-positive', results_peaks: 1 });
    expect(c.peaks).toEqual(a.peaks);
    expect(arr(c.trace.i)).toEqual(arr(I));
    expect(c.warnings).toEqual([]);
    expect(c.assumptions.current_sign_detail).toBe(`cathodic-positive from results; Results block (1 peak(s)) implies cathodic-positive; loop ∮ i dE / ∫|i||dE| = ${c.sign.loop_ratio!.toFixed(3)} as read`);
    // No mass: no per-gram current.
    expect(a.peaks.every((p) => p.ip_a_g === null)).toBe(true);
    expect(a.assumptions.mass_mg).toBeNull();
    // The explicit option wins.
    expect(analyseCvFile(flipped, { currentSign: 'anodic-positive' }).sign.current_sign_source).toBe('option');
    // Init P/N is read case-blind: with 'n' the same Results entry (segment 1 now negative-going) implies anodic-positive.
    const n = chiFile({ e: E, i: I, params: [['Scan Rate', 0.01], ['Init P/N', 'n']], results: [{ channel: null, segment: 1, block: null, name: 'ip', value: -1e-5, unit: 'A', line: 9 }] });
    expect(analyseCvFile(n).sign).toMatchObject({ current_sign: 'anodic-positive', current_sign_source: 'results' });
  });

  it('the SEI search needs a later cycle (a note); a partial export is warned about; segments split the sweeps', () => {
    const one = chiFile({ e: E.subarray(0, 2001), i: I.subarray(0, 2001), params });
    const r = analyseCvFile(one);
    expect(r.sei).toEqual([]);
    expect(r.notes).toEqual(['a reader note', 'SEI peak not assessed: no later cycle to compare cycle 1 with']);
    expect(r.warnings).toEqual(['the header says Segment = 4 but the data hold 2 sweep(s) (a partial export); cycles are numbered from the first sweep in the data']);
    expect(r.sweeps.flatMap((s) => s.flags)).toEqual([]);
    const seg = new Int32Array(E.length);
    for (let k = 0; k < E.length; k++) seg[k] = k < 1001 ? 1 : k < 2001 ? 2 : k < 3001 ? 3 : 4;
    const s = analyseCvFile(chiFile({ e: E, i: I, params, segments: seg }));
    expect(s.assumptions.sweep_split).toBe("the file's Segment N: blocks");
    expect(s.trace.sweeps.map((x) => [x.start, x.end])).toEqual([[0, 1001], [1001, 2001], [2001, 3001], [3001, 4001]]);
    expect(s.warnings).toEqual([]);
    expect(s.sei).toHaveLength(1);
  });

  it('channels: i2/A on request, notes either way, errors when absent or not 1/2', () => {
    const two = chiFile({ e: E, i: I, i2: I.map((x) => 2 * x), params });
    const c1 = analyseCvFile(two), c2 = analyseCvFile(two, { channel: 2 });
    expect(c1.channel).toBe(1);
    expect(c1.notes).toEqual(['a reader note', 'the file also holds a second working electrode (i2/A): channel 2 analyses it']);
    expect(c2.channel).toBe(2);
    expect(c2.assumptions.channel).toBe(2);
    expect(c2.notes).toEqual(['a reader note', 'channel 2 (i2/A) analysed; the file also holds channel 1 (i1/A)']);
    expect(arr(c2.trace.i)).toEqual(arr(I.map((x) => 2 * x)));
    within(c2.peaks[0]!.ip_a / 2e-5, 1, 0.01);
    // Channel 2 reads the 'Current 2' Results block only.
    const res = (block: string | null, value: number): ChiResult => ({ channel: null, segment: 1, block, name: 'ip', value, unit: 'A', line: 9 });
    const withRes = chiFile({ e: E, i: I, i2: I, params, results: [res(null, 1e-5), res('Current 2', -1e-5)] });
    expect(analyseCvFile(withRes, { channel: 2 }).sign.current_sign).toBe('cathodic-positive');
    expect(analyseCvFile(withRes).sign.current_sign).toBe('anodic-positive');
    expect(analyseCvFile(withRes).sign.current_sign_source).toBe('results');
    expect(() => analyseCvFile(cv, { channel: 2 })).toThrow('channel 2 asked for, but the file has no i2/A column (found Potential/V, Current/A)');
    expect(() => analyseCvFile(cv, { channel: 3 as 1 })).toThrow('channel must be 1 or 2, not 3');
    expect(() => analyseCvFile(chiFile({ e: E, i: null }))).toThrow('no Potential/V and Current/A (or i1/A) columns (found Potential/V)');
    const noI = chiFile({ e: E, i: null });
    noI.columns.push({ header: 'Charge/C', canonical: 'chargeC', unit: 'C' });
    noI.data.push(new Float64Array(E.length));
    expect(() => analyseCvFile(noI)).toThrow('no Potential/V and Current/A (or i1/A) columns (found Potential/V, Charge/C)');
  });

  it('errors carry the file (and header line)', () => {
    const ctxOf = (fn: () => unknown) => { try { fn(); } catch (err) { return { file: (err as { file?: string }).file, line: (err as { line?: number }).line }; } return null; };
    expect(ctxOf(() => analyseCvFile(chiFile({ kind: 'eis', technique: 'A.C. Impedance', e: E, i: I })))).toEqual({ file: 'hand.txt', line: 2 });
    expect(ctxOf(() => analyseCvFile(chiFile({ e: E, i: null })))).toEqual({ file: 'hand.txt', line: 12 });
    expect(ctxOf(() => analyseCvFile(cv, { channel: 2 }))).toEqual({ file: 'hand.txt', line: 12 });
    expect(ctxOf(() => analyseCvFile(chiFile({ e: E.subarray(0, 9), i: I.subarray(0, 9) })))).toEqual({ file: 'hand.txt', line: undefined });
  });

  it('non-CV files: one sweep whatever the potential does, its direction from the ends; Results without a segment', () => {
    // An LSV whose potential wobbles back once at 0.5 V is still one sweep (a CV would split there).
    const wob = f64(Array.from({ length: 200 }, (_, k) => (k === 100 ? 0.49 : k / 200)));
    const w = analyseCvFile(chiFile({ kind: 'lsv', technique: 'LSV', e: wob, i: wob.map(() => 1e-6) }));
    expect(w.trace.sweeps).toEqual([sw(1, 'anodic', 0, 200)]);
    expect(w.sweeps.map((s) => s.cycle)).toEqual([1]);
    // Equal ends: anodic; falling: cathodic.
    const same = f64(Array.from({ length: 20 }, (_, k) => (k < 10 ? k / 100 : (19 - k) / 100)));
    expect(analyseCvFile(chiFile({ kind: 'lsv', technique: 'LSV', e: same, i: same.map(() => 1e-6) })).trace.sweeps[0]!.direction).toBe('anodic');
    const fall = Float64Array.from(E1).reverse();
    expect(analyseCvFile(chiFile({ kind: 'lsv', technique: 'LSV', e: fall, i: fall.map(() => -1e-6) })).trace.sweeps[0]!.direction).toBe('cathodic');
    // A rising LSV with no Init/Final E: a positive ip is anodic-positive; with Init E but no Final E the same.
    const res: ChiResult = { channel: null, segment: null, block: null, name: 'ip', value: 1e-5, unit: 'A', line: 9 };
    const rise = (p: Param[]) => analyseCvFile(chiFile({ kind: 'lsv', technique: 'LSV', e: E1, i: E1.map(() => 1e-6), params: p, results: [res] })).sign;
    expect(rise([])).toMatchObject({ current_sign: 'anodic-positive', current_sign_source: 'results', results_peaks: 1 });
    expect(rise([['Init E', 0]])).toMatchObject({ current_sign: 'anodic-positive', current_sign_source: 'results', results_peaks: 1 });
    // In a CV a Results entry without a segment is not counted, whatever Init/Final E say.
    const cvRes = analyseCvFile(chiFile({ e: E, i: I, params: [...params, ['Init E', 0], ['Final E', 1]], results: [{ ...res, value: -1e-5 }] }));
    expect(cvRes.sign).toMatchObject({ current_sign_source: 'loop orientation', results_peaks: 0 });
    // Segment = 2 in an LSV header is no partial-export warning; sign warnings are passed on.
    const l = analyseCvFile(chiFile({ kind: 'lsv', technique: 'LSV', e: E1, i: E1.map(() => 1e-6), params: [['Segment', 2]] }));
    expect(l.warnings).toEqual(['the current sign cannot be told from this file (no Results peaks, no closed loop); currents read as anodic-positive (IUPAC): check, or give the sign explicitly']);
    // A Scan Rate given as text is no scan rate.
    expect(analyseCvFile(chiFile({ e: E, i: I, params: [['Scan Rate', '0.1']] })).scan_rate_v_s).toBeNull();
  });

  it("ΔEp per cycle from each cycle's own main peaks; a sweep without a peak is flagged", () => {
    // Cycle 2's peaks 50 mV further apart (0.55 / 0.40 V); then the cathodic current of cycle 2 removed.
    const j = f64(e.map((x, k) => {
      if (k < 2001) return i[k]!;
      const anodic = k <= 3000;
      return anodic ? 2e-6 + gauss(x, 0.55, 1e-5, 0.04) : -2e-6 - gauss(x, 0.4, 8e-6, 0.04);
    }));
    const r = analyseCvFile(chiFile({ e: E, i: j, params }));
    const m = r.sweeps.map((s) => s.main_ep_v!);
    within(m[2]!, 0.55, 1e-3);
    within(m[3]!, 0.4, 1e-3);
    expect(r.sweeps.map((s) => s.delta_ep_v)).toEqual([m[0]! - m[1]!, m[0]! - m[1]!, m[2]! - m[3]!, m[2]! - m[3]!]);
    // A CV that starts negative-going: each cycle is (cathodic, anodic), ΔEp still anodic minus cathodic.
    const neg = analyseCvFile(chiFile({ e: E.map((x) => 1 - x), i: I.map((x) => -x), params }));
    expect(neg.sweeps.map((s) => s.direction)).toEqual(['cathodic', 'anodic', 'cathodic', 'anodic']);
    within(neg.sweeps[0]!.delta_ep_v!, Math.abs(neg.sweeps[1]!.main_ep_v! - neg.sweeps[0]!.main_ep_v!), 1e-12);
    expect(neg.sweeps[0]!.delta_ep_v!).toBeGreaterThan(0.01);
    // No anodic peak in cycle 2: no ΔEp there.
    const noAn = analyseCvFile(chiFile({ e: E, i: f64(e.map((x, k) => (k > 2000 && k <= 3000 ? 2e-6 : j[k]!))), params }));
    expect(noAn.sweeps.map((s) => s.delta_ep_v === null)).toEqual([false, false, true, true]);
    // A Segment entry that is not a number is no partial-export warning.
    expect(analyseCvFile(chiFile({ e: E, i: I, params: [['Scan Rate', 0.01], ['Segment', 'x']] })).warnings).toEqual([]);
    const flat = f64(e.map((x, k) => (k > 3000 ? -2e-6 : j[k]!)));
    const r2 = analyseCvFile(chiFile({ e: E, i: flat, params }));
    expect(r2.sweeps.map((s) => s.flags)).toEqual([[], ['sei'], [], ['no_peak']]);
    expect(r2.sweeps[3]!.no_peak).not.toBeNull();
    expect(r2.sweeps.map((s) => s.delta_ep_v === null)).toEqual([false, false, true, true]);
  });

  it('refuses other techniques and fewer than 10 points', () => {
    expect(() => analyseCvFile(chiFile({ kind: 'eis', technique: 'A.C. Impedance', e: E, i: I }))).toThrow('this is a A.C. Impedance file; voltammetry analysis needs CV, LSV or DPV data');
    expect(() => analyseCvFile(chiFile({ kind: 'ca' as ChiFile['kind'], technique: '', e: E, i: I }))).toThrow('this is a CHI file; voltammetry analysis needs CV, LSV or DPV data');
    expect(() => analyseCvFile(chiFile({ e: E.subarray(0, 9), i: I.subarray(0, 9) }))).toThrow('too few points for a voltammogram (9); at least 10 are needed');
    expect(analyseCvFile(chiFile({ e: E.subarray(0, 10), i: I.subarray(0, 10) })).sweeps).toHaveLength(1);
  });

  it('LSV: one sweep, an onset, sign from Init/Final E; DPV: no scan rate', () => {
    // 0 → 1 V, a sigmoid wave of 100 µA at 0.6 V on a 1 µA background.
    const le = E1, li = E1.map((x) => 1e-6 + 1e-4 / (1 + Math.exp(-(x - 0.6) / 0.02)));
    const lsv = analyseCvFile(chiFile({ kind: 'lsv', technique: 'Linear Sweep Voltammetry', e: le, i: li, params: [['Init E', 0], ['Final E', 1], ['Scan Rate', 0.005]] }));
    expect(lsv.kind).toBe('lsv');
    expect(lsv.trace.sweeps).toEqual([sw(1, 'anodic', 0, 1001)]);
    expect(lsv.sweeps.map((s) => [s.cycle, s.direction])).toEqual([[1, 'anodic']]);
    within(lsv.lsv!.onset_v!, 0.6 - 0.02 * Math.log(9), 5e-4);
    expect(lsv.assumptions).toMatchObject({ sweep_split: 'one sweep', onset: lsv.lsv!.criterion, scan_rate_v_s: 0.005 });
    expect(lsv.sei).toEqual([]);
    expect(lsv.notes).toEqual(['a reader note']);
    // Not a closed loop: no loop ratio; no Results → default with its warning.
    expect(lsv.sign).toMatchObject({ current_sign_source: 'default', loop_ratio: null });
    expect(lsv.assumptions.current_sign_detail).toBe('anodic-positive from default; no usable Results peaks; no closed loop');
    // A Results ip of −x on a sweep from Init E 1 to Final E 0 (negative-going) is anodic-positive;
    // with Init/Final equal the data's own direction (here 1 → 0 V) decides the same.
    const down1 = Float64Array.from(E1).reverse();
    const res: ChiResult = { channel: null, segment: null, block: null, name: 'ip', value: -1e-5, unit: 'A', line: 9 };
    const mk = (p: Param[]) => analyseCvFile(chiFile({ kind: 'lsv', technique: 'Linear Sweep Voltammetry', e: down1, i: down1.map(() => -1e-6), params: p, results: [res] })).sign;
    expect(mk([['Init E', 1], ['Final E', 0]])).toMatchObject({ current_sign: 'anodic-positive', current_sign_source: 'results' });
    expect(mk([['Init E', 0], ['Final E', 1]])).toMatchObject({ current_sign: 'cathodic-positive', current_sign_source: 'results' });
    expect(mk([['Init E', 0.5], ['Final E', 0.5]])).toMatchObject({ current_sign: 'anodic-positive', current_sign_source: 'results' });
    expect(mk([['Init E', 'x'], ['Final E', 0]])).toMatchObject({ current_sign: 'anodic-positive', current_sign_source: 'results' });
    // DPV: a peak, no scan rate (so no charge), no LSV summary.
    const dpv = analyseCvFile(chiFile({ kind: 'dpv', technique: 'Differential Pulse Voltammetry', e: E1, i: E1.map((x) => 1e-7 + gauss(x, 0.4, 1e-6, 0.05)), params: [['Scan Rate', 0.01], ['Init E', 0], ['Final E', 1]] }));
    expect(dpv).toMatchObject({ kind: 'dpv', scan_rate_v_s: null, lsv: null });
    expect(dpv.peaks.map((p) => [Math.round(p.ep_v * 100), p.charge_c])).toEqual([[40, null]]);
    expect(dpv.assumptions.scan_rate_v_s).toBeNull();
  });

  it('the noise floor: a peak below 0.05 % of the largest current in the file is not reported', () => {
    // A 100 µA wave far from a 40 nA bump (0.04 % of it): the bump is dropped; at 60 nA (0.06 %) kept.
    const mk = (h: number) => E1.map((x) => 1e-4 * gauss(x, 0.85, 1, 0.03) + gauss(x, 0.3, h, 0.03));
    const count = (h: number) => analyseCvFile(chiFile({ kind: 'dpv', technique: 'DPV', e: E1, i: mk(h) })).peaks.length;
    expect(count(4e-8)).toBe(1);
    expect(count(6e-8)).toBe(2);
    // A bad Scan Rate (zero or text) is none.
    expect(analyseCvFile(chiFile({ e: E, i: I, params: [['Scan Rate', 0]] })).scan_rate_v_s).toBeNull();
    expect(analyseCvFile(chiFile({ e: E, i: I, params: [['Scan Rate', 'fast']] })).scan_rate_v_s).toBeNull();
  });
});
