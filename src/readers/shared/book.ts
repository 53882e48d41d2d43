/**
 * The small workbook interface the LAND workbook reader reads through: a list of named sheets and
 * each sheet's rows in batches. Both the .xlsx reader (src/readers/shared/xlsx.ts) and the legacy .xls
 * (BIFF8) reader (./xls.ts) implement it, so one sheet logic serves both formats.
 */

/** A cell: a number, a string, or absent (undefined). */
export type BookCell = number | string | undefined;

/** One sheet row: its 1-based row number as Excel shows it, and its cells by 0-based column. */
export interface BookRow { row: number; cells: BookCell[] }

export interface BookSheet { name: string }

export interface Book<S extends BookSheet = BookSheet> {
  /** The file name, for messages. */
  readonly source: string;
  /** What the container is, for `info.encoding` (e.g. `xlsx (UTF-8 XML)`). */
  readonly format: string;
  readonly sheets: readonly S[];
  /** A sheet's rows in row order, in batches (a batch may be kept by the caller). */
  batches(sheet: S): Iterable<BookRow[]>;
}
