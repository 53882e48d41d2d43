/**
 * Arbin column names, with or without units: `Test_Time(s)`, `Test Time (s)`, `Test_Time` (no unit:
 * Arbin's native unit), `Current(A)`, `Charge_Capacity(Ah)` … Names are matched without their unit,
 * case-insensitively, with spaces and underscores alike; the unit written scales to canonical units.
 */
import { DataError } from '../../errors.js';
import type { ColumnInfo, CyclerRecord } from '../../types.js';

export type ArbinField = 'dataPoint' | 'timeS' | 'stepTimeS' | 'stepIndex' | 'cycleIndex' | 'currentMA' | 'voltageV' | 'chargeMAh' | 'dischargeMAh' | 'temperatureC';

const NAMES: Record<string, ArbinField> = {
  data_point: 'dataPoint', test_time: 'timeS', step_time: 'stepTimeS', step_index: 'stepIndex', cycle_index: 'cycleIndex',
  current: 'currentMA', voltage: 'voltageV', charge_capacity: 'chargeMAh', discharge_capacity: 'dischargeMAh',
  temperature: 'temperatureC', aux_temperature_1: 'temperatureC',
};

/** Native unit of each field when the header has none, and the scale of the units that may be written. */
const UNITS: Record<ArbinField, [string, Record<string, number>]> = {
  dataPoint: ['', { '': 1 }], stepIndex: ['', { '': 1 }], cycleIndex: ['', { '': 1 }],
  timeS: ['s', { s: 1, sec: 1, min: 60, h: 3600, hr: 3600 }], stepTimeS: ['s', { s: 1, sec: 1, min: 60, h: 3600, hr: 3600 }],
  currentMA: ['A', { a: 1000, ma: 1, ua: 1e-3, 'µa': 1e-3 }], voltageV: ['V', { v: 1, mv: 1e-3 }],
  chargeMAh: ['Ah', { ah: 1000, mah: 1 }], dischargeMAh: ['Ah', { ah: 1000, mah: 1 }], temperatureC: ['C', { c: 1, '°c': 1, degc: 1 }],
};

export function splitName(h: string): { key: string; unit: string } {
  const m = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(h.trim());
  const base = (m ? m[1]! : h).trim();
  return { key: base.toLowerCase().replace(/[\s_]+/g, '_'), unit: m ? m[2]!.trim() : '' };
}

export interface ArbinColumns { map: Partial<Record<ArbinField, ColumnInfo>>; info: ColumnInfo[]; ignored: string[]; assumedUnits: string[] }

export function arbinColumns(header: string[]): ArbinColumns | null {
  const map: Partial<Record<ArbinField, ColumnInfo>> = {};
  const ignored: string[] = [];
  const assumedUnits: string[] = [];
  header.forEach((h, index) => {
    const { key, unit } = splitName(h);
    const field = NAMES[key];
    if (!field || map[field]) { if (h.trim()) ignored.push(h.trim()); return; }
    const [native, scales] = UNITS[field];
    const scale = scales[(unit || native).toLowerCase()];
    if (scale === undefined) throw new DataError(`column '${h}': unit '${unit}' is not known for ${field.replace(/MA$|V$|S$|MAh$|C$/, '')}`, { line: 1 });
    if (!unit && native) assumedUnits.push(`${h.trim()} in ${native}`);
    map[field] = { header: h.trim(), index, canonical: field, unit: unit || native, scale };
  });
  if (!map.currentMA || !map.voltageV) return null;
  return { map, info: Object.values(map), ignored, assumedUnits };
}

/** True when a header row is Arbin's: time, current, voltage and both capacity counters. */
export function isArbinHeader(header: string[]): boolean {
  const keys = new Set(header.map((h) => splitName(h).key));
  return keys.has('test_time') && keys.has('current') && keys.has('voltage') && keys.has('charge_capacity') && keys.has('discharge_capacity');
}

/**
 * Rows → records. Arbin's Charge_/Discharge_Capacity count up within a Cycle_Index (and reset
 * when it advances, or never, depending on the schedule); the record's capacityMAh is the charge
 * passed since its step began (a new step at each Step_Index change or change of current sign),
 * counted from the counter of the step's direction, so positive and per step like Neware's.
 */
export class ArbinRecordMaker {
  private stepKey = '';
  private q = 0;
  private prevCounter: number | null = null;
  constructor(private readonly cols: ArbinColumns) {}

  make(get: (c: ColumnInfo) => number | null, line: number, where: () => { file?: string; where?: string }): CyclerRecord | null {
    const m = this.cols.map;
    const v = get(m.voltageV!), i = get(m.currentMA!);
    if (v === null || i === null) return null;
    const num = (f: ArbinField): number | null => { const c = m[f]; if (!c) return null; const x = get(c); return x === null ? null : x * c.scale; };
    const current = i * m.currentMA!.scale;
    const step = num('stepIndex'), cyc = num('cycleIndex');
    const dir = current > 0 ? 'C' : current < 0 ? 'D' : 'R';
    const key = `${step}|${dir}`;
    const counter = dir === 'C' ? num('chargeMAh') : dir === 'D' ? num('dischargeMAh') : null;
    if (key !== this.stepKey) {
      this.stepKey = key;
      this.q = 0;
      // The counter at the end of the previous record is this step's origin; the first record of a step already carries its first interval.
      this.prevCounter = null;
    }
    let cap: number | null = null;
    if (dir !== 'R' && counter !== null) {
      if (this.prevCounter === null) {
        this.prevCounter = this.lastOther(dir) ?? counter;
      }
      const d = counter - this.prevCounter;
      this.q += d >= 0 ? d : counter; // a counter reset (new Cycle_Index) restarts from 0
      this.prevCounter = counter;
      cap = this.q;
    } else if (dir === 'R') cap = 0;
    this.lastC = num('chargeMAh'); this.lastD = num('dischargeMAh');
    if (!Number.isFinite(current) || !Number.isFinite(v)) throw new DataError('a voltage or current that is not a finite number', { ...where(), line });
    return {
      line, timeS: num('timeS'), stepTimeS: num('stepTimeS'), voltageV: v * m.voltageV!.scale, currentMA: current,
      capacityMAh: cap, specificCapacityMAhG: null, cycleIndex: cyc, stepIndex: step, stateKind: null,
      ...(m.temperatureC ? { extra: { t1_degC: num('temperatureC') } } : {}),
    };
  }

  private lastC: number | null = null;
  private lastD: number | null = null;
  /** The counter of direction `dir` on the previous record (the step's origin). */
  private lastOther(dir: 'C' | 'D'): number | null { return dir === 'C' ? this.lastC : this.lastD; }
}
