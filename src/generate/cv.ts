/**
 * CHI-format cyclic voltammograms written from a known model, for tests: at each potential E and
 * sweep direction d (+1 positive-going, −1 negative-going) the current is
 *   i(E, d, v) = k1(E, d)·v + k2(E, d)·v^½
 * (a surface-controlled term and a diffusion-controlled term), plus optional relative Gaussian
 * noise, written with 4 significant figures like CHI. Written independently of src/analysis
 * (the truth must not come from the code under test).
 */

export interface GenPeak { e: number; height: number; width: number }

export interface CvModel {
  /** A per (V/s). */
  k1: (e: number, d: 1 | -1) => number;
  /** A per (V/s)^½. */
  k2: (e: number, d: 1 | -1) => number;
}

/**
 * A model made of parts: a double-layer capacitance (F) and a sloping background
 * (A per V/s, linear in E) in k1, Gaussian peaks exp(−((E − e)/width)²) in k1 (surface) or
 * k2 (diffusion), anodic on positive-going sweeps (positive current) and cathodic on
 * negative-going ones (negative current).
 */
export function cvModel(o: {
  capF?: number; slope?: { at0: number; perV: number };
  k1Anodic?: GenPeak[]; k1Cathodic?: GenPeak[]; k2Anodic?: GenPeak[]; k2Cathodic?: GenPeak[];
}): CvModel {
  const g = (x: number, p: GenPeak) => p.height * Math.exp(-(((x - p.e) / p.width) ** 2));
  const sum = (x: number, ps: GenPeak[] | undefined) => (ps ?? []).reduce((s, p) => s + g(x, p), 0);
  return {
    k1: (e, d) => d * (o.capF ?? 0) + (o.slope ? o.slope.at0 + o.slope.perV * e : 0) * d + (d > 0 ? sum(e, o.k1Anodic) : -sum(e, o.k1Cathodic)),
    k2: (e, d) => (d > 0 ? sum(e, o.k2Anodic) : -sum(e, o.k2Cathodic)),
  };
}

/** Deterministic PRNG (mulberry32) and standard normal deviates (Box–Muller). */
export function normalRng(seed: number): () => number {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u() || 1e-300)) * Math.cos(2 * Math.PI * u());
}

export function sig4(x: number): string {
  if (x === 0) return '0.000e+0';
  const [m, e] = x.toExponential(3).split('e');
  return `${m}e${e!.startsWith('-') ? e : '+' + e!.replace('+', '')}`;
}

export interface GenCvOptions {
  low: number; high: number; init: number; initDir: 'P' | 'N'; rate: number; segments: number;
  interval?: number; model: CvModel;
  /** Extra current (A) added as is, e.g. the first cycle's SEI peak: f(E, d, segment). */
  extra?: (e: number, d: 1 | -1, segment: number) => number;
  /** Standard deviation of the noise, % of |i| at each point. */
  noisePct?: number;
  /** Noise of a fixed size (A), added to the relative noise. */
  noiseA?: number;
  seed?: number;
  cathodicPositive?: boolean;
  /** A Results block: peaks per segment (values as the instrument would write them, in the file's sign). */
  results?: { segment: number; ep: number; ip: number; ah: number }[];
  /** A second working electrode (bipotentiostat): columns i1/A, i2/A. */
  channel2?: (e: number, d: 1 | -1) => number;
  model_name?: string;
}

/** The potentials and directions of the triangular sweeps (the vertex point opens the next sweep). */
export function sweepPotentials(o: Pick<GenCvOptions, 'low' | 'high' | 'init' | 'initDir' | 'segments' | 'interval'>): { e: number[]; d: (1 | -1)[]; seg: number[] } {
  const dE = o.interval ?? 0.001;
  const out = { e: [] as number[], d: [] as (1 | -1)[], seg: [] as number[] };
  let e0 = o.init;
  let dir: 1 | -1 = o.initDir === 'P' ? 1 : -1;
  for (let s = 1; s <= o.segments; s++) {
    const target = dir > 0 ? o.high : o.low;
    const n = Math.round(Math.abs(target - e0) / dE);
    for (let k = s === 1 ? 0 : 1; k <= n; k++) {
      // The vertex itself belongs to the sweep that ends there.
      out.e.push(Number((e0 + dir * k * dE).toFixed(6)));
      out.d.push(dir);
      out.seg.push(s);
    }
    e0 = target;
    dir = (dir > 0 ? -1 : 1);
  }
  return out;
}

/** The noiseless current of the model at rate v. */
export function modelCurrent(m: CvModel, e: number, d: 1 | -1, v: number): number {
  return m.k1(e, d) * v + m.k2(e, d) * Math.sqrt(v);
}

export function chiCvModelText(o: GenCvOptions): string {
  const dE = o.interval ?? 0.001;
  const two = !!o.channel2;
  const lines = [
    'Sept. 6, 2025   14:48:45', 'Cyclic Voltammetry', 'File: c:\\data\\hcarb\\generated.bin', 'Data Source:  Experiment', `Instrument Model:  ${o.model_name ?? 'CHI660E'}`, 'Header: ', 'Note: ', '',
    `Init E (V) = ${o.init}`, `High E (V) = ${o.high}`, `Low E (V) = ${o.low}`, `Init P/N = ${o.initDir}`, `Scan Rate (V/s) = ${o.rate}`, `Segment = ${o.segments}`, `Sample Interval (V) = ${dE}`, 'Quiet Time (sec) = 2', 'Sensitivity (A/V) = 1e-3', '',
  ];
  if (o.results) {
    lines.push('Results:', '', 'Channel 1:');
    for (let s = 1; s <= o.segments; s++) {
      lines.push(`Segment ${s}:`);
      for (const r of o.results.filter((q) => q.segment === s)) lines.push(`Ep = ${r.ep.toFixed(3)}V`, `ip = ${sig4(r.ip)}A`, `Ah = ${sig4(r.ah)}C`, '');
      if (!o.results.some((q) => q.segment === s)) lines.push('');
    }
  }
  lines.push(two ? 'Potential/V, i1/A, i2/A' : 'Potential/V, Current/A', '');
  const rng = normalRng(o.seed ?? 1);
  const p = sweepPotentials(o);
  const flip = o.cathodicPositive ? -1 : 1;
  for (let k = 0; k < p.e.length; k++) {
    const e = p.e[k]!, d = p.d[k]!;
    let i = modelCurrent(o.model, e, d, o.rate) + (o.extra ? o.extra(e, d, p.seg[k]!) : 0);
    i += ((o.noisePct ?? 0) / 100) * Math.abs(i) * rng() + (o.noiseA ?? 0) * rng();
    const row = [e.toFixed(3), sig4(flip * i)];
    if (two) row.push(sig4(flip * o.channel2!(e, d)));
    lines.push(row.join(', '));
  }
  return lines.join('\n') + '\n';
}
