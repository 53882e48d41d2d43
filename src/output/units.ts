/**
 * One table of quantities: for each output key, the header a person reads and how its numbers
 * are written in a table. Machine formats (JSON, NDJSON, CSV, TSV) never use this: they keep 12
 * significant digits.
 *
 * A rule applies to a whole column, so every number in a column has the same decimals.
 */

/** How a column's numbers are written in a table. */
export type NumberRule =
  | { kind: 'fixed'; decimals: number }     // ICE 81.81, capacity 373.3, potential 0.129
  | { kind: 'sig'; digits: number }          // decimals from the column's largest value
  | { kind: 'exp'; digits: number }          // D 5.08e-10 cm²/s, currents in A
  | { kind: 'entered' };                     // masses: as the user gave them (up to 6 digits)

interface Quantity { suffix: string; unit: string; rule: NumberRule }

/** Longest suffix first: `_mAh_g_V` before `_mAh_g` before `_mAh`. */
const QUANTITIES: Quantity[] = [
  { suffix: '_pct_per_100_cycles', unit: '%/100 cycles', rule: { kind: 'fixed', decimals: 2 } },
  { suffix: '_mAh_g_per_cycle', unit: 'mAh/g/cycle', rule: { kind: 'sig', digits: 3 } },
  { suffix: '_mAh_per_cycle', unit: 'mAh/cycle', rule: { kind: 'sig', digits: 3 } },
  { suffix: '_ohm_s05', unit: 'Ω s^-½', rule: { kind: 'sig', digits: 4 } },
  { suffix: '_mAh_g_V', unit: 'mAh/g/V', rule: { kind: 'sig', digits: 4 } },
  { suffix: '_V_mAh_g', unit: 'V g/mAh', rule: { kind: 'sig', digits: 3 } },
  { suffix: '_V_mAh', unit: 'V/mAh', rule: { kind: 'sig', digits: 3 } },
  { suffix: '_mAh_V', unit: 'mAh/V', rule: { kind: 'sig', digits: 4 } },
  { suffix: '_mAh_cm2', unit: 'mAh/cm²', rule: { kind: 'fixed', decimals: 3 } },
  { suffix: '_mWh_g', unit: 'mWh/g', rule: { kind: 'fixed', decimals: 1 } },
  { suffix: '_mA_g', unit: 'mA/g', rule: { kind: 'sig', digits: 3 } },
  { suffix: '_cm2_s', unit: 'cm²/s', rule: { kind: 'exp', digits: 3 } },
  { suffix: '_mV_h', unit: 'mV/h', rule: { kind: 'fixed', decimals: 2 } },
  { suffix: '_mAh_g', unit: 'mAh/g', rule: { kind: 'fixed', decimals: 1 } },
  { suffix: '_mWh', unit: 'mWh', rule: { kind: 'sig', digits: 4 } },
  { suffix: '_mAh', unit: 'mAh', rule: { kind: 'sig', digits: 4 } },
  { suffix: '_pct', unit: '%', rule: { kind: 'fixed', decimals: 2 } },
  { suffix: '_mg', unit: 'mg', rule: { kind: 'entered' } },
  { suffix: '_mV', unit: 'mV', rule: { kind: 'fixed', decimals: 2 } },
  { suffix: '_v_s', unit: 'V/s', rule: { kind: 'sig', digits: 3 } },
  { suffix: '_V_s', unit: 'V/s', rule: { kind: 'sig', digits: 3 } },
  { suffix: '_a_g', unit: 'A/g', rule: { kind: 'exp', digits: 3 } },
  { suffix: '_mA', unit: 'mA', rule: { kind: 'sig', digits: 4 } },
  { suffix: '_a', unit: 'A', rule: { kind: 'exp', digits: 3 } },
  { suffix: '_ohm', unit: 'Ω', rule: { kind: 'sig', digits: 4 } },
  { suffix: '_f', unit: 'F', rule: { kind: 'exp', digits: 3 } },
  { suffix: '_F', unit: 'F', rule: { kind: 'exp', digits: 3 } },
  { suffix: '_H', unit: 'H', rule: { kind: 'exp', digits: 3 } },
  { suffix: '_c', unit: 'C', rule: { kind: 'exp', digits: 3 } },
  { suffix: '_hz', unit: 'Hz', rule: { kind: 'sig', digits: 3 } },
  { suffix: '_Hz', unit: 'Hz', rule: { kind: 'sig', digits: 3 } },
  { suffix: '_cm2', unit: 'cm²', rule: { kind: 'sig', digits: 4 } },
  { suffix: '_cm', unit: 'cm', rule: { kind: 'exp', digits: 3 } },
  { suffix: '_um', unit: 'µm', rule: { kind: 'sig', digits: 4 } },
  { suffix: '_K', unit: 'K', rule: { kind: 'fixed', decimals: 2 } },
  { suffix: '_deg', unit: '°', rule: { kind: 'fixed', decimals: 2 } },
  { suffix: '_v', unit: 'V', rule: { kind: 'fixed', decimals: 3 } },
  { suffix: '_V', unit: 'V', rule: { kind: 'fixed', decimals: 3 } },
  { suffix: '_s', unit: 's', rule: { kind: 'sig', digits: 4 } },
  { suffix: '_h', unit: 'h', rule: { kind: 'sig', digits: 4 } },
];

/** The symbol a paper uses for the part of a key before its unit. */
const NAMES: Record<string, string> = {
  q_dis: 'Q_dis', q_ch: 'Q_ch', q: 'Q', ice: 'ICE', ce: 'CE', irreversible: 'Q_irr', mass: 'mass',
  dis_slope: 'slope dis', dis_plateau: 'plateau dis', ch_slope: 'slope ch', ch_plateau: 'plateau ch',
  dis_slope_pct: 'slope dis', last_rev: 'Q_rev last', reference: 'reference', final: 'final',
  retention: 'retention', plain_ratio: 'last/first', fade: 'fade', split: 'split',
  r: 'R_Ω', r_ct: 'R_ct', c_dl: 'C_dl', sigma_w: 'σ_W', q_cpe: 'Q_CPE', freq: 'f', freq_min: 'f min', freq_max: 'f max',
  z_re: "Z'", z_im: 'Z"', fit_z_re: "fit Z'", fit_z_im: 'fit Z"',
  scan_rate: 'v', scan_rates: 'v', ep: 'E_p', ip: 'i_p', delta_ep: 'ΔE_p', e_start: 'E start', e_end: 'E end',
  e: 'E', dEs: 'ΔE_s', dEtau: 'ΔE_τ', ir: 'iR drop', tau: 'τ', d: 'D', relax_slope: 'relax slope',
  min_d: 'min D', min_d_e: 'E at min D', peak: 'peak', dqdv: 'dQ/dV', crosscheck_max_diff: 'cross-check diff',
  log10_d: 'log₁₀ D', r2_sqrt: 'R² √t', r2: 'R²', chi2: 'χ²', b: 'b', b_se: '±',
  chi2_dof: 'χ²/dof', aic: 'AIC', bic: 'BIC', z_mod: '|Z|', fit_z_mod: 'fit |Z|', phase: 'phase', fit_phase: 'fit phase',
  kk_verdict: 'Lin-KK', kk_max_residual: 'KK max residual', gamma: 'γ', peak_r: 'R', r_sei: 'R_SEI', n_cpe: 'n_CPE',
  // Per-cycle figures (cycles) and rate steps (rate): short, as a paper's table writes them.
  i_dis: 'I dis', i_ch: 'I ch', i: 'I', c_rate: 'C-rate', v_avg_dis: 'V̄ dis', v_avg_ch: 'V̄ ch', e_dis: 'E dis', e_ch: 'E ch',
  ee: 'EE', hysteresis: 'ΔV', v_end_dis: 'V end dis', v_end_ch: 'V end ch',
  q_dis_mean: 'Q_dis', q_ch_mean: 'Q_ch', q_dis_sd: '±', q_ch_sd: '±', ce_mean: 'CE', ce_sd: '±', rev_vs_first: 'Q/Q₁',
  q_rev: 'Q_rev', prominence: 'prominence', dvdq: 'dV/dQ',
};

/** The quantity a key ends with, or null for plain names (`cycle`, `branch`, `flags`). */
export function quantityOf(key: string): { base: string; unit: string; rule: NumberRule } | null {
  for (const q of QUANTITIES) {
    if (key.endsWith(q.suffix) && key.length > q.suffix.length) return { base: key.slice(0, -q.suffix.length), unit: q.unit, rule: q.rule };
  }
  return null;
}

/** The unit of a key as a person writes it (`mAh/g`), or '' when it has none. */
export function unitOf(key: string): string {
  return quantityOf(key.endsWith('_se') ? key.slice(0, -3) : key)?.unit ?? '';
}

/** Table header: `R_ct (Ω)`, `±` for a standard error, `σ_W (Ω s^-½)`, `f (Hz)`, `v (V/s)`. */
export function header(key: string): string {
  if (key.endsWith('_se')) return '±';
  const q = quantityOf(key);
  const base = q ? q.base : key;
  const name = NAMES[base] ?? base.replace(/_/g, ' ');
  return q ? `${name} (${q.unit})` : name;
}

/** The rule for plain keys: counts as they are, fits and fractions by their nature. */
function plainRule(key: string): NumberRule {
  if (key === 'log10_d' || key.startsWith('mean_log10')) return { kind: 'fixed', decimals: 2 };
  if (key === 'chi2' || key.endsWith('_chi2') || key === 'chi2_dof') return { kind: 'exp', digits: 3 };
  if (key.startsWith('r2') || key === 'r2') return { kind: 'fixed', decimals: 4 };
  if (key === 'b' || key === 'b_se' || key.endsWith('_n')) return { kind: 'fixed', decimals: 3 };
  return { kind: 'sig', digits: 4 };
}

export function ruleOf(key: string): NumberRule {
  const base = key.endsWith('_se') ? key.slice(0, -3) : key;
  const q = quantityOf(base);
  const rule = q ? q.rule : plainRule(base);
  // A standard error is a small number beside a large one: two significant digits of its own.
  if (key.endsWith('_se') && rule.kind !== 'exp') return { kind: 'sig', digits: 2 };
  return rule;
}

/**
 * A formatter for one column of a table: the decimals are decided once from every value in the
 * column, so 5.0, 10.0 and 110.0 line up.
 */
export function columnFormatter(key: string, values: unknown[]): (v: unknown) => string {
  const rule = ruleOf(key);
  const nums = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const allInt = nums.every((x) => Number.isInteger(x));
  let fmt: (x: number) => string;
  if (rule.kind === 'entered') fmt = (x) => String(Number(x.toPrecision(6)));
  else if (rule.kind === 'exp') fmt = (x) => (x === 0 ? '0' : x.toExponential(rule.digits - 1));
  else if (rule.kind === 'fixed') fmt = (x) => x.toFixed(rule.decimals);
  else if (allInt && nums.every((x) => Math.abs(x) < 1e7)) fmt = (x) => String(x);
  else {
    const max = nums.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    const min = nums.reduce((m, x) => (x !== 0 ? Math.min(m, Math.abs(x)) : m), Infinity);
    // a column spanning four decades or more (frequencies, τ of a spectrum) in exponent form, so
    // that its small values keep their digits
    if (max !== 0 && (max >= 1e7 || max < 1e-3 || max / min >= 1e4)) fmt = (x) => (x === 0 ? '0' : x.toExponential(rule.digits - 1));
    else {
      const mag = max === 0 ? 0 : Math.floor(Math.log10(max));
      const decimals = Math.min(6, Math.max(0, rule.digits - 1 - mag));
      fmt = (x) => x.toFixed(decimals);
    }
  }
  return (v) => {
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') return Number.isFinite(v) ? fmt(v) : '';
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    if (Array.isArray(v)) return v.map((x) => (typeof x === 'number' ? fmt(x) : String(x))).join(' ');
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  };
}
