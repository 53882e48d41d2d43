#!/usr/bin/env node
// npm's prepare step: build dist/ with the project's TypeScript, then the man page. `npm install -g .`
// on a folder runs this before (and without) installing the folder's dependencies; then there is
// nothing to build with, and the global link works once `npm ci` has been run in the folder.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = root + 'node_modules/typescript/bin/tsc';
if (!existsSync(tsc)) {
  console.error(`hcarb: TypeScript is not installed here; run 'npm ci' in ${root} to build hcarb`);
  process.exit(0);
}
const r = spawnSync(process.execPath, [tsc, '-p', root + 'tsconfig.json'], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
const m = spawnSync(process.execPath, [root + 'scripts/make-docs.js'], { stdio: 'inherit' });
process.exit(m.status ?? 1);
