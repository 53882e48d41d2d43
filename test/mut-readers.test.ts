// Mutation tests (issue 20 point 4) for the LAND reader's number handling: header units and their
// scales (src/readers/land/columns.ts), cells → numbers and times (land.ts makeNumberReader,
// makeTextTimeReader, recordFromCells), the fast path's byte scanner (scanline.ts) and the CHI
// Multi-Current Steps schedule → records (readers/chi/records.ts). Every expected
// value is worked by hand from the text in the test, or is JavaScript's own Number() of the same text
// (an oracle independent of our byte scanner).
import { describe, expect, it } from 'vitest';
import { looksLikeHeader, matchColumns, matchHeader, normUnit, parseDuration, stateKind } from '../src/readers/land/columns.js';
import { makeNumberReader, makeTextTimeReader, newSourceInfo, planFromHeader, recordFromCells } from '../src/readers/land/land.js';
import type { Plan } from '../src/readers/land/land.js';
import { parseLine, scanInto, scanState, slotViews, stateOf, SLOT_BYTES_PER_LINE } from '../src/readers/land/scanline.js';
import type { ColumnInfo } from '../src/types.js';
import type { ChiFile } from '../src/readers/chi/chi.js';
import { istepRecords, istepSchedule } from '../src/readers/chi/records.js';
import { DataError } from '../src/errors.js';
import { seededRandom } from './helpers/io.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('header cells: field, unit and the factor to canonical units', () => {
  it('units of each field scale to s, V, mA, mAh and mAh/g', () => {
    // [header, field, unit as written, factor]: 1 h = 3600 s, 1 min = 60 s, 1 ms = 0.001 s, 1 mV = 0.001 V,
    // 1 µA = 0.001 mA, 1 A = 1000 mA, 1 nA = 1e-6 mA, 1 Ah = 1000 mAh, 1 µAh = 0.001 mAh, 1 µAh/g = 0.001 mAh/g
    const cases: [string, string, string, number][] = [
      ['TestTime/Sec', 'timeS', 'Sec', 1], ['TestTime/Sec.', 'timeS', 'Sec.', 1], ['Test Time/min', 'timeS', 'min', 60],
      ['TestTime/Min.', 'timeS', 'Min.', 60], ['TestTime/h', 'timeS', 'h', 3600], ['TestTime/hr', 'timeS', 'hr', 3600],
      ['TestTime/hour', 'timeS', 'hour', 3600], ['TestTime/ms', 'timeS', 'ms', 0.001], ['Test_Time(s)', 'timeS', 's', 1],
      ['TestTime/seconds', 'timeS', 'seconds', 1], ['TestTime/second', 'timeS', 'second', 1],
      ['StepTime/min', 'stepTimeS', 'min', 60], ['Step Time/h', 'stepTimeS', 'h', 3600], ['StepTime/ms', 'stepTimeS', 'ms', 0.001],
      ['Voltage/V', 'voltageV', 'V', 1], ['Voltage/mV', 'voltageV', 'mV', 0.001], ['Voltage', 'voltageV', '', 1], ['电压/V', 'voltageV', 'V', 1],
      ['Current/mA', 'currentMA', 'mA', 1], ['Current/uA', 'currentMA', 'uA', 0.001], ['Current/µA', 'currentMA', 'µA', 0.001],
      ['Current/μA', 'currentMA', 'μA', 0.001], ['Current/A', 'currentMA', 'A', 1000], ['Current/nA', 'currentMA', 'nA', 1e-6],
      ['Current(mA)', 'currentMA', 'mA', 1], ['Current', 'currentMA', '', 1],
      ['Capacity/mAh', 'capacityMAh', 'mAh', 1], ['Capacity/uAh', 'capacityMAh', 'uAh', 0.001], ['Capacity/Ah', 'capacityMAh', 'Ah', 1000],
      ['Capacity/nAh', 'capacityMAh', 'nAh', 1e-6], ['Cap/mAh', 'capacityMAh', 'mAh', 1], ['Capacity', 'capacityMAh', '', 1],
      ['SpeCap/mAh/g', 'specificCapacityMAhG', 'mAh/g', 1], ['SpeCap/Ah/kg', 'specificCapacityMAhG', 'Ah/kg', 1],
      ['SpeCap/uAh/mg', 'specificCapacityMAhG', 'uAh/mg', 1], ['SpeCap/uAh/g', 'specificCapacityMAhG', 'uAh/g', 0.001],
      ['SpeCap', 'specificCapacityMAhG', '', 1],
    ];
    for (const [h, field, unit, scale] of cases) {
      const m = matchHeader(h, 4);
      expect(m?.info, h).toBeDefined();
      expect(m!.info!, h).toEqual({ header: h, index: 4, canonical: field, unit, scale });
      expect(m!.unitProblem, h).toBeUndefined();
    }
  });

  it('a time column without a unit has no factor (NaN: plain numbers are read as seconds with a note)', () => {
    expect(Number.isNaN(matchHeader('TestTime', 0)!.info!.scale)).toBe(true);
    expect(Number.isNaN(matchHeader('StepTime', 0)!.info!.scale)).toBe(true);
  });

  it('fields without a unit table keep factor 1 whatever follows their name', () => {
    expect(matchHeader('Cycle/no', 2)!.info).toEqual({ header: 'Cycle/no', index: 2, canonical: 'cycleIndex', unit: 'no', scale: 1 });
    expect(matchHeader('Record', 0)!.info!.canonical).toBe('index');
    expect(matchHeader('State', 0)!.info!.canonical).toBe('state');
    expect(matchHeader('Step Index', 0)!.info!.canonical).toBe('stepIndex');
  });

  it('an unknown unit is a problem naming the header, the unit and what is expected, not a column', () => {
    expect(matchHeader('Current/kA', 0)).toEqual({ unitProblem: { header: 'Current/kA', unit: 'kA', expected: 'mA, uA or A', field: 'currentMA' } });
    expect(matchHeader('Voltage/kV', 0)).toEqual({ unitProblem: { header: 'Voltage/kV', unit: 'kV', expected: 'V or mV', field: 'voltageV' } });
    expect(matchHeader('TestTime/days', 0)).toEqual({ unitProblem: { header: 'TestTime/days', unit: 'days', expected: 'Sec, Min or h', field: 'timeS' } });
    expect(matchHeader('Capacity/Wh', 0)).toEqual({ unitProblem: { header: 'Capacity/Wh', unit: 'Wh', expected: 'mAh, uAh or Ah', field: 'capacityMAh' } });
    expect(matchHeader('SpeCap/mAh', 0)).toEqual({ unitProblem: { header: 'SpeCap/mAh', unit: 'mAh', expected: 'mAh/g', field: 'specificCapacityMAhG' } });
    // a unit in brackets is the unit only when the brackets enclose all of it
    expect(matchHeader('Current/m(A)', 0)?.unitProblem?.unit).toBe('m(A)');
    expect(matchHeader('Current(m)A', 0)?.unitProblem?.unit).toBe('(m)A');
    expect(matchHeader('Voltage(kV)', 0)?.unitProblem).toEqual({ header: 'Voltage(kV)', unit: 'kV', expected: 'V or mV', field: 'voltageV' });
    // a capacity in a specific unit is the specific capacity (it was an unknown unit of 'Capacity')
    expect(matchHeader('Cap/mAh/g', 3)!.info).toEqual({ header: 'Cap/mAh/g', index: 3, canonical: 'specificCapacityMAhG', unit: 'mAh/g', scale: 1 });
    expect(matchHeader('Capacity/uAh/g', 3)!.info).toEqual({ header: 'Capacity/uAh/g', index: 3, canonical: 'specificCapacityMAhG', unit: 'uAh/g', scale: 0.001 });
    expect(matchHeader('Capacity', 3)!.info!.canonical).toBe('capacityMAh'); // no unit: still the capacity
  });

  it('the longest alias wins (Step Index is not Step Time, SpeCap is not Cap), and names must end at / or (', () => {
    expect(matchHeader('cycle index', 0)!.info!.canonical).toBe('cycleIndex');
    expect(matchHeader('Capacity/mAh', 0)!.info!.unit).toBe('mAh'); // 'cap' would leave 'acity/mAh'
    expect(matchHeader('Volta', 0)).toBeNull();
    expect(matchHeader('Voltages/V', 0)).toBeNull(); // 'voltage' followed by 's', not '/' or '('
    expect(matchHeader('  ', 0)).toBeNull();
    expect(matchHeader(' Current/mA ', 1)!.info!.header).toBe('Current/mA');
  });

  it('normUnit lower-cases, maps both micro signs to u and drops one pair of brackets', () => {
    expect(normUnit(' (µAh) ')).toBe('uah');
    expect(normUnit('μA')).toBe('ua');
    expect(normUnit('MA')).toBe('ma');
    expect(normUnit('(s)')).toBe('s');
    expect(normUnit('u(ah)')).toBe('u(ah'); // only a leading '(' and a trailing ')' go
    expect(normUnit('(a)b')).toBe('a)b');
  });

  it('matchColumns: the first column of a field wins, unknown names are ignored, unit problems listed', () => {
    const m = matchColumns(['Record', 'Voltage/V', 'Voltage/mV', 'Current/kA', 'Current/mA', ' Remark ', '', '  ']);
    expect(m.columns.get('voltageV')!.index).toBe(1);
    expect(m.columns.get('currentMA')!.index).toBe(4);
    expect(m.columns.get('index')!.index).toBe(0);
    expect(m.ignored).toEqual(['Voltage/mV', 'Remark']);
    expect(m.unitProblems).toEqual([{ header: 'Current/kA', unit: 'kA', expected: 'mA, uA or A', field: 'currentMA' }]);
  });

  it('looksLikeHeader: voltage and current, or three known columns with one of them', () => {
    expect(looksLikeHeader(['Voltage/V', 'Current/mA'])).toBe(true);
    expect(looksLikeHeader(['Voltage/V', 'Capacity/mAh'])).toBe(false); // two known, no current
    expect(looksLikeHeader(['Voltage/V', 'Capacity/mAh', 'TestTime/s'])).toBe(true);
    expect(looksLikeHeader(['Record', 'State', 'Voltage/V', 'Capacity/mAh'])).toBe(false); // index and state do not count
    expect(looksLikeHeader(['Current/mA', 'Capacity/mAh', 'StepTime/s'])).toBe(true);
    expect(looksLikeHeader(['Capacity/mAh', 'SpeCap/mAh/g', 'TestTime/s'])).toBe(false); // neither V nor I
    // a unit problem still tells which field the column is
    expect(looksLikeHeader(['Voltage/kV', 'Current/mA'])).toBe(true);
    expect(looksLikeHeader(['Voltage/V', 'Current/kA'])).toBe(true);
    expect(looksLikeHeader(['Voltage/kV', 'Capacity/Wh', 'TestTime/s'])).toBe(true);
    expect(looksLikeHeader([])).toBe(false);
    expect(looksLikeHeader(['Remark', 'Voltage/V', 'Note', 'Current/mA'])).toBe(true); // unknown names are passed over
    expect(looksLikeHeader([' Voltage/kV ', 'Current/mA'])).toBe(true);
    // a unit in brackets that is not understood still names its field (it was 'no header' before)
    expect(looksLikeHeader(['Voltage(kV)', 'Current/mA'])).toBe(true);
    expect(looksLikeHeader(['Record', 'Volt(kV)', 'Capacity/mAh', 'TestTime/s'])).toBe(true);
  });
});

describe('a header with a unit hcarb does not know', () => {
  it('voltage, current or capacity: an error naming the column and the units expected; another column: a note, then ignored', () => {
    const plan = (cells: string[]) => { try { return planFromHeader(cells, newSourceInfo('f.csv'), 'f.csv', 3); } catch (e) { return e as DataError; } };
    const cases: [string[], string, string, string][] = [
      [['Record', 'Voltage(kV)', 'Current/mA'], 'Voltage(kV)', 'kV', 'V or mV'],
      [['Record', 'Volt/kV', 'Current/mA'], 'Volt/kV', 'kV', 'V or mV'],
      [['Record', 'Voltage/V', '电流/kA'], '电流/kA', 'kA', 'mA, uA or A'],
      [['Record', 'Voltage/V', 'Current/mA', 'Cap/Wh'], 'Cap/Wh', 'Wh', 'mAh, uAh or Ah'],
    ];
    for (const [cells, h, unit, expected] of cases) {
      const e = plan(cells);
      expect(e, h).toBeInstanceOf(DataError);
      expect((e as DataError).message, h).toBe(`unknown unit '${unit}' in column '${h}'; expected ${expected}`);
      expect((e as DataError).line).toBe(3);
    }
    // a second capacity column in a unit hcarb does not know, beside one it knows: passed over with a note
    const two = newSourceInfo('f.csv');
    expect(planFromHeader(['Voltage/V', 'Current/mA', 'Capacity/mAh', 'Capacity/Wh'], two, 'f.csv', 1).capacity!.header).toBe('Capacity/mAh');
    expect(two.notes).toContain("column 'Capacity/Wh' ignored: unit 'Wh' not understood");
    const info = newSourceInfo('f.csv');
    const p = planFromHeader(['Voltage/V', 'Current/mA', 'Capacity/mAh', 'TestTime/days'], info, 'f.csv', 1);
    expect(p.time).toBeUndefined();
    expect(info.notes).toContain("column 'TestTime/days' ignored: unit 'days' not understood");
  });
});

describe('state cells', () => {
  it('rest, charge and discharge words of LAND, LANHE and Chinese exports; the set point after a mode', () => {
    for (const s of ['R', 'rest', 'OCV', 'Pause', 'wait', '静置', '搁置']) expect(stateKind(s), s).toBe('R');
    for (const s of ['RateC', 'CCC', 'C_CC', 'CV', 'CCCV', 'CC_Chg', 'Charge', 'CC', 'CPC', '恒流充电']) expect(stateKind(s), s).toBe('C');
    for (const s of ['RateD', 'CCD', 'D_CC', 'D_CV', 'CC_DChg', 'Discharge', 'DC', 'CPD', '恒流放电']) expect(stateKind(s), s).toBe('D');
    expect(stateKind('D_CC 0.01 mA')).toBe('D');
    expect(stateKind('C_CV 0.8 V')).toBe('C');
    expect(stateKind(' 工步静置中 ')).toBe('R');
    expect(stateKind('loop')).toBeNull();
    expect(stateKind('loop 3')).toBeNull();
    expect(stateKind('')).toBeNull();
    expect(stateKind(' RateD ')).toBe('D');
  });
});

describe('durations as LAND writes them', () => {
  it('D-HH:MM:SS, D.HH:MM:SS, D HH:MM:SS.mmm, H:MM:SS (hours past 24), MM:SS', () => {
    expect(parseDuration('1-02:03:04')).toBe(86400 + 2 * 3600 + 3 * 60 + 4); // 93784
    expect(parseDuration('2.00:00:01')).toBe(2 * 86400 + 1);
    expect(parseDuration('0 01:00:00.250')).toBe(3600.25);
    expect(parseDuration('27:30:15')).toBe(27 * 3600 + 30 * 60 + 15); // 99015
    expect(parseDuration('12:34')).toBe(12 * 60 + 34);
    expect(parseDuration('5:07.5')).toBe(307.5);
    expect(parseDuration(' 1:00:00 ')).toBe(3600);
  });
  it('anything else is not a duration', () => {
    for (const s of ['', '12', '1:2:3:4', 'a:bc', '1-2', '1234567-00:00:00', '1:123', '1:00:00:', '1' + ':00'.repeat(20)]) expect(parseDuration(s), s).toBeNull();
    expect(parseDuration('0'.repeat(38) + ':1')).toBeNull(); // 40 characters but 38 minute digits
    expect(parseDuration('1:00:00'.padStart(41, ' ').padEnd(45, ' '))).toBe(3600); // trimmed before the length check
  });
});

describe('cells → numbers (the general parser)', () => {
  it('numbers as Number() reads them, decimal comma when the file uses it, placeholders null', () => {
    const num = makeNumberReader('f.csv', false);
    expect(num('  3.25 ', 5, 'Voltage/V')).toBe(3.25);
    expect(num('-1e-3', 5, 'Current/mA')).toBe(-0.001);
    for (const p of [undefined, '', '  ', '-', '--']) expect(num(p, 5, 'h')).toBeNull();
    const comma = makeNumberReader('f.csv', true);
    expect(comma('3,25', 5, 'Voltage/V')).toBe(3.25);
    expect(comma('3.25', 5, 'Voltage/V')).toBe(3.25);
    expect(() => num('3,25', 5, 'Voltage/V')).toThrow(DataError);
  });
  it('text, hex and infinite values are refused with the cell, the column and the line', () => {
    const num = makeNumberReader('f.csv', false);
    const err = (cell: string) => { try { num(cell, 7, 'Current/mA'); } catch (e) { return e as DataError; } return null; };
    const a = err('abc')!;
    expect(a).toBeInstanceOf(DataError);
    expect(a.message).toBe("'abc' in column 'Current/mA' is not a number; correct that cell, or export the file again from the cycler software");
    expect(a.file).toBe('f.csv');
    expect(a.line).toBe(7);
    for (const c of ['0x10', '0X1f', '0b11', '0o7']) expect(err(c)?.message, c).toMatch(/^'0[xXbo][0-9a-f]+' in column 'Current\/mA' is not a number/);
    expect(err('1e999')!.message).toBe("'1e999' in column 'Current/mA' is out of range (infinite); correct that cell, or export the file again from the cycler software");
    expect(err('-Infinity')!.message).toMatch(/is out of range \(infinite\)/);
    expect([err('1e999')!.file, err('1e999')!.line]).toEqual(['f.csv', 7]);
    expect(err('x'.repeat(50))!.message).toBe(`'${'x'.repeat(40)}…' in column 'Current/mA' is not a number; correct that cell, or export the file again from the cycler software`);
    expect(err('0')).toBeNull();
  });

  it('time cells: seconds in the header unit, or duration text unscaled; a unitless column noted once', () => {
    const info = newSourceInfo('f.csv');
    const time = makeTextTimeReader('f.csv', false, info);
    const col = (unit: string, scale: number): ColumnInfo => ({ header: `TestTime/${unit}`, index: 0, canonical: 'timeS', unit, scale });
    expect(time('1.5', col('h', 3600), 3)).toBe(5400);
    expect(time('2', col('min', 60), 3)).toBe(120);
    expect(time('1-00:00:10', col('h', 3600), 3)).toBe(86410); // a duration is already in seconds
    expect(time(undefined, col('s', 1), 3)).toBeNull();
    expect(time(' - ', col('s', 1), 3)).toBeNull();
    expect(time('', col('s', 1), 3)).toBeNull();
    expect(info.notes).toEqual([]);
    const bare: ColumnInfo = { header: 'TestTime', index: 0, canonical: 'timeS', unit: '', scale: NaN };
    expect(time('42', bare, 3)).toBe(42);
    expect(time('43', bare, 4)).toBe(43);
    expect(info.notes).toEqual(["column 'TestTime' has no unit: plain numbers read as seconds (guessed)"]);
    let e: DataError | null = null;
    try { time('12:ab', col('s', 1), 9); } catch (x) { e = x as DataError; }
    expect(e?.message).toBe("'12:ab' in column 'TestTime/s' is not a time (expected seconds or D-HH:MM:SS)");
    expect(e?.line).toBe(9);
    const comma = makeTextTimeReader('f.csv', true, newSourceInfo('f.csv'));
    expect(comma('0,5', col('h', 3600), 3)).toBe(1800);
  });

  it('a row → a record in canonical units (mV → V, µA → mA, Ah → mAh, min → s)', () => {
    const c = (header: string, index: number): ColumnInfo => matchHeader(header, index)!.info!;
    const plan: Plan = {
      voltage: c('Voltage/mV', 3), current: c('Current/uA', 2), time: c('TestTime/min', 1), stepTime: c('StepTime/h', 7),
      capacity: c('Capacity/Ah', 4), spec: c('SpeCap/uAh/g', 5), cycle: c('Cycle', 0), step: c('Step Index', 8), state: c('State', 6),
      headerCells: [], width: 9,
    };
    const info = newSourceInfo('f.csv');
    const num = makeNumberReader('f.csv', false);
    const timeOf = makeTextTimeReader('f.csv', false, info);
    const r = recordFromCells(['3', '1.5', '-250', '1500', '0.002', '4000', 'D_CC', '0.25', '7'], 12, plan, num, timeOf, 'f.csv');
    expect(r).toEqual({
      line: 12, timeS: 90, stepTimeS: 900, voltageV: 1.5, currentMA: -0.25, capacityMAh: 2, specificCapacityMAhG: 4,
      cycleIndex: 3, stepIndex: 7, stateKind: 'D',
    });
    // optional columns empty → null; the row must reach the voltage, current and capacity columns
    const r2 = recordFromCells(['', '', '100', '1000', '', '', '', '', ''], 13, plan, num, timeOf, 'f.csv');
    expect(r2).toEqual({ line: 13, timeS: null, stepTimeS: null, voltageV: 1, currentMA: 0.1, capacityMAh: null, specificCapacityMAhG: null, cycleIndex: null, stepIndex: null, stateKind: null });
    expect(recordFromCells(['1', '2', '3', '4'], 14, plan, num, timeOf, 'f.csv')).toBeNull(); // capacity at index 4 is missing
    expect(recordFromCells(['1', '2', '3', '4', '5'], 14, plan, num, timeOf, 'f.csv')).not.toBeNull();
    const minimal: Plan = { voltage: c('Voltage/V', 0), current: c('Current/mA', 1), headerCells: [], width: 2 };
    expect(recordFromCells(['3.1', '-0.5'], 2, minimal, num, timeOf, 'f.csv')).toEqual({ line: 2, timeS: null, stepTimeS: null, voltageV: 3.1, currentMA: -0.5, capacityMAh: null, specificCapacityMAhG: null, cycleIndex: null, stepIndex: null, stateKind: null });
    expect(recordFromCells(['3.1'], 2, minimal, num, timeOf, 'f.csv')).toBeNull();
    const noV = (() => { try { recordFromCells(['-', '1'], 20, minimal, num, timeOf, 'f.csv', 'Record'); } catch (e) { return e as DataError; } return null; })()!;
    expect(noV.message).toBe("no voltage value (the cell in column 'Voltage/V' is empty or a placeholder); every record needs one: check this row (a cut or edited export?) and export the record table again from the cycler software");
    expect([noV.line, noV.where]).toEqual([20, 'Record']);
    const noI = (() => { try { recordFromCells(['1', ''], 21, minimal, num, timeOf, 'f.csv'); } catch (e) { return e as DataError; } return null; })()!;
    expect(noI.message).toMatch(/^no current value \(the cell in column 'Current\/mA' is empty/);
  });
});

/** Parse one line with the byte scanner: its values and null flags per slot, ok, and where it stopped. */
function scan(line: string, slotOf: number[], o: { delim?: number; comma?: boolean; durOnly?: number } = {}) {
  const b = enc(line);
  const st = scanState(slotOf, o.delim ?? 44, o.comma ?? false, o.durOnly ?? 0);
  const end = parseLine(b, 0, b.length, st);
  return { st, end, val: [...st.val], isNull: [...st.isNull], state: new TextDecoder().decode(b.subarray(st.stS, st.stE)) };
}

describe('the fast path byte scanner', () => {
  it('numbers exactly as Number() reads the same text, on random decimals and exponents', () => {
    const rnd = seededRandom(20261130);
    let ok = 0;
    for (let k = 0; k < 3000; k++) {
      const digits = 1 + Math.floor(rnd() * 15);
      let m = '';
      for (let d = 0; d < digits; d++) m += Math.floor(rnd() * 10);
      const dot = Math.floor(rnd() * (digits + 1));
      let t = rnd() < 0.8 ? m.slice(0, dot) + '.' + m.slice(dot) : m;
      if (t === '.') t = '0.';
      if (rnd() < 0.3) t += (rnd() < 0.5 ? 'e' : 'E') + (rnd() < 0.4 ? '-' : rnd() < 0.5 ? '+' : '') + Math.floor(rnd() * 25);
      if (rnd() < 0.4) t = '-' + t; else if (rnd() < 0.1) t = '+' + t;
      const r = scan(`${t},1\n`, [0, 1]);
      if (!r.st.ok) continue;
      ok++;
      expect(Object.is(r.val[0], Number(t)), t).toBe(true);
      expect(r.val[1]).toBe(1);
    }
    expect(ok).toBeGreaterThan(2700); // only a mantissa ≥ 2^53/10 or a power of ten beyond 22 goes the general way
  });

  it('hand-worked values, slots in column order, skipped columns and the state column', () => {
    // columns: 0 record (skipped), 1 state → slot 8, 2 voltage → slot 0, 3 remark (skipped), 4 current → slot 1, 5 time → slot 6
    const r = scan('17,D_CC,3.125,x y,-0.5e-1,1.5\n', [-1, 8, 0, -1, 1, 6]);
    expect(r.st.ok).toBe(true);
    expect(r.val[0]).toBe(3.125);
    expect(r.val[1]).toBe(-0.05);
    expect(r.val[6]).toBe(1.5);
    expect([r.isNull[0], r.isNull[1], r.isNull[6]]).toEqual([0, 0, 0]);
    expect(r.state).toBe('D_CC');
    expect(r.end).toBe(29); // the LF
    // FNV-1a of 'D_CC' worked independently of the scanner
    let h = 2166136261;
    for (const ch of 'D_CC') h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
    expect(r.st.stH).toBe(h);
    // semicolon and tab delimiters, decimal comma
    const s = scan('3,5;-0,25\n', [0, 1], { delim: 59, comma: true });
    expect([s.st.ok, s.val[0], s.val[1], s.st.sawComma]).toEqual([true, 3.5, -0.25, true]);
    const t = scan('3.5\t-0.25\r\n', [0, 1], { delim: 9 });
    expect([t.st.ok, t.val[0], t.val[1], t.end]).toEqual([true, 3.5, -0.25, 10]);
    expect(scan('3.5,-0.25\n', [0, 1]).st.sawComma).toBe(false);
  });

  it('empty cells and a bare minus are null; voltage or current null sends the line the general way', () => {
    const r = scan('3.5,-0.1,,-,7\n', [0, 1, 2, 3, 4]);
    expect(r.st.ok).toBe(true);
    expect([r.isNull[2], r.isNull[3], r.isNull[4]]).toEqual([1, 1, 0]);
    expect(r.val[4]).toBe(7);
    const last = scan('3.5,-0.1,-\n', [0, 1, 2]);
    expect([last.st.ok, last.isNull[2]]).toEqual([true, 1]);
    const lastEmpty = scan('3.5,-0.1,\n', [0, 1, 2]);
    expect([lastEmpty.st.ok, lastEmpty.isNull[2]]).toEqual([true, 1]);
    expect(scan(',-0.1\n', [0, 1]).st.ok).toBe(false); // no voltage
    expect(scan('3.5,\n', [0, 1]).st.ok).toBe(false); // no current
    expect(scan('3.5,-\n', [0, 1]).st.ok).toBe(false);
    // a line that ends before a needed column
    expect(scan('3.5\n', [0, 1]).st.ok).toBe(false);
    expect(scan('3.5,-0.1\n', [0, 1, 2]).st.ok).toBe(false);
    expect(scan('3.5,-\n', [0, 2, 1]).st.ok).toBe(false); // a bare minus as the last cell of a line that needs more
    expect(scan('-,1\n', [0, 1]).st.ok).toBe(false);
  });

  it('anything Number() would not read the same way goes the general way', () => {
    for (const t of ['1.2.3', '"1"', '1e', '1e+', '1e1234', '--1', '.', '-.', '1x', '0x10', '9007199254740993', '1e-23', '1e23'])
      expect(scan(`${t},1\n`, [0, 1]).st.ok, t).toBe(false);
    expect(scan('1,"2"\n', [0, 1]).st.ok).toBe(false);
    expect(scan('1,2,"a,b",3\n', [0, 1, -1, 2]).st.ok).toBe(false); // a quoted skipped column
    expect(scan('1,2,"D"\n', [0, 1, 8]).st.ok).toBe(false); // a quoted state
    expect(scan('1,2,D\r\n', [0, 1, 8]).state).toBe('D');
    expect(scan('1,2,D,3\n', [0, 1, 8]).st.ok).toBe(true); // a column after the last needed one is skipped
    expect(scan('1,2,D\n', [0, 1, 8, 2]).st.ok).toBe(false); // the state cell ends the line but a column is still needed
    expect(scan('1,2,' + 'x'.repeat(2000) + '\n', [0, 1]).st.ok).toBe(false); // a line of 2000 bytes or more
    expect(scan('1,2,' + 'x'.repeat(1990) + '\n', [0, 1]).st.ok).toBe(true);
    // exactly as Number(): a power of ten up to 22 either way is exact, so mant · 10^k or mant / 10^k rounds once
    expect(scan('7e22,1\n', [0, 1]).val[0]).toBe(7e22);
    expect(scan('15e-22,1\n', [0, 1]).val[0]).toBe(1.5e-21);
    expect(scan('15e-23,1\n', [0, 1]).st.ok).toBe(false);
    expect(scan('0.5e22,1\n', [0, 1]).val[0]).toBe(5e21);
    expect(scan('+7,1\n', [0, 1]).val[0]).toBe(7);
    expect(Object.is(scan('-0,1\n', [0, 1]).val[0], -0)).toBe(true);
    expect(scan('900719925474099,1\n', [0, 1]).val[0]).toBe(900719925474099);
    expect(scan('9007199254740990,1\n', [0, 1]).st.ok).toBe(false);
  });

  it('durations in time slots (6, 7): seconds as parseDuration reads them, never a number scaled by the unit', () => {
    const cases: [string, number][] = [
      ['1-02:03:04', 93784], ['2.00:00:01', 172801], ['0 01:00:00.250', 3600.25], ['27:30:15', 99015], ['12:34', 754],
      ['5:07.5', 307.5], ['0:00:00.123456789', 0.123456789], ['1-9:09:09', 86400 + 9 * 3600 + 9 * 60 + 9], ['1:5.5', 65.5],
      ['1-2:3:4', 86400 + 7200 + 180 + 4], ['1:2:3', 3723], ['5:7', 307], ['9:59', 599], ['123456789:00', 7407407340], ['999999-23:59:59', 999999 * 86400 + 86399],
    ];
    for (const [t, s] of cases) {
      for (const slot of [6, 7]) {
        const r = scan(`3.5,-0.1,${t}\n`, slot === 6 ? [0, 1, 6] : [0, 1, 7]);
        expect(r.st.ok, t).toBe(true);
        expect(r.val[slot], t).toBe(s);
        expect(r.isNull[slot], t).toBe(2); // 2: a duration (the caller does not scale it)
      }
      expect(scan(`3.5,-0.1,${t},9\n`, [0, 1, 6, 2]).val[2]).toBe(9); // a duration then another column
    }
    // not durations here; where parseDuration says null, the general parser refuses, so these go the general way
    for (const t of ['1:2:3:4', '1-2', '1234567-00:00:00', '1:123', '1:00:00:', '1:', '1-02:03', '1-2:3', '1-:00:00', '1-00::00', '1-00:00:',
      '0:00:00.1234567890', '1234567890:00', '-1:00', '+1:00', '1:00.', '1:00x', '1:00:00 x', '1 02:03', '1-a:00:00', '1:a', '1:00:a', '1:001', '1:00:001'])
      expect(scan(`3.5,-0.1,${t}\n`, [0, 1, 6]).st.ok, t).toBe(false);
    // a colon in a voltage column is never a duration
    expect(scan('1:00,-0.1\n', [0, 1]).st.ok).toBe(false);
    // durOnly: a time column without a unit reads durations here and leaves numbers to the general parser
    expect(scan('3.5,-0.1,1:00\n', [0, 1, 6], { durOnly: 1 << 6 }).val[6]).toBe(60);
    expect(scan('3.5,-0.1,60\n', [0, 1, 6], { durOnly: 1 << 6 }).st.ok).toBe(false);
    expect(scan('3.5,-0.1,60\n', [0, 1, 7], { durOnly: 1 << 6 }).st.ok).toBe(true);
    expect(scan('3.5,-0.1,60\n', [0, 1, 6], { durOnly: 1 << 7 }).st.ok).toBe(true);
  });

  it('every line, good or bad, ends at its own LF: a bad cell never sends the scan back or past it (scanInto over many lines)', () => {
    // [line, slots, ok]; the voltage and current first, so that a bad third cell alone decides
    const V = [0, 1, 2], T = [0, 1, 6];
    const lines: [string, number[], boolean][] = [
      ['3.5,-0.1,7', V, true],
      // bad durations in a time slot (each a different early exit of the duration reader)
      ...['1234567890:00', '1234567-00:00:00', '1-a:00:00', '1-0a:00', '1-00a00:00', '1-00:a', '1-00:00a00', '1-00:00:a', ':00', '1:a',
        '1:00:a', '1:0a', '1:00.', '1:00.1234567890', '1:00:00.x', '-1:00', '+1:00', '1-00:00:00x', '12:345', '1:abc:00'].map((t): [string, number[], boolean] => [`3.5,-0.1,${t}`, T, false]),
      ['3.5,-0.1,1:00', T, true],
      // bad numbers after the voltage and current were read
      ...['1e', '1e+', '1e0001', '1e23', '1e-23', '12345678901234567', '1x', '1.2.3', '"1"'].map((t): [string, number[], boolean] => [`3.5,-0.1,${t}`, V, false]),
      // cells that end a line too early, or a skipped column that does
      ['3.5,-0.1,', [0, 1, 2, 3], false], ['3.5,-0.1,-', [0, 1, 2, 3], false], ['3.5,-0.1,x', [0, 1, -1, 2], false], ['3.5,-0.1,"a",3', [0, 1, -1, 2], false],
      ['3.5,-0.1,-\r', V, true], ['3.5,-0.1,\r', V, true], ['3.5,-0.1,1:00\r', T, true], ['3.5,-0.1,x,3', [0, 1, -1, 2], true],
      ['1,2,' + 'x'.repeat(1996), [0, 1], false], ['1,2,' + 'x'.repeat(1995), [0, 1], true], // 2000 bytes and 1999 before the LF
      ['3.5,-0.1,1e1:', V, false], ['3.5,-0.1,.5:00:00', T, false], ['3.5,-0.1,1-abc:00:00', T, false], ['3.5,-0.1,1-00:abc:00', T, false],
      ['3.5,-0.1x', [0, 1], false], ['3.5,-0.1,1:00', V, false], ['3.5,-0.1,9', V, true],
    ];
    for (const [text, slots, ok] of lines) {
      // the line after a good first line, so that a reader that returned to the buffer's start would be seen
      const buf = `3.5,-0.1,7,7\n${text}\n3.5,-0.1,7,7\n`;
      const b = enc(buf);
      const st = scanState(slots, 44, false);
      const v = slotViews(new SharedArrayBuffer(SLOT_BYTES_PER_LINE * 4), 4);
      const r = scanInto(b, 0, b.length, st, v, 4);
      const lf1 = buf.indexOf('\n'), lf2 = buf.indexOf('\n', lf1 + 1), lf3 = buf.length - 1;
      expect(r, text).toEqual({ n: 3, next: b.length });
      expect([...v.ends.subarray(0, 3)], text).toEqual([lf1, lf2, lf3]);
      expect(v.ok[1], text).toBe(ok ? 1 : 0);
      expect([v.ok[0], v.ok[2]], text).toEqual([1, 1]);
      expect([v.val[16], v.val[17]], text).toEqual([3.5, -0.1]);
    }
  });

  it('the values a line gives in every slot, and the null flags of those it does not need', () => {
    const b = enc('1,2,3,4,5,6,7,8,D\n');
    const st = scanState([0, 1, 2, 3, 4, 5, 6, 7, 8], 44, false);
    const v = slotViews(new SharedArrayBuffer(SLOT_BYTES_PER_LINE * 2), 2);
    scanInto(b, 0, b.length, st, v, 2);
    expect([...v.val.subarray(0, 8)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...v.isNull.subarray(0, 8)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    const b2 = enc('1,2\n');
    const v2 = slotViews(new SharedArrayBuffer(SLOT_BYTES_PER_LINE * 2), 2);
    scanInto(b2, 0, b2.length, scanState([0, 1], 44, false), v2, 2);
    expect([...v2.isNull.subarray(0, 8)]).toEqual([0, 0, 1, 1, 1, 1, 1, 1]);
  });

  it('the shared slot views do not overlap (each written with its own marks, all read back)', () => {
    const max = 5;
    const v = slotViews(new SharedArrayBuffer(SLOT_BYTES_PER_LINE * max), max);
    expect([v.val.length, v.ends.length, v.st.length, v.ok.length, v.isNull.length]).toEqual([8 * max, max, 3 * max, max, 8 * max]);
    v.val.fill(1.5); v.ends.fill(-7); v.st.fill(123456); v.ok.fill(9); v.isNull.fill(3);
    expect(v.val.every((x) => x === 1.5)).toBe(true);
    expect(v.ends.every((x) => x === -7)).toBe(true);
    expect(v.st.every((x) => x === 123456)).toBe(true);
    expect(v.ok.every((x) => x === 9)).toBe(true);
    expect(v.isNull.every((x) => x === 3)).toBe(true);
  });

  it('exponents of up to three digits, leading zeros and every digit; a second decimal point or comma ends the number', () => {
    expect(scan('1e0,1\n', [0, 1]).val[0]).toBe(1);
    expect(scan('2e09,1\n', [0, 1]).val[0]).toBe(2e9);
    expect(scan('1e010,1\n', [0, 1]).val[0]).toBe(1e10);
    expect(scan('5e-005,1\n', [0, 1]).val[0]).toBe(5e-5);
    expect(scan('.5.5,1\n', [0, 1]).st.ok).toBe(false); // the point at the line's first byte
    expect(scan(',5,5;1\n', [0, 1], { delim: 59, comma: true }).st.ok).toBe(false);
    const half = scan(',5;1\n', [0, 1], { delim: 59, comma: true });
    expect([half.st.ok, half.val[0], half.val[1]]).toEqual([true, 0.5, 1]);
    expect(scan('3x5;1,0\n', [0, 1], { delim: 59, comma: true }).st.ok).toBe(false);
    // a decimal comma before a colon is not a duration (1,5:00)
    expect(scan('3,5;-0,1;1,5:00\n', [0, 1, 6], { delim: 59, comma: true }).st.ok).toBe(false);
    expect(scan('3,5;-0,1;1:5,5\n', [0, 1, 6], { delim: 59, comma: true }).st.ok).toBe(false); // parseDuration takes a point only
    // …and after another line it still ends at its own LF
    const two = enc('3,5;-0,1;7\n3,5;-0,1;1,5:00\n');
    const v = slotViews(new SharedArrayBuffer(SLOT_BYTES_PER_LINE * 2), 2);
    expect(scanInto(two, 0, two.length, scanState([0, 1, 6], 59, true), v, 2)).toEqual({ n: 2, next: 27 });
    expect([...v.ends, ...v.ok]).toEqual([10, 26, 1, 0]);
    expect(scan('3x5;1\n', [0, 1], { delim: 59, comma: true }).st.ok).toBe(false);
    // in a comma-delimited file a comma is the delimiter, never a decimal mark
    const c = scan('3,5\n', [0, 1]);
    expect([c.val[0], c.val[1], c.st.sawComma]).toEqual([3, 5, false]);
    // skipped columns in a semicolon file
    const sc = scan('1;x;3,5;-0,25\n', [-1, -1, 0, 1], { delim: 59, comma: true });
    expect([sc.st.ok, sc.val[0], sc.val[1]]).toEqual([true, 3.5, -0.25]);
    // a duration is read only in a time slot
    expect(scan('3.5,-0.1,1:00\n', [0, 1, 5]).st.ok).toBe(false);
  });

  it('scanInto: lines of a buffer into shared slots, the values and flags of each line, then where to go on', () => {
    const text = '3.5,-0.1,D\n4,x\n3.25,0.2,C\n1,2,R\n';
    const b = enc(text);
    const st = stateOf(scanState([0, 1, 8], 44, false).prog, 44, false, 0);
    const v = slotViews(new SharedArrayBuffer(SLOT_BYTES_PER_LINE * 3), 3);
    const r = scanInto(b, 0, b.length, st, v, 3);
    expect(r).toEqual({ n: 3, next: 26 }); // three lines (LFs at 10, 14, 25), the fourth left for the next slot
    expect([...v.ends]).toEqual([10, 14, 25]);
    expect([...v.ok]).toEqual([1, 0, 1]);
    expect([v.val[0], v.val[1], v.val[16], v.val[17]]).toEqual([3.5, -0.1, 3.25, 0.2]);
    expect([v.isNull[0], v.isNull[1], v.isNull[16], v.isNull[17]]).toEqual([0, 0, 0, 0]);
    expect([v.st[0], v.st[1], v.st[6], v.st[7]]).toEqual([9, 10, 24, 25]); // state spans 'D' and 'C'
    let h = 2166136261;
    h = Math.imul(h ^ 67, 16777619); // 'C'
    expect(v.st[8]).toBe(h);
    const rest = scanInto(b, r.next, b.length, st, v, 3);
    expect(rest).toEqual({ n: 1, next: b.length });
    expect([v.val[0], v.val[1], v.ok[0]]).toEqual([1, 2, 1]);
  });
});

describe('CHI Multi-Current Steps → cycler records (readers/chi/records.ts)', () => {
  /** A ChiFile with only what the ISTEP reader reads. */
  function istep(params: [string, string, number | string][], t: number[], e: number[] = t.map((_, k) => 1 - k / 100)): ChiFile {
    return {
      source: 'i.txt', technique: 'Multi-Current Steps', kind: 'istep', date: null, dateText: null, model: null, memo: {},
      parameters: params.map(([key, unit, value], k) => ({ key, unit, value, line: 5 + k })), flags: [], results: [],
      columns: [{ header: 'Time/sec', canonical: 'timeS', unit: 's' }, { header: 'Potential/V', canonical: 'potentialV', unit: 'V' }],
      phantomColumns: [], data: [Float64Array.from(t), Float64Array.from(e)], lines: Uint32Array.from(t.map((_, k) => 20 + k)),
      segments: null, headerLine: 19, encoding: 'utf-8', notes: [],
    };
  }
  const two: [string, string, number][] = [['i1', 'A', 1e-4], ['T1', 's', 10], ['i2', 'A', 0], ['T2', 's', 20]];

  it('the schedule: i1, T1, … (or Step k / Step Time k) in A and s, up to the first step missing', () => {
    expect(istepSchedule(istep(two, [0]))).toEqual({ currentsA: [1e-4, 0], timesS: [10, 20] });
    expect(istepSchedule(istep([['Step 1', 'a', -2e-3], ['Step Time 1', 'sec', 5], ['i3', 'A', 1], ['T3', 's', 1]], [0]))).toEqual({ currentsA: [-2e-3], timesS: [5] });
    // twelve steps at most, names in any case
    const twelve: [string, string, number][] = [];
    for (let k = 1; k <= 13; k++) twelve.push([`I${k}`, 'A', k * 1e-5], [`t${k}`, 'S', k]);
    const sch = istepSchedule(istep(twelve, [0]));
    expect(sch.timesS).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(sch.currentsA).toHaveLength(12);
    expect(istepSchedule(istep([['step 1', 'A', 1e-4], ['step time 1', 's', 10]], [0])).timesS).toEqual([10]);
    // a current in another unit is not a step of the schedule, nor a time in ms or 'secs'
    for (const wrong of [[['i1', 'Ah', 1e-4], ['T1', 's', 10]], [['i1', 'A', 1e-4], ['T1', 'ms', 10]], [['i1', 'A', 1e-4], ['T1', 'secs', 10]]] as [string, string, number][][])
      expect(() => istepSchedule(istep(wrong, [0])), JSON.stringify(wrong)).toThrow(/no current-step schedule/);
    const e = (() => { try { istepSchedule(istep([['i1', 'mA', 0.1], ['T1', 's', 10]], [0])); } catch (x) { return x as DataError; } return null; })()!;
    expect(e.message).toBe("no current-step schedule in the parameters (expected 'i1 (A) = …' and 'T1 (s) = …'); hcarb needs it to know the current of each point");
    expect(e.line).toBe(19);
    for (const bad of [[['i1', 'A', 'x'], ['T1', 's', 10]], [['i1', 'A', 1e-4], ['T1', 's', 0]], [['i1', 'A', 1e-4], ['T1', 's', 'y']]] as [string, string, number | string][][]) {
      const b = (() => { try { istepSchedule(istep(bad, [0])); } catch (x) { return x as DataError; } return null; })()!;
      expect(b.message).toMatch(/^step 1 of the schedule is not a number \(i1 = .*, T1 = .*\)$/);
      expect(b.line).toBe(5);
    }
  });

  it('each point gets the current of its step (a boundary point belongs to the step that ends there), its step time and cycle', () => {
    // period 30 s: step 1 (0.1 mA) over 0–10 s, step 2 (rest) over 10–30 s; then again
    const t = [0, 5, 10, 15, 30, 35, 70];
    const recs = istepRecords(istep(two, t), false);
    expect(recs.map((r) => [r.timeS, r.stepIndex, r.stepTimeS, r.cycleIndex, r.currentMA, r.stateKind])).toEqual([
      [0, 1, 0, 1, 0.1, null],
      [5, 1, 5, 1, 0.1, null],
      [10, 1, 10, 1, 0.1, null],
      [15, 2, 5, 1, 0, 'R'],
      [30, 2, 20, 1, 0, 'R'],
      [35, 1, 5, 2, 0.1, null],
      [70, 1, 10, 3, 0.1, null], // 70 s = 60 + 10: cycle 3, on the end of its step 1, so still step 1
    ]);
    expect(recs.map((r) => [r.line, r.voltageV])).toEqual(t.map((_, k) => [20 + k, 1 - k / 100]));
    expect(recs.every((r) => r.capacityMAh === null && r.specificCapacityMAhG === null)).toBe(true);
    // cathodic current written positive: the sign turns
    expect(istepRecords(istep(two, [5]), true)[0]!.currentMA).toBe(-0.1);
  });

  it('without Time/sec or Potential/V columns: an error at the header', () => {
    const f = istep(two, [0, 1]);
    f.columns = [f.columns[0]!, { header: 'Current/A', canonical: 'currentA', unit: 'A' }];
    const e = (() => { try { istepRecords(f, false); } catch (x) { return x as DataError; } return null; })()!;
    expect(e.message).toBe('a Multi-Current Steps export needs Time/sec and Potential/V columns');
    expect(e.line).toBe(19);
  });
});
