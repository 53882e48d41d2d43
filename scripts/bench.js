#!/usr/bin/env node
// npm run bench [-- --quick] : throughput and peak memory of hcarb against the byte-loop floor, a
// papaparse whole-string parse and the pandas way, on generated LAND exports (100 MB and 1 GB) and
// the corpus workbook; and a 20-file summary on one worker vs all cores. Medians of several runs.
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
function measure(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = TIME
    ? spawnSync(TIME, ['-f', '%M', cmd, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 })
    : spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const rssLine = TIME ? r.stderr.trim().split('\n').pop() : '';
  return { s, rssMB: TIME ? Number(rssLine) / 1024 : NaN, ok: r.status === 0, err: r.status === 0 ? '' : r.stderr.slice(-300) };
}

function median(runs) {
  const ok = runs.filter((r) => r.ok);
  if (!ok.length) return { ...runs[0], s: NaN, rssMB: NaN };
  const by = (k) => [...ok].map((r) => r[k]).sort((a, b) => a - b)[Math.floor(ok.length / 2)];
  return { s: by('s'), rssMB: by('rssMB'), ok: true };
}

function bench(label, cmd, args, sizeMB, n) {
  const runs = Array.from({ length: n }, () => measure(cmd, args));
  const m = median(runs);
  const row = { label, s: m.s, mbs: sizeMB / m.s, rssMB: m.rssMB, ok: m.ok, note: m.ok ? '' : (runs[0].err.split('\n').find((l) => /error|Error/.test(l)) ?? 'failed').trim().slice(0, 90) };
  console.log(`  ${label.padEnd(34)} ${m.ok ? `${row.s.toFixed(2).padStart(7)} s ${row.mbs.toFixed(0).padStart(6)} MB/s ${row.rssMB.toFixed(0).padStart(6)} MB peak` : `cannot run: ${row.note}`}`);
  return row;
}

const node = process.execPath;
const results = {};
const sizes = quick ? [100] : [100, 1000];
for (const mb of sizes) {
  const file = `${data}land-${mb}.csv`;
  if (!existsSync(file)) { process.stdout.write(`generating ${file} … `); await writeBig(file, mb); console.log('done'); }
  const size = statSync(file).size / 1048576;
  const n = mb >= 1000 ? 3 : 5;
  console.log(`\n${file.replace(root, '')} (${size.toFixed(0)} MB), median of ${n} runs`);
  const r = {};
  r.floor = bench('byte-loop floor (2 columns)', node, ['scripts/bench/floor.mjs', file, '3', '7'], size, n);
  r.cycles = bench('hcarb cycles', node, ['bin/hcarb.js', 'cycles', file, '--format', 'csv'], size, n);
  r.ice = bench('hcarb ice', node, ['bin/hcarb.js', 'ice', file, '--format', 'csv'], size, n);
  r.papa = bench('papaparse whole string', node, ['scripts/bench/papa-whole.mjs', file], size, mb >= 1000 ? 1 : n);
  if (hasPandas) r.pandas = bench('pandas chunked reducer', 'python3', ['scripts/bench/pandas_cycles.py', file], size, mb >= 1000 ? 1 : 3);
  else console.log('  pandas chunked reducer             skipped: python3 with pandas is not installed');
  console.log(`  → hcarb cycles = ${(r.cycles.mbs / r.floor.mbs * 100).toFixed(0)} % of the floor` +
    (r.pandas?.ok ? `, ${(r.cycles.mbs / r.pandas.mbs).toFixed(1)}× pandas chunked` : '') +
    (r.papa.ok ? `, ${(r.cycles.mbs / r.papa.mbs).toFixed(1)}× papaparse whole-string` : ', papaparse whole-string cannot read it'));
  results[mb] = r;
}

const wb = root + '../shared/corpus/land/cellpy_custom_data_002_landt_Si_halfcell.xlsx';
if (existsSync(wb)) {
  const size = statSync(wb).size / 1048576;
  console.log(`\ncorpus workbook (${size.toFixed(1)} MB, 16 538 records), median of 5 runs`);
  const h = bench('hcarb cycles (xlsx)', node, ['bin/hcarb.js', 'cycles', wb, '--format', 'csv'], size, 5);
  if (hasPandas) {
    const p = bench('pandas.read_excel (openpyxl)', 'python3', ['scripts/bench/pandas_excel.py', wb], size, 3);
    console.log(`  → hcarb is ${(p.s / h.s).toFixed(1)}× faster than pandas.read_excel`);
  } else console.log('  pandas.read_excel                  skipped: python3 with pandas/openpyxl is not installed');
} else console.log('\ncorpus workbook skipped: ../shared is absent');

// 20 files of 20 MB (a batch of channels), one worker against all cores.
const files = [];
const one = `${data}cell-20mb.csv`;
if (!existsSync(one)) await writeBig(one, 20);
for (let k = 0; k < 20; k++) { const f = `${data}cell-${k}.csv`; if (!existsSync(f)) copyFileSync(one, f); files.push(f); }
const cores = availableParallelism();
console.log(`\nhcarb summary of 20 files (20 MB each), median of 3 runs, ${cores} cores`);
const j1 = bench('--jobs 1', node, ['bin/hcarb.js', 'summary', ...files, '--format', 'csv', '--jobs', '1'], 400, 3);
const jn = bench(`--jobs ${cores}`, node, ['bin/hcarb.js', 'summary', ...files, '--format', 'csv', '--jobs', String(cores)], 400, 3);
console.log(`  → ${(j1.s / jn.s).toFixed(2)}× faster on ${cores} cores`);
