/**
 * Which current sign convention a CHI file was written in.
 * Order: the caller's explicit choice; the file's Results block (the sign of each ip against
 * the direction of its segment: CHI reports peaks in the sweep direction); the orientation of
 * the voltammogram loop (the capacitive current follows the sweep, so ∮ i dE > 0 for
 * anodic-positive data); otherwise the IUPAC default, with a warning.
 */
import type { Sweep } from '../cv.js';
import type { ChiResult } from '../../readers/chi/chi.js';

export type CurrentSign = 'anodic-positive' | 'cathodic-positive';
export type SignSource = 'option' | 'results' | 'loop orientation' | 'default';

export interface SignDecision {
  current_sign: CurrentSign;
  current_sign_source: SignSource;
  /** ∮ i dE over the overlapping part of consecutive sweep pairs / ∫|i||dE| (signed as read); null without a loop. */
  loop_ratio: number | null;
  /** Sign the Results block implies (null when it has no usable peak). */
  results_sign: CurrentSign | null;
  results_peaks: number;
  warnings: string[];
}

/** Below this |loop_ratio| the loop is too flat to tell the convention. */
export const FLAT_LOOP = 0.02;

/**
 * Signed loop integral over consecutive sweep pairs, restricted to the potential range both
 * sweeps cover (a partial first sweep does not count), normalised by ∫|i||dE| over that range.
 */
export function loopRatio(e: Float64Array, i: Float64Array, sweeps: Sweep[]): number | null {
  let num = 0, den = 0, pairs = 0;
  for (let p = 0; p + 1 < sweeps.length; p += 2) {
    const a = sweeps[p]!, b = sweeps[p + 1]!;
    const range = (s: Sweep) => { let lo = Infinity, hi = -Infinity; for (let k = s.start; k < s.end; k++) { lo = Math.min(lo, e[k]!); hi = Math.max(hi, e[k]!); } return [lo, hi] as const; };
    const [la, ha] = range(a), [lb, hb] = range(b);
    const lo = Math.max(la, lb), hi = Math.min(ha, hb);
    if (!(hi > lo)) continue;
    pairs++;
    for (const s of [a, b]) {
      for (let k = s.start + 1; k < s.end; k++) {
        const e0 = e[k - 1]!, e1 = e[k]!;
        const mid = (e0 + e1) / 2;
        if (mid < lo || mid > hi) continue;
        const im = (i[k - 1]! + i[k]!) / 2;
        num += im * (e1 - e0);
        den += Math.abs(im) * Math.abs(e1 - e0);
      }
    }
  }
  return pairs && den > 0 ? num / den : null;
}

export interface ResultsContext {
  results: ChiResult[];
  /** Results block of the chosen channel: null for channel 1, 'Current 2' for channel 2. */
  block: string | null;
  /** `Init P/N` (P/N) for CV; null when absent. */
  initPN: string | null;
  /** LSV/DPV: +1 when Final E > Init E, −1 when lower, null when unknown or CV. */
  singleSweepDir: number | null;
  /** Sweeps as split from the data (used when Init P/N is missing). */
  sweeps: Sweep[];
}

/** Votes of the Results block: +1 per peak consistent with anodic-positive, −1 with cathodic-positive. */
export function resultsVotes(ctx: ResultsContext): { votes: number; peaks: number } {
  let votes = 0, peaks = 0;
  const rs = ctx.results.filter((r) => (ctx.block === null ? r.block === null : r.block === ctx.block));
  for (const r of rs) {
    if (r.name !== 'ip' || !(r.value !== 0)) continue;
    let dir: number | null = null;
    if (r.segment !== null) {
      if (ctx.initPN === 'P' || ctx.initPN === 'N') dir = (r.segment % 2 === 1) === (ctx.initPN === 'P') ? 1 : -1;
      else { const s = ctx.sweeps[r.segment - 1]; dir = s ? (s.direction === 'anodic' ? 1 : -1) : null; }
    } else dir = ctx.singleSweepDir;
    if (dir === null) continue;
    peaks++;
    votes += Math.sign(r.value) * dir;
  }
  return { votes, peaks };
}

export function decideSign(e: Float64Array, iAsRead: Float64Array, sweeps: Sweep[], ctx: ResultsContext, explicit?: CurrentSign): SignDecision {
  const warnings: string[] = [];
  const ratio = loopRatio(e, iAsRead, sweeps);
  const { votes, peaks } = resultsVotes(ctx);
  const resultsSign: CurrentSign | null = peaks && votes !== 0 ? (votes > 0 ? 'anodic-positive' : 'cathodic-positive') : null;
  if (peaks && votes !== 0 && Math.abs(votes) < peaks) warnings.push(`the file's Results block is inconsistent: ${(peaks + Math.abs(votes)) / 2} of ${peaks} peak currents imply ${resultsSign}, the others the opposite`);
  if (peaks && votes === 0) warnings.push(`the file's Results block is inconsistent (${peaks} peaks, half each way): it does not settle the current sign`);
  const loopSign: CurrentSign | null = ratio === null || Math.abs(ratio) < FLAT_LOOP ? null : ratio > 0 ? 'anodic-positive' : 'cathodic-positive';
  const loopText = ratio === null ? null : `∮ i dE / ∫|i| |dE| = ${ratio.toFixed(3)}`;
  let sign: CurrentSign, source: SignSource;
  if (explicit) { sign = explicit; source = 'option'; }
  else if (resultsSign) { sign = resultsSign; source = 'results'; }
  else if (loopSign) { sign = loopSign; source = 'loop orientation'; }
  else { sign = 'anodic-positive'; source = 'default'; }
  if (ratio !== null && loopSign === null && source !== 'option') warnings.push(`the voltammogram loop is too flat to tell the current sign (${loopText}, |·| < ${FLAT_LOOP})${source === 'default' ? '; currents read as anodic-positive (IUPAC): check, or give the sign explicitly' : ''}`);
  if (ratio === null && source === 'default') warnings.push('the current sign cannot be told from this file (no Results peaks, no closed loop); currents read as anodic-positive (IUPAC): check, or give the sign explicitly');
  if (loopSign && resultsSign && loopSign !== resultsSign) warnings.push(`the file's Results block implies ${resultsSign} but the loop orientation (${loopText}) implies ${loopSign}; ${source === 'option' ? 'the explicit sign is used' : 'the Results block is used'}`);
  if (source === 'option') {
    const other = resultsSign ?? loopSign;
    if (other && other !== sign) warnings.push(`the given current sign (${sign}) contradicts the file's ${resultsSign ? 'Results block' : 'loop orientation'}, which implies ${other}`);
  }
  return { current_sign: sign, current_sign_source: source, loop_ratio: ratio, results_sign: resultsSign, results_peaks: peaks, warnings };
}
