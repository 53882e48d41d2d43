/**
 * Compare our per-cycle figures with the cycler's own cycle table (LAND Cycle-Tab). Like with
 * like: LAND numbers cycles with its own counter and its `Efficiency/%` is the second half-cycle
 * over the first within that numbering, so our half-cycles are grouped by the vendor cycle number
 * they start in, not by our cycle definition.
 */
import type { VendorCycle } from '../types.js';
import type { CyclingData, HalfCycle } from './cycling.js';

export const CROSSCHECK_TOLERANCE_PCT = 0.5;

export interface CrossCheck {
  source: string;
  cycles_compared: number;
  /** Largest relative difference of a capacity, or absolute difference of an efficiency, in %. */
  max_diff_pct: number;
  worst_cycle: number | null;
  worst_quantity: string | null;
  status: 'ok' | 'differs';
  /** Cycles whose difference exceeds the tolerance. */
  differing_cycles: number[];
  tolerance_pct: number;
}

export function crossCheck(data: CyclingData, vendor: VendorCycle[], massMg: number | null, source = 'Cycle-Tab'): CrossCheck {
  const byVendor = new Map<number, HalfCycle[]>();
  const useVendorNumbers = data.halfCycles.some((h) => h.vendorCycle !== null);
  if (useVendorNumbers) {
    for (const h of data.halfCycles) {
      if (h.vendorCycle === null) continue;
      let a = byVendor.get(h.vendorCycle);
      if (!a) byVendor.set(h.vendorCycle, (a = []));
      a.push(h);
    }
  } else {
    for (const c of data.cycles) byVendor.set(c.n, c.extraction ? [c.insertion, c.extraction] : [c.insertion]);
  }
  let worst = 0, worstCycle: number | null = null, worstQ: string | null = null, compared = 0;
  const differing = new Set<number>();
  const consider = (cycle: number, what: string, ours: number, theirs: number | null, relative: boolean) => {
    if (theirs === null) return;
    let d: number;
    if (relative) {
      if (theirs === 0 && ours === 0) return;
      const scale = Math.max(Math.abs(theirs), 1e-12);
      d = Math.abs(ours - theirs) / scale * 100;
    } else d = Math.abs(ours - theirs);
    if (d > worst) { worst = d; worstCycle = cycle; worstQ = what; }
    if (d > CROSSCHECK_TOLERANCE_PCT) differing.add(cycle);
  };
  for (const v of vendor) {
    const hs = byVendor.get(v.cycle);
    if (!hs) continue;
    compared++;
    const sum = (dir: 'D' | 'C') => hs.filter((h) => h.dir === dir).reduce((s, h) => s + h.capacityMAh, 0);
    const d = sum('D'), c = sum('C');
    if (v.capDMAh !== null) consider(v.cycle, 'discharge capacity', d, v.capDMAh, true);
    else if (v.speCapDMAhG !== null && massMg) consider(v.cycle, 'discharge capacity', d / (massMg / 1000), v.speCapDMAhG, true);
    if (v.capCMAh !== null) consider(v.cycle, 'charge capacity', c, v.capCMAh, true);
    else if (v.speCapCMAhG !== null && massMg) consider(v.cycle, 'charge capacity', c / (massMg / 1000), v.speCapCMAhG, true);
    if (v.efficiencyPct !== null && hs.length >= 2) {
      const firstDir = hs[0]!.dir;
      const q1 = firstDir === 'D' ? d : c, q2 = firstDir === 'D' ? c : d;
      if (q1 > 0 && v.efficiencyPct > 0) consider(v.cycle, 'efficiency', q2 / q1 * 100, v.efficiencyPct, false);
    }
  }
  return {
    source,
    cycles_compared: compared,
    max_diff_pct: worst,
    worst_cycle: worstCycle,
    worst_quantity: worstQ,
    status: differing.size ? 'differs' : 'ok',
    differing_cycles: [...differing].sort((a, b) => a - b),
    tolerance_pct: CROSSCHECK_TOLERANCE_PCT,
  };
}
