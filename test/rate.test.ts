// Rate capability and per-cycle voltages / energies on a generated rate-capability run
// (src/generate/rate.ts: its own physics). Truth: the generator's per-cycle capacities, and a
// trapezoid integration of the written CSV records done here, from the text, independently.
import { describe, expect, it } from 'vitest';
import { loadCycling } from '../src/load.js';
import { cycleRows, resolveMass } from '../src/analysis/metrics.js';
import { rateSteps } from '../src/analysis/rate.js';
import { rateCapabilityPlan } from '../src/generate/rate.js';
import { encodeLines, landLines } from '../src/generate/land.js';
import { bytesInput } from './helpers/io.js';

const gen = rateCapabilityPlan();
const lines = [...landLines(gen.plan)];
const bytes = encodeLines(lines);

/** Branches from the CSV text: runs of RateD / RateC records (rests skipped), with V and the Capacity column. */
function branchesFromText(text: string[]): { dir: 'D' | 'C'; v: number[]; q: number[]; i: number[] }[] {
  const head = text[0]!.split(',');
  const iv = head.indexOf('Voltage/V'), iq = head.indexOf('Capacity/mAh'), is = head.indexOf('Step-State'), ii = head.indexOf('Current/mA');
  const out: { dir: 'D' | 'C'; v: number[]; q: number[]; i: number[] }[] = [];
  for (const line of text.slice(1)) {
    const c = line.split(',');
    const st = c[is]!;
    if (st === 'R') continue;
    const dir = st === 'RateD' ? 'D' : 'C';
    let b = out[out.length - 1];
    if (!b || b.dir !== dir) out.push((b = { dir, v: [], q: [], i: [] }));
    b.v.push(Number(c[iv])); b.q.push(Number(c[iq])); b.i.push(Math.abs(Number(c[ii])));
  }
  return out;
}

function trapezoid(v: number[], q: number[]): number {
  let e = 0;
  for (let k = 1; k < v.length; k++) e += (v[k]! + v[k - 1]!) / 2 * (q[k]! - q[k - 1]!);
  return e;
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('rate-capability export: formation, 5 cycles each at 30…2000 mA/g and back to 30', async () => {
  const { data } = await loadCycling(bytesInput(bytes, 'rate.csv'), { first: 'discharge', splitV: 0.1 });
  const mass = resolveMass(null, data, []);
  const rows = cycleRows(data, mass, { nominalMAhG: 300, areaCm2: 1.131 });
  const res = rateSteps(rows, { nominalMAhG: 300 });
  const branches = branchesFromText(lines);

  it('reads the 41 cycles the generator wrote and the mass from SpeCap (2 mg)', () => {
    expect(rows.length).toBe(gen.cycles.length);
    expect(rows.length).toBe(41);
    expect(mass.massMg).toBeCloseTo(2, 6);
    expect(branches.length).toBe(82);
  });

  it('finds every step (current density, cycles) and names the formation cycle apart', () => {
    expect(res.formation.cycles).toEqual([1]);
    expect(res.formation.i_mA_g[0]).toBeCloseTo(30, 6);
    expect(res.steps.map((s) => [s.first_cycle, s.last_cycle, s.n])).toEqual(gen.steps.map((s) => [s.first, s.last, 5]));
    res.steps.forEach((s, k) => {
      expect(rel(s.i_mA_g!, gen.steps[k]!.iMAg)).toBeLessThan(1e-4);
      expect(rel(s.c_rate!, gen.steps[k]!.iMAg / 300)).toBeLessThan(1e-4);
    });
    expect(res.assumptions.steps_detected).toContain('2000 mA/g: cycles 32–36');
  });

  it('step means ± SD of capacities and CE equal the generator\'s within 0.1 %', () => {
    for (const [k, s] of res.steps.entries()) {
      const truth = gen.cycles.filter((c) => c.step === k + 1);
      const m = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - m(xs)) ** 2, 0) / (xs.length - 1));
      const ch = truth.map((c) => c.qChMAhG), dis = truth.map((c) => c.qDisMAhG), ce = truth.map((c) => c.qChMAhG / c.qDisMAhG * 100);
      expect(rel(s.q_ch_mAh_g_mean!, m(ch))).toBeLessThan(1e-3);
      expect(rel(s.q_dis_mAh_g_mean!, m(dis))).toBeLessThan(1e-3);
      expect(rel(s.ce_pct_mean!, m(ce))).toBeLessThan(1e-3);
      // SDs are small differences of nearly equal numbers: 1 % of the SD (still < 0.01 mAh/g).
      expect(rel(s.q_ch_mAh_g_sd!, sd(ch))).toBeLessThan(1e-2);
      expect(rel(s.ce_pct_sd!, sd(ce))).toBeLessThan(1e-2);
    }
  });

  it('recovery = last 30 mA/g step / first 30 mA/g step within 0.1 %', () => {
    const q = (st: number) => gen.cycles.filter((c) => c.step === st).reduce((a, c) => a + c.qChMAhG, 0) / 5;
    const truth = q(8) / q(1) * 100;
    expect(res.recovery_step).toBe(8);
    expect(Math.abs(res.recovery_pct! - truth) / truth).toBeLessThan(1e-3);
    expect(truth).toBeLessThan(99); // the fade the generator put in is visible
  });

  it('average voltages and energies per cycle equal a trapezoid integration of the written records within 0.1 %', () => {
    const g = mass.massMg! / 1000;
    for (const r of rows) {
      const d = branches[2 * (r.cycle - 1)]!, c = branches[2 * (r.cycle - 1) + 1]!;
      expect(d.dir).toBe('D'); expect(c.dir).toBe('C');
      const ed = trapezoid(d.v, d.q), ec = trapezoid(c.v, c.q);
      const qd = d.q[d.q.length - 1]!, qc = c.q[c.q.length - 1]!;
      expect(rel(r.e_dis_mWh_g!, ed / g)).toBeLessThan(1e-3);
      expect(rel(r.e_ch_mWh_g!, ec / g)).toBeLessThan(1e-3);
      expect(rel(r.v_avg_dis_V!, ed / qd)).toBeLessThan(1e-3);
      expect(rel(r.v_avg_ch_V!, ec / qc)).toBeLessThan(1e-3);
      expect(Math.abs(r.ee_pct! - ed / ec * 100)).toBeLessThan(0.05);
      expect(r.hysteresis_V!).toBeCloseTo(ec / qc - ed / qd, 4);
      expect(r.v_end_dis_V).toBe(d.v[d.v.length - 1]);
      expect(r.v_end_ch_V).toBe(c.v[c.v.length - 1]);
      expect(rel(r.q_dis_mAh_cm2!, qd / 1.131)).toBeLessThan(1e-6);
      // Current density: the |I| written, over the mass.
      expect(rel(r.i_dis_mA_g!, d.i[0]! / g)).toBeLessThan(1e-6);
      expect(rel(r.i_ch_mA_g!, c.i[0]! / g)).toBeLessThan(1e-6);
    }
  });

  it('the polarisation grows with current: hysteresis at 2000 mA/g exceeds that at 30 mA/g by 2 × 39.4 mV (the generator\'s R · Δj)', () => {
    const h = (n: number) => rows[n - 1]!.hysteresis_V!;
    // Same voltage shapes, overpotential 0.00002 V per mA/g on each branch: Δ = 2 × 0.00002 × 1970.
    expect(h(32) - h(2)).toBeCloseTo(2 * 0.00002 * 1970, 3);
    expect(rows[31]!.ee_pct!).toBeLessThan(rows[1]!.ee_pct!);
  });
});

describe('rateSteps on hand-made rows', () => {
  const row = (cycle: number, i: number | null, qd: number, qc: number) => ({
    cycle, i_dis_mA_g: i, i_dis_mA: i === null ? null : i / 1000, i_ch_mA_g: i, i_ch_mA: i,
    q_dis_mAh_g: qd, q_ch_mAh_g: qc, q_dis_mAh: qd / 1000, q_ch_mAh: qc / 1000, ce_pct: qc / qd * 100,
  }) as unknown as Parameters<typeof rateSteps>[0][number];

  it('tolerance: 100 and 104 mA/g are one step at 5 %, two at 3 %; 30 back at the end gives recovery 90/100', () => {
    const rows = [row(1, 30, 200, 150), row(2, 30, 110, 100), row(3, 30, 101, 100), row(4, 100, 90, 80), row(5, 104, 90, 80), row(6, 30, 95, 90), row(7, 30.5, 95, 90)];
    const a = rateSteps(rows);
    expect(a.steps.map((s) => `${s.first_cycle}-${s.last_cycle}`)).toEqual(['2-3', '4-5', '6-7']);
    expect(a.recovery_pct).toBeCloseTo(90, 10);
    // step 1 CE: (100/110 + 100/101)/2 × 100
    expect(a.steps[0]!.ce_pct_mean).toBeCloseTo((100 / 110 + 100 / 101) / 2 * 100, 10);
    // sample SD of 110 and 101: |110 − 101| / √2
    expect(a.steps[0]!.q_dis_mAh_g_sd).toBeCloseTo(9 / Math.SQRT2, 10);
    const b = rateSteps(rows, { tolerancePct: 3 });
    expect(b.steps.map((s) => `${s.first_cycle}-${s.last_cycle}`)).toEqual(['2-3', '4-4', '5-5', '6-7']);
    expect(b.steps[1]!.q_dis_mAh_g_sd).toBeNull();
  });

  it('no return to the first rate: recovery null with a reason; formation 0 puts cycle 1 in the first step', () => {
    const rows = [row(1, 30, 100, 90), row(2, 30, 100, 90), row(3, 60, 80, 70)];
    const a = rateSteps(rows, { formationCycles: 0 });
    expect(a.steps[0]!.first_cycle).toBe(1);
    expect(a.recovery_pct).toBeNull();
    expect(a.recovery_note).toMatch(/no later step returns to the first step's current \(30 mA\/g\)/);
  });
});
