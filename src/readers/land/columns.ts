/**
 * Declarative LAND column map: header name (English or Chinese, as written by LANDdt, LAND Monitor
 * and LANHE) → canonical field, with the unit taken from what follows the name after `/`.
 */
import type { ColumnInfo, Kind } from '../../types.js';

type Field = 'index' | 'timeS' | 'stepTimeS' | 'voltageV' | 'currentMA' | 'capacityMAh' |
  'specificCapacityMAhG' | 'cycleIndex' | 'stepIndex' | 'state';

const ALIASES: Record<Field, string[]> = {
  index: ['record', 'index', '记录序号', 'data_point', 'record id'],
  timeS: ['testtime', 'test time', 'test_time', '测试时间', 'total time'],
  stepTimeS: ['steptime', 'step time', 'step_time', '步骤时间', '工步时间'],
  voltageV: ['voltage', '电压', 'volt'],
  currentMA: ['current', '电流'],
  capacityMAh: ['capacity', '容量', 'cap'],
  specificCapacityMAhG: ['specap', 'scapacity', '比容量', 'specific capacity', 'spe. cap', 'specificcapacity'],
  cycleIndex: ['cycle-index', 'cycleno', 'cycle index', 'cycle_index', 'cycle', '循环序号', '循环号', '循环'],
  stepIndex: ['step-index', 'stepno', 'step index', 'step_index', '工步序号', '工步号'],
  state: ['step-state', 'stepstatus', 'step status', 'state', 'status', 'mode', 'workmode', 'work mode',
    '状态', '工步状态', '工作模式', '工步类型', '模式'],
};

const UNIT_SCALE: Partial<Record<Field, Record<string, number>>> = {
  timeS: { '': NaN, sec: 1, 'sec.': 1, s: 1, second: 1, seconds: 1, min: 60, 'min.': 60, h: 3600, hr: 3600, hour: 3600, ms: 0.001 },
  stepTimeS: { '': NaN, sec: 1, 'sec.': 1, s: 1, second: 1, seconds: 1, min: 60, 'min.': 60, h: 3600, hr: 3600, hour: 3600, ms: 0.001 },
  voltageV: { '': 1, v: 1, mv: 0.001 },
  currentMA: { '': 1, ma: 1, ua: 0.001, a: 1000, na: 1e-6 },
  capacityMAh: { '': 1, mah: 1, uah: 0.001, ah: 1000, nah: 1e-6 },
  specificCapacityMAhG: { '': 1, 'mah/g': 1, 'ah/kg': 1, 'uah/mg': 1, 'uah/g': 0.001 },
};

const EXPECTED_UNITS: Partial<Record<Field, string>> = {
  timeS: 'Sec, Min or h',
  stepTimeS: 'Sec, Min or h',
  voltageV: 'V or mV',
  currentMA: 'mA, uA or A',
  capacityMAh: 'mAh, uAh or Ah',
  specificCapacityMAhG: 'mAh/g',
};

export function normUnit(u: string): string {
  return u.trim().toLowerCase().replace(/[µμ]/g, 'u').replace(/^\(|\)$/g, '');
}

export interface UnitProblem { header: string; unit: string; expected: string; field: Field }

/**
 * Match one header cell. Returns null when it names nothing we use. Throws nothing: an unknown
 * unit is returned as `unitProblem` so the caller can name the line.
 */
export function matchHeader(cell: string, index: number): { info?: ColumnInfo; unitProblem?: UnitProblem } | null {
  const raw = cell.trim();
  if (!raw) return null;
  const lower = raw.toLowerCase();
  let best: { field: Field; alias: string } | null = null;
  for (const field of Object.keys(ALIASES) as Field[]) {
    for (const alias of ALIASES[field]) {
      if (lower === alias || lower.startsWith(alias + '/') || lower.startsWith(alias + '(')) {
        if (!best || alias.length > best.alias.length) best = { field, alias };
      }
    }
  }
  if (!best) return null;
  let unit = raw.slice(best.alias.length);
  if (unit.startsWith('/')) unit = unit.slice(1);
  unit = unit.replace(/^\((.*)\)$/, '$1');
  // 'Capacity/mAh/g' (or 'Cap/mAh/g'): a specific capacity named by its unit
  if (best.field === 'capacityMAh' && UNIT_SCALE.specificCapacityMAhG![normUnit(unit)] !== undefined && normUnit(unit) !== '') best = { field: 'specificCapacityMAhG', alias: best.alias };
  const table = UNIT_SCALE[best.field];
  let scale = 1;
  if (table) {
    const s = table[normUnit(unit)];
    if (s === undefined) {
      return { unitProblem: { header: raw, unit, expected: EXPECTED_UNITS[best.field] ?? '', field: best.field } };
    }
    scale = s;
  }
  return { info: { header: raw, index, canonical: best.field, unit, scale } };
}

/** Header cells → the columns we use. The first column matching a field wins. */
export function matchColumns(cells: string[]): { columns: Map<string, ColumnInfo>; ignored: string[]; unitProblems: UnitProblem[] } {
  const columns = new Map<string, ColumnInfo>();
  const ignored: string[] = [];
  const unitProblems: UnitProblem[] = [];
  cells.forEach((cell, i) => {
    const m = matchHeader(cell, i);
    if (m?.info && !columns.has(m.info.canonical)) columns.set(m.info.canonical, m.info);
    else if (m?.unitProblem) unitProblems.push(m.unitProblem);
    else if (cell.trim()) ignored.push(cell.trim());
  });
  return { columns, ignored, unitProblems };
}

/** True when a row looks like a LAND record header. */
export function looksLikeHeader(cells: string[]): boolean {
  let v = false, i = false, n = 0;
  for (const c of cells) {
    const m = matchHeader(c, 0);
    if (!m) continue;
    const f = m.info?.canonical ?? m.unitProblem?.field;
    if (f === 'voltageV') v = true;
    if (f === 'currentMA') i = true;
    if (f && f !== 'state' && f !== 'index') n++;
  }
  // Both vital columns, or a header that names three known columns but lacks one (reported then).
  return (v && i) || ((v || i) && n >= 3);
}

const REST = new Set(['r', 'rest', '静置', '搁置', 'ocv', 'pause', 'wait']);
const CHARGE = new Set(['ratec', 'cc-rate', 'ccc', 'c_cc', 'c_rate', 'c-rate', 'c_crate', 'cvc', 'cv', 'cccv', 'cccv_c', 'c_cv',
  'ccvc_c', 'cc_chg', 'cccv_chg', 'cv_chg', 'chg', 'charge', 'cc', 'cpc', 'ccch']);
const DISCHARGE = new Set(['rated', 'dc-rate', 'ccd', 'd_cc', 'd_rate', 'd-rate', 'd_crate', 'd_cv', 'cc_dchg', 'cccv_dchg',
  'cv_dchg', 'dchg', 'discharge', 'dc', 'cpd', 'dcc', 'ccdc']);

/** A state / step-type cell → kind, or null when unknown (then the current's sign decides). */
export function stateKind(cell: string): Kind | null {
  const s = cell.trim().toLowerCase();
  if (!s) return null;
  if (REST.has(s)) return 'R';
  if (CHARGE.has(s)) return 'C';
  if (DISCHARGE.has(s)) return 'D';
  if (s.includes('放电')) return 'D';
  if (s.includes('充电')) return 'C';
  if (s.includes('静置') || s.includes('搁置')) return 'R';
  // LANHE work modes carry the set point: `D_CC 0.01 mA`
  const head = s.split(/\s/, 1)[0]!;
  if (head !== s) return stateKind(head);
  return null;
}

const DUR_DAYS = /^(\d{1,6})[-. ](\d{1,2}):(\d{1,2}):(\d{1,2}(?:\.\d{1,9})?)$/;
const DUR_HMS = /^(\d{1,9}):(\d{1,2}):(\d{1,2}(?:\.\d{1,9})?)$/;
const DUR_MS = /^(\d{1,9}):(\d{1,2}(?:\.\d{1,9})?)$/;

/**
 * Duration text as LAND writes it: `D-HH:MM:SS`, `D HH:MM:SS.mmm`, `D.HH:MM:SS`, `HH:MM:SS`
 * (hours may exceed 24), `MM:SS`. Returns seconds, or null when the text is not a duration.
 * The patterns are anchored, bounded and without nested quantifiers (no catastrophic backtracking).
 */
export function parseDuration(text: string): number | null {
  const s = text.trim();
  if (s.length > 40) return null;
  let m = DUR_DAYS.exec(s);
  if (m) return +m[1]! * 86400 + +m[2]! * 3600 + +m[3]! * 60 + +m[4]!;
  m = DUR_HMS.exec(s);
  if (m) return +m[1]! * 3600 + +m[2]! * 60 + +m[3]!;
  m = DUR_MS.exec(s);
  if (m) return +m[1]! * 60 + +m[2]!;
  return null;
}
