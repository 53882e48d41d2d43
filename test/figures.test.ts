// Figures from their geometry: for every kind, with one, two and five overlaid files whose names are
// 40 characters long, no legend or label box covers a data mark or another label, no text is cut
// ("…"), every axis title carries its unit, and every file's full name is in the legend. Text boxes
// are measured here with fontkit from the bundled DejaVu Sans (not with the renderer's own table).
// PNG: pixel size from --dpi and not blank (decoded here with zlib). PDF: parsed by pdf.js, one page,
// the axis titles present as text, the font embedded.
import { describe, expect, it } from 'vitest';
import { SaxesParser } from 'saxes';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import * as fontkit from 'fontkit';
import { ROOT, hcarb } from './helpers/io.js';
import { rateCapabilityPlan } from '../src/generate/rate.js';
import { encodeLines, landLines } from '../src/generate/land.js';

const require = createRequire(import.meta.url);
const font = fontkit.openSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')) as unknown as { unitsPerEm: number; ascent: number; descent: number; layout(s: string): { advanceWidth: number } };
const em = font.unitsPerEm;

interface Box { x: number; y: number; w: number; h: number; what: string }
type Seg = [number, number, number, number];
interface Geometry { texts: Box[]; symbols: Box[]; segs: Seg[]; marks: Box[]; axisTitles: string[]; legend: string[]; all: string[]; width: string; height: string }

function pathPoints(d: string): { pts: [number, number][]; closed: boolean } {
  const nums = d.replace(/[MLZ]/g, ' ').trim().split(/[\s,]+/).filter(Boolean).map(Number);
  const pts: [number, number][] = [];
  for (let k = 0; k + 1 < nums.length; k += 2) pts.push([nums[k]!, nums[k + 1]!]);
  if (!/^M[^A-Za-z]*(L[^A-Za-z]*)*Z?$/.test(d.replace(/\s/g, ''))) throw new Error(`unexpected path commands: ${d.slice(0, 40)}`);
  return { pts, closed: d.includes('Z') };
}

/** Every text box, legend-symbol box, data segment and marker box of a figure, in SVG user units. */
function geometry(svg: string): Geometry {
  const g: Geometry = { texts: [], symbols: [], segs: [], marks: [], axisTitles: [], legend: [], all: [], width: '', height: '' };
  const p = new SaxesParser();
  let open: Record<string, string> | null = null;
  p.on('opentag', (t) => {
    const a = t.attributes as Record<string, string>;
    if (t.name === 'svg') { g.width = a.width!; g.height = a.height!; }
    const cls = a.class ?? '';
    // a shaded area or bar ('area') is data too: its bounding box must stay free of labels
    const isData = cls === 'mark' || cls === 'rule' || cls === 'area';
    const isSym = cls === 'legend-symbol';
    if (t.name === 'text') open = a;
    if (!isData && !isSym) return;
    const boxes = isData ? g.marks : g.symbols;
    if (t.name === 'circle') { const r = Number(a.r); boxes.push({ x: Number(a.cx) - r, y: Number(a.cy) - r, w: 2 * r, h: 2 * r, what: cls }); return; }
    if (t.name === 'rect') { boxes.push({ x: Number(a.x), y: Number(a.y), w: Number(a.width), h: Number(a.height), what: cls }); return; }
    if (t.name === 'path') {
      const { pts, closed } = pathPoints(a.d!);
      if (closed || isSym) {
        const xs = pts.map((q) => q[0]), ys = pts.map((q) => q[1]);
        boxes.push({ x: Math.min(...xs), y: Math.min(...ys), w: Math.max(...xs) - Math.min(...xs) || 0.01, h: Math.max(...ys) - Math.min(...ys) || 0.01, what: cls });
      } else for (let k = 1; k < pts.length; k++) g.segs.push([pts[k - 1]![0], pts[k - 1]![1], pts[k]![0], pts[k]![1]]);
    }
  });
  p.on('text', (s) => {
    if (!open) return;
    const a = open; open = null;
    const size = Number(a['font-size']);
    const w = (font.layout(s).advanceWidth / em) * size, asc = (font.ascent / em) * size, desc = (-font.descent / em) * size;
    const x = Number(a.x), y = Number(a.y), anchor = a['text-anchor'] ?? 'start';
    const left = anchor === 'middle' ? x - w / 2 : anchor === 'end' ? x - w : x;
    let box: Box = { x: left, y: y - asc, w, h: asc + desc, what: `${a.class}: ${s}` };
    if (/rotate\(-90/.test(a.transform ?? '')) box = { x: x - asc, y: y - (left - x) - w, w: asc + desc, h: w, what: box.what };
    g.texts.push(box);
    g.all.push(s);
    if (a.class === 'axis-title') g.axisTitles.push(s);
    if (a.class === 'legend-label') g.legend.push(s);
  });
  p.write(svg).close();
  return g;
}

const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
function segCrosses(s: Seg, b: Box): boolean {
  // sample the segment finely: a box is hit when any sample falls inside it
  const n = Math.max(2, Math.ceil(Math.hypot(s[2] - s[0], s[3] - s[1]) / 0.25));
  for (let k = 0; k <= n; k++) {
    const x = s[0] + ((s[2] - s[0]) * k) / n, y = s[1] + ((s[3] - s[1]) * k) / n;
    if (x > b.x && x < b.x + b.w && y > b.y && y < b.y + b.h) return true;
  }
  return false;
}

/** Problems found in a figure's geometry (empty = fine). */
function problems(g: Geometry): string[] {
  const out: string[] = [];
  const labels = [...g.texts, ...g.symbols.map((b) => ({ ...b, what: 'legend symbol' }))];
  for (const b of labels) {
    const inner = { ...b, x: b.x + 0.05, y: b.y + 0.05, w: b.w - 0.1, h: b.h - 0.1 };
    const m = g.marks.find((o) => overlaps(inner, o));
    if (m) { out.push(`${b.what} covers a data mark at ${m.x.toFixed(1)},${m.y.toFixed(1)}`); continue; }
    const s = g.segs.find((q) => segCrosses(q, inner));
    if (s) out.push(`${b.what} is crossed by a data line at ${s.map((v) => v.toFixed(1)).join(',')}`);
  }
  for (let i = 0; i < g.texts.length; i++) for (let j = i + 1; j < g.texts.length; j++) {
    if (overlaps(g.texts[i]!, g.texts[j]!)) out.push(`'${g.texts[i]!.what}' overlaps '${g.texts[j]!.what}'`);
  }
  for (const t of g.all) if (t.includes('…') || t.includes('...')) out.push(`cut text: ${t}`);
  return out;
}
const squash = (xs: string[]): string => xs.join('').replace(/\s/g, '').normalize('NFKC');

const dir = mkdtempSync(join(tmpdir(), 'hcarb-fig-'));
/** Copies of a sample under 40-character names (stems), distinct per copy. */
function copies(sample: string, n: number, ext: string): string[] {
  return Array.from({ length: n }, (_, k) => {
    const stem = `hard-carbon_T1300C_ball-milled_cell-${String(k + 1).padStart(2, '0')}A`.padEnd(40, 'x').slice(0, 40);
    expect(stem).toHaveLength(40);
    const f = join(dir, stem + ext);
    copyFileSync(resolve(ROOT, sample), f);
    return f;
  });
}

// a rate-capability run (formation, then 30…2000 mA g⁻¹ and back) written by the LAND generator
const RATE_CSV = join(dir, 'rate-capability.csv');
writeFileSync(RATE_CSV, encodeLines([...landLines(rateCapabilityPlan().plan)]));
const CV_RATES = ['0.1', '0.2', '0.5', '1'].map((r) => `samples/npnhc-cv-rate-${r}mVs.txt`);

const KINDS: { kind: string; name?: string; sample: string; ext: string; args: string[]; titles: string[] }[] = [
  { kind: 'profile', sample: 'samples/npnhc-t1200.csv', ext: '.csv', args: ['--cycles', '1,2,40'], titles: ['Specific capacity (mAh g⁻¹)', 'Potential (V vs Na⁺/Na)'] },
  { kind: 'cycling', sample: 'samples/npnhc-t1200.csv', ext: '.csv', args: [], titles: ['Cycle number', 'Specific capacity (mAh g⁻¹)', 'Coulombic efficiency (%)'] },
  { kind: 'dqdv', sample: 'samples/npnhc-t1200.csv', ext: '.csv', args: [], titles: ['Potential (V vs Na⁺/Na)', 'dQ/dV (mAh g⁻¹ V⁻¹)'] },
  { kind: 'gitt', sample: 'samples/npnhc-gitt.csv', ext: '.csv', args: ['--mass', '3.8'], titles: ['Potential (V vs Na⁺/Na)', 'log₁₀ D (cm² s⁻¹)'] },
  { kind: 'cv', sample: 'samples/npnhc-cv-0.5mVs.txt', ext: '.txt', args: [], titles: ['Potential (V vs Na⁺/Na)', 'Current (µA)'] },
  { kind: 'nyquist', sample: 'samples/npnhc-eis.txt', ext: '.txt', args: [], titles: ['Z′ (Ω)', '−Z″ (Ω)'] },
  { kind: 'rate', sample: RATE_CSV, ext: '.csv', args: [], titles: ['Cycle number', 'Specific capacity (mAh g⁻¹)'] },
  { kind: 'rate', name: 'rate --nominal', sample: RATE_CSV, ext: '.csv', args: ['--nominal', '300'], titles: ['Cycle number', 'Specific capacity (mAh g⁻¹)'] },
  { kind: 'dqdv', name: 'dqdv --cycles', sample: 'samples/npnhc-t1200.csv', ext: '.csv', args: ['--cycles', '1,2,10'], titles: ['Potential (V vs Na⁺/Na)', 'dQ/dV (mAh g⁻¹ V⁻¹)'] },
  { kind: 'drt', sample: 'samples/npnhc-eis.txt', ext: '.txt', args: [], titles: ['Relaxation time τ (s)', 'γ (Ω)'] },
  { kind: 'bode', sample: 'samples/npnhc-eis.txt', ext: '.txt', args: [], titles: ['Frequency (Hz)', '|Z| (Ω)', '−Phase (°)'] },
];
/** Kinds drawn from one cell at several scan rates: the four CV files together. */
const BATCH: { kind: string; titles: string[] }[] = [
  { kind: 'dunn', titles: ['Potential (V vs Na⁺/Na)', 'Current (µA)'] },
  { kind: 'capacitive', titles: ['Scan rate (mV s⁻¹)', 'Share of the charge (%)'] },
];
/** The four CV files under 40-character names that keep their scan rate readable. */
function longCvNames(): string[] {
  return CV_RATES.map((s, k) => {
    const f = join(dir, `hard-carbon_T1300C_ball-milled_cv-${k}`.padEnd(40, 'x').slice(0, 40) + '.txt');
    copyFileSync(resolve(ROOT, s), f);
    return f;
  });
}

describe('figure geometry', () => {
  for (const k of KINDS) {
    for (const n of [1, 2, 5]) {
      it(`${k.name ?? k.kind}, ${n} file(s)`, () => {
        const files = n === 1 ? [resolve(ROOT, k.sample)] : copies(k.sample, n, k.ext);
        const out = join(dir, `${(k.name ?? k.kind).replace(/\W+/g, '_')}-${n}.svg`);
        const r = hcarb(['plot', k.kind, ...files, ...k.args, '--out', out, '-q']);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        const g = geometry(readFileSync(out, 'utf8'));
        expect(problems(g)).toEqual([]);
        const titles = squash(g.axisTitles);
        for (const t of k.titles) expect(titles).toContain(t.replace(/\s/g, '').normalize('NFKC'));
        expect(g.marks.length + g.segs.length).toBeGreaterThan(10);
        if (n > 1) for (const f of files) expect(squash(g.legend)).toContain(f.split('/').pop()!.replace(k.ext, '').normalize('NFKC'));
        expect(g.width).toBe('8.5cm');
      });
    }
  }

  for (const b of BATCH) {
    for (const [what, files] of [['sample names', () => CV_RATES.map((s) => resolve(ROOT, s))], ['40-character names', longCvNames]] as const) {
      it(`${b.kind}, one cell at four scan rates (${what})`, () => {
        const out = join(dir, `${b.kind}-${what.length}.svg`);
        const r = hcarb(['plot', b.kind, ...files(), '--out', out, '-q']);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        const g = geometry(readFileSync(out, 'utf8'));
        expect(problems(g)).toEqual([]);
        const titles = squash(g.axisTitles);
        for (const t of b.titles) expect(titles).toContain(t.replace(/\s/g, '').normalize('NFKC'));
        expect(g.marks.length + g.segs.length).toBeGreaterThan(6);
        expect(g.width).toBe('8.5cm');
      });
    }
  }

  it('double column is 17.8 cm wide and still clean', () => {
    const out = join(dir, 'double.svg');
    const r = hcarb(['plot', 'profile', ...copies('samples/npnhc-t1200.csv', 5, '.csv'), '--size', 'double', '--out', out]);
    expect(r.code).toBe(0);
    const g = geometry(readFileSync(out, 'utf8'));
    expect(g.width).toBe('17.8cm');
    expect(problems(g)).toEqual([]);
  });

  it('the checker itself finds a label over data and a cut label', () => {
    const bad = `<svg xmlns="http://www.w3.org/2000/svg" width="8.5cm" height="5cm"><path class="mark" d="M0 10L100 10"/><text class="legend-label" x="5" y="12" font-size="8">cycle 1…</text></svg>`;
    const p = problems(geometry(bad));
    expect(p.some((s) => s.includes('crossed by a data line'))).toBe(true);
    expect(p.some((s) => s.startsWith('cut text'))).toBe(true);
  });

  it('--label names the files, --ref Li and --xlim change the axes, --title is drawn', () => {
    const out = join(dir, 'labels.svg');
    const files = copies('samples/npnhc-t1200.csv', 2, '.csv');
    const r = hcarb(['plot', 'dqdv', ...files, '--label', 'HC-1300,HC-1500', '--ref', 'Li', '--xlim', '0,0.3', '--title', 'Hard carbon, first cycle', '--out', out]);
    expect(r.code).toBe(0);
    const svg = readFileSync(out, 'utf8');
    const g = geometry(svg);
    expect(g.legend).toEqual(expect.arrayContaining(['HC-1300', 'HC-1500']));
    expect(squash(g.axisTitles)).toContain('Potential(VvsLi⁺/Li)'.normalize('NFKC'));
    expect(g.all).toContain('Hard carbon, first cycle');
    // x ticks of a 0–0.3 V window
    expect(g.all).toEqual(expect.arrayContaining(['0.00', '0.10', '0.20', '0.30']));
    expect(problems(g)).toEqual([]);
  });
});

/** Width, height and the fraction of non-white pixels of an 8-bit RGB(A) PNG. */
function decodePng(buf: Buffer): { width: number; height: number; inked: number } {
  expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let off = 8, width = 0, height = 0, ctype = 0, depth = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off), type = buf.toString('ascii', off + 4, off + 8), data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') { width = data.readUInt32BE(0); height = data.readUInt32BE(4); depth = data[8]!; ctype = data[9]!; }
    if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  expect(depth).toBe(8);
  const bpp = ctype === 6 ? 4 : ctype === 2 ? 3 : ctype === 4 ? 2 : 1;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const prev = Buffer.alloc(stride), cur = Buffer.alloc(stride);
  let inked = 0;
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= bpp ? cur[x - bpp]! : 0, b = prev[x]!, c = x >= bpp ? prev[x - bpp]! : 0;
      let pr = 0;
      if (f === 1) pr = a; else if (f === 2) pr = b; else if (f === 3) pr = (a + b) >> 1;
      else if (f === 4) { const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c); pr = pa <= pb && pa <= pc ? a : pb <= pc ? b : c; }
      cur[x] = (v + pr) & 255;
    }
    for (let x = 0; x < width; x++) if (cur[x * bpp]! < 200 || cur[x * bpp + (bpp >= 3 ? 2 : 0)]! < 200) inked++;
    cur.copy(prev);
  }
  return { width, height, inked: inked / (width * height) };
}

describe('PNG and PDF', () => {
  const all = [...KINDS.map((k) => ({ ...k, files: [resolve(ROOT, k.sample)] })), ...BATCH.map((b) => ({ ...b, name: b.kind, args: [] as string[], files: CV_RATES.map((s) => resolve(ROOT, s)) }))];
  for (const k of all) {
    it(`${k.name ?? k.kind}: PNG at --dpi 150, PDF with one page and its text`, async () => {
      const stem = (k.name ?? k.kind).replace(/\W+/g, '_');
      const png = join(dir, `${stem}.png`), pdf = join(dir, `${stem}.pdf`), svg = join(dir, `${stem}-ref.svg`);
      const base = ['plot', k.kind, ...k.files, ...k.args, '-q'];
      expect(hcarb([...base, '--out', png, '--dpi', '150']).code).toBe(0);
      expect(hcarb([...base, '--out', pdf]).code).toBe(0);
      expect(hcarb([...base, '--out', svg]).code).toBe(0);
      const heightCm = Number(/height="([\d.]+)cm"/.exec(readFileSync(svg, 'utf8'))![1]);
      const im = decodePng(readFileSync(png));
      expect(im.width).toBe(Math.round((8.5 / 2.54) * 150));
      expect(Math.abs(im.height - (heightCm / 2.54) * 150)).toBeLessThanOrEqual(1.5);
      expect(im.inked).toBeGreaterThan(0.01);
      expect(im.inked).toBeLessThan(0.5);

      const bytes = readFileSync(pdf);
      expect(bytes.toString('latin1')).toMatch(/\/FontFile2/);
      const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
      const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
      expect(doc.numPages).toBe(1);
      const page = await doc.getPage(1);
      const vp = page.getViewport({ scale: 1 });
      expect(Math.abs(vp.width - (8.5 / 2.54) * 72)).toBeLessThan(0.5);
      const text = squash((await page.getTextContent()).items.map((it) => ('str' in it ? it.str : '')));
      for (const t of k.titles) expect(text).toContain(t.replace(/\s/g, '').normalize('NFKC'));
      await doc.destroy();
    });
  }

  it('PNG pixel width follows --dpi', () => {
    const out = join(dir, 'dpi600.png');
    expect(hcarb(['plot', 'cycling', join(ROOT, 'samples/npnhc-t1200.csv'), '--out', out, '--dpi', '600', '-q']).code).toBe(0);
    expect(decodePng(readFileSync(out)).width).toBe(Math.round((8.5 / 2.54) * 600));
  });
});
