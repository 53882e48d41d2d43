/**
 * The reader interface: one per instrument, each in its own folder under src/readers/, found by
 * content through the registry (src/readers/registry.ts). Commands and analysis see only this.
 */
import type { Input } from '../io.js';
import type { CyclerRecord, SourceInfo } from '../types.js';

export interface ReadResult {
  /**
   * What the reader learned about the file. Filled as the records stream: counts, notes and
   * warnings are final once `batches` has been read to its end.
   */
  info: SourceInfo;
  /** The canonical records, in file order, in batches (each batch may be kept by the consumer). */
  batches: AsyncIterable<CyclerRecord[]>;
}

/** What a command may tell a reader (most readers need nothing). */
export interface ReadOptions {
  /** CHI Multi-Current Steps: the file writes cathodic current positive (--current-sign). */
  cathodicPositive?: boolean;
}

export interface Reader {
  /** Short name used in messages and by `inspect` (`neware`, `land`, `chi`). */
  name: string;
  /**
   * How sure the reader is that it can read a file that begins with `head` (the first
   * SNIFF_BYTES of the file, or all of it when shorter): 0 = not mine, 1 = certainly mine. Decided
   * by content; `name` (the path as given) may only break ties. Must not throw.
   */
  sniff(head: Uint8Array, name: string): number;
  /** Read the whole input. Throws DataError (file, line/sheet where known) on unusable data. */
  read(input: Input, options?: ReadOptions): Promise<ReadResult>;
}

/**
 * How much of the start of a file `sniff` is given: a legacy workbook's sheet names can lie tens of
 * KB into the file (14 KB in the BTS 7 corpus file).
 */
export const SNIFF_BYTES = 1 << 18;

/** What `sniff` results mean: below this the reader does not claim the file. */
export const CLAIM_THRESHOLD = 0.5;
