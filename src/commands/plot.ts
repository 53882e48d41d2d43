/** `hcarb plot KIND FILE… --out FIG.svg|png|pdf`: publication-ready figures from the same numbers the commands print. */
import type { Input } from '../io.js';
import { DataError, UsageError } from '../errors.js';
import { resolveMass } from '../analysis/metrics.js';
import { analyseCvFile, type CurrentSign } from '../analysis/cv/index.js';
import { loadChi } from '../load.js';
import { cyclePoints, dqdvCommand } from './dqdv.js';
import { cyclesCommand } from './cycling-run.js';
import { gittCommand, parseRegions, type GittCliOptions } from './gitt.js';
import { eisRun } from './eis.js';
import { givenMass, positive, type CommonOptions } from './common.js';
import { sampleName } from './summary.js';
import { bodeFigure, capacitiveFigure, cvFigure, cyclingFigure, dqdvFigure, drtFigure, dunnFigure, gittFigure, nyquistFigure, profileFigure, rateFigure, type BodeFile, type Branch, type CvFile, type CyclingFile, type DqdvFile, type DrtFile, type DunnSweep, type FigOptions, type GittFile, type NyquistFile, type ProfileFile, type RateFile } from '../plot/kinds.js';
import { cycleRows } from '../analysis/metrics.js';
import { RATE_FORMATION_CYCLES, RATE_TOLERANCE_PCT, rateSteps } from '../analysis/rate.js';
import { dunn } from '../analysis/cv/index.js';
import { pickSweep } from '../analysis/cv/pick.js';
import { runCycling } from './cycling-run.js';
import { renderFigure, thin, type FigureFormat } from '../plot/render.js';
import type { Figure } from '../plot/style.js';
import { BATCH_KINDS, type PlotKind } from '../plot/plot-kinds.js';

export interface PlotOptions {
  cycles?: string; cycle?: number; title?: string; model?: string; step?: number; smooth?: number; split?: number;
  gitt?: GittCliOptions; currentSign?: string; cvMass?: string;
  /** rate: nominal capacity for C-rate labels, step tolerance (%), formation cycles. */
  nominal?: number; tolerance?: number; formation?: number;
  /** dunn: the scan rate to draw (V s⁻¹; default the slowest). */
  scanRate?: number;
  /** Legend names, one per file (default: the file stems). */
  labels?: string[];
  xlim?: [number, number]; ylim?: [number, number]; ref?: string; size?: 'single' | 'double';
  format?: FigureFormat; dpi?: number;
}

export function parseCycles(v: string | undefined, dflt: number[] | null = [1, 2]): number[] | null {
  if (v === undefined) return dflt;
  const xs = v.split(',').map((s) => Number(s.trim()));
  if (!xs.length || xs.some((x) => !Number.isInteger(x) || x < 1)) throw new UsageError(`--cycles takes cycle numbers separated by commas (e.g. 1,2,50), not '${v}'`);
  return xs;
}

type CyclingRowBoth = CyclingFile['rows'][number] & { qDisMAh: number | null; qChMAh: number | null };
type KindData = { kind: 'profile'; file: ProfileFile; massMg: number | null } | { kind: 'cycling'; file: CyclingFile & { rows: CyclingRowBoth[] }; massMg: number | null } | { kind: 'dqdv'; file: DqdvFile; yTitle: string }
  | { kind: 'gitt'; file: GittFile } | { kind: 'cv'; file: CvFile; perGram: boolean } | { kind: 'nyquist'; file: NyquistFile }
  | { kind: 'rate'; file: RateFile; massMg: number | null; stepUnit: string } | { kind: 'bode'; file: BodeFile } | { kind: 'drt'; file: DrtFile }
  | { kind: 'dunn' | 'capacitive'; file: { label: string } };

/** "30", "0.1C": a rate step's label. */
function stepText(iMAg: number | null, iMA: number | null, cRate: number | null, nominal: boolean): string {
  const n = (x: number): string => String(Number(x.toPrecision(3)));
  if (nominal && cRate !== null) return `${Number(cRate.toPrecision(2))}C`;
  return iMAg !== null ? n(iMAg) : iMA !== null ? n(iMA) : '?';
}

/** One file's contribution to a figure. */
async function series(kind: PlotKind, input: Input, label: string, c: CommonOptions, o: PlotOptions): Promise<{ d: KindData; warnings: string[] }> {
  switch (kind) {
    case 'profile': {
      const cycles = parseCycles(o.cycles)!;
      const given = givenMass(c, input.name);
      const { loaded, branches } = await cyclePoints(input, c, new Set(cycles));
      const warnings: string[] = [];
      const mass = resolveMass(given, loaded.data, warnings);
      const curves = branches.map((b) => {
        const idx = thin(b.v.map((_, k) => k), 1500);
        return { cycle: b.cycle, branch: (b.dir === 'D' ? 'discharge' : 'charge') as Branch, q: idx.map((k) => b.q[k]!), v: idx.map((k) => b.v[k]!) };
      });
      const missing = cycles.filter((n) => !branches.some((b) => b.cycle === n));
      if (missing.length) warnings.push(`no cycle ${missing.join(', ')} in the file`);
      return { d: { kind, file: { label, curves }, massMg: mass.massMg }, warnings };
    }
    case 'cycling': {
      const r = await cyclesCommand(input, c);
      const massMg = (r.rows[0]?.mass_mg as number | null | undefined) ?? null;
      const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
      const rows = r.rows.map((row) => ({ cycle: row.cycle as number, qDis: num(row.q_dis_mAh_g), qCh: num(row.q_ch_mAh_g), qDisMAh: num(row.q_dis_mAh), qChMAh: num(row.q_ch_mAh), ce: num(row.ce_pct) }));
      return { d: { kind, file: { label, rows }, massMg }, warnings: r.warnings };
    }
    case 'rate': {
      const run = await runCycling(input, c);
      const { data } = run.loaded;
      const nominal = o.nominal ?? null;
      const rows = cycleRows(data, run.mass, { nominalMAhG: nominal });
      const r = rateSteps(rows, { tolerancePct: o.tolerance ?? RATE_TOLERANCE_PCT, formationCycles: o.formation ?? RATE_FORMATION_CYCLES, first: data.first, nominalMAhG: nominal });
      const warnings = [...run.warnings, ...r.warnings];
      if (!r.steps.length) warnings.push(`no rate step: the file has ${rows.length} cycle(s), ${o.formation ?? RATE_FORMATION_CYCLES} of them formation (--formation)`);
      const m = run.mass.massMg !== null;
      if (nominal !== null && !m) warnings.push('--nominal needs an active mass for the C-rate: the steps are labelled in mA');
      const steps = r.steps.map((s) => ({ first: s.first_cycle, last: s.last_cycle, text: stepText(s.i_mA_g, s.i_mA, s.c_rate, nominal !== null) }));
      const stepUnit = nominal !== null && m ? `C-rate (nominal ${nominal} mAh g⁻¹)` : m ? 'mA g⁻¹' : 'mA';
      const file: RateFile = { label, steps, rows: rows.map((x) => ({ cycle: x.cycle, qDis: m ? x.q_dis_mAh_g : x.q_dis_mAh, qCh: m ? x.q_ch_mAh_g : x.q_ch_mAh })) };
      return { d: { kind, file, massMg: run.mass.massMg, stepUnit }, warnings };
    }
    case 'bode': {
      const r = await eisRun(input, { model: o.model });
      const ny = r.doc.nyquist as { freq_hz: number; z_mod_ohm: number; phase_deg: number; fit_z_mod_ohm: number | null; fit_phase_deg: number | null }[];
      const fitted = ny.filter((p) => p.fit_z_mod_ohm !== null && p.fit_phase_deg !== null).sort((a, b) => a.freq_hz - b.freq_hz);
      const file: BodeFile = { label, model: r.doc.model as string, freqHz: ny.map((p) => p.freq_hz), modOhm: ny.map((p) => p.z_mod_ohm), phaseDeg: ny.map((p) => p.phase_deg),
        fitFreqHz: fitted.map((p) => p.freq_hz), fitModOhm: fitted.map((p) => p.fit_z_mod_ohm!), fitPhaseDeg: fitted.map((p) => p.fit_phase_deg!) };
      return { d: { kind, file }, warnings: r.warnings };
    }
    case 'drt': {
      const r = await eisRun(input, { drt: true });
      const d = r.doc.drt as { peaks: { tau_s: number; r_ohm: number }[]; gamma: { tau_s: number; gamma_ohm: number }[] };
      const file: DrtFile = { label, tauS: d.gamma.map((g) => g.tau_s), gammaOhm: d.gamma.map((g) => g.gamma_ohm), peaks: d.peaks.map((p) => ({ tauS: p.tau_s, rOhm: p.r_ohm })) };
      // the circuit fit eisRun also makes is not drawn here: only the DRT's own warnings
      return { d: { kind, file }, warnings: r.warnings.filter((w) => /DRT/.test(w)) };
    }
    case 'dunn': case 'capacitive': throw new Error('batch kind');
    case 'dqdv': {
      const many = parseCycles(o.cycles, null);
      if (many && o.cycle !== undefined) throw new UsageError('give --cycle or --cycles, not both');
      const r = await dqdvCommand(input, c, { cycles: many ?? [o.cycle ?? 1], step: o.step, smoothing: o.smooth && o.smooth > 1 ? { kind: 'moving', points: o.smooth } : undefined });
      const key = r.rows.length && 'dqdv_mAh_g_V' in r.rows[0]! ? 'dqdv_mAh_g_V' : 'dqdv_mAh_V';
      const curves = new Map<string, DqdvFile['curves'][number]>();
      for (const row of r.rows) {
        const k = `${row.cycle as number} ${row.branch as string}`;
        let cur = curves.get(k);
        if (!cur) curves.set(k, (cur = { cycle: row.cycle as number, branch: row.branch as Branch, v: [], dqdv: [] }));
        cur.v.push(row.v as number); cur.dqdv.push(row[key] as number);
      }
      return { d: { kind, file: { label, curves: [...curves.values()] }, yTitle: key === 'dqdv_mAh_g_V' ? 'dQ/dV (mAh g⁻¹ V⁻¹)' : 'dQ/dV (mAh V⁻¹)' }, warnings: r.warnings };
    }
    case 'gitt': {
      const r = await gittCommand(input, c, o.gitt ?? {});
      const points = r.rows.filter((p) => p.log10_d != null && !(p.flags as string[]).some((f) => f.endsWith('within_resolution')))
        .map((p) => ({ e: p.e_v as number, log10d: p.log10_d as number, branch: p.branch as 'sodiation' | 'desodiation' }));
      return { d: { kind, file: { label, points } }, warnings: r.warnings };
    }
    case 'cv': {
      const f = await loadChi(input);
      if (f.kind !== 'cv' && f.kind !== 'lsv') throw new DataError(`this is a ${f.technique} file; a CV plot needs CV or LSV data`, { file: f.source, line: 2 });
      const massMg = positive('--mass', o.cvMass) ?? null;
      // The same reading as `hcarb cv`: the current sign detected (or --current-sign), anodic-positive out.
      const a = analyseCvFile(f, { currentSign: o.currentSign as CurrentSign | undefined, massMg });
      const { e, i: current, sweeps } = a.trace;
      const scale = massMg ? 1000 / massMg : 1;
      const want = parseCycles(o.cycles, null);
      const out: CvFile['sweeps'] = [];
      for (const s of sweeps) {
        const cycle = Math.floor((s.index - 1) / 2) + 1;
        if (want && !want.includes(cycle)) continue;
        const idx = thin(Array.from({ length: s.end - s.start }, (_, k) => s.start + k), 1200);
        out.push({ cycle, direction: s.direction, e: idx.map((k) => e[k]!), iA: idx.map((k) => current[k]! * scale) });
      }
      const warnings: string[] = [...a.warnings];
      if (want) { const have = new Set(out.map((s) => s.cycle)); const miss = want.filter((n) => !have.has(n)); if (miss.length) warnings.push(`no cycle ${miss.join(', ')} in the file`); }
      return { d: { kind, file: { label, sweeps: out }, perGram: massMg !== null }, warnings };
    }
    case 'nyquist': {
      const r = await eisRun(input, { model: o.model });
      const ny = r.doc.nyquist as { freq_hz: number; z_re_ohm: number; z_im_ohm: number; fit_z_re_ohm: number | null; fit_z_im_ohm: number | null }[];
      // the fit exists only where points were fitted (not at cropped inductive points)
      const fitted = ny.filter((p) => p.fit_z_re_ohm !== null && p.fit_z_im_ohm !== null);
      return { d: { kind, file: { label, model: r.doc.model as string, freqHz: ny.map((p) => p.freq_hz), re: ny.map((p) => p.z_re_ohm), mim: ny.map((p) => -p.z_im_ohm), fitRe: fitted.map((p) => p.fit_z_re_ohm!), fitMim: fitted.map((p) => -p.fit_z_im_ohm!) } }, warnings: r.warnings };
    }
  }
}

/** The figure of a kind from the files' data (all of one kind). */
export function figureOf(kind: PlotKind, ds: KindData[], o: PlotOptions): Figure {
  const fo: FigOptions = { size: o.size ?? 'single', title: o.title, xlim: o.xlim, ylim: o.ylim, ref: o.ref };
  const files = <T extends KindData['kind']>(): Extract<KindData, { kind: T }>[] => ds as Extract<KindData, { kind: T }>[];
  switch (kind) {
    case 'profile': {
      // specific capacity only when every file has a mass: one axis, one unit
      const fs = files<'profile'>(), specific = fs.every((d) => d.massMg);
      const scaled = fs.map((d) => ({ ...d.file, curves: d.file.curves.map((c) => ({ ...c, q: specific ? c.q.map((q) => (q * 1000) / d.massMg!) : c.q })) }));
      return profileFigure(scaled, { ...fo, qTitle: specific ? 'Specific capacity (mAh g⁻¹)' : 'Capacity (mAh)', splitV: o.split ?? 0.1 });
    }
    case 'cycling': {
      const fs = files<'cycling'>(), specific = fs.every((d) => d.massMg);
      const rows = fs.map((d) => ({ label: d.file.label, rows: (d.file.rows as CyclingRowBoth[]).map((r) => (specific ? r : { ...r, qDis: r.qDisMAh, qCh: r.qChMAh })) }));
      return cyclingFigure(rows, { ...fo, qTitle: specific ? 'Specific capacity (mAh g⁻¹)' : 'Capacity (mAh)' });
    }
    case 'dqdv': return dqdvFigure(files<'dqdv'>().map((d) => d.file), { ...fo, yTitle: files<'dqdv'>()[0]!.yTitle });
    case 'gitt': return gittFigure(files<'gitt'>().map((d) => d.file), { ...fo, regions: parseRegions(o.gitt?.regions) });
    case 'cv': return cvFigure(files<'cv'>().map((d) => d.file), { ...fo, perGram: files<'cv'>()[0]!.perGram });
    case 'nyquist': return nyquistFigure(files<'nyquist'>().map((d) => d.file), fo);
    case 'rate': {
      const fs = files<'rate'>(), specific = fs.every((d) => d.massMg);
      return rateFigure(fs.map((d) => d.file), { ...fo, qTitle: specific ? 'Specific capacity (mAh g⁻¹)' : 'Capacity (mAh)', stepUnit: fs[0]!.stepUnit });
    }
    case 'bode': return bodeFigure(files<'bode'>().map((d) => d.file), fo);
    case 'drt': return drtFigure(files<'drt'>().map((d) => d.file), fo);
    case 'dunn': case 'capacitive': throw new Error('batch kind');
  }
}

export interface PlotResult { data: string | Buffer; svg?: string; seriesCount: number; warnings: { file: string; message: string }[]; failures: { file: string; error: unknown }[] }

/** The figure's data for each file, with warnings; failures are kept per file. */
export async function gatherPlot(kind: PlotKind, inputs: Input[], c: CommonOptions, o: PlotOptions): Promise<{ ds: KindData[]; warnings: { file: string; message: string }[]; failures: { file: string; error: unknown }[] }> {
  const ds: KindData[] = [], names: string[] = [];
  const warnings: { file: string; message: string }[] = [];
  const failures: { file: string; error: unknown }[] = [];
  for (const [k, input] of inputs.entries()) {
    try {
      const s = await series(kind, input, o.labels?.[k] ?? sampleName(input.name), c, o);
      ds.push(s.d); names.push(input.name);
      warnings.push(...s.warnings.map((message) => ({ file: input.name, message })));
    } catch (e) {
      if (!(e instanceof DataError) && !(e as { code?: string }).code) throw e;
      failures.push({ file: input.name, error: e });
    }
  }
  // one unit per axis: a file without a mass turns the capacity axis into mAh for every file
  if ((kind === 'profile' || kind === 'cycling' || kind === 'rate') && ds.some((d) => (d as { massMg: number | null }).massMg) && ds.some((d) => !(d as { massMg: number | null }).massMg)) {
    const none = names.filter((_, k) => !(ds[k] as { massMg: number | null }).massMg);
    warnings.push({ file: none[0] ?? '', message: `capacities are drawn in mAh for every file: ${none.join(', ')} has no active mass (give --mass or --masses for every file)` });
  }
  if (kind === 'dqdv' && new Set(ds.map((d) => (d as { yTitle: string }).yTitle)).size > 1) throw new DataError('some files have an active mass and some do not, so their dQ/dV has different units; give --mass or --masses for every file', {});
  return { ds, warnings, failures };
}

/**
 * dunn / capacitive: all files are one cell at several scan rates; Dunn's fit over them (as
 * `hcarb cv --dunn`), then the voltammogram at one rate with k1·v shaded, or the shares as bars.
 */
export async function batchFigure(kind: 'dunn' | 'capacitive', inputs: Input[], o: PlotOptions): Promise<{ fig: Figure; warnings: { file: string; message: string }[] }> {
  const massMg = positive('--mass', o.cvMass) ?? null;
  const analyses = [];
  for (const input of inputs) {
    const f = await loadChi(input);
    if (f.kind !== 'cv') throw new DataError(`this is a ${f.technique} file; Dunn's analysis needs cyclic voltammograms`, { file: f.source, line: 2 });
    analyses.push(analyseCvFile(f, { currentSign: o.currentSign as CurrentSign | undefined, massMg }));
  }
  const cycle = o.cycle ?? 2;
  const d = dunn(analyses, { cycle });
  const warnings = d.warnings.map((message) => ({ file: 'dunn', message }));
  const fo: FigOptions = { size: o.size ?? 'single', title: o.title, xlim: o.xlim, ylim: o.ylim, ref: o.ref };
  const label = o.labels?.length === 1 ? o.labels[0]! : 'one cell, ' + inputs.length + ' scan rates';
  if (kind === 'capacitive') {
    return { fig: capacitiveFigure({ label, rows: d.shares.map((s) => ({ rateMVs: s.scan_rate_v_s * 1000, direction: s.direction, sharePct: s.capacitive_share_pct })) }, fo), warnings };
  }
  const rates = analyses.map((a) => a.scan_rate_v_s).filter((v): v is number => v !== null);
  const want = o.scanRate ?? Math.min(...rates);
  const k = analyses.findIndex((a) => a.scan_rate_v_s !== null && Math.abs(a.scan_rate_v_s - want) <= 1e-6 * want + 1e-12);
  if (k < 0) throw new UsageError(`--scan-rate ${want}: no file at that scan rate; the files are at ${[...new Set(rates)].sort((a, b) => a - b).join(', ')} V/s`);
  const a = analyses[k]!;
  const scale = massMg ? 1000 / massMg : 1;
  const sweeps: DunnSweep[] = [];
  let used = cycle;
  for (const dir of ['cathodic', 'anodic'] as const) {
    const p = pickSweep(a, cycle, dir);
    if (!p.sweep) continue;
    used = p.cycle ?? cycle;
    const idx = thin(Array.from({ length: p.sweep.end - p.sweep.start }, (_, j) => p.sweep!.start + j), 1200);
    const grid = d.grid.filter((g) => g.direction === dir && g.k1_a_s_per_v !== null);
    const share = d.shares.find((s) => s.file === a.file && s.direction === dir)?.capacitive_share_pct ?? null;
    sweeps.push({ direction: dir, e: idx.map((j) => a.trace.e[j]!), iA: idx.map((j) => a.trace.i[j]! * scale), capE: grid.map((g) => g.e_v), capA: grid.map((g) => g.k1_a_s_per_v! * a.scan_rate_v_s! * scale), sharePct: share });
  }
  const lbl = o.labels?.[k] ?? sampleName(inputs[k]!.name);
  const rateText = `${Number((a.scan_rate_v_s! * 1000).toPrecision(3))} mV s⁻¹`;
  return { fig: dunnFigure({ label: lbl, rateText, cycle: used, sweeps }, { ...fo, perGram: massMg !== null }), warnings };
}

export async function plotCommand(kind: PlotKind, inputs: Input[], c: CommonOptions, o: PlotOptions): Promise<PlotResult> {
  if (BATCH_KINDS.includes(kind)) {
    const { fig, warnings } = await batchFigure(kind as 'dunn' | 'capacitive', inputs, o);
    const { data } = await renderFigure(fig, o.format ?? 'svg', { dpi: o.dpi });
    return { data, seriesCount: fig.panels[0]!.series.length, warnings, failures: [] };
  }
  const { ds, warnings, failures } = await gatherPlot(kind, inputs, c, o);
  if (!ds.length) {
    if (failures.length) throw failures[0]!.error;
    throw new DataError('nothing to plot', {});
  }
  const fig = figureOf(kind, ds, o);
  const { data } = await renderFigure(fig, o.format ?? 'svg', { dpi: o.dpi });
  return { data, seriesCount: fig.panels[0]!.series.length, warnings, failures };
}
