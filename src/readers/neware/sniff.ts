/**
 * What kind of Neware file a head is (.nda, .ndax, BTS 7 .xls, BTSDA .csv) and its text encoding: light,
 * so the registry can ask without loading the readers.
 */
import { sniffEncoding } from '../shared/decode.js';
import { isCfb } from '../shared/cfb.js';
import { matchRecordColumns, splitHeader, type NwField } from './columns.js';

export type NewareKind = 'nda' | 'ndax' | 'xls' | 'csv';

export const RECORD_FIELDS: NwField[] = ['index', 'cycle', 'stepIndex', 'stepNumber', 'stepType', 'totalTime', 'stepTime', 'current',
  'voltage', 'capacity', 'chgCap', 'dchgCap', 'specCap', 'date', 'stepMark'];
export const CYCLE_FIELDS: NwField[] = ['cycle', 'cycChgCap', 'cycDchgCap', 'cycEff'];

const CHINESE_TOKENS = ['电流', '电压', '容量', '循环', '工步', '时间', '序号'];

export function ndaVersion(b: Uint8Array): number | null {
  if (b.length < 15) return null;
  for (let i = 0; i < 6; i++) if (b[i] !== 'NEWARE'.charCodeAt(i)) return null;
  return b[14]!;
}

/** The encoding of a Neware text export from its first bytes. */
export function sniffNewareEncoding(head: Uint8Array): { encoding: string; bomLength: number } {
  // BOMs and valid UTF-8 as every text reader decides them; only the 8-bit choice is Neware's own.
  const common = sniffEncoding(head);
  if (common.encoding !== 'gb18030') return common;
  // GB18030 when the header, read so, names columns in Chinese; else the Windows code page of
  // English BTSDA (`µ` = B5, which GB18030 would join with the next byte into a Chinese character).
  const nl = head.indexOf(0x0a);
  const firstLines = head.subarray(0, nl < 0 ? Math.min(head.length, 4096) : Math.min(head.length, nl + 4096));
  const asGb = new TextDecoder('gb18030').decode(firstLines);
  const header = asGb.split('\n').slice(0, 3).join('\n');
  if (CHINESE_TOKENS.some((t) => header.includes(t))) return { encoding: 'gb18030', bomLength: 0 };
  return { encoding: 'windows-1252', bomLength: 0 };
}

/** True when a header line names Neware record columns (used by sniff and read). */
export function isNewareRecordHeader(cells: string[]): boolean {
  const { named } = matchRecordColumns(cells, RECORD_FIELDS);
  if (!named.has('voltage') || !named.has('current')) return false;
  const names = cells.map((c) => splitHeader(c).name);
  const hasParenUnits = cells.some((c) => /\([^()]{1,12}\)\s*$/.test(c.trim()));
  const neware = names.some((n) => ['datapoint', 'step type', 'record id', 'record index', '数据序号', 'total time', '总时间'].includes(n));
  return hasParenUnits && neware;
}

/** True when the first header line is a BTSDA cycle-layer header. */
export function isNewareCycleHeader(cells: string[]): boolean {
  const { cols } = matchRecordColumns(cells, CYCLE_FIELDS);
  return !!(cols.cycle && (cols.cycChgCap || cols.cycDchgCap));
}

function latin1(b: Uint8Array): string {
  return new TextDecoder('latin1').decode(b);
}

function has(b: Uint8Array, s: string): boolean {
  const l = latin1(b);
  if (l.includes(s)) return true;
  let u = '';
  for (const ch of s) u += ch + '\0';
  return l.includes(u);
}

/** What kind of Neware file `head` begins, with a confidence; null when none. */
export function sniffNeware(head: Uint8Array): { kind: NewareKind; confidence: number } | null {
  if (ndaVersion(head) !== null) return { kind: 'nda', confidence: 0.99 };
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    const nameLen = head.length >= 30 ? head[26]! | (head[27]! << 8) : 0;
    const first = latin1(head.subarray(30, 30 + nameLen));
    const l = latin1(head.subarray(0, 1 << 16));
    if (/\.ndc$/i.test(first) || /^(EditStep|Step|TestInfo|VersionInfo)\d*\.xml$/i.test(first)) return { kind: 'ndax', confidence: 0.95 };
    if (l.includes('data.ndc') || (l.includes('TestInfo.xml') && l.includes('Step.xml'))) return { kind: 'ndax', confidence: 0.9 };
    return null;
  }
  if (isCfb(head)) {
    // The sheet names sit near the start of the workbook stream, in 8-bit or UTF-16 form.
    if (has(head, 'Detail_') && (has(head, 'Statis_') || has(head, 'Cycle_'))) return { kind: 'xls', confidence: 0.9 };
    return null;
  }
  const sample = head.subarray(0, 1 << 14);
  if (sample.subarray(0, 4096).includes(0) && !(sample[0] === 0xff && sample[1] === 0xfe) && !(sample[0] === 0xfe && sample[1] === 0xff)) return null;
  const { encoding, bomLength } = sniffNewareEncoding(sample);
  let text: string;
  try { text = new TextDecoder(encoding).decode(sample.subarray(bomLength)); } catch { return null; }
  const lines = text.split('\n', 4).map((l) => l.replace(/\r$/, '').split(','));
  if (!lines[0]) return null;
  if (isNewareRecordHeader(lines[0])) return { kind: 'csv', confidence: 0.9 };
  if (isNewareCycleHeader(lines[0]) && lines[2] && isNewareRecordHeader(lines[2])) return { kind: 'csv', confidence: 0.95 };
  return null;
}

/** The reader's claim on a head, as `Reader.sniff` and the registry ask it (0 … 1). */
export const newareClaim = (head: Uint8Array): number => sniffNeware(head)?.confidence ?? 0;
