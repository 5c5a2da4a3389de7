/**
 * Scores labeled series with a learned model and evaluates them exactly as bench/quality.ts does: VUS-PR
 * with the series' period window (estimatePeriodWindow), interval F1 of the detector's default
 * thresholding (scoresToIntervals with the default threshold parameters), over the evaluated points only.
 * Shared by bench/finetune.ts and bench/model-quality.ts.
 */
import { defaultThresholding, scoresToIntervals, type ParamValues } from '../main/detectors';
import { aggregateMetrics, evaluateScores, intervalsFromLabels, labelsFromIntervals, type MetricSet } from '../main/evaluation';
import { modelDetector, type ModelRoots } from '../main/inference';
import { estimatePeriodWindow } from '../main/numeric';
import { evaluatedPart, type LabeledSeries } from './shared-data';

export interface ModelEvaluation {
  model: string;
  /** per series, in the input order */
  perSeries: { name: string; source: LabeledSeries['source']; metrics: MetricSet }[];
  /** means over series (interval counts summed), as aggregateMetrics */
  mean: MetricSet;
  scoreSeconds: number;
}

/**
 * Metrics of one score array against a labeled series, the protocol of every shared-data bench: intervals
 * from `thresholding` (default: the default k·σ), VUS-PR with `slidingWindow` (default: the series' period
 * window), only the evaluated points.
 */
export function evaluateSeriesScores(
  scores: Float32Array,
  s: LabeledSeries,
  opts: { thresholding?: ParamValues; slidingWindow?: number } = {},
): MetricSet {
  const thresholding = opts.thresholding ?? defaultThresholding();
  const predicted = labelsFromIntervals(s.values.length, scoresToIntervals(scores, thresholding));
  return evaluateScores(evaluatedPart(scores, s.evaluated), evaluatedPart(s.labels, s.evaluated), {
    slidingWindow: opts.slidingWindow ?? estimatePeriodWindow(s.values),
    predicted: intervalsFromLabels(evaluatedPart(predicted, s.evaluated)),
  });
}

/** Scores every series with model `ref` (default parameters unless `params` overrides) and evaluates it. */
export async function evaluateModel(
  ref: string,
  series: readonly LabeledSeries[],
  opts: ModelRoots & { params?: ParamValues; onSeries?: (name: string, metrics: MetricSet) => void } = {},
): Promise<ModelEvaluation> {
  const detector = await modelDetector(ref, { bundledDir: opts.bundledDir, userDir: opts.userDir, provider: 'cpu' });
  const params: ParamValues = {
    ...Object.fromEntries(Object.entries(detector.params).map(([k, spec]) => [k, spec.default as ParamValues[string]])),
    ...opts.params,
  };
  const perSeries: ModelEvaluation['perSeries'] = [];
  let scoreSeconds = 0;
  try {
    for (const s of series) {
      const t0 = performance.now();
      const scores = await detector.score(s.values, params);
      scoreSeconds += (performance.now() - t0) / 1000;
      const metrics = evaluateSeriesScores(scores, s);
      opts.onSeries?.(s.name, metrics);
      perSeries.push({ name: s.name, source: s.source, metrics });
    }
  } finally {
    await detector.release();
  }
  return {
    model: `${detector.model.id}`,
    perSeries,
    mean: aggregateMetrics(perSeries.map((p) => p.metrics)),
    scoreSeconds,
  };
}
