// PROVISIONAL (lead): point and interval metrics only, until the full metric module lands in main/evaluation/.
import type { Interval } from '../../common/domain';

export type MetricSet = Record<string, number | null>;

export function labelsFromIntervals(length: number, intervals: Interval[]): Uint8Array {
  const out = new Uint8Array(length);
  for (const iv of intervals) out.fill(1, Math.max(0, iv.start), Math.min(length, iv.end));
  return out;
}

export function evaluateScores(
  _scores: ArrayLike<number>,
  labels: Uint8Array,
  opts: { slidingWindow: number; predicted?: Interval[] },
): MetricSet {
  const pred = labelsFromIntervals(labels.length, opts.predicted ?? []);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    if (pred[i] && labels[i]) tp++;
    else if (pred[i]) fp++;
    else if (labels[i]) fn++;
  }
  const p = tp + fp > 0 ? tp / (tp + fp) : null;
  const r = tp + fn > 0 ? tp / (tp + fn) : null;
  return { point_p: p, point_r: r, point_f1: p !== null && r !== null && p + r > 0 ? (2 * p * r) / (p + r) : null };
}

export function aggregateMetrics(perSeries: MetricSet[]): MetricSet {
  const keys = new Set(perSeries.flatMap((m) => Object.keys(m)));
  const out: MetricSet = {};
  for (const k of keys) {
    const vals = perSeries.map((m) => m[k]).filter((v): v is number => typeof v === 'number');
    out[k] = vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null;
  }
  return out;
}
