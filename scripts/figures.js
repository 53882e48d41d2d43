#!/usr/bin/env node
// `npm run figures`: redraws the README's figures (docs/*.svg) from the bundled samples with the
// built CLI, exactly as a user would. Run after `npm run build`; commit the SVGs it writes.
// The rate figure needs a run that changes rate; no sample does, so one is generated (dist/generate).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { rateCapabilityPlan } = await import(new URL('../dist/generate/rate.js', import.meta.url).href);
const { encodeLines, landLines } = await import(new URL('../dist/generate/land.js', import.meta.url).href);
const rateCsv = join(mkdtempSync(join(tmpdir(), 'hcarb-figures-')), 'npnhc-rate.csv');
writeFileSync(rateCsv, encodeLines([...landLines(rateCapabilityPlan().plan)]));
const cvRates = readdirSync(join(root, 'samples')).filter((f) => f.startsWith('npnhc-cv-rate-')).sort().map((f) => `samples/${f}`);

const FIGURES = [
  ['profile', 'samples/npnhc-t1200.csv', '--cycles', '1,2,40'],
  ['cycling', 'samples/npnhc-t1200.csv'],
  ['rate', rateCsv],
  ['dqdv', 'samples/npnhc-t1200.csv'],
  ['gitt', 'samples/npnhc-gitt.csv', '--mass', '3.8'],
  ['cv', 'samples/npnhc-cv-0.5mVs.txt'],
  ['dunn', ...cvRates],
  ['capacitive', ...cvRates],
  ['nyquist', 'samples/npnhc-eis.txt'],
  ['bode', 'samples/npnhc-eis.txt'],
  ['drt', 'samples/npnhc-eis.txt'],
];
let failed = 0;
for (const [kind, ...args] of FIGURES) {
  const r = spawnSync(process.execPath, ['bin/hcarb.js', 'plot', kind, ...args, '--out', `docs/${kind}.svg`, '-q'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) { failed++; process.stderr.write(`figures: ${kind} failed (${r.status}): ${r.stderr}`); }
  else process.stdout.write(`docs/${kind}.svg\n`);
}
process.exit(failed ? 1 : 0);
