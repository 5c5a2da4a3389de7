import { WorkbenchError } from '../../common/errors';
import type { ModelCard } from './card';
import { FEATURE_CHANNELS, globalStats, overlapWeights, padSeries, windowStarts, writeWindowFeatures } from './preprocess';
import { loadModel, type LoadedModel, type ProviderName, type ProviderPreference } from './session';

export interface ExecutionReport {
  provider: ProviderName;
  fallbackReason?: string;
  seconds: number;
  windows: number;
  batchSize: number;
  stride: number;
}

export interface ScoreWithModelOptions {
  /** windows per inference call; default 64 */
  batchSize?: number;
  /** window step; default: the card's defaultStride (the window length: no overlap) */
  stride?: number;
  provider?: ProviderPreference;
  threads?: number;
  card?: ModelCard;
  /** an already loaded model (skips loading; modelPath is then only used in messages) */
  model?: LoadedModel;
  progress?: (fraction: number) => void;
  signal?: AbortSignal;
}

export interface ModelScores {
  /** one anomaly probability per point (also at missing points, which the model sees as missing) */
  scores: Float32Array;
  /** per-window type distribution, windows × typeLabels.length, row-major; absent if the model has none */
  typeProbs?: Float32Array;
  typeLabels?: string[];
  /** start index of each window (the last window ends at the series end) */
  windowStarts: Int32Array;
  window: number;
  execution: ExecutionReport;
}

const MIN_POINTS = 2;

function cancelled(done: number, total: number): WorkbenchError {
  return new WorkbenchError('cancelled', `Model inference cancelled after ${done} of ${total} windows.`, { done, total });
}

/**
 * Scores a series with a window model: windows of the model's length at `stride`, each normalized as in
 * training (preprocess.ts), run in batches, and per-point scores averaged over overlapping windows.
 * A series shorter than 2 points scores all zeros.
 */
export async function scoreSeriesWithModel(
  modelPath: string,
  values: Float64Array,
  opts: ScoreWithModelOptions = {},
): Promise<ModelScores> {
  const batchSize = opts.batchSize ?? 64;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 65536) {
    throw new WorkbenchError('invalid_input', `batchSize: must be an integer in 1..65536, got ${batchSize}.`, {
      parameter: 'batchSize',
    });
  }
  if (opts.signal?.aborted) throw cancelled(0, 0);
  const started = performance.now();
  const ownModel = opts.model === undefined;
  const model =
    opts.model ??
    (await loadModel(modelPath, {
      ...(opts.provider !== undefined ? { provider: opts.provider } : {}),
      ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
      ...(opts.card !== undefined ? { card: opts.card } : {}),
    }));
  try {
    const window = model.window;
    const stride = opts.stride ?? model.defaultStride;
    if (!Number.isInteger(stride) || stride < 1 || stride > window) {
      throw new WorkbenchError('invalid_input', `stride: must be an integer in 1..${window} (the window), got ${stride}.`, {
        parameter: 'stride',
      });
    }
    const n = values.length;
    const report = (windows: number): ExecutionReport => ({
      provider: model.provider,
      ...(model.fallbackReason !== undefined ? { fallbackReason: model.fallbackReason } : {}),
      seconds: (performance.now() - started) / 1000,
      windows,
      batchSize,
      stride,
    });
    if (n < MIN_POINTS) {
      opts.progress?.(1);
      return { scores: new Float32Array(n), windowStarts: new Int32Array(0), window, execution: report(0) };
    }

    const padded = padSeries(values, window);
    const stats = globalStats(values);
    const starts = windowStarts(padded.length, window, stride);
    const weights = overlapWeights(window);
    const acc = new Float64Array(padded.length);
    const wsum = new Float64Array(padded.length);
    const input = new Float32Array(batchSize * FEATURE_CHANNELS * window);
    const typeCount = model.typeLabels?.length ?? 0;
    const typeProbs = typeCount > 0 ? new Float32Array(starts.length * typeCount) : undefined;

    for (let b = 0; b < starts.length; b += batchSize) {
      if (opts.signal?.aborted) throw cancelled(b, starts.length);
      const count = Math.min(batchSize, starts.length - b);
      for (let k = 0; k < count; k++) {
        writeWindowFeatures(
          padded,
          starts[b + k] as number,
          window,
          stats,
          input,
          k * FEATURE_CHANNELS * window,
          model.featureTail,
        );
      }
      const out = await model.run(input, count);
      for (let k = 0; k < count; k++) {
        const s = starts[b + k] as number;
        const row = k * window;
        for (let i = 0; i < window; i++) {
          const w = weights[i] as number;
          acc[s + i] = (acc[s + i] as number) + w * (out.scores[row + i] as number);
          wsum[s + i] = (wsum[s + i] as number) + w;
        }
      }
      if (typeProbs !== undefined && out.typeProbs !== undefined) {
        typeProbs.set(out.typeProbs.subarray(0, count * typeCount), b * typeCount);
      }
      opts.progress?.(Math.min(1, (b + count) / starts.length));
    }

    const scores = new Float32Array(n);
    for (let i = 0; i < n; i++) scores[i] = (acc[i] as number) / (wsum[i] as number);
    return {
      scores,
      ...(typeProbs !== undefined && model.typeLabels !== undefined ? { typeProbs, typeLabels: model.typeLabels } : {}),
      windowStarts: Int32Array.from(starts),
      window,
      execution: report(starts.length),
    };
  } finally {
    if (ownModel) await model.release();
  }
}

/**
 * Type distribution for one interval [start, end): the per-window distributions weighted by how much of
 * the interval each window covers times the window's mean score there. Undefined without type outputs.
 */
export function intervalTypeDistribution(result: ModelScores, start: number, end: number): Record<string, number> | undefined {
  const { typeProbs, typeLabels, windowStarts: starts, window, scores } = result;
  if (typeProbs === undefined || typeLabels === undefined) return undefined;
  const t = typeLabels.length;
  const dist = new Float64Array(t);
  for (let k = 0; k < starts.length; k++) {
    const s = starts[k] as number;
    const lo = Math.max(s, start);
    const hi = Math.min(s + window, end, scores.length);
    if (hi <= lo) continue;
    let mean = 0;
    for (let i = lo; i < hi; i++) mean += scores[i] as number;
    const weight = (hi - lo) * (mean / (hi - lo) + 1e-6);
    for (let j = 0; j < t; j++) dist[j] = (dist[j] as number) + weight * (typeProbs[k * t + j] as number);
  }
  const total = dist.reduce((a, b) => a + b, 0);
  const out: Record<string, number> = {};
  typeLabels.forEach((label, j) => {
    out[label] = total > 0 ? (dist[j] as number) / total : 0;
  });
  return out;
}
