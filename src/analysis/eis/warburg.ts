/**
 * D from the Warburg coefficient (docs/science.md): D = R²T² / (2 A² n⁴ F⁴ C² σ²)
 * with R = 8.314462618 J mol⁻¹ K⁻¹, F = 96485.33212 C mol⁻¹, A the electrode area (cm²), C the
 * concentration of the diffusing species (mol cm⁻³), σ in Ω s^-½: D comes out in cm² s⁻¹.
 */
import { UsageError } from '../../errors.js';

export const GAS_R = 8.314462618, FARADAY = 96485.33212;
/** Area of the 12 mm disc (cm²): π (0.6 cm)². */
export const DISC_12MM_CM2 = Math.PI * 0.6 * 0.6;

export interface WarburgDOptions { areaCm2?: number; tempK?: number; concMolCm3: number; n?: number }

export function warburgD(sigmaOhmS05: number, o: WarburgDOptions): { d_cm2_s: number; assumptions: Record<string, unknown> } {
  const A = o.areaCm2 ?? DISC_12MM_CM2, T = o.tempK ?? 298.15, n = o.n ?? 1, C = o.concMolCm3;
  if (!(C > 0)) throw new UsageError('D from the Warburg coefficient needs the concentration (--conc, mol cm⁻³); there is no default');
  if (!(A > 0) || !(T > 0) || !(n > 0)) throw new UsageError('area, temperature and n must be positive');
  if (!(sigmaOhmS05 > 0)) throw new UsageError('the Warburg coefficient must be positive');
  const d = (GAS_R * T) ** 2 / (2 * A * A * n ** 4 * FARADAY ** 4 * C * C * sigmaOhmS05 ** 2);
  return {
    d_cm2_s: d,
    assumptions: { area_cm2: A, area_source: o.areaCm2 === undefined ? 'default: 12 mm disc' : 'given', temp_k: T, temp_source: o.tempK === undefined ? 'default: 298.15 K' : 'given', n, conc_mol_cm3: C, d_formula: 'D = R²T² / (2 A² n⁴ F⁴ C² σ²)' },
  };
}

/**
 * D for each semi-infinite Warburg element (W) of a fit whose σ is determined; none for a
 * circuit without W. SE by propagation: D ∝ σ⁻², so SE(D)/D = 2 SE(σ)/σ.
 */
export function warburgDFromFit(fit: { params: { key: string; value: number | null; se: number | null }[] }, o: WarburgDOptions): { element: string; sigma_ohm_s05: number; d_cm2_s: number; d_se_cm2_s: number | null }[] {
  return fit.params.filter((p) => /^W\d+_sigma_ohm_s05$/.test(p.key) && p.value !== null).map((p) => {
    const d = warburgD(p.value!, o).d_cm2_s;
    return { element: p.key.split('_')[0]!, sigma_ohm_s05: p.value!, d_cm2_s: d, d_se_cm2_s: p.se === null ? null : 2 * d * p.se / p.value! };
  });
}
