/**
 * The first-cycle irreversible (SEI) peak: a cathodic peak of cycle 1 with no counterpart in any
 * later cathodic sweep that covers its potential. A counterpart is a peak within ±50 mV whose
 * baseline-corrected current is at least a third of the cycle-1 peak's.
 */
import type { PeakRow } from './peaks.js';
import type { Sweep } from '../cv.js';

export interface SeiRow { cycle: 1; sweep: number; ep_v: number; ip_a: number; charge_c: number | null; later_sweeps_checked: number[] }

export const SEI_WINDOW_V = 0.05;
export const SEI_CURRENT_FRACTION = 1 / 3;

export function cycleOf(s: Sweep): number { return Math.floor((s.index - 1) / 2) + 1; }

export function findSei(e: Float64Array, sweeps: Sweep[], peaks: PeakRow[]): { sei: SeiRow[]; note: string | null } {
  const first = sweeps.filter((s) => cycleOf(s) === 1 && s.direction === 'cathodic');
  const later = sweeps.filter((s) => cycleOf(s) > 1 && s.direction === 'cathodic');
  if (!first.length) return { sei: [], note: 'SEI peak not assessed: cycle 1 has no cathodic sweep' };
  if (!later.length) return { sei: [], note: 'SEI peak not assessed: no later cycle to compare cycle 1 with' };
  const out: SeiRow[] = [];
  for (const s of first) {
    for (const p of peaks.filter((q) => q.sweep === s.index)) {
      const covering = later.filter((t) => {
        let lo = Infinity, hi = -Infinity;
        for (let k = t.start; k < t.end; k++) { lo = Math.min(lo, e[k]!); hi = Math.max(hi, e[k]!); }
        return p.ep_v >= lo && p.ep_v <= hi;
      });
      if (!covering.length) continue;
      const matched = covering.some((t) => peaks.some((q) => q.sweep === t.index && Math.abs(q.ep_v - p.ep_v) <= SEI_WINDOW_V && Math.abs(q.ip_a) >= SEI_CURRENT_FRACTION * Math.abs(p.ip_a)));
      if (!matched) {
        p.flags.push('sei');
        out.push({ cycle: 1, sweep: s.index, ep_v: p.ep_v, ip_a: p.ip_a, charge_c: p.charge_c, later_sweeps_checked: covering.map((t) => t.index) });
      }
    }
  }
  return { sei: out, note: null };
}
