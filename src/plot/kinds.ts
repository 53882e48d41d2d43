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
