/**
 * The figures hcarb draws, one small function per kind: numbers in, a house-style Figure out
 * (style.ts decides sizes, fonts, legend and label placement). A new kind adds a function here.
 *
 * Conventions every kind follows: colour = file (fileColor), shade = cycle (shade), line style =
 * branch (solid discharge/sodiation/cathodic sweep, dashed charge/desodiation/anodic sweep); the
 * legend lists the files in their colours, then a black key for the line styles and symbols.
 */
import { BAND_FILLS, fileColor, shade, type Axis, type Dash, type Figure, type FigureSize, type LegendEntry, type Marker, type Panel, type Pt, type Series } from './style.js';

export interface FigOptions {
  size: FigureSize;
  title?: string;
  xlim?: [number, number];
  ylim?: [number, number];
  /** Reference electrode: Na, Li, K or a free text (default Na). */
  ref?: string;
}
export type Branch = 'discharge' | 'charge';

/** The potential unit with its reference: "V vs Na⁺/Na". */
export function refText(ref: string | undefined): string {
  const r = (ref ?? 'Na').trim();
  if (/^(Na|Li|K)$/i.test(r)) { const el = r[0]!.toUpperCase() + r.slice(1).toLowerCase(); return `V vs ${el}⁺/${el}`; }
  return `V vs ${r}`;
}
export const potentialTitle = (ref: string | undefined): string => `Potential (${refText(ref)})`;
export const branchDash = (b: Branch): Dash => (b === 'discharge' ? 'solid' : 'dashed');
const KEY = '#000000';

/** Legend entries naming the files in their colours (one file: its name as plain text). */
function fileEntries(labels: string[], marker?: Marker): LegendEntry[] {
  if (labels.length === 1) return [{ label: labels[0]!, color: KEY, line: false, marker: 'none' }];
  return labels.map((label, k) => ({ label, color: fileColor(k), dash: 'solid', line: true, marker }));
}
/** Shade entries for cycles: in the file's colour for one file, in greys for several. */
function cycleEntries(cycles: number[], nFiles: number, prefix = 'cycle'): LegendEntry[] {
  if (cycles.length < 2) return [];
  const base = nFiles === 1 ? fileColor(0) : '#555555';
  return cycles.map((c, k) => ({ label: `${prefix} ${c}`, color: shade(base, k, cycles.length), dash: 'solid', line: true }));
}
function branchKey(names: [string, string] = ['discharge', 'charge']): LegendEntry[] {
  return [{ label: names[0], color: KEY, dash: 'solid', line: true }, { label: names[1], color: KEY, dash: 'dashed', line: true }];
}
const axis = (title: string, lim?: [number, number], extra: Partial<Axis> = {}): Axis => ({ title, ...(lim ? { domain: lim } : {}), ...extra });
const zip = (xs: ArrayLike<number>, ys: ArrayLike<number>): Pt[] => Array.from(xs, (x, k) => [x, ys[k]!] as Pt);

// ---------------------------------------------------------------- profile

export interface ProfileFile { label: string; curves: { cycle: number; branch: Branch; q: number[]; v: number[] }[] }
/** Potential against capacity: cycles as shades, branches as dashes, the split-voltage line labelled. */
export function profileFigure(files: ProfileFile[], o: FigOptions & { qTitle: string; splitV?: number }): Figure {
  const series: Series[] = [];
  const allCycles = [...new Set(files.flatMap((f) => f.curves.map((c) => c.cycle)))].sort((a, b) => a - b);
  files.forEach((f, fi) => {
    const cycles = [...new Set(f.curves.map((c) => c.cycle))].sort((a, b) => a - b);
    for (const c of f.curves) series.push({ color: shade(fileColor(fi), cycles.indexOf(c.cycle), cycles.length), dash: branchDash(c.branch), line: true, marker: 'none', points: zip(c.q, c.v) });
  });
  const panel: Panel = { x: axis(o.qTitle, o.xlim, { zero: true }), y: axis(potentialTitle(o.ref), o.ylim), series,
    rules: o.splitV !== undefined ? [{ y: o.splitV, label: `${o.splitV} V` }] : [] };
  return { size: o.size, title: o.title, panels: [panel], legend: [...fileEntries(files.map((f) => f.label)), ...cycleEntries(allCycles, files.length), ...branchKey()] };
}

// ---------------------------------------------------------------- cycling

export interface CyclingFile { label: string; rows: { cycle: number; qDis: number | null; qCh: number | null; ce: number | null }[] }
/** Capacity (left) and CE (right) against cycle; above 200 cycles markers are thinned to about 60 per series. */
export function cyclingFigure(files: CyclingFile[], o: FigOptions & { qTitle: string }): Figure {
  const series: Series[] = [];
  files.forEach((f, fi) => {
    const color = fileColor(fi);
    const every = f.rows.length > 200 ? Math.ceil(f.rows.length / 60) : 1;
    const pts = (get: (r: CyclingFile['rows'][number]) => number | null): Pt[] => f.rows.filter((r) => get(r) !== null).map((r) => [r.cycle, get(r)!]);
    series.push({ color, dash: 'solid', line: true, marker: 'circle', markerEvery: every, points: pts((r) => r.qDis) });
    series.push({ color, dash: 'dashed', line: true, marker: 'circle-open', markerEvery: every, points: pts((r) => r.qCh) });
    series.push({ color: shade(color, 1, 2), dash: 'solid', line: false, marker: 'triangle', markerEvery: every, points: pts((r) => r.ce), axis: 'y2' });
  });
  const panel: Panel = { x: axis('Cycle number', o.xlim), y: axis(o.qTitle, o.ylim, { zero: true }), y2: axis('Coulombic efficiency (%)'), series };
  const key: LegendEntry[] = [
    { label: 'discharge', color: KEY, dash: 'solid', line: true, marker: 'circle' },
    { label: 'charge', color: KEY, dash: 'dashed', line: true, marker: 'circle-open' },
    { label: 'CE (right axis)', color: KEY, line: false, marker: 'triangle' },
  ];
  return { size: o.size, title: o.title, panels: [panel], legend: [...fileEntries(files.map((f) => f.label)), ...key] };
}

// ---------------------------------------------------------------- dQ/dV

export interface DqdvFile { label: string; curves: { cycle: number; branch: Branch; v: number[]; dqdv: number[] }[] }
/** Where |dQ/dV| exceeds 2 % of its largest value, widened by 5 % each side. */
export function signalRange(curves: { v: number[]; dqdv: number[] }[]): [number, number] | undefined {
  let peak = 0;
  for (const c of curves) for (const y of c.dqdv) if (Number.isFinite(y)) peak = Math.max(peak, Math.abs(y));
  let lo = Infinity, hi = -Infinity;
  for (const c of curves) c.v.forEach((v, k) => { if (Math.abs(c.dqdv[k]!) > 0.02 * peak) { lo = Math.min(lo, v); hi = Math.max(hi, v); } });
  if (!(hi > lo)) return undefined;
  const pad = (hi - lo) * 0.05;
  return [Math.max(0, lo - pad), hi + pad];
}
export function dqdvFigure(files: DqdvFile[], o: FigOptions & { yTitle: string }): Figure {
  const series: Series[] = [];
  const allCycles = [...new Set(files.flatMap((f) => f.curves.map((c) => c.cycle)))].sort((a, b) => a - b);
  files.forEach((f, fi) => {
    for (const c of f.curves) series.push({ color: shade(fileColor(fi), allCycles.indexOf(c.cycle), allCycles.length), dash: branchDash(c.branch), line: true, marker: 'none', points: zip(c.v, c.dqdv) });
  });
  const range = o.xlim ?? signalRange(files.flatMap((f) => f.curves));
  const panel: Panel = { x: axis(potentialTitle(o.ref), range), y: axis(o.yTitle, o.ylim), series };
  return { size: o.size, title: o.title, panels: [panel], legend: [...fileEntries(files.map((f) => f.label)), ...cycleEntries(allCycles, files.length), ...branchKey()] };
}

// ---------------------------------------------------------------- GITT

export interface GittFile { label: string; points: { e: number; log10d: number; branch: 'sodiation' | 'desodiation' }[] }
/**
 * log D against E in two panels, 0–0.2 V and 0.2 V up, so the low-voltage plateau is as wide as the
 * slope region; the pore-filling / intercalation / adsorption regions shaded in greys and named in the legend.
 */
export function gittFigure(files: GittFile[], o: FigOptions & { regions: [number, number] }): Figure {
  const [hi, lo] = o.regions;
  const all = files.flatMap((f) => f.points.map((p) => p.e));
  const emax = Math.max(...all, hi), emin = Math.min(...all, 0);
  const split = 0.2;
  const bands = (x0: number, x1: number) => [
    { x0: Math.min(x0, 0), x1: lo, fill: BAND_FILLS[0]! }, { x0: lo, x1: hi, fill: BAND_FILLS[1]! }, { x0: hi, x1: Math.max(x1, hi), fill: BAND_FILLS[2]! },
  ];
  const seriesIn = (x0: number, x1: number): Series[] => files.flatMap((f, fi) => (['sodiation', 'desodiation'] as const).map((b) => ({
    color: fileColor(fi), dash: (b === 'sodiation' ? 'solid' : 'dashed') as Dash, line: true, marker: (b === 'sodiation' ? 'circle' : 'circle-open') as Marker,
    points: f.points.filter((p) => p.branch === b).map((p) => [p.e, p.log10d] as Pt),
  }))).map((s) => ({ ...s, points: clipX(s.points, x0, x1) }));
  const yTitle = 'log₁₀ D (cm² s⁻¹)';
  let panels: Panel[];
  if (o.xlim || emax <= split * 1.5) {
    const d: [number, number] = o.xlim ?? [emin, emax];
    panels = [{ x: axis(potentialTitle(o.ref), o.xlim), y: axis(yTitle, o.ylim), series: seriesIn(d[0], d[1]), bands: bands(d[0], d[1]) }];
  } else {
    panels = [
      { x: axis(potentialTitle(o.ref), [emin, split]), y: axis(yTitle, o.ylim), series: seriesIn(emin, split), bands: bands(emin, split) },
      { x: axis('', [split, Math.ceil(emax * 10) / 10]), y: axis(yTitle, o.ylim), series: seriesIn(split, emax), bands: bands(split, Math.ceil(emax * 10) / 10) },
    ];
  }
  const key: LegendEntry[] = [
    { label: 'sodiation', color: KEY, dash: 'solid', line: true, marker: 'circle' },
    { label: 'desodiation', color: KEY, dash: 'dashed', line: true, marker: 'circle-open' },
    { label: 'pore filling', color: BAND_FILLS[0]!, swatch: true },
    { label: 'intercalation', color: BAND_FILLS[1]!, swatch: true },
    { label: 'adsorption', color: BAND_FILLS[2]!, swatch: true },
  ];
  return { size: o.size, title: o.title, panels, sharedY: panels.length > 1, legend: [...fileEntries(files.map((f) => f.label), 'circle'), ...key] };
}
/** Points of a polyline within x0..x1, plus the neighbours just outside so the line reaches the edge (the renderer clips). */
function clipX(pts: Pt[], x0: number, x1: number): Pt[] {
  return pts.filter((p, k) => [pts[k - 1], p, pts[k + 1]].some((q) => q && q[0] >= x0 && q[0] <= x1));
}

// ---------------------------------------------------------------- CV

export interface CvFile { label: string; sweeps: { cycle: number; direction: 'anodic' | 'cathodic'; e: number[]; iA: number[] }[] }
/** The current unit the data need: A, mA or µA (per g when a mass is given). */
export function currentUnit(maxAbsA: number, perGram: boolean): { factor: number; unit: string } {
  const u = maxAbsA >= 1 ? { factor: 1, unit: 'A' } : maxAbsA >= 1e-3 ? { factor: 1e3, unit: 'mA' } : { factor: 1e6, unit: 'µA' };
  return perGram ? { ...u, unit: `${u.unit} g⁻¹` } : u;
}
export function cvFigure(files: CvFile[], o: FigOptions & { perGram: boolean }): Figure {
  let maxI = 0;
  for (const f of files) for (const s of f.sweeps) for (const i of s.iA) if (Number.isFinite(i)) maxI = Math.max(maxI, Math.abs(i));
  const u = currentUnit(maxI, o.perGram);
  const allCycles = [...new Set(files.flatMap((f) => f.sweeps.map((s) => s.cycle)))].sort((a, b) => a - b);
  const series: Series[] = [];
  files.forEach((f, fi) => {
    for (const s of f.sweeps) series.push({ color: shade(fileColor(fi), allCycles.indexOf(s.cycle), allCycles.length), dash: s.direction === 'cathodic' ? 'solid' : 'dashed', line: true, marker: 'none', points: s.e.map((e, k) => [e, s.iA[k]! * u.factor] as Pt) });
  });
  const panel: Panel = { x: axis(potentialTitle(o.ref), o.xlim), y: axis(`Current (${u.unit})`, o.ylim), series, rules: [{ y: 0 }] };
  return { size: o.size, title: o.title, panels: [panel], legend: [...fileEntries(files.map((f) => f.label)), ...cycleEntries(allCycles, files.length), ...branchKey(['cathodic sweep (sodiation)', 'anodic sweep (desodiation)'])] };
}

// ---------------------------------------------------------------- Nyquist

export interface NyquistFile { label: string; freqHz: number[]; re: number[]; mim: number[]; fitRe?: number[]; fitMim?: number[]; model?: string }
/** "1 kHz", "10 Hz", "0.1 Hz". */
export function freqLabel(f: number): string {
  const e = Math.round(Math.log10(f));
  if (e >= 6) return `${10 ** (e - 6)} MHz`;
  if (e >= 3) return `${10 ** (e - 3)} kHz`;
  if (e >= 0) return `${10 ** e} Hz`;
  if (e >= -3) return `${(10 ** e).toFixed(-e)} Hz`;
  return `10${String(e).replace('-', '⁻').replace(/\d/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)]!)} Hz`;
}
/** The measured point nearest each whole decade of frequency. */
export function decadePoints(freqHz: number[]): number[] {
  const out: number[] = [];
  const lg = freqHz.map((f) => Math.log10(f));
  const lo = Math.ceil(Math.min(...lg) - 0.05), hi = Math.floor(Math.max(...lg) + 0.05);
  for (let e = lo; e <= hi; e++) {
    let best = -1;
    lg.forEach((l, k) => { if (Math.abs(l - e) < 0.05 && (best < 0 || Math.abs(l - e) < Math.abs(lg[best]! - e))) best = k; });
    if (best >= 0) out.push(best);
  }
  return out;
}
export function nyquistFigure(files: NyquistFile[], o: FigOptions): Figure {
  const series: Series[] = [];
  const notes: { x: number; y: number; text: string }[] = [];
  files.forEach((f, fi) => {
    const color = fileColor(fi);
    series.push({ color, dash: 'solid', line: false, marker: 'circle-open', points: zip(f.re, f.mim) });
    if (f.fitRe && f.fitMim) series.push({ color, dash: 'solid', line: true, marker: 'none', points: zip(f.fitRe, f.fitMim) });
    for (const k of decadePoints(f.freqHz)) notes.push({ x: f.re[k]!, y: f.mim[k]!, text: freqLabel(f.freqHz[k]!) });
  });
  const models = [...new Set(files.map((f) => f.model).filter(Boolean))];
  const panel: Panel = { x: axis('Z′ (Ω)', o.xlim), y: axis('−Z″ (Ω)', o.ylim), series, notes, equal: true };
  const key: LegendEntry[] = [{ label: 'measured', color: KEY, line: false, marker: 'circle-open' }];
  if (files.some((f) => f.fitRe)) key.push({ label: `fit (${models.join(', ') || 'model'})`, color: KEY, dash: 'solid', line: true });
  return { size: o.size, title: o.title, panels: [panel], legend: [...fileEntries(files.map((f) => f.label)), ...key] };
}

// ---------------------------------------------------------------- log axes

const SUP: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };
/** 10⁻³ for −3. */
export const pow10Text = (e: number): string => (e === 0 ? '1' : e === 1 ? '10' : '10' + String(e).replace(/[-\d]/g, (c) => SUP[c]!));
/**
 * A log₁₀ axis drawn on linear log values: the domain widened to whole decades (or to 1-2-5 steps
 * when the data span less than two decades), ticks at decades labelled 10ⁿ, else at 1-2-5 values.
 */
export function logAxis(title: string, values: number[], lim?: [number, number]): Axis {
  const lg = values.filter((v) => v > 0 && Number.isFinite(v)).map(Math.log10);
  let lo = lim ? Math.log10(lim[0]) : Math.min(...lg), hi = lim ? Math.log10(lim[1]) : Math.max(...lg);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) { lo = 0; hi = 1; }
  if (hi - lo < 1e-9) { lo -= 0.5; hi += 0.5; }
  if (!lim && Math.floor(hi) - Math.ceil(lo) >= 1) {
    const d: [number, number] = [Math.floor(lo + 1e-9), Math.ceil(hi - 1e-9)];
    const every = Math.max(1, Math.ceil((d[1] - d[0]) / 6));
    const ticks: number[] = [];
    for (let e = d[0]; e <= d[1]; e++) if ((e - d[0]) % every === 0) ticks.push(e);
    return { title, domain: d, ticks, format: (v) => pow10Text(Math.round(v)) };
  }
  // less than two decades: 1-2-5 ticks within a small margin
  const d: [number, number] = lim ? [lo, hi] : [lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo)];
  const ticks: number[] = [];
  for (let e = Math.floor(d[0]) - 1; e <= Math.ceil(d[1]); e++) for (const m of [1, 2, 5]) { const t = Math.log10(m) + e; if (t >= d[0] && t <= d[1]) ticks.push(t); }
  const fmt = (v: number): string => { const x = 10 ** v; return Number(x.toPrecision(1)).toString().replace('-', '−'); };
  return { title, domain: d, ticks, format: fmt };
}

// ---------------------------------------------------------------- rate capability

export interface RateFile { label: string; rows: { cycle: number; qDis: number | null; qCh: number | null }[]; steps: { first: number; last: number; text: string }[] }
/**
 * Capacity against cycle with the markers of `cycling` (filled discharge, open charge), the rate steps
 * separated by dotted lines and each labelled above its cycles (the labels of the first file).
 */
export function rateFigure(files: RateFile[], o: FigOptions & { qTitle: string; stepUnit: string }): Figure {
  const series: Series[] = [];
  let qmax = 0;
  files.forEach((f, fi) => {
    const color = fileColor(fi);
    const pts = (get: (r: RateFile['rows'][number]) => number | null): Pt[] => f.rows.filter((r) => get(r) !== null).map((r) => [r.cycle, get(r)!]);
    series.push({ color, dash: 'solid', line: false, marker: 'circle', points: pts((r) => r.qDis) });
    series.push({ color, dash: 'solid', line: false, marker: 'circle-open', points: pts((r) => r.qCh) });
    for (const r of f.rows) for (const q of [r.qDis, r.qCh]) if (q !== null && q > qmax) qmax = q;
  });
  const steps = files[0]?.steps ?? [];
  // labels sit in a band above the data, alternately at two heights so neighbours never collide
  // (no separator lines: a label wider than its step may reach over the step boundary)
  const top = qmax * 1.3;
  const notes = steps.map((s, k) => ({ x: (s.first + s.last) / 2, y: qmax * (k % 2 ? 1.08 : 1.2), text: s.text, centred: true }));
  const panel: Panel = { x: axis('Cycle number', o.xlim), y: axis(o.qTitle, o.ylim ?? [0, Math.max(top, 1e-9)]), series, notes };
  const key: LegendEntry[] = [
    { label: 'discharge', color: KEY, line: false, marker: 'circle' },
    { label: 'charge', color: KEY, line: false, marker: 'circle-open' },
  ];
  if (steps.length) key.push({ label: `step labels: ${o.stepUnit}`, color: KEY, line: false, marker: 'none' });
  return { size: o.size, title: o.title, panels: [panel], legend: [...fileEntries(files.map((f) => f.label)), ...key] };
}

// ---------------------------------------------------------------- Dunn

export interface DunnSweep { direction: 'anodic' | 'cathodic'; e: number[]; iA: number[]; capE: number[]; capA: number[]; sharePct: number | null }
/**
 * The voltammogram at one scan rate with its capacitive part k1·v (Dunn) shaded between zero and
 * k1·v, per sweep; the shares per direction in the legend.
 */
export function dunnFigure(f: { label: string; rateText: string; cycle: number; sweeps: DunnSweep[] }, o: FigOptions & { perGram: boolean }): Figure {
  let maxI = 0;
  for (const s of f.sweeps) for (const i of s.iA) if (Number.isFinite(i)) maxI = Math.max(maxI, Math.abs(i));
  const u = currentUnit(maxI, o.perGram);
  const color = fileColor(0), fill = shade(fileColor(5), 2, 3);
  const series: Series[] = [], areas: { pts: Pt[]; fill: string }[] = [];
  for (const s of f.sweeps) {
    series.push({ color, dash: s.direction === 'cathodic' ? 'solid' : 'dashed', line: true, marker: 'none', points: s.e.map((e, k) => [e, s.iA[k]! * u.factor] as Pt) });
    const cap = s.capE.map((e, k) => [e, s.capA[k]! * u.factor] as Pt);
    if (cap.length > 1) {
      areas.push({ pts: [[cap[0]![0], 0], ...cap, [cap[cap.length - 1]![0], 0]], fill });
      series.push({ color: KEY, dash: 'dotted', line: true, marker: 'none', points: cap });
    }
  }
  const share = (d: 'cathodic' | 'anodic'): string => { const s = f.sweeps.find((x) => x.direction === d)?.sharePct; return s === null || s === undefined ? 'n/a' : `${s.toFixed(0)} %`; };
  const panel: Panel = { x: axis(potentialTitle(o.ref), o.xlim), y: axis(`Current (${u.unit})`, o.ylim), series, areas, rules: [{ y: 0 }] };
  const legend: LegendEntry[] = [
    { label: `${f.label}, ${f.rateText}, cycle ${f.cycle}`, color: KEY, line: false, marker: 'none' },
    { label: 'cathodic sweep (sodiation)', color: color, dash: 'solid', line: true },
    { label: 'anodic sweep (desodiation)', color: color, dash: 'dashed', line: true },
    { label: `capacitive k₁·v: ${share('cathodic')} sodiation, ${share('anodic')} desodiation`, color: fill, swatch: true },
  ];
  return { size: o.size, title: o.title, panels: [panel], legend };
}

/** Capacitive share per scan rate as bars, sodiation and desodiation side by side, the diffusion part above in a light shade. */
export function capacitiveFigure(f: { label: string; rows: { rateMVs: number; direction: 'anodic' | 'cathodic'; sharePct: number | null }[] }, o: FigOptions): Figure {
  const rates = [...new Set(f.rows.map((r) => r.rateMVs))].sort((a, b) => a - b);
  const areas: { pts: Pt[]; fill: string }[] = [];
  const notes: { x: number; y: number; text: string }[] = [];
  const dirs = [['cathodic', fileColor(0)], ['anodic', fileColor(1)]] as const;
  const w = 0.34;
  rates.forEach((v, k) => dirs.forEach(([d, c], j) => {
    const r = f.rows.find((x) => x.rateMVs === v && x.direction === d);
    if (!r || r.sharePct === null) return;
    const x0 = k + 1 + (j ? 0.02 : -w - 0.02), x1 = x0 + w;
    areas.push({ pts: [[x0, 0], [x0, r.sharePct], [x1, r.sharePct], [x1, 0]], fill: c });
    areas.push({ pts: [[x0, r.sharePct], [x0, 100], [x1, 100], [x1, r.sharePct]], fill: shade(c, 1, 2) });
  }));
  const rateText = (v: number): string => Number(v.toPrecision(3)).toString();
  const panel: Panel = {
    x: { title: 'Scan rate (mV s⁻¹)', domain: [0.4, rates.length + 0.6], ticks: rates.map((_, k) => k + 1), format: (x) => rateText(rates[Math.round(x) - 1] ?? NaN) },
    y: { title: 'Share of the charge (%)', domain: o.ylim ?? [0, 100], ticks: [0, 20, 40, 60, 80, 100] },
    series: [], areas, notes,
  };
  const legend: LegendEntry[] = [
    { label: f.label, color: KEY, line: false, marker: 'none' },
    { label: 'capacitive, sodiation', color: fileColor(0), swatch: true },
    { label: 'capacitive, desodiation', color: fileColor(1), swatch: true },
    { label: 'diffusion-controlled, sodiation', color: shade(fileColor(0), 1, 2), swatch: true },
    { label: 'diffusion-controlled, desodiation', color: shade(fileColor(1), 1, 2), swatch: true },
  ];
  return { size: o.size, title: o.title, panels: [panel], legend };
}

// ---------------------------------------------------------------- DRT and Bode

export interface DrtFile { label: string; tauS: number[]; gammaOhm: number[]; peaks: { tauS: number; rOhm: number }[] }
/** Format a time: 1.2 ms, 35 µs, 4.1 s. */
export function timeText(t: number): string {
  const [f, u] = t >= 1 ? [1, 's'] : t >= 1e-3 ? [1e3, 'ms'] : t >= 1e-6 ? [1e6, 'µs'] : [1e9, 'ns'];
  return `${Number((t * f).toPrecision(2))} ${u}`;
}
/** γ against log τ, each peak marked with a triangle and its τ and resistance. */
export function drtFigure(files: DrtFile[], o: FigOptions): Figure {
  const series: Series[] = [];
  const notes: { x: number; y: number; text: string }[] = [];
  files.forEach((f, fi) => {
    const color = fileColor(fi);
    series.push({ color, dash: 'solid', line: true, marker: 'none', points: f.tauS.map((t, k) => [Math.log10(t), f.gammaOhm[k]!] as Pt) });
    const pk: Pt[] = f.peaks.map((p) => { const k = nearest(f.tauS, p.tauS); return [Math.log10(p.tauS), f.gammaOhm[k]!]; });
    series.push({ color, dash: 'solid', line: false, marker: 'triangle', points: pk });
    if (fi === 0) f.peaks.forEach((p, k) => notes.push({ x: pk[k]![0], y: pk[k]![1], text: `${timeText(p.tauS)}, ${Number(p.rOhm.toPrecision(2))} Ω` }));
  });
  const panel: Panel = { x: logAxis('Relaxation time τ (s)', files.flatMap((f) => f.tauS), o.xlim), y: axis('γ (Ω)', o.ylim, { zero: true }), series, notes };
  const key: LegendEntry[] = [{ label: files.length > 1 ? 'peak (labels: first file, τ and R)' : 'peak (τ and R)', color: KEY, line: false, marker: 'triangle' }];
  return { size: o.size, title: o.title, panels: [panel], legend: [...fileEntries(files.map((f) => f.label)), ...key] };
}
function nearest(xs: number[], x: number): number {
  let best = 0;
  xs.forEach((v, k) => { if (Math.abs(Math.log(v / x)) < Math.abs(Math.log(xs[best]! / x))) best = k; });
  return best;
}

export interface BodeFile { label: string; freqHz: number[]; modOhm: number[]; phaseDeg: number[]; fitFreqHz?: number[]; fitModOhm?: number[]; fitPhaseDeg?: number[]; model?: string }
/** |Z| (log) and −phase against frequency (log), measured as open circles and the fit as a line, in two panels. */
export function bodeFigure(files: BodeFile[], o: FigOptions): Figure {
  const mag: Series[] = [], ph: Series[] = [];
  files.forEach((f, fi) => {
    const color = fileColor(fi);
    const lf = f.freqHz.map(Math.log10);
    mag.push({ color, dash: 'solid', line: false, marker: 'circle-open', points: lf.map((x, k) => [x, Math.log10(f.modOhm[k]!)] as Pt) });
    ph.push({ color, dash: 'solid', line: false, marker: 'circle-open', points: lf.map((x, k) => [x, -f.phaseDeg[k]!] as Pt) });
    if (f.fitFreqHz && f.fitModOhm && f.fitPhaseDeg) {
      const ff = f.fitFreqHz.map(Math.log10);
      mag.push({ color, dash: 'solid', line: true, marker: 'none', points: ff.map((x, k) => [x, Math.log10(f.fitModOhm![k]!)] as Pt) });
      ph.push({ color, dash: 'solid', line: true, marker: 'none', points: ff.map((x, k) => [x, -f.fitPhaseDeg![k]!] as Pt) });
    }
  });
  const fx = logAxis('Frequency (Hz)', files.flatMap((f) => f.freqHz), o.xlim);
  const panels: Panel[] = [
    { x: fx, y: logAxis('|Z| (Ω)', files.flatMap((f) => f.modOhm), o.ylim), series: mag },
    { x: { ...fx, title: '' }, y: axis('−Phase (°)', undefined, { zero: true }), series: ph },
  ];
  const models = [...new Set(files.map((f) => f.model).filter(Boolean))];
  const key: LegendEntry[] = [{ label: 'measured', color: KEY, line: false, marker: 'circle-open' }];
  if (files.some((f) => f.fitFreqHz)) key.push({ label: `fit (${models.join(', ') || 'model'})`, color: KEY, dash: 'solid', line: true });
  return { size: o.size, title: o.title, panels, aspect: 1.0, legend: [...fileEntries(files.map((f) => f.label)), ...key] };
}
