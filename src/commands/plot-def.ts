/** `hcarb plot KIND FILE… --out FIG.svg`: the command's definition (Vega loads only when a figure is drawn). */
import { existsSync, realpathSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DataError, UsageError } from '../errors.js';
import { PLOT_KINDS, type PlotKind } from '../plot/plot-kinds.js';
import { int, type CommandSpec } from './spec.js';

/** Write through a temporary file in the same folder and a rename: no half-written file is ever left. */
export function writeAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* nothing to clean */ }
    const code = (e as { code?: string }).code;
    throw new DataError(`cannot write ${path}: ${code === 'ENOENT' ? 'no such folder' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`, {});
  }
}

export const command: CommandSpec = {
  name: 'plot',
  summary: 'publication-ready SVG: profile, cycling, dqdv, gitt, cv, nyquist',
  description: 'Draws a figure from the same numbers the commands compute, as a self-contained SVG sized for a journal column, with axis titles and units and a legend naming each file; several files overlay. The file is written through a temporary file and a rename, never over an input.',
  args: [{ name: 'kind', description: `one of ${PLOT_KINDS.join(', ')}`, choices: PLOT_KINDS }],
  files: 'input files (LAND for profile/cycling/dqdv/gitt, CHI for cv/nyquist)',
  takes: { mass: true, first: true, output: false },
  options: [
    { flags: '-o, --out <file.svg>', description: 'where to write the SVG (- for standard output; required)' },
    { flags: '--cycles <list>', description: 'profile: cycles to draw', default: '1,2' },
    { flags: '--cycle <n>', description: 'dqdv: which cycle', parse: int('--cycle', 1), default: 1 },
    { flags: '--title <text>', description: 'a title above the plot' },
    { flags: '--model <model>', description: 'nyquist: equivalent circuit for the fitted curve', choices: ['randles', 'randles-cpe'], default: 'randles' },
    { flags: '--regions <hi,lo>', description: 'gitt: region boundaries in V', default: '0.1,0.05' },
    { flags: '--density <g_cm3>', description: 'gitt: density (default 2.0)' },
    { flags: '--thickness <um>', description: 'gitt: electrode thickness instead of m/(ρS)' },
    { flags: '--current-sign <sign>', description: 'cv: how the file signs current', choices: ['anodic-positive', 'cathodic-positive'] },
  ],
  examples: ['hcarb plot profile samples/npnhc-t1200.csv --cycles 1,2,40 --out profile.svg', 'hcarb plot cycling samples/npnhc-t1200.csv --out cycling.svg', 'hcarb plot nyquist samples/npnhc-eis.txt --model randles-cpe --out nyquist.svg'],
  fields: [],
  async run(ctx, args, files0, g) {
    const kind = args[0]!;
    if (!(PLOT_KINDS as readonly string[]).includes(kind)) throw new UsageError(`unknown plot kind '${kind}'; choose one of ${PLOT_KINDS.join(', ')}`);
    const out = g.out as string | undefined;
    if (out === undefined) throw new UsageError("plot needs --out FILE.svg (or --out - for standard output)");
    const files = ctx.inputFiles(files0);
    if (out !== '-' && !out.toLowerCase().endsWith('.svg')) throw new UsageError(`--out must name an .svg file, not '${out}'`);
    if (out !== '-') {
      const target = existsSync(out) ? realpathSync(out) : resolve(out);
      for (const f of files) if (f !== '-' && existsSync(f) && realpathSync(f) === target) throw new UsageError(`--out ${out} is one of the inputs; hcarb never writes over an input`);
    }
    const common = await ctx.common(g);
    const { plotCommand } = await import('./plot.js');
    const r = await plotCommand(kind as PlotKind, files.map((f) => ctx.io.open(f)), common, {
      cycles: g.cycles as string, cycle: g.cycle as number, title: g.title as string | undefined, model: g.model as string,
      split: 0.1, currentSign: g.currentSign as string | undefined, cvMass: g.mass === undefined ? undefined : String(g.mass),
      gitt: { regions: g.regions as string, density: g.density as string | undefined, thickness: g.thickness as string | undefined },
    });
    for (const f of r.failures) if (!ctx.fail(f.error, f.file)) throw f.error;
    for (const w of r.warnings) ctx.warn(w.file, w.message);
    if (out === '-') ctx.io.stdout(r.svg);
    else {
      writeAtomic(out, r.svg);
      ctx.info(`wrote ${out} (${r.seriesCount} series)`);
    }
  },
};
