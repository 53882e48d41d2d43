// Figures on a fixture small enough to work by hand (worked values in the comments).
import { describe, expect, it } from 'vitest';
import { loadCycling } from '../src/load.js';
import { cycleRows, ice, resolveMass, split } from '../src/analysis/metrics.js';
import { fileInput } from './helpers/io.js';

const FIX = new URL('./fixtures/hand-small.csv', import.meta.url).pathname;

describe('hand-worked fixture (test/fixtures/hand-small.csv)', async () => {
  const { data, info } = await loadCycling(fileInput(FIX), { first: 'discharge', splitV: 0.1 });
  const mass = resolveMass(null, data, []);

  it('takes the mass from Capacity / SpeCap: 0.25 mAh / 125 mAh/g = 2 mg', () => {
    expect(mass.source).toBe('file');
    expect(mass.massMg).toBeCloseTo(2, 10);
    expect(info.headerLine).toBe(1);
  });

  it('ICE = 0.875 / 1.0 = 87.5 %; Q_dis = 1.0 mAh / 2 mg = 500 mAh/g; Q_ch = 437.5; irreversible 62.5', () => {
    const r = ice(data, mass, 'x');
    expect(r.ice_pct).toBeCloseTo(87.5, 10);
    expect(r.q_dis_mAh_g).toBeCloseTo(500, 9);
    expect(r.q_ch_mAh_g).toBeCloseTo(437.5, 9);
    expect(r.irreversible_mAh_g).toBeCloseTo(62.5, 9);
    expect(r.q_dis_mAh).toBeCloseTo(1.0, 12);
  });

  it('integrates |I|dt to the same capacities: 0.5 mA × 7200 s = 1.0 mAh, × 6300 s = 0.875 mAh', () => {
    expect(data.cycles[0]!.insertion.integratedMAh).toBeCloseTo(1.0, 12);
    expect(data.cycles[0]!.extraction!.integratedMAh).toBeCloseTo(0.875, 12);
    expect(data.warnings).toEqual([]);
  });

  it('splits at 0.1 V by interpolation: discharge crosses halfway between 0.5 and 0.75 mAh → 0.625 mAh', () => {
    const s = split(data, mass, 1, 'x');
    expect(s.dis_slope_mAh_g).toBeCloseTo(312.5, 9);
    expect(s.dis_plateau_mAh_g).toBeCloseTo(187.5, 9);
    expect(s.dis_plateau_pct).toBeCloseTo(37.5, 9);
    // charge rises through 0.1 V halfway between 0.25 and 0.5 mAh → plateau 0.375 mAh = 187.5 mAh/g
    expect(s.ch_plateau_mAh_g).toBeCloseTo(187.5, 9);
    expect(s.ch_slope_mAh_g).toBeCloseTo(250, 9);
    expect(s.ch_plateau_pct).toBeCloseTo(0.375 / 0.875 * 100, 9);
  });

  it('lists the incomplete second cycle with no charge and no CE', () => {
    const rows = cycleRows(data, mass);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.ce_pct).toBeCloseTo(87.5, 10);
    expect(rows[1]!.q_dis_mAh_g).toBeCloseTo(125, 9);
    expect(rows[1]!.q_ch_mAh_g).toBeNull();
    expect(rows[1]!.ce_pct).toBeNull();
    expect(rows[1]!.first_line).toBe(16);
  });

  it('a given mass wins, and a disagreement over 1 % is a warning', () => {
    const w: string[] = [];
    const m = resolveMass({ massMg: 2.5, source: 'flag' }, data, w);
    expect(m.massMg).toBe(2.5);
    expect(w[0]).toMatch(/differs from the file's \(2\.000 mg/);
    expect(ice(data, m, 'x').q_dis_mAh_g).toBeCloseTo(400, 9);
  });
});

describe('the mass implied by the file', () => {
  it('is the mass entered in the cycler, without the float noise of Capacity / SpeCap (sample made with 3.8 mg)', async () => {
    // 1.41854 mAh / 373.3 mAh/g × 1000 is 3.7999999999999994 in floating point.
    expect(1.41854 / 373.3 * 1000).not.toBe(3.8);
    const { data } = await loadCycling(fileInput(new URL('../samples/npnhc-t1200.csv', import.meta.url).pathname), { first: 'discharge', splitV: 0.1 });
    expect(data.statedMassMg).toBe(3.8);
  });
});

