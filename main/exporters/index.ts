/**
 * Export and exchange formats. Conventions: the workbench's intervals are half-open row ranges
 * [start, end); each format states and converts its own (NAB windows and UCR names are inclusive,
 * VLM4TS answers inclusive). Exports write to a temporary name and rename at the end, and never replace
 * an existing output without `force`. Imports check everything first and change nothing on a problem.
 */
export { EXPORTERS, EXPORT_FORMAT_IDS, exportProject, getExporter, importIntoStore, restoreBundle } from './registry';
export type { ExportFormatId } from './registry';
export type {
  Exporter,
  ExportOptions,
  ExportSummary,
  ImportOptions,
  ImportProblem,
  ImportSummary,
  LabelSelection,
  OutputKind,
  ReportMetrics,
  RowRange,
  SftAnswerFormat,
  SftDialect,
  SftOptions,
} from './types';
export { preferencePairs } from './formats/preference-jsonl';
export type { PreferencePair } from './formats/preference-jsonl';
export { answerFor, chatRecord, splitSeries } from './formats/sft-jsonl';
export { ucrFileName } from './formats/ucr';
export { tsbAdFileName } from './formats/tsb-ad';
export { readBundleManifest, BUNDLE_FORMAT } from './formats/bundle';
export type { BundleManifest } from './formats/bundle';
