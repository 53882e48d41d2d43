/**
 * Text → rows of cells, streaming, through papaparse (the general parser: quotes, any delimiter).
 * Row n is line n of the file (papaparse does not skip empty lines here), so every row keeps its line.
 */
import { papaparse } from '../../lazy.js';

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

/** The cells of one line (without its LF): one CR at its end dropped; papaparse when it has a quote. */
export function splitCells(l: string, delimiter: string): string[] {
  if (l.endsWith('\r')) l = l.slice(0, -1);
  if (!l.includes('"')) return l.split(delimiter);
  return papaparse().parse<string[]>(l, { delimiter, newline: '\n', header: false }).data[0] ?? [''];
}

/**
 * Rows from a text stream, each with its 1-based line number. Lines end at LF (a CR before it is
 * dropped, so CRLF, LF and a mix of both all work); a line with a quote goes through papaparse,
 * other lines are split at the delimiter (the same cells papaparse would give them).
 */
export async function* textRows(text: AsyncIterable<string>, delimiter: string): AsyncGenerator<{ line: number; cells: string[] }> {
  let rest = '';
  let line = 0;
  for await (const chunk of text) {
    const buf = rest + chunk;
    let from = 0;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n', from)) {
      line++;
      yield { line, cells: splitCells(buf.slice(from, nl), delimiter) };
      from = nl + 1;
    }
    rest = buf.slice(from);
  }
  if (rest.length) { line++; yield { line, cells: splitCells(rest, delimiter) }; }
}
