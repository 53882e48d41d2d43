/**
 * What a command is, as data: name, help text, options with their parsers, examples, the keys it
 * writes, and its runner. The CLI builds the program from a list of these; help, completions, the
 * man page, the JSON schemas and the README's command table all come from the same definitions.
 */
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import type { FileResult } from '../output/format.js';
import type { CommonOptions } from './common.js';

export type Opts = Record<string, unknown>;

export interface OptionSpec {
  /** Commander flags: `--split <V>`, `-j, --jobs <n>`, `--peaks`. */
  flags: string;
  description: string;
  /** Turns the text into the value; throws a UsageError naming the option. */
  parse?: (v: string) => unknown;
  default?: unknown;
  choices?: readonly string[];
}

/** A key a command writes, in its rows (table, CSV, TSV, NDJSON) and its JSON. */
export interface FieldSpec { key: string; description: string }

export interface ArgSpec { name: string; description: string; choices?: readonly string[] }

/** A command's share of the work for one file. */
export type PerFile = (input: import('../io.js').Input, opts: Opts, common: CommonOptions) => Promise<FileResult>;

/** What a batch does once every file is read (sort, or one result over all files). */
export interface Batch { finish: (results: FileResult[]) => FileResult | FileResult[] }

export interface RunContext {
  io: Io;
  /** Read every file with `perFile` and write the results; a bad file is reported and the rest still run. */
  runFiles(files: string[], opts: Opts, perFile: PerFile, batch?: Batch): Promise<void>;
  /** The shared mass / branch options of this command line. */
  common(opts: Opts): Promise<CommonOptions>;
  /** Files as given, or standard input when there are none and it is not a terminal. */
  inputFiles(files: string[]): string[];
  warn(file: string | null, message: string): void;
  info(message: string): void;
  /** Report a failure (an error of one file) and raise the exit status; false when it is not a user error. */
  fail(e: unknown, file?: string): boolean;
  /** Whether standard output is a terminal (tables by default). */
  isTerminal(): boolean;
  /** `--fields help` text for this command. */
  fieldsHelp(): string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  description: string;
  /** Positional arguments before the files (plot's KIND). */
  args?: ArgSpec[];
  /** What the file arguments are, or null when the command takes none. */
  files: string | null;
  /** Shared option groups this command takes. */
  takes: { mass?: boolean; first?: boolean; join?: boolean; output?: boolean };
  options: OptionSpec[];
  examples: string[];
  /** Row keys, in table/CSV order. */
  fields: FieldSpec[];
  /** Top-level keys of one element of the JSON array, beyond the row keys. */
  docFields?: FieldSpec[];
  run(ctx: RunContext, args: string[], files: string[], opts: Opts): Promise<void>;
}

/** A number option. */
export const num = (name: string) => (v: string): number => {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x)) throw new UsageError(`${name} must be a number, not '${v}'`);
  return x;
};

/** A whole-number option with a lower bound (cycles start at 1, counts at 0). */
export const int = (name: string, min = 0) => (v: string): number => {
  const x = Number(v);
  if (v.trim() === '' || !Number.isInteger(x) || x < min) throw new UsageError(`${name} must be a whole number ≥ ${min}, not '${v}'`);
  return x;
};

/** A positive number option. */
export const pos = (name: string) => (v: string): number => {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x <= 0) throw new UsageError(`${name} must be a positive number, not '${v}'`);
  return x;
};

export const MASS_OPTIONS: OptionSpec[] = [
  { flags: '--mass <mg>', description: "active material mass in mg (default: from the file's SpeCap column)", parse: pos('--mass') },
  { flags: '--masses <file>', description: 'CSV of file,mass_mg for a batch (matched by path or file name)' },
  { flags: '--loading <mg_cm2>', description: 'active loading in mg/cm² (with --area or --diameter) instead of --mass', parse: pos('--loading') },
  { flags: '--area <cm2>', description: 'electrode area in cm²', parse: pos('--area') },
  { flags: '--diameter <mm>', description: 'electrode disc diameter in mm (default 12)', parse: pos('--diameter') },
];
export const JOIN_OPTION: OptionSpec = { flags: '--join', description: 'the files are parts of one run, in order (a long run exported in pieces)' };
export const FIRST_OPTION: OptionSpec = { flags: '--first <branch>', description: 'first branch of a cycle: discharge (anode half cell) or charge', choices: ['discharge', 'charge'], default: 'discharge' };
export const OUTPUT_OPTIONS: OptionSpec[] = [
  { flags: '-f, --format <format>', description: 'output format (default: table on a terminal, csv when piped)', choices: ['table', 'json', 'ndjson', 'csv', 'tsv'] },
  { flags: '--json', description: 'shorthand for --format json (always an array, one element per file)' },
  { flags: '--fields <keys>', description: "columns for table, CSV, TSV and NDJSON, comma-separated ('--fields help' lists them)" },
  { flags: '--no-header', description: 'CSV/TSV without the header line' },
  { flags: '--wide', description: 'tables at full width, however wide the terminal' },
];
export const GENERAL_OPTIONS: OptionSpec[] = [
  { flags: '-q, --quiet', description: 'no warnings or notes on stderr' },
  { flags: '-v, --verbose', description: 'also print notes: columns, guesses, skipped lines' },
  { flags: '--debug', description: 'stack traces for internal errors' },
  { flags: '--color', description: 'force colour on stderr' },
  { flags: '--no-color', description: 'no colour' },
];

/** Every option a command takes, shared groups included, in help order. */
export function allOptions(spec: CommandSpec): OptionSpec[] {
  const t = spec.takes;
  return [
    ...(t.mass ? MASS_OPTIONS : []),
    ...(t.join ? [JOIN_OPTION] : []),
    ...(t.first ? [FIRST_OPTION] : []),
    ...spec.options,
    ...(t.output !== false ? OUTPUT_OPTIONS : []),
    ...GENERAL_OPTIONS,
  ];
}

/** The long flag of an option: `--split` from `--split <V>`. */
export function longFlag(o: OptionSpec): string {
  return o.flags.split(/[ ,]+/).find((f) => f.startsWith('--'))!;
}

/** Fields shared by the mass-aware cycling commands. */
export const MASS_FIELDS: FieldSpec[] = [
  { key: 'mass_mg', description: 'active mass used for specific values' },
  { key: 'mass_source', description: 'where the mass came from: flag, loading, masses-file, file, none' },
];
