/** `hcarb gitt`: D(Na⁺) per GITT pulse, with the diagnostics and every assumption stated. */
import { perFileRun } from './run.js';
import { int, type CommandSpec } from './spec.js';
import { UsageError } from '../errors.js';
import type { Input } from '../io.js';
import { openRecords } from '../load.js';
import { CyclingReducer, NOISE_SHARE } from '../analysis/cycling.js';
import { GittReducer, analyseGitt, type Electrode } from '../analysis/gitt.js';
import { resolveMass } from '../analysis/metrics.js';
import type { FileResult } from '../output/format.js';
import { areaCm2, givenMass, positive, type CommonOptions } from './common.js';

export interface GittCliOptions {
  currentSign?: string;
  molarMass?: string; density?: string; molarVolume?: string; thickness?: string;
  etau?: string; regions?: string; cycle?: number; resolution?: string;
}

export const DEFAULT_DENSITY = 2.0;
export const DEFAULT_MOLAR_MASS = 12.011;

export function parseRegions(v: string | undefined): [number, number] {
  if (v === undefined) return [0.1, 0.05];
  const parts = v.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 2 || parts.some((x) => !Number.isFinite(x)) || parts[0]! <= parts[1]!) {
    throw new UsageError(`--regions takes two potentials HIGH,LOW in V with HIGH > LOW (e.g. 0.1,0.05), not '${v}'`);
  }
  return [parts[0]!, parts[1]!];
}

export async function gittCommand(input: Input, o: CommonOptions, g: GittCliOptions): Promise<FileResult> {
  const etau = g.etau ?? 'endpoint';
  if (etau !== 'endpoint' && etau !== 'sqrt') throw new UsageError(`--etau must be endpoint or sqrt, not '${etau}'`);
  const regions = parseRegions(g.regions);
  const molarMass = positive('--molar-mass', g.molarMass) ?? DEFAULT_MOLAR_MASS;
  const density = positive('--density', g.density);
  const molarVolume = positive('--molar-volume', g.molarVolume);
  const thickness = positive('--thickness', g.thickness);
  const resolutionMV = positive('--resolution', g.resolution);
  if (density !== undefined && molarVolume !== undefined) throw new UsageError('give --density or --molar-volume, not both');
  if (thickness !== undefined && (density !== undefined || molarVolume !== undefined)) throw new UsageError('--thickness replaces m·V_M/(M·S): give it without --density or --molar-volume');
  const given = givenMass(o, input.name);
  const area = areaCm2(o);

  const { info, records } = await openRecords(input, { cathodicPositive: g.currentSign === 'cathodic-positive' });
  const cyc = new CyclingReducer({ first: o.first, splitV: 0.1 });
  const red = new GittReducer(o.first);
  for await (const b of records) for (const r of b) { cyc.push(r); red.push(r); }
  const data = cyc.finish();
  const scan = red.finish();
  const warnings = [...info.warnings];
  const mass = resolveMass(given, data, warnings);
  if (mass.massMg === null) throw new UsageError(`${input.name}: GITT needs the active mass and the file does not state it; give --mass MG`);
  const resolutionV = resolutionMV !== undefined ? resolutionMV / 1000 : scan.minStepV ?? 1e-4;
  const electrode: Electrode = {
    massMg: mass.massMg, areaCm2: area.areaCm2, molarMass,
    densityGcm3: thickness === undefined && molarVolume === undefined ? density ?? DEFAULT_DENSITY : density ?? null,
    molarVolumeCm3: molarVolume ?? null, thicknessUm: thickness ?? null,
  };
  const res = analyseGitt(scan, { electrode, etau, regions, cycle: g.cycle ?? null, resolutionV, lengthTolerance: 0.1, minR2: 0.95 }, input.name);
  if (scan.noise) warnings.push(`the ${scan.noise.runs} current step(s) before line ${scan.noise.line} carry less than ${NOISE_SHARE * 100} % of the current there: taken as rest (current noise; the file has no state column)`);
  if (scan.faint) warnings.push(`${scan.faint.records} record(s) with a current below ${NOISE_SHARE * 100} % of the largest (first at line ${scan.faint.line}) taken as rest (current noise; the file has no state column)`);
  if (scan.cutOff) warnings.push(`the last current step (lines ${scan.cutOff.firstLine}–${scan.cutOff.lastLine}) has no rest after it (cut off?): skipped`);
  const flagged = res.pulses.filter((p) => p.flags.some((f) => f.endsWith('within_resolution')));
  if (flagged.length) warnings.push(`${flagged.length} pulse(s) have ΔE_s or ΔE_τ within the voltage resolution (${(resolutionV * 1000).toPrecision(2)} mV): their D is unreliable and left out of the summary (pulses ${flagged.map((p) => p.pulse).join(', ')})`);
  const assumptions = {
    mass_mg: mass.massMg, mass_source: mass.source,
    area_cm2: area.areaCm2, area_source: area.source,
    molar_mass_g_mol: molarMass, molar_mass_source: g.molarMass ? '--molar-mass' : 'default (carbon)',
    density_g_cm3: electrode.densityGcm3, density_source: density !== undefined ? '--density' : electrode.densityGcm3 !== null ? 'default (hard carbon, He pycnometry)' : null,
    molar_volume_cm3_mol: electrode.molarVolumeCm3 ?? (electrode.densityGcm3 ? molarMass / electrode.densityGcm3 : null),
    thickness_um: electrode.thicknessUm,
    l_cm: res.lCm,
    l_formula: thickness !== undefined ? '--thickness' : 'L = m_B V_M / (M_B S) = m_B / (ρ S), V_M = M_B / ρ',
    formula: 'D = 4/(π τ) · L² · (ΔE_s/ΔE_τ)²',
    etau_method: etau,
    tau_s: res.tauS,
    pulse_length_tolerance_pct: 10,
    voltage_resolution_mV: resolutionV * 1000,
    voltage_resolution_source: resolutionMV !== undefined ? '--resolution' : 'smallest voltage step in the file',
    regions_v: regions,
    cycle: g.cycle ?? null,
    first: o.first,
  };
  return {
    file: input.name,
    doc: { file: input.name, assumptions, pulses: res.pulses, summary: res.summary, warnings },
    rows: res.pulses.map((p) => ({ file: input.name, ...p })),
    tableKeys: ['pulse', 'cycle', 'branch', 'e_v', 'q_mAh_g', 'tau_s', 'dEs_mV', 'dEtau_mV', 'ir_mV', 'd_cm2_s', 'log10_d', 'r2_sqrt', 'flags'],
    assumptionLine: `mass ${Number(mass.massMg.toPrecision(6))} mg (${mass.source}), S ${area.areaCm2.toPrecision(4)} cm² (${area.source}), L ${(res.lCm * 1e4).toPrecision(4)} µm, ΔE_τ by ${etau}, τ ${res.tauS.toFixed(0)} s, resolution ${(resolutionV * 1000).toPrecision(2)} mV\n` +
      res.summary.map((s) => `${s.branch}: min D ${s.min_d_cm2_s?.toExponential(2) ?? '–'} cm²/s at ${s.min_d_e_v?.toFixed(3) ?? '–'} V; mean log10 D  >${regions[0]} V: ${s.mean_log10_d_adsorption?.toFixed(2) ?? '–'}, ${regions[1]}–${regions[0]} V: ${s.mean_log10_d_intercalation?.toFixed(2) ?? '–'}, <${regions[1]} V: ${s.mean_log10_d_pore_filling?.toFixed(2) ?? '–'}`).join('\n'),
    warnings,
    notes: [...info.notes, ...res.notes],
  };
}

export const command: CommandSpec = {
  name: 'gitt',
  summary: 'Na⁺ diffusion coefficient per GITT pulse (eq. 3)',
  description: 'D = 4/(π τ) · (m_B V_M / (M_B S))² · (ΔE_s/ΔE_τ)² for every pulse (a constant-current step followed by a rest, of the most common length ± 10 %), with diagnostics, and per branch the minimum D and the mean log10 D in the adsorption / intercalation / pore-filling regions.',
  files: 'LAND exports with GITT pulses (or CHI Multi-Current Steps); - or none for standard input',
  takes: { mass: true, first: true, join: true },
  options: [
    { flags: '--molar-mass <g_mol>', description: 'molar mass M_B of the host (default 12.011, carbon)' },
    { flags: '--density <g_cm3>', description: 'density ρ, V_M = M_B/ρ (default 2.0)' },
    { flags: '--molar-volume <cm3_mol>', description: 'molar volume V_M instead of --density' },
    { flags: '--thickness <um>', description: 'electrode thickness L in µm instead of m_B V_M / (M_B S)' },
    { flags: '--etau <method>', description: 'ΔE_τ method for D (both are in JSON)', choices: ['endpoint', 'sqrt'], default: 'endpoint' },
    { flags: '--regions <hi,lo>', description: 'region boundaries in V (adsorption > hi > intercalation > lo > pore filling)', default: '0.1,0.05' },
    { flags: '--cycle <n>', description: 'only pulses of this cycle', parse: int('--cycle', 1) },
    { flags: '--resolution <mV>', description: 'voltage resolution (default: the smallest voltage step in the file)' },
    { flags: '--current-sign <sign>', description: 'CHI Multi-Current Steps: how the file signs current', choices: ['anodic-positive', 'cathodic-positive'] },
  ],
  examples: ['hcarb gitt samples/npnhc-gitt.csv --mass 3.8', "hcarb gitt samples/npnhc-gitt.csv --mass 3.8 --cycle 2 --etau sqrt --json | jq '.[0].summary'", 'hcarb gitt samples/npnhc-gitt.csv --mass 3.8 --density 1.6 --diameter 14 --format csv > d.csv'],
  fields: [
    { key: 'file', description: 'the input file as given' },
    { key: 'pulse', description: 'pulse number' },
    { key: 'cycle', description: 'cycle of the pulse' },
    { key: 'branch', description: 'sodiation or desodiation' },
    { key: 'e_v', description: 'equilibrium potential after the pulse (end of its rest)' },
    { key: 'q_mAh_g', description: 'capacity passed in the branch up to the end of the pulse' },
    { key: 'tau_s', description: 'pulse length τ' },
    { key: 'dEs_mV', description: 'ΔE_s: change of the rest potential over the pulse' },
    { key: 'dEtau_mV', description: 'ΔE_τ by the chosen method' },
    { key: 'dEtau_endpoint_mV', description: 'ΔE_τ from the first and last record of the pulse' },
    { key: 'dEtau_sqrt_mV', description: 'ΔE_τ from the slope of E against √t' },
    { key: 'ir_mV', description: 'iR drop at the pulse start' },
    { key: 'd_cm2_s', description: 'diffusion coefficient D (eq. 3) by the chosen ΔE_τ' },
    { key: 'log10_d', description: 'log10 of D' },
    { key: 'd_endpoint_cm2_s', description: 'D with the endpoint ΔE_τ' },
    { key: 'd_sqrt_cm2_s', description: 'D with the √t ΔE_τ' },
    { key: 'r2_sqrt', description: 'R² of E against √t in the pulse' },
    { key: 'relax_slope_mV_h', description: 'potential drift at the end of the rest' },
    { key: 'first_line', description: 'first line of the pulse' },
    { key: 'last_line', description: 'last line of the pulse (end of its rest)' },
    { key: 'flags', description: 'dEs_within_resolution, dEtau_within_resolution, poor_sqrt_fit, relaxation_unfinished, tau_not_short' },
  ],
  docFields: [{ key: 'pulses', description: 'the rows' }, { key: 'summary', description: 'per branch: minimum D and mean log10 D by region' }],
  run: perFileRun((input, o, c) => gittCommand(input, c, o as GittCliOptions)),
};
