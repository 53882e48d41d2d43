/**
 * A pool of worker threads for `hcarb summary --jobs N`: files go to free workers, results come
 * back as promises in input order. A worker that dies fails its file (and is replaced), never
 * hanging the batch.
 */
import { Worker } from 'node:worker_threads';
import { HcarbError } from './errors.js';
import type { CommonOptions } from './commands/common.js';
import type { SummaryOptions } from './commands/summary.js';
import type { FileResult } from './output/format.js';

interface Reply { id: number; result?: FileResult; error?: Record<string, unknown> }

function toError(e: Record<string, unknown>): Error {
  if (e.hcarb) return new HcarbError(String(e.message), { exitCode: Number(e.exitCode), file: e.file as string | undefined, line: e.line as number | undefined, where: e.where as string | undefined });
  return Object.assign(new Error(String(e.message)), { code: e.code, stack: e.stack });
}

/** Start summarising `files` on `jobs` workers; returns one promise per file, in input order. */
export function summariseInParallel(files: string[], jobs: number, common: CommonOptions, summary: SummaryOptions): Promise<FileResult>[] {
  const settle: { resolve: (r: FileResult) => void; reject: (e: unknown) => void }[] = [];
  const results = files.map((_, id) => new Promise<FileResult>((resolve, reject) => { settle[id] = { resolve, reject }; }));
  for (const p of results) p.catch(() => undefined);
  const queue = files.map((file, id) => ({ id, file }));
  const shared = { ...common, masses: common.masses ? [...common.masses] : undefined };
  let live = 0;
  const spawn = (): void => {
    const w = new Worker(new URL('./worker.js', import.meta.url));
    live++;
    let current = -1;
    const next = (): void => {
      const job = queue.shift();
      if (!job) { current = -1; void w.terminate(); return; }
      current = job.id;
      w.postMessage({ id: job.id, file: job.file, common: shared, summary });
    };
    w.on('message', (m: Reply) => {
      if (m.result) settle[m.id]!.resolve(m.result); else settle[m.id]!.reject(toError(m.error!));
      next();
    });
    w.on('error', (e) => { if (current >= 0) settle[current]!.reject(e); current = -1; });
    w.on('exit', () => {
      live--;
      if (current >= 0) { settle[current]!.reject(new Error('a worker thread stopped unexpectedly')); current = -1; }
      if (queue.length && live < jobs) spawn();
    });
    next();
  };
  for (let k = 0; k < Math.min(jobs, files.length); k++) spawn();
  return results;
}
