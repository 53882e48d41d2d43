/**
 * A worker thread that runs the line scanner for the main thread on a long file (see `scan` in
 * fast.ts): lines are read from shared job buffers and results written to shared slots; messages
 * carry only offsets and counts. Loads the scanner alone.
 */
import { parentPort } from 'node:worker_threads';
import { scanInto, slotViews, type ScanState } from './scanline.js';

export interface ScanInit { prog: Int8Array; durOnly: number; delim: number; comma: boolean }
export interface ScanJob { buf: SharedArrayBuffer; from: number; to: number; slot: SharedArrayBuffer; max: number }
export interface ScanDone { n: number; next: number; sawComma: boolean }

let st: ScanState | null = null;
const views = new Map<SharedArrayBuffer, ReturnType<typeof slotViews>>();

parentPort?.on('message', (m: { init: ScanInit } | ScanJob) => {
  if ('init' in m) {
    st = { ...m.init, val: new Float64Array(8), isNull: new Uint8Array(8).fill(1), stS: 0, stE: 0, stH: 0, sawComma: false, ok: false };
    parentPort!.postMessage({ ready: true });
    return;
  }
  let v = views.get(m.slot);
  if (!v) views.set(m.slot, (v = slotViews(m.slot, m.max)));
  const { n, next } = scanInto(new Uint8Array(m.buf), m.from, m.to, st!, v, m.max);
  parentPort!.postMessage({ n, next, sawComma: st!.sawComma } satisfies ScanDone);
});
