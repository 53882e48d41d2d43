/**
 * The output contract (issue 13): one JSON shape whatever the number of files, --fields on every
 * command, tables that fit the terminal with one number format per column, the examples in --help
 * that use jq actually run, completions, the man page, and the documents made from the command
 * definitions (README table, JSON schemas) up to date.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, hcarb } from './helpers/io.js';
import { COMMANDS } from '../src/commands/index.js';
import { readmeTable, jsonSchema } from '../src/commands/docs.js';
import { COMMAND_NAMES } from '../src/commands/list.js';
import { delimitedCell, delimitedLine } from '../src/output/format.js';

const T = 'samples/npnhc-t1200.csv', G = 'samples/npnhc-gitt.csv', CV = 'samples/npnhc-cv-0.5mVs.txt', EIS = 'samples/npnhc-eis.txt';

/** Each command with one file and with two, as a user would run it on the bundled samples. */
const RUNS: Record<string, { one: string[]; two: string[] }> = {
  ice: { one: [T], two: [T, G] },
  cycles: { one: [T], two: [T, G] },
  split: { one: [T], two: [T, G] },
  retention: { one: [T], two: [T, T] },
  rate: { one: [T], two: [T, T] },
  summary: { one: [T], two: [T, G] },
  gitt: { one: [G, '--mass', '3.8'], two: [G, G, '--mass', '3.8'] },
  cv: { one: [CV], two: [CV, CV] },
  eis: { one: [EIS], two: [EIS, EIS] },
  dqdv: { one: [T], two: [T, G] },
  inspect: { one: [T], two: [T, EIS] },
};

// Commands with the shared output options (records streams its own CSV/TSV/NDJSON: test/records.test.ts).
const DATA_COMMANDS = COMMANDS.filter((c) => c.fields.length && c.takes.output !== false);

describe('one JSON shape', () => {
  it('covers every command that writes results', () => {
    expect(Object.keys(RUNS).sort()).toEqual(DATA_COMMANDS.map((c) => c.name).sort());
  });

  for (const [name, run] of Object.entries(RUNS)) {
    it(`${name}: an array with one element per file, the same keys for one file and for two`, () => {
      const a = hcarb([name, ...run.one, '--json']);
      const b = hcarb([name, ...run.two, '--json']);
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      const ja = JSON.parse(a.stdout) as Record<string, unknown>[], jb = JSON.parse(b.stdout) as Record<string, unknown>[];
      expect(Array.isArray(ja) && Array.isArray(jb)).toBe(true);
      expect(ja).toHaveLength(1);
      expect(jb).toHaveLength(2);
      if (name !== 'inspect') expect(Object.keys(jb[0]!).sort()).toEqual(Object.keys(ja[0]!).sort());
      expect(jb[0]).toEqual(ja[0]);
    });

    it(`${name}: its JSON matches docs/schema/${name}.schema.json (every key declared)`, () => {
      const schema = JSON.parse(readFileSync(join(ROOT, `docs/schema/${name}.schema.json`), 'utf8')) as { items: { properties: Record<string, unknown>; required: string[] } };
      for (const el of JSON.parse(hcarb([name, ...run.two, '--json']).stdout) as Record<string, unknown>[]) {
        const undeclared = Object.keys(el).filter((k) => !(k in schema.items.properties));
        expect(undeclared, `keys of hcarb ${name} --json missing from its schema`).toEqual([]);
        for (const k of schema.items.required) expect(el).toHaveProperty(k);
      }
      const rows = hcarb([name, ...run.two, '--format', 'ndjson']).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      const keys = new Set(DATA_COMMANDS.find((c) => c.name === name)!.fields.map((f) => f.key));
      for (const r of rows) expect(Object.keys(r).filter((k) => !keys.has(k)), `row keys of hcarb ${name} not declared in its fields`).toEqual([]);
    });
  }

  it('the committed schemas and the README command table are what the definitions make', () => {
    for (const c of DATA_COMMANDS) expect(JSON.parse(readFileSync(join(ROOT, `docs/schema/${c.name}.schema.json`), 'utf8'))).toEqual(jsonSchema(c));
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`<!-- commands:start -->\n${readmeTable(COMMANDS)}\n<!-- commands:end -->`);
  });
});

describe('--help examples that use jq run on the bundled samples', () => {
  const jq = spawnSync('jq', ['--version']).status === 0;
  const bin = mkdtempSync(join(tmpdir(), 'hcarb-bin-'));
  writeFileSync(join(bin, 'hcarb'), `#!/bin/sh\nexec "${process.execPath}" "${ROOT}bin/hcarb.js" "$@"\n`);
  chmodSync(join(bin, 'hcarb'), 0o755);
  const examples = COMMANDS.flatMap((c) => c.examples.filter((e) => e.includes('| jq')).map((e) => [c.name, e] as const));
  it('there are such examples', () => expect(examples.length).toBeGreaterThanOrEqual(8));
  for (const [name, ex] of examples) {
    it.skipIf(!jq)(`${name}: ${ex}`, () => {
      const r = spawnSync('bash', ['-o', 'pipefail', '-c', ex], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.trim()).not.toBe('');
      expect(r.stdout).not.toMatch(/^null$/m);
    });
  }
  if (!jq) it.skip('jq is not installed: the jq examples were not run', () => undefined);
});

describe('--fields, TSV and --no-header', () => {
  for (const c of DATA_COMMANDS) {
    it(`${c.name}: --fields picks and orders columns; an unknown key is a usage error listing the keys`, () => {
      const run = RUNS[c.name]!;
      const nd = hcarb([c.name, ...run.one, '--format', 'ndjson']).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      const present = Object.keys(nd[0]!).filter((k) => k !== 'file');
      const pick = [present[present.length - 1]!, 'file'];
      const csv = hcarb([c.name, ...run.one, '--format', 'csv', '--fields', pick.join(',')]);
      expect(csv.code, csv.stderr).toBe(0);
      expect(csv.stdout.split('\n')[0]).toBe(pick.join(','));
      const bad = hcarb([c.name, ...run.one, '--fields', 'file,no_such_key']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(new RegExp(`^hcarb: --fields: no key 'no_such_key' in hcarb ${c.name}; the keys are file, `));
      const help = hcarb([c.name, '--fields', 'help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Keys of hcarb ${c.name}`);
    });
  }

  it('TSV: the same cells as CSV, tab-separated; --no-header drops the header line only', () => {
    const csv = hcarb(['cycles', T, '--format', 'csv', '--fields', 'cycle,q_ch_mAh_g,ce_pct']).stdout.trim().split('\n');
    const tsv = hcarb(['cycles', T, '--format', 'tsv', '--fields', 'cycle,q_ch_mAh_g,ce_pct']).stdout.trim().split('\n');
    const bare = hcarb(['cycles', T, '--format', 'tsv', '--fields', 'cycle,q_ch_mAh_g,ce_pct', '--no-header']).stdout.trim().split('\n');
    expect(tsv).toEqual(csv.map((l) => l.replace(/,/g, '\t')));
    expect(tsv[0]).toBe('cycle\tq_ch_mAh_g\tce_pct');
    expect(tsv[1]).toBe('1\t305.39673\t81.81'); // 1.160507574 mAh / 3.8 mg; 1.160507574 / 1.41854 (the file's own SpeCap and Capacity)
    expect(bare).toEqual(tsv.slice(1));
  });

  it('NDJSON with --fields has exactly those keys, in that order', () => {
    const rows = hcarb(['cycles', T, '--format', 'ndjson', '--fields', 'ce_pct,cycle']).stdout.trim().split('\n');
    expect(rows[0]).toBe('{"ce_pct":81.81,"cycle":1}');
  });

  it('CSV of a LAND and a CHI file keeps both instruments\' keys; nested values are JSON text', () => {
    const r = hcarb(['inspect', T, EIS, '--format', 'csv']);
    const [head, land, chi] = r.stdout.trim().split('\n');
    const keys = head!.split(',');
    for (const k of ['layout', 'records', 'cycles', 'technique', 'parameters', 'points']) expect(keys).toContain(k);
    expect(land).toContain('""header"":""Current/mA""');
    expect(chi).toContain('A.C. Impedance');
  });
});

/** The cells of a box-drawn table's body, by column. */
function columns(text: string): string[][] {
  const body = text.split('\n').filter((l) => l.startsWith('│'));
  const cells = body.map((l) => l.split('│').slice(1, -1).map((c) => c.trim()));
  return cells[0]!.map((_, j) => cells.slice(1).map((r) => r[j]!));
}

describe('CSV and TSV cells', () => {
  // RFC 4180 by hand: a cell is quoted when it holds a comma, a quote or a line break, quotes doubled.
  it('quotes exactly the cells that need it', () => {
    expect(delimitedCell('0.1 V', 'csv')).toBe('0.1 V');
    expect(delimitedCell('a,b', 'csv')).toBe('"a,b"');
    expect(delimitedCell('say "hi"', 'csv')).toBe('"say ""hi"""');
    expect(delimitedCell('two\nlines', 'csv')).toBe('"two\nlines"');
    expect(delimitedCell(' padded', 'csv')).toBe('" padded"');
    expect(delimitedCell('', 'csv')).toBe('');
    expect(delimitedLine(['file', 'q,x', '3'], 'csv')).toBe('file,"q,x",3');
  });
  it('TSV turns tabs and line breaks into one space and never quotes', () => {
    expect(delimitedLine(['a\tb', 'c\r\nd', 'e,"f"'], 'tsv')).toBe('a b\tc d\te,"f"');
  });
});

describe('start-up loads only the command that runs', () => {
  it('the lazy list names the same commands, in the same order, as the definitions', () => {
    expect(COMMANDS.map((c) => c.name)).toEqual([...COMMAND_NAMES]);
  });
  it('hcarb ice does not load the EIS, CV, GITT or plot code, the other instruments\' readers (only their sniffers), chalk, papaparse or fflate', () => {
    // A loader hook records every module the run resolves.
    const dir = mkdtempSync(join(tmpdir(), 'hcarb-mods-'));
    writeFileSync(join(dir, 'hook.mjs'), "export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write('MODULE ' + r.url + '\\n'); return r; }\n");
    writeFileSync(join(dir, 'reg.mjs'), `import { register } from 'node:module'; register(${JSON.stringify('file://' + join(dir, 'hook.mjs'))});\n`);
    const r = spawnSync(process.execPath, ['--import', join(dir, 'reg.mjs'), join(ROOT, 'bin/hcarb.js'), 'ice', T, '--format', 'csv'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const mods = r.stderr.split('\n').filter((l) => l.startsWith('MODULE ')).map((l) => l.slice(7));
    expect(mods.some((m) => m.endsWith('/dist/commands/ice.js'))).toBe(true);
    const heavy = mods.filter((m) => /\/dist\/(analysis\/(eis|cv|gitt|dqdv)|plot\/|commands\/(eis|cv|gitt|plot|summary|report|inspect|dqdv)\b|readers\/(neware|biologic|gamry|arbin)\/(?!sniff|columns))|node_modules\/(chalk|papaparse|fflate|simple-statistics|cli-table3)\//.test(m));
    expect(heavy).toEqual([]);
    expect(r.stdout.split('\n')[0]).toMatch(/^file,cycle,q_dis_mAh_g/);
  });
});

describe('tables for people', () => {
  for (const [name, run] of Object.entries(RUNS)) {
    for (const width of [80, 200]) {
      it(`${name} at ${width} columns: no line longer, one number format per column, as checked by hand`, () => {
        const r = hcarb([name, ...run.two, '--format', 'table'], { env: { COLUMNS: String(width) } });
        expect(r.code, r.stderr).toBe(0);
        for (const l of r.stdout.split('\n')) expect([...l].length, l).toBeLessThanOrEqual(width);
        if (r.stdout.includes('│')) {
          for (const col of columns(r.stdout)) {
            const nums = col.filter((c) => /^-?\d+(\.\d+)?(e[-+]\d+)?$/.test(c));
            const decimals = new Set(nums.map((c) => (c.includes('e') ? 'e' + (c.split('e')[0]!.split('.')[1] ?? '').length : (c.split('.')[1] ?? '').length)));
            expect(decimals.size, `column ${col.join(' ')}`).toBeLessThanOrEqual(1);
          }
        }
        const golden = join(ROOT, `test/golden/${name}-${width}.txt`);
        if (!existsSync(golden) && process.env.HCARB_WRITE_GOLDEN) writeFileSync(golden, r.stdout);
        expect(r.stdout).toBe(readFileSync(golden, 'utf8'));
      });
    }
  }

  it('one file: the file is named above the table, not repeated in a column; several: by stem', () => {
    const one = hcarb(['cycles', T, '--format', 'table'], { env: { COLUMNS: '200' } }).stdout;
    expect(one.split('\n')[0]).toBe(T);
    expect(one).not.toMatch(/│ file/);
    const two = hcarb(['ice', T, G, '--format', 'table'], { env: { COLUMNS: '200' } }).stdout;
    expect(two).toMatch(/│ npnhc-t1200 +│/);
    expect(two).not.toContain('samples/');
  });

  it('--wide keeps the full table even when it does not fit', () => {
    const r = hcarb(['split', T, G, '--format', 'table', '--wide'], { env: { COLUMNS: '80' } });
    expect(r.stdout.split('\n').some((l) => [...l].length > 80)).toBe(true);
    expect(r.stdout).toContain('│');
  });

  it('the summary says why a retention cell is blank, once per file', () => {
    const r = hcarb(['summary', T, 'test/fixtures/hand-small.csv', '--format', 'table', '--mass', '3.8'], { env: { COLUMNS: '200' } });
    expect(r.stdout).toMatch(/hand-small: retention \(%\) is blank: needs 30 complete cycles for --skip 20 --window 5, the file has \d+/);
  });
});

describe('manners', () => {
  it('no arguments: short usage on stderr, exit 2', () => {
    const r = hcarb([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^usage: hcarb COMMAND/);
  });

  it("commander's own errors start with hcarb:", () => {
    for (const args of [['ice', T, '--bogus'], ['frobnicate'], ['ice', T, '--format', 'xml']]) {
      const r = hcarb(args);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(/^hcarb: /);
    }
  });

  it('--cycle 0 is refused as "≥ 1", and the cycle 1 it names works', () => {
    const r = hcarb(['split', T, '--cycle', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--cycle must be a whole number ≥ 1, not '0'/);
  });

  it('a file listed twice in --masses is an error naming both lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hcarb-m-'));
    const m = join(dir, 'm.csv');
    writeFileSync(m, 'file,mass_mg\nnpnhc-t1200.csv,3.8\nother.csv,2\nnpnhc-t1200.csv,4.1\n');
    const r = hcarb(['ice', T, '--masses', m]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`hcarb: ${m}:4: 'npnhc-t1200.csv' is listed twice, on lines 2 and 4; keep one mass per file`);
  });

  it('warnings read hcarb: FILE: warning: in every command, plot included', () => {
    const r = hcarb(['plot', 'profile', T, '--cycles', '1,99', '--out', '-']);
    expect(r.stderr).toContain(`hcarb: ${T}: warning: no cycle 99 in the file`);
  });

  it('one footer per batch when the files share their assumptions', () => {
    const r = hcarb(['ice', T, T, '--format', 'table'], { env: { COLUMNS: '200' } });
    expect(r.stdout.match(/first branch: discharge/g)).toHaveLength(1);
  });

  it('src/cli.ts stays under 150 lines', () => {
    expect(readFileSync(join(ROOT, 'src/cli.ts'), 'utf8').split('\n').length).toBeLessThan(150);
  });
});

describe('completions and the man page', () => {
  it('bash: hcarb su → summary, hcarb ice --fo → --format, plot kinds, --format choices', () => {
    const script = hcarb(['completion', 'bash']).stdout;
    const complete = (line: string) => {
      const words = line.split(' ');
      const prog = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _hcarb; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const r = spawnSync('bash', ['-c', prog], { encoding: 'utf8', cwd: ROOT });
      expect(r.stderr).toBe('');
      return r.stdout.trim().split('\n');
    };
    expect(complete('hcarb su')).toEqual(['summary']);
    expect(complete('hcarb ice --fo')).toEqual(['--format']);
    expect(complete('hcarb plot pro')).toEqual(['profile']);
    expect(complete('hcarb ice --format c')).toEqual(['csv']);
    expect(complete('hcarb completion ')).toEqual(['bash', 'zsh', 'fish']);
  });

  it('zsh and fish scripts are made (fish names every command)', () => {
    expect(hcarb(['completion', 'zsh']).stdout).toContain('bashcompinit');
    const fish = hcarb(['completion', 'fish']).stdout;
    for (const c of COMMANDS) expect(fish).toContain(`-a ${c.name} `);
    expect(hcarb(['completion', 'tcsh']).code).toBe(2);
  });

  const man = spawnSync('man', ['--version']).status === 0;
  it.skipIf(!man)('man ./man/hcarb.1 renders without warnings and names every command', () => {
    const r = spawnSync('man', ['--warnings', '-l', join(ROOT, 'man/hcarb.1')], { encoding: 'utf8', env: { ...process.env, MANWIDTH: '80', MAN_KEEP_FORMATTING: '' } });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    for (const c of COMMANDS) expect(r.stdout).toContain(`hcarb ${c.name}`);
  });
});
