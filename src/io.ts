/**
 * Bytes per read of a file. 512 KB: fewer reads cost nothing measurable, and larger chunks raise
 * peak memory (the dead chunks wait for a garbage collection): 1 MB reads peaked ~10 MB higher on
 * a 1 GB export at the same speed.
 */
export const READ_CHUNK_BYTES = 1 << 19;

/** The reader that owns each reusable buffer, and whether the buffer is in use. */
export const chunkOwners = new WeakMap<ArrayBufferLike, { free: Uint8Array[]; busy: boolean }>();

/**
 * Give a chunk from a reader (`readFileChunks`) back for reuse: the caller must hold no view of it any
 * more. Chunks from elsewhere (and a chunk released twice) are ignored.
 */
export function releaseChunk(b: Uint8Array): void {
  const o = chunkOwners.get(b.buffer);
  if (!o || !o.busy) return;
  o.busy = false;
  if (o.free.length < 4) o.free.push(new Uint8Array(b.buffer));
}

/** The boundary between commands and the process: commands only see this. */
export interface Input {
  /** The name used in messages: the path as given, or `<stdin>`. */
  name: string;
  /** The bytes, in chunks; may be called once. */
  chunks(): AsyncIterable<Uint8Array>;
  /** With --join: the files that together hold one run, in order (then `chunks` is not used). */
  parts?: Input[];
}

/** Several files of one run (a long run exported in parts) as one input. */
export function joinInputs(parts: Input[]): Input {
  return { name: parts.map((p) => p.name).join('+'), parts, chunks: () => { throw new Error('a joined input is read part by part'); } };
}

export interface Io {
  open(path: string): Input;
  stdout(s: string): void;
  stderr(s: string): void;
  env: Record<string, string | undefined>;
}

/** Put a peeked chunk back in front of a stream. Stopping early stops the stream too (its file is closed). */
export async function* prepend(first: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    yield first;
    for (;;) {
      const r = await rest.next();
      if (r.done) return;
      yield r.value;
    }
  } finally {
    await rest.return?.();
  }
}

export async function collect(chunks: AsyncIterable<Uint8Array>, limit = Infinity, onLimit?: () => Error): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let len = 0;
  for await (const c of chunks) {
    parts.push(c);
    len += c.length;
    if (len > limit) throw onLimit ? onLimit() : new Error('input too large');
  }
  return concatBytes(parts, len);
}

/** Join byte chunks of total length `len` (the single chunk itself when there is one). */
export function concatBytes(parts: Uint8Array[], len: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** Read the first chunk of an input and return it with an equivalent input that still yields everything. */
export async function peekInput(input: Input): Promise<{ head: Uint8Array; input: Input }> {
  const it = input.chunks()[Symbol.asyncIterator]();
  let first = await it.next();
  while (!first.done && first.value.length === 0) first = await it.next();
  const head = first.done ? new Uint8Array(0) : first.value;
  let used = false;
  return {
    head,
    input: {
      name: input.name,
      chunks: () => {
        if (used) throw new Error('input already read');
        used = true;
        return first.done ? (async function* () { /* empty */ })() : prepend(head, it);
      },
    },
  };
}
