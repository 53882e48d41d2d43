/**
 * How a command line is carried out, without touching `process`: the batch loop (files in order,
 * a bad file reported and the rest still run), the output format and columns, warnings on stderr,
 * and the exit status. The CLI entry hands in the Io and the terminal facts.
 */
import { DataError, HcarbError, UsageError, formatError, isHcarbError } from '../errors.js';
import { joinInputs, type Io } from '../io.js';
import { FORMATS, ResultWriter, type FileResult, type Format } from '../output/format.js';
import { unitOf } from '../output/units.js';
import { parseFirst, type CommonOptions } from './common.js';
import { readMassesFile } from './masses.js';
import type { Batch, CommandSpec, Opts, PerFile, RunContext } from './spec.js';

export interface Term {
  stdout: boolean; stderr: boolean; stdin: boolean;
  /** Terminal width (stdout), if known. */
  columns?: number;
  /** --color was given on the command line (commander cannot tell it from the default). */
  colorFlag?: boolean;
}

/** Colour policy: --color/--no-color, then NO_COLOR, FORCE_COLOR, then whether stderr is a terminal. */
export function colorLevel(opts: Opts, env: Record<string, string | undefined>, term: Term): 0 | 1 {
  if (term.colorFlag && opts.color === true) return 1;
  if (opts.color === false) return 0;
  if (env.NO_COLOR) return 0;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return 1;
  if (env.TERM === 'dumb') return 0;
  return term.stderr ? 1 : 0;
}

export function resolveFormat(opts: Opts, term: Term): Format {
  const format = opts.format as string | undefined;
  if (opts.json && format && format !== 'json') throw new UsageError(`--json and --format ${format} contradict each other`);
  if (opts.json) return 'json';
  const f = format ?? (term.stdout ? 'table' : 'csv');
  if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not '${f}'`);
  return f as Format;
}

/** `--fields a,b`: checked against the command's keys before any file is read. */
export function resolveFields(spec: CommandSpec, v: unknown): string[] | undefined | 'help' {
  if (v === undefined) return undefined;
  const s = String(v).trim();
  if (s === 'help') return 'help';
  const want = s.split(',').map((x) => x.trim()).filter(Boolean);
  const known = new Set(spec.fields.map((f) => f.key));
  const bad = want.filter((k) => !known.has(k));
  if (!want.length || bad.length) throw new UsageError(`--fields: ${bad.length ? `no key ${bad.map((b) => `'${b}'`).join(', ')} in hcarb ${spec.name}` : 'no keys given'}; the keys are ${[...known].join(', ')}`);
  return want;
}

/** `--fields help`: the keys with units and meaning. */
export function fieldsHelp(spec: CommandSpec): string {
  const w = Math.max(...spec.fields.map((f) => f.key.length));
  return `Keys of hcarb ${spec.name} (table, CSV, TSV and NDJSON columns; JSON has them too):\n` +
    spec.fields.map((f) => `  ${f.key.padEnd(w)}  ${unitOf(f.key) ? `[${unitOf(f.key)}] ` : ''}${f.description}`).join('\n') + '\n';
}

/** Map what a command threw to an HcarbError; file-system errors become data errors naming the file. */
export function toHcarbError(e: unknown, file?: string): HcarbError | null {
  if (isHcarbError(e)) { if (e.file === undefined && file) e.file = file; return e; }
  const code = (e as { code?: string })?.code;
  if (code === 'ENOENT') return new DataError('no such file', { file });
  if (code === 'EISDIR') return new DataError('is a directory, not a file', { file });
  if (code === 'EACCES') return new DataError('permission denied', { file });
  return null;
}

/** The colours messages use. */
interface Paint { yellow(s: string): string; dim(s: string): string; red(s: string): string }
const PLAIN: Paint = { yellow: (s) => s, dim: (s) => s, red: (s) => s };

export class Runner implements RunContext {
  exitCode = 0;
  private paint: Paint = PLAIN;
  private opts: Opts = {};

  constructor(readonly io: Io, private readonly term: Term, private readonly spec: CommandSpec) {}

  /** Options seen so far (for --quiet, --debug and colour in messages). */
  setOptions(opts: Opts): void {
    this.opts = opts;
  }

  /** Options, and colour for messages when they get it (chalk is loaded only then). */
  async prepare(opts: Opts): Promise<void> {
    this.setOptions(opts);
    const level = colorLevel(opts, this.io.env, this.term);
    if (level > 0) {
      const { Chalk } = await import('chalk');
      this.paint = new Chalk({ level });
    } else {
      this.paint = PLAIN;
    }
  }

  get debug(): boolean { return Boolean(this.opts.debug); }

  private err(s: string): void { this.io.stderr(s + '\n'); }

  warn(file: string | null, message: string): void {
    if (!this.opts.quiet) this.err(this.paint.yellow(`hcarb: ${file !== null ? `${file}: ` : ''}warning: ${message}`));
  }

  note(file: string, message: string): void {
    if (this.opts.verbose && !this.opts.quiet) this.err(this.paint.dim(`hcarb: ${file}: note: ${message}`));
  }

  info(message: string): void {
    if (!this.opts.quiet) this.err(`hcarb: ${message}`);
  }

  /** Print an error line; raise the exit status. Returns false for an internal (non-user) error. */
  fail(e: unknown, file?: string): boolean {
    const he = toHcarbError(e, file);
    if (!he) return false;
    this.exitCode = Math.max(this.exitCode, he.exitCode);
    this.err(this.paint.red(formatError(he)));
    return true;
  }

  isTerminal(): boolean { return this.term.stdout; }

  fieldsHelp(): string { return fieldsHelp(this.spec); }

  inputFiles(files: string[]): string[] {
    if (!files.length) {
      if (this.term.stdin) throw new UsageError('no input file given (and standard input is a terminal); give a file, or - to read standard input');
      return ['-'];
    }
    if (files.filter((f) => f === '-').length > 1) throw new UsageError('standard input (-) can be given only once');
    return files;
  }

  async common(opts: Opts): Promise<CommonOptions> {
    const common: CommonOptions = {
      first: parseFirst(opts.first),
      mass: opts.mass as number | undefined, loading: opts.loading as number | undefined,
      area: opts.area as number | undefined, diameter: opts.diameter as number | undefined,
    };
    if (opts.masses) {
      if (opts.mass !== undefined) throw new UsageError('give --mass or --masses, not both');
      common.masses = await readMassesFile(this.io.open(String(opts.masses)));
    }
    return common;
  }

  async runFiles(files0: string[], opts: Opts, perFile: PerFile, batch?: Batch): Promise<void> {
    this.setOptions(opts);
    const format = resolveFormat(opts, this.term);
    const fields = resolveFields(this.spec, opts.fields);
    if (fields === 'help') { this.io.stdout(fieldsHelp(this.spec)); return; }
    const files = this.inputFiles(files0);
    const common = await this.common(opts);
    const joined = Boolean(opts.join) && files.length > 1;
    const width = this.term.columns ?? (Number(this.io.env.COLUMNS) || 80);
    const writer = new ResultWriter({ format, fields, header: opts.header !== false, layout: { width, wide: Boolean(opts.wide) } }, this.io.stdout);
    const done: FileResult[] = [];
    const report = (r: FileResult) => {
      if (r.exitCode) this.exitCode = Math.max(this.exitCode, r.exitCode);
      for (const w of r.warnings) this.warn(r.file, w);
      for (const n of r.notes ?? []) this.note(r.file, n);
    };
    for (const f of joined ? [files.join('+')] : files) {
      try {
        const r = await perFile(joined ? joinInputs(files.map((x) => this.io.open(x))) : this.io.open(f), opts, common);
        report(r);
        if (batch) done.push(r); else writer.write(r);
      } catch (e) {
        if (e instanceof UsageError) { writer.end(); throw e; }
        if (!this.fail(e, f === '-' ? '<stdin>' : f)) { writer.end(); throw e; }
      }
    }
    if (batch) {
      try {
        const out = batch.finish(done);
        for (const r of Array.isArray(out) ? out : [out]) {
          writer.write(r);
          if (!Array.isArray(out)) report(r);
        }
      } catch (e) {
        if (e instanceof UsageError || !this.fail(e)) { writer.end(); throw e; }
      }
    }
    writer.end();
  }
}

/** A command's runner for the common case: one result per file, optionally a batch step. */
export function perFileRun(perFile: PerFile, batch?: (opts: Opts) => Batch | undefined): CommandSpec['run'] {
  return (ctx, _args, files, opts) => ctx.runFiles(files, opts, perFile, batch?.(opts));
}
