/**
 * `hcarb cv`: CHI cyclic (and linear-sweep, differential-pulse) voltammetry. Per file: every peak
 * of every sweep with a linear baseline, the current sign detected and stated, the first-cycle SEI
 * peak, the LSV onset. Over the files of one cell: b-values per peak and b(V) (--b-value), or
 * Dunn's capacitive contribution (--dunn).
 */
import { DataError, UsageError } from '../errors.js';
import type { Input } from '../io.js';
import { loadChi } from '../load.js';
import { column, type ChiFile } from '../readers/chi/chi.js';
import { analyseCvFile, bValues, dunn, type CurrentSign, type CvFileAnalysis, type PeakRow } from '../analysis/cv/index.js';
import type { FileResult, Row } from '../output/format.js';
import { givenMass, type CommonOptions } from './common.js';
import { int, pos, type CommandSpec, type Opts } from './spec.js';

export interface CvCliOptions { currentSign?: string; channel?: number; allPeaks?: boolean }

const SIGNS: readonly CurrentSign[] = ['anodic-positive', 'cathodic-positive'];
const SOURCE_TEXT: Record<string, string> = { option: '--current-sign', results: "the file's Results block", 'loop orientation': 'loop orientation', default: 'assumed: the file does not tell' };

function needVoltammetry(f: ChiFile): void {
  if (f.kind === 'cv' || f.kind === 'lsv' || f.kind === 'dpv') return;
  const hint = f.kind === 'eis' ? 'hcarb eis' : 'hcarb inspect';
  throw new DataError(`this is a ${f.technique || 'CHI'} file; hcarb cv needs CV, LSV or DPV data (try ${hint})`, { file: f.source, line: 2 });
}

/** The short code of a no_peak reason (`monotonic`, `noise`, `wrong_sign`, …). */
function reasonCode(reason: string): string {
  const k = reason.indexOf(':');
  return k > 0 ? reason.slice(0, k) : reason;
}

const plural = (n: number, one: string) => `${one}${n === 1 ? '' : 's'}`;

function peakRow(a: CvFileAnalysis, p: CvFileAnalysis['peaks'][number], deltaEp: number | null, mass: boolean): Row {
  return {
    file: a.file, cycle: p.cycle, sweep: p.sweep, direction: p.direction, rank: p.rank,
    ep_v: p.ep_v, ip_a: p.ip_a, ...(mass ? { ip_a_g: p.ip_a_g } : {}), ip_raw_a: p.ip_raw_a,
    delta_ep_v: p.rank === 1 ? deltaEp : null,
    half_width_v: p.half_width_v, prominence_a: p.prominence_a, charge_c: p.charge_c,
    baseline: p.baseline, baseline_from_v: p.baseline_from_v, baseline_to_v: p.baseline_to_v,
    flags: [...p.flags], no_peak: null, scan_rate_v_s: a.scan_rate_v_s,
  };
}

/** One file: the analysis and its rows. */
export async function cvFile(input: Input, o: CvCliOptions, c: CommonOptions): Promise<FileResult & { analysis: CvFileAnalysis }> {
  const sign = o.currentSign as CurrentSign | undefined;
  if (sign !== undefined && !SIGNS.includes(sign)) throw new UsageError(`--current-sign must be anodic-positive or cathodic-positive, not '${String(sign)}'`);
  const mass = givenMass(c, input.name);
  const f = await loadChi(input);
  needVoltammetry(f);
  const n = column(f, 'potentialV')?.length ?? 0;
  if (n > 0 && n < 10) throw new DataError(`too few points for a ${f.kind.toUpperCase()} (${n}); at least 10 are needed`, { file: f.source });
  const a = analyseCvFile(f, { currentSign: sign, channel: (o.channel ?? 1) as 1 | 2, massMg: mass?.massMg ?? null });
  const hasMass = mass !== null;
  const rows: Row[] = [];
  const tableRows: Row[] = [];
  const blanks: Record<string, string> = {};
  const noPeak = new Map<string, number[]>();
  if (a.kind === 'lsv' && a.lsv) {
    const s = a.sweeps[0]!, l = a.lsv;
    const row: Row = {
      file: a.file, cycle: s.cycle, sweep: s.sweep, direction: s.direction,
      onset_v: l.onset_v, limiting_current_a: l.limiting_current_a, final_current_a: l.final_current_a,
      flags: [...s.flags], no_peak: s.no_peak, scan_rate_v_s: a.scan_rate_v_s,
    };
    rows.push(row);
    tableRows.push({ ...row, flags: s.no_peak ? [`no_peak: ${reasonCode(s.no_peak)}`] : s.flags });
    if (l.onset_v === null) blanks.onset_v = l.onset_reason ?? 'no onset';
    if (l.limiting_current_a === null) blanks.limiting_current_a = 'the current has not levelled off over the last 10 % of the sweep; the final current is given';
  } else {
    for (const s of a.sweeps) {
      const ps = a.peaks.filter((p) => p.sweep === s.sweep);
      const shown = o.allPeaks ? ps : ps.filter((p) => p.rank === 1 || p.flags.includes('sei'));
      for (const p of shown) {
        const row = peakRow(a, p, s.delta_ep_v, hasMass);
        rows.push(row);
        tableRows.push(row);
      }
      if (!ps.length) {
        const row: Row = {
          file: a.file, cycle: s.cycle, sweep: s.sweep, direction: s.direction, rank: null, ep_v: null, ip_a: null,
          ...(hasMass ? { ip_a_g: null } : {}), ip_raw_a: null, delta_ep_v: null, half_width_v: null, prominence_a: null, charge_c: null,
          baseline: null, baseline_from_v: null, baseline_to_v: null, flags: [...s.flags], no_peak: s.no_peak, scan_rate_v_s: a.scan_rate_v_s,
        };
        rows.push(row);
        tableRows.push({ ...row, flags: [`no_peak: ${reasonCode(s.no_peak ?? 'no peak')}`] });
        const why = s.no_peak ?? 'no peak';
        noPeak.set(why, [...(noPeak.get(why) ?? []), s.sweep]);
      }
    }
    if (noPeak.size) blanks.ep_v = [...noPeak].map(([why, sw]) => `${plural(sw.length, 'sweep')} ${sw.join(', ')}: ${why}`).join('; ');
  }
  const tableKeys = a.kind === 'lsv'
    ? ['file', 'direction', 'onset_v', 'final_current_a', 'limiting_current_a']
    : ['file', 'cycle', 'direction', ...(o.allPeaks ? ['rank'] : []), 'ep_v', hasMass ? 'ip_a_g' : 'ip_a', ...(o.allPeaks ? [] : ['delta_ep_v']), 'flags'];
  const sweeps = a.sweeps.map((s) => {
    const main = a.peaks.find((p) => p.sweep === s.sweep && p.rank === 1);
    return {
      cycle: s.cycle, sweep: s.sweep, direction: s.direction, e_start_v: s.e_start_v, e_end_v: s.e_end_v, points: s.points, peaks: s.peaks,
      ep_v: s.main_ep_v, ip_a: s.main_ip_a, ...(hasMass ? { ip_a_g: main?.ip_a_g ?? null } : {}), delta_ep_v: s.delta_ep_v, no_peak: s.no_peak, noise_a: s.noise_a, flags: s.flags,
    };
  });
  const assumptions = { ...a.assumptions, mass_mg: mass?.massMg ?? null, mass_source: mass?.source ?? 'none' };
  const src = SOURCE_TEXT[a.sign.current_sign_source] ?? a.sign.current_sign_source;
  return {
    file: a.file,
    doc: {
      file: a.file, technique: a.technique, model: f.model, date: f.date, kind: a.kind, scan_rate_v_s: a.scan_rate_v_s, channel: a.channel,
      assumptions, sweeps, peaks: a.peaks, sei: a.sei, lsv: a.lsv, warnings: a.warnings,
    },
    rows, tableRows, tableKeys, blanks,
    assumptionLine: `file's current sign: ${a.sign.current_sign} (${src}); shown anodic-positive${a.scan_rate_v_s !== null ? `; v = ${a.scan_rate_v_s} V/s` : ''}${a.kind === 'lsv' ? '' : '; i_p above a linear baseline'}`,
    warnings: a.warnings, notes: a.notes, analysis: a,
  };
}

/** --b-value: one result for the batch. */
export function bValueBatch(files: CvFileAnalysis[], cycle: number): FileResult {
  const cvs = files.filter((f) => f.kind === 'cv');
  const b = bValues(cvs, { cycle });
  const warnings = [...b.warnings];
  const skipped = files.filter((f) => f.kind !== 'cv');
  if (skipped.length) warnings.push(`${skipped.map((f) => f.file).join(', ')}: not cyclic voltammetry, left out of the b-values`);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const peakRows: Row[] = b.peaks.map((p) => ({ row_type: 'peak', direction: p.direction, cycle: p.cycle, rank: p.rank, ep_v: mean(p.ep_v), e_v: null, b: p.b, b_se: p.b_se, r2: p.r2, points: p.points, scan_rates_v_s: p.scan_rates_v_s, ip_a: p.ip_a }));
  const bvRows: Row[] = b.b_of_v.map((r) => ({ row_type: 'b_of_v', direction: r.direction, cycle, rank: null, ep_v: null, e_v: r.e_v, b: r.b, b_se: r.b_se, r2: r.r2, points: r.points }));
  if (!peakRows.length) warnings.push(`no peak was found at two or more scan rates in cycle ${cycle}; only b(V) is given`);
  const used = cvs.filter((f) => f.scan_rate_v_s !== null).map((f) => f.file);
  return {
    file: 'b-value',
    doc: { file: 'b-value', files: used, cycle, peaks: b.peaks, b_of_v: b.b_of_v, assumptions: b.assumptions, warnings },
    rows: [...peakRows, ...bvRows], tableRows: peakRows,
    tableKeys: ['direction', 'rank', 'ep_v', 'b', 'b_se', 'r2', 'points'],
    assumptionLine: `b over ${used.length} files, cycle ${cycle} (--cycle), from baseline-corrected i_p; peaks matched by rank; b(V) in JSON/CSV`,
    warnings,
  };
}

/** --dunn: one result for the batch. */
export function dunnBatch(files: CvFileAnalysis[], cycle: number): FileResult {
  const cvs = files.filter((f) => f.kind === 'cv');
  const d = dunn(cvs, { cycle });
  const warnings = [...d.warnings];
  const skipped = files.filter((f) => f.kind !== 'cv');
  if (skipped.length) warnings.push(`${skipped.map((f) => f.file).join(', ')}: not cyclic voltammetry, left out of Dunn's analysis`);
  const rows: Row[] = d.shares.map((s) => ({ file: s.file, scan_rate_v_s: s.scan_rate_v_s, direction: s.direction, cycle: s.cycle, e_from_v: s.e_from_v, e_to_v: s.e_to_v, capacitive_share_pct: s.capacitive_share_pct, q_total_c: s.q_total_c, q_capacitive_c: s.q_capacitive_c }));
  rows.sort((x, y) => (x.scan_rate_v_s as number) - (y.scan_rate_v_s as number) || String(x.direction).localeCompare(String(y.direction)));
  const range = d.shares.find((s) => s.e_from_v !== null);
  const used = [...new Set(d.shares.map((s) => s.file))];
  return {
    file: 'dunn',
    doc: { file: 'dunn', files: used, cycle, shares: rows, k_of_v: d.grid, assumptions: d.assumptions, warnings },
    rows,
    tableKeys: ['file', 'scan_rate_v_s', 'direction', 'capacitive_share_pct', 'q_total_c', 'q_capacitive_c'],
    assumptionLine: `i = k1·v + k2·v^½ at each potential (Dunn), cycle ${cycle} (--cycle)${range ? `, ${range.e_from_v!.toFixed(3)}–${range.e_to_v!.toFixed(3)} V` : ''}; share = ∫|k1·v| dV / ∫|i| dV; k1(V), k2(V) in JSON`,
    warnings,
  };
}

const channel = (v: string): number => {
  if (v !== '1' && v !== '2') throw new UsageError(`--channel must be 1 or 2, not '${v}'`);
  return Number(v);
};

export const command: CommandSpec = {
  name: 'cv',
  summary: 'CHI voltammetry: every peak with a baseline, SEI peak, b-value, b(V), capacitive share (Dunn)',
  description: "Reads a CHI CV, LSV or DPV export and decides how it signs current (--current-sign, else the file's Results block, else the orientation of the voltammogram loop; output currents are always anodic-positive). Splits a CV into sweeps and finds every peak of each by prominence above the noise, with i_p measured from a linear baseline extrapolated from before the peak's foot (as CHI's Results do); a sweep without a peak says why (no_peak). Flags the first-cycle SEI peak (a cycle-1 cathodic peak with no counterpart within ±50 mV and a third of its current later). An LSV gives its onset potential and limiting or final current. Over files of one cell at several scan rates: --b-value fits log|i_p| = b log v + c per peak (matched by rank) and b(V) at each potential; --dunn fits i(V) = k1·v + k2·v^½ at each potential (three or more rates) and gives the capacitive share of each sweep's charge per scan rate. --b-value and --dunn print one result for the whole batch.",
  files: 'CHI .txt/.csv exports; - or none for standard input',
  takes: {},
  options: [
    { flags: '--mass <mg>', description: 'active mass in mg: peak currents also in A/g (ip_a_g)', parse: pos('--mass') },
    { flags: '--masses <file>', description: 'CSV of file,mass_mg for a batch (matched by path or file name)' },
    { flags: '--current-sign <sign>', description: "how the file signs current (default: detected from the file's Results block or the loop orientation)", choices: SIGNS },
    { flags: '--channel <n>', description: 'working electrode of a bipotentiostat export (i1/A or i2/A): 1 or 2', parse: channel, default: 1 },
    { flags: '--all-peaks', description: 'list every peak of every sweep (default: the largest per sweep and flagged ones)' },
    { flags: '--b-value', description: 'over the files (one cell, several scan rates): b per peak and b(V); one result for the batch' },
    { flags: '--dunn', description: "over the files (one cell, ≥ 3 scan rates): Dunn's capacitive share per scan rate, k1(V), k2(V); one result for the batch" },
    { flags: '--cycle <n>', description: 'which cycle --b-value and --dunn use (cycle 1 carries the SEI peak)', parse: int('--cycle', 1), default: 2 },
  ],
  examples: [
    'hcarb cv samples/npnhc-cv-0.5mVs.txt --mass 3.8',
    "hcarb cv samples/npnhc-cv-0.5mVs.txt --json | jq '.[0].sei[] | {ep_v, ip_a, charge_c}'",
    "hcarb cv samples/npnhc-cv-0.5mVs.txt --json | jq '.[0].assumptions | {current_sign, current_sign_source}'",
    "hcarb cv samples/npnhc-cv-rate-*.txt --b-value --json | jq '.[0].peaks[] | {direction, rank, b, b_se, r2}'",
    "hcarb cv samples/npnhc-cv-rate-*.txt --dunn --json | jq -c '.[0].shares[] | [.scan_rate_v_s, .direction, .capacitive_share_pct]'",
    'hcarb cv samples/npnhc-cv-rate-*.txt --b-value --format csv > b.csv',
  ],
  fields: [
    { key: 'file', description: 'the input file as given' },
    { key: 'row_type', description: '--b-value: peak (b of one peak) or b_of_v (b at one potential)' },
    { key: 'cycle', description: 'cycle (two sweeps, from the first sweep in the data)' },
    { key: 'sweep', description: 'sweep number' },
    { key: 'direction', description: 'anodic (positive-going: desodiation of a hard-carbon anode) or cathodic (negative-going: sodiation)' },
    { key: 'rank', description: 'peak rank within its sweep (1 = largest baseline-corrected |i_p|)' },
    { key: 'ep_v', description: 'peak potential (--b-value: mean over the files)' },
    { key: 'ip_a', description: 'peak current above its baseline, anodic-positive (--b-value: one per scan rate)' },
    { key: 'ip_a_g', description: 'ip_a per gram of active mass (--mass)' },
    { key: 'ip_raw_a', description: 'current at the peak as recorded (anodic-positive)' },
    { key: 'delta_ep_v', description: 'peak separation of the cycle (largest anodic and cathodic peaks; on rank-1 rows)' },
    { key: 'half_width_v', description: 'full width of the corrected peak at half its height' },
    { key: 'prominence_a', description: 'how far the peak stands above the current around it' },
    { key: 'charge_c', description: 'charge under the peak above its baseline' },
    { key: 'baseline', description: 'how the baseline was drawn' },
    { key: 'baseline_from_v', description: 'start of the potential window the baseline is fitted to' },
    { key: 'baseline_to_v', description: 'end of that window' },
    { key: 'flags', description: 'sei (first-cycle irreversible peak), short_baseline, valley_baseline, no_peak' },
    { key: 'no_peak', description: 'why a sweep has no peak (wrong_sign, edge, noise, monotonic, baseline)' },
    { key: 'onset_v', description: 'LSV: onset potential' },
    { key: 'limiting_current_a', description: 'LSV: mean current of the last 10 % of the sweep when it has levelled off' },
    { key: 'final_current_a', description: 'LSV: current at the end of the sweep (smoothed)' },
    { key: 'scan_rate_v_s', description: "the file's scan rate" },
    { key: 'b', description: '--b-value: slope of log10|i| against log10 v' },
    { key: 'b_se', description: '--b-value: standard error of b (three or more scan rates)' },
    { key: 'r2', description: '--b-value: R² of the fit' },
    { key: 'points', description: '--b-value: files (scan rates) in the fit' },
    { key: 'scan_rates_v_s', description: '--b-value: the scan rates used' },
    { key: 'e_v', description: '--b-value: potential of a b(V) row' },
    { key: 'e_from_v', description: '--dunn: start of the potential range integrated' },
    { key: 'e_to_v', description: '--dunn: end of that range' },
    { key: 'capacitive_share_pct', description: "--dunn: capacitive share of the sweep's charge, ∫|k1·v| dV / ∫|i| dV" },
    { key: 'q_total_c', description: "--dunn: the sweep's charge over the range, ∫|i| dV / v" },
    { key: 'q_capacitive_c', description: '--dunn: its capacitive part, ∫|k1·v| dV / v' },
  ],
  docFields: [
    { key: 'technique', description: 'CHI technique' },
    { key: 'model', description: 'CHI instrument model' },
    { key: 'date', description: 'date of the run' },
    { key: 'kind', description: 'cv, lsv or dpv' },
    { key: 'channel', description: 'working electrode analysed (1 or 2)' },
    { key: 'sweeps', description: 'per sweep: cycle, sweep, direction, e_start_v, e_end_v, points, peaks (count), ep_v, ip_a (largest peak), delta_ep_v, no_peak, noise_a, flags' },
    { key: 'peaks', description: 'every peak (cycle, sweep, direction, rank, ep_v, ip_a, ip_raw_a, baseline and its window, slope and value at Ep, prominence_a, half_width_v, charge_c, flags); --b-value: per peak b, b_se, r2 with the ep_v, ip_a, scan rates and files it used' },
    { key: 'sei', description: 'first-cycle SEI peaks: sweep, ep_v, ip_a, charge_c, later sweeps checked' },
    { key: 'lsv', description: 'LSV: direction, onset_v (or onset_reason), limiting_current_a, final_current_a, criterion' },
    { key: 'files', description: '--b-value, --dunn: the files used (the JSON is one element for the batch)' },
    { key: 'b_of_v', description: '--b-value: b at each potential of a grid per sweep direction (direction, e_v, b, b_se, r2, points)' },
    { key: 'shares', description: '--dunn: the rows (capacitive share per scan rate and direction)' },
    { key: 'k_of_v', description: '--dunn: at each potential per direction: k1_a_s_per_v, k2_a_s05_per_v05, r2, points' },
  ],
  async run(ctx, _args, files, o: Opts) {
    if (o.bValue && o.dunn) throw new UsageError('give --b-value or --dunn, not both');
    const analyses: CvFileAnalysis[] = [];
    const cycle = o.cycle as number;
    const batch = o.bValue ? { finish: () => bValueBatch(analyses, cycle) } : o.dunn ? { finish: () => dunnBatch(analyses, cycle) } : undefined;
    await ctx.runFiles(files, o, async (input, oo, c) => {
      const r = await cvFile(input, { currentSign: oo.currentSign as string | undefined, channel: oo.channel as number, allPeaks: Boolean(oo.allPeaks) }, c);
      analyses.push(r.analysis);
      const { analysis: _a, ...result } = r;
      return result;
    }, batch);
  },
};
