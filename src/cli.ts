/**
 * The command line: the only module that touches `process`. It builds the program from the list of
 * command definitions (src/commands/index.ts), hands each runner the real Io and the terminal facts,
 * and maps errors to `hcarb: FILE:LINE: message` and exit codes (0 ok, 1 data, 2 usage).
 */
import { readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Command, CommanderError, Option } from 'commander';
import { formatError } from './errors.js';
import { readFileChunks } from './readfile.js';
import { fastPath } from './readers/land/fast.js';
import type { Input, Io } from './io.js';
import { COMMAND_NAMES, loadCommand } from './commands/list.js';
import { allOptions, type CommandSpec, type Opts } from './commands/spec.js';
import { Runner, toHcarbError, type Term } from './commands/run.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

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
        last = now; shown = true;
        const mb = seen / 1048576, width = 24, share = total ? Math.min(1, seen / total) : 0;
        const bar = total ? ` [${'#'.repeat(Math.round(share * width))}${'.'.repeat(width - Math.round(share * width))}] ${(share * 100).toFixed(0).padStart(3)} %` : '';
        process.stderr.write(`\r\x1b[K${name}${bar} ${mb.toFixed(0)} MB ${(mb / ((now - start) / 1000)).toFixed(0)} MB/s`);
      }
      yield c;
    }
  } finally {
    if (shown) process.stderr.write('\r\x1b[K');
  }
}

const io: Io = {
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

/**
 * A long file is scanned on a second thread when there are two cores, from its 128th MB on (1.2–
 * 1.3× faster on a 1 GB export; from 32 or 64 MB a 100 MB export gained nothing). HCARB_SCAN_THREAD_AFTER
 * (bytes; 'never' to switch it off) overrides the start, for tests, benchmarks and shared machines.
 */
function threadPolicy(env: Record<string, string | undefined>): number {
  const v = env.HCARB_SCAN_THREAD_AFTER;
  if (v === 'never') return Infinity;
  if (v !== undefined && v !== '' && Number.isFinite(Number(v))) return Number(v);
  return availableParallelism() >= 2 ? 128 << 20 : Infinity;
}

function examples(lines: string[]): string {
  return '\nExamples:\n' + lines.map((l) => '  $ ' + l).join('\n') + '\n';
}

/** One commander command from a definition; the action hands over to the definition's runner. */
function build(program: Command, spec: CommandSpec, term: Term, onRunner: (r: Runner) => void): void {
  const cmd = program.command(spec.name).summary(spec.summary).description(spec.description);
  for (const a of spec.args ?? []) cmd.argument(`<${a.name}>`, a.description);
  if (spec.files !== null) cmd.argument('[files...]', spec.files);
  for (const o of allOptions(spec)) {
    const opt = new Option(o.flags, o.description);
    if (o.parse) opt.argParser(o.parse);
    if (o.choices) opt.choices(o.choices);
    if (o.default !== undefined) opt.default(o.default);
    cmd.addOption(opt);
  }
  cmd.addHelpText('before', examples(spec.examples));
  if (spec.fields.length) cmd.addHelpText('after', `\n'hcarb ${spec.name} --fields help' lists the output keys with their units.\n`);
  cmd.action(async (...a: unknown[]) => {
    const opts = a[a.length - 2] as Opts;
    const positional = a.slice(0, a.length - 2) as (string | string[])[];
    const nArgs = (spec.args ?? []).length;
    const runner = new Runner(io, term, spec);
    onRunner(runner);
    await runner.prepare(opts);
    await spec.run(runner, positional.slice(0, nArgs) as string[], spec.files !== null ? (positional[nArgs] as string[]) : [], opts);
  });
}

export async function main(argv: string[]): Promise<number> {
  fastPath.threadAfterBytes = threadPolicy(io.env);
  const term: Term = { stdout: Boolean(process.stdout.isTTY), stderr: Boolean(process.stderr.isTTY), stdin: Boolean(process.stdin.isTTY), columns: process.stdout.isTTY ? process.stdout.columns : undefined, colorFlag: argv.includes('--color') };
  let runner: Runner | null = null;
  const err = (s: string) => io.stderr(s + '\n');
  progress.enabled = term.stderr && !argv.includes('-q') && !argv.includes('--quiet');
  const program = new Command();
  program.name('hcarb')
    .description('Hard-carbon / sodium-ion battery test analysis from LAND and CHI exports.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(add --help for more information)')
    .configureOutput({
      writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s),
      outputError: (s, write) => write(s.replace(/^error: /, 'hcarb: ')),
    })
    .exitOverride()
    .addHelpText('after', examples(['hcarb ice samples/npnhc-t1200.csv', 'hcarb summary cells/*.xlsx --masses masses.csv --format csv > table.csv', 'hcarb gitt samples/npnhc-gitt.csv --mass 3.8', 'hcarb plot profile samples/npnhc-t1200.csv --cycles 1,2,40 --out profile.svg']) + '\nEach command has --help with its own examples.\n');
  if (!argv.length) {
    err(`usage: hcarb COMMAND [options] [FILE…]\ncommands: ${COMMAND_NAMES.join(', ')}\n(hcarb --help for more, hcarb COMMAND --help for a command)`);
    return 2;
  }
  // Only the command that runs is loaded (start-up is most of what `ice` on a long file costs); general
  // help, `hcarb help …` and an unknown name (commander suggests the nearest) get the whole list.
  const one = await loadCommand(argv[0]!);
  const specs = one ? [one] : ['-V', '--version'].includes(argv[0]!) ? [] : (await import('./commands/index.js')).COMMANDS;
  for (const spec of specs) build(program, spec, term, (r) => { runner = r; });
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(e.code) ? 0 : 2;
    const he = toHcarbError(e);
    if (he) {
      err(formatError(he));
      if (he.exitCode === 2) err('(add --help for more information)');
      return he.exitCode;
    }
    err(`hcarb: internal error: ${e instanceof Error ? e.message : String(e)} (please report it; --debug shows the stack)`);
    if ((runner as Runner | null)?.debug && e instanceof Error) err(e.stack ?? '');
    return 3;
  }
  return (runner as Runner | null)?.exitCode ?? 0;
}
