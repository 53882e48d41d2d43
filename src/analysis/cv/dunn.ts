/**
 * Dunn's method: at each potential of a grid, for each sweep direction of one cycle, fit
 * i(V) = k1·v + k2·v^½ over the scan rates, by least squares on i/v^½ = k1·v^½ + k2. The
 * capacitive share at rate v is ∫|k1·v| dV / ∫|i| dV over the sweep (the grid range).
 * Currents are smoothed over potential first (Savitzky–Golay ±smoothV); as the model is linear
 * in i, this is the same as fitting k1(V) and k2(V) smoothed the same way.
 */
import { DataError } from '../../errors.js';
import { grid, interpAt } from './util.js';
import { pickSweep, sweepRange, type TraceFile } from './pick.js';
import { smoothedSweep } from './bvalue.js';

export interface DunnRow { direction: 'anodic' | 'cathodic'; e_v: number; k1_a_s_per_v: number | null; k2_a_s05_per_v05: number | null; r2: number | null; points: number }
export interface DunnShareRow { file: string; scan_rate_v_s: number; direction: 'anodic' | 'cathodic'; cycle: number; e_from_v: number | null; e_to_v: number | null; capacitive_share_pct: number | null; q_total_c: number | null; q_capacitive_c: number | null }
export interface DunnResult { grid: DunnRow[]; shares: DunnShareRow[]; assumptions: Record<string, unknown>; warnings: string[] }
export interface DunnOptions { cycle?: number; gridStepV?: number; smoothV?: number }

export function dunn(files: TraceFile[], o: DunnOptions = {}): DunnResult {
  const cycle = o.cycle ?? 2, step = o.gridStepV ?? 0.005, smoothV = o.smoothV ?? 0.01;
  const usable = files.filter((f) => f.scan_rate_v_s !== null && f.scan_rate_v_s > 0);
  const nRates = new Set(usable.map((f) => f.scan_rate_v_s)).size;
  if (nRates < 3) throw new DataError(`Dunn's method needs CVs of one cell at three or more different scan rates (found ${nRates}${usable.length < files.length ? `; ${files.length - usable.length} file(s) without a Scan Rate` : ''})`, {});
  const warnings: string[] = [];
  const gridRows: DunnRow[] = [];
  const shares: DunnShareRow[] = [];
  const fellBack = new Set<string>();
  for (const dir of ['anodic', 'cathodic'] as const) {
    const curves = usable.map((f) => { const p = pickSweep(f, cycle, dir); if (p.sweep && p.cycle !== cycle) fellBack.add(`${f.file} (cycle ${p.cycle})`); return { f, s: p.sweep, cyc: p.cycle }; })
      .filter((c) => c.s) as { f: TraceFile; s: NonNullable<ReturnType<typeof pickSweep>['sweep']>; cyc: number }[];
    if (new Set(curves.map((c) => c.f.scan_rate_v_s)).size < 3) { warnings.push(`no ${dir} sweep at three or more scan rates: no Dunn fit for that direction`); continue; }
    const ranges = curves.map((c) => sweepRange(c.f.trace.e, c.s));
    const lo = Math.max(...ranges.map((r) => r[0])) + 2 * smoothV, hi = Math.min(...ranges.map((r) => r[1])) - 2 * smoothV;
    if (ranges.some((r) => r[0] < lo - 2 * smoothV - 0.02 || r[1] > hi + 2 * smoothV + 0.02)) warnings.push(`the ${dir} sweeps cover different potential windows; the fit uses ${lo.toFixed(3)}…${hi.toFixed(3)} V, which all of them share`);
    const sm = curves.map((c) => smoothedSweep(c.f, c.s, smoothV));
    const rates = curves.map((c) => c.f.scan_rate_v_s!);
    const sq = rates.map(Math.sqrt);
    const es = grid(lo, hi, step);
    const cur: (number | null)[][] = curves.map(() => []);
    const k1s: (number | null)[] = [];
    for (const v of es) {
      const ii = sm.map((s) => interpAt(s.x, s.y, 0, s.x.length, v));
      ii.forEach((x, k) => cur[k]!.push(x));
      if (ii.some((x) => x === null)) { gridRows.push({ direction: dir, e_v: v, k1_a_s_per_v: null, k2_a_s05_per_v05: null, r2: null, points: 0 }); k1s.push(null); continue; }
      // i/√v = k1 √v + k2
      const z = ii.map((x, k) => x! / sq[k]!);
      const n = z.length;
      const mx = sq.reduce((s, x) => s + x, 0) / n, mz = z.reduce((s, x) => s + x, 0) / n;
      let sxx = 0, sxz = 0;
      for (let k = 0; k < n; k++) { sxx += (sq[k]! - mx) ** 2; sxz += (sq[k]! - mx) * (z[k]! - mz); }
      const k1 = sxz / sxx, k2 = mz - k1 * mx;
      const mi = ii.reduce<number>((s, x) => s + x!, 0) / n;
      let sse = 0, sst = 0;
      for (let k = 0; k < n; k++) { sse += (ii[k]! - k1 * rates[k]! - k2 * sq[k]!) ** 2; sst += (ii[k]! - mi) ** 2; }
      gridRows.push({ direction: dir, e_v: v, k1_a_s_per_v: k1, k2_a_s05_per_v05: k2, r2: sst > 0 ? 1 - sse / sst : null, points: n });
      k1s.push(k1);
    }
    const over: string[] = [];
    curves.forEach((c, k) => {
      let qt = 0, qc = 0, ok = true;
      for (let g = 1; g < es.length; g++) {
        const a = cur[k]![g - 1], b = cur[k]![g], ka = k1s[g - 1], kb = k1s[g];
        if (a == null || b == null || ka == null || kb == null) { ok = false; break; }
        const dv = es[g]! - es[g - 1]!;
        qt += ((Math.abs(a) + Math.abs(b)) / 2) * dv;
        qc += ((Math.abs(ka) + Math.abs(kb)) / 2) * rates[k]! * dv;
      }
      const good = ok && qt > 0 && es.length > 1;
      // a share above 100 % is out of physical range (k1 and k2 of opposite signs): null, said once
      const capOk = good && qc <= qt * (1 + 1e-9);
      if (good && !capOk) over.push(c.f.file);
      shares.push({ file: c.f.file, scan_rate_v_s: rates[k]!, direction: dir, cycle: c.cyc, e_from_v: es[0] ?? null, e_to_v: es[es.length - 1] ?? null, capacitive_share_pct: capOk ? (100 * qc) / qt : null, q_total_c: good ? qt / rates[k]! : null, q_capacitive_c: capOk ? qc / rates[k]! : null });
    });
    if (over.length) warnings.push(`${dir} sweeps of ${over.join(', ')}: the capacitive charge fitted (∫|k1·v| dV) exceeds the charge measured (∫|i| dV), as when k2 has the opposite sign to k1 over part of the window or the fit is poor: the split into capacitive and diffusive charge is not defined for these sweeps, so their capacitive share is null${over.length < curves.length ? `; the shares of the other ${dir} sweeps rest on the same k1(V): read them with care` : ''}`);
  }
  if (fellBack.size) warnings.push(`cycle ${cycle} is missing in ${[...fellBack].join(', ')}: the last cycle there is used`);
  return {
    grid: gridRows, shares, warnings,
    assumptions: {
      model: 'i(V) = k1·v + k2·v^½ at each potential (Dunn): a surface-controlled (capacitive) term proportional to v plus a diffusion-controlled term proportional to v^½; nothing else (no IR drop, no peak shift with rate, no other kinetics)',
      fit: 'least squares of i/v^½ = k1·v^½ + k2 over the scan rates at each potential', r2: 'of the fitted i against the measured i at that potential',
      smoothing: `currents smoothed over potential (Savitzky–Golay, quadratic, ±${smoothV * 1000} mV) before the fit (the model is linear in i, so this equals smoothing k1(V) and k2(V) the same way); the grid stops ${2 * smoothV * 1000} mV short of the vertices`,
      grid_step_v: step, cycle, capacitive_share: '∫|k1·v| dV / ∫|i| dV over the grid (e_from_v…e_to_v: the range all files share, less twice the smoothing half-window at each vertex), per sweep direction; i is the measured (smoothed) current',
      charges: 'q = ∫|i| dV / v (C) over that range',
    },
  };
}
