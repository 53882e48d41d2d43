#!/usr/bin/env node
// Seeded mutants (issue 20): each deliberate bug that once left the suite green is applied, one at
// a time, to a scratch copy of the repository, which is built and tested; the mutant must make the
// tests fail ("killed"). Prints a Markdown table for docs/testing.md and exits 1 if any survives.
//   node scripts/seeded-mutants.js [--only NAME]
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** [name, file, text to replace (must occur exactly once), replacement, test files that must catch it] */
const MUTANTS = [
  ['EIS: Warburg term with the wrong sign', 'src/analysis/eis/circuit.ts', "case 'W': { const s = p[o]! / Math.sqrt(w); return [s, -s]; }", "case 'W': { const s = p[o]! / Math.sqrt(w); return [s, s]; }", ['test/eis-circuit.test.ts', 'test/eis-fit.test.ts']],
  ['EIS: Warburg exponent −0.45 instead of −0.5', 'src/analysis/eis/circuit.ts', "case 'W': { const s = p[o]! / Math.sqrt(w); return [s, -s]; }", "case 'W': { const s = p[o]! / w ** 0.45; return [s, -s]; }", ['test/eis-circuit.test.ts', 'test/eis-fit.test.ts']],
  ['EIS: χ² × 100', 'src/analysis/eis/fit.ts', 'const chi2 = sumSq(r);', 'const chi2 = 100 * sumSq(r);', ['test/eis-fit.test.ts', 'test/eis-cli.test.ts']],
  ['EIS: standard errors × 10', 'src/analysis/eis/fit.ts', 'se[k] = seX;', 'se[k] = seX * 10;', ['test/eis-fit.test.ts', 'test/eis-cli.test.ts']],
  ['retention: fade % per 100 cycles without its × 100', 'src/analysis/metrics.ts', 'fade_pct_per_100_cycles: slope === null ? null : slope / refMAh * 100 * 100,', 'fade_pct_per_100_cycles: slope === null ? null : slope / refMAh * 100,', ['test/metrics.test.ts', 'test/batch.test.ts', 'test/cycling-extra.test.ts', 'test/mutants.test.ts']],
  ['GITT: region boundaries swapped', 'src/analysis/gitt.ts', 'const [hi, lo] = o.regions;', 'const [lo, hi] = o.regions;', ['test/gitt.test.ts']],
  ['GITT: q_mAh_g from the charge before the pulse', 'src/analysis/gitt.ts', 'q_mAh_g: c.qAfterMAh / g,', 'q_mAh_g: (c.qAfterMAh - c.chargeMAh) / g,', ['test/gitt.test.ts']],
  ['dQ/dV: values doubled', 'src/analysis/dqdv.ts', 'v: raw.v, q: raw.q, dqdv: applySmoothing(raw.dqdv, smoothing),', 'v: raw.v, q: raw.q, dqdv: applySmoothing(raw.dqdv, smoothing).map((x) => 2 * x),', ['test/dqdv.test.ts', 'test/cycling-cli.test.ts']],
  ['plot cycling: discharge capacity drawn as the charge series', 'src/plot/kinds.ts', "marker: 'circle-open', markerEvery: every, points: pts((r) => r.qCh) });", "marker: 'circle-open', markerEvery: every, points: pts((r) => r.qDis) });", ['test/plot.test.ts', 'test/figures.test.ts', 'test/mutants.test.ts']],
  ['summary: last_rev_mAh_g from the wrong branch', 'src/commands/summary.ts', "(data.first === 'discharge' ? [r.q_ch_mAh_g, r.q_ch_mAh] : [r.q_dis_mAh_g, r.q_dis_mAh])", "(data.first === 'discharge' ? [r.q_dis_mAh_g, r.q_dis_mAh] : [r.q_ch_mAh_g, r.q_ch_mAh])", ['test/cli.test.ts', 'test/batch.test.ts', 'test/mutants.test.ts']],
];

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
const rows = [];
let survived = 0;
for (const [name, file, from, to, tests] of MUTANTS) {
  if (only && !name.includes(only)) continue;
  const scratch = mkdtempSync(join(tmpdir(), 'hcarb-mutant-'));
  const dir = join(scratch, 'repo');
  try {
    cpSync(root, dir, { recursive: true, filter: (src) => !/\/(node_modules|dist|\.git|fuzz-failures|bench\/data)(\/|$)/.test(src.slice(root.length - 1)) });
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    symlinkSync(join(root, '..', 'shared'), join(scratch, 'shared'), 'dir'); // the corpus beside the copy, as in CI
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    const count = text.split(from).length - 1;
    if (count !== 1) { rows.push(`| ${name} | \`${file}\` | not applied: the text occurs ${count} times (update this script) |`); survived++; continue; }
    writeFileSync(path, text.replace(from, to));
    const present = tests.filter((t) => { try { readFileSync(join(dir, t)); return true; } catch { return false; } });
    const build = spawnSync(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { cwd: dir, encoding: 'utf8' });
    let killed, how;
    if (build.status !== 0) { killed = true; how = 'does not compile'; }
    else {
      const r = spawnSync(process.execPath, [join(dir, 'node_modules/vitest/vitest.mjs'), 'run', ...present], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: '1' } });
      const failed = /Tests\s+.*?(\d+) failed/.exec(r.stdout.replace(/\x1b\[[0-9;]*m/g, ''));
      killed = r.status !== 0;
      how = killed ? `${failed ? failed[1] : 'some'} test(s) failed in ${present.join(', ')}` : `survived ${present.join(', ')}`;
    }
    if (!killed) survived++;
    rows.push(`| ${name} | \`${file}\` | ${killed ? 'killed' : '**survived**'}: ${how} |`);
    console.error(`${killed ? 'killed  ' : 'SURVIVED'} ${name}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
console.log('| seeded mutant | file | result |\n|---|---|---|\n' + rows.join('\n'));
process.exit(survived ? 1 : 0);
