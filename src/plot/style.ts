/**
 * The house style: every hcarb figure is a `Figure` (panels of series, legend entries, notes) laid out
 * here into a `Scene` of absolute primitives in points, then written as SVG, PDF or PNG. A new kind
 * is a small function that turns its numbers into a Figure (see kinds.ts); size, fonts, ticks,
 * colours, legend placement and label placement are decided only here.
 *
 * Rules: journal column widths (8.5 cm single, 17.8 cm double); DejaVu Sans 8 pt (9 pt titles);
 * ticks inside; colour = file (Okabe–Ito, safe for colour-blind readers), shade = cycle, dash =
 * branch (solid sodiation/discharge, dashed desodiation/charge); the legend goes into an empty corner
 * found from the data, else outside below the axes; labels are wrapped, never truncated; a note
 * (a frequency label, a rule label) is placed where it covers no data and no other text, or left out.
 */
import { ASCENT_EM, DESCENT_EM, WIDTHS } from './metrics.js';

export const PT_PER_CM = 72 / 2.54;
export const WIDTH_CM = { single: 8.5, double: 17.8 } as const;
export type FigureSize = keyof typeof WIDTH_CM;
export const FONT_FAMILY = "'DejaVu Sans', Arial, Helvetica, sans-serif";
export const TICK_PT = 8, LEGEND_PT = 8, TITLE_PT = 9, NOTE_PT = 7.5;
/** Gap between the frame and the top of the x tick labels: below the lowest y tick label's descender. */
const XLAB_PAD = 5;
/** Okabe & Ito (2008) qualitative palette, distinguishable with the common colour-vision deficiencies. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#B8A500'];
export const BAND_FILLS = ['#BBBBBB', '#DDDDDD', '#EEEEEE'];

export type Dash = 'solid' | 'dashed' | 'dotted';
export type Marker = 'none' | 'circle' | 'circle-open' | 'triangle' | 'square';
export type Pt = [number, number];

export interface Series {
  /** Legend text; the legend itself is listed in Figure.legend. */
  label?: string;
  color: string;
  dash: Dash;
  line: boolean;
  marker: Marker;
  /** Draw a marker on every n-th point only (long cycling runs). */
  markerEvery?: number;
  points: Pt[];
  axis?: 'y' | 'y2';
}
export interface Axis {
  title: string;
  /** Fixed limits (--xlim / --ylim); otherwise the data extent, widened to round ticks. */
  domain?: [number, number];
  ticks?: number[];
  format?: (v: number) => string;
  zero?: boolean;
}
export interface Band { x0: number; x1: number; fill: string }
/** A filled polygon in data coordinates (a shaded part of a curve, a bar); labels never cover it. */
export interface Area { pts: Pt[]; fill: string }
export interface Rule { y?: number; x?: number; label?: string }
/** A text anchored at a data point, placed next to it where it hides nothing. */
export interface Note { x: number; y: number; text: string; /** Centred on the anchor (a little above or below when that is taken), never beside it. */ centred?: boolean }
export interface Panel {
  x: Axis; y: Axis; y2?: Axis;
  series: Series[];
  bands?: Band[]; rules?: Rule[]; notes?: Note[]; areas?: Area[];
  /** Same length per unit on both axes (Nyquist). */
  equal?: boolean;
  /** Relative width among side-by-side panels (default 1). */
  weight?: number;
}
export interface LegendEntry { label: string; color: string; dash?: Dash; line?: boolean; marker?: Marker; swatch?: boolean }
export interface Figure {
  size: FigureSize;
  title?: string;
  panels: Panel[];
  legend: LegendEntry[];
  /** Panels after the first share the first one's y axis (no tick labels of their own). */
  sharedY?: boolean;
  /** Plot-area height over width (default 0.72). */
  aspect?: number;
}

// ---------------------------------------------------------------- text

function glyphWidth(c: number): number {
  for (const [start, ws] of WIDTHS) if (c >= start && c < start + ws.length) return ws[c - start]! || 1000;
  return 1000;
}
/** Width of a text in points at `size` pt, from DejaVu Sans advances (no kerning: never an underestimate). */
export function textWidth(s: string, size: number): number {
  let w = 0;
  for (const ch of s) w += glyphWidth(ch.codePointAt(0)!);
  return (w / 1000) * size;
}
export const lineHeight = (size: number): number => size * 1.2;

/** Break a text into lines no wider than `maxW`, at spaces, underscores, hyphens, dots and commas; a longer word is split between characters. Nothing is dropped. */
export function wrapText(s: string, maxW: number, size: number): string[] {
  const tokens = s.match(/[^\s_\-.,/]*[\s_\-.,/]?/g)!.filter((t) => t.length);
  const lines: string[] = [];
  let cur = '';
  const push = (t: string): void => {
    if (textWidth((cur + t).trimEnd(), size) <= maxW || cur === '') {
      if (cur === '' && textWidth(t.trimEnd(), size) > maxW) {
        for (const ch of t) {
          if (cur && textWidth(cur + ch, size) > maxW) { lines.push(cur); cur = ''; }
          cur += ch;
        }
      } else cur += t;
    } else { lines.push(cur.trimEnd()); cur = ''; push(t); }
  };
  for (const t of tokens) push(t);
  if (cur.trim()) lines.push(cur.trimEnd());
  return lines.length ? lines : [''];
}

// ---------------------------------------------------------------- colours

function mix(hex: string, to: number, t: number): string {
  const n = parseInt(hex.slice(1), 16);
  const ch = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => Math.round(c + (to - c) * t));
  return '#' + ch.map((c) => c.toString(16).padStart(2, '0')).join('').toUpperCase();
}
/** The colour of file number `file`. */
export const fileColor = (file: number): string => PALETTE[file % PALETTE.length]!;
/** Shade `k` of `n` of a file colour: the first darkest, the last lightest. */
export function shade(color: string, k: number, n: number): string {
  if (n <= 1) return color;
  const t = k / (n - 1);
  return t < 0.4 ? mix(color, 0, 0.35 * (0.4 - t) / 0.4) : mix(color, 255, 0.55 * (t - 0.4) / 0.6);
}

// ---------------------------------------------------------------- numbers

export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f < 1.41 ? 1 : f < 2.24 ? 2 : f < 3.16 ? 2.5 : f < 7.07 ? 5 : 10) * p;
}
export function niceTicks(lo: number, hi: number, count: number): number[] {
  const step = niceStep(hi - lo, count);
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}
/** Tick text: as many decimals as the ticks need, a real minus sign. */
export function formatTicks(ticks: number[]): (v: number) => string {
  let d = 0;
  while (d < 8 && ticks.some((t) => Math.abs(Number(t.toFixed(d)) - t) > 1e-9 * Math.max(1, Math.abs(t)))) d++;
  return (v) => v.toFixed(d).replace('-', '−');
}
function extent(xs: number[]): [number, number] | null {
  let lo = Infinity, hi = -Infinity;
  for (const x of xs) if (Number.isFinite(x)) { if (x < lo) lo = x; if (x > hi) hi = x; }
  return lo <= hi ? [lo, hi] : null;
}
/** The data extent widened to round ticks (or the given limits). */
function axisDomain(ax: Axis | undefined, values: number[], count: number): [number, number] {
  if (ax?.domain) return ax.domain;
  let e = extent(values) ?? [0, 1];
  if (ax?.zero) e = [Math.min(0, e[0]), Math.max(0, e[1])];
  if (e[0] === e[1]) e = [e[0] - (Math.abs(e[0]) || 1) * 0.1, e[1] + (Math.abs(e[1]) || 1) * 0.1];
  // widen to the next round tick when that costs little; otherwise a small margin
  const span = e[1] - e[0], step = niceStep(span, count);
  const lo = Math.floor(e[0] / step + 1e-9) * step, hi = Math.ceil(e[1] / step - 1e-9) * step;
  return [e[0] - lo <= 0.08 * span ? lo : e[0] - 0.03 * span, hi - e[1] <= 0.08 * span ? hi : e[1] + 0.03 * span];
}

// ---------------------------------------------------------------- scene

export type Prim =
  | { t: 'line'; pts: Pt[]; stroke: string; width: number; dash?: Dash; cls: string }
  | { t: 'marker'; shape: Marker; x: number; y: number; r: number; color: string; cls: string }
  | { t: 'rect'; x: number; y: number; w: number; h: number; fill?: string; stroke?: string; width?: number; cls: string }
  | { t: 'area'; pts: Pt[]; fill: string; cls: string }
  | { t: 'text'; x: number; y: number; text: string; size: number; anchor: 'start' | 'middle' | 'end'; rotate?: boolean; cls: string };
export interface Scene { widthPt: number; heightPt: number; widthCm: number; prims: Prim[] }
export interface Box { x: number; y: number; w: number; h: number }

const DASHES: Record<Dash, number[] | undefined> = { solid: undefined, dashed: [3.2, 1.8], dotted: [0.8, 1.4] };
export const dashArray = (d: Dash | undefined): number[] | undefined => DASHES[d ?? 'solid'];

const overlap = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
/** Does the segment a–b pass through box r? (Liang–Barsky) */
export function segHitsBox(a: Pt, b: Pt, r: Box): boolean {
  let t0 = 0, t1 = 1;
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const tests: [number, number][] = [[-dx, a[0] - r.x], [dx, r.x + r.w - a[0]], [-dy, a[1] - r.y], [dy, r.y + r.h - a[1]]];
  for (const [p, q] of tests) {
    if (p === 0) { if (q < 0) return false; continue; }
    const t = q / p;
    if (p < 0) { if (t > t1) return false; if (t > t0) t0 = t; } else { if (t < t0) return false; if (t < t1) t1 = t; }
  }
  return true;
}
/** Clip a polyline to a box: the visible runs. */
function clipPolyline(pts: Pt[], r: Box): Pt[][] {
  const runs: Pt[][] = [];
  let cur: Pt[] = [];
  const inside = (p: Pt): boolean => p[0] >= r.x - 1e-6 && p[0] <= r.x + r.w + 1e-6 && p[1] >= r.y - 1e-6 && p[1] <= r.y + r.h + 1e-6;
  for (let k = 0; k < pts.length; k++) {
    const p = pts[k]!;
    if (k === 0) { if (inside(p)) cur.push(p); continue; }
    const a = pts[k - 1]!;
    if (inside(a) && inside(p)) { if (!cur.length) cur.push(a); cur.push(p); continue; }
    // Liang–Barsky with the parameters kept
    let t0 = 0, t1 = 1, ok = true;
    const dx = p[0] - a[0], dy = p[1] - a[1];
    for (const [pp, q] of [[-dx, a[0] - r.x], [dx, r.x + r.w - a[0]], [-dy, a[1] - r.y], [dy, r.y + r.h - a[1]]] as [number, number][]) {
      if (pp === 0) { if (q < 0) ok = false; continue; }
      const t = q / pp;
      if (pp < 0) { if (t > t1) ok = false; else if (t > t0) t0 = t; } else { if (t < t0) ok = false; else if (t < t1) t1 = t; }
    }
    if (!ok) { if (cur.length > 1) runs.push(cur); cur = []; continue; }
    const s: Pt = [a[0] + t0 * dx, a[1] + t0 * dy], e: Pt = [a[0] + t1 * dx, a[1] + t1 * dy];
    if (!cur.length) cur.push(s);
    cur.push(e);
    if (t1 < 1) { if (cur.length > 1) runs.push(cur); cur = []; }
  }
  if (cur.length > 1) runs.push(cur);
  return runs;
}

/** What a label must not cover: data segments and marker boxes, in points. */
class Obstacles {
  segs: [Pt, Pt][] = [];
  boxes: Box[] = [];
  hits(b: Box): boolean {
    for (const o of this.boxes) if (overlap(o, b)) return true;
    for (const [a, c] of this.segs) {
      if (Math.max(a[0], c[0]) < b.x || Math.min(a[0], c[0]) > b.x + b.w || Math.max(a[1], c[1]) < b.y || Math.min(a[1], c[1]) > b.y + b.h) continue;
      if (segHitsBox(a, c, b)) return true;
    }
    return false;
  }
}

// ---------------------------------------------------------------- legend

const SYMBOL_W = 16, SYMBOL_GAP = 4, ENTRY_GAP = 8, LEGEND_PAD = 3;
interface LegendLayout { w: number; h: number; cols: number; colW: number; rows: { entry: LegendEntry; lines: string[] }[][]; splitWords: boolean }

function layoutLegend(entries: LegendEntry[], maxW: number, cols: number): LegendLayout {
  const textMax = Math.max(20, (maxW - cols * (SYMBOL_W + SYMBOL_GAP) - (cols - 1) * ENTRY_GAP) / cols);
  const items = entries.map((entry) => ({ entry, lines: wrapText(entry.label, textMax, LEGEND_PT) }));
  const textW = Math.max(...items.map((i) => Math.max(...i.lines.map((l) => textWidth(l, LEGEND_PT)))));
  const colW = SYMBOL_W + SYMBOL_GAP + textW;
  const perCol = Math.ceil(items.length / cols);
  const columns: typeof items[] = [];
  for (let c = 0; c < cols; c++) columns.push(items.slice(c * perCol, (c + 1) * perCol));
  const colH = (col: typeof items): number => col.reduce((s, i) => s + i.lines.length * lineHeight(LEGEND_PT) + 1, 0);
  const splitWords = entries.some((e) => e.label.split(/[\s_\-.,/]+/).some((w) => textWidth(w, LEGEND_PT) > textMax));
  return { w: cols * colW + (cols - 1) * ENTRY_GAP + 2 * LEGEND_PAD, h: Math.max(...columns.map(colH)) + 2 * LEGEND_PAD, cols, colW, rows: columns, splitWords };
}

function drawLegend(l: LegendLayout, x0: number, y0: number, prims: Prim[]): void {
  l.rows.forEach((col, c) => {
    let y = y0 + LEGEND_PAD;
    const x = x0 + LEGEND_PAD + c * (l.colW + ENTRY_GAP);
    for (const { entry: e, lines } of col) {
      const mid = y + lineHeight(LEGEND_PT) / 2;
      if (e.swatch) prims.push({ t: 'rect', x: x + 4, y: mid - 4, w: 8, h: 8, fill: e.color, cls: 'legend-symbol' });
      if (e.line !== false && !e.swatch) prims.push({ t: 'line', pts: [[x, mid], [x + SYMBOL_W, mid]], stroke: e.color, width: 1, dash: e.dash, cls: 'legend-symbol' });
      if (e.marker && e.marker !== 'none') prims.push({ t: 'marker', shape: e.marker, x: x + SYMBOL_W / 2, y: mid, r: 1.8, color: e.color, cls: 'legend-symbol' });
      lines.forEach((ln, k) => prims.push({ t: 'text', x: x + SYMBOL_W + SYMBOL_GAP, y: y + k * lineHeight(LEGEND_PT) + LEGEND_PT * 0.95, text: ln, size: LEGEND_PT, anchor: 'start', cls: 'legend-label' }));
      y += lines.length * lineHeight(LEGEND_PT) + 1;
    }
  });
}

// ---------------------------------------------------------------- layout

interface PanelGeom { p: Panel; x: number; y: number; w: number; h: number; xd: [number, number]; yd: [number, number]; y2d?: [number, number]; xt: number[]; yt: number[]; y2t?: number[] }
const textBox = (x: number, y: number, s: string, size: number, anchor: 'start' | 'middle' | 'end'): Box => {
  const w = textWidth(s, size);
  const left = anchor === 'start' ? x : anchor === 'middle' ? x - w / 2 : x - w;
  return { x: left, y: y - ASCENT_EM * size, w, h: (ASCENT_EM + DESCENT_EM) * size };
};

/** Lay a figure out into absolute primitives (points, origin top left). */
export function layout(fig: Figure): Scene {
  const W = WIDTH_CM[fig.size] * PT_PER_CM;
  const prims: Prim[] = [];
  const tickFmt = (ax: Axis, ticks: number[]): ((v: number) => string) => ax.format ?? formatTicks(ticks);
  // domains and ticks
  const count = fig.size === 'double' ? 7 : 5;
  const geoms: PanelGeom[] = fig.panels.map((p) => {
    const xs: number[] = [], ys: number[] = [], y2s: number[] = [];
    for (const s of p.series) for (const [x, y] of s.points) { xs.push(x); (s.axis === 'y2' ? y2s : ys).push(y); }
    for (const b of p.bands ?? []) xs.push(b.x0, b.x1);
    for (const a of p.areas ?? []) for (const [x, y] of a.pts) { xs.push(x); ys.push(y); }
    let xd = axisDomain(p.x, xs, Math.max(3, Math.round(count * (p.weight ?? 1) / fig.panels.length) + (fig.panels.length > 1 ? 1 : 0)));
    let yd = axisDomain(p.y, ys, count);
    if (p.equal && !p.x.domain && !p.y.domain) {
      const span = Math.max(xd[1] - xd[0], yd[1] - yd[0]);
      xd = [xd[0], xd[0] + span]; yd = [yd[0], yd[0] + span];
    }
    const y2d = p.y2 ? axisDomain(p.y2, y2s, count) : undefined;
    const tk = (ax: Axis, d: [number, number], n: number): number[] => (ax.ticks ?? niceTicks(d[0], d[1], n)).filter((v) => v >= d[0] - 1e-9 * Math.abs(d[1] - d[0]) && v <= d[1] + 1e-9 * Math.abs(d[1] - d[0]));
    const nx = Math.max(2, Math.round(count * (p.weight ?? 1) / (fig.panels.length > 1 ? 2 : 1)));
    return { p, x: 0, y: 0, w: 0, h: 0, xd, yd, y2d, xt: tk(p.x, xd, nx), yt: tk(p.y, yd, count), y2t: p.y2 && y2d ? tk(p.y2, y2d, count) : undefined };
  });
  if (fig.sharedY && geoms.length > 1) {
    const lo = Math.min(...geoms.map((g) => g.yd[0])), hi = Math.max(...geoms.map((g) => g.yd[1]));
    const yt = geoms[0]!.p.y.domain ? geoms[0]!.yt : niceTicks(lo, hi, count);
    for (const g of geoms) { g.yd = fig.panels[0]!.y.domain ?? [lo, hi]; g.yt = yt; }
  }
  // margins
  const tickLabelW = (g: PanelGeom, ax: Axis, t: number[]): number => Math.max(0, ...t.map((v) => textWidth(tickFmt(ax, t)(v), TICK_PT)));
  const titleLH = lineHeight(TITLE_PT);
  const g0 = geoms[0]!, gl = geoms[geoms.length - 1]!;
  // rotated axis titles longer than the plot is high are wrapped onto more lines
  const estH = (W - 70) * (fig.aspect ?? 0.72) / (fig.panels.length > 1 ? 1.4 : 1);
  const yLines = wrapText(g0.p.y.title, geoms.some((g) => g.p.equal) ? (W - 70) / fig.panels.length : estH, TITLE_PT);
  const y2Lines = gl.p.y2 ? wrapText(gl.p.y2.title, estH, TITLE_PT) : [];
  const left = 3 + yLines.length * titleLH + 3 + tickLabelW(g0, g0.p.y, g0.yt) + 3;
  const right = gl.p.y2 && gl.y2t ? 3 + tickLabelW(gl, gl.p.y2, gl.y2t) + 3 + y2Lines.length * titleLH + 3 : 4 + textWidth(tickFmt(gl.p.x, gl.xt)(gl.xt[gl.xt.length - 1] ?? 0), TICK_PT) / 2;
  const titleLines = fig.title ? wrapText(fig.title, W - 8, TITLE_PT) : [];
  const top = titleLines.length ? 4 + titleLines.length * titleLH + 4 : 6;
  const gap = fig.sharedY ? 8 : 10 + tickLabelW(g0, g0.p.y, g0.yt) + titleLH;
  const xTitleLines = geoms.map((g) => ({ g, lines: [] as string[] }));
  const plotWTotal = W - left - right - gap * (geoms.length - 1);
  const weights = geoms.map((g) => g.p.weight ?? 1), wsum = weights.reduce((a, b) => a + b, 0);
  let x = left;
  geoms.forEach((g, k) => { g.w = plotWTotal * weights[k]! / wsum; g.x = x; x += g.w + gap; });
  // side-by-side panels whose later x titles are empty share the first one's title, centred under all
  const spanTitle = geoms.length > 1 && geoms.slice(1).every((g) => !g.p.x.title);
  for (const t of xTitleLines) t.lines = t.g.p.x.title ? wrapText(t.g.p.x.title, spanTitle ? plotWTotal + gap * (geoms.length - 1) : t.g.w + (fig.panels.length > 1 ? gap - 4 : 0), TITLE_PT) : [];
  const xTitleH = Math.max(...xTitleLines.map((t) => t.lines.length)) * titleLH;
  const plotH = geoms.some((g) => g.p.equal) ? Math.min(...geoms.map((g) => g.w)) : plotWTotal * (fig.aspect ?? 0.72) / (fig.panels.length > 1 ? 1.4 : 1);
  for (const g of geoms) { g.y = top; g.h = plotH; if (g.p.equal) { const s = Math.min(g.w, plotH); g.w = s; } }
  const bottomAxes = top + plotH + XLAB_PAD + lineHeight(TICK_PT) + 2 + xTitleH + 3;

  // scales
  const sx = (g: PanelGeom, v: number): number => g.x + ((v - g.xd[0]) / (g.xd[1] - g.xd[0])) * g.w;
  const sy = (g: PanelGeom, v: number, d = g.yd): number => g.y + g.h - ((v - d[0]) / (d[1] - d[0])) * g.h;

  // data into points, clipped; obstacles per panel
  const obstacles = geoms.map(() => new Obstacles());
  const dataPrims: Prim[] = [];
  geoms.forEach((g, gi) => {
    const box: Box = { x: g.x, y: g.y, w: g.w, h: g.h };
    for (const b of g.p.bands ?? []) {
      const x0 = Math.max(g.x, sx(g, Math.min(b.x0, b.x1))), x1 = Math.min(g.x + g.w, sx(g, Math.max(b.x0, b.x1)));
      if (x1 > x0) dataPrims.push({ t: 'rect', x: x0, y: g.y, w: x1 - x0, h: g.h, fill: b.fill, cls: 'band' });
    }
    for (const a of g.p.areas ?? []) {
      // clipped to the frame; the polygon's bounding box is kept free of labels
      const pts: Pt[] = a.pts.map(([u, v]) => [Math.min(box.x + box.w, Math.max(box.x, sx(g, u))), Math.min(box.y + box.h, Math.max(box.y, sy(g, v)))]);
      if (pts.length < 3) continue;
      dataPrims.push({ t: 'area', pts, fill: a.fill, cls: 'area' });
      const xs = pts.map((q) => q[0]), ys = pts.map((q) => q[1]);
      obstacles[gi]!.boxes.push({ x: Math.min(...xs), y: Math.min(...ys), w: Math.max(...xs) - Math.min(...xs), h: Math.max(...ys) - Math.min(...ys) });
    }
    for (const r of g.p.rules ?? []) {
      const pts: Pt[] = r.y !== undefined ? [[g.x, sy(g, r.y)], [g.x + g.w, sy(g, r.y)]] : [[sx(g, r.x!), g.y], [sx(g, r.x!), g.y + g.h]];
      for (const run of clipPolyline(pts, box)) { dataPrims.push({ t: 'line', pts: run, stroke: '#777777', width: 0.6, dash: 'dashed', cls: 'rule' }); obstacles[gi]!.segs.push([run[0]!, run[run.length - 1]!]); }
    }
    for (const s of g.p.series) {
      const d = s.axis === 'y2' ? g.y2d! : g.yd;
      const pts: Pt[] = s.points.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b)).map(([a, b]) => [sx(g, a), sy(g, b, d)]);
      if (s.line) for (const run of clipPolyline(pts, box)) {
        dataPrims.push({ t: 'line', pts: run, stroke: s.color, width: 1, dash: s.dash, cls: 'mark' });
        for (let k = 1; k < run.length; k++) obstacles[gi]!.segs.push([run[k - 1]!, run[k]!]);
      }
      if (s.marker !== 'none') {
        const every = s.markerEvery ?? 1;
        pts.forEach((p, k) => {
          if (k % every || p[0] < box.x || p[0] > box.x + box.w || p[1] < box.y || p[1] > box.y + box.h) return;
          dataPrims.push({ t: 'marker', shape: s.marker, x: p[0], y: p[1], r: 1.6, color: s.color, cls: 'mark' });
          obstacles[gi]!.boxes.push({ x: p[0] - 2, y: p[1] - 2, w: 4, h: 4 });
        });
      }
    }
  });

  // legend: an empty corner of a panel, else below the axes
  const placed: Box[] = [];
  let legendAt: { l: LegendLayout; x: number; y: number } | null = null;
  if (fig.legend.length) {
    for (const g of [...geoms].reverse()) {
      const l = layoutLegend(fig.legend, g.w * 0.6, 1);
      if (l.w > g.w - 6 || l.h > g.h * 0.7 || l.splitWords) continue;
      const m = 3;
      const corners: [number, number][] = [[g.x + g.w - l.w - m, g.y + m], [g.x + m, g.y + m], [g.x + g.w - l.w - m, g.y + g.h - l.h - m], [g.x + m, g.y + g.h - l.h - m]];
      for (const [cx, cy] of corners) {
        const b: Box = { x: cx - 2, y: cy - 2, w: l.w + 4, h: l.h + 4 };
        // nor on a note's anchor: the note needs room next to it (rate step labels above the data)
        const nearNote = (g.p.notes ?? []).some((n) => { const px = sx(g, n.x), py = sy(g, n.y); return px > b.x - 8 && px < b.x + b.w + 8 && py > b.y - 10 && py < b.y + b.h + 10; });
        if (!nearNote && !obstacles[geoms.indexOf(g)]!.hits(b)) { legendAt = { l, x: cx, y: cy }; break; }
      }
      if (legendAt) break;
    }
  }
  let height = bottomAxes;
  if (fig.legend.length && !legendAt) {
    const avail = W - 8;
    let cols = Math.max(1, Math.min(fig.legend.length, 4));
    let l = layoutLegend(fig.legend, avail, cols);
    while (cols > 1 && (l.w > avail || l.splitWords || l.rows.some((col) => col.some((i) => i.lines.length > 2)))) { cols--; l = layoutLegend(fig.legend, avail, cols); }
    legendAt = { l, x: Math.max(4, (W - l.w) / 2), y: bottomAxes + 2 };
    height = bottomAxes + 2 + l.h + 4;
  }
  if (legendAt) { drawLegend(legendAt.l, legendAt.x, legendAt.y, prims); placed.push({ x: legendAt.x, y: legendAt.y, w: legendAt.l.w, h: legendAt.l.h }); }

  // frame, ticks (inside), tick labels, axis titles
  const axisPrims: Prim[] = [];
  geoms.forEach((g, gi) => {
    axisPrims.push({ t: 'rect', x: g.x, y: g.y, w: g.w, h: g.h, stroke: '#000000', width: 0.6, cls: 'frame' });
    const fx = tickFmt(g.p.x, g.xt);
    for (const v of g.xt) {
      const px = sx(g, v);
      axisPrims.push({ t: 'line', pts: [[px, g.y + g.h], [px, g.y + g.h - 3]], stroke: '#000000', width: 0.6, cls: 'tick' });
      axisPrims.push({ t: 'text', x: px, y: g.y + g.h + XLAB_PAD + TICK_PT * ASCENT_EM, text: fx(v), size: TICK_PT, anchor: 'middle', cls: 'tick-label' });
    }
    const showY = gi === 0 || !fig.sharedY;
    const fy = tickFmt(g.p.y, g.yt);
    for (const v of g.yt) {
      const py = sy(g, v);
      axisPrims.push({ t: 'line', pts: [[g.x, py], [g.x + 3, py]], stroke: '#000000', width: 0.6, cls: 'tick' });
      if (!g.p.y2) axisPrims.push({ t: 'line', pts: [[g.x + g.w, py], [g.x + g.w - 3, py]], stroke: '#000000', width: 0.6, cls: 'tick' });
      if (showY) axisPrims.push({ t: 'text', x: g.x - 3, y: py + TICK_PT * 0.35, text: fy(v), size: TICK_PT, anchor: 'end', cls: 'tick-label' });
    }
    if (showY) {
      const lw = tickLabelW(g, g.p.y, g.yt);
      const lines = gi === 0 ? yLines : wrapText(g.p.y.title, g.h, TITLE_PT);
      lines.forEach((ln, k) => axisPrims.push({ t: 'text', x: g.x - 3 - lw - 3 - DESCENT_EM * TITLE_PT - (lines.length - 1 - k) * titleLH, y: g.y + g.h / 2, text: ln, size: TITLE_PT, anchor: 'middle', rotate: true, cls: 'axis-title' }));
    }
    if (g.p.y2 && g.y2t && g.y2d) {
      const f2 = tickFmt(g.p.y2, g.y2t);
      for (const v of g.y2t) {
        const py = sy(g, v, g.y2d);
        axisPrims.push({ t: 'line', pts: [[g.x + g.w, py], [g.x + g.w - 3, py]], stroke: '#000000', width: 0.6, cls: 'tick' });
        axisPrims.push({ t: 'text', x: g.x + g.w + 3, y: py + TICK_PT * 0.35, text: f2(v), size: TICK_PT, anchor: 'start', cls: 'tick-label' });
      }
      const lw = tickLabelW(g, g.p.y2, g.y2t);
      y2Lines.forEach((ln, k) => axisPrims.push({ t: 'text', x: g.x + g.w + 3 + lw + 3 + ASCENT_EM * TITLE_PT + k * titleLH, y: g.y + g.h / 2, text: ln, size: TITLE_PT, anchor: 'middle', rotate: true, cls: 'axis-title' }));
    }
    const tx = spanTitle ? (geoms[0]!.x + gl.x + gl.w) / 2 : g.x + g.w / 2;
    xTitleLines[gi]!.lines.forEach((ln, k) => axisPrims.push({ t: 'text', x: tx, y: g.y + g.h + XLAB_PAD + lineHeight(TICK_PT) + 2 + k * titleLH + TITLE_PT * ASCENT_EM, text: ln, size: TITLE_PT, anchor: 'middle', cls: 'axis-title' }));
  });
  titleLines.forEach((ln, k) => axisPrims.push({ t: 'text', x: W / 2, y: 4 + k * titleLH + TITLE_PT * ASCENT_EM, text: ln, size: TITLE_PT, anchor: 'middle', cls: 'title' }));

  // notes and rule labels: next to their anchor, inside the plot, over nothing
  const notePrims: Prim[] = [];
  geoms.forEach((g, gi) => {
    const inner: Box = { x: g.x + 1, y: g.y + 1, w: g.w - 2, h: g.h - 2 };
    const free = (b: Box): boolean => b.x >= inner.x && b.y >= inner.y && b.x + b.w <= inner.x + inner.w && b.y + b.h <= inner.y + inner.h && !obstacles[gi]!.hits(b) && !placed.some((o) => overlap(o, b));
    const put = (candidates: [number, number, 'start' | 'middle' | 'end'][], text: string): boolean => {
      for (const [cx, cy, anchor] of candidates) {
        const b = textBox(cx, cy, text, NOTE_PT, anchor);
        const padded = { x: b.x - 1, y: b.y - 1, w: b.w + 2, h: b.h + 2 };
        if (free(padded)) { notePrims.push({ t: 'text', x: cx, y: cy, text, size: NOTE_PT, anchor, cls: 'note' }); placed.push(padded); return true; }
      }
      return false;
    };
    for (const r of g.p.rules ?? []) {
      if (!r.label) continue;
      const cands: [number, number, 'start' | 'middle' | 'end'][] = [];
      if (r.y !== undefined) {
        const py = sy(g, r.y);
        for (let f = 0; f <= 1.0001; f += 0.1) for (const dy of [-2, 2 + NOTE_PT * ASCENT_EM]) cands.push([g.x + 3 + f * (g.w - 6), py + dy, f < 0.5 ? 'start' : 'end']);
      } else {
        const px = sx(g, r.x!);
        for (let f = 0; f <= 1.0001; f += 0.1) for (const [dx, an] of [[2, 'start'], [-2, 'end']] as const) cands.push([px + dx, g.y + 3 + NOTE_PT + f * (g.h - 6 - NOTE_PT), an]);
      }
      put(cands, r.label);
    }
    for (const n of g.p.notes ?? []) {
      const px = sx(g, n.x), py = sy(g, n.y), d = 3, a = NOTE_PT * ASCENT_EM;
      if (n.centred) { put([[px, py + a / 2, 'middle'], [px, py - a / 2 - 1, 'middle'], [px, py + 1.5 * a + 1, 'middle']], n.text); continue; }
      put([[px + d, py - d, 'start'], [px + d, py + d + a, 'start'], [px - d, py - d, 'end'], [px - d, py + d + a, 'end'], [px, py - d - 1, 'middle'], [px, py + d + a + 1, 'middle'],
        [px + 2 * d, py + a / 2, 'start'], [px - 2 * d, py + a / 2, 'end'], [px + 3 * d, py - 3 * d, 'start'], [px - 3 * d, py + 3 * d + a, 'end'], [px + 3 * d, py + 3 * d + a, 'start'], [px - 3 * d, py - 3 * d, 'end']], n.text);
    }
  });

  return { widthPt: W, heightPt: height, widthCm: WIDTH_CM[fig.size], prims: [...dataPrims, ...axisPrims, ...notePrims, ...prims] };
}

// ---------------------------------------------------------------- SVG

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n2 = (v: number): string => (Math.round(v * 100) / 100).toString();
function markerPath(shape: Marker, x: number, y: number, r: number): string {
  if (shape === 'triangle') return `M${n2(x)} ${n2(y - r * 1.2)}L${n2(x + r * 1.1)} ${n2(y + r * 0.7)}L${n2(x - r * 1.1)} ${n2(y + r * 0.7)}Z`;
  return `M${n2(x - r)} ${n2(y - r)}L${n2(x + r)} ${n2(y - r)}L${n2(x + r)} ${n2(y + r)}L${n2(x - r)} ${n2(y + r)}Z`;
}

/** The scene as a standalone SVG, sized in centimetres (1 user unit = 1 pt). */
export function toSvg(s: Scene): string {
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${s.widthCm}cm" height="${n2(s.heightPt / PT_PER_CM)}cm" viewBox="0 0 ${n2(s.widthPt)} ${n2(s.heightPt)}" font-family="${esc(FONT_FAMILY)}">`);
  out.push(`<rect class="background" x="0" y="0" width="${n2(s.widthPt)}" height="${n2(s.heightPt)}" fill="#FFFFFF"/>`);
  for (const p of s.prims) {
    switch (p.t) {
      case 'line': {
        const d = 'M' + p.pts.map(([x, y]) => `${n2(x)} ${n2(y)}`).join('L');
        const da = dashArray(p.dash);
        out.push(`<path class="${p.cls}" d="${d}" fill="none" stroke="${p.stroke}" stroke-width="${p.width}"${da ? ` stroke-dasharray="${da.join(' ')}"` : ''} stroke-linejoin="round"/>`);
        break;
      }
      case 'marker':
        if (p.shape === 'circle' || p.shape === 'circle-open') out.push(`<circle class="${p.cls}" cx="${n2(p.x)}" cy="${n2(p.y)}" r="${p.r}" fill="${p.shape === 'circle' ? p.color : '#FFFFFF'}" stroke="${p.color}" stroke-width="0.6"/>`);
        else out.push(`<path class="${p.cls}" d="${markerPath(p.shape, p.x, p.y, p.r)}" fill="${p.color}"/>`);
        break;
      case 'area':
        out.push(`<path class="${p.cls}" d="M${p.pts.map(([x, y]) => `${n2(x)} ${n2(y)}`).join('L')}Z" fill="${p.fill}" stroke="none"/>`);
        break;
      case 'rect':
        out.push(`<rect class="${p.cls}" x="${n2(p.x)}" y="${n2(p.y)}" width="${n2(p.w)}" height="${n2(p.h)}" fill="${p.fill ?? 'none'}"${p.stroke ? ` stroke="${p.stroke}" stroke-width="${p.width ?? 1}"` : ''}/>`);
        break;
      case 'text': {
        const rot = p.rotate ? ` transform="rotate(-90 ${n2(p.x)} ${n2(p.y)})"` : '';
        out.push(`<text class="${p.cls}" x="${n2(p.x)}" y="${n2(p.y)}" font-size="${p.size}" text-anchor="${p.anchor}"${rot} fill="#000000">${esc(p.text)}</text>`);
        break;
      }
    }
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}
