#!/usr/bin/env node
// Writes a LAND export of about N MB with the project's generator (streamed to disk):
//   node scripts/gen-big.js OUT.csv 100
import { createWriteStream } from 'node:fs';
import { hardCarbonPlan, landLines } from '../dist/generate/land.js';

export async function writeBig(path, mb) {
  // 40 cycles sampled every 600 s are ~1.35 MB. Up to 2000 cycles (a year-long log); beyond that
  // size, record more often (as a 10 s logging interval would), down to every 10 s.
  const cycles = Math.max(2, Math.min(2000, Math.round(mb / 1.35 * 40)));
  // About 105 bytes a line; a half-cycle lasts about 11 h and adds ~150 voltage-triggered records.
  const perBranch = (mb * 1048576 / 105) / (2 * cycles);
  const sampleS = Math.max(5, Math.min(600, 30000 / Math.max(1, perBranch - 150)));
  const { plan } = hardCarbonPlan({ cycles, sampleS });
  const out = createWriteStream(path);
  let buf = [];
  let n = 0;
  for (const line of landLines(plan)) {
    buf.push(line);
    if (buf.length >= 5000) {
      if (!out.write(buf.join('\n') + '\n')) await new Promise((r) => out.once('drain', r));
      n += buf.length; buf = [];
    }
  }
  out.write(buf.join('\n') + '\n');
  await new Promise((r) => out.end(r));
  return { cycles, lines: n + buf.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [path, mb] = process.argv.slice(2);
  const r = await writeBig(path, Number(mb ?? 100));
  console.log(`wrote ${path}: ${r.cycles} cycles, ${r.lines} lines`);
}
