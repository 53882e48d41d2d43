/** `hcarb dqdv`: differential capacity (or dV/dQ) of each branch of the chosen cycles, with the peaks. */
import { perFileRun } from './run.js';
import { pos, type CommandSpec } from './spec.js';
import type { Input } from '../io.js';
import { loadCycling } from '../load.js';
import { PLAUSIBLE_V } from '../analysis/cycling.js';
import { maxOf, minOf } from '../analysis/extent.js';
import { resolveMass } from '../analysis/metrics.js';
import { branchCollector, defaultStepV, dqdvCurve, dvdq, findPeaks, gridLevels, MAX_GRID_LEVELS, type Smoothing } from '../analysis/dqdv.js';
import { DataError, UsageError } from '../errors.js';
import type { FileResult, Row } from '../output/format.js';
import { givenMass, massText, parseCycleList, type CommonOptions } from './common.js';

export interface DqdvOptions {
  /** Cycles, in the order given (default [1]). */
  cycles?: number[];
  /** One cycle (the older form of `cycles`). */
  cycle?: number;
  /** Moving-average width in grid points (the older form of `smoothing`; 1 = none). */
  smooth?: number;
  /** Grid step, V (default: per branch, 0.5 mV or 10 voltage-resolution steps). */
  step?: number;
  smoothing?: Smoothing;
  peaksOnly?: boolean;
  /** dV/dQ on a capacity grid instead of dQ/dV. */
  dvdq?: boolean;
}

/** Stream a file and keep the points of the chosen cycles only. */
export async function cyclePoints(input: Input, o: CommonOptions, cycles: Set<number>) {
  const col = branchCollector(cycles);
  const loaded = await loadCycling(input, { first: o.first, splitV: 0.1, onPoint: col.onPoint });
  return { loaded, branches: col.branches() };
}

/** `--smooth none | moving:N | savgol:N:ORDER` (a bare N is moving:N, 1 is none). */
export function parseSmoothing(v: string): Smoothing {
  const s = v.trim().toLowerCase();
  const bad = (why: string) => new UsageError(`--smooth: ${why}; use none, moving:N (N grid points) or savgol:N:ORDER (N odd ≥ 3, ORDER < N), not '${v}'`);
  if (s === 'none' || s === '1' || s === 'moving:1') return { kind: 'none' };
  const parts = s.split(':');
  const whole = (x: string | undefined) => (x !== undefined && /^\d+$/.test(x) ? Number(x) : NaN);
  if (parts.length === 1 || parts[0] === 'moving') {
    const n = whole(parts.length === 1 ? parts[0] : parts[1]);
    if (!(n >= 1) || parts.length > 2) throw bad('the moving-average width must be a whole number ≥ 1');
    return n === 1 ? { kind: 'none' } : { kind: 'moving', points: n };
  }
  if (parts[0] === 'savgol' || parts[0] === 'sg') {
    const n = whole(parts[1]), order = parts[2] === undefined ? 2 : whole(parts[2]);
    if (!(n >= 3) || n % 2 === 0 || parts.length > 3) throw bad('the Savitzky–Golay window must be an odd whole number ≥ 3');
    if (!(order >= 0) || order >= n) throw bad('the Savitzky–Golay order must be a whole number below the window');
    return { kind: 'savgol', points: n, order };
  }
  throw bad('unknown smoothing');
}

function smoothingText(s: Smoothing): string {
  return s.kind === 'none' ? 'none' : s.kind === 'moving' ? `moving:${s.points}` : `savgol:${s.points}:${s.order}`;
}

/** Every `k`-th row so that a table shows about `n` per branch, always with the last. */
function thinRows<T>(xs: T[], n: number): T[] {
  if (xs.length <= n) return xs;
  const k = Math.ceil(xs.length / n);
  return xs.filter((_, i) => i % k === 0 || i === xs.length - 1);
}

export async function dqdvCommand(input: Input, o: CommonOptions, d0: DqdvOptions): Promise<FileResult> {
  const d = {
    ...d0,
    cycles: d0.cycles ?? [d0.cycle ?? 1],
    smoothing: d0.smoothing ?? (d0.smooth !== undefined && d0.smooth > 1 ? { kind: 'moving', points: d0.smooth } as Smoothing : undefined),
  };
  const given = givenMass(o, input.name);
  const { loaded, branches } = await cyclePoints(input, o, new Set(d.cycles));
  const warnings = [...loaded.info.warnings, ...loaded.data.warnings];
  const mass = resolveMass(given, loaded.data, warnings);
  const n = loaded.data.cycles.length;
  const missing = d.cycles.filter((c) => !branches.some((b) => b.cycle === c));
  if (missing.length === d.cycles.length) throw new DataError(`there is no cycle ${missing.join(', ')}: the file has ${n} cycle(s)`, { file: input.name });
  if (missing.length) warnings.push(`no cycle ${missing.join(', ')} in the file (it has ${n} cycle(s)): left out`);
  branches.sort((a, b) => d.cycles.indexOf(a.cycle) - d.cycles.indexOf(b.cycle));
  const smoothing = d.smoothing ?? { kind: 'none' };
  const g = mass.massMg === null ? null : mass.massMg / 1000;
  const scale = g ? 1 / g : 1;
  const qKey = g ? 'q_mAh_g' : 'q_mAh';
  const curveRows: Row[] = [];
  const peakRows: Row[] = [];
  const steps = new Set<number>();
  let detail: Record<string, unknown> = {};
  if (d.dvdq) {
    const key = g ? 'dvdq_V_mAh_g' : 'dvdq_V_mAh';
    const docBranches = branches.map((b) => {
      const branch = b.dir === 'D' ? 'discharge' : 'charge';
      const c = dvdq(b, { smoothing });
      const rows = c.q.map((q, k) => ({ q: q * scale, v: c.v[k]!, x: c.dvdq[k]! / scale }));
      for (const r of rows) curveRows.push({ file: input.name, cycle: b.cycle, branch, [qKey]: r.q, v: r.v, [key]: r.x });
      for (const r of thinRows(rows, 12)) peakRows.push({ file: input.name, cycle: b.cycle, branch, [qKey]: r.q, v: r.v, [key]: r.x });
      return { cycle: b.cycle, branch, curve: rows.map((r) => ({ [qKey]: r.q, v: r.v, [key]: r.x })) };
    });
    detail = { branches: docBranches };
    const assumptions = {
      mass_mg: mass.massMg, mass_source: mass.source, first: o.first, cycles: d.cycles,
      method: 'voltage at each point of a uniform capacity grid (1000 intervals over the branch, interpolated between records), differenced over the grid step',
      smoothing: smoothingText(smoothing), sign: 'dV/dQ negative on discharge, positive on charge',
    };
    return {
      file: input.name,
      doc: { file: input.name, assumptions, ...detail, warnings },
      rows: curveRows,
      tableKeys: ['file', 'cycle', 'branch', qKey, 'v', key],
      tableRows: peakRows,
      assumptionLine: `${massText(mass)}; dV/dQ on 1000 capacity intervals per branch; smoothing ${smoothingText(smoothing)}; the table shows about 12 points per branch (--format csv for the curve)`,
      warnings, notes: loaded.info.notes,
    };
  }
  const unitKey = g ? 'dqdv_mAh_g_V' : 'dqdv_mAh_V';
  const promKey = g ? 'prominence_mAh_g_V' : 'prominence_mAh_V';
  const docBranches = branches.map((b) => {
    const branch = b.dir === 'D' ? 'discharge' : 'charge';
    const lo = minOf(b.v), hi = maxOf(b.v);
    if (lo < PLAUSIBLE_V[0] || hi > PLAUSIBLE_V[1]) {
      throw new DataError(`the voltage of cycle ${b.cycle} ${branch} (lines ${b.firstLine}–${b.lastLine}) spans ${(hi - lo).toPrecision(3)} V, from ${lo} to ${hi} V, outside any plausible cell voltage (${PLAUSIBLE_V[0]} to ${PLAUSIBLE_V[1]} V); check the voltage column (mV written as V?)`, { file: input.name, line: b.firstLine });
    }
    const stepV = d.step ?? defaultStepV(b);
    steps.add(stepV);
    const levels = gridLevels(b, stepV);
    if (!(levels <= MAX_GRID_LEVELS)) {
      throw new DataError(`the voltage of cycle ${b.cycle} ${branch} (lines ${b.firstLine}–${b.lastLine}) spans ${Number.isFinite(levels) ? `${(levels * stepV).toPrecision(3)} V, ${levels.toPrecision(3)} grid steps of ${stepV} V` : 'no finite range'} (limit ${MAX_GRID_LEVELS}); check the voltage column, or give a larger --step`, { file: input.name });
    }
    const c = dqdvCurve(b, { stepV, smoothing });
    const pk = findPeaks(c);
    c.v.forEach((v, k) => curveRows.push({ file: input.name, cycle: b.cycle, branch, v, [unitKey]: c.dqdv[k]! * scale, [qKey]: c.q[k]! * scale }));
    pk.peaks.forEach((p, k) => peakRows.push({ file: input.name, cycle: b.cycle, branch, rank: k + 1, peak_v: p.v, [unitKey]: p.dqdv * scale, [promKey]: p.prominence * scale }));
    return {
      cycle: b.cycle, branch, step_v: stepV, resolution_v: c.resolutionV, voltage_noise_v: c.voltageNoiseV, peak_thresholds: pk.thresholds,
      peaks: pk.peaks.map((p) => ({ peak_v: p.v, [unitKey]: p.dqdv * scale, [promKey]: p.prominence * scale })),
      curve: c.v.map((v, k) => ({ v, [unitKey]: c.dqdv[k]! * scale, [qKey]: c.q[k]! * scale })),
    };
  });
  const stepText = [...steps].map((s) => `${Number((s * 1000).toPrecision(3))} mV`).join(', ');
  const assumptions = {
    mass_mg: mass.massMg, mass_source: mass.source, first: o.first, cycles: d.cycles,
    step_v: steps.size === 1 ? [...steps][0] : [...steps],
    step_rule: d.step !== undefined ? '--step' : 'default: 0.5 mV, or 10 voltage-resolution steps of the records if coarser',
    method: 'capacity at the first passage of each grid voltage (interpolated), differenced over the grid step',
    smoothing: smoothingText(smoothing),
    peaks: 'local maxima of |dQ/dV| (detected on a 4.5 mV average, read from the curve) with a prominence above 5 % of the largest and above 5 σ of the noise the voltage noise puts on it; none within 3 grid steps of a higher one',
    sign: 'dQ/dV negative on discharge, positive on charge',
  };
  return {
    file: input.name,
    doc: { file: input.name, assumptions, branches: docBranches, warnings },
    rows: d.peaksOnly ? peakRows : curveRows,
    tableKeys: ['file', 'cycle', 'branch', 'rank', 'peak_v', unitKey],
    tableRows: peakRows,
    assumptionLine: `${massText(mass)}; grid ${stepText}; smoothing ${smoothingText(smoothing)}; peaks by prominence above the noise; table shows the peaks (--format csv for the curve)`,
    warnings, notes: loaded.info.notes,
  };
}

export const command: CommandSpec = {
  name: 'dqdv',
  summary: 'differential capacity dQ/dV (or dV/dQ) of each branch, with its peaks',
  description: 'dQ/dV of the discharge and charge of the chosen cycles from the capacity on a uniform voltage grid: the capacity when the voltage first reaches each grid level (interpolated), differenced over the step (default 0.5 mV, or 10 voltage-resolution steps of the records if coarser), unsmoothed unless --smooth asks. Peaks by prominence above a noise floor worked out from the records, so voltage-quantisation ripple is never a peak. --dvdq gives dV/dQ on a capacity grid instead.',
  files: 'cycler exports; - or none for standard input',
  takes: { mass: true, first: true, join: true },
  options: [
    { flags: '--cycles <list>', description: 'cycles, comma-separated (e.g. 1,2,10)', parse: (v: string) => parseCycleList('--cycles', v) },
    { flags: '--cycle <n>', description: 'one cycle (the same as --cycles N)', parse: (v: string) => parseCycleList('--cycle', v) },
    { flags: '--step <V>', description: 'voltage grid step in V (default 0.0005, or 10 resolution steps)', parse: pos('--step') },
    { flags: '--smooth <how>', description: 'none, moving:N (N grid points) or savgol:N:ORDER (Savitzky–Golay)', parse: parseSmoothing, default: 'none' },
    { flags: '--dvdq', description: 'dV/dQ against capacity instead of dQ/dV' },
    { flags: '--peaks', description: 'rows are the peaks instead of the curve' },
  ],
  examples: ['hcarb dqdv samples/npnhc-t1200.csv --mass 3.8', 'hcarb dqdv samples/npnhc-t1200.csv --cycles 1,2,10 --smooth savgol:9:3 --format csv > dqdv.csv', "hcarb dqdv samples/npnhc-t1200.csv --peaks --format ndjson | jq -c '[.cycle, .branch, .peak_v]'", 'hcarb dqdv samples/npnhc-t1200.csv --dvdq --cycles 2 --format csv > dvdq.csv'],
  fields: [
    { key: 'file', description: 'the input file as given' },
    { key: 'cycle', description: 'the cycle' },
    { key: 'branch', description: 'discharge or charge' },
    { key: 'v', description: 'grid voltage (dQ/dV), or the voltage at the grid capacity (dV/dQ)' },
    { key: 'dqdv_mAh_g_V', description: 'dQ/dV per gram (negative on discharge)' },
    { key: 'dqdv_mAh_V', description: 'dQ/dV without a mass' },
    { key: 'q_mAh_g', description: 'capacity at the grid point, per gram' },
    { key: 'q_mAh', description: 'capacity at the grid point, without a mass' },
    { key: 'dvdq_V_mAh_g', description: '--dvdq: dV/dQ per gram, V/(mAh/g) (negative on discharge)' },
    { key: 'dvdq_V_mAh', description: '--dvdq: dV/dQ without a mass, V/mAh' },
    { key: 'rank', description: '--peaks: rank of the peak by height' },
    { key: 'peak_v', description: '--peaks: voltage of the peak' },
    { key: 'prominence_mAh_g_V', description: '--peaks: height above the higher of the lowest points separating it from higher ground' },
    { key: 'prominence_mAh_V', description: '--peaks: prominence without a mass' },
  ],
  docFields: [{ key: 'branches', description: 'per branch: grid step, voltage resolution and noise, peak thresholds, the peaks and the curve' }],
  run: perFileRun((input, o, c) => {
    if (o.cycles !== undefined && o.cycle !== undefined) throw new UsageError('give --cycles or --cycle, not both');
    const cycles = (o.cycles ?? o.cycle ?? [1]) as number[];
    const smoothing = typeof o.smooth === 'string' ? parseSmoothing(o.smooth) : (o.smooth as Smoothing);
    return dqdvCommand(input, c, { cycles, step: o.step as number | undefined, smoothing, peaksOnly: Boolean(o.peaks), dvdq: Boolean(o.dvdq) });
  }),
};
