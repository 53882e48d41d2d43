/**
 * Circuit strings: parse, print, evaluate. Expected impedances are worked by hand (closed forms
 * at chosen ω) or come from the generator's own element formulas (src/generate/eis.ts, written
 * independently of src/analysis).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { circuitZ, paramIndex, parseCircuit, printCircuit } from '../src/analysis/eis/circuit.js';
import { bode } from '../src/analysis/eis/spectrum.js';
import * as G from '../src/generate/eis.js';
import { UsageError } from '../src/errors.js';

const close = (a: [number, number], b: [number, number], rel = 1e-9) => {
  const m = Math.max(Math.hypot(b[0], b[1]), 1e-300);
  expect(Math.hypot(a[0] - b[0], a[1] - b[1]) / m).toBeLessThan(rel);
};

describe('presets and keys', () => {
  it('randles, randles-cpe and two-arc expand to their strings with unit-bearing keys and paper aliases', () => {
    const r = parseCircuit('randles');
    expect(r.text).toBe('R0-p(C1,R1-W1)');
    expect(r.params.map((p) => p.key)).toEqual(['R0_ohm', 'C1_F', 'R1_ohm', 'W1_sigma_ohm_s05']);
    expect(r.aliases).toEqual({ R0_ohm: 'r_ohm', R1_ohm: 'r_ct_ohm', C1_F: 'c_dl_f', W1_sigma_ohm_s05: 'sigma_w_ohm_s05' });
    expect(parseCircuit('randles-cpe').params.map((p) => p.key)).toEqual(['R0_ohm', 'CPE1_q', 'CPE1_n', 'R1_ohm', 'W1_sigma_ohm_s05']);
    expect(parseCircuit('randles-cpe').aliases.CPE1_n).toBe('n_cpe');
    expect(parseCircuit('two-arc').text).toBe('R0-p(R1,CPE1)-p(R2,CPE2)-W1');
    expect(parseCircuit('L0-Wo1-Ws2').params.map((p) => p.key)).toEqual(['L0_H', 'Wo1_z0_ohm', 'Wo1_tau_s', 'Ws2_z0_ohm', 'Ws2_tau_s']);
    expect(paramIndex(r, 'r_ct_ohm')).toBe(2);
    expect(paramIndex(r, 'R1_ohm')).toBe(2);
    expect(paramIndex(r, 'nope')).toBe(-1);
  });
  it('spaces are allowed and printed away', () => {
    expect(parseCircuit(' R0 - p( R1 , C1 ) ').text).toBe('R0-p(R1,C1)');
  });
});

describe('invalid strings: one line naming the position', () => {
  const cases: [string, RegExp][] = [
    ['R0-p(R1', /position 8: expected ',' or '\)' but found the end|expected ',' or '\)' but found the end at position 8/],
    ['R0--R1', /at position 4/],
    ['R0-X1', /expected an element .* but found 'X' at position 4/],
    ['R0-R0', /element R0 appears twice at position 4/],
    ['R0-p(R1)', /p\(…\) needs at least two branches at position 8/],
    ['R', /found 'R' at position 1/],
    ['R0)', /unexpected '\)' at position 3/],
    ['', /empty circuit at position 1/],
  ];
  for (const [text, re] of cases) {
    it(`'${text}'`, () => {
      let err: unknown;
      try { parseCircuit(text); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(UsageError);
      const msg = (err as Error).message;
      expect(msg).toMatch(re);
      expect(msg).not.toContain('\n');
    });
  }
});

describe('element impedances worked by hand', () => {
  it('R, C, L, CPE, W, Wo, Ws at chosen ω', () => {
    // p(R1,C1) with R = 100, C = 1e-5 at ω = 1000: 100/(1 + j) = 50 − 50j; plus R0 = 10
    close(circuitZ(parseCircuit('R0-p(R1,C1)'), [10, 100, 1e-5], 1000), [60, -50]);
    // CPE Q = 0.01, n = 0.5 at ω = 1e4: Q(jω)^n = e^{jπ/4}, Z = e^{-jπ/4}
    close(circuitZ(parseCircuit('CPE1'), [0.01, 0.5], 1e4), [Math.SQRT1_2, -Math.SQRT1_2]);
    // W σ = 10 at ω = 100: σ(1 − j)/10
    close(circuitZ(parseCircuit('W1'), [10], 100), [1, -1]);
    // L = 1e-3 H at ω = 1000: j
    close(circuitZ(parseCircuit('L1'), [1e-3], 1000), [0, 1]);
    // C = 1e-3 at ω = 10: −j/(0.01) = −100j
    close(circuitZ(parseCircuit('C1'), [1e-3], 10), [0, -100]);
    // ωτ = 2: √(2j) = 1 + j; tanh(1+j)/(1+j) = 0.677838 − 0.406085j; 1/(tanh(1+j)(1+j)) = 0.325196 − 0.542818j
    close(circuitZ(parseCircuit('Ws1'), [1, 2], 1), [0.6778379563291032, -0.4060853710095914], 1e-12);
    close(circuitZ(parseCircuit('Wo1'), [3, 4], 0.5), [3 * 0.32519629052076116, -3 * 0.5428178523751638], 1e-12);
    // large ωτ: Wo and Ws both tend to Z0/√(jωτ)
    const big = circuitZ(parseCircuit('Wo1'), [1, 1], 1e8);
    close(big, [1e-4 * Math.SQRT1_2, -1e-4 * Math.SQRT1_2], 1e-9);
  });
  it('Bode data: |Z| and phase in degrees', () => {
    const b = bode({ f: Float64Array.of(1, 2), re: Float64Array.of(3, 1), im: Float64Array.of(-4, -1) });
    expect(b[0]).toEqual({ freq_hz: 1, z_mod_ohm: 5, phase_deg: Math.atan2(-4, 3) * 180 / Math.PI });
    expect(b[1]!.phase_deg).toBeCloseTo(-45, 12);
  });
});

// ---- property: random circuits ----
type Tree = { t: 'el'; kind: 'R' | 'C' | 'L' | 'CPE' | 'W' | 'Wo' | 'Ws'; vals: number[] } | { t: 's' | 'p'; items: Tree[] };
const val = fc.double({ min: -3, max: 3, noNaN: true }).map((e) => 10 ** e);
const leaf: fc.Arbitrary<Tree> = fc.oneof(
  fc.record({ t: fc.constant('el' as const), kind: fc.constantFrom('R' as const, 'C' as const, 'L' as const, 'W' as const), vals: fc.tuple(val).map((v) => [...v]) }),
  fc.record({ t: fc.constant('el' as const), kind: fc.constant('CPE' as const), vals: fc.tuple(val, fc.double({ min: 0.3, max: 1, noNaN: true })).map((v) => [...v]) }),
  fc.record({ t: fc.constant('el' as const), kind: fc.constantFrom('Wo' as const, 'Ws' as const), vals: fc.tuple(val, val).map((v) => [...v]) }),
);
const tree = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.record({ t: fc.constantFrom('s' as const, 'p' as const), items: fc.array(tie('node'), { minLength: 2, maxLength: 3 }) })),
})).node;

/** The string, the parameter vector and the generator's Zfn of a tree (names numbered in order). */
function render(t: Tree): { text: string; params: number[]; z: G.Zfn } {
  const counts: Record<string, number> = {};
  const params: number[] = [];
  const go = (n: Tree, inSeries: boolean): { s: string; z: G.Zfn } => {
    if (n.t === 'el') {
      const k = counts[n.kind] = (counts[n.kind] ?? -1) + 1;
      params.push(...n.vals);
      const [a, b] = n.vals as [number, number];
      const z = n.kind === 'R' ? G.R(a) : n.kind === 'C' ? G.Cap(a) : n.kind === 'L' ? G.L(a) : n.kind === 'W' ? G.W(a) : n.kind === 'CPE' ? G.CPE(a, b) : n.kind === 'Wo' ? G.Wo(a, b) : G.Ws(a, b);
      return { s: `${n.kind}${k}`, z };
    }
    if (n.t === 's') {
      const parts = n.items.map((x) => go(x, true));
      // a series inside a series prints flat, which is the same circuit
      return { s: parts.map((p) => p.s).join('-'), z: G.series(...parts.map((p) => p.z)) };
    }
    const parts = n.items.map((x) => go(x, false));
    return { s: `p(${parts.map((p) => p.s).join(',')})`, z: G.parallel(...parts.map((p) => p.z)) };
  };
  const r = go(t, false);
  return { text: r.s, params, z: r.z };
}

describe('property: random valid circuits', () => {
  it('parse, print back the same string, and evaluate equal to the composed element formulas', () => {
    fc.assert(fc.property(tree, fc.array(fc.double({ min: -3, max: 6, noNaN: true }), { minLength: 1, maxLength: 4 }), (t, logw) => {
      const { text, params, z } = render(t);
      const c = parseCircuit(text);
      expect(printCircuit(c)).toBe(text);
      expect(c.text).toBe(text);
      expect(c.params.length).toBe(params.length);
      for (const e of logw) {
        const w = 10 ** e;
        const want = z(w), got = circuitZ(c, params, w);
        const m = Math.hypot(want.re, want.im);
        if (!Number.isFinite(m) || m < 1e-200 || m > 1e200) continue;
        expect(Math.hypot(got[0] - want.re, got[1] - want.im) / m).toBeLessThan(1e-8);
      }
    }), { numRuns: 400, seed: 15 });
  });
});
