// Runs one command on one input in-process for the fuzzer, through the command's own definition
// (src/commands/*: the same runner the CLI uses, with its default options and --json), and reports:
// a result (then checks its invariants), a refusal (hcarb's own error), or a crash (anything else).
import { parentPort } from 'node:worker_threads';
import { HcarbError } from '../dist/errors.js';
import { COMMANDS } from '../dist/commands/index.js';
import { Runner } from '../dist/commands/run.js';
import { allOptions, longFlag } from '../dist/commands/spec.js';
import { outputChecks } from '../dist/output/format.js';
import { parseLandText, fastPath } from '../dist/readers/land/fast.js';
import { parseLandTextGeneral, newSourceInfo } from '../dist/readers/land/land.js';
import { openRecords } from '../dist/load.js';
import { checkResult } from './fuzz-invariants.js';

outputChecks.strictNumbers = true;

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
}

const camel = (flag) => flag.replace(/^--(no-)?/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());

/** Options as commander would give them with nothing on the command line, plus what the fuzzer sets. */
function options(spec, extra) {
  const o = { header: true };
  for (const opt of allOptions(spec)) if (opt.default !== undefined) o[camel(longFlag(opt))] = opt.default;
  return { ...o, format: 'json', quiet: true, ...extra };
}

const EXTRA = { gitt: { mass: 3.8 }, retention: { skip: 2, window: 2 }, summary: { skip: 2, window: 2, jobs: 1 } };

/** One command through its definition: the JSON it printed, or the refusal. */
async function viaSpec(name, input) {
  const spec = COMMANDS.find((c) => c.name === name);
  let out = '';
  const io = { open: () => input, stdout: (s) => { out += s; }, stderr: () => undefined, env: {} };
  const runner = new Runner(io, { stdout: false, stderr: false, stdin: false, columns: 200 }, spec);
  const opts = options(spec, EXTRA[name]);
  runner.setOptions(opts);
  await spec.run(runner, [], [input.name], opts);
  if (runner.exitCode !== 0 && out.trim() === '[]') return { refused: true };
  const elements = JSON.parse(out);
  let records = null;
  if (name === 'cycles' && elements.length) {
    try {
      records = [];
      const opened = await openRecords(input.again());
      for await (const b of opened.records) for (const r of b) records.push({ ...r }); // the LAND fast path reuses its record objects
    } catch { records = null; }
  }
  return { violations: checkResult(name, elements, records) };
}

const RUN = {
  'fast-eq-general': (i) => sameAsGeneral(i),
  'threaded-eq-general': (i) => sameAsGeneral(i, true),
};

parentPort.on('message', async ({ command, name, bytes }) => {
  const make = () => ({ name, async *chunks() { for (let k = 0; k < bytes.length; k += 65536) yield bytes.subarray(k, k + 65536); }, again: make });
  const input = make();
  try {
    if (RUN[command]) { await RUN[command](input); parentPort.postMessage({ ok: true }); return; }
    const r = await viaSpec(command, input);
    if (r.refused) parentPort.postMessage({ refused: true });
    else if (r.violations.length) parentPort.postMessage({ violation: true, message: r.violations.slice(0, 3).join('; ') });
    else parentPort.postMessage({ ok: true });
  } catch (e) {
    if (e instanceof HcarbError) parentPort.postMessage({ refused: true });
    else parentPort.postMessage({ crash: true, message: e?.message ?? String(e), stack: e?.stack });
  }
});
