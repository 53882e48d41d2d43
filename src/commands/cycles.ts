/** `hcarb cycles`: one row per cycle with both capacities and the coulombic efficiency. */
import { perFileRun } from './run.js';
import { MASS_FIELDS, type CommandSpec } from './spec.js';
import { cyclesCommand } from './cycling-run.js';

export const command: CommandSpec = {
  name: 'cycles',
  summary: 'per-cycle capacities and coulombic efficiency',
  description: "One row per cycle: discharge and charge capacity and CE_n = Q_ch,n / Q_dis,n × 100 %. Cycle n is the n-th discharge half-cycle and the charge after it, whatever the cycler's counter says.",
  files: 'LAND exports; - or none for standard input',
  takes: { mass: true, first: true, join: true },
  options: [],
  examples: ['hcarb cycles samples/npnhc-t1200.csv --mass 3.8', 'hcarb cycles samples/npnhc-t1200.csv --fields cycle,q_ch_mAh_g,ce_pct --format tsv', "hcarb cycles samples/npnhc-t1200.csv --format ndjson | jq -c 'select(.ce_pct < 99.8)'"],
  fields: [
    { key: 'file', description: 'the input file as given' },
    { key: 'cycle', description: 'cycle number n (the n-th discharge and the charge after it)' },
    { key: 'q_dis_mAh_g', description: 'discharge (sodiation) capacity per gram' },
    { key: 'q_ch_mAh_g', description: 'charge (desodiation) capacity per gram' },
    { key: 'ce_pct', description: 'coulombic efficiency Q_ch,n / Q_dis,n × 100 (empty for an incomplete cycle)' },
    { key: 'q_dis_mAh', description: 'discharge capacity' },
    { key: 'q_ch_mAh', description: 'charge capacity' },
    { key: 'vendor_cycle', description: "the cycler's own cycle counter (reported, never used)" },
    { key: 'first_line', description: 'first line of the cycle in the file' },
    { key: 'last_line', description: 'last line of the cycle in the file' },
    ...MASS_FIELDS,
  ],
  docFields: [{ key: 'cycles', description: 'the rows, one per cycle (without file and mass keys)' }, { key: 'crosscheck', description: "comparison with the cycler's own cycle table" }],
  run: perFileRun((input, _o, c) => cyclesCommand(input, c)),
};
