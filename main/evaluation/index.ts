/**
 * Evaluation metrics: TSB-AD's metric set (AUC-ROC, AUC-PR, VUS-ROC, VUS-PR, Standard-F1, PA-F1,
 * Event-F1, Range-F1, Affiliation P/R/F) reproduced from its code, plus point-wise and interval-level
 * scores of binary predictions (VisAnomBench conventions). Pure functions, no I/O.
 */
import type { Interval } from '../../common/domain';
import { aucPr, aucRoc, standardF1 } from './threshold-free';
import { affiliationBinary, sweptMetrics } from './swept';
import { intervalsFromLabels, labelsFromIntervals, matchIntervals, pointPRF, prf } from './intervals';
import { binaryLabels, checkCancelled, checkLengths, countOnes } from './scores';
import { vus } from './vus';

export { aucPr, aucRoc, standardF1 } from './threshold-free';
export { vus, vusPr, vusRoc, VUS_THRESHOLDS, type VusOptions } from './vus';
export {
  paF1,
  eventF1,
  rangeF1,
  affiliationF,
  sweptMetrics,
  paF1Binary,
  eventF1Binary,
  rangePRF,
  affiliationBinary,
  type SweptMetrics,
  type SweepOptions,
} from './swept';
export { affiliationFromEvents } from './affiliation';
export {
  iou,
  intervalsFromLabels,
  labelsFromIntervals,
  matchIntervals,
  pointPRF,
  prf,
  type IntervalMatch,
  type PRF,
} from './intervals';

export const METRIC_NAMES = [
  'auc_roc',
  'auc_pr',
  'vus_roc',
  'vus_pr',
  'standard_f1',
  'pa_f1',
  'event_f1',
  'range_f1',
  'affiliation_p',
  'affiliation_r',
  'affiliation_f',
  'point_p',
  'point_r',
  'point_f1',
  'pred_affiliation_p',
  'pred_affiliation_r',
  'pred_affiliation_f',
  'interval_tp',
  'interval_fp',
  'interval_fn',
  'interval_p',
  'interval_r',
  'interval_f1',
  'mean_iou',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** Metric name → value; null where the metric is undefined for the data or was not asked for. */
export type MetricSet = { [K in MetricName]: number | null };

const COUNT_KEYS: readonly string[] = ['interval_tp', 'interval_fp', 'interval_fn'];

export interface EvaluateOptions {
  /** Largest label buffer of VUS (TSB-AD passes the series' period window). */
  slidingWindow: number;
  /** Binary predictions; the point_*, pred_affiliation_*, interval_* and mean_iou metrics need them. */
  predicted?: readonly Interval[];
  signal?: AbortSignal;
  progress?: (fraction: number) => void;
}

/**
 * Every metric for one series. Score metrics are null when the labels hold no anomaly (and the ROC
 * ones also when every point is an anomaly); the swept F1s, Affiliation P/R/F and Standard-F1 follow
 * TSB-AD's oracle thresholds. Non-finite scores: see `scores.ts` (NaN ties with the lowest score).
 * Throws `invalid_input` when scores and labels differ in length.
 */
export function evaluateScores(
  scores: Float32Array | Float64Array | ArrayLike<number>,
  labels: Uint8Array | ArrayLike<number>,
  opts: EvaluateOptions,
): MetricSet {
  checkLengths(scores, labels, 'evaluateScores');
  const y = binaryLabels(labels);
  const positives = countOnes(y);
  const out = Object.fromEntries(METRIC_NAMES.map((k) => [k, null])) as MetricSet;
  if (positives > 0) {
    out.auc_roc = aucRoc(scores, y);
    out.auc_pr = aucPr(scores, y);
    out.standard_f1 = standardF1(scores, y);
    const v = vus(scores, y, opts.slidingWindow, {
      signal: opts.signal,
      progress: (f) => opts.progress?.(0.6 * f),
    });
    out.vus_roc = v.roc;
    out.vus_pr = v.pr;
    const swept = sweptMetrics(scores, y, { signal: opts.signal, progress: (f) => opts.progress?.(0.6 + 0.4 * f) });
    Object.assign(out, swept);
  }
  checkCancelled(opts.signal, 'evaluateScores');
  if (opts.predicted) {
    const point = pointPRF(y, opts.predicted);
    out.point_p = point.p;
    out.point_r = point.r;
    out.point_f1 = point.f1;
    if (positives > 0) {
      const aff = affiliationBinary(y, labelsFromIntervals(y.length, opts.predicted));
      out.pred_affiliation_p = aff.precision;
      out.pred_affiliation_r = aff.recall;
      out.pred_affiliation_f = aff.f;
    }
    const match = matchIntervals(intervalsFromLabels(y), opts.predicted);
    const counts = prf(match.tp, match.fp, match.fn);
    out.interval_tp = match.tp;
    out.interval_fp = match.fp;
    out.interval_fn = match.fn;
    out.interval_p = counts.p;
    out.interval_r = counts.r;
    out.interval_f1 = counts.f1;
    out.mean_iou = match.meanIou;
  }
  opts.progress?.(1);
  return out;
}

/**
 * Aggregate over series: the mean of each metric over the series where it is defined (non-null),
 * except the interval counts, which are summed, and interval P/R/F1, recomputed from those sums
 * (VisAnomBench). Keys outside METRIC_NAMES are averaged too.
 */
export function aggregateMetrics(perSeries: readonly Readonly<Record<string, number | null>>[]): MetricSet {
  const keys = new Set<string>(METRIC_NAMES);
  for (const m of perSeries) for (const k of Object.keys(m)) keys.add(k);
  const out: Record<string, number | null> = {};
  for (const k of keys) {
    const values = perSeries.map((m) => m[k]).filter((v): v is number => typeof v === 'number' && !Number.isNaN(v));
    const sum = values.reduce((a, b) => a + b, 0);
    out[k] = COUNT_KEYS.includes(k) ? (values.length > 0 ? sum : null) : values.length > 0 ? sum / values.length : null;
  }
  if (out.interval_tp !== null || out.interval_fp !== null || out.interval_fn !== null) {
    const counts = prf(out.interval_tp ?? 0, out.interval_fp ?? 0, out.interval_fn ?? 0);
    out.interval_p = counts.p;
    out.interval_r = counts.r;
    out.interval_f1 = counts.f1;
  }
  return out as MetricSet;
}
