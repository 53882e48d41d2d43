/**
 * Rate capability (science.md, "More per-cycle figures"): cycles grouped into steps of equal
 * current density, one row per step with mean ± sample SD of the capacities and CE, and the
 * recovery when the run returns to the first rate. Pure: works on `cycleRows` output.
 */
import { UsageError } from '../errors.js';
import type { First } from './cycling.js';
import type { CycleRow } from './metrics.js';
import { meanSd } from './stats.js';

export interface RateOptions {
  /** Current densities within this many % of the step's first cycle belong to the step (default 5). */
  tolerancePct?: number;
  /** Formation cycles at the start that belong to no step (default 1). */
  formationCycles?: number;
  /** The insertion branch (default discharge: an anode half cell); its current defines the steps. */
  first?: First;
  /** Nominal capacity, mAh g⁻¹, for the C-rate column. */
  nominalMAhG?: number | null;
}

export const RATE_TOLERANCE_PCT = 5;
export const RATE_FORMATION_CYCLES = 1;

export interface RateStepRow {
  step: number;
  /** Mean constant-current density of the insertion branches, mA g⁻¹ (null without a mass). */
  i_mA_g: number | null;
  i_mA: number | null;
  c_rate: number | null;
  first_cycle: number;
  last_cycle: number;
  n: number;
  q_dis_mAh_g_mean: number | null;
  q_dis_mAh_g_sd: number | null;
  q_ch_mAh_g_mean: number | null;
  q_ch_mAh_g_sd: number | null;
  ce_pct_mean: number | null;
  ce_pct_sd: number | null;
  q_dis_mAh_mean: number | null;
  q_dis_mAh_sd: number | null;
  q_ch_mAh_mean: number | null;
  q_ch_mAh_sd: number | null;
  /** Mean reversible capacity / that of step 1 × 100. */
  rev_vs_first_pct: number | null;
}

export interface RateResult {
  steps: RateStepRow[];
  /** Cycles before the first step (formation), by number, and their insertion current densities. */
  formation: { cycles: number[]; i_mA_g: (number | null)[]; i_mA: (number | null)[] };
  /** Cycles with no insertion current, left out of every step. */
  skipped_cycles: number[];
  /** Mean reversible capacity of the last step back at the first step's rate / that of the first step × 100. */
  recovery_pct: number | null;
  recovery_step: number | null;
  recovery_note: string | null;
  assumptions: Record<string, unknown>;
  warnings: string[];
}

export function rateSteps(rows: CycleRow[], opts: RateOptions = {}): RateResult {
  const tol = opts.tolerancePct ?? RATE_TOLERANCE_PCT;
  const formationN = opts.formationCycles ?? RATE_FORMATION_CYCLES;
  const first = opts.first ?? 'discharge';
  const nominal = opts.nominalMAhG ?? null;
  if (!(tol > 0 && tol < 100)) throw new UsageError(`the rate-step tolerance must be between 0 and 100 %, not ${tol}`);
  if (!Number.isInteger(formationN) || formationN < 0) throw new UsageError(`--formation must be a whole number ≥ 0, not ${formationN}`);
  const ins = first === 'discharge' ? 'dis' : 'ch';
  const rev = first === 'discharge' ? 'ch' : 'dis';
  const specificKnown = rows.some((r) => r[`i_${ins}_mA_g`] !== null);
  // Steps are found on mA g⁻¹ when a mass is known, else on mA (the ratio test is the same).
  const current = (r: CycleRow) => (specificKnown ? r[`i_${ins}_mA_g`] : r[`i_${ins}_mA`]);
  const warnings: string[] = [];
  const formation = rows.slice(0, formationN);
  const groups: CycleRow[][] = [];
  const skipped: number[] = [];
  let ref: number | null = null;
  for (const r of rows.slice(formationN)) {
    const i = current(r);
    if (i === null || !(i > 0)) { skipped.push(r.cycle); ref = null; continue; }
    if (ref !== null && Math.abs(i - ref) <= tol / 100 * ref) groups[groups.length - 1]!.push(r);
    else { groups.push([r]); ref = i; }
  }
  if (skipped.length) warnings.push(`cycle${skipped.length > 1 ? 's' : ''} ${skipped.join(', ')} ${skipped.length > 1 ? 'carry' : 'carries'} no insertion current: left out of the rate steps`);
  const stat = (g: CycleRow[], k: keyof CycleRow) => meanSd(g.map((r) => r[k] as number | null));
  const steps: RateStepRow[] = groups.map((g, s) => {
    const iG = meanSd(g.map((r) => r[`i_${ins}_mA_g`])).mean;
    const qdg = stat(g, 'q_dis_mAh_g'), qcg = stat(g, 'q_ch_mAh_g'), ce = stat(g, 'ce_pct');
    const qd = stat(g, 'q_dis_mAh'), qc = stat(g, 'q_ch_mAh');
    return {
      step: s + 1,
      i_mA_g: iG,
      i_mA: meanSd(g.map((r) => r[`i_${ins}_mA`])).mean,
      c_rate: iG !== null && nominal !== null ? iG / nominal : null,
      first_cycle: g[0]!.cycle,
      last_cycle: g[g.length - 1]!.cycle,
      n: g.length,
      q_dis_mAh_g_mean: qdg.mean, q_dis_mAh_g_sd: qdg.sd,
      q_ch_mAh_g_mean: qcg.mean, q_ch_mAh_g_sd: qcg.sd,
      ce_pct_mean: ce.mean, ce_pct_sd: ce.sd,
      q_dis_mAh_mean: qd.mean, q_dis_mAh_sd: qd.sd,
      q_ch_mAh_mean: qc.mean, q_ch_mAh_sd: qc.sd,
      rev_vs_first_pct: null,
    };
  });
  const revMean = (s: RateStepRow) => s[`q_${rev}_mAh_mean`];
  const base = steps[0] ? revMean(steps[0]) : null;
  for (const s of steps) { const m = revMean(s); s.rev_vs_first_pct = m !== null && base ? m / base * 100 : null; }
  let recovery: number | null = null, recoveryStep: number | null = null, note: string | null = null;
  const i1 = groups[0] ? current(groups[0][0]!)! : null;
  if (i1 === null) note = 'no rate step found';
  else {
    const back = [...steps.keys()].slice(1).reverse().find((k) => Math.abs(current(groups[k]![0]!)! - i1) <= tol / 100 * i1);
    if (back === undefined) note = `no later step returns to the first step's current (${fmt(steps[0]!.i_mA_g ?? steps[0]!.i_mA)} ${specificKnown ? 'mA/g' : 'mA'})`;
    else if (!base || revMean(steps[back]!) === null) note = 'the first step passes no reversible charge';
    else { recovery = revMean(steps[back]!)! / base * 100; recoveryStep = back + 1; }
  }
  const unit = specificKnown ? 'mA/g' : 'mA';
  return {
    steps,
    formation: { cycles: formation.map((r) => r.cycle), i_mA_g: formation.map((r) => r[`i_${ins}_mA_g`]), i_mA: formation.map((r) => r[`i_${ins}_mA`]) },
    skipped_cycles: skipped,
    recovery_pct: recovery,
    recovery_step: recoveryStep,
    recovery_note: note,
    assumptions: {
      tolerance_pct: tol,
      formation_cycles: formationN,
      step_rule: `consecutive cycles whose ${first} (insertion) constant-current density is within ±${tol} % of the step's first cycle`,
      steps_detected: steps.map((s) => `${fmt(s.i_mA_g ?? s.i_mA)} ${unit}: cycles ${s.first_cycle}–${s.last_cycle}`).join('; '),
      reversible_branch: rev === 'ch' ? 'charge' : 'discharge',
      sd: 'sample standard deviation (n − 1); null for a one-cycle step',
      recovery: 'mean reversible capacity of the last step back at the first step\'s current / that of the first step × 100',
    },
    warnings,
  };
}

function fmt(x: number | null): string { return x === null ? '?' : Number(x.toPrecision(4)).toString(); }
