// The bad-input corpus (test/fixtures/bad/): every file has an asserted outcome — a specific
// message with file and line and exit 1, or the correct result with a specific warning.
// The hand cell behind the land-* files: 0.5 mAh discharge, 0.4 mAh charge, so ICE = 80 %.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hcarb, one } from './helpers/io.js';

const B = 'test/fixtures/bad/';

type Case = [file: string, args: string[], code: number, stderr: RegExp, ice?: number];
const ERRORS: Case[] = [
  ['empty.csv', ['ice'], 1, /empty\.csv:1: the file is empty/],
  ['land-header-only.csv', ['ice'], 1, /land-header-only\.csv:1: the header is there but no records follow it/],
  ['land-binary-garbage.csv', ['ice'], 1, /land-binary-garbage\.csv:1: this is a binary file, not a text export/],
  ['land-latin1-micro.csv', ['ice'], 1, /land-latin1-micro\.csv:1: unknown unit .* \(the file is not UTF-8 and was read as GB18030; if it was saved in a Western code page, save it again as UTF-8\)/],
  ['land-nan.csv', ['ice'], 1, /land-nan\.csv:4: 'NaN' in column 'Voltage\/V' is not a number/],
  ['infinity.csv', ['ice'], 1, /infinity\.csv:3: '1e999' in column 'Capacity\/mAh' is out of range \(infinite\)/],
  ['land-infinity-text.csv', ['ice'], 1, /land-infinity-text\.csv:5: 'Infinity' in column 'Capacity\/mAh' is out of range/],
  ['land-10000-columns.csv', ['ice'], 1, /land-10000-columns\.csv:1: line has 10000 columns \(limit 2000\)/],
  ['land-no-sign-no-state.csv', ['ice'], 1, /land-no-sign-no-state\.csv:1: the current is never negative and the file has no state column, so discharge cannot be told from charge/],
  ['land-header-too-late.csv', ['ice'], 1, /land-header-too-late\.csv:1: not a LAND record export: no header row .* in the first 200 lines \(it starts with 'note 1,x'\)/],
  ['land-voltage-placeholder.csv', ['ice'], 1, /land-voltage-placeholder\.csv:2: no voltage value \(the cell in column 'Voltage\/V' is empty or a placeholder\); every record needs one/],
  ['not-land.csv', ['ice'], 1, /not-land\.csv:1: not a LAND record export/],
  ['no-voltage.csv', ['ice'], 1, /no-voltage\.csv:1: no voltage column/],
  ['non-numeric.csv', ['ice'], 1, /non-numeric\.csv:4: 'abc' in column 'Capacity\/mAh' is not a number/],
  ['bad-unit.csv', ['ice'], 1, /bad-unit\.csv:1: unknown unit 'kA'/],
  ['no-charge.csv', ['ice'], 1, /no-charge\.csv:5: cycle 1 is incomplete/],
  ['xlsx-no-record-sheet.xlsx', ['ice'], 1, /xlsx-no-record-sheet\.xlsx: no record sheet: the workbook has sheet 'Summary'/],
  ['xlsx-no-header.xlsx', ['ice'], 1, /xlsx-no-header\.xlsx:Record-Tab:1: no header row naming a voltage and a current column/],
  ['xlsx-text-in-number.xlsx', ['ice'], 1, /xlsx-text-in-number\.xlsx:Record-Tab:3: 'zero' in column 'Capacity\/mAh' is not a number/],
  ['xlsx-header-only.xlsx', ['ice'], 1, /xlsx-header-only\.xlsx:Record-Tab:1: the record sheet has a header but no records/],
  ['xlsx-truncated.xlsx', ['ice'], 1, /xlsx-truncated\.xlsx: the workbook is truncated or is not a zip file/],
  ['xlsx-not-a-workbook.xlsx', ['ice'], 1, /xlsx-not-a-workbook\.xlsx: this zip file is not an Excel workbook/],
  ['xlsx-encrypted.xlsx', ['ice'], 1, /xlsx-encrypted\.xlsx: this is an old binary Excel \(\.xls\) or an encrypted \(password-protected\) workbook/],
  ['xlsx-shared-strings-bomb.xlsx', ['ice'], 1, /xlsx-shared-strings-bomb\.xlsx: 'xl\/sharedStrings\.xml' inflates to more than 250 times its size; refusing it/],
  ['xlsx-broken-xml.xlsx', ['ice'], 1, /xlsx-broken-xml\.xlsx: sheet 'Record-Tab' is not valid XML/],
  ['xlsx-cell-beyond-last-column.xlsx', ['ice'], 1, /xlsx-cell-beyond-last-column\.xlsx: row 1 of sheet 'Record-Tab' has a cell beyond column 16384/],
  ['chi-empty.txt', ['eis'], 1, /chi-empty\.txt:1: the file is empty/],
  ['chi-no-numeric-data.txt', ['eis'], 1, /chi-no-numeric-data\.txt:\d+: no numeric data: the export has no column header/],
  ['chi-memo-only.txt', ['eis'], 1, /chi-memo-only\.txt:\d+: no numeric data/],
  ['chi-row-too-short.txt', ['eis'], 1, /chi-row-too-short\.txt:\d+: this row has 1 values, the rows before it 5/],
  ['chi-non-numeric.txt', ['eis'], 1, /chi-non-numeric\.txt:20: '8\.2S4e\+4' is not a number \(column 1, 'Freq\/Hz'\)/],
  ['chi-eis-frequencies-not-monotonic.txt', ['eis'], 1, /chi-eis-frequencies-not-monotonic\.txt:21: frequencies are not monotonic/],
  ['chi-cv-too-few-points.txt', ['cv'], 1, /too few points for a CV \(9\)/],
  ['chi-binary.bin', ['eis'], 1, /chi-binary\.bin:1: this is a binary file \(a CHI \.bin\?\), not a text export/],
  ['chi-date-only-garbage.txt', ['eis'], 1, /chi-date-only-garbage\.txt:4: numeric data before a column header/],
  ['land-voltage-implausible.csv', ['dqdv'], 1, /land-voltage-implausible\.csv:3: the voltage of cycle 1 discharge \(lines 3–5\) spans 2\.50e\+3 V, from 0 to 2500 V, outside any plausible cell voltage \(-5 to 10 V\); check the voltage column/],
];

const WARNINGS: Case[] = [
  ['land-truncated-mid-line.csv', ['ice'], 0, /warning: line 9 is truncated \(file still being written\?\): skipped/, 80],
  ['land-footer-line.csv', ['ice'], 0, /warning: line 9 is truncated/, 80],
  ['land-duplicated-header.csv', ['ice'], 0, /warning: 1 repeated header row\(s\) inside the data skipped \(first at line 5\)/, 80],
  ['land-time-backwards.csv', ['ice'], 0, /warning: time goes backwards 1 time \(first at line 7\); those intervals are not integrated/, 80],
  ['land-capacity-never-resets.csv', ['ice'], 0, /warning: the capacity column does not restart when the current reverses \(1 half-cycles, first at line 6\): capacities are taken as differences/, 80],
  ['land-voltage-implausible.csv', ['ice'], 0, /warning: the voltage reaches 2800 V \(line 2\), outside any plausible cell voltage/, 80],
  ['land-only-rests.csv', ['ice'], 0, /warning: 2 half-cycle\(s\) are marked charge or discharge by the state column but carry no current/, 80],
  ['land-rest-current-noise.csv', ['ice'], 0, /warning: 4 stretch\(es\) of current below 0\.5 % of the largest current \(first at lines 2–2\) taken as rest/, 90],
  ['land-cycle-without-charge.csv', ['cycles'], 0, /warning: cycle 2 has no charge \(the run ends after its discharge\): its CE is empty/],
  ['land-mixed-decimal.txt', ['ice'], 0, /^(?![\s\S]*(error|hcarb: [^\n]*:\d+:))/, 80],
  ['land-semicolon-decimal-comma.csv', ['ice'], 0, /^(?![\s\S]*:\d+:)/, 80],
  ['land-quoted-fields.csv', ['ice'], 0, /^(?![\s\S]*:\d+:)/, 80],
  ['land-mixed-line-endings.csv', ['ice'], 0, /^(?![\s\S]*:\d+:)/, 80],
  ['land-utf16-bom.csv', ['ice'], 0, /^(?![\s\S]*:\d+:)/, 80],
];

describe('bad input refused with file, line and a reason (exit 1)', () => {
  it.each(ERRORS)('%s', (file, args, code, message) => {
    const r = hcarb([...args, B + file, '--format', 'csv']);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });
});

describe('odd input read correctly, with a specific warning where something was off', () => {
  it('chi-eis-too-few-points.txt: a fit, with a warning on the 6 points and undetermined parameters null', () => {
    const r = hcarb(['eis', B + 'chi-eis-too-few-points.txt', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: only 6 points for 8 free parameters/);
    const d = JSON.parse(r.stdout)[0] as { undetermined: string[] };
    expect(d.undetermined.length).toBeGreaterThan(0);
  });
  it.each(WARNINGS)('%s', (file, args, code, message, ice) => {
    const r = hcarb([...args, B + file, '--json']);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    if (ice !== undefined) expect((one(r.stdout) as { ice_pct: number }).ice_pct).toBeCloseTo(ice, 10);
  });
});

describe('limits and parameters', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hcarb-bad-'));
  it('a 10 MB single line is refused with its line number', () => {
    const f = join(dir, 'one-line.csv');
    writeFileSync(f, 'Record,TestTime/Sec,Current/mA,Capacity/mAh,Voltage/V\n' + '1,'.repeat(5 << 20));
    const r = hcarb(['ice', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/one-line\.csv:2: line is longer than 1048576 characters/);
  });
  it.each([['--mass', '0'], ['--mass', '-3.8'], ['--loading', '0'], ['--diameter', '-12']])('%s %s is a usage error', (flag, v) => {
    const r = hcarb(['ice', 'samples/npnhc-t1200.csv', flag, v]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${flag} must be a positive number`));
  });
  it('a quarter of a million half-cycles (a current that flips every second record) do not overflow the stack', () => {
    const f = join(dir, 'flipping.csv');
    const lines = ['Record,TestTime/Sec,Current/mA,Voltage/V'];
    for (let k = 1; k <= 500_000; k++) lines.push(`${k},${k},${(k >> 1) % 2 ? -0.5 : 0.5},${(k >> 1) % 2 ? 1 : 2}`);
    writeFileSync(f, lines.join('\n') + '\n');
    const r = hcarb(['ice', f, '--mass', '1', '--format', 'csv']);
    expect(r.stderr).not.toMatch(/internal error|call stack/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^file,/);
  });
  it('a zero mass in a --masses file names the line', () => {
    const m = join(dir, 'masses.csv');
    writeFileSync(m, 'file,mass_mg\nnpnhc-t1200.csv,0\n');
    const r = hcarb(['ice', 'samples/npnhc-t1200.csv', '--masses', m]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/masses\.csv:2: expected 'file,mass_mg' with a positive mass/);
  });
  it('every fixture in the folder has an asserted outcome', async () => {
    const { readdirSync } = await import('node:fs');
    const covered = new Set([...ERRORS, ...WARNINGS].map((c) => c[0]));
    const extra = new Set(['hand-small.csv', 'chi-eis-too-few-points.txt']) // the latter has its own test above;
    expect(readdirSync(B).filter((f) => !covered.has(f) && !extra.has(f))).toEqual([]);
    expect(covered.size).toBeGreaterThanOrEqual(39);
  });
});
