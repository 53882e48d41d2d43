// Mutation tests for src/analysis/dqdv.ts and src/analysis/gitt.ts (issue 20 point 4). In-process,
// small hand-built inputs. Every expected number is worked by hand here (in the comments) from a
// curve with a known derivative, from eq. 3 of science.md, or from a textbook formula written
// again; none is the code's own output pasted in.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  branchCollector, capacityOnGrid, defaultStepV, detectPoints, dqdv, dqdvCurve, dvdq, findPeaks, gridLevels,
  movingAverage, peaks, savgolWeights, savitzkyGolay, smoothingGain, voltageNoise, voltageResolution, type BranchPoints,
} from '../src/analysis/dqdv.js';
import { analyseGitt, diffusionLengthCm, gittD, GittReducer, type Candidate, type GittOptions, type GittResult, type GittScan } from '../src/analysis/gitt.js';
import { DataError } from '../src/errors.js';
import type { CyclerRecord } from '../src/types.js';

const close = (got: number[], want: number[], digits = 9) => {
  expect(got).toHaveLength(want.length);
  want.forEach((w, i) => expect(got[i], `index ${i}`).toBeCloseTo(w, digits));
};

// ------------------------------------------------------------------------------------------------
// dQ/dV
// ------------------------------------------------------------------------------------------------

describe('dQ/dV: capacity on the grid, first passage', () => {
  it('gridLevels is the voltage span over the step (not the first/last record)', () => {
    // span 0.125 … 0.625 V = 0.5 V, step 0.125 V → 4 levels
    expect(gridLevels({ dir: 'D', v: [0.25, 0.625, 0.125, 0.5], q: [0, 1, 2, 3] }, 0.125)).toBe(4);
  });

  it('fewer than two records: nothing', () => {
    expect(capacityOnGrid({ dir: 'D', v: [1], q: [0] }, 0.25)).toEqual({ v: [], q: [] });
    expect(dqdv({ dir: 'D', v: [1], q: [0] }, 0.25, 1)).toEqual({ v: [], q: [], dqdv: [] });
  });

  it('discharge, Q = 2(1 − V) sampled on the grid: the level of the start is not repeated, the last is reached, dQ/dV = −2', () => {
    // records at 1, 0.75, 0.5, 0.25, 0 V (exact in binary), step 0.25: levels strictly past 1 V are 0.75 … 0
    const p: BranchPoints = { dir: 'D', v: [1, 0.75, 0.5, 0.25, 0], q: [0, 0.5, 1, 1.5, 2] };
    const g = capacityOnGrid(p, 0.25);
    expect(g.v).toEqual([0.75, 0.5, 0.25, 0]);
    close(g.q, [0.5, 1, 1.5, 2]);
    const d = dqdv(p, 0.25, 1);
    expect(d.v).toEqual([0.625, 0.375, 0.125]);
    close(d.q, [0.75, 1.25, 1.75]);
    close(d.dqdv, [-2, -2, -2]);
  });

  it('charge, Q = 3V from 0 V, records between the levels: interpolated, dQ/dV = +3', () => {
    // records at 0, 0.3, 0.55, 1.0 V; step 0.25 → levels 0.25, 0.5, 0.75, 1.0 (0 is the start: not listed)
    const p: BranchPoints = { dir: 'C', v: [0, 0.3, 0.55, 1.0], q: [0, 0.9, 1.65, 3] };
    const g = capacityOnGrid(p, 0.25);
    expect(g.v).toEqual([0.25, 0.5, 0.75, 1]);
    close(g.q, [0.75, 1.5, 2.25, 3]);
    close(dqdv(p, 0.25, 1).dqdv, [3, 3, 3]);
  });

  it('grid levels accumulated in steps of 0.1 are written rounded (0.3, not 0.30000000000000004)', () => {
    const p: BranchPoints = { dir: 'C', v: [0, 0.45], q: [0, 4.5] };
    expect(capacityOnGrid(p, 0.1).v).toEqual([0.1, 0.2, 0.3, 0.4]);
    close(capacityOnGrid(p, 0.1).q, [1, 2, 3, 4]);
  });

  it('a voltage that turns back is skipped until it passes the extreme again (first passage)', () => {
    // 1.0 → 0.85 (passes 0.9 at f = 2/3: Q = 2/3), back up to 0.9 (ignored), down to 0.7:
    // 0.8 between (0.85, 1) and (0.7, 3): f = 1/3 → Q = 5/3; 0.7 → Q = 3
    const p: BranchPoints = { dir: 'D', v: [1.0, 0.85, 0.9, 0.7], q: [0, 1, 2, 3] };
    const g = capacityOnGrid(p, 0.1);
    expect(g.v).toEqual([0.9, 0.8, 0.7]);
    close(g.q, [2 / 3, 5 / 3, 3]);
    // the charge mirror: 0 → 0.15, back to 0.1, up to 0.3
    const c = capacityOnGrid({ dir: 'C', v: [0, 0.15, 0.1, 0.3], q: [0, 1, 2, 3] }, 0.1);
    expect(c.v).toEqual([0.1, 0.2, 0.3]);
    close(c.q, [2 / 3, 5 / 3, 3]);
  });

  it('dQ/dV of Q = V² on a 0.1 V grid is exactly 2·V at each midpoint; a 3-point average of a linear function keeps it inside', () => {
    // (L_k² − L_{k−1}²)/(L_k − L_{k−1}) = L_k + L_{k−1} = 2 × midpoint
    const v = Array.from({ length: 11 }, (_, k) => k / 10);
    const p: BranchPoints = { dir: 'C', v, q: v.map((x) => x * x) };
    const d = dqdv(p, 0.1, 1);
    close(d.v, [0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95]); // levels 0.1 … 1 (0 V is the start)
    close(d.dqdv, d.v.map((x) => 2 * x));
    // the q column: mean of the two level capacities, (a² + b²)/2
    close(d.q, [0.025, 0.065, 0.125, 0.205, 0.305, 0.425, 0.565, 0.725, 0.905]);
    // smoothing 3: ends average two points (0.3+0.5)/2 = 0.4 … (1.7+1.9)/2 = 1.8; inside unchanged
    close(dqdv(p, 0.1, 3).dqdv, [0.4, 0.5, 0.7, 0.9, 1.1, 1.3, 1.5, 1.7, 1.8]);
  });
});

describe('dQ/dV: moving average, peaks()', () => {
  it('movingAverage by hand: n = 3 and n = 4 (half window floor(n/2) = 2), n ≤ 1 a copy', () => {
    close(movingAverage([1, 2, 3, 10], 3), [1.5, 2, 5, 6.5]);
    close(movingAverage([1, 2, 3, 10], 4), [2, 4, 4, 5]);
    const y = [1, 2, 3];
    const m = movingAverage(y, 1);
    expect(m).toEqual([1, 2, 3]);
    expect(m).not.toBe(y);
    expect(movingAverage(y, 0)).toEqual([1, 2, 3]);
  });

  it('peaks: local maxima of |dQ/dV| at or above 10 % of the largest, largest first, at most 3, signed as the curve', () => {
    // |y| = 2 1 4 4 0.5 1 0.5 10 0.5 0.9 0.5 3 on v = k/4, largest 10, share 10 % = 1:
    // k0 (the start: left −∞, 2 ≥ 1) · k2 (4 > 1, 4 ≥ 4) · not k3 (4 is not > 4) · k5 (1 is exactly 10 %)
    // · k7 (10) · not k9 (0.9 < 1) · k11 (the end: right −∞)
    const y = [-2, -1, -4, -4, -0.5, -1, -0.5, -10, -0.5, -0.9, -0.5, -3];
    const c = { v: y.map((_, k) => k / 4), q: y.map(() => 0), dqdv: y };
    expect(peaks(c)).toEqual([{ v: 1.75, dqdv: -10 }, { v: 0.5, dqdv: -4 }, { v: 2.75, dqdv: -3 }]);
    expect(peaks(c, 0.1, 10)).toEqual([{ v: 1.75, dqdv: -10 }, { v: 0.5, dqdv: -4 }, { v: 2.75, dqdv: -3 }, { v: 0, dqdv: -2 }, { v: 1.25, dqdv: -1 }]);
    // a share of 0.35: 3.5 and up only
    expect(peaks(c, 0.35, 10)).toEqual([{ v: 1.75, dqdv: -10 }, { v: 0.5, dqdv: -4 }]);
  });

  it('peaks: a curve of zeros has none', () => {
    expect(peaks({ v: [0, 1, 2], q: [0, 0, 0], dqdv: [0, 0, 0] })).toEqual([]);
  });
});

describe('dQ/dV: resolution, default step, noise', () => {
  it('detectPoints: 4.5 mV over the step, rounded, made odd, at least 1', () => {
    expect(detectPoints(0.0005)).toBe(9);   // 9
    expect(detectPoints(0.001)).toBe(5);    // 4.5 → 5
    expect(detectPoints(0.00075)).toBe(7);  // 6 → 7
    expect(detectPoints(0.00225)).toBe(3);  // 2 → 3
    expect(detectPoints(0.01)).toBe(1);     // 0.45 → 0 → 1
  });

  it('voltageResolution: at most 7 decimals; only the first 5000 values; negative values', () => {
    expect(voltageResolution([0.123456789])).toBe(1e-7);
    expect(voltageResolution([-0.25, -1.5])).toBe(1e-2);
    expect(voltageResolution([])).toBe(1);
    const many = [...Array.from({ length: 5000 }, () => 1.5), 1.2345];
    expect(voltageResolution(many)).toBe(0.1);
    expect(voltageResolution(many.slice(4000))).toBe(1e-4);
  });

  it('defaultStepV: 0.5 mV, or 10 resolution steps when coarser', () => {
    expect(defaultStepV({ dir: 'D', v: [1.234567, 1.2], q: [0, 1] })).toBe(0.0005);
    expect(defaultStepV({ dir: 'D', v: [1.2345, 1.2], q: [0, 1] })).toBe(0.001);
    expect(defaultStepV({ dir: 'D', v: [1.234, 1.2], q: [0, 1] })).toBe(0.01);
  });

  it('voltageNoise: 1.4826 · median |Δ³V| / √20, or resolution/√12 if larger (hand-worked third differences)', () => {
    // v = 0 0 0 1 0 0 0: Δ³ = 1, −3, 3, −1 → |·| sorted 1 1 3 3, median 2
    expect(voltageNoise([0, 0, 0, 1, 0, 0, 0], 1)).toBeCloseTo(1.4826 * 2 / Math.sqrt(20), 12);
    // one more 0: Δ³ adds 0 → 0 1 1 3 3, median 1 (0.3315 > 1/√12 = 0.2887)
    expect(voltageNoise([0, 0, 0, 1, 0, 0, 0, 0], 1)).toBeCloseTo(1.4826 / Math.sqrt(20), 12);
    // a straight line: Δ³ = 0, so the quantisation floor, resolution from the values (0.01)
    expect(voltageNoise([0.01, 0.02, 0.03, 0.04, 0.05])).toBeCloseTo(0.01 / Math.sqrt(12), 12);
    // too short for a third difference
    expect(voltageNoise([0.5, 0.25, 0.125], 0.001)).toBeCloseTo(0.001 / Math.sqrt(12), 12);
  });

  it('smoothingGain: √Σw² of the weights', () => {
    expect(smoothingGain({ kind: 'none' })).toBe(1);
    expect(smoothingGain({ kind: 'moving', points: 4 })).toBeCloseTo(0.5, 12);
    expect(smoothingGain({ kind: 'moving', points: 0 })).toBe(1);
    // (−3, 12, 17, 12, −3)/35: Σw² = 595/1225 = 17/35
    expect(smoothingGain({ kind: 'savgol', points: 5, order: 2 })).toBeCloseTo(Math.sqrt(17 / 35), 12);
  });
});

describe('dQ/dV: Savitzky–Golay by hand', () => {
  it('weights: 7 points order 2 = (−2, 3, 6, 7, 6, 3, −2)/21; order 0 = 1/5 each; 5 points order 4 is the identity', () => {
    close(savgolWeights(7, 2), [-2, 3, 6, 7, 6, 3, -2].map((n) => n / 21), 12);
    close(savgolWeights(7, 3), [-2, 3, 6, 7, 6, 3, -2].map((n) => n / 21), 12);
    close(savgolWeights(5, 0), [0.2, 0.2, 0.2, 0.2, 0.2], 12);
    close(savgolWeights(5, 4), [0, 0, 1, 0, 0], 9);
    close(savgolWeights(3, 1), [1 / 3, 1 / 3, 1 / 3], 12);
  });

  it.each([[4, 2], [1, 0], [5.5, 2], [NaN, 1]])('a window of %s points is refused', (points, order) => {
    expect(() => savgolWeights(points, order)).toThrow(new RangeError(`Savitzky–Golay window must be an odd whole number ≥ 3, not ${points}`));
  });
  it.each([[5, 5], [5, -1], [5, 1.5], [5, 6]])('window %s with order %s is refused', (points, order) => {
    expect(() => savgolWeights(points, order)).toThrow(new RangeError(`Savitzky–Golay order must be a whole number below the window (${points}), not ${order}`));
  });

  it('a series exactly one window long is smoothed (a spike at the centre becomes the weights)', () => {
    // least-squares quadratic through (x, δ(x)) on −3…3: p(x) = 1/3 − x²/21 (normal equations by hand)
    close(savitzkyGolay([0, 0, 0, 1, 0, 0, 0], 7, 2), [-2, 3, 6, 7, 6, 3, -2].map((n) => n / 21), 12);
    expect(savitzkyGolay([1, 2, 3], 5, 2)).toEqual([1, 2, 3]);
  });

  it('ends from the line fitted to the first and last window (order 1, 5 points)', () => {
    // head window y0…4 = 5 0 0 0 0 on x = −2…2: c0 = 1, c1 = −10/10 = −1 → p(−2) = 3, p(−1) = 2
    // tail window y4…8 = 0 0 0 0 10: c0 = 2, c1 = 20/10 = 2 → p(1) = 4, p(2) = 6
    // inside: order-1 centre weights are 1/5 each → running means 1, 0, 0, 0, 2
    close(savitzkyGolay([5, 0, 0, 0, 0, 0, 0, 0, 10], 5, 1), [3, 2, 1, 0, 0, 0, 2, 4, 6], 12);
  });

  it('ends of order 3 reproduce a cubic', () => {
    const y = Array.from({ length: 12 }, (_, k) => 1 - k + 0.5 * k * k - 0.1 * k ** 3);
    close(savitzkyGolay(y, 7, 3), y, 8);
  });
});

describe('dqdvCurve: options, noise and assumptions', () => {
  // Q = 2(1 − V), records every 0.05 V written with 2 decimals: resolution 0.01 → step 0.1
  const v = Array.from({ length: 21 }, (_, k) => Number((1 - k * 0.05).toFixed(2)));
  const p: BranchPoints = { dir: 'D', v, q: v.map((x) => 2 * (1 - x)) };

  it('defaults: step 10 resolution steps, no smoothing, constant −2', () => {
    const c = dqdvCurve(p);
    expect(c.resolutionV).toBe(0.01);
    expect(c.stepV).toBe(0.1);
    expect(c.v).toHaveLength(9);                  // levels 0.9 … 0 → 10, so 9 midpoints
    close(c.dqdv, Array(9).fill(-2));
    // straight line: Δ³V = 0, so σ_V = 0.01/√12; relative noise √2 σ_V / step × 1
    expect(c.voltageNoiseV).toBeCloseTo(0.01 / Math.sqrt(12), 12);
    expect(c.relativeNoise).toBeCloseTo(Math.SQRT2 * 0.01 / Math.sqrt(12) / 0.1, 12);
    expect(c.assumptions).toEqual({
      step_v: 0.1, resolution_v: 0.01, voltage_noise_v: c.voltageNoiseV,
      method: 'capacity at the first passage of each grid voltage (interpolated), differenced over the grid step',
      smoothing: 'none (the grid step is the only averaging)',
      sign: 'dQ/dV negative on discharge, positive on charge',
    });
  });

  it('a step given wins; smoothing by moving average and Savitzky–Golay is applied and described in mV', () => {
    const m = dqdvCurve(p, { stepV: 0.25, smoothing: { kind: 'moving', points: 3 } });
    expect(m.stepV).toBe(0.25);
    expect(m.v).toEqual([0.625, 0.375, 0.125]);
    close(m.dqdv, [-2, -2, -2]);
    expect(m.assumptions.smoothing).toBe('centred moving average over 3 grid points (750 mV)');
    expect(m.relativeNoise).toBeCloseTo(Math.SQRT2 * m.voltageNoiseV / 0.25 / Math.sqrt(3), 12);
    const s = dqdvCurve(p, { stepV: 0.05, smoothing: { kind: 'savgol', points: 5, order: 2 } });
    expect(s.assumptions.smoothing).toBe('Savitzky–Golay, 5 points (250 mV), polynomial order 2');
    close(s.dqdv, Array(19).fill(-2));
    expect(s.relativeNoise).toBeCloseTo(Math.SQRT2 * s.voltageNoiseV / 0.05 * Math.sqrt(17 / 35), 12);
  });

  it('smoothing changes a curve with a bend (so it is really applied)', () => {
    // Q = V² on a 0.1 V grid: dQ/dV = 2·midpoint (0.3 … 1.9); a 3-point average at the ends: 0.4 and 1.8
    const w = Array.from({ length: 11 }, (_, k) => k / 10);
    const c = dqdvCurve({ dir: 'C', v: w, q: w.map((x) => x * x) }, { stepV: 0.1, smoothing: { kind: 'moving', points: 3 } });
    expect(c.dqdv[0]).toBeCloseTo(0.4, 9);
    expect(c.dqdv[8]).toBeCloseTo(1.8, 9);
    const none = dqdvCurve({ dir: 'C', v: w, q: w.map((x) => x * x) }, { stepV: 0.1 });
    expect(none.dqdv[0]).toBeCloseTo(0.3, 9);
  });

  it.each([0, -0.001, NaN])('a grid step of %s is refused', (stepV) => {
    expect(() => dqdvCurve(p, { stepV })).toThrow(new RangeError(`the grid step must be positive, not ${stepV}`));
  });
});

describe('findPeaks on hand-built curves (no detection average, no noise)', () => {
  // |dQ/dV| = 1 3 2 2 5 1 4 4 0.5 1 on v = k/4 (binary-exact), step 0.25 (separation 0.75 V)
  //  k1: left low 1, right low 2 (before the 5) → prominence 3 − 2 = 1
  //  k4: left low 1, right low 0.5 → prominence 5 − 1 = 4
  //  k6–7: a flat top (counted once, at k6); left low 1 (the 5 stops it), right 0.5 → prominence 3
  //  k9: the end of the curve, not a peak. Largest first: 5 (k4), 4 (k6), 3 (k1); k6 is 0.5 V from k4
  //  (< 0.75 V: dropped), k1 exactly 0.75 V away (kept).
  const abs = [1, 3, 2, 2, 5, 1, 4, 4, 0.5, 1];
  const c = { v: abs.map((_, k) => k / 4), dqdv: abs.map((x) => -x), stepV: 0.25, voltageNoiseV: 0 };

  it('prominence, flat top, ends and separation', () => {
    const r = findPeaks(c, { detectPoints: 1 });
    expect(r.peaks).toEqual([{ v: 1, dqdv: -5, prominence: 4 }, { v: 0.25, dqdv: -3, prominence: 1 }]);
    expect(r.thresholds).toEqual({ min_prominence_share: 0.05, noise_sigmas: 5, relative_noise: 0, detect_window_v: 0.25, min_separation_v: 0.75 });
  });

  it('a smaller separation keeps the flat top (at its first point); max caps the list', () => {
    const r = findPeaks(c, { detectPoints: 1, minSeparationV: 0.5 });
    expect(r.peaks).toEqual([{ v: 1, dqdv: -5, prominence: 4 }, { v: 1.5, dqdv: -4, prominence: 3 }, { v: 0.25, dqdv: -3, prominence: 1 }]);
    expect(findPeaks(c, { detectPoints: 1, minSeparationV: 0.5, max: 2 }).peaks.map((p) => p.v)).toEqual([1, 1.5]);
    expect(findPeaks(c, { detectPoints: 1, minSeparationV: 0.5 - 1e-13 }).peaks).toHaveLength(3);
  });

  it('the prominence must exceed the share of the largest: 0.2 × 5 = 1 drops the prominence-1 peak, 0.8 × 5 = 4 drops all', () => {
    expect(findPeaks(c, { detectPoints: 1, minProminenceShare: 0.2 }).peaks.map((p) => p.v)).toEqual([1]);
    expect(findPeaks(c, { detectPoints: 1, minProminenceShare: 0.19 }).peaks.map((p) => p.v)).toEqual([1, 0.25]);
    expect(findPeaks(c, { detectPoints: 1, minProminenceShare: 0.8 }).peaks).toEqual([]);
  });

  it('the noise floor: sigmas × √2 σ_V/(points·step) × √(peak² + base²)', () => {
    // σ_V with √2 σ_V / 0.25 = 0.1: rel 0.1; 5 × 0.1 × √(3² + 2²) = 1.80 > 1 drops k1;
    // k4: 5 × 0.1 × √26 = 2.55 < 4 kept
    const noisy = { ...c, voltageNoiseV: 0.1 * 0.25 / Math.SQRT2 };
    const r = findPeaks(noisy, { detectPoints: 1 });
    expect(r.peaks.map((p) => p.v)).toEqual([1]);
    expect(r.thresholds.relative_noise).toBeCloseTo(0.1, 12);
    // with 1 sigma: 0.36 < 1, k1 is back
    expect(findPeaks(noisy, { detectPoints: 1, noiseSigmas: 1 }).peaks.map((p) => p.v)).toEqual([1, 0.25]);
    // exactly at the floor is not above it: rel with 5 × rel × √26 = 4 → k4 dropped too
    const edge = { ...c, voltageNoiseV: (4 / (5 * Math.sqrt(26))) * 0.25 / Math.SQRT2 };
    expect(findPeaks(edge, { detectPoints: 1 }).peaks.map((p) => p.v)).not.toContain(1);
  });

  it('a plateau that rises again is not a peak; a maximum at the first point is not a peak', () => {
    // 5 1 3 3 6 2: k0 is the start; k2–3 flat but followed by 6; k4 the only peak (left low 1, right: end 2 → base 2, prominence 4)
    const d = { v: [0, 0.25, 0.5, 0.75, 1, 1.25], dqdv: [5, 1, 3, 3, 6, 2], stepV: 0.25, voltageNoiseV: 0 };
    expect(findPeaks(d, { detectPoints: 1 }).peaks).toEqual([{ v: 1, dqdv: 6, prominence: 4 }]);
    // the left side stops at higher ground: 2 7 1 4 3 → k3 left low 1 (then 7 stops), right 3 → prominence 1
    const e = { v: [0, 0.25, 0.5, 0.75, 1], dqdv: [2, 7, 1, 4, 3], stepV: 0.25, voltageNoiseV: 0 };
    expect(findPeaks(e, { detectPoints: 1, minSeparationV: 0 }).peaks).toEqual([{ v: 0.25, dqdv: 7, prominence: 5 }, { v: 0.75, dqdv: 4, prominence: 1 }]);
  });

  it('detection on a 3-point average; position and height read from the raw curve within half a window', () => {
    // raw 0 0 6 0 4 4 0 0 0 → average 0 2 2 10/3 8/3 8/3 4/3 0 0; maximum of the average at k3;
    // raw within k2…k4: 6 at k2. Prominence 10/3 − max(0, 0).
    const d = { v: [0, 1, 2, 3, 4, 5, 6, 7, 8], dqdv: [0, 0, 6, 0, 4, 4, 0, 0, 0], stepV: 1, voltageNoiseV: 0 };
    const r = findPeaks(d, { detectPoints: 3 });
    expect(r.peaks).toHaveLength(1);
    expect(r.peaks[0]!.v).toBe(2);
    expect(r.peaks[0]!.dqdv).toBe(6);
    expect(r.peaks[0]!.prominence).toBeCloseTo(10 / 3, 12);
    expect(r.thresholds.detect_window_v).toBe(3);
  });

  it('a Lorentzian peak dQ/dV = H/(1 + ((V − V0)/w)²) on a charge: found at V0 with height H by the defaults', () => {
    // Q(V) = H·w·(atan((V − V0)/w) + atan(V0/w)); H = 50 mAh/V, V0 = 0.1 V, w = 5 mV; records every 0.1 mV to 0.2 V
    const H = 50, V0 = 0.1, w = 0.005;
    const v = Array.from({ length: 2001 }, (_, k) => Number((k * 1e-4).toFixed(4)));
    const q = v.map((x) => H * w * (Math.atan((x - V0) / w) + Math.atan(V0 / w)));
    const cv = dqdvCurve({ dir: 'C', v, q });
    expect(cv.stepV).toBe(0.001);
    const pk = findPeaks(cv).peaks;
    expect(pk).toHaveLength(1);
    // the grid point nearest V0 is a midpoint 0.5 mV away: H/(1 + 0.1²) = 49.5; the average over
    // one 1 mV step: H·w/step·(atan(0.2)) ≈ 49.34 (the grid differences)
    expect(Math.abs(pk[0]!.v - V0)).toBeLessThanOrEqual(0.0005 + 1e-9);
    expect(Math.abs(pk[0]!.dqdv / H - 1)).toBeLessThan(0.02);
  });
});

describe('dV/dQ', () => {
  it('V linear in Q: constant slope; grid midpoints', () => {
    const d = dvdq({ dir: 'C', q: [0, 1, 2, 3, 4], v: [0, 0.5, 1, 1.5, 2] }, { intervals: 4 });
    close(d.q, [0.5, 1.5, 2.5, 3.5]);
    close(d.v, [0.25, 0.75, 1.25, 1.75]);
    close(d.dvdq, [0.5, 0.5, 0.5, 0.5]);
  });

  it('V = Q² through records at Q = 0…4, two intervals of 2 mAh: (4 − 0)/2 and (16 − 4)/2', () => {
    const d = dvdq({ dir: 'C', q: [0, 1, 2, 3, 4], v: [0, 1, 4, 9, 16] }, { intervals: 2 });
    close(d.q, [1, 3]);
    close(d.v, [2, 10]);
    close(d.dvdq, [2, 6]);
    // eight intervals of 0.5: linear interpolation between the records, from Q = 1 mAh on
    close(dvdq({ dir: 'C', q: [0, 1, 2, 3, 4], v: [0, 1, 4, 9, 16] }, { intervals: 8 }).dvdq, [1, 1, 3, 3, 5, 5, 7, 7]);
  });

  it('a record whose capacity goes back is skipped; an equal capacity replaces the voltage', () => {
    close(dvdq({ dir: 'D', q: [0, 1, 0.5, 2], v: [0, 1, 9, 2] }, { intervals: 2 }).dvdq, [1, 1]);
    close(dvdq({ dir: 'D', q: [0, 1, 1, 2], v: [0, 1, 1.5, 2] }, { intervals: 2 }).dvdq, [1.5, 0.5]);
    // the first record's voltage is kept unless a later one has the same capacity
    close(dvdq({ dir: 'D', q: [0, 0, 2], v: [1, 3, 5] }, { intervals: 1 }).dvdq, [1]);
  });

  it('fewer than two capacities: empty; default 1000 intervals; smoothing applied', () => {
    expect(dvdq({ dir: 'D', q: [1, 1, 1], v: [1, 2, 3] })).toEqual({ q: [], v: [], dvdq: [] });
    expect(dvdq({ dir: 'D', q: [0, 1], v: [0, 1] }).dvdq).toHaveLength(1000);
    const s = dvdq({ dir: 'C', q: [0, 1, 2, 3, 4], v: [0, 1, 4, 9, 16] }, { intervals: 8, smoothing: { kind: 'moving', points: 3 } });
    // moving 3 of 1 1 3 3 5 5 7 7: 1, 5/3, 7/3, 11/3, 13/3, 17/3, 19/3, 7
    close(s.dvdq, [1, 5 / 3, 7 / 3, 11 / 3, 13 / 3, 17 / 3, 19 / 3, 7]);
  });
});

describe('branchCollector', () => {
  it('keeps the chosen cycles only, one branch per cycle and direction, with first and last line', () => {
    const col = branchCollector(new Set([2, 3]));
    col.onPoint(1, 'D', 1.0, 0, 10);
    col.onPoint(2, 'D', 0.9, 0.1, 20);
    col.onPoint(2, 'D', 0.8, 0.2, 21);
    col.onPoint(2, 'C', 0.2, 0.1, 30);
    col.onPoint(3, 'D', 0.7, 0.3, 40);
    col.onPoint(2, 'C', 0.3, 0.2, 31);
    expect(col.branches()).toEqual([
      { cycle: 2, dir: 'D', v: [0.9, 0.8], q: [0.1, 0.2], firstLine: 20, lastLine: 21 },
      { cycle: 2, dir: 'C', v: [0.2, 0.3], q: [0.1, 0.2], firstLine: 30, lastLine: 31 },
      { cycle: 3, dir: 'D', v: [0.7], q: [0.3], firstLine: 40, lastLine: 40 },
    ]);
  });
});

// ------------------------------------------------------------------------------------------------
// GITT
// ------------------------------------------------------------------------------------------------

/** Records written by hand: rests and constant-current pulses with E linear in √t (the analytic pulse). */
function records(withState = true) {
  const recs: CyclerRecord[] = [];
  const add = (t: number | null, st: number | null, v: number, i: number, kind: 'D' | 'C' | 'R') =>
    recs.push({ line: recs.length + 1, timeS: t, stepTimeS: st, voltageV: v, currentMA: i, capacityMAh: null, specificCapacityMAhG: null, cycleIndex: null, stepIndex: null, stateKind: withState ? kind : null });
  /** A rest of 400 s sampled every 100 s, relaxed to e (an optional value at 300 s). */
  const rest = (t0: number, e: number, at300 = e) => { for (const s of [0, 100, 200, 300, 400]) add(t0 + s, s, s === 300 ? at300 : e, 0, 'R'); };
  /** A pulse of 100 s: E = e0 ∓ (IR + k√s), records at the given s (step time), current ∓1 mA. */
  const pulse = (t0: number, dir: 'D' | 'C', e0: number, k: number, ss = [0, 25, 64, 100], extra: number[] = []) => {
    const sg = dir === 'D' ? -1 : 1;
    ss.forEach((s, j) => add(t0 + s, s, e0 + sg * (0.0625 + k * Math.sqrt(s)) + (extra[j] ?? 0), sg, dir));
  };
  return { recs, add, rest, pulse };
}

/**
 * The hand-worked run (first = discharge): an OCV rest at 1 V; a formation discharge and charge of
 * 1000 s each (each a whole half-cycle: not a pulse train); then cycle 2: three sodiation pulses
 * 0.5 → 0.375 → 0.25 → 0.125 V and three desodiation pulses back to 0.5 V, 100 s at 1 mA, each
 * followed by a 400 s rest. IR = 62.5 mV, ΔE_s = 125 mV for every pulse.
 *   P1: k = 0.025 V/√s, records at s = 0, 25, 64, 100 → ΔE_τ = 10k = 0.25 V (both methods)
 *   P2: k = 0.0625 → ΔE_τ = 0.625 V; its rest reads 0.24 V at 300 s, 0.25 V at 400 s (slope 1e-4 V/s)
 *   P3: k = 0.025 plus (0, 2δ, −5δ, 3δ), δ = k/3: the residuals are orthogonal to 1 and √s over
 *       √s = 5, 8, 10, so the √t slope stays −k and r² = Sxx k² / (Sxx k² + 38 δ²) = 114/(114 + 38) = 0.75;
 *       endpoint ΔE_τ = 10k − 3δ = 0.225 V
 *   P4–P6: k = 0.025, first record at s = 4 (step time 4): √t ΔE_τ = 10k = 0.25 V, endpoint
 *       k(10 − 2) = 0.2 V, IR seen = 62.5 + 50 = 112.5 mV
 */
function handRun() {
  const b = records();
  b.rest(0, 1.0);                                                               // lines 1–5
  [[500, 0, 0.8], [1000, 500, 0.5], [1500, 1000, 0.2]].forEach(([t, s, v]) => b.add(t!, s!, v!, -1, 'D')); // 6–8
  b.rest(1600, 0.25);                                                           // 9–13
  [[2100, 0, 0.3], [2600, 500, 0.45], [3100, 1000, 0.6]].forEach(([t, s, v]) => b.add(t!, s!, v!, 1, 'C')); // 14–16
  b.rest(3200, 0.5);                                                            // 17–21
  b.pulse(3700, 'D', 0.5, 0.025);   b.rest(3900, 0.375);                        // 22–25, 26–30
  b.pulse(4400, 'D', 0.375, 0.0625); b.rest(4600, 0.25, 0.24);                  // 31–34, 35–39
  const d = 0.025 / 3;
  b.pulse(5100, 'D', 0.25, 0.025, undefined, [0, 2 * d, -5 * d, 3 * d]); b.rest(5300, 0.125); // 40–43, 44–48
  b.pulse(5800, 'C', 0.125, 0.025, [4, 25, 64, 100]); b.rest(6000, 0.25);      // 49–52, 53–57
  b.pulse(6500, 'C', 0.25, 0.025, [4, 25, 64, 100]); b.rest(6700, 0.375);      // 58–61, 62–66
  b.pulse(7200, 'C', 0.375, 0.025, [4, 25, 64, 100]); b.rest(7400, 0.5);       // 67–70, 71–75
  return b;
}

function scanOf(recs: CyclerRecord[], first: 'discharge' | 'charge' = 'discharge', restMA?: number) {
  const red = restMA === undefined ? new GittReducer(first) : new GittReducer(first, restMA);
  for (const r of recs) red.push(r);
  return red.finish();
}

/** fn throws a DataError with exactly this message, naming the file. */
function throwsData(fn: () => unknown, message: string, file: string) {
  let err: unknown = null;
  try { fn(); } catch (e) { err = e; }
  expect(err).toBeInstanceOf(DataError);
  expect((err as DataError).message).toBe(message);
  expect((err as DataError).file).toBe(file);
}

const Q1 = 100 / 3600; // mAh per 100 s pulse at 1 mA

describe('GittReducer on the hand-worked run', () => {
  // Computed inside each test, not in the describe body: Stryker activates a mutant in beforeAll, after
  // the describe bodies have run, so a value computed there would always come from the unmutated code.
  let scan: GittScan;
  beforeEach(() => { scan = scanOf(handRun().recs); });

  it('counts: 8 current steps, 9 rests, 4 half-cycles, every step after a rest, nothing cut off, smallest step 10 mV', () => {
    expect(scan.currentRuns).toBe(8);
    expect(scan.restRuns).toBe(9);
    expect(scan.halfCycles).toBe(4);
    expect(scan.noRestBefore).toBe(0);
    expect(scan.cutOff).toBeNull();
    expect(scan.noise).toBeNull();
    expect(scan.faint).toBeNull();
    expect(scan.minStepV).toBe(0.01);
  });

  it('the candidates, field by field', () => {
    const c = scan.candidates;
    expect(c.map((x) => [x.cycle, x.halfCycle, x.dir, x.firstLine, x.lastLine])).toEqual([
      [1, 0, 'D', 6, 8], [1, 1, 'C', 14, 16],
      [2, 2, 'D', 22, 25], [2, 2, 'D', 31, 34], [2, 2, 'D', 40, 43],
      [2, 3, 'C', 49, 52], [2, 3, 'C', 58, 61], [2, 3, 'C', 67, 70],
    ]);
    close(c.map((x) => x.tauS), [1000, 1000, 100, 100, 100, 100, 100, 100]);
    close(c.map((x) => x.eBefore), [1, 0.25, 0.5, 0.375, 0.25, 0.125, 0.25, 0.375]);
    close(c.map((x) => x.eAfter), [0.25, 0.5, 0.375, 0.25, 0.125, 0.25, 0.375, 0.5]);
    close(c.map((x) => x.vFirst), [0.8, 0.3, 0.4375, 0.3125, 0.1875, 0.2375, 0.3625, 0.4875]);
    close(c.map((x) => x.vLast), [0.2, 0.6, 0.1875, -0.3125, -0.0375, 0.4375, 0.5625, 0.6875]);
    // trapezoid of |I| dt (the first record of P4–P6 adds |I| × its 4 s step time)
    close(c.map((x) => x.chargeMAh), [10 * Q1, 10 * Q1, Q1, Q1, Q1, Q1, Q1, Q1]);
    // charge since the half-cycle began, this pulse included
    close(c.map((x) => x.qAfterMAh), [10 * Q1, 10 * Q1, Q1, 2 * Q1, 3 * Q1, Q1, 2 * Q1, 3 * Q1]);
    // formation steps: two records after the first, too few for the √t line
    expect(c[0]!.sqrtSlope).toBeNull();
    expect(c[0]!.r2).toBeNull();
    close(c.slice(2).map((x) => x.sqrtSlope!), [-0.025, -0.0625, -0.025, 0.025, 0.025, 0.025], 12);
    close(c.slice(2).map((x) => x.r2!), [1, 1, 0.75, 1, 1, 1], 12);
    close(c.map((x) => x.relaxSlopeVperS!), [0, 0, 0, 1e-4, 0, 0, 0, 0], 12);
    close(c.map((x) => x.restS), [400, 400, 400, 400, 400, 400, 400, 400]);
  });

  it('with --first charge the first discharge belongs to no cycle (reported as 1) and cycles start at each charge', () => {
    expect(scanOf(handRun().recs, 'charge').candidates.map((x) => x.cycle)).toEqual([1, 1, 1, 1, 1, 2, 2, 2]);
  });

  it('a last pulse without its rest is cut off (and not a candidate)', () => {
    const b = handRun();
    b.pulse(7900, 'D', 0.5, 0.025);                                             // 76–79
    const s = scanOf(b.recs);
    expect(s.cutOff).toEqual({ firstLine: 76, lastLine: 79 });
    expect(s.candidates).toHaveLength(8);
    expect(s.currentRuns).toBe(9);
    expect(s.restRuns).toBe(9);
    expect(s.halfCycles).toBe(5);
  });

  it('a step straight after another (no rest between) counts in noRestBefore; the first is no candidate (no rest after it)', () => {
    const b = records();
    b.rest(0, 1.0);
    b.pulse(500, 'D', 1.0, 0.025);
    b.pulse(700, 'C', 0.75, 0.025);
    b.rest(900, 0.9);
    const s = scanOf(b.recs);
    expect(s.noRestBefore).toBe(1);
    expect(s.candidates).toEqual([]);
    expect(s.cutOff).toBeNull();
    expect([s.currentRuns, s.restRuns, s.halfCycles]).toEqual([2, 2, 2]);
  });

  it('records without time give no candidate', () => {
    const b = records();
    b.add(null, null, 1, 0, 'R'); b.add(null, null, 1, 0, 'R');
    b.add(null, null, 0.9, -1, 'D'); b.add(null, null, 0.8, -1, 'D');
    b.add(null, null, 0.85, 0, 'R'); b.add(null, null, 0.85, 0, 'R');
    const s = scanOf(b.recs);
    expect(s.candidates).toEqual([]);
    expect(s.currentRuns).toBe(1);
    expect(s.minStepV).toBe(0.05);
  });

  it('a rest of one record: no relaxation slope, rest length 0', () => {
    const b = records();
    b.rest(0, 1.0);
    b.pulse(500, 'D', 1.0, 0.025);
    b.add(700, 0, 0.9, 0, 'R');
    const c = scanOf(b.recs).candidates;
    expect(c).toHaveLength(1);
    expect(c[0]!.relaxSlopeVperS).toBeNull();
    expect(c[0]!.restS).toBe(0);
    expect(c[0]!.eAfter).toBe(0.9);
  });
});

describe('GittReducer without a state column: current noise and faint currents', () => {
  /** 1 rest record; 2 records of 2 µA (noise, taken for a charge step until the real current comes);
   *  three 1 mA pulses from 0.5 V; rests with 4 µA at line 8 and −5 µA at line 18 (exactly 0.5 % of 1 mA: still rest). */
  const build = () => {
    const b = records(false);
    b.add(0, 0, 0.5, 0, 'R'); b.add(100, 100, 0.5, 0.002, 'C'); b.add(200, 200, 0.5, 0.002, 'C'); // 1–3
    b.pulse(300, 'D', 0.5, 0.025);                                             // 4–7
    [0.004, 0, 0, 0, 0].forEach((i, j) => b.add(500 + 100 * j, 100 * j, 0.375, i, 'R')); // 8–12
    b.pulse(1000, 'D', 0.375, 0.025);                                          // 13–16
    [0, -0.005, 0, 0, 0].forEach((i, j) => b.add(1200 + 100 * j, 100 * j, 0.25, i, 'R')); // 17–21
    b.pulse(1700, 'D', 0.25, 0.025);                                           // 22–25
    b.rest(1900, 0.125);                                                       // 26–30
    return b.recs;
  };

  it('the 2 µA step before line 4 is forgotten as noise; 4 µA and 5 µA after a 1 mA current are rest', () => {
    const s = scanOf(build());
    expect(s.noise).toEqual({ runs: 1, line: 4 });
    expect(s.faint).toEqual({ records: 2, line: 8 });
    expect(s.candidates.map((c) => [c.cycle, c.halfCycle, c.dir, c.firstLine, c.lastLine])).toEqual([[1, 0, 'D', 4, 7], [1, 0, 'D', 13, 16], [1, 0, 'D', 22, 25]]);
    expect(s.candidates[0]!.eBefore).toBe(0.5);
    close(s.candidates.map((c) => c.qAfterMAh), [Q1, 2 * Q1, 3 * Q1]);
    expect([s.currentRuns, s.restRuns, s.halfCycles, s.noRestBefore]).toEqual([3, 4, 1, 0]);
    expect(s.minStepV).toBe(0.05);
  });

  it('with a rest threshold of 10 µA the 2 µA records are rest from the start: no noise, no faint records', () => {
    const s = scanOf(build(), 'discharge', 0.01);
    expect(s.noise).toBeNull();
    expect(s.faint).toBeNull();
    expect(s.candidates).toHaveLength(3);
    expect([s.currentRuns, s.restRuns, s.halfCycles]).toEqual([3, 4, 1]);
  });

  it('after a pulse has been found, a larger current does not forget anything', () => {
    const recs = build();
    // a 1 A step (1000 mA) after everything: 1 mA ≥ 0.5 % of it, so the earlier steps stand
    const n = recs.length;
    [[2400, 0, 0.1], [2500, 100, 0.05]].forEach(([t, st, v], j) => recs.push({ ...recs[0]!, line: n + 1 + j, timeS: t!, stepTimeS: st!, voltageV: v!, currentMA: -1000 }));
    const s = scanOf(recs);
    expect(s.noise).toEqual({ runs: 1, line: 4 });
    expect(s.candidates).toHaveLength(3);
    expect(s.cutOff).toEqual({ firstLine: 31, lastLine: 32 });
  });
});

// L = m_B V_M / (M_B S): 2 mg, M_B 12 g/mol, ρ 2 g/cm³ (V_M 6 cm³/mol), S 1 cm² → 0.002 × 6 / 12 = 1e-3 cm
const electrode = { massMg: 2, areaCm2: 1, molarMass: 12, densityGcm3: 2, molarVolumeCm3: null, thicknessUm: null };
const opts = (o: Partial<GittOptions> = {}): GittOptions => ({ electrode, etau: 'endpoint', regions: [0.375, 0.25], cycle: null, resolutionV: 1e-6, lengthTolerance: 0.1, minR2: 0.95, ...o });
/** Eq. 3 written again: D = 4/(π τ) · L² · (ΔE_s/ΔE_τ)²; here τ = 100 s, L = 1e-3 cm: D = 4e-8/π · r². */
const eq3 = (r: number) => 4e-8 / Math.PI * r * r;

describe('eq. 3 and L', () => {
  it('L from the density, from a molar volume, from a thickness; no density and no molar volume is NaN', () => {
    expect(diffusionLengthCm(electrode)).toBeCloseTo(1e-3, 15);
    // V_M 12 cm³/mol given: 0.002 × 12 / 12 = 2e-3 (the density is then not used)
    expect(diffusionLengthCm({ ...electrode, molarVolumeCm3: 12 })).toBeCloseTo(2e-3, 15);
    expect(diffusionLengthCm({ ...electrode, thicknessUm: 25 })).toBeCloseTo(2.5e-3, 15);
    expect(diffusionLengthCm({ ...electrode, densityGcm3: null })).toBeNaN();
  });
  it('gittD: τ 100 s, L 1e-3 cm, ΔE_s 1 mV, ΔE_τ 2 mV → 4/(100π) · 1e-6 · 1/4 = 1e-8/π', () => {
    expect(gittD(100, 1e-3, 0.001, 0.002) / (1e-8 / Math.PI)).toBeCloseTo(1, 12);
    expect(gittD(50, 2e-3, 0.003, 0.001) / (4 / (50 * Math.PI) * 4e-6 * 9)).toBeCloseTo(1, 12);
  });
});

describe('analyseGitt on the hand-worked run', () => {
  let scan: GittScan, res: GittResult;
  beforeEach(() => { scan = scanOf(handRun().recs); res = analyseGitt(scan, opts(), 'hand.csv'); });

  it('leaves out the two whole half-cycles, takes the six 100 s pulses', () => {
    expect(res.notes).toEqual(['2 current step(s) that are a whole half-cycle (no pulse train) were left out']);
    expect(res.tauS).toBe(100);
    expect(res.lCm).toBeCloseTo(1e-3, 15);
    expect(res.skippedLengths).toBe(0);
    expect(res.pulses.map((p) => [p.pulse, p.cycle, p.branch, p.first_line, p.last_line])).toEqual([
      [1, 2, 'sodiation', 22, 25], [2, 2, 'sodiation', 31, 34], [3, 2, 'sodiation', 40, 43],
      [4, 2, 'desodiation', 49, 52], [5, 2, 'desodiation', 58, 61], [6, 2, 'desodiation', 67, 70],
    ]);
  });

  it('every number of every pulse, by hand (endpoint ΔE_τ)', () => {
    const p = res.pulses;
    close(p.map((x) => x.e_v), [0.375, 0.25, 0.125, 0.25, 0.375, 0.5]);
    // position: Q1 per pulse / 0.002 g = 13.89 mAh/g, counted from each half-cycle's start
    close(p.map((x) => x.q_mAh_g), [1, 2, 3, 1, 2, 3].map((j) => j * Q1 / 0.002));
    close(p.map((x) => x.tau_s), [100, 100, 100, 100, 100, 100]);
    close(p.map((x) => x.dEs_mV), [125, 125, 125, 125, 125, 125]);
    close(p.map((x) => x.dEtau_endpoint_mV), [250, 625, 225, 200, 200, 200]);
    close(p.map((x) => x.dEtau_mV), [250, 625, 225, 200, 200, 200]);
    close(p.map((x) => x.dEtau_sqrt_mV!), [250, 625, 250, 250, 250, 250]);
    close(p.map((x) => x.ir_mV), [62.5, 62.5, 62.5, 112.5, 112.5, 112.5]);
    const rEnd = [0.125 / 0.25, 0.125 / 0.625, 0.125 / 0.225, 0.125 / 0.2, 0.125 / 0.2, 0.125 / 0.2];
    const rSqrt = [0.5, 0.2, 0.5, 0.5, 0.5, 0.5];
    p.forEach((x, i) => {
      expect(x.d_cm2_s! / eq3(rEnd[i]!)).toBeCloseTo(1, 9);
      expect(x.d_endpoint_cm2_s! / eq3(rEnd[i]!)).toBeCloseTo(1, 9);
      expect(x.d_sqrt_cm2_s! / eq3(rSqrt[i]!)).toBeCloseTo(1, 9);
      expect(x.log10_d!).toBeCloseTo(Math.log10(eq3(rEnd[i]!)), 9);
    });
    close(p.map((x) => x.r2_sqrt!), [1, 1, 0.75, 1, 1, 1]);
    close(p.map((x) => x.relax_slope_mV_h!), [0, 360, 0, 0, 0, 0], 6); // 1e-4 V/s = 360 mV/h
    // τ ≪ L²/D fails (τ > 0.1 L²/D) exactly when ΔE_s/ΔE_τ > √(0.4/π) = 0.357: all but P2 (0.2);
    // P2's rest drifts 1e-4 V/s × 400 s / 4 = 10 mV > 5 % of ΔE_s (6.25 mV); P3's r² 0.75 < 0.95
    expect(p.map((x) => x.flags)).toEqual([
      ['tau_not_short'], ['relaxation_unfinished'], ['poor_sqrt_fit', 'tau_not_short'],
      ['tau_not_short'], ['tau_not_short'], ['tau_not_short'],
    ]);
  });

  it('the summary per branch and region (adsorption > 0.375 V ≥ intercalation > 0.25 V ≥ pore filling)', () => {
    const [sod, des] = res.summary;
    expect(sod).toMatchObject({ branch: 'sodiation', pulses: 3, used: 3, min_d_e_v: 0.25, n_adsorption: 0, n_intercalation: 1, n_pore_filling: 2, mean_log10_d_adsorption: null });
    expect(sod!.min_d_cm2_s! / eq3(0.2)).toBeCloseTo(1, 9);
    expect(sod!.mean_log10_d_intercalation!).toBeCloseTo(Math.log10(eq3(0.5)), 9);
    expect(sod!.mean_log10_d_pore_filling!).toBeCloseTo((Math.log10(eq3(0.2)) + Math.log10(eq3(0.125 / 0.225))) / 2, 9);
    // desodiation: three equal D; the first met (0.25 V) is the minimum
    expect(des).toMatchObject({ branch: 'desodiation', pulses: 3, used: 3, min_d_e_v: 0.25, n_adsorption: 1, n_intercalation: 1, n_pore_filling: 1 });
    for (const k of ['mean_log10_d_adsorption', 'mean_log10_d_intercalation', 'mean_log10_d_pore_filling'] as const) expect(des![k]!).toBeCloseTo(Math.log10(eq3(0.625)), 9);
  });

  it('--etau sqrt: ΔE_τ and D from the √t slope', () => {
    const s = analyseGitt(scan, opts({ etau: 'sqrt' }), 'hand.csv');
    close(s.pulses.map((x) => x.dEtau_mV), [250, 625, 250, 250, 250, 250]);
    s.pulses.forEach((x, i) => expect(x.d_cm2_s! / eq3([0.5, 0.2, 0.5, 0.5, 0.5, 0.5][i]!)).toBeCloseTo(1, 9));
    expect(s.summary[1]!.mean_log10_d_adsorption!).toBeCloseTo(Math.log10(eq3(0.5)), 9);
  });

  it('--cycle 2 keeps them; --cycle 1 finds none and says where pulses are', () => {
    expect(analyseGitt(scan, opts({ cycle: 2 }), 'hand.csv').pulses).toHaveLength(6);
    throwsData(() => analyseGitt(scan, opts({ cycle: 1 }), 'hand.csv'), 'no GITT pulses found in cycle 1: looked for trains of at least 3 constant-current steps, each followed by a rest, within one half-cycle; the file has 8 current step(s) and 9 rest(s) in 4 half-cycle(s) (pulses exist in cycle(s) 2)', 'hand.csv');
  });

  it('a pulse with a minimum R² of 1.01 is poor everywhere; minR2 0.75 accepts P3 (R² exactly 0.75, up to rounding)', () => {
    expect(analyseGitt(scan, opts({ minR2: 1.01 }), 'x').pulses.every((p) => p.flags.includes('poor_sqrt_fit'))).toBe(true);
    expect(analyseGitt(scan, opts({ minR2: 0.7 }), 'x').pulses[2]!.flags).toEqual(['tau_not_short']);
  });
});

/** A candidate written by hand: a 100 s pulse from 0.5 V, ΔE_s 1 mV unless given. */
function cand(o: Partial<Candidate> = {}): Candidate {
  return { cycle: 1, halfCycle: 0, dir: 'D', firstLine: 1, lastLine: 2, tauS: 100, eBefore: 0.5, vFirst: 0.49, vLast: 0.488, eAfter: 0.499, chargeMAh: Q1, qAfterMAh: Q1, sqrtSlope: -0.0002, r2: 1, relaxSlopeVperS: 0, restS: 400, ...o };
}
const scanWith = (candidates: Candidate[], o: Partial<GittScan> = {}): GittScan => ({ candidates, cutOff: null, noRestBefore: 0, minStepV: null, currentRuns: candidates.length, restRuns: candidates.length + 1, halfCycles: 1, noise: null, faint: null, ...o });

describe('analyseGitt on hand-made candidates', () => {
  it('no candidate at all: says what it looked for and what the file has', () => {
    throwsData(() => analyseGitt(scanWith([], { currentRuns: 5, restRuns: 6, halfCycles: 2 }), opts(), 'f'), 'no GITT pulses found: looked for trains of at least 3 constant-current steps, each followed by a rest, within one half-cycle; the file has 5 current step(s) and 6 rest(s) in 2 half-cycle(s)', 'f');
    // two steps in a half-cycle are no train; no note when nothing is left
    expect(() => analyseGitt(scanWith([cand(), cand()]), opts(), 'f')).toThrow(/^no GITT pulses found: looked for/);
    expect(() => analyseGitt(scanWith([cand({ cycle: 2 }), cand({ cycle: 2 })]), opts({ cycle: 2 }), 'f')).toThrow(/in 1 half-cycle\(s\)$/);
  });

  it('three steps in one half-cycle are a train; no note', () => {
    const r = analyseGitt(scanWith([cand(), cand(), cand()]), opts(), 'f');
    expect(r.pulses).toHaveLength(3);
    expect(r.notes).toEqual([]);
  });

  it('no three of equal length: refused with the lengths', () => {
    const c = [100, 100, 200, 200, 300].map((tauS) => cand({ tauS }));
    throwsData(() => analyseGitt(scanWith(c), opts(), 'f'), 'no GITT pulses: found 5 current step(s) followed by a rest, but no 3 of equal length (2 × 100 s, 2 × 200 s, 1 × 300 s); GITT needs a train of equal pulses', 'f');
  });

  it('two equal largest groups: refused as mixed', () => {
    const c = [200, 100, 200, 100, 200, 100].map((tauS) => cand({ tauS }));
    throwsData(() => analyseGitt(scanWith(c), opts(), 'f'), 'pulses of mixed length (3 × 100 s, 3 × 200 s): no length is the most common, so the GITT pulses cannot be told apart; choose a cycle with --cycle', 'f');
    // one more 200 s pulse makes 200 s the train
    expect(analyseGitt(scanWith([...c, cand({ tauS: 200 })]), opts(), 'f').tauS).toBe(200);
  });

  it('lengths within 10 % of the shortest of a group belong to it (110 s of 100 s does, 111 s not); τ is their mean', () => {
    const c = [90, 111, 100, 105, 300, 110].map((tauS) => cand({ tauS }));
    const r = analyseGitt(scanWith(c), opts(), 'f');
    expect(r.tauS).toBeCloseTo(105, 12);
    expect(r.skippedLengths).toBe(3);
    expect(r.pulses.map((p) => p.tau_s)).toEqual([100, 105, 110]);
    expect(r.notes).toEqual(['3 current step(s) whose length differs by more than 10 % from the pulse length 105 s were left out (1 × 90 s, 3 × 100 s, 1 × 111 s, 1 × 300 s)']);
    // a 5 % tolerance: 100 and 105 (105 ≤ 105 exactly), 110 and 111: no three alike
    throwsData(() => analyseGitt(scanWith(c), opts({ lengthTolerance: 0.05 }), 'f'), 'no GITT pulses: found 6 current step(s) followed by a rest, but no 3 of equal length (1 × 90 s, 2 × 100 s, 2 × 110 s, 1 × 300 s); GITT needs a train of equal pulses', 'f');
  });
  // Binary-exact voltages: resolution 2⁻¹⁰ V, τ = 64 s (√τ = 8), so "1.5 resolution steps" is exact.
  const res = 2 ** -10;
  const r = (o: Partial<Candidate>) => cand({ tauS: 64, eBefore: 0.5, eAfter: 0.5 - 2 * res, vFirst: 0.25, vLast: 0.25 - 2 * res, sqrtSlope: -2 * res / 8, ...o });

  it('within one and a half resolution steps is flagged (ΔE_s, endpoint ΔE_τ, √t ΔE_τ); flagged pulses are not used', () => {
    const c = [
      r({ eAfter: 0.5 - 1.5 * res }),          // ΔE_s = 1.5 steps
      r({ vLast: 0.25 - 1.5 * res }),          // endpoint = 1.5 steps
      r({ sqrtSlope: 1.5 * res / 8 }),         // √t = 1.5 steps
      r({ sqrtSlope: null, r2: null, eAfter: 0.5 + 2 * res, vLast: 0.25 + 2 * res }), // no √t line
    ];
    const out = analyseGitt(scanWith(c), opts({ resolutionV: res }), 'f');
    expect(out.pulses.map((p) => p.flags)).toEqual([
      ['dEs_within_resolution', 'tau_not_short'], ['dEtau_within_resolution', 'tau_not_short'],
      ['dEtau_within_resolution', 'tau_not_short'], ['poor_sqrt_fit', 'tau_not_short'],
    ]);
    const p4 = out.pulses[3]!;
    expect(p4.dEtau_sqrt_mV).toBeNull();
    expect(p4.d_sqrt_cm2_s).toBeNull();
    // ΔE_s = ΔE_τ: D = 4/(64π) · 1e-6
    expect(p4.d_cm2_s! / (4e-6 / (64 * Math.PI))).toBeCloseTo(1, 12);
    expect(out.summary[0]).toMatchObject({ pulses: 4, used: 1, min_d_e_v: 0.5 + 2 * res });
    expect(out.summary[1]).toMatchObject({ branch: 'desodiation', pulses: 0, used: 0, min_d_cm2_s: null, min_d_e_v: null, mean_log10_d_adsorption: null, mean_log10_d_intercalation: null, mean_log10_d_pore_filling: null });
    // with √t: the pulse without a line has no D, no log10 D, ΔE_τ NaN, and nothing is used
    const sq = analyseGitt(scanWith(c), opts({ resolutionV: res, etau: 'sqrt' }), 'f');
    expect(sq.pulses[3]!.d_cm2_s).toBeNull();
    expect(sq.pulses[3]!.log10_d).toBeNull();
    expect(sq.pulses[3]!.dEtau_mV).toBeNaN();
    expect(sq.pulses[3]!.flags).toEqual(['poor_sqrt_fit']);
    expect(sq.summary[0]).toMatchObject({ used: 0, min_d_cm2_s: null, min_d_e_v: null, mean_log10_d_pore_filling: null });
    // two steps each way is not within
    expect(analyseGitt(scanWith([r({}), r({}), r({})]), opts({ resolutionV: res }), 'f').pulses[0]!.flags).toEqual(['tau_not_short']);
  });

  it('no change of the relaxed potential, or no transient, gives no D', () => {
    const c = [r({ eAfter: 0.5 }), r({ vLast: 0.25, sqrtSlope: 0 }), r({})];
    const out = analyseGitt(scanWith(c), opts({ resolutionV: res }), 'f');
    expect(out.pulses[0]!.d_cm2_s).toBeNull();
    expect(out.pulses[0]!.d_sqrt_cm2_s).toBeNull();
    expect(out.pulses[1]!.d_endpoint_cm2_s).toBeNull();
    expect(out.pulses[1]!.d_sqrt_cm2_s).toBeNull();
    expect(out.pulses[1]!.flags).toContain('dEtau_within_resolution');
    expect(out.pulses[2]!.d_cm2_s).not.toBeNull();
  });

  it('relaxation unfinished: |slope| · rest/4 above the larger of the resolution and 5 % of ΔE_s', () => {
    // ΔE_s = 62.5 mV (5 %: 3.125 mV); rest 400 s → the last quarter is 100 s
    const base = { tauS: 100, eBefore: 0.5, eAfter: 0.4375, vFirst: 0.45, vLast: 0.2, sqrtSlope: -0.025, restS: 400 };
    const c = [
      cand({ ...base, relaxSlopeVperS: -2e-5 }),   // 2 mV: below 3.125 mV
      cand({ ...base, relaxSlopeVperS: 4e-5 }),    // 4 mV: above
      cand({ ...base, relaxSlopeVperS: null }),
    ];
    const out = analyseGitt(scanWith(c), opts(), 'f');
    expect(out.pulses.map((p) => p.flags.includes('relaxation_unfinished'))).toEqual([false, true, false]);
    close(out.pulses.slice(0, 2).map((p) => p.relax_slope_mV_h!), [-72, 144]);
    expect(out.pulses[2]!.relax_slope_mV_h).toBeNull();
    // a resolution of 5 mV: 4 mV is within it
    expect(analyseGitt(scanWith(c), opts({ resolutionV: 0.005 }), 'f').pulses[1]!.flags).not.toContain('relaxation_unfinished');
  });

  it('a desodiation train: branch, IR and position from the mass', () => {
    const c = [0.25, 0.5, 0.75].map((q) => cand({ dir: 'C', eBefore: 0.25, vFirst: 0.3125, vLast: 0.4375, eAfter: 0.375, sqrtSlope: 0.0125, qAfterMAh: q }));
    const out = analyseGitt(scanWith(c), opts(), 'f');
    expect(out.pulses.map((p) => p.branch)).toEqual(['desodiation', 'desodiation', 'desodiation']);
    close(out.pulses.map((p) => p.q_mAh_g), [125, 250, 375]); // mAh / 0.002 g
    close(out.pulses.map((p) => p.ir_mV), [62.5, 62.5, 62.5]);
    expect(out.summary.map((s) => [s.branch, s.pulses])).toEqual([['sodiation', 0], ['desodiation', 3]]);
  });
});

describe('boundaries found by the first Stryker run', () => {
  it('dQ/dV: a record at the same voltage as the extreme is not past it (its capacity is not taken as the extreme\'s)', () => {
    // 1 → 0.8 (Q 1), 0.8 again (Q 2: ignored), 0.6 (Q 3): 0.75 V at f = 0.25 between (0.8, 1) and (0.6, 3) → 1.5
    const d = capacityOnGrid({ dir: 'D', v: [1, 0.8, 0.8, 0.6], q: [0, 1, 2, 3] }, 0.25);
    expect(d.v).toEqual([0.75]);
    close(d.q, [1.5]);
    const c = capacityOnGrid({ dir: 'C', v: [0, 0.2, 0.2, 0.4], q: [0, 1, 2, 3] }, 0.25);
    expect(c.v).toEqual([0.25]);
    close(c.q, [1.5]);
  });

  it('findPeaks: with no separation the flat top is still one peak (its first point)', () => {
    const abs = [1, 3, 2, 2, 5, 1, 4, 4, 0.5, 1];
    const c = { v: abs.map((_, k) => k / 4), dqdv: abs.map((x) => -x), stepV: 0.25, voltageNoiseV: 0 };
    expect(findPeaks(c, { detectPoints: 1, minSeparationV: 0 }).peaks).toEqual([{ v: 1, dqdv: -5, prominence: 4 }, { v: 1.5, dqdv: -4, prominence: 3 }, { v: 0.25, dqdv: -3, prominence: 1 }]);
  });

  it('findPeaks: ground of equal height does not stop the search for the lowest point', () => {
    // 0.5 4 2 4 1 1.5: k1 — right side 2, 4 (equal: go on), 1, 1.5 → low 1; left 0.5 → base 1, prominence 3;
    // k3 — left 2, 4 (equal), 0.5 → low 0.5; right 1 → base 1, prominence 3
    const c = { v: [0, 1, 2, 3, 4, 5], dqdv: [0.5, 4, 2, 4, 1, 1.5], stepV: 1, voltageNoiseV: 0 };
    expect(findPeaks(c, { detectPoints: 1, minSeparationV: 0 }).peaks).toEqual([{ v: 1, dqdv: 4, prominence: 3 }, { v: 3, dqdv: 4, prominence: 3 }]);
  });

  it('findPeaks: the raw maximum is sought within half the detection window only', () => {
    // raw 5 0 0 0 3 3 3 0 0 5, 3-point average 2.5 5/3 0 1 2 3 2 1 5/3 2.5: the peak of the average is k5
    // (the ends are cut-offs); raw within k4…k6 is 3 everywhere → k5 itself, not the 5 at either end.
    // Prominence: left low 0 (k2), right low 1 (k7) → 3 − 1 = 2
    const c = { v: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], dqdv: [5, 0, 0, 0, 3, 3, 3, 0, 0, 5], stepV: 1, voltageNoiseV: 0.3 };
    const r = findPeaks(c, { detectPoints: 3, noiseSigmas: 0 });
    expect(r.peaks).toHaveLength(1);
    expect(r.peaks[0]!.v).toBe(5);
    expect(r.peaks[0]!.dqdv).toBe(3);
    expect(r.peaks[0]!.prominence).toBeCloseTo(2, 12);
    // relative noise over the 3-point window: √2 · 0.3 / (3 · 1)
    expect(r.thresholds.relative_noise).toBeCloseTo(Math.SQRT2 * 0.1, 12);
  });

  it('GITT: a current exactly at the rest threshold is rest', () => {
    // threshold 2 µA: the 2 µA records are rest, so nothing is forgotten and every pulse follows a rest
    const b = records(false);
    b.add(0, 0, 0.5, 0, 'R'); b.add(100, 100, 0.5, 0.002, 'C'); b.add(200, 200, 0.5, 0.002, 'C');
    [0.5, 0.375, 0.25].forEach((e, j) => { b.pulse(300 + 700 * j, 'D', e, 0.025); b.rest(500 + 700 * j, e - 0.125); });
    const s = scanOf(b.recs, 'discharge', 0.002);
    expect(s.noise).toBeNull();
    expect(s.candidates).toHaveLength(3);
    expect([s.currentRuns, s.restRuns, s.noRestBefore]).toEqual([3, 4, 0]);
  });

  it('GITT: no √t line when the time stands still; R² 1 for a flat pulse; a rest of two records', () => {
    const b = records();
    b.rest(0, 0.5);                                                   // 1–5
    b.pulse(500, 'D', 0.5, 0.025, [0, 25, 25, 25]);                   // 6–9: √t 5, 5, 5 → no line
    b.add(600, 0, 0.375, 0, 'R'); b.add(1000, 400, 0.375, 0, 'R');   // 10–11: a rest of two records
    b.pulse(1100, 'D', 0.375, 0, [0, 25, 64, 100]);                   // 12–15: flat at 0.3125 V
    b.rest(1300, 0.25);
    const c = scanOf(b.recs).candidates;
    expect(c[0]!.sqrtSlope).toBeNull();
    expect(c[0]!.r2).toBeNull();
    // the last quarter of a 400 s rest holds only its last record: no slope, but the rest length stands
    expect(c[0]!.restS).toBe(400);
    expect(c[0]!.relaxSlopeVperS).toBeNull();
    expect(c[1]!.sqrtSlope).toBe(0);
    expect(c[1]!.r2).toBe(1);
  });

  it('GITT: an R² equal to the minimum is not poor', () => {
    const out = analyseGitt(scanWith([cand({ r2: 0.95 }), cand({ r2: 0.9499 }), cand()]), opts(), 'f');
    expect(out.pulses.map((p) => p.flags.includes('poor_sqrt_fit'))).toEqual([false, true, false]);
  });
  it('GITT: noise steps followed by a rest: the rest in progress is not counted as a step', () => {
    // R, 2 µA charge (noise), R, then the 1 mA pulses: one step forgotten, at the first pulse record (line 4)
    const b = records(false);
    b.add(0, 0, 0.5, 0, 'R'); b.add(100, 100, 0.5, 0.002, 'C'); b.add(200, 200, 0.5, 0, 'R');
    [0.5, 0.375, 0.25].forEach((e, j) => { b.pulse(300 + 700 * j, 'D', e, 0.025); b.rest(500 + 700 * j, e - 0.125); });
    const s = scanOf(b.recs);
    expect(s.noise).toEqual({ runs: 1, line: 4 });
    expect(s.candidates).toHaveLength(3);
    expect([s.currentRuns, s.restRuns, s.noRestBefore, s.halfCycles]).toEqual([3, 4, 0, 1]);
  });
  it('dQ/dV: a charge that starts above 0 V starts at the next level up', () => {
    // from 0.5 V, step 0.25: the first level past 0.5 V is 0.75 V; Q = 4(V − 0.5)
    const g = capacityOnGrid({ dir: 'C', v: [0.5, 1], q: [0, 2] }, 0.25);
    expect(g.v).toEqual([0.75, 1]);
    close(g.q, [1, 2]);
  });

  it('peaks(): a point on a rising flank is no maximum', () => {
    // |y| 1 2 3 2: only k2 (k1 is below its right neighbour)
    expect(peaks({ v: [0, 1, 2, 3], q: [0, 0, 0, 0], dqdv: [1, 2, 3, 2] }, 0.1, 10)).toEqual([{ v: 2, dqdv: 3 }]);
  });

  it('dqdvCurve with Savitzky–Golay: a linear dQ/dV is kept to the ends (a moving average would bend them)', () => {
    // Q = V² on a 0.1 V grid: dQ/dV = 2 × midpoint, linear, so SG of order 2 returns it unchanged
    const w = Array.from({ length: 11 }, (_, k) => k / 10);
    const c = dqdvCurve({ dir: 'C', v: w, q: w.map((x) => x * x) }, { stepV: 0.1, smoothing: { kind: 'savgol', points: 5, order: 2 } });
    close(c.dqdv, [0.3, 0.5, 0.7, 0.9, 1.1, 1.3, 1.5, 1.7, 1.9]);
  });

  it('dV/dQ from a capacity that does not start at 0', () => {
    // Q 2 … 4 mAh, V = Q/2: two intervals of 1 mAh at 2.5 and 3.5 mAh, slope 0.5
    const d = dvdq({ dir: 'C', q: [2, 3, 4], v: [1, 1.5, 2] }, { intervals: 2 });
    close(d.q, [2.5, 3.5]);
    close(d.dvdq, [0.5, 0.5]);
  });

  it('findPeaks: the raw maximum at the right edge of the half window is found', () => {
    // raw 0 0 0 4 4 0 6 0 0, 3-point average 0 0 4/3 8/3 8/3 10/3 2 2 0: peak of the average at k5,
    // raw within k4…k6 → 6 at k6
    const c = { v: [0, 1, 2, 3, 4, 5, 6, 7, 8], dqdv: [0, 0, 0, 4, 4, 0, 6, 0, 0], stepV: 1, voltageNoiseV: 0 };
    const r = findPeaks(c, { detectPoints: 3 });
    expect(r.peaks.map((p) => [p.v, p.dqdv])).toEqual([[6, 6]]);
  });

  it('findPeaks: a prominence exactly at the noise floor is not above it', () => {
    // 3 4 3: prominence 1, √(4² + 3²) = 5; σ_V = 1/√2 → rel = √2 σ_V / (1 · 1) = 1; floor = sigmas · 1 · 5
    const c = { v: [0, 1, 2], dqdv: [3, 4, 3], stepV: 1, voltageNoiseV: 1 / Math.SQRT2 };
    expect(findPeaks(c, { detectPoints: 1, noiseSigmas: 0.2 }).peaks).toEqual([]);
    expect(findPeaks(c, { detectPoints: 1, noiseSigmas: 0.19 }).peaks).toEqual([{ v: 1, dqdv: 4, prominence: 1 }]);
  });
  it('GITT: a current that doubles is no sign of noise (0.5 mA then 1 mA in one step)', () => {
    const b = records(false);
    b.add(0, 0, 1, 0, 'R'); b.add(100, 0, 0.9, -0.5, 'D'); b.add(200, 100, 0.8, -1, 'D'); b.add(300, 0, 0.85, 0, 'R');
    const s = scanOf(b.recs);
    expect(s.noise).toBeNull();
    expect([s.currentRuns, s.restRuns, s.candidates.length]).toEqual([1, 2, 1]);
  });
});
