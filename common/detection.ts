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
}

export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
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
}
