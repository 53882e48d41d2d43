/**
 * Bytes → text, streaming. The encoding is sniffed once from the start of the file: a BOM wins,
 * then strict UTF-8, then GB18030 (a superset of GBK/GB2312, what Chinese LAND software writes).
 */
import { DataError } from '../../errors.js';
import { concatBytes } from '../../io.js';

export const MAX_LINE_CHARS = 1 << 20;

/** The refusal of a line longer than MAX_LINE_CHARS (the same from every reader). */
export function lineTooLong(source: string, line: number): DataError {
  return new DataError(`line is longer than ${MAX_LINE_CHARS} characters; this is not a record export (or the line ends are missing)`, { file: source, line });
}
const SNIFF_BYTES = 1 << 16;

export interface Decoded { encoding: string; text: AsyncGenerator<string> }

export function sniffEncoding(head: Uint8Array): { encoding: string; bomLength: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return { encoding: 'utf-8', bomLength: 0 };
  } catch {
    return { encoding: 'gb18030', bomLength: 0 };
  }
}

/** Concatenate the first chunks until `n` bytes (or the end) are available. */
export async function takeHead(it: AsyncIterator<Uint8Array>, n: number): Promise<{ head: Uint8Array; done: boolean }> {
  const parts: Uint8Array[] = [];
  let len = 0;
  while (len < n) {
    const r = await it.next();
    if (r.done) return { head: concatBytes(parts, len), done: true };
    parts.push(r.value);
    len += r.value.length;
  }
  return { head: concatBytes(parts, len), done: false };
}


/**
 * Decode a byte stream. Also guards the machine: a line longer than MAX_LINE_CHARS is refused
 * with the line number instead of being buffered.
 */
export async function decodeStream(chunks: AsyncIterable<Uint8Array>, source: string): Promise<Decoded> {
  const it = chunks[Symbol.asyncIterator]();
  const { head, done } = await takeHead(it, SNIFF_BYTES);
  const { encoding, bomLength } = sniffEncoding(head);
  if (head.length >= 4 && head.subarray(0, Math.min(head.length, 4096)).includes(0) && !encoding.startsWith('utf-16')) {
    throw new DataError('this is a binary file, not a text export (it contains NUL bytes); give a LAND .csv/.txt/.xlsx or a CHI .txt export', { file: source, line: 1 });
  }
  const decoder = new TextDecoder(encoding);
  async function* gen(): AsyncGenerator<string> {
    let line = 1;
    let sinceNl = 0;
    const check = (s: string): void => {
      let from = 0;
      for (;;) {
        const nl = s.indexOf('\n', from);
        if (nl < 0) { sinceNl += s.length - from; break; }
        sinceNl += nl - from;
        if (sinceNl > MAX_LINE_CHARS) break;
        sinceNl = 0; line++; from = nl + 1;
      }
      if (sinceNl > MAX_LINE_CHARS) throw lineTooLong(source, line);
    };
    const first = decoder.decode(head.subarray(bomLength), { stream: !done });
    check(first);
    if (first) yield first;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      const s = decoder.decode(r.value, { stream: true });
      check(s);
      if (s) yield s;
    }
    const tail = decoder.decode();
    if (tail) { check(tail); yield tail; }
  }
  return { encoding: bomLength ? `${encoding} (BOM)` : encoding, text: gen() };
}
