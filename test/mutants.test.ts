// Tests written to kill mutants (issue 20): the audit's seeded bugs that left the suite green
// (scripts/seeded-mutants.js) and Stryker survivors in src/analysis (docs/testing.md lists them).
// Every expected number is worked by hand from the data written here or from a fixture.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { retention, resolveMass } from '../src/analysis/metrics.js';
import { loadCycling } from '../src/load.js';
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
