/**
 * The reader interface: every corpus file is claimed by exactly the reader of its instrument
 * (detection by content, never by extension), and a file no reader claims falls back to the LAND
 * reader, which says what it could not find.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { chooseReader, readers } from '../src/readers/registry.js';
import { SNIFF_BYTES, CLAIM_THRESHOLD } from '../src/readers/types.js';
import { CORPUS, HAVE_CORPUS, hcarb, one } from './helpers/io.js';

describe.skipIf(!HAVE_CORPUS)('reader choice on the corpus', () => {
  const names = new Set(readers.map((r) => r.name));
  const files = !HAVE_CORPUS ? [] : readdirSync(CORPUS).filter((d) => statSync(CORPUS + d).isDirectory())
    .flatMap((d) => readdirSync(CORPUS + d).map((f) => [d, f] as const));

  it('the corpus has every instrument folder', () => expect(files.length).toBeGreaterThan(20));

  it("the registry's light sniffers give what the loaded readers' own sniff gives, on every corpus file", async () => {
    for (const entry of readers) {
      const reader = await entry.load();
      expect(reader.name).toBe(entry.name);
      for (const [dir, f] of files) {
        const head = new Uint8Array(readFileSync(`${CORPUS}${dir}/${f}`)).subarray(0, SNIFF_BYTES);
        expect(reader.sniff(head, f), `${entry.name} on ${dir}/${f}`).toBe(entry.sniff(head, f));
      }
    }
  });

  for (const [dir, f] of files) {
    it(`${dir}/${f}: ${names.has(dir) ? `the ${dir} reader and no other claims it` : 'no reader of another instrument claims it'}`, () => {
      const head = new Uint8Array(readFileSync(`${CORPUS}${dir}/${f}`)).subarray(0, SNIFF_BYTES);
      const claims = readers.filter((r) => r.sniff(head, f) >= CLAIM_THRESHOLD).map((r) => r.name);
      if (names.has(dir)) {
        expect(claims).toEqual([dir]);
        expect(chooseReader(head, f)?.reader.name).toBe(dir);
      } else {
        // An instrument without a reader yet: only LAND's generic workbook claim may take it.
        expect(claims.filter((c) => c !== 'land')).toEqual([]);
      }
    });
  }
});

describe('the reader a file was read with is stated', () => {
  it('inspect names the reader and why', () => {
    const d = one(hcarb(['inspect', 'samples/npnhc-t1200.csv', '--json']).stdout);
    expect(d.reader).toBe('land');
    expect(d.reader_reason).toMatch(/^content sniffed: land 0\.90/);
  });
  it('a text file nobody claims is read by the LAND reader as the fallback, and its message says what is missing', () => {
    const r = hcarb(['inspect', '-', '--json'], { input: 'a,b,c\n1,2,3\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^hcarb: <stdin>/);
  });
});
