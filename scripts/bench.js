#!/usr/bin/env node
// npm run bench [-- --quick | --ice] : throughput and peak memory of hcarb against the byte-loop floor, a
// papaparse whole-string parse and the pandas way, on generated LAND exports (100 MB and 1 GB) and
// the corpus workbook; `ice` (which stops after cycle 1) against `cycles`; and a 20-file summary
// on one worker vs all cores. Medians of several runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { writeBig } from './gen-big.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const data = root + 'bench/data/';
const quick = process.argv.includes('--quick');
mkdirSync(data, { recursive: true });
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const hasPandas = spawnSync('python3', ['-c', 'import pandas, openpyxl'], { stdio: 'ignore' }).status === 0;

/** Run a command; wall seconds and peak RSS (MB) from /usr/bin/time. */
function measure(cmd, args, env = {}) {
  const t0 = process.hrtime.bigint();
  const opts = { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, ...env } };
  const r = TIME ? spawnSync(TIME, ['-f', '%M %U %S', cmd, ...args], opts) : spawnSync(cmd, args, opts);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const [rss, user, sys] = TIME ? r.stderr.trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN, NaN];
  return { s, rssMB: rss / 1024, cpu: user + sys, ok: r.status === 0, err: r.status === 0 ? '' : r.stderr.slice(-300) };
}

function median(runs) {
  const ok = runs.filter((r) => r.ok);
  if (!ok.length) return { ...runs[0], s: NaN, rssMB: NaN };
  const by = (k) => [...ok].map((r) => r[k]).sort((a, b) => a - b)[Math.floor(ok.length / 2)];
  return { s: by('s'), rssMB: by('rssMB'), cpu: by('cpu'), ok: true };
}

function report(label, runs, sizeMB) {
  const m = median(runs);
  const row = { label, runs, s: m.s, mbs: sizeMB / m.s, rssMB: m.rssMB, ok: m.ok, note: m.ok ? '' : (runs[0].err.split('\n').find((l) => /error|Error/.test(l)) ?? 'failed').trim().slice(0, 90) };
  console.log(`  ${label.padEnd(34)} ${m.ok ? `${row.s.toFixed(2).padStart(7)} s ${row.mbs.toFixed(0).padStart(6)} MB/s ${row.rssMB.toFixed(0).padStart(6)} MB peak ${Number.isFinite(m.cpu) ? `${m.cpu.toFixed(2).padStart(6)} s CPU` : ''}` : `cannot run: ${row.note}`}`);
  return row;
}

/**
 * Contenders run in rounds (each once per round, in turn), so that a slow minute of the shared
 * host hits them all alike; ratios are the median of the per-round ratios. `once` contenders run
 * in the first round only (too slow to repeat).
 */
function rounds(contenders, sizeMB, n) {
  const runs = Object.fromEntries(contenders.map((c) => [c.key, []]));
  for (let k = 0; k < n; k++) for (const c of contenders) if (!c.once || k === 0) runs[c.key].push(measure(c.cmd, c.args, c.env));
  const rows = {};
  for (const c of contenders) rows[c.key] = report(c.label, runs[c.key], sizeMB);
  return rows;
}

/** Median over rounds of a.s / b.s (b's single run when it ran once); `key` 'cpu' compares CPU time. */
function ratio(a, b, key = 's') {
  const list = a.runs.map((r, k) => (b.runs[k] ?? b.runs[0])[key] / r[key]).filter((x) => Number.isFinite(x) && x > 0).sort((x, y) => x - y);
  return list[Math.floor(list.length / 2)];
}

const node = process.execPath;
const results = {};
// --ice: only the early-stop comparison on the 1 GB export (ice against cycles, and node's bare start-up).
const iceOnly = process.argv.includes('--ice');
const sizes = iceOnly ? [1000] : quick ? [100] : [100, 1000];
for (const mb of sizes) {
  const file = `${data}land-${mb}.csv`;
  if (!existsSync(file)) { process.stdout.write(`generating ${file} … `); await writeBig(file, mb); console.log('done'); }
  const size = statSync(file).size / 1048576;
  const n = mb >= 1000 ? 3 : 5;
  console.log(`\n${file.replace(root, '')} (${size.toFixed(0)} MB), ${n} interleaved rounds, medians`);
  const all = [
    { key: 'floor', label: 'byte-loop floor (2 columns)', cmd: node, args: ['scripts/bench/floor.mjs', file, '3', '7'] },
    { key: 'cycles', label: 'hcarb cycles', cmd: node, args: ['bin/hcarb.js', 'cycles', file, '--format', 'csv'] },
    { key: 'cycles1', label: 'hcarb cycles, no scanner thread', cmd: node, args: ['bin/hcarb.js', 'cycles', file, '--format', 'csv'], env: { HCARB_SCAN_THREAD_AFTER: 'never' } },
    { key: 'ice', label: 'hcarb ice', cmd: node, args: ['bin/hcarb.js', 'ice', file, '--format', 'csv'] },
    { key: 'papa', label: 'papaparse whole string', cmd: node, args: ['scripts/bench/papa-whole.mjs', file], once: mb >= 1000 },
  ];
  all.push({ key: 'node', label: 'node -e \'\' (start-up floor)', cmd: node, args: ['-e', ''] });
  const contenders = iceOnly ? all.filter((c) => ['cycles', 'ice', 'node'].includes(c.key)) : all;
  if (hasPandas && !iceOnly) contenders.push({ key: 'pandas', label: 'pandas chunked reducer', cmd: 'python3', args: ['scripts/bench/pandas_cycles.py', file] });
  const r = rounds(contenders, size, n);
  if (!hasPandas) console.log('  pandas chunked reducer             skipped: python3 with pandas is not installed');
  if (!iceOnly) {
    const perRound = r.cycles.runs.map((c, k) => `${(r.floor.runs[k].s / c.s * 100).toFixed(0)} %`).join(', ');
    console.log(`  → hcarb cycles = ${(ratio(r.cycles, r.floor) * 100).toFixed(0)} % of the floor (rounds: ${perRound})` +
      (r.pandas?.ok ? `, ${ratio(r.cycles, r.pandas).toFixed(1)}× pandas chunked` : '') +
      (r.papa.ok ? `, ${ratio(r.cycles, r.papa).toFixed(1)}× papaparse whole-string` : ', papaparse whole-string cannot read it'));
    console.log(`  → without the scanner thread: ${(ratio(r.cycles1, r.floor) * 100).toFixed(0)} % of the floor; the thread makes it ${ratio(r.cycles, r.cycles1).toFixed(2)}× faster`);
  }
  // ice stops reading once cycle 1 is complete (issue 16: ≥ 20× faster than cycles on the 1 GB export).
  if (r.ice.ok && r.cycles.ok) console.log(`  → hcarb ice reads only cycle 1: ${ratio(r.ice, r.cycles).toFixed(0)}× faster than hcarb cycles in wall time (rounds: ${r.ice.runs.map((x, k) => (r.cycles.runs[k].s / x.s).toFixed(0) + '×').join(', ')}), ${ratio(r.ice, r.cycles, 'cpu').toFixed(0)}× in CPU time; goal ≥ 20× at 1 GB`);
  results[mb] = r;
}
if (iceOnly) process.exit(0);

const wb = root + '../shared/corpus/land/cellpy_custom_data_002_landt_Si_halfcell.xlsx';
if (existsSync(wb)) {
  const size = statSync(wb).size / 1048576;
  console.log(`\ncorpus workbook (${size.toFixed(1)} MB, 16 538 records), 5 interleaved rounds, medians`);
  const w = rounds([
    { key: 'hcarb', label: 'hcarb cycles (xlsx)', cmd: node, args: ['bin/hcarb.js', 'cycles', wb, '--format', 'csv'] },
    ...(hasPandas ? [{ key: 'pandas', label: 'pandas.read_excel (openpyxl)', cmd: 'python3', args: ['scripts/bench/pandas_excel.py', wb] }] : []),
  ], size, 5);
  if (hasPandas) console.log(`  → hcarb is ${ratio(w.hcarb, w.pandas).toFixed(1)}× faster than pandas.read_excel`);
  else console.log('  pandas.read_excel                  skipped: python3 with pandas/openpyxl is not installed');
} else console.log('\ncorpus workbook skipped: ../shared is absent');

// 20 files of 20 MB (a batch of channels), one worker against all cores.
const files = [];
const one = `${data}cell-20mb.csv`;
if (!existsSync(one)) await writeBig(one, 20);
for (let k = 0; k < 20; k++) { const f = `${data}cell-${k}.csv`; if (!existsSync(f)) copyFileSync(one, f); files.push(f); }
const cores = availableParallelism();
console.log(`\nhcarb summary of 20 files (20 MB each), 3 interleaved rounds, ${cores} cores`);
const j = rounds([
  { key: 'one', label: '--jobs 1', cmd: node, args: ['bin/hcarb.js', 'summary', ...files, '--format', 'csv', '--jobs', '1'] },
  { key: 'all', label: `--jobs ${cores}`, cmd: node, args: ['bin/hcarb.js', 'summary', ...files, '--format', 'csv', '--jobs', String(cores)] },
], 400, 3);
console.log(`  → ${ratio(j.all, j.one).toFixed(2)}× faster on ${cores} cores (rounds: ${j.one.runs.map((o, k) => (o.s / j.all.runs[k].s).toFixed(2) + '×').join(', ')})`);
