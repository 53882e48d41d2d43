/**
 * All readers, and the choice among them by content. A new instrument adds its folder and one
 * line here; nothing else names an instrument.
 */
import type { Reader } from './types.js';
import { CLAIM_THRESHOLD } from './types.js';
import { newareReader } from './neware/index.js';
import { landReader } from './land/index.js';
import { chiReader } from './chi/index.js';
import { biologicReader } from './biologic/index.js';
import { gamryReader } from './gamry/index.js';
import { arbinReader } from './arbin/index.js';

export const readers: Reader[] = [landReader, chiReader, newareReader, biologicReader, gamryReader, arbinReader];

export interface Choice { reader: Reader; confidence: number; others: { name: string; confidence: number }[] }

/** The reader that claims `head` (the first SNIFF_BYTES of the file) with the highest confidence (at least CLAIM_THRESHOLD), or null. */
export function chooseReader(head: Uint8Array, name: string, list: Reader[] = readers): Choice | null {
  const scored = list.map((r) => {
    let c = 0;
    try { c = r.sniff(head, name); } catch { c = 0; }
    return { reader: r, confidence: Number.isFinite(c) ? Math.min(1, Math.max(0, c)) : 0 };
  }).sort((a, b) => b.confidence - a.confidence);
  const best = scored[0];
  if (!best || best.confidence < CLAIM_THRESHOLD) return null;
  return { reader: best.reader, confidence: best.confidence, others: scored.slice(1).map((s) => ({ name: s.reader.name, confidence: s.confidence })) };
}
