/**
 * Neware column names (BTSDA 7/8 exports, English and Chinese) → canonical fields, with the unit
 * taken from the parentheses after the name: `Current(µA)`, `Capacity(mAs)`, `Time(h:min:s.ms)`.
 */
import type { Kind } from '../../types.js';

export type NwField =
  | 'index' | 'cycle' | 'stepIndex' | 'stepNumber' | 'stepType' | 'stepTime' | 'totalTime'
  | 'current' | 'voltage' | 'capacity' | 'chgCap' | 'dchgCap' | 'specCap' | 'date' | 'stepMark'
  | 'cycChgCap' | 'cycDchgCap' | 'cycEff';

/** Names in lower case, without the unit, spaces collapsed. */
const NAMES: Record<NwField, string[]> = {
  index: ['datapoint', 'data point', 'record id', 'record index', 'record', '数据序号', '记录序号', '序号'],
  cycle: ['cycle index', 'cycle id', 'cycle', 'total of cycle', '循环号', '循环序号', '循环'],
  stepIndex: ['step index', 'step id', 'raw step id', '工步号', '工步序号'],
  stepNumber: ['step number', 'step', '工步数', '工步计数'],
  stepType: ['step type', 'status', 'state', '工步类型', '工步名称', '状态'],
  stepTime: ['time', 'step time', 'relative time', '时间', '工步时间', '相对时间'],
  totalTime: ['total time', 'test time', '总时间', '测试时间'],
  current: ['current', 'cur', '电流'],
  voltage: ['voltage', '电压'],
  capacity: ['capacity', '容量'],
  chgCap: ['chg. cap.', 'capacitance_chg', 'charge_capacity', '充电容量'],
  dchgCap: ['dchg. cap.', 'capacitance_dchg', '放电容量'],
  specCap: ['spec. cap.', 'capacity density', '比容量'],
  date: ['date', 'realtime', 'absolute time', '绝对时间', '日期', '系统时间'],
  stepMark: ['step start and end identification'],
  cycChgCap: ['chg. cap.', '充电容量', 'capacity of charge'],
  cycDchgCap: ['dchg. cap.', '放电容量', 'capacity of discharge'],
  cycEff: ['chg.-dchg. eff', '充放电效率', 'efficiency'],
};

const SCALE: Partial<Record<NwField, Record<string, number>>> = {
  current: { a: 1000, ma: 1, ua: 1e-3, na: 1e-6, '': 1 },
  voltage: { v: 1, mv: 1e-3, uv: 1e-6, '': 1 },
  capacity: { ah: 1000, mah: 1, uah: 1e-3, as: 1 / 3.6, mas: 1 / 3600, uas: 1e-3 / 3600, '': 1 },
  specCap: { 'mah/g': 1, 'ah/kg': 1, 'uah/g': 1e-3, '': 1 },
  // Times: seconds unless the text is a duration; 'h:min:s.ms' names the duration form.
  stepTime: { s: 1, sec: 1, min: 60, h: 3600, ms: 1e-3, 'h:min:s.ms': 1, 'h:min:s': 1, '': 1 },
  totalTime: { s: 1, sec: 1, min: 60, h: 3600, ms: 1e-3, 'h:min:s.ms': 1, 'h:min:s': 1, '': 1 },
};
SCALE.chgCap = SCALE.capacity; SCALE.dchgCap = SCALE.capacity;
SCALE.cycChgCap = SCALE.capacity; SCALE.cycDchgCap = SCALE.capacity;

export interface NwColumn { field: NwField; index: number; header: string; unit: string; scale: number }

/** `Current(µA)` → { name: 'current', unit: 'ua' } (also `Current/mA`, `电流(mA)`). */
export function splitHeader(cell: string): { name: string; unit: string } {
  const s = cell.trim().replace(/\s+/g, ' ');
  const m = /^(.*?)\s*[(（]([^()（）]*)[)）]\s*$/.exec(s);
  if (m) return { name: m[1]!.toLowerCase(), unit: normUnit(m[2]!) };
  const slash = s.indexOf('/');
  if (slash > 0 && !/^dq/i.test(s)) return { name: s.slice(0, slash).trim().toLowerCase(), unit: normUnit(s.slice(slash + 1)) };
  return { name: s.toLowerCase(), unit: '' };
}

function normUnit(u: string): string {
  return u.trim().toLowerCase().replace(/[µμ]/g, 'u');
}

/** Match header cells to fields (first match of a field wins, except the listed priority). */
export function matchRecordColumns(cells: string[], fields: NwField[]): { cols: Partial<Record<NwField, NwColumn>>; unknownUnits: string[]; named: Set<NwField> } {
  const cols: Partial<Record<NwField, NwColumn>> = {};
  const unknownUnits: string[] = [];
  /** Fields named in the header, whether or not their unit is known. */
  const named = new Set<NwField>();
  cells.forEach((cell, index) => {
    if (!cell || !cell.trim()) return;
    const { name, unit } = splitHeader(cell);
    for (const f of fields) {
      if (cols[f] || !NAMES[f].includes(name)) continue;
      named.add(f);
      const table = SCALE[f];
      let scale = 1;
      if (table) {
        const s = table[unit];
        if (s === undefined) { unknownUnits.push(cell.trim()); break; }
        scale = s;
      }
      cols[f] = { field: f, index, header: cell.trim(), unit, scale };
      break;
    }
  });
  return { cols, unknownUnits, named };
}

/** Auxiliary channels: `T1(℃)`, `T1(?)`, `V1(V)`, `Temperature(C)`, `温度`. Returns the key with units, or null. */
export function auxKey(cell: string): { key: string; scale: number } | null {
  const { name, unit } = splitHeader(cell);
  let m = /^t(\d{1,3})$/.exec(name);
  if (m) return { key: `t${m[1]}_degC`, scale: 1 };
  if (name === 'temperature' || name === '温度') return { key: 't_degC', scale: 1 };
  m = /^v(\d{1,3})$/.exec(name);
  if (m && (unit === 'v' || unit === 'mv')) return { key: `v${m[1]}_V`, scale: unit === 'mv' ? 1e-3 : 1 };
  return null;
}

const TYPE_KIND: Record<string, Kind> = {
  rest: 'R', pause: 'R', ocv: 'R', 'open circuit': 'R',
  cc_chg: 'C', cv_chg: 'C', cccv_chg: 'C', cp_chg: 'C', cpcv_chg: 'C', pcccv_chg: 'C', cr_chg: 'C', chg: 'C', charge: 'C',
  cc_dchg: 'D', cv_dchg: 'D', cccv_dchg: 'D', cp_dchg: 'D', cpcv_dchg: 'D', cr_dchg: 'D', dchg: 'D', discharge: 'D',
};

/**
 * Neware step type → kind. `CC_Chg`, `CC DChg`, `CCCV_DChg`, `Rest`, Chinese `恒流充电`, `恒流放电`,
 * `恒流恒压充电`, `搁置`, `静置`. Null for steps that are neither (Cycle, End, Pulse, SIM …): the
 * current's sign then decides.
 */
export function newareKind(cell: string): Kind | null {
  const s = cell.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (!s) return null;
  const k = TYPE_KIND[s];
  if (k) return k;
  if (cell.includes('放电')) return 'D';
  if (cell.includes('充电')) return 'C';
  if (cell.includes('搁置') || cell.includes('静置')) return 'R';
  return null;
}

/** Neware's numeric step types (`.nda`, `.ndax`) → name as BTSDA writes it. */
export const STEP_TYPES: Record<number, string> = {
  1: 'CC_Chg', 2: 'CC_DChg', 3: 'CV_Chg', 4: 'Rest', 5: 'Cycle', 6: 'End', 7: 'CCCV_Chg', 8: 'CP_DChg', 9: 'CP_Chg',
  10: 'CR_DChg', 13: 'Pause', 16: 'Pulse', 17: 'SIM', 18: 'PCCCV_Chg', 19: 'CV_DChg', 20: 'CCCV_DChg',
  21: 'Control', 22: 'OCV', 25: 'Ramp', 26: 'CPCV_DChg', 27: 'CPCV_Chg',
};

export function stepTypeKind(code: number): Kind | null {
  const n = STEP_TYPES[code];
  return n ? newareKind(n) : null;
}

/** Duration text `HH:MM:SS(.mmm)` (hours past 24), `D-HH:MM:SS`; seconds, or null. */
export function parseNwDuration(text: string): number | null {
  const s = text.trim();
  if (s.length > 40) return null;
  const m = /^(?:(\d{1,6})[-. ])?(\d{1,9}):(\d{1,2}):(\d{1,2}(?:\.\d{1,9})?)$/.exec(s);
  if (!m) return null;
  return (m[1] ? +m[1] * 86400 : 0) + +m[2]! * 3600 + +m[3]! * 60 + +m[4]!;
}
