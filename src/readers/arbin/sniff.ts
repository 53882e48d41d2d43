/** What kind of Arbin file a head is: light, so the registry can ask without loading the reader. */
import { xlsxSheetNames } from '../shared/zip-head.js';
import { isArbinHeader, splitName } from './columns.js';

export type ArbinKind = 'csv' | 'xlsx' | 'metadata' | 'res';

function firstLine(head: Uint8Array): string {
  let s = new TextDecoder('utf-8').decode(head.subarray(0, 8192));
  s = s.replace(/^\uFEFF/, '');
  const nl = s.indexOf('\n');
  return (nl >= 0 ? s.slice(0, nl) : s).replace(/\r$/, '');
}

export function sniffArbin(head: Uint8Array): { kind: ArbinKind; confidence: number } | null {
  if (head.length >= 20 && new TextDecoder('latin1').decode(head.subarray(4, 19)) === 'Standard Jet DB') {
    // Arbin's tables are named in the catalogue on the first pages (UCS-2).
    const l = new TextDecoder('latin1').decode(head.subarray(0, Math.min(head.length, 1 << 18)));
    return { kind: 'res', confidence: l.includes('C\0h\0a\0n\0n\0e\0l\0_\0N\0o\0r\0m\0a\0l\0') || l.includes('Channel_Normal') ? 0.9 : 0.6 };
  }
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    const sheets = xlsxSheetNames(head);
    if (sheets && sheets.some((s) => /^Channel_\d+/i.test(s)) && sheets.some((s) => /^(Global_Info|Info|Statistics_)/i.test(s))) return { kind: 'xlsx', confidence: 0.9 };
    return null;
  }
  if (head.subarray(0, 4096).includes(0)) return null;
  const cells = firstLine(head).split(',');
  if (isArbinHeader(cells)) return { kind: 'csv', confidence: splitName(cells[0]!).key === 'data_point' ? 0.9 : 0.8 };
  const keys = new Set(cells.map((c) => c.trim().toLowerCase()));
  if (keys.has('test_id') && keys.has('schedule_file_name') && keys.has('first_start_datetime')) return { kind: 'metadata', confidence: 0.8 };
  return null;
}

/** The reader's claim on a head, as `Reader.sniff` and the registry ask it (0 … 1). */
export const arbinClaim = (head: Uint8Array): number => sniffArbin(head)?.confidence ?? 0;
