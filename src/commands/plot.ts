/** `hcarb plot KIND FILE… --out FIG.svg`: publication-ready figures from the same numbers the commands print. */
import type { Input } from '../io.js';
import { DataError, UsageError } from '../errors.js';
import { resolveMass } from '../analysis/metrics.js';
import { analyseCv } from '../analysis/cv.js';
import { loadChi } from '../load.js';
import { column } from '../parse/chi.js';
import { cyclePoints, dqdvCommand } from './dqdv.js';
import { cyclesCommand } from './cycling-run.js';
import { gittCommand, parseRegions, type GittCliOptions } from './gitt.js';
import { eisCommand } from './chi.js';
import { givenMass, positive, type CommonOptions } from './common.js';
import { sampleName } from './summary.js';
import { cvSpec, cyclingSpec, dqdvSpec, gittSpec, nyquistSpec, profileSpec } from '../plot/kinds.js';
import { renderSvg, thin } from '../plot/render.js';
import type { TopLevelSpec } from 'vega-lite';

import type { PlotKind } from '../plot/plot-kinds.js';

export interface PlotOptions { cycles?: string; cycle?: number; title?: string; model?: string; step?: number; smooth?: number; split?: number; gitt?: GittCliOptions; currentSign?: string; cvMass?: string }

type Datum = Record<string, unknown>;

export function parseCycles(v: string | undefined): number[] {
  if (v === undefined) return [1, 2];
  const xs = v.split(',').map((s) => Number(s.trim()));
  if (!xs.length || xs.some((x) => !Number.isInteger(x) || x < 1)) throw new UsageError(`--cycles takes cycle numbers separated by commas (e.g. 1,2,50), not '${v}'`);
  return xs;
}

/** One file's contribution to a figure. */
async function series(kind: PlotKind, input: Input, c: CommonOptions, o: PlotOptions): Promise<{ data: Datum[]; extra?: Datum[]; qTitle?: string; yTitle?: string; warnings: string[] }> {
  const name = sampleName(input.name);
  switch (kind) {
    case 'profile': {
      const cycles = parseCycles(o.cycles);
      const given = givenMass(c, input.name);
      const { loaded, branches } = await cyclePoints(input, c, new Set(cycles));
      const warnings: string[] = [];
      const mass = resolveMass(given, loaded.data, warnings);
      const scale = mass.massMg ? 1000 / mass.massMg : 1;
      const data: Datum[] = [];
      for (const b of branches) {
        const idx = thin(b.v.map((_, k) => k), 1500);
        idx.forEach((k, j) => data.push({ series: `${name} cycle ${b.cycle}`, branch: b.dir, q: b.q[k]! * scale, v: b.v[k]!, order: j }));
      }
      const missing = cycles.filter((n) => !branches.some((b) => b.cycle === n));
      if (missing.length) warnings.push(`no cycle ${missing.join(', ')} in the file`);
      return { data, qTitle: mass.massMg ? 'Specific capacity (mAh g⁻¹)' : 'Capacity (mAh)', warnings };
    }
    case 'cycling': {
      const r = await cyclesCommand(input, c);
      const m = r.rows[0]?.mass_mg != null;
      const data: Datum[] = [];
      for (const row of r.rows) {
        const qd = m ? row.q_dis_mAh_g : row.q_dis_mAh, qc = m ? row.q_ch_mAh_g : row.q_ch_mAh;
        if (qd != null) data.push({ series: `${name} discharge`, cycle: row.cycle, capacity: qd });
        if (qc != null) data.push({ series: `${name} charge`, cycle: row.cycle, capacity: qc, ce: row.ce_pct, ceSeries: `${name} CE` });
      }
      return { data, qTitle: m ? 'Specific capacity (mAh g⁻¹)' : 'Capacity (mAh)', warnings: r.warnings };
    }
    case 'dqdv': {
      const r = await dqdvCommand(input, c, { cycles: [o.cycle ?? 1], step: o.step, smoothing: o.smooth && o.smooth > 1 ? { kind: 'moving', points: o.smooth } : undefined });
      const key = r.rows.length && 'dqdv_mAh_g_V' in r.rows[0]! ? 'dqdv_mAh_g_V' : 'dqdv_mAh_V';
      const data = r.rows.map((row, k) => ({ series: `${name} cycle ${row.cycle} ${row.branch}`, v: row.v, dqdv: row[key], order: k }));
      return { data, yTitle: key === 'dqdv_mAh_g_V' ? 'dQ/dV (mAh g⁻¹ V⁻¹)' : 'dQ/dV (mAh V⁻¹)', warnings: r.warnings };
    }
    case 'gitt': {
      const r = await gittCommand(input, c, o.gitt ?? {});
      const data = r.rows.filter((p) => p.log10_d != null && !(p.flags as string[]).some((f) => f.endsWith('within_resolution')))
        .map((p, k) => ({ series: `${name} ${p.branch}`, e: p.e_v, log10d: p.log10_d, order: k }));
      return { data, warnings: r.warnings };
    }
    case 'cv': {
      const f = await loadChi(input);
      if (f.kind !== 'cv' && f.kind !== 'lsv') throw new DataError(`this is a ${f.technique} file; a CV plot needs CV or LSV data`, { file: f.source, line: 2 });
      const e = column(f, 'potentialV'), i = column(f, 'currentA');
      if (!e || !i) throw new DataError('no Potential/V and Current/A columns', { file: f.source, line: f.headerLine });
      const massMg = positive('--mass', o.cvMass) ?? null;
      const { sweeps, current } = analyseCv(e, i, { segments: f.segments, cathodicPositive: o.currentSign === 'cathodic-positive', massMg }, f.source);
      const scale = massMg ? 1000 / massMg : 1;
      const data: Datum[] = [];
      let order = 0;
      for (const s of sweeps) {
        const idx = thin(Array.from({ length: s.end - s.start }, (_, k) => s.start + k), 1200);
        for (const k of idx) data.push({ series: `${name} cycle ${Math.floor((s.index - 1) / 2) + 1}`, e: e[k], i: current[k]! * scale, order: order++ });
      }
      return { data, yTitle: massMg ? 'Current (A g⁻¹)' : 'Current (A)', warnings: [] };
    }
    case 'nyquist': {
      const r = await eisCommand(input, { model: o.model });
      const ny = r.doc.nyquist as { z_re_ohm: number; z_im_ohm: number; fit_z_re_ohm: number; fit_z_im_ohm: number }[];
      const data = ny.map((p) => ({ series: name, re: p.z_re_ohm, mim: -p.z_im_ohm }));
      const extra = ny.map((p, k) => ({ series: `${name} fit (${r.doc.model as string})`, re: p.fit_z_re_ohm, mim: -p.fit_z_im_ohm, order: k }));
      return { data, extra, warnings: r.warnings };
    }
  }
}

export interface PlotResult { svg: string; seriesCount: number; warnings: { file: string; message: string }[]; failures: { file: string; error: unknown }[] }

export async function plotCommand(kind: PlotKind, inputs: Input[], c: CommonOptions, o: PlotOptions): Promise<PlotResult> {
  const data: Datum[] = [], extra: Datum[] = [];
  const warnings: { file: string; message: string }[] = [];
  const failures: { file: string; error: unknown }[] = [];
  let qTitle = '', yTitle = '';
  for (const input of inputs) {
    try {
      const s = await series(kind, input, c, o);
      data.push(...s.data);
      if (s.extra) extra.push(...s.extra);
      qTitle ||= s.qTitle ?? ''; yTitle ||= s.yTitle ?? '';
      warnings.push(...s.warnings.map((message) => ({ file: input.name, message })));
    } catch (e) {
      if (!(e instanceof DataError) && !(e as { code?: string }).code) throw e;
      failures.push({ file: input.name, error: e });
    }
  }
  if (!data.length) {
    if (failures.length) throw failures[0]!.error;
    throw new DataError('nothing to plot', {});
  }
  let spec: TopLevelSpec;
  switch (kind) {
    case 'profile': spec = profileSpec(data, { qTitle, splitV: o.split ?? 0.1, title: o.title }); break;
    case 'cycling': spec = cyclingSpec(data, { qTitle, title: o.title }); break;
    case 'dqdv': spec = dqdvSpec(data, { yTitle, title: o.title }); break;
    case 'gitt': spec = gittSpec(data, { regions: parseRegions(o.gitt?.regions), title: o.title }); break;
    case 'cv': spec = cvSpec(data, { yTitle, title: o.title }); break;
    case 'nyquist': spec = nyquistSpec(data, extra, { title: o.title }); break;
  }
  const seriesCount = new Set([...data, ...extra].map((d) => d.series as string).concat(data.filter((d) => d.ceSeries).map((d) => d.ceSeries as string))).size;
  return { svg: await renderSvg(spec), seriesCount, warnings, failures };
}
