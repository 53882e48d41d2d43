// The naive way in Node: read the whole file into one string and papaparse it, then reduce per cycle.
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
const text = readFileSync(process.argv[2], 'utf8');
const rows = Papa.parse(text, { skipEmptyLines: true }).data;
const head = rows[0]; const ci = head.indexOf('Cycle-Index'), qi = head.indexOf('Capacity/mAh'), si = head.indexOf('Step-State');
const cyc = new Map();
for (let k = 1; k < rows.length; k++) { const r = rows[k]; const c = cyc.get(r[ci]) ?? { d: 0, c: 0 }; const q = Number(r[qi]); if (r[si] === 'RateD') c.d = Math.max(c.d, q); else if (r[si] === 'RateC') c.c = Math.max(c.c, q); cyc.set(r[ci], c); }
console.log(JSON.stringify({ cycles: cyc.size }));
