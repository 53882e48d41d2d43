/**
 * Figures as Vega-Lite specifications, rendered to self-contained SVG by Vega in Node (no browser,
 * no canvas). Sizes fit a journal column (about 8.5 cm wide).
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export const COLUMN_WIDTH = 300;
export const COLUMN_HEIGHT = 220;

export const BASE_CONFIG = {
  font: 'Arial, Helvetica, sans-serif',
  axis: { labelFontSize: 10, titleFontSize: 11, titleFontWeight: 'normal', grid: false, tickColor: '#000', domainColor: '#000', labelColor: '#000', titleColor: '#000' },
  legend: { labelFontSize: 9, titleFontSize: 10, symbolSize: 60, labelLimit: 260 },
  view: { stroke: '#000' },
  line: { strokeWidth: 1.2 },
  point: { size: 18 },
} as const;

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vg = compile(spec).spec;
  const view = new vega.View(vega.parse(vg), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** At most `max` points of a series, evenly taken (keeps the first and the last). */
export function thin<T>(xs: T[], max: number): T[] {
  if (xs.length <= max) return xs;
  const out: T[] = [];
  const step = (xs.length - 1) / (max - 1);
  for (let k = 0; k < max; k++) out.push(xs[Math.round(k * step)]!);
  return out;
}
