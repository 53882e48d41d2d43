/**
 * What both BioLogic files (.mpt text, .mpr binary) are read into before the canonical shapes:
 * the technique and the columns under their EC-Lab names (`time/s`, `Ewe/V`, `Q charge/discharge/mA.h`),
 * column-major. The .mpr reader names its columns as the .mpt export does, so everything after
 * this point is shared and a run reads the same from either file.
 */
export interface BioParam { key: string; value: string; line: number }

export interface BioTable {
  source: string;
  format: 'mpt' | 'mpr';
  /** The technique as EC-Lab names it (`Chronopotentiometry`), or '' when the file does not say. */
  technique: string;
  /** Column names as EC-Lab writes them in the .mpt header. */
  names: string[];
  /** Column-major values. */
  data: Float64Array[];
  /** Per row: the text line (.mpt) or the 1-based point number (.mpr). */
  lines: Uint32Array;
  /** Header `Key : value` lines and technique parameters (first sequence). */
  params: BioParam[];
  /** `Acquisition started on` as ISO local time, when known. */
  acquisitionStart: string | null;
  headerLine: number;
  encoding: string;
  decimalComma: boolean;
  notes: string[];
  warnings: string[];
  /** .mpr only: the layout of the data module (`v2`, `v3`, `11.50`). */
  layout?: string;
  /** .mpr only: the column IDs of the data module, in file order. */
  columnIds?: number[];
}

export function col(t: BioTable, ...names: string[]): Float64Array | undefined {
  for (const n of names) {
    const i = t.names.indexOf(n);
    if (i >= 0) return t.data[i];
  }
  return undefined;
}

/** OLE automation date (days since 1899-12-30, local wall time) → `YYYY-MM-DDTHH:MM:SS`. */
export function oleDate(days: number): string | null {
  if (!Number.isFinite(days) || days < 20000 || days > 80000) return null;
  const ms = Math.round((days - 25569) * 86400000);
  return new Date(ms).toISOString().slice(0, 19);
}
