/**
 * DRT. Truths: an ideal RC element R/(1 + jωτ) has γ = R δ(ln τ − ln τ0), so the DRT of
 * R∞ + two RCs must show two peaks at τ1, τ2 with areas R1, R2 (spectra of the independent
 * generator, src/generate/eis.ts, written as CHI text with 4 significant figures).
 */
import { describe, expect, it } from 'vitest';
import { parseChiText, column } from '../src/readers/chi/chi.js';
import { drt } from '../src/analysis/eis/drt.js';
import type { Spectrum } from '../src/analysis/eis/spectrum.js';
import * as G from '../src/generate/eis.js';

function spectrumOf(text: string): Spectrum {
  const f = parseChiText(text, 'gen.txt');
  return { f: column(f, 'freqHz')!, re: column(f, 'zReOhm')!, im: column(f, 'zImOhm')! };
}
const rc = (r: number, tau: number) => G.parallel(G.R(r), G.Cap(tau / r));

describe('DRT by Tikhonov-regularised NNLS', () => {
  const two = spectrumOf(G.chiEisText(G.series(G.R(10), rc(40, 1e-4), rc(100, 1e-1)), { fHigh: 1e5, fLow: 0.01 }));
  it('ideal two-RC (τ1 = 1e-4 s, τ2 = 1e-1 s): two peaks within 10 % in τ and area, R∞ found', () => {
    for (const part of ['both', 're', 'im'] as const) {
      const d = drt(two, { part });
      expect(d.peaks.length, part).toBe(2);
      const [a, b] = [...d.peaks].sort((x, y) => x.tau_s - y.tau_s);
      expect(Math.abs(a!.tau_s / 1e-4 - 1), part).toBeLessThan(0.1);
      expect(Math.abs(b!.tau_s / 1e-1 - 1), part).toBeLessThan(0.1);
      expect(Math.abs(a!.r_ohm / 40 - 1), part).toBeLessThan(0.1);
      expect(Math.abs(b!.r_ohm / 100 - 1), part).toBeLessThan(0.1);
      expect(a!.f_hz).toBeCloseTo(1 / (2 * Math.PI * a!.tau_s), 10);
      if (part !== 'im') expect(Math.abs(d.r_inf_ohm! / 10 - 1)).toBeLessThan(0.05);
      else expect(d.r_inf_ohm).toBeNull();
      expect(d.lambda_source).toBe('gcv');
      expect(d.assumptions.drt_method).toMatch(/Tikhonov/);
    }
  });
  it('with 0.3 % noise the two peaks survive, within 10 %', () => {
    const s = spectrumOf(G.chiEisText(G.series(G.R(10), rc(40, 1e-4), rc(100, 1e-1)), { noisePct: 0.3, seed: 31 }));
    const d = drt(s);
    const big = d.peaks.filter((p) => p.r_ohm > 5).sort((x, y) => x.tau_s - y.tau_s);
    expect(big.length).toBe(2);
    expect(Math.abs(big[0]!.tau_s / 1e-4 - 1)).toBeLessThan(0.1);
    expect(Math.abs(big[1]!.tau_s / 1e-1 - 1)).toBeLessThan(0.1);
    expect(Math.abs(big[0]!.r_ohm / 40 - 1)).toBeLessThan(0.1);
    expect(Math.abs(big[1]!.r_ohm / 100 - 1)).toBeLessThan(0.1);
  });
  it('time constants between grid points are located by interpolation (within 5 %)', () => {
    const d = drt(spectrumOf(G.chiEisText(G.series(G.R(10), rc(40, 2.2e-4), rc(100, 0.05)))));
    const [a, b] = [...d.peaks].sort((x, y) => x.tau_s - y.tau_s);
    expect(d.peaks.length).toBe(2);
    expect(Math.abs(a!.tau_s / 2.2e-4 - 1)).toBeLessThan(0.05);
    expect(Math.abs(b!.tau_s / 0.05 - 1)).toBeLessThan(0.05);
  });
  it('a single RC shows one peak', () => {
    const d = drt(spectrumOf(G.chiEisText(G.series(G.R(5), rc(50, 1e-3)))));
    expect(d.peaks.length).toBe(1);
    expect(Math.abs(d.peaks[0]!.tau_s / 1e-3 - 1)).toBeLessThan(0.1);
    expect(Math.abs(d.peaks[0]!.r_ohm / 50 - 1)).toBeLessThan(0.1);
    expect(Math.abs(d.r_pol_ohm / 50 - 1)).toBeLessThan(0.1);
  });
  it('a given λ is used and reported; a large λ spreads the peaks but keeps the total resistance', () => {
    const d = drt(two, { lambda: 1e-2 });
    expect(d.lambda).toBe(1e-2);
    expect(d.lambda_source).toBe('given');
    expect(Math.abs(d.r_pol_ohm / 140 - 1)).toBeLessThan(0.1);
  });
});
