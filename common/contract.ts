/**
 * The one API contract. Every method the renderer may call is declared here once: its name, the
 * schema its input is validated against on the backend side, and its result type. The IPC handlers,
 * the preload bridge, the HTTP routes and both clients are all derived from this table; no channel
 * string is written anywhere else.
 */
import { z } from 'zod';
import { ANOMALY_TYPES } from './domain';
import {
  ANSWER_FORMATS,
  DATE_ORDERS,
  DUPLICATE_TIMESTAMP_POLICIES,
  LABEL_SELECTIONS,
  SFT_DIALECTS,
  UNSORTED_TIMESTAMP_POLICIES,
} from './lists';
import type { AnomalyType, DatasetInfo, Label, SeriesInfo } from './domain';
import type { DatasetPreview } from './datasets';
import type {
  CalibrationReport,
  DetectorInfo,
  FinetuneStarted,
  ModelInfo,
  ModelListing,
  PredictionRecord,
  RunEvaluation,
  RunRecord,
  VerifierInfo,
} from './detection';
import type { ErrorData } from './errors';

// ---------- result types ----------

export interface RecentProject {
  path: string;
  openedAt: string;
}

export interface AppInfo {
  name: string;
  version: string;
  /** folders the user may open files from (serve mode confines file access to these) */
  roots: string[];
  recentProjects: RecentProject[];
  sampleName: string;
}

export interface ProjectSummary {
  path: string;
  schemaVersion: number;
  datasets: DatasetInfo[];
  series: SeriesInfo[];
  history: HistoryState;
  /** set when this process may not write the project: read-only media, or another process holds its write lock */
  readOnly?: { kind: 'media' | 'locked' | 'requested'; message: string } | null;
}

export interface HistoryState {
  canUndo: boolean;
  canRedo: boolean;
  /** description of what undo would revert, when any */
  undoLabel: string | null;
  redoLabel: string | null;
}

export interface DirectoryEntry {
  name: string;
  path: string;
  kind: 'file' | 'directory';
  size: number | null;
}

export interface DirectoryListing {
  path: string;
  parent: string | null;
  entries: DirectoryEntry[];
}

/**
 * A view of [from, to) reduced for `pixels` columns. `x` holds point indices (the overlays'
 * coordinates), `y` the values with null for gaps, `t` the epoch-ms time of each point when the
 * dataset has a time axis. `reduced` says whether min/max-per-pixel reduction happened.
 */
export interface SeriesView {
  seriesId: number;
  from: number;
  to: number;
  length: number;
  reduced: boolean;
  x: number[];
  y: (number | null)[];
  t: number[] | null;
}

export interface LabelHistoryEntry {
  seq: number;
  batch: number;
  action: 'do' | 'undo' | 'redo';
  op: 'create' | 'update' | 'delete';
  labelId: number;
  description: string;
  at: string;
  actor: string;
}

export interface JobInfo {
  id: string;
  kind: string;
  title: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  fraction: number;
  message: string;
  startedAt: string;
  finishedAt: string | null;
  error: ErrorData | null;
  result: unknown;
}

/** A rationale card as the renderer shows it (see main/reasoning/card.ts for how it is written). */
export interface ExplainedInterval {
  seriesId: number;
  start: number;
  end: number;
  type: AnomalyType;
  confidence: number;
  rule: string;
  parts: { observation: string; reasoning: string; conclusion: string };
  claims: {
    text: string;
    reference:
      | { kind: 'range'; start: number; end: number }
      | { kind: 'value'; index: number; value: number }
      | { kind: 'comparison'; inside: [number, number]; context: [number, number] };
  }[];
  text: string;
  source: 'evidence-engine' | 'analyst';
  edited: boolean;
  evidenceVersion: number;
  faithfulness: FaithfulnessSummary;
}

export interface FaithfulnessSummary {
  verified: number;
  contradicted: number;
  unverifiable: number;
  claims: {
    text: string;
    kind: string;
    status: 'verified' | 'contradicted' | 'unverifiable';
    quoted?: number;
    actual?: number | null;
    reason?: string;
  }[];
}

/** A rationale written by a model (or stored by an export/import), with what the model saw. */
export interface StoredRationale {
  id: number;
  seriesId: number;
  start: number;
  end: number;
  predictionId: number | null;
  source: string;
  /** provenance: model, endpoint (without credentials), format, prompt, image sha256, window, raw output */
  detail: Record<string, unknown>;
  type: AnomalyType | null;
  text: string;
  faithfulness: FaithfulnessSummary;
  /** a model's rationale: the plot it was sent, drawn again from the series (PNG data URL), and whether its hash is the stored one */
  seen?: { image: string; imageMatches: boolean | null };
}

export interface SearchHit {
  kind: 'label' | 'rationale';
  id: number;
  /** for a rationale of a model's prediction: that prediction (so it can be accepted or rejected) */
  predictionId: number | null;
  seriesId: number;
  start: number;
  end: number;
  /** the matching text with the match marked by [ and ] */
  snippet: string;
}

export interface JobStarted {
  jobId: string;
}

/** An export format as the app offers it (see main/exporters). */
export interface ExportFormatInfo {
  id: string;
  description: string;
  /** 'file': one file (with `extension`); 'folder': a folder of files */
  output: 'file' | 'folder';
  extension: string | null;
  /** the format can also be imported into an open project (importLabels) */
  importable: boolean;
  /** which of ExportRequestOptions' fields the format reads */
  options: ('seriesIds' | 'labels' | 'range' | 'trainEnd' | 'sft' | 'title')[];
}

/** What an export would write (a dry run), and whether its target already exists. */
export interface ExportPreview {
  format: string;
  outPath: string;
  output: 'file' | 'folder';
  /** the target exists: a real export needs force (after the user confirms) */
  exists: boolean;
  series: number;
  labels: number;
  predictions: number;
  /** rows, JSONL lines, pairs or sections, depending on the format */
  records: number;
  files: number;
  notes: string[];
}

/** One problem of an import file (line 0 when it is not tied to a line). */
export interface ImportProblemInfo {
  line: number;
  message: string;
}

/** The outcome of importLabels: on any problem nothing is imported and every problem is listed. */
export interface ImportReport {
  format: string;
  file: string;
  dryRun: boolean;
  /** labels (and datasets) were written */
  imported: boolean;
  problems: ImportProblemInfo[];
  labels: number;
  rationales: number;
  /** labels already present (not duplicated) */
  skipped: number;
  datasets: number;
  seriesIds: number[];
  notes: string[];
  history: HistoryState;
}

// ---------- input schemas ----------

const id = z.number().int().positive();
const index = z.number().int().nonnegative();
const path = z.string().min(1).max(4096);
const anomalyType = z.enum(ANOMALY_TYPES);
const empty = z.object({}).strict();

const previewOptions = z
  .object({
    format: z.enum(['csv', 'parquet', 'json', 'ndjson']).optional(),
    delimiter: z.string().min(1).max(4).optional(),
    header: z.boolean().optional(),
    decimalComma: z.boolean().optional(),
    timeColumn: z.string().min(1).max(1000).nullable().optional(),
    timeFormat: z.string().min(1).max(200).nullable().optional(),
    dateOrder: z.enum(DATE_ORDERS).optional(),
    timeZone: z.string().min(1).max(100).optional(),
    valueColumns: z.array(z.string().min(1).max(1000)).max(10_000).optional(),
    labelColumn: z.string().min(1).max(1000).nullable().optional(),
  })
  .strict();
const importOptions = previewOptions
  .extend({
    duplicateTimestamps: z.enum(DUPLICATE_TIMESTAMP_POLICIES).optional(),
    unsortedTimestamps: z.enum(UNSORTED_TIMESTAMP_POLICIES).optional(),
  })
  .strict();

const exportRequestOptions = z
  .object({
    seriesIds: z.array(id).min(1).max(100_000).optional(),
    labels: z.enum(LABEL_SELECTIONS).optional(),
    runIds: z.array(id).max(10_000).optional(),
    /** export the predictions of running or interrupted runs too (refused otherwise) */
    allowPartial: z.boolean().optional(),
    range: z
      .object({ unit: z.enum(['index', 'time']), from: z.number().finite(), to: z.number().finite() })
      .strict()
      .refine((r) => r.to > r.from, { message: '`to` must be greater than `from`', path: ['to'] })
      .optional(),
    trainEnd: index.optional(),
    sft: z
      .object({
        answerFormat: z.enum(ANSWER_FORMATS).optional(),
        dialect: z.enum(SFT_DIALECTS).optional(),
        windowSize: z.number().int().min(16).max(1_000_000).optional(),
        overlap: index.optional(),
        seed: z.number().int().optional(),
        validationShare: z.number().min(0).max(1).optional(),
        testShare: z.number().min(0).max(1).optional(),
      })
      .strict()
      .optional(),
    title: z.string().min(1).max(500).optional(),
  })
  .strict();
const exportFormat = z.string().min(1).max(100);
/** the selection and format options of an export request (see main/exporters/types.ts ExportOptions) */
export type ExportRequestOptions = z.input<typeof exportRequestOptions>;

const labelFields = {
  type: anomalyType.optional(),
  note: z.string().max(10_000).optional(),
};

// ---------- the method table ----------

interface MethodSpec<I extends z.ZodType, O> {
  input: I;
  /** phantom: carries the result type, never read at run time */
  output?: O;
}

function method<O>() {
  return <I extends z.ZodType>(input: I): MethodSpec<I, O> => ({ input });
}

export const methods = {
  appInfo: method<AppInfo>()(empty),
  createProject: method<ProjectSummary>()(z.object({ path }).strict()),
  openProject: method<ProjectSummary>()(z.object({ path }).strict()),
  openSampleProject: method<ProjectSummary>()(empty),
  closeProject: method<null>()(empty),
  getProject: method<ProjectSummary | null>()(empty),
  listDirectory: method<DirectoryListing>()(z.object({ path: path.optional() }).strict()),
  getView: method<SeriesView>()(
    z
      .object({
        seriesId: id,
        from: index,
        to: index,
        pixels: z.number().int().min(1).max(16_384),
      })
      .strict()
      .refine((v) => v.to > v.from, { message: '`to` must be greater than `from`', path: ['to'] }),
  ),
  /** epoch ms of row indices in [0, length] (`length`: one step after the last row); null when the series has no time axis */
  timesAt: method<number[] | null>()(z.object({ seriesId: id, indices: z.array(index).max(100_000) }).strict()),
  /** the first row at or after each epoch-ms time (0 before the first row, `length` after the last) */
  indicesAt: method<number[]>()(z.object({ seriesId: id, times: z.array(z.number().finite()).max(100_000) }).strict()),
  listLabels: method<Label[]>()(z.object({ seriesId: id }).strict()),
  createLabel: method<Label>()(
    z
      .object({ seriesId: id, start: index, end: index, ...labelFields })
      .strict()
      .refine((v) => v.end > v.start, { message: '`end` must be greater than `start`', path: ['end'] }),
  ),
  /** several labels in one undoable step (e.g. the same interval on every channel) */
  createLabels: method<Label[]>()(
    z
      .object({
        items: z
          .array(
            z
              .object({ seriesId: id, start: index, end: index, ...labelFields })
              .strict()
              .refine((v) => v.end > v.start, { message: '`end` must be greater than `start`', path: ['end'] }),
          )
          .min(1)
          .max(10_000),
      })
      .strict(),
  ),
  updateLabel: method<Label>()(z.object({ id, start: index.optional(), end: index.optional(), ...labelFields }).strict()),
  deleteLabel: method<null>()(z.object({ id }).strict()),
  /** one undoable change over many labels (bulk retype / note) */
  updateLabels: method<Label[]>()(z.object({ ids: z.array(id).min(1).max(100_000), ...labelFields }).strict()),
  previewDataset: method<DatasetPreview>()(z.object({ path, options: previewOptions.optional() }).strict()),
  importDataset: method<JobStarted>()(
    z.object({ path, options: importOptions.optional(), name: z.string().min(1).max(500).optional() }).strict(),
  ),
  listJobs: method<JobInfo[]>()(empty),
  cancelJob: method<JobInfo>()(z.object({ jobId: z.string().uuid() }).strict()),
  listDetectors: method<DetectorInfo[]>()(empty),
  startRun: method<JobStarted & { runId: number }>()(
    z
      .object({
        detector: z.string().min(1).max(200),
        params: z.record(z.string(), z.unknown()).optional(),
        seriesIds: z.array(id).min(1).max(10_000).optional(),
      })
      .strict(),
  ),
  /** scores the series an interrupted (failed, cancelled) run is missing, with its detector and parameters */
  resumeRun: method<JobStarted & { runId: number }>()(z.object({ runId: id }).strict()),
  listRuns: method<RunRecord[]>()(empty),
  deleteRun: method<null>()(z.object({ runId: id }).strict()),
  listPredictions: method<PredictionRecord[]>()(z.object({ seriesId: id, runId: id.optional() }).strict()),
  getScoreView: method<SeriesView>()(
    z
      .object({ runId: id, seriesId: id, from: index, to: index, pixels: z.number().int().min(1).max(16_384) })
      .strict()
      .refine((v) => v.to > v.from, { message: '`to` must be greater than `from`', path: ['to'] }),
  ),
  reviewPredictions: method<HistoryState>()(
    z.object({ predictionIds: z.array(id).min(1).max(100_000), action: z.enum(['accept', 'reject', 'reset']) }).strict(),
  ),
  /** a running or interrupted run is refused unless `allowPartial` */
  evaluateRun: method<RunEvaluation>()(
    z.object({ runId: id, seriesIds: z.array(id).min(1).optional(), allowPartial: z.boolean().optional() }).strict(),
  ),
  /** the rationale card of an interval: the analyst's edited text when there is one, else the evidence engine's */
  explainInterval: method<ExplainedInterval>()(
    z
      .object({ seriesId: id, start: index, end: index })
      .strict()
      .refine((v) => v.end > v.start, { message: '`end` must be greater than `start`', path: ['end'] }),
  ),
  /** stores the analyst's edit of a rationale (checked again against the data) */
  saveRationale: method<ExplainedInterval>()(
    z
      .object({ seriesId: id, start: index, end: index, text: z.string().min(1).max(20_000) })
      .strict()
      .refine((v) => v.end > v.start, { message: '`end` must be greater than `start`', path: ['end'] }),
  ),
  /** model rationales overlapping an interval, each re-checked against the data */
  listRationales: method<StoredRationale[]>()(
    z
      .object({ seriesId: id, start: index, end: index })
      .strict()
      .refine((v) => v.end > v.start, { message: '`end` must be greater than `start`', path: ['end'] }),
  ),
  searchProject: method<SearchHit[]>()(
    z.object({ query: z.string().min(1).max(500), limit: z.number().int().min(1).max(1000).optional() }).strict(),
  ),
  /** bundled, added and fine-tuned model versions with their cards, and the execution providers of this build */
  listModels: method<ModelListing>()(empty),
  /** adds a model from disk (a folder with card.json + ONNX, or a bare .onnx with a name and version) after checking it loads */
  addModel: method<ModelInfo>()(
    z
      .object({
        path,
        name: z.string().min(1).max(100).optional(),
        version: z.string().min(1).max(100).optional(),
      })
      .strict(),
  ),
  /**
   * "Fine-tune on this project's labels": exports the labeled series (a seeded share held out for comparison)
   * and trains a new version as a job when Python with PyTorch is present; otherwise returns the command.
   */
  finetuneModel: method<FinetuneStarted>()(
    z
      .object({
        base: z.string().min(1).max(200),
        holdOutShare: z.number().min(0).max(0.9).optional(),
        seed: z.number().int().optional(),
        quick: z.boolean().optional(),
        seriesIds: z.array(id).min(1).max(10_000).optional(),
      })
      .strict(),
  ),
  /**
   * The endpoint keys stored for this user (names, never values) and, in plain words, what protects them
   * (the desktop app: the system keyring through Electron's safeStorage; elsewhere file permissions).
   */
  secretStatus: method<{ names: string[]; protection: string }>()(empty),
  /** stores an endpoint key (the value is never returned by any method, nor logged) */
  setSecret: method<null>()(z.object({ name: z.string().min(1).max(200), value: z.string().min(1).max(10_000) }).strict()),
  deleteSecret: method<null>()(z.object({ name: z.string().min(1).max(200) }).strict()),
  /** trains an unfinished fine-tune (interrupted, failed, cancelled) again from its exported data; a job */
  resumeFinetune: method<JobStarted & { model: string }>()(z.object({ id: z.string().min(1).max(300) }).strict()),
  /** forgets an unfinished fine-tune: its exported data and any temporary version folder */
  deleteFinetune: method<null>()(z.object({ id: z.string().min(1).max(300) }).strict()),
  /** fits the ensemble's member weights and threshold to the project's labels (no Python; seconds) */
  calibrateEnsemble: method<CalibrationReport>()(
    z
      .object({ seriesIds: z.array(id).min(1).max(10_000).optional(), holdOutShare: z.number().min(0).max(0.9).optional() })
      .strict(),
  ),
  /** the interval verifiers of the two-stage detector, bundled and retrained */
  listVerifiers: method<VerifierInfo[]>()(empty),
  /**
   * "Retrain verifier": the project's accepted, edited and rejected intervals and its labels become
   * training examples; a new version (parent's examples + these) is fitted as a job, no Python needed.
   * The job's result is a VerifierRetrainResult.
   */
  retrainVerifier: method<JobStarted>()(z.object({ base: z.string().min(1).max(200).optional() }).strict()),
  /** the export formats, what each writes and which options it reads */
  listExportFormats: method<ExportFormatInfo[]>()(empty),
  /** counts what an export would write and whether the target exists; writes nothing */
  previewExport: method<ExportPreview>()(
    z.object({ format: exportFormat, path, options: exportRequestOptions.optional() }).strict(),
  ),
  /** exports as a job (temporary name, then rename); an existing target is refused unless `force` */
  exportProject: method<JobStarted>()(
    z
      .object({
        format: exportFormat,
        path,
        options: exportRequestOptions.optional(),
        force: z.boolean().optional(),
        dryRun: z.boolean().optional(),
      })
      .strict(),
  ),
  /** imports labels from a file in one of the importable formats; on any problem imports nothing and lists them */
  importLabels: method<ImportReport>()(z.object({ path, format: exportFormat, dryRun: z.boolean().optional() }).strict()),
  undo: method<HistoryState>()(empty),
  redo: method<HistoryState>()(empty),
  getHistory: method<LabelHistoryEntry[]>()(z.object({ limit: z.number().int().min(1).max(10_000).optional() }).strict()),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export const METHOD_NAMES = Object.keys(methods) as MethodName[];

export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodResult<M extends MethodName> = Exclude<Methods[M]['output'], undefined>;

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorData };

// ---------- events ----------

export interface JobProgressEvent {
  type: 'jobProgress';
  jobId: string;
  kind: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  fraction: number;
  message: string;
}

export interface ProjectChangedEvent {
  type: 'projectChanged';
  reason: 'opened' | 'closed' | 'labels' | 'datasets' | 'runs' | 'models';
  seriesIds?: number[];
}

export type WorkbenchEvent = JobProgressEvent | ProjectChangedEvent;

// ---------- the client surface (window.workbench) ----------

export type WorkbenchApi = {
  [M in MethodName]: (input: MethodInput<M>) => Promise<MethodResult<M>>;
} & {
  /** subscribe to backend events; returns the unsubscribe function */
  onEvent(listener: (event: WorkbenchEvent) => void): () => void;
};

/** Derived transport names: one place computes them from the method table. */
export const IPC_PREFIX = 'tsad:';
export const IPC_EVENT_CHANNEL = `${IPC_PREFIX}event`;
export const ipcChannel = (name: MethodName): string => `${IPC_PREFIX}${name}`;
export const HTTP_API_PREFIX = '/api/';
export const HTTP_EVENTS_PATH = '/events';
export const httpPath = (name: MethodName): string => `${HTTP_API_PREFIX}${name}`;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

export type { AnomalyType };
