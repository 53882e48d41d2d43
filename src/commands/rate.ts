/** `hcarb rate`: rate capability, one row per step of equal current density, and the recovery. */
import type { Input } from '../io.js';
import { cycleRows } from '../analysis/metrics.js';
import { laterEfficiencyWarning } from '../analysis/sanity.js';
import { RATE_FORMATION_CYCLES, RATE_TOLERANCE_PCT, rateSteps } from '../analysis/rate.js';
import type { FileResult, Row } from '../output/format.js';
import { perFileRun } from './run.js';
import { MASS_FIELDS, int, pos, type CommandSpec } from './spec.js';
import { runCycling } from './cycling-run.js';
import { massText, type CommonOptions } from './common.js';

export interface RateCliOptions { tolerance: number; formation: number; nominal?: number }

function fmt(x: number | null, digits = 4): string { return x === null ? '?' : String(Number(x.toPrecision(digits))); }

export async function rateCommand(input: Input, o: CommonOptions, x: RateCliOptions): Promise<FileResult> {
  const run = await runCycling(input, o);
  const { data } = run.loaded;
  const rows = cycleRows(data, run.mass, { nominalMAhG: x.nominal ?? null });
  const r = rateSteps(rows, { tolerancePct: x.tolerance, formationCycles: x.formation, first: data.first, nominalMAhG: x.nominal ?? null });
  run.warnings.push(...r.warnings);
  const over = laterEfficiencyWarning(rows, data.first);
  if (over) run.warnings.push(over);
  if (!r.steps.length) run.warnings.push(`no rate step: the file has ${rows.length} cycle(s), ${x.formation} of them formation (--formation)`);
  else if (r.steps.length === 1) run.warnings.push('one rate step only: every cycle after formation runs at the same current density (within --tolerance)');
  const m = run.mass.massMg !== null;
  const out: Row[] = r.steps.map((s) => ({
    step: s.step, i_mA_g: s.i_mA_g, i_mA: s.i_mA, c_rate: s.c_rate,
    cycles: `${s.first_cycle}-${s.last_cycle}`, first_cycle: s.first_cycle, last_cycle: s.last_cycle, n: s.n,
    q_dis_mean_mAh_g: s.q_dis_mAh_g_mean, q_dis_sd_mAh_g: s.q_dis_mAh_g_sd,
    q_ch_mean_mAh_g: s.q_ch_mAh_g_mean, q_ch_sd_mAh_g: s.q_ch_mAh_g_sd,
    ce_mean_pct: s.ce_pct_mean, ce_sd_pct: s.ce_pct_sd,
    q_dis_mean_mAh: s.q_dis_mAh_mean, q_dis_sd_mAh: s.q_dis_mAh_sd,
    q_ch_mean_mAh: s.q_ch_mAh_mean, q_ch_sd_mAh: s.q_ch_mAh_sd,
    rev_vs_first_pct: s.rev_vs_first_pct,
  }));
  const massCols = { mass_mg: run.mass.massMg, mass_source: run.mass.source };
  const rev = data.first === 'discharge' ? 'ch' : 'dis';
  const unit = m ? 'mA/g' : 'mA';
  const recovery = r.recovery_pct !== null ? `recovery ${r.recovery_pct.toFixed(2)} % (step ${r.recovery_step} / step 1)` : `recovery: ${r.recovery_note}`;
  const formation = r.formation.cycles.length ? `formation: cycle${r.formation.cycles.length > 1 ? 's' : ''} ${r.formation.cycles.join(', ')} at ${r.formation.cycles.map((_, k) => fmt(m ? r.formation.i_mA_g[k]! : r.formation.i_mA[k]!, 3)).join(', ')} ${unit}` : 'no formation cycles';
  return {
    file: input.name,
    doc: {
      file: input.name, steps: out, recovery_pct: r.recovery_pct, recovery_step: r.recovery_step, recovery_note: r.recovery_note,
      formation: r.formation, skipped_cycles: r.skipped_cycles, ...massCols,
      assumptions: { ...run.assumptions, ...r.assumptions, nominal_mAh_g: x.nominal ?? null },
      ...(run.crosscheck ? { crosscheck: run.crosscheck } : {}), warnings: run.warnings,
    },
    rows: out.map((row) => ({ file: input.name, ...row, ...massCols })),
    // 80 columns: the C-rate takes the current density's place when --nominal is given.
    tableKeys: ['file', 'step', x.nominal !== undefined && m ? 'c_rate' : m ? 'i_mA_g' : 'i_mA', 'cycles',
      ...(m ? [`q_${rev}_mean_mAh_g`, `q_${rev}_sd_mAh_g`] : [`q_${rev}_mean_mAh`, `q_${rev}_sd_mAh`]), 'ce_mean_pct', 'rev_vs_first_pct'],
    assumptionLine: `${massText(run.mass)}; steps: ${data.first} current within ±${x.tolerance} % (--tolerance); ${formation}; SD = sample SD (n−1); ${recovery}`,
    warnings: run.warnings,
    notes: run.loaded.info.notes,
  };
}

export const command: CommandSpec = {
  name: 'rate',
  summary: 'rate capability: capacity per current-density step, recovery',
  description: "Splits the run into rate steps: consecutive cycles whose constant-current density of the first (insertion) branch is within --tolerance % of the step's first cycle. Formation cycles at the start (--formation) belong to no step and are named. One row per step: current density (and C-rate with --nominal), cycles, mean and sample SD of the discharge and charge capacity and of CE, the reversible capacity against step 1; the recovery is the last step back at the first step's current against step 1.",
  files: 'cycler exports; - or none for standard input',
  takes: { mass: true, first: true, join: true },
  options: [
    { flags: '--tolerance <pct>', description: "current densities within this many % of a step's first cycle belong to the step", parse: pos('--tolerance'), default: RATE_TOLERANCE_PCT },
    { flags: '--formation <n>', description: 'formation cycles at the start, in no step', parse: int('--formation'), default: RATE_FORMATION_CYCLES },
    { flags: '--nominal <mAh_g>', description: 'nominal specific capacity for the C-rate (e.g. 300)', parse: pos('--nominal') },
  ],
  examples: ['hcarb rate samples/npnhc-t1200.csv --nominal 300', "hcarb rate samples/npnhc-t1200.csv --json | jq '.[0].steps[0].q_ch_mean_mAh_g'", 'hcarb rate samples/npnhc-t1200.csv --formation 3 --tolerance 2 --format csv > rate.csv'],
  fields: [
    { key: 'file', description: 'the input file as given' },
    { key: 'step', description: 'step number (1 = the first after formation)' },
    { key: 'i_mA_g', description: 'mean constant-current density of the insertion branches of the step' },
    { key: 'i_mA', description: 'mean constant current of the insertion branches' },
    { key: 'c_rate', description: 'current density / nominal capacity (--nominal), h⁻¹' },
    { key: 'cycles', description: 'the cycles of the step (first-last)' },
    { key: 'first_cycle', description: 'first cycle of the step' },
    { key: 'last_cycle', description: 'last cycle of the step' },
    { key: 'n', description: 'cycles in the step' },
    { key: 'q_dis_mean_mAh_g', description: 'mean discharge capacity over the step' },
    { key: 'q_dis_sd_mAh_g', description: 'sample SD (n − 1) of the discharge capacity; empty for a one-cycle step' },
    { key: 'q_ch_mean_mAh_g', description: 'mean charge capacity over the step' },
    { key: 'q_ch_sd_mAh_g', description: 'sample SD of the charge capacity' },
    { key: 'ce_mean_pct', description: 'mean coulombic efficiency over the step' },
    { key: 'ce_sd_pct', description: 'sample SD of the coulombic efficiency' },
    { key: 'q_dis_mean_mAh', description: 'mean discharge capacity (mAh)' },
    { key: 'q_dis_sd_mAh', description: 'sample SD of the discharge capacity (mAh)' },
    { key: 'q_ch_mean_mAh', description: 'mean charge capacity (mAh)' },
    { key: 'q_ch_sd_mAh', description: 'sample SD of the charge capacity (mAh)' },
    { key: 'rev_vs_first_pct', description: 'mean reversible capacity of the step / that of step 1 × 100' },
    ...MASS_FIELDS,
  ],
  docFields: [
    { key: 'steps', description: 'the rows, one per step (without file and mass keys)' },
    { key: 'recovery_pct', description: "mean reversible capacity of the last step back at step 1's current / that of step 1 × 100" },
    { key: 'recovery_step', description: 'the step the recovery is taken from' },
    { key: 'recovery_note', description: 'why the recovery is empty' },
    { key: 'formation', description: 'the formation cycles and their current densities' },
    { key: 'skipped_cycles', description: 'cycles with no insertion current, in no step' },
    { key: 'crosscheck', description: "comparison with the cycler's own cycle table" },
  ],
  run: perFileRun((input, o, c) => rateCommand(input, c, { tolerance: o.tolerance as number, formation: o.formation as number, nominal: o.nominal as number | undefined })),
};
