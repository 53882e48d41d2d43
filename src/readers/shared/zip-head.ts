/** What the first bytes of a zip (an .xlsx) tell without reading the whole file: shared by the readers' sniffs. */
import { createRequire } from 'node:module';
import type * as Fflate from 'fflate';

// fflate is loaded only when a zip's workbook part has to be inflated (the sniff of every file would
// otherwise compile it at start).
const require = createRequire(import.meta.url);
const inflateSync = (b: Uint8Array): Uint8Array => (require('fflate') as typeof Fflate).inflateSync(b);

/** The sheet names of an xlsx, when its workbook part lies in `head` (it does in Excel and Arbin files). */
export function xlsxSheetNames(head: Uint8Array): string[] | null {
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let p = 0;
  while (p + 30 <= head.length && dv.getUint32(p, true) === 0x04034b50) {
    const flags = dv.getUint16(p + 6, true), method = dv.getUint16(p + 8, true);
    const csize = dv.getUint32(p + 18, true), nlen = dv.getUint16(p + 26, true), xlen = dv.getUint16(p + 28, true);
    const name = new TextDecoder().decode(head.subarray(p + 30, p + 30 + nlen));
    const start = p + 30 + nlen + xlen;
    if (flags & 8 || csize === 0xffffffff) return null; // sizes after the data: cannot walk on
    if (name === 'xl/workbook.xml') {
      if (start + csize > head.length) return null;
      let xml: string;
      try { xml = new TextDecoder().decode(method === 0 ? head.subarray(start, start + csize) : inflateSync(head.subarray(start, start + csize))); } catch { return null; }
      return [...xml.matchAll(/<(?:\w+:)?sheet\b[^>]*\bname="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    }
    p = start + csize;
  }
  return null;
}
