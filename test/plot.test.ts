// Every plot kind renders a valid SVG (parsed as XML) with the expected series and axis titles.
import { describe, expect, it } from 'vitest';
import { SaxesParser } from 'saxes';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hcarb } from './helpers/io.js';

/** Parse an SVG strictly and collect the texts of the legend labels and axis titles. */
function inspectSvg(svg: string): { legend: string[]; axisTitles: string[]; lines: number } {
  const p = new SaxesParser();
  const stack: string[] = [];
  const legend: string[] = [], axisTitles: string[] = [];
  let lines = 0;
  p.on('opentag', (t) => {
    const cls = String(t.attributes.class ?? stack[stack.length - 1] ?? '');
    stack.push(cls);
    if (t.name === 'path' && cls.includes('mark-line')) lines++;
  });
  p.on('closetag', () => { stack.pop(); });
  p.on('text', (s) => {
    const cls = stack.join(' ');
    if (!s.trim()) return;
    if (cls.includes('role-legend-label')) legend.push(s);
    if (cls.includes('role-axis-title')) axisTitles.push(s);
  });
  p.write(svg).close();
  return { legend, axisTitles, lines };
}

const dir = mkdtempSync(join(tmpdir(), 'hcarb-plot-'));

describe('plot kinds', () => {
  it.each([
    ['profile', ['samples/npnhc-t1200.csv', '--cycles', '1,2,40'], ['npnhc-t1200 cycle 1', 'npnhc-t1200 cycle 2', 'npnhc-t1200 cycle 40'], ['Specific capacity (mAh g⁻¹)', 'Potential (V vs Na⁺/Na)']],
    ['cycling', ['samples/npnhc-t1200.csv'], ['npnhc-t1200 CE', 'npnhc-t1200 charge', 'npnhc-t1200 discharge'], ['Cycle number', 'Specific capacity (mAh g⁻¹)', 'Coulombic efficiency (%)']],
    ['dqdv', ['samples/npnhc-t1200.csv'], ['npnhc-t1200 cycle 1 charge', 'npnhc-t1200 cycle 1 discharge'], ['Potential (V vs Na⁺/Na)', 'dQ/dV (mAh g⁻¹ V⁻¹)']],
    ['gitt', ['samples/npnhc-gitt.csv', '--mass', '3.8'], ['npnhc-gitt desodiation', 'npnhc-gitt sodiation', 'adsorption', 'intercalation', 'pore filling'], ['Potential (V vs Na⁺/Na)', 'log₁₀ D (cm² s⁻¹)']],
    ['cv', ['samples/npnhc-cv-0.5mVs.txt'], ['npnhc-cv-0.5mVs cycle 1', 'npnhc-cv-0.5mVs cycle 2', 'npnhc-cv-0.5mVs cycle 3'], ['Potential (V)', 'Current (A)']],
    ['nyquist', ['samples/npnhc-eis.txt'], ['npnhc-eis', 'npnhc-eis fit (randles)'], ["Z' (Ω)", '−Z″ (Ω)']],
  ])('%s', (kind, args, series, titles) => {
    const out = join(dir, `${kind}.svg`);
    const r = hcarb(['plot', kind, ...args, '--out', out]);
    expect(r.code).toBe(0);
    const svg = readFileSync(out, 'utf8');
    const s = inspectSvg(svg);
    expect([...s.legend].sort()).toEqual([...series].sort());
    for (const t of titles) expect(s.axisTitles).toContain(t);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('several files overlay, one legend entry each', () => {
    const out = join(dir, 'two.svg');
    const r = hcarb(['plot', 'profile', 'samples/npnhc-t1200.csv', 'test/fixtures/hand-small.csv', '--cycles', '1', '--out', out]);
    expect(r.code).toBe(0);
    expect(inspectSvg(readFileSync(out, 'utf8')).legend.sort()).toEqual(['hand-small cycle 1', 'npnhc-t1200 cycle 1']);
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
