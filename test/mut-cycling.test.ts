// Mutation tests (issue 20 point 4) for src/analysis/crosscheck.ts, extent.ts, metrics.ts, cycling.ts
// and the rate.ts leftovers listed in docs/testing.md. Inputs are built here by hand and every expected
// number is worked from them in the comments (never pasted from the code's output).
import { describe, expect, it } from 'vitest';
import { crossCheck } from '../src/analysis/crosscheck.js';
import { maxOf, minOf } from '../src/analysis/extent.js';
import { CyclingReducer, ccCurrent, classifyRecord, segment } from '../src/analysis/cycling.js';
import type { Cycle, CyclingData, CyclingOptions, HalfCycle } from '../src/analysis/cycling.js';
import type { CyclerRecord, VendorCycle } from '../src/types.js';
import { rateSteps } from '../src/analysis/rate.js';
import type { CycleRow } from '../src/analysis/metrics.js';
import { averageVoltage, cycleRows, ice, pct, resolveMass, retention, retentionAt, specific, split } from '../src/analysis/metrics.js';
import { DataError, UsageError } from '../src/errors.js';

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

  it('without a mass the note gives the first current in mA', () => {
    const r = rateSteps([row(1, null, 0.5, 0.2), row(2, null, 0.4, 0.4)], { formationCycles: 0 });
    expect(r.recovery_note).toBe("no later step returns to the first step's current (0.2 mA)");
  });

  it('a step whose current cannot be averaged (infinite mA/g, no mA) is written "?"', () => {
    const r = rateSteps([row(1, 50, 0.7), row(2, Infinity, 0.5, null)]);
    expect(r.steps).toHaveLength(1);
    expect(r.steps[0]!.i_mA_g).toBeNull();
    expect(r.assumptions.steps_detected).toBe('? mA/g: cycles 2–2');
    expect(r.recovery_note).toBe("no later step returns to the first step's current (? mA/g)");
  });
});

/** One cycler record; unspecified fields empty (null). */
function rec(line: number, o: { t?: number | null; st?: number | null; v: number; i: number; cap?: number | null; spec?: number | null; cyc?: number | null; step?: number | null; state?: 'D' | 'C' | 'R' | null }): CyclerRecord {
  return {
    line, timeS: o.t ?? null, stepTimeS: o.st ?? null, voltageV: o.v, currentMA: o.i, capacityMAh: o.cap ?? null,
    specificCapacityMAhG: o.spec ?? null, cycleIndex: o.cyc ?? null, stepIndex: o.step ?? null, stateKind: o.state ?? null,
  };
}
function run(records: CyclerRecord[], opts: Partial<CyclingOptions> = {}): { data: CyclingData; red: CyclingReducer } {
  const red = new CyclingReducer({ first: 'discharge', splitV: 0.1, ...opts });
  for (const r of records) red.push(r);
  return { data: red.finish(), red };
}

describe('CyclingReducer: per-step counters with a noise record between the branches (Arbin .res)', () => {
  // The discharge's step ends at 1.5 mAh; a one-record step of noise (−0.0015 mA, 1.0e-6 mAh since
  // its step began), a rest (0), then the charge's step starts from its own zero (1.4e-6 mAh at its
  // first record). The charge's first value is above the last value seen (1.0e-6), but that value is
  // a fresh step's noise, not the 1.5 mAh a carried counter would hold: no carry, no warning, and
  // the charge is its column's own 0.9 mAh.
  const recs = [
    rec(1, { t: 0, st: 0, v: 0.8, i: -0.3, cap: 0, step: 1 }),
    rec(2, { t: 9000, st: 9000, v: 0.05, i: -0.3, cap: 0.75, step: 1 }),
    rec(3, { t: 18000, st: 18000, v: 0.05, i: -0.3, cap: 1.5, step: 1 }),
    rec(4, { t: 18000.02, st: 0.02, v: 0.07, i: -0.0015, cap: 1.0e-6, step: 2 }),
    rec(5, { t: 18000.1, st: 0.08, v: 0.08, i: 0, cap: 0, step: 3 }),
    rec(6, { t: 18900, st: 900, v: 0.12, i: 0, cap: 0, step: 3 }),
    rec(7, { t: 18900.02, st: 0.016, v: 0.15, i: 0.3, cap: 1.4e-6, step: 4 }),
    rec(8, { t: 29700, st: 10800, v: 1.0, i: 0.3, cap: 0.9, step: 4 }),
  ];
  it('is not a carried counter', () => {
    const { data } = run(recs);
    expect(data.halfCycles.map((h) => [h.dir, h.counterCarried])).toEqual([['D', false], ['C', false]]);
    expect(data.halfCycles[1]!.capacityMAh).toBeCloseTo(0.9, 12);
    expect(data.warnings.filter((w) => /does not restart/.test(w))).toEqual([]);
  });
  it("while a counter that goes on from the last branch's total is", () => {
    // The same run with the charge counting on from 1.5 mAh: 1.5000014 at its start, 2.4 at its end.
    const carried = recs.map((r) => (r.line >= 7 ? { ...r, capacityMAh: r.capacityMAh! + 1.5 } : r.line === 4 || r.line === 5 || r.line === 6 ? { ...r, capacityMAh: 1.5 } : r));
    const { data } = run(carried);
    expect(data.halfCycles.map((h) => [h.dir, h.counterCarried])).toEqual([['D', false], ['C', true]]);
    expect(data.halfCycles[1]!.capacityMAh).toBeCloseTo(0.9, 9);
  });
});

describe('CyclingReducer: a LAND-like file (state column, capacity accumulating per half-cycle)', () => {
  // 4 mg: SpeCap = Capacity × 250 (line 2 writes 260, an inconsistent smaller record: the largest capacity decides).
  const recs = [
    rec(1, { t: 0, v: 2.0, i: 0, cap: 0, spec: 0, cyc: 1, step: 1, state: 'R' }),
    rec(2, { t: 3600, st: 3600, v: 1.0, i: -1, cap: 1.0, spec: 260, cyc: 1, step: 2, state: 'D' }),
    rec(3, { t: 7200, st: 7200, v: 0.2, i: -1, cap: 2.0, spec: 500, cyc: 1, step: 2, state: 'D' }),
    rec(4, { t: 10800, st: 10800, v: 0.0, i: -1, cap: 3.0, spec: 750, cyc: 1, step: 2, state: 'D' }),
    rec(5, { t: 12600, st: 1800, v: 0.5, i: 0, cap: 0, spec: 0, cyc: 1, step: 3, state: 'R' }),
    rec(6, { t: 16200, st: 3600, v: 0.05, i: 2, cap: 2.0, spec: 500, cyc: 1, step: 4, state: 'C' }),
    rec(7, { t: 19800, st: 7200, v: 1.0, i: 2, cap: 4.0, spec: 1000, cyc: 1, step: 4, state: 'C' }),
    rec(8, { t: 21600, st: 1800, v: 0.5, i: -1, cap: 0.5, spec: 125, cyc: 2, step: 5, state: 'D' }),
  ];
  // Run inside each test (not at collection time), so that a mutant active during the test is the one run.
  const S = () => { const points: unknown[] = []; const { data, red } = run(recs, { onPoint: (...a) => points.push(a) }); const [d1, c1, d2] = data.halfCycles; return { points, data, red, d1, c1, d2 }; };

  it('three half-cycles, two cycles (the second without its charge), counts of records, rests and steps', () => {
    const { points, data, red, d1, c1, d2 } = S();
    expect(data.halfCycles.map((h) => [h.index, h.dir, h.firstLine, h.lastLine, h.records])).toEqual([[0, 'D', 2, 4, 3], [1, 'C', 6, 7, 2], [2, 'D', 8, 8, 1]]);
    expect(data.cycles.map((c) => [c.n, c.insertion.index, c.extraction?.index ?? null])).toEqual([[1, 0, 1], [2, 2, null]]);
    expect(data.leading).toEqual([]);
    expect([data.records, data.restRecords, data.steps]).toEqual([8, 2, 5]);
    expect(data.timeSpanS).toBe(21600);
    expect(data.capacitySource).toBe('column');
    expect(data.partial).toBeNull();
    expect(data.warnings).toEqual([]);
    expect([data.first, data.splitV]).toEqual(['discharge', 0.1]);
    expect(red.unsigned).toBe(false);
    expect(red.specAllZero).toBe(false);
    expect(red.done).toBe(false);
  });

  it('the stated mass from the largest capacity: 4.0 mAh / 1000 mAh/g = 4 mg', () => {
    const { points, data, red, d1, c1, d2 } = S();
    expect(data.statedMassMg).toBe(4);
  });

  it('first discharge: 3 mAh from the column, ∫|I|dt = 1 mA × 3 h (the step time covers the first hour) = 3 mAh', () => {
    const { points, data, red, d1, c1, d2 } = S();
    expect([d1!.columnMAh, d1!.integratedMAh, d1!.capacityMAh]).toEqual([3, 3, 3]);
    expect([d1!.startTimeS, d1!.endTimeS, d1!.vendorCycle]).toEqual([3600, 10800, 1]);
    expect([d1!.startV, d1!.endV, d1!.minV, d1!.maxV]).toEqual([1.0, 0.0, 0.0, 1.0]);
    // 0.1 V is reached between 0.2 V (2 mAh) and 0.0 V (3 mAh): halfway, 2.5 mAh
    expect(d1!.crossMAh).toBeCloseTo(2.5, 12);
    // ∫V dQ: 1.0 × 1 (from Q = 0 at the first point's voltage) + (1.0 + 0.2)/2 × 1 + (0.2 + 0)/2 × 1 = 1.7 mWh
    expect(d1!.energyMWh).toBeCloseTo(1.7, 12);
    expect([d1!.resets, d1!.counterCarried, d1!.maxAbsCurrentMA, d1!.ccCurrentMA, d1!.ccRecords]).toEqual([0, false, 1, 1, 3]);
  });

  it('charge: 4 mAh; ∫|I|dt = 2 mA × (1 h step time + 1 h) = 4 mAh; 0.1 V crossed at 2 + 2 × 0.05/0.95 mAh', () => {
    const { points, data, red, d1, c1, d2 } = S();
    expect([c1!.columnMAh, c1!.integratedMAh, c1!.capacityMAh]).toEqual([4, 4, 4]);
    expect(c1!.crossMAh).toBeCloseTo(2 + 2 / 19, 12);
    // 0.05 × 2 + (0.05 + 1.0)/2 × 2 = 1.15 mWh
    expect(c1!.energyMWh).toBeCloseTo(1.15, 12);
    expect([c1!.minV, c1!.maxV, c1!.endV, c1!.ccCurrentMA, c1!.maxAbsCurrentMA]).toEqual([0.05, 1.0, 1.0, 2, 2]);
    expect(c1!.counterCarried).toBe(false);
  });

  it('second discharge: one record, 0.5 mAh (the step time 1800 s at 1 mA), not down to the split', () => {
    const { points, data, red, d1, c1, d2 } = S();
    expect([d2!.columnMAh, d2!.integratedMAh, d2!.capacityMAh, d2!.crossMAh, d2!.vendorCycle]).toEqual([0.5, 0.5, 0.5, null, 2]);
    expect(d2!.energyMWh).toBeCloseTo(0.25, 12);
  });

  it('the point hook sees every current record with its cycle, direction, voltage, running capacity and line', () => {
    const { points, data, red, d1, c1, d2 } = S();
    expect(points).toEqual([[1, 'D', 1.0, 1, 2], [1, 'D', 0.2, 2, 3], [1, 'D', 0.0, 3, 4], [1, 'C', 0.05, 2, 6], [1, 'C', 1.0, 4, 7], [2, 'D', 0.5, 0.5, 8]]);
  });
});

describe('CyclingReducer: capacity columns that reset per step or never reset', () => {
  it('a reset inside a half-cycle (CC then CV step) adds the segments: 2.0 + 0.5 mAh; one reset counted', () => {
    const { data } = run([
      rec(1, { t: 3600, v: 1.0, i: -1, cap: 1.0, state: 'D' }),
      rec(2, { t: 7200, v: 0.5, i: -1, cap: 2.0, state: 'D' }),
      rec(3, { t: 9000, v: 0.5, i: -0.5, cap: 0.25, state: 'D' }),
      rec(4, { t: 10800, v: 0.5, i: -0.25, cap: 0.5, state: 'D' }),
      rec(5, { t: 12600, v: 0.5, i: 1, cap: 0.4, state: 'C' }),
      rec(6, { t: 14040, v: 1.5, i: 1, cap: 0.8, state: 'C' }),
    ]);
    const [d, c] = data.halfCycles;
    expect([d!.columnMAh, d!.capacityMAh, d!.resets, d!.counterCarried]).toEqual([2.5, 2.5, 0 + 1, false]);
    // no step time: the first record adds nothing; then (1+1)/2·1 h + (1+0.5)/2·0.5 h + (0.5+0.25)/2·0.5 h = 1.5625 mAh
    expect(d!.integratedMAh).toBeCloseTo(1.5625, 12);
    // most common current 1 mA (2 records); 0.5 and 0.25 mA lie far outside 2 %
    expect([d!.ccCurrentMA, d!.ccRecords, d!.maxAbsCurrentMA]).toEqual([1, 2, 1]);
    // the charge starts at 0.4 < 0.5 (where the column stood): a fresh count, 0.8 mAh; ∫ = 1 mA × 0.4 h
    expect([c!.columnMAh, c!.counterCarried, c!.resets]).toEqual([0.8, false, 0]);
    expect(c!.integratedMAh).toBeCloseTo(0.4, 12);
    // ∫V dQ of the discharge: 1.0·1 + 0.75·1 + 0.5·0.25 + 0.5·0.25 = 2.0 mWh
    expect(d!.energyMWh).toBeCloseTo(2.0, 12);
    expect(data.warnings).toEqual([]);
  });

  it('a counter that never resets is differenced at each reversal, with a warning naming the first such half-cycle', () => {
    const { data } = run([
      rec(1, { v: 1.0, i: -1, cap: 1.0, state: 'D' }),
      rec(2, { v: 0.5, i: -1, cap: 2.0, state: 'D' }),
      rec(3, { v: 0.6, i: 1, cap: 2.5, state: 'C' }),
      rec(4, { v: 1.0, i: 1, cap: 3.0, state: 'C' }),
      rec(5, { v: 0.9, i: -1, cap: 3.4, state: 'D' }),
      rec(6, { v: 0.4, i: -1, cap: 3.8, state: 'D' }),
    ]);
    expect(data.halfCycles.map((h) => [h.dir, h.counterCarried])).toEqual([['D', false], ['C', true], ['D', true]]);
    const caps = data.halfCycles.map((h) => h.capacityMAh);
    expect(caps[0]).toBe(2);
    expect(caps[1]).toBeCloseTo(1.0, 12);
    expect(caps[2]).toBeCloseTo(0.8, 12); // 3.8 − 3.0
    expect(data.halfCycles.map((h) => h.integratedMAh)).toEqual([null, null, null]);
    expect(data.capacitySource).toBe('column');
    expect(data.timeSpanS).toBeNull();
    expect(data.warnings).toEqual(['the capacity column does not restart when the current reverses (2 half-cycles, first at line 3): capacities are taken as differences']);
    // the charge's energy: 0.6 × 0.5 + (0.6 + 1.0)/2 × 0.5 = 0.7 mWh (from Q = 0 at its start, not the counter's 2.0)
    expect(data.halfCycles[1]!.energyMWh).toBeCloseTo(0.7, 12);
  });

  it('a first record still showing the previous total, then a restart, is a fresh count, not a carried counter', () => {
    const { data } = run([
      rec(1, { v: 1.0, i: -1, cap: 1.0, state: 'D' }),
      rec(2, { v: 0.5, i: -1, cap: 2.0, state: 'D' }),
      rec(3, { v: 0.6, i: 1, cap: 2.0, state: 'C' }),
      rec(4, { v: 0.8, i: 1, cap: 0.3, state: 'C' }),
      rec(5, { v: 1.0, i: 1, cap: 0.6, state: 'C' }),
    ]);
    const c = data.halfCycles[1]!;
    expect([c.counterCarried, c.resets]).toEqual([false, 0]);
    expect(c.capacityMAh).toBeCloseTo(0.6, 12);
    expect(data.warnings).toEqual([]);
  });

  it('a carried start whose column then falls below the start (not by half): the baseline is dropped', () => {
    // C starts at 2.2 ≥ 2.0 (carried, baseline 2.0, 0.2 mAh so far), then 1.5: under the baseline but above
    // half of 2.2, so no reset: the column restarted, the baseline goes to 0 and the running capacity is 1.5.
    const q: number[] = [];
    const { data } = run([
      rec(1, { v: 1.0, i: -1, cap: 2.0, state: 'D' }),
      rec(2, { v: 0.6, i: 1, cap: 2.2, state: 'C' }),
      rec(3, { v: 0.8, i: 1, cap: 1.5, state: 'C' }),
    ], { onPoint: (_c, _d, _v, qq) => q.push(qq) });
    expect(q[1]).toBeCloseTo(0.2, 12);
    expect(q[2]).toBe(1.5);
    expect(data.halfCycles[1]!.counterCarried).toBe(false);
    expect(data.warnings).toEqual([]);
  });
});

describe('CyclingReducer: no capacity column, no state column (sign of the current, ∫|I|dt)', () => {
  const recs = [
    rec(1, { t: 0, v: 2.0, i: 0 }),
    rec(2, { t: 1800, st: 1800, v: 1.0, i: -2 }),
    rec(3, { t: 3600, v: 0.5, i: -2 }),
    rec(4, { t: 5400, v: 0.6, i: 0 }),
    rec(5, { t: 7200, st: 1800, v: 0.4, i: -2 }),
    rec(6, { t: 9000, v: 0.5, i: 1 }),
    rec(7, { t: 12600, v: 1.0, i: 1 }),
    rec(8, { t: 12000, v: 1.1, i: 1 }),
    rec(9, { t: 12600, v: 1.2, i: 1 }),
    rec(10, { t: 12000, v: 1.3, i: 1 }),
  ];
  const S = () => run(recs);
  it('discharge 2 mA: 1 mAh (step time) + 1 mAh (trapezoid) + 1 mAh (step time after the rest) = 3 mAh', () => {
    const { data, red } = S();
    const d = data.halfCycles[0]!;
    expect(d.integratedMAh).toBeCloseTo(3, 12);
    expect(d.capacityMAh).toBeCloseTo(3, 12);
    expect(d.columnMAh).toBeNull();
    expect([d.records, d.firstLine, d.lastLine]).toEqual([3, 2, 5]);
    expect(data.capacitySource).toBe('integrated');
    expect([data.records, data.restRecords]).toEqual([10, 2]);
  });
  it('charge: no step time at its start; 1 mA × 1 h, a backward jump is skipped, then 600 s: 1 + 1/6 mAh; the warning counts two jumps', () => {
    const { data, red } = S();
    expect(data.halfCycles[1]!.integratedMAh).toBeCloseTo(1 + 1 / 6, 12);
    expect(data.warnings).toEqual(['time goes backwards 2 times (first at line 8); those intervals are not integrated']);
    // the span is last time − first time as read (12000 − 0), not the largest time
    expect(data.timeSpanS).toBe(12000);
    expect(red.unsigned).toBe(false);
  });
  it('one backward jump: "1 time"', () => {
    const { data, red } = S();
    const { data: d } = run(recs.slice(0, 9));
    expect(d.warnings).toEqual(['time goes backwards 1 time (first at line 8); those intervals are not integrated']);
  });
  it('all current positive and no state column: unsigned; no record at all: not', () => {
    expect(run([rec(1, { v: 1, i: 1 }), rec(2, { v: 1.1, i: 1 })]).red.unsigned).toBe(true);
    expect(run([rec(1, { v: 1, i: 1, state: 'C' })]).red.unsigned).toBe(false);
    expect(run([]).red.unsigned).toBe(false);
  });
  it('the rest current threshold: |I| at or below it is rest', () => {
    expect(classifyRecord(rec(1, { v: 1, i: 1e-6 }))).toBe('R');
    expect(classifyRecord(rec(1, { v: 1, i: -2e-6 }))).toBe('D');
    expect(classifyRecord(rec(1, { v: 1, i: 0.5 }), 0.5)).toBe('R');
    expect(classifyRecord(rec(1, { v: 1, i: 0.6 }), 0.5)).toBe('C');
    expect(classifyRecord(rec(1, { v: 1, i: 0.6, state: 'D' }), 0.5)).toBe('D');
    const red = new CyclingReducer({ first: 'discharge', splitV: 0.1, restCurrentMA: 0.5 });
    expect(red.classify(rec(1, { v: 1, i: -0.5 }))).toBe('R');
  });
});

describe('CyclingReducer: current noise without a state column', () => {
  // D 1 mA (2 records), a 0.001 mA blip of "charge", D 1.2 mA (3 records), C 1 mA (2 records). Largest 1.2 mA:
  // 0.001 < 0.5 % × 1.2 = 0.006, so the blip is rest and the two discharges are one.
  const recs = [
    rec(1, { t: 0, v: 1.0, i: -1 }),
    rec(2, { t: 3600, v: 0.8, i: -1 }),
    rec(3, { t: 3700, v: 0.8, i: 0.001 }),
    rec(4, { t: 7300, v: 0.6, i: -1.2 }),
    rec(5, { t: 10300, v: 0.4, i: -1.2 }),
    rec(6, { t: 13300, v: 0.3, i: -1.2 }),
    rec(7, { t: 16900, v: 0.5, i: 1 }),
    rec(8, { t: 20500, v: 1.0, i: 1 }),
  ];
  const S = () => { const { data } = run(recs, { splitV: 0.5 }); const [d, c] = data.halfCycles; return { data, d, c }; };
  it('joins the discharges: 1 + 2 mAh, 5 records, lines 1–6, the CC current of the longer part (1.2 mA, 3 records)', () => {
    const { data, d, c } = S();
    expect(data.halfCycles).toHaveLength(2);
    expect([d!.index, c!.index]).toEqual([0, 1]);
    expect(d!.capacityMAh).toBeCloseTo(3, 12);
    expect(d!.integratedMAh).toBeCloseTo(3, 12);
    expect([d!.records, d!.firstLine, d!.lastLine, d!.endTimeS, d!.endV, d!.minV, d!.maxV]).toEqual([5, 1, 6, 13300, 0.3, 0.3, 1.0]);
    expect([d!.ccCurrentMA, d!.ccRecords, d!.maxAbsCurrentMA, d!.resets]).toEqual([1.2, 3, 1.2, 0]);
    // energy 0.9 (first part: (1.0 + 0.8)/2 × 1) + 0.5 + 0.35 (second part from its own Q = 0)
    expect(d!.energyMWh).toBeCloseTo(1.75, 12);
    // 0.5 V is first reached in the second part, halfway between 0.6 V (0) and 0.4 V (1 mAh): 1 + 0.5 mAh
    expect(d!.crossMAh).toBeCloseTo(1.5, 12);
    // the charge starts at the split: crossing at 0
    expect(c!.crossMAh).toBe(0);
    expect(c!.integratedMAh).toBeCloseTo(1, 12);
    expect(data.cycles).toHaveLength(1);
  });
  it('says how many stretches were taken as rest and where the first was', () => {
    const { data, d, c } = S();
    expect(data.warnings).toEqual(['1 stretch(es) of current below 0.5 % of the largest current (first at lines 3–3) taken as rest: noise with no state column to say so']);
  });
  it('with a state column nothing is dropped: the blip is a charge of its own', () => {
    const { data, d, c } = S();
    const st = recs.map((r) => ({ ...r, stateKind: (r.currentMA < 0 ? 'D' : 'C') as 'D' | 'C' }));
    expect(run(st, { splitV: 0.5 }).data.halfCycles).toHaveLength(4);
  });
  it('the shorter part keeps its CC current when the later part has fewer CC records; column capacities add too', () => {
    const { data, d, c } = S();
    const { data: dd } = run([
      rec(1, { v: 1.0, i: -1, cap: 0.1 }), rec(2, { v: 0.9, i: -1, cap: 0.2 }), rec(3, { v: 0.8, i: -1, cap: 0.3 }),
      rec(4, { v: 0.8, i: 0.001, cap: 0.001 }),
      rec(5, { v: 0.7, i: -2, cap: 0.4 }),
      rec(6, { v: 1.0, i: 1, cap: 0.5 }),
    ]);
    const h = dd.halfCycles[0]!;
    // 0.3 mAh; the blip restarts the column (0.001 < 0.3: no carry); the second part starts at 0.4, mostly new
    // charge (the blip's 0.001 is under half of it): a counter that restarted, not one carried from the blip,
    // so 0.4; joined 0.7. The charge (0.5, of which the 0.4 before it is most) is carried: 0.1.
    expect([h.ccCurrentMA, h.ccRecords, h.records]).toEqual([1, 3, 4]);
    expect(h.columnMAh).toBeCloseTo(0.7, 12);
    expect(h.capacityMAh).toBeCloseTo(0.7, 12);
    expect(h.integratedMAh).toBeNull();
    expect(dd.halfCycles[1]!.capacityMAh).toBeCloseTo(0.1, 12);
    expect(dd.warnings).toEqual([
      '1 stretch(es) of current below 0.5 % of the largest current (first at lines 4–4) taken as rest: noise with no state column to say so',
      'the capacity column does not restart when the current reverses (1 half-cycles, first at line 6): capacities are taken as differences',
    ]);
  });
  it('one half-cycle only: nothing to drop, no warning', () => {
    const { data, d, c } = S();
    const { data: one } = run([rec(1, { v: 1, i: -1 }), rec(2, { v: 0.9, i: -1 })]);
    expect(one.halfCycles).toHaveLength(1);
    expect(one.warnings).toEqual([]);
  });
});

describe('CyclingReducer: warnings', () => {
  /** n records of one direction at |I| = 1 mA every 360 s (0.1 mAh apart), the column at `colStep` mAh per record. */
  const branch = (from: number, n: number, dir: 'D' | 'C', colStep: number, st: number | null = null) =>
    Array.from({ length: n }, (_, k) => rec(from + k, { t: 360 * (from + k), st: k === 0 ? st : null, v: dir === 'D' ? 1 - 0.05 * k : 0.5 + 0.05 * k, i: dir === 'D' ? -1 : 1, cap: colStep * (k + 1), state: dir }));

  it('column and ∫|I|dt more than 0.5 % apart over 10 records or more: a warning per branch, naming the cycle', () => {
    // 10 records: the column says 1.0 mAh, ∫|I|dt 9 × 0.1 = 0.9 mAh (no step time for the first): 10.00 %
    const { data } = run([...branch(1, 10, 'D', 0.1), ...branch(11, 10, 'C', 0.1, 360)]);
    expect(data.warnings).toEqual(['cycle 1 discharge: capacity column 1.0000 mAh and ∫|I|dt 0.90000 mAh differ by 10.00 % (lines 1–10); the column is used']);
    // 9 records only: no warning
    expect(run(branch(1, 9, 'D', 0.1)).data.warnings).toEqual([]);
    // charge first: the charge is the named branch
    const { data: c } = run(branch(1, 10, 'C', 0.1), { first: 'charge' });
    expect(c.warnings).toEqual(['cycle 1 charge: capacity column 1.0000 mAh and ∫|I|dt 0.90000 mAh differ by 10.00 % (lines 1–10); the column is used']);
    // a zero column (nothing to compare against) and a branch without time are not compared
    expect(run(branch(1, 10, 'D', 0)).data.warnings).toEqual([]);
    expect(run(branch(1, 10, 'D', 0.1).map((r) => ({ ...r, timeS: null }))).data.warnings).toEqual([]);
    // 0.1 × 9 + the step time 360 s × 1 mA = 1.0: equal, no warning
    expect(run(branch(1, 10, 'D', 0.1, 360)).data.warnings).toEqual([]);
    // a leading extraction (before the first insertion) is not checked
    expect(run(branch(1, 10, 'C', 0.1)).data.warnings).toEqual([]);
    // a difference of 0.4 %: column 1.004 (0.1004 per record) against ∫ 1.0 → below 0.5 %, no warning
    expect(run(branch(1, 10, 'D', 0.1004, 360)).data.warnings).toEqual([]);
    expect(run(branch(1, 10, 'D', 0.1006, 360)).data.warnings).toHaveLength(1);
  });

  it('a voltage outside −5…10 V: the unit is probably wrong (the highest is named when both ends are out)', () => {
    const vs = (v: number[]) => run(v.map((x, k) => rec(k + 1, { v: x, i: -1, state: 'D' }))).data.warnings;
    expect(vs([1, 12, 2])).toEqual(['the voltage reaches 12 V (line 2), outside any plausible cell voltage (-5 to 10 V): check the voltage unit (mV written as V?)']);
    expect(vs([1, -6, -7, 2])).toEqual(['the voltage reaches -7 V (line 3), outside any plausible cell voltage (-5 to 10 V): check the voltage unit (mV written as V?)']);
    expect(vs([-7, 11, 12, 12])).toEqual(['the voltage reaches 12 V (line 3), outside any plausible cell voltage (-5 to 10 V): check the voltage unit (mV written as V?)']);
    expect(vs([-5, 10, 3])).toEqual([]);
  });

  it('half-cycles marked by the state column but carrying no current', () => {
    const { data } = run([
      rec(1, { v: 1, i: -1, cap: 1, state: 'D' }),
      rec(2, { v: 1, i: 0, cap: 0.5, state: 'C' }), rec(3, { v: 1, i: 0, cap: 0.9, state: 'C' }),
      rec(4, { v: 1, i: -1, cap: 0.5, state: 'D' }),
      rec(5, { v: 1, i: 0, cap: 0.2, state: 'C' }),
    ]);
    expect(data.warnings).toEqual(['2 half-cycle(s) are marked charge or discharge by the state column but carry no current (first at lines 2–3); their capacity comes from the capacity column alone']);
    expect(data.halfCycles[1]!.capacityMAh).toBe(0.9);
    expect(data.halfCycles[1]!.ccCurrentMA).toBeNull();
  });
});

describe('CyclingReducer: mass, leading half-cycles, the charge-first convention', () => {
  it('specAllZero when the specific-capacity column holds only zeros; no stated mass', () => {
    const { data, red } = run([rec(1, { v: 1, i: -1, cap: 1, spec: 0 }), rec(2, { v: 1, i: -1, cap: 2, spec: 0 })]);
    expect(red.specAllZero).toBe(true);
    expect(data.statedMassMg).toBeNull();
    const z = run([rec(1, { v: 1, i: -1, cap: 0, spec: 10 })]);
    expect(z.red.specAllZero).toBe(true);
    const none = run([rec(1, { v: 1, i: -1, cap: 1 })]);
    expect(none.red.specAllZero).toBe(false);
    expect(none.data.statedMassMg).toBeNull();
    // a negative column (discharge written negative): the magnitudes, 3.8 mg to 6 digits
    const neg = run([rec(1, { v: 1, i: -1, cap: -0.38, spec: -100 })]);
    expect(neg.data.statedMassMg).toBe(3.8);
    expect(neg.red.specAllZero).toBe(false);
    // equal capacities: the first one met stays (0.5 / 100 → 5 mg, not 0.5 / 200)
    expect(run([rec(1, { v: 1, i: -1, cap: 0.5, spec: 100 }), rec(2, { v: 1, i: -1, cap: 0.5, spec: 200 })]).data.statedMassMg).toBe(5);
    // to 6 significant digits: 1 / 3 mAh/g·1000 → 333.333 mg
    expect(run([rec(1, { v: 1, i: -1, cap: 1, spec: 3 })]).data.statedMassMg).toBe(333.333);
  });

  it('charge first (a cathode): charges are insertions; a discharge before the first charge is leading', () => {
    const points: number[] = [];
    const { data } = run([
      rec(1, { v: 3.0, i: -1, cap: 2.5, state: 'D' }),
      rec(2, { v: 3.5, i: 1, cap: 1.0, state: 'C' }),
      rec(3, { v: 4.0, i: 1, cap: 2.0, state: 'C' }),
      rec(4, { v: 3.8, i: -1, cap: 1.5, state: 'D' }),
      rec(5, { v: 3.6, i: 1, cap: 0.5, state: 'C' }),
    ], { first: 'charge', splitV: 3.75, onPoint: (cyc) => points.push(cyc) });
    expect(data.leading.map((h) => h.firstLine)).toEqual([1]);
    expect(data.cycles.map((c) => [c.n, c.insertion.firstLine, c.extraction?.firstLine ?? null])).toEqual([[1, 2, 4], [2, 5, null]]);
    expect(points).toEqual([0, 1, 1, 1, 2]);
    // charge reaches 3.75 V halfway between 3.5 (1.0) and 4.0 (2.0): 1.5 mAh; the discharge starts at 3.8 > 3.75 and
    // reaches it... never (one record at 3.8): null
    expect(data.cycles[0]!.insertion.crossMAh).toBeCloseTo(1.5, 12);
    expect(data.cycles[0]!.extraction!.crossMAh).toBeNull();
    expect(data.first).toBe('charge');
    expect(data.warnings).toEqual([]);
  });

  it('a split crossing at a record equal in voltage to the one before counts the whole step (f = 1)', () => {
    // discharge at 0.1 V twice: the first record is already at the split → 0; with 0.2, 0.1, 0.1 → crossing at Q of the second
    const { data } = run([rec(1, { v: 0.2, i: -1, cap: 1, state: 'D' }), rec(2, { v: 0.1, i: -1, cap: 2, state: 'D' }), rec(3, { v: 0.1, i: -1, cap: 3, state: 'D' })]);
    expect(data.halfCycles[0]!.crossMAh).toBe(2);
    const { data: same } = run([rec(1, { v: 0.3, i: -1, cap: 1, state: 'D' }), rec(2, { v: 0.3, i: -1, cap: 2, state: 'D' }), rec(3, { v: 0.05, i: -1, cap: 3, state: 'D' })]);
    // from 0.3 V at 2 mAh to 0.05 at 3: (0.1 − 0.3)/(0.05 − 0.3) = 0.8 → 2.8
    expect(same.halfCycles[0]!.crossMAh).toBeCloseTo(2.8, 12);
    const { data: charge } = run([rec(1, { v: 0.05, i: 1, cap: 1, state: 'C' }), rec(2, { v: 0.1, i: 1, cap: 2, state: 'C' })], { first: 'charge' });
    expect(charge.halfCycles[0]!.crossMAh).toBe(2);
  });

  it('segment() runs the reducer over batches', async () => {
    async function* batches() { yield [rec(1, { v: 1, i: -1, cap: 1, state: 'D' })]; yield [rec(2, { v: 1, i: 1, cap: 0.5, state: 'C' })]; }
    const d = await segment(batches(), { first: 'discharge', splitV: 0.1 });
    expect(d.cycles.map((c) => [c.insertion.capacityMAh, c.extraction!.capacityMAh])).toEqual([[1, 0.5]]);
  });
});

describe('ccCurrent: the median current of the records near the most common bin', () => {
  const bins = (...e: [number, number, number][]) => new Map(e.map(([k, n, s]) => [k, { n, s }]));
  it('no bins: no CC current', () => {
    expect(ccCurrent(new Map())).toEqual({ ccCurrentMA: null, ccRecords: 0 });
  });
  it('a tie between two far bins: the larger current (larger bin), whichever comes first', () => {
    expect(ccCurrent(bins([0, 2, 2], [1000, 2, 6]))).toEqual({ ccCurrentMA: 3, ccRecords: 2 });
    expect(ccCurrent(bins([1000, 2, 6], [0, 2, 2]))).toEqual({ ccCurrentMA: 3, ccRecords: 2 });
    expect(ccCurrent(bins([0, 3, 3], [1000, 2, 6]))).toEqual({ ccCurrentMA: 1, ccRecords: 3 });
  });
  it('the band is ceil(ln 1.02 / ln 1.001) = 20 bins: 20 away is in, 21 is out; the lower median of an even count', () => {
    // mode bin 0 (4 records); bins 10 (3) and 20 (3) within the band, 21 and −21 outside: 10 records, the median in bin 10.
    const r = ccCurrent(bins([0, 4, 4], [10, 3, 3.3], [20, 3, 3.6], [21, 1, 1.5], [-21, 1, 0.9]));
    expect(r.ccCurrentMA).toBeCloseTo(1.1, 12);
    expect(r.ccRecords).toBe(10);
    // two bins of 2 records (the tie goes to bin 10): 4 records, the lower median is in bin 0
    expect(ccCurrent(bins([0, 2, 2], [10, 2, 2.2]))).toEqual({ ccCurrentMA: 1, ccRecords: 4 });
    expect(ccCurrent(bins([10, 2, 2.2], [0, 2, 2]))).toEqual({ ccCurrentMA: 1, ccRecords: 4 });
  });
});

describe('CyclingReducer: early stop after cycle N', () => {
  const seq = (spec: [number, 'D' | 'C' | 'R'][], state: boolean) => spec.map(([i, k], n) =>
    rec(n + 1, { t: 60 * n, v: k === 'D' ? 1 - 0.01 * n : 0.5 + 0.01 * n, i, cap: null, state: state ? k : null }));

  it('with a state column: the first record of cycle 2 ends the read; the charge before it is closed', () => {
    const recs = seq([[-1, 'D'], [-1, 'D'], [0, 'R'], [1, 'C'], [1, 'C'], [-1, 'D'], [-1, 'D']], true);
    const { data, red } = run(recs, { stopAfterCycle: 1 });
    expect(red.done).toBe(true);
    expect(data.partial).toEqual({ stoppedAfterCycle: 1, lastLineRead: 5 });
    expect(data.records).toBe(5);
    expect(data.halfCycles.map((h) => [h.dir, h.firstLine, h.lastLine])).toEqual([['D', 1, 2], ['C', 4, 5]]);
    expect(data.cycles).toHaveLength(1);
    expect(data.warnings).toEqual([]);
    // a record after the stop changes nothing
    red.push(rec(99, { v: 1, i: 1, state: 'C' }));
    expect(red.finish().records).toBe(5);
    // stopAfterCycle 2 on the same records reads them all
    const all = run(recs, { stopAfterCycle: 2 });
    expect(all.red.done).toBe(false);
    expect(all.data.partial).toBeNull();
    expect(all.data.records).toBe(7);
  });

  it('a state column seen only from the second record on still counts every run', () => {
    const recs = seq([[-1, 'D'], [1, 'C'], [-1, 'D']], true);
    recs[0] = { ...recs[0]!, stateKind: null };
    const { data, red } = run(recs, { stopAfterCycle: 1 });
    expect(red.done).toBe(true);
    expect(data.partial!.lastLineRead).toBe(2);
  });

  it('without a state column a run counts from 3 records on: a 2-record charge does not end cycle 1', () => {
    const recs = seq([[-1, 'D'], [-1, 'D'], [-1, 'D'], [1, 'C'], [1, 'C'], [-1, 'D'], [-1, 'D'], [-1, 'D'], [1, 'C'], [1, 'C'], [1, 'C'], [-1, 'D'], [-1, 'D']], false);
    const { data } = run(recs, { stopAfterCycle: 1 });
    expect(data.partial).toEqual({ stoppedAfterCycle: 1, lastLineRead: 11 });
    expect(data.records).toBe(11);
    // three records of charge end it at the next discharge
    const three = run(seq([[-1, 'D'], [-1, 'D'], [-1, 'D'], [1, 'C'], [1, 'C'], [1, 'C'], [-1, 'D']], false), { stopAfterCycle: 1 });
    expect(three.data.partial).toEqual({ stoppedAfterCycle: 1, lastLineRead: 6 });
    // a 2-record discharge run before the charge is not counted as an insertion either
    const short = run(seq([[-1, 'D'], [-1, 'D'], [1, 'C'], [1, 'C'], [1, 'C'], [-1, 'D'], [-1, 'D']], false), { stopAfterCycle: 1 });
    expect(short.data.partial).toBeNull();
  });

  it('without a state column faint records neither count nor end a run; a current far above all before restarts the count', () => {
    // D −1 ×3, faint +0.001 ×3 (below 0.5 % of 1 mA), D −1 ×1, C +1 ×3, D: the faint ones are ignored, the stop is at the last D
    const faint = seq([[-1, 'D'], [-1, 'D'], [-1, 'D'], [0.001, 'C'], [0.001, 'C'], [0.001, 'C'], [-1, 'D'], [1, 'C'], [1, 'C'], [1, 'C'], [-1, 'D']], false);
    expect(run(faint, { stopAfterCycle: 1 }).data.partial).toEqual({ stoppedAfterCycle: 1, lastLineRead: 10 });
    // noise of ±0.001 mA ×3 each, then 1 mA: 1 × 0.5 % > 0.001, everything before was noise; cycle 1 is lines 7–12
    const noise = seq([[-0.001, 'D'], [-0.001, 'D'], [-0.001, 'D'], [0.001, 'C'], [0.001, 'C'], [0.001, 'C'], [-1, 'D'], [-1, 'D'], [-1, 'D'], [1, 'C'], [1, 'C'], [1, 'C'], [-1, 'D']], false);
    const { data } = run(noise, { stopAfterCycle: 1 });
    expect(data.partial).toEqual({ stoppedAfterCycle: 1, lastLineRead: 12 });
    expect(data.cycles.map((c) => [c.insertion.firstLine, c.extraction!.lastLine])).toEqual([[7, 12]]);
  });

  it('a stop whose cycle turns out to be noise at the end (the current grew 10000-fold in steps): a warning to read it all', () => {
    // D −1 ×3 counts as an insertion; the charge ramps 1 → 100 → 10000 mA (never 200× the largest before it, so no
    // restart); the next discharge stops the read. At the end the 1 mA discharge is below 0.5 % of 10000: noise,
    // so the charge is a leading half-cycle and no cycle is complete.
    const recs = seq([[-1, 'D'], [-1, 'D'], [-1, 'D'], [1, 'C'], [100, 'C'], [10000, 'C'], [-10000, 'D']], false);
    const { data } = run(recs, { stopAfterCycle: 1 });
    expect(data.partial).toEqual({ stoppedAfterCycle: 1, lastLineRead: 6 });
    expect(data.cycles).toEqual([]);
    expect(data.warnings).toEqual([
      '1 stretch(es) of current below 0.5 % of the largest current (first at lines 1–3) taken as rest: noise with no state column to say so',
      'reading stopped after what looked like cycle 1 (line 6), but only 0 complete cycle(s) were found in it: read the whole file (--full)',
    ]);
  });

  it('charge first: the stop comes at the first charge record of cycle 2', () => {
    const recs = seq([[1, 'C'], [-1, 'D'], [1, 'C']], true);
    const { data } = run(recs, { stopAfterCycle: 1, first: 'charge' });
    expect(data.partial).toEqual({ stoppedAfterCycle: 1, lastLineRead: 2 });
    // with discharge first the same records are a leading charge, then cycle 1 (a discharge) not yet complete
    expect(run(recs, { stopAfterCycle: 1 }).data.partial).toBeNull();
  });
});

describe('metrics on hand-built cycles (2 mg)', () => {
  const mass = { massMg: 2, source: 'flag' as const };
  // Cycle 1: D 1.0 mAh (∫V dQ 0.6 mWh, CC 0.5 mA, 0.1 V at 0.6 mAh), C 0.8 mAh (0.8 mWh, CC 0.4 mA, 0.1 V at 0.3 mAh);
  // cycle 2: D 0.9 (0.45 mWh, CC 1.0), C with no charge; cycle 3: D 0.5, no charge after it.
  const q = () => cdata([
    hc('D', 1.0, 1, { firstLine: 1, lastLine: 5, energyMWh: 0.6, ccCurrentMA: 0.5, endV: 0.01, crossMAh: 0.6 }),
    hc('C', 0.8, 1, { firstLine: 6, lastLine: 10, energyMWh: 0.8, ccCurrentMA: 0.4, endV: 2.5, crossMAh: 0.3 }),
    hc('D', 0.9, 2, { firstLine: 11, lastLine: 15, energyMWh: 0.45, ccCurrentMA: 1.0, endV: 0.02 }),
    hc('C', 0, 2, { firstLine: 16, lastLine: 16, energyMWh: 0, ccCurrentMA: null, endV: 0.3 }),
    hc('D', 0.5, 3, { firstLine: 17, lastLine: 20, energyMWh: 0.3, ccCurrentMA: 0.5, endV: 0.2 }),
  ]);

  it('cycle rows: capacities, CE, currents, C-rate, voltages, energies and areal capacity, worked by hand', () => {
    const [r1, r2, r3] = cycleRows(q(), mass, { areaCm2: 2, nominalMAhG: 250 });
    expect(r1).toEqual({
      cycle: 1, q_dis_mAh_g: 500, q_ch_mAh_g: 400, ce_pct: 80, q_dis_mAh: 1, q_ch_mAh: 0.8, vendor_cycle: 1, first_line: 1, last_line: 10,
      i_dis_mA: 0.5, i_ch_mA: 0.4, i_dis_mA_g: 250, i_ch_mA_g: 200, c_rate: 1, v_avg_dis_V: 0.6, v_avg_ch_V: 1, e_dis_mWh: 0.6, e_ch_mWh: 0.8,
      e_dis_mWh_g: 300, e_ch_mWh_g: 400, ee_pct: expect.closeTo(75, 12), hysteresis_V: expect.closeTo(0.4, 12), v_end_dis_V: 0.01, v_end_ch_V: 2.5,
      q_dis_mAh_cm2: 0.5, q_ch_mAh_cm2: 0.4,
    });
    // a charge that passes nothing: CE 0, no average voltage, no EE, no hysteresis, no current; areal 0
    expect([r2!.ce_pct, r2!.v_avg_ch_V, r2!.ee_pct, r2!.hysteresis_V, r2!.i_ch_mA, r2!.i_ch_mA_g, r2!.q_ch_mAh_cm2, r2!.e_ch_mWh]).toEqual([0, null, null, null, null, null, 0, 0]);
    expect(r2!.v_avg_dis_V).toBeCloseTo(0.5, 12);
    expect(r2!.c_rate).toBe(2); // 1.0 mA / 2 mg = 500 mA/g over 250
    // incomplete: the last line is the discharge's
    expect([r3!.last_line, r3!.ce_pct, r3!.q_ch_mAh, r3!.q_ch_mAh_g, r3!.v_end_ch_V, r3!.q_ch_mAh_cm2, r3!.e_ch_mWh, r3!.vendor_cycle]).toEqual([20, null, null, null, null, null, null, 3]);
    expect(r3!.q_dis_mAh_cm2).toBe(0.25);
    expect([r3!.ee_pct, r3!.hysteresis_V, r3!.v_avg_ch_V]).toEqual([null, null, null]);
    // without an area both areal capacities are null
    const plain = cycleRows(q(), mass)[0]!;
    expect([plain.q_dis_mAh_cm2, plain.q_ch_mAh_cm2]).toEqual([null, null]);
  });

  it('an incomplete charge-first cycle: no discharge, so no EE and no hysteresis', () => {
    const d = cdata([hc('C', 1.0, 1, { energyMWh: 3.5 })], 'charge');
    const [r] = cycleRows(d, mass);
    expect([r!.q_dis_mAh, r!.e_dis_mWh, r!.v_avg_dis_V, r!.ee_pct, r!.hysteresis_V]).toEqual([null, null, null, null, null]);
    expect(r!.v_avg_ch_V).toBe(3.5);
  });

  it('charge first: the insertion is the charge; discharge figures come from the extraction; C-rate from the charge current', () => {
    const d = cdata([hc('C', 1.0, 1, { ccCurrentMA: 0.5, energyMWh: 3.5 }), hc('D', 0.9, 1, { ccCurrentMA: 0.6, energyMWh: 3.0 })], 'charge');
    const [r] = cycleRows(d, mass, { nominalMAhG: 500 });
    expect([r!.q_dis_mAh, r!.q_ch_mAh, r!.i_dis_mA, r!.i_ch_mA, r!.c_rate]).toEqual([0.9, 1.0, 0.6, 0.5, 0.5]);
    expect(r!.ce_pct).toBeCloseTo(90, 12);
    expect(r!.ee_pct).toBeCloseTo(3.0 / 3.5 * 100, 12);
    expect(r!.hysteresis_V).toBeCloseTo(3.5 - 3.0 / 0.9, 12);
    const i = ice(d, mass, 'src');
    expect([i.q_dis_mAh, i.q_ch_mAh, i.q_dis_mAh_g, i.q_ch_mAh_g]).toEqual([0.9, 1.0, 450, 500]);
    expect(i.ice_pct).toBeCloseTo(90, 12);
    expect(i.irreversible_mAh).toBeCloseTo(0.1, 12);
    expect(i.irreversible_mAh_g).toBeCloseTo(50, 9);
  });

  it('the area and nominal capacity must be positive', () => {
    for (const a of [0, -1, NaN]) expect(() => cycleRows(q(), mass, { areaCm2: a })).toThrow(new UsageError(`the electrode area must be a positive number of cm², not ${a}`));
    for (const n of [0, -300]) expect(() => cycleRows(q(), mass, { nominalMAhG: n })).toThrow(new UsageError(`--nominal must be a positive number of mAh/g, not ${n}`));
    expect(cycleRows(q(), mass, { areaCm2: null, nominalMAhG: null })[0]!.c_rate).toBeNull();
  });

  it('ICE of cycle 1: 0.8 / 1.0; lines 1–10; a first discharge with no charge is an error at its first line', () => {
    const i = ice(q(), mass, 'src');
    expect(i).toMatchObject({ cycle: 1, ice_pct: 80, q_dis_mAh_g: 500, q_ch_mAh_g: 400, first_line: 1, last_line: 10, q_dis_mAh: 1, q_ch_mAh: 0.8 });
    expect(i.irreversible_mAh).toBeCloseTo(0.2, 12);
    const z = cdata([hc('D', 0, 1, { firstLine: 3, lastLine: 4 }), hc('C', 0.1, 1)]);
    const e = (() => { try { ice(z, mass, 'src'); } catch (err) { return err as DataError; } })();
    expect(e).toBeInstanceOf(DataError);
    expect(e!.message).toBe('the first discharge passes no charge (lines 3–4); ICE is undefined');
    expect([e!.file, e!.line]).toEqual(['src', 3]);
    expect(() => ice(cdata([hc('D', -1, 1), hc('C', 0.1, 1)]), mass, 'src')).toThrow(/passes no charge/);
  });

  it('split: slope until the split voltage, plateau after it; a branch that never reaches it is all slope (discharge) or all plateau (charge)', () => {
    const s = split(q(), mass, 1, 'src');
    expect(s).toMatchObject({ split_v: 0.1, cycle: 1, dis_slope_mAh: 0.6, ch_plateau_mAh: 0.3, dis_reached_split: true, ch_reached_split: true });
    expect(s.dis_plateau_mAh).toBeCloseTo(0.4, 12);
    expect(s.ch_slope_mAh).toBeCloseTo(0.5, 12);
    expect(s.dis_slope_pct).toBeCloseTo(60, 12);
    expect(s.dis_plateau_pct).toBeCloseTo(40, 12);
    expect(s.ch_slope_pct).toBeCloseTo(62.5, 12);
    expect(s.ch_plateau_pct).toBeCloseTo(37.5, 12);
    expect(s.dis_slope_mAh_g).toBeCloseTo(300, 9);
    expect(s.dis_plateau_mAh_g).toBeCloseTo(200, 9);
    expect(s.ch_slope_mAh_g).toBeCloseTo(250, 9);
    expect(s.ch_plateau_mAh_g).toBeCloseTo(150, 9);
    const s2 = split(q(), mass, 2, 'src');
    expect([s2.dis_slope_mAh, s2.dis_plateau_mAh, s2.ch_slope_mAh, s2.ch_plateau_mAh, s2.dis_reached_split, s2.ch_reached_split]).toEqual([0.9, 0, 0, 0, false, false]);
    expect([s2.dis_slope_pct, s2.dis_plateau_pct, s2.ch_slope_pct, s2.ch_plateau_pct]).toEqual([100, 0, null, null]);
  });

  it('getCycle: no insertion at all, a cycle that does not exist, an incomplete cycle', () => {
    const msg = (f: () => unknown) => { try { f(); } catch (e) { return [(e as DataError).message, (e as DataError).file, (e as DataError).line]; } return null; };
    expect(msg(() => ice(cdata([hc('C', 1), hc('C', 1)]), mass, 'src'))).toEqual(['no discharge half-cycle found, so there is no cycle 1 (it holds 2 charge half-cycle(s) only); check --first', 'src', undefined]);
    expect(msg(() => ice(cdata([hc('D', 1)], 'charge'), mass, 'src'))).toEqual(['no charge half-cycle found, so there is no cycle 1 (it holds 1 discharge half-cycle(s) only); check --first', 'src', undefined]);
    expect(msg(() => ice(cdata([]), mass, 'src'))).toEqual(['no discharge half-cycle found, so there is no cycle 1 (no current flows in it); check --first', 'src', undefined]);
    expect(msg(() => split(q(), mass, 4, 'src'))).toEqual(['there is no cycle 4: the file has 3 cycle(s)', 'src', undefined]);
    expect(msg(() => split(q(), mass, 0, 'src'))).toEqual(['there is no cycle 0: the file has 3 cycle(s)', 'src', undefined]);
    expect(msg(() => split(q(), mass, 3, 'src'))).toEqual(['cycle 3 is incomplete: the discharge at lines 17–20 has no charge after it, so the split cannot be computed', 'src', 20]);
    const c = cdata([hc('C', 1, null, { firstLine: 2, lastLine: 7 })], 'charge');
    expect(msg(() => ice(c, mass, 'f'))).toEqual(['cycle 1 is incomplete: the charge at lines 2–7 has no discharge after it, so the ICE cannot be computed', 'f', 7]);
  });

  it('resolveMass: a given mass wins (a warning over 1 % off the file\'s), else the file\'s, else none; specific and pct', () => {
    const withStated = cdata([], 'discharge', { statedMassMg: 100 });
    const w: string[] = [];
    expect(resolveMass({ massMg: 101, source: 'flag' }, withStated, w)).toEqual({ massMg: 101, source: 'flag' });
    expect(w).toEqual([]); // exactly 1 %
    expect(resolveMass({ massMg: 98.5, source: 'loading' }, withStated, w)).toEqual({ massMg: 98.5, source: 'loading' });
    expect(w).toEqual(["the mass given (98.50 mg) differs from the file's (100.0 mg, from Capacity / SpeCap) by 1.5 %; using the mass given"]);
    expect(resolveMass({ massMg: 5, source: 'flag' }, cdata([]), w)).toEqual({ massMg: 5, source: 'flag' });
    expect(w).toHaveLength(1);
    expect(resolveMass(null, withStated, w)).toEqual({ massMg: 100, source: 'file' });
    expect(resolveMass(null, cdata([]), w)).toEqual({ massMg: null, source: 'none' });
    expect(specific(1, { massMg: 4, source: 'flag' })).toBe(250);
    expect(specific(null, mass)).toBeNull();
    expect(specific(1, { massMg: null, source: 'none' })).toBeNull();
    expect(pct(1, 4)).toBe(25);
    expect([pct(null, 1), pct(1, null), pct(1, 0)]).toEqual([null, null, null]);
    expect(averageVoltage(null)).toBeNull();
    expect(averageVoltage(hc('D', 2, null, { energyMWh: 1 }))).toBe(0.5);
    expect(averageVoltage(hc('D', -1, null, { energyMWh: 1 }))).toBeNull();
  });
});

describe('retention on hand-built cycles (reversible capacities 1.0, 0.9, 0.9, 0.7, 0.7, 0.5 mAh; 2 mg)', () => {
  const mass = { massMg: 2, source: 'flag' as const };
  const qs = [1.0, 0.9, 0.9, 0.7, 0.7, 0.5];
  const build = (rev: number[], incomplete = false) => cdata([
    ...rev.flatMap((x, k) => [hc('D', 1.1, k + 1, { firstLine: 10 * k + 1, lastLine: 10 * k + 5 }), hc('C', x, k + 1, { firstLine: 10 * k + 6, lastLine: 10 * k + 9 })]),
    ...(incomplete ? [hc('D', 1, 99, { firstLine: 900, lastLine: 901 })] : []),
  ]);
  const data = build(qs, true);
  const err = (f: () => unknown) => { try { f(); } catch (e) { return `${(e as Error).name}: ${(e as Error).message}`; } return null; };

  it('--skip 1 --window 2: reference cycles 2–3 (0.9), final 5–6 (0.6); fade by least squares over cycles 2–6: −0.1 mAh per cycle', () => {
    // x = 2…6, y = 0.9, 0.9, 0.7, 0.7, 0.5: x̄ = 4, ȳ = 0.74, Σ(x−x̄)(y−ȳ) = −1.0, Σ(x−x̄)² = 10
    const r = retention(data, mass, 1, 2, 'src');
    expect(r.retention_pct).toBeCloseTo(0.6 / 0.9 * 100, 9);
    expect(r.reference_mAh).toBeCloseTo(0.9, 12);
    expect(r.final_mAh).toBeCloseTo(0.6, 12);
    expect(r.reference_mAh_g).toBeCloseTo(450, 9);
    expect(r.final_mAh_g).toBeCloseTo(300, 9);
    expect(r.plain_ratio_pct).toBeCloseTo(0.5 / 0.9 * 100, 9);
    expect(r.fade_mAh_per_cycle).toBeCloseTo(-0.1, 12);
    expect(r.fade_mAh_g_per_cycle).toBeCloseTo(-50, 9);
    expect(r.fade_pct_per_100_cycles).toBeCloseTo(-0.1 / 0.9 * 1e4, 8);
    expect([r.skip, r.window, r.cycles, r.reference_cycles, r.final_cycles]).toEqual([1, 2, 6, '2-3', '5-6']);
  });

  it('--ref-cycle 3: reference 0.9, the fade over cycles 3–6 (x̄ = 4.5, ȳ = 0.7, Σ = −0.6 / 5 = −0.12)', () => {
    const r = retention(data, mass, 0, 2, 'src', { refCycle: 3 });
    expect(r.retention_pct).toBeCloseTo(0.6 / 0.9 * 100, 9);
    expect(r.fade_mAh_per_cycle).toBeCloseTo(-0.12, 12);
    expect(r.fade_mAh_g_per_cycle).toBeCloseTo(-60, 9);
    expect(r.fade_pct_per_100_cycles).toBeCloseTo(-0.12 / 0.9 * 1e4, 8);
    expect(r.plain_ratio_pct).toBeCloseTo(0.5 / 0.9 * 100, 9);
    expect([r.skip, r.window, r.cycles, r.reference_cycles, r.final_cycles, r.reference_mAh, r.final_mAh_g]).toEqual([2, 2, 6, '3', '5-6', 0.9, expect.closeTo(300, 9)]);
    expect(r.reference_mAh_g).toBeCloseTo(450, 9);
    // cycle 4 with window 2: cycles 4, 5, 6 are exactly the 1 + 2 needed
    expect(retention(data, mass, 0, 2, 'src', { refCycle: 4 }).reference_cycles).toBe('4');
  });

  it('refuses bad --skip / --window, and says what would work when there are too few cycles', () => {
    expect(err(() => retention(data, mass, 1.5, 2, 'src'))).toBe('UsageError: --skip must be a whole number ≥ 0, not 1.5');
    expect(err(() => retention(data, mass, -1, 2, 'src'))).toBe('UsageError: --skip must be a whole number ≥ 0, not -1');
    expect(err(() => retention(data, mass, 0, 0, 'src'))).toBe('UsageError: --window must be a whole number ≥ 1, not 0');
    expect(err(() => retention(data, mass, 0, 1.5, 'src'))).toBe('UsageError: --window must be a whole number ≥ 1, not 1.5');
    expect(err(() => retention(data, mass, 3, 2, 'src'))).toBe('DataError: too few cycles for --skip 3 --window 2: needs 7 complete cycles, the file has 6 (--skip 2 would work)');
    expect(err(() => retention(data, mass, 0, 4, 'src'))).toBe('DataError: too few cycles for --skip 0 --window 4: needs 8 complete cycles, the file has 6; try --skip 0 --window 3');
    expect(err(() => retention(data, mass, 5, 4, 'src'))).toBe('DataError: too few cycles for --skip 5 --window 4: needs 13 complete cycles, the file has 6; try --skip 4 --window 1');
    expect(err(() => retention(data, mass, 2, 2, 'src'))).toBeNull(); // 2 + 4 = 6: just enough
    expect(err(() => retention(build([1.0]), mass, 0, 1, 'src'))).toBe('DataError: too few cycles for --skip 0 --window 1: needs 2 complete cycles, the file has 1');
    expect(err(() => retention(build([1.0, 0.9]), mass, 1, 1, 'src'))).toBe('DataError: too few cycles for --skip 1 --window 1: needs 3 complete cycles, the file has 2 (--skip 0 would work)');
    expect(err(() => retention(build([1.0, 0.9, 0.8]), mass, 1, 2, 'src'))).toBe('DataError: too few cycles for --skip 1 --window 2: needs 5 complete cycles, the file has 3; try --skip 1 --window 1');
    expect(err(() => retention(build([0, 0, 0.5, 0.5]), mass, 0, 2, 'src'))).toBe('DataError: the reference cycles 1–2 pass no charge; retention is undefined');
    // two cycles and a window of 2: try the whole of them, one each
    expect(err(() => retention(build([1.0, 0.9]), mass, 0, 2, 'src'))).toBe('DataError: too few cycles for --skip 0 --window 2: needs 4 complete cycles, the file has 2; try --skip 0 --window 1');
  });

  it('the data errors name the file', () => {
    const fileOf = (f: () => unknown) => { try { f(); } catch (e) { return (e as DataError).file; } return 'no error'; };
    expect(fileOf(() => retention(data, mass, 3, 2, 'a.csv'))).toBe('a.csv');
    expect(fileOf(() => retention(build([0, 0, 0.5, 0.5]), mass, 0, 2, 'b.csv'))).toBe('b.csv');
    expect(fileOf(() => retention(build([0, 0.5, 0.5]), mass, 0, 1, 'c.csv', { refCycle: 1 }))).toBe('c.csv');
    expect(fileOf(() => retention(data, mass, 0, 2, 'd.csv', { refCycle: 5 }))).toBe('d.csv');
    expect(fileOf(() => retentionAt(data, mass, [6], { skip: 5, window: 2 }, 'e.csv'))).toBe('e.csv');
    expect(fileOf(() => retentionAt(build([0, 0.5]), mass, [2], { skip: 0, window: 1 }, 'f.csv'))).toBe('f.csv');
  });

  it('two complete cycles, no skip, window 1: the fade is their difference, 0.9 − 1.0', () => {
    const r = retention(build([1.0, 0.9]), mass, 0, 1, 'src');
    expect(r.fade_mAh_per_cycle).toBeCloseTo(-0.1, 12);
    expect(r.retention_pct).toBeCloseTo(90, 9);
  });

  it('refuses a bad --ref-cycle and too few cycles after it', () => {
    expect(err(() => retention(data, mass, 0, 0, 'src', { refCycle: 2 }))).toBe('UsageError: --window must be a whole number ≥ 1, not 0');
    expect(err(() => retention(data, mass, 0, 2, 'src', { refCycle: 0 }))).toBe('UsageError: --ref-cycle must be a cycle number ≥ 1, not 0');
    expect(err(() => retention(data, mass, 0, 2, 'src', { refCycle: 1.5 }))).toBe('UsageError: --ref-cycle must be a cycle number ≥ 1, not 1.5');
    expect(err(() => retention(data, mass, 0, 2, 'src', { refCycle: 5 }))).toBe('DataError: too few cycles after --ref-cycle 5 for --window 2: needs 3 complete cycles from cycle 5 on, the file has 2');
    expect(err(() => retention(build([0, 0.5, 0.5]), mass, 0, 1, 'src', { refCycle: 1 }))).toBe('DataError: the reference cycle 1 passes no reversible charge; retention is undefined');
    expect(err(() => retention(data, mass, 0, 1, 'src', { refCycle: 7 }))).toBe('DataError: cycle 7 is incomplete: the discharge at lines 900–901 has no charge after it, so --ref-cycle 7 cannot be computed');
  });

  it('capacities beyond floating-point range give no fade rate', () => {
    const r = retention(build([1e308, 1.5e308, 1.2e308]), mass, 0, 1, 'src');
    expect(r.fade_mAh_per_cycle).toBeNull();
    expect(r.fade_pct_per_100_cycles).toBeNull();
    expect(r.fade_mAh_g_per_cycle).toBeNull();
    expect(r.retention_pct).toBeCloseTo(120, 9);
  });

  it('--at: capacity and retention at given cycles against one cycle or a window', () => {
    const a = retentionAt(data, mass, [4, 6], { refCycle: 2 }, 'src');
    expect(a.map((x) => [x.cycle, x.q_rev_mAh, x.reference_cycles, x.reference_mAh])).toEqual([[4, 0.7, '2', 0.9], [6, 0.5, '2', 0.9]]);
    expect(a[0]!.retention_pct).toBeCloseTo(0.7 / 0.9 * 100, 9);
    expect(a[1]!.retention_pct).toBeCloseTo(0.5 / 0.9 * 100, 9);
    expect(a[0]!.q_rev_mAh_g).toBeCloseTo(350, 9);
    expect(a[0]!.reference_mAh_g).toBeCloseTo(450, 9);
    const w = retentionAt(data, mass, [6], { skip: 2, window: 3 }, 'src');
    // window cycles 3–5: (0.9 + 0.7 + 0.7) / 3
    expect(w[0]!.reference_cycles).toBe('3-5');
    expect(w[0]!.reference_mAh).toBeCloseTo(2.3 / 3, 12);
    expect(w[0]!.retention_pct).toBeCloseTo(0.5 / (2.3 / 3) * 100, 9);
    expect(retentionAt(data, mass, [6], { skip: 4, window: 2 }, 'src')[0]!.reference_cycles).toBe('5-6');
    expect(err(() => retentionAt(data, mass, [], { refCycle: 2 }, 'src'))).toBe('UsageError: --at needs at least one cycle number');
    expect(err(() => retentionAt(data, mass, [6], { skip: -1, window: 2 }, 'src'))).toBe('UsageError: --skip must be a whole number ≥ 0, not -1');
    expect(err(() => retentionAt(data, mass, [6], { skip: 0.5, window: 2 }, 'src'))).toBe('UsageError: --skip must be a whole number ≥ 0, not 0.5');
    expect(err(() => retentionAt(data, mass, [6], { skip: 0, window: 0 }, 'src'))).toBe('UsageError: --window must be a whole number ≥ 1, not 0');
    expect(err(() => retentionAt(data, mass, [6], { skip: 0, window: 2.5 }, 'src'))).toBe('UsageError: --window must be a whole number ≥ 1, not 2.5');
    expect(err(() => retentionAt(data, mass, [6], { skip: 5, window: 2 }, 'src'))).toBe('DataError: too few cycles for the reference window (--skip 5 --window 2): the file has 6 complete cycles');
    expect(err(() => retentionAt(build([0, 0.5]), mass, [2], { skip: 0, window: 1 }, 'src'))).toBe('DataError: the reference (cycle 1-1) passes no reversible charge; retention is undefined');
    expect(err(() => retentionAt(build([0, 0.5]), mass, [2], { refCycle: 1 }, 'src'))).toBe('DataError: the reference (cycle 1) passes no reversible charge; retention is undefined');
    expect(err(() => retentionAt(data, mass, [0], { refCycle: 1 }, 'src'))).toBe('UsageError: --at cycle must be a cycle number ≥ 1, not 0');
    expect(err(() => retentionAt(data, mass, [2], { refCycle: 0 }, 'src'))).toBe('UsageError: --ref-cycle must be a cycle number ≥ 1, not 0');
  });
});

describe('CyclingReducer: edges', () => {
  it('steps count changes of kind or of step index (a CV step of the same discharge is a step)', () => {
    const { data } = run([
      rec(1, { v: 1, i: -1, step: 1, state: 'D' }), rec(2, { v: 1, i: -0.5, step: 2, state: 'D' }),
      rec(3, { v: 1, i: 0, step: 2, state: 'R' }), rec(4, { v: 1, i: 1, step: 2, state: 'C' }),
    ]);
    expect(data.steps).toBe(4);
    expect(data.halfCycles).toHaveLength(2);
    expect(run([rec(1, { v: 1, i: -1 }), rec(2, { v: 1, i: 0 }), rec(3, { v: 1, i: -1 }), rec(4, { v: 1, i: 1 })]).data.steps).toBe(4);
  });

  it('a lowest voltage met twice is named at its first line', () => {
    const { data } = run([rec(1, { v: 1, i: -1, state: 'D' }), rec(2, { v: -7, i: -1, state: 'D' }), rec(3, { v: -7, i: -1, state: 'D' })]);
    expect(data.warnings).toEqual(['the voltage reaches -7 V (line 2), outside any plausible cell voltage (-5 to 10 V): check the voltage unit (mV written as V?)']);
  });

  it('a specific capacity without a capacity gives no mass', () => {
    const { data, red } = run([rec(1, { v: 1, i: -1, spec: 100 })]);
    expect(data.statedMassMg).toBeNull();
    expect(red.specAllZero).toBe(true);
  });

  it('a record exactly at 0.5 % of the largest current is real: the charge run ends cycle 1', () => {
    const recs = [[-1, 'D'], [-1, 'D'], [-1, 'D'], [0.005, 'C'], [0.005, 'C'], [0.005, 'C'], [-1, 'D']].map(([i, k], n) =>
      rec(n + 1, { v: k === 'D' ? 0.5 : 0.6, i: i as number }));
    const { data } = run(recs, { stopAfterCycle: 1 });
    expect(data.partial).toEqual({ stoppedAfterCycle: 1, lastLineRead: 6 });
    // and the end-of-file noise pass keeps it too (0.005 is not below 0.5 % of 1): one complete cycle, no warning
    expect(data.cycles.map((c) => c.extraction?.records ?? null)).toEqual([3]);
    expect(data.warnings).toEqual([]);
  });

  it('a faint start of cycle 2 before its first real record is dropped at the stop, not kept', () => {
    const recs = [[-1, 'D'], [-1, 'D'], [-1, 'D'], [1, 'C'], [1, 'C'], [1, 'C'], [-0.001, 'D'], [-1, 'D']].map(([i], n) =>
      rec(n + 1, { v: 0.5, i: i as number }));
    const { data } = run(recs, { stopAfterCycle: 1 });
    expect(data.partial).toEqual({ stoppedAfterCycle: 1, lastLineRead: 7 });
    expect(data.halfCycles.map((h) => [h.dir, h.firstLine, h.lastLine])).toEqual([['D', 1, 3], ['C', 4, 6]]);
    expect(data.warnings).toEqual([]);
  });

  it('a column standing at 0 when the current reverses is not a carried counter', () => {
    const { data } = run([
      rec(1, { v: 1, i: -1, cap: 0, state: 'D' }), rec(2, { v: 1, i: -1, cap: 0, state: 'D' }),
      rec(3, { v: 1, i: 1, cap: 0.3, state: 'C' }), rec(4, { v: 1, i: 1, cap: 0.6, state: 'C' }),
    ]);
    expect(data.halfCycles[1]!.counterCarried).toBe(false);
    expect(data.halfCycles[1]!.capacityMAh).toBe(0.6);
    expect(data.warnings).toEqual([]);
  });

  it('a column falling to exactly half is not a restart; below half it is', () => {
    const col = (caps: number[]) => run(caps.map((c, k) => rec(k + 1, { v: 1, i: -1, cap: c, state: 'D' }))).data.halfCycles[0]!;
    const half = col([1.0, 2.0, 1.0]);
    expect([half.resets, half.columnMAh]).toEqual([0, 2.0]);
    const below = col([1.0, 2.0, 0.9]);
    expect([below.resets, below.columnMAh]).toEqual([1, 2.9]);
  });

  it('a carried counter that then restarts mid-branch: the part before counts, the flag stays', () => {
    // D 1, 2; C 2.5, 3.0 (carried from 2.0: 1.0 so far), then 0.4 (a restart), 0.8: 1.0 + 0.8 = 1.8 mAh
    const q: number[] = [];
    const { data } = run([
      rec(1, { v: 1, i: -1, cap: 1, state: 'D' }), rec(2, { v: 1, i: -1, cap: 2, state: 'D' }),
      rec(3, { v: 1, i: 1, cap: 2.5, state: 'C' }), rec(4, { v: 1, i: 1, cap: 3.0, state: 'C' }),
      rec(5, { v: 1, i: 1, cap: 0.4, state: 'C' }), rec(6, { v: 1, i: 1, cap: 0.8, state: 'C' }),
    ], { onPoint: (_c, _d, _v, qq) => q.push(qq) });
    const c = data.halfCycles[1]!;
    expect([c.counterCarried, c.resets]).toEqual([true, 1]);
    expect(c.capacityMAh).toBeCloseTo(1.8, 12);
    expect(q.slice(2)).toEqual([0.5, 1.0, 1.4, 1.8].map((x) => expect.closeTo(x, 12)));
  });

  it('a stale start followed by a second restart counts that restart', () => {
    // C starts at the previous 2.0 (stale), restarts at 0.3, rises to 0.6, restarts again at 0.2, rises to 0.4: 0.6 + 0.4
    const { data } = run([
      rec(1, { v: 1, i: -1, cap: 2, state: 'D' }),
      rec(2, { v: 1, i: 1, cap: 2.0, state: 'C' }), rec(3, { v: 1, i: 1, cap: 0.3, state: 'C' }), rec(4, { v: 1, i: 1, cap: 0.6, state: 'C' }),
      rec(5, { v: 1, i: 1, cap: 0.2, state: 'C' }), rec(6, { v: 1, i: 1, cap: 0.4, state: 'C' }),
    ]);
    const c = data.halfCycles[1]!;
    expect([c.counterCarried, c.resets]).toEqual([false, 1]);
    expect(c.capacityMAh).toBeCloseTo(1.0, 12);
  });

  it('a branch without capacity values in a file with a capacity column: its capacity is ∫|I|dt; with neither, 0', () => {
    // the charge: 10 records 360 s apart at 1 mA, no capacity: 0.9 mAh integrated; not compared with a column
    const recs = [
      rec(1, { t: 0, v: 1, i: -1, cap: 0.5, state: 'D' }), rec(2, { t: 1800, v: 0.9, i: -1, cap: 1.0, state: 'D' }),
      ...Array.from({ length: 10 }, (_, k) => rec(3 + k, { t: 3600 + 360 * k, v: 1 + 0.01 * k, i: 1, cap: null, state: 'C' })),
    ];
    const { data } = run(recs);
    const c = data.halfCycles[1]!;
    expect(c.columnMAh).toBeNull();
    expect(c.integratedMAh).toBeCloseTo(0.9, 12);
    expect(c.capacityMAh).toBeCloseTo(0.9, 12);
    expect(data.capacitySource).toBe('column');
    expect(data.warnings).toEqual([]);
    const none = run([rec(1, { v: 1, i: -1, state: 'D' }), rec(2, { v: 1, i: -1, state: 'D' })]).data.halfCycles[0]!;
    expect([none.columnMAh, none.integratedMAh, none.capacityMAh]).toEqual([null, null, 0]);
  });

  it('a first timed record after untimed ones uses its step time, not the gap from "no time"', () => {
    // 1 mA; the first record has no time, the second says t = 3600 s with 1800 s into the step: 0.5 mAh
    const { data } = run([rec(1, { v: 1, i: -1, state: 'D' }), rec(2, { t: 3600, st: 1800, v: 1, i: -1, state: 'D' })]);
    expect(data.halfCycles[0]!.integratedMAh).toBeCloseTo(0.5, 12);
  });

  it('noise: two half-cycles with one faint; the exact 0.5 % share is kept; two faint stretches named by the first', () => {
    const mk = (is: number[]) => run(is.map((i, k) => rec(k + 1, { v: 0.5, i }))).data;
    const two = mk([-1, -1, 0.001]);
    expect(two.halfCycles).toHaveLength(1);
    expect(two.warnings).toEqual(['1 stretch(es) of current below 0.5 % of the largest current (first at lines 3–3) taken as rest: noise with no state column to say so']);
    expect(mk([-1, 0.005, -1]).halfCycles).toHaveLength(3);
    const many = mk([-1, 0.001, 0.001, -1, 0.002, -1, 1]);
    expect(many.halfCycles.map((h) => [h.dir, h.firstLine, h.lastLine, h.records])).toEqual([['D', 1, 6, 3], ['C', 7, 7, 1]]);
    expect(many.warnings).toEqual(['2 stretch(es) of current below 0.5 % of the largest current (first at lines 2–3) taken as rest: noise with no state column to say so']);
  });

  it('joining keeps the first part\'s crossing, adds resets', () => {
    // part 1: 1, 2 mAh (0.1 V crossed at 1.5: from 0.2 to 0.0), a restart at 0.2 (reset); blip; part 2 from 0.0005:
    // 0.0005, 1.0 (crossing at its start), a restart at 0.1
    const { data } = run([
      rec(1, { v: 0.2, i: -1, cap: 1 }), rec(2, { v: 0.0, i: -1, cap: 2 }), rec(3, { v: 0.0, i: -1, cap: 0.2 }),
      rec(4, { v: 0.3, i: 0.001, cap: 0.001 }),
      rec(5, { v: 0.05, i: -1, cap: 0.0005 }), rec(6, { v: 0.0, i: -1, cap: 1.0 }), rec(7, { v: 0.0, i: -1, cap: 0.1 }),
      rec(8, { v: 1, i: 1, cap: 0.5 }),
    ]);
    const d = data.halfCycles[0]!;
    expect(d.resets).toBe(2);
    expect(d.crossMAh).toBeCloseTo(1.5, 12);
    // part 1: 2 + 0.2 = 2.2; part 2: 1.0 + 0.1 = 1.1
    expect(d.capacityMAh).toBeCloseTo(3.3, 12);
  });

  it('at most 2048 current bins per branch: later new currents are not counted', () => {
    // |I| = 1.002^k, k = 0…2099: every record its own bin (about 2 bins apart). Bins are kept for k ≤ 2047; the most
    // common (a tie of ones) is the largest kept, k = 2047; those within 20 bins are k = 2037 or 2038 … 2047 and the
    // median of 11 (or the lower median of 10) is k = 2042.
    const red = new CyclingReducer({ first: 'discharge', splitV: 0.1 });
    for (let k = 0; k < 2100; k++) red.push(rec(k + 1, { v: 1, i: -(1.002 ** k), state: 'D' }));
    const h = red.finish().halfCycles[0]!;
    expect(h.ccCurrentMA! / 1.002 ** 2042).toBeCloseTo(1, 9);
  });
});

describe('CyclingReducer: the second round of survivors (cycling.ts)', () => {
  const seqS = (spec: [number, 'D' | 'C' | 'R'][], state: boolean) => spec.map(([i, k], n) =>
    rec(n + 1, { v: 0.5, i, state: state ? k : null }));

  it('a rest between two parts of one discharge does not end a run (state column)', () => {
    const { data } = run(seqS([[-1, 'D'], [0, 'R'], [-1, 'D'], [1, 'C'], [1, 'C'], [-1, 'D']], true), { stopAfterCycle: 1 });
    expect(data.partial).toEqual({ stoppedAfterCycle: 1, lastLineRead: 5 });
  });

  it('a current exactly 200× the largest so far does not restart the count', () => {
    // 0.005 mA noise-level runs, then 1 mA: 1 × 0.5 % = 0.005 is not above 0.005, so the runs before still count
    const { data } = run(seqS([[-0.005, 'D'], [-0.005, 'D'], [-0.005, 'D'], [0.005, 'C'], [0.005, 'C'], [0.005, 'C'], [-1, 'D']], false), { stopAfterCycle: 1 });
    expect(data.partial).toEqual({ stoppedAfterCycle: 1, lastLineRead: 6 });
  });

  it('with a largest current of 10 mA, 0.04 mA (0.4 %) is not real: no run, no stop', () => {
    const { data } = run(seqS([[-10, 'D'], [-10, 'D'], [-10, 'D'], [0.04, 'C'], [0.04, 'C'], [0.04, 'C'], [-10, 'D']], false), { stopAfterCycle: 1 });
    expect(data.partial).toBeNull();
  });

  it('a run in the direction already counted is not counted again (cycle 2 not reached)', () => {
    const { data } = run(seqS([[-1, 'D'], [-1, 'D'], [-1, 'D'], [1, 'C'], [1, 'C'], [-1, 'D'], [-1, 'D'], [-1, 'D'], [1, 'C'], [1, 'C'], [1, 'C'], [-1, 'D']], false), { stopAfterCycle: 2 });
    expect(data.partial).toBeNull();
  });

  it('charge first with a leading discharge: the discharge is not an insertion', () => {
    const { data } = run(seqS([[-1, 'D'], [1, 'C'], [-1, 'D'], [1, 'C']], true), { stopAfterCycle: 1, first: 'charge' });
    expect(data.partial).toEqual({ stoppedAfterCycle: 1, lastLineRead: 3 });
  });

  it('the stop warning counts complete cycles only (1 of 2 here)', () => {
    // D −1 ×3, C 1 ×3, D −1, −100, −10000, C 100 ×3, then D −10000 stops the read after cycle 2 by the count. At the end
    // the 1 mA branches are below 0.5 % of 10000: noise; cycle 1 is the 10000 mA discharge and the 100 mA charge.
    const { data } = run(seqS([[-1, 'D'], [-1, 'D'], [-1, 'D'], [1, 'C'], [1, 'C'], [1, 'C'], [-1, 'D'], [-100, 'D'], [-10000, 'D'], [100, 'C'], [100, 'C'], [100, 'C'], [-10000, 'D']], false), { stopAfterCycle: 2 });
    expect(data.partial).toEqual({ stoppedAfterCycle: 2, lastLineRead: 12 });
    expect(data.warnings[1]).toBe('reading stopped after what looked like cycle 2 (line 12), but only 1 complete cycle(s) were found in it: read the whole file (--full)');
  });

  it('a first record already past the split crosses at 0 even with capacity on it', () => {
    const { data } = run([rec(1, { v: 0.05, i: -1, cap: 1, state: 'D' }), rec(2, { v: 0.01, i: -1, cap: 2, state: 'D' })]);
    expect(data.halfCycles[0]!.crossMAh).toBe(0);
  });

  it('a carried counter that dips back to exactly its start stays carried (0 so far)', () => {
    const q: number[] = [];
    const { data } = run([
      rec(1, { v: 1, i: -1, cap: 2, state: 'D' }),
      rec(2, { v: 1, i: 1, cap: 2.2, state: 'C' }), rec(3, { v: 1, i: 1, cap: 2.0, state: 'C' }),
    ], { onPoint: (_c, _d, _v, qq) => q.push(qq) });
    expect(q.slice(1).map((x) => Math.round(x * 1e12) / 1e12)).toEqual([0.2, 0]);
    expect(data.halfCycles[1]!.counterCarried).toBe(true);
  });

  it('the column-vs-integral difference is relative to the column: 2.0 against 0.9 is 55 %', () => {
    const recs = Array.from({ length: 10 }, (_, k) => rec(k + 1, { t: 360 * (k + 1), v: 1, i: -1, cap: 0.2 * (k + 1), state: 'D' }));
    expect(run(recs).data.warnings).toEqual(['cycle 1 discharge: capacity column 2.0000 mAh and ∫|I|dt 0.90000 mAh differ by 55.00 % (lines 1–10); the column is used']);
  });

  it('exactly 0.5 % apart (200 against 199 mAh) is not a warning', () => {
    // the first record's step time: 199 mA × 1 h = 199 mAh; the next nine at the same time add nothing; the column ends at 200
    const recs = Array.from({ length: 10 }, (_, k) => rec(k + 1, { t: 3600, st: k === 0 ? 3600 : null, v: 1, i: -199, cap: 20 * (k + 1), state: 'D' }));
    const d = run(recs).data;
    expect(d.halfCycles[0]!.integratedMAh).toBe(199);
    expect(d.warnings).toEqual([]);
  });

  it('a top voltage of exactly 10 V with a bottom below −5 V: the bottom is named', () => {
    const { data } = run([rec(1, { v: 10, i: -1, state: 'D' }), rec(2, { v: -6, i: -1, state: 'D' })]);
    expect(data.warnings).toEqual(['the voltage reaches -6 V (line 2), outside any plausible cell voltage (-5 to 10 V): check the voltage unit (mV written as V?)']);
  });

  it('zero-current records of a state-marked branch do not make its CC current', () => {
    const { data } = run([rec(1, { v: 1, i: -1, state: 'D' }), rec(2, { v: 1, i: 0, state: 'D' }), rec(3, { v: 1, i: 0, state: 'D' }), rec(4, { v: 1, i: 0, state: 'D' })]);
    expect([data.halfCycles[0]!.ccCurrentMA, data.halfCycles[0]!.ccRecords]).toEqual([1, 1]);
  });

  it('records without a time in a timed file, and a negative step time, add nothing to ∫|I|dt', () => {
    // t 0, (no time), t 7200 at 1 mA: the trapezoid from 0 to 7200 s = 2 mAh; the first record's step time is −3600: ignored
    const { data } = run([
      rec(1, { t: 0, st: -3600, v: 1, i: -1, state: 'D' }), rec(2, { t: null, st: 3600, v: 1, i: -1, state: 'D' }), rec(3, { t: 7200, v: 1, i: -1, state: 'D' }),
    ]);
    expect(data.halfCycles[0]!.integratedMAh).toBeCloseTo(2, 12);
  });

  it('joined parts that never reach the split and have no capacity column keep null crossing and null column', () => {
    const { data } = run([rec(1, { t: 0, v: 1, i: -1 }), rec(2, { t: 3600, v: 0.9, i: -1 }), rec(3, { t: 3700, v: 0.9, i: 0.001 }), rec(4, { t: 7300, v: 0.8, i: -1 }), rec(5, { t: 10900, v: 0.7, i: -1 })]);
    const h = data.halfCycles[0]!;
    expect(data.halfCycles).toHaveLength(1);
    expect([h.crossMAh, h.columnMAh]).toEqual([null, null]);
    expect(h.integratedMAh).toBeCloseTo(2, 12);
  });
});

describe('CyclingReducer: the third round (cycling.ts)', () => {
  it('the time span is last − first (a file starting at t = 100 s)', () => {
    expect(run([rec(1, { t: 100, v: 1, i: -1, state: 'D' }), rec(2, { t: 400, v: 1, i: -1, state: 'D' })]).data.timeSpanS).toBe(300);
  });
  it('an untimed last record leaves the branch\'s end time at the last time read', () => {
    const h = run([rec(1, { t: 0, v: 1, i: -1, state: 'D' }), rec(2, { t: 3600, v: 1, i: -1, state: 'D' }), rec(3, { t: null, v: 1, i: -1, state: 'D' })]).data.halfCycles[0]!;
    expect([h.startTimeS, h.endTimeS]).toEqual([0, 3600]);
  });
  it('zero and positive currents without a state column: still unsigned', () => {
    expect(run([rec(1, { v: 1, i: 0 }), rec(2, { v: 1, i: 1 })]).red.unsigned).toBe(true);
  });
  it('joined parts with as many CC records each keep the first part\'s CC current', () => {
    const { data } = run([rec(1, { v: 1, i: -1 }), rec(2, { v: 1, i: -1 }), rec(3, { v: 1, i: 0.001 }), rec(4, { v: 1, i: -1.2 }), rec(5, { v: 1, i: -1.2 })]);
    expect([data.halfCycles[0]!.ccCurrentMA, data.halfCycles[0]!.ccRecords]).toEqual([1, 2]);
  });
  it('a first part without capacity values joined to a part with them: no column capacity for the whole', () => {
    const { data } = run([
      rec(1, { v: 1, i: -1, cap: null }), rec(2, { v: 1, i: -1, cap: null }), rec(3, { v: 1, i: 0.001, cap: null }),
      rec(4, { v: 1, i: -1, cap: 0.5 }), rec(5, { v: 1, i: -1, cap: 1.0 }),
    ]);
    expect(data.halfCycles).toHaveLength(1);
    expect(data.halfCycles[0]!.columnMAh).toBeNull();
  });
});

describe('CyclingReducer: a last branch with no capacity yet does not complete its cycle', () => {
  // discharge 1 mAh (column 0 → 1), charge 0.8 mAh, discharge 1 mAh, then one charge record at 0 mAh
  const body = () => [
    rec(2, { v: 1, i: -1, cap: 0, state: 'D' }), rec(3, { v: 0.1, i: -1, cap: 1, state: 'D' }),
    rec(4, { v: 0.1, i: 1, cap: 0, state: 'C' }), rec(5, { v: 1, i: 1, cap: 0.8, state: 'C' }),
    rec(6, { v: 1, i: -1, cap: 0, state: 'D' }), rec(7, { v: 0.1, i: -1, cap: 1, state: 'D' }),
  ];
  it('one record at 0 mAh: cycle 2 is incomplete, with a warning naming its line', () => {
    const { data } = run([...body(), rec(8, { v: 0.1, i: 1, cap: 0, state: 'C' })]);
    expect(data.cycles.map((c) => c.extraction?.capacityMAh ?? null)).toEqual([0.8, null]);
    expect(data.halfCycles).toHaveLength(4); // the branch is still there, only not a cycle's second half
    expect(data.warnings).toEqual(['the file ends as the charge of cycle 2 begins (line 8, no capacity yet): cycle 2 is taken as incomplete']);
  });
  it('two records still at 0 mAh: the lines of both; with capacity it completes the cycle', () => {
    const { data } = run([...body(), rec(8, { v: 0.1, i: 1, cap: 0, state: 'C' }), rec(9, { v: 0.1, i: 1, cap: 0, state: 'C' })]);
    expect(data.warnings).toEqual(['the file ends as the charge of cycle 2 begins (lines 8–9, no capacity yet): cycle 2 is taken as incomplete']);
    const done = run([...body(), rec(8, { v: 0.1, i: 1, cap: 0, state: 'C' }), rec(9, { v: 0.2, i: 1, cap: 0.01, state: 'C' })]).data;
    expect(done.cycles.map((c) => c.extraction?.capacityMAh ?? null)).toEqual([0.8, 0.01]);
    expect(done.warnings).toEqual([]);
  });
  it('a branch with no capacity in the middle stays (the 0 % is said by the sanity warning); no capacity known at all: kept', () => {
    const mid = run([rec(2, { v: 1, i: -1, cap: 0, state: 'D' }), rec(3, { v: 0.1, i: -1, cap: 1, state: 'D' }), rec(4, { v: 0.1, i: 1, cap: 0, state: 'C' }), ...body().slice(4)]).data;
    expect(mid.cycles.map((c) => c.extraction?.capacityMAh ?? null)).toEqual([0, null]);
    // neither a capacity column nor a time: every capacity is 0 because it is unknown, not because none flowed
    const bare = run([rec(1, { v: 1, i: -1 }), rec(2, { v: 0.1, i: -1 }), rec(3, { v: 0.1, i: 1 })]).data;
    expect(bare.cycles[0]!.extraction).not.toBeNull();
    expect(bare.warnings).toEqual([]);
    // the first branch of the file alone is no cycle's second half: nothing to say
    expect(run([rec(1, { v: 0.1, i: 1, cap: 0, state: 'C' })]).data.warnings).toEqual([]);
  });
});
