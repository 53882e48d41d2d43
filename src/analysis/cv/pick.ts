import type { Sweep } from '../cv.js';
import { cycleOf } from './sei.js';

export interface TraceFile { file: string; scan_rate_v_s: number | null; trace: { e: Float64Array; i: Float64Array; sweeps: Sweep[] } }

/** The sweep of `direction` in cycle `cycle`, or the last such sweep when the file has fewer cycles. */
export function pickSweep(f: TraceFile, cycle: number, direction: 'anodic' | 'cathodic'): { sweep: Sweep | null; cycle: number | null } {
  const ds = f.trace.sweeps.filter((s) => s.direction === direction);
  const exact = ds.find((s) => cycleOf(s) === cycle);
  if (exact) return { sweep: exact, cycle };
  const last = ds[ds.length - 1];
  return last ? { sweep: last, cycle: cycleOf(last) } : { sweep: null, cycle: null };
}

export function sweepRange(e: Float64Array, s: Sweep): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let k = s.start; k < s.end; k++) { lo = Math.min(lo, e[k]!); hi = Math.max(hi, e[k]!); }
  return [lo, hi];
}
