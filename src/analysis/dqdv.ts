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
