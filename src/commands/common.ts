/** Options and helpers shared by the commands. */
import { UsageError } from '../errors.js';
import type { First } from '../analysis/cycling.js';
import type { Mass, MassSource } from '../analysis/metrics.js';
import type { SourceInfo } from '../types.js';
import type { CyclingData } from '../analysis/cycling.js';

export interface MassOptions {
  mass?: number;
  loading?: number;
  area?: number;
  diameter?: number;
  /** Per-file masses (mg) from --masses, keyed by path and by base name. */
  masses?: Map<string, number>;
}

export interface CommonOptions extends MassOptions {
  first: First;
}

/** A positive finite number from an option, or a usage error naming the option. */
export function positive(name: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const x = typeof v === 'number' ? v : Number(String(v).trim());
  if (!Number.isFinite(x) || x <= 0) throw new UsageError(`${name} must be a positive number, not '${String(v)}'`);
  return x;
}

export function parseFirst(v: unknown): First {
  if (v === undefined || v === 'discharge') return 'discharge';
  if (v === 'charge') return 'charge';
  throw new UsageError(`--first must be 'discharge' or 'charge', not '${String(v)}'`);
}

export const DEFAULT_DIAMETER_MM = 12;

export function areaCm2(o: MassOptions): { areaCm2: number; source: string } {
  if (o.area !== undefined && o.diameter !== undefined) throw new UsageError('give --area or --diameter, not both');
  if (o.area !== undefined) return { areaCm2: o.area, source: '--area' };
  const d = o.diameter ?? DEFAULT_DIAMETER_MM;
  return { areaCm2: Math.PI * (d / 20) ** 2, source: o.diameter !== undefined ? '--diameter' : `default ${DEFAULT_DIAMETER_MM} mm disc` };
}

function baseName(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i >= 0 ? p.slice(i + 1) : p;
}

/** The mass the user gave for this file, if any (flag, loading × area, or --masses). */
export function givenMass(o: MassOptions, file: string): { massMg: number; source: MassSource } | null {
  if (o.masses) {
    const m = o.masses.get(file) ?? o.masses.get(baseName(file));
    if (m === undefined) throw new UsageError(`${file} is not listed in the --masses file; add a line '${baseName(file)},MASS_MG'`);
    return { massMg: m, source: 'masses-file' };
  }
  if (o.mass !== undefined && o.loading !== undefined) throw new UsageError('give --mass or --loading, not both');
  if (o.mass !== undefined) return { massMg: o.mass, source: 'flag' };
  if (o.loading !== undefined) return { massMg: o.loading * areaCm2(o).areaCm2, source: 'loading' };
  return null;
}

const SOURCE_TEXT: Record<MassSource, string> = {
  flag: '--mass', loading: '--loading × area', 'masses-file': '--masses file', file: "the file's SpeCap column", none: 'none',
};

export function massText(m: Mass): string {
  return m.massMg === null ? 'no mass (specific values need --mass)' : `mass ${Number(m.massMg.toPrecision(6))} mg (${SOURCE_TEXT[m.source]})`;
}

/** The assumptions object every JSON result carries. */
export function cyclingAssumptions(mass: Mass, data: CyclingData, info: SourceInfo): Record<string, unknown> {
  return {
    mass_mg: mass.massMg,
    mass_source: mass.source,
    first: data.first,
    cycle_definition: `cycle n = the n-th ${data.first} half-cycle and the ${data.first === 'discharge' ? 'charge' : 'discharge'} half-cycle after it`,
    capacity_source: data.capacitySource === 'column' ? `capacity column '${info.columns.find((c) => c.canonical === 'capacityMAh')?.header ?? ''}'` : 'integrated |I| dt',
    classification: info.columns.some((c) => c.canonical === 'state') ? 'state column, else sign of current' : 'sign of current',
  };
}

/** `--cycles 1,2,10`: distinct cycle numbers ≥ 1, in the order given. */
export function parseCycleList(name: string, v: string): number[] {
  const xs = v.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (!xs.length || xs.some((x) => !Number.isInteger(x) || x < 1)) throw new UsageError(`${name} takes cycle numbers ≥ 1 separated by commas (e.g. 1,2,10), not '${v}'`);
  return [...new Set(xs)];
}

/** The material option for the capacity hint: carbon by default. */
export const MATERIAL_OPTION = { flags: '--material <name>', description: "active material, for the plausibility hint (carbon: > 2000 mAh/g is flagged; any other name: no check)", default: 'carbon' };
