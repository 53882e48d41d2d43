// Mutation tests for src/analysis/dqdv.ts and src/analysis/gitt.ts (issue 20 point 4). In-process,
// small hand-built inputs. Every expected number is worked by hand here (in the comments) from a
// curve with a known derivative, from eq. 3 of science.md, or from a textbook formula written
// again; none is the code's own output pasted in.
import { describe, expect, it } from 'vitest';
import {
  branchCollector, capacityOnGrid, defaultStepV, detectPoints, dqdv, dqdvCurve, dvdq, findPeaks, gridLevels,
  movingAverage, peaks, savgolWeights, savitzkyGolay, smoothingGain, voltageNoise, voltageResolution, type BranchPoints,
} from '../src/analysis/dqdv.js';

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
