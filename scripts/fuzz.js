#!/usr/bin/env node
// npm run fuzz -- --seconds N [--seed S] [--runs N]   (a failure prints the --seed/--runs that replay it)
// Mutates the samples, fixtures, corpus files and generated exports in several dialects (byte
// flips, truncation, line duplication, column shuffles, inserted junk) and runs every command on
// each mutant in-process, in a worker thread with a memory limit and a watchdog; and checks that
// the fast path (also with its scanner thread) and the general parser agree on it (differential).
// Counts crashes (an exception that is not hcarb's own error), hangs (stopped after 5 s, or after
// 20× the time an input of that size normally takes when that is longer), slow runs (over 10× that
// time), memory blow-ups, fast/general differences, and results that break an invariant
// (scripts/fuzz-invariants.js: no NaN or infinity, efficiencies in (0, 100] or warned about,
// capacities ≥ 0, the cycles' charge within what flowed, D > 0).
// Exits 1 on any, and saves the offending inputs to fuzz-failures/.
import { Worker } from 'node:worker_threads';
import { readFileSync, readdirSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { unzipSync, zipSync } from 'fflate';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : dflt; };
const seconds = Number(arg('--seconds', '30'));
let seed = Number(arg('--seed', String(Date.now() % 1e9)));
const maxRuns = Number(arg('--runs', 'Infinity'));
const HANG_MS = 5000;

const sources = [];
const add = (p) => { if (existsSync(p)) sources.push({ name: p.replace(root, ''), bytes: readFileSync(p) }); };
for (const f of readdirSync(root + 'samples')) if (!f.endsWith('.md')) add(root + 'samples/' + f);
add(root + 'test/fixtures/hand-small.csv');
for (const d of ['land', 'chi', 'neware', 'biologic', 'arbin', 'gamry']) {
  const dir = root + '../shared/corpus/' + d + '/';
  if (existsSync(dir)) for (const f of readdirSync(dir)) add(dir + f);
}
// Generated exports in the dialects the scanner reads, so mutations reach every branch of it.
{
  const { landFile, hardCarbonPlan, mixedCsv } = await import('../dist/generate/land.js');
  const { plan } = hardCarbonPlan({ cycles: 2 });
  const utf16 = (b) => { const t = new TextDecoder().decode(b); const o = new Uint8Array(2 + 2 * t.length); o.set([0xff, 0xfe]); for (let k = 0; k < t.length; k++) { o[2 + 2 * k] = t.charCodeAt(k) & 255; o[3 + 2 * k] = t.charCodeAt(k) >> 8; } return o; };
  const gen = { 'durations.csv': landFile(plan, { time: 'dhms' }), 'semicolon-decimal-comma.csv': landFile(plan, { delimiter: ';', decimalComma: true }), 'tab-decimal-comma-crlf.txt': landFile(plan, { delimiter: '\t', decimalComma: true, crlf: true }), 'chinese-gb18030.csv': landFile(plan, { language: 'zh' }, 'gb18030'), 'utf16.csv': utf16(landFile(plan)), 'mixed.csv': mixedCsv(plan) };
  for (const [name, bytes] of Object.entries(gen)) sources.push({ name: 'generated/' + name, bytes });
}

function rng() { seed = (seed + 0x6d2b79f5) >>> 0; let t = seed; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }
const pick = (xs) => xs[Math.floor(rng() * xs.length)];
const int = (n) => Math.floor(rng() * n);

/** Numbers perturbed, a row dropped or doubled, a cell emptied: mutations that keep a file parseable, so results (not only refusals) are checked. */
function textMutation(text, kind) {
  const lines = text.split('\n');
  const k = int(lines.length);
  if (kind === 'perturb') {
    for (let n = 0; n < 1 + int(5); n++) {
      const j = int(lines.length);
      lines[j] = lines[j].replace(/-?\d+(\.\d+)?(e[-+]?\d+)?/g, (m) => (rng() < 0.2 ? String(Number(m) * pick([-1, 0, 0.5, 1.01, 2, 10, 1e6])) : m));
    }
  } else if (kind === 'droprow') lines.splice(k, 1 + int(3));
  else if (kind === 'duprow') lines.splice(k, 0, ...Array(1 + int(3)).fill(lines[k]));
  else if (kind === 'emptycell') { const sep = lines[k].includes('\t') ? '\t' : ','; const c = lines[k].split(sep); c[int(c.length)] = ''; lines[k] = c.join(sep); }
  return lines.join('\n');
}

const GENTLE = ['perturb', 'droprow', 'duprow', 'emptycell'];

/** A workbook mutated inside: a sheet's XML gets a gentle mutation and the zip is rebuilt. */
function mutateWorkbook(b, kind) {
  let files;
  try { files = unzipSync(b); } catch { return flip(Uint8Array.from(b), 1); }
  const sheets = Object.keys(files).filter((n) => /^xl\/worksheets\/.*\.xml$|sharedStrings/.test(n));
  if (!sheets.length) return flip(Uint8Array.from(b), 1);
  const name = pick(sheets);
  let xml = new TextDecoder().decode(files[name]);
  if (kind === 'droprow' || kind === 'duprow') {
    const rows = [...xml.matchAll(/<row[\s\S]*?<\/row>/g)];
    if (rows.length) { const r = pick(rows); xml = xml.replace(r[0], kind === 'droprow' ? '' : r[0] + r[0]); }
  } else if (kind === 'emptycell') xml = xml.replace(/<v>[^<]*<\/v>/, (m) => (rng() < 0.5 ? '<v></v>' : m));
  else xml = xml.replace(/<v>(-?[\d.eE+-]+)<\/v>/g, (m, x) => (rng() < 0.01 ? `<v>${Number(x) * pick([-1, 0, 2, 1e6])}</v>` : m));
  files[name] = new TextEncoder().encode(xml);
  return zipSync(files);
}

/** One random mutation of a file's bytes. */
function mutate(b) {
  const kind = pick(['flip', 'truncate', 'dupline', 'shuffle', 'junk', 'delete', 'flipmany', 'swaplines', ...GENTLE, ...GENTLE]);
  let out = Uint8Array.from(b);
  const isZip = b[0] === 0x50 && b[1] === 0x4b;
  if (isZip && GENTLE.includes(kind)) return { kind: 'workbook-' + kind, bytes: mutateWorkbook(b, kind) };
  if (isZip && kind !== 'truncate' && kind !== 'flip' && kind !== 'flipmany') return { kind: 'flip', bytes: flip(out, 1 + int(8)) };
  if (GENTLE.includes(kind)) {
    const text = new TextDecoder('latin1').decode(out);
    return { kind, bytes: Uint8Array.from(textMutation(text, kind), (c) => c.charCodeAt(0) & 255) };
  }
  switch (kind) {
    case 'flip': return { kind, bytes: flip(out, 1) };
    case 'flipmany': return { kind, bytes: flip(out, 2 + int(50)) };
    case 'truncate': return { kind, bytes: out.subarray(0, int(out.length)) };
    case 'junk': { const at = int(out.length), n = 1 + int(64); const j = Uint8Array.from({ length: n }, () => int(256)); return { kind, bytes: concat(out.subarray(0, at), j, out.subarray(at)) }; }
    case 'delete': { const at = int(out.length), n = 1 + int(4096); return { kind, bytes: concat(out.subarray(0, at), out.subarray(Math.min(out.length, at + n))) }; }
    default: {
      const text = new TextDecoder('latin1').decode(out);
      const lines = text.split('\n');
      if (kind === 'dupline') { const k = int(lines.length); lines.splice(k, 0, ...Array(1 + int(3)).fill(lines[k])); }
      else if (kind === 'swaplines') { const a = int(lines.length), c = int(lines.length); [lines[a], lines[c]] = [lines[c], lines[a]]; }
      else {
        // shuffle the columns of a header or data line
        const k = rng() < 0.3 ? int(Math.min(lines.length, 30)) : int(lines.length);
        const sep = lines[k].includes('\t') ? '\t' : ',';
        const cells = lines[k].split(sep);
        for (let i = cells.length - 1; i > 0; i--) { const j = int(i + 1); [cells[i], cells[j]] = [cells[j], cells[i]]; }
        lines[k] = cells.join(sep);
      }
      return { kind, bytes: Uint8Array.from(lines.join('\n'), (c) => c.charCodeAt(0) & 255) };
    }
  }
}
function flip(b, n) { for (let i = 0; i < n && b.length; i++) b[int(b.length)] ^= 1 << int(8); return b; }
function concat(...parts) { const n = parts.reduce((s, p) => s + p.length, 0); const o = new Uint8Array(n); let k = 0; for (const p of parts) { o.set(p, k); k += p.length; } return o; }

const COMMANDS = ['ice', 'cycles', 'cycles', 'split', 'retention', 'gitt', 'dqdv', 'summary', 'inspect', 'cv', 'eis', 'fast-eq-general', 'fast-eq-general', 'threaded-eq-general'];

let worker = null;
let pendingResolve = null;
function startWorker() {
  const w = new Worker(new URL('./fuzz-worker.js', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: 768 } });
  worker = w;
  // Events of a worker already given up (terminated after a hang) must not answer the next run,
  // which has its own worker: the old one's 'exit' came late and read as "worker died".
  const mine = () => worker === w;
  w.on('message', (m) => { if (!mine()) return; const r = pendingResolve; pendingResolve = null; r?.(m); });
  w.on('error', (e) => { if (!mine()) return; const r = pendingResolve; pendingResolve = null; worker = null; r?.({ fatal: true, code: e.code, message: e.message }); });
  w.on('exit', () => { if (!mine()) return; const r = pendingResolve; pendingResolve = null; r?.({ fatal: true, code: 'EXIT', message: 'worker exited' }); worker = null; });
}
function run(command, name, bytes, limitMs = HANG_MS) {
  if (!worker) startWorker();
  return new Promise((resolve) => {
    const timer = setTimeout(() => { pendingResolve = null; const w = worker; worker = null; void w.terminate(); resolve({ hang: true }); }, limitMs);
    pendingResolve = (m) => { clearTimeout(timer); resolve(m); };
    worker.postMessage({ command, name, bytes });
  });
}

// Normal time per MB, from the unmutated inputs.
let msPerMB = 0;
for (const s of sources) {
  const t0 = performance.now();
  for (const c of COMMANDS) await run(c, s.name, s.bytes, 20 * HANG_MS);
  msPerMB = Math.max(msPerMB, (performance.now() - t0) / COMMANDS.length / Math.max(0.05, s.bytes.length / 1048576));
}

console.log(`fuzz: seed ${seed} (replay with --seed ${seed})`);
const started = Date.now();
const counts = { runs: 0, crashes: 0, hangs: 0, memory: 0, slow: 0, differ: 0, violations: 0, refused: 0, ok: 0 };
const failures = [];
const firstSeed = seed;
while (Date.now() - started < seconds * 1000 && counts.runs < maxRuns) {
  const stateBefore = seed;
  const src = pick(sources);
  const m = mutate(src.bytes);
  const command = pick(COMMANDS);
  const t0 = performance.now();
  // A hang: over 5 s, or over 20 times the normal time for this size where that is longer (a large
  // workbook on a loaded machine: the normal time is measured above, under the same load).
  const r = await run(command, src.name, m.bytes, Math.max(HANG_MS, 20 * msPerMB * Math.max(0.05, m.bytes.length / 1048576)));
  const ms = performance.now() - t0;
  counts.runs++;
  let bad = null;
  if (r.hang) { counts.hangs++; bad = `hang (stopped after ${(ms / 1000).toFixed(1)} s)`; }
  else if (r.fatal) { if (r.code === 'ERR_WORKER_OUT_OF_MEMORY') { counts.memory++; bad = 'memory blow-up'; } else { counts.crashes++; bad = `worker died: ${r.message}`; } }
  else if (r.crash && r.message?.startsWith('fast path and general parser differ')) { counts.differ++; bad = r.message; }
  else if (r.crash) { counts.crashes++; bad = `crash: ${r.message}`; }
  else if (r.violation) { counts.violations++; bad = `result breaks an invariant: ${r.message}`; }
  else if (ms > 1000 && ms > 10 * msPerMB * Math.max(0.05, m.bytes.length / 1048576)) { counts.slow++; bad = `slow: ${ms.toFixed(0)} ms`; }
  else if (r.refused) counts.refused++; else counts.ok++;
  if (bad) {
    mkdirSync(root + 'fuzz-failures', { recursive: true });
    const file = `fuzz-failures/${counts.runs}-${command}-${src.name.split('/').pop()}`;
    writeFileSync(root + file, m.bytes);
    failures.push(`${bad} — hcarb ${command} ${file} (${m.kind} of ${src.name}; replay: npm run fuzz -- --seed ${stateBefore} --runs 1)${r.stack ? '\n' + r.stack.split('\n').slice(0, 4).join('\n') : ''}`);
  }
}
await worker?.terminate();
console.log(`fuzz: ${counts.runs} runs in ${seconds} s (seed ${firstSeed}) over ${sources.length} inputs: ${counts.ok} results, ${counts.refused} refused with a message, ${counts.crashes} crashes, ${counts.hangs} hangs, ${counts.slow} too slow, ${counts.memory} memory blow-ups, ${counts.differ} fast/general differences, ${counts.violations} results breaking an invariant`);
for (const f of failures.slice(0, 20)) console.log('  ' + f);
process.exit(failures.length ? 1 : 0);
