// Mutation tests (issue 20 point 4) for src/analysis/crosscheck.ts, extent.ts, metrics.ts, cycling.ts
// and the rate.ts leftovers listed in docs/testing.md. Inputs are built here by hand and every expected
// number is worked from them in the comments (never pasted from the code's output).
import { describe, expect, it } from 'vitest';
import { crossCheck } from '../src/analysis/crosscheck.js';
import { maxOf, minOf } from '../src/analysis/extent.js';
import type { Cycle, CyclingData, HalfCycle } from '../src/analysis/cycling.js';
import type { VendorCycle } from '../src/types.js';
import { rateSteps } from '../src/analysis/rate.js';
import type { CycleRow } from '../src/analysis/metrics.js';

/** A half-cycle with the given direction, capacity and vendor cycle number; every other field neutral. */
function hc(dir: 'D' | 'C', capacityMAh: number, vendorCycle: number | null = null, over: Partial<HalfCycle> = {}): HalfCycle {
  return {
    index: 0, dir, firstLine: 1, lastLine: 2, records: 2, startTimeS: null, endTimeS: null, vendorCycle,
    startV: 1, endV: 1, minV: 1, maxV: 1, columnMAh: capacityMAh, integratedMAh: null, capacityMAh,
    crossMAh: null, resets: 0, counterCarried: false, maxAbsCurrentMA: 1, ccCurrentMA: 1, ccRecords: 2, energyMWh: 0,
    ...over,
  };
}

/** CyclingData over these half-cycles, cycles made by our definition (an insertion and the extraction after it). */
function cdata(halfCycles: HalfCycle[], first: 'discharge' | 'charge' = 'discharge', over: Partial<CyclingData> = {}): CyclingData {
  const ins = first === 'discharge' ? 'D' : 'C';
  const cycles: Cycle[] = [];
  const leading: HalfCycle[] = [];
  halfCycles.forEach((h, k) => { h.index = k; });
  for (const h of halfCycles) {
    if (h.dir === ins) cycles.push({ n: cycles.length + 1, insertion: h, extraction: null });
    else if (cycles.length) cycles[cycles.length - 1]!.extraction = h;
    else leading.push(h);
  }
  return {
    first, splitV: 0.1, halfCycles, cycles, leading, capacitySource: 'column', statedMassMg: null,
    records: 0, restRecords: 0, steps: 0, partial: null, timeSpanS: null, warnings: [], ...over,
  };
}

function vc(cycle: number, v: Partial<VendorCycle>): VendorCycle {
  return { cycle, capCMAh: null, capDMAh: null, speCapCMAhG: null, speCapDMAhG: null, efficiencyPct: null, ...v };
}

describe('crossCheck: our half-cycles against the cycler\'s own cycle table', () => {
  it('groups by the vendor cycle number; skips half-cycles without one and vendor rows we do not have', () => {
    // Vendor cycle 1: D 1.0, C 0.9; vendor cycle 2: D 0.95, C 0.94; an unnumbered D 5.0 mAh is ignored.
    const d = cdata([hc('D', 1.0, 1), hc('C', 0.9, 1), hc('D', 5.0, null), hc('D', 0.95, 2), hc('C', 0.94, 2)]);
    const v = [
      vc(1, { capDMAh: 1.002, capCMAh: 0.9, efficiencyPct: 90 }),
      vc(2, { capDMAh: 0.95, capCMAh: 0.94, efficiencyPct: 99 }),
      vc(7, { capDMAh: 3, capCMAh: 3, efficiencyPct: 10 }),
    ];
    const r = crossCheck(d, v, null);
    // Cycle 1 discharge |1.0 − 1.002| / 1.002 = 0.1996 %; cycle 2 efficiency |0.94/0.95·100 − 99| = 0.0526 (absolute).
    expect(r.cycles_compared).toBe(2);
    expect(r.max_diff_pct).toBeCloseTo(0.002 / 1.002 * 100, 9);
    expect(r.worst_cycle).toBe(1);
    expect(r.worst_quantity).toBe('discharge capacity');
    expect(r.status).toBe('ok');
    expect(r.differing_cycles).toEqual([]);
    expect(r.source).toBe('Cycle-Tab');
    expect(r.tolerance_pct).toBe(0.5);
  });

  it('the efficiency is the second half-cycle over the first of the vendor cycle (charge first: D / C)', () => {
    // Vendor cycle 3 starts with a charge of 2.0 mAh, then a discharge of 1.5: efficiency 75 %; the table says 77.
    const d = cdata([hc('C', 2.0, 3), hc('D', 1.5, 3)]);
    const r = crossCheck(d, [vc(3, { efficiencyPct: 77 })], null, 'Cycle section');
    expect(r.max_diff_pct).toBeCloseTo(2, 12);
    expect(r.worst_quantity).toBe('efficiency');
    expect(r.worst_cycle).toBe(3);
    expect(r.status).toBe('differs');
    expect(r.differing_cycles).toEqual([3]);
    expect(r.source).toBe('Cycle section');
    // Discharge first: 1.5 / 2.0 = 75 % too when the order is D then C with those sizes swapped.
    const d2 = cdata([hc('D', 2.0, 3), hc('C', 1.5, 3)]);
    expect(crossCheck(d2, [vc(3, { efficiencyPct: 75 })], null).max_diff_pct).toBe(0);
    // and sums several half-cycles of one direction within a vendor cycle: D 1.0 + D 1.0 = 2.0, C 1.5.
    const d3 = cdata([hc('D', 1.0, 4), hc('C', 0.5, 4), hc('D', 1.0, 4), hc('C', 1.0, 4)]);
    const r3 = crossCheck(d3, [vc(4, { capDMAh: 2.0, capCMAh: 1.5, efficiencyPct: 75 })], null);
    expect(r3.max_diff_pct).toBe(0);
    expect(r3.worst_cycle).toBeNull();
    expect(r3.worst_quantity).toBeNull();
  });

  it('an efficiency difference of exactly the tolerance (0.5) does not count as differing', () => {
    // C 2.0 then D 1.0: 50 %; the table says 50.5: |50 − 50.5| = 0.5 exactly (all three numbers exact in binary).
    const r = crossCheck(cdata([hc('C', 2.0, 1), hc('D', 1.0, 1)]), [vc(1, { efficiencyPct: 50.5 })], null);
    expect(r.max_diff_pct).toBe(0.5);
    expect(r.status).toBe('ok');
    expect(r.differing_cycles).toEqual([]);
  });

  it('no efficiency from a one-branch vendor cycle, a first branch with no charge, or a vendor efficiency of 0', () => {
    const d = cdata([hc('D', 1.0, 1), hc('D', 0, 2), hc('C', 0.5, 2), hc('D', 1.0, 3), hc('C', 0.8, 3)]);
    // cycle 1: only a discharge (efficiency from it would be 0/1 → 0 against 50); cycle 2: Q1 = 0;
    // cycle 3: the table's efficiency is 0 (not recorded) while ours is 80.
    const r = crossCheck(d, [vc(1, { efficiencyPct: 50 }), vc(2, { efficiencyPct: 50 }), vc(3, { efficiencyPct: 0 })], null);
    expect(r.cycles_compared).toBe(3);
    expect(r.max_diff_pct).toBe(0);
    expect(r.status).toBe('ok');
  });

  it('without vendor numbers our own cycles are used; specific capacities need a positive mass', () => {
    // 2 mg. Cycle 1: D 1.0 mAh = 500 mAh/g (table 510: |500 − 510| / 510 = 1.9608 %), C 0.75 = 375 (table 375),
    // efficiency 75 (table 75). Cycle 2 is incomplete: D 0.5 = 250 (table 250), no charge (0 against 0),
    // and its efficiency (table 50) is not compared with one branch.
    const d = cdata([hc('D', 1.0), hc('C', 0.75), hc('D', 0.5)]);
    const v = [vc(1, { speCapDMAhG: 510, speCapCMAhG: 375, efficiencyPct: 75 }), vc(2, { speCapDMAhG: 250, capCMAh: 0, efficiencyPct: 50 })];
    const r = crossCheck(d, v, 2);
    expect(r.cycles_compared).toBe(2);
    expect(r.max_diff_pct).toBeCloseTo(10 / 510 * 100, 9);
    expect(r.worst_cycle).toBe(1);
    expect(r.worst_quantity).toBe('discharge capacity');
    expect(r.differing_cycles).toEqual([1]);
    expect(r.status).toBe('differs');
    // Without a mass (null or 0) only the efficiency is compared: equal, nothing differs.
    for (const m of [null, 0]) {
      const r0 = crossCheck(d, v, m);
      expect(r0.max_diff_pct).toBe(0);
      expect(r0.worst_cycle).toBeNull();
      expect(r0.status).toBe('ok');
    }
  });

  it('the charge capacity: absolute mAh first, then specific capacity with a mass', () => {
    // C 0.75 mAh against 0.8: |0.75 − 0.8| / 0.8 = 6.25 %; with a stated 0.75 the specific 400 (0.75 / 2 mg = 375) is not used.
    const d = cdata([hc('D', 1.0), hc('C', 0.75)]);
    const r = crossCheck(d, [vc(1, { capCMAh: 0.8 })], 2);
    expect(r.max_diff_pct).toBeCloseTo(6.25, 9);
    expect(r.worst_quantity).toBe('charge capacity');
    expect(crossCheck(d, [vc(1, { capCMAh: 0.75, speCapCMAhG: 400 })], 2).max_diff_pct).toBe(0);
    expect(crossCheck(d, [vc(1, { capDMAh: 1.0, speCapDMAhG: 400 })], 2).max_diff_pct).toBe(0);
    // specific charge capacity 375 against 400: 6.25 %
    const rs = crossCheck(d, [vc(1, { speCapCMAhG: 400 })], 2);
    expect(rs.max_diff_pct).toBeCloseTo(6.25, 9);
    expect(rs.worst_quantity).toBe('charge capacity');
  });

  it('differing cycles come out sorted by number; on a tie the first cycle met stays the worst', () => {
    // Vendor rows in the order 10, 9: cycle 10 D 1 against 2 (50 %), cycle 9 D 1 against 1.25 (20 %).
    const d = cdata([hc('D', 1, 9), hc('D', 1, 10)]);
    const r = crossCheck(d, [vc(10, { capDMAh: 2 }), vc(9, { capDMAh: 1.25 })], null);
    expect(r.differing_cycles).toEqual([9, 10]);
    expect(r.max_diff_pct).toBe(50);
    expect(r.worst_cycle).toBe(10);
    // Cycles 3 and 4 both 1 against 2: 50 % each; cycle 3 is met first.
    const t = crossCheck(cdata([hc('D', 1, 3), hc('D', 1, 4)]), [vc(3, { capDMAh: 2 }), vc(4, { capDMAh: 2 })], null);
    expect(t.worst_cycle).toBe(3);
    expect(t.differing_cycles).toEqual([3, 4]);
  });

  it('relative differences against a zero or negative table value use |table| (at least 1e-12)', () => {
    // D 3e-12 mAh against 0: 3e-12 / 1e-12 = 300 %; C 0 against 4: 100 %.
    const d = cdata([hc('D', 3e-12, 1), hc('C', 0, 1)]);
    const r = crossCheck(d, [vc(1, { capDMAh: 0 })], null);
    expect(r.max_diff_pct).toBeCloseTo(300, 6);
    const r2 = crossCheck(d, [vc(1, { capCMAh: 4 })], null);
    expect(r2.max_diff_pct).toBe(100);
    // D 1 against −1: |1 − (−1)| / |−1| = 200 %.
    expect(crossCheck(cdata([hc('D', 1, 1)]), [vc(1, { capDMAh: -1 })], null).max_diff_pct).toBe(200);
  });
});

describe('maxOf / minOf', () => {
  it('largest and smallest by a loop, with the start value when the list is empty or all beyond it', () => {
    expect(maxOf([1, 3, 2])).toBe(3);
    expect(minOf([3, 1, 2])).toBe(1);
    expect(maxOf([])).toBe(-Infinity);
    expect(minOf([])).toBe(Infinity);
    expect(maxOf([1, 2], 10)).toBe(10);
    expect(minOf([1, 2], -10)).toBe(-10);
    expect(maxOf([-5, -7])).toBe(-5);
    expect(minOf([5, 7])).toBe(5);
  });

  it('a NaN anywhere makes the answer NaN (as Math.max does), also when it comes first', () => {
    expect(maxOf([1, NaN, 3])).toBeNaN();
    expect(minOf([1, NaN, 0])).toBeNaN();
    expect(maxOf([NaN, 3])).toBeNaN();
    expect(minOf([NaN, -3])).toBeNaN();
  });
});

describe('rate steps: the leftovers of docs/testing.md (rows written by hand, 2 mg, anode)', () => {
  /** A cycle row: insertion (discharge) current i mA/g (mA = i × 0.002), reversible (charge) capacity qc mAh, discharge qc + 0.01. */
  const row = (cycle: number, i: number | null, qc: number | null, mA: number | null = i === null ? null : i * 0.002) => ({
    cycle, i_dis_mA_g: i, i_dis_mA: mA, i_ch_mA_g: null, i_ch_mA: null,
    q_ch_mAh: qc, q_dis_mAh: qc === null ? null : qc + 0.01,
    q_ch_mAh_g: qc === null ? null : qc * 500, q_dis_mAh_g: qc === null ? null : (qc + 0.01) * 500,
    ce_pct: qc === null ? null : qc / (qc + 0.01) * 100,
  }) as unknown as CycleRow;

  it('zero current is skipped (two cycles: plural); exactly 5 % off the step\'s first current still joins it; the last step back is used', () => {
    // cycle 1 formation; 100 and 105 (|105 − 100| = 5 = 5 % of 100) one step; 4 and 5 carry 0 mA/g;
    // then 200, 95 (exactly 5 % below), 210, 100: steps 3 and 5 are both back at 100, the last (5) counts.
    const rows = [row(1, 50, 0.7), row(2, 100, 0.6), row(3, 105, 0.58), row(4, 0, 0.3), row(5, 0, 0.3),
      row(6, 200, 0.5), row(7, 95, 0.5), row(8, 210, 0.4), row(9, 100, 0.472)];
    const r = rateSteps(rows);
    expect(r.steps.map((s) => [s.first_cycle, s.last_cycle])).toEqual([[2, 3], [6, 6], [7, 7], [8, 8], [9, 9]]);
    expect(r.skipped_cycles).toEqual([4, 5]);
    expect(r.warnings).toEqual(['cycles 4, 5 carry no insertion current: left out of the rate steps']);
    // reference 0.59 (mean of 0.6, 0.58), step 5 holds 0.472: 80 %
    expect(r.recovery_step).toBe(5);
    expect(r.recovery_pct).toBeCloseTo(0.472 / 0.59 * 100, 9);
    expect(r.assumptions.step_rule).toBe("consecutive cycles whose discharge (insertion) constant-current density is within ±5 % of the step's first cycle");
    expect(r.assumptions.sd).toBe('sample standard deviation (n − 1); null for a one-cycle step');
    expect(r.assumptions.recovery).toBe("mean reversible capacity of the last step back at the first step's current / that of the first step × 100");
  });

  it('a return exactly 5 % from the first current counts as a return; no skipped cycle, no warning', () => {
    const r = rateSteps([row(1, 100, 0.5), row(2, 300, 0.4), row(3, 105, 0.45)], { formationCycles: 0 });
    expect(r.steps).toHaveLength(3);
    expect(r.warnings).toEqual([]);
    expect(r.recovery_step).toBe(3);
    expect(r.recovery_pct).toBeCloseTo(90, 9);
    const r2 = rateSteps([row(1, 100, 0.5), row(2, 300, 0.4), row(3, 95, 0.45)], { formationCycles: 0 });
    expect(r2.recovery_step).toBe(3);
  });

  it('a first step with no reversible charge: no ratio to it and no recovery', () => {
    const r = rateSteps([row(1, 100, 0), row(2, 200, 0.4), row(3, 100, 0.3)], { formationCycles: 0 });
    expect(r.steps.map((s) => s.rev_vs_first_pct)).toEqual([null, null, null]);
    expect(r.recovery_pct).toBeNull();
    expect(r.recovery_step).toBeNull();
    expect(r.recovery_note).toBe('the first step passes no reversible charge');
  });

  it('a step without reversible capacity has no ratio, and as the return step gives no recovery', () => {
    const r = rateSteps([row(1, 100, 0.5), row(2, 200, null), row(3, 100, null)], { formationCycles: 0 });
    expect(r.steps.map((s) => s.rev_vs_first_pct)).toEqual([100, null, null]);
    expect(r.recovery_pct).toBeNull();
    expect(r.recovery_note).toBe('the first step passes no reversible charge');
  });

  it('no step at all: only formation cycles, or none', () => {
    for (const rows of [[row(1, 50, 0.7)], []]) {
      const r = rateSteps(rows);
      expect(r.steps).toEqual([]);
      expect(r.recovery_pct).toBeNull();
      expect(r.recovery_note).toBe('no rate step found');
      expect(r.assumptions.steps_detected).toBe('');
    }
  });

  it('a step whose current cannot be averaged (infinite mA/g, no mA) is written "?"', () => {
    const r = rateSteps([row(1, 50, 0.7), row(2, Infinity, 0.5, null)]);
    expect(r.steps).toHaveLength(1);
    expect(r.steps[0]!.i_mA_g).toBeNull();
    expect(r.assumptions.steps_detected).toBe('? mA/g: cycles 2–2');
    expect(r.recovery_note).toBe("no later step returns to the first step's current (? mA/g)");
  });
});
