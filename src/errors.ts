/**
 * Error types. Every failure a user can cause is an HcarbError: it carries the exit code,
 * and where known the file and line, so the CLI prints `hcarb: FILE:LINE: message` and
 * never a stack trace.
 */
export class HcarbError extends Error {
  readonly exitCode: number;
  file?: string;
  line?: number;
  /** Extra location text, e.g. a sheet name: `FILE:SHEET:ROW`. */
  where?: string;
  constructor(message: string, opts: { exitCode?: number; file?: string; line?: number; where?: string; cause?: unknown } = {}) {
    super(message, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = 'HcarbError';
    this.exitCode = opts.exitCode ?? 1;
    this.file = opts.file;
    this.line = opts.line;
    this.where = opts.where;
  }
}

/** The data in a file is wrong or unusable: exit 1. */
export class DataError extends HcarbError {
  constructor(message: string, opts: { file?: string; line?: number; where?: string; cause?: unknown } = {}) {
    super(message, { ...opts, exitCode: 1 });
    this.name = 'DataError';
  }
}

/** The command line is wrong: exit 2. */
export class UsageError extends HcarbError {
  constructor(message: string) {
    super(message, { exitCode: 2 });
    this.name = 'UsageError';
  }
}

/** `hcarb: FILE:LINE: message` (parts omitted when unknown). */
export function formatError(err: HcarbError): string {
  const loc: string[] = [];
  if (err.file !== undefined) loc.push(err.file);
  if (err.where !== undefined) loc.push(err.where);
  if (err.line !== undefined) loc.push(String(err.line));
  return `hcarb: ${loc.length ? loc.join(':') + ': ' : ''}${err.message}`;
}

export function isHcarbError(e: unknown): e is HcarbError {
  return e instanceof HcarbError;
}
