/**
 * Text → rows of cells, streaming, through papaparse (the general parser: quotes, any delimiter).
 * Row n is line n of the file (papaparse does not skip empty lines here), so every row keeps its line.
 */
import Papa from 'papaparse';

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

/**
 * Rows from a text stream, each with its 1-based line number. The text is cut at the last line end
 * of each chunk and the complete lines are handed to papaparse in one call (papaparse's own Node
 * duplex stream re-scans paused input and is quadratic on large files).
 */
export async function* textRows(text: AsyncIterable<string>, delimiter: string): AsyncGenerator<{ line: number; cells: string[] }> {
  let rest = '';
  let line = 0;
  let newline: '\r\n' | '\n' | null = null;
  const parse = (block: string): string[][] =>
    Papa.parse<string[]>(block, { delimiter, newline: newline ?? '\n', skipEmptyLines: false, header: false }).data;
  for await (const chunk of text) {
    const buf = rest + chunk;
    const nl = buf.lastIndexOf('\n');
    if (nl < 0) { rest = buf; continue; }
    newline ??= buf.indexOf('\r\n') >= 0 && buf.indexOf('\r\n') < buf.indexOf('\n') + 1 ? '\r\n' : '\n';
    const block = buf.slice(0, nl + 1 - (newline === '\r\n' && buf[nl - 1] === '\r' ? 2 : 1));
    rest = buf.slice(nl + 1);
    for (const cells of parse(block)) { line++; yield { line, cells: stripCr(cells) }; }
  }
  if (rest.length) {
    newline ??= '\n';
    for (const cells of parse(rest.replace(/\r$/, ''))) { line++; yield { line, cells: stripCr(cells) }; }
  }
}

/** A lone CR left at the end of a row by mixed line ends. */
function stripCr(cells: string[]): string[] {
  const last = cells[cells.length - 1];
  if (last !== undefined && last.endsWith('\r')) cells[cells.length - 1] = last.slice(0, -1);
  return cells;
}
