// GITT: a run built from the analytic solution (E linear in √t during each pulse, a known D(E),
// known ΔE_s), the unit handling of eq. 3 against a hand-worked example, and bad input.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffusionLengthCm, gittD } from '../src/analysis/gitt.js';
import { defaultGittPlan, gittRun } from '../src/generate/gitt.js';
import { encodeLines, recordLines, type Rec } from '../src/generate/land.js';
import { hcarb, one } from './helpers/io.js';

const dir = mkdtempSync(join(tmpdir(), 'hcarb-gitt-'));
function write(name: string, recs: Rec[], massMg: number): string {
  const p = join(dir, name);
  writeFileSync(p, encodeLines(recordLines(recs, massMg, {}, 6)));
  return p;
}

describe('eq. 3 units, worked by hand', () => {
  // m = 3.8 mg = 0.0038 g, ρ = 2.0 g/cm³, M = 12.011 g/mol, S = π (0.6 cm)² = 1.130973 cm²
  // V_M = M/ρ = 6.0055 cm³/mol; L = m V_M / (M S) = 0.0038 × 6.0055 / (12.011 × 1.130973) = 1.679969e-3 cm
  const e = { massMg: 3.8, areaCm2: Math.PI * 0.36, molarMass: 12.011, densityGcm3: 2.0, molarVolumeCm3: null, thicknessUm: null };
  it('L = m_B V_M / (M_B S) with V_M = M_B / ρ (not M_B · ρ)', () => {
    expect(diffusionLengthCm(e)).toBeCloseTo(1.679969e-3, 8);
    // the peer-tool bug V_M = M·ρ would give 4× this L for ρ = 2
    expect(diffusionLengthCm({ ...e, molarVolumeCm3: 12.011 * 2.0, densityGcm3: null })).toBeCloseTo(4 * 1.679969e-3, 8);
  });
  it('D = 4/(π·600 s) · L² · (5 mV / 20 mV)² = 3.74319e-10 cm²/s', () => {
    expect(gittD(600, diffusionLengthCm(e), 0.005, 0.020) / 3.743185e-10).toBeCloseTo(1, 5);
  });
  it('--thickness 16.8 µm is L = 1.68e-3 cm', () => {
    expect(diffusionLengthCm({ ...e, thicknessUm: 16.8 })).toBeCloseTo(1.68e-3, 12);
    expect(gittD(600, 1.68e-3, 0.005, 0.020) / 3.743324e-10).toBeCloseTo(1, 5);
  });
});

describe('analytic GITT run (formation cycle, then 77 pulses of 600 s with 1 h rests)', () => {
  const plan = defaultGittPlan();
  const { records, truth } = gittRun(plan);
  const file = write('gitt.csv', records, plan.massMg);
  const run = (etau: string) => {
    const r = hcarb(['gitt', file, '--mass', '3.8', '--etau', etau, '--json']);
    expect(r.code).toBe(0);
    return one(r.stdout) as { pulses: { d_cm2_s: number | null; d_endpoint_cm2_s: number | null; d_sqrt_cm2_s: number | null; flags: string[]; branch: string; e_v: number; dEs_mV: number }[]; summary: { branch: string; min_d_e_v: number }[]; assumptions: Record<string, unknown> };
  };
  const endpoint = run('endpoint');

  it('finds exactly the GITT pulses: the formation cycle is not a pulse', () => {
    expect(endpoint.pulses).toHaveLength(truth.length);
    expect(endpoint.pulses.map((p) => p.branch)).toEqual(truth.map((t) => t.branch));
  });

  it('both methods recover every D within 1 % where ΔE_s is above the resolution', () => {
    let checked = 0;
    endpoint.pulses.forEach((p, i) => {
      const t = truth[i]!;
      if (t.dEs_V <= 1e-6) return;
      for (const d of [p.d_endpoint_cm2_s, p.d_sqrt_cm2_s]) expect(Math.abs(d! / t.d_cm2_s - 1)).toBeLessThan(0.01);
      expect(p.e_v).toBeCloseTo(t.e_v, 5);
      checked++;
    });
    expect(checked).toBe(truth.length - 3);
  });

  it('flags exactly the pulses whose ΔE_s is below the 1 µV resolution', () => {
    const flagged = endpoint.pulses.map((p, i) => (p.flags.includes('dEs_within_resolution') ? i : -1)).filter((i) => i >= 0);
    const below = truth.map((t, i) => (t.dEs_V < 1e-6 ? i : -1)).filter((i) => i >= 0);
    expect(flagged).toEqual(below);
    expect(endpoint.assumptions.voltage_resolution_mV).toBeCloseTo(0.001, 9);
  });

  it('--etau sqrt reports the same D within 1 %, and the minimum D sits near 0.05 V', () => {
    const s = run('sqrt');
    s.pulses.forEach((p, i) => { if (truth[i]!.dEs_V > 1e-6) expect(Math.abs(p.d_cm2_s! / endpoint.pulses[i]!.d_cm2_s! - 1)).toBeLessThan(0.01); });
    for (const b of s.summary) expect(Math.abs(b.min_d_e_v - 0.05)).toBeLessThan(0.005);
    expect(s.assumptions).toMatchObject({ mass_mg: 3.8, mass_source: 'flag', density_g_cm3: 2, molar_mass_g_mol: 12.011, etau_method: 'sqrt', tau_s: 600 });
  });
});

describe('every GITT key against the analytic run', () => {
  const plan = defaultGittPlan();
  const { truth } = gittRun(plan);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const doc = one(hcarb(['gitt', write('keys.csv', gittRun(plan).records, plan.massMg), '--mass', '3.8', '--json']).stdout) as any;
  const pulses = doc.pulses as Record<string, number & string[]>[];
  const above = (i: number) => truth[i]!.dEs_V > 1e-6;
  const L = (plan.massMg / 1000) / (plan.densityGcm3 * plan.areaCm2);

  it('ir_mV is the IR step the generator puts at each pulse start (2 mV)', () => {
    // (within 0.01 mV: the rest before has relaxed to e^(−12) of its step, a few µV)
    for (const p of pulses) expect(Math.abs(p.ir_mV - plan.irV * 1000)).toBeLessThan(0.01);
  });
  it('q_mAh_g: the j-th pulse of a branch has passed j · I τ / m = 5 mAh/g per pulse', () => {
    const perPulse = plan.currentMA * plan.tauS / 3600 / (plan.massMg / 1000);
    expect(perPulse).toBeCloseTo(5, 12);
    let j = 0, branch = '';
    for (const p of pulses) { j = p.branch === (branch as unknown) ? j + 1 : 1; branch = p.branch as unknown as string; expect(p.q_mAh_g).toBeCloseTo(j * perPulse, 6); }
  });
  it('r2_sqrt is 1 (E is exactly linear in √t) and no pulse is flagged poor_sqrt_fit', () => {
    pulses.forEach((p, i) => { if (above(i)) { expect(p.r2_sqrt).toBeGreaterThan(0.9999); expect(p.flags).not.toContain('poor_sqrt_fit'); } });
  });
  it('relax_slope_mV_h: the least-squares slope of the generator\'s own relaxation over the last quarter of the rest', () => {
    const ts: number[] = [];
    for (let s = 0; s <= plan.restS; s += plan.restSampleS) if (s >= plan.restS * 3 / 4) ts.push(s);
    let checked = 0;
    pulses.forEach((p, i) => {
      const t = truth[i]!;
      const n = ts.length;
      // E(s) − e1 = (E_end − e1) e^(−s/300); E_end − e1 = e0 ∓ ΔE_τ − e1 = ∓(ΔE_τ − ΔE_s)
      const amp = (i < 43 ? -1 : 1) * (t.dEtau_V - t.dEs_V);
      const ys = ts.map((s) => amp * Math.exp(-s / 300));
      const mx = ts.reduce((x, y) => x + y, 0) / n, my = ys.reduce((x, y) => x + y, 0) / n;
      const slope = ts.reduce((acc, x, k) => acc + (x - mx) * (ys[k]! - my), 0) / ts.reduce((acc, x) => acc + (x - mx) ** 2, 0);
      const expected = slope * 3.6e6;
      if (Math.abs(expected) > 0.05) { expect(Math.abs(p.relax_slope_mV_h / expected - 1)).toBeLessThan(0.1); checked++; }
      expect(p.flags).not.toContain('relaxation_unfinished');
    });
    expect(checked).toBeGreaterThan(10);
  });
  it('tau_not_short where τ > 0.1 L²/D of the true D (cases within 2 % of the limit left out)', () => {
    let checked = 0;
    pulses.forEach((p, i) => {
      if (!above(i)) return;
      const limit = 0.1 * L * L / truth[i]!.d_cm2_s;
      if (Math.abs(plan.tauS / limit - 1) < 0.02) return;
      expect(p.flags.includes('tau_not_short'), `pulse ${i + 1}`).toBe(plan.tauS > limit);
      checked++;
    });
    expect(checked).toBeGreaterThan(60);
  });
  it('mean_log10_d per region is the mean of the true log10 D of the pulses there', () => {
    for (const b of doc.summary as Record<string, number | string>[]) {
      const mine = truth.map((t, i) => ({ t, i })).filter(({ t, i }) => t.branch === b.branch && above(i));
      const mean = (f: (e: number) => boolean) => { const xs = mine.filter(({ t }) => f(t.e_v)).map(({ t }) => Math.log10(t.d_cm2_s)); return xs.reduce((x, y) => x + y, 0) / xs.length; };
      expect(b.mean_log10_d_adsorption as number).toBeCloseTo(mean((e) => e > 0.1), 2);
      expect(b.mean_log10_d_intercalation as number).toBeCloseTo(mean((e) => e <= 0.1 && e > 0.05), 2);
      expect(b.mean_log10_d_pore_filling as number).toBeCloseTo(mean((e) => e <= 0.05), 2);
    }
  });
  it('a rest cut at two time constants leaves the relaxation unfinished, and is flagged', () => {
    const short = { ...plan, restS: 600 };
    const d = one(hcarb(['gitt', write('short-rest.csv', gittRun(short).records, short.massMg), '--mass', '3.8', '--json']).stdout) as { pulses: { flags: string[] }[] };
    const flagged = d.pulses.filter((p) => p.flags.includes('relaxation_unfinished')).length;
    expect(flagged).toBeGreaterThan(d.pulses.length * 0.8);
  });
});

describe('GITT export without a state column whose rests carry current noise', () => {
  const plan = defaultGittPlan();
  const { records, truth } = gittRun(plan);
  // ±0.5 µA of noise (0.44 % of the 114 µA pulses) in every rest, and a noisy 1 h open-circuit
  // rest before the formation cycle.
  let k = 0;
  const noise = () => (((k++ * 7919) % 11) - 5) * 0.0001;
  const ocv: Rec[] = Array.from({ length: 61 }, (_, i) => ({ timeS: i * 60, stepTimeS: i * 60, currentMA: noise(), capacityMAh: 0, voltageV: 2.5, cycle: 1, step: 0, state: 'R' }));
  const shifted = records.map((r) => ({ ...r, timeS: r.timeS + 3660, currentMA: r.state === 'R' ? noise() : r.currentMA }));
  const write0 = (name: string, recs: Rec[]) => { const p = join(dir, name); writeFileSync(p, encodeLines(recordLines(recs, plan.massMg, { states: 'none' }, 6))); return p; };
  const clean = write0('clean-nostate.csv', [...ocv.map((r) => ({ ...r, currentMA: 0 })), ...records.map((r) => ({ ...r, timeS: r.timeS + 3660 }))]);
  const noisy = write0('noisy-nostate.csv', [...ocv, ...shifted]);
  const run = (f: string) => hcarb(['gitt', f, '--mass', '3.8', '--json']);

  it('finds every pulse with the same D as the clean file, and says what it took as rest', () => {
    const a = run(clean), b = run(noisy);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    type Out = { pulses: { d_cm2_s: number | null; cycle: number; first_line: number }[] };
    const pa = (one(a.stdout) as Out).pulses, pb = (one(b.stdout) as Out).pulses;
    expect(pb).toHaveLength(truth.length);
    pb.forEach((p, i) => { if (truth[i]!.dEs_V > 1e-6) expect(Math.abs(p.d_cm2_s! / truth[i]!.d_cm2_s - 1)).toBeLessThan(0.01); });
    expect(pb).toEqual(pa);
    expect(pb[0]!.cycle).toBe(2); // the formation cycle is still cycle 1
    expect(b.stderr).toMatch(/warning: the \d+ current step\(s\) before line 63 carry less than 0\.5 % of the current there: taken as rest \(current noise; the file has no state column\)/);
    expect(b.stderr).toMatch(/warning: \d+ record\(s\) with a current below 0\.5 % of the largest \(first at line \d+\) taken as rest/);
    expect(a.stderr).not.toMatch(/noise/);
  });
});

describe('bad GITT input', () => {
  const plan = defaultGittPlan();
  const { records } = gittRun(plan);
  it('no pulses: says what it looked for and what the file holds', () => {
    const r = hcarb(['gitt', 'samples/npnhc-t1200.csv', '--mass', '3.8']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no GITT pulses found: looked for trains of at least 3 constant-current steps, each followed by a rest, within one half-cycle; the file has 80 current step\(s\) and 81 rest\(s\) in 80 half-cycle\(s\)/);
  });
  it('a last pulse without its rest is skipped with a warning', () => {
    const cut = records.slice(0, records.length - 130); // ends inside the last pulse
    const r = hcarb(['gitt', write('cut.csv', cut, plan.massMg), '--mass', '3.8', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: the last current step \(lines \d+–\d+\) has no rest after it \(cut off\?\): skipped/);
    expect((one(r.stdout) as { pulses: unknown[] }).pulses).toHaveLength(76);
  });
  it('missing mass is a usage error', () => {
    const r = hcarb(['gitt', write('nomass.csv', records, 0)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/GITT needs the active mass and the file does not state it; give --mass MG/);
  });
  it.each([['--density', '0'], ['--thickness', '-5'], ['--mass', '0'], ['--area', 'x']])('%s %s is a usage error', (flag, v) => {
    const r = hcarb(['gitt', 'samples/npnhc-gitt.csv', flag, v]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${flag} must be a positive number`));
  });
  it('pulses of mixed length: refused with the lengths found', () => {
    const p2 = { ...defaultGittPlan(), sodiation: [1.2, 1.1, 1.0, 0.9], desodiation: [0.9, 0.95, 1.0, 1.05] };
    const a = gittRun(p2).records;
    const p3 = { ...p2, tauS: 1500 };
    const b = gittRun(p3).records.filter((r) => r.cycle === 2).map((r) => ({ ...r, timeS: r.timeS + a[a.length - 1]!.timeS + 10, cycle: 3 }));
    const r = hcarb(['gitt', write('mixed.csv', [...a, ...b], plan.massMg), '--mass', '3.8']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/pulses of mixed length \(6 × 600 s, 6 × 1500 s\): no length is the most common/);
  });
});

describe('GITT from a CHI Multi-Current Steps export', () => {
  it('reads the pulses and recovers D by the √t method (the first pulse has no rest before it)', async () => {
    const { chiIstepText } = await import('../src/generate/chi.js');
    const plan = { ...defaultGittPlan(), sodiation: defaultGittPlan().sodiation.slice(0, 17) };
    const { text, truth } = chiIstepText(plan, 'D', 10, 5);
    const p = join(dir, 'istep.txt');
    writeFileSync(p, text); // time with 4 significant figures, as CHI writes it
    const r = hcarb(['gitt', p, '--mass', '3.8', '--etau', 'sqrt', '--json']);
    expect(r.code).toBe(0);
    const d = one(r.stdout) as { pulses: { d_cm2_s: number; e_v: number }[] };
    expect(d.pulses).toHaveLength(truth.length - 1);
    d.pulses.forEach((q, k) => {
      const t = truth[k + 1]!;
      expect(q.e_v).toBeCloseTo(t.e_v, 4);
      expect(Math.abs(q.d_cm2_s / t.d_cm2_s - 1)).toBeLessThan(0.005);
    });
    expect(r.stderr).toMatch(/no point falls exactly on a pulse start: the endpoint ΔE_τ misses the first sample interval; prefer --etau sqrt/);
  });
  it('other CHI techniques are refused with the reason', () => {
    const r = hcarb(['gitt', 'samples/npnhc-eis.txt', '--mass', '3.8']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/this is a CHI A\.C\. Impedance export, not cycler records; use hcarb eis/);
  });
});

describe('GITT from a LAND workbook', () => {
  it('gives the same pulses as the CSV of the same run', async () => {
    const { writeXlsx } = await import('../src/generate/xlsx.js');
    const plan = { ...defaultGittPlan(), sodiation: defaultGittPlan().sodiation.slice(0, 8), desodiation: defaultGittPlan().desodiation.slice(0, 6) };
    const { records } = gittRun(plan);
    const csv = write('small-gitt.csv', records, plan.massMg);
    const head = ['Record', 'TestTime/Sec', 'StepTime/Sec', 'Current/mA', 'Capacity/mAh', 'Voltage/V', 'Cycle-Index', 'Step-Index', 'Step-State'];
    const rows = records.map((r, k) => [k + 1, r.timeS, r.stepTimeS, r.currentMA, r.capacityMAh, Number(r.voltageV.toFixed(6)), r.cycle, r.step, r.state === 'R' ? 'R' : r.state === 'D' ? 'RateD' : 'RateC']);
    const xlsx = join(dir, 'small-gitt.xlsx');
    writeFileSync(xlsx, writeXlsx([{ name: 'Record-Tab', rows: [head, ...rows] }]));
    const a = one(hcarb(['gitt', csv, '--mass', '3.8', '--json']).stdout) as { pulses: { d_cm2_s: number; e_v: number }[] };
    const b = one(hcarb(['gitt', xlsx, '--mass', '3.8', '--json']).stdout) as { pulses: { d_cm2_s: number; e_v: number }[] };
    expect(b.pulses).toHaveLength(7 + 5);
    expect(b.pulses.map((p) => p.e_v)).toEqual(a.pulses.map((p) => p.e_v));
    b.pulses.forEach((p, k) => expect(p.d_cm2_s / a.pulses[k]!.d_cm2_s).toBeCloseTo(1, 9));
  });
});
