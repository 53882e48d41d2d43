// Mutation tests for src/analysis/cv/dunn.ts (issue 20 point 4; docs/mutation/drt-dunn.md).
// CV files are built here: a triangle bottom → top → bottom → … of N points a sweep (consecutive
// sweeps share their vertex point, which carries the current of the sweep it ends), the current of each direction a formula i = k1(E)·v + k2(E)·√v
// with k1, k2 chosen in the test. Dunn's fit must give k1, k2 back exactly (the model holds), and
// the capacitive share ∫|k1·v| dE / ∫|i| dE (docs/science.md) is integrated by hand below.
import { describe, expect, it } from 'vitest';
import { dunn } from '../src/analysis/cv/dunn.js';
import type { TraceFile } from '../src/analysis/cv/pick.js';
import type { Sweep } from '../src/analysis/cv.js';

type Cur = (e: number, v: number) => number;
function trace(name: string, v: number, an: Cur, ca: Cur, o: { top?: number; bottom?: number; n?: number } = {}): TraceFile {
  const top = o.top ?? 1, bottom = o.bottom ?? 0, N = o.n ?? 100;
  const e: number[] = [], i: number[] = [], sweeps: Sweep[] = [];
  for (let s = 1; s <= 4; s++) {
    const dir = s % 2 ? 'anodic' : 'cathodic';
    for (let j = s === 1 ? 0 : 1; j <= N; j++) {
      // the vertices exactly at bottom and top
      const E = j === N ? (dir === 'anodic' ? top : bottom) : dir === 'anodic' ? bottom + (j / N) * (top - bottom) : top - (j / N) * (top - bottom);
      e.push(E);
      i.push((dir === 'anodic' ? an : ca)(E, v));
    }
    sweeps.push({ index: s, direction: dir, start: (s - 1) * N, end: s * N + 1 });
  }
  return { file: name, scan_rate_v_s: v, trace: { e: Float64Array.from(e), i: Float64Array.from(i), sweeps } };
}
const RATES = [1e-4, 4e-4, 9e-4, 16e-4];
const dunnCur = (k1: (e: number) => number, k2: (e: number) => number): Cur => (e, v) => k1(e) * v + k2(e) * Math.sqrt(v);

describe('Dunn on exact two-term currents', () => {
  it('k1 changing sign (k1 = E − 0.3, k2 = 0.05): k1, k2 back at every grid potential; share with |k1·v| integrated by hand', () => {
    const an = dunnCur((e) => e - 0.3, () => 0.05), ca = dunnCur((e) => -(e - 0.3), () => -0.05);
    const r = dunn(RATES.map((v, k) => trace(`f${k}`, v, an, ca)), { gridStepV: 0.01 });
    for (const row of r.grid) {
      const s = row.direction === 'anodic' ? 1 : -1;
      expect(row.k1_a_s_per_v!).toBeCloseTo(s * (row.e_v - 0.3), 9);
      expect(row.k2_a_s05_per_v05!).toBeCloseTo(s * 0.05, 10);
    }
    // grid 0.02 … 0.98 V; ∫|E − 0.3| dE = (0.28² + 0.68²)/2 (exact for the trapezoids: 0.3 is a node);
    // i > 0 everywhere on the anodic sweep (0.05√v > 0.28 v for v ≤ 16e-4), ∫ i dE = v ∫(E − 0.3) dE + 0.96·0.05√v
    const absK1 = (0.28 ** 2 + 0.68 ** 2) / 2, intK1 = (0.68 ** 2 - 0.28 ** 2) / 2;
    for (const sh of r.shares) {
      const v = sh.scan_rate_v_s, qc = v * absK1, qt = v * intK1 + 0.96 * 0.05 * Math.sqrt(v);
      expect(sh.capacitive_share_pct!).toBeCloseTo((100 * qc) / qt, 7);
      expect(sh.q_capacitive_c!).toBeCloseTo(qc / v, 9);
      expect(sh.q_total_c!).toBeCloseTo(qt / v, 9);
    }
    expect(r.warnings).toEqual([]);
  });
});

describe('Dunn: grid potentials a file does not reach; the window warning at exactly 20 mV (no smoothing)', () => {
  const an = dunnCur((e) => 1 + 2 * e, (e) => 0.05 + 0.1 * e), ca = dunnCur((e) => -(3 - e), (e) => -(0.02 + 0.05 * e));
  it('one file stops 5e-13 V short of 1 V: the 1 V grid point has no current there → null row, and no share can be integrated up to it', () => {
    // smoothV 0: the shared window is 0 … 1 − 5e-13 V; the 0.1 V grid keeps 1.0 (within its 1e-12 rounding allowance)
    const files = RATES.map((v, k) => trace(`t${k}`, v, an, ca, { top: k === 2 ? 1 - 5e-13 : 1 }));
    const r = dunn(files, { gridStepV: 0.1, smoothV: 0 });
    for (const dir of ['anodic', 'cathodic'] as const) {
      const g = r.grid.filter((x) => x.direction === dir);
      expect(g.map((x) => x.e_v)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
      expect(g[10]).toEqual({ direction: dir, e_v: 1, k1_a_s_per_v: null, k2_a_s05_per_v05: null, r2: null, points: 0 });
      const s = dir === 'anodic' ? 1 : -1;
      // (not at 0 V: the vertex point closes the previous sweep and carries its current)
      for (const x of g.slice(1, 10)) {
        expect(x.k1_a_s_per_v!).toBeCloseTo(s === 1 ? 1 + 2 * x.e_v : -(3 - x.e_v), 9);
        expect(x.points).toBe(4);
      }
      const sh = r.shares.filter((x) => x.direction === dir);
      expect(sh).toHaveLength(4);
      for (const x of sh) expect(x).toMatchObject({ e_from_v: 0, e_to_v: 1, capacitive_share_pct: null, q_total_c: null, q_capacitive_c: null });
    }
  });
  it('one file starts 5e-13 V above 0 V: the 0 V grid point is the null one', () => {
    const files = RATES.map((v, k) => trace(`b${k}`, v, an, ca, { bottom: k === 1 ? 5e-13 : 0 }));
    const r = dunn(files, { gridStepV: 0.1, smoothV: 0 });
    const g = r.grid.filter((x) => x.direction === 'anodic');
    expect(g[0]).toEqual({ direction: 'anodic', e_v: 0, k1_a_s_per_v: null, k2_a_s05_per_v05: null, r2: null, points: 0 });
    expect(g[1]!.k1_a_s_per_v!).toBeCloseTo(1.2, 9);
    expect(r.shares.every((x) => x.capacitive_share_pct === null && x.q_total_c === null && x.q_capacitive_c === null)).toBe(true);
  });
  it('the same files on a window all of them reach: shares again (the null above comes from the missing point alone)', () => {
    const files = RATES.map((v, k) => trace(`t${k}`, v, an, ca, { top: k === 2 ? 1 - 5e-13 : 1 }));
    const r = dunn(files, { gridStepV: 0.1, smoothV: 0.005 });
    expect(r.shares.every((x) => x.capacitive_share_pct !== null)).toBe(true);
  });
  it('a window exactly 20 mV wider than the shared one is not warned about; 20 mV plus a step is', () => {
    // smoothV 0: shared window 0.02 … 0.98 V (two files); the others reach exactly 20 mV further
    const w = (top: number, bottom: number) => RATES.map((v, k) => trace(`w${k}`, v, an, ca, k < 2 ? { top: 0.98, bottom: 0.02, n: 96 } : { top, bottom, n: 100 }));
    expect(dunn(w(1, 0), { gridStepV: 0.01, smoothV: 0 }).warnings).toEqual([]);
    expect(dunn(w(1.01, 0), { gridStepV: 0.01, smoothV: 0 }).warnings[0]).toBe('the anodic sweeps cover different potential windows; the fit uses 0.020…0.980 V, which all of them share');
    expect(dunn(w(1, -0.01), { gridStepV: 0.01, smoothV: 0 }).warnings[0]).toBe('the anodic sweeps cover different potential windows; the fit uses 0.020…0.980 V, which all of them share');
  });
});

describe('Dunn: a capacitive share above 100 % is out of physical range', () => {
  it('k2 < 0 (i = 2v − 0.01√v): ∫|k1·v| > ∫|i| at every rate → no share, a warning; the measured charge is kept', () => {
    const an = dunnCur(() => 2, () => -0.01), ca = dunnCur(() => -1, () => -0.02);
    const files = RATES.map((v, k) => trace(`n${k}`, v, an, ca));
    const r = dunn(files, { gridStepV: 0.01 });
    const row = r.grid.find((x) => x.direction === 'anodic' && x.e_v === 0.5)!;
    expect(row.k1_a_s_per_v!).toBeCloseTo(2, 9);
    expect(row.k2_a_s05_per_v05!).toBeCloseTo(-0.01, 10);
    for (const sh of r.shares.filter((x) => x.direction === 'anodic')) {
      const v = sh.scan_rate_v_s;
      expect(sh.capacitive_share_pct).toBeNull();
      expect(sh.q_capacitive_c).toBeNull();
      expect(sh.q_total_c!).toBeCloseTo((0.96 * (2 * v - 0.01 * Math.sqrt(v))) / v, 9); // i > 0: ∫|i| = 0.96 V · i
    }
    // cathodic: both terms negative, share = v/(v + 0.02√v) · 100
    for (const sh of r.shares.filter((x) => x.direction === 'cathodic')) {
      const v = sh.scan_rate_v_s;
      expect(sh.capacitive_share_pct!).toBeCloseTo((100 * v) / (v + 0.02 * Math.sqrt(v)), 7);
    }
    expect(r.warnings).toEqual(['anodic sweeps of n0, n1, n2, n3: the capacitive charge fitted (∫|k1·v| dV) exceeds the charge measured (∫|i| dV), as when k2 has the opposite sign to k1 over part of the window or the fit is poor: the split into capacitive and diffusive charge is not defined for these sweeps, so their capacitive share is null']);
  });
  it('over 100 % at the fastest rate only: that share null, the others kept and said to rest on the same k1(V)', () => {
    // k1 = 1; k2 = +0.01 below 0.5 V, −0.06 from 0.5 V. Mean |i| over the window ≈ ½(v + 0.01√v) + ½|v − 0.06√v|:
    // √v = 0.01, 0.02, 0.03: 3e-4, 6e-4, 10.5e-4 against k1·v = 1e-4, 4e-4, 9e-4 (33, 67, 86 %);
    // √v = 0.04: ½(20e-4 + 8e-4) = 14e-4 < 16e-4 (114 %): out of range
    const an = dunnCur(() => 1, (e) => (e < 0.5 ? 0.01 : -0.06)), ca = dunnCur(() => -1, () => -0.02);
    const r = dunn(RATES.map((v, k) => trace(`m${k}`, v, an, ca)), { gridStepV: 0.01 });
    const shares = r.shares.filter((x) => x.direction === 'anodic').map((x) => x.capacitive_share_pct);
    expect(shares[3]).toBeNull();
    expect(shares.slice(0, 3).every((x) => x !== null && x > 20 && x < 95)).toBe(true);
    expect(r.warnings).toEqual([expect.stringMatching(/^anodic sweeps of m3: the capacitive charge fitted .*so their capacitive share is null; the shares of the other anodic sweeps rest on the same k1\(V\): read them with care$/)]);
  });
  it('a purely capacitive current (k2 = 0): 100 %, not refused for rounding', () => {
    const an = dunnCur((e) => 1 + e, () => 0), ca = dunnCur((e) => -(1 + e), () => 0);
    const r = dunn(RATES.map((v, k) => trace(`c${k}`, v, an, ca)), { gridStepV: 0.01 });
    for (const sh of r.shares) expect(sh.capacitive_share_pct!).toBeCloseTo(100, 9);
    expect(r.warnings).toEqual([]);
  });
});
