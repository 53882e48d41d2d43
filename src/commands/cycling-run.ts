/** `hcarb ice`, `cycles`, `split`, `retention`: the cycling figures, one file at a time. */
import type { Input } from '../io.js';
import { loadCycling, type Loaded } from '../load.js';
import { cycleRows, ice, resolveMass, retention, split, type Mass } from '../analysis/metrics.js';
import type { FileResult, Row } from '../output/format.js';
import { crossCheck, type CrossCheck } from '../analysis/crosscheck.js';
import { cyclingAssumptions, givenMass, massText, type CommonOptions } from './common.js';

export interface CyclingRun { loaded: Loaded; mass: Mass; warnings: string[]; assumptions: Record<string, unknown>; crosscheck: CrossCheck | null }

export async function runCycling(input: Input, o: CommonOptions, splitV = 0.1): Promise<CyclingRun> {
  const given = givenMass(o, input.parts?.[0]?.name ?? input.name);
  const loaded = await loadCycling(input, { first: o.first, splitV });
  const warnings = [...loaded.info.warnings, ...loaded.data.warnings];
  const mass = resolveMass(given, loaded.data, warnings);
  if (mass.massMg === null) warnings.push('no active mass: specific capacities (mAh/g) are empty; give --mass MG');
  if (loaded.data.leading.length) {
    loaded.info.notes.push(`${loaded.data.leading.length} ${loaded.data.first === 'discharge' ? 'charge' : 'discharge'} half-cycle(s) before the first ${loaded.data.first} belong to no cycle (from line ${loaded.data.leading[0]!.firstLine})`);
  }
  let cc: CrossCheck | null = null;
  if (loaded.info.vendorCycles?.length) {
    cc = crossCheck(loaded.data, loaded.info.vendorCycles, mass.massMg, loaded.info.layout.startsWith('mixed') ? 'Cycle section' : 'Cycle-Tab');
    const where = cc.worst_cycle !== null ? ` (cycle ${cc.worst_cycle}, ${cc.worst_quantity})` : '';
    if (cc.status === 'differs') warnings.push(`the cycler's own ${cc.source} differs from the records by up to ${cc.max_diff_pct.toFixed(2)} %${where} in cycle${cc.differing_cycles.length > 1 ? 's' : ''} ${cc.differing_cycles.join(', ')}`);
    else loaded.info.notes.push(`cross-check with the cycler's ${cc.source}: ${cc.cycles_compared} cycles agree, largest difference ${cc.max_diff_pct.toPrecision(2)} %${where}`);
  }
  return { loaded, mass, warnings, assumptions: cyclingAssumptions(mass, loaded.data, loaded.info), crosscheck: cc };
}

function result(input: Input, run: CyclingRun, docBody: Row, rows: Row[], tableKeys: string[], extraAssumptions: Record<string, unknown> = {}, extraLine = ''): FileResult {
  const assumptions = { ...run.assumptions, ...extraAssumptions };
  const massCols = { mass_mg: run.mass.massMg, mass_source: run.mass.source };
  return {
    file: input.name,
    doc: { file: input.name, ...docBody, ...massCols, assumptions, ...(run.crosscheck ? { crosscheck: run.crosscheck } : {}), warnings: run.warnings },
    rows: rows.map((r) => ({ file: input.name, ...r, ...massCols })),
    tableKeys,
    assumptionLine: `${massText(run.mass)}; first branch: ${run.loaded.data.first}${extraLine}`,
    warnings: run.warnings,
    notes: run.loaded.info.notes,
  };
}

function pick(hasMass: boolean, specificKeys: string[], plainKeys: string[]): string[] {
  return hasMass ? specificKeys : plainKeys;
}

export async function iceCommand(input: Input, o: CommonOptions): Promise<FileResult> {
  const run = await runCycling(input, o);
  const row = ice(run.loaded.data, run.mass, input.name);
  const m = run.mass.massMg !== null;
  return result(input, run, { ...row }, [{ ...row }],
    ['file', ...pick(m, ['q_dis_mAh_g', 'q_ch_mAh_g', 'ice_pct', 'irreversible_mAh_g'], ['q_dis_mAh', 'q_ch_mAh', 'ice_pct', 'irreversible_mAh'])]);
}

export async function cyclesCommand(input: Input, o: CommonOptions): Promise<FileResult> {
  const run = await runCycling(input, o);
  const rows = cycleRows(run.loaded.data, run.mass);
  const open = rows.filter((r) => r.ce_pct === null);
  if (open.length === 1) run.warnings.push(`cycle ${open[0]!.cycle} has no ${run.loaded.data.first === 'discharge' ? 'charge' : 'discharge'} (the run ends after its ${run.loaded.data.first}): its CE is empty`);
  else if (open.length > 1) run.warnings.push(`cycles ${open.map((r) => r.cycle).join(', ')} have no ${run.loaded.data.first === 'discharge' ? 'charge' : 'discharge'}: their CE is empty`);
  const m = run.mass.massMg !== null;
  return result(input, run, { cycles: rows }, rows.map((r) => ({ ...r })),
    ['file', 'cycle', ...pick(m, ['q_dis_mAh_g', 'q_ch_mAh_g'], ['q_dis_mAh', 'q_ch_mAh']), 'ce_pct']);
}

export async function splitCommand(input: Input, o: CommonOptions & { split: number; cycle: number }): Promise<FileResult> {
  const run = await runCycling(input, o, o.split);
  const row = split(run.loaded.data, run.mass, o.cycle, input.name);
  const notes: string[] = [];
  if (!row.dis_reached_split) notes.push(`the discharge never reaches ${o.split} V: all of it counts as sloping`);
  if (!row.ch_reached_split) notes.push(`the charge never reaches ${o.split} V: all of it counts as plateau`);
  run.warnings.push(...notes);
  const m = run.mass.massMg !== null;
  return result(input, run, { ...row }, [{ ...row }],
    ['file', 'cycle', 'split_v', ...pick(m, ['dis_slope_mAh_g', 'dis_plateau_mAh_g', 'ch_slope_mAh_g', 'ch_plateau_mAh_g'], ['dis_slope_mAh', 'dis_plateau_mAh', 'ch_slope_mAh', 'ch_plateau_mAh']), 'dis_plateau_pct', 'ch_plateau_pct'],
    { split_v: o.split, cycle: o.cycle, split_method: 'linear interpolation at the first record past the split voltage' }, `; split at ${o.split} V, cycle ${o.cycle}`);
}

export async function retentionCommand(input: Input, o: CommonOptions & { skip: number; window: number }): Promise<FileResult> {
  const run = await runCycling(input, o);
  const row = retention(run.loaded.data, run.mass, o.skip, o.window, input.name);
  const m = run.mass.massMg !== null;
  return result(input, run, { ...row }, [{ ...row }],
    ['file', 'cycles', 'skip', 'window', ...pick(m, ['reference_mAh_g', 'final_mAh_g'], ['reference_mAh', 'final_mAh']), 'retention_pct', 'plain_ratio_pct', 'fade_pct_per_100_cycles'],
    { skip: o.skip, window: o.window, reversible_branch: run.loaded.data.first === 'discharge' ? 'charge' : 'discharge' },
    `; reference = mean of cycles ${row.reference_cycles}, final = mean of cycles ${row.final_cycles}`);
}
