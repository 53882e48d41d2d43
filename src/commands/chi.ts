/** `hcarb cv` and `hcarb eis`: CHI660E cyclic voltammetry and impedance. */
import { DataError, UsageError } from '../errors.js';
import type { Input } from '../io.js';
import { loadChi } from '../load.js';
import { column, param, type ChiFile } from '../parse/chi.js';
import { analyseCv, bValue } from '../analysis/cv.js';
import { PARAM_NAMES, checkSpectrum, fitEis, impedance, type EisModel } from '../analysis/eis.js';
import type { FileResult, Row } from '../output/format.js';
import { givenMass, positive } from './common.js';
import { maxOf, minOf } from '../analysis/extent.js';

export type CurrentSign = 'anodic-positive' | 'cathodic-positive';

function need(f: ChiFile, kinds: string[], command: string): void {
  if (!kinds.includes(f.kind)) {
    const hint = f.kind === 'eis' ? 'hcarb eis' : f.kind === 'cv' || f.kind === 'lsv' ? 'hcarb cv' : 'hcarb inspect';
    throw new DataError(`this is a ${f.technique || 'CHI'} file; hcarb ${command} needs ${kinds.map((k) => k.toUpperCase()).join(' or ')} data (try ${hint})`, { file: f.source, line: 2 });
  }
}

export interface CvOptions { mass?: string; masses?: Map<string, number>; currentSign?: string; peak?: string; cycle?: number }

export async function cvCommand(input: Input, o: CvOptions): Promise<FileResult & { scanRate: number | null; chosenIp: number | null }> {
  const sign = (o.currentSign ?? 'anodic-positive') as CurrentSign;
  if (sign !== 'anodic-positive' && sign !== 'cathodic-positive') throw new UsageError(`--current-sign must be anodic-positive or cathodic-positive, not '${sign}'`);
  const massMg = o.masses ? givenMass({ masses: o.masses }, input.name)!.massMg : positive('--mass', o.mass) ?? null;
  const f = await loadChi(input);
  need(f, ['cv', 'lsv'], 'cv');
  const e = column(f, 'potentialV'), i = column(f, 'currentA');
  if (!e || !i) throw new DataError(`no Potential/V and Current/A columns (found ${f.columns.map((c) => c.header).join(', ')})`, { file: f.source, line: f.headerLine });
  const { rows, sweeps } = analyseCv(e, i, { segments: f.segments, cathodicPositive: sign === 'cathodic-positive', massMg }, f.source);
  const warnings: string[] = [];
  const segParam = param(f, 'Segment');
  if (typeof segParam === 'number' && segParam !== sweeps.length) warnings.push(`the header says Segment = ${segParam} but the data hold ${sweeps.length} sweep(s) (a partial export)`);
  const rate = param(f, 'Scan Rate');
  const scanRate = typeof rate === 'number' ? rate : null;
  const peakDir = (o.peak ?? 'anodic') as 'anodic' | 'cathodic';
  const cyc = o.cycle ?? 1;
  const chosen = rows.find((r) => r.cycle === cyc && r.direction === peakDir && r.ip_a !== null) ?? null;
  const assumptions = {
    current_sign: sign, current_sign_source: o.currentSign ? '--current-sign' : 'default: the file does not state it; currents read as anodic-positive (IUPAC)',
    sweep_split: f.segments ? "the file's Segment N: blocks" : 'where the potential reverses',
    peak: 'largest current in the sweep direction that is a local extremum away from the ends',
    mass_mg: massMg, scan_rate_v_s: scanRate, technique: f.technique, model: f.model,
  };
  const withFile = rows.map((r) => ({ file: f.source, ...r, scan_rate_v_s: scanRate }));
  return {
    file: f.source,
    doc: { file: f.source, technique: f.technique, model: f.model, date: f.date, scan_rate_v_s: scanRate, assumptions, sweeps: rows, warnings },
    rows: withFile,
    tableKeys: ['file', 'cycle', 'sweep', 'direction', 'ep_v', massMg ? 'ip_a_g' : 'ip_a', 'delta_ep_v', 'flags'],
    assumptionLine: `current sign: ${sign}${o.currentSign ? '' : ' (assumed; --current-sign)'}; scan rate ${scanRate ?? '?'} V/s`,
    warnings, notes: f.notes, scanRate, chosenIp: chosen?.ip_a ?? null,
  };
}

/** The b-value over several files of one cell at different scan rates. */
export function bValueResult(files: { file: string; scanRate: number | null; ip: number | null }[], peak: string, cycle: number): FileResult {
  const usable = files.filter((x) => x.scanRate !== null && x.scanRate > 0 && x.ip !== null && x.ip !== 0);
  if (usable.length < 2) throw new DataError(`--b-value needs the ${peak} peak of cycle ${cycle} at two or more scan rates; found it in ${usable.length} file(s)`, {});
  if (new Set(usable.map((u) => u.scanRate)).size < 2) throw new DataError('--b-value needs at least two different scan rates', {});
  const b = bValue(usable.map((u) => u.scanRate!), usable.map((u) => u.ip!));
  const warnings = b.b_se === null ? ['with two scan rates the b-value has no standard error (and R² is 1 by construction); use three or more'] : [];
  const row: Row = { file: usable.map((u) => u.file).join(';'), b: b.b, b_se: b.b_se, r2: b.r2, scan_rates_v_s: b.scan_rates_v_s, ip_a: b.ip_a, peak, cycle, points: b.points };
  return {
    file: 'b-value', doc: { ...row, files: usable.map((u) => u.file), assumptions: { fit: 'least squares of log10|i_p| against log10 v', peak, cycle }, warnings },
    rows: [row], tableKeys: ['b', 'b_se', 'r2', 'scan_rates_v_s', 'points'], warnings,
  };
}

export interface EisOptions { model?: string; fmin?: string; fmax?: string; nyquist?: boolean; maxIter?: number }

export async function eisCommand(input: Input, o: EisOptions): Promise<FileResult> {
  const model = (o.model ?? 'randles') as EisModel;
  if (!(model in PARAM_NAMES)) throw new UsageError(`--model must be randles or randles-cpe, not '${model}'`);
  const fmin = positive('--fmin', o.fmin), fmax = positive('--fmax', o.fmax);
  const f = await loadChi(input);
  need(f, ['eis'], 'eis');
  const fr = column(f, 'freqHz'), re = column(f, 'zReOhm'), im = column(f, 'zImOhm');
  if (!fr || !re || !im) throw new DataError(`no Freq/Hz, Z'/ohm and Z"/ohm columns (found ${f.columns.map((c) => c.header).join(', ')})`, { file: f.source, line: f.headerLine });
  const keep: number[] = [];
  for (let k = 0; k < fr.length; k++) if ((fmin === undefined || fr[k]! >= fmin) && (fmax === undefined || fr[k]! <= fmax)) keep.push(k);
  const s = { f: Float64Array.from(keep, (k) => fr[k]!), re: Float64Array.from(keep, (k) => re[k]!), im: Float64Array.from(keep, (k) => im[k]!) };
  const lines = Uint32Array.from(keep, (k) => f.lines[k]!);
  const names = PARAM_NAMES[model];
  checkSpectrum(s, lines, f.source, names.length);
  const fit = fitEis(model, s, o.maxIter ?? 400);
  const warnings: string[] = [];
  const params: Row = {};
  names.forEach((nm, k) => { params[nm] = fit.params[k]; params[nm + '_se'] = fit.se[k]; });
  const initial: Row = {};
  names.forEach((nm, k) => { initial[nm] = fit.initial[k]; });
  const nyquist = Array.from(s.f, (fq, k) => {
    const [zr, zi] = impedance(model, fit.params, 2 * Math.PI * fq);
    return { freq_hz: fq, z_re_ohm: s.re[k]!, z_im_ohm: s.im[k]!, fit_z_re_ohm: zr, fit_z_im_ohm: zi };
  });
  const fmaxUsed = maxOf(s.f), fminUsed = minOf(s.f);
  const summary: Row = { file: f.source, model, ...params, chi2: fit.chi2, converged: fit.converged, iterations: fit.iterations, points: s.f.length, freq_min_hz: fminUsed, freq_max_hz: fmaxUsed };
  if (!fit.converged) warnings.push(`the fit did not converge after ${fit.iterations} iterations; the best parameters so far are reported`);
  const loose = names.filter((_, k) => fit.se[k] === null || fit.se[k]! > Math.abs(fit.params[k]!));
  if (loose.length) warnings.push(`${loose.join(', ')} ${loose.length > 1 ? 'are' : 'is'} not determined by this spectrum (standard error larger than the value, or none): the ${model} model may not suit it (no arc, or no diffusion tail); try --model ${model === 'randles' ? 'randles-cpe' : 'randles'} or --fmin/--fmax`);
  const assumptions = {
    model, circuit: model === 'randles' ? 'R_Ω + (C_dl ∥ (R_ct + Z_W)), Z_W = σ ω^-1/2 (1 − j)' : 'R_Ω + (CPE ∥ (R_ct + Z_W)), Y_CPE = Q (jω)^n, Z_W = σ ω^-1/2 (1 − j)',
    weighting: 'modulus: (Z_model − Z_data)/|Z_data| on real and imaginary parts', method: 'Levenberg–Marquardt on log-parameters, initial guesses from the spectrum',
    z_im_sign: 'as in the file (negative for capacitive)', freq_range_hz: [fminUsed, fmaxUsed], initial,
  };
  return {
    file: f.source,
    doc: { ...summary, assumptions, nyquist, warnings },
    rows: o.nyquist ? nyquist.map((n) => ({ file: f.source, ...n })) : [summary],
    tableKeys: o.nyquist ? undefined : ['file', 'model', ...names.flatMap((n) => [n, n + '_se']), 'chi2', 'converged'],
    assumptionLine: `${model}; modulus weighting; ${s.f.length} points, ${fminUsed.toPrecision(3)}–${fmaxUsed.toPrecision(3)} Hz`,
    warnings, notes: f.notes, exitCode: fit.converged ? 0 : 1,
  };
}
