/**
 * Impedance spectra with a known truth, for tests and samples: CHI660E A.C. Impedance text with
 * 4 significant figures (as CHI writes them) and optional noise. The element formulas are written
 * here again from docs/science.md, independently of src/analysis (which they test):
 *
 *   R: R   C: 1/(jωC)   L: jωL   CPE: 1/(Q (jω)^n)   W: σ(1 − j)/√ω
 *   Wo: Z0 coth(√(jωτ))/√(jωτ)   Ws: Z0 tanh(√(jωτ))/√(jωτ)
 *
 * Complex numbers are {re, im} objects here (the analysis uses tuples), and CPE is evaluated as
 * (jω)^n = ω^n e^{jnπ/2}, the Warburg elements through complex exp.
 */
export interface C { re: number; im: number }
/** An impedance as a function of angular frequency ω (rad/s). */
export type Zfn = (w: number) => C;

const cadd = (a: C, b: C): C => ({ re: a.re + b.re, im: a.im + b.im });
const cmul = (a: C, b: C): C => ({ re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re });
const cdiv = (a: C, b: C): C => { const d = b.re * b.re + b.im * b.im; return { re: (a.re * b.re + a.im * b.im) / d, im: (a.im * b.re - a.re * b.im) / d }; };
const cexp = (a: C): C => ({ re: Math.exp(a.re) * Math.cos(a.im), im: Math.exp(a.re) * Math.sin(a.im) });
const ONE: C = { re: 1, im: 0 };
/** tanh z = (1 − e^{−2z}) / (1 + e^{−2z}) (Re z ≥ 0 here, so e^{−2z} does not overflow). */
function ctanh(z: C): C { const e = cexp({ re: -2 * z.re, im: -2 * z.im }); return cdiv({ re: 1 - e.re, im: -e.im }, { re: 1 + e.re, im: e.im }); }
/** √(jx) for x > 0: the principal root, magnitude √x at angle π/4. */
const sqrtJ = (x: number): C => ({ re: Math.sqrt(x) * Math.SQRT1_2, im: Math.sqrt(x) * Math.SQRT1_2 });

export const R = (r: number): Zfn => () => ({ re: r, im: 0 });
export const Cap = (c: number): Zfn => (w) => cdiv(ONE, { re: 0, im: w * c });
export const L = (l: number): Zfn => (w) => ({ re: 0, im: w * l });
export const CPE = (q: number, n: number): Zfn => (w) => cdiv(ONE, { re: q * Math.pow(w, n) * Math.cos(n * Math.PI / 2), im: q * Math.pow(w, n) * Math.sin(n * Math.PI / 2) });
export const W = (sigma: number): Zfn => (w) => ({ re: sigma / Math.sqrt(w), im: -sigma / Math.sqrt(w) });
export const Wo = (z0: number, tau: number): Zfn => (w) => { const x = sqrtJ(w * tau); return cdiv({ re: z0, im: 0 }, cmul(ctanh(x), x)); };
export const Ws = (z0: number, tau: number): Zfn => (w) => { const x = sqrtJ(w * tau); return cmul({ re: z0, im: 0 }, cdiv(ctanh(x), x)); };
export const series = (...zs: Zfn[]): Zfn => (w) => zs.reduce<C>((acc, z) => cadd(acc, z(w)), { re: 0, im: 0 });
export const parallel = (...zs: Zfn[]): Zfn => (w) => cdiv(ONE, zs.reduce<C>((acc, z) => cadd(acc, cdiv(ONE, z(w))), { re: 0, im: 0 }));

/** Truths used by the tests (natural units). */
export const randles = (p: { r0: number; rct: number; cdl: number; sigma: number }): Zfn => series(R(p.r0), parallel(Cap(p.cdl), series(R(p.rct), W(p.sigma))));
export const twoArcW = (p: { r0: number; r1: number; q1: number; n1: number; r2: number; q2: number; n2: number; sigma: number; l?: number }): Zfn =>
  series(...(p.l ? [L(p.l)] : []), R(p.r0), parallel(R(p.r1), CPE(p.q1, p.n1)), parallel(R(p.r2), CPE(p.q2, p.n2)), W(p.sigma));

export interface GenOptions {
  fHigh?: number; fLow?: number; perDecade?: number;
  /** Gaussian noise, standard deviation in % of |Z|, added to Z′ and Z″ independently. */
  noisePct?: number;
  seed?: number;
  /** A drift added to the low-frequency half: Z′ += driftOhm · (position in that half)². */
  driftOhm?: number;
  crlf?: boolean;
}

/** mulberry32: a small deterministic generator, so a seed gives the same file everywhere. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

/** Points from fHigh down to fLow, perDecade per decade, with noise and drift applied. */
export function spectrumPoints(z: Zfn, o: GenOptions = {}): { f: number[]; re: number[]; im: number[] } {
  const fHigh = o.fHigh ?? 1e5, fLow = o.fLow ?? 0.01, per = o.perDecade ?? 10;
  const n = Math.round(Math.log10(fHigh / fLow) * per);
  const u = rng(o.seed ?? 1);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const f: number[] = [], re: number[] = [], im: number[] = [];
  for (let k = 0; k <= n; k++) {
    const fk = fHigh * 10 ** (-k / per);
    const v = z(2 * Math.PI * fk);
    const m = Math.hypot(v.re, v.im) * (o.noisePct ?? 0) / 100;
    let zr = v.re + m * gauss(), zi = v.im + m * gauss();
    if (o.driftOhm && k > n / 2) zr += o.driftOhm * ((k - n / 2) / (n / 2)) ** 2;
    f.push(fk); re.push(zr); im.push(zi);
  }
  return { f, re, im };
}

function sig4(x: number): string {
  if (x === 0) return '0.000e+0';
  const [m, e] = x.toExponential(3).split('e');
  return `${m}e${e!.startsWith('-') ? e : '+' + e!.replace('+', '')}`;
}

/** A CHI660E A.C. Impedance export of the spectrum (4 significant figures, like CHI). */
export function chiEisText(z: Zfn, o: GenOptions = {}): string {
  const p = spectrumPoints(z, o);
  const lines = ['Sept. 6, 2025   14:48:45', 'A.C. Impedance', 'File: c:\\data\\hcarb\\generated.bin', 'Data Source:  Experiment', 'Instrument Model:  CHI660E', 'Header: ', 'Note: ', '',
    'Init E (V) = 0', `High Frequency (Hz) = ${o.fHigh ?? 1e5}`, `Low Frequency (Hz) = ${o.fLow ?? 0.01}`, 'Imp SF', 'Amplitude (V) = 0.005', 'Quiet Time (sec) = 2', 'Cycles (.1-1Hz) = 1', '',
    "Freq/Hz, Z'/ohm, Z\"/ohm, Z/ohm, Phase/deg", ''];
  p.f.forEach((f, k) => {
    const re = p.re[k]!, im = p.im[k]!;
    lines.push(`${sig4(f)}, ${sig4(re)}, ${sig4(im)}, ${sig4(Math.hypot(re, im))}, ${(Math.atan2(im, re) * 180 / Math.PI).toFixed(1)}`);
  });
  const eol = o.crlf ? '\r\n' : '\n';
  return lines.join(eol) + eol;
}
