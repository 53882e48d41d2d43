#!/usr/bin/env node
// `npm run figures`: redraws the README's figures (docs/*.svg) from the bundled samples with the
// built CLI, exactly as a user would. Run after `npm run build`; commit the SVGs it writes.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const FIGURES = [
  ['profile', 'samples/npnhc-t1200.csv', '--cycles', '1,2,40'],
  ['cycling', 'samples/npnhc-t1200.csv'],
  ['dqdv', 'samples/npnhc-t1200.csv'],
  ['gitt', 'samples/npnhc-gitt.csv', '--mass', '3.8'],
  ['cv', 'samples/npnhc-cv-0.5mVs.txt'],
  ['nyquist', 'samples/npnhc-eis.txt'],
];
let failed = 0;
for (const [kind, ...args] of FIGURES) {
  const r = spawnSync(process.execPath, ['bin/hcarb.js', 'plot', kind, ...args, '--out', `docs/${kind}.svg`, '-q'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) { failed++; process.stderr.write(`figures: ${kind} failed (${r.status}): ${r.stderr}`); }
  else process.stdout.write(`docs/${kind}.svg\n`);
}
process.exit(failed ? 1 : 0);
