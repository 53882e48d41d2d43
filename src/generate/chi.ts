/** CHI-format text for generated spectra and voltammograms (tests and samples), 4 significant figures like CHI. */
import { CPE, Cap, R, W, parallel, series, spectrumPoints, type Zfn } from './eis.js';

/** The two Randles circuits of the samples and the CHI tests. */
export type EisModel = 'randles' | 'randles-cpe';

function sig4(x: number): string {
  if (x === 0) return '0.000e+0';
  const [m, e] = x.toExponential(3).split('e');
  return `${m}e${e!.startsWith('-') ? e : '+' + e!.replace('+', '')}`;
}

function memo(technique: string, date = 'Sept. 6, 2025   14:48:45'): string[] {
  return [date, technique, 'File: c:\\data\\hcarb\\generated.bin', 'Data Source:  Experiment', 'Instrument Model:  CHI660E', 'Header: ', 'Note: ', ''];
}

/**
 * The circuit's impedance from the generator's own element formulas (src/generate/eis.ts, not the
 * fitter): randles p = [R_Ω, R_ct, C_dl, σ], R_Ω + (C_dl ∥ (R_ct + W)); randles-cpe
 * p = [R_Ω, R_ct, Q, n, σ], the CPE in place of C_dl.
 */
function randlesZ(model: EisModel, p: number[]): Zfn {
  const [r0, rct] = [p[0]!, p[1]!];
  const dl = model === 'randles' ? Cap(p[2]!) : CPE(p[2]!, p[3]!);
  return series(R(r0), parallel(dl, series(R(rct), W(p[p.length - 1]!))));
}

/** A.C. Impedance export of a known circuit, 12 points per decade from fHigh down to fLow. */
export function chiEisText(model: EisModel, p: number[], opts: { fHigh?: number; fLow?: number; perDecade?: number; crlf?: boolean } = {}): string {
  const fHigh = opts.fHigh ?? 1e5, fLow = opts.fLow ?? 0.01, per = opts.perDecade ?? 12;
  const lines = [...memo('A.C. Impedance'), 'Init E (V) = 0', `High Frequency (Hz) = ${fHigh.toExponential().replace('e+', 'e+')}`, `Low Frequency (Hz) = ${fLow}`, 'Imp SF', 'Amplitude (V) = 0.005', 'Quiet Time (sec) = 2', 'Cycles (.1-1Hz) = 1', '', "Freq/Hz, Z'/ohm, Z\"/ohm, Z/ohm, Phase/deg", ''];
  const pts = spectrumPoints(randlesZ(model, p), { fHigh, fLow, perDecade: per });
  for (let k = 0; k < pts.f.length; k++) {
    const f = pts.f[k]!, re = pts.re[k]!, im = pts.im[k]!;
    lines.push(`${sig4(f)}, ${sig4(re)}, ${sig4(im)}, ${sig4(Math.hypot(re, im))}, ${(Math.atan2(im, re) * 180 / Math.PI).toFixed(1)}`);
  }
  return lines.join(opts.crlf ? '\r\n' : '\n') + (opts.crlf ? '\r\n' : '\n');
}

export interface CvPeak { e: number; height: number; width: number }

/**
 * A CV export: triangular sweeps between low and high (starting at init going `initDir`),
 * sampled every `interval` V; the current is a double-layer term ±C·v plus Gaussian peaks, anodic
 * peaks on positive-going sweeps and cathodic peaks (negative current) on negative-going ones.
 */
export function chiCvText(o: { low: number; high: number; init: number; initDir: 'P' | 'N'; rate: number; segments: number; interval?: number; anodic: CvPeak[]; cathodic: CvPeak[]; firstCycleOnly?: CvPeak[]; capF?: number; cathodicPositive?: boolean }): string {
  const dE = o.interval ?? 0.001;
  const lines = [...memo('Cyclic Voltammetry'), `Init E (V) = ${o.init}`, `High E (V) = ${o.high}`, `Low E (V) = ${o.low}`, `Init P/N = ${o.initDir}`, `Scan Rate (V/s) = ${o.rate}`, `Segment = ${o.segments}`, `Sample Interval (V) = ${dE}`, 'Quiet Time (sec) = 2', 'Sensitivity (A/V) = 1e-3', '', 'Potential/V, Current/A', ''];
  let e = o.init;
  let dir = o.initDir === 'P' ? 1 : -1;
  const steps = Math.round;
  const gauss = (x: number, p: CvPeak) => p.height * Math.exp(-(((x - p.e) / p.width) ** 2));
  const cur = (x: number, d: number, seg: number) => {
    let i = d * (o.capF ?? 0) * o.rate;
    const ps = d > 0 ? o.anodic : o.cathodic;
    for (const p of ps) i += d * gauss(x, p);
    if (seg <= 2 && d < 0) for (const p of o.firstCycleOnly ?? []) i -= gauss(x, p);
    return o.cathodicPositive ? -i : i;
  };
  for (let seg = 1; seg <= o.segments; seg++) {
    const target = dir > 0 ? o.high : o.low;
    const n = steps(Math.abs(target - e) / dE);
    for (let k = seg === 1 ? 0 : 1; k <= n; k++) {
      const x = e + dir * k * dE;
      lines.push(`${x.toFixed(3)}, ${sig4(cur(x, dir, seg))}`);
    }
    e = target;
    dir = -dir;
  }
  return lines.join('\n') + '\n';
}

import { analyticPulses, type GittPlan } from './gitt.js';

/**
 * A CHI Multi-Current Steps export of one GITT branch (the analytic run of `gittRun`): step 1 the
 * pulse current for τ, step 2 zero current for the rest, repeated; sampled every `dt` s from dt on.
 */
export function chiIstepText(p: GittPlan, dir: 'D' | 'C', dt = 10, digits = 5): { text: string; truth: { e_v: number; d_cm2_s: number; dEs_V: number }[] } {
  const pulses = analyticPulses(p, dir);
  const period = p.tauS + p.restS;
  const lines = [...memo('Multi-Current Steps'), `i1 (A) = ${((dir === 'D' ? -1 : 1) * p.currentMA / 1000).toExponential(3)}`, `T1 (s) = ${p.tauS}`, 'i2 (A) = 0', `T2 (s) = ${p.restS}`, `Cycle = ${pulses.length}`, 'High E Limit (V) = 3', 'Low E Limit (V) = -1', `Sample Interval (s) = ${dt}`, '', 'Time/sec, Potential/V', ''];
  pulses.forEach((a, j) => {
    for (let s = dt; s <= period + 1e-9; s += dt) lines.push(`${sig4(j * period + s)}, ${(s <= p.tauS ? a.pulse(s) : a.rest(s - p.tauS)).toFixed(digits)}`);
  });
  const truth = pulses.map((a) => ({ e_v: a.e1, d_cm2_s: a.d, dEs_V: a.dEs }));
  return { text: lines.join('\n') + '\n', truth };
}
