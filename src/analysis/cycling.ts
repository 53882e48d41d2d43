/**
 * Streaming segmentation of cycler records into half-cycles and cycles (science.md, "Words and
 * signs" and "Capacity"). Memory is O(half-cycles), never O(records).
 *
 * - A record is discharge (D), charge (C) or rest (R): from the state column when known, else
 *   from the sign of the current (LAND: negative = discharge).
 * - A half-cycle is a maximal run of records in one direction; rests inside it and CC→CV changes
 *   do not split it.
 * - Its capacity comes from the capacity column: a value that accumulates over the half-cycle
 *   (LAND) or resets per step (summed), detected from the data; a counter that never resets
 *   is differenced. Without a capacity column, |I| is integrated over time (trapezoid).
 * - Cycle n = the n-th insertion half-cycle and the extraction half-cycle after it.
 */
import type { CyclerRecord, Kind } from '../types.js';
import { maxOf } from './extent.js';

export type First = 'discharge' | 'charge';

/** Called for every current record with the running capacity of its half-cycle (for profiles, dQ/dV). */
export type PointHook = (cycle: number, dir: 'D' | 'C', voltageV: number, qMAh: number, line: number) => void;

export interface CyclingOptions {
  /** Receives each point of each half-cycle as it streams by (cycle 0 = before the first insertion). */
  onPoint?: PointHook;
  /** Which direction is the first (insertion) branch: discharge for an anode half cell. */
  first: First;
  /** The split voltage for the sloping / plateau capacity (V). */
  splitV: number;
  /** |I| at or below this (mA) counts as rest when the file has no state column. */
  restCurrentMA?: number;
  /**
   * Stop once cycle N is complete (the next insertion has begun with real current): later records
   * are ignored (`done` turns true; the loader stops reading). The unfinished half-cycle that
   * revealed the end is dropped, so `cycles` holds cycles 1…N. Unset: read everything.
   */
  stopAfterCycle?: number;
}

/** Rest below this |current| (mA) when the file has no state column. */
export const REST_CURRENT_MA = 1e-6;

/** Without a state column, current below this share of the largest current is rest (noise). */
export const NOISE_SHARE = 0.005;

/** Early stop without a state column: a run of real current counts as a half-cycle from this many records. */
export const STOP_RUN_RECORDS = 3;

/** Discharge, charge or rest: the state column when known, else the sign of the current (LAND: negative = discharge). */
export function classifyRecord(r: CyclerRecord, restCurrentMA = REST_CURRENT_MA): Kind {
  if (r.stateKind) return r.stateKind;
  if (Math.abs(r.currentMA) <= restCurrentMA) return 'R';
  return r.currentMA < 0 ? 'D' : 'C';
}

export interface HalfCycle {
  /** 0-based position among all half-cycles of the file. */
  index: number;
  dir: 'D' | 'C';
  firstLine: number;
  lastLine: number;
  records: number;
  startTimeS: number | null;
  endTimeS: number | null;
  /** Instrument cycle number at the first record, as given. */
  vendorCycle: number | null;
  startV: number;
  endV: number;
  minV: number;
  maxV: number;
  /** From the capacity column (null without one). */
  columnMAh: number | null;
  /** ∫|I|dt (null without a time column). */
  integratedMAh: number | null;
  /** The capacity used: column when present, else integrated. */
  capacityMAh: number;
  /** Capacity passed when the voltage first reached the split voltage (interpolated), or null if never. */
  crossMAh: number | null;
  /** Number of capacity-column resets inside the half-cycle (per-step exports). */
  resets: number;
  /** The capacity column did not restart at the start of this half-cycle. */
  counterCarried: boolean;
  /** Largest |current| in the half-cycle (mA). */
  maxAbsCurrentMA: number;
  /**
   * The constant-current |I| of the branch (mA): the median |I| of its constant-current records,
   * i.e. of the records within CC_BAND of the most common current (CV tails and odd records are
   * left out). Null when the branch carries no current.
   */
  ccCurrentMA: number | null;
  /** Records counted as constant-current (those within CC_BAND of the most common |I|). */
  ccRecords: number;
  /** ∫V dQ over the branch's records (trapezoid in the running capacity), mWh. */
  energyMWh: number;
}

export interface Cycle {
  /** 1-based, by our definition (not the vendor's). */
  n: number;
  insertion: HalfCycle;
  extraction: HalfCycle | null;
}

export interface CyclingData {
  first: First;
  splitV: number;
  halfCycles: HalfCycle[];
  cycles: Cycle[];
  /** Extraction half-cycles before the first insertion (belong to no cycle). */
  leading: HalfCycle[];
  capacitySource: 'column' | 'integrated';
  /** Mass implied by the file's capacity / specific-capacity columns, mg (null if absent or all zero). */
  statedMassMg: number | null;
  records: number;
  restRecords: number;
  /** Runs of one record kind (and one step index, where the file has one). */
  steps: number;
  /** Set when reading stopped early (`stopAfterCycle`): everything above covers only what was read. */
  partial?: { stoppedAfterCycle: number; lastLineRead: number } | null;
  timeSpanS: number | null;
  warnings: string[];
}

interface Open {
  h: HalfCycle;
  baseline: number;
  segMax: number;
  lastCap: number | null;
  completed: number;
  prevV: number | null;
  prevQ: number;
  prevT: number | null;
  prevAbsI: number;
  /** The previous record of this half-cycle was a rest (or none yet). */
  afterGap: boolean;
  integ: number;
  /** Previous point for the energy trapezoid. */
  eV: number | null;
  eQ: number;
  /** Record count and sum of |I| per relative |I| bin (CURRENT_BIN wide), at most MAX_CURRENT_BINS bins. */
  bins: Map<number, { n: number; s: number }>;
}

export class CyclingReducer {
  private readonly opts: Required<Omit<CyclingOptions, 'onPoint' | 'stopAfterCycle'>> & Pick<CyclingOptions, 'onPoint' | 'stopAfterCycle'>;
  private cycleNo = 0;
  private readonly halfCycles: HalfCycle[] = [];

  private open: Open | null = null;
  private lastColumnCap: number | null = null;
  private hasCapacity = false;
  private hasTime = false;
  private bestMass: { cap: number; spec: number } | null = null;
  private specSeen = false;
  private records = 0;
  private restRecords = 0;
  private steps = 0;
  private lastKind: Kind | null = null;
  private lastStep: number | null = null;
  private firstT: number | null = null;
  private lastT: number | null = null;
  private backwards = 0;
  private backwardsLine = 0;
  private lastAnyT: number | null = null;
  private readonly warnings: string[] = [];
  private minV = Infinity;
  private maxV = -Infinity;
  private minVLine = 0;
  private maxVLine = 0;
  private hasState = false;
  private negativeCurrent = false;
  /** Largest |I| of any current record so far (mA). */
  private largestMA = 0;
  /** Early stop: the current run of real records, the last counted direction, the insertions counted. */
  private run: { dir: 'D' | 'C'; records: number } | null = null;
  private countedDir: 'D' | 'C' | null = null;
  private countedInsertions = 0;
  private stopped: { lastLineRead: number } | null = null;
  private lastLine = 0;

  constructor(opts: CyclingOptions) {
    this.opts = { restCurrentMA: REST_CURRENT_MA, ...opts };
  }

  classify(r: CyclerRecord): Kind {
    return classifyRecord(r, this.opts.restCurrentMA);
  }

  /** True once `stopAfterCycle` is complete: further records are ignored. */
  get done(): boolean { return this.stopped !== null; }

  push(r: CyclerRecord): void {
    if (this.stopped) return;
    if (this.opts.stopAfterCycle !== undefined && this.endsRead(r)) return;
    this.lastLine = r.line;
    this.records++;
    const t = r.timeS;
    if (t !== null) {
      this.hasTime = true;
      if (this.firstT === null) this.firstT = t;
      if (this.lastAnyT !== null && t < this.lastAnyT) {
        if (this.backwards++ === 0) this.backwardsLine = r.line;
      }
      this.lastAnyT = t;
      this.lastT = t;
    }
    if (r.capacityMAh !== null) this.hasCapacity = true;
    if (r.voltageV < this.minV) { this.minV = r.voltageV; this.minVLine = r.line; }
    if (r.voltageV > this.maxV) { this.maxV = r.voltageV; this.maxVLine = r.line; }
    if (r.stateKind) this.hasState = true;
    if (r.currentMA < 0) this.negativeCurrent = true;
    if (r.specificCapacityMAhG !== null) {
      this.specSeen = true;
      if (r.capacityMAh !== null && r.capacityMAh !== 0 && r.specificCapacityMAhG !== 0) {
        const cap = Math.abs(r.capacityMAh);
        if (!this.bestMass || cap > this.bestMass.cap) this.bestMass = { cap, spec: Math.abs(r.specificCapacityMAhG) };
      }
    }
    const k = this.classify(r);
    if (k !== this.lastKind || r.stepIndex !== this.lastStep) { this.steps++; this.lastKind = k; this.lastStep = r.stepIndex; }
    if (k === 'R') {
      this.restRecords++;
      if (this.open) this.open.afterGap = true;
      return;
    }
    let o = this.open;
    if (!o || o.h.dir !== k) {
      if (o) this.close(o);
      o = this.open = this.start(r, k);
    }
    this.advance(o, r);
  }

  /**
   * Early stop: does this record begin cycle N+1? Counted on runs of "real" current records in one
   * direction (rests and faint records do not break a run). With a state column every current
   * record is real and any run counts. Without one, a record is real when its |I| is at least
   * NOISE_SHARE of the largest current so far (as `dropCurrentNoise` judges at the end), and a run
   * counts only from STOP_RUN_RECORDS records on, so rest-current noise flipping sign neither
   * counts a cycle nor ends the read; a record far above all before it shows that everything so far
   * was noise, and the count restarts. When cycle N+1's first real record arrives, the half-cycle
   * open then is closed (an extraction: the end of cycle N) or dropped (a faint start of the
   * insertion), and the rest of the input is ignored.
   */
  private endsRead(r: CyclerRecord): boolean {
    const k = this.classify(r);
    if (k === 'R') return false;
    const absI = Math.abs(r.currentMA);
    const state = this.hasState || r.stateKind !== null;
    if (!state && absI * NOISE_SHARE > this.largestMA) { this.run = null; this.countedDir = null; this.countedInsertions = 0; }
    const real = state || absI >= NOISE_SHARE * Math.max(this.largestMA, absI);
    if (!real) return false;
    if (this.run && this.run.dir === k) { this.run.records++; return false; }
    // A run in the other direction ends here: count it if it is long enough.
    const ended = this.run;
    if (ended && ended.dir !== this.countedDir && (state || ended.records >= STOP_RUN_RECORDS)) {
      this.countedDir = ended.dir;
      if ((ended.dir === 'D') === (this.opts.first === 'discharge')) this.countedInsertions++;
    }
    this.run = { dir: k, records: 1 };
    const insertion = (k === 'D') === (this.opts.first === 'discharge');
    if (insertion && this.countedDir !== null && this.countedDir !== k && this.countedInsertions >= this.opts.stopAfterCycle!) {
      const o = this.open;
      if (o) { if (o.h.dir === k) this.open = null; else this.close(o); }
      this.stopped = { lastLineRead: this.lastLine };
      return true;
    }
    return false;
  }

  private start(r: CyclerRecord, dir: 'D' | 'C'): Open {
    if ((dir === 'D') === (this.opts.first === 'discharge')) this.cycleNo++;
    const h: HalfCycle = {
      index: this.halfCycles.length, dir, firstLine: r.line, lastLine: r.line, records: 0,
      startTimeS: r.timeS, endTimeS: r.timeS, vendorCycle: r.cycleIndex,
      startV: r.voltageV, endV: r.voltageV, minV: r.voltageV, maxV: r.voltageV,
      columnMAh: null, integratedMAh: null, capacityMAh: 0, crossMAh: null, resets: 0, counterCarried: false, maxAbsCurrentMA: 0,
      ccCurrentMA: null, ccRecords: 0, energyMWh: 0,
    };
    let baseline = 0;
    const cap = r.capacityMAh === null ? null : Math.abs(r.capacityMAh);
    const prev = this.halfCycles[this.halfCycles.length - 1];
    const last = this.lastColumnCap;
    if (cap !== null && last !== null && last > 0 && cap >= last && last >= 0.5 * cap && !(prev && last < 0.5 * prev.capacityMAh)) {
      // The column did not restart at the direction change: count from where it stood. A carried
      // counter holds at least the previous branch's charge and is most of the new value; a last
      // value that is neither is a per-step counter (Arbin) that restarted on a record or two of
      // noise between the branches.
      baseline = last;
      h.counterCarried = true;
    }
    return { h, baseline, segMax: cap ?? 0, lastCap: null, completed: 0, prevV: null, prevQ: 0, prevT: null, prevAbsI: 0, afterGap: true, integ: 0, eV: null, eQ: 0, bins: new Map() };
  }

  private advance(o: Open, r: CyclerRecord): void {
    const h = o.h;
    h.records++;
    h.lastLine = r.line;
    h.endV = r.voltageV;
    if (r.voltageV < h.minV) h.minV = r.voltageV;
    if (r.voltageV > h.maxV) h.maxV = r.voltageV;
    if (r.timeS !== null) h.endTimeS = r.timeS;
    const absI = Math.abs(r.currentMA);
    if (absI > h.maxAbsCurrentMA) h.maxAbsCurrentMA = absI;
    if (absI > this.largestMA) this.largestMA = absI;
    if (absI > 0) {
      const bin = Math.round(Math.log(absI) / CURRENT_BIN);
      const b = o.bins.get(bin);
      if (b) { b.n++; b.s += absI; } else if (o.bins.size < MAX_CURRENT_BINS) o.bins.set(bin, { n: 1, s: absI });
    }
    // Integrated capacity (trapezoid between consecutive records of the branch; at a step start
    // the step time covers the stretch since the step began).
    if (r.timeS !== null) {
      if (o.afterGap || o.prevT === null) {
        if (r.stepTimeS !== null && r.stepTimeS > 0) o.integ += absI * r.stepTimeS / 3600;
      } else if (r.timeS >= o.prevT) {
        o.integ += (absI + o.prevAbsI) / 2 * (r.timeS - o.prevT) / 3600;
      }
      o.prevT = r.timeS;
    }
    o.prevAbsI = absI;
    o.afterGap = false;
    // Capacity column.
    let q: number;
    if (r.capacityMAh !== null) {
      const cap = Math.abs(r.capacityMAh);
      if (o.lastCap !== null && cap < 0.5 * o.lastCap) {
        // The column restarted inside the half-cycle (per-step export): close the segment.
        // A first record still showing the previous branch's total is not a carried counter.
        const stale = h.counterCarried && o.completed === 0 && h.resets === 0 && o.segMax === o.baseline;
        o.completed += o.segMax - o.baseline;
        o.baseline = 0;
        o.segMax = cap;
        if (stale) h.counterCarried = false; else h.resets++;
      } else if (o.lastCap !== null && cap < o.baseline) {
        o.baseline = 0;
        h.counterCarried = false;
      }
      if (cap > o.segMax) o.segMax = cap;
      o.lastCap = cap;
      this.lastColumnCap = cap;
      q = o.completed + Math.max(0, cap - o.baseline);
    } else {
      q = o.integ;
    }
    // Sloping / plateau split: the first time the voltage reaches the split voltage.
    if (h.crossMAh === null) {
      const s = this.opts.splitV;
      const reached = h.dir === 'D' ? r.voltageV <= s : r.voltageV >= s;
      if (reached) {
        if (o.prevV === null) h.crossMAh = 0;
        else {
          const f = r.voltageV === o.prevV ? 1 : (s - o.prevV) / (r.voltageV - o.prevV);
          h.crossMAh = o.prevQ + f * (q - o.prevQ);
        }
      }
    }
    // Energy ∫V dQ: trapezoid between consecutive points of the branch (from Q = 0 at its start).
    h.energyMWh += (o.eV === null ? r.voltageV : (r.voltageV + o.eV) / 2) * (q - o.eQ);
    o.eV = r.voltageV; o.eQ = q;
    o.prevV = r.voltageV;
    o.prevQ = q;
    if (this.opts.onPoint) this.opts.onPoint(this.cycleNo, h.dir, r.voltageV, q, r.line);
  }

  private close(o: Open): void {
    const h = o.h;
    if (this.hasCapacity && o.lastCap !== null) h.columnMAh = o.completed + o.segMax - o.baseline;
    if (this.hasTime) h.integratedMAh = o.integ;
    h.capacityMAh = h.columnMAh ?? h.integratedMAh ?? 0;
    Object.assign(h, ccCurrent(o.bins));
    this.halfCycles.push(h);
    this.open = null;
  }

  finish(): CyclingData {
    if (this.open) this.close(this.open);
    const w = this.warnings;
    if (!this.hasState) this.dropCurrentNoise(w);
    const ins = this.opts.first === 'discharge' ? 'D' : 'C';
    const cycles: Cycle[] = [];
    const leading: HalfCycle[] = [];
    for (const h of this.halfCycles) {
      if (h.dir === ins) cycles.push({ n: cycles.length + 1, insertion: h, extraction: null });
      else if (cycles.length) cycles[cycles.length - 1]!.extraction = h;
      else leading.push(h);
    }
    // A last branch that holds no capacity yet (the file ends as it begins: a cut or a run still
    // going) does not complete its cycle; counted, it would make a CE of 0 % and pull the retention
    // and rate windows down.
    const lastCycle = cycles[cycles.length - 1], tail = this.halfCycles[this.halfCycles.length - 1];
    if (lastCycle?.extraction && lastCycle.extraction === tail && (tail.columnMAh !== null || tail.integratedMAh !== null) && !(tail.capacityMAh > 0)) {
      lastCycle.extraction = null;
      const what = tail.dir === 'D' ? 'discharge' : 'charge';
      w.push(`the file ends as the ${what} of cycle ${lastCycle.n} begins (${tail.records > 1 ? `lines ${tail.firstLine}–${tail.lastLine}` : `line ${tail.firstLine}`}, no capacity yet): cycle ${lastCycle.n} is taken as incomplete`);
    }
    if (this.backwards) w.push(`time goes backwards ${this.backwards} time${this.backwards > 1 ? 's' : ''} (first at line ${this.backwardsLine}); those intervals are not integrated`);
    const carried = this.halfCycles.filter((h) => h.counterCarried);
    if (carried.length) w.push(`the capacity column does not restart when the current reverses (${carried.length} half-cycles, first at line ${carried[0]!.firstLine}): capacities are taken as differences`);
    if (this.hasCapacity && this.hasTime) {
      for (const c of cycles) {
        for (const h of [c.insertion, c.extraction]) {
          if (!h || h.columnMAh === null || h.integratedMAh === null || h.records < 10 || h.columnMAh <= 0) continue;
          const d = Math.abs(h.integratedMAh - h.columnMAh) / h.columnMAh;
          if (d > 0.005) {
            w.push(`cycle ${c.n} ${h.dir === 'D' ? 'discharge' : 'charge'}: capacity column ${fmt(h.columnMAh)} mAh and ∫|I|dt ${fmt(h.integratedMAh)} mAh differ by ${(d * 100).toFixed(2)} % (lines ${h.firstLine}–${h.lastLine}); the column is used`);
          }
        }
      }
    }
    if (this.maxV > PLAUSIBLE_V[1] || this.minV < PLAUSIBLE_V[0]) {
      const [v, line] = this.maxV > PLAUSIBLE_V[1] ? [this.maxV, this.maxVLine] : [this.minV, this.minVLine];
      w.push(`the voltage reaches ${v} V (line ${line}), outside any plausible cell voltage (${PLAUSIBLE_V[0]} to ${PLAUSIBLE_V[1]} V): check the voltage unit (mV written as V?)`);
    }
    const dead = this.halfCycles.filter((h) => h.maxAbsCurrentMA === 0);
    if (dead.length) w.push(`${dead.length} half-cycle(s) are marked charge or discharge by the state column but carry no current (first at lines ${dead[0]!.firstLine}–${dead[0]!.lastLine}); their capacity comes from the capacity column alone`);
    if (this.stopped && cycles.filter((c) => c.extraction).length < this.opts.stopAfterCycle!) {
      w.push(`reading stopped after what looked like cycle ${this.opts.stopAfterCycle} (line ${this.stopped.lastLineRead}), but only ${cycles.filter((c) => c.extraction).length} complete cycle(s) were found in it: read the whole file (--full)`);
    }
    let statedMassMg: number | null = null;
    // To 6 significant digits: the columns carry no more, and 3.7999999999999994 mg (float noise
    // of the division) is 3.8 mg, the mass entered in the cycler.
    if (this.bestMass) statedMassMg = Number((this.bestMass.cap / this.bestMass.spec * 1000).toPrecision(STATED_MASS_DIGITS));
    return {
      first: this.opts.first, splitV: this.opts.splitV, halfCycles: this.halfCycles, cycles, leading,
      capacitySource: this.hasCapacity ? 'column' : 'integrated', statedMassMg,
      records: this.records, restRecords: this.restRecords, steps: this.steps,
      timeSpanS: this.firstT !== null && this.lastT !== null ? this.lastT - this.firstT : null,
      partial: this.stopped ? { stoppedAfterCycle: this.opts.stopAfterCycle!, lastLineRead: this.stopped.lastLineRead } : null,
      warnings: w,
    };
  }

  /**
   * Without a state column, current noise during a rest (a few µA either way) would make tiny
   * half-cycles. Stretches whose current stays below NOISE_SHARE of the largest current are taken as
   * rests, and the half-cycles on either side of them, now in the same direction, are joined
   * (their capacities add: the cycler kept counting through what it knew was a rest).
   */
  private dropCurrentNoise(w: string[]): void {
    if (this.halfCycles.length < 2) return;
    const largest = maxOf(this.halfCycles.map((h) => h.maxAbsCurrentMA));
    const keep: HalfCycle[] = [];
    let faint = 0, firstFaint: HalfCycle | null = null;
    for (const h of this.halfCycles) {
      if (h.maxAbsCurrentMA < NOISE_SHARE * largest) { faint++; firstFaint ??= h; continue; }
      const prev = keep[keep.length - 1];
      if (prev && prev.dir === h.dir) {
        if (prev.crossMAh === null && h.crossMAh !== null) prev.crossMAh = prev.capacityMAh + h.crossMAh;
        prev.capacityMAh += h.capacityMAh;
        if (prev.columnMAh !== null && h.columnMAh !== null) prev.columnMAh += h.columnMAh;
        if (prev.integratedMAh !== null && h.integratedMAh !== null) prev.integratedMAh += h.integratedMAh;
        prev.records += h.records; prev.lastLine = h.lastLine; prev.endTimeS = h.endTimeS; prev.endV = h.endV;
        prev.minV = Math.min(prev.minV, h.minV); prev.maxV = Math.max(prev.maxV, h.maxV);
        prev.resets += h.resets; prev.maxAbsCurrentMA = Math.max(prev.maxAbsCurrentMA, h.maxAbsCurrentMA);
        // Energy adds like capacity (the later part starts from Q = 0 of its own); the CC current
        // is that of the part with more constant-current records.
        prev.energyMWh += h.energyMWh;
        if (h.ccRecords > prev.ccRecords) { prev.ccCurrentMA = h.ccCurrentMA; }
        prev.ccRecords = Math.max(prev.ccRecords, h.ccRecords);
      } else keep.push(h);
    }
    if (!faint) return;
    keep.forEach((h, k) => { h.index = k; });
    this.halfCycles.splice(0, this.halfCycles.length, ...keep);
    w.push(`${faint} stretch(es) of current below ${NOISE_SHARE * 100} % of the largest current (first at lines ${firstFaint!.firstLine}–${firstFaint!.lastLine}) taken as rest: noise with no state column to say so`);
  }

  /** No state column and no negative current: discharge cannot be told from charge. */
  get unsigned(): boolean { return !this.hasState && !this.negativeCurrent && this.records > 0; }

  /** True when the file had a specific-capacity column but it held only zeros (no mass entered). */
  get specAllZero(): boolean { return this.specSeen && !this.bestMass; }
}

function fmt(x: number): string { return x.toPrecision(5); }

/** Width of a current bin: 0.1 % in |I| (natural-log units). */
export const CURRENT_BIN = Math.log(1.001);
/** Distinct current bins kept per half-cycle (a CV tail can make many; the CC current comes first). */
export const MAX_CURRENT_BINS = 2048;
/** Records within this relative distance of the most common |I| count as constant-current. */
export const CC_BAND = 0.02;

/**
 * The constant-current |I| of a branch from its current bins: the median, by record, of the
 * records within CC_BAND of the most common bin (each bin at the mean |I| of its records).
 */
export function ccCurrent(bins: Map<number, { n: number; s: number }>): { ccCurrentMA: number | null; ccRecords: number } {
  let mode: number | null = null, best = 0;
  for (const [k, b] of bins) if (b.n > best || (b.n === best && mode !== null && k > mode)) { best = b.n; mode = k; }
  if (mode === null) return { ccCurrentMA: null, ccRecords: 0 };
  const band = Math.ceil(Math.log(1 + CC_BAND) / CURRENT_BIN);
  const near = [...bins].filter(([k]) => Math.abs(k - mode!) <= band).sort((a, b) => a[0] - b[0]);
  const total = near.reduce((s, [, b]) => s + b.n, 0);
  let seen = 0;
  for (const [, b] of near) {
    seen += b.n;
    if (seen * 2 >= total) return { ccCurrentMA: b.s / b.n, ccRecords: total };
  }
  return { ccCurrentMA: null, ccRecords: 0 };
}

/** Significant digits of the mass implied by the capacity and specific-capacity columns. */
export const STATED_MASS_DIGITS = 6;

/** Cell voltages outside this range (V) are implausible for any battery chemistry: a unit mix-up. */
export const PLAUSIBLE_V: [number, number] = [-5, 10];

/** Run the reducer over batches of records. */
export async function segment(batches: AsyncIterable<CyclerRecord[]>, opts: CyclingOptions): Promise<CyclingData> {
  const red = new CyclingReducer(opts);
  for await (const b of batches) for (const r of b) red.push(r);
  return red.finish();
}
