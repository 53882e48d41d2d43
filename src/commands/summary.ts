/** `hcarb summary`: one row per cell with the headline figures, for a table of many cells. */
import type { Input } from '../io.js';
import { cycleRows, ice, retention, split } from '../analysis/metrics.js';
import { DataError, UsageError } from '../errors.js';
import type { FileResult, Row } from '../output/format.js';
import { runCycling } from './cycling.js';
import type { CommonOptions } from './common.js';

export interface SummaryOptions { name?: string; skip: number; window: number; split: number }

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
  const complete = rows.filter((r) => r.ce_pct !== null);
  const last = complete[complete.length - 1]!;
  const rev = (r: typeof last) => (data.first === 'discharge' ? [r.q_ch_mAh_g, r.q_ch_mAh] : [r.q_dis_mAh_g, r.q_dis_mAh]);
  let ret: Row = { retention_pct: null, reference_mAh_g: null, final_mAh_g: null, fade_pct_per_100_cycles: null, retention_note: null };
  try {
    const r = retention(data, run.mass, s.skip, s.window, input.name);
    ret = { retention_pct: r.retention_pct, reference_mAh_g: r.reference_mAh_g, final_mAh_g: r.final_mAh_g, fade_pct_per_100_cycles: r.fade_pct_per_100_cycles, retention_note: null };
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    ret.retention_note = `needs ${s.skip + 2 * s.window} cycles for --skip ${s.skip} --window ${s.window}`;
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
  if (ret.retention_note) notes.push(`retention left blank: the file has ${complete.length} complete cycles and ${ret.retention_note}`);
  return {
    file: input.name,
    doc: { ...row, assumptions: { ...run.assumptions, split_v: s.split, skip: s.skip, window: s.window, split_cycle: 1 }, warnings: run.warnings },
    rows: [row],
    tableKeys: ['name', 'mass_mg', run.mass.massMg !== null ? 'q_dis_mAh_g' : 'q_dis_mAh', 'ice_pct', run.mass.massMg !== null ? 'irreversible_mAh_g' : 'irreversible_mAh', 'dis_plateau_pct', 'cycles', run.mass.massMg !== null ? 'last_rev_mAh_g' : 'last_rev_mAh', 'retention_pct', 'crosscheck'],
    assumptionLine: `split ${s.split} V (cycle 1); retention --skip ${s.skip} --window ${s.window}`,
    warnings: run.warnings, notes,
  };
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
