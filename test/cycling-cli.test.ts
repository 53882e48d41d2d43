// The cycling results section through the CLI, as a user runs it (issue 16, the CLI-level items):
// rate on a generated rate-capability export; per-cycle voltages and energies against a trapezoid
// integration of the written records; six replicate files in two groups with masses (and groups)
// from a CSV, mean and SD by hand; sanity warnings; ice and split that stop reading early and
// equal a copy truncated after cycle 2; retention --ref-cycle / --at; dqdv over several cycles.
// Truth never comes from src/analysis: the generators (their own physics), the written text, and
// arithmetic done here.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rateCapabilityPlan } from '../src/generate/rate.js';
import { encodeLines, hardCarbonPlan, landLines, type Branch, type CellPlan } from '../src/generate/land.js';
import { hcarb, one, ROOT } from './helpers/io.js';

const SAMPLE = ROOT + 'samples/npnhc-t1200.csv';
const dir = mkdtempSync(join(tmpdir(), 'hcarb-cycling-cli-'));
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** Mean and sample SD (n − 1), written out here (not the code under test). */
function mean(xs: number[]): number { let s = 0; for (const x of xs) s += x; return s / xs.length; }
function sd(xs: number[]): number { const m = mean(xs); let s = 0; for (const x of xs) s += (x - m) * (x - m); return Math.sqrt(s / (xs.length - 1)); }

describe('hcarb rate on a generated export: formation, 5 cycles each at 30…2000 mA/g and back to 30', () => {
  const gen = rateCapabilityPlan();
  const lines = [...landLines(gen.plan)];
  const file = join(dir, 'rate.csv');
  writeFileSync(file, encodeLines(lines));
  const r = hcarb(['rate', file, '--nominal', '300', '--json']);
  const doc = one(r.stdout);

  it('finds the 8 steps, their current densities and C-rates, and names cycle 1 as formation', () => {
    expect(r.code, r.stderr).toBe(0);
    expect(doc.formation.cycles).toEqual([1]);
    expect(doc.steps.map((s: { first_cycle: number; last_cycle: number; n: number }) => [s.first_cycle, s.last_cycle, s.n])).toEqual(gen.steps.map((s) => [s.first, s.last, 5]));
    doc.steps.forEach((s: { i_mA_g: number; c_rate: number }, k: number) => {
      expect(rel(s.i_mA_g, gen.steps[k]!.iMAg)).toBeLessThan(1e-4);
      expect(rel(s.c_rate, gen.steps[k]!.iMAg / 300)).toBeLessThan(1e-4);
    });
    expect(doc.assumptions.tolerance_pct).toBe(5);
    expect(doc.assumptions.steps_detected).toContain('2000 mA/g: cycles 32–36');
  });

  it('step means of both capacities and CE within 0.1 % of the generator, SDs within 1 %', () => {
    doc.steps.forEach((s: Record<string, number>, k: number) => {
      const t = gen.cycles.filter((c) => c.step === k + 1);
      const ch = t.map((c) => c.qChMAhG), dis = t.map((c) => c.qDisMAhG), ce = t.map((c) => c.qChMAhG / c.qDisMAhG * 100);
      expect(rel(s.q_ch_mean_mAh_g!, mean(ch))).toBeLessThan(1e-3);
      expect(rel(s.q_dis_mean_mAh_g!, mean(dis))).toBeLessThan(1e-3);
      expect(rel(s.ce_mean_pct!, mean(ce))).toBeLessThan(1e-3);
      expect(rel(s.q_ch_sd_mAh_g!, sd(ch))).toBeLessThan(1e-2);
    });
  });

  it('recovery = mean Q_ch of the last 30 mA/g step / the first within 0.1 %', () => {
    const q = (st: number) => mean(gen.cycles.filter((c) => c.step === st).map((c) => c.qChMAhG));
    expect(doc.recovery_step).toBe(8);
    expect(rel(doc.recovery_pct, q(8) / q(1) * 100)).toBeLessThan(1e-3);
  });

  it('the table: one row per step at 80 columns, the recovery under it; CSV has one line per step', () => {
    const t = hcarb(['rate', file, '--format', 'table'], { env: { COLUMNS: '80' } });
    expect(t.stdout.split('\n').every((l) => [...l].length <= 80)).toBe(true);
    expect(t.stdout).toMatch(/│ +7 │ +2000 │ 32-36 +│/);
    expect(t.stdout).toMatch(/recovery\s+9\d\.\d\d % \(step 8 \/ step 1\)/);
    const csv = hcarb(['rate', file, '--format', 'csv']).stdout.trim().split('\n');
    expect(csv).toHaveLength(9);
  });

  it('cycles: average voltage, energy and EE of every cycle equal a trapezoid integration of the written records', () => {
    // Branches from the CSV text: runs of RateD / RateC records (rests skipped).
    const head = lines[0]!.split(',');
    const iv = head.indexOf('Voltage/V'), iq = head.indexOf('Capacity/mAh'), is = head.indexOf('Step-State');
    const br: { dir: string; v: number[]; q: number[] }[] = [];
    for (const line of lines.slice(1)) {
      const c = line.split(',');
      if (c[is] === 'R') continue;
      const d = c[is] === 'RateD' ? 'D' : 'C';
      if (!br.length || br[br.length - 1]!.dir !== d) br.push({ dir: d, v: [], q: [] });
      br[br.length - 1]!.v.push(Number(c[iv])); br[br.length - 1]!.q.push(Number(c[iq]));
    }
    const energy = (b: { v: number[]; q: number[] }) => { let e = 0; for (let k = 1; k < b.v.length; k++) e += (b.v[k]! + b.v[k - 1]!) / 2 * (b.q[k]! - b.q[k - 1]!); return e; };
    const c = hcarb(['cycles', file, '--nominal', '300', '--diameter', '14', '--json']);
    const d = one(c.stdout);
    const g = gen.massMg / 1000;
    const area = Math.PI * 0.7 * 0.7;
    expect(d.cycles).toHaveLength(41);
    expect(d.assumptions.area_source).toBe('--diameter');
    for (const row of d.cycles) {
      const dis = br[2 * (row.cycle - 1)]!, ch = br[2 * (row.cycle - 1) + 1]!;
      const ed = energy(dis), ec = energy(ch), qd = dis.q[dis.q.length - 1]!, qc = ch.q[ch.q.length - 1]!;
      expect(rel(row.e_dis_mWh_g, ed / g)).toBeLessThan(1e-3);
      expect(rel(row.v_avg_ch_V, ec / qc)).toBeLessThan(1e-3);
      expect(rel(row.v_avg_dis_V, ed / qd)).toBeLessThan(1e-3);
      expect(Math.abs(row.ee_pct - ed / ec * 100)).toBeLessThan(0.05);
      expect(rel(row.q_ch_mAh_cm2, qc / area)).toBeLessThan(1e-6);
      expect(rel(row.c_rate, gen.cycles[row.cycle - 1]!.iMAg / 300)).toBeLessThan(1e-4);
    }
    // Without --area/--diameter the area is the 12 mm disc, and the assumptions say so.
    const plain = one(hcarb(['cycles', file, '--json']).stdout);
    expect(plain.assumptions.area_source).toBe('default 12 mm disc');
    expect(rel(plain.cycles[0].q_dis_mAh_cm2, plain.cycles[0].q_dis_mAh / (Math.PI * 0.36))).toBeLessThan(1e-9);
    expect(plain.cycles[0].c_rate).toBeNull();
  });
});

describe('summary of six replicate files in two groups, masses and groups from a CSV', () => {
  // Each file: two cycles at 30 mA/g; the file itself claims 1 mg (SpeCap), the CSV gives the true
  // masses, so numbers that ignore the CSV would be off by 2–5×.
  const cells = [
    { name: 'HC1200-a', group: 'HC1200', mass: 2.0, qDis: 370, ice: 80 },
    { name: 'HC1200-b', group: 'HC1200', mass: 2.5, qDis: 380, ice: 82 },
    { name: 'HC1200-c', group: 'HC1200', mass: 4.0, qDis: 360, ice: 84 },
    { name: 'HC1400-a', group: 'HC1400', mass: 3.0, qDis: 300, ice: 90 },
    { name: 'HC1400-b', group: 'HC1400', mass: 3.2, qDis: 310, ice: 91 },
    { name: 'HC1400-c', group: 'HC1400', mass: 5.0, qDis: 320, ice: 95 },
  ];
  const shape = hardCarbonPlan({ cycles: 2 }).plan;
  const files = cells.map((c) => {
    const g = c.mass / 1000;
    const qCh = c.qDis * c.ice / 100;
    const branches: Branch[] = [
      { dir: 'D', capacityMAh: c.qDis * g, currentMA: 30 * g, restAfterS: 600 },
      { dir: 'C', capacityMAh: qCh * g, currentMA: 30 * g, restAfterS: 600 },
      { dir: 'D', capacityMAh: qCh / 0.97 * g, currentMA: 30 * g, restAfterS: 600 },
      { dir: 'C', capacityMAh: qCh * g, currentMA: 30 * g, restAfterS: 600 },
    ];
    const plan: CellPlan = { ...shape, branches, massMg: 1.0, noiseV: 0 };
    const f = join(dir, `${c.name}.csv`);
    writeFileSync(f, encodeLines(landLines(plan)));
    return f;
  });
  const masses = join(dir, 'masses.csv');
  writeFileSync(masses, 'file,mass_mg,group\n' + cells.map((c) => `${c.name}.csv,${c.mass},${c.group}`).join('\n') + '\n');

  // By hand. HC1200: ICE 80, 82, 84 → mean 82, SD √((4 + 0 + 4)/2) = 2; Q_dis 370, 380, 360 → 370,
  // SD √((0 + 100 + 100)/2) = 10; Q_ch = Q_dis·ICE: 296, 311.6, 302.4 → mean 910/3 = 303.333…,
  // SD √(((296 − 303.333)² + (311.6 − 303.333)² + (302.4 − 303.333)²)/2) = √(122.9867/2) = 7.8418.
  // HC1400: ICE 90, 91, 95 → 92, SD √((4 + 1 + 9)/2) = √7; Q_dis 300, 310, 320 → 310, SD 10;
  // Q_ch 270, 282.1, 304 → 856.1/3 = 285.3667, SD √((15.3667² + 3.2667² + 18.6333²)/2) = 17.2352.
  const HAND = {
    HC1200: { ice: [82, 2], qDis: [370, 10], qCh: [910 / 3, Math.sqrt(122.98666666666667 / 2)] },
    HC1400: { ice: [92, Math.sqrt(7)], qDis: [310, 10], qCh: [856.1 / 3, 17.2352] },
  } as const;

  it('--masses with a group column and --stats: "G (mean)" / "G (sd)" rows (CSV) equal the hand computation', () => {
    const r = hcarb(['summary', ...files, '--masses', masses, '--stats', '--format', 'csv', '--jobs', '1']);
    expect(r.code, r.stderr).toBe(0);
    const [head, ...body] = r.stdout.trim().split('\n').map((l) => l.split(','));
    const col = (k: string) => head!.indexOf(k);
    const row = (name: string) => body.find((b) => b[col('name')] === name)!;
    expect(body.map((b) => b[col('name')])).toEqual([...cells.map((c) => c.name), 'HC1200 (mean)', 'HC1200 (sd)', 'HC1400 (mean)', 'HC1400 (sd)']);
    expect(body.slice(0, 6).map((b) => b[col('group')])).toEqual(cells.map((c) => c.group));
    // The per-file rows use the CSV's masses.
    expect(body.slice(0, 6).map((b) => Number(b[col('mass_mg')]))).toEqual(cells.map((c) => c.mass));
    for (const g of ['HC1200', 'HC1400'] as const) {
      const m = row(`${g} (mean)`), s = row(`${g} (sd)`);
      expect(Number(m[col('n')])).toBe(3);
      expect(Number(m[col('ice_pct')])).toBeCloseTo(HAND[g].ice[0], 3);
      expect(Number(s[col('ice_pct')])).toBeCloseTo(HAND[g].ice[1], 3);
      expect(Number(m[col('q_dis_mAh_g')])).toBeCloseTo(HAND[g].qDis[0], 2);
      expect(Number(s[col('q_dis_mAh_g')])).toBeCloseTo(HAND[g].qDis[1], 2);
      expect(Number(m[col('q_ch_mAh_g')])).toBeCloseTo(HAND[g].qCh[0], 2);
      expect(Number(s[col('q_ch_mAh_g')])).toBeCloseTo(HAND[g].qCh[1], 2);
    }
  });

  it('--group-by on the file name gives the same groups; JSON carries them under groups', () => {
    const r = hcarb(['summary', ...files, '--masses', masses, '--group-by', '^(HC\\d+)-', '--stats', '--json', '--jobs', '2']);
    expect(r.code, r.stderr).toBe(0);
    const docs = JSON.parse(r.stdout);
    expect(docs).toHaveLength(6);
    expect(docs.map((d: { group: string }) => d.group)).toEqual(cells.map((c) => c.group));
    const groups = docs[0].groups as { group: string; n: number; mean: Record<string, number>; sd: Record<string, number> }[];
    expect(groups.map((g) => [g.group, g.n])).toEqual([['HC1200', 3], ['HC1400', 3]]);
    expect(groups[1]!.mean.ice_pct).toBeCloseTo(92, 3);
    expect(groups[1]!.sd.ice_pct).toBeCloseTo(Math.sqrt(7), 3);
    expect(docs[5].groups).toEqual(groups);
    expect(docs[0].assumptions.group_rule).toMatch(/--group-by/);
  });

  it('the --stats table fits 80 columns and has the mean and sd rows', () => {
    const r = hcarb(['summary', ...files, '--masses', masses, '--stats', '--format', 'table', '--jobs', '1'], { env: { COLUMNS: '80' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').every((l) => [...l].length <= 80)).toBe(true);
    expect(r.stdout).toMatch(/│ HC1200 \(mean\) │ 3 │ +82\.00 │ +370\.0 │ +303\.3 │/);
    expect(r.stdout).toMatch(/│ HC1400 \(sd\) +│ 3 │ +2\.65 │ +10\.0 │ +17\.2 │/);
  });
});

describe('sanity warnings through the CLI', () => {
  const area12 = Math.PI * 0.36;

  it('--first charge on the anode sample warns "is --first right?" (ice, cycles, summary); --first discharge does not', () => {
    for (const cmd of ['ice', 'cycles', 'summary']) {
      const r = hcarb([cmd, SAMPLE, '--first', 'charge', '--format', 'csv']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr, cmd).toMatch(/warning: cycle 1: (ICE|CE) 103\.9 % is above 100 %.*is --first right\?/);
    }
    expect(hcarb(['ice', SAMPLE, '--format', 'csv']).stderr).not.toMatch(/--first right/);
  });

  it('--mass equal to the loading × area (the file holds the true 4.298 mg, the user types the paper\'s loading 3.8) warns "did you mean --loading?"', () => {
    const f = join(dir, 'loading.csv');
    writeFileSync(f, encodeLines(landLines(hardCarbonPlan({ cycles: 2, massMg: Number((3.8 * area12).toPrecision(6)) }).plan)));
    const r = hcarb(['ice', f, '--mass', '3.8', '--format', 'csv']);
    expect(r.stderr).toMatch(/the mass given \(3\.8 mg\) equals the file's mass \(4\.298 mg\) ÷ the electrode area \(1\.131 cm²\).*did you mean --loading 3\.8\?/);
    // …and the other way round on the sample (its cycler mass 3.8 mg): --mass 4.298 = 3.8 × 1.131.
    const s = hcarb(['cycles', SAMPLE, '--mass', '4.298', '--format', 'csv']);
    expect(s.stderr).toMatch(/equals the file's mass \(3\.8 mg\) × the electrode area \(1\.131 cm²\)/);
    // With a 14 mm disc 4.298 mg is no longer the sample's mass × area: no such warning.
    expect(hcarb(['ice', SAMPLE, '--mass', '4.298', '--diameter', '14', '--format', 'csv']).stderr).not.toMatch(/electrode area/);
    expect(hcarb(['ice', SAMPLE, '--mass', '3.8', '--format', 'csv']).stderr).not.toMatch(/loading/);
  });

  it('a file cut just as a charge begins (its one record at 0 mAh): that cycle is incomplete, not a CE of 0 %', () => {
    // the hand fixture up to line 10 (record 9, the first charge record at 0 mAh), its state cell cut off
    const lines = readFileSync('test/fixtures/hand-small.csv', 'utf8').split('\n').slice(0, 10);
    lines[9] = lines[9]!.replace(/,C_CC$/, '');
    const f = join(dir, 'cut-at-charge.csv');
    writeFileSync(f, lines.join('\n'));
    const ice = hcarb(['ice', f, '--json']);
    expect(ice.code).toBe(1); // as when the file ends one line earlier, after the discharge
    expect(ice.stderr).toMatch(/cycle 1 is incomplete: the discharge at lines 4–8 has no charge after it/);
    const cyc = one(hcarb(['cycles', f, '--json']).stdout);
    expect(cyc.cycles[0].ce_pct).toBeNull();
    expect(cyc.cycles[0].q_ch_mAh).toBeNull();
    expect(cyc.warnings).toContain('the file ends as the charge of cycle 1 begins (line 10, no capacity yet): cycle 1 is taken as incomplete');
    // the sample cut on the first charge record of cycle 31 gives the retention and rate of the sample cut one line before
    const text = readFileSync(SAMPLE, 'latin1').split('\n');
    const cyc31 = (l: string) => l.split(',')[text[0]!.split(',').indexOf('Cycle-Index')] === '31';
    const at = text.findIndex((l) => cyc31(l) && /,RateC\r?$/.test(l)); // line 10489: 0.114 mA, 0 mAh
    expect(at).toBe(10488);
    expect(text[at - 1]).toMatch(/,R\r?$/);
    const cutAt = join(dir, 'cut-on-charge.csv'), cutBefore = join(dir, 'cut-before-charge.csv');
    writeFileSync(cutAt, text.slice(0, at + 1).join('\n') + '\n', 'latin1');
    writeFileSync(cutBefore, text.slice(0, at).join('\n') + '\n', 'latin1');
    for (const cmd of ['retention', 'rate', 'summary']) {
      const a = hcarb([cmd, cutAt, '--format', 'csv']).stdout.replace(/cut-on-charge/g, 'X');
      const b = hcarb([cmd, cutBefore, '--format', 'csv']).stdout.replace(/cut-before-charge/g, 'X');
      expect(a, cmd).toBe(b);
    }
    expect(hcarb(['ice', 'test/fixtures/hand-small.csv', '--format', 'csv']).stderr).not.toMatch(/no capacity/);
  });

  it('the end of cycle 2\'s discharge cut out: its CE above 100 % comes with a warning (cycles, summary); the whole sample has none', () => {
    const text = readFileSync(SAMPLE, 'latin1').split('\n');
    const head = text[0]!.split(',');
    const cyc = head.indexOf('Cycle-Index'), st = head.indexOf('Step-State');
    const d2 = text.map((l, k) => [l.split(','), k] as const).filter(([c]) => c[cyc] === '2' && /RateD/.test(c[st] ?? '')).map(([, k]) => k);
    const drop = new Set(d2.slice(Math.floor(d2.length / 2))); // the second half of cycle 2's discharge records
    const f = join(dir, 'cut-discharge-2.csv');
    writeFileSync(f, text.filter((_, k) => !drop.has(k)).join('\n'), 'latin1');
    const r = one(hcarb(['cycles', f, '--json']).stdout);
    const c2 = r.cycles.find((c: { cycle: number }) => c.cycle === 2);
    expect(c2.ce_pct).toBeGreaterThan(150); // about half the discharge left, the whole charge
    expect(r.warnings).toContainEqual(expect.stringMatching(/^cycle 2: CE \d+\.\d\d % is above 100 %: the charge passed more charge than the discharge before it; .*branch was cut short/));
    expect(hcarb(['summary', f, '--format', 'csv']).stderr).toMatch(/warning: cycle 2: CE \d+\.\d\d % is above 100 %/);
    expect(hcarb(['rate', f, '--format', 'csv']).stderr).toMatch(/warning: cycle 2: CE \d+\.\d\d % is above 100 %/); // its CE mean holds cycle 2
    expect(hcarb(['cycles', SAMPLE, '--format', 'csv']).stderr).not.toMatch(/above 100 %/);
  });

  it('more than 2000 mAh/g for a carbon is a hint; --material silicon has no limit here', () => {
    expect(hcarb(['ice', SAMPLE, '--mass', '0.38', '--format', 'csv']).stderr).toMatch(/hint: the specific capacity reaches 3733 mAh\/g \(cycle 1 discharge\), above 2000 mAh\/g/);
    expect(hcarb(['ice', SAMPLE, '--mass', '0.38', '--material', 'silicon', '--format', 'csv']).stderr).not.toMatch(/hint:/);
  });
});

describe('ice and split stop reading after the cycle they need', () => {
  const text = readFileSync(SAMPLE, 'latin1').split('\n');
  const cyc = text[0]!.split(',').indexOf('Cycle-Index');
  // Every line up to the last of instrument cycle 2 (the sample's instrument cycles begin at each discharge).
  const lastOf2 = text.map((l) => l.split(',')[cyc]).lastIndexOf('2');
  const cut = join(dir, 'cut-after-2.csv');
  writeFileSync(cut, text.slice(0, lastOf2 + 1).join('\n') + '\n', 'latin1');
  const strip = (d: Record<string, unknown>) => { const { file: _f, assumptions: _a, warnings: _w, ...rest } = d; return rest; };

  it('ice on the copy truncated after cycle 2 equals ice on the whole file (stopping early and with --full)', () => {
    const whole = one(hcarb(['ice', SAMPLE, '--json']).stdout);
    const full = one(hcarb(['ice', SAMPLE, '--full', '--json']).stdout);
    const trunc = one(hcarb(['ice', cut, '--full', '--json']).stdout);
    expect(strip(trunc)).toEqual(strip(whole));
    expect(strip(full)).toEqual(strip(whole));
    expect(whole.ice_pct).toBeCloseTo(81.81, 2);
  });

  it('the assumptions say what was read; --full reads everything and says nothing of the kind', () => {
    const early = one(hcarb(['ice', SAMPLE, '--json']).stdout);
    expect(early.assumptions.read).toMatch(/^stopped after cycle 1 was complete \(records up to line 36\d, 359 records\)/);
    expect(early.assumptions.file_wide_checks).toMatch(/cover only the records read \(--full reads the whole file\)/);
    expect(one(hcarb(['ice', SAMPLE, '--full', '--json']).stdout).assumptions.read).toBeUndefined();
  });

  it('split --cycle 2 reads up to cycle 2 and equals split on the truncated copy and with --full', () => {
    const a = one(hcarb(['split', SAMPLE, '--cycle', '2', '--json']).stdout);
    const b = one(hcarb(['split', cut, '--cycle', '2', '--full', '--json']).stdout);
    expect(strip(a)).toEqual(strip(b));
    expect(a.assumptions.read).toMatch(/^stopped after cycle 2/);
  });
});

describe('retention --ref-cycle and --at through the CLI (truth: the per-cycle capacities cycles prints)', () => {
  const rows = hcarb(['cycles', SAMPLE, '--format', 'csv', '--fields', 'cycle,q_ch_mAh_g']).stdout.trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  const qch = (n: number) => rows[n - 1]![1]!;

  it('--ref-cycle 3 --at 10,40: rows per cycle, retention = Q_ch(n) / Q_ch(3)', () => {
    const d = one(hcarb(['retention', SAMPLE, '--ref-cycle', '3', '--at', '10,40', '--json']).stdout);
    expect(d.at.map((r: { cycle: number }) => r.cycle)).toEqual([10, 40]);
    expect(d.at[1].retention_pct).toBeCloseTo(qch(40) / qch(3) * 100, 6);
    expect(d.reference_cycles).toBe('3');
    const csv = hcarb(['retention', SAMPLE, '--ref-cycle', '3', '--at', '10,40', '--format', 'csv']).stdout.trim().split('\n');
    expect(csv).toHaveLength(3);
    expect(csv[0]).toMatch(/^file,cycle,q_rev_mAh_g,q_rev_mAh,retention_pct,reference_cycles/);
  });

  it('--at without --ref-cycle refers to the mean of cycles 21–25; a cycle past the end is an error naming it', () => {
    const d = one(hcarb(['retention', SAMPLE, '--at', '40', '--json']).stdout);
    const ref = mean([21, 22, 23, 24, 25].map(qch));
    expect(d.at[0].retention_pct).toBeCloseTo(qch(40) / ref * 100, 6);
    const bad = hcarb(['retention', SAMPLE, '--at', '41']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/there is no cycle 41/);
  });
});

describe('dqdv through the CLI', () => {
  it('--cycles 1,2,10 gives both branches of each; --cycle N is a synonym; no two peaks within 3 grid steps', () => {
    const d = one(hcarb(['dqdv', SAMPLE, '--cycles', '1,2,10', '--json']).stdout);
    expect(d.branches.map((b: { cycle: number; branch: string }) => `${b.cycle}${b.branch[0]}`)).toEqual(['1d', '1c', '2d', '2c', '10d', '10c']);
    for (const b of d.branches) {
      expect(b.step_v).toBe(0.0005);
      const v = b.peaks.map((p: { peak_v: number }) => p.peak_v);
      for (let i = 0; i < v.length; i++) for (let j = i + 1; j < v.length; j++) expect(Math.abs(v[i] - v[j])).toBeGreaterThanOrEqual(3 * b.step_v - 1e-12);
    }
    const a = one(hcarb(['dqdv', SAMPLE, '--cycle', '2', '--json']).stdout);
    expect(a.branches.map((b: { cycle: number }) => b.cycle)).toEqual([2, 2]);
    expect(a.branches[0].peaks).toEqual(d.branches[2].peaks);
  });

  it('--smooth savgol:9:3 and moving:5 are stated in the assumptions; a bad --smooth is a usage error', () => {
    expect(one(hcarb(['dqdv', SAMPLE, '--smooth', 'savgol:9:3', '--json']).stdout).assumptions.smoothing).toBe('savgol:9:3');
    expect(one(hcarb(['dqdv', SAMPLE, '--smooth', 'moving:5', '--json']).stdout).assumptions.smoothing).toBe('moving:5');
    const bad = hcarb(['dqdv', SAMPLE, '--smooth', 'savgol:8']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--smooth: the Savitzky–Golay window must be an odd whole number ≥ 3/);
  });

  it('--dvdq: dV/dQ rows on a capacity grid, negative on discharge; Σ dV/dQ·ΔQ = the branch\'s voltage change in the file', () => {
    const rows = hcarb(['dqdv', SAMPLE, '--dvdq', '--cycle', '2', '--format', 'ndjson']).stdout.trim().split('\n').map((l) => JSON.parse(l));
    const dis = rows.filter((r) => r.branch === 'discharge');
    expect(dis).toHaveLength(1000);
    expect(Object.keys(dis[0])).toEqual(['file', 'cycle', 'branch', 'q_mAh_g', 'v', 'dvdq_V_mAh_g']);
    expect(dis.every((r: { dvdq_V_mAh_g: number }) => r.dvdq_V_mAh_g <= 0)).toBe(true);
    // The voltages of the first and last RateD record of instrument cycle 2, from the text.
    const text = readFileSync(SAMPLE, 'latin1').trim().split('\n').map((l) => l.split(','));
    const h = text[0]!;
    const d2 = text.filter((c) => c[h.indexOf('Cycle-Index')] === '2' && c[h.indexOf('Step-State')] === 'RateD').map((c) => Number(c[h.indexOf('Voltage/V')]));
    const dq = dis[1].q_mAh_g - dis[0].q_mAh_g;
    const sum = dis.reduce((s: number, r: { dvdq_V_mAh_g: number }) => s + r.dvdq_V_mAh_g * dq, 0);
    expect(sum).toBeCloseTo(d2[d2.length - 1]! - d2[0]!, 4);
  });
});
