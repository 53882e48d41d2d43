/**
 * `hcarb records`: the canonical records of any export. Checked against the file's own text
 * (the LAND sample: its columns as written) and the vendor's own export of a Neware binary.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CORPUS, HAVE_CORPUS, hcarb } from './helpers/io.js';

describe('hcarb records', () => {
  it('the LAND sample: one row per record, values as written, in canonical units', () => {
    const r = hcarb(['records', 'samples/npnhc-t1200.csv', '--format', 'csv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('line,time_s,step_time_s,current_mA,voltage_V,capacity_mAh,specific_capacity_mAh_g,state,vendor_cycle,vendor_step');
    const src = readFileSync('samples/npnhc-t1200.csv', 'utf8').trim().split('\n');
    expect(lines.length).toBe(src.length); // header + every data line
    // Line 400 of the file, column by column (Record,TestTime/Sec,StepTime/Sec,Current/mA,Capacity/mAh,SpeCap/mAh/g,…,Voltage/V)
    const head = src[0]!.split(','), raw = src[399]!.split(',');
    const col = (name: string) => Number(raw[head.indexOf(name)]);
    const got = lines.find((l) => l.startsWith('400,'))!.split(',');
    expect(Number(got[1])).toBe(col('TestTime/Sec'));
    expect(Number(got[3])).toBe(col('Current/mA'));
    expect(Number(got[4])).toBe(col('Voltage/V'));
    expect(Number(got[5])).toBe(col('Capacity/mAh'));
  });

  it('--fields, TSV, NDJSON and --no-header', () => {
    const tsv = hcarb(['records', 'samples/npnhc-t1200.csv', '--format', 'tsv', '--fields', 'time_s,voltage_V', '--no-header']).stdout.split('\n');
    expect(tsv[0]).toBe('0\t2.75');
    const nd = JSON.parse(hcarb(['records', 'samples/npnhc-t1200.csv', '--format', 'ndjson']).stdout.split('\n')[0]!) as Record<string, unknown>;
    expect(nd).toMatchObject({ line: 2, time_s: 0, state: 'rest', vendor_cycle: 1 });
    expect(hcarb(['records', 'samples/npnhc-t1200.csv', '--fields', 'nope']).code).toBe(2);
  });

  it.skipIf(!HAVE_CORPUS)('a Neware .nda equals the vendor export beside it (µA, mV, mAs), record for record', () => {
    const r = hcarb(['records', CORPUS + 'neware/fastnda_new_nda_file_v29.nda', '--format', 'csv']);
    const rows = r.stdout.trim().split('\n').slice(1).map((l) => l.split(','));
    const ref = readFileSync(CORPUS + 'neware/fastnda_new_nda_file_v29_reference.csv', 'utf8').trim().split('\n');
    const refHead = ref[0]!.split(',');
    const refRows = ref.slice(1).map((l) => l.split(','));
    expect(rows.length).toBe(refRows.length);
    const vi = refHead.findIndex((h) => /voltage/i.test(h)), ii = refHead.findIndex((h) => /current/i.test(h));
    for (let k = 0; k < rows.length; k += 37) {
      expect(Math.abs(Number(rows[k]![4]) * 1000 - Number(refRows[k]![vi]))).toBeLessThanOrEqual(0.051); // mV, written to 0.1
      expect(Math.abs(Number(rows[k]![3]) * 1000 - Number(refRows[k]![ii]))).toBeLessThanOrEqual(0.051); // µA
    }
  });
});
