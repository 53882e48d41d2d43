/**
 * Equivalent circuits written as strings, in the notation of impedance.py:
 *
 *   elements  R (Ω), C (F), L (H), CPE (Q, n), W (σ), Wo (Z0, τ), Ws (Z0, τ), each with a number
 *             (`R0`, `CPE1`, `Wo2`); `-` joins in series, `p(a,b,…)` in parallel, nested freely.
 *
 *   Z_R = R,  Z_C = 1/(jωC),  Z_L = jωL,  Z_CPE = 1/(Q (jω)^n),  Z_W = σ (1 − j)/√ω,
 *   Z_Wo = Z0 coth(√(jωτ))/√(jωτ),  Z_Ws = Z0 tanh(√(jωτ))/√(jωτ)    (docs/science.md).
 *
 * The parameter vector holds the elements' parameters in the order the elements appear in the
 * string. Keys carry units: R1_ohm, C1_F, L1_H, CPE1_q, CPE1_n, W1_sigma_ohm_s05, Wo1_z0_ohm,
 * Wo1_tau_s. Presets (randles, randles-cpe, two-arc) add the paper's names as aliases.
 */
import { UsageError } from '../../errors.js';

export type ElementKind = 'R' | 'C' | 'L' | 'CPE' | 'W' | 'Wo' | 'Ws';
/** What a parameter is: it decides its bounds, its transform in the fit and its guess. */
export type ParamKind = 'R' | 'C' | 'L' | 'Q' | 'n' | 'sigma' | 'z0' | 'tau';

export interface Element { kind: ElementKind; name: string }
export type Node =
  | { type: 'element'; element: Element; index: number }
  | { type: 'series'; items: Node[] }
  | { type: 'parallel'; items: Node[] };

export interface ParamDef {
  /** Key with unit, e.g. `R1_ohm`. */
  key: string;
  element: string;
  kind: ParamKind;
  unit: string;
}

export interface Circuit {
  /** Canonical text (no spaces). */
  text: string;
  root: Node;
  elements: Element[];
  params: ParamDef[];
  /** Parameter offset of each element in the vector. */
  offsets: number[];
  /** Paper names of parameters (preset circuits only): key -> alias. */
  aliases: Record<string, string>;
  /** Preset name when the circuit came from one. */
  preset: string | null;
}

const PARAMS: Record<ElementKind, [string, ParamKind, string][]> = {
  R: [['ohm', 'R', 'Ω']],
  C: [['F', 'C', 'F']],
  L: [['H', 'L', 'H']],
  CPE: [['q', 'Q', 'F s^(n−1)'], ['n', 'n', '']],
  W: [['sigma_ohm_s05', 'sigma', 'Ω s^-½']],
  Wo: [['z0_ohm', 'z0', 'Ω'], ['tau_s', 'tau', 's']],
  Ws: [['z0_ohm', 'z0', 'Ω'], ['tau_s', 'tau', 's']],
};

export const PRESETS: Record<string, { text: string; aliases: Record<string, string> }> = {
  randles: { text: 'R0-p(C1,R1-W1)', aliases: { R0_ohm: 'r_ohm', R1_ohm: 'r_ct_ohm', C1_F: 'c_dl_f', W1_sigma_ohm_s05: 'sigma_w_ohm_s05' } },
  'randles-cpe': { text: 'R0-p(CPE1,R1-W1)', aliases: { R0_ohm: 'r_ohm', R1_ohm: 'r_ct_ohm', CPE1_q: 'q_cpe', CPE1_n: 'n_cpe', W1_sigma_ohm_s05: 'sigma_w_ohm_s05' } },
  'two-arc': { text: 'R0-p(R1,CPE1)-p(R2,CPE2)-W1', aliases: { R0_ohm: 'r_ohm', R1_ohm: 'r_sei_ohm', R2_ohm: 'r_ct_ohm', W1_sigma_ohm_s05: 'sigma_w_ohm_s05' } },
};

function fail(text: string, pos: number, what: string): never {
  throw new UsageError(`circuit '${text}': ${what} at position ${pos + 1}`);
}

const ELEMENT_RE = /^(CPE|Wo|Ws|W|R|C|L)(\d+)/;

/** Parse a circuit string or a preset name. Throws a one-line UsageError naming the position. */
export function parseCircuit(input: string): Circuit {
  const preset = PRESETS[input.trim()];
  const text = preset ? preset.text : input;
  let pos = 0;
  const elements: Element[] = [];
  const seen = new Set<string>();
  const skip = () => { while (pos < text.length && /\s/.test(text[pos]!)) pos++; };
  const describe = () => (pos < text.length ? `'${text[pos]}'` : 'the end');

  function term(): Node {
    skip();
    if (text.startsWith('p(', pos)) {
      pos += 2;
      const items = [series()];
      skip();
      while (text[pos] === ',') { pos++; items.push(series()); skip(); }
      if (text[pos] !== ')') fail(text, pos, `expected ',' or ')' but found ${describe()}`);
      if (items.length < 2) fail(text, pos, 'p(…) needs at least two branches');
      pos++;
      return { type: 'parallel', items };
    }
    const m = ELEMENT_RE.exec(text.slice(pos));
    if (!m) fail(text, pos, `expected an element (R, C, L, CPE, W, Wo, Ws with a number) or p( but found ${describe()}`);
    const name = m[0];
    if (seen.has(name)) fail(text, pos, `element ${name} appears twice`);
    seen.add(name);
    const element: Element = { kind: m[1] as ElementKind, name };
    elements.push(element);
    pos += name.length;
    return { type: 'element', element, index: elements.length - 1 };
  }
  function series(): Node {
    const items = [term()];
    skip();
    while (text[pos] === '-') { pos++; items.push(term()); skip(); }
    return items.length === 1 ? items[0]! : { type: 'series', items };
  }
  if (!text.trim()) fail(text, 0, 'empty circuit');
  const root = series();
  skip();
  if (pos < text.length) fail(text, pos, `unexpected ${describe()}`);
  const params: ParamDef[] = [];
  const offsets: number[] = [];
  for (const e of elements) {
    offsets.push(params.length);
    for (const [suffix, kind, unit] of PARAMS[e.kind]) params.push({ key: `${e.name}_${suffix}`, element: e.name, kind, unit });
  }
  return { text: printNode(root), root, elements, params, offsets, aliases: preset ? { ...preset.aliases } : {}, preset: preset ? input.trim() : null };
}

function printNode(n: Node): string {
  if (n.type === 'element') return n.element.name;
  if (n.type === 'series') return n.items.map(printNode).join('-');
  return `p(${n.items.map(printNode).join(',')})`;
}

/** The canonical string of a circuit. */
export function printCircuit(c: Circuit): string { return printNode(c.root); }

// ---- complex arithmetic on [re, im] ----
export type Cx = [number, number];
const add = (a: Cx, b: Cx): Cx => [a[0] + b[0], a[1] + b[1]];
const mul = (a: Cx, b: Cx): Cx => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
function inv(a: Cx): Cx {
  const d = a[0] * a[0] + a[1] * a[1];
  if (d === 0) return [Infinity, 0];
  if (!Number.isFinite(d)) return [0, 0];
  return [a[0] / d, -a[1] / d];
}
/** tanh(a + ja) for a ≥ 0 (the argument √(jωτ) = √(ωτ/2)(1 + j)). */
function tanhDiag(a: number): Cx {
  if (a > 20) return [1, 0];
  const den = Math.cosh(2 * a) + Math.cos(2 * a);
  return [Math.sinh(2 * a) / den, Math.sin(2 * a) / den];
}

/** Impedance of one element. */
export function elementZ(kind: ElementKind, p: ArrayLike<number>, o: number, w: number): Cx {
  switch (kind) {
    case 'R': return [p[o]!, 0];
    case 'C': return [0, -1 / (w * p[o]!)];
    case 'L': return [0, w * p[o]!];
    case 'CPE': {
      const n = p[o + 1]!, m = 1 / (p[o]! * Math.pow(w, n));
      return [m * Math.cos(n * Math.PI / 2), -m * Math.sin(n * Math.PI / 2)];
    }
    case 'W': { const s = p[o]! / Math.sqrt(w); return [s, -s]; }
    case 'Wo': case 'Ws': {
      const z0 = p[o]!, a = Math.sqrt(w * p[o + 1]! / 2);
      const x: Cx = [a, a]; // √(jωτ)
      const t = tanhDiag(a);
      const ratio = kind === 'Ws' ? mul(t, inv(x)) : inv(mul(t, x));
      return [z0 * ratio[0], z0 * ratio[1]];
    }
  }
}

function evalNode(c: Circuit, n: Node, p: ArrayLike<number>, w: number): Cx {
  if (n.type === 'element') return elementZ(n.element.kind, p, c.offsets[n.index]!, w);
  if (n.type === 'series') {
    let z: Cx = [0, 0];
    for (const it of n.items) z = add(z, evalNode(c, it, p, w));
    return z;
  }
  let y: Cx = [0, 0];
  for (const it of n.items) {
    const z = evalNode(c, it, p, w);
    if (z[0] === 0 && z[1] === 0) return [0, 0];
    y = add(y, inv(z));
  }
  return inv(y);
}

/** Z(ω) of the circuit for the parameter vector p (natural units), ω in rad/s. */
export function circuitZ(c: Circuit, p: ArrayLike<number>, w: number): Cx {
  return evalNode(c, c.root, p, w);
}

/** Z at each frequency f (Hz). */
export function circuitSpectrum(c: Circuit, p: ArrayLike<number>, f: ArrayLike<number>): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(f.length), im = new Float64Array(f.length);
  for (let k = 0; k < f.length; k++) { const z = circuitZ(c, p, 2 * Math.PI * f[k]!); re[k] = z[0]; im[k] = z[1]; }
  return { re, im };
}

/** Index of a parameter by its key or by a preset alias; -1 if none. */
export function paramIndex(c: Circuit, name: string): number {
  const k = c.params.findIndex((d) => d.key === name);
  if (k >= 0) return k;
  const viaAlias = Object.entries(c.aliases).find(([, a]) => a === name);
  return viaAlias ? c.params.findIndex((d) => d.key === viaAlias[0]) : -1;
}

/** Parse `NAME=VALUE` overrides (for --fix / --guess) into a map from parameter index. */
export function resolveOverrides(c: Circuit, o: Record<string, number> | undefined, what: string): Map<number, number> {
  const m = new Map<number, number>();
  for (const [name, v] of Object.entries(o ?? {})) {
    const k = paramIndex(c, name);
    if (k < 0) throw new UsageError(`${what} ${name}: the circuit ${c.text} has no such parameter (it has ${c.params.map((d) => d.key).join(', ')})`);
    const kind = c.params[k]!.kind;
    if (!Number.isFinite(v) || (kind === 'n' ? !(v > 0 && v <= 1) : !(v > 0))) throw new UsageError(`${what} ${name}=${v}: must be ${kind === 'n' ? 'in (0, 1]' : 'positive'}`);
    m.set(k, v);
  }
  return m;
}
