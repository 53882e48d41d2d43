/**
 * Text → rows of cells, streaming, through papaparse (the general parser: quotes, any delimiter).
 * Row n is line n of the file (papaparse does not skip empty lines here), so every row keeps its line.
 */
import Papa from 'papaparse';
import { Readable } from 'node:stream';

/** Choose the delimiter from the first lines: TAB, then `;`, then `,` (the one a header line uses most). */
export function sniffDelimiter(sample: string): string {
  const lines = sample.split(/\r?\n/, 60).filter((l) => l.trim());
  let tab = 0, semi = 0, comma = 0;
  for (const l of lines) {
    tab = Math.max(tab, count(l, '\t'));
    semi = Math.max(semi, count(l, ';'));
    comma = Math.max(comma, count(l, ','));
  }
  if (tab >= 2) return '\t';
  if (semi >= 2 && semi >= comma / 2) return ';';
  if (comma >= 1) return ',';
  if (tab >= 1) return '\t';
  return ',';
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/** Rows from a text stream, each with its 1-based line number. */
export async function* textRows(text: AsyncIterable<string>, delimiter: string): AsyncGenerator<{ line: number; cells: string[] }> {
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { delimiter, skipEmptyLines: false, header: false });
  const input = Readable.from(text, { objectMode: false });
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);
  let line = 0;
  for await (const row of parser as AsyncIterable<string[]>) {
    line++;
    yield { line, cells: row };
  }
}
