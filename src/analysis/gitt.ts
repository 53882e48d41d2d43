/**
 * GITT: Na⁺ diffusion coefficients from current pulses (paper, eq. 3; Weppner & Huggins 1977):
 *
 *   D = 4 / (π τ) · (m_B V_M / (M_B S))² · (ΔE_s / ΔE_τ)²,   valid when τ ≪ L² / D
 *
 * τ pulse length (s); m_B active mass (g); M_B molar mass (g mol⁻¹); V_M molar volume
 * (cm³ mol⁻¹) = M_B / ρ; S electrode area (cm²); so m_B V_M / (M_B S) = m_B / (ρ S) = L (cm), the
 * dense-electrode thickness. ΔE_s: change of the relaxed potential over the pulse (V); ΔE_τ:
 * transient change during the pulse without the IR drop (V), by the endpoint method
 * |E(last) − E(first)| or the √t method |dE/d√t| · √τ. D comes out in cm² s⁻¹.
 *
 * The reducer streams records: it keeps running sums for the pulse in progress and the records
 * of the rest in progress only (a rest is short), never the whole file.
 */
import { DataError } from '../errors.js';
import type { CyclerRecord, Kind } from '../types.js';
import { NOISE_SHARE, REST_CURRENT_MA, type First } from './cycling.js';

export interface Electrode {
  massMg: number;
  areaCm2: number;
  molarMass: number;
  densityGcm3: number | null;
  molarVolumeCm3: number | null;
  thicknessUm: number | null;
}

/** L = m_B V_M / (M_B S) in cm; V_M = M_B / ρ unless given; or the thickness directly. */
export function diffusionLengthCm(e: Electrode): number {
  if (e.thicknessUm !== null) return e.thicknessUm * 1e-4;
  const vm = e.molarVolumeCm3 ?? e.molarMass / (e.densityGcm3 ?? NaN);
  return (e.massMg / 1000) * vm / (e.molarMass * e.areaCm2);
}

/** Eq. 3. τ in s, L in cm, potentials in V (any unit, as a ratio); D in cm² s⁻¹. */
export function gittD(tauS: number, lCm: number, dEs: number, dEtau: number): number {
  return 4 / (Math.PI * tauS) * lCm * lCm * (dEs / dEtau) ** 2;
}

interface Run {
  kind: Kind;
  firstLine: number;
  lastLine: number;
  n: number;
  t0: number | null;
  tFirst: number | null;
  tLast: number | null;
  vFirst: number;
  vLast: number;
  chargeMAh: number;
  prevT: number | null;
  prevI: number;
  // √t regression sums over records after the first
  sx: number; sy: number; sxx: number; sxy: number; syy: number; m: number;
  rest: { t: number; v: number }[];
  cycle: number;
  halfCycle: number;
  qBefore: number;
}

export interface Candidate {
  cycle: number;
  /** Index of the half-cycle the pulse belongs to. */
  halfCycle: number;
  dir: 'D' | 'C';
  firstLine: number;
  lastLine: number;
  tauS: number;
  eBefore: number;
  vFirst: number;
  vLast: number;
  eAfter: number;
  chargeMAh: number;
  qAfterMAh: number;
  sqrtSlope: number | null;
  r2: number | null;
  relaxSlopeVperS: number | null;
  restS: number;
}

export interface GittScan {
  candidates: Candidate[];
  /** A current step at the end of the file with no rest after it. */
  cutOff: { firstLine: number; lastLine: number } | null;
  /** Current steps not preceded by a rest (no relaxed potential before them). */
  noRestBefore: number;
  /** Smallest positive voltage step between consecutive records (V). */
  minStepV: number | null;
  currentRuns: number;
  restRuns: number;
  halfCycles: number;
  /** Current steps before `line` taken as noise (without a state column), if any. */
  noise: { runs: number; line: number } | null;
  /** Records with a current, but below NOISE_SHARE of the largest, taken as rest (without a state column). */
  faint: { records: number; line: number } | null;
}

export class GittReducer {
  private run: Run | null = null;
  private prev: Run | null = null;
  private pending: Run | null = null;
  private readonly out: Candidate[] = [];
  private hcDir: 'D' | 'C' | null = null;
  private hcIndex = -1;
  private cycle = 0;
  private qHalf = 0;
  private lastV: number | null = null;
  private minStep: number | null = null;
  private noRestBefore = 0;
  private currentRuns = 0;
  private restRuns = 0;

  private maxAbsI = 0;
  private noise: { runs: number; line: number } | null = null;
  private faint = 0;
  private faintLine = 0;

  constructor(private readonly first: First, private readonly restCurrentMA = REST_CURRENT_MA) {}

  /** Current steps so far, the one in progress included. */
  private get stepsSoFar(): number {
    return this.currentRuns + (this.run && this.run.kind !== 'R' ? 1 : 0);
  }

  /**
   * Without a state column, a rest whose current is not exactly zero (a few µA of noise either
   * way) would be cut into many tiny current steps. A record whose current is below NOISE_SHARE of
   * the largest current so far is taken as rest. Records before the first real current step are
   * judged against it when it comes: if no pulse has been found yet and everything before carried
   * less than NOISE_SHARE of its current, the steps so far were noise and are forgotten (the
   * command says so in a warning).
   */
  private kind(r: CyclerRecord): Kind {
    if (r.stateKind) return r.stateKind;
    const a = Math.abs(r.currentMA);
    if (a > this.maxAbsI) {
      const allNoise = this.maxAbsI > this.restCurrentMA && this.maxAbsI < NOISE_SHARE * a;
      if (allNoise && this.out.length === 0 && this.stepsSoFar > 0) this.forgetNoise(r);
      this.maxAbsI = a;
    }
    if (a <= this.restCurrentMA) return 'R';
    if (a <= NOISE_SHARE * this.maxAbsI) {
      if (this.faint++ === 0) this.faintLine = r.line;
      return 'R';
    }
    return r.currentMA < 0 ? 'D' : 'C';
  }

  /** The steps before record r were current noise: start again, with what came before as one rest. */
  private forgetNoise(r: CyclerRecord): void {
    this.noise = { runs: this.stepsSoFar, line: r.line };
    if (this.run) this.run = { ...this.run, kind: 'R', rest: [] };
    this.prev = null; this.pending = null;
    this.hcDir = null; this.hcIndex = -1; this.cycle = 0; this.qHalf = 0;
    this.noRestBefore = 0; this.currentRuns = 0; this.restRuns = 0; this.faint = 0;
  }

  push(r: CyclerRecord): void {
    if (this.lastV !== null) {
      const d = Math.abs(r.voltageV - this.lastV);
      if (d > 1e-9 && (this.minStep === null || d < this.minStep)) this.minStep = d;  // resolution: rounded to the nV when reported (a difference of two written voltages)
    }
    this.lastV = r.voltageV;
    const k = this.kind(r);
    if (!this.run || this.run.kind !== k) this.startRun(r, k);
    const u = this.run!;
    u.n++;
    u.lastLine = r.line;
    u.vLast = r.voltageV;
    const t = r.timeS;
    if (k === 'R') {
      if (t !== null) u.rest.push({ t, v: r.voltageV });
      u.tLast = t;
      return;
    }
    const absI = Math.abs(r.currentMA);
    if (t !== null) {
      if (u.prevT !== null && t >= u.prevT) u.chargeMAh += (absI + u.prevI) / 2 * (t - u.prevT) / 3600;
      else if (u.prevT === null && r.stepTimeS !== null && r.stepTimeS > 0) u.chargeMAh += absI * r.stepTimeS / 3600;
      if (u.n > 1 && u.t0 !== null) {
        const x = Math.sqrt(Math.max(0, t - u.t0)), y = r.voltageV;
        u.sx += x; u.sy += y; u.sxx += x * x; u.sxy += x * y; u.syy += y * y; u.m++;
      }
      u.prevT = t;
      u.tLast = t;
    }
    u.prevI = absI;
  }

  private startRun(r: CyclerRecord, k: Kind): void {
    if (this.run) this.endRun(this.run);
    if (k !== 'R') {
      if (this.hcDir !== k) {
        this.hcDir = k;
        this.hcIndex++;
        this.qHalf = 0;
        if ((k === 'D') === (this.first === 'discharge')) this.cycle++;
      }
    }
    const t0 = r.timeS === null ? null : r.timeS - (r.stepTimeS !== null && k !== 'R' ? r.stepTimeS : 0);
    this.run = {
      kind: k, firstLine: r.line, lastLine: r.line, n: 0, t0, tFirst: r.timeS, tLast: r.timeS,
      vFirst: r.voltageV, vLast: r.voltageV, chargeMAh: 0, prevT: null, prevI: 0,
      sx: 0, sy: 0, sxx: 0, sxy: 0, syy: 0, m: 0, rest: [], cycle: Math.max(1, this.cycle), halfCycle: this.hcIndex, qBefore: this.qHalf,
    };
  }

  private endRun(u: Run): void {
    if (u.kind === 'R') {
      this.restRuns++;
      if (this.pending) { this.finishCandidate(this.pending, u); this.pending = null; }
    } else {
      this.currentRuns++;
      this.qHalf += u.chargeMAh;
      if (this.prev && this.prev.kind === 'R') this.pending = u;
      else { this.noRestBefore++; this.pending = null; }
      // the rest before this run: remembered through `prev`
      (u as Run & { before?: Run }).before = this.prev ?? undefined;
    }
    this.prev = u;
  }

  private finishCandidate(p: Run, rest: Run): void {
    const before = (p as Run & { before?: Run }).before;
    if (!before || p.t0 === null || p.tLast === null) return;
    let sqrtSlope: number | null = null, r2: number | null = null;
    if (p.m >= 3) {
      const den = p.m * p.sxx - p.sx * p.sx;
      if (den > 0) {
        sqrtSlope = (p.m * p.sxy - p.sx * p.sy) / den;
        const vy = p.m * p.syy - p.sy * p.sy;
        r2 = vy > 0 ? (p.m * p.sxy - p.sx * p.sy) ** 2 / (den * vy) : 1;
      }
    }
    // Relaxation at the end of the rest: least-squares slope over its last quarter.
    let relax: number | null = null;
    const rs = rest.rest;
    let restS = 0;
    if (rs.length >= 2) {
      restS = rs[rs.length - 1]!.t - rs[0]!.t;
      const from = rs[rs.length - 1]!.t - restS / 4;
      const tail = rs.filter((q) => q.t >= from);
      if (tail.length >= 2) {
        const n = tail.length;
        let a = 0, b = 0, c = 0, d = 0;
        for (const q of tail) { a += q.t; b += q.v; c += q.t * q.t; d += q.t * q.v; }
        const den = n * c - a * a;
        relax = den > 0 ? (n * d - a * b) / den : 0;
      }
    }
    this.out.push({
      cycle: p.cycle, halfCycle: p.halfCycle, dir: p.kind as 'D' | 'C', firstLine: p.firstLine, lastLine: p.lastLine,
      tauS: p.tLast - p.t0, eBefore: before.vLast, vFirst: p.vFirst, vLast: p.vLast, eAfter: rest.vLast,
      chargeMAh: p.chargeMAh, qAfterMAh: p.qBefore + p.chargeMAh, sqrtSlope, r2, relaxSlopeVperS: relax, restS,
    });
  }

  finish(): GittScan {
    let cutOff: GittScan['cutOff'] = null;
    if (this.run) {
      const u = this.run;
      this.endRun(u);
      if (u.kind !== 'R' && this.pending === u) { cutOff = { firstLine: u.firstLine, lastLine: u.lastLine }; this.pending = null; }
    }
    return { candidates: this.out, cutOff, noRestBefore: this.noRestBefore, minStepV: this.minStep === null ? null : Math.round(this.minStep * 1e9) / 1e9, currentRuns: this.currentRuns, restRuns: this.restRuns, halfCycles: this.hcIndex + 1, noise: this.noise, faint: this.faint ? { records: this.faint, line: this.faintLine } : null };
  }
}

export interface GittOptions {
  electrode: Electrode;
  etau: 'endpoint' | 'sqrt';
  regions: [number, number];
  cycle: number | null;
  resolutionV: number;
  /** Fraction by which a pulse may differ from the most common pulse length. */
  lengthTolerance: number;
  minR2: number;
}

export interface PulseRow {
  pulse: number;
  cycle: number;
  branch: 'sodiation' | 'desodiation';
  e_v: number;
  q_mAh_g: number;
  tau_s: number;
  dEs_mV: number;
  dEtau_mV: number;
  dEtau_endpoint_mV: number;
  dEtau_sqrt_mV: number | null;
  ir_mV: number;
  d_cm2_s: number | null;
  log10_d: number | null;
  d_endpoint_cm2_s: number | null;
  d_sqrt_cm2_s: number | null;
  r2_sqrt: number | null;
  relax_slope_mV_h: number | null;
  first_line: number;
  last_line: number;
  flags: string[];
}

export interface BranchSummary {
  branch: 'sodiation' | 'desodiation';
  pulses: number;
  used: number;
  min_d_cm2_s: number | null;
  min_d_e_v: number | null;
  mean_log10_d_adsorption: number | null;
  mean_log10_d_intercalation: number | null;
  mean_log10_d_pore_filling: number | null;
  n_adsorption: number;
  n_intercalation: number;
  n_pore_filling: number;
}

export interface GittResult {
  pulses: PulseRow[];
  summary: BranchSummary[];
  tauS: number;
  lCm: number;
  skippedLengths: number;
  notes: string[];
}

export const MIN_PULSES_PER_BRANCH = 3;


function perHalfCount(scan: GittScan): number {
  return scan.halfCycles;
}

/** Pick the GITT pulses (the most common length ± tolerance) and compute D for each. */
export function analyseGitt(scan: GittScan, o: GittOptions, source: string): GittResult {
  const notes: string[] = [];
  // A GITT pulse is one of several current steps, each followed by a rest, within one half-cycle:
  // a plain charge or discharge followed by a rest is not a pulse.
  const perHalf = new Map<number, number>();
  for (const c of scan.candidates) perHalf.set(c.halfCycle, (perHalf.get(c.halfCycle) ?? 0) + 1);
  const trains = scan.candidates.filter((c) => perHalf.get(c.halfCycle)! >= MIN_PULSES_PER_BRANCH);
  const single = scan.candidates.length - trains.length;
  if (single && trains.length) notes.push(`${single} current step(s) that are a whole half-cycle (no pulse train) were left out`);
  let cands = trains;
  if (o.cycle !== null) cands = cands.filter((c) => c.cycle === o.cycle);
  if (!cands.length) {
    const what = o.cycle !== null ? ` in cycle ${o.cycle}` : '';
    const elsewhere = trains.length && o.cycle !== null ? ` (pulses exist in cycle(s) ${[...new Set(trains.map((c) => c.cycle))].join(', ')})` : '';
    throw new DataError(`no GITT pulses found${what}: looked for trains of at least ${MIN_PULSES_PER_BRANCH} constant-current steps, each followed by a rest, within one half-cycle; the file has ${scan.currentRuns} current step(s) and ${scan.restRuns} rest(s) in ${perHalfCount(scan)} half-cycle(s)${elsewhere}`, { file: source });
  }
  // Group the lengths (each group within the tolerance of its shortest member); the largest group is the pulse train.
  const sorted = cands.map((c) => c.tauS).sort((a, b) => a - b);
  const groups: { from: number; n: number }[] = [];
  for (const t of sorted) {
    const g = groups[groups.length - 1];
    if (g && t <= g.from * (1 + o.lengthTolerance)) g.n++;
    else groups.push({ from: t, n: 1 });
  }
  const bySize = [...groups].sort((a, b) => b.n - a.n);
  const top = bySize[0]!;
  const lens = groups.map((g) => `${g.n} × ${Math.round(g.from)} s`).join(', ');
  if (top.n < MIN_PULSES_PER_BRANCH) {
    throw new DataError(`no GITT pulses: found ${cands.length} current step(s) followed by a rest, but no ${MIN_PULSES_PER_BRANCH} of equal length (${lens}); GITT needs a train of equal pulses`, { file: source });
  }
  if (bySize[1] && bySize[1].n === top.n) {
    throw new DataError(`pulses of mixed length (${lens}): no length is the most common, so the GITT pulses cannot be told apart; choose a cycle with --cycle`, { file: source });
  }
  const modal = cands.filter((c) => c.tauS >= top.from && c.tauS <= top.from * (1 + o.lengthTolerance));
  const tau = modal.reduce((s, c) => s + c.tauS, 0) / modal.length;
  const skipped = cands.length - modal.length;
  if (skipped) notes.push(`${skipped} current step(s) whose length differs by more than ${o.lengthTolerance * 100} % from the pulse length ${tau.toFixed(0)} s were left out (${lens})`);
  const L = diffusionLengthCm(o.electrode);
  const g = o.electrode.massMg / 1000;
  const res = o.resolutionV;
  const pulses: PulseRow[] = modal.map((c, i) => {
    const dEs = Math.abs(c.eAfter - c.eBefore);
    const endpoint = Math.abs(c.vLast - c.vFirst);
    const sqrt = c.sqrtSlope === null ? null : Math.abs(c.sqrtSlope) * Math.sqrt(c.tauS);
    const chosen = o.etau === 'sqrt' ? sqrt : endpoint;
    const flags: string[] = [];
    // Within one quantum of the file's voltage resolution (with slack for binary rounding).
    const within = (x: number) => x <= res * 1.5;
    if (within(dEs)) flags.push('dEs_within_resolution');
    if (within(endpoint) || (sqrt !== null && within(sqrt))) flags.push('dEtau_within_resolution');
    if (c.r2 === null || c.r2 < o.minR2) flags.push('poor_sqrt_fit');
    const dOf = (et: number | null) => (et === null || et <= 0 || dEs <= 0 ? null : gittD(c.tauS, L, dEs, et));
    const dEnd = dOf(endpoint), dSqrt = dOf(sqrt), d = o.etau === 'sqrt' ? dSqrt : dEnd;
    if (c.relaxSlopeVperS !== null && Math.abs(c.relaxSlopeVperS) * c.restS / 4 > Math.max(res, 0.05 * dEs)) flags.push('relaxation_unfinished');
    if (d !== null && c.tauS > 0.1 * L * L / d) flags.push('tau_not_short');
    return {
      pulse: i + 1,
      cycle: c.cycle,
      branch: c.dir === 'D' ? 'sodiation' : 'desodiation',
      e_v: c.eAfter,
      q_mAh_g: c.qAfterMAh / g,
      tau_s: c.tauS,
      dEs_mV: dEs * 1000,
      dEtau_mV: (chosen ?? NaN) * 1000,
      dEtau_endpoint_mV: endpoint * 1000,
      dEtau_sqrt_mV: sqrt === null ? null : sqrt * 1000,
      ir_mV: Math.abs(c.vFirst - c.eBefore) * 1000,
      d_cm2_s: d,
      log10_d: d === null ? null : Math.log10(d),
      d_endpoint_cm2_s: dEnd,
      d_sqrt_cm2_s: dSqrt,
      r2_sqrt: c.r2,
      relax_slope_mV_h: c.relaxSlopeVperS === null ? null : c.relaxSlopeVperS * 3.6e6,
      first_line: c.firstLine,
      last_line: c.lastLine,
      flags,
    };
  });
  const [hi, lo] = o.regions;
  const summary: BranchSummary[] = (['sodiation', 'desodiation'] as const).map((b) => {
    const all = pulses.filter((p) => p.branch === b);
    const ok = all.filter((p) => p.d_cm2_s !== null && !p.flags.includes('dEs_within_resolution') && !p.flags.includes('dEtau_within_resolution'));
    let min: PulseRow | null = null;
    for (const p of ok) if (!min || p.d_cm2_s! < min.d_cm2_s!) min = p;
    const mean = (ps: PulseRow[]) => (ps.length ? ps.reduce((s, p) => s + p.log10_d!, 0) / ps.length : null);
    const ads = ok.filter((p) => p.e_v > hi), inter = ok.filter((p) => p.e_v <= hi && p.e_v > lo), pore = ok.filter((p) => p.e_v <= lo);
    return {
      branch: b, pulses: all.length, used: ok.length,
      min_d_cm2_s: min?.d_cm2_s ?? null, min_d_e_v: min?.e_v ?? null,
      mean_log10_d_adsorption: mean(ads), mean_log10_d_intercalation: mean(inter), mean_log10_d_pore_filling: mean(pore),
      n_adsorption: ads.length, n_intercalation: inter.length, n_pore_filling: pore.length,
    };
  });
  return { pulses, summary, tauS: tau, lCm: L, skippedLengths: skipped, notes };
}
