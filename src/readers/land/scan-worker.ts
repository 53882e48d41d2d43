/**
 * A worker thread that runs the line scanner for the main thread on a long file (see `scan` in
 * fast.ts): lines are read from shared job buffers and results written to shared slots; messages
 * carry only offsets and counts. Loads the scanner alone.
 */
import { parentPort } from 'node:worker_threads';
import { scanInto, slotViews, stateOf, type ScanState } from './scanline.js';

export interface ScanInit { prog: Int8Array; durOnly: number; delim: number; comma: boolean }
export interface ScanJob { buf: SharedArrayBuffer; from: number; to: number; slot: SharedArrayBuffer; max: number }
export interface ScanDone { n: number; next: number; sawComma: boolean }

let st: ScanState | null = null;

parentPort?.on('message', (m: { init: ScanInit } | ScanJob) => {
  if ('init' in m) {
    st = stateOf(m.init.prog, m.init.delim, m.init.comma, m.init.durOnly);
    parentPort!.postMessage({ ready: true });
    return;
  }
  // Views made per job: a shared buffer arrives as a new object with every message.
  const { n, next } = scanInto(new Uint8Array(m.buf), m.from, m.to, st!, slotViews(m.slot, m.max), m.max);
  parentPort!.postMessage({ n, next, sawComma: st!.sawComma } satisfies ScanDone);
});
