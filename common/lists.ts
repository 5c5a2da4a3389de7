/**
 * Closed lists that several places need (the contract's schemas, the backend's checks, the CLI's options
 * and help, the renderer's pickers), written once. No Node, no DOM.
 */

/** How a model (or an SFT export) writes its answer: AnomSeer's think/answer/class, AnomLLM's JSON, VLM4TS's JSON. */
export const ANSWER_FORMATS = ['anomseer', 'anomllm', 'vlm4ts'] as const;
export type AnswerFormat = (typeof ANSWER_FORMATS)[number];

/** Chat layouts of an SFT export. */
export const SFT_DIALECTS = ['messages', 'sharegpt', 'qwen-vl'] as const;
export type SftDialectId = (typeof SFT_DIALECTS)[number];

/** What an import does with repeated timestamps (default 'error'). */
export const DUPLICATE_TIMESTAMP_POLICIES = ['error', 'keep-first', 'mean', 'keep'] as const;
export type DuplicateTimestampPolicy = (typeof DUPLICATE_TIMESTAMP_POLICIES)[number];

/** What an import does with timestamps out of order (default 'error'). */
export const UNSORTED_TIMESTAMP_POLICIES = ['error', 'sort', 'keep'] as const;
export type UnsortedTimestampPolicy = (typeof UNSORTED_TIMESTAMP_POLICIES)[number];

/** Which labels an export takes: accepted predictions only, every human label, or labels plus predictions. */
/** How dates like 03/04/2024 are read when the data cannot decide. */
export const DATE_ORDERS = ['day-first', 'month-first'] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];

export const LABEL_SELECTIONS = ['accepted-only', 'human', 'with-predictions'] as const;
export type LabelSelection = (typeof LABEL_SELECTIONS)[number];

/** The export formats (main/exporters/registry.ts has one exporter per id; the compiler checks both agree). */
export const EXPORT_FORMAT_IDS = [
  'bundle',
  'labels-csv',
  'labels-json',
  'tsb-ad',
  'nab',
  'timeeval',
  'ucr',
  'sft-jsonl',
  'preference-jsonl',
  'report-html',
] as const;
export type ExportFormatId = (typeof EXPORT_FORMAT_IDS)[number];

/** How the app's pickers name each choice. */
export const ANSWER_FORMAT_NAMES: Record<AnswerFormat, string> = {
  anomseer: 'AnomSeer (think / answer / class)',
  anomllm: 'AnomLLM JSON',
  vlm4ts: 'VLM4TS JSON',
};
export const SFT_DIALECT_NAMES: Record<SftDialectId, string> = {
  messages: 'messages (TRL, qwen-vl-utils)',
  sharegpt: 'sharegpt (LLaMA-Factory, ms-swift)',
  'qwen-vl': 'qwen-vl conversations',
};
export const DUPLICATE_TIMESTAMP_NAMES: Record<DuplicateTimestampPolicy, string> = {
  error: 'stop with an error',
  'keep-first': 'keep the first row',
  mean: 'average the rows',
  keep: 'keep every row',
};
export const UNSORTED_TIMESTAMP_NAMES: Record<UnsortedTimestampPolicy, string> = {
  error: 'stop with an error',
  sort: 'sort the rows by time',
  keep: "keep the file's order",
};
