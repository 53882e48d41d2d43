// The threaded scanner (a worker thread scans a long file's lines) gives exactly what the general
// parser gives: records, notes, warnings and errors with their lines. Run on the built code
// (dist/), as the CLI runs it: the worker thread loads dist/readers/land/scan-worker.js.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { landFile, hardCarbonPlan, type Dialect } from '../src/generate/land.js';
import { CORPUS, HAVE_CORPUS, ROOT } from './helpers/io.js';

const DIST = ROOT + 'dist/readers/land/fast.js';
const BUILT = existsSync(DIST);
if (!BUILT) console.warn('threaded scanner tests skipped: dist/ is not built (npm test builds it first)');

/**
 * Chunks as a file delivers them: each after a turn of the event loop, as a read completes (so
 * the worker's messages arrive in between, as they do in real use). The second chunk after the
 * 64 KB head waits 150 ms: the worker, started at the first, is ready by then (~50 ms), so these
 * small files reach it too.
 */
async function* ioLike(bytes: Uint8Array, chunk: number): AsyncGenerator<Uint8Array> {
  let waited = false;
  for (let i = 0; i < bytes.length; i += chunk) {
    const wait = !waited && i >= (1 << 16) + chunk;
    if (wait) waited = true;
    await new Promise((r) => (wait ? setTimeout(r, 150) : setImmediate(r)));
    yield bytes.subarray(i, i + chunk);
  }
}

type Parse = (chunks: AsyncIterable<Uint8Array>, source: string, info: unknown) => AsyncGenerator<Record<string, unknown>[]>;

describe.skipIf(!BUILT)('threaded scanner ≡ general parser', async () => {
  const fast = BUILT ? await import(DIST) as { parseLandText: Parse; fastPath: { threadAfterBytes: number; scanWorker: URL } } : null;
  const land = BUILT ? await import(ROOT + 'dist/readers/land/land.js') as { parseLandTextGeneral: Parse; newSourceInfo: (s: string) => unknown } : null;

  async function run(threaded: boolean, bytes: Uint8Array, name: string, chunk: number, chunks?: AsyncIterable<Uint8Array>) {
    const info = land!.newSourceInfo(name);
    const records: unknown[] = [];
    fast!.fastPath.threadAfterBytes = threaded ? 0 : Infinity;
    const parse = threaded ? fast!.parseLandText : land!.parseLandTextGeneral;
    try {
      for await (const b of parse(chunks ?? ioLike(bytes, chunk), name, info)) for (const r of b) records.push({ ...r });
      return { records, info: JSON.parse(JSON.stringify(info)) as unknown };
    } catch (e) {
      return { error: `${(e as Error).message} @${(e as { line?: number }).line}`, records: records.length };
    } finally {
      fast!.fastPath.threadAfterBytes = Infinity;
    }
  }

  async function same(bytes: Uint8Array, name: string, chunk = 7919): Promise<number> {
    const t = await run(true, bytes, name, chunk);
    const g = await run(false, bytes, name, chunk);
    expect(t).toEqual(g);
    return Array.isArray(t.records) ? t.records.length : -1;
  }

  it.each(readdirSync('samples').filter((f) => f.endsWith('.csv')))('sample %s', async (f) => {
    expect(await same(readFileSync('samples/' + f), f)).toBeGreaterThan(1000);
  });

  it.each([...readdirSync('test/fixtures/bad').filter((f) => f.startsWith('land-') || f.endsWith('.csv')).map((f) => 'test/fixtures/bad/' + f), 'test/fixtures/hand-small.csv'])('fixture %s', async (f) => {
    await same(readFileSync(f), f);
  });

  const { plan } = hardCarbonPlan({ cycles: 3 });
  const dialects: [string, Dialect, 'utf-8' | 'gb18030'][] = [
    ['chinese gb18030', { language: 'zh' }, 'gb18030'], ['semicolon + decimal comma', { delimiter: ';', decimalComma: true }, 'utf-8'],
    ['D-HH:MM:SS', { time: 'dhms' }, 'utf-8'], ['BOM + CRLF', { bom: true, crlf: true }, 'utf-8'], ['no state', { states: 'none' }, 'utf-8'],
  ];
  it.each(dialects)('generated dialect: %s', async (_n, d, enc) => {
    expect(await same(landFile(plan, d, enc), 'g.csv')).toBeGreaterThan(100);
  });

  it('UTF-16 LE with a BOM (LAND "Unicode" text, transcoded as it streams)', async () => {
    const text = new TextDecoder().decode(landFile(plan, { language: 'zh', crlf: true }));
    const out = new Uint8Array(2 + text.length * 2);
    out.set([0xff, 0xfe]);
    for (let k = 0; k < text.length; k++) { const u = text.charCodeAt(k); out[2 + 2 * k] = u & 255; out[3 + 2 * k] = u >> 8; }
    expect(await same(out, 'u16.csv')).toBeGreaterThan(100);
  });

  it('odd lines mid-file, and chunks of every size down to a few bytes', async () => {
    const lines = new TextDecoder().decode(landFile(plan)).split('\n');
    lines.splice(50, 0, lines[0]!);
    lines.splice(80, 0, '');
    lines[90] = lines[90]!.replace(/,RateD$/, ',-');
    lines[95] = '"' + lines[95]!.replace(/,/, '",');
    const text = lines.join('\n').replace(/\n[^\n]*\n$/, '\n12345,17');
    for (const chunk of [5, 97, 4096, 1 << 16]) expect(await same(new TextEncoder().encode(text), 'odd.csv', chunk)).toBeGreaterThan(100);
  });

  it('more lines in one chunk than a result slot holds (30 000 blank lines): the rest is scanned on the calling thread, in order', async () => {
    const lines = new TextDecoder().decode(landFile(plan)).split('\n');
    lines.splice(60, 0, ...Array.from({ length: 30000 }, () => ''));
    expect(await same(new TextEncoder().encode(lines.join('\n')), 'blank.csv', 1 << 16)).toBeGreaterThan(100);
  });

  it('a line too long is refused at the same line', async () => {
    const lines = new TextDecoder().decode(landFile(plan)).split('\n');
    lines[70] = '1,' + '9'.repeat(1100000);
    const t = await run(true, new TextEncoder().encode(lines.join('\n')), 'long.csv', 1 << 16);
    expect(t.error).toMatch(/longer than .* @71$/);
    expect(t).toEqual(await run(false, new TextEncoder().encode(lines.join('\n')), 'long.csv', 1 << 16));
  });

  it('chunks from the file reader (given back to it as soon as they are copied into jobs), of many sizes', async () => {
    const { readFileChunks } = await import(ROOT + 'dist/readfile.js') as { readFileChunks: (p: string, size?: number) => AsyncIterable<Uint8Array> };
    const dir = mkdtempSync(join(tmpdir(), 'hcarb-'));
    const lines = new TextDecoder().decode(landFile(plan, { crlf: true })).split('\n');
    lines.splice(40, 0, '', lines[0]!, '"' + lines[41]!.replace(',', '",'));
    lines.splice(200, 0, ...Array.from({ length: 20000 }, () => ''));
    const files: [string, Uint8Array][] = [['odd.csv', new TextEncoder().encode(lines.join('\n'))], ['no-final-lf.csv', new TextEncoder().encode(lines.join('\n').replace(/\s+$/, ''))], ['sample.csv', readFileSync('samples/npnhc-t1200.csv')]];
    for (const [name, bytes] of files) {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      for (const size of [101, 4099, 1 << 16]) {
        const t = await run(true, bytes, name, size, readFileChunks(file, size));
        expect(t).toEqual(await run(false, bytes, name, size));
        if (name === 'sample.csv') expect(t.records).toHaveLength(13750); // wc -l: 13 751 lines, one header
      }
    }
  });

  it.each([['cannot start', 'file:///no/such/scan-worker.js'], ['fails on its first job', new URL('./fixtures/broken-scan-worker.mjs', import.meta.url).href]])('a worker that %s: the jobs are scanned on the calling thread, with the same result', async (_n, url) => {
    const good = fast!.fastPath.scanWorker;
    fast!.fastPath.scanWorker = new URL(url);
    try {
      expect(await same(readFileSync('samples/npnhc-t1200.csv'), 'sample.csv', 4096)).toBe(13750);
    } finally { fast!.fastPath.scanWorker = good; }
  });

  // (The corpus holds no LAND text export, only a workbook: the text dialects are the generated
  // files and the fixtures above. A loop over corpus .csv/.txt files ran no assertion and is gone.)
});

describe.skipIf(!BUILT)('the CLI with the scanner thread from the first byte', () => {
  const cli = (args: string[], after: string) => spawnSync(process.execPath, [ROOT + 'bin/hcarb.js', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, HCARB_SCAN_THREAD_AFTER: after } });
  it.each([['cycles'], ['summary'], ['gitt'], ['dqdv']])('%s prints the same, warnings included', (cmd) => {
    const file = cmd === 'gitt' ? 'samples/npnhc-gitt.csv' : 'samples/npnhc-t1200.csv';
    const a = cli([cmd, file, '--format', 'csv'], '0');
    const b = cli([cmd, file, '--format', 'csv'], 'never');
    expect(a.status).toBe(0);
    expect(a.stdout.length).toBeGreaterThan(100);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stderr).toBe(b.stderr);
  });
});
