/** `hcarb dqdv`: differential capacity of each branch of a cycle, with the main peaks. */
import { perFileRun } from './run.js';
import { int, pos, type CommandSpec } from './spec.js';
import type { Input } from '../io.js';
import { loadCycling } from '../load.js';
import { resolveMass } from '../analysis/metrics.js';
import { dqdv, gridLevels, MAX_GRID_LEVELS, peaks, type BranchPoints } from '../analysis/dqdv.js';
import { DataError } from '../errors.js';
import type { FileResult, Row } from '../output/format.js';
import { givenMass, massText, type CommonOptions } from './common.js';

export interface DqdvOptions { cycle: number; step: number; smooth: number; peaksOnly?: boolean }

/** Stream a file and keep the points of the chosen cycles only. */
export async function cyclePoints(input: Input, o: CommonOptions, cycles: Set<number>) {
  const branches = new Map<string, BranchPoints & { cycle: number; firstLine: number; lastLine: number }>();
  const loaded = await loadCycling(input, {
    first: o.first, splitV: 0.1,
    onPoint: (cycle, dir, v, q, line) => {
      if (!cycles.has(cycle)) return;
      const key = `${cycle}${dir}`;
      let b = branches.get(key);
      if (!b) branches.set(key, (b = { cycle, dir, v: [], q: [], firstLine: line, lastLine: line }));
      b.v.push(v); b.q.push(q); b.lastLine = line;
    },
  });
  return { loaded, branches: [...branches.values()] };
}

export async function dqdvCommand(input: Input, o: CommonOptions, d: DqdvOptions): Promise<FileResult> {
  const given = givenMass(o, input.name);
  const { loaded, branches } = await cyclePoints(input, o, new Set([d.cycle]));
  const warnings = [...loaded.info.warnings, ...loaded.data.warnings];
  const mass = resolveMass(given, loaded.data, warnings);
  if (!branches.length) throw new DataError(`there is no cycle ${d.cycle}: the file has ${loaded.data.cycles.length} cycle(s)`, { file: input.name });
  const g = mass.massMg === null ? null : mass.massMg / 1000;
  const unitKey = g ? 'dqdv_mAh_g_V' : 'dqdv_mAh_V';
  const qKey = g ? 'q_mAh_g' : 'q_mAh';
  const curveRows: Row[] = [];
  const peakRows: Row[] = [];
  const docBranches = branches.map((b) => {
    const levels = gridLevels(b, d.step);
    if (!(levels <= MAX_GRID_LEVELS)) {
      throw new DataError(`the voltage of cycle ${b.cycle} ${b.dir === 'D' ? 'discharge' : 'charge'} (lines ${b.firstLine}–${b.lastLine}) spans ${Number.isFinite(levels) ? `${(levels * d.step).toPrecision(3)} V, ${levels.toPrecision(3)} grid steps of ${d.step} V` : 'no finite range'} (limit ${MAX_GRID_LEVELS}); check the voltage column, or give a larger --step`, { file: input.name });
    }
    const c = dqdv(b, d.step, d.smooth);
    const scale = g ? 1 / g : 1;
    const branch = b.dir === 'D' ? 'discharge' : 'charge';
    const pk = peaks(c);
    c.v.forEach((v, k) => curveRows.push({ file: input.name, cycle: b.cycle, branch, v, [unitKey]: c.dqdv[k]! * scale, [qKey]: c.q[k]! * scale }));
    pk.forEach((p, k) => peakRows.push({ file: input.name, cycle: b.cycle, branch, rank: k + 1, peak_v: p.v, [unitKey]: p.dqdv * scale }));
    return { cycle: b.cycle, branch, peaks: pk.map((p) => ({ peak_v: p.v, [unitKey]: p.dqdv * scale })), curve: c.v.map((v, k) => ({ v, [unitKey]: c.dqdv[k]! * scale, [qKey]: c.q[k]! * scale })) };
  });
  const assumptions = {
    mass_mg: mass.massMg, mass_source: mass.source, first: o.first, cycle: d.cycle, step_v: d.step,
    method: 'capacity at the first passage of each grid voltage (interpolated), differenced over the grid step',
    smoothing: d.smooth > 1 ? `centred moving average over ${d.smooth} grid points (${(d.smooth * d.step).toPrecision(3)} V)` : 'none',
    sign: 'dQ/dV negative on discharge, positive on charge',
  };
  return {
    file: input.name,
    doc: { file: input.name, assumptions, branches: docBranches, warnings },
    rows: d.peaksOnly ? peakRows : curveRows,
    tableKeys: ['file', 'cycle', 'branch', 'rank', 'peak_v', unitKey],
    tableRows: peakRows,
    assumptionLine: `${massText(mass)}; grid ${d.step} V; ${assumptions.smoothing}; table shows the peaks (--format csv for the curve)`,
    warnings, notes: loaded.info.notes,
  } as FileResult;
}

export const command: CommandSpec = {
  name: 'dqdv',
  summary: 'differential capacity dQ/dV of each branch, with its peaks',
  description: 'dQ/dV of the discharge and charge of one cycle from the capacity on a uniform voltage grid: the capacity when the voltage first reaches each grid level (interpolated), differenced over the step and smoothed by a moving average; the main peaks per branch. Noise or a non-monotonic voltage in the raw records cannot scramble it.',
  files: 'LAND exports; - or none for standard input',
  takes: { mass: true, first: true, join: true },
  options: [
    { flags: '--cycle <n>', description: 'which cycle', parse: int('--cycle', 1), default: 1 },
    { flags: '--step <V>', description: 'voltage grid step in V', parse: pos('--step'), default: 0.005 },
    { flags: '--smooth <n>', description: 'moving-average width in grid points (1 = none)', parse: int('--smooth', 1), default: 3 },
    { flags: '--peaks', description: 'rows are the peaks instead of the curve' },
  ],
  examples: ['hcarb dqdv samples/npnhc-t1200.csv --mass 3.8', 'hcarb dqdv samples/npnhc-t1200.csv --cycle 2 --step 0.002 --format csv > dqdv.csv', "hcarb dqdv samples/npnhc-t1200.csv --peaks --format ndjson | jq -c '[.branch, .peak_v]'"],
  fields: [
    { key: 'file', description: 'the input file as given' },
    { key: 'cycle', description: 'the cycle' },
    { key: 'branch', description: 'discharge or charge' },
    { key: 'v', description: 'grid voltage (V)' },
    { key: 'dqdv_mAh_g_V', description: 'dQ/dV per gram (negative on discharge)' },
    { key: 'dqdv_mAh_V', description: 'dQ/dV without a mass' },
    { key: 'q_mAh_g', description: 'capacity at the grid voltage, per gram' },
    { key: 'q_mAh', description: 'capacity at the grid voltage, without a mass' },
    { key: 'rank', description: '--peaks: rank of the peak by height' },
    { key: 'peak_v', description: '--peaks: voltage of the peak' },
  ],
  docFields: [{ key: 'branches', description: 'per branch: the curve and the peaks' }],
  run: perFileRun((input, o, c) => dqdvCommand(input, c, { cycle: o.cycle as number, step: o.step as number, smooth: o.smooth as number, peaksOnly: Boolean(o.peaks) })),
};
