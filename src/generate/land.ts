/**
 * A generator of LAND record exports for cells whose answers are known: the project's samples,
 * test fixtures in every dialect, and benchmark files. Capacities are exactly I·t; the voltage is
 * a function of the branch's state of charge given by the caller.
 */

export type Dir = 'D' | 'C';

export interface Branch {
  dir: Dir;
  /** Charge passed in the branch, mAh. */
  capacityMAh: number;
  /** |current|, mA. */
  currentMA: number;
  /** Rest after the branch, s (0 = none). */
  restAfterS?: number;
  /** Split the branch into this many steps with a rest between (GITT-like), default 1. */
  steps?: number;
  /** Rest between the steps of a multi-step branch, s. */
  stepRestS?: number;
}

export interface CellPlan {
  branches: Branch[];
  /** Active mass, mg (written in the SpeCap column; 0 writes an all-zero SpeCap column). */
  massMg: number;
  /** V as a function of the branch direction and the fraction x ∈ [0, 1] of its capacity. */
  voltage: (dir: Dir, x: number, branchIndex: number) => number;
  /** Relaxed voltage during a rest after a branch. */
  restVoltage?: (dir: Dir, endV: number, tRestS: number) => number;
  /** Record every this many seconds (default 300)… */
  sampleS?: number;
  /** …or sooner when the voltage moves more than this (V, default 0.01). */
  sampleDV?: number;
  /** Sample exactly at these fractions of every branch (for analytic tests; overrides time sampling). */
  fractions?: number[];
  /** Seeded voltage noise amplitude, V (default 0). */
  noiseV?: number;
  /** Open-circuit rest at the start, s. */
  initialRestS?: number;
  initialV?: number;
}

export interface Dialect {
  language?: 'en' | 'zh';
  delimiter?: ',' | '\t';
  decimalComma?: boolean;
  currentUnit?: 'mA' | 'uA' | 'A';
  capacityUnit?: 'mAh' | 'uAh' | 'Ah';
  time?: 'sec' | 'hours' | 'dhms';
  bom?: boolean;
  crlf?: boolean;
  /** LAND accumulates capacity over a half-cycle; 'step' resets it at every step; 'never' never resets; 'none' omits it. */
  capacityMode?: 'halfcycle' | 'step' | 'never' | 'none';
  /** Vendor cycle counter: a new cycle at each discharge (default), or at each charge (cycle 1 = first discharge alone). */
  vendorCycleAt?: 'D' | 'C';
  states?: 'rate' | 'cc' | 'none';
  /** Write the old columns order with Voltage before Current. */
  shuffleColumns?: boolean;
  metadataLines?: string[];
}

export interface Rec {
  timeS: number; stepTimeS: number; currentMA: number; capacityMAh: number; voltageV: number;
  cycle: number; step: number; state: 'R' | 'D' | 'C';
}

/** A small seeded PRNG (mulberry32) so generated files are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The records of a plan, in order. Capacity here is the running capacity of the branch. */
export function* planRecords(plan: CellPlan, dialect: Dialect = {}): Generator<Rec> {
  const sampleS = plan.sampleS ?? 300;
  const dV = plan.sampleDV ?? 0.01;
  const rand = rng(12345);
  const noise = () => (plan.noiseV ? (rand() - 0.5) * 2 * plan.noiseV : 0);
  const cycleAt = dialect.vendorCycleAt ?? 'D';
  let t = 0, step = 0, cycle = 0, seenCycleDir = false;
  let v = plan.initialV ?? 2.8;
  if (plan.initialRestS) {
    step++; cycle = 1;
    for (let s = 0; s <= plan.initialRestS; s += Math.min(sampleS, plan.initialRestS)) {
      yield { timeS: t + s, stepTimeS: s, currentMA: 0, capacityMAh: 0, voltageV: v, cycle, step, state: 'R' };
      if (s === plan.initialRestS) break;
      if (s + sampleS > plan.initialRestS) s = plan.initialRestS - Math.min(sampleS, plan.initialRestS);
    }
    t += plan.initialRestS;
  }
  for (const [bi, b] of plan.branches.entries()) {
    if (b.dir === cycleAt) { if (seenCycleDir || cycle === 0) cycle++; seenCycleDir = true; }
    if (cycle === 0) cycle = 1;
    const total = b.capacityMAh / b.currentMA * 3600;
    const nSteps = b.steps ?? 1;
    const sign = b.dir === 'D' ? -1 : 1;
    const points: number[] = [];
    if (plan.fractions) points.push(...plan.fractions.map((f) => f * total));
    else {
      let tt = 0;
      points.push(0);
      while (tt < total) {
        let h = Math.min(sampleS, total - tt);
        const x0 = tt / total;
        const x1 = (tt + h) / total;
        const jump = Math.abs(plan.voltage(b.dir, x1, bi) - plan.voltage(b.dir, x0, bi));
        if (jump > dV) h = h / Math.ceil(jump / dV);
        h = Math.max(h, 1);
        tt = Math.min(total, tt + h);
        points.push(tt);
      }
    }
    // Steps: equal slices of the branch.
    for (let k = 0; k < nSteps; k++) {
      step++;
      const a = total * k / nSteps, z = total * (k + 1) / nSteps;
      const pts = points.filter((p) => p >= a && p <= z);
      if (pts[0] !== a) pts.unshift(a);
      if (pts[pts.length - 1] !== z) pts.push(z);
      for (const p of pts) {
        v = plan.voltage(b.dir, p / total, bi) + noise();
        yield { timeS: t + (p - a), stepTimeS: p - a, currentMA: sign * b.currentMA, capacityMAh: b.currentMA * p / 3600, voltageV: v, cycle, step, state: b.dir };
      }
      t += z - a;
      const rest = k < nSteps - 1 ? (b.stepRestS ?? 0) : (b.restAfterS ?? 0);
      if (rest > 0) {
        step++;
        const endV = v;
        const q = b.currentMA * z / 3600;
        const n = Math.max(1, Math.round(rest / Math.min(sampleS, rest)));
        for (let i = 0; i <= n; i++) {
          const s = rest * i / n;
          const rv = plan.restVoltage ? plan.restVoltage(b.dir, endV, s) : endV;
          yield { timeS: t + s, stepTimeS: s, currentMA: 0, capacityMAh: q, voltageV: rv + (i ? noise() : 0), cycle, step, state: 'R' };
        }
        t += rest;
      }
    }
  }
}

const EN = ['Record', 'TestTime', 'StepTime', 'Current', 'Capacity', 'SpeCap/mAh/g', 'SOC|DOD/%', 'Voltage/V', 'Energy/mWh', 'SpeEnergy/Wh/kg', 'AuxTemp/dC.', 'AuxVolt/V', 'SysTime', '', 'Cycle-Index', 'Step-Index', 'Step-State'];
const ZH = ['记录序号', '测试时间', '步骤时间', '电流', '容量', '比容量/mAh/g', 'SOC|DOD/%', '电压/V', '能量/mWh', '比能量/Wh/kg', '辅助温度/℃', '辅助电压/V', '系统时间', '', '循环序号', '工步序号', '工步状态'];

/** A number with `digits` decimals, but never fewer than 10 significant digits (small uAh/Ah values). */
function fmtNum(x: number, digits: number, comma: boolean, significant = false): string {
  const fixed = Number(x.toFixed(digits));
  let s = (significant && x !== 0 && Math.abs(fixed - x) > Math.abs(x) * 1e-10 ? Number(x.toPrecision(10)) : fixed).toString();
  if (s === '-0') s = '0';
  return comma ? s.replace('.', ',') : s;
}

function dhms(s: number): string {
  const d = Math.floor(s / 86400); s -= d * 86400;
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  return `${d}-${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(Math.round(s)).padStart(2, '0')}`;
}

function sysTime(t: number): string {
  const d = new Date(Date.UTC(2025, 2, 14, 9, 0, 0) + t * 1000);
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/** Header and record lines of a LAND export in a dialect (text; encode with `encodeText`). */
export function landLines(plan: CellPlan, dialect: Dialect = {}): Generator<string> {
  return recordLines(planRecords(plan, dialect), plan.massMg, dialect);
}

/** Header and record lines for any sequence of records (capacity = running capacity of the branch). */
export function* recordLines(records: Iterable<Rec>, massMg: number, dialect: Dialect = {}, voltageDigits = 6): Generator<string> {
  const plan = { massMg };
  const d = { language: 'en', delimiter: ',', currentUnit: 'mA', capacityUnit: 'mAh', time: 'sec', capacityMode: 'halfcycle', states: 'rate', ...dialect } as Required<Omit<Dialect, 'metadataLines' | 'bom' | 'crlf' | 'decimalComma' | 'shuffleColumns' | 'vendorCycleAt'>> & Dialect;
  const comma = Boolean(d.decimalComma);
  const names = [...(d.language === 'zh' ? ZH : EN)];
  const timeSuffix = d.time === 'sec' ? '/Sec' : d.time === 'hours' ? '/h' : '';
  names[1] += timeSuffix; names[2] += timeSuffix;
  names[3] += '/' + d.currentUnit; names[4] += '/' + d.capacityUnit;
  let cols = names.map((n, i) => i);
  if (d.capacityMode === 'none') cols = cols.filter((i) => i !== 4 && i !== 5 && i !== 6);
  if (d.states === 'none') cols = cols.filter((i) => i !== 16);
  if (d.shuffleColumns) cols = [7, ...cols.filter((i) => i !== 7)].reverse();
  for (const m of d.metadataLines ?? []) yield m;
  yield cols.map((i) => names[i]).join(d.delimiter);
  const iScale = d.currentUnit === 'uA' ? 1000 : d.currentUnit === 'A' ? 0.001 : 1;
  const qScale = d.capacityUnit === 'uAh' ? 1000 : d.capacityUnit === 'Ah' ? 0.001 : 1;
  const stateName = (s: 'R' | 'D' | 'C') => d.language === 'zh'
    ? (s === 'R' ? '搁置' : s === 'D' ? '恒流放电' : '恒流充电')
    : d.states === 'cc' ? (s === 'R' ? 'R' : s === 'D' ? 'D_CC' : 'C_CC') : (s === 'R' ? 'R' : s === 'D' ? 'RateD' : 'RateC');
  let n = 0;
  let carried = 0, lastBranchQ = 0, lastDir: string | null = null;
  let stepBase = 0, lastStep = -1;
  for (const r of records) {
    n++;
    if (r.state !== 'R' && r.state !== lastDir) { if (lastDir !== null) carried += lastBranchQ; lastDir = r.state; }
    if (r.state !== 'R') lastBranchQ = r.capacityMAh;
    if (r.step !== lastStep) { stepBase = r.state === 'R' ? r.capacityMAh : r.capacityMAh; lastStep = r.step; }
    let cap = r.capacityMAh;
    if (d.capacityMode === 'never') cap = carried + r.capacityMAh;
    else if (d.capacityMode === 'step') cap = r.state === 'R' ? 0 : r.capacityMAh - stepBase;
    const spec = plan.massMg > 0 ? cap / (plan.massMg / 1000) : 0;
    const time = (s: number) => d.time === 'sec' ? fmtNum(s, 1, comma) : d.time === 'hours' ? fmtNum(s / 3600, 7, comma) : dhms(s);
    const cells: string[] = [
      String(n), time(r.timeS), time(r.stepTimeS), fmtNum(r.currentMA * iScale, 9, comma, true), fmtNum(cap * qScale, 9, comma, true),
      fmtNum(spec, 4, comma), '0', fmtNum(r.voltageV, voltageDigits, comma), '0', '0', '-', '-', sysTime(r.timeS), '',
      String(r.cycle), String(r.step), stateName(r.state),
    ];
    yield cols.map((i) => cells[i]).join(d.delimiter);
  }
}

let gbMap: Map<string, number[]> | null = null;
/** UTF-16 → GB18030 bytes for the characters LAND headers use (built from the platform's decoder). */
function gb18030(text: string): Uint8Array {
  if (!gbMap) {
    gbMap = new Map();
    const dec = new TextDecoder('gb18030');
    for (let a = 0x81; a <= 0xfe; a++) for (let b = 0x40; b <= 0xfe; b++) {
      if (b === 0x7f) continue;
      const ch = dec.decode(new Uint8Array([a, b]));
      if (ch.length === 1 && ch !== '\ufffd' && !gbMap.has(ch)) gbMap.set(ch, [a, b]);
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else {
      const m = gbMap.get(ch);
      if (!m) throw new Error(`no GB18030 two-byte code for ${ch}`);
      out.push(...m);
    }
  }
  return new Uint8Array(out);
}

/** The full file as bytes, in the dialect's encoding and line ends. */
export function landFile(plan: CellPlan, dialect: Dialect = {}, encoding: 'utf-8' | 'gb18030' = 'utf-8'): Uint8Array {
  return encodeLines(landLines(plan, dialect), dialect, encoding);
}

export function encodeLines(lines: Iterable<string>, dialect: Dialect = {}, encoding: 'utf-8' | 'gb18030' = 'utf-8'): Uint8Array {
  const nl = dialect.crlf ? '\r\n' : '\n';
  const text = [...lines].join(nl) + nl;
  const body = encoding === 'gb18030' ? gb18030(text) : new TextEncoder().encode(text);
  if (!dialect.bom) return body;
  const out = new Uint8Array(body.length + 3);
  out.set([0xef, 0xbb, 0xbf]); out.set(body, 3);
  return out;
}

/**
 * The hard-carbon half cell of the paper (NPNHC-T1200): about 373 mAh/g first discharge, ICE
 * about 82 %, 0–2.5 V at 30 mA/g, slowly fading. Returns the plan and the per-cycle capacities
 * it was built from (mAh/g), which are the answers.
 */
export function hardCarbonPlan(opts: { cycles?: number; massMg?: number; noiseV?: number; sampleS?: number } = {}) {
  const cycles = opts.cycles ?? 40;
  const massMg = opts.massMg ?? 3.8;
  const g = massMg / 1000;
  const iMA = 30 * g;
  const qDis: number[] = [], qCh: number[] = [];
  for (let n = 1; n <= cycles; n++) {
    const ch = 305.4 * (1 - 0.00014 * (n - 1));
    const ce = n === 1 ? 0.8181 : n === 2 ? 0.962 : n === 3 ? 0.985 : Math.min(0.998, 0.99 + 0.0004 * n);
    qCh.push(n === 1 ? 373.3 * 0.8181 : ch);
    qDis.push(n === 1 ? 373.3 : ch / ce);
  }
  const branches: Branch[] = [];
  for (let n = 0; n < cycles; n++) {
    branches.push({ dir: 'D', capacityMAh: qDis[n]! * g, currentMA: iMA, restAfterS: 600 });
    branches.push({ dir: 'C', capacityMAh: qCh[n]! * g, currentMA: iMA, restAfterS: 600 });
  }
  // Sloping share of discharge: 40 % in cycle 1 (SEI), 33 % later; charge plateau share 62 %.
  const xsD = (bi: number) => (bi === 0 ? 0.42 : 0.34);
  const voltage = (dir: Dir, x: number, bi: number): number => {
    if (dir === 'D') {
      const xs = xsD(bi);
      if (x <= xs) return 0.1 + 0.15 * (1 - x / xs) + 2.25 * (1 - x / xs) ** 3;
      return 0.1 * (1 - ((x - xs) / (1 - xs)) ** 1.6);
    }
    const xp = 0.62;
    if (x <= xp) return 0.005 + 0.095 * (x / xp) ** 0.7;
    const u = (x - xp) / (1 - xp);
    return 0.1 + 0.2 * u + 2.2 * u ** 2.2;
  };
  const restVoltage = (dir: Dir, endV: number, s: number) => endV + (dir === 'D' ? 0.05 : -0.3) * (1 - Math.exp(-s / 120));
  const plan: CellPlan = { branches, massMg, voltage, restVoltage, sampleS: opts.sampleS ?? 600, sampleDV: 0.02, noiseV: opts.noiseV ?? 0.0003, initialRestS: 1800, initialV: 2.75 };
  return { plan, qDis, qCh, massMg, splitShares: { dis: [0.42, 0.34], chPlateau: 0.62 } };
}

/**
 * A LAND "mixed" CSV: the cycler's Cycle section (per-cycle capacities and efficiency computed
 * from the plan, as LAND numbers cycles), a Step section, then the Record section.
 * `alter` changes one cycle's charge capacity by a factor (to test the cross-check).
 */
export function mixedCsv(plan: CellPlan, alter?: { cycle: number; factor: number }): Uint8Array {
  const recs = [...planRecords(plan)];
  const cycles = new Map<number, { c: number; d: number; order: string[] }>();
  const steps = new Map<number, { cycle: number; mode: string; cap: number }>();
  for (const r of recs) {
    let c = cycles.get(r.cycle);
    if (!c) cycles.set(r.cycle, (c = { c: 0, d: 0, order: [] }));
    if (r.state === 'D') c.d = Math.max(c.d, r.capacityMAh);
    if (r.state === 'C') c.c = Math.max(c.c, r.capacityMAh);
    if (r.state !== 'R' && !c.order.includes(r.state)) c.order.push(r.state);
    steps.set(r.step, { cycle: r.cycle, mode: r.state === 'R' ? 'Rest' : r.state === 'D' ? 'CCD' : 'CCC', cap: r.capacityMAh });
  }
  const lines = ['Cycle,CapC/mAh,CapD/mAh,Efficiency/%'];
  for (const [k, c] of cycles) {
    const cc = alter && alter.cycle === k ? c.c * alter.factor : c.c;
    const [a, b] = c.order[0] === 'D' ? [c.d, cc] : [cc, c.d];
    lines.push(`${k},${cc.toFixed(6)},${c.d.toFixed(6)},${(a > 0 && b > 0 ? b / a * 100 : 0).toFixed(4)}`);
  }
  lines.push('Step,CycleNo,Mode,Capacity/mAh');
  for (const [k, s] of steps) lines.push(`${k},${s.cycle},${s.mode},${s.cap.toFixed(6)}`);
  return encodeLines([...lines, ...recordLines(recs, plan.massMg)]);
}
