// Issue 20 point 1: the generators that make the suite's truths must not borrow the code under test.
// Reads the import lines of every file in src/generate/ and follows relative imports transitively
// (type-only imports are erased at build time and carry no code, so they are not followed): no file
// reached may lie in src/analysis/.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/io.js';

const SRC = join(ROOT, 'src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Relative module specifiers of a file's static imports/re-exports and dynamic import()s; `type` ones flagged. */
export function importsOf(text: string): { spec: string; typeOnly: boolean }[] {
  const out: { spec: string; typeOnly: boolean }[] = [];
  const stat = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (let m; (m = stat.exec(text));) out.push({ spec: m[3]!, typeOnly: Boolean(m[2]) });
  const dyn = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (let m; (m = dyn.exec(text));) out.push({ spec: m[1]!, typeOnly: false });
  return out;
}

/** A relative specifier (`./x.js`) resolved to the .ts file it names, or null for packages/builtins. */
function resolveTs(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const p = resolve(dirname(from), spec);
  for (const c of [p.replace(/\.js$/, '.ts'), p, `${p}.ts`, join(p, 'index.ts')]) if (existsSync(c) && statSync(c).isFile()) return c;
  throw new Error(`${relative(ROOT, from)}: cannot resolve ${spec}`);
}

/** Every src file reached from `start` through value imports, with the chain that reached it. */
function reach(start: string): Map<string, string[]> {
  const seen = new Map<string, string[]>([[start, [start]]]);
  const todo = [start];
  while (todo.length) {
    const f = todo.pop()!;
    for (const { spec, typeOnly } of importsOf(readFileSync(f, 'utf8'))) {
      if (typeOnly) continue;
      const t = resolveTs(f, spec);
      if (t && !seen.has(t)) { seen.set(t, [...seen.get(f)!, t]); todo.push(t); }
    }
  }
  return seen;
}

describe('import graph', () => {
  const generators = tsFiles(join(SRC, 'generate'));
  it('finds the generators and reads their imports', () => {
    expect(generators.length).toBeGreaterThanOrEqual(5);
    // the reader sees a real import (chi.ts builds spectra from eis.ts, its own element formulas)
    const chi = importsOf(readFileSync(join(SRC, 'generate', 'chi.ts'), 'utf8')).map((i) => i.spec);
    expect(chi).toContain('./eis.js');
    expect(importsOf("import type { A } from '../analysis/x.js';\nexport { b } from './b.js';\nconst m = await import('../analysis/y.js');"))
      .toEqual([{ spec: '../analysis/x.js', typeOnly: true }, { spec: './b.js', typeOnly: false }, { spec: '../analysis/y.js', typeOnly: false }]);
  });
  for (const g of generators) {
    it(`${relative(ROOT, g)} imports nothing from src/analysis/, directly or through another module`, () => {
      const direct = importsOf(readFileSync(g, 'utf8')).filter((i) => i.spec.includes('/analysis/') || /^\.\/?analysis\//.test(i.spec));
      expect(direct.map((i) => i.spec)).toEqual([]);
      const bad = [...reach(g)].filter(([f]) => f.startsWith(join(SRC, 'analysis') + '/')).map(([, chain]) => chain.map((c) => relative(ROOT, c)).join(' -> '));
      expect(bad).toEqual([]);
    });
  }
});
