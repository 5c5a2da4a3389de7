/**
 * Dataset import, the reading side: local file → preview → columns of Float64Array.
 *
 * Formats: delimited text (comma, semicolon, tab, pipe; quoted fields; decimal comma; with or without
 * header; gzip), Parquet, JSON (an array of records) and NDJSON. Anything else is refused as
 * 'unsupported' with a sentence saying what to do.
 *
 * Conventions:
 * - Timestamps without a zone are UTC (NAB's local times included, read the same way by readNabLabels).
 *   A column mixing zoned and zone-less timestamps is refused. Zones are judged on the sampled first rows
 *   (up to 5,000); for delimited text, a zone offset first appearing further down is not detected.
 * - Missing values are NaN. Labels (`Label`, `is_anomaly`, ...: 0/1) become half-open row intervals and are
 *   not value series; `is_ignored` and a leading 0,1,2... index column are ignored.
 * - Unsorted or duplicate timestamps are refused unless the options choose how to handle them.
 * - A value column with no value at all is kept (all NaN) with a warning; if every value column is
 *   empty the import is refused.
 */
export type {
  ColumnInfo,
  ColumnRole,
  Compression,
  DatasetPreview,
  FileFormat,
  ImportedColumn,
  ImportedTable,
  PreviewOptions,
  ReadOptions,
  ReadProgress,
  TimeFormat,
} from './types';
export { previewFile } from './preview';
export { readFile } from './read';
export { readNabLabels } from './nab';
export { hashFile } from './hash';
export { assertInsideRoots } from './paths';
export { labelRuns } from './timeline';
