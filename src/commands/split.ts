/** `hcarb split`: sloping and plateau capacity of both branches at the split voltage. */
import { perFileRun } from './run.js';
import { MASS_FIELDS, int, num, type CommandSpec } from './spec.js';
import { splitCommand } from './cycling-run.js';

export const command: CommandSpec = {
  name: 'split',
  summary: 'sloping vs plateau capacity at 0.1 V',
  description: 'Sloping and plateau capacity of both branches of one cycle, split where the voltage first crosses the split voltage (linear interpolation between the bracketing records). Reading stops once that cycle is complete (--full reads to the end).',
  files: 'LAND exports; - or none for standard input',
  takes: { mass: true, first: true, join: true },
  options: [
    { flags: '--split <V>', description: 'split voltage in V', parse: num('--split'), default: 0.1 },
    { flags: '--cycle <n>', description: 'which cycle (1 = the first)', parse: int('--cycle', 1), default: 1 },
    { flags: '--full', description: 'read the whole file (default: stop once the cycle is complete)' },
  ],
  examples: ['hcarb split samples/npnhc-t1200.csv --mass 3.8', "hcarb split samples/npnhc-t1200.csv --split 0.08 --cycle 2 --json | jq '.[0].dis_plateau_pct'"],
  fields: [
    { key: 'file', description: 'the input file as given' },
    { key: 'split_v', description: 'split voltage' },
    { key: 'cycle', description: 'the cycle split' },
    { key: 'dis_slope_mAh_g', description: 'discharge capacity above the split voltage (sloping region)' },
    { key: 'dis_plateau_mAh_g', description: 'discharge capacity below the split voltage (plateau)' },
    { key: 'ch_slope_mAh_g', description: 'charge capacity above the split voltage' },
    { key: 'ch_plateau_mAh_g', description: 'charge capacity below the split voltage' },
    { key: 'dis_slope_pct', description: 'sloping share of the discharge' },
    { key: 'dis_plateau_pct', description: 'plateau share of the discharge' },
    { key: 'ch_slope_pct', description: 'sloping share of the charge' },
    { key: 'ch_plateau_pct', description: 'plateau share of the charge' },
    { key: 'dis_slope_mAh', description: 'discharge sloping capacity' },
    { key: 'dis_plateau_mAh', description: 'discharge plateau capacity' },
    { key: 'ch_slope_mAh', description: 'charge sloping capacity' },
    { key: 'ch_plateau_mAh', description: 'charge plateau capacity' },
    { key: 'dis_reached_split', description: 'whether the discharge reaches the split voltage' },
    { key: 'ch_reached_split', description: 'whether the charge starts below the split voltage' },
    ...MASS_FIELDS,
  ],
  docFields: [{ key: 'crosscheck', description: "comparison with the cycler's own cycle table" }],
  run: perFileRun((input, o, c) => splitCommand(input, { ...c, split: o.split as number, cycle: o.cycle as number, full: Boolean(o.full) })),
};
