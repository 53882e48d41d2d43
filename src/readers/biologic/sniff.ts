/** What an EC-Lab file is, from its first bytes: light, so the registry can ask without loading the reader. */

export const MPR_MAGIC = 'BIO-LOGIC MODULAR FILE\x1a';
export const MPT_MAGIC = /^(EC|BT)-Lab ASCII FILE\s*$/;

export function isMpr(b: Uint8Array): boolean {
  if (b.length < MPR_MAGIC.length) return false;
  for (let i = 0; i < MPR_MAGIC.length; i++) if (b[i] !== MPR_MAGIC.charCodeAt(i)) return false;
  return true;
}

export function looksLikeMpt(text: string): boolean {
  const [l1, l2] = text.split(/\r?\n/, 2);
  return !!l1 && MPT_MAGIC.test(l1) && /^Nb header lines\s*:\s*\d+/.test(l2 ?? '');
}

export function sniffBiologic(head: Uint8Array): { kind: 'mpr' | 'mpt'; confidence: number } | null {
  if (isMpr(head)) return { kind: 'mpr', confidence: 0.99 };
  const text = new TextDecoder('latin1').decode(head.subarray(0, 256));
  if (looksLikeMpt(text)) return { kind: 'mpt', confidence: 0.95 };
  return null;
}

/** The reader's claim on a head, as `Reader.sniff` and the registry ask it (0 … 1). */
export const biologicClaim = (head: Uint8Array): number => sniffBiologic(head)?.confidence ?? 0;
