/** An impedance spectrum and the small helpers every EIS module shares (Bode data, cropping). */
export interface Spectrum { f: Float64Array; re: Float64Array; im: Float64Array }

export interface BodeRow { freq_hz: number; z_mod_ohm: number; phase_deg: number }

/** Bode data: |Z| and phase = atan2(Z″, Z′) in degrees (negative for capacitive points). */
export function bode(s: Spectrum): BodeRow[] {
  return Array.from(s.f, (f, k) => ({ freq_hz: f, z_mod_ohm: Math.hypot(s.re[k]!, s.im[k]!), phase_deg: Math.atan2(s.im[k]!, s.re[k]!) * 180 / Math.PI }));
}

/** The points with the given indices, in that order. */
export function subset(s: Spectrum, idx: number[]): Spectrum {
  return { f: Float64Array.from(idx, (k) => s.f[k]!), re: Float64Array.from(idx, (k) => s.re[k]!), im: Float64Array.from(idx, (k) => s.im[k]!) };
}

/** Indices from the highest to the lowest frequency. */
export function highToLow(s: Spectrum): number[] {
  return Array.from(s.f.keys()).sort((a, b) => s.f[b]! - s.f[a]!);
}

/**
 * Inductive high-frequency points: Z″ > 0 among the highest-frequency third of the spectrum
 * (above the first capacitive arc). Z″ > 0 elsewhere is not called inductive. Where Z″ is near
 * zero, noise alone can give such points; `clearlyInductive` tells the two apart.
 */
export function inductivePoints(s: Spectrum): number[] {
  const order = highToLow(s);
  const top = order.slice(0, Math.max(1, Math.ceil(order.length / 3)));
  return top.filter((k) => s.im[k]! > 0).sort((a, b) => a - b);
}

/** True when an inductive point has Z″ above 1 % of |Z| (more than noise about zero). */
export function clearlyInductive(s: Spectrum): boolean {
  return inductivePoints(s).some((k) => s.im[k]! > 0.01 * Math.hypot(s.re[k]!, s.im[k]!));
}
