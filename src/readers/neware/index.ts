/**
 * The Neware reader: BTSDA CSV exports (flat and cycle/step/record), BTS 7 `.xls` workbooks,
 * `.ndax` (BTS 8+) and `.nda` (BTS 7/9) binary files. Which one a file is, is decided by content.
 *
 * Conventions of the records (all formats):
 * - currentMA: discharge negative (a discharge step written with a positive current is negated);
 * - capacityMAh: positive, as the cycler counts it: from zero at the start of each step;
 * - stateKind: from the step type (CC_Chg, CC_DChg, CCCV_Chg, Rest, 恒流充电 …; numeric codes
 *   in binary files), null for steps that are neither (then the current's sign decides);
 * - cycleIndex: the cycler's own cycle number; stepIndex: the program step (Step Index) or, where
 *   the file has only that, the step count;
 * - line: the text line (CSV), the row of its sheet (.xls) or the cycler's record index (binary).
 */
import { DataError } from '../../errors.js';
import { collect, type Input } from '../../io.js';
import type { CyclerRecord, SourceInfo } from '../../types.js';
import { SNIFF_BYTES, type Reader, type ReadResult } from '../types.js';
import { takeHead } from '../shared/decode.js';
import { readBtsdaText } from './text.js';
import { readNda } from './nda.js';
import { newareClaim, sniffNeware, type NewareKind } from './sniff.js';

export { sniffNeware, type NewareKind };

/** Largest binary file (.nda, .ndax, .xls) read: they are read whole. */
export const MAX_BINARY_BYTES = 2 * 1024 ** 3 - 1;





export function newareSourceInfo(source: string): SourceInfo {
  return { source, instrument: 'Neware', layout: 'unknown', columns: [], ignoredColumns: [], records: 0, skipped: [], skippedCount: 0, notes: [], warnings: [] };
}

async function* fromSync(gen: () => Generator<CyclerRecord[]>): AsyncGenerator<CyclerRecord[]> {
  yield* gen();
}

export async function readNeware(input: Input): Promise<ReadResult> {
  const it = input.chunks()[Symbol.asyncIterator]();
  const { head, done } = await takeHead(it, SNIFF_BYTES);
  const info = newareSourceInfo(input.name);
  if (head.length === 0) throw new DataError('the file is empty', { file: input.name, line: 1 });
  async function* all(): AsyncGenerator<Uint8Array> {
    yield head;
    if (done) return;
    for (;;) { const r = await it.next(); if (r.done) return; yield r.value; }
  }
  const kind = sniffNeware(head);
  if (!kind) {
    await it.return?.();
    throw new DataError('not a Neware file: expected a BTSDA .csv export (DataPoint, Step Type, Current(…), Voltage(…) …), a BTS 7 .xls workbook (Detail sheets), an .ndax or an .nda file', { file: input.name, line: 1 });
  }
  if (kind.kind === 'csv') return { info, batches: readBtsdaText(all(), input.name, info) };
  const tooBig = (): DataError => new DataError(`larger than ${MAX_BINARY_BYTES >> 20} MB: too large to read whole`, { file: input.name });
  const bytes = await collect(all(), MAX_BINARY_BYTES, tooBig);
  // The .ndax (zip) and BTS 7 (workbook) readers load only for their files.
  const gen = kind.kind === 'nda' ? () => readNda(bytes, input.name, info)
    : kind.kind === 'ndax' ? await import('./ndax.js').then(({ readNdax }) => () => readNdax(bytes, input.name, info))
      : await import('./bts7.js').then(({ readBts7Xls }) => () => readBts7Xls(bytes, input.name, info));
  return { info, batches: fromSync(gen) };
}

export const newareReader: Reader = {
  name: 'neware',
  sniff: (head) => newareClaim(head),
  read: readNeware,
};
