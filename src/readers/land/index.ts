/**
 * The LAND reader: LANDdt / LANHE record exports as text (.csv, .txt, any dialect the scanner
 * knows) and workbooks (.xlsx, and legacy .xls / BIFF8 through src/readers/shared/xls.ts). Its
 * parsers are in this folder (text: fast.ts + land.ts, workbook: workbook.ts); this is their face
 * behind the reader interface.
 */
import { DataError } from '../../errors.js';
import type { Input } from '../../io.js';
import { openLand, sniffKind } from '../../load.js';
import { looksLikeChi } from '../chi/chi.js';
import { sheetNamesInHead } from '../shared/xls.js';
import type { Reader, ReadResult } from '../types.js';
import { xlsxSheetNames } from '../shared/zip-head.js';

/** Header names only a LAND export writes (English and Chinese), as bytes in the file's head. */
const LAND_MARKS = ['Record-Tab', 'Cycle-Tab', 'Step-Tab', 'SpeCap', 'TestTime', 'StepTime', 'Step-State', 'Cycle-Index', 'Record,', 'Record\t', 'DefaultGroup', '记录', '测试时间', '电压', '容量'];

function latin1(b: Uint8Array): string {
  return new TextDecoder('latin1').decode(b);
}

/** Sheet names LAND gives its record and cycle tables, with numbered continuation sheets. */
const LAND_SHEET = /^(record-tab|cycle-tab|step-tab|record|记录表|记录层|循环层|循环表|工步层)(\s*[-_ ]?\s*(\(\d+\)|\d+))?$/i;

/**
 * 0.9 for a head that names LAND columns or sheets (for a legacy .xls: a sheet named `Record-Tab`,
 * `Cycle-Tab`, `Record`, `Record1`, `记录表` … among the sheet names its BOUNDSHEET records
 * declare); 0.6 for an .xlsx (its sheet names are compressed); 0.3 for other text and other
 * compound files, below a claim: such a file still goes to the LAND reader as the fallback (the
 * registry says so), for it finds a record header by content anywhere and its messages say what is
 * missing.
 */
export function sniffLand(head: Uint8Array): number {
  const kind = sniffKind(head.subarray(0, 8));
  if (kind === 'empty') return 0.3;
  if (kind === 'ole') return sheetNamesInHead(head).some((n) => LAND_SHEET.test(n.trim())) ? 0.9 : 0.3;
  const utf8 = new TextDecoder('utf-8').decode(head.subarray(0, 1 << 16));
  const text = latin1(head.subarray(0, 1 << 16)) + utf8 + new TextDecoder('utf-16le').decode(head.subarray(0, 1 << 16));
  if (kind === 'zip') {
    if (!text.includes('xl/')) return 0.3;
    // The sheet names sit compressed in xl/workbook.xml: read them when it is in the head.
    const sheets = xlsxSheetNames(head);
    if (sheets?.some((n) => /^(record-tab|cycle-tab|step-tab|record\d*|记录表|记录层|defaultgroup)/i.test(n.trim()))) return 0.9;
    return LAND_MARKS.some((m) => text.includes(m)) ? 0.9 : 0.3;
  }
  if (looksLikeChi(latin1(head.subarray(0, 4096)))) return 0;
  return LAND_MARKS.some((m) => text.includes(m)) ? 0.9 : 0.3;
}

export const landReader: Reader = {
  name: 'land',
  sniff: (head) => sniffLand(head),
  async read(input: Input): Promise<ReadResult> {
    const o = await openLand(input);
    o.info.instrument = 'LAND';
    return { info: o.info, batches: o.records };
  },
};

export { DataError };
