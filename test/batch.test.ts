// Batch work and pipeline manners: summary, --masses, stdin, closed pipes, colour, dQ/dV peaks, the library.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS, HAVE_CORPUS, ROOT, bytesInput, hcarb, one } from './helpers/io.js';
import { landFile, type Branch } from '../src/generate/land.js';
import { readLand, ice, split, retention, cycles } from '../src/index.js';
import { dqdvCommand } from '../src/commands/dqdv.js';

const SAMPLE = 'samples/npnhc-t1200.csv';
const dir = mkdtempSync(join(tmpdir(), 'hcarb-batch-'));

describe('hcarb summary', () => {
  const files = [SAMPLE, 'test/fixtures/hand-small.csv', ...(HAVE_CORPUS ? [CORPUS + 'land/cellpy_custom_data_002_landt_Si_halfcell.xlsx'] : [])];
  it('one row per file, equal to the single-file commands', () => {
    const rows = hcarb(['summary', ...files, '--format', 'ndjson']).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => r.file)).toEqual(files);
    for (const r of rows) {
      const i = one(hcarb(['ice', r.file as string, '--json']).stdout) as Record<string, unknown>;
      const s = one(hcarb(['split', r.file as string, '--json']).stdout) as Record<string, unknown>;
      for (const k of ['q_dis_mAh_g', 'q_ch_mAh_g', 'ice_pct', 'irreversible_mAh_g', 'q_dis_mAh', 'mass_mg']) expect(r[k]).toBe(i[k]);
      expect(r.dis_plateau_pct).toBe(s.dis_plateau_pct);
    }
    const ret = one(hcarb(['retention', SAMPLE, '--json']).stdout) as Record<string, unknown>;
    expect(rows[0]!.retention_pct).toBe(ret.retention_pct);
    expect(rows[1]!.retention_pct).toBeNull();
    expect(rows[1]!.retention_note).toBe('needs 30 complete cycles for --skip 20 --window 5, the file has 1');
    if (HAVE_CORPUS) expect(rows[2]!.crosscheck).toBe('ok');
  });

  it('--masses changes exactly the specific values', () => {
    const masses = join(dir, 'masses.csv');
    writeFileSync(masses, `file,mass_mg\nnpnhc-t1200.csv,7.6\nhand-small.csv,4\n`);
    const a = hcarb(['summary', SAMPLE, 'test/fixtures/hand-small.csv', '--format', 'ndjson']).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, number | string | null>);
    const b = hcarb(['summary', SAMPLE, 'test/fixtures/hand-small.csv', '--masses', masses, '--format', 'ndjson']).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, number | string | null>);
    a.forEach((ra, k) => {
      const rb = b[k]!;
      const factor = (ra.mass_mg as number) / (rb.mass_mg as number); // 3.8/7.6 and 2/4: 0.5
      expect(factor).toBeCloseTo(0.5, 12);
      for (const key of Object.keys(ra)) {
        if (key.endsWith('_mAh_g')) {
          if (ra[key] === null) expect(rb[key]).toBeNull();
          else expect((rb[key] as number) / factor).toBeCloseTo(ra[key] as number, 6);
        }
        else if (!['mass_mg', 'mass_source', 'fade_pct_per_100_cycles'].includes(key)) expect(rb[key]).toEqual(ra[key]);
      }
      expect(rb.mass_source).toBe('masses-file');
    });
  });

  it('a file missing from --masses is an error naming it', () => {
    const masses = join(dir, 'partial.csv');
    writeFileSync(masses, 'npnhc-t1200.csv,3.8\n');
    const r = hcarb(['summary', SAMPLE, 'test/fixtures/hand-small.csv', '--masses', masses, '--format', 'csv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/test\/fixtures\/hand-small\.csv is not listed in the --masses file; add a line 'hand-small\.csv,MASS_MG'/);
  });

  it('--sort orders rows by a key, - for descending', () => {
    const r = hcarb(['summary', 'test/fixtures/hand-small.csv', SAMPLE, '--sort', '-ice_pct', '--format', 'ndjson']);
    const ice = r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { ice_pct: number }).ice_pct);
    expect(ice).toEqual([87.5, expect.closeTo(81.81, 2)]);
  });
});

describe('pipeline manners (spawned)', () => {
  it('a closed pipe exits 0 quietly', () => {
    // dQ/dV curves of three files: some 300 kB, far more than a pipe holds, so the write fails with EPIPE.
    const r = spawnSync('bash', ['-c', `set -o pipefail; node bin/hcarb.js dqdv ${SAMPLE} ${SAMPLE} ${SAMPLE} --step 0.001 --format csv | head -1`], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^file,cycle,branch,v,/);
    expect(r.stderr).toBe('');
  });
  it('colour: never in machine formats, off with NO_COLOR, forced with FORCE_COLOR on stderr', () => {
    const forced = hcarb(['ice', 'test/fixtures/bad/empty.csv', '--format', 'csv'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stderr).toMatch(/\u001b\[31m/);
    const off = hcarb(['ice', 'test/fixtures/bad/empty.csv'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(off.stderr).not.toMatch(/\u001b\[/);
    const plain = hcarb(['ice', SAMPLE, '--format', 'csv'], { env: { FORCE_COLOR: '1' } });
    expect(plain.stdout).not.toMatch(/\u001b\[/);
    const flag = hcarb(['ice', 'test/fixtures/bad/empty.csv', '--no-color'], { env: { FORCE_COLOR: '1' } });
    expect(flag.stderr).not.toMatch(/\u001b\[/);
  });
  it('--help leads with real examples; --quiet silences warnings', () => {
    for (const c of ['ice', 'cycles', 'split', 'retention', 'summary', 'gitt', 'cv', 'eis', 'dqdv', 'plot', 'inspect']) {
      const h = hcarb([c, '--help']);
      expect(h.code).toBe(0);
      expect(h.stdout.trimStart()).toMatch(/^Examples:\n  \$ hcarb /);
    }
    const q = hcarb(['ice', '-', '--quiet'], { input: 'Record,TestTime/Sec,Current/mA,Capacity/mAh,Voltage/V\n1,0,-0.5,0,2.5\n2,3600,-0.5,0.5,0\n3,3600,0.5,0,0\n4,7200,0.5,0.4,2.5\n' });
    expect(q.code).toBe(0);
    expect(q.stderr).toBe('');
  });
  it('--debug shows a stack only for internal errors; user errors stay one line', () => {
    const r = hcarb(['ice', 'test/fixtures/bad/empty.csv', '--debug']);
    expect(r.code).toBe(1);
    // The whole of stderr is the one message: no stack for a user error, even with --debug.
    expect(r.stderr).toMatch(/^hcarb: test\/fixtures\/bad\/empty\.csv:1: the file is empty[^\n]*\n$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('dQ/dV of a generated cell', () => {
  // x(V) = Σ a_i / (1 + exp((V − V_i)/w)) + slope term: dx/dV peaks at V_i = 0.08 V and 0.35 V (discharge).
  const centres = [0.08, 0.35];
  const xOfV = (v: number) => 0.5 / (1 + Math.exp((v - centres[0]!) / 0.01)) + 0.3 / (1 + Math.exp((v - centres[1]!) / 0.02)) + 0.2 * (2.5 - v) / 2.5;
  const x0 = xOfV(2.5), x1 = xOfV(0);
  const vOfX = (x: number) => { let lo = 0, hi = 2.5; for (let k = 0; k < 60; k++) { const mid = (lo + hi) / 2; if ((xOfV(mid) - x0) / (x1 - x0) < x) hi = mid; else lo = mid; } return (lo + hi) / 2; };
  it('puts the peaks where the generator put them (within one grid step)', async () => {
    const branches: Branch[] = [{ dir: 'D', capacityMAh: 1, currentMA: 0.1, restAfterS: 60 }, { dir: 'C', capacityMAh: 0.9, currentMA: 0.1 }];
    const bytes = landFile({ branches, massMg: 2, sampleS: 20, sampleDV: 0.002, noiseV: 0.0002, voltage: (d, x) => (d === 'D' ? vOfX(x) : vOfX(1 - x) + 0.02) });
    const r = await dqdvCommand(bytesInput(bytes, 'peaks.csv'), { first: 'discharge' }, { cycle: 1, step: 0.005, smooth: 3 });
    const dis = (r.doc.branches as { branch: string; peaks: { peak_v: number }[] }[]).find((b) => b.branch === 'discharge')!;
    const found = dis.peaks.slice(0, 2).map((p) => p.peak_v).sort((a, b) => a - b);
    centres.forEach((c, k) => expect(Math.abs(found[k]! - c)).toBeLessThanOrEqual(0.005));
    const ch = (r.doc.branches as { branch: string; peaks: { peak_v: number }[] }[]).find((b) => b.branch === 'charge')!;
    expect(Math.abs(ch.peaks[0]!.peak_v - 0.1)).toBeLessThanOrEqual(0.005);
  });
});

describe('the library API', () => {
  it('readLand + ice/split/retention/cycles give the CLI numbers (which the CLI writes to 12 significant digits)', async () => {
    const cell = await readLand(SAMPLE);
    const cli = one(hcarb(['ice', SAMPLE, '--json']).stdout) as Record<string, number>;
    const twelve = (x: number) => Number(x.toPrecision(12));
    expect(twelve(ice(cell).ice_pct!)).toBe(cli.ice_pct);
    expect(twelve(ice(cell).q_ch_mAh_g!)).toBe(cli.q_ch_mAh_g);
    expect(ice(cell, { massMg: 7.6 }).q_dis_mAh_g).toBeCloseTo(cli.q_dis_mAh_g! / 2, 9);
    expect(split(cell).dis_plateau_pct).toBeGreaterThan(0);
    expect(twelve(retention(cell, { skip: 20, window: 5 }).retention_pct!)).toBe((one(hcarb(['retention', SAMPLE, '--json']).stdout) as { retention_pct: number }).retention_pct);
    expect(cycles(cell)).toHaveLength(40);
  });
});

describe('a terminal on standard input', () => {
  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!hasScript)('no file and a terminal on stdin: usage message, exit 2 (run under a pseudo-terminal with script(1))', () => {
    const r = spawnSync('script', ['-qec', 'node bin/hcarb.js ice', '/dev/null'], { cwd: ROOT, encoding: 'utf8', input: '' });
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/hcarb: no input file given \(and standard input is a terminal\); give a file, or - to read standard input/);
  });
});
