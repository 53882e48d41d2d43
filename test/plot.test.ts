// Every plot kind renders a valid SVG (parsed as XML) with the expected series and axis titles.
import { describe, expect, it } from 'vitest';
import { SaxesParser } from 'saxes';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hcarb } from './helpers/io.js';
import { rateCapabilityPlan } from '../src/generate/rate.js';
import { encodeLines, landLines } from '../src/generate/land.js';

/** Parse an SVG strictly and collect the texts of the legend labels and axis titles. */
function inspectSvg(svg: string): { legend: string[]; axisTitles: string[]; lines: number } {
  const p = new SaxesParser();
  const stack: string[] = [];
  const legend: string[] = [], axisTitles: string[] = [];
  let lines = 0;
  p.on('opentag', (t) => {
    const cls = String(t.attributes.class ?? stack[stack.length - 1] ?? '');
    stack.push(cls);
    if (t.name === 'path' && /^(mark|rule|legend-symbol)$/.test(cls) && !String(t.attributes.d).includes('Z')) lines++;
  });
  p.on('closetag', () => { stack.pop(); });
  p.on('text', (s) => {
    const cls = stack.join(' ');
    if (!s.trim()) return;
    if (cls.includes('legend-label')) legend.push(s);
    if (cls.includes('axis-title')) axisTitles.push(s);
  });
  p.write(svg).close();
  return { legend, axisTitles, lines };
}

const dir = mkdtempSync(join(tmpdir(), 'hcarb-plot-'));

describe('plot kinds', () => {
  it.each([
    ['profile', ['samples/npnhc-t1200.csv', '--cycles', '1,2,40'], ['npnhc-t1200', 'cycle 1', 'cycle 2', 'cycle 40', 'discharge', 'charge'], ['Specific capacity (mAh g⁻¹)', 'Potential (V vs Na⁺/Na)']],
    ['cycling', ['samples/npnhc-t1200.csv'], ['npnhc-t1200', 'discharge', 'charge', 'CE (right axis)'], ['Cycle number', 'Specific capacity (mAh g⁻¹)', 'Coulombic efficiency (%)']],
    ['dqdv', ['samples/npnhc-t1200.csv'], ['npnhc-t1200', 'discharge', 'charge'], ['Potential (V vs Na⁺/Na)', 'dQ/dV (mAh g⁻¹ V⁻¹)']],
    ['gitt', ['samples/npnhc-gitt.csv', '--mass', '3.8'], ['npnhc-gitt', 'sodiation', 'desodiation', 'adsorption', 'intercalation', 'pore filling'], ['Potential (V vs Na⁺/Na)', 'log₁₀ D (cm² s⁻¹)']],
    ['cv', ['samples/npnhc-cv-0.5mVs.txt'], ['npnhc-cv-0.5mVs', 'cycle 1', 'cycle 2', 'cycle 3', 'cathodic sweep (sodiation)', 'anodic sweep (desodiation)'], ['Potential (V vs Na⁺/Na)', 'Current (µA)']],
    ['nyquist', ['samples/npnhc-eis.txt'], ['npnhc-eis', 'measured', 'fit (two-arc)'], ['Z′ (Ω)', '−Z″ (Ω)']],
  ])('%s', (kind, args, series, titles) => {
    const out = join(dir, `${kind}.svg`);
    const r = hcarb(['plot', kind, ...args, '--out', out]);
    expect(r.code).toBe(0);
    const svg = readFileSync(out, 'utf8');
    const s = inspectSvg(svg);
    // legend lines joined (a long entry wraps onto two lines): every expected entry, nothing else
    const joined = s.legend.join(' ');
    for (const e of series) expect(joined).toContain(e);
    expect(joined.length).toBe(series.join(' ').length);
    for (const t of titles) expect(s.axisTitles.join(' ')).toContain(t);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('several files overlay, one legend entry each', () => {
    const out = join(dir, 'two.svg');
    const r = hcarb(['plot', 'profile', 'samples/npnhc-t1200.csv', 'test/fixtures/hand-small.csv', '--cycles', '1', '--out', out]);
    expect(r.code).toBe(0);
    expect(inspectSvg(readFileSync(out, 'utf8')).legend.sort()).toEqual(['charge', 'discharge', 'hand-small', 'npnhc-t1200']);
  });

  it('one capacity unit per axis: a file without a mass turns the axis into mAh for every file, with a warning', () => {
    const dir2 = mkdtempSync(join(tmpdir(), 'hcarb-plot-mass-'));
    // the sample without its SpeCap column: the same records, no mass
    const text = readFileSync('samples/npnhc-t1200.csv', 'utf8').split('\n');
    const cols = text[0]!.split(',');
    const drop = cols.findIndex((c) => /SpeCap/i.test(c));
    expect(drop).toBeGreaterThan(-1);
    const nomass = join(dir2, 'nomass.csv');
    writeFileSync(nomass, text.map((l) => l.split(',').filter((_, k) => k !== drop).join(',')).join('\n'));
    const out = join(dir2, 'mixed.svg');
    const r = hcarb(['plot', 'profile', 'samples/npnhc-t1200.csv', nomass, '--cycles', '1', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/capacities are drawn in mAh for every file: .*nomass\.csv has no active mass/);
    expect(inspectSvg(readFileSync(out, 'utf8')).axisTitles).toContain('Capacity (mAh)');
  });

  it('the CV current unit follows the data: µA without a mass, mA g⁻¹ with 1 mg', () => {
    // the sample's largest current is about 310 µA: with 1 mg it is 310 mA g⁻¹
    const out = join(dir, 'cv-mass.svg');
    expect(hcarb(['plot', 'cv', 'samples/npnhc-cv-0.5mVs.txt', '--mass', '1', '--out', out]).code).toBe(0);
    expect(inspectSvg(readFileSync(out, 'utf8')).axisTitles).toContain('Current (mA g⁻¹)');
  });

  it('--cycles picks CV cycles', () => {
    const out = join(dir, 'cv-c2.svg');
    expect(hcarb(['plot', 'cv', 'samples/npnhc-cv-0.5mVs.txt', '--cycles', '2', '--out', out]).code).toBe(0);
    const s = inspectSvg(readFileSync(out, 'utf8'));
    expect(s.legend).not.toContain('cycle 1');
    expect(s.lines).toBe(2 + 1 + 2); // two sweeps of cycle 2, the zero line, two legend key lines
  });

  it('an option the kind does not use is a usage error naming the kinds that take it', () => {
    const r = hcarb(['plot', 'cv', 'samples/npnhc-cv-0.5mVs.txt', '--etau', 'sqrt', '--out', join(dir, 'x.svg')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--etau is not used by 'plot cv'; it is taken by plot gitt/);
    const c = hcarb(['plot', 'nyquist', 'samples/npnhc-eis.txt', '--cycles', '1', '--out', join(dir, 'x.svg')]);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/--cycles is not used by 'plot nyquist'; it is taken by plot profile, plot cv/);
    expect(hcarb(['plot', 'nyquist', 'samples/npnhc-eis.txt', '--mass', '2', '--out', join(dir, 'x.svg')]).code).toBe(2);
    expect(hcarb(['plot', 'cycling', 'samples/npnhc-t1200.csv', '--json', '--out', join(dir, 'x.svg')]).code).toBe(2);
    expect(existsSync(join(dir, 'x.svg'))).toBe(false);
  });

  it('refuses an unknown format, --dpi for a vector file, and a --label count that does not match', () => {
    const a = hcarb(['plot', 'cycling', 'samples/npnhc-t1200.csv', '--out', join(dir, 'x.jpg')]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/\.svg, \.png or \.pdf/);
    expect(hcarb(['plot', 'cycling', 'samples/npnhc-t1200.csv', '--dpi', '600', '--out', join(dir, 'x.svg')]).code).toBe(2);
    const l = hcarb(['plot', 'cycling', 'samples/npnhc-t1200.csv', '--label', 'A,B', '--out', join(dir, 'x.svg')]);
    expect(l.code).toBe(2);
    expect(l.stderr).toMatch(/--label needs one non-empty name per file: 1 file\(s\), 2 name\(s\)/);
    expect(hcarb(['plot', 'cycling', 'samples/npnhc-t1200.csv', '--xlim', '5,1', '--out', join(dir, 'x.svg')]).code).toBe(2);
  });

  it('cycling runs of more than 200 cycles draw thinned markers and a small file', () => {
    // 400 cycles written here: Q_dis 300 mAh, Q_ch 299 mAh per cycle (a Neware-like LAND table is not needed: the generic CSV reader)
    const rows = ['Cycle,Step,Record,TestTime/Sec,Voltage/V,Current/mA,Capacity/mAh,State'];
    let rec = 1;
    for (let c = 1; c <= 400; c++) {
      for (let k = 0; k <= 3; k++) rows.push(`${c},1,${rec++},${rec},${(1.0 - k * 0.3).toFixed(2)},-1,${(k * 100).toFixed(1)},D`);
      for (let k = 0; k <= 3; k++) rows.push(`${c},2,${rec++},${rec},${(0.1 + k * 0.3).toFixed(2)},1,${(k * 99.66666).toFixed(3)},C`);
    }
    const f = join(dir, 'long.csv');
    writeFileSync(f, rows.join('\n') + '\n');
    const out = join(dir, 'long.svg');
    const r = hcarb(['plot', 'cycling', f, '--mass', '1', '-q', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const svg = readFileSync(out, 'utf8');
    const markers = (svg.match(/class="mark" (cx="|d="[^"]*Z")/g) ?? []).length;
    // every 7th of 400 cycles (ceil(400/60)): 58 markers in each of the three series, not 1200
    expect(markers).toBe(3 * 58);
    expect(svg.length).toBeLessThan(200_000);
  });
  it('never writes over an input, and leaves nothing behind when it fails', () => {
    const input = join(dir, 'in.svg');
    writeFileSync(input, 'Record,Voltage/V\n');
    const before = readFileSync(input, 'utf8');
    const r = hcarb(['plot', 'profile', input, '--out', input]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is one of the inputs; hcarb never writes over an input/);
    expect(readFileSync(input, 'utf8')).toBe(before);
    const out = join(dir, 'never.svg');
    const bad = hcarb(['plot', 'profile', 'test/fixtures/bad/empty.csv', '--out', out]);
    expect(bad.code).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('the kinds of issues 14, 15 and 16, and dqdv --cycles', () => {
  const notes = (svg: string): string[] => [...svg.matchAll(/class="note"[^>]*>([^<]*)</g)].map((m) => m[1]!);
  const rateCsv = join(dir, 'rate-run.csv');
  // truth: the generator's plan (formation at 30, then 5 cycles each at these mA g⁻¹), not rateSteps
  const RATES = [30, 50, 100, 200, 500, 1000, 2000, 30];
  writeFileSync(rateCsv, encodeLines([...landLines(rateCapabilityPlan().plan)]));

  it('rate: each step labelled with its current density, or its C-rate with --nominal', () => {
    const out = join(dir, 'rate.svg');
    expect(hcarb(['plot', 'rate', rateCsv, '--out', out, '-q']).code).toBe(0);
    const svg = readFileSync(out, 'utf8');
    expect(notes(svg)).toEqual(RATES.map(String));
    expect(inspectSvg(svg).legend).toEqual(['rate-run', 'discharge', 'charge', 'step labels: mA g⁻¹']);
    // 41 cycles, each with a filled discharge and an open charge marker
    expect((svg.match(/<circle class="mark"/g) ?? []).length).toBe(82);
    const outC = join(dir, 'rate-c.svg');
    expect(hcarb(['plot', 'rate', rateCsv, '--nominal', '300', '--out', outC, '-q']).code).toBe(0);
    expect(notes(readFileSync(outC, 'utf8'))).toEqual(RATES.map((r) => `${Number((r / 300).toPrecision(2))}C`));
  });

  const cvFiles = ['0.1', '0.2', '0.5', '1'].map((r) => `samples/npnhc-cv-rate-${r}mVs.txt`);
  const dunnShares = (): { scan_rate_v_s: number; direction: string; capacitive_share_pct: number }[] => JSON.parse(hcarb(['cv', ...cvFiles, '--dunn', '--json']).stdout)[0].shares;

  it('dunn: the slowest voltammogram with k1·v shaded, the shares the cv command prints; --rate picks another', () => {
    const sh = dunnShares();
    const at = (v: number, d: string) => sh.find((s) => s.scan_rate_v_s === v && s.direction === d)!.capacitive_share_pct.toFixed(0);
    const out = join(dir, 'dunn.svg');
    expect(hcarb(['plot', 'dunn', ...cvFiles, '--out', out, '-q']).code).toBe(0);
    let svg = readFileSync(out, 'utf8');
    let legend = inspectSvg(svg).legend.join(' ');
    expect(legend).toContain('npnhc-cv-rate-0.1mVs, 0.1 mV s⁻¹, cycle 2');
    expect(legend).toContain(`capacitive k₁·v: ${at(0.0001, 'cathodic')} % sodiation, ${at(0.0001, 'anodic')} % desodiation`);
    expect((svg.match(/class="area"/g) ?? []).length).toBe(2);
    expect(hcarb(['plot', 'dunn', ...cvFiles, '--rate', '0.001', '--out', out, '-q']).code).toBe(0);
    svg = readFileSync(out, 'utf8');
    legend = inspectSvg(svg).legend.join(' ');
    expect(legend).toContain('1 mV s⁻¹');
    expect(legend).toContain(`${at(0.001, 'cathodic')} % sodiation, ${at(0.001, 'anodic')} % desodiation`);
    const bad = hcarb(['plot', 'dunn', ...cvFiles, '--rate', '0.003', '--out', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no file at that scan rate; the files are at 0.0001, 0.0002, 0.0005, 0.001 V\/s/);
    const one = hcarb(['plot', 'dunn', cvFiles[0]!, '--out', out]);
    expect(one.code).toBe(1);
    expect(one.stderr).toMatch(/three or more different scan rates/);
  });

  it('capacitive: bar heights are the shares the cv command prints, per scan rate and direction', () => {
    const out = join(dir, 'capacitive.svg');
    expect(hcarb(['plot', 'capacitive', ...cvFiles, '--out', out, '-q']).code).toBe(0);
    const svg = readFileSync(out, 'utf8');
    const bars = [...svg.matchAll(/<path class="area" d="([^"]+)"/g)].map((m) => m[1]!.replace(/[MZ]/g, '').split('L').map((p) => p.split(' ').map(Number)));
    expect(bars.length).toBe(16);
    // capacitive bars (even) run from 0 % up; the diffusion bar above each ends at 100 %
    const y0 = bars[0]![0]![1]!, y100 = bars[1]![1]![1]!;
    const pct = bars.filter((_, k) => k % 2 === 0).map((b) => (100 * (y0 - b[1]![1]!)) / (y0 - y100));
    const sh = dunnShares();
    const want = [0.0001, 0.0002, 0.0005, 0.001].flatMap((v) => ['cathodic', 'anodic'].map((d) => sh.find((s) => s.scan_rate_v_s === v && s.direction === d)!.capacitive_share_pct));
    pct.forEach((p, k) => expect(Math.abs(p - want[k]!)).toBeLessThan(0.2));
  });

  it('drt: γ on a log τ axis with the peaks of hcarb eis --drt marked and labelled', () => {
    const peaks = JSON.parse(hcarb(['eis', 'samples/npnhc-eis.txt', '--drt', '--json']).stdout)[0].drt.peaks as { tau_s: number; r_ohm: number }[];
    const out = join(dir, 'drt.svg');
    const r = hcarb(['plot', 'drt', 'samples/npnhc-eis.txt', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/R1_ohm/); // the circuit fit is not part of this figure
    const svg = readFileSync(out, 'utf8');
    expect((svg.match(/<path class="mark" d="[^"]*Z"/g) ?? []).length).toBe(peaks.length);
    // the 2.6 ms arc of the sample: τ = 2.65 ms, R = 180 Ω in eis --drt
    expect(notes(svg)).toContain('2.6 ms, 180 Ω');
    expect(svg).toMatch(/>10⁻³</);
  });

  it('bode: |Z| and phase panels, every measured point in both', () => {
    const ny = JSON.parse(hcarb(['eis', 'samples/npnhc-eis.txt', '--json']).stdout)[0].nyquist as unknown[];
    const out = join(dir, 'bode.svg');
    expect(hcarb(['plot', 'bode', 'samples/npnhc-eis.txt', '--out', out, '-q']).code).toBe(0);
    const svg = readFileSync(out, 'utf8');
    expect((svg.match(/<circle class="mark"/g) ?? []).length).toBe(2 * ny.length);
    expect(inspectSvg(svg).axisTitles).toEqual(expect.arrayContaining(['|Z| (Ω)', '−Phase (°)', 'Frequency (Hz)']));
  });

  it('dqdv --cycles overlays cycles as shades; --cycle with --cycles is refused', () => {
    const out = join(dir, 'dqdv-c.svg');
    expect(hcarb(['plot', 'dqdv', 'samples/npnhc-t1200.csv', '--cycles', '1,2,10', '--out', out, '-q']).code).toBe(0);
    expect(inspectSvg(readFileSync(out, 'utf8')).legend).toEqual(['npnhc-t1200', 'cycle 1', 'cycle 2', 'cycle 10', 'discharge', 'charge']);
    expect(hcarb(['plot', 'dqdv', 'samples/npnhc-t1200.csv', '--cycles', '1,2', '--cycle', '3', '--out', out]).code).toBe(2);
  });

  it('options of the new kinds are refused elsewhere, and options they do not use are refused there', () => {
    const x = join(dir, 'never.svg');
    const a = hcarb(['plot', 'rate', rateCsv, '--model', 'randles', '--out', x]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--model is not used by 'plot rate'; it is taken by plot nyquist, plot bode/);
    const b = hcarb(['plot', 'bode', 'samples/npnhc-eis.txt', '--nominal', '300', '--out', x]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--nominal is not used by 'plot bode'; it is taken by plot rate/);
    expect(hcarb(['plot', 'cycling', 'samples/npnhc-t1200.csv', '--rate', '0.001', '--out', x]).code).toBe(2);
    expect(hcarb(['plot', 'drt', 'samples/npnhc-eis.txt', '--first', 'charge', '--out', x]).code).toBe(2);
    expect(hcarb(['plot', 'capacitive', ...cvFiles, '--ref', 'Li', '--out', x]).code).toBe(2);
    expect(existsSync(x)).toBe(false);
  });
});
