/** `hcarb plot KIND FILE… --out FIG.svg|png|pdf`: the command's definition (the drawing code loads only when a figure is drawn). */
import { existsSync, realpathSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DataError, UsageError } from '../errors.js';
import { PLOT_KINDS, type PlotKind } from '../plot/plot-kinds.js';
import { int, num, pos, type CommandSpec, type Opts } from './spec.js';

/** Write through a temporary file in the same folder and a rename: no half-written file is ever left. */
export function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* nothing to clean */ }
    const code = (e as { code?: string }).code;
    throw new DataError(`cannot write ${path}: ${code === 'ENOENT' ? 'no such folder' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`, {});
  }
}

/** `--xlim 0,0.5` → [0, 0.5]. */
export const range = (name: string) => (v: string): [number, number] => {
  const xs = v.split(',').map((s) => Number(s.trim()));
  if (xs.length !== 2 || xs.some((x, k) => v.split(',')[k]!.trim() === '' || !Number.isFinite(x)) || !(xs[1]! > xs[0]!)) throw new UsageError(`${name} takes two numbers MIN,MAX with MIN < MAX (e.g. ${name} 0,0.5), not '${v}'`);
  return [xs[0]!, xs[1]!];
};

const CYCLING: readonly PlotKind[] = ['profile', 'cycling', 'rate', 'dqdv', 'gitt'];
const POTENTIAL: readonly PlotKind[] = ['profile', 'dqdv', 'gitt', 'cv', 'dunn'];
const CHI: readonly PlotKind[] = ['cv', 'dunn', 'capacitive', 'nyquist', 'bode', 'drt'];
/**
 * Which kinds take each kind-specific option (by its option key). An option given for a kind that
 * does not use it is a usage error naming the kinds that do; options not listed here apply to every kind.
 */
export const OPTION_KINDS: Record<string, readonly PlotKind[]> = {
  cycles: ['profile', 'cv', 'dqdv'], split: ['profile'], cycle: ['dqdv', 'dunn', 'capacitive'], step: ['dqdv'], smooth: ['dqdv'],
  nominal: ['rate'], tolerance: ['rate'], formation: ['rate'], rate: ['dunn'],
  regions: ['gitt'], density: ['gitt'], thickness: ['gitt'], molarMass: ['gitt'], molarVolume: ['gitt'], etau: ['gitt'], resolution: ['gitt'], gittCycle: ['gitt'],
  currentSign: ['cv', 'gitt', 'dunn', 'capacitive'], model: ['nyquist', 'bode'], ref: POTENTIAL,
  mass: [...CYCLING, 'cv', 'dunn'], masses: CYCLING, loading: CYCLING, area: CYCLING, diameter: CYCLING,
};
const flagOf = (key: string): string => '--' + (key === 'gittCycle' ? 'gitt-cycle' : key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()));

/** Refuse options the kind does not use (exit 2), naming the kinds that take them. */
export function checkKindOptions(kind: PlotKind, g: Opts): void {
  for (const [key, kinds] of Object.entries(OPTION_KINDS)) {
    if (g[key] === undefined || kinds.includes(kind)) continue;
    throw new UsageError(`${flagOf(key)} is not used by 'plot ${kind}'; it is taken by ${kinds.map((k) => `plot ${k}`).join(', ')}`);
  }
  if (CHI.includes(kind)) if (g.first !== undefined && g.first !== 'discharge') throw new UsageError(`--first is not used by 'plot ${kind}'; it is taken by ${CYCLING.map((k) => `plot ${k}`).join(', ')}`);
}

const only = (kinds: readonly PlotKind[]): string => ` (${kinds.join(', ')})`;

export const command: CommandSpec = {
  name: 'plot',
  summary: `figures for a paper: ${PLOT_KINDS.join(', ')}, as SVG, PNG or PDF`,
  description: 'Draws a figure from the same numbers the commands compute, in one house style: a journal column (8.5 cm, or 17.8 cm with --size double), DejaVu Sans 8–9 pt, ticks inside; colour = file (a palette safe for colour-blind readers), shade = cycle, solid = discharge/sodiation and dashed = charge/desodiation. The legend goes into an empty corner of the plot or below it, never over data, with labels wrapped, never cut. Several files overlay; dunn and capacitive instead take the CV files of one cell at three or more scan rates (as hcarb cv --dunn) and draw one figure from all of them. rate labels each rate step with its current density (or C-rate with --nominal); drt and bode take the EIS file (log axes, 10ⁿ ticks). --out picks the format from its extension: .svg, .png (at --dpi) or .pdf (vector, font embedded). The file is written through a temporary file and a rename, never over an input. An option that the kind does not use is refused (exit 2) with the kinds that take it.',
  args: [{ name: 'kind', description: `one of ${PLOT_KINDS.join(', ')}`, choices: PLOT_KINDS }],
  files: 'input files (LAND/Neware for profile/cycling/rate/dqdv/gitt, CHI for cv/dunn/capacitive/nyquist/bode/drt)',
  takes: { mass: true, first: true, output: false },
  options: [
    { flags: '-o, --out <file>', description: 'where to write: FILE.svg, FILE.png or FILE.pdf (- for SVG on standard output; required)' },
    { flags: '--size <size>', description: 'single (8.5 cm) or double (17.8 cm) journal column', choices: ['single', 'double'] },
    { flags: '--dpi <n>', description: 'PNG resolution in dots per inch (default 300)', parse: int('--dpi', 30) },
    { flags: '--title <text>', description: 'a title above the plot' },
    { flags: '--label <names>', description: 'legend names, one per file, comma-separated (default: the file names without extension)' },
    { flags: '--xlim <min,max>', description: 'x-axis limits', parse: range('--xlim') },
    { flags: '--ylim <min,max>', description: 'y-axis limits', parse: range('--ylim') },
    { flags: '--ref <electrode>', description: 'reference electrode for potential axes: Na, Li, K or a free text (default Na)' + only(POTENTIAL) },
    { flags: '--cycles <list>', description: 'cycles to draw (profile default 1,2; cv default all; dqdv: several cycles as shades, instead of --cycle)' + only(OPTION_KINDS.cycles!) },
    { flags: '--split <V>', description: 'the labelled line between slope and plateau (default 0.1)' + only(['profile']), parse: num('--split') },
    { flags: '--cycle <n>', description: 'which cycle (dqdv default 1; dunn/capacitive: the cycle of the Dunn fit, default 2 as hcarb cv)' + only(OPTION_KINDS.cycle!), parse: int('--cycle', 1) },
    { flags: '--nominal <mAh_g>', description: 'nominal specific capacity: rate steps are labelled with their C-rate' + only(['rate']), parse: pos('--nominal') },
    { flags: '--tolerance <pct>', description: 'current densities within this many % of a step\'s first cycle belong to the step (default 5, as hcarb rate)' + only(['rate']), parse: pos('--tolerance') },
    { flags: '--formation <n>', description: 'formation cycles at the start, in no step (default 1)' + only(['rate']), parse: int('--formation', 0) },
    { flags: '--rate <V_s>', description: 'the scan rate whose voltammogram is drawn, V/s (default the slowest)' + only(['dunn']), parse: pos('--rate') },
    { flags: '--step <V>', description: 'voltage bin width (default 0.005)' + only(['dqdv']), parse: pos('--step') },
    { flags: '--smooth <n>', description: 'moving-average window in bins (default 3)' + only(['dqdv']), parse: int('--smooth', 1) },
    { flags: '--model <model>', description: 'equivalent circuit for the fitted curve: a circuit string or a preset, as hcarb eis (default two-arc)' + only(['nyquist', 'bode']) },
    { flags: '--regions <hi,lo>', description: 'region boundaries in V (default 0.1,0.05)' + only(['gitt']) },
    { flags: '--density <g_cm3>', description: 'density (default 2.0)' + only(['gitt']) },
    { flags: '--thickness <um>', description: 'electrode thickness instead of m/(ρS)' + only(['gitt']) },
    { flags: '--etau <method>', description: 'ΔE_τ method: endpoint or sqrt (default endpoint)' + only(['gitt']), choices: ['endpoint', 'sqrt'] },
    { flags: '--current-sign <sign>', description: 'how the file signs current' + only(OPTION_KINDS.currentSign!), choices: ['anodic-positive', 'cathodic-positive'] },
  ],
  examples: [
    'hcarb plot profile samples/npnhc-t1200.csv --cycles 1,2,40 --out profile.svg',
    'hcarb plot cycling samples/npnhc-t1200.csv --label "NPNHC 1200 °C" --out cycling.pdf',
    'hcarb plot dqdv samples/npnhc-t1200.csv --xlim 0,0.3 --out dqdv.png --dpi 600',
    'hcarb plot nyquist samples/npnhc-eis.txt --model randles-cpe --out nyquist.svg',
    'hcarb plot dunn samples/npnhc-cv-rate-*.txt --rate 0.0005 --out dunn.pdf',
    'hcarb plot drt samples/npnhc-eis.txt --out drt.png',
  ],
  fields: [],
  async run(ctx, args, files0, g) {
    const kind = args[0]!;
    if (!(PLOT_KINDS as readonly string[]).includes(kind)) throw new UsageError(`unknown plot kind '${kind}'; choose one of ${PLOT_KINDS.join(', ')}`);
    checkKindOptions(kind as PlotKind, g);
    const out = g.out as string | undefined;
    if (out === undefined) throw new UsageError('plot needs --out FILE.svg, FILE.png or FILE.pdf (or --out - for SVG on standard output)');
    const files = ctx.inputFiles(files0);
    const m = /\.(svg|png|pdf)$/i.exec(out);
    if (out !== '-' && !m) throw new UsageError(`--out must name an .svg, .png or .pdf file, not '${out}'`);
    const format = out === '-' ? 'svg' : (m![1]!.toLowerCase() as 'svg' | 'png' | 'pdf');
    if (g.dpi !== undefined && format !== 'png') throw new UsageError(`--dpi sets the resolution of a PNG; --out ${out} is ${format.toUpperCase()}`);
    if (out !== '-') {
      const target = existsSync(out) ? realpathSync(out) : resolve(out);
      for (const f of files) if (f !== '-' && existsSync(f) && realpathSync(f) === target) throw new UsageError(`--out ${out} is one of the inputs; hcarb never writes over an input`);
    }
    let labels: string[] | undefined;
    if (g.label !== undefined) {
      labels = (g.label as string).split(',').map((s) => s.trim());
      if (labels.length !== files.length || labels.some((l) => !l)) throw new UsageError(`--label needs one non-empty name per file: ${files.length} file(s), ${labels.length} name(s) in '${g.label as string}'`);
    }
    const common = await ctx.common(g);
    const { plotCommand } = await import('./plot.js');
    const r = await plotCommand(kind as PlotKind, files.map((f) => ctx.io.open(f)), common, {
      cycles: g.cycles as string | undefined, cycle: g.cycle as number | undefined, title: g.title as string | undefined, model: g.model as string | undefined,
      step: g.step as number | undefined, smooth: g.smooth as number | undefined,
      nominal: g.nominal as number | undefined, tolerance: g.tolerance as number | undefined, formation: g.formation as number | undefined, scanRate: g.rate as number | undefined,
      split: g.split as number | undefined, currentSign: g.currentSign as string | undefined, cvMass: g.mass === undefined ? undefined : String(g.mass),
      gitt: { regions: g.regions as string | undefined, density: g.density as string | undefined, thickness: g.thickness as string | undefined, etau: g.etau as string | undefined, currentSign: g.currentSign as string | undefined },
      labels, xlim: g.xlim as [number, number] | undefined, ylim: g.ylim as [number, number] | undefined, ref: g.ref as string | undefined,
      size: g.size as 'single' | 'double' | undefined, format, dpi: g.dpi as number | undefined,
    });
    for (const f of r.failures) if (!ctx.fail(f.error, f.file)) throw f.error;
    for (const w of r.warnings) ctx.warn(w.file, w.message);
    if (out === '-') ctx.io.stdout(r.data as string);
    else {
      writeAtomic(out, r.data);
      ctx.info(`wrote ${out}`);
    }
  },
};
