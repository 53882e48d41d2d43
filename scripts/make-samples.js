#!/usr/bin/env node
// Generates the files in samples/ with the project's own generator (src/generate). Run after a build:
//   npm run build && node scripts/make-samples.js
import { writeFileSync, mkdirSync } from 'node:fs';
import { hardCarbonPlan, landFile } from '../dist/generate/land.js';

const out = new URL('../samples/', import.meta.url);
mkdirSync(out, { recursive: true });
const { plan } = hardCarbonPlan({ cycles: 40 });
writeFileSync(new URL('npnhc-t1200.csv', out), landFile(plan));
console.log('wrote samples/npnhc-t1200.csv');

// A GITT run: a formation cycle, then a GITT cycle (600 s pulses, 1 h rests).
const { gittRun, defaultGittPlan } = await import('../dist/generate/gitt.js');
const { recordLines, encodeLines } = await import('../dist/generate/land.js');
const gp = defaultGittPlan();
gp.sampleS = 20; gp.restSampleS = 60;
writeFileSync(new URL('npnhc-gitt.csv', out), encodeLines(recordLines(gittRun(gp).records, gp.massMg, {}, 6)));
console.log('wrote samples/npnhc-gitt.csv');
