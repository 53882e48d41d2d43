/**
 * All readers, and the choice among them by content. A new instrument adds its folder (with a light
 * `sniff` the registry can call without loading the reader) and one line here; nothing else names
 * an instrument. Only the chosen reader is loaded: a LAND export does not load the Neware, BioLogic,
 * Gamry or Arbin readers.
 */
import type { Reader } from './types.js';
import { CLAIM_THRESHOLD } from './types.js';
import { landReader, sniffLand } from './land/index.js';
import { sniffChi } from './chi/chi.js';
import { newareClaim } from './neware/sniff.js';
import { biologicClaim } from './biologic/sniff.js';
import { sniffGamry } from './gamry/sniff.js';
import { arbinClaim } from './arbin/sniff.js';

/** What the registry knows of a reader before loading it. */
export interface Sniffer {
  name: string;
  /** As Reader.sniff: 0 = not mine … 1 = certainly mine; must not throw. */
  sniff(head: Uint8Array, name: string): number;
}

export interface ReaderEntry extends Sniffer {
  /** The reader itself, loaded on first use. */
  load(): Promise<Reader>;
}

export const readers: ReaderEntry[] = [
  { name: 'land', sniff: sniffLand, load: async () => landReader },
  { name: 'chi', sniff: sniffChi, load: async () => (await import('./chi/index.js')).chiReader },
  { name: 'neware', sniff: newareClaim, load: async () => (await import('./neware/index.js')).newareReader },
  { name: 'biologic', sniff: biologicClaim, load: async () => (await import('./biologic/index.js')).biologicReader },
  { name: 'gamry', sniff: sniffGamry, load: async () => (await import('./gamry/index.js')).gamryReader },
  { name: 'arbin', sniff: arbinClaim, load: async () => (await import('./arbin/index.js')).arbinReader },
];

export interface Choice<T extends Sniffer = ReaderEntry> { reader: T; confidence: number; others: { name: string; confidence: number }[] }

/** The reader that claims `head` (the first SNIFF_BYTES of the file) with the highest confidence (at least CLAIM_THRESHOLD), or null. */
export function chooseReader(head: Uint8Array, name: string): Choice | null;
export function chooseReader<T extends Sniffer>(head: Uint8Array, name: string, list: T[]): Choice<T> | null;
export function chooseReader(head: Uint8Array, name: string, list: Sniffer[] = readers): Choice<Sniffer> | null {
  const scored = list.map((r) => {
    let c = 0;
    try { c = r.sniff(head, name); } catch { c = 0; }
    return { reader: r, confidence: Number.isFinite(c) ? Math.min(1, Math.max(0, c)) : 0 };
  }).sort((a, b) => b.confidence - a.confidence);
  const best = scored[0];
  if (!best || best.confidence < CLAIM_THRESHOLD) return null;
  return { reader: best.reader, confidence: best.confidence, others: scored.slice(1).map((s) => ({ name: s.reader.name, confidence: s.confidence })) };
}
