/** Detection types shared by the backend, the contract and the renderer. */
import type { AnomalyType } from './domain';

export interface ParamSpec {
  type: 'number' | 'integer' | 'boolean' | 'enum' | 'string' | 'string[]';
  default: unknown;
  description: string;
  min?: number;
  max?: number;
  options?: readonly string[];
}

export interface DetectorInfo {
  id: string;
  name: string;
  description: string;
  params: Record<string, ParamSpec>;
  randomized: boolean;
  /** 'model': a learned ONNX model (id `model:NAME@VERSION`); 'vlm': the bundled plot VLM (`vlm:NAME@VERSION`); absent for the classical suite */
  kind?: 'classical' | 'model' | 'vlm';
  model?: ModelSummary;
}

/** A learned model version as the UI and the CLI list it. */
export interface ModelSummary {
  /** NAME@VERSION */
  id: string;
  name: string;
  version: string;
  source: 'bundled' | 'user';
  /** NAME@VERSION it was fine-tuned from */
  parent: string | null;
}

/** `interrupted`: the process running it ended (killed, crashed) before it finished; what finished is kept */
export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

/** The process that runs (or ran) a run: a `running` run whose owner is gone is `interrupted`. */
export interface RunOwner {
  pid: number;
  host: string;
  startedAt: string;
  heartbeatAt: string | null;
}
export type PredictionStatus = 'unreviewed' | 'accepted' | 'rejected' | 'edited';

export interface RunRecord {
  id: number;
  detector: string;
  detectorVersion: string;
  params: Record<string, unknown>;
  modelId: number | null;
  execution: Record<string, unknown>;
  status: RunStatus;
  createdAt: string;
  finishedAt: string | null;
  timings: Record<string, number>;
  error: string | null;
  seriesIds: number[];
  predictionCount: number;
  /** every series the run was asked to cover (seriesIds are those that finished) */
  plannedSeriesIds: number[];
  /** planned series with no result yet: non-empty for a running, interrupted, failed or cancelled run */
  missingSeriesIds: number[];
  owner: RunOwner | null;
}

export interface PredictionRecord {
  id: number;
  runId: number;
  seriesId: number;
  start: number;
  end: number;
  score: number | null;
  type: AnomalyType | null;
  status: PredictionStatus;
}

/** Metric name (e.g. `vus_pr`, `interval_f1`) to value; null where undefined (e.g. no labels). */
export type MetricValues = Record<string, number | null>;

export interface RunEvaluation {
  runId: number;
  detector: string;
  perSeries: { seriesId: number; seriesName: string; labelCount: number; metrics: MetricValues }[];
  overall: MetricValues;
  /** set when a partial run was evaluated on request (allowPartial): what it covers and what it misses */
  partial?: { seriesIds: number[]; missingSeriesIds: number[] };
}

/** A model version with what its card says, for the models panel and `tsad models list`. */
export interface ModelInfo extends ModelSummary {
  description: string;
  /** folder holding card.json and the ONNX file */
  dir: string;
  sha256: string | null;
  bytes: number | null;
  window: number;
  /** the card's metrics (held-out synthetic, shared data, before/after fine-tuning), as written by training */
  metrics: Record<string, unknown>;
  /** the card's training summary (data, steps, time) */
  training: Record<string, unknown>;
  /** set for versions fine-tuned in the app: which series trained it and which were held out for comparison */
  finetune: FinetuneRecord | null;
}

export interface FinetuneRecord {
  base: string;
  project: string;
  trainSeriesIds: number[];
  heldOutSeriesIds: number[];
  labelCount: number;
  createdAt: string;
}

/**
 * A fine-tune started in the app or the CLI, as recorded in the state folder while it runs: a process that
 * ended before it finished (killed, crashed, powered off) leaves it `interrupted` (nothing was registered;
 * its temporary version folder is swept), which Resume trains again from the same exported data.
 */
export interface FinetuneJob {
  id: string;
  base: string;
  /** NAME@VERSION it is (or was) writing */
  model: string;
  project: string;
  status: 'running' | 'failed' | 'cancelled' | 'interrupted';
  startedAt: string;
  owner: { pid: number; host: string };
  /** why it is not running, for a person */
  message: string | null;
}

export interface ModelListing {
  models: ModelInfo[];
  /** fine-tunes that did not finish: running, or failed, cancelled or interrupted (with Resume and Delete) */
  finetunes: FinetuneJob[];
  /** model folders that could not be read, with why */
  problems: { path: string; message: string }[];
  /** execution providers this onnxruntime build knows (CPU always) */
  providers: { name: string; bundled: boolean }[];
}

/** What "Fine-tune on this project's labels" did: started a training job, or (no Python with torch) says how to run it by hand. */
export interface FinetuneStarted {
  /** null when no Python with PyTorch was found: run `command` yourself, then add `outDir` as a model */
  jobId: string | null;
  python: string | null;
  /** why there is no job, when there is none */
  reason: string | null;
  command: string;
  /** the exported training folder (series-folder layout) */
  dataDir: string;
  /** where the new version is written */
  outDir: string;
  /** NAME@VERSION of the new version */
  model: string;
  trainSeriesIds: number[];
  heldOutSeriesIds: number[];
  labelCount: number;
}

/** null where a metric is undefined (e.g. no labeled anomaly in the evaluated part) */
export interface CalibrationMetrics {
  vus_pr: number | null;
  auc_pr: number | null;
  interval_f1: number | null;
}

/** The ensemble fitted to the project's labels: run it with `params`. */
export interface CalibrationReport {
  params: Record<string, unknown>;
  before: CalibrationMetrics;
  after: CalibrationMetrics;
  /** fitted on part of the data, measured on the rest: held-out series, or the later part of each series in time */
  heldOut: { before: CalibrationMetrics; after: CalibrationMetrics; how: 'time' | 'series' } | null;
  seriesUsed: number;
  seconds: number;
}

/** An interval verifier version (bundled or retrained on a project's reviews). */
export interface VerifierInfo {
  /** NAME@VERSION */
  id: string;
  name: string;
  version: string;
  source: 'bundled' | 'user';
  parent: string | null;
  description: string;
  training: Record<string, unknown>;
  /** whether it also predicts the anomaly type */
  typed: boolean;
}

/** What a verifier retraining produced (the job's result). */
export interface VerifierRetrainResult {
  verifier: string;
  parent: string;
  reviewedSeries: number;
  examples: { positives: number; negatives: number; inherited: number };
}
