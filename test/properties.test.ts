// Property tests (fast-check) over generated LAND and CHI files.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { landFile, type Branch, type CellPlan, type Dialect } from '../src/generate/land.js';
import { chiCvText, chiEisText } from '../src/generate/chi.js';
import { loadCycling } from '../src/load.js';
import { cycleRows, ice, resolveMass, retention } from '../src/analysis/metrics.js';
import { parseChiText } from '../src/readers/chi/chi.js';
import { HcarbError } from '../src/errors.js';
import { bytesInput } from './helpers/io.js';
import { joinInputs } from '../src/io.js';

/** A physical cell: each charge passes at most the discharge before it. */
const cellArb = fc.record({
  cycles: fc.integer({ min: 1, max: 5 }),
  massMg: fc.double({ min: 0.5, max: 20, noNaN: true }),
  qDis: fc.array(fc.double({ min: 0.05, max: 5, noNaN: true }), { minLength: 5, maxLength: 5 }),
  ce: fc.array(fc.double({ min: 0.5, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 }),
  currentMA: fc.double({ min: 0.05, max: 2, noNaN: true }),
});

function plan(c: { cycles: number; massMg: number; qDis: number[]; ce: number[]; currentMA: number }, constant = false): CellPlan {
  const branches: Branch[] = [];
  for (let n = 0; n < c.cycles; n++) {
    const qd = constant ? 1 : c.qDis[n]!;
    branches.push({ dir: 'D', capacityMAh: qd, currentMA: c.currentMA, restAfterS: 300 });
    branches.push({ dir: 'C', capacityMAh: constant ? 1 : qd * c.ce[n]!, currentMA: c.currentMA, restAfterS: 300 });
  }
  return { branches, massMg: c.massMg, fractions: Array.from({ length: 11 }, (_, k) => k / 10), voltage: (d, x) => (d === 'D' ? 2.5 * (1 - x) : 2.5 * x), initialRestS: 300 };
}

async function figures(bytes: Uint8Array, name = 'p.csv') {
  const { data } = await loadCycling(bytesInput(bytes, name, 997), { first: 'discharge', splitV: 0.1 });
  const mass = resolveMass(null, data, []);
  return { i: ice(data, mass, name), rows: cycleRows(data, mass), data, mass };
}

const close = (a: number | null, b: number | null) => {
  if (a === null || b === null) return expect(a).toBe(b);
  expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(b)));
};

describe('LAND properties', () => {
  test.prop([cellArb], { numRuns: 25 })('ICE and every CE lie in (0, 100] for a physical cell', async (c) => {
    const f = await figures(landFile(plan(c)));
    expect(f.i.ice_pct).toBeGreaterThan(0);
    expect(f.i.ice_pct).toBeLessThanOrEqual(100 + 1e-9);
    for (const r of f.rows) { expect(r.ce_pct!).toBeGreaterThan(0); expect(r.ce_pct!).toBeLessThanOrEqual(100 + 1e-9); }
  });

  const dialectArb = fc.record({
    crlf: fc.boolean(), bom: fc.boolean(), shuffleColumns: fc.boolean(),
    currentUnit: fc.constantFrom('mA', 'uA', 'A'), capacityUnit: fc.constantFrom('mAh', 'uAh', 'Ah'),
    delimiter: fc.constantFrom(',', '\t'), states: fc.constantFrom('rate', 'cc', 'none'),
  });
  test.prop([cellArb, dialectArb], { numRuns: 25 })('results are invariant under line ends, BOM, units, column order and delimiter', async (c, d) => {
    const base = await figures(landFile(plan(c)));
    const other = await figures(landFile(plan(c), { ...d, decimalComma: d.delimiter === '\t' } as Dialect));
    close(other.i.ice_pct, base.i.ice_pct);
    close(other.i.q_dis_mAh_g, base.i.q_dis_mAh_g);
    expect(other.rows.length).toBe(base.rows.length);
    other.rows.forEach((r, k) => { close(r.q_ch_mAh, base.rows[k]!.q_ch_mAh); close(r.ce_pct, base.rows[k]!.ce_pct); });
  });

  test.prop([cellArb.map((c) => ({ ...c, cycles: 5 })), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 1, max: 2 })], { numRuns: 15 })('retention is 100 % when the capacity is constant', async (c, skip, window) => {
    const f = await figures(landFile(plan(c, true)));
    expect(retention(f.data, f.mass, skip, window, 'p').retention_pct).toBeCloseTo(100, 9);
  });

  test.prop([cellArb, fc.double({ min: 0.05, max: 0.95, noNaN: true })], { numRuns: 25 })('a run split across two files and read with --join gives the same figures', async (c, at) => {
    const whole = new TextDecoder().decode(landFile(plan(c)));
    const lines = whole.trimEnd().split('\n');
    const cut = 1 + Math.floor(at * (lines.length - 1));
    const a = lines.slice(0, cut).join('\n') + '\n', b = [lines[0], ...lines.slice(cut)].join('\n') + '\n';
    const joined = await loadCycling(joinInputs([bytesInput(a, 'a.csv'), bytesInput(b, 'b.csv')]), { first: 'discharge', splitV: 0.1 });
    const base = await figures(new TextEncoder().encode(whole));
    const mass = resolveMass(null, joined.data, []);
    const rows = cycleRows(joined.data, mass);
    expect(rows.length).toBe(base.rows.length);
    rows.forEach((r, k) => { close(r.q_dis_mAh, base.rows[k]!.q_dis_mAh); close(r.q_ch_mAh, base.rows[k]!.q_ch_mAh); });
    close(ice(joined.data, mass, 'j').ice_pct, base.i.ice_pct);
  });

  test.prop([fc.uint8Array({ minLength: 0, maxLength: 3000 })], { numRuns: 200 })('arbitrary bytes: a result or an HcarbError, never anything else', async (bytes) => {
    try { await figures(bytes); } catch (e) { expect(e).toBeInstanceOf(HcarbError); }
  });

  const sample = new TextDecoder().decode(landFile(plan({ cycles: 2, massMg: 2, qDis: [1, 1, 1, 1, 1], ce: [0.8, 0.9, 1, 1, 1], currentMA: 0.2 })));
  test.prop([fc.array(fc.record({ at: fc.nat(), len: fc.nat({ max: 20 }), text: fc.string({ maxLength: 12 }) }), { maxLength: 6 })], { numRuns: 200 })('an export with random edits: a result or an HcarbError', async (edits) => {
    let t = sample;
    for (const e of edits) { const at = e.at % (t.length + 1); t = t.slice(0, at) + e.text + t.slice(at + e.len); }
    try { await figures(new TextEncoder().encode(t)); } catch (e) { expect(e).toBeInstanceOf(HcarbError); }
  });
});

describe('CHI properties', () => {
  const texts = [chiEisText('randles', [5, 50, 2e-5, 30]), chiCvText({ low: 0, high: 1, init: 0, initDir: 'P', rate: 0.1, segments: 2, anodic: [{ e: 0.5, height: 1e-5, width: 0.05 }], cathodic: [] })];
  test.prop([fc.constantFrom(...texts), fc.array(fc.record({ at: fc.nat(), len: fc.nat({ max: 30 }), text: fc.string({ maxLength: 12 }) }), { maxLength: 6 })], { numRuns: 300 })('a CHI export with random edits parses or raises an HcarbError', (text, edits) => {
    let t = text;
    for (const e of edits) { const at = e.at % (t.length + 1); t = t.slice(0, at) + e.text + t.slice(at + e.len); }
    try { parseChiText(t, 'x.txt'); } catch (e) { expect(e).toBeInstanceOf(HcarbError); }
  });
  test.prop([fc.boolean()], { numRuns: 2 })('line ends do not change what is parsed', (crlf) => {
    const a = parseChiText(texts[0]!, 'a');
    const b = parseChiText(crlf ? texts[0]!.replace(/\n/g, '\r\n') : texts[0]!, 'b');
    expect(Array.from(b.data[1]!)).toEqual(Array.from(a.data[1]!));
    expect(b.parameters).toEqual(a.parameters);
  });
});
