import type { MetricValues } from '../../common/detection';
import type { Interval } from '../../common/domain';
import { aggregateMetrics, evaluateScores, labelsFromIntervals } from '../evaluation';
import { estimatePeriodWindow } from '../numeric/window';

/** All metrics of one series' scores and predicted intervals against its labels (TSB-AD's window rule for VUS). */
export function evaluateSeries(
  values: Float64Array,
  scores: Float32Array,
  labels: Interval[],
  predicted: Interval[],
): MetricValues {
  const truth = labelsFromIntervals(values.length, labels);
  const slidingWindow = estimatePeriodWindow(values);
  return evaluateScores(scores, truth, {
    slidingWindow,
    predicted: predicted.map(({ start, end }) => ({ start, end })),
  }) as unknown as MetricValues;
}

export function aggregateEvaluations(perSeries: MetricValues[]): MetricValues {
  return aggregateMetrics(perSeries as never) as unknown as MetricValues;
}
