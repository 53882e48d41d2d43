/** EIS analysis: circuits, guesses, CNLS fit, Lin-KK, DRT, D from σ, Bode data. */
export { parseCircuit, printCircuit, circuitZ, circuitSpectrum, paramIndex, PRESETS, type Circuit, type ParamDef, type ElementKind } from './circuit.js';
export { initialGuesses, spectrumFeatures, type Guesses, type SpectrumFeatures } from './guess.js';
export { fitCircuit, fitAuto, fitRow, type EisFit, type FitOptions, type ParamResult, type AutoResult, type Weighting } from './fit.js';
export { linKK, type KkOptions, type KkResult, type KkRow } from './kk.js';
export { drt, type DrtOptions, type DrtResult, type DrtPeak } from './drt.js';
export { warburgD, warburgDFromFit, DISC_12MM_CM2, type WarburgDOptions } from './warburg.js';
export { bode, inductivePoints, clearlyInductive, subset, type Spectrum, type BodeRow } from './spectrum.js';
