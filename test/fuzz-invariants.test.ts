/**
 * The fuzzer's result checks find what they are meant to find: seeded bad results (a reducer
 * returning NaN, a negative capacity, an efficiency above 100 % with no warning, more charge in
 * the cycles than flowed, D ≤ 0) are caught; a sound result passes.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain-JS script module
import { checkResult } from '../scripts/fuzz-invariants.js';
import { outputChecks, toJson } from '../src/output/format.js';

const sound = { file: 'a.csv', cycle: 1, q_dis_mAh_g: 373.3, q_ch_mAh_g: 305.4, ice_pct: 81.81, warnings: [] };
const check = checkResult as (c: string, els: unknown, recs?: unknown) => string[];

describe('fuzzer invariants', () => {
  it('a sound result passes', () => expect(check('ice', [sound])).toEqual([]));
  it('a NaN reaching the output is an error under strictNumbers (and a silent null without)', () => {
    expect(toJson({ ice_pct: NaN })).toContain('"ice_pct": null');
    outputChecks.strictNumbers = true;
    try { expect(() => toJson({ ice_pct: NaN })).toThrow(/non-finite number \(NaN\) in the output at key 'ice_pct'/); } finally { outputChecks.strictNumbers = false; }
  });
  it('a negative capacity', () => expect(check('ice', [{ ...sound, q_ch_mAh_g: -3 }])[0]).toMatch(/q_ch_mAh_g = -3 is a negative capacity/));
  it('ICE above 100 % with no warning; the same with a warning passes', () => {
    expect(check('ice', [{ ...sound, ice_pct: 103.9 }])[0]).toMatch(/ice_pct = 103.9 is outside \(0, 100\] with no warning/);
    expect(check('ice', [{ ...sound, ice_pct: 103.9, warnings: ['cycle 1: ICE 103.9 % is above 100 %; is --first right?'] }])).toEqual([]);
  });
  it('a CE of 0 inside a nested cycles list', () => expect(check('cycles', [{ file: 'a', cycles: [{ cycle: 1, ce_pct: 0 }], warnings: [] }])[0]).toMatch(/ce_pct = 0/));
  it('D ≤ 0', () => expect(check('gitt', [{ file: 'a', pulses: [{ d_cm2_s: -1e-10 }], warnings: [] }])[0]).toMatch(/diffusion coefficient must be > 0/));
  it('more charge in the cycles than flowed', () => {
    // 1 mA for 1 h then −1 mA for 1 h: 2 mAh flowed in all.
    const records = [0, 3600, 3601, 7201].map((t, k) => ({ timeS: t, currentMA: k < 2 ? -1 : 1 }));
    const el = (qd: number, qc: number) => [{ file: 'a', cycles: [{ cycle: 1, q_dis_mAh: qd, q_ch_mAh: qc }], warnings: [] }];
    expect(check('cycles', el(1, 1), records)).toEqual([]);
    expect(check('cycles', el(1.5, 1), records)[0]).toMatch(/the cycles hold 2.5000 mAh but only 2.0003 mAh flowed/);
  });
  it('a step whose first record is already 1 h into it (rows cut out): that hour flowed at the step\'s current', () => {
    // a rest record at 0 s, then step 2 at 0.5 mA: its first record at 3660 s is 3600 s into it, its last at 7260 s
    const records = [{ timeS: 0, stepTimeS: 0, stepIndex: 1, currentMA: 0 }, { timeS: 3660, stepTimeS: 3600, stepIndex: 2, currentMA: 0.5 }, { timeS: 7260, stepTimeS: 7200, stepIndex: 2, currentMA: 0.5 }];
    const el = (qc: number) => [{ file: 'a', cycles: [{ cycle: 1, q_dis_mAh: null, q_ch_mAh: qc }], warnings: [] }];
    // 0.5 mA × 1 h before the first record (the 60 s before it at the rest's 0 mA) + 0.5 mA × 1 h after: 1 mAh
    expect(check('cycles', el(1), records)).toEqual([]);
    expect(check('cycles', el(1.1), records)[0]).toMatch(/the cycles hold 1.1000 mAh but only 1.0000 mAh flowed/);
    // in one step the gap is a trapezoid: (0 + 0.5) / 2 × 3660 s + 0.5 mA × 1 h = 0.7542 mAh
    const same = records.map((r) => ({ ...r, stepIndex: 1 }));
    expect(check('cycles', el(1), same)[0]).toMatch(/only 0.75417 mAh flowed/);
  });
});
