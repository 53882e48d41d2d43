/** Whether a file is a Gamry .DTA, from its first bytes: light, so the registry can ask without loading the reader. */

export function looksLikeDta(text: string): boolean {
  const [l1, l2] = text.split('\n', 2);
  return (l1 ?? '').replace(/\r$/, '').trim() === 'EXPLAIN' && /^TAG\t\S/.test(l2 ?? '');
}

export function sniffGamry(head: Uint8Array): number {
  if (head.subarray(0, 1024).includes(0)) return 0;
  return looksLikeDta(new TextDecoder('latin1').decode(head.subarray(0, 256))) ? 0.95 : 0;
}
