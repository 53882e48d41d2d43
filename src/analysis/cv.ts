/**
 * (The analysis issue 14 asks for — sign detection, every peak with a baseline, SEI, b(V), Dunn —
 * is in ./cv/index.ts; this module is what the current `hcarb cv` command uses.)
 * Cyclic voltammetry: sweeps split where the potential reverses (or by the file's `Segment N:`
 * blocks), the peak of each sweep, the peak separation per cycle, the first-cycle irreversible
 * (SEI) peak, and the b-value from log|i_p| against log v.
 *
 * Sign: currents are read as anodic-positive (IUPAC) unless the file is declared
 * cathodic-positive, in which case they are negated once here. An anodic peak is the current
 * maximum of a positive-going sweep, a cathodic peak the minimum of a negative-going sweep.
 */
import { simpleStatistics } from '../lazy.js';
import { DataError } from '../errors.js';

export interface Sweep {
  index: number;
  direction: 'anodic' | 'cathodic';
  start: number;
  /** Exclusive. */
  end: number;
}

/** Split a potential trace into monotonic sweeps; a vertex point opens the next sweep. */
export function splitSweeps(e: Float64Array, segments: Int32Array | null = null): Sweep[] {
  const out: Sweep[] = [];
  const n = e.length;
  if (segments) {
    let s = 0;
    for (let k = 1; k <= n; k++) {
      if (k === n || segments[k] !== segments[s]) {
        const dir = e[k - 1]! >= e[s]! ? 'anodic' : 'cathodic';
        out.push({ index: out.length + 1, direction: dir, start: s, end: k });
        s = k;
      }
    }
    return out;
  }
  let start = 0;
  let dir = 0;
  let last = e[0]!;
  let lastIdx = 0;
  for (let k = 1; k < n; k++) {
    const d = Math.sign(e[k]! - last);
    if (d === 0) continue;
    if (dir === 0) dir = d;
    else if (d !== dir) {
      // The vertex (the last point before the reversal) opens the next sweep.
      out.push({ index: out.length + 1, direction: dir > 0 ? 'anodic' : 'cathodic', start, end: lastIdx });
      start = lastIdx;
      dir = d;
    }
    last = e[k]!;
    lastIdx = k;
  }
  out.push({ index: out.length + 1, direction: dir >= 0 ? 'anodic' : 'cathodic', start, end: n });
  return out.filter((s) => s.end - s.start >= 2);
}

export interface Peak { ep_v: number | null; ip_a: number | null; index: number | null }

/**
 * The peak of a sweep: the extreme current in the sweep's faradaic direction that is a local
 * extremum away from the ends (a current that keeps growing up to the vertex is not a peak).
 */
export function sweepPeak(e: Float64Array, i: Float64Array, s: Sweep): Peak {
  const len = s.end - s.start;
  const w = Math.max(3, Math.min(25, Math.floor(len * 0.01)));
  const sign = s.direction === 'anodic' ? 1 : -1;
  // The largest local extremum: a point at least as high as every point within w on both sides,
  // and strictly higher than the points w away (a current still rising at the vertex is no peak).
  let best = -1, bestV = -Infinity;
  for (let k = s.start + w; k <= s.end - 1 - w; k++) {
    const v = sign * i[k]!;
    if (v <= bestV) continue;
    if (!(v > sign * i[k - w]! && v > sign * i[k + w]!)) continue;
    let ok = true;
    for (let j = k - w; j <= k + w && ok; j++) if (sign * i[j]! > v) ok = false;
    if (ok) { best = k; bestV = v; }
  }
  if (best < 0) return { ep_v: null, ip_a: null, index: null };
  return { ep_v: e[best]!, ip_a: i[best]!, index: best };
}

export interface CvRow {
  cycle: number;
  sweep: number;
  direction: 'anodic' | 'cathodic';
  ep_v: number | null;
  ip_a: number | null;
  ip_a_g: number | null;
  delta_ep_v: number | null;
  e_start_v: number;
  e_end_v: number;
  points: number;
  flags: string[];
}

/** Interpolated current of a sweep at a potential (null outside its range). */
function currentAt(e: Float64Array, i: Float64Array, s: Sweep, at: number): number | null {
  for (let k = s.start + 1; k < s.end; k++) {
    const a = e[k - 1]!, b = e[k]!;
    if ((a - at) * (b - at) <= 0 && a !== b) return i[k - 1]! + (at - a) / (b - a) * (i[k]! - i[k - 1]!);
  }
  return null;
}

export function analyseCv(e: Float64Array, iRaw: Float64Array, opts: { segments: Int32Array | null; cathodicPositive: boolean; massMg: number | null }, source: string): { rows: CvRow[]; sweeps: Sweep[]; current: Float64Array } {
  if (e.length < 10) throw new DataError(`too few points for a CV (${e.length}); at least 10 are needed`, { file: source });
  const i = opts.cathodicPositive ? iRaw.map((x) => -x) : iRaw;
  const sweeps = splitSweeps(e, opts.segments);
  const g = opts.massMg === null ? null : opts.massMg / 1000;
  const rows: CvRow[] = sweeps.map((s) => {
    const p = sweepPeak(e, i, s);
    return {
      cycle: Math.floor((s.index - 1) / 2) + 1, sweep: s.index, direction: s.direction,
      ep_v: p.ep_v, ip_a: p.ip_a, ip_a_g: p.ip_a !== null && g ? p.ip_a / g : null, delta_ep_v: null,
      e_start_v: e[s.start]!, e_end_v: e[s.end - 1]!, points: s.end - s.start, flags: p.ep_v === null ? ['no_peak'] : [],
    };
  });
  // Peak separation per cycle (both sweeps of the cycle carry it).
  for (let c = 1; c <= rows[rows.length - 1]!.cycle; c++) {
    const pair = rows.filter((r) => r.cycle === c);
    const an = pair.find((r) => r.direction === 'anodic'), ca = pair.find((r) => r.direction === 'cathodic');
    if (an?.ep_v != null && ca?.ep_v != null) for (const r of pair) r.delta_ep_v = Math.abs(an.ep_v - ca.ep_v);
  }
  // First-cycle irreversible peak: a cycle-1 peak whose current is mostly gone at the same potential in cycle 2.
  for (const r of rows.filter((x) => x.cycle === 1 && x.ep_v !== null)) {
    const next = sweeps.find((s) => s.index === r.sweep + 2);
    if (!next) continue;
    const i2 = currentAt(e, i, next, r.ep_v!);
    if (i2 !== null && Math.abs(i2) < 0.5 * Math.abs(r.ip_a!)) r.flags.push('first_cycle_irreversible');
  }
  return { rows, sweeps, current: i };
}

export interface BValue { b: number; b_se: number | null; r2: number; scan_rates_v_s: number[]; ip_a: number[]; points: number }

/** b from log10|i_p| = b · log10 v + c (least squares); its standard error needs 3 or more rates. */
export function bValue(rates: number[], ips: number[]): BValue {
  const pts = rates.map((v, k) => [Math.log10(v), Math.log10(Math.abs(ips[k]!))] as [number, number]);
  const { m, b: c } = simpleStatistics().linearRegression(pts);
  const n = pts.length;
  const mx = pts.reduce((s, p) => s + p[0], 0) / n;
  const sxx = pts.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  const sse = pts.reduce((s, p) => s + (p[1] - (m * p[0] + c)) ** 2, 0);
  const my = pts.reduce((s, p) => s + p[1], 0) / n;
  const sst = pts.reduce((s, p) => s + (p[1] - my) ** 2, 0);
  return { b: m, b_se: n > 2 ? Math.sqrt(sse / (n - 2) / sxx) : null, r2: sst > 0 ? 1 - sse / sst : 1, scan_rates_v_s: rates, ip_a: ips, points: n };
}
