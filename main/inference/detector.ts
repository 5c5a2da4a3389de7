import type { ParamSpec } from '../../common/detection';
import type { ParamValues, ScoreContext } from '../detectors/types';
import { parseScales, scoreAtScales, usableScales } from './multiscale';
import { SMOOTHING_MODES, smoothScores, type SmoothingMode } from './postprocess';
import { resolveModel, type ModelEntry, type ModelRoots } from './registry';
import { scoreSeriesWithModel, type ExecutionReport } from './score';
import { loadModel, type LoadedModel, type ProviderPreference } from './session';

/**
 * The Detector interface (main/detectors/types.ts) with an async score: ONNX inference is async.
 * Same contract otherwise: one score per point, higher = more anomalous, NaN where the input is missing.
 */
export interface AsyncDetector<P extends ParamValues = ParamValues> {
  id: string;
  name: string;
  description: string;
  params: Record<string, ParamSpec>;
  randomized: boolean;
  /** the model behind it, for run records */
  model: { id: string; version: string; sha256?: string };
  score(values: Float64Array, params: P, ctx?: ScoreContext): Promise<Float32Array>;
  /** provider etc. of the last score() call */
  lastExecution(): Record<string, unknown> | undefined;
  release(): Promise<void>;
}

export interface ModelDetectorOptions extends ModelRoots {
  provider?: ProviderPreference;
  threads?: number;
}

/** A learned model as a detector; `ref` is 'name' or 'name@version' (see resolveModel). */
export async function modelDetector(ref: string, opts: ModelDetectorOptions = {}): Promise<AsyncDetector> {
  const entry: ModelEntry = await resolveModel(ref, opts);
  const window = entry.card.preprocessing.window;
  let loaded: LoadedModel | undefined;
  let last: Record<string, unknown> | undefined;
  const params: Record<string, ParamSpec> = {
    stride: {
      type: 'integer',
      default: entry.card.preprocessing.defaultStride,
      min: 1,
      max: window,
      description: `window step in points (window ${window}); smaller overlaps windows: smoother, slower`,
    },
    batchSize: { type: 'integer', default: 64, min: 1, max: 4096, description: 'windows per inference call' },
    scales: {
      type: 'string',
      default: (entry.card.postprocessing?.scales ?? [1]).join(','),
      description:
        'block sizes the series is also averaged over and scored at, e.g. "1,4,16": the model then sees anomalies longer than its window; "1" scores the series alone',
    },
    smooth: {
      type: 'enum',
      default: entry.card.postprocessing?.smooth ?? 'none',
      options: SMOOTHING_MODES,
      description: "score smoothing: 'period' spreads each event over ± the series' period window (max, then mean)",
    },
  };
  return {
    id: `model:${entry.name}`,
    name: `Learned: ${entry.name} ${entry.version}`,
    description: entry.card.description ?? 'Learned window model (ONNX)',
    params,
    randomized: false,
    model: {
      id: entry.id,
      version: entry.version,
      ...(entry.card.onnx.sha256 !== undefined ? { sha256: entry.card.onnx.sha256 } : {}),
    },
    async score(values, p, ctx) {
      loaded ??= await loadModel(entry.modelPath, {
        card: entry.card,
        ...(opts.provider !== undefined ? { provider: opts.provider } : {}),
        ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
      });
      const stride = typeof p.stride === 'number' ? p.stride : entry.card.preprocessing.defaultStride;
      const batchSize = typeof p.batchSize === 'number' ? p.batchSize : 64;
      const scales = parseScales(typeof p.scales === 'string' ? p.scales : (entry.card.postprocessing?.scales ?? [1]).join(','));
      const model = loaded;
      const executions: ExecutionReport[] = [];
      const combined = await scoreAtScales(
        values,
        window,
        scales,
        async (series, progress) => {
          const result = await scoreSeriesWithModel(entry.modelPath, series, {
            model,
            stride,
            batchSize,
            progress,
            ...(ctx?.signal !== undefined ? { signal: ctx.signal } : {}),
          });
          executions.push(result.execution);
          return result.scores;
        },
        ctx?.progress,
      );
      last = {
        ...executions[0],
        seconds: executions.reduce((a, e) => a + e.seconds, 0),
        windows: executions.reduce((a, e) => a + e.windows, 0),
        scales: usableScales(values.length, window, scales),
        model: entry.id,
      };
      const smooth = (SMOOTHING_MODES as readonly unknown[]).includes(p.smooth)
        ? (p.smooth as SmoothingMode)
        : (entry.card.postprocessing?.smooth ?? 'none');
      const scores = smoothScores(combined, values, smooth);
      for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) scores[i] = Number.NaN;
      return scores;
    },
    lastExecution: () => last,
    async release() {
      await loaded?.release();
      loaded = undefined;
    },
  };
}
