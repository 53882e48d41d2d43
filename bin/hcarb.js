#!/usr/bin/env node
// The hcarb command: everything is in dist/cli.js (built from src/ by `npm ci` / `npm run build`).
import { fileURLToPath } from 'node:url';
import module from 'node:module';

// Node 22.1+ keeps compiled code of hcarb's modules between runs (start-up is most of what a short
// run such as `hcarb ice` costs); Node 20 has no such cache and skips this.
module.enableCompileCache?.();

let main;
try {
  ({ main } = await import('../dist/cli.js'));
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
  const root = fileURLToPath(new URL('..', import.meta.url));
  process.stderr.write(`hcarb: this copy of hcarb is not built or its dependencies are missing; run 'npm ci' in ${root}\n`);
  process.exit(3);
}
process.exitCode = await main(process.argv.slice(2));
