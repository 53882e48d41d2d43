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
import { cvFigure, cyclingFigure, dqdvFigure, gittFigure, nyquistFigure, profileFigure, type Branch, type CvFile, type CyclingFile, type DqdvFile, type FigOptions, type GittFile, type NyquistFile, type ProfileFile } from '../plot/kinds.js';
import { renderFigure, thin, type FigureFormat } from '../plot/render.js';
import type { Figure } from '../plot/style.js';
import type { PlotKind } from '../plot/plot-kinds.js';

export interface PlotOptions {
  cycles?: string; cycle?: number; title?: string; model?: string; step?: number; smooth?: number; split?: number;
  gitt?: GittCliOptions; currentSign?: string; cvMass?: string;
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
  | { kind: 'gitt'; file: GittFile } | { kind: 'cv'; file: CvFile; perGram: boolean } | { kind: 'nyquist'; file: NyquistFile };

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
    case 'dqdv': {
      const r = await dqdvCommand(input, c, { cycles: [o.cycle ?? 1], step: o.step, smoothing: o.smooth && o.smooth > 1 ? { kind: 'moving', points: o.smooth } : undefined });
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
  if ((kind === 'profile' || kind === 'cycling') && ds.some((d) => (d as { massMg: number | null }).massMg) && ds.some((d) => !(d as { massMg: number | null }).massMg)) {
    const none = names.filter((_, k) => !(ds[k] as { massMg: number | null }).massMg);
    warnings.push({ file: none[0] ?? '', message: `capacities are drawn in mAh for every file: ${none.join(', ')} has no active mass (give --mass or --masses for every file)` });
  }
  if (kind === 'dqdv' && new Set(ds.map((d) => (d as { yTitle: string }).yTitle)).size > 1) throw new DataError('some files have an active mass and some do not, so their dQ/dV has different units; give --mass or --masses for every file', {});
  return { ds, warnings, failures };
}

export async function plotCommand(kind: PlotKind, inputs: Input[], c: CommonOptions, o: PlotOptions): Promise<PlotResult> {
  const { ds, warnings, failures } = await gatherPlot(kind, inputs, c, o);
  if (!ds.length) {
    if (failures.length) throw failures[0]!.error;
    throw new DataError('nothing to plot', {});
  }
  const fig = figureOf(kind, ds, o);
  const { data } = await renderFigure(fig, o.format ?? 'svg', { dpi: o.dpi });
  return { data, seriesCount: fig.panels[0]!.series.length, warnings, failures };
}
