/** `hcarb ice`, `cycles`, `split`, `retention`: the cycling figures, one file at a time. */
import type { Input } from '../io.js';
import { loadCycling, readAssumptions, type Loaded } from '../load.js';
import { cycleRows, ice, resolveMass, retention, retentionAt, split, type CycleRow, type Mass } from '../analysis/metrics.js';
import { capacityHint, firstCycleEfficiencyWarning, laterEfficiencyWarning, loadingMixupWarning, noSecondBranchWarning } from '../analysis/sanity.js';
import type { CyclingData } from '../analysis/cycling.js';
import type { VendorCycle } from '../types.js';
import type { FileResult, Row } from '../output/format.js';
import { crossCheck, type CrossCheck } from '../analysis/crosscheck.js';
import { areaCm2, cyclingAssumptions, givenMass, massText, type CommonOptions } from './common.js';

export interface CyclingRun { loaded: Loaded; mass: Mass; warnings: string[]; assumptions: Record<string, unknown>; crosscheck: CrossCheck | null }

/**
 * The cycler's own cycle table, limited to the cycles read when reading stopped early: table rows
 * past the last half-cycle read are dropped, and so is the last one read unless both of its
 * directions were read (the half-cycle that revealed the end was not).
 */
export function vendorCyclesRead(data: CyclingData, vendor: VendorCycle[]): VendorCycle[] {
  if (!data.partial) return vendor;
  const numbered = data.halfCycles.filter((h) => h.vendorCycle !== null);
  if (!numbered.length) return vendor.filter((v) => v.cycle <= data.cycles.length);
  const last = numbered[numbered.length - 1]!.vendorCycle!;
  const dirsOfLast = new Set(numbered.filter((h) => h.vendorCycle === last).map((h) => h.dir));
  return vendor.filter((v) => v.cycle < last || (v.cycle === last && dirsOfLast.size === 2));
}

/**
 * Read and segment one input and settle its mass. `stopAfterCycle`: stop reading once that cycle
 * is complete (ice, split); the assumptions then say what the file-wide checks covered.
 */
export async function runCycling(input: Input, o: CommonOptions, splitV = 0.1, stopAfterCycle?: number): Promise<CyclingRun> {
  const given = givenMass(o, input.parts?.[0]?.name ?? input.name);
  const loaded = await loadCycling(input, { first: o.first, splitV, ...(stopAfterCycle !== undefined ? { stopAfterCycle } : {}) });
  const warnings = [...loaded.info.warnings, ...loaded.data.warnings];
  const mass = resolveMass(given, loaded.data, warnings);
  if (given) {
    const w = loadingMixupWarning(given.massMg, loaded.data.statedMassMg, areaCm2(o).areaCm2);
    if (w) warnings.push(w);
  }
  if (mass.massMg === null) warnings.push('no active mass: specific capacities (mAh/g) are empty; give --mass MG');
  if (loaded.data.leading.length) {
    loaded.info.notes.push(`${loaded.data.leading.length} ${loaded.data.first === 'discharge' ? 'charge' : 'discharge'} half-cycle(s) before the first ${loaded.data.first} belong to no cycle (from line ${loaded.data.leading[0]!.firstLine})`);
  }
  let cc: CrossCheck | null = null;
  const vendor = loaded.info.vendorCycles?.length ? vendorCyclesRead(loaded.data, loaded.info.vendorCycles) : [];
  if (vendor.length) {
    cc = crossCheck(loaded.data, vendor, mass.massMg, loaded.info.layout.startsWith('mixed') ? 'Cycle section' : 'Cycle-Tab');
    const where = cc.worst_cycle !== null ? ` (cycle ${cc.worst_cycle}, ${cc.worst_quantity})` : '';
    if (cc.status === 'differs') warnings.push(`the cycler's own ${cc.source} differs from the records by up to ${cc.max_diff_pct.toFixed(2)} %${where} in cycle${cc.differing_cycles.length > 1 ? 's' : ''} ${cc.differing_cycles.join(', ')}`);
    else loaded.info.notes.push(`cross-check with the cycler's ${cc.source}: ${cc.cycles_compared} cycles agree, largest difference ${cc.max_diff_pct.toPrecision(2)} %${where}`);
  }
  const read = readAssumptions(loaded.data);
  const assumptions = { ...cyclingAssumptions(mass, loaded.data, loaded.info), ...(read ?? {}) };
  if (read) loaded.info.notes.push(`${read.read}; ${read.file_wide_checks}`);
  return { loaded, mass, warnings, assumptions, crosscheck: cc };
}

/** The cycle-1 efficiency and plausibility warnings (ice, cycles, summary). */
export function sanityWarnings(run: CyclingRun, rows: Pick<CycleRow, 'cycle' | 'q_dis_mAh_g' | 'q_ch_mAh_g' | 'ce_pct'>[], material: string, what: 'ICE' | 'CE'): void {
  const first = rows.find((r) => r.cycle === 1);
  const e = firstCycleEfficiencyWarning(first?.ce_pct ?? null, run.loaded.data.first, what);
  if (e) run.warnings.push(e);
  const z = noSecondBranchWarning(rows, run.loaded.data.first, what);
  if (z) run.warnings.push(z);
  const later = laterEfficiencyWarning(rows, run.loaded.data.first);
  if (later) run.warnings.push(later);
  const h = capacityHint(rows, material);
  if (h) run.warnings.push(h);
}

function result(input: Input, run: CyclingRun, docBody: Row, rows: Row[], tableKeys: string[], extraAssumptions: Record<string, unknown> = {}, extraLine = ''): FileResult {
  const assumptions = { ...run.assumptions, ...extraAssumptions };
  const massCols = { mass_mg: run.mass.massMg, mass_source: run.mass.source };
  const partial = run.loaded.data.partial;
  return {
    file: input.name,
    doc: { file: input.name, ...docBody, ...massCols, assumptions, ...(run.crosscheck ? { crosscheck: run.crosscheck } : {}), warnings: run.warnings },
    rows: rows.map((r) => ({ file: input.name, ...r, ...massCols })),
    tableKeys,
    assumptionLine: `${massText(run.mass)}; first branch: ${run.loaded.data.first}${extraLine}${partial ? `; read up to cycle ${partial.stoppedAfterCycle} (--full reads all)` : ''}`,
    warnings: run.warnings,
    notes: run.loaded.info.notes,
  };
}

function pick(hasMass: boolean, specificKeys: string[], plainKeys: string[]): string[] {
  return hasMass ? specificKeys : plainKeys;
}

export interface IceOptions { full?: boolean; material?: string }

export async function iceCommand(input: Input, o: CommonOptions, x: IceOptions = {}): Promise<FileResult> {
  const run = await runCycling(input, o, 0.1, x.full ? undefined : 1);
  const row = ice(run.loaded.data, run.mass, input.name);
  sanityWarnings(run, [{ cycle: 1, q_dis_mAh_g: row.q_dis_mAh_g, q_ch_mAh_g: row.q_ch_mAh_g, ce_pct: row.ice_pct }], x.material ?? 'carbon', 'ICE');
  const m = run.mass.massMg !== null;
  return result(input, run, { ...row }, [{ ...row }],
    ['file', ...pick(m, ['q_dis_mAh_g', 'q_ch_mAh_g', 'ice_pct', 'irreversible_mAh_g'], ['q_dis_mAh', 'q_ch_mAh', 'ice_pct', 'irreversible_mAh'])]);
}

export interface CyclesOptions { nominal?: number; material?: string }

export async function cyclesCommand(input: Input, o: CommonOptions, x: CyclesOptions = {}): Promise<FileResult> {
  const run = await runCycling(input, o);
  const area = areaCm2(o);
  const rows = cycleRows(run.loaded.data, run.mass, { areaCm2: area.areaCm2, nominalMAhG: x.nominal ?? null });
  const open = rows.filter((r) => r.ce_pct === null);
  if (open.length === 1) run.warnings.push(`cycle ${open[0]!.cycle} has no ${run.loaded.data.first === 'discharge' ? 'charge' : 'discharge'} (the run ends after its ${run.loaded.data.first}): its CE is empty`);
  else if (open.length > 1) run.warnings.push(`cycles ${open.map((r) => r.cycle).join(', ')} have no ${run.loaded.data.first === 'discharge' ? 'charge' : 'discharge'}: their CE is empty`);
  sanityWarnings(run, rows, x.material ?? 'carbon', 'CE');
  const m = run.mass.massMg !== null;
  // What fits 80 columns with two files: the capacities, CE and the hysteresis (and the C-rate
  // when --nominal is given); CSV / JSON carry every key.
  const tableKeys = ['file', 'cycle', ...pick(m, ['q_dis_mAh_g', 'q_ch_mAh_g'], ['q_dis_mAh', 'q_ch_mAh']), 'ce_pct',
    ...(x.nominal !== undefined && m ? ['c_rate'] : []), 'hysteresis_V'];
  return result(input, run, { cycles: rows }, rows.map((r) => ({ ...r })), tableKeys,
    { area_cm2: area.areaCm2, area_source: area.source, nominal_mAh_g: x.nominal ?? null, c_rate: 'insertion-branch current density / --nominal (h⁻¹)', energy: '∫V dQ over each branch (trapezoid between records); average voltage = energy / capacity' },
    `; area ${Number(area.areaCm2.toPrecision(4))} cm² (${area.source})${x.nominal !== undefined ? `; C-rate against ${x.nominal} mAh/g` : ''}`);
}

export interface SplitOptions { split: number; cycle: number; full?: boolean }

export async function splitCommand(input: Input, o: CommonOptions & SplitOptions): Promise<FileResult> {
  const run = await runCycling(input, o, o.split, o.full ? undefined : o.cycle);
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

export interface RetentionOptions { skip: number; window: number; refCycle?: number; at?: number[] }

export async function retentionCommand(input: Input, o: CommonOptions & RetentionOptions): Promise<FileResult> {
  const run = await runCycling(input, o);
  const { data } = run.loaded;
  const row = retention(data, run.mass, o.skip, o.window, input.name, o.refCycle !== undefined ? { refCycle: o.refCycle } : {});
  const m = run.mass.massMg !== null;
  const reversible = data.first === 'discharge' ? 'charge' : 'discharge';
  const refText = o.refCycle !== undefined ? `reference = cycle ${o.refCycle} (--ref-cycle)` : `reference = mean of cycles ${row.reference_cycles}`;
  const extra = {
    ...(o.refCycle !== undefined ? { ref_cycle: o.refCycle, reference: `the reversible capacity of cycle ${o.refCycle} (--ref-cycle; --skip is not used)` } : { skip: o.skip, reference: `mean of cycles ${row.reference_cycles} (--skip ${o.skip} --window ${o.window})` }),
    window: o.window, reversible_branch: reversible,
    ...(o.at ? { at: o.at } : {}),
  };
  if (o.at) {
    const at = retentionAt(data, run.mass, o.at, o.refCycle !== undefined ? { refCycle: o.refCycle } : { skip: o.skip, window: o.window }, input.name);
    return result(input, run, { ...row, at }, at.map((r) => ({ ...r })),
      ['file', 'cycle', ...pick(m, ['q_rev_mAh_g'], ['q_rev_mAh']), 'retention_pct', 'reference_cycles', ...pick(m, ['reference_mAh_g'], ['reference_mAh'])],
      extra, `; ${refText}; rows are the cycles of --at`);
  }
  return result(input, run, { ...row }, [{ ...row }],
    ['file', 'cycles', 'skip', 'window', ...pick(m, ['reference_mAh_g', 'final_mAh_g'], ['reference_mAh', 'final_mAh']), 'retention_pct', 'plain_ratio_pct', 'fade_pct_per_100_cycles'],
    extra, `; ${refText}, final = mean of cycles ${row.final_cycles}`);
}
