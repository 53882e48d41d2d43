// The byte-loop floor: find line ends and parse two numeric columns (current and voltage), nothing else.
import { openSync, readSync } from 'node:fs';
const [path, ci, vi] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const fd = openSync(path, 'r');
const buf = Buffer.alloc(1 << 20);
let n, carry = 0, lines = 0, sumI = 0, sumV = 0;
const num = (s) => { let p = s, neg = false, v = 0, d = 0; if (buf[p] === 45) { neg = true; p++; } for (let c = buf[p]; c !== 44 && c !== 10; c = buf[++p]) { if (c === 46) d = 1; else if (c >= 48 && c <= 57) { v = v * 10 + c - 48; if (d) d *= 10; } } return (neg ? -v : v) / (d || 1); };
while ((n = readSync(fd, buf, carry, buf.length - carry)) > 0) {
  const end = carry + n; let s = 0;
  for (;;) {
    const e = buf.indexOf(10, s); if (e < 0 || e >= end) break;
    let f = 0, p = s, a = -1, b = -1;
    while (p < e && (a < 0 || b < 0)) { if (f === ci && a < 0) a = p; if (f === vi && b < 0) b = p; if (buf[p] === 44) f++; p++; }
    if (a >= 0 && b >= 0) { sumI += num(a); sumV += num(b); }
    lines++; s = e + 1;
  }
  buf.copy(buf, 0, s, end); carry = end - s;
}
console.log(JSON.stringify({ lines, sumI, sumV }));
