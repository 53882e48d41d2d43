// Runs one command on one input in-process for the fuzzer; reports result, refusal (hcarb's own
// error) or crash (anything else).
import { parentPort } from 'node:worker_threads';
import { HcarbError } from '../dist/errors.js';
import { iceCommand, cyclesCommand, splitCommand, retentionCommand } from '../dist/commands/cycling-run.js';
import { gittCommand } from '../dist/commands/gitt.js';
import { dqdvCommand } from '../dist/commands/dqdv.js';
import { summaryCommand } from '../dist/commands/summary.js';
import { inspectCommand } from '../dist/commands/inspect.js';
import { cvCommand, eisCommand } from '../dist/commands/chi.js';
import { parseLandText, fastPath } from '../dist/parse/fast.js';
import { parseLandTextGeneral, newSourceInfo } from '../dist/parse/land.js';

/** JSON with object keys in sorted order (the parsers fill `info` in different orders). */
const canon = (x) => JSON.stringify(x, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));

/** Records, info and error of a parser on the input, as comparable text. */
async function parsed(parse, input) {
  const info = newSourceInfo(input.name);
  const out = [];
  try {
    for await (const b of parse(input.chunks(), input.name, info)) for (const r of b) out.push(canon(r));
    return out.join('\n') + '\n' + canon(info);
  } catch (e) {
    if (!(e instanceof HcarbError)) throw e;
    return `refused: ${e.message} @${e.line}`; // how many batches came first is not compared
  }
}

/** The differential check: the fast path (its scanner thread from the first byte when `threaded`) and the general parser must agree on every input. */
async function sameAsGeneral(input, threaded = false) {
  fastPath.threadAfterBytes = threaded ? 0 : Infinity;
  let a;
  try { a = await parsed(parseLandText, input); } finally { fastPath.threadAfterBytes = Infinity; }
  const b = await parsed(parseLandTextGeneral, input);
  if (a !== b) {
    let k = 0;
    while (k < a.length && a[k] === b[k]) k++;
    throw new Error(`fast path and general parser differ at character ${k}: fast ${JSON.stringify(a.slice(Math.max(0, k - 80), k + 80))} general ${JSON.stringify(b.slice(Math.max(0, k - 80), k + 80))}`);
  }
  return { doc: null };
}

const common = { first: 'discharge' };
const RUN = {
  ice: (i) => iceCommand(i, common),
  cycles: (i) => cyclesCommand(i, common),
  split: (i) => splitCommand(i, { ...common, split: 0.1, cycle: 1 }),
  retention: (i) => retentionCommand(i, { ...common, skip: 2, window: 2 }),
  gitt: (i) => gittCommand(i, { ...common, mass: 3.8 }, {}),
  dqdv: (i) => dqdvCommand(i, common, { cycle: 1, step: 0.005, smooth: 3 }),
  summary: (i) => summaryCommand(i, common, { skip: 2, window: 2, split: 0.1 }),
  inspect: (i) => inspectCommand(i, common),
  cv: (i) => cvCommand(i, {}),
  eis: (i) => eisCommand(i, {}),
  'fast-eq-general': (i) => sameAsGeneral(i),
  'threaded-eq-general': (i) => sameAsGeneral(i, true),
};

parentPort.on('message', async ({ command, name, bytes }) => {
  const input = { name, async *chunks() { for (let k = 0; k < bytes.length; k += 65536) yield bytes.subarray(k, k + 65536); } };
  try {
    const r = await RUN[command](input);
    JSON.stringify(r.doc);
    parentPort.postMessage({ ok: true });
  } catch (e) {
    if (e instanceof HcarbError) parentPort.postMessage({ refused: true });
    else parentPort.postMessage({ crash: true, message: e?.message ?? String(e), stack: e?.stack });
  }
});
