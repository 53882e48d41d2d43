/** `hcarb report FILE… --out report.html`: one self-contained page with the summary table, each cell's figures, facts, warnings and assumptions. */
import { readFileSync } from 'node:fs';
import { DataError, UsageError } from '../errors.js';
import { outputNumber, type Row } from '../output/format.js';
import { int, type CommandSpec } from './spec.js';
import { writeAtomic } from './plot-def.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** A value as the page shows it: numbers to 4 significant digits, objects as JSON. */
function show(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
const pairs = (o: Row | undefined, keys?: string[]): [string, string][] => (o ? (keys ?? Object.keys(o)).filter((k) => k in o && o[k] !== null && o[k] !== '' && !(Array.isArray(o[k]) && !(o[k] as unknown[]).length)).map((k) => [k, show(o[k])]) : []);

const CYCLING_FACTS = ['instrument', 'reader', 'layout', 'records', 'cycles', 'complete_cycles', 'time_span', 'capacity_source', 'stated_mass_mg', 'mass_mg', 'mass_source', 'skipped_lines', 'notes'];
const CHI_FACTS = ['instrument', 'technique', 'model', 'date_text', 'points', 'sweeps', 'notes'];

export const command: CommandSpec = {
  name: 'report',
  summary: 'one self-contained HTML page for a batch: summary table, figures, facts, warnings',
  description: 'Writes one HTML file that opens anywhere without a network (styles, script and figures inlined): a sortable summary table of the cycling files (ICE, capacities, slope/plateau, retention), a table of the CHI files, then per file its figures (cycling files: voltage profile, capacity and CE, dQ/dV; CHI files: the CV or the Nyquist plot with its fit), the facts inspect reports, every warning and the assumptions. A file that cannot be read gets its error in the page and the exit status is 1; the rest are still reported. On a terminal a progress bar runs on stderr.',
  files: 'input files (LAND/Neware cycling exports, CHI CV or EIS text files)',
  takes: { mass: true, first: true, output: false },
  options: [
    { flags: '-o, --out <file.html>', description: 'where to write the page (required)' },
    { flags: '--title <text>', description: 'the page title', default: 'hcarb report' },
    { flags: '--ref <electrode>', description: 'reference electrode for potential axes: Na, Li, K or a free text (default Na)' },
    { flags: '--cycles <list>', description: 'profile cycles drawn per cell', default: '1,2' },
    { flags: '--cycle <n>', description: 'dQ/dV cycle', parse: int('--cycle', 1), default: 1 },
  ],
  examples: ['hcarb report samples/npnhc-t1200.csv samples/npnhc-cv-0.5mVs.txt samples/npnhc-eis.txt --out report.html'],
  fields: [],
  async run(ctx, _args, files0, g) {
    const out = g.out as string | undefined;
    if (out === undefined) throw new UsageError('report needs --out FILE.html');
    if (!/\.html?$/i.test(out)) throw new UsageError(`--out must name an .html file, not '${out}'`);
    const files = ctx.inputFiles(files0);
    if (files.includes('-')) throw new UsageError('report reads each file several times: give file names, not standard input');
    const { existsSync, realpathSync } = await import('node:fs');
    const { resolve } = await import('node:path');
    const target = existsSync(out) ? realpathSync(out) : resolve(out);
    for (const f of files) if (existsSync(f) && realpathSync(f) === target) throw new UsageError(`--out ${out} is one of the inputs; hcarb never writes over an input`);
    const common = await ctx.common(g);
    const [{ inspectCommand }, { summaryCommand, sampleName }, { eisRun }, plot, { renderFigure }, { reportHtml }, units] = await Promise.all([
      import('./inspect.js'), import('./summary.js'), import('./eis.js'), import('./plot.js'), import('../plot/render.js'), import('../plot/report-html.js'), import('../output/units.js'),
    ]);
    type Cell = import('../plot/report-html.js').ReportCell;
    const cells: Cell[] = [];
    const summaryRows: Row[] = [], chiRows: Row[] = [];
    let summaryKeys: string[] = [];
    const chiKeys = ['name', 'technique', 'model', 'r_ohm', 'r_ct_ohm', 'c_dl_f', 'chi2'];
    const tty = Boolean((process.stderr as { isTTY?: boolean }).isTTY) && !g.quiet;
    const used = new Map<string, number>();
    const popts = { ref: g.ref as string | undefined, size: 'single' as const };

    for (const [k, f] of files.entries()) {
      let name = sampleName(f);
      const seen = used.get(name) ?? 0;
      used.set(name, seen + 1);
      if (seen) name = `${name} (${seen + 1})`;
      if (tty) { const w = 24, d = Math.round((k / files.length) * w); ctx.io.stderr(`\rreport [${'#'.repeat(d)}${'-'.repeat(w - d)}] ${k + 1}/${files.length} ${name.slice(0, 40).padEnd(40)}`); }
      const cell: Cell = { file: f, name, kind: 'cycling', figures: [], facts: [], warnings: [], assumptions: [] };
      cells.push(cell);
      const figure = async (kind: Parameters<typeof plot.gatherPlot>[0], caption: string, o: Record<string, unknown> = {}): Promise<void> => {
        const r = await plot.gatherPlot(kind, [ctx.io.open(f)], common, { ...popts, labels: [name], ...o });
        cell.warnings.push(...r.warnings.map((w) => w.message).filter((w) => !cell.warnings.includes(w)));
        if (r.failures.length) { const e = r.failures[0]!.error as Error; cell.warnings.push(`${caption}: ${e.message}`); return; }
        const { data } = await renderFigure(plot.figureOf(kind, r.ds, { ...popts, ...o }), 'svg');
        cell.figures.push({ caption, svg: data as string });
      };
      try {
        const ins = await inspectCommand(ctx.io.open(f), common);
        const doc = ins.doc;
        cell.warnings.push(...ins.warnings);
        if (doc.instrument === 'CHI') {
          cell.kind = `CHI ${doc.technique as string}`;
          cell.facts = pairs(doc, CHI_FACTS);
          const key = doc.technique_key as string;
          const row: Row = { name, technique: doc.technique, model: null };
          if (key === 'cv' || key === 'lsv') await figure('cv', 'Cyclic voltammogram');
          else if (key === 'eis') {
            const e = await eisRun(ctx.io.open(f), {});
            Object.assign(row, e.rows[0]);
            row.name = name; row.technique = doc.technique;
            cell.assumptions = pairs(e.doc.assumptions as Row);
            cell.warnings.push(...e.warnings);
            await figure('nyquist', 'Nyquist plot with the fitted circuit');
          } else cell.warnings.push(`no figure for a ${doc.technique as string} file in a report`);
          chiRows.push(row);
        } else {
          cell.facts = pairs(doc, CYCLING_FACTS);
          const s = await summaryCommand(ctx.io.open(f), common, { skip: 20, window: 5, split: 0.1 });
          summaryKeys = summaryKeys.length ? summaryKeys : s.tableKeys ?? Object.keys(s.rows[0]!);
          summaryRows.push({ ...s.rows[0], name });
          cell.assumptions = pairs(s.doc.assumptions as Row);
          if (s.assumptionLine) cell.assumptions.push(['summary', s.assumptionLine]);
          for (const [key, why] of Object.entries(s.blanks ?? {})) cell.assumptions.push([`${key} blank`, why]);
          cell.warnings.push(...s.warnings.filter((w) => !cell.warnings.includes(w)));
          await figure('profile', 'Voltage profile', { cycles: g.cycles as string });
          await figure('cycling', 'Capacity and coulombic efficiency');
          await figure('dqdv', `dQ/dV, cycle ${g.cycle as number}`, { cycle: g.cycle as number });
        }
      } catch (e) {
        if (!(e instanceof DataError) && !(e as { code?: string }).code) throw e;
        cell.error = (e as Error).message;
        ctx.fail(e, f);
      }
    }
    if (tty) ctx.io.stderr(`\r${' '.repeat(80)}\r`);

    const tableOf = (rows: Row[], keys: string[]) => ({
      keys, headers: keys.map((k) => (k === 'name' ? 'cell' : units.header(k))),
      rows: rows.map((r) => {
        const cells = keys.map((k) => (typeof r[k] === 'number' ? outputNumber(r[k] as number) : typeof r[k] === 'string' ? (r[k] as string) : r[k] === null || r[k] === undefined ? null : String(r[k])));
        return { name: r.name as string, cells, texts: keys.map((k) => (k === 'name' ? String(r.name) : units.columnFormatter(k, rows.map((x) => x[k]))(r[k]))) };
      }),
    });
    const html = reportHtml({
      title: g.title as string, version: VERSION, generated: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
      summary: tableOf(summaryRows, summaryKeys), chi: tableOf(chiRows, chiKeys.filter((k) => chiRows.some((r) => r[k] !== undefined && r[k] !== null))), cells,
    });
    writeAtomic(out, html);
    ctx.info(`wrote ${out} (${cells.length} file(s), ${cells.reduce((n, c) => n + c.figures.length, 0)} figures)`);
  },
};
