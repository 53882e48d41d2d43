// Mutation tests for src/analysis/eis/ (issue 20 point 4). Every expected number is worked by hand
// here: small linear systems solved on paper, element impedances from the formulas of
// docs/science.md ("CHI: impedance") evaluated with the complex arithmetic written below, D from σ
// with the constants written again. Fits are few and small (see docs/mutation/eis.md).
import { describe, expect, it } from 'vitest';
import { cholSolve, lstsq, nnlsGram, spdInverse, symEigen, symEigenvalues } from '../src/analysis/eis/linalg.js';
import { circuitSpectrum, circuitZ, elementZ, paramIndex, parseCircuit, resolveOverrides } from '../src/analysis/eis/circuit.js';
import { bode, clearlyInductive, highToLow, inductivePoints, subset, type Spectrum } from '../src/analysis/eis/spectrum.js';
import { DISC_12MM_CM2, warburgD, warburgDFromFit } from '../src/analysis/eis/warburg.js';
import { initialGuesses, spectrumFeatures } from '../src/analysis/eis/guess.js';
import { linKK } from '../src/analysis/eis/kk.js';
import { drt } from '../src/analysis/eis/drt.js';
import { fitAuto, fitCircuit, fitRow } from '../src/analysis/eis/fit.js';
import { UsageError } from '../src/errors.js';

// ---- complex arithmetic of the test's own ----
type C = [number, number];
const cadd = (a: C, b: C): C => [a[0] + b[0], a[1] + b[1]];
const cmul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const cdiv = (a: C, b: C): C => { const d = b[0] ** 2 + b[1] ** 2; return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d]; };
const cexp = (a: C): C => [Math.exp(a[0]) * Math.cos(a[1]), Math.exp(a[0]) * Math.sin(a[1])];
const ONE: C = [1, 0];
/** tanh z = (e^{2z} − 1)/(e^{2z} + 1). */
const ctanh = (z: C): C => { const e = cexp([2 * z[0], 2 * z[1]]); return cdiv([e[0] - 1, e[1]], [e[0] + 1, e[1]]); };
const par = (...zs: C[]): C => cdiv(ONE, zs.reduce<C>((y, z) => cadd(y, cdiv(ONE, z)), [0, 0]));
const near = (got: ArrayLike<number>, want: ArrayLike<number>, rel = 1e-12) => {
  expect(got.length).toBe(want.length);
  const scale = Math.max(1e-300, ...Array.from(want, Math.abs));
  for (let k = 0; k < want.length; k++) expect(Math.abs(got[k]! - want[k]!) / scale, `[${k}] ${got[k]} vs ${want[k]}`).toBeLessThan(rel);
};

// ====================================================================================== linalg
describe('linalg: small systems solved by hand', () => {
  it('cholSolve: 2×2 and 3×3 SPD systems', () => {
    // [[4,2],[2,3]] x = [6,5]: inverse (1/8)[[3,−2],[−2,4]] gives x = [1, 1]
    near(cholSolve([[4, 2], [2, 3]], [6, 5])!, [1, 1]);
    // [[4,2,0],[2,5,1],[0,1,3]] [1,2,3] = [8, 15, 11]
    near(cholSolve([[4, 2, 0], [2, 5, 1], [0, 1, 3]], [8, 15, 11])!, [1, 2, 3]);
    // diagonal: x_i = b_i / a_ii
    near(cholSolve([[2, 0], [0, 8]], [1, 2])!, [0.5, 0.25]);
  });
  it('cholSolve: null when not positive definite (indefinite, zero pivot, NaN)', () => {
    expect(cholSolve([[1, 2], [2, 1]], [1, 1])).toBeNull(); // eigenvalues 3, −1
    expect(cholSolve([[0, 0], [0, 1]], [1, 1])).toBeNull();
    expect(cholSolve([[1, 0], [0, 0]], [1, 1])).toBeNull(); // second pivot exactly 0
    expect(cholSolve([[-1, 0], [0, 1]], [1, 1])).toBeNull();
    expect(cholSolve([[NaN, 0], [0, 1]], [1, 1])).toBeNull();
  });
  it('spdInverse: (1/8)[[3,−2],[−2,4]]; null when not positive definite', () => {
    const inv = spdInverse([[4, 2], [2, 3]])!;
    near(inv[0]!, [3 / 8, -2 / 8]);
    near(inv[1]!, [-2 / 8, 4 / 8]);
    // 3×3 diagonal
    const d = spdInverse([[2, 0, 0], [0, 4, 0], [0, 0, 5]])!;
    near(d.flat(), [0.5, 0, 0, 0, 0.25, 0, 0, 0, 0.2]);
    expect(spdInverse([[1, 2], [2, 1]])).toBeNull();
  });
  it('symEigen: [[2,1],[1,2]] has 1 and 3; the tridiagonal (−1,2,−1) has 2 − √2, 2, 2 + √2', () => {
    const check = (A: number[][], want: number[]) => {
      const { values, vectors } = symEigen(A);
      near([...values].sort((a, b) => a - b), want, 1e-12);
      near(symEigenvalues(A).sort((a, b) => a - b), want, 1e-12);
      const n = A.length;
      for (let c = 0; c < n; c++) {
        // A v = λ v, ‖v‖ = 1
        const v = vectors.map((r) => r[c]!);
        const Av = A.map((r) => r.reduce((s, a, j) => s + a * v[j]!, 0));
        near(Av, v.map((x) => values[c]! * x), 1e-12);
        expect(Math.hypot(...v)).toBeCloseTo(1, 12);
        for (let d = c + 1; d < n; d++) expect(Math.abs(vectors.reduce((s, r) => s + r[c]! * r[d]!, 0))).toBeLessThan(1e-12);
      }
    };
    check([[2, 1], [1, 2]], [1, 3]);
    check([[2, -1, 0], [-1, 2, -1], [0, -1, 2]], [2 - Math.SQRT2, 2, 2 + Math.SQRT2]);
    // [[1,2],[2,1]]: −1 and 3; [[3,0],[0,1]] is already diagonal
    check([[1, 2], [2, 1]], [-1, 3]);
    check([[5, 0, 0], [0, 1, 0], [0, 0, 3]], [1, 3, 5]);
    expect(symEigen([[5, 0], [0, 1]])).toEqual({ values: [5, 1], vectors: [[1, 0], [0, 1]] });
    // a 1×1 matrix, and a 4×4 with known eigenvalues (J − I, J all ones: 3, −1, −1, −1)
    expect(symEigen([[7]]).values).toEqual([7]);
    check([[0, 1, 1, 1], [1, 0, 1, 1], [1, 1, 0, 1], [1, 1, 1, 0]], [-1, -1, -1, 3]);
    // entries of very different size: [[1e6, 1],[1, 1]]: λ = (1e6+1)/2 ± √(((1e6−1)/2)² + 1)
    const h = (1e6 - 1) / 2, m = (1e6 + 1) / 2;
    check([[1e6, 1], [1, 1]], [m - Math.sqrt(h * h + 1), m + Math.sqrt(h * h + 1)]);
  });
  it('lstsq: the least-squares line through four points, exact fits, dependent and zero columns', () => {
    // A = [1 t], t = 0..3, b = [1,3,4,8]: AᵀA = [[4,6],[6,14]], Aᵀb = [16,35] → x = [0.7, 2.2]
    near(lstsq([[1, 0], [1, 1], [1, 2], [1, 3]], [1, 3, 4, 8]), [0.7, 2.2], 1e-12);
    // a negative leading entry: −x0 + t x1 with x = [2, 3]
    near(lstsq([[-1, 0], [-1, 1], [-1, 2]], [-2, 1, 4]), [2, 3], 1e-12);
    // square 3×3: x = [1, −2, 3]
    near(lstsq([[2, 1, 0], [1, 3, 1], [0, 1, 4]], [0, -2, 10]), [1, -2, 3], 1e-12);
    // a dependent second column gets 0; the first takes the mean
    near(lstsq([[1, 2], [1, 2], [1, 2]], [1, 2, 3]), [2, 0], 1e-12);
    // a zero column gets 0, last or before others (the mean of 1, 2, 3 is 2)
    near(lstsq([[1, 0], [1, 0], [1, 0]], [1, 2, 3]), [2, 0], 1e-12);
    near(lstsq([[0, 1], [0, 1], [0, 1]], [1, 2, 3]), [0, 2], 1e-12);
    near(lstsq([[0, 1, 0], [0, 1, 1], [0, 1, 2], [0, 1, 3]], [1, 3, 4, 8]), [0, 0.7, 2.2], 1e-12);
    expect(lstsq([[0, 0], [0, 0]], [1, 2])).toEqual([0, 0]);
    // a column next to nothing (1e-300 beside columns of norm √3) counts as zero
    near(lstsq([[1e-300, 1], [0, 1], [0, 1]], [1, 2, 3]), [0, 2], 1e-12);
    // a dependent column in the middle: the others in least squares. Columns 0 and 2 alone:
    // AᵀA = [[3, 4], [4, 11]], Aᵀb = [7, 16] → x = [(77 − 64)/17, (48 − 28)/17] = [13/17, 20/17]
    near(lstsq([[1, 2, 1], [1, 2, 0], [0, 0, 1], [1, 2, 3]], [1, 2, 3, 4]), [13 / 17, 0, 20 / 17], 1e-12);
    // three columns, the middle one a multiple of the first: x = [x0, 0, x2], fitted on [1 t]
    near(lstsq([[1, 2, 0], [1, 2, 1], [1, 2, 2], [1, 2, 3]], [1, 3, 4, 8]), [0.7, 0, 2.2], 1e-12);
  });
  it('nnlsGram: unconstrained interior, one bound active, a variable that leaves the passive set', () => {
    // G = I, h = [1, −1]: x = [1, 0]
    let r = nnlsGram([[1, 0], [0, 1]], [1, -1]);
    near(r.x, [1, 0]); expect(r.passive).toEqual([true, false]);
    // G = [[2,1],[1,2]], h = [1,1]: x = [1/3, 1/3], both passive
    r = nnlsGram([[2, 1], [1, 2]], [1, 1]);
    near(r.x, [1 / 3, 1 / 3]); expect(r.passive).toEqual([true, true]);
    // G = [[4,1],[1,0.5]], h = [2, 1.1]: x0 enters first (h0 largest) at 0.5; then x1 enters, the
    // joint solution [−0.1, 2.4] has x0 < 0, so x0 leaves: x = [0, 1.1/0.5] = [0, 2.2]
    // (KKT: the gradient of x0 is 2 − 2.2 = −0.2 ≤ 0)
    r = nnlsGram([[4, 1], [1, 0.5]], [2, 1.1]);
    near(r.x, [0, 2.2], 1e-12); expect(r.passive).toEqual([false, true]);
    // one outer iteration only: x0 = 2/4
    r = nnlsGram([[4, 1], [1, 0.5]], [2, 1.1], 1);
    near(r.x, [0.5, 0]); expect(r.passive).toEqual([true, false]);
    // no iteration: zeros
    expect(nnlsGram([[4, 1], [1, 0.5]], [2, 1.1], 0).x).toEqual([0, 0]);
    // all gradients negative: x = 0, nothing passive
    r = nnlsGram([[1, 0], [0, 1]], [-1, -2]);
    expect(r.x).toEqual([0, 0]); expect(r.passive).toEqual([false, false]);
    // a singular passive block: the variable is dropped again and the zeros returned
    r = nnlsGram([[0, 0], [0, 1]], [1, 0]);
    expect(r.x).toEqual([0, 0]); expect(r.passive).toEqual([false, false]);
    // the largest gradient enters first: h = [1, 3] with G = I gives [1, 3]; with maxIter 1 only x1
    near(nnlsGram([[1, 0], [0, 1]], [1, 3], 1).x, [0, 3]);
    near(nnlsGram([[1, 0], [0, 1]], [1, 3]).x, [1, 3]);
    // a gradient below the tolerance 1e-12·max(1, |h|) does not enter
    expect(nnlsGram([[1, 0], [0, 1]], [1e-13, 0]).x).toEqual([0, 0]);
    expect(nnlsGram([[1, 0], [0, 1]], [1e6, 1e-7]).x).toEqual([1e6, 0]);
    near(nnlsGram([[1, 0], [0, 1]], [1, 1e-11]).x, [1, 1e-11]);
  });
  it('nnlsGram: three variables where the middle one leaves (KKT checked by hand)', () => {
    // G = [[1,0.5,0],[0.5,1,0.5],[0,0.5,1]], h = [1, 0.3, 1]: without the middle variable
    // x0 = x2 = 1 (G02 = 0); its gradient 0.3 − 0.5 − 0.5 = −0.7 ≤ 0, so x = [1, 0, 1]
    const r = nnlsGram([[1, 0.5, 0], [0.5, 1, 0.5], [0, 0.5, 1]], [1, 0.3, 1]);
    near(r.x, [1, 0, 1], 1e-12);
    expect(r.passive).toEqual([true, false, true]);
  });
});

// ===================================================================================== circuit
describe('circuit: element impedances from the formulas of docs/science.md', () => {
  const jw = (w: number): C => [0, w];
  /** (jω)^n = ω^n e^{jnπ/2} */
  const jwPow = (w: number, n: number): C => [w ** n * Math.cos(n * Math.PI / 2), w ** n * Math.sin(n * Math.PI / 2)];
  /** √(jωτ) = √(ωτ/2)(1 + j) */
  const sqrtJwt = (w: number, tau: number): C => [Math.sqrt(w * tau / 2), Math.sqrt(w * tau / 2)];
  it('each element alone, at two frequencies', () => {
    for (const w of [0.7, 3000]) {
      near(elementZ('R', [47], 0, w), [47, 0]);
      near(circuitZ(parseCircuit('C1'), [2e-4], w), cdiv(ONE, cmul(jw(w), [2e-4, 0])));
      near(circuitZ(parseCircuit('L1'), [3e-6], w), cmul(jw(w), [3e-6, 0]));
      for (const n of [0.8, 1, 0.3]) near(circuitZ(parseCircuit('CPE1'), [5e-5, n], w), cdiv(ONE, cmul([5e-5, 0], jwPow(w, n))), 1e-12);
      near(circuitZ(parseCircuit('W1'), [12], w), [12 / Math.sqrt(w), -12 / Math.sqrt(w)]);
      for (const tau of [0.01, 1.7]) {
        const x = sqrtJwt(w, tau), t = ctanh(x);
        near(circuitZ(parseCircuit('Ws1'), [8, tau], w), cmul([8, 0], cdiv(t, x)), 1e-11);
        near(circuitZ(parseCircuit('Wo1'), [8, tau], w), cmul([8, 0], cdiv(ONE, cmul(t, x))), 1e-11);
      }
    }
    // the offset o picks the element's own parameters out of the vector
    near(elementZ('CPE', [9, 9, 1e-3, 0.5], 2, 100), cdiv(ONE, cmul([1e-3, 0], jwPow(100, 0.5))));
    near(elementZ('Wo', [9, 2, 0.5], 1, 4), cdiv([2, 0], cmul(ctanh([1, 1]), [1, 1])), 1e-12);
    near(elementZ('Ws', [9, 2, 0.5], 1, 4), cmul([2, 0], cdiv(ctanh([1, 1]), [1, 1])), 1e-12);
  });
  it('finite-length Warburg at large ωτ: tanh → 1, both tend to Z0/√(jωτ) without overflow', () => {
    // ωτ = 2·400²: √(jωτ) = 400(1 + j); Z0/(400(1 + j)) = Z0 (1 − j)/800
    near(circuitZ(parseCircuit('Ws1'), [4, 1], 320000), [4 / 800, -4 / 800], 1e-12);
    near(circuitZ(parseCircuit('Wo1'), [4, 1], 320000), [4 / 800, -4 / 800], 1e-12);
    // a = 21 (just past the cut at 20): tanh(21 + 21j) = 1 to double precision
    near(circuitZ(parseCircuit('Ws1'), [1, 2 * 21 * 21], 1), [1 / 42, -1 / 42], 1e-12);
    near(circuitZ(parseCircuit('Wo1'), [1, 2 * 19 * 19], 1), cdiv(ONE, cmul(ctanh([19, 19]), [19, 19])), 1e-12);
  });
  it('series and parallel compositions, three branches, nesting', () => {
    const p = [10, 100, 1e-5, 2e-6, 30];
    const c = parseCircuit('R0-p(R1,C1,L1)-W1');
    for (const w of [10, 1e4]) {
      const want = cadd(cadd([10, 0], par([100, 0], cdiv(ONE, cmul(jw(w), [1e-5, 0])), cmul(jw(w), [2e-6, 0]))), [30 / Math.sqrt(w), -30 / Math.sqrt(w)]);
      near(circuitZ(c, p, w), want, 1e-12);
    }
    // p(C1,R1-W1) (Randles' inner block) and a parallel inside a parallel
    const r = parseCircuit('randles');
    const w = 50, q = [5, 2e-5, 50, 30];
    near(circuitZ(r, q, w), cadd([5, 0], par(cdiv(ONE, cmul(jw(w), [2e-5, 0])), [50 + 30 / Math.sqrt(w), -30 / Math.sqrt(w)])), 1e-12);
    const nest = parseCircuit('p(R1,p(R2,C1))');
    near(circuitZ(nest, [10, 20, 1e-3], 100), par([10, 0], par([20, 0], cdiv(ONE, cmul(jw(100), [1e-3, 0])))), 1e-12);
    // a single-element tree and a series of two
    near(circuitZ(parseCircuit('R0'), [3], 1), [3, 0]);
    near(circuitZ(parseCircuit('R0-R1'), [3, 4], 1), [7, 0]);
  });
  it('limits: a zero branch shorts a parallel block, a zero admittance opens it, C = 0 is an open branch', () => {
    // R1 = 0 in p(C1,R1): the block is a short; the branch order does not matter
    expect(circuitZ(parseCircuit('p(C1,R1)'), [1e-3, 0], 10)).toEqual([0, 0]);
    expect(circuitZ(parseCircuit('R0-p(R1,C1)'), [5, 0, 1e-3], 10)).toEqual([5, 0]);
    // C1 = 1e-3, R1 = 100 at ω = 10: 1/(0.01 j + 0.01) = 50 − 50j (no branch is zero)
    near(circuitZ(parseCircuit('p(C1,R1)'), [1e-3, 100], 10), [50, -50], 1e-12);
    // p(C1,L1) at resonance ω = 1/√(LC) = 1: admittances j and −j cancel: an open circuit
    expect(circuitZ(parseCircuit('p(C1,L1)'), [1, 1], 1)).toEqual([Infinity, 0]);
    // C = 0 has infinite impedance: the parallel block reduces to the other branch
    near(circuitZ(parseCircuit('p(R1,C1)'), [40, 0], 10), [40, 0]);
    near(circuitZ(parseCircuit('p(C1,R1)'), [0, 40], 10), [40, 0]);
  });
  it('circuitSpectrum evaluates at ω = 2πf', () => {
    const f = Float64Array.of(1 / (2 * Math.PI), 10 / (2 * Math.PI));
    const s = circuitSpectrum(parseCircuit('R0-C1'), [2, 0.5], f);
    // ω = 1: 2 − 2j; ω = 10: 2 − 0.2j
    near(s.re, [2, 2]);
    near(s.im, [-2, -0.2], 1e-12);
    expect(s.re).toBeInstanceOf(Float64Array);
  });
});

describe('circuit: parsing details', () => {
  it('a preset name with spaces around it is still the preset; keys, offsets, kinds, units', () => {
    const c = parseCircuit('  randles-cpe ');
    expect(c.preset).toBe('randles-cpe');
    expect(c.text).toBe('R0-p(CPE1,R1-W1)');
    expect(c.offsets).toEqual([0, 1, 3, 4]);
    expect(c.params.map((p) => [p.key, p.element, p.kind, p.unit])).toEqual([
      ['R0_ohm', 'R0', 'R', 'Ω'], ['CPE1_q', 'CPE1', 'Q', 'F s^(n−1)'], ['CPE1_n', 'CPE1', 'n', ''], ['R1_ohm', 'R1', 'R', 'Ω'], ['W1_sigma_ohm_s05', 'W1', 'sigma', 'Ω s^-½'],
    ]);
    expect(c.elements.map((e) => `${e.kind}:${e.name}`)).toEqual(['R:R0', 'CPE:CPE1', 'R:R1', 'W:W1']);
    const plain = parseCircuit('R0-C1');
    expect(plain.preset).toBeNull();
    expect(plain.aliases).toEqual({});
    expect(parseCircuit('L2-Ws3-Wo4').params.map((p) => [p.kind, p.unit])).toEqual([['L', 'H'], ['z0', 'Ω'], ['tau', 's'], ['z0', 'Ω'], ['tau', 's']]);
    // the preset's alias map is a copy
    const a = parseCircuit('randles'); a.aliases.R0_ohm = 'x';
    expect(parseCircuit('randles').aliases.R0_ohm).toBe('r_ohm');
    // tree shape: a series root whose second item is a parallel of an element and a series
    const r = parseCircuit('R0-p(C1,R1-W1)').root;
    expect(r.type).toBe('series');
    if (r.type === 'series') {
      expect(r.items.map((x) => x.type)).toEqual(['element', 'parallel']);
      const p = r.items[1]!;
      if (p.type === 'parallel') expect(p.items.map((x) => x.type)).toEqual(['element', 'series']);
    }
    expect(parseCircuit('C7').root).toEqual({ type: 'element', element: { kind: 'C', name: 'C7' }, index: 0 });
  });
  it('whitespace anywhere between tokens; tabs and newlines too', () => {
    expect(parseCircuit('R0 -\tp(\nR1 ,  C1 , L1 ) - W1 ').text).toBe('R0-p(R1,C1,L1)-W1');
    expect(parseCircuit('p(R1,C1) ').text).toBe('p(R1,C1)');
    expect(parseCircuit(' p(R1 ,C1)').text).toBe('p(R1,C1)');
  });
  const msg = (text: string) => { try { parseCircuit(text); } catch (e) { expect(e).toBeInstanceOf(UsageError); return (e as Error).message; } return 'no error'; };
  it('error messages quote the circuit and name the character found or the end', () => {
    expect(msg('R0-p(R1;C1)')).toBe(`circuit 'R0-p(R1;C1)': expected ',' or ')' but found ';' at position 8`);
    expect(msg('R0-')).toBe(`circuit 'R0-': expected an element (R, C, L, CPE, W, Wo, Ws with a number) or p( but found the end at position 4`);
    expect(msg('R0-q1')).toBe(`circuit 'R0-q1': expected an element (R, C, L, CPE, W, Wo, Ws with a number) or p( but found 'q' at position 4`);
    expect(msg('p(R1)')).toBe(`circuit 'p(R1)': p(…) needs at least two branches at position 5`);
    expect(msg('R1-C1-R1')).toBe(`circuit 'R1-C1-R1': element R1 appears twice at position 7`);
    expect(msg('R1 C1')).toBe(`circuit 'R1 C1': unexpected 'C' at position 4`);
    expect(msg('   ')).toBe(`circuit '   ': empty circuit at position 1`);
    expect(msg('p(R1,C1')).toBe(`circuit 'p(R1,C1': expected ',' or ')' but found the end at position 8`);
  });
});

describe('circuit: parameter names and overrides', () => {
  const r = parseCircuit('randles-cpe');
  it('paramIndex by key and by alias', () => {
    expect(paramIndex(r, 'n_cpe')).toBe(2);
    expect(paramIndex(r, 'CPE1_q')).toBe(1);
    expect(paramIndex(r, 'r_ohm')).toBe(0);
    expect(paramIndex(r, 'sigma_w_ohm_s05')).toBe(4);
    expect(paramIndex(parseCircuit('R0-C1'), 'r_ohm')).toBe(-1);
  });
  it('resolveOverrides: indices, n in (0, 1], others positive, unknown names listed', () => {
    const m = resolveOverrides(r, { n_cpe: 1, R1_ohm: 20, r_ohm: 1e-9 }, '--fix');
    expect([...m.entries()].sort((a, b) => a[0] - b[0])).toEqual([[0, 1e-9], [2, 1], [3, 20]]);
    expect(resolveOverrides(r, undefined, '--fix').size).toBe(0);
    expect(resolveOverrides(r, { CPE1_n: 0.5 }, '--guess').get(2)).toBe(0.5);
    const err = (o: Record<string, number>, what = '--fix') => { try { resolveOverrides(r, o, what); } catch (e) { expect(e).toBeInstanceOf(UsageError); return (e as Error).message; } return 'no error'; };
    expect(err({ n_cpe: 1.01 })).toBe('--fix n_cpe=1.01: must be in (0, 1]');
    expect(err({ n_cpe: 0 })).toBe('--fix n_cpe=0: must be in (0, 1]');
    expect(err({ CPE1_n: -0.5 })).toBe('--fix CPE1_n=-0.5: must be in (0, 1]');
    expect(err({ n_cpe: NaN })).toBe('--fix n_cpe=NaN: must be in (0, 1]');
    expect(err({ R1_ohm: 0 }, '--guess')).toBe('--guess R1_ohm=0: must be positive');
    expect(err({ R1_ohm: -3 })).toBe('--fix R1_ohm=-3: must be positive');
    expect(err({ R1_ohm: Infinity })).toBe('--fix R1_ohm=Infinity: must be positive');
    expect(err({ R9_ohm: 1 })).toBe('--fix R9_ohm: the circuit R0-p(CPE1,R1-W1) has no such parameter (it has R0_ohm, CPE1_q, CPE1_n, R1_ohm, W1_sigma_ohm_s05)');
  });
});

// ==================================================================================== spectrum
describe('spectrum helpers', () => {
  const sp = (f: number[], re: number[], im: number[]): Spectrum => ({ f: Float64Array.from(f), re: Float64Array.from(re), im: Float64Array.from(im) });
  it('bode: |Z| and the phase in degrees, also inductive', () => {
    const b = bode(sp([5, 50], [1, 0], [1, 2]));
    expect(b[0]!.freq_hz).toBe(5);
    expect(b[0]!.z_mod_ohm).toBeCloseTo(Math.SQRT2, 14);
    expect(b[0]!.phase_deg).toBeCloseTo(45, 12);
    expect(b[1]).toEqual({ freq_hz: 50, z_mod_ohm: 2, phase_deg: 90 });
  });
  it('subset keeps the given order; highToLow sorts by frequency', () => {
    const s = sp([1, 100, 10], [1, 2, 3], [-1, -2, -3]);
    const t = subset(s, [2, 0]);
    expect([...t.f, ...t.re, ...t.im]).toEqual([10, 1, 3, 1, -3, -1]);
    expect(highToLow(s)).toEqual([1, 2, 0]);
  });
  it('inductivePoints: Z″ > 0 only among the highest-frequency third, returned by index', () => {
    // 7 points listed low → high: the top third is ceil(7/3) = 3 points (indices 6, 5, 4)
    const f = [0.01, 0.1, 1, 10, 100, 1e3, 1e4];
    const s = sp(f, [9, 8, 7, 6, 5, 4, 3], [1, -1, -1, -1, 0.5, -0.2, 2]);
    expect(inductivePoints(s)).toEqual([4, 6]); // index 0 (Z″ > 0 at 0.01 Hz) is not inductive
    // 6 points: the top third is 2
    expect(inductivePoints(sp(f.slice(1), [1, 1, 1, 1, 1, 1], [-1, -1, -1, 1, 1, 1]))).toEqual([4, 5]);
    // 2 points: one point (Math.max(1, ceil(2/3)) = 1); Z″ = 0 is not inductive
    expect(inductivePoints(sp([1, 2], [1, 1], [1, 1]))).toEqual([1]);
    expect(inductivePoints(sp([1, 2], [1, 1], [-1, 0]))).toEqual([]);
    expect(inductivePoints(sp([3], [1], [1]))).toEqual([0]);
  });
  it('clearlyInductive: some inductive Z″ above 1 % of |Z|', () => {
    // Z″ = 2 on Z′ = 100 (2 %) is clear; 0.5 on 100 (0.5 %) is noise; a low-frequency Z″ > 0 never counts
    expect(clearlyInductive(sp([1, 10, 100], [100, 100, 100], [-5, -1, 2]))).toBe(true);
    expect(clearlyInductive(sp([1, 10, 100], [100, 100, 100], [-5, -1, 0.5]))).toBe(false);
    expect(clearlyInductive(sp([1, 10, 100], [100, 100, 100], [50, -1, -1]))).toBe(false);
    // the test is on |Z| not Z′: Z′ = 0, Z″ = 1 is 100 %
    expect(clearlyInductive(sp([1, 10, 100], [100, 100, 0], [-5, -1, 1]))).toBe(true);
    // two inductive points, only the second clear
    expect(clearlyInductive(sp([1, 2, 3, 10, 100, 1000], [100, 100, 100, 100, 100, 100], [-5, -5, -5, -1, 0.2, 3]))).toBe(true);
  });
});

// ===================================================================================== warburg
describe('warburg: D = R²T² / (2 A² n⁴ F⁴ C² σ²) with the constants written again', () => {
  const R = 8.314462618, F = 96485.33212;
  const D = (sigma: number, A: number, T: number, n: number, Cc: number) => (R * T) ** 2 / (2 * A ** 2 * n ** 4 * F ** 4 * Cc ** 2 * sigma ** 2);
  it('given and default area and temperature, n = 1 and 2', () => {
    const g = warburgD(25, { areaCm2: 2, tempK: 300, n: 2, concMolCm3: 1e-3 });
    expect(g.d_cm2_s / D(25, 2, 300, 2, 1e-3) - 1).toBeCloseTo(0, 13);
    expect(g.assumptions).toEqual({ area_cm2: 2, area_source: 'given', temp_k: 300, temp_source: 'given', n: 2, conc_mol_cm3: 1e-3, d_formula: 'D = R²T² / (2 A² n⁴ F⁴ C² σ²)' });
    const d = warburgD(10, { concMolCm3: 5e-3 });
    expect(DISC_12MM_CM2).toBeCloseTo(Math.PI * 0.36, 14);
    expect(d.d_cm2_s / D(10, Math.PI * 0.36, 298.15, 1, 5e-3) - 1).toBeCloseTo(0, 13);
    expect(d.assumptions).toMatchObject({ area_source: 'default: 12 mm disc', temp_source: 'default: 298.15 K', temp_k: 298.15, n: 1 });
    // a number worked out: σ = 1, A = 1, T = 298.15, n = 1, C = 1e-3 → (RT)²/(2F⁴C²) ≈ 3.5499e-8... checked by the formula above
    expect(warburgD(1, { areaCm2: 1, concMolCm3: 1e-3 }).d_cm2_s).toBeCloseTo(D(1, 1, 298.15, 1, 1e-3), 20);
  });
  it('refuses a missing or non-positive input with its message', () => {
    const err = (f: () => unknown) => { try { f(); } catch (e) { expect(e).toBeInstanceOf(UsageError); return (e as Error).message; } return 'no error'; };
    expect(err(() => warburgD(1, { concMolCm3: 0 }))).toBe('D from the Warburg coefficient needs the concentration (--conc, mol cm⁻³); there is no default');
    expect(err(() => warburgD(1, { concMolCm3: NaN }))).toMatch(/needs the concentration/);
    for (const o of [{ areaCm2: 0 }, { tempK: -1 }, { n: 0 }, { areaCm2: NaN }]) expect(err(() => warburgD(1, { concMolCm3: 1e-3, ...o }))).toBe('area, temperature and n must be positive');
    expect(err(() => warburgD(0, { concMolCm3: 1e-3 }))).toBe('the Warburg coefficient must be positive');
    expect(err(() => warburgD(NaN, { concMolCm3: 1e-3 }))).toBe('the Warburg coefficient must be positive');
  });
  it('warburgDFromFit: W elements only, σ determined, SE(D) = 2 D SE(σ)/σ', () => {
    const o = { areaCm2: 1, concMolCm3: 1e-3 };
    const rows = warburgDFromFit({ params: [
      { key: 'R0_ohm', value: 5, se: 0.1 },
      { key: 'W1_sigma_ohm_s05', value: 20, se: 2 },
      { key: 'W12_sigma_ohm_s05', value: 40, se: null },
      { key: 'W3_sigma_ohm_s05', value: null, se: null },
      { key: 'XW4_sigma_ohm_s05', value: 1, se: 1 },
      { key: 'W5_sigma_ohm_s05_se', value: 1, se: 1 },
      { key: 'Wo6_z0_ohm', value: 1, se: 1 },
    ] }, o);
    expect(rows.map((r) => r.element)).toEqual(['W1', 'W12']);
    const d1 = D(20, 1, 298.15, 1, 1e-3), d2 = D(40, 1, 298.15, 1, 1e-3);
    expect(rows[0]!.sigma_ohm_s05).toBe(20);
    expect(rows[0]!.d_cm2_s / d1 - 1).toBeCloseTo(0, 13);
    expect(rows[0]!.d_se_cm2_s! / (2 * d1 * 2 / 20) - 1).toBeCloseTo(0, 13);
    expect(rows[1]!.d_cm2_s / d2 - 1).toBeCloseTo(0, 13);
    expect(rows[1]!.d_se_cm2_s).toBeNull();
  });
});

// ======================================================================================= guess
describe('guess: spectrum features and starting points worked by hand', () => {
  const sp = (f: number[], re: number[], v: number[]): Spectrum => ({ f: Float64Array.from(f), re: Float64Array.from(re), im: Float64Array.from(v, (x) => -x) });
  /** Least-squares slope of y on x (the textbook formula). */
  const slope = (x: number[], y: number[]) => {
    const mx = x.reduce((a, b) => a + b) / x.length, my = y.reduce((a, b) => a + b) / y.length;
    return x.reduce((a, xi, k) => a + (xi - mx) * (y[k]! - my), 0) / x.reduce((a, xi) => a + (xi - mx) ** 2, 0);
  };
  const xw = (f: number) => 1 / Math.sqrt(2 * Math.PI * f);
  // S1, high → low frequency: one inductive point (2 kHz, Z″ = +0.5, Z′ = 100) in the top third
  // (ceil(11/3) = 4 points), then ten points whose −Z″ = [0,4,8,4,0,0,4,8,4,0] smooths
  // ((a + 2b + c)/4) to [1,4,6,4,1,1,4,6,4,1]: peaks at j = 2 (200 Hz) and j = 7 (5 Hz).
  // Arc 1: valley at j = 4 (sm 1 < 0.8·6), closed: diameter Z′[4] − R∞ = 22 − 2 = 20 (> 2·6).
  // Arc 2: its valley is the last point, so it is open: 2·6/tan(0.85π/4).
  // R∞: smallest positive Z′ among the first max(3, floor(10/3)) = 3 points [−1, 2, 5] → 2.
  // σ: the last max(3, floor(10/5)) = 3 points: Z′ rises with ω^-½ (slope > 0), −Z″ falls
  // (slope < 0): σ is the Z′ slope alone.
  const f1 = [2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1];
  const S1 = sp(f1, [100, -1, 2, 5, 10, 22, 24, 30, 40, 50, 60], [-0.5, 0, 4, 8, 4, 0, 0, 4, 8, 4, 0]);
  const open2 = 12 / Math.tan(0.85 * Math.PI / 4);
  const sigma1 = slope([5, 2, 1].map(xw), [40, 50, 60]);
  it('S1: R∞, two arcs (closed, open), σ, L from the inductive point, band, max Z′, min |Z|', () => {
    const ft = spectrumFeatures(S1);
    expect(ft.rInfOhm).toBe(2);
    expect(ft.arcs.length).toBe(2);
    expect(ft.arcs[0]).toEqual({ fHz: 200, rOhm: 20 });
    expect(ft.arcs[1]!.fHz).toBe(5);
    expect(ft.arcs[1]!.rOhm).toBeCloseTo(open2, 12);
    expect(sigma1).toBeGreaterThan(0);
    expect(ft.sigma).toBeCloseTo(sigma1, 10);
    expect(ft.lH!).toBeCloseTo(0.5 / (2 * Math.PI * 2000), 18);
    expect(ft.fMax).toBe(2000);
    expect(ft.fMin).toBe(1);
    expect(ft.zReMax).toBe(60); // the inductive point's Z′ = 100 is left out
    expect(ft.zModMin).toBe(1); // |−1 + 0j|
  });
  // S2 (15 points, 10^4 … 10^-3 Hz in half decades, nothing inductive): −Z″ smooths to
  // [1,4,6,4,1,1,4,6,4,1,0,0.1,0.2,0.1,0]: peaks at j = 2, 7, 12. R∞ is the smallest of the first
  // max(3, floor(15/3)) = 5 Z′ (1.5 at j = 3, not among the first 3). Arc 1 closed at j = 4:
  // 20 − 1.5 = 18.5; arc 2 closed at j = 10 (sm 0 < 4.8, not the last point): 45 − 20 = 25;
  // the bump at j = 12 has prominence 0.2 < 5 % of 6: skipped.
  const f2 = Array.from({ length: 15 }, (_, k) => 10 ** (4 - k / 2));
  const S2 = sp(f2, [3, 2.5, 2, 1.5, 20, 21, 25, 30, 38, 43, 45, 46, 47, 48, 50], [0, 4, 8, 4, 0, 0, 4, 8, 4, 0, 0, 0, 0.4, 0, 0]);
  it('S2: R∞ from the first fifth-or-third, a second closed arc measured from the first valley, a small bump skipped', () => {
    const ft = spectrumFeatures(S2);
    expect(ft.rInfOhm).toBe(1.5);
    expect(ft.arcs).toEqual([{ fHz: 1000, rOhm: 18.5 }, { fHz: 10 ** 0.5, rOhm: 25 }]);
    expect(ft.lH).toBeNull();
    expect(ft.fMin).toBeCloseTo(1e-3, 15);
    expect(ft.zModMin).toBe(3); // |3 + 0j| at 10 kHz
    // σ from the last 3 points (Z′ 47, 48, 50 rising; −Z″ 0.4, 0, 0 falling)
    expect(ft.sigma).toBeCloseTo(slope(f2.slice(12).map(xw), [47, 48, 50]), 10);
  });
  it('S3 = S2 with the bump doubled: prominence 0.4 ≥ 5 % of 6 is an arc, open (its valley is the last point)', () => {
    const v = [0, 4, 8, 4, 0, 0, 4, 8, 4, 0, 0, 0, 0.8, 0, 0];
    const ft = spectrumFeatures(sp(f2, Array.from(S2.re), v));
    expect(ft.arcs.length).toBe(3);
    expect(ft.arcs[2]!.fHz).toBeCloseTo(0.01, 15);
    expect(ft.arcs[2]!.rOhm).toBeCloseTo(0.8 / Math.tan(0.85 * Math.PI / 4), 12);
    // a valley at 79 % of the peak closes an arc, at 81 % it does not: −Z″ = [0,4,8,4,x,x,4,8,4,0]
    // smooths at j = 4, 5 to (4 + 3x)/4: with x = 5 it is 4.75 < 0.8·6 (closed: 22 − 2 = 20)
    const fq = [1000, 500, 200, 100, 50, 20, 10, 5, 2, 1];
    const zr = [-1, 2, 5, 10, 22, 24, 30, 40, 50, 60];
    const closed = spectrumFeatures(sp(fq, zr, [0, 4, 8, 4, 5, 5, 4, 8, 4, 0]));
    expect(closed.arcs[0]).toEqual({ fHz: 200, rOhm: 20 });
    // with x = 5.4: 5.05 ≥ 4.8, open: 2·6/tan(0.85π/4) (the prominence 6 − 5.05 is still above 5 %)
    const open = spectrumFeatures(sp(fq, zr, [0, 4, 8, 4, 5.4, 5.4, 4, 8, 4, 0]));
    expect(open.arcs[0]!.rOhm).toBeCloseTo(12 / Math.tan(0.85 * Math.PI / 4), 12);
  });
  it('fallbacks: no positive Z′ at high frequency, no positive σ slope, no arc', () => {
    // six points: first three Z′ ≤ 0 → R∞ = max(1e-3·9, 1e-6); Z′ and −Z″ both fall at low f →
    // σ = 1e-3 · max Z′ · √(2π f_min)
    const f = [1e3, 100, 10, 1, 0.1, 0.01];
    const ft = spectrumFeatures(sp(f, [-1, -2, 0, 9, 7, 4], [0.5, 1, 2, 3, 2, 1]));
    expect(ft.rInfOhm).toBeCloseTo(9e-3, 15);
    expect(ft.sigma).toBeCloseTo(1e-3 * 9 * Math.sqrt(2 * Math.PI * 0.01), 15);
    // −Z″ = [0.5,1,2,3,2,1] smooths to [0.625,1.125,2,2.5,2,1.25]: one peak at j = 3 whose
    // valley is the last point (open): 2·2.5/tan(0.85π/4)
    expect(ft.arcs.length).toBe(1);
    expect(ft.arcs[0]!.fHz).toBe(1);
    expect(ft.arcs[0]!.rOhm).toBeCloseTo(5 / Math.tan(0.85 * Math.PI / 4), 12);
    // all Z′ negative: R∞ floor 1e-6; a flat −Z″: no arc; one slope positive, one negative: σ is the positive one
    const g = spectrumFeatures(sp([4, 3, 2, 1], [-4, -3, -2, -1], [1, 1, 1, 1]));
    expect(g.rInfOhm).toBe(1e-6);
    expect(g.arcs).toEqual([]);
    expect(g.zReMax).toBe(1e-300);
    expect(g.sigma).toBeCloseTo(slope([3, 2, 1].map(xw), [-3, -2, -1]), 10);
    // both slopes positive: σ is their mean (Z′ = 1 + 2x, −Z″ = 4x on the tail)
    const fh = [100, 10, 1, 0.1];
    const h = spectrumFeatures(sp(fh, fh.map((q) => 1 + 2 * xw(q)), fh.map((q) => 4 * xw(q))));
    expect(h.sigma).toBeCloseTo(3, 10);
  });

  const tanOpen = Math.tan(0.85 * Math.PI / 4);
  const VAR = [[1, 0.85, 1, 1], [1, 0.7, 1, 1], [1, 0.95, 1, 0.3], [1, 0.85, 0.3, 1], [1, 0.85, 3, 0.1], [10, 0.8, 1, 1], [0.1, 0.8, 1, 1], [1, 0.6, 2, 3]] as const;
  it('initialGuesses on S1, R0-p(R1,C1)-p(R2,CPE1)-W1: the eight variations from the two arcs', () => {
    const g = initialGuesses(parseCircuit('R0-p(R1,C1)-p(R2,CPE1)-W1'), S1);
    expect(g.starts.length).toBe(8);
    expect(g.base).toBe(g.starts[0]);
    expect(g.features.arcs.length).toBe(2);
    VAR.forEach(([shift, n, rs, ss], i) => {
      const w1 = 2 * Math.PI * 200 * shift, w2 = 2 * Math.PI * 5 * shift;
      const r1 = 20 * rs, r2 = open2 * rs;
      near(g.starts[i]!, [2, r1, 1 / (w1 * r1), r2, 1 / (r2 * w2 ** n), n, sigma1 * ss], 1e-10);
    });
  });
  it('three blocks, two arcs seen: the third from the log grid, plus two starts from the grid alone', () => {
    const g = initialGuesses(parseCircuit('R0-p(R1,C1)-p(R2,C2)-p(R3,C3)'), S1);
    expect(g.starts.length).toBe(10);
    expect(g.features.arcs.length).toBe(2); // restored after the grid-only starts
    // grid over 1…2000 Hz in thirds: centres 2000^(5/6), 2000^(1/2), 2000^(1/6); 2000^(5/6) ≈ 563
    // lies within half a decade of the 200 Hz arc, √2000 does not: it is added, with the Z′ rise
    // across its cell: Z′(2000^(1/3)) − Z′(2000^(2/3)), log-interpolated = 28 − 20/3
    const fm = Math.sqrt(2000), rm = 28 - 20 / 3;
    const w = (f: number) => 2 * Math.PI * f;
    near(g.starts[0]!, [2, 20, 1 / (w(200) * 20), rm, 1 / (w(fm) * rm), open2, 1 / (w(5) * open2)], 1e-10);
    // the grid alone: cells [2000, 2000^(2/3)], [2000^(2/3), 2000^(1/3)], [2000^(1/3), 1]; the first
    // spans the inductive point's Z′ = 100 down to 20/3: negative, floored at 1 % of max Z′ (0.6);
    // the last 60 − 28 = 32
    const fa = 2000 ** (5 / 6), fc = 2000 ** (1 / 6);
    const grid = [2, 0.6, 1 / (w(fa) * 0.6), rm, 1 / (w(fm) * rm), 32, 1 / (w(fc) * 32)];
    near(g.starts[8]!, grid, 1e-10);
    near(g.starts[9]!, grid, 1e-10);
  });
  it('other elements: L, Wo, Ws, top-level C and CPE, two R sharing a block or the top level', () => {
    const w = (f: number) => 2 * Math.PI * f;
    // S1 has an inductive point: L is its Z″/ω wherever L sits
    let g = initialGuesses(parseCircuit('L0-R0-R1-p(R2-R3,C1)-Wo1-Ws1'), S1);
    const tau = 1 / w(1);
    // one block, two arcs: the larger one (20 Ω at 200 Hz); R0, R1 share R∞; R2, R3 share the arc
    near(g.starts[0]!, [0.5 / w(2000), 1, 1, 10, 10, 1 / (w(200) * 20), sigma1 * Math.sqrt(2 * tau), tau, sigma1 * Math.sqrt(2 * tau), tau], 1e-10);
    // S2 has none: L at the top is 1e-3 R∞/(2π f_max), inside a block r/ω; C and CPE at the top
    // use ω_min and max Z′
    g = initialGuesses(parseCircuit('L0-C0-CPE0-p(R1,L1)'), S2);
    const fMin = 10 ** -3;
    // one block, two arcs: the larger (25 Ω at 10^0.5 Hz) is used
    near(g.starts[1]!, [1e-3 * 1.5 / w(1e4), 1 / (w(fMin) * 50), 1 / (50 * w(fMin) ** 0.7), 0.7, 25, 25 / w(10 ** 0.5)], 1e-10);
    expect(g.starts.length).toBe(8); // one block: two arcs ≥ 1, no grid starts
    // no block at all: R∞ and σ
    g = initialGuesses(parseCircuit('R0-W1'), S1);
    near(g.starts[4]!, [2, sigma1 * 0.1], 1e-10);
  });
});

// ========================================================================================== kk
describe('Lin-KK on hand-built spectra', () => {
  const rc = (r: number, tau: number, w: number): C => cdiv([r, 0], [1, w * tau]);
  /** Z = R0 + jωL + 1/(jωC) + Σ R_k/(1 + jωτ_k) at the frequencies f. */
  const build = (f: number[], r0: number, L: number, invC: number, rcs: [number, number][]): Spectrum => {
    const z = f.map((fi) => {
      const w = 2 * Math.PI * fi;
      let s: C = [r0, w * L - invC / w];
      for (const [r, t] of rcs) s = cadd(s, rc(r, t, w));
      return s;
    });
    return { f: Float64Array.from(f), re: Float64Array.from(z, (x) => x[0]), im: Float64Array.from(z, (x) => x[1]) };
  };
  /** Gaussian elimination with partial pivoting (the test's own solver). */
  const gauss = (A: number[][], b: number[]) => {
    const n = b.length, M = A.map((r, i) => [...r, b[i]!]);
    for (let c = 0; c < n; c++) {
      let p = c; for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
      [M[c], M[p]] = [M[p]!, M[c]!];
      for (let r = c + 1; r < n; r++) { const q = M[r]![c]! / M[c]![c]!; for (let k = c; k <= n; k++) M[r]![k]! -= q * M[c]![k]!; }
    }
    const x = new Array<number>(n).fill(0);
    for (let r = n - 1; r >= 0; r--) { let s = M[r]![n]!; for (let k = r + 1; k < n; k++) s -= M[r]![k]! * x[k]!; x[r] = s / M[r]![r]!; }
    return x;
  };
  const f5 = [1, 10, 100, 1000, 10000];
  const wMax = 2 * Math.PI * 1e4, wMin = 2 * Math.PI;
  it('a spectrum of two RCs at τ = 1/ω_max and 1/ω_min, one negative: exact at M = 2, μ = 1 − 1/10', () => {
    const s = build(f5, 5, 1e-6, 20, [[10, 1 / wMax], [-1, 1 / wMin]]);
    const k = linKK(s, { c: 0.95 });
    expect(k.m).toBe(2);
    expect(k.mu).toBeCloseTo(0.9, 9);
    for (const r of k.rows) { expect(Math.abs(r.kk_res_re_pct)).toBeLessThan(1e-8); expect(Math.abs(r.kk_res_im_pct)).toBeLessThan(1e-8); }
    expect(k.rows.map((r) => r.freq_hz)).toEqual(f5);
    expect(k.verdict).toBe('pass');
    expect(k.warnings).toEqual([]);
    expect(k.assumptions).toEqual({ kk_method: 'Lin-KK (Schönleber 2014): R0 + jωL + 1/(jωC) + M RC elements with τ log-spaced over 1/ω_max…1/ω_min, linear fit weighted by 1/|Z|', kk_mu_threshold: 0.95, kk_pass_pct: 1 });
    // with the default c = 0.85, μ = 0.9 at M = 2 is not low enough: M = 3 (the largest, 5 − 2) is reached
    const d = linKK(s);
    expect(d.assumptions.kk_mu_threshold).toBe(0.85);
    expect(d.m).toBe(3);
  });
  it('one RC at τ = 1/√(ω_max ω_min): exact at M = 1; μ stays 1, so the largest M is used with a warning', () => {
    const s = build(f5, 3, 0, 0, [[7, 1 / Math.sqrt(wMax * wMin)]]);
    const k = linKK(s, { maxM: 1 });
    expect(k.m).toBe(1);
    expect(k.mu).toBe(1);
    expect(k.max_residual_pct).toBeLessThan(1e-9);
    expect(k.rms_residual_pct).toBeLessThan(1e-9);
    expect(k.warnings).toEqual(['Lin-KK: μ stayed above 0.85 up to M = 1 RC elements; the largest M was used']);
    // three points allow M = 1 only (N − 2), whatever maxM says; two points still try M = 1
    expect(linKK(build([1, 100, 1e4], 3, 0, 0, [[7, 1 / Math.sqrt(wMax * wMin)]]), { maxM: 60 }).m).toBe(1);
    expect(linKK(build([1, 1e4], 3, 0, 0, [[7, 1 / Math.sqrt(wMax * wMin)]])).m).toBe(1);
    // a negative single RC: μ = 0 at once (no positive R), M = 1, no warning
    const n = linKK(build(f5, 30, 0, 0, [[-7, 1 / Math.sqrt(wMax * wMin)]]));
    expect(n.m).toBe(1);
    expect(n.mu).toBe(0);
    expect(n.warnings).toEqual([]);
  });
  it('a spectrum that M = 1 cannot reproduce: residuals of the weighted least squares solved by hand', () => {
    const f = [0.1, 1, 10, 100];
    const re = [10, 8, 6, 5], im = [-5, -6, -3, -0.5];
    const s: Spectrum = { f: Float64Array.from(f), re: Float64Array.from(re), im: Float64Array.from(im) };
    // unknowns R0, L, 1/C, R1 with τ = 1/√(ω_max ω_min); rows divided by |Z|; normal equations
    const w = f.map((x) => 2 * Math.PI * x);
    const tau = 1 / Math.sqrt(w[3]! * w[0]!);
    const rows: number[][] = [], b: number[] = [];
    f.forEach((_, i) => {
      const m = Math.hypot(re[i]!, im[i]!), d = 1 + (w[i]! * tau) ** 2;
      rows.push([1 / m, 0, 0, 1 / d / m]); b.push(re[i]! / m);
      rows.push([0, w[i]! / m, -1 / w[i]! / m, -w[i]! * tau / d / m]); b.push(im[i]! / m);
    });
    const AtA = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => rows.reduce((a, r) => a + r[i]! * r[j]!, 0)));
    const Atb = [0, 1, 2, 3].map((i) => rows.reduce((a, r, q) => a + r[i]! * b[q]!, 0));
    const x = gauss(AtA, Atb);
    const want = f.map((_, i) => {
      const d = 1 + (w[i]! * tau) ** 2, m = Math.hypot(re[i]!, im[i]!);
      const zr = x[0]! + x[3]! / d, zi = x[1]! * w[i]! - x[2]! / w[i]! - x[3]! * w[i]! * tau / d;
      return [100 * (re[i]! - zr) / m, 100 * (im[i]! - zi) / m] as const;
    });
    const k = linKK(s, { maxM: 1, passPct: 50 });
    expect(k.m).toBe(1);
    near(k.rows.map((r) => r.kk_res_re_pct), want.map((r) => r[0]), 1e-8);
    near(k.rows.map((r) => r.kk_res_im_pct), want.map((r) => r[1]), 1e-8);
    const abs = want.map((r) => Math.max(Math.abs(r[0]), Math.abs(r[1])));
    const max = Math.max(...abs);
    expect(k.max_residual_pct).toBeCloseTo(max, 8);
    expect(k.max_residual_freq_hz).toBe(f[abs.indexOf(max)]);
    expect(k.rms_residual_pct).toBeCloseTo(Math.sqrt(want.reduce((a, r) => a + r[0] ** 2 + r[1] ** 2, 0) / 8), 8);
    expect(max).toBeGreaterThan(1);
    expect(max).toBeLessThan(50);
    expect(k.verdict).toBe('pass');
    // the same with the default 1 %: a fail, and the warning names the largest residual and its frequency
    const fl = linKK(s, { maxM: 1 });
    expect(fl.verdict).toBe('fail');
    expect(fl.warnings[1]).toBe(`Lin-KK: residuals up to ${max.toFixed(2)} % of |Z| (at ${f[abs.indexOf(max)]!.toPrecision(4)} Hz) exceed 1 %: the spectrum is not Kramers–Kronig consistent there (drift, a non-stationary cell or a non-linear response); fitted parameters may be biased`);
    // a threshold exactly at the largest residual is a fail (max < passPct passes)
    expect(linKK(s, { maxM: 1, passPct: k.max_residual_pct }).verdict).toBe('fail');
  });
});

// ========================================================================================= drt
describe('DRT: RC elements placed exactly on the τ grid are recovered exactly (λ tiny)', () => {
  // ω = 1 … 1e4 rad/s, 3 points per decade; perDecade 2, no extension: τ_k = 10^(−4 + k/2), k = 0…8,
  // Δln τ = ln 10 / 2. An RC element R/(1 + jωτ_k) is γ = R/Δln τ at k alone.
  const ws = Array.from({ length: 13 }, (_, k) => 10 ** (k / 3));
  const dln = Math.log(10) / 2;
  const tauK = (k: number) => 10 ** (-4 + k / 2);
  const spec = (rInf: number, comps: [number, number][]): Spectrum => {
    const z = ws.map((w) => comps.reduce<C>((s, [k, r]) => cadd(s, cdiv([r, 0], [1, w * tauK(k)])), [rInf, 0]));
    return { f: Float64Array.from(ws, (w) => w / (2 * Math.PI)), re: Float64Array.from(z, (x) => x[0]), im: Float64Array.from(z, (x) => x[1]) };
  };
  const o = { lambda: 1e-12, perDecade: 2, extendDecades: 0 };
  it('γ, R∞, peaks (area, τ with the parabolic apex), R_pol, residual, reported settings', () => {
    const d = drt(spec(5, [[2, 10], [6, 3], [7, 1]]), o);
    near(d.tau_s, Array.from({ length: 9 }, (_, k) => tauK(k)), 1e-12);
    near(Array.from(d.gamma_ohm, (g) => g * dln), [0, 0, 10, 0, 0, 0, 3, 1, 0], 1e-6);
    expect(d.r_inf_ohm!).toBeCloseTo(5, 6);
    expect(d.peaks.length).toBe(2);
    expect(d.peaks[0]!.tau_s).toBeCloseTo(1e-3, 9);
    expect(d.peaks[0]!.r_ohm).toBeCloseTo(10, 6);
    // γ = [0, 3, 1]/Δ around k = 6: apex shift ½Δ (y0 − y2)/(y0 − 2y1 + y2) = ½Δ (−1)/(−5) = Δ/10
    expect(d.peaks[1]!.tau_s / (0.1 * Math.exp(dln / 10)) - 1).toBeCloseTo(0, 7);
    expect(d.peaks[1]!.f_hz * 2 * Math.PI * d.peaks[1]!.tau_s).toBeCloseTo(1, 12);
    expect(d.peaks[1]!.r_ohm).toBeCloseTo(4, 6);
    expect(d.r_pol_ohm).toBeCloseTo(14, 6);
    expect(d.rms_residual_pct).toBeLessThan(1e-6);
    expect(d.lambda).toBe(1e-12);
    expect(d.lambda_source).toBe('given');
    expect(d.warnings).toEqual([]);
    expect(d.assumptions).toMatchObject({ drt_part: 'both', drt_lambda: 1e-12, drt_lambda_source: 'given', drt_points_per_decade: 2 });
    expect((d.assumptions.drt_tau_range_s as number[])[0]).toBeCloseTo(1e-4, 16);
    expect((d.assumptions.drt_tau_range_s as number[])[1]).toBeCloseTo(1, 12);
    // the apex on the other side: γ = [1, 3, 0] around k = 3 shifts by −Δ/10
    const e = drt(spec(5, [[2, 1], [3, 3]]), o);
    expect(e.peaks.length).toBe(1);
    expect(e.peaks[0]!.tau_s / (tauK(3) * Math.exp(-dln / 10)) - 1).toBeCloseTo(0, 7);
    expect(e.peaks[0]!.r_ohm).toBeCloseTo(4, 6);
  });
  it('the real part alone and the imaginary part alone (no R∞ then)', () => {
    const s = spec(5, [[2, 10], [6, 3]]);
    const re = drt(s, { ...o, part: 're' });
    near(Array.from(re.gamma_ohm, (g) => g * dln), [0, 0, 10, 0, 0, 0, 3, 0, 0], 1e-6);
    expect(re.r_inf_ohm!).toBeCloseTo(5, 6);
    expect(re.assumptions.drt_part).toBe('re');
    const im = drt(s, { ...o, part: 'im' });
    near(Array.from(im.gamma_ohm, (g) => g * dln), [0, 0, 10, 0, 0, 0, 3, 0, 0], 1e-6);
    expect(im.r_inf_ohm).toBeNull();
    expect(im.peaks.map((p) => p.r_ohm.toFixed(4))).toEqual(['10.0000', '3.0000']);
  });
  it('peaks at either end of the grid carry a warning; a peak under 1 % of R_pol is not listed', () => {
    const d = drt(spec(5, [[0, 6], [5, 8], [8, 2]]), o);
    expect(d.peaks.map((p) => p.r_ohm.toFixed(4))).toEqual(['6.0000', '8.0000', '2.0000']);
    expect(d.peaks[0]!.tau_s).toBeCloseTo(1e-4, 12); // no parabolic shift at the edge
    expect(d.peaks[2]!.tau_s).toBeCloseTo(1, 8);
    expect(d.warnings).toEqual([
      'DRT: a peak lies at the edge of the τ grid (τ = 0.000100 s): a process outside the measured range (or a capacitive/diffusive tail)',
      'DRT: a peak lies at the edge of the τ grid (τ = 1.00 s): a process outside the measured range (or a capacitive/diffusive tail)',
    ]);
    // R = 0.1005 on 10: γ above 1 % of the largest γ (0.1005 > 0.1) but its area below 1 % of
    // R_pol (0.101005): not listed; 0.15 on 10 (> 0.1015) is
    expect(drt(spec(5, [[2, 10], [6, 0.1005]]), o).peaks.length).toBe(1);
    expect(drt(spec(5, [[2, 10], [6, 0.15]]), o).peaks.length).toBe(2);
  });
  it('grid size: defaults 10 per decade and one decade beyond each end; at least two points', () => {
    const s = spec(1, [[4, 1]]);
    const d = drt(s, { lambda: 1e-3 });
    expect(d.tau_s.length).toBe(61); // τ from 1e-5 to 10: 6 decades × 10 + 1
    expect(d.tau_s[0]).toBeCloseTo(1e-5, 18);
    expect(d.tau_s[60]).toBeCloseTo(10, 10);
    expect(d.assumptions.drt_points_per_decade).toBe(10);
    const t = drt(s, { lambda: 1e-3, perDecade: 0.1, extendDecades: 0 });
    expect(t.tau_s.length).toBe(2);
    near(t.tau_s, [1e-4, 1], 1e-12);
  });
});

// ========================================================================================= fit
describe('fit: one- and two-parameter models whose least squares is solved by hand', () => {
  const sp = (f: number[], re: number[], im: number[]): Spectrum => ({ f: Float64Array.from(f), re: Float64Array.from(re), im: Float64Array.from(im) });
  // Z = R0 alone: residuals w(R0 − Z′) and w(0 − Z″): R0 = Σw²Z′/Σw², χ² = Σw²((R0 − Z′)² + Z″²),
  // SE(R0) = √(χ²/(2N − 1) / Σw²)
  const f = [1, 10, 100, 1000];
  const re = [10, 12, 9, 11], im = [-3, -1, -2, -0.5];
  it('R0 with modulus weighting: value, χ², χ²/dof, AIC, BIC, SE, the model, a row', () => {
    const w2 = re.map((x, k) => 1 / (x * x + im[k]! ** 2));
    const sw = w2.reduce((a, b) => a + b);
    const r0 = re.reduce((a, x, k) => a + w2[k]! * x, 0) / sw;
    const chi2 = re.reduce((a, x, k) => a + w2[k]! * ((r0 - x) ** 2 + im[k]! ** 2), 0);
    const fit = fitCircuit(sp(f, re, im), 'R0');
    expect(fit.params[0]!.value! / r0 - 1).toBeCloseTo(0, 9);
    expect(fit.chi2! / chi2 - 1).toBeCloseTo(0, 9);
    expect(fit.chi2_dof! / (chi2 / 7) - 1).toBeCloseTo(0, 9);
    expect(fit.aic!).toBeCloseTo(8 * Math.log(chi2 / 8) + 2, 8);
    expect(fit.bic!).toBeCloseTo(8 * Math.log(chi2 / 8) + Math.log(8), 8);
    expect(fit.params[0]!.se! / Math.sqrt(chi2 / 7 / sw) - 1).toBeCloseTo(0, 5);
    expect(fit.params[0]).toMatchObject({ key: 'R0_ohm', alias: null, unit: 'Ω', fixed: false });
    expect(fit.points).toBe(4);
    expect(fit.free_params).toBe(1);
    expect(fit.converged).toBe(true);
    expect(fit.undetermined).toEqual([]);
    expect(fit.starts).toBe(8);
    expect(fit.circuit).toBe('R0');
    expect(fit.preset).toBeNull();
    near(fit.fit_re!, [r0, r0, r0, r0], 1e-9);
    expect(Array.from(fit.fit_im!)).toEqual([0, 0, 0, 0]);
    expect(fit.raw[0]! / r0 - 1).toBeCloseTo(0, 9);
    expect(fit.cropped_hz).toEqual([]);
    expect(fit.warnings).toEqual([]);
    expect(fit.assumptions).toMatchObject({ circuit: 'R0', preset: null, fixed: {}, inductive_points: 'none', weighting: 'modulus: residuals (Z_model − Z_data)/|Z_data| on real and imaginary parts' });
    const row = fitRow(fit);
    expect(row).toMatchObject({ circuit: 'R0', model: 'R0', R0_ohm: fit.params[0]!.value, R0_ohm_se: fit.params[0]!.se, chi2: fit.chi2, chi2_dof: fit.chi2_dof, aic: fit.aic, bic: fit.bic, converged: true, points: 4, undetermined: '' });
  });
  it('R0 with unit weighting: the mean of Z′; SE √(s²/N)', () => {
    const fit = fitCircuit(sp(f, re, im), 'R0', { weighting: 'unit' });
    expect(fit.params[0]!.value!).toBeCloseTo(10.5, 9);
    const chi2 = re.reduce((a, x, k) => a + (10.5 - x) ** 2 + im[k]! ** 2, 0); // 5 + 14.25 = 19.25
    expect(chi2).toBeCloseTo(19.25, 12);
    expect(fit.chi2!).toBeCloseTo(19.25, 9);
    expect(fit.params[0]!.se! / Math.sqrt(19.25 / 7 / 4) - 1).toBeCloseTo(0, 5);
    expect(fit.assumptions.weighting).toBe('unit: residuals Z_model − Z_data');
  });
  it('a relative standard error above 100 % is null with its reason', () => {
    // unit weights: R0 = 1, χ² = 0.08 + 75, s² = 75.08/5, SE = √(s²/3) ≈ 2.24 → 224 %
    const fit = fitCircuit(sp([1, 10, 100], [1, 1.2, 0.8], [-5, -5, -5]), 'R0', { weighting: 'unit' });
    expect(fit.params[0]!.value).toBeNull();
    expect(fit.params[0]!.se).toBeNull();
    expect(fit.raw[0]!).toBeCloseTo(1, 9);
    const pct = (100 * Math.sqrt(75.08 / 5 / 3)).toFixed(0);
    expect(fit.undetermined).toEqual([{ key: 'R0_ohm', reason: `relative standard error ${pct} % (> 100 %)` }]);
    expect(fit.warnings).toContain(`R0_ohm is not determined by this spectrum: relative standard error ${pct} % (> 100 %); it is reported as null`);
    expect(fitRow(fit).undetermined).toBe('R0_ohm');
  });
  it('R0-C1: R0 and 1/C separate (real and imaginary parts), SE(C) = C² SE(1/C)', () => {
    // unit weights: R0 = mean Z′; y = 1/C minimises Σ(−y/ω − Z″)²: y = −Σ(Z″/ω)/Σ(1/ω²)
    const fs = [0.5, 2, 8], w = fs.map((x) => 2 * Math.PI * x);
    const zr = [20, 21, 22], zi = [-100, -30, -6];
    const y = -zi.reduce((a, z, k) => a + z / w[k]!, 0) / w.reduce((a, x) => a + 1 / x ** 2, 0);
    const chi2 = zr.reduce((a, x) => a + (x - 21) ** 2, 0) + zi.reduce((a, z, k) => a + (-y / w[k]! - z) ** 2, 0);
    const s2 = chi2 / 4;
    const fit = fitCircuit(sp(fs, zr, zi), 'R0-C1', { weighting: 'unit' });
    expect(fit.params[0]!.value!).toBeCloseTo(21, 8);
    expect(fit.params[1]!.value! * y - 1).toBeCloseTo(0, 8);
    expect(fit.chi2! / chi2 - 1).toBeCloseTo(0, 8);
    expect(fit.params[0]!.se! / Math.sqrt(s2 / 3) - 1).toBeCloseTo(0, 4);
    const seY = Math.sqrt(s2 / w.reduce((a, x) => a + 1 / x ** 2, 0));
    expect(fit.params[1]!.se! / (seY / y ** 2) - 1).toBeCloseTo(0, 4);
    expect(fit.params[1]!.unit).toBe('F');
    expect(fit.converged).toBe(true);
  });
  it('R0-R1: only the sum is determined, both null, not converged', () => {
    const fit = fitCircuit(sp([1, 10, 100], [30, 30, 30], [-1, -1, -1]), 'R0-R1');
    expect(fit.params.map((p) => p.value)).toEqual([null, null]);
    expect(fit.undetermined).toEqual([
      { key: 'R0_ohm', reason: 'cannot be separated from R1_ohm (the Jacobian is singular: only a combination is determined)' },
      { key: 'R1_ohm', reason: 'cannot be separated from R0_ohm (the Jacobian is singular: only a combination is determined)' },
    ]);
    expect(fit.converged).toBe(false);
    expect(fit.warnings).toContain('not converged: the Jacobian is not of full rank at the optimum (some parameters are not identifiable); try a simpler circuit');
    expect(fit.raw[0]! + fit.raw[1]!).toBeCloseTo(30, 6);
  });
});

describe('fit: exact spectra of R0-p(R1,C1) and relatives (few points, recovered to 1e-6)', () => {
  const zOf = (fs: number[], z: (w: number) => C): Spectrum => {
    const v = fs.map((x) => z(2 * Math.PI * x));
    return { f: Float64Array.from(fs), re: Float64Array.from(v, (q) => q[0]), im: Float64Array.from(v, (q) => q[1]) };
  };
  const rcZ = (r0: number, r1: number, c1: number) => (w: number): C => cadd([r0, 0], par([r1, 0], cdiv(ONE, [0, w * c1])));
  const f9 = Array.from({ length: 9 }, (_, k) => 10 ** (4 - k / 2));
  const S = zOf(f9, rcZ(10, 100, 1e-5));
  it('recovered, converged, χ² ≈ 0, the model equals the data', () => {
    const fit = fitCircuit(S, 'R0-p(R1,C1)');
    near(fit.params.map((p) => p.value!), [10, 100, 1e-5].map((x, k) => x / [10, 100, 1e-5][k]! * [10, 100, 1e-5][k]!), 1e-6);
    expect(fit.params[2]!.value! / 1e-5 - 1).toBeCloseTo(0, 6);
    expect(fit.chi2!).toBeLessThan(1e-12);
    near(fit.fit_re!, S.re, 1e-6);
    near(fit.fit_im!, S.im, 1e-6);
    expect(fit.params.map((p) => p.initial)).toEqual(initialGuesses(parseCircuit('R0-p(R1,C1)'), S).base);
    expect(fit.iterations).toBeGreaterThan(0);
  });
  it('fix and guess: a fixed value is kept, not counted, reported; a guess is the first start', () => {
    const fit = fitCircuit(S, 'R0-p(R1,C1)', { fix: { R0_ohm: 10 }, guess: { C1_F: 2e-5 } });
    expect(fit.params[0]).toMatchObject({ value: 10, fixed: true, se: null, initial: 10 });
    expect(fit.params[2]!.initial).toBe(2e-5);
    expect(fit.free_params).toBe(2);
    expect(fit.starts).toBe(9);
    expect(fit.params[1]!.value! / 100 - 1).toBeCloseTo(0, 6);
    expect(fit.assumptions.fixed).toEqual({ R0_ohm: 10 });
    // a wrong fixed value: the others absorb it, χ² > 0
    const off = fitCircuit(S, 'R0-p(R1,C1)', { fix: { R0_ohm: 20 } });
    expect(off.params[0]!.value).toBe(20);
    expect(off.chi2!).toBeGreaterThan(1e-4);
    expect(off.chi2_dof! / (off.chi2! / (18 - 2)) - 1).toBeCloseTo(0, 12);
    // everything fixed: nothing to fit, χ² of the fixed values
    const all = fitCircuit(S, 'R0-p(R1,C1)', { fix: { R0_ohm: 10, R1_ohm: 100, C1_F: 1e-5 } });
    expect(all.free_params).toBe(0);
    expect(all.chi2!).toBeLessThan(1e-20);
    expect(all.converged).toBe(true);
  });
  it('CPE on a capacitor spectrum: n reaches 1 and is reported as 1 without SE', () => {
    const fit = fitCircuit(S, 'R0-p(R1,CPE1)');
    expect(fit.params[3]).toMatchObject({ key: 'CPE1_n', value: 1, se: null });
    expect(fit.params[2]!.value! / 1e-5 - 1).toBeCloseTo(0, 3);
    expect(fit.warnings).toContain('CPE1_n reached its bound n = 1 (an ideal capacitor); it is reported as 1 without a standard error');
    expect(fit.undetermined).toEqual([]);
  });
  it('an arc measured only above its apex: "arc not closed"', () => {
    // apex at 1/(2π·1e-3) ≈ 159 Hz; points 1–10 kHz: max Z′ = 10 + 100/(1 + (2π)²) at 1 kHz
    const hf = zOf([1e4, 5e3, 2e3, 1e3], rcZ(10, 100, 1e-5));
    const fit = fitCircuit(hf, 'R0-p(R1,C1)');
    const zmax = 10 + 100 / (1 + (2 * Math.PI) ** 2);
    expect(Math.max(...hf.re)).toBeCloseTo(zmax, 10);
    expect(fit.params[1]!.value! / 100 - 1).toBeCloseTo(0, 4);
    expect(fit.warnings.some((w) => w.startsWith(`arc not closed: with R1_ohm = ${fit.params[1]!.value!.toPrecision(4)} Ω the resistances add up to ${(fit.params[0]!.value! + fit.params[1]!.value!).toPrecision(4)} Ω, beyond the largest measured Z′ (${zmax.toPrecision(4)} Ω); this value is an extrapolation`))).toBe(true);
    // the full spectrum closes the arc: no such warning
    expect(fitCircuit(S, 'R0-p(R1,C1)').warnings.join('\n')).not.toMatch(/arc not closed/);
  });
  it('two RC arcs come out with the faster one first', () => {
    const z = (w: number) => cadd(rcZ(5, 40, 2.5e-6)(w), par([100, 0], cdiv(ONE, [0, w * 1e-3])));
    const fs = Array.from({ length: 13 }, (_, k) => 10 ** (5 - k / 2));
    const fit = fitCircuit(zOf(fs, z), 'R0-p(R1,C1)-p(R2,C2)');
    near(fit.params.map((p) => p.value!).map((v, k) => v / [5, 40, 2.5e-6, 100, 1e-3][k]!), [1, 1, 1, 1, 1], 1e-5);
  });
  it('inductive points: cropped with a note unless the circuit has an L or they are kept', () => {
    const ind = zOf([3e4, 2e4, ...f9.slice(1)], (w) => cadd(rcZ(10, 100, 1e-5)(w), [0, w * 1e-4]));
    // Z″ > 0 at 30 and 20 kHz (ωL = 18.8 and 12.6 against −0.5 and −0.8 of the arc), not at 3.16 kHz
    // (2.0 against −5.0): the top third of 10 points is 4 points, 2 of them inductive, clearly
    const c = fitCircuit(ind, 'R0-p(R1,C1)');
    expect(c.cropped_hz).toEqual([3e4, 2e4]);
    expect(c.points).toBe(8);
    expect(c.warnings[0]).toBe('left out 2 inductive high-frequency point(s) (Z″ > 0 at 2.000e+4–3.000e+4 Hz); add an L to the circuit or keep them with keepInductive');
    expect(c.assumptions.inductive_points).toBe('2 cropped');
    const k = fitCircuit(ind, 'R0-p(R1,C1)', { keepInductive: true, maxIter: 5 });
    expect(k.points).toBe(10);
    expect(k.assumptions.inductive_points).toBe('kept');
    const l = fitCircuit(ind, 'L0-R0-p(R1,C1)');
    expect(l.points).toBe(10);
    expect(l.params[0]!.value! / 1e-4 - 1).toBeCloseTo(0, 5);
    expect(l.assumptions.inductive_points).toBe('kept');
    // a barely inductive point (Z″ = 0.5 % of |Z|) is "within noise of zero"
    const tiny = { ...S, im: Float64Array.from(S.im, (x, i) => (i === 0 ? 0.005 * S.re[0]! : x)) };
    expect(fitCircuit(tiny, 'R0-p(R1,C1)', { maxIter: 5 }).warnings[0]).toMatch(/^left out 1 inductive high-frequency point\(s\) \(Z″ > 0 at 1\.000e\+4–1\.000e\+4 Hz, within noise of zero\)/);
  });
  it('data checks: non-positive frequency, non-finite Z, a majority of Z′ < 0, too few points', () => {
    const bad = (g: Partial<Spectrum>) => ({ ...S, ...g });
    expect(() => fitCircuit(bad({ f: Float64Array.from(f9, (x, i) => (i === 1 ? 0 : x)) }), 'R0')).toThrow(`point 2: frequency 0 Hz, Z′ ${S.re[1]}, Z″ ${S.im[1]}: frequencies must be positive and impedances finite`);
    expect(() => fitCircuit(bad({ re: Float64Array.from(S.re, (x, i) => (i === 3 ? NaN : x)) }), 'R0')).toThrow(/point 4: .*frequencies must be positive and impedances finite/);
    expect(() => fitCircuit(bad({ im: Float64Array.from(S.im, (x, i) => (i === 0 ? Infinity : x)) }), 'R0')).toThrow(/point 1: /);
    expect(() => fitCircuit(bad({ f: Float64Array.from(f9, (x, i) => (i === 0 ? NaN : x)) }), 'R0')).toThrow(/point 1: /);
    // 5 of 9 Z′ < 0: no fit
    const neg = fitCircuit(bad({ re: Float64Array.from(S.re, (x, i) => (i < 5 ? -x : x)) }), 'R0-p(R1,C1)', { fix: { R0_ohm: 3 } });
    expect(neg.params.map((p) => p.value)).toEqual([3, null, null]);
    expect(neg.params.map((p) => p.fixed)).toEqual([true, false, false]);
    expect(neg.undetermined).toEqual([{ key: 'R1_ohm', reason: 'the spectrum is non-physical (Z′ < 0 at 5 of 9 points)' }, { key: 'C1_F', reason: 'the spectrum is non-physical (Z′ < 0 at 5 of 9 points)' }]);
    expect(neg.warnings).toEqual(['5 of 9 points have Z′ < 0, which a passive cell cannot give (non-physical: check the connections and the reference electrode)', 'no fit: the spectrum is non-physical (Z′ < 0 at 5 of 9 points); every parameter is reported as null']);
    expect([neg.chi2, neg.chi2_dof, neg.aic, neg.bic, neg.fit_re, neg.converged, neg.starts, neg.iterations]).toEqual([null, null, null, null, null, false, 0, 0]);
    expect(neg.free_params).toBe(2);
    // 4 of 9 negative (not a majority): fitted, with the warning
    const four = fitCircuit(bad({ re: Float64Array.from(S.re, (x, i) => (i >= 5 ? -x : x)) }), 'R0', { maxIter: 3 });
    expect(four.chi2).not.toBeNull();
    expect(four.warnings[0]).toMatch(/^4 of 9 points have Z′ < 0/);
    // 1 point for 2 free parameters: 2N ≤ p; 2 points: 2N > p, but fewer than 3p: a warning
    const one = fitCircuit({ f: Float64Array.of(10), re: Float64Array.of(5), im: Float64Array.of(-1) }, 'R0-C1');
    expect(one.undetermined.map((u) => u.reason)).toEqual(['1 points cannot determine 2 parameters', '1 points cannot determine 2 parameters']);
    const two = fitCircuit({ f: Float64Array.of(10, 1), re: Float64Array.of(5, 5), im: Float64Array.of(-1, -10) }, 'R0-C1');
    expect(two.chi2).not.toBeNull();
    expect(two.warnings).toContain('only 2 points for 2 free parameters (at least 6 are advisable): expect parameters that are not determined');
    const six = fitCircuit(zOf(f9.slice(0, 6), rcZ(10, 100, 1e-5)), 'R0-C1', { maxIter: 3 });
    expect(six.warnings.join('\n')).not.toMatch(/only 6 points/);
  });
});

describe('fitAuto: the presets, L0 when clearly inductive, the choice when nothing fits', () => {
  const sp = (f: number[], re: number[], im: number[]): Spectrum => ({ f: Float64Array.from(f), re: Float64Array.from(re), im: Float64Array.from(im) });
  it('every Z′ negative: no preset fitted, the simplest (randles) reported with its warning', () => {
    const a = fitAuto(sp([1, 10, 100, 1000], [-1, -2, -3, -4], [-1, -1, -1, -1]));
    expect(a.best.preset).toBe('randles');
    expect(a.warnings).toEqual(['auto: no preset could be fitted; randles (the simplest) is reported']);
    expect(a.candidates.map((c) => [c.preset, c.circuit, c.aic, c.converged, c.undetermined])).toEqual([
      ['randles', 'R0-p(C1,R1-W1)', null, false, 4], ['randles-cpe', 'R0-p(CPE1,R1-W1)', null, false, 5], ['two-arc', 'R0-p(R1,CPE1)-p(R2,CPE2)-W1', null, false, 8],
    ]);
    expect(a.fits.length).toBe(3);
  });
  it('a clearly inductive spectrum: each preset with a series L0, named preset+L0, aliases kept', () => {
    const fs = [3e4, 2e4, 3162, 1000, 316, 100, 31.6, 10, 3.16, 1];
    const z = fs.map((x) => { const w = 2 * Math.PI * x; return cadd(cadd([10, w * 1e-4], par([100, 0], cdiv(ONE, [0, w * 1e-5]))), [20 / Math.sqrt(w), -20 / Math.sqrt(w)]); });
    const s = sp(fs, z.map((q) => q[0]), z.map((q) => q[1]));
    expect(clearlyInductive(s)).toBe(true);
    const a = fitAuto(s, { maxIter: 20 });
    expect(a.candidates.map((c) => c.preset)).toEqual(['randles+L0', 'randles-cpe+L0', 'two-arc+L0']);
    expect(a.fits[0]!.circuit).toBe('L0-R0-p(C1,R1-W1)');
    expect(a.fits[0]!.params.find((p) => p.key === 'R1_ohm')!.alias).toBe('r_ct_ohm');
    expect(a.fits.every((f) => f.points === 10)).toBe(true);
    expect(a.warnings[0]).toMatch(new RegExp(`^auto: chose ${a.best.preset!.replace('+', '\\+')} \\(${a.best.circuit.replace(/[()]/g, '\\$&')}\\) by AIC among 3 presets`));
    // keepInductive: the plain presets, on all points
    const k = fitAuto(s, { keepInductive: true, maxIter: 5 });
    expect(k.candidates.map((c) => c.preset)).toEqual(['randles', 'randles-cpe', 'two-arc']);
  });
});

describe('DRT: λ by GCV on a small noisy spectrum; the residual recomputed from γ', () => {
  it('the chosen λ is on the quarter-decade grid inside (1e-7, 1), reproduces itself when given, and the rms residual matches γ', () => {
    const ws = Array.from({ length: 13 }, (_, k) => 10 ** (k / 3));
    const noise = [0.01, -0.02, 0.015, -0.01, 0.02, -0.015, 0.01, 0.005, -0.01, 0.02, -0.02, 0.01, -0.005];
    const z = ws.map((w, i) => {
      const zz = [[1e-3, 10], [1e-1, 3]].reduce<C>((s, [t, r]) => cadd(s, cdiv([r!, 0], [1, w * t!])), [5, 0]);
      return [zz[0] * (1 + noise[i]!), zz[1] * (1 - noise[i]!)] as C;
    });
    const s: Spectrum = { f: Float64Array.from(ws, (w) => w / (2 * Math.PI)), re: Float64Array.from(z, (q) => q[0]), im: Float64Array.from(z, (q) => q[1]) };
    const d = drt(s, { perDecade: 1, extendDecades: 0 });
    expect(d.lambda_source).toBe('gcv');
    expect(d.assumptions.drt_lambda_source).toBe('generalised cross-validation');
    const e = Math.log10(d.lambda);
    expect(Math.abs(e * 4 - Math.round(e * 4))).toBeLessThan(1e-9);
    expect(e).toBeGreaterThan(-7);
    expect(e).toBeLessThan(0);
    const g = drt(s, { perDecade: 1, extendDecades: 0, lambda: d.lambda });
    expect(Array.from(g.gamma_ohm)).toEqual(Array.from(d.gamma_ohm));
    // τ_k = 10^(−4 + k), Δln τ = ln 10; the model R∞ + Σ γ_k Δ/(1 + jωτ_k), residuals / |Z|
    let ss = 0;
    ws.forEach((w, i) => {
      const m = d.gamma_ohm.reduce<C>((acc, gk, k) => cadd(acc, cdiv([gk * Math.log(10), 0], [1, w * 10 ** (-4 + k)])), [d.r_inf_ohm!, 0]);
      const a = Math.hypot(z[i]![0], z[i]![1]);
      ss += ((m[0] - z[i]![0]) / a) ** 2 + ((m[1] - z[i]![1]) / a) ** 2;
    });
    expect(d.rms_residual_pct / (100 * Math.sqrt(ss / 26)) - 1).toBeCloseTo(0, 8);
    expect(d.rms_residual_pct).toBeGreaterThan(0.1);
  });
});

describe('more hand-worked corners (guess fill-in, names)', () => {
  it('one arc in a one-decade band, three blocks: the grid cells all lie within half a decade of it, so the others are placed a factor 30 lower', () => {
    // f = 10^(2 − k/8), k = 0…8; −Z″ = [0,1,3,6,8,6,3,1,0] smooths to a single peak of 7 at j = 4
    // (31.6 Hz), open (its valley is the last point): R = 14/tan(0.85π/4)
    const f = Array.from({ length: 9 }, (_, k) => 10 ** (2 - k / 8));
    const v = [0, 1, 3, 6, 8, 6, 3, 1, 0];
    const s: Spectrum = { f: Float64Array.from(f), re: Float64Array.of(2, 3, 5, 8, 12, 16, 19, 21, 22), im: Float64Array.from(v, (x) => -x) };
    const r = 14 / Math.tan(0.85 * Math.PI / 4);
    const g = initialGuesses(parseCircuit('R0-p(R1,C1)-p(R2,C2)-p(R3,C3)'), s);
    const w = (x: number) => 2 * Math.PI * x;
    const fa = 10 ** 1.5;
    near(g.starts[0]!, [2, r, 1 / (w(fa) * r), r, 1 / (w(fa / 30) * r), r, 1 / (w(fa / 900) * r)], 1e-10);
    // shift 10 (variation 6) moves all three
    near(g.starts[5]!, [2, r, 1 / (w(10 * fa) * r), r, 1 / (w(fa / 3) * r), r, 1 / (w(fa / 90) * r)], 1e-10);
    expect(g.starts.length).toBe(10);
  });
  it('paramIndex finds the first parameter by its key', () => {
    expect(paramIndex(parseCircuit('randles'), 'R0_ohm')).toBe(0);
    expect(paramIndex(parseCircuit('R5'), 'R5_ohm')).toBe(0);
  });
});

describe('fit: parameters the data cannot determine (purely resistive data, Z″ = 0)', () => {
  const sp = (f: number[], re: number[], im: number[]): Spectrum => ({ f: Float64Array.from(f), re: Float64Array.from(re), im: Float64Array.from(im) });
  const flat = sp([1, 10, 100, 1000], [10, 10, 10, 10], [0, 0, 0, 0]);
  it('an L in series runs to 0, an L in parallel to ∞: off scale, null; R = 10 stays', () => {
    const a = fitCircuit(flat, 'R0-L1');
    expect(a.params[0]!.value!).toBeCloseTo(10, 9);
    expect(a.raw[1]!).toBeLessThan(1e-12);
    expect(a.undetermined.length).toBe(1);
    expect(a.undetermined[0]!.key).toBe('L1_H');
    expect(a.undetermined[0]!.reason).toBe(`ran off scale (${a.raw[1]!.toExponential(2)} H, outside 1e-12…1e12)`);
    expect(a.converged).toBe(false);
    const b = fitCircuit(flat, 'p(R1,L1)');
    expect(b.raw[1]!).toBeGreaterThan(1e12);
    expect(b.undetermined.map((u) => u.key)).toEqual(['L1_H']);
    expect(b.undetermined[0]!.reason).toMatch(/^ran off scale \(\d\.\d\de\+\d+ H, outside 1e-12…1e12\)$/);
    expect(b.params[0]!.value!).toBeCloseTo(10, 9);
  });
  it('a C in series runs large but stays in range: its column is zero (no effect on Z)', () => {
    const a = fitCircuit(flat, 'R0-C1');
    expect(a.params[1]!.value).toBeNull();
    expect(a.undetermined).toEqual([{ key: 'C1_F', reason: 'does not change the fitted spectrum (zero Jacobian column)' }]);
    expect(a.params[0]!.value!).toBeCloseTo(10, 9);
    expect(a.params[0]!.se!).toBeLessThan(1e-9);
  });
  it('a CPE alone on Z = 5: n → 0 (a resistor 1/Q), n null, Q = 0.2', () => {
    const b = fitCircuit(sp([1, 10, 100, 1000], [5, 5, 5, 5], [0, 0, 0, 0]), 'CPE1');
    expect(b.params[0]!.value!).toBeCloseTo(0.2, 9);
    expect(b.params[1]!.value).toBeNull();
    expect(b.undetermined.length).toBe(1);
    expect(b.undetermined[0]!.reason).toBe(`sits on its bound n → 0 (${b.raw[1]!.toPrecision(3)}): the CPE acts as a resistor`);
    expect(b.raw[1]!).toBeLessThan(0.05);
  });
  it('a guess n = 1 is accepted as a start; R0 + 1/(jωC) with C = 1/(2π) is fitted with n at 1', () => {
    const f = [1, 10, 100, 1000, 1e4, 1e5];
    const g = fitCircuit(sp(f, f.map(() => 10), f.map((x) => -1 / x)), 'R0-CPE1', { guess: { CPE1_n: 1 } });
    expect(g.params[2]!.initial).toBe(1);
    expect(g.params[2]!.value).toBe(1);
    expect(g.params[1]!.value! * 2 * Math.PI).toBeCloseTo(1, 6);
    expect(g.params[0]!.value!).toBeCloseTo(10, 6);
  });
});

describe('linalg corners: an exactly zero off-diagonal pair with equal diagonals; a column needing the stable sign', () => {
  it('symEigen of [[2,0,1],[0,2,0],[1,0,2]]: 1, 2, 3 (the (0,1) pair is zero with a00 = a11)', () => {
    const A = [[2, 0, 1], [0, 2, 0], [1, 0, 2]];
    const { values, vectors } = symEigen(A);
    near([...values].sort((a, b) => a - b), [1, 2, 3], 1e-12);
    for (let c = 0; c < 3; c++) {
      const v = vectors.map((r) => r[c]!);
      near(A.map((r) => r.reduce((s, a, j) => s + a * v[j]!, 0)), v.map((x) => values[c]! * x), 1e-12);
    }
  });
  it('lstsq with a first column [1, 1e-6, 0]: the Householder sign that avoids cancellation', () => {
    // normal equations of A = [[1,0],[1e-6,1],[0,1]], b = [1,2,3]: AᵀA = [[1 + e², e],[e, 2]], Aᵀb = [1 + 2e, 5]
    const e = 1e-6;
    const det = 2 * (1 + e * e) - e * e;
    const x0 = (2 * (1 + 2 * e) - 5 * e) / det, x1 = ((1 + e * e) * 5 - e * (1 + 2 * e)) / det;
    near(lstsq([[1, 0], [e, 1], [0, 1]], [1, 2, 3]), [x0, x1], 1e-13);
  });
});

describe('corners left by the first Stryker run (linalg, kk, warburg, spectrum)', () => {
  it('lstsq: a dependent column whose reduced diagonal is rounding noise, not 0; a negative leading entry with cancellation', () => {
    // [0.1, 0.2, 0.3] = 0.1·[1, 2, 3]: x1 = 0, x0 = (1·1 + 2·2 + 3·4)/(1 + 4 + 9) = 17/14
    near(lstsq([[1, 0.1], [2, 0.2], [3, 0.3]], [1, 2, 4]), [17 / 14, 0], 1e-12);
    // the first column of the cancellation case negated: x0 changes sign
    const e = 1e-6, det = 2 * (1 + e * e) - e * e;
    const x0 = (2 * (1 + 2 * e) - 5 * e) / det, x1 = ((1 + e * e) * 5 - e * (1 + 2 * e)) / det;
    near(lstsq([[-1, 0], [-e, 1], [0, 1]], [1, 2, 3]), [-x0, x1], 1e-13);
  });
  it('nnlsGram: 60 variables all positive need 60 outer iterations; ties go to the first; a leaving variable with a third one passive', () => {
    const I = Array.from({ length: 60 }, (_, i) => Array.from({ length: 60 }, (__, j) => (i === j ? 1 : 0)));
    const h = Array.from({ length: 60 }, (_, i) => 1 + i / 100);
    near(nnlsGram(I, h).x, h, 1e-12);
    near(nnlsGram([[1, 0], [0, 1]], [2, 2], 1).x, [2, 0]);
    // x2 = 3 enters first (h largest), then x0 = 0.5, then x1: the joint solution has x0 = −0.1, so
    // x0 leaves and {x1, x2} is solved again: [0, 1.1/0.5, 3]
    const r = nnlsGram([[4, 1, 0], [1, 0.5, 0], [0, 0, 1]], [2, 1.1, 3]);
    near(r.x, [0, 2.2, 3], 1e-12);
    expect(r.passive).toEqual([false, true, true]);
  });
  it('Lin-KK: μ below c exactly at the largest M allowed is no warning', () => {
    const w = (f: number) => 2 * Math.PI * f;
    const f5 = [1, 10, 100, 1000, 10000];
    const z = f5.map((f) => cadd(cadd([5, w(f) * 1e-6 - 20 / w(f)], cdiv([10, 0], [1, w(f) / w(1e4)])), cdiv([-1, 0], [1, w(f) / w(1)])));
    const k = linKK({ f: Float64Array.from(f5), re: Float64Array.from(z, (q) => q[0]), im: Float64Array.from(z, (q) => q[1]) }, { c: 0.95, maxM: 2 });
    expect(k.m).toBe(2);
    expect(k.warnings).toEqual([]);
  });
  it('warburg: T = 0 is refused; spectrum: Z″ at exactly 1 % of |Z| is not "clearly" inductive', () => {
    expect(() => warburgD(1, { concMolCm3: 1e-3, tempK: 0 })).toThrow('area, temperature and n must be positive');
    // Z′ = 99.99499987499377 (√9999 rounded up one ulp), Z″ = 1: 0.01·|Z| is exactly 1 in doubles
    const re = 99.99499987499377;
    expect(0.01 * Math.hypot(re, 1)).toBe(1);
    expect(clearlyInductive({ f: Float64Array.of(1, 10, 100), re: Float64Array.of(100, 100, re), im: Float64Array.of(-5, -1, 1) })).toBe(false);
  });
});
