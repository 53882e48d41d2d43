/**
 * Complex non-linear least squares fit of any circuit (docs/science.md, "CHI: impedance").
 *
 * residual_k = w_k (Z_model − Z_data) on the real and the imaginary part, w_k = 1/|Z_data,k|
 * (modulus weighting, default) or 1 (`unit`). χ² = Σ residual², χ²/dof = χ² / (2N − p),
 * AIC = 2N ln(χ²/2N) + 2p, BIC = 2N ln(χ²/2N) + p ln 2N (p free parameters).
 *
 * Optimiser: our own Levenberg–Marquardt (Marquardt's diagonal scaling, central-difference
 * Jacobian) on transformed parameters — ln x for the positive ones, logit n for CPE exponents —
 * so the bounds R, C, L, Q, σ, Z0, τ > 0 and 0 < n < 1 hold without a constrained solver; n may
 * reach 1 (an ideal capacitor). It runs from every start of `initialGuesses` for a short budget,
 * then polishes the best one.
 *
 * Honesty: a parameter that runs off scale (outside 1e-12…1e12 in its unit), sits on a bound
 * (n → 0), does not change the fitted spectrum, is not separable from the others (singular
 * Jacobian) or has a relative standard error above 100 % is reported as null with the reason in
 * `undetermined`. Standard errors of the others come from s²(JᵣᵀJᵣ)⁻¹ of the Jacobian reduced to
 * them. `converged` needs the optimiser's criteria and a full-rank Jacobian.
 */
import { DataError } from '../../errors.js';
import { parseCircuit, circuitZ, resolveOverrides, PRESETS, type Circuit, type Node } from './circuit.js';
import { initialGuesses } from './guess.js';
import { cholSolve, spdInverse, symEigen, symEigenvalues } from './linalg.js';
import { clearlyInductive, inductivePoints, subset, type Spectrum } from './spectrum.js';

export type Weighting = 'modulus' | 'unit';

export interface FitOptions {
  /** Residual weighting; default 'modulus' (1/|Z|). */
  weighting?: Weighting;
  /** Parameters held at a value (keys or preset aliases). */
  fix?: Record<string, number>;
  /** Starting values replacing the spectrum's guesses (keys or aliases). */
  guess?: Record<string, number>;
  /** Keep inductive high-frequency points even when the circuit has no L. */
  keepInductive?: boolean;
  /** Iteration budget of the final polish; default 500. */
  maxIter?: number;
}

export interface ParamResult {
  key: string;
  alias: string | null;
  unit: string;
  /** null when not determined (see `undetermined`). */
  value: number | null;
  se: number | null;
  fixed: boolean;
  initial: number;
}

export interface EisFit {
  circuit: string;
  preset: string | null;
  params: ParamResult[];
  undetermined: { key: string; reason: string }[];
  /** Weighted sum of squares. */
  chi2: number | null;
  /** χ² / (2N − p). */
  chi2_dof: number | null;
  aic: number | null;
  bic: number | null;
  points: number;
  free_params: number;
  converged: boolean;
  iterations: number;
  starts: number;
  /** The points fitted (after cropping) and the model there (from the optimiser's values). */
  used: Spectrum;
  fit_re: Float64Array | null;
  fit_im: Float64Array | null;
  /** Frequencies (Hz) of the inductive points left out. */
  cropped_hz: number[];
  /** The optimiser's parameter vector (including values reported as null), for plots. */
  raw: number[];
  warnings: string[];
  assumptions: Record<string, unknown>;
}

const sigmoid = (u: number) => 1 / (1 + Math.exp(-u));
const SCALE_LO = 1e-12, SCALE_HI = 1e12;

interface Problem {
  c: Circuit;
  s: Spectrum;
  w: Float64Array;
  free: number[];
  fixedVals: Map<number, number>;
}

function natural(pr: Problem, u: number[]): number[] {
  const p = new Array<number>(pr.c.params.length);
  for (const [k, v] of pr.fixedVals) p[k] = v;
  pr.free.forEach((k, j) => { p[k] = pr.c.params[k]!.kind === 'n' ? sigmoid(u[j]!) : Math.exp(u[j]!); });
  return p;
}
function internal(pr: Problem, p: number[]): number[] {
  return pr.free.map((k) => {
    const x = p[k]!;
    if (pr.c.params[k]!.kind === 'n') { const n = Math.min(Math.max(x, 1e-6), 1 - 1e-9); return Math.log(n / (1 - n)); }
    return Math.log(x);
  });
}

function residuals(pr: Problem, p: number[]): Float64Array {
  const { s, w } = pr;
  const r = new Float64Array(2 * s.f.length);
  for (let k = 0; k < s.f.length; k++) {
    const z = circuitZ(pr.c, p, 2 * Math.PI * s.f[k]!);
    r[2 * k] = (z[0] - s.re[k]!) * w[k]!;
    r[2 * k + 1] = (z[1] - s.im[k]!) * w[k]!;
  }
  return r;
}
const sumSq = (r: Float64Array) => { let t = 0; for (const x of r) t += x * x; return Number.isFinite(t) ? t : Infinity; };

function jacobian(pr: Problem, u: number[]): Float64Array[] {
  return u.map((_, j) => {
    const h = 1e-6 * Math.max(1, Math.abs(u[j]!));
    const up = [...u]; up[j]! += h;
    const um = [...u]; um[j]! -= h;
    const rp = residuals(pr, natural(pr, up)), rm = residuals(pr, natural(pr, um));
    const col = new Float64Array(rp.length);
    for (let k = 0; k < col.length; k++) col[k] = (rp[k]! - rm[k]!) / (2 * h);
    return col;
  });
}
const dot = (a: Float64Array, b: Float64Array) => { let t = 0; for (let k = 0; k < a.length; k++) t += a[k]! * b[k]!; return t; };

interface LmResult { u: number[]; cost: number; converged: boolean; iterations: number }

/** Levenberg–Marquardt with Marquardt's scaling; criteria: relative cost change, step, gradient. */
function lm(pr: Problem, u0: number[], maxIter: number): LmResult {
  let u = [...u0];
  let r = residuals(pr, natural(pr, u));
  let cost = sumSq(r);
  let lambda = 1e-3;
  let it = 0;
  let converged = false;
  const m = u.length;
  if (m === 0) return { u, cost, converged: Number.isFinite(cost), iterations: 0 };
  // a cost at the rounding level of the data (rms residual 1e-12 of the weighted |Z|) is an exact
  // fit: there the gradient test, relative to the residual, would only judge rounding noise
  let zz = 0;
  for (let k = 0; k < pr.s.f.length; k++) zz += (pr.w[k]! * Math.hypot(pr.s.re[k]!, pr.s.im[k]!)) ** 2;
  for (; it < maxIter && Number.isFinite(cost); it++) {
    const J = jacobian(pr, u);
    const A = J.map((a) => J.map((b) => dot(a, b)));
    const g = J.map((col) => -dot(col, r));
    // gradient criterion: cosine between each column and the residual
    const rn = Math.sqrt(cost);
    if (cost <= 1e-24 * zz || J.every((col, j) => Math.abs(g[j]!) <= 1e-10 * Math.sqrt(A[j]![j]!) * rn + 1e-300)) { converged = true; break; }
    let improved = false;
    for (let tries = 0; tries < 40; tries++) {
      const Ad = A.map((row, i) => row.map((x, j) => (i === j ? x + lambda * (x + 1e-12) : x)));
      const delta = cholSolve(Ad, g);
      if (!delta) { lambda *= 10; continue; }
      const un = u.map((x, k) => x + delta[k]!);
      const rn2 = residuals(pr, natural(pr, un));
      const cn = sumSq(rn2);
      if (cn < cost) {
        const rel = (cost - cn) / Math.max(cost, 1e-300);
        const step = Math.max(...delta.map(Math.abs));
        u = un; r = rn2; cost = cn;
        lambda = Math.max(lambda / 10, 1e-12);
        improved = true;
        if ((rel < 1e-12 && step < 1e-5) || step < 1e-10) converged = true;
        break;
      }
      lambda *= 10;
      if (lambda > 1e14) break;
    }
    if (!improved) {
      // no downhill step: a minimum if the gradient is small relative to the curvature
      converged = J.every((col, j) => Math.abs(g[j]!) <= 1e-6 * Math.sqrt(A[j]![j]!) * Math.sqrt(cost) + 1e-300);
      break;
    }
    if (converged) break;
  }
  return { u, cost, converged, iterations: it };
}

/** Series-level blocks p(R,C) / p(R,CPE): swapping two of the same shape leaves Z unchanged. */
function arcBlocks(c: Circuit): { r: number; cap: number; kind: string }[] {
  const top = c.root.type === 'series' ? c.root.items : [c.root];
  const out: { r: number; cap: number; kind: string }[] = [];
  for (const b of top) {
    if (b.type !== 'parallel' || b.items.length !== 2) continue;
    const els = b.items.filter((x): x is Extract<Node, { type: 'element' }> => x.type === 'element');
    if (els.length !== 2) continue;
    const r = els.find((x) => x.element.kind === 'R'), cap = els.find((x) => x.element.kind === 'C' || x.element.kind === 'CPE');
    if (r && cap) out.push({ r: r.index, cap: cap.index, kind: cap.element.kind });
  }
  return out;
}

/** Order same-shape arcs by time constant (first in the string = fastest), so names are stable. */
function canonicalArcs(c: Circuit, p: number[], fixed: Map<number, number>): number[] {
  const blocks = arcBlocks(c);
  const q = [...p];
  for (const kind of ['C', 'CPE']) {
    const bs = blocks.filter((b) => b.kind === kind);
    if (bs.length < 2) continue;
    const idx = (b: { r: number; cap: number }) => [c.offsets[b.r]!, c.offsets[b.cap]!, ...(kind === 'CPE' ? [c.offsets[b.cap]! + 1] : [])];
    if (bs.some((b) => idx(b).some((k) => fixed.has(k)))) continue;
    const tau = (b: { r: number; cap: number }) => {
      const [ir, ic] = idx(b);
      return kind === 'C' ? p[ir!]! * p[ic!]! : Math.pow(p[ir!]! * p[ic!]!, 1 / p[ic! + 1]!);
    };
    const sorted = [...bs].sort((a, b) => tau(a) - tau(b));
    bs.forEach((b, j) => { const from = idx(sorted[j]!), to = idx(b); to.forEach((k, t) => { q[k] = p[from[t]!]!; }); });
  }
  return q;
}

// a value for a message: never the words NaN or Infinity, which read as a broken number in a result
const fmt = (x: number) => (x === 0 ? '0' : Number.isFinite(x) ? x.toExponential(2) : Number.isNaN(x) ? 'not a number' : x > 0 ? '∞' : '−∞');


/** Fit a circuit (string, preset name or parsed) to a spectrum. */
export function fitCircuit(spectrum: Spectrum, circuit: string | Circuit, o: FitOptions = {}): EisFit {
  const c = typeof circuit === 'string' ? parseCircuit(circuit) : circuit;
  const weighting = o.weighting ?? 'modulus';
  const fixedVals = resolveOverrides(c, o.fix, '--fix');
  const guessVals = resolveOverrides(c, o.guess, '--guess');
  const warnings: string[] = [];
  const hasL = c.elements.some((e) => e.kind === 'L');
  const N0 = spectrum.f.length;
  for (let k = 0; k < N0; k++) {
    if (!(spectrum.f[k]! > 0) || !Number.isFinite(spectrum.re[k]!) || !Number.isFinite(spectrum.im[k]!)) throw new DataError(`point ${k + 1}: frequency ${spectrum.f[k]} Hz, Z′ ${spectrum.re[k]}, Z″ ${spectrum.im[k]}: frequencies must be positive and impedances finite`);
  }
  // data checks
  const negRe = Array.from(spectrum.re).filter((x) => x < 0).length;
  if (negRe) warnings.push(`${negRe} of ${N0} points have Z′ < 0, which a passive cell cannot give (non-physical: check the connections and the reference electrode)`);
  const ind = inductivePoints(spectrum);
  let s = spectrum;
  let cropped: number[] = [];
  if (ind.length && !hasL && !o.keepInductive) {
    const drop = new Set(ind);
    cropped = ind.map((k) => spectrum.f[k]!);
    s = subset(spectrum, Array.from(spectrum.f.keys()).filter((k) => !drop.has(k)));
    warnings.push(`left out ${ind.length} inductive high-frequency point(s) (Z″ > 0 at ${Math.min(...cropped).toPrecision(4)}–${Math.max(...cropped).toPrecision(4)} Hz${clearlyInductive(spectrum) ? '' : ', within noise of zero'}); add an L to the circuit or keep them with keepInductive`);
  }
  const N = s.f.length;
  const w = Float64Array.from(s.f, (_, k) => (weighting === 'modulus' ? 1 / (Math.hypot(s.re[k]!, s.im[k]!) || 1) : 1));
  const free = c.params.map((_, k) => k).filter((k) => !fixedVals.has(k));
  const pr: Problem = { c, s, w, free, fixedVals };
  const assumptions: Record<string, unknown> = {
    circuit: c.text, preset: c.preset,
    weighting: weighting === 'modulus' ? 'modulus: residuals (Z_model − Z_data)/|Z_data| on real and imaginary parts' : 'unit: residuals Z_model − Z_data',
    chi2_dof: 'Σ w²(ΔZ′² + ΔZ″²) / (2N − p)', aic_bic: 'AIC = 2N ln(χ²/2N) + 2p, BIC = 2N ln(χ²/2N) + p ln 2N',
    method: 'Levenberg–Marquardt on ln(parameter) (logit for CPE n), multi-start from the spectrum\'s guesses',
    fixed: Object.fromEntries([...fixedVals].map(([k, v]) => [c.params[k]!.key, v])),
    inductive_points: cropped.length ? `${cropped.length} cropped` : hasL || o.keepInductive ? 'kept' : 'none',
  };
  const nullResult = (reason: string): EisFit => {
    warnings.push(`no fit: ${reason}; every parameter is reported as null`);
    return {
      circuit: c.text, preset: c.preset,
      params: c.params.map((d, k) => ({ key: d.key, alias: c.aliases[d.key] ?? null, unit: d.unit, value: fixedVals.get(k) ?? null, se: null, fixed: fixedVals.has(k), initial: NaN })),
      undetermined: c.params.filter((_, k) => !fixedVals.has(k)).map((d) => ({ key: d.key, reason })),
      chi2: null, chi2_dof: null, aic: null, bic: null, points: N, free_params: free.length, converged: false, iterations: 0, starts: 0,
      used: s, fit_re: null, fit_im: null, cropped_hz: cropped, raw: [], warnings, assumptions,
    };
  };
  if (negRe > N0 / 2) return nullResult(`the spectrum is non-physical (Z′ < 0 at ${negRe} of ${N0} points)`);
  if (2 * N <= free.length) return nullResult(`${N} points cannot determine ${free.length} parameters`);
  if (N < 3 * free.length) warnings.push(`only ${N} points for ${free.length} free parameters (at least ${3 * free.length} are advisable): expect parameters that are not determined`);

  const g = initialGuesses(c, s);
  const starts = g.starts.map((p0) => p0.map((x, k) => fixedVals.get(k) ?? guessVals.get(k) ?? x));
  if (guessVals.size) starts.unshift(g.base.map((x, k) => fixedVals.get(k) ?? guessVals.get(k) ?? x));
  let best: LmResult | null = null;
  let totalIter = 0;
  for (const p0 of starts) {
    const r = lm(pr, internal(pr, p0), 60);
    totalIter += r.iterations;
    if (!best || r.cost < best.cost) best = r;
  }
  let fin = lm(pr, best!.u, o.maxIter ?? 500);
  totalIter += fin.iterations;
  // arcs in time-constant order, then a last polish from there
  let p = canonicalArcs(c, natural(pr, fin.u), fixedVals);
  if (p.some((x, k) => x !== natural(pr, fin.u)[k])) { fin = lm(pr, internal(pr, p), o.maxIter ?? 500); totalIter += fin.iterations; p = natural(pr, fin.u); }
  const r = residuals(pr, p);
  const chi2 = sumSq(r);
  const nFree = free.length;
  const dof = 2 * N - nFree;

  // ---- honesty: which parameters the data determine ----
  const undetermined: { key: string; reason: string }[] = [];
  const out = new Set<number>(); // indices into `free`
  let rankOk = true;
  const notes: string[] = [];
  free.forEach((k, j) => {
    const d = c.params[k]!, x = p[k]!;
    if (d.kind === 'n') {
      if (x < 0.05) { out.add(j); rankOk = false; undetermined.push({ key: d.key, reason: `sits on its bound n → 0 (${x.toPrecision(3)}): the CPE acts as a resistor` }); }
    } else if (!(x >= SCALE_LO && x <= SCALE_HI)) {
      out.add(j); rankOk = false;
      undetermined.push({ key: d.key, reason: `ran off scale (${fmt(x)}${d.unit && !Number.isNaN(x) ? ' ' + d.unit : ''}, outside 1e-12…1e12)` });
    }
  });
  const atOne = new Set(free.flatMap((k, j) => (c.params[k]!.kind === 'n' && p[k]! > 0.9995 && !out.has(j) ? [j] : [])));
  const J = jacobian(pr, internal(pr, p));
  const colNorm = J.map((col) => Math.sqrt(dot(col, col)));
  const maxNorm = Math.max(0, ...colNorm.filter((_, j) => !out.has(j) && !atOne.has(j)));
  free.forEach((k, j) => {
    if (out.has(j) || atOne.has(j)) return;
    if (!(colNorm[j]! > 1e-9 * maxNorm)) { out.add(j); rankOk = false; undetermined.push({ key: c.params[k]!.key, reason: 'does not change the fitted spectrum (zero Jacobian column)' }); }
  });
  const s2 = dof > 0 ? chi2 / dof : NaN;
  const se = new Array<number | null>(c.params.length).fill(null);
  // reduced covariance, removing the unidentifiable one at a time
  for (let guard = 0; guard <= nFree; guard++) {
    const keep = free.map((_, j) => j).filter((j) => !out.has(j) && !atOne.has(j));
    if (!keep.length) break;
    const scaled = keep.map((a) => keep.map((b) => dot(J[a]!, J[b]!) / (colNorm[a]! * colNorm[b]!)));
    const eig = symEigenvalues(scaled);
    const cond = Math.min(...eig) / Math.max(...eig);
    if (!(cond > 1e-13)) {
      // the near-null direction: every parameter with a real share in it is inseparable
      const { values, vectors } = symEigen(scaled);
      // every near-null direction (a rank deficit of 2 or more has several): a share in any counts
      const top = Math.max(...values);
      const dirs = values.flatMap((v, i) => (v <= 1e-13 * top ? [i] : []));
      if (!dirs.length) dirs.push(values.indexOf(Math.min(...values)));
      // The projector onto the null space (independent of which basis the eigen-solver picked):
      // its diagonal is each parameter's share, an off-diagonal entry links two parameters that
      // trade against each other. Parameters are named with those linked to them, group by group
      // (R0-R1-C1-C2: R0 with R1, C1 with C2, not all four together).
      const P = keep.map((_, a) => keep.map((_, b) => dirs.reduce((sum, i) => sum + vectors[a]![i]! * vectors[b]![i]!, 0)));
      const share = keep.map((_, a) => Math.sqrt(Math.max(0, P[a]![a]!)));
      const big = Math.max(...share);
      const inv = keep.map((_, a) => a).filter((a) => share[a]! >= 0.2 * big);
      const root = new Map(inv.map((a) => [a, a]));
      const find = (a: number): number => { let r = a; while (root.get(r) !== r) r = root.get(r)!; return r; };
      for (const a of inv) for (const b of inv) if (b > a && Math.abs(P[a]![b]!) >= 0.2 * share[a]! * share[b]!) root.set(find(b), find(a));
      for (const a of inv) {
        const j = keep[a]!, key = c.params[free[j]!]!.key;
        const others = inv.filter((b) => b !== a && find(b) === find(a)).map((b) => c.params[free[keep[b]!]!]!.key);
        out.add(j);
        undetermined.push({ key, reason: others.length ? `cannot be separated from ${others.join(', ')} (the Jacobian is singular: only a combination is determined)` : 'has no independent effect on the fitted spectrum (the Jacobian is singular)' });
      }
      rankOk = false;
      continue;
    }
    const inv = spdInverse(scaled);
    if (!inv || !(s2 >= 0)) break;
    let worst = -1, worstRel = 1;
    keep.forEach((j, a) => {
      const k = free[j]!, x = p[k]!;
      const seU = Math.sqrt(s2 * inv[a]![a]!) / colNorm[j]!;
      const seX = c.params[k]!.kind === 'n' ? x * (1 - x) * seU : x * seU;
      se[k] = seX;
      const rel = seX / Math.abs(x);
      if (!(rel <= worstRel)) { worstRel = rel; worst = j; }
    });
    if (worst < 0) break;
    out.add(worst);
    const k = free[worst]!;
    undetermined.push({ key: c.params[k]!.key, reason: `relative standard error ${Number.isFinite(worstRel) ? (100 * worstRel).toFixed(0) + ' %' : 'unbounded'} (> 100 %)` });
    se.fill(null);
  }
  for (const j of [...atOne]) {
    const k = free[j]!, el = c.params[k]!.element;
    if (undetermined.some((u) => c.params.find((d) => d.key === u.key)!.element === el)) {
      atOne.delete(j);
      undetermined.push({ key: c.params[k]!.key, reason: `its element ${el} is not determined (n sits on its bound 1)` });
    }
  }
  const nullKeys = new Set(undetermined.map((u) => u.key));
  for (const u of undetermined) warnings.push(`${u.key} is not determined by this spectrum: ${u.reason}; it is reported as null`);
  for (const j of atOne) notes.push(`${c.params[free[j]!]!.key} reached its bound n = 1 (an ideal capacitor); it is reported as 1 without a standard error`);
  warnings.push(...notes);
  const converged = fin.converged && rankOk && Number.isFinite(chi2);
  if (!fin.converged) warnings.push(`the optimiser did not meet its convergence criteria after ${totalIter} iterations`);
  else if (!rankOk) warnings.push('not converged: the Jacobian is not of full rank at the optimum (some parameters are not identifiable); try a simpler circuit');
  // arc not closed: an arc resistance (an R inside a parallel block) that carries the sum of the
  // resistances (in string order) past the largest measured Z′
  const topLevel = new Set((c.root.type === 'series' ? c.root.items : [c.root]).flatMap((it) => (it.type === 'element' ? [it.element.name] : [])));
  const zReMax = Math.max(...Array.from(s.re));
  let cum = 0;
  c.params.forEach((d, k) => {
    if (d.kind !== 'R' || nullKeys.has(d.key)) return;
    cum += p[k]!;
    if (!topLevel.has(d.element) && cum > 1.02 * zReMax) {
      warnings.push(`arc not closed: with ${d.key} = ${p[k]!.toPrecision(4)} Ω the resistances add up to ${cum.toPrecision(4)} Ω, beyond the largest measured Z′ (${zReMax.toPrecision(4)} Ω); this value is an extrapolation (extend the low-frequency range)`);
    }
  });
  const model = Array.from(s.f, (f) => circuitZ(c, p, 2 * Math.PI * f));
  const ln = Math.log(chi2 / (2 * N));
  return {
    circuit: c.text, preset: c.preset,
    params: c.params.map((d, k) => ({
      key: d.key, alias: c.aliases[d.key] ?? null, unit: d.unit,
      value: nullKeys.has(d.key) ? null : atOne.has(free.indexOf(k)) ? 1 : p[k]!,
      se: nullKeys.has(d.key) ? null : se[k] ?? null, fixed: fixedVals.has(k), initial: starts[0]![k]!,
    })),
    undetermined, chi2, chi2_dof: dof > 0 ? chi2 / dof : null,
    aic: 2 * N * ln + 2 * nFree, bic: 2 * N * ln + nFree * Math.log(2 * N),
    points: N, free_params: nFree, converged, iterations: totalIter, starts: starts.length,
    used: s, fit_re: Float64Array.from(model, (z) => z[0]), fit_im: Float64Array.from(model, (z) => z[1]),
    cropped_hz: cropped, raw: p, warnings, assumptions,
  };
}

/** A flat row: each key (and its preset alias) with `_se`, plus the fit statistics. */
export function fitRow(f: EisFit): Record<string, string | number | boolean | null> {
  const row: Record<string, string | number | boolean | null> = { circuit: f.circuit, model: f.preset ?? f.circuit };
  for (const q of f.params) {
    row[q.key] = q.value; row[q.key + '_se'] = q.se;
    if (q.alias) { row[q.alias] = q.value; row[q.alias + '_se'] = q.se; }
  }
  Object.assign(row, { chi2: f.chi2, chi2_dof: f.chi2_dof, aic: f.aic, bic: f.bic, converged: f.converged, points: f.points, undetermined: f.undetermined.map((u) => u.key).join(';') });
  return row;
}

export interface AutoResult {
  best: EisFit;
  candidates: { circuit: string; preset: string | null; chi2_dof: number | null; aic: number | null; bic: number | null; converged: boolean; undetermined: number }[];
  fits: EisFit[];
  warnings: string[];
}

/**
 * `auto`: fit every preset and choose the lowest AIC; presets within ΔAIC < 2 of the lowest are
 * not distinguishable, and the one with fewest free parameters among them is chosen. When the spectrum is clearly inductive at
 * high frequency (Z″ > 1 % of |Z|) the presets are fitted with a series L0 (all on the same
 * points, so the AICs compare).
 */
export function fitAuto(s: Spectrum, o: Omit<FitOptions, 'fix' | 'guess'> = {}): AutoResult {
  const inductive = clearlyInductive(s) && !o.keepInductive;
  const texts = Object.entries(PRESETS).map(([name, p]) => {
    if (!inductive) return parseCircuit(name);
    const c = parseCircuit('L0-' + p.text);
    c.preset = name + '+L0';
    c.aliases = { ...p.aliases };
    return c;
  });
  const fits = texts.map((c) => fitCircuit(s, c, o));
  const ok = fits.filter((f) => f.aic !== null);
  const ranked = [...(ok.length ? ok : fits)].sort((a, b) => (a.aic ?? Infinity) - (b.aic ?? Infinity));
  const minAic = ranked[0]!.aic ?? Infinity;
  // models within ΔAIC < 2 of the best are not distinguishable: take the one with fewest parameters
  // (when no preset could be fitted at all, every AIC is null: the pool is all of them)
  const pool = Number.isFinite(minAic) ? ranked.filter((f) => (f.aic ?? Infinity) - minAic < 2) : ranked;
  const best = pool.sort((a, b) => a.free_params - b.free_params || (a.aic ?? Infinity) - (b.aic ?? Infinity))[0]!;
  const warnings = !Number.isFinite(minAic) ? [`auto: no preset could be fitted; ${best.preset} (the simplest) is reported`] : [`auto: chose ${best.preset} (${best.circuit}) by AIC among ${fits.length} presets${best !== ranked[0] ? ` (${ranked[0]!.preset} has an AIC lower by ${(best.aic! - minAic).toFixed(2)} < 2 but more parameters)` : ''}`];
  return {
    best, fits, warnings,
    candidates: fits.map((f) => ({ circuit: f.circuit, preset: f.preset, chi2_dof: f.chi2_dof, aic: f.aic, bic: f.bic, converged: f.converged, undetermined: f.undetermined.length })),
  };
}
