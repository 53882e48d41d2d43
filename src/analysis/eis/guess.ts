/**
 * Initial guesses for any circuit, read off the spectrum:
 * - high-frequency intercept R∞ (smallest positive Z′ among the highest-frequency third),
 * - arcs: local maxima of −Z″ (HF → LF), diameter from the Z′ of the valleys on either side
 *   (or 2·height/tan(nπ/4) when the arc is not closed), apex frequency f → τ = 1/(2πf),
 * - low-frequency tail: σ from the slopes of Z′ and −Z″ against ω^-½.
 * Parallel blocks take the arcs in the order they appear in the string (outer before inner),
 * highest frequency first; when the spectrum shows fewer arcs than the circuit has, the missing
 * ones are placed on a log-spaced frequency grid. Deterministic multi-start: a fixed list of
 * variations (arc placement shifted a decade, n, arc resistances and σ scaled).
 */
import type { Circuit, Node } from './circuit.js';
import { highToLow, inductivePoints, type Spectrum } from './spectrum.js';

export interface Arc { fHz: number; rOhm: number }
export interface SpectrumFeatures {
  rInfOhm: number;
  arcs: Arc[];
  sigma: number;
  /** Largest Z″/ω over inductive points (H), or null. */
  lH: number | null;
  fMin: number; fMax: number;
  zReMax: number;
  zModMin: number;
}

function slopeVs(xs: number[], ys: number[]): number {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length, my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0, sxx = 0;
  xs.forEach((x, k) => { sxy += (x - mx) * (ys[k]! - my); sxx += (x - mx) ** 2; });
  return sxx > 0 ? sxy / sxx : 0;
}

/** Features of the spectrum used by the guesses. */
export function spectrumFeatures(s: Spectrum): SpectrumFeatures {
  const ind = new Set(inductivePoints(s));
  const order = highToLow(s).filter((k) => !ind.has(k));
  const all = highToLow(s);
  const n = order.length;
  const fMax = s.f[all[0]!]!, fMin = s.f[all[all.length - 1]!]!;
  const zRe = order.map((k) => s.re[k]!), v = order.map((k) => -s.im[k]!);
  const zReMax = Math.max(...zRe, 1e-300);
  const zModMin = Math.min(...order.map((k) => Math.hypot(s.re[k]!, s.im[k]!)));
  const third = zRe.slice(0, Math.max(3, Math.floor(n / 3))).filter((x) => x > 0);
  const rInfOhm = third.length ? Math.min(...third) : Math.max(1e-3 * zReMax, 1e-6);
  // smoothed −Z″
  const sm = v.map((_, j) => { const a = v[Math.max(0, j - 1)]!, b = v[j]!, c = v[Math.min(n - 1, j + 1)]!; return (a + 2 * b + c) / 4; });
  const vmax = Math.max(...sm, 0);
  const peaks: number[] = [];
  for (let j = 1; j < n - 1; j++) if (sm[j]! > 0 && sm[j]! >= sm[j - 1]! && sm[j]! > sm[j + 1]!) peaks.push(j);
  const arcs: Arc[] = [];
  let lastValley = 0;
  let prevRe = rInfOhm;
  for (let pi = 0; pi < peaks.length; pi++) {
    const j = peaks[pi]!;
    const next = peaks[pi + 1] ?? n;
    let valley = -1;
    for (let t = j + 1; t < next; t++) if (valley < 0 || sm[t]! < sm[valley]!) valley = t;
    const leftMin = Math.min(...sm.slice(lastValley, j + 1));
    const prominence = sm[j]! - Math.max(leftMin, valley >= 0 ? sm[valley]! : 0);
    if (prominence < 0.05 * vmax) continue;
    const closed = valley >= 0 && valley < n - 1 && sm[valley]! < 0.8 * sm[j]!;
    const d = closed ? zRe[valley]! - prevRe : 2 * sm[j]! / Math.tan(0.85 * Math.PI / 4);
    arcs.push({ fHz: s.f[order[j]!]!, rOhm: Math.max(d, 2 * sm[j]!, 1e-6) });
    if (closed) { prevRe = zRe[valley]!; lastValley = valley; }
  }
  // σ from the low-frequency fifth
  const tail = order.slice(Math.max(0, n - Math.max(3, Math.floor(n / 5))));
  const xs = tail.map((k) => 1 / Math.sqrt(2 * Math.PI * s.f[k]!));
  const s1 = slopeVs(xs, tail.map((k) => s.re[k]!)), s2 = slopeVs(xs, tail.map((k) => -s.im[k]!));
  const pos = [s1, s2].filter((x) => x > 0);
  const sigma = pos.length ? pos.reduce((a, b) => a + b, 0) / pos.length : 1e-3 * zReMax * Math.sqrt(2 * Math.PI * fMin);
  let lH: number | null = null;
  for (const k of ind) lH = Math.max(lH ?? 0, s.im[k]! / (2 * Math.PI * s.f[k]!));
  return { rInfOhm, arcs, sigma, lH, fMin, fMax, zReMax, zModMin };
}

/** Z′ at frequency f by log-linear interpolation on the measured points. */
function reAt(s: Spectrum, f: number): number {
  const order = highToLow(s);
  for (let j = 1; j < order.length; j++) {
    const a = order[j - 1]!, b = order[j]!;
    if (s.f[b]! <= f && f <= s.f[a]!) {
      const t = Math.log(f / s.f[a]!) / Math.log(s.f[b]! / s.f[a]!);
      return s.re[a]! + t * (s.re[b]! - s.re[a]!);
    }
  }
  return f > s.f[order[0]!]! ? s.re[order[0]!]! : s.re[order[order.length - 1]!]!;
}

/** Parallel blocks in depth-first pre-order (outer before inner, left to right). */
function parallelBlocks(n: Node, out: Node[] = []): Node[] {
  if (n.type === 'parallel') out.push(n);
  if (n.type !== 'element') for (const it of n.items) parallelBlocks(it, out);
  return out;
}

/** Elements of a block's branches that are not inside a deeper parallel block. */
function directElements(n: Node, out: number[] = []): number[] {
  if (n.type === 'element') out.push(n.index);
  else if (n.type === 'series') for (const it of n.items) directElements(it, out);
  return out;
}

interface Variation { shift: number; n: number; rScale: number; sigmaScale: number }

function build(c: Circuit, s: Spectrum, ft: SpectrumFeatures, arcs: Arc[], v: Variation): number[] {
  const p = new Array<number>(c.params.length).fill(NaN);
  const blocks = parallelBlocks(c.root);
  const owner = new Map<number, number>(); // element index -> block
  blocks.forEach((b, bi) => { if (b.type === 'parallel') for (const br of b.items) for (const e of directElements(br)) owner.set(e, bi); });
  const wTau = 1 / (2 * Math.PI * ft.fMin);
  const rCountIn = (bi: number) => c.elements.filter((e, i) => owner.get(i) === bi && e.kind === 'R').length;
  const topR = c.elements.filter((e, i) => !owner.has(i) && e.kind === 'R').length;
  c.elements.forEach((e, i) => {
    const o = c.offsets[i]!;
    const bi = owner.get(i);
    const arc = bi === undefined ? undefined : arcs[bi];
    const w = arc ? 2 * Math.PI * arc.fHz : 2 * Math.PI * ft.fMin;
    const r = arc ? arc.rOhm * v.rScale : ft.zReMax;
    switch (e.kind) {
      case 'R': p[o] = bi === undefined ? ft.rInfOhm / Math.max(1, topR) : r / Math.max(1, rCountIn(bi)); break;
      case 'C': p[o] = arc ? 1 / (w * r) : 1 / (w * ft.zReMax); break;
      case 'CPE': p[o + 1] = v.n; p[o] = arc ? 1 / (r * Math.pow(w, v.n)) : 1 / (ft.zReMax * Math.pow(w, v.n)); break;
      case 'L': p[o] = ft.lH ?? (arc ? r / w : 1e-3 * ft.rInfOhm / (2 * Math.PI * ft.fMax)); break;
      case 'W': p[o] = ft.sigma * v.sigmaScale; break;
      case 'Wo': case 'Ws': p[o + 1] = wTau; p[o] = ft.sigma * v.sigmaScale * Math.sqrt(2 * wTau); break;
    }
  });
  return p.map((x, k) => (Number.isFinite(x) && x > 0 ? x : c.params[k]!.kind === 'n' ? 0.85 : 1));
}

/** Arcs for m blocks: the most prominent found arcs, the rest placed on a log grid. */
function arcsFor(s: Spectrum, ft: SpectrumFeatures, m: number, shift: number): Arc[] {
  if (m === 0) return [];
  const found = [...ft.arcs].sort((a, b) => b.rOhm - a.rOhm).slice(0, m).sort((a, b) => b.fHz - a.fHz);
  if (found.length === m) return found.map((a) => ({ fHz: a.fHz * shift, rOhm: a.rOhm }));
  // log grid over the band, edges between arcs at equal log steps
  const lo = Math.log10(ft.fMin), hi = Math.log10(ft.fMax);
  const grid: Arc[] = [];
  for (let k = 0; k < m; k++) {
    const fa = 10 ** (hi - (k / m) * (hi - lo)), fb = 10 ** (hi - ((k + 1) / m) * (hi - lo));
    const d = reAt(s, fb) - reAt(s, fa);
    grid.push({ fHz: Math.sqrt(fa * fb), rOhm: Math.max(d, 0.01 * ft.zReMax) });
  }
  if (!found.length) return grid.map((a) => ({ fHz: a.fHz * shift, rOhm: a.rOhm }));
  // keep the found arcs; fill the remaining slots from the grid entries farthest from them
  const out = [...found];
  for (const g of grid) {
    if (out.length >= m) break;
    if (!found.some((a) => Math.abs(Math.log10(a.fHz / g.fHz)) < 0.5)) out.push(g);
  }
  while (out.length < m) out.push({ fHz: out[out.length - 1]!.fHz / 30, rOhm: out[out.length - 1]!.rOhm });
  return out.sort((a, b) => b.fHz - a.fHz).map((a) => ({ fHz: a.fHz * shift, rOhm: a.rOhm }));
}

export interface Guesses { base: number[]; starts: number[][]; features: SpectrumFeatures }

/** The base guess and a deterministic list of starting points for the fit. */
export function initialGuesses(c: Circuit, s: Spectrum): Guesses {
  const ft = spectrumFeatures(s);
  const m = parallelBlocks(c.root).length;
  const variations: Variation[] = [
    { shift: 1, n: 0.85, rScale: 1, sigmaScale: 1 },
    { shift: 1, n: 0.7, rScale: 1, sigmaScale: 1 },
    { shift: 1, n: 0.95, rScale: 1, sigmaScale: 0.3 },
    { shift: 1, n: 0.85, rScale: 0.3, sigmaScale: 1 },
    { shift: 1, n: 0.85, rScale: 3, sigmaScale: 0.1 },
    { shift: 10, n: 0.8, rScale: 1, sigmaScale: 1 },
    { shift: 0.1, n: 0.8, rScale: 1, sigmaScale: 1 },
    { shift: 1, n: 0.6, rScale: 2, sigmaScale: 3 },
  ];
  const starts: number[][] = [];
  for (const v of variations) starts.push(build(c, s, ft, arcsFor(s, ft, m, v.shift), v));
  if (ft.arcs.length && ft.arcs.length < m) {
    // the visible arcs may belong to any block: also try the log grid alone
    const saved = ft.arcs;
    ft.arcs = [];
    starts.push(build(c, s, ft, arcsFor(s, ft, m, 1), variations[0]!));
    starts.push(build(c, s, ft, arcsFor(s, ft, m, 1), variations[1]!));
    ft.arcs = saved;
  }
  return { base: starts[0]!, starts, features: ft };
}
