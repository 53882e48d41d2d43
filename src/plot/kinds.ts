/** The figures hcarb draws: one Vega-Lite spec builder per kind, from the numbers the commands compute. */
import type { TopLevelSpec } from 'vega-lite';
import { BASE_CONFIG, COLUMN_HEIGHT, COLUMN_WIDTH } from './render.js';
import { maxOf, minOf } from '../analysis/extent.js';

type Datum = Record<string, unknown>;

function base(title: string | undefined): Partial<TopLevelSpec> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: COLUMN_WIDTH, height: COLUMN_HEIGHT,
    config: BASE_CONFIG as never,
    ...(title ? { title: { text: title, fontSize: 11, fontWeight: 'normal' } } : {}),
  } as Partial<TopLevelSpec>;
}

/** V against specific capacity, both branches, a rule at the split voltage. Data: series, q, v, order. */
export function profileSpec(data: Datum[], opts: { qTitle: string; splitV: number; title?: string }): TopLevelSpec {
  return {
    ...base(opts.title),
    layer: [
      { data: { values: data }, mark: { type: 'line', clip: true }, encoding: {
        x: { field: 'q', type: 'quantitative', title: opts.qTitle },
        y: { field: 'v', type: 'quantitative', title: 'Potential (V vs Na⁺/Na)' },
        color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'top-right' } },
        detail: { field: 'branch' }, order: { field: 'order' },
      } },
      { data: { values: [{ v: opts.splitV }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#777' }, encoding: { y: { field: 'v', type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
}

/** Capacity (left axis) and CE (right axis) against cycle. Data: series, cycle, capacity, ce. */
export function cyclingSpec(data: Datum[], opts: { qTitle: string; title?: string }): TopLevelSpec {
  return {
    ...base(opts.title),
    data: { values: data },
    encoding: { x: { field: 'cycle', type: 'quantitative', title: 'Cycle number', axis: { tickMinStep: 1 } } },
    layer: [
      { mark: { type: 'line', point: true }, encoding: { y: { field: 'capacity', type: 'quantitative', title: opts.qTitle }, color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom', columns: 2 } } } },
      { transform: [{ filter: 'isValid(datum.ce)' }], mark: { type: 'line', point: { shape: 'triangle' }, strokeDash: [3, 2] }, encoding: { y: { field: 'ce', type: 'quantitative', title: 'Coulombic efficiency (%)', scale: { zero: false } }, color: { field: 'ceSeries', type: 'nominal', title: null } } },
    ],
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
}

/** One line per series, drawn in `order`. */
function lineSpec(data: Datum[], x: { field: string; title: string }, y: { field: string; title: string }, title?: string): TopLevelSpec {
  return {
    ...base(title),
    data: { values: data },
    mark: { type: 'line' },
    encoding: {
      x: { field: x.field, type: 'quantitative', title: x.title },
      y: { field: y.field, type: 'quantitative', title: y.title },
      color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom-right' } },
      order: { field: 'order' },
    },
  } as TopLevelSpec;
}

/** dQ/dV against V. Data: series, v, dqdv, order. */
export function dqdvSpec(data: Datum[], opts: { yTitle: string; title?: string }): TopLevelSpec {
  return lineSpec(data, { field: 'v', title: 'Potential (V vs Na⁺/Na)' }, { field: 'dqdv', title: opts.yTitle }, opts.title);
}

/** log10 D against E per branch, with the adsorption / intercalation / pore-filling regions shaded. */
export function gittSpec(data: Datum[], opts: { regions: [number, number]; title?: string }): TopLevelSpec {
  const [hi, lo] = opts.regions;
  const vs = data.map((d) => d.e as number);
  const xmin = minOf(vs, 0), xmax = maxOf(vs, hi * 1.5);
  return {
    ...base(opts.title),
    layer: [
      { data: { values: [{ a: xmin, b: lo, region: 'pore filling' }, { a: lo, b: hi, region: 'intercalation' }, { a: hi, b: xmax, region: 'adsorption' }] },
        mark: { type: 'rect', opacity: 0.12 }, encoding: { x: { field: 'a', type: 'quantitative' }, x2: { field: 'b' }, fill: { field: 'region', type: 'nominal', scale: { range: ['#1b9e77', '#d95f02', '#7570b3'] }, legend: { title: null, orient: 'bottom' } } } },
      { data: { values: data }, mark: { type: 'line', point: true }, encoding: {
        x: { field: 'e', type: 'quantitative', title: 'Potential (V vs Na⁺/Na)', scale: { domain: [xmin, xmax] } },
        y: { field: 'log10d', type: 'quantitative', title: 'log₁₀ D (cm² s⁻¹)', scale: { zero: false } },
        color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'top-right' } }, order: { field: 'order' },
      } },
    ],
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec;
}

/** Current against potential. Data: series, e, i, order. */
export function cvSpec(data: Datum[], opts: { yTitle: string; title?: string }): TopLevelSpec {
  return lineSpec(data, { field: 'e', title: 'Potential (V)' }, { field: 'i', title: opts.yTitle }, opts.title);
}

/** Nyquist: measured points and the fitted curve, equal axis scales. Data: series, re, mim, kind. */
export function nyquistSpec(measured: Datum[], fitted: Datum[], opts: { title?: string }): TopLevelSpec {
  const all = [...measured, ...fitted];
  const max = maxOf(all.map((d) => d.mim as number), maxOf(all.map((d) => d.re as number)));
  const min = minOf(all.map((d) => d.mim as number), 0);
  return {
    ...base(opts.title), width: COLUMN_WIDTH, height: COLUMN_WIDTH,
    layer: [
      { data: { values: measured }, mark: { type: 'point', filled: true }, encoding: {
        x: { field: 're', type: 'quantitative', title: "Z' (Ω)", scale: { domain: [0, max] } },
        y: { field: 'mim', type: 'quantitative', title: '−Z″ (Ω)', scale: { domain: [min, max] } },
        color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'top-left' } } } },
      { data: { values: fitted }, mark: { type: 'line', clip: true }, encoding: {
        x: { field: 're', type: 'quantitative' }, y: { field: 'mim', type: 'quantitative' },
        color: { field: 'series', type: 'nominal' }, order: { field: 'order' } } },
    ],
  } as TopLevelSpec;
}
