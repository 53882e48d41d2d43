// One analytically known cell written in every dialect the parser reads: every dialect must give
// the analytic answers. The cell: 2 mg; cycle n discharges Q_dis(n) and charges Q_ch(n) at 0.2 mA;
// V falls linearly 2.5 → 0 V over the discharge and rises 0 → 2.5 V over the charge, sampled at
// every 5 % of each branch, so linear interpolation at 0.1 V is exact: the discharge reaches 0.1 V
// at 96 % of its capacity, the charge at 4 %.
import { describe, expect, it } from 'vitest';
import { landFile, type Branch, type CellPlan, type Dialect } from '../src/generate/land.js';
import { loadCycling } from '../src/load.js';
import { cycleRows, ice, resolveMass, retention, split } from '../src/analysis/metrics.js';
import { bytesInput } from './helpers/io.js';

const MASS_MG = 2;
const N = 12;
const qCh = (n: number) => 0.8 - 0.01 * (n - 1); // mAh
const qDis = (n: number) => (n === 1 ? 1.0 : qCh(n) + 0.01);
const fractions = Array.from({ length: 21 }, (_, i) => i / 20);

function plan(opts: { steps?: number; leadingCharge?: boolean } = {}): CellPlan {
  const branches: Branch[] = [];
  if (opts.leadingCharge) branches.push({ dir: 'C', capacityMAh: 0.01, currentMA: 0.2, restAfterS: 300 });
  for (let n = 1; n <= N; n++) {
    branches.push({ dir: 'D', capacityMAh: qDis(n), currentMA: 0.2, restAfterS: 600, steps: opts.steps, stepRestS: 900 });
    branches.push({ dir: 'C', capacityMAh: qCh(n), currentMA: 0.2, restAfterS: 600, steps: opts.steps, stepRestS: 900 });
  }
  return {
    branches, massMg: MASS_MG, fractions, initialRestS: 600, initialV: 2.7, sampleS: 300,
    voltage: (dir, x) => (dir === 'D' ? 2.5 * (1 - x) : 2.5 * x),
  };
}

// Analytic answers (mAh/g = mAh / 0.002 g).
const G = MASS_MG / 1000;
const ANSWER = {
  ice_pct: 80,
  q_dis_mAh_g: 1.0 / G,
  q_ch_mAh_g: 0.8 / G,
  irreversible_mAh_g: 0.2 / G,
  dis_slope_mAh_g: 0.96 * 1.0 / G,
  ch_plateau_mAh_g: 0.04 * 0.8 / G,
  // skip 2, window 3: reference = mean Q_ch(3..5) = 0.77, final = mean Q_ch(10..12) = 0.70
  retention_pct: 0.70 / 0.77 * 100,
  plain_ratio_pct: qCh(12) / qCh(3) * 100,
  fade_mAh_g_per_cycle: -0.01 / G,
};

async function figures(bytes: Uint8Array, name: string, first: 'discharge' | 'charge' = 'discharge') {
  const { data } = await loadCycling(bytesInput(bytes, name, 1000), { first, splitV: 0.1 });
  const mass = resolveMass({ massMg: MASS_MG, source: 'flag' }, data, []);
  const i = ice(data, mass, name), s = split(data, mass, 1, name), r = retention(data, mass, 2, 3, name);
  return { data, i, s, r, rows: cycleRows(data, mass) };
}

function expectAnalytic(f: Awaited<ReturnType<typeof figures>>): void {
  const rel = (a: number | null, b: number) => expect(Math.abs((a ?? NaN) - b) / Math.abs(b)).toBeLessThan(1e-6);
  rel(f.i.ice_pct, ANSWER.ice_pct);
  rel(f.i.q_dis_mAh_g, ANSWER.q_dis_mAh_g);
  rel(f.i.q_ch_mAh_g, ANSWER.q_ch_mAh_g);
  rel(f.i.irreversible_mAh_g, ANSWER.irreversible_mAh_g);
  rel(f.s.dis_slope_mAh_g, ANSWER.dis_slope_mAh_g);
  rel(f.s.ch_plateau_mAh_g, ANSWER.ch_plateau_mAh_g);
  rel(f.r.retention_pct, ANSWER.retention_pct);
  rel(f.r.plain_ratio_pct, ANSWER.plain_ratio_pct);
  rel(f.r.fade_mAh_g_per_cycle, ANSWER.fade_mAh_g_per_cycle);
  expect(f.rows).toHaveLength(N);
  for (const row of f.rows) rel(row.ce_pct, qCh(row.cycle) / qDis(row.cycle) * 100);
}

const DIALECTS: [string, Dialect, 'utf-8' | 'gb18030', string][] = [
  ['English CSV, seconds', {}, 'utf-8', 'a.csv'],
  ['Chinese headers and step names, GB18030', { language: 'zh' }, 'gb18030', 'b.csv'],
  ['tab-separated with decimal commas', { delimiter: '\t', decimalComma: true }, 'utf-8', 'c.txt'],
  ['uA and uAh', { currentUnit: 'uA', capacityUnit: 'uAh' }, 'utf-8', 'd.csv'],
  ['A and Ah', { currentUnit: 'A', capacityUnit: 'Ah' }, 'utf-8', 'e.csv'],
  ['time as D-HH:MM:SS text', { time: 'dhms' }, 'utf-8', 'f.csv'],
  ['time in hours', { time: 'hours' }, 'utf-8', 'g.csv'],
  ['UTF-8 BOM and CRLF', { bom: true, crlf: true }, 'utf-8', 'h.csv'],
  ['columns in another order', { shuffleColumns: true }, 'utf-8', 'i.csv'],
  ['no state column (sign of current)', { states: 'none' }, 'utf-8', 'j.csv'],
  ['C_CC / D_CC state names', { states: 'cc' }, 'utf-8', 'k.csv'],
  ['metadata lines before the header', { metadataLines: ['Test name,NPNHC cell 3', 'Channel,004_2', ''] }, 'utf-8', 'l.csv'],
  ['vendor cycle counter starting at the charge (cycle 1 = first discharge alone)', { vendorCycleAt: 'C' }, 'utf-8', 'm.csv'],
  ['no capacity column (integrated from current)', { capacityMode: 'none' }, 'utf-8', 'n.csv'],
];

describe('the same cell in every dialect gives the analytic figures', () => {
  it.each(DIALECTS)('%s', async (_n, dialect, enc, name) => {
    expectAnalytic(await figures(landFile(plan(), dialect, enc), name));
  });
});

describe('capacity columns that accumulate differently', () => {
  // Each branch in two steps with a 15-minute rest between (GITT-like); the capacity column
  // accumulates over the half-cycle (LAND), resets per step, never resets, or is absent.
  it.each(['halfcycle', 'step', 'never', 'none'] as const)('%s', async (mode) => {
    const f = await figures(landFile(plan({ steps: 2 }), { capacityMode: mode }), `${mode}.csv`);
    expectAnalytic(f);
    if (mode === 'never') expect(f.data.warnings.join('\n')).toMatch(/does not restart when the current reverses/);
    else expect(f.data.warnings).toEqual([]);
  });
});

describe('where the first cycle starts', () => {
  it('a run that starts with a short charge from OCV: that charge belongs to no cycle', async () => {
    const f = await figures(landFile(plan({ leadingCharge: true })), 'lead.csv');
    expectAnalytic(f);
    expect(f.data.leading).toHaveLength(1);
  });

  it('--first charge mirrors the branches (cathode-style): ICE = Q_dis,1 / Q_ch,1', async () => {
    const f = await figures(landFile(plan({ leadingCharge: true })), 'lead.csv', 'charge');
    // cycle 1 is now the 0.01 mAh leading charge and the 1.0 mAh discharge after it
    expect(f.i.ice_pct).toBeCloseTo(1.0 / 0.01 * 100, 6);
    expect(f.i.q_ch_mAh_g).toBeCloseTo(0.01 / G, 6);
  });
});
