/**
 * A laid-out figure as SVG, PNG or PDF. The SVG is the figure; the PNG is that SVG rasterised by resvg
 * with the bundled DejaVu Sans (so it looks the same on every machine); the PDF draws the same scene
 * with PDFKit, DejaVu Sans embedded as a subset, vectors kept.
 */
import { createRequire } from 'node:module';
import { dashArray, layout, toSvg, type Figure, type Scene } from './style.js';

export type FigureFormat = 'svg' | 'png' | 'pdf';

const require = createRequire(import.meta.url);
/** The TrueType file of the house font (from the dejavu-fonts-ttf package). */
export function fontPath(): string { return require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'); }

export function formatOf(path: string): FigureFormat | null {
  const m = /\.(svg|png|pdf)$/i.exec(path);
  return m ? (m[1]!.toLowerCase() as FigureFormat) : null;
}

/** Pixel size of a PNG at `dpi` for a scene. */
export function pngSize(scene: Scene, dpi: number): { width: number; height: number } {
  return { width: Math.round((scene.widthPt / 72) * dpi), height: Math.round((scene.heightPt / 72) * dpi) };
}

export async function svgToPng(svg: string, widthPx: number): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const r = new Resvg(svg, {
    fitTo: { mode: 'width', value: widthPx },
    background: '#FFFFFF',
    font: { fontFiles: [fontPath()], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return Buffer.from(r.render().asPng());
}

export async function sceneToPdf(s: Scene, meta: { title?: string } = {}): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({ size: [s.widthPt, s.heightPt], margin: 0, autoFirstPage: true, info: { Title: meta.title ?? 'hcarb figure', Creator: 'hcarb' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((res) => doc.on('end', () => res()));
  doc.registerFont('house', fontPath());
  doc.font('house');
  doc.rect(0, 0, s.widthPt, s.heightPt).fill('#FFFFFF');
  for (const p of s.prims) {
    doc.save();
    switch (p.t) {
      case 'line': {
        doc.moveTo(p.pts[0]![0], p.pts[0]![1]);
        for (const [x, y] of p.pts.slice(1)) doc.lineTo(x, y);
        const da = dashArray(p.dash);
        if (da) doc.dash(da[0]!, { space: da[1]! });
        doc.lineWidth(p.width).lineJoin('round').stroke(p.stroke);
        break;
      }
      case 'marker': {
        const { x, y, r } = p;
        if (p.shape === 'circle') doc.circle(x, y, r).fillAndStroke(p.color, p.color);
        else if (p.shape === 'circle-open') doc.lineWidth(0.6).circle(x, y, r).fillAndStroke('#FFFFFF', p.color);
        else if (p.shape === 'triangle') doc.polygon([x, y - r * 1.2], [x + r * 1.1, y + r * 0.7], [x - r * 1.1, y + r * 0.7]).fill(p.color);
        else doc.rect(x - r, y - r, 2 * r, 2 * r).fill(p.color);
        break;
      }
      case 'area':
        doc.polygon(...p.pts.map(([x, y]) => [x, y] as [number, number])).fill(p.fill);
        break;
      case 'rect':
        doc.rect(p.x, p.y, p.w, p.h);
        if (p.fill && p.stroke) doc.lineWidth(p.width ?? 1).fillAndStroke(p.fill, p.stroke);
        else if (p.fill) doc.fill(p.fill);
        else if (p.stroke) doc.lineWidth(p.width ?? 1).stroke(p.stroke);
        break;
      case 'text': {
        doc.fontSize(p.size).fillColor('#000000');
        const w = doc.widthOfString(p.text);
        const dx = p.anchor === 'start' ? 0 : p.anchor === 'middle' ? -w / 2 : -w;
        if (p.rotate) doc.rotate(-90, { origin: [p.x, p.y] });
        doc.text(p.text, p.x + dx, p.y, { lineBreak: false, baseline: 'alphabetic' });
        break;
      }
    }
    doc.restore();
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/** Draw a figure in a format: SVG text, or PNG / PDF bytes. */
export async function renderFigure(fig: Figure, format: FigureFormat, o: { dpi?: number } = {}): Promise<{ data: string | Buffer; scene: Scene }> {
  const scene = layout(fig);
  const svg = toSvg(scene);
  if (format === 'svg') return { data: svg, scene };
  if (format === 'png') return { data: await svgToPng(svg, pngSize(scene, o.dpi ?? 300).width), scene };
  return { data: await sceneToPdf(scene, { title: fig.title }), scene };
}

/** At most `max` points of a series, evenly taken (keeps the first and the last). */
export function thin<T>(xs: T[], max: number): T[] {
  if (xs.length <= max) return xs;
  const out: T[] = [];
  const step = (xs.length - 1) / (max - 1);
  for (let k = 0; k < max; k++) out.push(xs[Math.round(k * step)]!);
  return out;
}
