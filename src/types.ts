/** Canonical shapes shared by every instrument parser and every analysis. Units are in the names. */

/** How a record was classified: discharge (current < 0 in LAND), charge, or rest. */
export type Kind = 'D' | 'C' | 'R';

/**
 * One cycler record, converted to canonical units once, at the parser.
 * Missing optional values are `null`.
 */
export interface CyclerRecord {
  /** 1-based line in the source file (text), or row in the sheet (workbook). */
  line: number;
  timeS: number | null;
  stepTimeS: number | null;
  voltageV: number;
  /** Signed as in the file: LAND writes discharge negative. */
  currentMA: number;
  /** As written: LAND's capacity is positive and accumulates within a half-cycle. */
  capacityMAh: number | null;
  specificCapacityMAhG: number | null;
  /** The instrument's own cycle number, reported as given, never used for arithmetic. */
  cycleIndex: number | null;
  stepIndex: number | null;
  /** Kind from the state / step-type column, when the file has one and the value is known. */
  stateKind: Kind | null;
  /**
   * Auxiliary channels of this record (temperature, auxiliary voltage), keyed by the names in
   * `SourceInfo.extraColumns` (units in the key: `t1_degC`, `v1_V`). Absent when the file has none.
   */
  extra?: Record<string, number | null>;
}

/** A column the parser recognised. */
export interface ColumnInfo {
  /** The header text as written. */
  header: string;
  /** 0-based position in the row. */
  index: number;
  /** Canonical field, e.g. `currentMA`. */
  canonical: string;
  /** Unit as written after the name (`mA`, `uAh`, `Sec`), or '' when none. */
  unit: string;
  /** Multiplier applied to numbers to reach the canonical unit. */
  scale: number;
}

/** What a parser learned about a file: the basis of `hcarb inspect` and of `assumptions`. */
export interface SourceInfo {
  source: string;
  instrument: 'LAND' | 'CHI' | 'Neware' | 'BioLogic' | 'Arbin' | 'Gamry' | 'unknown';
  /** The reader that read the file, and why it was chosen (its confidence and the others'). */
  reader?: string;
  readerReason?: string;
  layout: string;
  encoding?: string;
  delimiter?: string;
  decimalComma?: boolean;
  sheet?: string;
  headerLine?: number;
  columns: ColumnInfo[];
  /** Number of cells in the header row, named or not. */
  headerWidth?: number;
  /** Header cells that were not used. */
  ignoredColumns: string[];
  records: number;
  skipped: { line: number; reason: string }[];
  skippedCount: number;
  notes: string[];
  /** Problems the user must see (printed on stderr with the result). */
  warnings: string[];
  /** Mass stated by the file (from capacity / specific capacity), mg. */
  statedMassMg?: number;
  /** The instrument's own per-cycle summary, where the file has one (Cycle-Tab / cycle layer). */
  vendorCycles?: VendorCycle[];
  /** Keys of `CyclerRecord.extra` (auxiliary channels), units in the names, in file order. */
  extraColumns?: string[];
}

/** A row of the cycler's own cycle table (LAND Cycle-Tab). Capacities in mAh. */
export interface VendorCycle {
  cycle: number;
  capCMAh: number | null;
  capDMAh: number | null;
  speCapCMAhG: number | null;
  speCapDMAhG: number | null;
  efficiencyPct: number | null;
}
