import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Input } from '../../src/io.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
export const HAVE_CORPUS = existsSync(CORPUS);
if (!HAVE_CORPUS && process.env.HCARB_REQUIRE_CORPUS) {
  // CI sets HCARB_REQUIRE_CORPUS: there a missing corpus fails the run instead of silently skipping
  // every expected number that comes from a real instrument.
  throw new Error(`HCARB_REQUIRE_CORPUS is set but ${CORPUS} is absent: the corpus tests cannot run`);
}
if (!HAVE_CORPUS) console.warn(`corpus tests skipped: ${CORPUS} is absent (it is present in CI)`);

/** An in-memory input, delivered in small chunks to exercise chunk boundaries. */
export function bytesInput(bytes: Uint8Array | string, name = 'mem.csv', chunk = 4096): Input {
  const b = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  return {
    name,
    async *chunks() { for (let i = 0; i < b.length; i += chunk) yield b.subarray(i, i + chunk); },
  };
}

export function fileInput(path: string): Input {
  return bytesInput(readFileSync(path), path, 1 << 16);
}

export interface Run { code: number | null; stdout: string; stderr: string }

/** Run the built CLI as a user would. */
export function hcarb(args: string[], opts: { input?: string | Uint8Array; env?: Record<string, string> } = {}): Run {
  const r = spawnSync(process.execPath, [ROOT + 'bin/hcarb.js', ...args], {
    cwd: ROOT, input: opts.input ?? '', encoding: 'utf8',
    env: cleanEnv(opts.env),
    maxBuffer: 64 << 20,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NO_COLOR; delete env.FORCE_COLOR;
  return { ...env, ...extra };
}

/** The single element of `hcarb … --json` for one file (JSON is always an array, one element per file). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function one(stdout: string): any {
  const v = JSON.parse(stdout) as unknown;
  if (!Array.isArray(v) || v.length !== 1) throw new Error(`expected a JSON array of one file result, got ${Array.isArray(v) ? `${v.length} elements` : typeof v}`);
  return v[0];
}

/** A small seeded generator (mulberry32) for damage tests, so a failure can be replayed. */
export function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
