import type { MetricValues } from '../../common/detection';
import type { Interval } from '../../common/domain';
import { aggregateMetrics, evaluateScores, labelsFromIntervals } from '../evaluation';
import { estimatePeriodWindow } from '../numeric/window';

/** All metrics of one series' scores and predicted intervals against its labels. */
export function evaluateSeries(
  values: Float64Array,
  scores: Float32Array,
  labels: Interval[],
  predicted: Interval[],
): MetricValues {
  const truth = labelsFromIntervals(values.length, labels);
  return evaluateScores(scores, truth, {
    predicted: predicted.map(({ start, end }) => ({ start, end })),
    slidingWindow: estimatePeriodWindow(values),
  });
}

export function aggregateEvaluations(perSeries: MetricValues[]): MetricValues {
  return aggregateMetrics(perSeries);
}
