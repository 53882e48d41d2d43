/**
 * Reading a file in chunks, with buffers a consumer may hand back for reuse.
 *
 * A stream that allocates a fresh 512 KB buffer per read makes the machine zero and map new
 * memory for every chunk (a 1 GB file: 2000 buffers, ~260 000 page faults) and leaves dead chunks
 * for the garbage collector. Here a consumer that is done with a chunk may give it back with
 * `releaseChunk`; the reader then reads into it again. Consumers that never release (most of
 * them) simply get fresh buffers, so nothing changes for them. The next chunk is read ahead on
 * libuv's thread pool while the consumer works on the current one.
 */
import { open, read, close } from 'node:fs';
import { READ_CHUNK_BYTES, chunkOwners, releaseChunk } from './io.js';

/** The chunks of a file, read ahead one chunk at a time. Errors (ENOENT, EISDIR…) are fs's own. */
export function readFileChunks(path: string, size = READ_CHUNK_BYTES): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
      const free: Uint8Array[] = [];
      let fd: Promise<number> | null = null;
      let ahead: Promise<Uint8Array | null> | null = null;
      let finished = false;
      const take = (): Uint8Array => {
        const b = free.pop() ?? new Uint8Array(size);
        const o = chunkOwners.get(b.buffer);
        if (o) o.busy = true;
        else chunkOwners.set(b.buffer, { free, busy: true });
        return b;
      };
      const readOne = (f: number): Promise<Uint8Array | null> => new Promise((resolve, reject) => {
        const b = take();
        read(f, b, 0, size, null, (e, n) => {
          if (e || n === 0) releaseChunk(b);
          if (e) reject(e); else resolve(n === 0 ? null : b.subarray(0, n));
        });
      });
      const finish = async (): Promise<void> => {
        if (finished) return;
        finished = true;
        const pending = ahead;
        ahead = null;
        if (pending) await pending.catch(() => null);
        if (fd) {
          const f = await fd.catch(() => -1);
          if (f >= 0) await new Promise<void>((r) => close(f, () => r()));
        }
      };
      return {
        async next(): Promise<IteratorResult<Uint8Array>> {
          if (finished) return { done: true, value: undefined };
          try {
            fd ??= new Promise((resolve, reject) => open(path, 'r', (e, f) => (e ? reject(e) : resolve(f))));
            const f = await fd;
            const now = ahead ?? readOne(f);
            ahead = null;
            const b = await now;
            if (b === null) { await finish(); return { done: true, value: undefined }; }
            ahead = readOne(f);
            // A failed read ahead is reported by the next call, not as an unhandled rejection.
            ahead.catch(() => null);
            return { done: false, value: b };
          } catch (e) {
            await finish();
            throw e;
          }
        },
        async return(): Promise<IteratorResult<Uint8Array>> {
          await finish();
          return { done: true, value: undefined };
        },
      };
    },
  };
}
