/**
 * A rate-capability run with known answers: formation, then blocks of cycles at increasing current
 * densities and back to the first. Its own physics (nothing from src/analysis): the capacity falls
 * with log(current) and fades slightly within each block and over the run; the polarisation
 * (overpotential) grows linearly with the current, lowering the discharge and raising the charge
 * voltage. Capacities are exactly I·t, as the LAND generator writes them.
 */
import type { Branch, CellPlan, Dir } from './land.js';

export interface RatePlanOptions {
  massMg?: number;
  /** Current densities of the blocks, mA g⁻¹ (the last usually repeats the first). */
  ratesMAg?: number[];
  cyclesPerStep?: number;
  formationCycles?: number;
  formationMAg?: number;
  /** Record every this many seconds (the voltage step also refines sampling). */
  sampleS?: number;
}

export interface RateTruthCycle {
  cycle: number;
  /** null for a formation cycle. */
  step: number | null;
  iMAg: number;
  qDisMAhG: number;
  qChMAhG: number;
}

/** Reversible capacity at 30 mA g⁻¹ before any fade, mAh g⁻¹. */
export const RATE_Q0 = 300;
/** Overpotential per current density, V per (mA g⁻¹): 40 mV at 2000 mA g⁻¹. */
export const RATE_R = 0.00002;

export function rateCapabilityPlan(opts: RatePlanOptions = {}) {
  const massMg = opts.massMg ?? 2.0;
  const g = massMg / 1000;
  const rates = opts.ratesMAg ?? [30, 50, 100, 200, 500, 1000, 2000, 30];
  const per = opts.cyclesPerStep ?? 5;
  const formation = opts.formationCycles ?? 1;
  const jForm = opts.formationMAg ?? rates[0]!;
  const cycles: RateTruthCycle[] = [];
  let n = 0;
  const add = (step: number | null, j: number, k: number) => {
    n++;
    // Capacity: −12 % per decade of current, −0.05 % per cycle over the run, −0.3 % per cycle within a block.
    const qCh = RATE_Q0 * (1 - 0.12 * Math.log10(j / 30)) * (1 - 0.0005 * (n - 1)) * (1 - 0.003 * k);
    const ce = step === null ? (n === 1 ? 0.80 : 0.97) : k === 0 ? 0.985 : 0.995;
    cycles.push({ cycle: n, step, iMAg: j, qDisMAhG: qCh / ce, qChMAhG: qCh });
  };
  for (let f = 0; f < formation; f++) add(null, jForm, f);
  rates.forEach((j, s) => { for (let k = 0; k < per; k++) add(s + 1, j, k); });
  const branches: Branch[] = [];
  const branchJ: number[] = [];
  for (const c of cycles) {
    branches.push({ dir: 'D', capacityMAh: c.qDisMAhG * g, currentMA: c.iMAg * g, restAfterS: 300 });
    branches.push({ dir: 'C', capacityMAh: c.qChMAhG * g, currentMA: c.iMAg * g, restAfterS: 300 });
    branchJ.push(c.iMAg, c.iMAg);
  }
  const voltage = (dir: Dir, x: number, bi: number): number => {
    const eta = RATE_R * branchJ[bi]!;
    if (dir === 'D') return 0.05 + 0.08 * (1 - x) + 1.2 * (1 - x) ** 3 - eta;
    return 0.09 + 0.05 * x + 1.4 * x ** 4 + eta;
  };
  const restVoltage = (dir: Dir, endV: number, s: number) => endV + (dir === 'D' ? 0.04 : -0.2) * (1 - Math.exp(-s / 100));
  const cellPlan: CellPlan = { branches, massMg, voltage, restVoltage, sampleS: opts.sampleS ?? 120, sampleDV: 0.01, initialRestS: 600, initialV: 2.5 };
  const steps = rates.map((j, s) => ({ step: s + 1, iMAg: j, first: formation + s * per + 1, last: formation + (s + 1) * per }));
  return { plan: cellPlan, massMg, cycles, steps, formationCycles: formation };
}
