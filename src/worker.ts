/**
 * A worker thread for batches: runs one single-file command on one file and posts the result
 * back (or the error as plain data). Used by `hcarb summary --jobs N`.
 */
import { parentPort } from 'node:worker_threads';
import { summaryCommand, type SummaryOptions } from './commands/summary.js';
import type { CommonOptions } from './commands/common.js';
import { isHcarbError } from './errors.js';
import { readFileChunks } from './readfile.js';

export interface Job { id: number; file: string; common: Omit<CommonOptions, 'masses'> & { masses?: [string, number][] }; summary: SummaryOptions }

parentPort?.on('message', async (job: Job) => {
  const input = { name: job.file, chunks: () => readFileChunks(job.file) };
  const common: CommonOptions = { ...job.common, masses: job.common.masses ? new Map(job.common.masses) : undefined };
  try {
    const result = await summaryCommand(input, common, job.summary);
    parentPort!.postMessage({ id: job.id, result });
  } catch (e) {
    const err = isHcarbError(e)
      ? { hcarb: true, name: e.name, message: e.message, exitCode: e.exitCode, file: e.file, line: e.line, where: e.where }
      : { hcarb: false, message: e instanceof Error ? e.message : String(e), code: (e as { code?: string }).code, stack: e instanceof Error ? e.stack : undefined };
    parentPort!.postMessage({ id: job.id, error: err });
  }
});
