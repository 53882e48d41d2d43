#!/usr/bin/env node
// Documents made from the command definitions (dist/commands): the man page (man/hcarb.1, at every
// build), and with --all also the JSON Schema per command (docs/schema/) and the README's command
// table (between the `commands:start` / `commands:end` markers). Tests check that the committed
// README and schemas equal what this script writes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { COMMANDS } = await import(root + 'dist/commands/index.js');
const { manPage, readmeTable, jsonSchema } = await import(root + 'dist/commands/docs.js');
const { MASS_OPTIONS, FIRST_OPTION, JOIN_OPTION, OUTPUT_OPTIONS, GENERAL_OPTIONS } = await import(root + 'dist/commands/spec.js');
const version = JSON.parse(readFileSync(root + 'package.json', 'utf8')).version;

mkdirSync(root + 'man', { recursive: true });
writeFileSync(root + 'man/hcarb.1', manPage(COMMANDS, version, [...MASS_OPTIONS, FIRST_OPTION, JOIN_OPTION, ...OUTPUT_OPTIONS, ...GENERAL_OPTIONS]));

if (process.argv.includes('--all')) {
  mkdirSync(root + 'docs/schema', { recursive: true });
  for (const c of COMMANDS) if (c.fields.length && c.takes.output !== false) writeFileSync(root + `docs/schema/${c.name}.schema.json`, JSON.stringify(jsonSchema(c), null, 2) + '\n');
  const readme = readFileSync(root + 'README.md', 'utf8');
  const next = readme.replace(/(<!-- commands:start -->)[\s\S]*?(<!-- commands:end -->)/, `$1\n${readmeTable(COMMANDS)}\n$2`);
  if (next === readme && !readme.includes('<!-- commands:start -->')) throw new Error('README.md has no <!-- commands:start --> marker');
  writeFileSync(root + 'README.md', next);
}
