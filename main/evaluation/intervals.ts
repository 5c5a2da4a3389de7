/**
 * Binary predictions given as intervals: point-wise P/R/F1 and interval-level matching.
 *
 * Zero-division rule (sklearn's zero_division = 0): a ratio with a zero denominator is 0 — except
 * when there is neither a labeled anomaly nor a prediction, where all three are null (nothing to
 * score, so the series drops out of means instead of scoring 0 or 1).
 */
import type { Interval } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';

export interface PRF {
  p: number | null;
  r: number | null;
  f1: number | null;
}

/** 0/1 vector of `length` points with the intervals set (clipped to the series). */
export function labelsFromIntervals(length: number, intervals: readonly Interval[]): Uint8Array {
  if (!Number.isInteger(length) || length < 0) {
    throw new WorkbenchError('invalid_input', `labelsFromIntervals: length must be a non-negative integer, got ${length}.`);
  }
  const out = new Uint8Array(length);
  for (const iv of intervals) {
    const start = Math.max(0, Math.floor(iv.start));
    const end = Math.min(length, Math.ceil(iv.end));
    if (end > start) out.fill(1, start, end);
  }
  return out;
}

/** Runs of non-zero values as half-open [start, end) intervals, in order. */
export function intervalsFromLabels(labels: ArrayLike<number>): Interval[] {
  const out: Interval[] = [];
  let start = -1;
  for (let i = 0; i <= labels.length; i++) {
    const on = i < labels.length && labels[i] !== 0;
    if (on && start < 0) start = i;
    else if (!on && start >= 0) {
      out.push({ start, end: i });
      start = -1;
    }
  }
  return out;
}

/** P/R/F1 from counts under the zero-division rule above. */
export function prf(tp: number, fp: number, fn: number): PRF {
  if (tp + fp + fn === 0) return { p: null, r: null, f1: null };
  const p = tp + fp > 0 ? tp / (tp + fp) : 0;
  const r = tp + fn > 0 ? tp / (tp + fn) : 0;
  return { p, r, f1: p + r > 0 ? (2 * p * r) / (p + r) : 0 };
}

/** Point-wise precision, recall and F1 of predicted intervals against 0/1 labels. */
export function pointPRF(labels: ArrayLike<number>, predicted: readonly Interval[]): PRF {
  const pred = labelsFromIntervals(labels.length, predicted);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    if (pred[i] && labels[i]) tp++;
    else if (pred[i]) fp++;
    else if (labels[i]) fn++;
  }
  return prf(tp, fp, fn);
}

/** Intersection over union of two half-open intervals (0 when disjoint or both empty). */
export function iou(a: Interval, b: Interval): number {
  const inter = Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
  const union = Math.max(0, a.end - a.start) + Math.max(0, b.end - b.start) - inter;
  return union > 0 ? inter / union : 0;
}

export interface IntervalMatch {
  tp: number;
  fp: number;
  fn: number;
  /** Mean over the true intervals of the IoU with their matched prediction (0 when unmatched); null without true intervals. */
  meanIou: number | null;
}

/**
 * Interval-level matching (VisAnomBench counts, our reading of its rule): a prediction and a true
 * interval can pair only when they overlap (IoU > 0); pairs are taken one-to-one, greedily by
 * decreasing IoU (ties: earlier true interval, then earlier prediction). A paired prediction is a TP,
 * an unpaired prediction a FP, an unpaired true interval a FN.
 */
export function matchIntervals(truth: readonly Interval[], predicted: readonly Interval[]): IntervalMatch {
  const pairs: { t: number; p: number; v: number }[] = [];
  // sweep in start order; a prediction ending before a true interval starts cannot meet any later one
  const order = (xs: readonly Interval[]) => xs.map((_, i) => i).sort((a, b) => xs[a].start - xs[b].start);
  const tOrder = order(truth);
  const pOrder = order(predicted);
  let first = 0;
  for (const ti of tOrder) {
    const t = truth[ti];
    while (first < pOrder.length && predicted[pOrder[first]].end <= t.start) first++;
    for (let k = first; k < pOrder.length && predicted[pOrder[k]].start < t.end; k++) {
      const v = iou(t, predicted[pOrder[k]]);
      if (v > 0) pairs.push({ t: ti, p: pOrder[k], v });
    }
  }
  pairs.sort((a, b) => b.v - a.v || a.t - b.t || a.p - b.p);
  const usedT = new Uint8Array(truth.length);
  const usedP = new Uint8Array(predicted.length);
  let tp = 0;
  let iouSum = 0;
  for (const { t, p, v } of pairs) {
    if (usedT[t] || usedP[p]) continue;
    usedT[t] = 1;
    usedP[p] = 1;
    tp++;
    iouSum += v;
  }
  return {
    tp,
    fp: predicted.length - tp,
    fn: truth.length - tp,
    meanIou: truth.length > 0 ? iouSum / truth.length : null,
  };
}
