// Runs one command on one input in-process for the fuzzer; reports result, refusal (hcarb's own
// error) or crash (anything else).
import { parentPort } from 'node:worker_threads';
import { HcarbError } from '../dist/errors.js';
import '../dist/parse/workbook.js';
import { iceCommand, cyclesCommand, splitCommand, retentionCommand } from '../dist/commands/cycling.js';
import { gittCommand } from '../dist/commands/gitt.js';
import { dqdvCommand } from '../dist/commands/dqdv.js';
import { summaryCommand } from '../dist/commands/summary.js';
import { inspectCommand } from '../dist/commands/inspect.js';
import { cvCommand, eisCommand } from '../dist/commands/chi.js';

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
