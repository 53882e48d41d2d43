/**
 * Sanity checks that catch the usual mix-ups (science: an anode starts with discharge; a loading in
 * mg cm⁻² is not a mass in mg; no carbon stores 2000 mAh g⁻¹). Pure: each returns a warning text,
 * or null when nothing looks wrong. Warnings, not errors: the numbers are still printed.
 */
import type { First } from './cycling.js';

/**
 * Cycle-1 efficiency (ICE, or CE of cycle 1) above 100 %: the second branch passed more charge
 * than the first, which a first cycle (SEI, trapping) almost never does — usually the wrong --first.
 */
export function firstCycleEfficiencyWarning(effPct: number | null, first: First, what: 'ICE' | 'CE' = 'ICE'): string | null {
  if (effPct === null || !(effPct > 100)) return null;
  const second = first === 'discharge' ? 'charge' : 'discharge';
  return `cycle 1: ${what} ${effPct.toFixed(1)} % is above 100 % (the ${second} passed more charge than the ${first} before it), so the irreversible capacity is negative; is --first right? (an anode half cell starts with discharge: --first discharge; a cathode with charge: --first charge)`;
}

/**
 * Cycles whose efficiency is 0 %: the second branch passed no charge (a branch of a single record,
 * as when a run or a cut file ends just as that branch begins, or a capacity column that stays at
 * 0). The 0 % is what the file says, but not a measured efficiency: said, with the cycles.
 */
export function noSecondBranchWarning(rows: { cycle: number; ce_pct: number | null }[], first: First, what: 'ICE' | 'CE' = 'CE'): string | null {
  const zero = rows.filter((r) => r.ce_pct !== null && r.ce_pct <= 0).map((r) => r.cycle);
  if (!zero.length) return null;
  const second = first === 'discharge' ? 'charge' : 'discharge';
  const which = zero.length === 1 ? `cycle ${zero[0]}` : `cycles ${cycleList(zero)}`;
  const value = what === 'ICE' && zero[0] === 1 ? (zero.length === 1 ? 'the ICE is' : 'the ICE and CE are') : zero.length === 1 ? 'its CE is' : 'their CE is';
  return `${which}: the ${second} branch holds no capacity (a single record, or a capacity column that stays at 0: does the run or the file end as the ${second} begins?), so ${value} 0 %, not a measured efficiency`;
}

/**
 * Cycles after the first whose CE is above 100 %: the second branch passed more charge than the
 * first. Slightly above is within a cycler's accuracy; well above, a branch was cut short (rows
 * missing) or the first branch is the wrong one. One warning for all of them, with the largest.
 */
export function laterEfficiencyWarning(rows: { cycle: number; ce_pct: number | null }[], first: First): string | null {
  const over = rows.filter((r) => r.cycle > 1 && r.ce_pct !== null && r.ce_pct > 100);
  if (!over.length) return null;
  const top = over.reduce((a, b) => (b.ce_pct! > a.ce_pct! ? b : a));
  const cycles = over.map((r) => r.cycle);
  const second = first === 'discharge' ? 'charge' : 'discharge';
  const head = over.length === 1
    ? `cycle ${top.cycle}: CE ${top.ce_pct!.toFixed(2)} % is above 100 %`
    : `${over.length} cycles after the first have a CE above 100 % (${cycleList(cycles)}; up to ${top.ce_pct!.toFixed(2)} % in cycle ${top.cycle})`;
  return `${head}: the ${second} passed more charge than the ${first} before it; slightly above 100 % is within a cycler's accuracy, well above it a branch was cut short (rows missing?) or --first is wrong`;
}

/** Two masses agree within this share for the loading mix-up check. */
export const MASS_MATCH = 0.02;

/**
 * A mass given (mg) that equals the file's own mass × or ÷ the electrode area (cm²) within 2 %:
 * one of them is probably a loading in mg cm⁻². Null when the masses agree or no file mass is known.
 */
export function loadingMixupWarning(givenMassMg: number, statedMassMg: number | null, areaCm2: number): string | null {
  if (statedMassMg === null || !(statedMassMg > 0) || !(givenMassMg > 0) || !(areaCm2 > 0)) return null;
  const near = (a: number, b: number) => Math.abs(a - b) / b <= MASS_MATCH;
  if (near(givenMassMg, statedMassMg)) return null;
  const p = (x: number) => String(Number(x.toPrecision(4)));
  const a = p(areaCm2), g = p(givenMassMg), s = p(statedMassMg);
  if (near(givenMassMg, statedMassMg / areaCm2)) {
    return `the mass given (${g} mg) equals the file's mass (${s} mg) ÷ the electrode area (${a} cm²): is ${g} a loading in mg cm⁻²? did you mean --loading ${g}?`;
  }
  if (near(givenMassMg, statedMassMg * areaCm2)) {
    return `the mass given (${g} mg) equals the file's mass (${s} mg) × the electrode area (${a} cm²): the mass entered on the cycler looks like a loading in mg cm⁻²; if ${g} mg is right, nothing to do (did you mean --loading ${s}?)`;
  }
  return null;
}

/** Largest specific capacity plausible for a material, mAh g⁻¹ (carbon: well above graphite's 372 and hard carbon's ~400). */
export const MAX_PLAUSIBLE_MAH_G: Record<string, number> = { carbon: 2000 };

/**
 * The largest specific capacity of the rows above what the material can store: a hint that the
 * mass is off (g given as mg, a loading, a wrong --masses line). Null when all is plausible or the
 * material has no limit here.
 */
export function capacityHint(rows: { cycle: number; q_dis_mAh_g: number | null; q_ch_mAh_g: number | null }[], material = 'carbon'): string | null {
  const limit = MAX_PLAUSIBLE_MAH_G[material];
  if (limit === undefined) return null;
  let worst: { q: number; cycle: number; branch: string } | null = null;
  for (const r of rows) {
    for (const [q, branch] of [[r.q_dis_mAh_g, 'discharge'], [r.q_ch_mAh_g, 'charge']] as const) {
      if (q !== null && q > limit && (!worst || q > worst.q)) worst = { q, cycle: r.cycle, branch };
    }
  }
  if (!worst) return null;
  return `hint: the specific capacity reaches ${worst.q.toPrecision(4)} mAh/g (cycle ${worst.cycle} ${worst.branch}), above ${limit} mAh/g, more than a ${material} stores; check the mass (mg, not a loading or µg?)`;
}

/** Cycle numbers for a message: all of them up to six, else the first five and an ellipsis. */
function cycleList(cycles: number[]): string {
  return cycles.length > 6 ? cycles.slice(0, 5).join(', ') + ', …' : cycles.join(', ');
}
