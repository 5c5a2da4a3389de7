/** Dataset import types shared by the backend reader, the contract and the renderer. */
import type { Interval } from './domain';
import type { DateOrder } from './lists';

export type FileFormat = 'csv' | 'parquet' | 'json' | 'ndjson';
export type Compression = 'none' | 'gzip';
export type ColumnRole = 'time' | 'value' | 'label' | 'ignore';

/**
 * How the time column is read. Timestamps without a zone are taken as UTC (also NAB's local times, so
 * their label windows, read the same way by `readNabLabels`, map to the right rows).
 * 'iso8601' | 'epoch_s' | 'epoch_ms' | a strptime pattern such as '%d/%m/%Y %H:%M'.
 */
export type TimeFormat = string;

export interface ColumnInfo {
  name: string;
  index: number;
  /** detected DuckDB type, e.g. DOUBLE, BIGINT, TIMESTAMP, TIMESTAMP WITH TIME ZONE, VARCHAR */
  duckdbType: string;
  role: ColumnRole;
  /** share of the sampled non-empty cells that read as numbers (text columns only) */
  numericShare?: number;
}

export interface PreviewOptions {
  format?: FileFormat;
  delimiter?: string;
  header?: boolean;
  decimalComma?: boolean;
  /** undefined: detect; null: no time column (the row index is the time axis) */
  timeColumn?: string | null;
  timeFormat?: TimeFormat | null;
  /** how to read dates like 03/04/2024 when the data cannot decide (required then; ignored otherwise) */
  dateOrder?: DateOrder;
  /** IANA zone of zone-less local timestamps: converted to UTC, a repeated hour resolved by row order */
  timeZone?: string;
  valueColumns?: string[];
  /** undefined: detect; null: no label column */
  labelColumn?: string | null;
  /** longest line accepted in delimited text, in bytes (default 2,000,000, DuckDB's own default) */
  maxLineBytes?: number;
}

export interface DatasetPreview {
  path: string;
  format: FileFormat;
  compression: Compression;
  delimiter?: string;
  header?: boolean;
  decimalComma?: boolean;
  columns: ColumnInfo[];
  timeColumn: string | null;
  timeFormat: TimeFormat | null;
  valueColumns: string[];
  labelColumn: string | null;
  /** first rows as display values */
  rows: (string | number | null)[][];
  rowCountEstimate: number;
  sizeBytes: number;
  warnings: string[];
  /** when the dates read day first and month first alike: the two formats; the import needs dateOrder */
  dateOrderChoice?: { column: string; example: string; dayFirst: TimeFormat; monthFirst: TimeFormat };
}

export interface ReadProgress {
  rows: number;
  bytes: number;
  fraction: number;
}

export interface ReadOptions extends PreviewOptions {
  /** default 'error'; 'keep' keeps every row (the time axis then repeats values), with a warning */
  duplicateTimestamps?: 'error' | 'keep-first' | 'mean' | 'keep';
  /** default 'error'; 'keep' keeps file order (the time axis is then not monotonic), with a warning */
  unsortedTimestamps?: 'error' | 'sort' | 'keep';
  progress?: (p: ReadProgress) => void;
  signal?: AbortSignal;
}

export interface ImportedColumn {
  name: string;
  /** NaN = missing */
  values: Float64Array;
}

export interface ImportedTable {
  sourcePath: string;
  sourceSize: number;
  /** sha256 hex of the file bytes */
  sourceHash: string;
  name: string;
  /** epoch ms per row; null = the row index is the time axis */
  time: Float64Array | null;
  columns: ImportedColumn[];
  /** runs of non-zero label values as half-open row intervals */
  labels: { column: string; intervals: Interval[] } | null;
  warnings: string[];
}
