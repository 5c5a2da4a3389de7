import type { Interval } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import { eventsOf, aucPr, aucRoc, paF1, standardF1 } from './threshold-free';
import { matchIntervals, pointPRF, prf } from './intervals';
import { vusPr } from './vus';

export { aucPr, aucRoc, paF1, standardF1, eventsOf } from './threshold-free';
export { vusPr, VUS_MAX_CELLS } from './vus';
export { iou, labelsFromIntervals, matchIntervals, pointPRF, prf } from './intervals';

/** Metric name → value (null where undefined for the data, e.g. no labeled anomaly). */
export type MetricSet = Record<string, number | null>;

/**
 * Every metric implemented so far for one series. VUS-PR needs `slidingWindow` (TSB-AD uses the
 * series' period window). Not yet implemented (reported as null, never approximated): VUS-ROC,
 * Event-F1, Range-F1, Affiliation P/R/F.
 */
export function evaluateScores(
  scores: ArrayLike<number>,
  labels: Uint8Array,
  opts: { predicted?: Interval[]; slidingWindow?: number } = {},
): MetricSet {
  if (scores.length !== labels.length) {
    throw new WorkbenchError('invalid_input', `Scores have ${scores.length} points but labels have ${labels.length}.`);
  }
  const point = pointPRF(labels, opts.predicted ?? []);
  const m = matchIntervals(eventsOf(labels), opts.predicted ?? []);
  const interval = prf(m.tp, m.fp, m.fn);
  return {
    auc_roc: aucRoc(scores, labels),
    auc_pr: aucPr(scores, labels),
    standard_f1: standardF1(scores, labels),
    pa_f1: paF1(scores, labels),
    vus_roc: null,
    vus_pr: opts.slidingWindow !== undefined ? vusPr(scores, labels, opts.slidingWindow) : null,
    event_f1: null,
    range_f1: null,
    affiliation_p: null,
    affiliation_r: null,
    affiliation_f: null,
    point_p: point.p,
    point_r: point.r,
    point_f1: point.f1,
    interval_tp: m.tp,
    interval_fp: m.fp,
    interval_fn: m.fn,
    interval_p: interval.p,
    interval_r: interval.r,
    interval_f1: interval.f1,
    mean_iou: m.meanIou,
  };
}

/** Means over series, except interval counts, which are summed (and interval P/R/F1 recomputed from the sums). */
export function aggregateMetrics(perSeries: MetricSet[]): MetricSet {
  const keys = new Set(perSeries.flatMap((m) => Object.keys(m)));
  const out: MetricSet = {};
  for (const k of keys) {
    const vals = perSeries.map((m) => m[k]).filter((v): v is number => typeof v === 'number');
    out[k] =
      k.startsWith('interval_') && ['interval_tp', 'interval_fp', 'interval_fn'].includes(k)
        ? vals.reduce((a, b) => a + b, 0)
        : vals.length > 0
          ? vals.reduce((a, b) => a + b, 0) / vals.length
          : null;
  }
  const { p, r, f1 } = prf(Number(out.interval_tp ?? 0), Number(out.interval_fp ?? 0), Number(out.interval_fn ?? 0));
  out.interval_p = p;
  out.interval_r = r;
  out.interval_f1 = f1;
  return out;
}
