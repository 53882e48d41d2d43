/**
 * hcarb as a library: the same parsers and analyses the CLI uses.
 *
 *   import { readLand, ice, split, retention, cycles, gitt } from 'hcarb';
 *   const cell = await readLand('run.csv');            // or bytes, or an async iterable of chunks
 *   ice(cell, { massMg: 3.8 }).ice_pct;
 *   const rates = await Promise.all(files.map((f) => cv(f)));  // CHI voltammograms
 *   dunn(rates).shares;                                        // capacitive share per scan rate
 */
import type { Input } from './io.js';
import { readFileChunks } from './readfile.js';
import { loadChi, loadCycling, type Loaded } from './load.js';
import { analyseCvFile, type CvFileAnalysis, type CvFileOptions } from './analysis/cv/index.js';
import type { First } from './analysis/cycling.js';
import * as m from './analysis/metrics.js';
import { gittCommand, type GittCliOptions } from './commands/gitt.js';
import type { PulseRow, BranchSummary } from './analysis/gitt.js';
import { rateSteps, type RateOptions, type RateResult } from './analysis/rate.js';

export type { CyclerRecord, SourceInfo, VendorCycle } from './types.js';
export type { CyclingData, HalfCycle, Cycle, First } from './analysis/cycling.js';
export type { IceRow, CycleRow, SplitRow, RetentionRow, RetentionAtRow, CycleRowOptions, Mass } from './analysis/metrics.js';
export type { RateOptions, RateResult, RateStepRow } from './analysis/rate.js';
export type { DqdvResult, DvdqCurve, Peak, PeakOptions, Smoothing, BranchPoints } from './analysis/dqdv.js';
export type { GroupStat } from './analysis/stats.js';
export type { PulseRow, BranchSummary } from './analysis/gitt.js';
export { HcarbError, DataError, UsageError, formatError } from './errors.js';
export { parseLandText } from './readers/land/fast.js';
export { parseLandTextGeneral } from './readers/land/land.js';
export { parseChiText, type ChiFile } from './readers/chi/chi.js';
export { CyclingReducer, segment } from './analysis/cycling.js';
export { gittD, diffusionLengthCm } from './analysis/gitt.js';
export { analyseCv, bValue } from './analysis/cv.js';
export { analyseCvFile, bValues, dunn, decideSign, findSweepPeaks, findSei, lsvSummary, PEAK_ASSUMPTIONS, type CvFileAnalysis, type CvFileOptions, type PeakRow, type SweepRow, type SeiRow, type LsvSummary, type BValuesResult, type BPeakRow, type BvRow, type DunnResult, type DunnRow, type DunnShareRow, type CurrentSign, type SignDecision } from './analysis/cv/index.js';
export {
  parseCircuit, printCircuit, circuitZ, circuitSpectrum, paramIndex, PRESETS, initialGuesses, spectrumFeatures, fitCircuit, fitAuto, fitRow,
  linKK, drt, warburgD, warburgDFromFit, DISC_12MM_CM2, bode, inductivePoints, clearlyInductive,
  type Circuit, type ParamDef, type ElementKind, type EisFit, type FitOptions, type ParamResult, type AutoResult, type Weighting,
  type KkOptions, type KkResult, type KkRow, type DrtOptions, type DrtResult, type DrtPeak, type WarburgDOptions, type Spectrum, type BodeRow,
} from './analysis/eis/index.js';
export { dqdv, dqdvCurve, findPeaks, dvdq, savitzkyGolay, branchCollector } from './analysis/dqdv.js';
export { rateSteps } from './analysis/rate.js';
export { meanSd, groupStats, groupByRegex, groupRows } from './analysis/stats.js';
export { firstCycleEfficiencyWarning, loadingMixupWarning, capacityHint } from './analysis/sanity.js';
export { readAssumptions } from './load.js';

export type Source = string | Uint8Array | AsyncIterable<Uint8Array>;

function toInput(src: Source, name?: string): Input {
  if (typeof src === 'string') return { name: name ?? src, chunks: () => readFileChunks(src) };
  if (src instanceof Uint8Array) return { name: name ?? '<bytes>', async *chunks() { yield src; } };
  return { name: name ?? '<stream>', chunks: () => src };
}

export interface ReadOptions { name?: string; first?: First; splitV?: number; /** Stop reading once this cycle is complete. */ stopAfterCycle?: number }

/** Read a LAND export (.csv, .txt, .xlsx) into segmented cycling data, streaming. */
export async function readLand(src: Source, o: ReadOptions = {}): Promise<Loaded> {
  return loadCycling(toInput(src, o.name), { first: o.first ?? 'discharge', splitV: o.splitV ?? 0.1, ...(o.stopAfterCycle !== undefined ? { stopAfterCycle: o.stopAfterCycle } : {}) });
}

/**
 * A CHI voltammogram (CV, LSV or DPV export) analysed as `hcarb cv` does: the current sign
 * detected (or `currentSign`), every peak with its baseline, the SEI peak, the LSV onset. Several
 * of these (one cell, several scan rates) go into `bValues` and `dunn`.
 */
export async function cv(src: Source, o: CvFileOptions & { name?: string } = {}): Promise<CvFileAnalysis> {
  return analyseCvFile(await loadChi(toInput(src, o.name)), o);
}

export interface MassOption { massMg?: number }

function massOf(cell: Loaded, o: MassOption): m.Mass {
  return m.resolveMass(o.massMg !== undefined ? { massMg: o.massMg, source: 'flag' } : null, cell.data, []);
}

export function ice(cell: Loaded, o: MassOption = {}): m.IceRow {
  return m.ice(cell.data, massOf(cell, o), cell.info.source);
}
export function cycles(cell: Loaded, o: MassOption & m.CycleRowOptions = {}): m.CycleRow[] {
  return m.cycleRows(cell.data, massOf(cell, o), { areaCm2: o.areaCm2 ?? null, nominalMAhG: o.nominalMAhG ?? null });
}
/** Rate capability: steps of equal current density, mean ± SD per step, recovery. */
export function rate(cell: Loaded, o: MassOption & RateOptions = {}): RateResult {
  return rateSteps(m.cycleRows(cell.data, massOf(cell, o), { nominalMAhG: o.nominalMAhG ?? null }), { ...o, first: o.first ?? cell.data.first });
}
export function split(cell: Loaded, o: MassOption & { cycle?: number } = {}): m.SplitRow {
  return m.split(cell.data, massOf(cell, o), o.cycle ?? 1, cell.info.source);
}
export function retention(cell: Loaded, o: MassOption & { skip?: number; window?: number; refCycle?: number } = {}): m.RetentionRow {
  return m.retention(cell.data, massOf(cell, o), o.skip ?? 20, o.window ?? 5, cell.info.source, o.refCycle !== undefined ? { refCycle: o.refCycle } : {});
}
/** Capacity and retention at given cycles, against cycle `refCycle` or the window after `skip`. */
export function retentionAt(cell: Loaded, at: number[], o: MassOption & { skip?: number; window?: number; refCycle?: number } = {}): m.RetentionAtRow[] {
  return m.retentionAt(cell.data, massOf(cell, o), at, o.refCycle !== undefined ? { refCycle: o.refCycle } : { skip: o.skip ?? 20, window: o.window ?? 5 }, cell.info.source);
}

export interface GittOptions extends MassOption {
  areaCm2?: number; diameterMm?: number; molarMass?: number; density?: number; molarVolume?: number; thicknessUm?: number;
  etau?: 'endpoint' | 'sqrt'; regions?: [number, number]; cycle?: number; resolutionMV?: number; first?: First; name?: string;
}

/** GITT diffusion coefficients (eq. 3) from a LAND export. */
export async function gitt(src: Source, o: GittOptions = {}): Promise<{ assumptions: Record<string, unknown>; pulses: PulseRow[]; summary: BranchSummary[]; warnings: string[] }> {
  const s = (x: number | undefined) => (x === undefined ? undefined : String(x));
  const g: GittCliOptions = { molarMass: s(o.molarMass), density: s(o.density), molarVolume: s(o.molarVolume), thickness: s(o.thicknessUm), etau: o.etau, regions: o.regions?.join(','), cycle: o.cycle, resolution: s(o.resolutionMV) };
  const r = await gittCommand(toInput(src, o.name), { first: o.first ?? 'discharge', mass: o.massMg, area: o.areaCm2, diameter: o.diameterMm }, g);
  return r.doc as never;
}
