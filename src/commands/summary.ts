/** `hcarb summary`: one row per cell with the headline figures, for a table of many cells. */
import type { Input } from '../io.js';
import { cycleRows, ice, retention, split } from '../analysis/metrics.js';
import { DataError, UsageError } from '../errors.js';
import type { FileResult, Row } from '../output/format.js';
import { runCycling, sanityWarnings } from './cycling-run.js';
import { MATERIAL_OPTION, type CommonOptions } from './common.js';
import { readMassesTable } from './masses.js';
import { groupByRegex, groupRows, groupStats } from '../analysis/stats.js';
import { availableParallelism } from 'node:os';
import { summariseInParallel } from '../parallel.js';
import { MASS_FIELDS, int, num, type CommandSpec } from './spec.js';

export interface SummaryOptions { name?: string; skip: number; window: number; split: number; material?: string }

export function sampleName(file: string): string {
  const base = file.replace(/\\/g, '/').split('/').pop() ?? file;
  return base.replace(/\.(csv|txt|xlsx|xls)$/i, '');
}

export async function summaryCommand(input: Input, o: CommonOptions, s: SummaryOptions): Promise<FileResult> {
  const run = await runCycling(input, o, s.split);
  const { data } = run.loaded;
  const i = ice(data, run.mass, input.name);
  const sp = split(data, run.mass, 1, input.name);
  const rows = cycleRows(data, run.mass);
  sanityWarnings(run, [{ ...rows[0]!, ce_pct: i.ice_pct }, ...rows.slice(1)], s.material ?? 'carbon', 'ICE');
  const complete = rows.filter((r) => r.ce_pct !== null);
  const last = complete[complete.length - 1]!;
  const rev = (r: typeof last) => (data.first === 'discharge' ? [r.q_ch_mAh_g, r.q_ch_mAh] : [r.q_dis_mAh_g, r.q_dis_mAh]);
  let ret: Row = { retention_pct: null, reference_cycles: null, final_cycles: null, reference_mAh_g: null, final_mAh_g: null, fade_pct_per_100_cycles: null, retention_note: null };
  try {
    const r = retention(data, run.mass, s.skip, s.window, input.name);
    ret = { retention_pct: r.retention_pct, reference_cycles: r.reference_cycles, final_cycles: r.final_cycles, reference_mAh_g: r.reference_mAh_g, final_mAh_g: r.final_mAh_g, fade_pct_per_100_cycles: r.fade_pct_per_100_cycles, retention_note: null };
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    ret.retention_note = `needs ${s.skip + 2 * s.window} complete cycles for --skip ${s.skip} --window ${s.window}, the file has ${complete.length}`;
  }
  const row: Row = {
    file: input.name,
    name: s.name ?? sampleName(input.name),
    mass_mg: run.mass.massMg,
    mass_source: run.mass.source,
    q_dis_mAh_g: i.q_dis_mAh_g,
    q_ch_mAh_g: i.q_ch_mAh_g,
    ice_pct: i.ice_pct,
    irreversible_mAh_g: i.irreversible_mAh_g,
    split_v: s.split,
    dis_slope_mAh_g: sp.dis_slope_mAh_g,
    dis_plateau_mAh_g: sp.dis_plateau_mAh_g,
    ch_slope_mAh_g: sp.ch_slope_mAh_g,
    ch_plateau_mAh_g: sp.ch_plateau_mAh_g,
    dis_plateau_pct: sp.dis_plateau_pct,
    ch_plateau_pct: sp.ch_plateau_pct,
    cycles: complete.length,
    last_cycle: last.cycle,
    last_rev_mAh_g: rev(last)[0],
    ...ret,
    crosscheck: run.crosscheck ? run.crosscheck.status : null,
    crosscheck_max_diff_pct: run.crosscheck ? run.crosscheck.max_diff_pct : null,
    q_dis_mAh: i.q_dis_mAh,
    q_ch_mAh: i.q_ch_mAh,
    irreversible_mAh: i.irreversible_mAh,
    last_rev_mAh: rev(last)[1],
  };
  const notes = [...run.loaded.info.notes];

  return {
    file: input.name,
    doc: { ...row, assumptions: { ...run.assumptions, split_v: s.split, skip: s.skip, window: s.window, split_cycle: 1 }, warnings: run.warnings },
    rows: [row],
    tableKeys: run.mass.massMg !== null
      ? ['name', 'mass_mg', 'q_dis_mAh_g', 'q_ch_mAh_g', 'ice_pct', 'ch_slope_mAh_g', 'ch_plateau_mAh_g', 'cycles', 'last_rev_mAh_g', 'retention_pct', 'crosscheck']
      : ['name', 'mass_mg', 'q_dis_mAh', 'q_ch_mAh', 'ice_pct', 'dis_plateau_pct', 'ch_plateau_pct', 'cycles', 'last_rev_mAh', 'retention_pct', 'crosscheck'],
    assumptionLine: `slope / plateau split at ${s.split} V (cycle 1, charge = reversible); retention = mean of the last ${s.window} cycles / mean of cycles ${s.skip + 1}–${s.skip + s.window} (--skip ${s.skip} --window ${s.window})`,
    blanks: {
      ...(ret.retention_note ? { retention_pct: ret.retention_note as string } : {}),
      ...(run.mass.massMg === null ? { mass_mg: 'no mass: give --mass, --loading or --masses for mAh/g' } : {}),
    },
    warnings: run.warnings, notes,
  };
}

/** How files are put into replicate groups (summary --group-by, the --masses group column, --stats). */
export interface GroupHow { regex?: RegExp; fromMasses?: Map<string, string>; stats: boolean }

function baseName(p: string): string {
  return p.replace(/\\/g, '/').split('/').pop() ?? p;
}

/** A file's group: --group-by on its file name (first capture group, else the match), else the --masses column; 'all' for --stats alone. */
export function groupOf(file: string, how: GroupHow): string | null {
  if (how.regex) return groupByRegex(how.regex)(baseName(file));
  if (how.fromMasses) return how.fromMasses.get(file) ?? how.fromMasses.get(baseName(file)) ?? null;
  return how.stats ? 'all' : null;
}

/** The --stats table at 80 columns (CSV and JSON have every key). */
export const STATS_TABLE_KEYS = ['name', 'n', 'ice_pct', 'q_dis_mAh_g', 'q_ch_mAh_g', 'retention_pct'];

/**
 * Put each file's row in its group (a `group` key after `name`) and, with --stats, append per
 * group the rows "G (mean)" and "G (sd)" (sample SD, n − 1, over the files where the key is a
 * number) after the last file, and the statistics under `groups` in every file's JSON.
 */
export function withGroups(rs: FileResult[], how: GroupHow, warn: (file: string, message: string) => void): FileResult[] {
  const rule = how.regex ? `--group-by /${how.regex.source}/ on the file name (its first capture group, else the whole match)` : how.fromMasses ? 'the group column (third) of the --masses file' : 'all files in one group (no --group-by or group column)';
  const out = rs.map((r) => {
    const g = groupOf(r.file, how);
    if (g === null) warn(r.file, how.regex ? `the file name does not match --group-by /${how.regex.source}/: in no group` : 'no group for this file in the --masses file: in no group');
    const { file, name, ...rest } = r.rows[0]!;
    const row: Row = { file, name, group: g, ...rest };
    const assumptions = { ...(r.doc.assumptions as Row), group_rule: rule, ...(how.stats ? { stats: 'per group: n files; mean and sample SD (n − 1) of every numeric key over the files where it is a number' } : {}) };
    return { ...r, rows: [row], doc: { ...row, ...r.doc, group: g, assumptions } };
  });
  if (!how.stats) return out.map((r) => ({ ...r, tableKeys: ['name', 'group', ...(r.tableKeys ?? []).filter((k) => k !== 'name')] }));
  const stats = groupStats(out.map((r) => r.rows[0]!), (row) => row.group as string | null);
  const statRows = groupRows(stats);
  const last = out.length - 1;
  const partial = stats.flatMap((g) => Object.entries(g.count).filter(([k, c]) => c > 0 && c < g.n && STATS_TABLE_KEYS.includes(k)).map(([k, c]) => `${g.group}: ${k} over ${c} of ${g.n} files`));
  const line = `groups: ${rule}; "(mean)" and "(sd)" rows: n files, mean and sample SD (n−1)${partial.length ? ` (${partial.join('; ')})` : ''}`;
  return out.map((r, k) => ({
    ...r,
    doc: { ...r.doc, groups: stats },
    rows: k === last ? [...r.rows, ...statRows] : r.rows,
    tableKeys: r.rows[0]!.mass_mg === null ? STATS_TABLE_KEYS.map((x) => x.replace(/_mAh_g$/, '_mAh')) : STATS_TABLE_KEYS,
    assumptionLine: `${r.assumptionLine}; ${line}`,
  }));
}

/** Sort rows by a key (prefix '-' for descending); nulls last. */
export function sortResults(results: FileResult[], key: string): FileResult[] {
  const desc = key.startsWith('-');
  const k = desc ? key.slice(1) : key;
  if (results.length && !(k in results[0]!.rows[0]!)) throw new UsageError(`--sort: no key '${k}'; keys are ${Object.keys(results[0]!.rows[0]!).join(', ')}`);
  return [...results].sort((a, b) => {
    const x = a.rows[0]![k], y = b.rows[0]![k];
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return desc ? -c : c;
  });
}

export const command: CommandSpec = {
  name: 'summary',
  summary: 'one row per cell: ICE, capacities, slope/plateau, retention, cross-check',
  description: "One row per file with the headline figures of the single-file commands: first-cycle capacities, ICE, irreversible capacity, slope and plateau capacity at the split voltage, cycles, reversible capacity at the last cycle, retention after stabilization (blank with the reason when there are too few cycles) and the cross-check with the cycler's own summary. Files in the order given.",
  files: 'LAND exports; - or none for standard input',
  takes: { mass: true, first: true, join: true },
  options: [
    { flags: '--name <name>', description: 'sample name (one file only; default: the file name)' },
    { flags: '--sort <key>', description: 'sort by a key (prefix - for descending), e.g. --sort -ice_pct' },
    { flags: '--split <V>', description: 'split voltage for slope and plateau', parse: num('--split'), default: 0.1 },
    { flags: '--skip <S>', description: 'cycles to skip for retention', parse: int('--skip'), default: 20 },
    { flags: '--window <k>', description: 'cycles averaged for retention', parse: int('--window', 1), default: 5 },
    { flags: '--group-by <regex>', description: 'replicate group from the file name: the first capture group of REGEX (else the whole match), e.g. "^(HC\\d+)-"' },
    { flags: '--stats', description: 'per group: n, mean and sample SD of every numeric key, as rows "G (mean)" / "G (sd)" (JSON: groups)' },
    MATERIAL_OPTION,
    { flags: '-j, --jobs <n>', description: 'files processed in parallel (default: the number of cores)', parse: int('--jobs', 1) },
  ],
  examples: ['hcarb summary samples/npnhc-t1200.csv samples/npnhc-gitt.csv', 'hcarb summary samples/*.csv --sort -ice_pct --format csv > table.csv', "hcarb summary samples/npnhc-t1200.csv samples/npnhc-gitt.csv --group-by '^(npnhc)' --stats", "hcarb summary samples/npnhc-t1200.csv samples/npnhc-gitt.csv --stats --json | jq '.[0].groups[0].mean.ice_pct'", "hcarb summary samples/npnhc-t1200.csv --name NPNHC-T1200 --mass 3.8 --json | jq '.[0].ice_pct'"],
  fields: [
    { key: 'file', description: 'the input file as given' },
    { key: 'name', description: 'sample name (--name, or the file name without extension)' },
    ...MASS_FIELDS,
    { key: 'q_dis_mAh_g', description: 'first-cycle discharge (sodiation) capacity' },
    { key: 'q_ch_mAh_g', description: 'first-cycle charge (reversible) capacity' },
    { key: 'ice_pct', description: 'initial coulombic efficiency' },
    { key: 'irreversible_mAh_g', description: 'first-cycle irreversible capacity' },
    { key: 'split_v', description: 'split voltage for slope and plateau' },
    { key: 'dis_slope_mAh_g', description: 'cycle-1 discharge capacity above the split voltage' },
    { key: 'dis_plateau_mAh_g', description: 'cycle-1 discharge capacity below the split voltage' },
    { key: 'ch_slope_mAh_g', description: 'cycle-1 charge capacity above the split voltage' },
    { key: 'ch_plateau_mAh_g', description: 'cycle-1 charge capacity below the split voltage' },
    { key: 'dis_plateau_pct', description: 'plateau share of the cycle-1 discharge' },
    { key: 'ch_plateau_pct', description: 'plateau share of the cycle-1 charge' },
    { key: 'cycles', description: 'complete cycles' },
    { key: 'last_cycle', description: 'the last complete cycle' },
    { key: 'last_rev_mAh_g', description: 'reversible capacity of the last complete cycle' },
    { key: 'retention_pct', description: 'retention after stabilization (see hcarb retention); blank with retention_note' },
    { key: 'reference_cycles', description: 'the cycles retention refers to' },
    { key: 'final_cycles', description: 'the cycles retention compares with them' },
    { key: 'reference_mAh_g', description: 'mean reversible capacity of the reference cycles' },
    { key: 'final_mAh_g', description: 'mean reversible capacity of the final cycles' },
    { key: 'fade_pct_per_100_cycles', description: 'least-squares fade after the skipped cycles' },
    { key: 'retention_note', description: 'why retention is blank' },
    { key: 'crosscheck', description: "agrees / differs: the cycler's own cycle table against the records" },
    { key: 'crosscheck_max_diff_pct', description: 'largest difference in the cross-check' },
    { key: 'q_dis_mAh', description: 'first-cycle discharge capacity' },
    { key: 'q_ch_mAh', description: 'first-cycle charge capacity' },
    { key: 'irreversible_mAh', description: 'irreversible capacity' },
    { key: 'last_rev_mAh', description: 'reversible capacity of the last complete cycle' },
    { key: 'group', description: 'replicate group (--group-by, or the third column of --masses)' },
    { key: 'n', description: '--stats rows: files in the group' },
  ],
  docFields: [{ key: 'groups', description: '--stats: per group, n and the mean, sample SD and count of every numeric key (the same on every element)' }],
  async run(ctx, _args, files0, o) {
    const files = ctx.inputFiles(files0);
    if (o.name !== undefined && files.length > 1) throw new UsageError('--name names one file; with several files the names come from the file names');
    const sort = o.sort as string | undefined;
    const opts: SummaryOptions = { name: o.name as string | undefined, skip: o.skip as number, window: o.window as number, split: o.split as number, material: o.material as string };
    let regex: RegExp | undefined;
    if (o.groupBy !== undefined) {
      try { regex = new RegExp(String(o.groupBy)); } catch (e) { throw new UsageError(`--group-by: not a regular expression: ${(e as Error).message}`); }
    }
    const fromMasses = o.masses !== undefined && regex === undefined ? (await readMassesTable(ctx.io.open(String(o.masses)))).groups : undefined;
    const how: GroupHow = { regex, fromMasses: fromMasses?.size ? fromMasses : undefined, stats: Boolean(o.stats) };
    const grouping = how.regex !== undefined || how.fromMasses !== undefined || how.stats;
    const real = files.filter((f) => f !== '-');
    const jobs = Math.min((o.jobs as number | undefined) ?? availableParallelism(), real.length);
    let parallel: Promise<FileResult>[] | null = null;
    let n = 0;
    const finish = (rs: FileResult[]): FileResult[] => {
      let out = sort ? sortResults(rs, sort) : rs;
      if (grouping) out = withGroups(out, how, (file, msg) => ctx.warn(file, msg));
      return out;
    };
    await ctx.runFiles(files, o, (input, _o, c) => {
      if (jobs > 1 && real.length === files.length && !o.join) {
        parallel ??= summariseInParallel(files, jobs, c, opts);
        return parallel[n++]!;
      }
      return summaryCommand(input, c, opts);
    }, sort || grouping ? { finish } : undefined);
  },
};
