/** `--masses FILE`: a CSV of `file,mass_mg[,group]` for a batch of cells. */
import { papaparse } from '../lazy.js';
import { DataError, UsageError } from '../errors.js';
import { collect, type Input } from '../io.js';

export interface MassesTable {
  /** Mass (mg) per file as written in the CSV. */
  masses: Map<string, number>;
  /** Replicate group per file, from an optional third column (summary --stats). */
  groups: Map<string, string>;
}

/** The whole table: masses and, where a third column is filled in, groups. */
export async function readMassesTable(input: Input): Promise<MassesTable> {
  let text: string;
  try {
    text = new TextDecoder().decode(await collect(input.chunks(), 1 << 24));
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') throw new UsageError(`--masses: ${input.name}: no such file`);
    throw e;
  }
  const rows = papaparse().parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
  const map = new Map<string, number>();
  const groups = new Map<string, string>();
  const lineOf = new Map<string, number>();
  rows.forEach((r, i) => {
    const [f, m, g] = [r[0]?.trim() ?? '', r[1]?.trim() ?? '', r[2]?.trim() ?? ''];
    if (i === 0 && !Number.isFinite(Number(m))) return; // header
    const x = Number(m);
    if (!f || m === '' || !Number.isFinite(x) || x <= 0) throw new DataError(`expected 'file,mass_mg' with a positive mass (and optionally a group), got '${r.join(',')}'`, { file: input.name, line: i + 1 });
    const before = lineOf.get(f);
    if (before !== undefined) throw new DataError(`'${f}' is listed twice, on lines ${before} and ${i + 1}; keep one mass per file`, { file: input.name, line: i + 1 });
    lineOf.set(f, i + 1);
    map.set(f, x);
    if (g) groups.set(f, g);
  });
  if (!map.size) throw new DataError('no file,mass_mg lines', { file: input.name, line: 1 });
  return { masses: map, groups };
}

export async function readMassesFile(input: Input): Promise<Map<string, number>> {
  return (await readMassesTable(input)).masses;
}
