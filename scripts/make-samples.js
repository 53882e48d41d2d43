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

// The same kind of cell at four scan rates (b-values, b(V) and Dunn's capacitive share), written
// from the model i = k1(E)·v + k2(E)·v^½ (src/generate/cv.ts): a double layer and a broad sloping
// region in k1 (surface-controlled), the plateau peaks (0.05 V sodiation, 0.12 V desodiation) in
// k2 (diffusion-controlled), an SEI peak at 0.6 V in the first sweep only; 0.5 % noise.
const { chiCvModelText, cvModel } = await import('../dist/generate/cv.js');
const rateModel = cvModel({
  capF: 0.01,
  k1Anodic: [{ e: 0.45, height: 0.05, width: 0.35 }], k1Cathodic: [{ e: 0.35, height: 0.05, width: 0.35 }],
  k2Anodic: [{ e: 0.12, height: 9e-3, width: 0.04 }], k2Cathodic: [{ e: 0.05, height: 1.3e-2, width: 0.03 }],
});
[0.1, 0.2, 0.5, 1].forEach((mV, k) => {
  const v = mV / 1000;
  const sei = (e, d, seg) => (seg === 1 ? -0.3 * v * Math.exp(-(((e - 0.6) / 0.08) ** 2)) : 0);
  const name = `npnhc-cv-rate-${mV}mVs.txt`;
  writeFileSync(new URL(name, out), chiCvModelText({ low: 0.01, high: 2.5, init: 2.5, initDir: 'N', rate: v, segments: 4, interval: 0.002, model: rateModel, extra: sei, noisePct: 0.5, seed: 11 + k }));
  console.log(`wrote samples/${name}`);
});
