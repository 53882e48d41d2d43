/**
 * The command line. The only module that touches `process`: it builds the real Io, wires the
 * commands, maps errors to `hcarb: FILE:LINE: message` and exit codes (0 ok, 1 data, 2 usage).
 */
import { readFileSync, statSync, writeFileSync, renameSync, unlinkSync, realpathSync, existsSync } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { Chalk } from 'chalk';
import { HcarbError, UsageError, formatError, isHcarbError, DataError } from './errors.js';
import { readFileChunks } from './readfile.js';
import { fastPath } from './parse/fast.js';
import { joinInputs, type Input, type Io } from './io.js';
import { ResultWriter, type FileResult, type Format } from './output/format.js';
import { parseFirst, positive, type CommonOptions } from './commands/common.js';
import { cyclesCommand, iceCommand, retentionCommand, splitCommand } from './commands/cycling.js';
import { readMassesFile } from './commands/masses.js';
import { inspectCommand } from './commands/inspect.js';
import { gittCommand } from './commands/gitt.js';
import { bValueResult, cvCommand, eisCommand } from './commands/chi.js';
import { sortResults, summaryCommand } from './commands/summary.js';
import { summariseInParallel } from './parallel.js';
import { dqdvCommand } from './commands/dqdv.js';
import { PLOT_KINDS, type PlotKind } from './plot/plot-kinds.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface Globals {
  format?: string; json?: boolean; quiet?: boolean; verbose?: boolean; debug?: boolean; color?: boolean;
  mass?: string; loading?: string; area?: string; diameter?: string; first?: string; masses?: string; join?: boolean;
}

/** Progress on stderr for inputs that take more than a second; terminals only, never with --quiet. */
const progress = { enabled: false };

async function* withProgress(name: string, total: number | null, chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (!progress.enabled) { yield* chunks; return; }
  const start = Date.now();
  let seen = 0, last = 0, shown = false;
  try {
    for await (const c of chunks) {
      seen += c.length;
      const now = Date.now();
      if (now - start > 1000 && now - last > 200) {
        last = now;
        shown = true;
        const mb = seen / 1048576;
        const pct = total ? ` ${Math.min(100, seen / total * 100).toFixed(0).padStart(3)} %` : '';
        const width = 24, fill = total ? Math.round(Math.min(1, seen / total) * width) : 0;
        const bar = total ? ` [${'#'.repeat(fill)}${'.'.repeat(width - fill)}]` : '';
        process.stderr.write(`\r\x1b[K${name}${bar}${pct} ${mb.toFixed(0)} MB ${(mb / ((now - start) / 1000)).toFixed(0)} MB/s`);
      }
      yield c;
    }
  } finally {
    if (shown) process.stderr.write('\r\x1b[K');
  }
}

function realIo(): Io {
  return {
    open(path: string): Input {
      if (path === '-') return { name: '<stdin>', chunks: () => withProgress('<stdin>', null, process.stdin as AsyncIterable<Uint8Array>) };
      return {
        name: path,
        chunks: () => {
          let size: number | null = null;
          try { size = statSync(path).size; } catch { /* reported by the stream */ }
          return withProgress(path, size, readFileChunks(path));
        },
      };
    },
    stdout: (s) => { process.stdout.write(s); },
    stderr: (s) => { process.stderr.write(s); },
    env: process.env,
  };
}

/** Colour policy: --color/--no-color, then NO_COLOR, FORCE_COLOR, then whether stderr is a terminal. */
function colorLevel(g: Globals, env: Record<string, string | undefined>, isTTY: boolean): 0 | 1 {
  if (g.color === true && process.argv.includes('--color')) return 1;
  if (g.color === false) return 0;
  if (env.NO_COLOR) return 0;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return 1;
  if (env.TERM === 'dumb') return 0;
  return isTTY ? 1 : 0;
}

/** The options every data command shares; --mass and --masses exclude each other. */
async function commonOptions(g: Globals, io: Io): Promise<CommonOptions> {
  const common: CommonOptions = {
    first: parseFirst(g.first),
    mass: positive('--mass', g.mass), loading: positive('--loading', g.loading),
    area: positive('--area', g.area), diameter: positive('--diameter', g.diameter),
  };
  if (g.masses) {
    if (g.mass !== undefined) throw new UsageError('give --mass or --masses, not both');
    common.masses = await readMassesFile(io.open(g.masses));
  }
  return common;
}

function resolveFormat(g: Globals, isTTY: boolean): Format {
  if (g.json && g.format && g.format !== 'json') throw new UsageError('--json and --format ' + g.format + ' contradict each other');
  if (g.json) return 'json';
  const f = g.format ?? (isTTY ? 'table' : 'csv');
  if (!['table', 'json', 'ndjson', 'csv'].includes(f)) throw new UsageError(`--format must be table, json, ndjson or csv, not '${f}'`);
  return f as Format;
}

function addCommon(cmd: Command, opts: { mass?: boolean; first?: boolean } = { mass: true, first: true }): Command {
  if (opts.mass !== false) {
    cmd.option('--mass <mg>', 'active material mass in mg (default: from the file\'s SpeCap column)')
      .option('--masses <file>', 'CSV of file,mass_mg for a batch (matched by path or file name)')
      .option('--loading <mg_cm2>', 'active loading in mg/cm² (with --area or --diameter) instead of --mass')
      .option('--area <cm2>', 'electrode area in cm²')
      .option('--diameter <mm>', 'electrode disc diameter in mm (default 12)');
  }
  if (opts.mass !== false) cmd.option('--join', 'the files are parts of one run, in order (a long run exported in pieces)');
  if (opts.first !== false) cmd.addOption(new Option('--first <branch>', 'first branch of a cycle: discharge (anode half cell) or charge').choices(['discharge', 'charge']).default('discharge'));
  return cmd
    .addOption(new Option('-f, --format <format>', 'output format (default: table on a terminal, csv when piped)').choices(['table', 'json', 'ndjson', 'csv']))
    .option('--json', 'shorthand for --format json')
    .option('-q, --quiet', 'no warnings or notes on stderr')
    .option('-v, --verbose', 'also print notes: columns, guesses, skipped lines')
    .option('--debug', 'stack traces for internal errors')
    .option('--color', 'force colour on stderr')
    .option('--no-color', 'no colour');
}

function examples(lines: string[]): string {
  return '\nExamples:\n' + lines.map((l) => '  $ ' + l).join('\n') + '\n';
}

/**
 * A long file is scanned on a second thread when there are two cores, from its 128th MB on (1.2–
 * 1.3× faster on a 1 GB export; started at 32 or 64 MB, a 100 MB export gained nothing, 0.91–
 * 0.95×). HCARB_SCAN_THREAD_AFTER (bytes; 'never' to switch it off) overrides the start, for
 * tests, benchmarks and machines shared by several hcarb runs.
 */
function threadPolicy(env: Record<string, string | undefined>): number {
  const v = env.HCARB_SCAN_THREAD_AFTER;
  if (v === 'never') return Infinity;
  if (v !== undefined && v !== '' && Number.isFinite(Number(v))) return Number(v);
  return availableParallelism() >= 2 ? 128 << 20 : Infinity;
}

export async function main(argv: string[]): Promise<number> {
  const io = realIo();
  fastPath.threadAfterBytes = threadPolicy(io.env);
  let exitCode = 0;
  let globalsSeen: Globals = {};
  let paint = new Chalk({ level: 0 });
  const err = (s: string) => io.stderr(s + '\n');

  const program = new Command();
  program.name('hcarb')
    .description('Hard-carbon / sodium-ion battery test analysis from LAND and CHI exports.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(add --help for more information)')
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .exitOverride()
    .addHelpText('after', examples(['hcarb ice samples/npnhc-t1200.csv', 'hcarb summary cells/*.xlsx --masses masses.csv --format csv > table.csv', 'hcarb gitt pulses.csv --mass 3.8', 'hcarb plot profile run.csv --cycles 1,2,50 --out profile.svg']) + '\nEach command has --help with its own examples.\n');

  type Runner = (input: Input, g: Globals & Record<string, unknown>, common: CommonOptions) => Promise<FileResult>;

  const runFiles = async (files: string[], g: Globals & Record<string, unknown>, fn: Runner, batch?: { finish: (results: FileResult[]) => FileResult | FileResult[]; multi?: boolean }): Promise<void> => {
    globalsSeen = g;
    paint = new Chalk({ level: colorLevel(g, io.env, Boolean(process.stderr.isTTY)) });
    const format = resolveFormat(g, Boolean(process.stdout.isTTY));
    progress.enabled = Boolean(process.stderr.isTTY) && !g.quiet;
    if (!files.length) {
      if (process.stdin.isTTY) throw new UsageError('no input file given (and standard input is a terminal); give a file, or - to read standard input');
      files = ['-'];
    }
    if (files.filter((f) => f === '-').length > 1) throw new UsageError('standard input (-) can be given only once');
    const common = await commonOptions(g, io);
    const joined = Boolean(g.join) && files.length > 1;
    const writer = new ResultWriter(format, io.stdout, !joined && files.length > 1 && (!batch || Boolean(batch.multi)));
    const done: FileResult[] = [];
    for (const f of joined ? [files.join('+')] : files) {
      try {
        const r = await fn(joined ? joinInputs(files.map((x) => io.open(x))) : io.open(f), g, common);
        if (batch) done.push(r); else writer.write(r);
        if (r.exitCode) exitCode = Math.max(exitCode, r.exitCode);
        if (!g.quiet) {
          for (const w of r.warnings) err(paint.yellow(`hcarb: ${r.file}: warning: ${w}`));
          if (g.verbose) for (const n of r.notes ?? []) err(paint.dim(`hcarb: ${r.file}: note: ${n}`));
        }
      } catch (e) {
        const he = toHcarbError(e, f === '-' ? '<stdin>' : f);
        if (!he || he instanceof UsageError) { writer.end(); throw e; }
        exitCode = Math.max(exitCode, he.exitCode);
        err(paint.red(formatError(he)));
        if (g.debug && e instanceof Error && e.stack) err(e.stack);
      }
    }
    if (batch) {
      try {
        const out = batch.finish(done);
        for (const r of Array.isArray(out) ? out : [out]) {
          writer.write(r);
          if (!g.quiet && !Array.isArray(out)) for (const w of r.warnings) err(paint.yellow(`hcarb: warning: ${w}`));
        }
      } catch (e) {
        const he = toHcarbError(e);
        if (!he) throw e;
        exitCode = Math.max(exitCode, he.exitCode);
        err(paint.red(formatError(he)));
      }
    }
    writer.end();
  };

  const num = (name: string) => (v: string) => { const x = Number(v); if (!Number.isFinite(x)) throw new UsageError(`${name} must be a number, not '${v}'`); return x; };
  const int = (name: string) => (v: string) => { const x = Number(v); if (!Number.isInteger(x) || x < 0) throw new UsageError(`${name} must be a whole number ≥ 0, not '${v}'`); return x; };

  addCommon(program.command('ice').summary('first-cycle capacities, ICE and irreversible capacity')
    .description('First-cycle insertion (discharge) and extraction (charge) capacity, initial coulombic efficiency ICE = Q_ch,1 / Q_dis,1 × 100 %, and the irreversible capacity Q_dis,1 − Q_ch,1.')
    .argument('[files...]', 'LAND exports (.csv, .txt, .xlsx); - or none for standard input')
    .addHelpText('before', examples(['hcarb ice samples/npnhc-t1200.csv --mass 3.8', 'hcarb ice cells/*.csv --json | jq .ice_pct', 'cat run.csv | hcarb ice - --format ndjson'])))
    .action(async (files: string[], g: Globals & Record<string, unknown>) => runFiles(files, g, (i, _g, c) => iceCommand(i, c)));

  addCommon(program.command('cycles').summary('per-cycle capacities and coulombic efficiency')
    .description('One row per cycle: discharge and charge capacity and CE_n = Q_ch,n / Q_dis,n × 100 %. Cycle n is the n-th discharge half-cycle and the charge after it, whatever the cycler\'s counter says.')
    .argument('[files...]', 'LAND exports; - or none for standard input')
    .addHelpText('before', examples(['hcarb cycles run.csv --mass 3.8', 'hcarb cycles run.xlsx --format csv > cycles.csv', 'hcarb cycles a.csv b.csv --format ndjson | jq -c "select(.ce_pct < 99)"'])))
    .action(async (files: string[], g: Globals & Record<string, unknown>) => runFiles(files, g, (i, _g, c) => cyclesCommand(i, c)));

  addCommon(program.command('split').summary('sloping vs plateau capacity at 0.1 V')
    .description('Sloping and plateau capacity of both branches of one cycle, split where the voltage first crosses the split voltage (linear interpolation between the bracketing records).')
    .argument('[files...]', 'LAND exports; - or none for standard input')
    .option('--split <V>', 'split voltage in V', num('--split'), 0.1)
    .option('--cycle <n>', 'which cycle', int('--cycle'), 1)
    .addHelpText('before', examples(['hcarb split run.csv --mass 3.8', 'hcarb split run.csv --split 0.08 --cycle 2 --json'])))
    .action(async (files: string[], g: Globals & Record<string, unknown>) => runFiles(files, g, (i, gg, c) => splitCommand(i, { ...c, split: gg.split as number, cycle: gg.cycle as number })));

  addCommon(program.command('retention').summary('capacity retention after stabilization, fade rate')
    .description('Retention = mean reversible capacity of the last k cycles / mean of cycles S+1…S+k × 100 %, the plain last/(S+1) ratio, and the least-squares fade rate after S.')
    .argument('[files...]', 'LAND exports; - or none for standard input')
    .option('--skip <S>', 'formation / stabilization cycles to skip', int('--skip'), 20)
    .option('--window <k>', 'cycles averaged at each end', int('--window'), 5)
    .addHelpText('before', examples(['hcarb retention run.csv --mass 3.8', 'hcarb retention run.csv --skip 5 --window 3 --json'])))
    .action(async (files: string[], g: Globals & Record<string, unknown>) => runFiles(files, g, (i, gg, c) => retentionCommand(i, { ...c, skip: gg.skip as number, window: gg.window as number })));

  addCommon(program.command('summary').summary('one row per cell: ICE, capacities, plateau share, retention, cross-check')
    .description('One row per file with the headline figures of the single-file commands: first-cycle capacities, ICE, irreversible capacity, plateau share below the split voltage, cycles, reversible capacity at the last cycle, retention after stabilization (blank with a note when there are too few cycles) and the cross-check with the cycler\'s own summary. Files in the order given.')
    .argument('[files...]', 'LAND exports; - or none for standard input')
    .option('--name <name>', 'sample name (one file only; default: the file name)')
    .option('--sort <key>', 'sort by a key (prefix - for descending), e.g. --sort -ice_pct')
    .option('--split <V>', 'split voltage for the plateau share', num('--split'), 0.1)
    .option('--skip <S>', 'cycles to skip for retention', int('--skip'), 20)
    .option('--window <k>', 'cycles averaged for retention', int('--window'), 5)
    .option('-j, --jobs <n>', 'files processed in parallel (default: the number of cores)', int('--jobs'))
    .addHelpText('before', examples(['hcarb summary cells/*.csv --masses masses.csv --format csv > table.csv', 'hcarb summary cells/*.xlsx --sort -ice_pct', 'hcarb summary run.csv --name "NPNHC-T1200" --mass 3.8 --json'])))
    .action(async (files: string[], g: Globals & Record<string, unknown>) => {
      if (g.name !== undefined && files.length > 1) throw new UsageError('--name names one file; with several files the names come from the file names');
      const sort = g.sort as string | undefined;
      const opts = { name: g.name as string | undefined, skip: g.skip as number, window: g.window as number, split: g.split as number };
      const real = files.filter((f) => f !== '-');
      const jobs = Math.min((g.jobs as number | undefined) ?? availableParallelism(), real.length);
      let parallel: Promise<FileResult>[] | null = null;
      let n = 0;
      await runFiles(files, g, (i, _gg, c) => {
        if (jobs > 1 && real.length === files.length && !g.join) {
          parallel ??= summariseInParallel(files, jobs, c, opts);
          return parallel[n++]!;
        }
        return summaryCommand(i, c, opts);
      }, sort ? { finish: (rs) => sortResults(rs, sort), multi: true } : undefined);
    });

  addCommon(program.command('dqdv').summary('differential capacity dQ/dV of each branch, with its peaks')
    .description('dQ/dV of the discharge and charge of one cycle from the capacity on a uniform voltage grid: the capacity when the voltage first reaches each grid level (interpolated), differenced over the step and smoothed by a moving average; the main peaks per branch. Noise or a non-monotonic voltage in the raw records cannot scramble it.')
    .argument('[files...]', 'LAND exports; - or none for standard input')
    .option('--cycle <n>', 'which cycle', int('--cycle'), 1)
    .option('--step <V>', 'voltage grid step in V', num('--step'), 0.005)
    .option('--smooth <n>', 'moving-average width in grid points (1 = none)', int('--smooth'), 3)
    .option('--peaks', 'rows are the peaks instead of the curve')
    .addHelpText('before', examples(['hcarb dqdv run.csv --mass 3.8', 'hcarb dqdv run.csv --cycle 2 --step 0.002 --format csv > dqdv.csv', 'hcarb dqdv cells/*.csv --peaks --format ndjson'])))
    .action(async (files: string[], g: Globals & Record<string, unknown>) => {
      const step = g.step as number;
      if (!(step > 0)) throw new UsageError('--step must be a positive number of volts');
      await runFiles(files, g, (i, gg, c) => dqdvCommand(i, c, { cycle: gg.cycle as number, step, smooth: Math.max(1, gg.smooth as number), peaksOnly: Boolean(gg.peaks) }));
    });

  addCommon(program.command('plot').summary('publication-ready SVG: profile, cycling, dqdv, gitt, cv, nyquist')
    .description('Draws a figure from the same numbers the commands compute, as a self-contained SVG sized for a journal column, with axis titles and units and a legend naming each file; several files overlay. The file is written through a temporary file and a rename, never over an input.')
    .argument('<kind>', `one of ${PLOT_KINDS.join(', ')}`)
    .argument('[files...]', 'input files (LAND for profile/cycling/dqdv/gitt, CHI for cv/nyquist)')
    .requiredOption('-o, --out <file.svg>', 'where to write the SVG (- for standard output)')
    .option('--cycles <list>', 'profile: cycles to draw', '1,2')
    .option('--cycle <n>', 'dqdv: which cycle', int('--cycle'), 1)
    .option('--title <text>', 'a title above the plot')
    .addOption(new Option('--model <model>', 'nyquist: equivalent circuit for the fitted curve').choices(['randles', 'randles-cpe']).default('randles'))
    .option('--regions <hi,lo>', 'gitt: region boundaries in V', '0.1,0.05')
    .option('--density <g_cm3>', 'gitt: density (default 2.0)')
    .option('--thickness <um>', 'gitt: electrode thickness instead of m/(ρS)')
    .addOption(new Option('--current-sign <sign>', 'cv: how the file signs current').choices(['anodic-positive', 'cathodic-positive']))
    .addHelpText('before', examples(['hcarb plot profile samples/npnhc-t1200.csv --cycles 1,2,40 --out profile.svg', 'hcarb plot cycling cells/*.csv --masses masses.csv --out cycling.svg', 'hcarb plot nyquist eis.txt --model randles-cpe --out nyquist.svg'])))
    .action(async (kind: string, files: string[], g: Globals & Record<string, unknown>) => {
      globalsSeen = g;
      paint = new Chalk({ level: colorLevel(g, io.env, Boolean(process.stderr.isTTY)) });
      if (!(PLOT_KINDS as readonly string[]).includes(kind)) throw new UsageError(`unknown plot kind '${kind}'; choose one of ${PLOT_KINDS.join(', ')}`);
      if (!files.length) {
        if (process.stdin.isTTY) throw new UsageError('no input file given (and standard input is a terminal)');
        files = ['-'];
      }
      const out = g.out as string;
      if (out !== '-' && !out.toLowerCase().endsWith('.svg')) throw new UsageError(`--out must name an .svg file, not '${out}'`);
      if (out !== '-') {
        const target = existsSync(out) ? realpathSync(out) : resolve(out);
        for (const f of files) if (f !== '-' && existsSync(f) && realpathSync(f) === target) throw new UsageError(`--out ${out} is one of the inputs; hcarb never writes over an input`);
      }
      const common = await commonOptions(g, io);
      const { plotCommand } = await import('./commands/plot.js'); // Vega loads only when a figure is drawn
      const r = await plotCommand(kind as PlotKind, files.map((f) => io.open(f)), common, {
        cycles: g.cycles as string, cycle: g.cycle as number, title: g.title as string | undefined, model: g.model as string,
        split: 0.1, currentSign: g.currentSign as string | undefined, cvMass: g.mass,
        gitt: { regions: g.regions as string, density: g.density as string | undefined, thickness: g.thickness as string | undefined },
      });
      for (const f of r.failures) {
        const he = toHcarbError(f.error, f.file);
        if (he) { err(paint.red(formatError(he))); exitCode = Math.max(exitCode, he.exitCode); }
      }
      if (!g.quiet) for (const w of r.warnings) err(paint.yellow(`hcarb: warning: ${w}`));
      if (out === '-') io.stdout(r.svg);
      else {
        writeAtomic(out, r.svg);
        if (!g.quiet) err(`hcarb: wrote ${out} (${r.seriesCount} series)`);
      }
    });

  addCommon(program.command('inspect').summary('what a file is and how hcarb reads it')
    .description('Instrument, layout, sheet, encoding, header line, the columns found with their canonical names and units, records, steps, cycles, time span, stated mass, the cross-check with the cycler\'s own summary, and anything skipped or guessed. Run it when a number looks wrong.')
    .argument('[files...]', 'exports to inspect; - or none for standard input')
    .addHelpText('before', examples(['hcarb inspect run.xlsx', 'hcarb inspect run.csv --json | jq .columns'])))
    .action(async (files: string[], g: Globals & Record<string, unknown>) => runFiles(files, g, (i, _g, c) => inspectCommand(i, c)));

  addCommon(program.command('gitt').summary('Na⁺ diffusion coefficient per GITT pulse (eq. 3)')
    .description('D = 4/(π τ) · (m_B V_M / (M_B S))² · (ΔE_s/ΔE_τ)² for every pulse (a constant-current step followed by a rest, of the most common length ± 10 %), with diagnostics, and per branch the minimum D and the mean log10 D in the adsorption / intercalation / pore-filling regions.')
    .argument('[files...]', 'LAND exports with GITT pulses; - or none for standard input')
    .option('--molar-mass <g_mol>', 'molar mass M_B of the host (default 12.011, carbon)')
    .option('--density <g_cm3>', 'density ρ, V_M = M_B/ρ (default 2.0)')
    .option('--molar-volume <cm3_mol>', 'molar volume V_M instead of --density')
    .option('--thickness <um>', 'electrode thickness L in µm instead of m_B V_M / (M_B S)')
    .addOption(new Option('--etau <method>', 'ΔE_τ method for D (both are in JSON)').choices(['endpoint', 'sqrt']).default('endpoint'))
    .option('--regions <hi,lo>', 'region boundaries in V (adsorption > hi > intercalation > lo > pore filling)', '0.1,0.05')
    .option('--cycle <n>', 'only pulses of this cycle', int('--cycle'))
    .option('--resolution <mV>', 'voltage resolution (default: the smallest voltage step in the file)')
    .addOption(new Option('--current-sign <sign>', 'CHI Multi-Current Steps: how the file signs current').choices(['anodic-positive', 'cathodic-positive']))
    .addHelpText('before', examples(['hcarb gitt pulses.csv --mass 3.8', 'hcarb gitt pulses.csv --mass 3.8 --cycle 2 --etau sqrt --json | jq .summary', 'hcarb gitt pulses.xlsx --mass 3.8 --density 1.6 --diameter 14 --format csv > d.csv'])))
    .action(async (files: string[], g: Globals & Record<string, unknown>) => runFiles(files, g, (i, gg, c) => gittCommand(i, c, gg as never)));

  addCommon(program.command('cv').summary('CHI cyclic voltammetry: peaks per sweep, peak separation, b-value')
    .description('Splits a CHI CV (or LSV) export into sweeps where the potential reverses, gives the anodic or cathodic peak of each sweep, the peak separation per cycle and flags the first-cycle irreversible (SEI) peak. With several files of one cell at different scan rates, --b-value fits log|i_p| = b log v + c.', ), { mass: false, first: false })
    .argument('[files...]', 'CHI .txt/.csv exports; - or none for standard input')
    .option('--mass <mg>', 'active mass in mg: currents also in A/g')
    .option('--masses <file>', 'CSV of file,mass_mg for a batch (matched by path or file name)')
    .addOption(new Option('--current-sign <sign>', 'how the file signs current (CHI does not say)').choices(['anodic-positive', 'cathodic-positive']))
    .option('--b-value', 'fit the b-value over the files (one cell, several scan rates)')
    .addOption(new Option('--peak <dir>', 'which peak the b-value uses').choices(['anodic', 'cathodic']).default('anodic'))
    .option('--cycle <n>', 'which cycle the b-value uses', int('--cycle'), 1)
    .addHelpText('before', examples(['hcarb cv cv_0.5mVs.txt --mass 3.8', 'hcarb cv cv_*.txt --b-value --peak cathodic', 'hcarb cv cv.csv --current-sign cathodic-positive --json']))
    .action(async (files: string[], g: Globals & Record<string, unknown>) => {
      const results: { file: string; scanRate: number | null; ip: number | null }[] = [];
      await runFiles(files, g, async (i, gg, c) => {
        const r = await cvCommand(i, { ...(gg as object), masses: c.masses } as never);
        results.push({ file: r.file, scanRate: r.scanRate, ip: r.chosenIp });
        return r;
      }, g.bValue ? { finish: () => bValueResult(results, g.peak as string, g.cycle as number) } : undefined);
    });

  addCommon(program.command('eis').summary('CHI impedance: Randles fit with standard errors, Nyquist data')
    .description('Fits R_Ω + (C_dl ∥ (R_ct + Z_W)) (or a CPE for C_dl) to a CHI A.C. Impedance export by complex non-linear least squares (Levenberg–Marquardt, modulus weighting), from initial guesses read off the spectrum. Each parameter with its standard error; Nyquist data and fit in JSON.', ), { mass: false, first: false })
    .argument('[files...]', 'CHI impedance exports; - or none for standard input')
    .addOption(new Option('--model <model>', 'equivalent circuit').choices(['randles', 'randles-cpe']).default('randles'))
    .option('--fmin <Hz>', 'lowest frequency used')
    .option('--fmax <Hz>', 'highest frequency used')
    .option('--nyquist', 'rows are the Nyquist points (measured and fitted) instead of the parameters')
    .option('--max-iter <n>', 'Levenberg–Marquardt iterations per start', int('--max-iter'), 400)
    .addHelpText('before', examples(['hcarb eis eis.txt', 'hcarb eis eis.txt --model randles-cpe --json | jq .r_ct_ohm', 'hcarb eis eis.txt --nyquist --format csv > nyquist.csv']))
    .action(async (files: string[], g: Globals & Record<string, unknown>) => runFiles(files, g, (i, gg) => eisCommand(i, gg as never)));

  installPipeGuard();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    const he = toHcarbError(e);
    if (he) {
      err(paint.red(formatError(he)));
      if (he.exitCode === 2) err('(add --help for more information)');
      return he.exitCode;
    }
    err(`hcarb: internal error: ${e instanceof Error ? e.message : String(e)} (please report it; --debug shows the stack)`);
    if (globalsSeen.debug && e instanceof Error) err(e.stack ?? '');
    return 3;
  }
  return exitCode;
}

/** Map what a command threw to an HcarbError; file-system errors become data errors naming the file. */
function toHcarbError(e: unknown, file?: string): HcarbError | null {
  if (isHcarbError(e)) { if (e.file === undefined && file) e.file = file; return e; }
  const code = (e as { code?: string })?.code;
  if (code === 'ENOENT') return new DataError('no such file', { file });
  if (code === 'EISDIR') return new DataError('is a directory, not a file', { file });
  if (code === 'EACCES') return new DataError('permission denied', { file });
  return null;
}

/** Write through a temporary file in the same folder and a rename: no half-written file is ever left. */
function writeAtomic(path: string, text: string): void {
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

function installPipeGuard(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}
