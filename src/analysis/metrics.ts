/**
 * The figures a paper reports, computed from segmented cycling data (science.md). Pure functions.
 */
import { simpleStatistics } from '../lazy.js';
import { DataError, UsageError } from '../errors.js';
import type { Cycle, CyclingData, HalfCycle } from './cycling.js';

export type MassSource = 'flag' | 'loading' | 'masses-file' | 'file' | 'none';
export interface Mass { massMg: number | null; source: MassSource }

/**
 * The active mass to use: a flag wins over the file's SpeCap column; a disagreement over 1 % is
 * a warning. Without either, specific values are null.
 */
export function resolveMass(given: { massMg: number; source: MassSource } | null, data: CyclingData, warnings: string[]): Mass {
  const stated = data.statedMassMg;
  if (given) {
    if (stated !== null && Math.abs(given.massMg - stated) / stated > 0.01) {
      warnings.push(`the mass given (${fmtMass(given.massMg)} mg) differs from the file's (${fmtMass(stated)} mg, from Capacity / SpeCap) by ${(Math.abs(given.massMg - stated) / stated * 100).toFixed(1)} %; using the mass given`);
    }
    return given;
  }
  if (stated !== null) return { massMg: stated, source: 'file' };
  return { massMg: null, source: 'none' };
}

function fmtMass(x: number): string { return x.toPrecision(4); }

export function specific(mAh: number | null, mass: Mass): number | null {
  if (mAh === null || mass.massMg === null) return null;
  return mAh / (mass.massMg / 1000);
}

export function pct(num: number | null, den: number | null): number | null {
  if (num === null || den === null || den === 0) return null;
  return num / den * 100;
}

function dischargeOf(c: Cycle): HalfCycle | null {
  return c.insertion.dir === 'D' ? c.insertion : c.extraction;
}
function chargeOf(c: Cycle): HalfCycle | null {
  return c.insertion.dir === 'C' ? c.insertion : c.extraction;
}

export function getCycle(data: CyclingData, n: number, source: string, what: string): Cycle {
  if (!data.cycles.length) {
    const dirs = data.halfCycles.length ? ` (it holds ${data.halfCycles.length} ${data.first === 'discharge' ? 'charge' : 'discharge'} half-cycle(s) only)` : ' (no current flows in it)';
    throw new DataError(`no ${data.first} half-cycle found, so there is no cycle 1${dirs}; check --first`, { file: source });
  }
  if (n < 1 || n > data.cycles.length) {
    throw new DataError(`there is no cycle ${n}: the file has ${data.cycles.length} cycle(s)`, { file: source });
  }
  const c = data.cycles[n - 1]!;
  if (!c.extraction) {
    throw new DataError(`cycle ${n} is incomplete: the ${data.first} at lines ${c.insertion.firstLine}–${c.insertion.lastLine} has no ${data.first === 'discharge' ? 'charge' : 'discharge'} after it, so ${what} cannot be computed`, { file: source, line: c.insertion.lastLine });
  }
  return c;
}

export interface IceRow {
  cycle: number;
  q_dis_mAh_g: number | null;
  q_ch_mAh_g: number | null;
  ice_pct: number | null;
  irreversible_mAh_g: number | null;
  q_dis_mAh: number;
  q_ch_mAh: number;
  irreversible_mAh: number;
  first_line: number;
  last_line: number;
}

/** ICE = Q(second branch of cycle 1) / Q(first branch) × 100 (anode: Q_ch,1 / Q_dis,1). */
export function ice(data: CyclingData, mass: Mass, source: string): IceRow {
  const c = getCycle(data, 1, source, 'the ICE');
  const d = dischargeOf(c)!, ch = chargeOf(c)!;
  const first = c.insertion.capacityMAh, second = c.extraction!.capacityMAh;
  if (first <= 0) throw new DataError(`the first ${data.first} passes no charge (lines ${c.insertion.firstLine}–${c.insertion.lastLine}); ICE is undefined`, { file: source, line: c.insertion.firstLine });
  return {
    cycle: 1,
    q_dis_mAh_g: specific(d.capacityMAh, mass),
    q_ch_mAh_g: specific(ch.capacityMAh, mass),
    ice_pct: second / first * 100,
    irreversible_mAh_g: specific(first - second, mass),
    q_dis_mAh: d.capacityMAh,
    q_ch_mAh: ch.capacityMAh,
    irreversible_mAh: first - second,
    first_line: c.insertion.firstLine,
    last_line: c.extraction!.lastLine,
  };
}

export interface CycleRow {
  cycle: number;
  q_dis_mAh_g: number | null;
  q_ch_mAh_g: number | null;
  ce_pct: number | null;
  q_dis_mAh: number | null;
  q_ch_mAh: number | null;
  vendor_cycle: number | null;
  first_line: number;
  last_line: number;
  /** Constant-current |I| of each branch (median of its CC records), mA, and per gram of active mass. */
  i_dis_mA: number | null;
  i_ch_mA: number | null;
  i_dis_mA_g: number | null;
  i_ch_mA_g: number | null;
  /** Insertion-branch current density / nominal capacity (h⁻¹); null without --nominal or a mass. */
  c_rate: number | null;
  /** Capacity-weighted average voltage ∫V dQ / Q of each branch, V. */
  v_avg_dis_V: number | null;
  v_avg_ch_V: number | null;
  /** Energy ∫V dQ of each branch, mWh and mWh g⁻¹ (= Wh kg⁻¹). */
  e_dis_mWh: number | null;
  e_ch_mWh: number | null;
  e_dis_mWh_g: number | null;
  e_ch_mWh_g: number | null;
  /** Energy efficiency E_dis / E_ch × 100 (a half cell against Na delivers energy on discharge). */
  ee_pct: number | null;
  /** v_avg_ch_V − v_avg_dis_V. */
  hysteresis_V: number | null;
  /** Voltage of the last current record of each branch, V. */
  v_end_dis_V: number | null;
  v_end_ch_V: number | null;
  /** Areal capacity, mAh cm⁻² (null without an area). */
  q_dis_mAh_cm2: number | null;
  q_ch_mAh_cm2: number | null;
}

export interface CycleRowOptions {
  /** Electrode area, cm² (for areal capacity). */
  areaCm2?: number | null;
  /** Nominal specific capacity, mAh g⁻¹ (for the C-rate; the paper uses 300). */
  nominalMAhG?: number | null;
}

/** Average voltage of a branch, ∫V dQ / Q (null without charge passed). */
export function averageVoltage(h: HalfCycle | null): number | null {
  if (!h || !(h.capacityMAh > 0)) return null;
  return h.energyMWh / h.capacityMAh;
}

/**
 * One row per cycle; CE_n = Q(second branch) / Q(first branch) × 100; null for an incomplete
 * cycle. Every figure of a missing branch is null.
 */
export function cycleRows(data: CyclingData, mass: Mass, opts: CycleRowOptions = {}): CycleRow[] {
  const area = opts.areaCm2 ?? null;
  const nominal = opts.nominalMAhG ?? null;
  if (area !== null && !(area > 0)) throw new UsageError(`the electrode area must be a positive number of cm², not ${area}`);
  if (nominal !== null && !(nominal > 0)) throw new UsageError(`--nominal must be a positive number of mAh/g, not ${nominal}`);
  return data.cycles.map((c) => {
    const d = dischargeOf(c), ch = chargeOf(c);
    const q1 = c.insertion.capacityMAh, q2 = c.extraction?.capacityMAh ?? null;
    const vd = averageVoltage(d), vc = averageVoltage(ch);
    const ed = d ? d.energyMWh : null, ec = ch ? ch.energyMWh : null;
    const iIns = specific(c.insertion.ccCurrentMA, mass);
    return {
      cycle: c.n,
      q_dis_mAh_g: specific(d?.capacityMAh ?? null, mass),
      q_ch_mAh_g: specific(ch?.capacityMAh ?? null, mass),
      ce_pct: pct(q2, q1),
      q_dis_mAh: d?.capacityMAh ?? null,
      q_ch_mAh: ch?.capacityMAh ?? null,
      vendor_cycle: c.insertion.vendorCycle,
      first_line: c.insertion.firstLine,
      last_line: (c.extraction ?? c.insertion).lastLine,
      i_dis_mA: d?.ccCurrentMA ?? null,
      i_ch_mA: ch?.ccCurrentMA ?? null,
      i_dis_mA_g: specific(d?.ccCurrentMA ?? null, mass),
      i_ch_mA_g: specific(ch?.ccCurrentMA ?? null, mass),
      c_rate: iIns !== null && nominal !== null ? iIns / nominal : null,
      v_avg_dis_V: vd,
      v_avg_ch_V: vc,
      e_dis_mWh: ed,
      e_ch_mWh: ec,
      e_dis_mWh_g: specific(ed, mass),
      e_ch_mWh_g: specific(ec, mass),
      ee_pct: ed !== null && ec !== null && ec > 0 ? ed / ec * 100 : null,
      hysteresis_V: vd !== null && vc !== null ? vc - vd : null,
      v_end_dis_V: d?.endV ?? null,
      v_end_ch_V: ch?.endV ?? null,
      q_dis_mAh_cm2: d && area !== null ? d.capacityMAh / area : null,
      q_ch_mAh_cm2: ch && area !== null ? ch.capacityMAh / area : null,
    };
  });
}

export interface SplitRow {
  split_v: number;
  cycle: number;
  dis_slope_mAh_g: number | null;
  dis_plateau_mAh_g: number | null;
  ch_slope_mAh_g: number | null;
  ch_plateau_mAh_g: number | null;
  dis_slope_pct: number | null;
  dis_plateau_pct: number | null;
  ch_slope_pct: number | null;
  ch_plateau_pct: number | null;
  dis_slope_mAh: number;
  dis_plateau_mAh: number;
  ch_slope_mAh: number;
  ch_plateau_mAh: number;
  dis_reached_split: boolean;
  ch_reached_split: boolean;
}

/**
 * Sloping vs plateau capacity at the split voltage: discharge slope = capacity until the voltage
 * first reaches the split (interpolated), plateau = the rest; charge plateau = capacity until the
 * voltage first rises to the split, slope = the rest.
 */
export function split(data: CyclingData, mass: Mass, n: number, source: string): SplitRow {
  const c = getCycle(data, n, source, 'the split');
  const d = dischargeOf(c)!, ch = chargeOf(c)!;
  const dSlope = d.crossMAh ?? d.capacityMAh;
  const dPlat = d.capacityMAh - dSlope;
  const cPlat = ch.crossMAh ?? ch.capacityMAh;
  const cSlope = ch.capacityMAh - cPlat;
  return {
    split_v: data.splitV,
    cycle: n,
    dis_slope_mAh_g: specific(dSlope, mass),
    dis_plateau_mAh_g: specific(dPlat, mass),
    ch_slope_mAh_g: specific(cSlope, mass),
    ch_plateau_mAh_g: specific(cPlat, mass),
    dis_slope_pct: pct(dSlope, d.capacityMAh),
    dis_plateau_pct: pct(dPlat, d.capacityMAh),
    ch_slope_pct: pct(cSlope, ch.capacityMAh),
    ch_plateau_pct: pct(cPlat, ch.capacityMAh),
    dis_slope_mAh: dSlope,
    dis_plateau_mAh: dPlat,
    ch_slope_mAh: cSlope,
    ch_plateau_mAh: cPlat,
    dis_reached_split: d.crossMAh !== null,
    ch_reached_split: ch.crossMAh !== null,
  };
}

export interface RetentionRow {
  retention_pct: number;
  reference_mAh_g: number | null;
  final_mAh_g: number | null;
  plain_ratio_pct: number;
  fade_mAh_g_per_cycle: number | null;
  fade_pct_per_100_cycles: number | null;
  reference_mAh: number;
  final_mAh: number;
  fade_mAh_per_cycle: number | null;
  skip: number;
  window: number;
  cycles: number;
  reference_cycles: string;
  final_cycles: string;
}

/**
 * Retention after stabilization: reference = mean reversible (second-branch) capacity of cycles
 * S+1…S+k, final = mean of the last k complete cycles; retention = final / reference × 100.
 * Also the plain last / (S+1) ratio and the least-squares fade rate over cycles after S.
 */
export function retention(data: CyclingData, mass: Mass, skip: number, window: number, source: string, opts: { refCycle?: number } = {}): RetentionRow {
  if (opts.refCycle !== undefined) return retentionFromCycle(data, mass, opts.refCycle, window, source);
  if (!Number.isInteger(skip) || skip < 0) throw new UsageError(`--skip must be a whole number ≥ 0, not ${skip}`);
  if (!Number.isInteger(window) || window < 1) throw new UsageError(`--window must be a whole number ≥ 1, not ${window}`);
  const complete = data.cycles.filter((c) => c.extraction);
  const n = complete.length;
  if (n < skip + 2 * window) {
    const canSkip = Math.max(0, n - 2 * window);
    const hint = n >= 2 ? `; try --skip ${Math.min(skip, Math.max(0, n - 2))} --window ${Math.max(1, Math.floor((n - Math.min(skip, Math.max(0, n - 2))) / 2))}` : '';
    throw new DataError(`too few cycles for --skip ${skip} --window ${window}: needs ${skip + 2 * window} complete cycles, the file has ${n}${n >= 2 * window ? ` (--skip ${canSkip} would work)` : hint}`, { file: source });
  }
  const q = (c: Cycle) => c.extraction!.capacityMAh;
  const ref = complete.slice(skip, skip + window);
  const fin = complete.slice(n - window);
  const mean = (cs: Cycle[]) => cs.reduce((s, c) => s + q(c), 0) / cs.length;
  const refMAh = mean(ref), finMAh = mean(fin);
  if (refMAh <= 0) throw new DataError(`the reference cycles ${ref[0]!.n}–${ref[ref.length - 1]!.n} pass no charge; retention is undefined`, { file: source });
  const after = complete.slice(skip);
  let slope: number | null = null;
  if (after.length >= 2) slope = simpleStatistics().linearRegression(after.map((c) => [c.n, q(c)])).m;
  if (slope !== null && !Number.isFinite(slope)) slope = null; // capacities beyond floating-point range: no slope
  return {
    retention_pct: finMAh / refMAh * 100,
    reference_mAh_g: specific(refMAh, mass),
    final_mAh_g: specific(finMAh, mass),
    plain_ratio_pct: q(complete[n - 1]!) / q(complete[skip]!) * 100,
    fade_mAh_g_per_cycle: specific(slope, mass),
    fade_pct_per_100_cycles: slope === null ? null : slope / refMAh * 100 * 100,
    reference_mAh: refMAh,
    final_mAh: finMAh,
    fade_mAh_per_cycle: slope,
    skip,
    window,
    cycles: n,
    reference_cycles: `${ref[0]!.n}-${ref[ref.length - 1]!.n}`,
    final_cycles: `${fin[0]!.n}-${fin[fin.length - 1]!.n}`,
  };
}

/** The reversible (second-branch) capacity of a complete cycle n, mAh, or a DataError saying why not. */
function reversibleOf(data: CyclingData, n: number, source: string, what: string): number {
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${what} must be a cycle number ≥ 1, not ${n}`);
  return getCycle(data, n, source, `${what} ${n}`).extraction!.capacityMAh;
}

/**
 * Retention against one reference cycle (`--ref-cycle N`): reference = the reversible capacity of
 * cycle N, final = mean of the last `window` complete cycles; the fade line runs over the cycles
 * from N on. Same row as `retention` (skip = N − 1, reference_cycles = "N").
 */
export function retentionFromCycle(data: CyclingData, mass: Mass, refCycle: number, window: number, source: string): RetentionRow {
  if (!Number.isInteger(window) || window < 1) throw new UsageError(`--window must be a whole number ≥ 1, not ${window}`);
  const refMAh = reversibleOf(data, refCycle, source, '--ref-cycle');
  if (refMAh <= 0) throw new DataError(`the reference cycle ${refCycle} passes no reversible charge; retention is undefined`, { file: source });
  const complete = data.cycles.filter((c) => c.extraction);
  const after = complete.filter((c) => c.n >= refCycle);
  if (after.length < 1 + window) throw new DataError(`too few cycles after --ref-cycle ${refCycle} for --window ${window}: needs ${1 + window} complete cycles from cycle ${refCycle} on, the file has ${after.length}`, { file: source });
  const q = (c: Cycle) => c.extraction!.capacityMAh;
  const fin = complete.slice(complete.length - window);
  const finMAh = fin.reduce((s, c) => s + q(c), 0) / fin.length;
  const slope = simpleStatistics().linearRegression(after.map((c) => [c.n, q(c)])).m;
  return {
    retention_pct: finMAh / refMAh * 100,
    reference_mAh_g: specific(refMAh, mass),
    final_mAh_g: specific(finMAh, mass),
    plain_ratio_pct: q(complete[complete.length - 1]!) / refMAh * 100,
    fade_mAh_g_per_cycle: specific(slope, mass),
    fade_pct_per_100_cycles: slope / refMAh * 100 * 100,
    reference_mAh: refMAh,
    final_mAh: finMAh,
    fade_mAh_per_cycle: slope,
    skip: refCycle - 1,
    window,
    cycles: complete.length,
    reference_cycles: String(refCycle),
    final_cycles: `${fin[0]!.n}-${fin[fin.length - 1]!.n}`,
  };
}

export interface RetentionAtRow {
  cycle: number;
  q_rev_mAh_g: number | null;
  q_rev_mAh: number;
  retention_pct: number;
  /** The reference: one cycle ("3") or the mean of a window ("21-25"). */
  reference_cycles: string;
  reference_mAh_g: number | null;
  reference_mAh: number;
}

/**
 * Capacity and retention at given cycles (`--at 100,200`): the reversible capacity of each cycle
 * and its share of the reference — cycle `refCycle` when given, else the mean of the stabilised
 * window (cycles skip+1 … skip+window, as `retention`).
 */
export function retentionAt(data: CyclingData, mass: Mass, at: number[], ref: { refCycle: number } | { skip: number; window: number }, source: string): RetentionAtRow[] {
  if (!at.length) throw new UsageError('--at needs at least one cycle number');
  let refMAh: number, refText: string;
  if ('refCycle' in ref) {
    refMAh = reversibleOf(data, ref.refCycle, source, '--ref-cycle');
    refText = String(ref.refCycle);
  } else {
    const { skip, window } = ref;
    if (!Number.isInteger(skip) || skip < 0) throw new UsageError(`--skip must be a whole number ≥ 0, not ${skip}`);
    if (!Number.isInteger(window) || window < 1) throw new UsageError(`--window must be a whole number ≥ 1, not ${window}`);
    const complete = data.cycles.filter((c) => c.extraction);
    const w = complete.slice(skip, skip + window);
    if (w.length < window) throw new DataError(`too few cycles for the reference window (--skip ${skip} --window ${window}): the file has ${complete.length} complete cycles`, { file: source });
    refMAh = w.reduce((s, c) => s + c.extraction!.capacityMAh, 0) / w.length;
    refText = `${w[0]!.n}-${w[w.length - 1]!.n}`;
  }
  if (refMAh <= 0) throw new DataError(`the reference (cycle ${refText}) passes no reversible charge; retention is undefined`, { file: source });
  return at.map((n) => {
    const q = reversibleOf(data, n, source, '--at cycle');
    return { cycle: n, q_rev_mAh_g: specific(q, mass), q_rev_mAh: q, retention_pct: q / refMAh * 100, reference_cycles: refText, reference_mAh_g: specific(refMAh, mass), reference_mAh: refMAh };
  });
}
