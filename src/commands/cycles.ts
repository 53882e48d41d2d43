/** `hcarb cycles`: one row per cycle with both capacities and the coulombic efficiency. */
import { perFileRun } from './run.js';
import { MASS_FIELDS, pos, type CommandSpec } from './spec.js';
import { MATERIAL_OPTION } from './common.js';
import { cyclesCommand } from './cycling-run.js';

export const command: CommandSpec = {
  name: 'cycles',
  summary: 'per-cycle capacities and coulombic efficiency',
  description: "One row per cycle: discharge and charge capacity and CE_n = Q_ch,n / Q_dis,n × 100 %, the constant-current density of each branch (and the C-rate with --nominal), the capacity-weighted average voltage ∫V dQ / Q and energy ∫V dQ of each branch, energy efficiency, hysteresis, end voltages and areal capacity (area from --area / --diameter, default a 12 mm disc). Cycle n is the n-th discharge half-cycle and the charge after it, whatever the cycler's counter says. The table shows a subset; CSV/JSON have every key.",
  files: 'LAND exports; - or none for standard input',
  takes: { mass: true, first: true, join: true },
  options: [
    { flags: '--nominal <mAh_g>', description: 'nominal specific capacity for the C-rate (e.g. 300)', parse: pos('--nominal') },
    MATERIAL_OPTION,
  ],
  examples: ['hcarb cycles samples/npnhc-t1200.csv --mass 3.8', 'hcarb cycles samples/npnhc-t1200.csv --fields cycle,q_ch_mAh_g,ce_pct --format tsv', 'hcarb cycles samples/npnhc-t1200.csv --nominal 300 --diameter 14 --format csv', "hcarb cycles samples/npnhc-t1200.csv --format ndjson | jq -c 'select(.ce_pct < 99.8)'"],
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
    { key: 'i_dis_mA', description: 'constant current of the discharge (median |I| of its CC records)' },
    { key: 'i_ch_mA', description: 'constant current of the charge' },
    { key: 'i_dis_mA_g', description: 'discharge current density' },
    { key: 'i_ch_mA_g', description: 'charge current density' },
    { key: 'c_rate', description: 'C-rate of the first branch: current density / nominal capacity (--nominal)' },
    { key: 'v_avg_dis_V', description: 'capacity-weighted average discharge voltage ∫V dQ / Q' },
    { key: 'v_avg_ch_V', description: 'capacity-weighted average charge voltage' },
    { key: 'e_dis_mWh', description: 'discharge energy ∫V dQ' },
    { key: 'e_ch_mWh', description: 'charge energy ∫V dQ' },
    { key: 'e_dis_mWh_g', description: 'discharge energy per gram (= Wh/kg)' },
    { key: 'e_ch_mWh_g', description: 'charge energy per gram' },
    { key: 'ee_pct', description: 'energy efficiency E_dis / E_ch × 100' },
    { key: 'hysteresis_V', description: 'voltage hysteresis: average charge − average discharge voltage' },
    { key: 'v_end_dis_V', description: 'voltage at the end of the discharge' },
    { key: 'v_end_ch_V', description: 'voltage at the end of the charge' },
    { key: 'q_dis_mAh_cm2', description: 'areal discharge capacity' },
    { key: 'q_ch_mAh_cm2', description: 'areal charge capacity' },
    ...MASS_FIELDS,
  ],
  docFields: [{ key: 'cycles', description: 'the rows, one per cycle (without file and mass keys)' }, { key: 'crosscheck', description: "comparison with the cycler's own cycle table" }],
  run: perFileRun((input, o, c) => cyclesCommand(input, c, { nominal: o.nominal as number | undefined, material: o.material as string })),
};
