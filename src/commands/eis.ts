/**
 * `hcarb eis`: CHI impedance. Fits any equivalent circuit (a string in impedance.py's notation or
 * a preset; `auto` fits every preset and chooses by AIC), reports each parameter with its standard
 * error or as null with the reason, validates the spectrum by Lin-KK, and on request gives the
 * distribution of relaxation times, D from the Warburg coefficient and Nyquist/Bode rows.
 */
import { DataError, UsageError } from '../errors.js';
import type { Input } from '../io.js';
import { loadChi } from '../load.js';
import { column } from '../readers/chi/chi.js';
import { parseCircuit, resolveOverrides, PRESETS, type Circuit } from '../analysis/eis/circuit.js';
import { fitAuto, fitCircuit, type EisFit, type Weighting } from '../analysis/eis/fit.js';
import { linKK, type KkResult } from '../analysis/eis/kk.js';
import { drt, type DrtResult } from '../analysis/eis/drt.js';
import { warburgDFromFit } from '../analysis/eis/warburg.js';
import { inductivePoints, subset, type Spectrum } from '../analysis/eis/spectrum.js';
import type { FileResult, Row } from '../output/format.js';
import { perFileRun } from './run.js';
import { int, pos, type CommandSpec, type FieldSpec, type Opts } from './spec.js';
import { areaCm2 } from './common.js';

export const DEFAULT_MODEL = 'two-arc';
const PRESET_HELP: Record<string, string> = {
  randles: 'R_Ω + (C_dl ∥ (R_ct + W))',
  'randles-cpe': 'R_Ω + (CPE ∥ (R_ct + W))',
  'two-arc': 'R_Ω + (R_SEI ∥ CPE) + (R_ct ∥ CPE) + W, a hard-carbon anode',
};

export interface EisCliOptions {
  /** A circuit string, a preset name or `auto`; default two-arc. */
  model?: string;
  fix?: Record<string, number>;
  guess?: Record<string, number>;
  keepInductive?: boolean;
  weighting?: Weighting;
  fmin?: number;
  fmax?: number;
  /** Show the Lin-KK verdict in the table (JSON always has it). */
  kk?: boolean;
  drt?: boolean;
  lambda?: number;
  drtPart?: 'both' | 're' | 'im';
  /** Concentration of the diffusing species, mol cm⁻³ (needed for D). */
  conc?: number;
  area?: number;
  diameter?: number;
  temp?: number;
  nyquist?: boolean;
  maxIter?: number;
}

/** `NAME=VALUE[,NAME=VALUE…]`, repeatable: merged into one map. */
export const assignments = (flag: string) => (v: string, prev?: unknown): Record<string, number> => {
  const out: Record<string, number> = { ...((prev as Record<string, number> | undefined) ?? {}) };
  for (const part of v.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([A-Za-z][A-Za-z0-9_]*)\s*=\s*(\S+)$/.exec(part);
    const x = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(x)) throw new UsageError(`${flag} takes NAME=VALUE (e.g. ${flag} R0_ohm=5 or ${flag} r_ohm=5,CPE1_n=0.9), not '${part}'`);
    out[m[1]!] = x;
  }
  return out;
};

/** The model option: `auto`, a preset or a circuit string (checked here, before any file is read). */
export function parseModel(v: string): string {
  const t = v.trim();
  if (t === 'auto') return t;
  parseCircuit(t);
  return t;
}

/** Every parameter key (with its `_se`) of the presets and their `L0-` variants (auto on inductive spectra). */
function presetFields(): FieldSpec[] {
  const seen = new Map<string, string>();
  const describe = (c: Circuit) => {
    for (const d of c.params) {
      if (seen.has(d.key)) continue;
      const what: Record<string, string> = { R: 'resistance', C: 'capacitance', L: 'inductance', Q: 'CPE coefficient Q, F s^(n−1)', n: 'CPE exponent n (1: ideal capacitor)', sigma: 'Warburg coefficient σ', z0: 'finite-length Warburg Z0', tau: 'finite-length Warburg τ' };
      seen.set(d.key, `${d.element}: ${what[d.kind]}${d.unit && d.kind !== 'Q' ? ` (${d.unit})` : ''}`);
    }
  };
  describe(parseCircuit('L0-R0'));
  for (const name of Object.keys(PRESETS)) describe(parseCircuit(name));
  const aliases = new Map<string, string>();
  for (const [name, p] of Object.entries(PRESETS)) for (const [k, a] of Object.entries(p.aliases)) aliases.set(a, `${aliases.has(a) ? aliases.get(a) + ', ' : ''}${name}: ${k}`);
  const ALIAS_TEXT: Record<string, string> = { r_ohm: 'series (ohmic) resistance R_Ω', r_ct_ohm: 'charge-transfer resistance R_ct', r_sei_ohm: 'SEI (surface film) resistance R_SEI', c_dl_f: 'double-layer capacitance C_dl', q_cpe: 'CPE coefficient Q, F s^(n−1)', n_cpe: 'CPE exponent n', sigma_w_ohm_s05: 'Warburg coefficient σ_W' };
  return [
    ...[...seen].flatMap(([key, d]) => [{ key, description: d }, { key: key + '_se', description: 'its standard error' }]),
    ...[...aliases].flatMap(([key, d]) => [{ key, description: `${ALIAS_TEXT[key] ?? key} (paper name; ${d})` }, { key: key + '_se', description: 'its standard error' }]),
  ];
}

const FIELDS: FieldSpec[] = [
  { key: 'file', description: 'the input file as given' },
  { key: 'model', description: 'the preset fitted (randles, randles-cpe, two-arc; +L0 when auto added a series inductance), or the circuit string' },
  { key: 'circuit', description: 'the circuit in canonical form, e.g. R0-p(R1,CPE1)-p(R2,CPE2)-W1' },
  ...presetFields(),
  { key: 'chi2', description: 'weighted sum of squared residuals Σ w²(ΔZ′² + ΔZ″²)' },
  { key: 'chi2_dof', description: 'χ² / (2N − p), N points, p free parameters' },
  { key: 'aic', description: 'Akaike information criterion 2N ln(χ²/2N) + 2p' },
  { key: 'bic', description: 'Bayesian information criterion 2N ln(χ²/2N) + p ln 2N' },
  { key: 'converged', description: 'the optimiser met its criteria and the Jacobian has full rank (every parameter identifiable)' },
  { key: 'iterations', description: 'Levenberg–Marquardt iterations, all starts' },
  { key: 'points', description: 'points fitted (after --fmin/--fmax and cropping of inductive points)' },
  { key: 'freq_min_hz', description: 'lowest frequency fitted' },
  { key: 'freq_max_hz', description: 'highest frequency fitted' },
  { key: 'undetermined', description: 'keys of the parameters the spectrum does not determine (null; reasons in undetermined_reasons and the warnings)' },
  { key: 'W1_d_cm2_s', description: '--conc: D = R²T²/(2A²n⁴F⁴C²σ²) from W1 (other W elements: Wk_d_cm2_s)' },
  { key: 'W1_d_cm2_s_se', description: 'its standard error (2 D SE(σ)/σ)' },
  { key: 'd_cm2_s', description: '--conc: D from σ_W (paper name of W1_d_cm2_s in the presets)' },
  { key: 'd_cm2_s_se', description: 'its standard error' },
  { key: 'kk_verdict', description: 'Lin-KK test: pass when every residual is below 1 % of |Z|' },
  { key: 'kk_max_residual_pct', description: 'Lin-KK: largest |residual|, % of |Z|' },
  { key: 'chosen', description: '--model auto: one row per preset; true for the one chosen by AIC' },
  { key: 'freq_hz', description: '--nyquist, --drt: frequency (--drt: 1/(2πτ))' },
  { key: 'z_re_ohm', description: "--nyquist: Z' measured" },
  { key: 'z_im_ohm', description: '--nyquist: Z" measured (negative for capacitive)' },
  { key: 'z_mod_ohm', description: '--nyquist: |Z| measured (Bode)' },
  { key: 'phase_deg', description: '--nyquist: phase atan2(Z", Z\') measured (Bode; negative for capacitive)' },
  { key: 'fit_z_re_ohm', description: "--nyquist: Z' of the fit (null for points not fitted)" },
  { key: 'fit_z_im_ohm', description: '--nyquist: Z" of the fit' },
  { key: 'fit_z_mod_ohm', description: '--nyquist: |Z| of the fit' },
  { key: 'fit_phase_deg', description: '--nyquist: phase of the fit' },
  { key: 'fitted', description: '--nyquist: true when the point was fitted; false for a cropped inductive point' },
  { key: 'kk_res_re_pct', description: "--nyquist: Lin-KK residual of Z', % of |Z|" },
  { key: 'kk_res_im_pct', description: '--nyquist: Lin-KK residual of Z", % of |Z|' },
  { key: 'tau_s', description: '--drt: relaxation time τ (rows: the grid; table: each peak)' },
  { key: 'gamma_ohm', description: '--drt: γ(ln τ), resistance per unit ln τ' },
  { key: 'peak', description: '--drt table: peak number, fastest first' },
  { key: 'peak_r_ohm', description: '--drt table: resistance under the peak (area of γ)' },
];

const DOC_FIELDS: FieldSpec[] = [
  { key: 'undetermined_reasons', description: 'key → why it is not determined (ran off scale, on a bound, inseparable, relative SE > 100 %)' },
  { key: 'kk', description: 'Lin-KK validation: m (RC elements), mu, verdict, max_residual_pct, max_residual_freq_hz, rms_residual_pct' },
  { key: 'nyquist', description: 'measured and fitted points with Bode data and Lin-KK residuals (the --nyquist rows)' },
  { key: 'drt', description: '--drt: lambda, lambda_source, r_inf_ohm, r_pol_ohm, rms_residual_pct, peaks [{tau_s, freq_hz, r_ohm}], gamma [the --drt rows]' },
  { key: 'candidates', description: '--model auto: each preset fitted, with chi2_dof, aic, bic, converged, undetermined, chosen and its parameters' },
  { key: 'technique', description: "the file's technique line" },
  { key: 'instrument_model', description: "the file's Instrument Model" },
  { key: 'assumptions', description: 'circuit, weighting, method, fixed values, initial guesses, frequency window, KK/DRT/D settings' },
  { key: 'warnings', description: 'warnings (also printed on stderr)' },
];

/** The spectrum of a CHI impedance export, inside the frequency window, with the file's line numbers. */
async function readSpectrum(input: Input, o: EisCliOptions): Promise<{ s: Spectrum; source: string; technique: string; model: string | null; notes: string[] }> {
  const f = await loadChi(input);
  if (f.kind !== 'eis') {
    const hint = f.kind === 'cv' || f.kind === 'lsv' ? 'hcarb cv' : 'hcarb inspect';
    throw new DataError(`this is a ${f.technique || 'CHI'} file; hcarb eis needs EIS data (try ${hint})`, { file: f.source, line: 2 });
  }
  const fr = column(f, 'freqHz'), re = column(f, 'zReOhm'), im = column(f, 'zImOhm');
  if (!fr || !re || !im) throw new DataError(`no Freq/Hz, Z'/ohm and Z"/ohm columns (found ${f.columns.map((c) => c.header).join(', ')})`, { file: f.source, line: f.headerLine });
  for (let k = 0; k < fr.length; k++) {
    if (!(fr[k]! > 0)) throw new DataError(`frequency ${fr[k]} Hz is not positive`, { file: f.source, line: f.lines[k] });
    if (k >= 1 && (fr[k] === fr[k - 1] || Math.sign(fr[k]! - fr[k - 1]!) !== Math.sign(fr[1]! - fr[0]!))) {
      throw new DataError(`frequencies are not monotonic (${fr[k - 1]} Hz then ${fr[k]} Hz); the spectrum must sweep one way`, { file: f.source, line: f.lines[k] });
    }
  }
  const keep: number[] = [];
  for (let k = 0; k < fr.length; k++) if ((o.fmin === undefined || fr[k]! >= o.fmin) && (o.fmax === undefined || fr[k]! <= o.fmax)) keep.push(k);
  if (!keep.length) throw new DataError(`no point between --fmin ${o.fmin ?? 0} Hz and --fmax ${o.fmax ?? '∞'} Hz (the file spans ${Math.min(...fr)}–${Math.max(...fr)} Hz)`, { file: f.source });
  return { s: subset({ f: fr, re, im }, keep), source: f.source, technique: f.technique, model: f.model, notes: f.notes };
}

/** The parameter columns of a fit: key, key_se (and the paper alias with _se). */
function paramColumns(fit: EisFit): Row {
  const row: Row = {};
  for (const q of fit.params) { row[q.key] = q.value; row[q.key + '_se'] = q.se; }
  for (const q of fit.params) if (q.alias) { row[q.alias] = q.value; row[q.alias + '_se'] = q.se; }
  return row;
}

function stats(fit: EisFit): Row {
  const f = fit.used.f;
  return {
    chi2: fit.chi2, chi2_dof: fit.chi2_dof, aic: fit.aic, bic: fit.bic, converged: fit.converged, iterations: fit.iterations, points: fit.points,
    freq_min_hz: f.length ? Math.min(...f) : null, freq_max_hz: f.length ? Math.max(...f) : null,
    undetermined: fit.undetermined.map((u) => u.key),
  };
}

const sig = (x: number, n = 3) => (Math.abs(x) >= 1e4 || Math.abs(x) < 1e-2 ? x.toExponential(n - 1) : String(Number(x.toPrecision(n))));

/** What the paper calls the preset's elements: `R0 = R_Ω, R2 = R_ct`. */
function aliasText(fit: EisFit): string {
  const names: Record<string, string> = { r_ohm: 'R_Ω', r_ct_ohm: 'R_ct', r_sei_ohm: 'R_SEI', c_dl_f: 'C_dl', sigma_w_ohm_s05: 'σ_W' };
  const parts = fit.params.filter((q) => q.alias && names[q.alias]).map((q) => `${q.key.split('_')[0]} = ${names[q.alias!]}`);
  return parts.length ? `${parts.join(', ')}; ` : '';
}

/** `--model auto` in a table: a small aligned list of the presets by AIC, the chosen one marked. */
function candidateLines(fits: EisFit[], chosen: EisFit): string {
  const sorted = [...fits].sort((a, b) => (a.aic ?? Infinity) - (b.aic ?? Infinity));
  const cells = sorted.map((f) => [f.preset ?? f.circuit, f.chi2_dof === null ? '–' : f.chi2_dof.toExponential(2), f.aic === null ? '–' : f.aic.toFixed(1), f.bic === null ? '–' : f.bic.toFixed(1), f === chosen ? 'chosen' : '']);
  const lines = [['model', 'χ²/dof', 'AIC', 'BIC', ''], ...cells];
  const w = [0, 1, 2, 3].map((j) => Math.max(...lines.map((l) => l[j]!.length)));
  return lines.map((l) => [l[0]!.padEnd(w[0]!), ...[1, 2, 3].map((j) => l[j]!.padStart(w[j]!)), l[4]].join('  ').trimEnd()).join('\n');
}

/** A CLI-worded copy of the analysis's warnings. */
const cliWarning = (w: string) => w.replace('keep them with keepInductive', 'keep them with --keep-inductive');

export async function eisRun(input: Input, o: EisCliOptions): Promise<FileResult & { fit: EisFit }> {
  const model = o.model ?? DEFAULT_MODEL;
  if (o.fmin !== undefined && o.fmax !== undefined && o.fmin >= o.fmax) throw new UsageError(`--fmin (${o.fmin} Hz) must be below --fmax (${o.fmax} Hz)`);
  if (model === 'auto' && (o.fix || o.guess)) throw new UsageError('--fix and --guess need one circuit; --model auto fits every preset');
  const circuit = model === 'auto' ? null : parseCircuit(model);
  if (circuit) { resolveOverrides(circuit, o.fix, '--fix'); resolveOverrides(circuit, o.guess, '--guess'); }
  const area = areaCm2({ area: o.area, diameter: o.diameter });
  const { s, source, technique, model: instrument, notes: fileNotes } = await readSpectrum(input, o);
  const notes = [...fileNotes];
  const fitOpts = { weighting: o.weighting ?? 'modulus', keepInductive: o.keepInductive, maxIter: o.maxIter };
  let fit: EisFit;
  let candidates: Row[] | null = null;
  const warnings: string[] = [];
  let autoFits: EisFit[] = [];
  let autoLine = '';
  if (circuit) fit = fitCircuit(s, circuit, { ...fitOpts, fix: o.fix, guess: o.guess });
  else {
    const a = fitAuto(s, fitOpts);
    fit = a.best;
    autoFits = a.fits;
    autoLine = a.warnings.join('; ');
    // which preset was chosen is in the table and JSON; a warning only when none could be fitted
    (fit.aic === null ? warnings : notes).push(...a.warnings);
    candidates = a.fits.map((f) => ({ model: f.preset ?? f.circuit, circuit: f.circuit, ...stats(f), chosen: f === a.best, ...paramColumns(f), warnings: f.warnings.map(cliWarning) }));
  }
  warnings.push(...fit.warnings.map(cliWarning));

  // Lin-KK on every point in the window (its series L takes inductive points)
  const kk: KkResult = linKK(s);
  warnings.push(...kk.warnings);

  // D from each W element's σ
  const wEls = fit.params.filter((q) => /^W\d+_sigma_ohm_s05$/.test(q.key));
  const dCols: Row = {};
  let dAssumptions: Record<string, unknown> = { d: wEls.length ? 'not computed: D from σ needs the concentration of the diffusing species (--conc, mol cm⁻³); there is no default' : 'not computed: the circuit has no W element' };
  if (o.conc !== undefined) {
    if (!wEls.length) warnings.push(`--conc: the circuit ${fit.circuit} has no semi-infinite Warburg element W, so there is no D`);
    const wo = { concMolCm3: o.conc, areaCm2: area.areaCm2, tempK: o.temp ?? 298.15 };
    const ds = warburgDFromFit(fit, wo);
    for (const q of wEls) {
      const el = q.key.split('_')[0]!;
      const d = ds.find((x) => x.element === el);
      dCols[`${el}_d_cm2_s`] = d?.d_cm2_s ?? null;
      dCols[`${el}_d_cm2_s_se`] = d?.d_se_cm2_s ?? null;
      if (!d) warnings.push(`${el}_d_cm2_s is null: ${q.key} is not determined, so D cannot be computed from it`);
      if (q.alias === 'sigma_w_ohm_s05') { dCols.d_cm2_s = dCols[`${el}_d_cm2_s`]; dCols.d_cm2_s_se = dCols[`${el}_d_cm2_s_se`]; }
    }
    dAssumptions = {
      d_formula: 'D = R²T² / (2 A² n⁴ F⁴ C² σ²), n = 1', conc_mol_cm3: o.conc, area_cm2: area.areaCm2, area_source: area.source,
      temp_k: o.temp ?? 298.15, temp_source: o.temp === undefined ? 'default 298.15 K' : '--temp',
    };
  }

  // DRT: R∞ + a distribution of RC elements cannot give Z″ > 0, so inductive points are left out
  // unless --keep-inductive (as for a circuit without L)
  const ind = o.keepInductive ? [] : inductivePoints(s);
  const dIn = ind.length ? subset(s, Array.from(s.f.keys()).filter((k) => !ind.includes(k))) : s;
  const d: DrtResult | null = o.drt ? drt(dIn, { lambda: o.lambda, part: o.drtPart }) : null;
  if (d) warnings.push(...d.warnings);

  // Nyquist/Bode rows over the window; fit values where the point was fitted
  const fitAt = new Map<number, [number, number]>();
  if (fit.fit_re && fit.fit_im) fit.used.f.forEach((fq, k) => fitAt.set(fq, [fit.fit_re![k]!, fit.fit_im![k]!]));
  const nyquist: Row[] = Array.from(s.f, (fq, k) => {
    const zr = s.re[k]!, zi = s.im[k]!, z = fitAt.get(fq);
    return {
      freq_hz: fq, z_re_ohm: zr, z_im_ohm: zi, z_mod_ohm: Math.hypot(zr, zi), phase_deg: Math.atan2(zi, zr) * 180 / Math.PI,
      fit_z_re_ohm: z ? z[0] : null, fit_z_im_ohm: z ? z[1] : null, fit_z_mod_ohm: z ? Math.hypot(z[0], z[1]) : null, fit_phase_deg: z ? Math.atan2(z[1], z[0]) * 180 / Math.PI : null,
      fitted: Boolean(z), kk_res_re_pct: kk.rows[k]!.kk_res_re_pct, kk_res_im_pct: kk.rows[k]!.kk_res_im_pct,
    };
  });

  const kkCols: Row = { kk_verdict: kk.verdict, kk_max_residual_pct: kk.max_residual_pct };
  const summary: Row = { file: source, model: fit.preset ?? fit.circuit, circuit: fit.circuit, ...paramColumns(fit), ...stats(fit), ...dCols, ...kkCols };
  const modelName = fit.preset ?? fit.circuit;
  const initial = Object.fromEntries(fit.params.map((q) => [q.key, q.initial]));
  const assumptions: Record<string, unknown> = {
    ...fit.assumptions, initial, freq_window_hz: [o.fmin ?? null, o.fmax ?? null], max_iter: o.maxIter ?? 500,
    ...kk.assumptions, ...(d ? { ...d.assumptions, drt_points: `${dIn.f.length} (${ind.length ? `${ind.length} inductive left out` : 'all in the window'})` } : {}), ...dAssumptions, z_im_sign: 'as in the file (negative for capacitive)',
    ...(candidates ? { auto: autoLine } : {}),
  };
  const drtDoc = d ? {
    lambda: d.lambda, lambda_source: d.lambda_source, r_inf_ohm: d.r_inf_ohm, r_pol_ohm: d.r_pol_ohm, rms_residual_pct: d.rms_residual_pct,
    peaks: d.peaks.map((p) => ({ tau_s: p.tau_s, freq_hz: p.f_hz, r_ohm: p.r_ohm })),
    gamma: Array.from(d.tau_s, (t, k) => ({ tau_s: t, freq_hz: 1 / (2 * Math.PI * t), gamma_ohm: d.gamma_ohm[k]! })),
  } : undefined;
  const doc: Row = {
    ...summary, technique, instrument_model: instrument,
    undetermined_reasons: Object.fromEntries(fit.undetermined.map((u) => [u.key, u.reason])),
    kk: { m: kk.m, mu: kk.mu, verdict: kk.verdict, max_residual_pct: kk.max_residual_pct, max_residual_freq_hz: kk.max_residual_freq_hz, rms_residual_pct: kk.rms_residual_pct },
    ...(drtDoc ? { drt: drtDoc } : {}), ...(candidates ? { candidates } : {}),
    nyquist, assumptions, warnings,
  };

  // Rows and the table
  let rows: Row[], tableRows: Row[] | undefined, tableKeys: string[] | undefined;
  if (o.nyquist) {
    rows = nyquist.map((n) => ({ file: source, ...n }));
    tableKeys = ['file', 'freq_hz', 'z_re_ohm', 'z_im_ohm', 'z_mod_ohm', 'phase_deg', 'fit_z_re_ohm', 'fit_z_im_ohm'];
  } else if (d) {
    rows = drtDoc!.gamma.map((g) => ({ file: source, ...g }));
    tableRows = drtDoc!.peaks.map((p, k) => ({ file: source, peak: k + 1, tau_s: p.tau_s, freq_hz: p.freq_hz, peak_r_ohm: p.r_ohm }));
    tableKeys = ['file', 'peak', 'tau_s', 'freq_hz', 'peak_r_ohm'];
  } else {
    rows = candidates
      ? autoFits.map((f) => ({ file: source, model: f.preset ?? f.circuit, circuit: f.circuit, ...paramColumns(f), ...stats(f), chosen: f === fit, ...(f === fit ? { ...dCols, ...kkCols } : {}) }))
      : [summary];
    // the table: element keys (the circuit line names them), 'not determined' where null
    const show: Row = { file: source, model: modelName, circuit: fit.circuit };
    for (const q of fit.params) {
      show[q.key] = q.value ?? 'not determined';
      show[q.key + '_se'] = q.fixed ? 'fixed' : q.se;
    }
    // D under its paper name where the preset has one (header "D (cm²/s)"), else Wk_d_cm2_s
    const dShown = 'd_cm2_s' in dCols ? ['d_cm2_s', 'd_cm2_s_se'] : Object.keys(dCols);
    for (const k of dShown) show[k] = dCols[k] ?? (k.endsWith('_se') ? null : 'not determined');
    Object.assign(show, { chi2_dof: fit.chi2_dof, aic: fit.aic, converged: fit.converged, undetermined: fit.undetermined.map((u) => u.key) });
    if (o.kk) Object.assign(show, kkCols);
    if (candidates) show.candidates = candidateLines(autoFits, fit);
    tableRows = [show];
    tableKeys = Object.keys(show);
  }
  const cropped = fit.cropped_hz.length ? ` (${fit.cropped_hz.length} inductive cropped)` : '';
  const fr = stats(fit);
  const assumptionLine = `${aliasText(fit)}${fitOpts.weighting} weighting; ${fit.points} of ${s.f.length} points${cropped}` +
    (fr.freq_min_hz !== null ? `, ${sig(fr.freq_min_hz as number)}–${sig(fr.freq_max_hz as number)} Hz` : '') + (d ? `; DRT λ = ${sig(d.lambda, 2)} (${d.lambda_source === 'gcv' ? 'GCV' : '--lambda'})` : '');
  // A fit whose optimiser stopped short of its criteria is not a result: exit 1 (its best values
  // are still printed). Undetermined parameters (null with reasons) leave the status at 0.
  const stoppedShort = fit.warnings.some((w) => w.startsWith('the optimiser did not meet its convergence criteria'));
  return {
    file: source, doc, rows, tableRows, tableKeys, assumptionLine, warnings, notes,
    exitCode: stoppedShort ? 1 : 0, fit,
  };
}

export const command: CommandSpec = {
  name: 'eis',
  summary: 'CHI impedance: any equivalent circuit, honest standard errors, Lin-KK, DRT, D from σ',
  description: 'Fits an equivalent circuit to a CHI A.C. Impedance export by complex non-linear least squares (Levenberg–Marquardt, modulus weighting, multi-start from guesses read off the spectrum). --model takes a circuit in impedance.py notation (R, C, L, CPE, W, Wo, Ws with a number; - in series, p(a,b) in parallel) or a preset: ' +
    Object.entries(PRESETS).map(([k, p]) => `${k} = ${p.text} (${PRESET_HELP[k]})`).join('; ') + '; auto fits each preset and chooses by AIC. A parameter the spectrum does not determine (off scale, on a bound, inseparable, relative SE > 100 %) is null with the reason and a warning. Inductive high-frequency points are cropped unless the circuit has an L. Every result carries a Lin-KK validation; --drt gives the distribution of relaxation times; --conc gives D from the Warburg coefficient. Keys are the element names with units (R1_ohm, CPE1_q, CPE1_n, W1_sigma_ohm_s05, …; other circuits add ELEMENT_param keys such as Wo1_tau_s) plus the paper names of the presets (r_ohm, r_ct_ohm, …).',
  files: 'CHI impedance exports; - or none for standard input',
  takes: {},
  options: [
    { flags: '--model <circuit>', description: `circuit string (e.g. 'R0-p(R1,CPE1)-W1'), preset (${Object.keys(PRESETS).join(', ')}) or auto`, parse: parseModel, default: DEFAULT_MODEL },
    { flags: '--fix <NAME=VALUE>', description: 'hold a parameter at a value (key or paper name; repeatable or comma-separated)', parse: assignments('--fix') },
    { flags: '--guess <NAME=VALUE>', description: 'start a parameter from this value instead of the guess read off the spectrum (repeatable or comma-separated)', parse: assignments('--guess') },
    { flags: '--keep-inductive', description: 'fit the inductive high-frequency points (Z" > 0) instead of cropping them' },
    { flags: '--weighting <w>', description: 'residual weighting: modulus (1/|Z|) or unit', choices: ['modulus', 'unit'], default: 'modulus' },
    { flags: '--fmin <Hz>', description: 'lowest frequency used', parse: pos('--fmin') },
    { flags: '--fmax <Hz>', description: 'highest frequency used', parse: pos('--fmax') },
    { flags: '--kk', description: 'show the Lin-KK validation in the table (JSON always has it)' },
    { flags: '--drt', description: 'distribution of relaxation times: rows are τ, f, γ; the table lists the peaks with their resistance' },
    { flags: '--lambda <λ>', description: '--drt: regularisation parameter (default: by generalised cross-validation)', parse: pos('--lambda') },
    { flags: '--drt-part <part>', description: '--drt: fit the real, imaginary or both parts of Z', choices: ['both', 're', 'im'], default: 'both' },
    { flags: '--conc <mol_cm3>', description: 'concentration of the diffusing species in mol/cm³: gives D from the Warburg coefficient (no default)', parse: pos('--conc') },
    { flags: '--area <cm2>', description: 'electrode area for D in cm²', parse: pos('--area') },
    { flags: '--diameter <mm>', description: 'electrode disc diameter for D in mm (default 12)', parse: pos('--diameter') },
    { flags: '--temp <K>', description: 'temperature for D in K (default 298.15)', parse: pos('--temp') },
    { flags: '--nyquist', description: 'rows are the points: measured, fitted, Bode (|Z|, phase) and Lin-KK residuals' },
    { flags: '--max-iter <n>', description: 'Levenberg–Marquardt iterations of the final polish', parse: int('--max-iter', 1), default: 500 },
  ],
  examples: [
    'hcarb eis samples/npnhc-eis.txt',
    'hcarb eis samples/npnhc-eis.txt --model auto',
    "hcarb eis samples/npnhc-eis.txt --model randles --json | jq '.[0] | {r_ct_ohm, r_ct_ohm_se, c_dl_f}'",
    "hcarb eis samples/npnhc-eis.txt --model 'R0-p(R1,C1)-W1' --fix R0_ohm=6.2 --json | jq '.[0].R1_ohm'",
    "hcarb eis samples/npnhc-eis.txt --model randles --conc 1e-3 --json | jq '.[0].d_cm2_s'",
    "hcarb eis samples/npnhc-eis.txt --json | jq '.[0].kk | {verdict, max_residual_pct}'",
    "hcarb eis samples/npnhc-eis.txt --drt --json | jq '.[0].drt.peaks'",
    'hcarb eis samples/npnhc-eis.txt --nyquist --format csv > nyquist.csv',
  ],
  fields: FIELDS,
  docFields: DOC_FIELDS,
  run: perFileRun((input, o) => eisRun(input, cliOptions(o))),
};

/** Commander's options as EisCliOptions. */
export function cliOptions(o: Opts): EisCliOptions {
  return {
    model: o.model as string | undefined, fix: o.fix as Record<string, number> | undefined, guess: o.guess as Record<string, number> | undefined,
    keepInductive: Boolean(o.keepInductive), weighting: o.weighting as Weighting | undefined,
    fmin: o.fmin as number | undefined, fmax: o.fmax as number | undefined, kk: Boolean(o.kk), drt: Boolean(o.drt),
    lambda: o.lambda as number | undefined, drtPart: o.drtPart as EisCliOptions['drtPart'], conc: o.conc as number | undefined,
    area: o.area as number | undefined, diameter: o.diameter as number | undefined, temp: o.temp as number | undefined,
    nyquist: Boolean(o.nyquist), maxIter: o.maxIter as number | undefined,
  };
}
