/** `hcarb cv`: CHI cyclic voltammetry: peaks per sweep, peak separation, b-value over scan rates. */
import { perFileRun } from './run.js';
import { int, type CommandSpec } from './spec.js';
import { bValueResult, cvCommand } from './chi.js';

export const command: CommandSpec = {
  name: 'cv',
  summary: 'CHI cyclic voltammetry: peaks per sweep, peak separation, b-value',
  description: 'Splits a CHI CV (or LSV) export into sweeps where the potential reverses, gives the anodic or cathodic peak of each sweep, the peak separation per cycle and flags the first-cycle irreversible (SEI) peak. With several files of one cell at different scan rates, --b-value fits log|i_p| = b log v + c.',
  files: 'CHI .txt/.csv exports; - or none for standard input',
  takes: {},
  options: [
    { flags: '--mass <mg>', description: 'active mass in mg: currents also in A/g' },
    { flags: '--masses <file>', description: 'CSV of file,mass_mg for a batch (matched by path or file name)' },
    { flags: '--current-sign <sign>', description: 'how the file signs current (CHI does not say)', choices: ['anodic-positive', 'cathodic-positive'] },
    { flags: '--b-value', description: 'fit the b-value over the files (one cell, several scan rates)' },
    { flags: '--peak <dir>', description: 'which peak the b-value uses', choices: ['anodic', 'cathodic'], default: 'anodic' },
    { flags: '--cycle <n>', description: 'which cycle the b-value uses', parse: int('--cycle', 1), default: 1 },
  ],
  examples: ['hcarb cv samples/npnhc-cv-0.5mVs.txt --mass 3.8', 'hcarb cv cv_*.txt --b-value --peak cathodic', "hcarb cv samples/npnhc-cv-0.5mVs.txt --json | jq '.[0].sweeps[0]'"],
  fields: [
    { key: 'file', description: 'the input file as given (b-value: the files, ;-separated)' },
    { key: 'cycle', description: 'cycle (two sweeps)' },
    { key: 'sweep', description: 'sweep number' },
    { key: 'direction', description: 'anodic or cathodic' },
    { key: 'ep_v', description: 'peak potential' },
    { key: 'ip_a', description: 'peak current (anodic positive)' },
    { key: 'ip_a_g', description: 'peak current per gram of active mass' },
    { key: 'delta_ep_v', description: 'peak separation of the cycle' },
    { key: 'e_start_v', description: 'potential at the sweep start' },
    { key: 'e_end_v', description: 'potential at the sweep end' },
    { key: 'points', description: 'points in the sweep (b-value: files used)' },
    { key: 'flags', description: 'sei (first-cycle irreversible peak), edge, …' },
    { key: 'scan_rate_v_s', description: "the file's scan rate" },
    { key: 'b', description: '--b-value: slope of log|i_p| against log v' },
    { key: 'b_se', description: '--b-value: standard error of b' },
    { key: 'r2', description: '--b-value: R² of the fit' },
    { key: 'scan_rates_v_s', description: '--b-value: the scan rates used' },
    { key: 'peak', description: '--b-value: which peak' },
  ],
  docFields: [{ key: 'technique', description: 'CHI technique' }, { key: 'model', description: 'CHI model' }, { key: 'date', description: 'date of the run' }, { key: 'sweeps', description: 'the rows' }, { key: 'files', description: '--b-value: the files used' }],
  async run(ctx, _args, files, o) {
    const results: { file: string; scanRate: number | null; ip: number | null }[] = [];
    await ctx.runFiles(files, o, async (input, oo, c) => {
      const r = await cvCommand(input, { ...(oo as object), masses: c.masses } as never);
      results.push({ file: r.file, scanRate: r.scanRate, ip: r.chosenIp });
      return r;
    }, o.bValue ? { finish: () => bValueResult(results, o.peak as string, o.cycle as number) } : undefined);
  },
};
