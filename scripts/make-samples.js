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

// CHI660E exports: a hard-carbon CV at 0.5 mV/s (SEI peak in cycle 1) and an impedance spectrum of a Randles cell.
const { chiCvText, chiEisText } = await import('../dist/generate/chi.js');
writeFileSync(new URL('npnhc-cv-0.5mVs.txt', out), chiCvText({ low: 0.01, high: 2.5, init: 2.5, initDir: 'N', rate: 0.0005, segments: 6, interval: 0.002, anodic: [{ e: 0.12, height: 2e-4, width: 0.03 }], cathodic: [{ e: 0.05, height: 3e-4, width: 0.02 }], firstCycleOnly: [{ e: 0.6, height: 1.5e-4, width: 0.08 }], capF: 0.02 }));
writeFileSync(new URL('npnhc-eis.txt', out), chiEisText('randles', [6.2, 180, 1.5e-5, 45]));
console.log('wrote samples/npnhc-cv-0.5mVs.txt, samples/npnhc-eis.txt');
