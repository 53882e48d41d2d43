/**
 * Input → records: detect what a file is from its content (not its name) and hand it to the
 * right parser. Workbooks (zip) go to the LAND workbook reader, text to the LAND text parser.
 */
import { DataError } from './errors.js';
import type { Input } from './io.js';
import { prepend } from './io.js';
import { newSourceInfo } from './readers/land/land.js';
import { parseLandText } from './readers/land/fast.js';
import type { CyclerRecord, SourceInfo } from './types.js';
import { CyclingReducer, type CyclingData, type CyclingOptions } from './analysis/cycling.js';
import { collect } from './io.js';
import { sniffEncoding } from './readers/shared/decode.js';
import { looksLikeChi, parseChiText, type ChiFile } from './readers/chi/chi.js';

export const MAX_CHI_BYTES = 256 << 20;

/** Read and parse a CHI text export (these are small: read whole, under a size limit). */
export async function loadChi(input: Input): Promise<ChiFile> {
  const bytes = await collect(input.chunks(), MAX_CHI_BYTES, () => new DataError(`larger than ${MAX_CHI_BYTES >> 20} MB: not a CHI text export`, { file: input.name }));
  // Potentiostat techniques of other instruments arrive in the same shape (a ChiFile): BioLogic
  // EC-Lab (.mpt, .mpr) and Gamry (.DTA) CV and impedance files.
  const again: Input = { name: input.name, async *chunks() { yield bytes; } };
  // Their sniffers are light; a reader loads only for its own files.
  const head = bytes.subarray(0, 1 << 18);
  if ((await import('./readers/biologic/sniff.js')).sniffBiologic(head)) return (await import('./readers/biologic/index.js')).readBiologicTechnique(again);
  if ((await import('./readers/gamry/sniff.js')).sniffGamry(head)) return (await import('./readers/gamry/index.js')).readGamryTechnique(again);
  const kind = sniffKind(bytes.subarray(0, 8));
  if (kind === 'zip' || kind === 'ole') throw new DataError('this is a workbook, not a CHI text export: expected a date on line 1 and the technique on line 2 (save from the CHI software as .txt or .csv)', { file: input.name, line: 1 });
  const { encoding, bomLength } = sniffEncoding(bytes.subarray(0, 1 << 16));
  if (bytes.subarray(0, 4096).includes(0) && !encoding.startsWith('utf-16')) throw new DataError('this is a binary file (a CHI .bin?), not a text export; save it from the CHI software as .txt or .csv', { file: input.name, line: 1 });
  const text = new TextDecoder(encoding).decode(bytes.subarray(bomLength));
  return parseChiText(text, input.name, encoding);
}

export type FileKind = 'zip' | 'ole' | 'text' | 'empty';

export function sniffKind(head: Uint8Array): FileKind {
  if (head.length === 0) return 'empty';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) return 'ole';
  return 'text';
}

export interface Opened { info: SourceInfo; kind: FileKind; records: AsyncIterable<CyclerRecord[]> }

export async function openLand(input: Input): Promise<Opened> {
  const it = input.chunks()[Symbol.asyncIterator]();
  let first = await it.next();
  while (!first.done && first.value.length === 0) first = await it.next();
  const info = newSourceInfo(input.name);
  if (first.done) throw new DataError('the file is empty; export the record table from LANDdt (Record-Tab) as .csv, .txt or .xlsx', { file: input.name, line: 1 });
  const kind = sniffKind(first.value);
  const chunks = prepend(first.value, it);
  if (kind === 'ole') {
    // A legacy .xls (BIFF8) workbook: the same sheets as an .xlsx. Other compound files (BIFF5,
    // encrypted workbooks, not a workbook at all) are refused by the reader with what they are.
    const { readLandXls } = await import('./readers/land/workbook.js');
    return { info, kind, records: readLandXls(chunks, input.name, info) };
  }
  if (kind === 'zip') {
    // Loaded only for workbooks: the zip and XML code would add ~80 ms and ~10 MB to every start.
    const { readLandWorkbook } = await import('./readers/land/workbook.js');
    return { info, kind, records: readLandWorkbook(chunks, input.name, info) };
  }
  const headText = new TextDecoder('latin1').decode(first.value.subarray(0, 4096));
  if (looksLikeChi(headText)) {
    const tech = headText.split(/\r?\n/)[1]?.trim() || 'CHI';
    await it.return?.();
    throw new DataError(`this is a CHI ${tech} export, not a LAND record file; use hcarb cv or hcarb eis (hcarb inspect shows what it holds)`, { file: input.name, line: 2 });
  }
  return { info, kind, records: parseLandText(chunks, input.name, info) };
}

/**
 * Any cycler export → records: the reader is chosen by content (src/readers/registry.ts) from the
 * first SNIFF_BYTES, and `info` says which and why. The registry loads on first use (the Neware
 * and legacy-workbook code would add to every start).
 */
export async function openRecords(input: Input, options: import('./readers/types.js').ReadOptions = {}): Promise<Opened> {
  const { chooseReader } = await import('./readers/registry.js');
  const { SNIFF_BYTES } = await import('./readers/types.js');
  const { takeHead } = await import('./readers/shared/decode.js');
  const it = input.chunks()[Symbol.asyncIterator]();
  const { head, done } = await takeHead(it, SNIFF_BYTES);
  const peeked: Input = {
    name: input.name,
    chunks: () => (done ? (async function* () { if (head.length) yield head; })() : prepend(head, it)),
  };
  // No reader claims it: the LAND reader, which finds a record header anywhere and says what is
  // missing, reads it as the fallback.
  const choice = chooseReader(head, input.name);
  const reader = choice ? await choice.reader.load() : (await import('./readers/land/index.js')).landReader;
  const r = await reader.read(peeked, options);
  r.info.reader = reader.name;
  r.info.readerReason = !choice ? 'no reader recognised the content: read as a LAND-style record table (the fallback)'
    : `content sniffed: ${reader.name} ${choice.confidence.toFixed(2)}${choice.others.filter((o) => o.confidence > 0).map((o) => `, ${o.name} ${o.confidence.toFixed(2)}`).join('')}`;
  // The LAND text and workbook parsers check every number as they read it; the other readers'
  // records (binary formats above all) are checked here, so a damaged file cannot feed 1e302 mAh
  // or a NaN to the analysis.
  const records = reader.name === 'land' ? r.batches : checkedRecords(r.batches, input.name);
  return { info: r.info, kind: sniffKind(head.subarray(0, 8)), records };
}

/** Largest magnitude any canonical record value may take (mA, V, mAh, s): beyond it a file is damaged. */
const MAX_RECORD_VALUE = 1e12;

async function* checkedRecords(batches: AsyncIterable<CyclerRecord[]>, file: string): AsyncGenerator<CyclerRecord[]> {
  const bad = (name: string, v: number | null, line: number) => {
    if (v !== null && !(Math.abs(v) <= MAX_RECORD_VALUE)) throw new DataError(`${name} ${v} is not a number a cycler can record (beyond ±1e12 or not finite): the file is damaged here; export it again from the instrument software`, { file, line });
  };
  for await (const b of batches) {
    for (const r of b) {
      bad('the voltage', r.voltageV, r.line); bad('the current', r.currentMA, r.line); bad('the capacity', r.capacityMAh, r.line);
      bad('the time', r.timeS, r.line); bad('the step time', r.stepTimeS, r.line);
    }
    yield b;
  }
}

export interface Loaded { info: SourceInfo; data: CyclingData; specAllZero: boolean }

/** Open, parse and segment in one streaming pass. */
export async function loadCycling(input: Input, opts: CyclingOptions): Promise<Loaded> {
  const red = new CyclingReducer(opts);
  let info: SourceInfo | null = null;
  for (const part of input.parts ?? [input]) {
    if (red.done) break;
    const opened = await openRecords(part);
    // With opts.stopAfterCycle the reducer says when it has seen enough; leaving the loop closes
    // the parser and the file (the generators' finally blocks).
    read: for await (const batch of opened.records) {
      for (const r of batch) {
        red.push(r);
        if (red.done) break read;
      }
    }
    if (!info) info = opened.info;
    else {
      // Later parts of a joined run: their notes and warnings name the part.
      info.records += opened.info.records;
      info.skippedCount += opened.info.skippedCount;
      info.notes.push(...opened.info.notes.map((n) => `${part.name}: ${n}`));
      info.warnings.push(...opened.info.warnings.map((w) => `${part.name}: ${w}`));
    }
  }
  if (input.parts) { info!.source = input.name; info!.notes.unshift(`${input.parts.length} files joined as one run, in the order given (line numbers are those of each file)`); }
  const data = red.finish();
  if (!info) throw new DataError('no input', { file: input.name });
  if (red.unsigned) throw new DataError('the current is never negative and the file has no state column, so discharge cannot be told from charge; export the Step-State column (or a signed current)', { file: input.name, line: info.headerLine });
  if (red.specAllZero) info.notes.push('the SpeCap column is all zero (no mass was entered on the cycler): ignored');
  if (data.statedMassMg !== null) info.statedMassMg = data.statedMassMg;
  // A mass the file states in its header (Arbin's Global_Table) when the records imply none.
  else if (info.statedMassMg !== undefined && info.statedMassMg > 0) data.statedMassMg = info.statedMassMg;
  return { info, data, specAllZero: red.specAllZero };
}

/**
 * What an early stop (`stopAfterCycle`) means for the result, for its `assumptions`: null when the
 * whole file was read.
 */
export function readAssumptions(data: CyclingData): { read: string; file_wide_checks: string } | null {
  const p = data.partial;
  if (!p) return null;
  return {
    read: `stopped after cycle ${p.stoppedAfterCycle} was complete (records up to line ${p.lastLineRead}, ${data.records} records); the rest of the file was not read`,
    file_wide_checks: 'time order, voltage range, capacity column vs ∫|I|dt, current noise and the stated mass cover only the records read (--full reads the whole file)',
  };
}
