/** `hcarb eis`: CHI impedance: equivalent-circuit fit with standard errors, Nyquist data. */
import { perFileRun } from './run.js';
import { int, type CommandSpec } from './spec.js';
import { eisCommand } from './chi.js';

export const command: CommandSpec = {
  name: 'eis',
  summary: 'CHI impedance: Randles fit with standard errors, Nyquist data',
  description: 'Fits R_Ω + (C_dl ∥ (R_ct + Z_W)) (or a CPE for C_dl) to a CHI A.C. Impedance export by complex non-linear least squares (Levenberg–Marquardt, modulus weighting), from initial guesses read off the spectrum. Each parameter with its standard error; Nyquist data and fit in JSON.',
  files: 'CHI impedance exports; - or none for standard input',
  takes: {},
  options: [
    { flags: '--model <model>', description: 'equivalent circuit', choices: ['randles', 'randles-cpe'], default: 'randles' },
    { flags: '--fmin <Hz>', description: 'lowest frequency used' },
    { flags: '--fmax <Hz>', description: 'highest frequency used' },
    { flags: '--nyquist', description: 'rows are the Nyquist points (measured and fitted) instead of the parameters' },
    { flags: '--max-iter <n>', description: 'Levenberg–Marquardt iterations per start', parse: int('--max-iter', 1), default: 400 },
  ],
  examples: ['hcarb eis samples/npnhc-eis.txt', "hcarb eis samples/npnhc-eis.txt --model randles-cpe --json | jq '.[0].r_ct_ohm'", 'hcarb eis samples/npnhc-eis.txt --nyquist --format csv > nyquist.csv'],
  fields: [
    { key: 'file', description: 'the input file as given' },
    { key: 'model', description: 'the equivalent circuit' },
    { key: 'r_ohm', description: 'series (ohmic) resistance R_Ω' },
    { key: 'r_ohm_se', description: 'its standard error' },
    { key: 'r_ct_ohm', description: 'charge-transfer resistance R_ct' },
    { key: 'r_ct_ohm_se', description: 'its standard error' },
    { key: 'c_dl_f', description: 'double-layer capacitance C_dl (randles)' },
    { key: 'c_dl_f_se', description: 'its standard error' },
    { key: 'q_cpe', description: 'CPE coefficient Q (randles-cpe), F s^(n−1)' },
    { key: 'q_cpe_se', description: 'its standard error' },
    { key: 'n_cpe', description: 'CPE exponent n (randles-cpe)' },
    { key: 'n_cpe_se', description: 'its standard error' },
    { key: 'sigma_w_ohm_s05', description: 'Warburg coefficient σ_W' },
    { key: 'sigma_w_ohm_s05_se', description: 'its standard error' },
    { key: 'chi2', description: 'weighted sum of squared residuals' },
    { key: 'converged', description: 'the optimiser met its criteria' },
    { key: 'iterations', description: 'iterations used' },
    { key: 'points', description: 'points fitted' },
    { key: 'freq_min_hz', description: 'lowest frequency fitted' },
    { key: 'freq_max_hz', description: 'highest frequency fitted' },
    { key: 'freq_hz', description: '--nyquist: frequency' },
    { key: 'z_re_ohm', description: "--nyquist: Z' measured" },
    { key: 'z_im_ohm', description: '--nyquist: Z" measured (negative for capacitive)' },
    { key: 'fit_z_re_ohm', description: "--nyquist: Z' of the fit" },
    { key: 'fit_z_im_ohm', description: '--nyquist: Z" of the fit' },
  ],
  docFields: [{ key: 'nyquist', description: 'measured and fitted points' }],
  run: perFileRun((input, o) => eisCommand(input, o as never)),
};
