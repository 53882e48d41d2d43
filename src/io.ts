/** The boundary between commands and the process: commands only see this. */
export interface Input {
  /** The name used in messages: the path as given, or `<stdin>`. */
  name: string;
  /** The bytes, in chunks; may be called once. */
  chunks(): AsyncIterable<Uint8Array>;
}

export interface Io {
  open(path: string): Input;
  stdout(s: string): void;
  stderr(s: string): void;
  env: Record<string, string | undefined>;
}

/** Put a peeked chunk back in front of a stream. */
export async function* prepend(first: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield first;
  for (;;) {
    const r = await rest.next();
    if (r.done) return;
    yield r.value;
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
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
