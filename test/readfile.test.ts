// The file reader with reusable buffers: exact bytes, buffers really reused when released, the
// fast path never reads a chunk it has given back, and the file is closed when a reader stops.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileChunks } from '../src/readfile.js';
import { releaseChunk } from '../src/io.js';
import { parseLandText } from '../src/readers/land/fast.js';
import { parseLandTextGeneral, newSourceInfo } from '../src/readers/land/land.js';
import { landFile, hardCarbonPlan } from '../src/generate/land.js';

const SAMPLE = 'samples/npnhc-t1200.csv';

async function bytesOf(it: AsyncIterable<Uint8Array>, release: boolean): Promise<{ bytes: Uint8Array; buffers: number; chunks: number }> {
  const parts: Uint8Array[] = [];
  const seen = new Set<ArrayBufferLike>();
  for await (const c of it) {
    parts.push(c.slice());
    seen.add(c.buffer);
    if (release) releaseChunk(c);
  }
  return { bytes: Buffer.concat(parts), buffers: seen.size, chunks: parts.length };
}

describe('readFileChunks', () => {
  const whole = readFileSync(SAMPLE);
  it('yields the file byte for byte, whether chunks are released or kept', async () => {
    for (const release of [false, true]) {
      const r = await bytesOf(readFileChunks(SAMPLE, 1000), release);
      expect(Buffer.compare(r.bytes, whole)).toBe(0);
      expect(r.chunks).toBe(Math.ceil(whole.length / 1000));
    }
  });

  it('reads into released buffers again (a few buffers for the whole file), fresh ones otherwise', async () => {
    const kept = await bytesOf(readFileChunks(SAMPLE, 1000), false);
    const released = await bytesOf(readFileChunks(SAMPLE, 1000), true);
    expect(kept.buffers).toBe(kept.chunks);
    // One in the caller's hands, one read ahead, one spare.
    expect(released.buffers).toBeLessThanOrEqual(3);
  });

  it('a chunk released twice, or a chunk from elsewhere, changes nothing', async () => {
    const it = readFileChunks(SAMPLE, 1000)[Symbol.asyncIterator]();
    const a = (await it.next()).value as Uint8Array;
    const copy = a.slice();
    releaseChunk(new Uint8Array(1000));
    releaseChunk(a); releaseChunk(a);
    const b = (await it.next()).value as Uint8Array;
    const c = (await it.next()).value as Uint8Array;
    // At most one of the next reads may reuse a's buffer, not both.
    expect(b.buffer === c.buffer).toBe(false);
    expect(Buffer.compare(Buffer.from(b), whole.subarray(1000, 2000))).toBe(0);
    expect(Buffer.compare(Buffer.from(c), whole.subarray(2000, 3000))).toBe(0);
    expect(Buffer.compare(Buffer.from(copy), whole.subarray(0, 1000))).toBe(0);
    await it.return!();
    expect((await it.next()).done).toBe(true);
  });

  it('reports a missing file as fs does (ENOENT) and an empty file as no chunks', async () => {
    await expect(bytesOf(readFileChunks('no/such/file.csv'), false)).rejects.toMatchObject({ code: 'ENOENT' });
    const dir = mkdtempSync(join(tmpdir(), 'hcarb-'));
    writeFileSync(join(dir, 'empty.csv'), '');
    expect((await bytesOf(readFileChunks(join(dir, 'empty.csv')), false)).chunks).toBe(0);
    await expect(bytesOf(readFileChunks(dir), false)).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('the fast path, which releases every chunk it has scanned, gives the general parser\'s records', async () => {
    // Small odd chunks: lines cross chunk ends, and a released buffer is overwritten soon, so a
    // record or state read from a given-back chunk would differ.
    const dir = mkdtempSync(join(tmpdir(), 'hcarb-'));
    const file = join(dir, 'run.csv');
    writeFileSync(file, landFile(hardCarbonPlan({ cycles: 4 }).plan, { crlf: true }));
    const collect = async (p: typeof parseLandText, chunks: AsyncIterable<Uint8Array>) => {
      const out: unknown[] = [];
      for await (const b of p(chunks, 'run.csv', newSourceInfo('run.csv'))) for (const r of b) out.push({ ...r });
      return out;
    };
    const fast = await collect(parseLandText, readFileChunks(file, 4099));
    const general = await collect(parseLandTextGeneral, (async function* () { yield readFileSync(file); })());
    expect(fast.length).toBeGreaterThan(1000);
    expect(fast).toEqual(general);
  });
});

describe('a reader that stops early lets go of its file', () => {
  /** Chunks of `bytes` from an iterator that records whether it was told to stop. */
  function watched(bytes: Uint8Array) {
    const seen = { closed: false };
    const chunks: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]() {
        let at = 0;
        return {
          async next() { if (at >= bytes.length) return { done: true, value: undefined }; const c = bytes.subarray(at, at + 4096); at += 4096; return { done: false, value: c }; },
          async return() { seen.closed = true; return { done: true, value: undefined }; },
        };
      },
    };
    return { chunks, seen };
  }
  const text = new TextDecoder().decode(landFile(hardCarbonPlan({ cycles: 3 }).plan));

  it('a consumer that breaks off after the first batch', async () => {
    const w = watched(new TextEncoder().encode(text));
    for await (const b of parseLandText(w.chunks, 'x.csv', newSourceInfo('x.csv'))) { expect(b.length).toBeGreaterThan(0); break; }
    expect(w.seen.closed).toBe(true);
  });

  it('a data error in the middle of the file', async () => {
    const lines = text.split('\n');
    lines[Math.floor(lines.length / 2)] = '1,2,3';
    const w = watched(new TextEncoder().encode(lines.join('\n').replace(/,RateD/g, ',Rate?')));
    await expect((async () => { for await (const _ of parseLandText(w.chunks, 'x.csv', newSourceInfo('x.csv'))) { /* read on */ } })()).rejects.toThrow();
    expect(w.seen.closed).toBe(true);
  });

  it('through openLand, which peeks at the first chunk (prepend passes the stop on)', async () => {
    const { openLand } = await import('../src/load.js');
    const w = watched(new TextEncoder().encode(text));
    const opened = await openLand({ name: 'x.csv', chunks: () => w.chunks });
    for await (const _ of opened.records) break;
    expect(w.seen.closed).toBe(true);
  });
});
