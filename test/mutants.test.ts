// Tests written to kill mutants (issue 20): the audit's seeded bugs that left the suite green
// (scripts/seeded-mutants.js) and Stryker survivors in src/analysis (docs/testing.md lists them).
// Every expected number is worked by hand from the data written here or from a fixture.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { retention, resolveMass } from '../src/analysis/metrics.js';
import { loadCycling } from '../src/load.js';
import { rateSteps } from '../src/analysis/rate.js';
import type { CycleRow } from '../src/analysis/metrics.js';
import { capacityHint, firstCycleEfficiencyWarning, laterEfficiencyWarning, loadingMixupWarning, noSecondBranchWarning } from '../src/analysis/sanity.js';
import { groupByRegex, groupRows, groupStats, meanSd } from '../src/analysis/stats.js';
import { cyclingFigure } from '../src/plot/kinds.js';
import { bytesInput, hcarb, one } from './helpers/io.js';

const dir = mkdtempSync(join(tmpdir(), 'hcarb-mutants-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A generic cycler CSV: each half-cycle is 4 rows whose capacity rises linearly to `q` mAh. */
function halfCycleText(halves: { cycle: number; dir: 'D' | 'C'; q: number }[]): string {
  const rows = ['Cycle,Step,Record,TestTime/Sec,Voltage/V,Current/mA,Capacity/mAh,State'];
  let rec = 1, step = 1;
  for (const h of halves) {
    for (let k = 0; k <= 3; k++) {
      const v = h.dir === 'D' ? 1.0 - k * 0.3 : 0.1 + k * 0.3;
      rows.push(`${h.cycle},${step},${rec},${rec * 60},${v.toFixed(2)},${h.dir === 'D' ? -1 : 1},${(k * h.q / 3).toFixed(6)},${h.dir}`);
      rec++;
    }
    step++;
  }
  return rows.join('\n') + '\n';
}
function halfCycleFile(name: string, halves: { cycle: number; dir: 'D' | 'C'; q: number }[]): string {
  const f = join(dir, name);
  writeFileSync(f, halfCycleText(halves));
  return f;
}

describe('summary last_rev: the reversible branch of the last complete cycle', () => {
  it('hand fixture (anode, discharge first): one complete cycle, charge 0.875 mAh over 2 mg = 437.5 mAh/g, not the discharge 500', () => {
    const r = hcarb(['summary', 'test/fixtures/hand-small.csv', '--json']);
    expect(r.code).toBe(0);
    const d = one(r.stdout);
    expect(d.last_cycle).toBe(1);
    expect(d.last_rev_mAh_g).toBeCloseTo(437.5, 6);
    expect(d.last_rev_mAh).toBeCloseTo(0.875, 9);
  });
  it('three anode cycles: the last charge 0.84 mAh / 2 mg = 420 mAh/g (its discharge would give 425)', () => {
    const f = halfCycleFile('anode3.csv', [
      { cycle: 1, dir: 'D', q: 1.0 }, { cycle: 1, dir: 'C', q: 0.875 },
      { cycle: 2, dir: 'D', q: 0.9 }, { cycle: 2, dir: 'C', q: 0.88 },
      { cycle: 3, dir: 'D', q: 0.85 }, { cycle: 3, dir: 'C', q: 0.84 },
    ]);
    const d = one(hcarb(['summary', f, '--mass', '2', '--json', '-q']).stdout);
    expect(d.cycles).toBe(3);
    expect(d.last_cycle).toBe(3);
    expect(d.last_rev_mAh_g).toBeCloseTo(420, 4);
    expect(d.last_rev_mAh).toBeCloseTo(0.84, 6);
  });
  it('cathode (--first charge): the reversible branch is the discharge, 0.93 mAh / 2 mg = 465 mAh/g (its charge would give 475)', () => {
    const f = halfCycleFile('cathode2.csv', [
      { cycle: 1, dir: 'C', q: 1.0 }, { cycle: 1, dir: 'D', q: 0.9 },
      { cycle: 2, dir: 'C', q: 0.95 }, { cycle: 2, dir: 'D', q: 0.93 },
    ]);
    const d = one(hcarb(['summary', f, '--mass', '2', '--first', 'charge', '--json', '-q']).stdout);
    expect(d.cycles).toBe(2);
    expect(d.last_rev_mAh_g).toBeCloseTo(465, 4);
    expect(d.last_rev_mAh).toBeCloseTo(0.93, 6);
  });
});

describe('cycling figure: the series drawn are the numbers given', () => {
  const rows = [
    { cycle: 1, qDis: 300, qCh: 260, ce: 86.7 },
    { cycle: 2, qDis: 280, qCh: 275, ce: 98.2 },
    { cycle: 3, qDis: 276, qCh: null, ce: null },
  ];
  const fig = cyclingFigure([{ label: 'A', rows }], { size: 'single', title: null, qTitle: 'Specific capacity (mAh g⁻¹)' } as never);
  const s = fig.panels[0]!.series;
  it('solid = discharge, dashed = charge (as the legend says), triangles = CE on the right axis', () => {
    expect(s).toHaveLength(3);
    expect(fig.legend.find((l) => l.label === 'discharge')?.dash).toBe('solid');
    expect(fig.legend.find((l) => l.label === 'charge')?.dash).toBe('dashed');
    expect(s[0]!.dash).toBe('solid');
    expect(s[0]!.points).toEqual([[1, 300], [2, 280], [3, 276]]);
    expect(s[1]!.dash).toBe('dashed');
    expect(s[1]!.points).toEqual([[1, 260], [2, 275]]);
    expect(s[2]!.axis).toBe('y2');
    expect(s[2]!.points).toEqual([[1, 86.7], [2, 98.2]]);
  });
});

describe('retention fade rate: a linear fade of 0.001 mAh per cycle, worked by hand', async () => {
  // charge (reversible) capacity of cycle n: 1.000 − 0.001 (n − 1) mAh, n = 1…8; discharge 0.01 mAh more
  const halves = Array.from({ length: 8 }, (_, k) => [
    { cycle: k + 1, dir: 'D' as const, q: 1.01 - 0.001 * k }, { cycle: k + 1, dir: 'C' as const, q: 1.0 - 0.001 * k },
  ]).flat();
  const { data } = await loadCycling(bytesInput(halfCycleText(halves), 'fade.csv'), { first: 'discharge', splitV: 0.1 });
  const mass = resolveMass({ massMg: 2, source: 'flag' }, data, []);
  it('--skip 0 --window 2: reference (1.000 + 0.999)/2 = 0.9995 mAh, final (0.994 + 0.993)/2 = 0.9935 mAh, slope −0.001 mAh/cycle', () => {
    const r = retention(data, mass, 0, 2, 'fade.csv');
    expect(r.cycles).toBe(8);
    expect(r.reference_mAh).toBeCloseTo(0.9995, 9);
    expect(r.final_mAh).toBeCloseTo(0.9935, 9);
    expect(r.retention_pct).toBeCloseTo(0.9935 / 0.9995 * 100, 7); // 99.3997 %
    expect(r.plain_ratio_pct).toBeCloseTo(99.3, 7); // 0.993 / 1.000
    expect(r.fade_mAh_per_cycle).toBeCloseTo(-0.001, 9);
    expect(r.fade_mAh_g_per_cycle).toBeCloseTo(-0.5, 6); // −0.001 mAh / 0.002 g
    // −0.001 / 0.9995 per cycle = −0.10005 % per cycle = −10.005 % per 100 cycles
    expect(r.fade_pct_per_100_cycles).toBeCloseTo(-0.001 / 0.9995 * 1e4, 6);
    expect(r.reference_mAh_g).toBeCloseTo(499.75, 6);
    expect(r.final_mAh_g).toBeCloseTo(496.75, 6);
    expect([r.reference_cycles, r.final_cycles]).toEqual(['1-2', '7-8']);
  });
  it('--ref-cycle 3 --window 2: reference 0.998 mAh, fade line over cycles 3–8, −10.02 % per 100 cycles', () => {
    const r = retention(data, mass, 0, 2, 'fade.csv', { refCycle: 3 });
    expect(r.reference_mAh).toBeCloseTo(0.998, 9);
    expect(r.retention_pct).toBeCloseTo(0.9935 / 0.998 * 100, 7);
    expect(r.plain_ratio_pct).toBeCloseTo(0.993 / 0.998 * 100, 7);
    expect(r.fade_pct_per_100_cycles).toBeCloseTo(-0.001 / 0.998 * 1e4, 6);
  });
});

describe('replicate statistics (stats.ts), worked by hand', () => {
  it('meanSd: 2,4,4,4,5,5,7,9 → mean 5, sample SD √(32/7) = 2.13809; non-numbers and non-finite values left out', () => {
    const a = meanSd([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(a.n).toBe(8);
    expect(a.mean).toBe(5);
    expect(a.sd).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(meanSd([1, null, NaN, undefined, Infinity, -Infinity, 3])).toEqual({ n: 2, mean: 2, sd: Math.SQRT2 });
    expect(meanSd([])).toEqual({ n: 0, mean: null, sd: null });
    expect(meanSd([null])).toEqual({ n: 0, mean: null, sd: null });
    expect(meanSd([5])).toEqual({ n: 1, mean: 5, sd: null });
    expect(meanSd([-1, -3])).toEqual({ n: 2, mean: -2, sd: Math.SQRT2 });
  });
  it('groupStats: groups in order of first appearance, unmatched rows left out, per-key counts', () => {
    const rows = [
      { name: 'B1', q: 7, r: 1, s: 'text' },
      { name: 'A1', q: 10, r: 3 },
      { name: 'zz', q: 100 },
      { name: 'A2', q: 14, r: null },
    ];
    const g = groupStats(rows, (r) => groupByRegex(/^([AB])\d/)(r.name));
    expect(g.map((x) => x.group)).toEqual(['B', 'A']);
    const [b, a] = g;
    expect(b).toEqual({ group: 'B', n: 1, mean: { q: 7, r: 1 }, sd: { q: null, r: null }, count: { q: 1, r: 1 } });
    expect(a!.n).toBe(2);
    expect(a!.mean).toEqual({ q: 12, r: 3 });
    expect(a!.sd.q).toBeCloseTo(Math.sqrt(8), 12); // (10−12)² + (14−12)² = 8, / (2 − 1)
    expect(a!.sd.r).toBeNull();
    expect(a!.count).toEqual({ q: 2, r: 1 });
  });
  it('groupByRegex: the first capture group, else the whole match, else null', () => {
    expect(groupByRegex(/^S(\d)/)('S3-x')).toBe('3');
    expect(groupByRegex(/^ab/)('abc')).toBe('ab');
    expect(groupByRegex(/^ab/)('cab')).toBeNull();
  });
  it('groupRows: a mean row and an SD row per group, named "<group> (mean)" / "(sd)"', () => {
    const rows = groupRows([{ group: 'A', n: 2, mean: { q: 12 }, sd: { q: 2 }, count: { q: 2 } }]);
    expect(rows).toEqual([{ name: 'A (mean)', group: 'A', q: 12, n: 2 }, { name: 'A (sd)', group: 'A', q: 2, n: 2 }]);
    expect(groupRows([{ group: 'A', n: 1, mean: {}, sd: {}, count: {} }], 'sample')[0]).toEqual({ sample: 'A (mean)', group: 'A', n: 1 });
  });
});

describe('sanity warnings (sanity.ts)', () => {
  it('first-cycle efficiency: only above 100 %, naming the branches the right way round', () => {
    expect(firstCycleEfficiencyWarning(null, 'discharge')).toBeNull();
    expect(firstCycleEfficiencyWarning(100, 'discharge')).toBeNull();
    expect(firstCycleEfficiencyWarning(99.2, 'discharge')).toBeNull();
    const w = firstCycleEfficiencyWarning(100.54, 'discharge')!;
    expect(w).toMatch(/^cycle 1: ICE 100\.5 % is above 100 % \(the charge passed more charge than the discharge before it\)/);
    expect(w).toContain('is --first right?');
    expect(firstCycleEfficiencyWarning(101, 'charge', 'CE')).toMatch(/^cycle 1: CE 101\.0 % is above 100 % \(the discharge passed more charge than the charge before it\)/);
  });
  it('an efficiency of 0 % (the second branch holds no capacity) is said, with its cycles and the right branch', () => {
    const tail = 'a single record, or a capacity column that stays at 0';
    expect(noSecondBranchWarning([{ cycle: 1, ce_pct: 0 }], 'discharge', 'ICE')).toBe(`cycle 1: the charge branch holds no capacity (${tail}: does the run or the file end as the charge begins?), so the ICE is 0 %, not a measured efficiency`);
    expect(noSecondBranchWarning([{ cycle: 1, ce_pct: 80 }, { cycle: 2, ce_pct: 0 }], 'charge')).toBe(`cycle 2: the discharge branch holds no capacity (${tail}: does the run or the file end as the discharge begins?), so its CE is 0 %, not a measured efficiency`);
    expect(noSecondBranchWarning([{ cycle: 1, ce_pct: 0 }, { cycle: 3, ce_pct: 0 }], 'discharge', 'ICE')).toMatch(/^cycles 1, 3: the charge branch .*, so the ICE and CE are 0 %/);
    expect(noSecondBranchWarning([{ cycle: 2, ce_pct: 0 }, { cycle: 3, ce_pct: 0 }], 'discharge', 'ICE')).toMatch(/^cycles 2, 3: .*, so their CE is 0 %/);
    const many = [1, 2, 3, 4, 5, 6, 7].map((cycle) => ({ cycle, ce_pct: 0 }));
    expect(noSecondBranchWarning(many, 'discharge')).toMatch(/^cycles 1, 2, 3, 4, 5, …: /);
    expect(noSecondBranchWarning(many.slice(0, 6), 'discharge')).toMatch(/^cycles 1, 2, 3, 4, 5, 6: /);
    expect(noSecondBranchWarning([{ cycle: 1, ce_pct: null }, { cycle: 2, ce_pct: 1e-9 }, { cycle: 3, ce_pct: 99 }], 'discharge')).toBeNull();
    expect(noSecondBranchWarning([], 'discharge')).toBeNull();
  });
  it('CE above 100 % after the first cycle: one warning, the cycles and the largest (cycle 1 is the other warning\'s)', () => {
    const tail = "slightly above 100 % is within a cycler's accuracy, well above it a branch was cut short (rows missing?) or --first is wrong";
    expect(laterEfficiencyWarning([{ cycle: 1, ce_pct: 150 }, { cycle: 2, ce_pct: 100 }, { cycle: 3, ce_pct: null }], 'discharge')).toBeNull();
    expect(laterEfficiencyWarning([{ cycle: 1, ce_pct: 80 }, { cycle: 2, ce_pct: 142.336 }], 'discharge')).toBe(`cycle 2: CE 142.34 % is above 100 %: the charge passed more charge than the discharge before it; ${tail}`);
    const rows = [99, 100.1, 100.3, 100.2, 99.9, 100.05, 100.01, 100.02].map((ce_pct, k) => ({ cycle: k + 1, ce_pct }));
    expect(laterEfficiencyWarning(rows, 'charge')).toBe(`6 cycles after the first have a CE above 100 % (2, 3, 4, 6, 7, 8; up to 100.30 % in cycle 3): the discharge passed more charge than the charge before it; ${tail}`);
    expect(laterEfficiencyWarning([...rows, { cycle: 9, ce_pct: 100.5 }], 'discharge')).toMatch(/^7 cycles after the first have a CE above 100 % \(2, 3, 4, 6, 7, …; up to 100\.50 % in cycle 9\): the charge passed more charge than the discharge/);
    expect(laterEfficiencyWarning(rows.slice(0, 4), 'charge')).toMatch(/^3 cycles after the first have a CE above 100 % \(2, 3, 4; up to 100\.30 % in cycle 3\)/);
  });
  it('loading mix-up: given = file mass ÷ area or × area (within 2 %), else nothing', () => {
    expect(loadingMixupWarning(1.5, 3, 2)).toBe("the mass given (1.5 mg) equals the file's mass (3 mg) ÷ the electrode area (2 cm²): is 1.5 a loading in mg cm⁻²? did you mean --loading 1.5?");
    expect(loadingMixupWarning(6, 3, 2)).toMatch(/^the mass given \(6 mg\) equals the file's mass \(3 mg\) × the electrode area \(2 cm²\).*did you mean --loading 3\?\)$/);
    expect(loadingMixupWarning(1.52, 3, 2)).toMatch(/÷ the electrode area/); // 1.3 % from 1.5
    expect(loadingMixupWarning(1.55, 3, 2)).toBeNull(); // 3.3 % from 1.5, 48 % from 3
    expect(loadingMixupWarning(4, 3, 2)).toBeNull();
    expect(loadingMixupWarning(3.05, 3, 1.016)).toBeNull(); // agrees with the file (1.7 %) although it also ≈ 3 × 1.016
    expect(loadingMixupWarning(1.5, null, 2)).toBeNull();
    expect(loadingMixupWarning(1.5, 0, 2)).toBeNull();
    expect(loadingMixupWarning(0, 3, 2)).toBeNull();
    expect(loadingMixupWarning(1.5, 3, 0)).toBeNull();
    expect(loadingMixupWarning(1.5, 3, -2)).toBeNull();
    // exactly 2 % (0.5 / 25 = 1/50, the same double as 0.02) still counts as a match
    expect(loadingMixupWarning(25.5, 50, 2)).toMatch(/÷ the electrode area/);
  });
  it('capacity hint: the largest specific capacity above 2000 mAh/g for carbon, with its cycle and branch', () => {
    const rows = [
      { cycle: 1, q_dis_mAh_g: 2500, q_ch_mAh_g: 2100 },
      { cycle: 2, q_dis_mAh_g: null, q_ch_mAh_g: 2600 },
      { cycle: 3, q_dis_mAh_g: 2550, q_ch_mAh_g: null },
    ];
    expect(capacityHint(rows)).toBe('hint: the specific capacity reaches 2600 mAh/g (cycle 2 charge), above 2000 mAh/g, more than a carbon stores; check the mass (mg, not a loading or µg?)');
    expect(capacityHint([{ cycle: 4, q_dis_mAh_g: 2001, q_ch_mAh_g: 300 }])).toMatch(/reaches 2001 mAh\/g \(cycle 4 discharge\)/);
    expect(capacityHint([{ cycle: 1, q_dis_mAh_g: 2000, q_ch_mAh_g: 1999 }])).toBeNull();
    expect(capacityHint(rows, 'silicon')).toBeNull();
    // a tie keeps the first one met (cycle order, discharge before charge)
    expect(capacityHint([{ cycle: 1, q_dis_mAh_g: 2600, q_ch_mAh_g: 2600 }, { cycle: 2, q_dis_mAh_g: 2600, q_ch_mAh_g: 10 }])).toMatch(/\(cycle 1 discharge\)/);
  });
});

describe('rate steps (rate.ts) on cycle rows written by hand', () => {
  // 2 mg; charge (reversible) capacity in mAh per cycle, discharge 0.01 mAh more; insertion current in mA/g
  const plan: [number, number | null, number][] = [[1, 50, 0.7], [2, 100, 0.60], [3, 103, 0.58], [4, 200, 0.50], [5, 205, 0.48], [6, null, 0.3], [7, 98, 0.57], [8, 100, 0.55]];
  const rowsOf = (withMass: boolean, ins: 'dis' | 'ch' = 'dis') => plan.map(([cycle, i, qc]) => ({
    cycle,
    [`i_${ins}_mA_g`]: withMass ? i : null, [`i_${ins}_mA`]: i === null ? null : i * 0.002,
    [`i_${ins === 'dis' ? 'ch' : 'dis'}_mA_g`]: null, [`i_${ins === 'dis' ? 'ch' : 'dis'}_mA`]: null,
    q_ch_mAh: ins === 'dis' ? qc : qc + 0.01, q_dis_mAh: ins === 'dis' ? qc + 0.01 : qc,
    q_ch_mAh_g: withMass ? (ins === 'dis' ? qc : qc + 0.01) * 500 : null, q_dis_mAh_g: withMass ? (ins === 'dis' ? qc + 0.01 : qc) * 500 : null,
    ce_pct: ins === 'dis' ? qc / (qc + 0.01) * 100 : (qc + 0.01) / qc * 100,
  })) as unknown as CycleRow[];
  it('steps 100/103, 200/205, (cycle 6 no current: skipped, breaks the step) 98/100 mA/g; recovery 0.56 / 0.59', () => {
    const r = rateSteps(rowsOf(true), { nominalMAhG: 300 });
    expect(r.formation).toEqual({ cycles: [1], i_mA_g: [50], i_mA: [0.1] });
    expect(r.skipped_cycles).toEqual([6]);
    expect(r.warnings).toEqual(['cycle 6 carries no insertion current: left out of the rate steps']);
    expect(r.steps.map((s) => [s.step, s.first_cycle, s.last_cycle, s.n])).toEqual([[1, 2, 3, 2], [2, 4, 5, 2], [3, 7, 8, 2]]);
    const [a, b, c] = r.steps;
    expect(a!.i_mA_g).toBeCloseTo(101.5, 9);
    expect(a!.i_mA).toBeCloseTo(0.203, 12);
    expect(a!.c_rate).toBeCloseTo(101.5 / 300, 12);
    expect(a!.q_ch_mAh_mean).toBeCloseTo(0.59, 12);
    expect(a!.q_ch_mAh_sd).toBeCloseTo(Math.SQRT2 * 0.01, 12); // (±0.01)² × 2 / (2 − 1)
    expect(a!.q_ch_mAh_g_mean).toBeCloseTo(295, 9);
    expect(a!.q_dis_mAh_g_mean).toBeCloseTo(300, 9);
    expect(a!.q_dis_mAh_mean).toBeCloseTo(0.6, 12);
    expect(a!.q_dis_mAh_sd).toBeCloseTo(Math.SQRT2 * 0.01, 12);
    expect(a!.q_ch_mAh_g_sd).toBeCloseTo(Math.SQRT2 * 5, 9);
    expect(a!.ce_pct_mean).toBeCloseTo((60 / 61 + 58 / 59) * 50, 9);
    expect(a!.rev_vs_first_pct).toBeCloseTo(100, 12);
    expect(b!.i_mA_g).toBeCloseTo(202.5, 9);
    expect(b!.rev_vs_first_pct).toBeCloseTo(0.49 / 0.59 * 100, 9);
    expect(c!.rev_vs_first_pct).toBeCloseTo(0.56 / 0.59 * 100, 9);
    expect(r.recovery_pct).toBeCloseTo(0.56 / 0.59 * 100, 9); // 94.92 %
    expect(r.recovery_step).toBe(3);
    expect(r.recovery_note).toBeNull();
    expect(r.assumptions.steps_detected).toBe('101.5 mA/g: cycles 2–3; 202.5 mA/g: cycles 4–5; 99 mA/g: cycles 7–8');
    expect(r.assumptions.reversible_branch).toBe('charge');
    expect(r.assumptions.tolerance_pct).toBe(5);
    expect(r.assumptions.formation_cycles).toBe(1);
  });
  it('without a mass the steps are found on mA; C-rate needs both a mass and a nominal capacity', () => {
    const r = rateSteps(rowsOf(false), { nominalMAhG: 300 });
    expect(r.steps.map((s) => [s.first_cycle, s.last_cycle])).toEqual([[2, 3], [4, 5], [7, 8]]);
    expect(r.steps[0]!.i_mA_g).toBeNull();
    expect(r.steps[0]!.c_rate).toBeNull();
    expect(r.assumptions.steps_detected).toBe('0.203 mA: cycles 2–3; 0.405 mA: cycles 4–5; 0.198 mA: cycles 7–8');
    expect(rateSteps(rowsOf(true)).steps[0]!.c_rate).toBeNull();
  });
  it('a cathode (--first charge): steps on the charge current, the reversible branch is the discharge', () => {
    const r = rateSteps(rowsOf(true, 'ch'), { first: 'charge' });
    expect(r.steps.map((s) => [s.first_cycle, s.last_cycle])).toEqual([[2, 3], [4, 5], [7, 8]]);
    expect(r.steps[1]!.rev_vs_first_pct).toBeCloseTo(0.49 / 0.59 * 100, 9);
    expect(r.recovery_pct).toBeCloseTo(0.56 / 0.59 * 100, 9);
    expect(r.assumptions.reversible_branch).toBe('discharge');
  });
  it('tolerance 1 %: 103 leaves the first step; formation 0 puts cycle 1 in a step; no return → a note', () => {
    const r = rateSteps(rowsOf(true), { tolerancePct: 1, formationCycles: 0 });
    expect(r.formation.cycles).toEqual([]);
    expect(r.steps.map((s) => [s.first_cycle, s.last_cycle])).toEqual([[1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [7, 7], [8, 8]]);
    expect(r.recovery_pct).toBeNull();
    expect(r.recovery_note).toBe("no later step returns to the first step's current (50 mA/g)");
  });
  it('refuses a tolerance outside (0, 100) and a formation count that is not a whole number ≥ 0', () => {
    for (const t of [0, 100, -1]) expect(() => rateSteps(rowsOf(true), { tolerancePct: t })).toThrow(/tolerance must be between 0 and 100/);
    for (const f of [-1, 1.5]) expect(() => rateSteps(rowsOf(true), { formationCycles: f })).toThrow(/--formation must be a whole number/);
    expect(() => rateSteps(rowsOf(true), { tolerancePct: 99.9, formationCycles: 0 })).not.toThrow();
  });
});
