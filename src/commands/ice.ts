/** `hcarb ice`: first-cycle capacities, initial coulombic efficiency and irreversible capacity. */
import { perFileRun } from './run.js';
import { MASS_FIELDS, type CommandSpec, type FieldSpec } from './spec.js';
import { iceCommand } from './cycling-run.js';
import { MATERIAL_OPTION } from './common.js';

export const ICE_FIELDS: FieldSpec[] = [
  { key: 'file', description: 'the input file as given' },
  { key: 'cycle', description: 'the cycle (always 1)' },
  { key: 'q_dis_mAh_g', description: 'first-cycle discharge (sodiation) capacity per gram' },
  { key: 'q_ch_mAh_g', description: 'first-cycle charge (desodiation, reversible) capacity per gram' },
  { key: 'ice_pct', description: 'initial coulombic efficiency Q_ch,1 / Q_dis,1 × 100' },
  { key: 'irreversible_mAh_g', description: 'irreversible capacity Q_dis,1 − Q_ch,1 per gram' },
  { key: 'q_dis_mAh', description: 'first-cycle discharge capacity' },
  { key: 'q_ch_mAh', description: 'first-cycle charge capacity' },
  { key: 'irreversible_mAh', description: 'irreversible capacity' },
  { key: 'first_line', description: 'first line of the cycle in the file' },
  { key: 'last_line', description: 'last line of the cycle in the file' },
  ...MASS_FIELDS,
];

export const command: CommandSpec = {
  name: 'ice',
  summary: 'first-cycle capacities, ICE and irreversible capacity',
  description: 'First-cycle insertion (discharge) and extraction (charge) capacity, initial coulombic efficiency ICE = Q_ch,1 / Q_dis,1 × 100 %, and the irreversible capacity Q_dis,1 − Q_ch,1. Reading stops once cycle 1 is complete (the file-wide checks then cover what was read; --full reads to the end). An ICE above 100 % (is --first right?), a mass that looks like a loading, and more than 2000 mAh/g for a carbon are warned about.',
  files: 'LAND exports (.csv, .txt, .xlsx); - or none for standard input',
  takes: { mass: true, first: true, join: true },
  options: [
    { flags: '--full', description: 'read the whole file (default: stop once cycle 1 is complete)' },
    MATERIAL_OPTION,
  ],
  examples: ['hcarb ice samples/npnhc-t1200.csv --mass 3.8', "hcarb ice samples/*.csv --json | jq '.[].ice_pct'", 'cat samples/npnhc-t1200.csv | hcarb ice - --format ndjson'],
  fields: ICE_FIELDS,
  docFields: [{ key: 'crosscheck', description: "comparison with the cycler's own cycle table, when the file has one" }],
  run: perFileRun((input, o, c) => iceCommand(input, c, { full: Boolean(o.full), material: o.material as string })),
};
