/**
 * A GITT run built from the analytic solution: a formation cycle, then a GITT cycle of equal
 * current pulses, each followed by a rest. During a pulse E moves linearly in √t; after it E
 * relaxes exponentially to the next equilibrium value. With a known D(E) and known ΔE_s, the
 * transient is ΔE_τ = 2 L ΔE_s / √(π τ D) (eq. 3 solved for ΔE_τ), L = m / (ρ S).
 */
import type { Dir, Rec } from './land.js';

export interface GittTruth {
  branch: 'sodiation' | 'desodiation';
  /** Equilibrium potential after the pulse (V). */
  e_v: number;
  dEs_V: number;
  dEtau_V: number;
  d_cm2_s: number;
}

export interface GittPlan {
  massMg: number;
  areaCm2: number;
  densityGcm3: number;
  currentMA: number;
  tauS: number;
  restS: number;
  /** log10 D as a function of the equilibrium potential. */
  log10D: (e: number, dir: Dir) => number;
  /** Equilibrium potentials reached after each pulse, per branch (V), starting values first. */
  sodiation: number[];
  desodiation: number[];
  irV: number;
  sampleS: number;
  restSampleS: number;
}

/** The paper-like D(E): adsorption above 0.1 V, a minimum near 0.05 V, pore filling below. */
export function paperLog10D(e: number): number {
  return -9.0 - 1.0 * Math.exp(-(((e - 0.05) / 0.025) ** 2)) + (e < 0.05 ? 0.5 * (0.05 - e) / 0.05 : 0) - 0.3 * Math.min(1, Math.max(0, e - 0.1));
}

export function defaultGittPlan(): GittPlan {
  // Sodiation from 1.2 V: the sloping region in 16 pulses down to 0.1 V, the plateau in 24
  // pulses to 0.01 V, then 3 pulses whose ΔE_s (0.3 µV) is far below a 1 µV resolution.
  const sod: number[] = [1.2];
  for (let i = 1; i <= 16; i++) sod.push(0.1 + 1.1 * (1 - i / 16) ** 1.8);
  for (let i = 1; i <= 24; i++) sod.push(0.1 - 0.09 * (i / 24));
  for (let i = 1; i <= 3; i++) sod.push(0.01 - 0.0000003 * i);
  const des: number[] = [sod[sod.length - 1]!];
  for (let i = 1; i <= 20; i++) des.push(0.01 + 0.09 * (i / 20));
  for (let i = 1; i <= 14; i++) des.push(0.1 + 1.0 * (i / 14) ** 1.8);
  return {
    massMg: 3.8, areaCm2: Math.PI * 0.6 ** 2, densityGcm3: 2.0, currentMA: 0.114, tauS: 600, restS: 3600,
    log10D: (e) => paperLog10D(e), sodiation: sod, desodiation: des, irV: 0.002, sampleS: 10, restSampleS: 30,
  };
}

export interface AnalyticPulse {
  e0: number; e1: number; dEs: number; d: number; dEtau: number;
  /** E at time s into the pulse (with the IR drop), and s into the rest after it. */
  pulse(s: number): number;
  rest(s: number): number;
}

/**
 * The analytic pulses of one branch: E = E_0 ∓ (IR + k√t) during the pulse with k√τ = ΔE_τ from
 * eq. 3, then an exponential relaxation (300 s) to the next equilibrium value.
 */
export function analyticPulses(p: GittPlan, dir: Dir): AnalyticPulse[] {
  const eqs = dir === 'D' ? p.sodiation : p.desodiation;
  const sign = dir === 'D' ? -1 : 1;
  const L = (p.massMg / 1000) / (p.densityGcm3 * p.areaCm2);
  const out: AnalyticPulse[] = [];
  for (let j = 1; j < eqs.length; j++) {
    const e0 = eqs[j - 1]!, e1 = eqs[j]!;
    const dEs = Math.abs(e1 - e0);
    const d = 10 ** p.log10D(e1, dir);
    const dEtau = 2 * L * dEs / Math.sqrt(Math.PI * p.tauS * d);
    const k = dEtau / Math.sqrt(p.tauS);
    const eEnd = e0 + sign * dEtau;
    out.push({ e0, e1, dEs, d, dEtau, pulse: (s) => e0 + sign * (p.irV + k * Math.sqrt(s)), rest: (s) => e1 + (eEnd - e1) * Math.exp(-s / 300) });
  }
  return out;
}

/** Records of the run, and the true per-pulse values. */
export function gittRun(p: GittPlan): { records: Rec[]; truth: GittTruth[] } {
  const recs: Rec[] = [];
  const truth: GittTruth[] = [];
  let t = 0, step = 0;
  const push = (r: Omit<Rec, 'timeS'> & { dt: number }) => { recs.push({ ...r, timeS: t + r.dt }); };
  // Formation cycle: a plain CC discharge and charge (a long "pulse" that must not count).
  const form = (dir: Dir, from: number, to: number, q: number, cycle: number) => {
    step++;
    const total = q / p.currentMA * 3600;
    const n = 200;
    for (let i = 0; i <= n; i++) {
      const s = total * i / n;
      push({ dt: s, stepTimeS: s, currentMA: (dir === 'D' ? -1 : 1) * p.currentMA, capacityMAh: p.currentMA * s / 3600, voltageV: from + (to - from) * i / n, cycle, step, state: dir });
    }
    t += total;
    step++;
    for (let i = 0; i <= 12; i++) push({ dt: i * 300, stepTimeS: i * 300, currentMA: 0, capacityMAh: p.currentMA * total / 3600, voltageV: to + (dir === 'D' ? 0.05 : -0.1) * (1 - Math.exp(-i)), cycle, step, state: 'R' });
    t += 3600;
  };
  form('D', 2.5, 0.0, 1.4, 1);
  form('C', 0.0, 2.5, 1.15, 1);
  // Open-circuit rest to the GITT starting potential.
  step++;
  for (let i = 0; i <= 6; i++) push({ dt: i * 600, stepTimeS: i * 600, currentMA: 0, capacityMAh: 0, voltageV: p.sodiation[0]!, cycle: 2, step, state: 'R' });
  t += 3600;
  const branch = (dir: Dir) => {
    const sign = dir === 'D' ? -1 : 1;
    let q = 0;
    for (const a of analyticPulses(p, dir)) {
      step++;
      for (let s = 0; s <= p.tauS; s += p.sampleS) {
        push({ dt: s, stepTimeS: s, currentMA: sign * p.currentMA, capacityMAh: q + p.currentMA * s / 3600, voltageV: a.pulse(s), cycle: 2, step, state: dir });
      }
      t += p.tauS;
      q += p.currentMA * p.tauS / 3600;
      step++;
      for (let s = 0; s <= p.restS; s += p.restSampleS) {
        push({ dt: s, stepTimeS: s, currentMA: 0, capacityMAh: q, voltageV: a.rest(s), cycle: 2, step, state: 'R' });
      }
      t += p.restS;
      truth.push({ branch: dir === 'D' ? 'sodiation' : 'desodiation', e_v: a.e1, dEs_V: a.dEs, dEtau_V: a.dEtau, d_cm2_s: a.d });
    }
  };
  branch('D');
  branch('C');
  return { records: recs, truth };
}
