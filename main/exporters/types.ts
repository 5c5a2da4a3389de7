import type { AnswerFormat, SftDialectId } from '../../common/lists';
import type { ExportFormatInfo } from '../../common/contract';
import type { ProjectStore } from '../store';

/** Which intervals an export carries. */
export type LabelSelection =
  /** labels whose origin is 'accepted' or 'edited' (reviewed model output) */
  | 'accepted-only'
  /** every label (drawn, imported, accepted, edited) */
  | 'human'
  /** every label plus the predictions of `runIds` */
  | 'with-predictions';

/**
 * A range of rows, half-open [from, to). `unit: 'time'` takes epoch milliseconds and needs datasets
 * with a time axis; rows with from ≤ time < to are kept.
 */
export interface RowRange {
  unit: 'index' | 'time';
  from: number;
  to: number;
}

export type SftAnswerFormat = AnswerFormat;
/**
 * How SFT records are laid out:
 * - 'messages': `{"messages":[{"role":"user","content":[{"type":"image","image":…},{"type":"text","text":…}]}, …]}`
 *   (Hugging Face chat template / TRL / qwen-vl-utils content parts)
 * - 'sharegpt': `{"messages":[{"role":"user","content":"<image>…"}, …],"images":[…]}` (LLaMA-Factory, ms-swift)
 * - 'qwen-vl': `{"image":…,"conversations":[{"from":"human","value":"<image>\n…"},{"from":"gpt","value":…}]}`
 *   (QwenLM qwen-vl-finetune)
 */
export type SftDialect = SftDialectId;

export interface SftOptions {
  /** answer format (default 'anomseer'); the plot style follows it (vlm4ts → 1200×342, else 1000×150) */
  answerFormat?: SftAnswerFormat;
  dialect?: SftDialect;
  /** points per plotted window (default 1000) and points shared by neighbouring windows (default 200) */
  windowSize?: number;
  overlap?: number;
  /** seed of the series-level split (default 42) */
  seed?: number;
  /** shares of series in validation and test (default 0.1 each; the rest is train) */
  validationShare?: number;
  testShare?: number;
}

export interface ReportMetrics {
  /** run id, or any name the caller gives the row */
  run: number | string;
  /** display name (detector, model) */
  name?: string;
  values: Record<string, number | null>;
}

export interface ExportOptions {
  /** series to export (default: every series of the project) */
  seriesIds?: number[];
  /** default 'human' */
  labels?: LabelSelection;
  /** runs whose predictions 'with-predictions' adds (default: every run) */
  runIds?: number[];
  /** 'with-predictions' refuses running or interrupted runs unless this is set */
  allowPartial?: boolean;
  range?: RowRange;
  /** count what would be written, write nothing */
  dryRun?: boolean;
  /** replace an existing output */
  force?: boolean;
  /** data formats: rows before this index form the training prefix (TSB-AD, UCR); default ¼ of the length */
  trainEnd?: number;
  sft?: SftOptions;
  /** report-html: metrics per run, as computed by the caller */
  metrics?: ReportMetrics[];
  /** report-html: title */
  title?: string;
  progress?: (fraction: number) => void;
  signal?: AbortSignal;
}

export interface ExportSummary {
  format: string;
  /** the file or folder written (or that would be written, on a dry run) */
  outPath: string;
  dryRun: boolean;
  /** paths relative to outPath's folder (file output) or to outPath (folder output) */
  files: string[];
  series: number;
  labels: number;
  predictions: number;
  /** records written: rows, JSONL lines, pairs or sections, depending on the format */
  records: number;
  /** what the reader should know: refused series, empty results, conventions applied */
  notes: string[];
}

export interface ImportOptions {
  /** who the label history records as the author (default 'import') */
  actor?: string;
  /** name of the dataset created by data formats (default: from the file name) */
  datasetName?: string;
  /** bundle: replace an existing project file at the target */
  force?: boolean;
  /** check everything and count what would be imported, change nothing (label and data formats) */
  dryRun?: boolean;
  signal?: AbortSignal;
}

export interface ImportSummary {
  format: string;
  file: string;
  /** datasets created (data formats), empty for label formats */
  datasetIds: number[];
  /** series the labels went to */
  seriesIds: number[];
  labels: number;
  rationales: number;
  /** labels already present with the same series, range and type (not duplicated) */
  skipped: number;
  notes: string[];
  /** true when nothing was written (ImportOptions.dryRun): the counts say what an import would add */
  dryRun?: boolean;
}

export interface ImportProblem {
  /** 1-based line of the file (0 when the problem is not tied to a line) */
  line: number;
  message: string;
}

export type OutputKind = 'file' | 'folder';

export interface Exporter {
  id: string;
  description: string;
  output: OutputKind;
  /** file name extension of a 'file' output, e.g. '.csv' */
  extension?: string;
  /** which of the app's export request options (common/contract.ts ExportRequestOptions) the format reads */
  reads: ExportFormatInfo['options'];
  export(store: ProjectStore, opts: ExportOptions, outPath: string): Promise<ExportSummary>;
  /** imports into an open project (labels, or new datasets for the data formats) */
  import?(store: ProjectStore, file: string, opts?: ImportOptions): Promise<ImportSummary>;
  /** bundle only: recreates a whole project file at `projectPath` */
  restore?(file: string, projectPath: string, opts?: ImportOptions): Promise<ImportSummary>;
}
