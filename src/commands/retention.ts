/** `hcarb retention`: capacity retention after the stabilization cycles, and the fade rate. */
import { perFileRun } from './run.js';
import { MASS_FIELDS, int, type CommandSpec } from './spec.js';
import { retentionCommand } from './cycling-run.js';
import { parseCycleList } from './common.js';

export const command: CommandSpec = {
  name: 'retention',
  summary: 'capacity retention after stabilization, fade rate',
  description: 'Retention = mean reversible capacity of the last k cycles / mean of cycles S+1…S+k × 100 %, the plain last/(S+1) ratio, and the least-squares fade rate after S. --ref-cycle N takes one cycle as the reference instead of the window; --at 100,200 gives one row per cycle asked for: its reversible capacity and its retention against the reference.',
  files: 'LAND exports; - or none for standard input',
  takes: { mass: true, first: true, join: true },
  options: [
    { flags: '--skip <S>', description: 'formation / stabilization cycles to skip', parse: int('--skip'), default: 20 },
    { flags: '--window <k>', description: 'cycles averaged at each end', parse: int('--window', 1), default: 5 },
    { flags: '--ref-cycle <n>', description: 'reference = the reversible capacity of cycle n (instead of the mean of cycles S+1…S+k)', parse: int('--ref-cycle', 1) },
    { flags: '--at <cycles>', description: 'rows are these cycles (e.g. 100,200): capacity and retention against the reference', parse: (v: string) => parseCycleList('--at', v) },
  ],
  examples: ['hcarb retention samples/npnhc-t1200.csv --mass 3.8', "hcarb retention samples/npnhc-t1200.csv --ref-cycle 3 --at 10,40 --json | jq '.[0].at[1].retention_pct'", "hcarb retention samples/npnhc-t1200.csv --skip 5 --window 3 --json | jq '.[0].retention_pct'"],
  fields: [
    { key: 'file', description: 'the input file as given' },
    { key: 'retention_pct', description: 'mean of the last k cycles / mean of cycles S+1…S+k × 100 (reversible branch)' },
    { key: 'reference_mAh_g', description: 'mean reversible capacity of cycles S+1…S+k' },
    { key: 'final_mAh_g', description: 'mean reversible capacity of the last k cycles' },
    { key: 'plain_ratio_pct', description: 'last cycle / cycle S+1 × 100' },
    { key: 'fade_mAh_g_per_cycle', description: 'least-squares slope of capacity against cycle after S' },
    { key: 'fade_pct_per_100_cycles', description: 'the slope as % of the reference per 100 cycles' },
    { key: 'reference_mAh', description: 'reference capacity' },
    { key: 'final_mAh', description: 'final capacity' },
    { key: 'fade_mAh_per_cycle', description: 'fade slope' },
    { key: 'skip', description: 'S, the cycles skipped' },
    { key: 'window', description: 'k, the cycles averaged' },
    { key: 'cycles', description: 'complete cycles in the file' },
    { key: 'reference_cycles', description: 'the reference cycles (S+1–S+k)' },
    { key: 'final_cycles', description: 'the final cycles' },
    { key: 'cycle', description: '--at: the cycle of this row' },
    { key: 'q_rev_mAh_g', description: '--at: reversible capacity of the cycle' },
    { key: 'q_rev_mAh', description: '--at: reversible capacity of the cycle' },
    ...MASS_FIELDS,
  ],
  docFields: [{ key: 'crosscheck', description: "comparison with the cycler's own cycle table" }, { key: 'at', description: '--at: one object per cycle asked for (the rows)' }],
  run: perFileRun((input, o, c) => retentionCommand(input, { ...c, skip: o.skip as number, window: o.window as number, refCycle: o.refCycle as number | undefined, at: o.at as number[] | undefined })),
};
