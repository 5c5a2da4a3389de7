import type { Interval } from '../../common/domain';

export function labelsFromIntervals(length: number, intervals: Interval[]): Uint8Array {
  const out = new Uint8Array(length);
  for (const iv of intervals) out.fill(1, Math.max(0, iv.start), Math.min(length, iv.end));
  return out;
}

/** Point-wise precision, recall and F1 of binary predictions (given as intervals). */
export function pointPRF(labels: Uint8Array, predicted: Interval[]): { p: number | null; r: number | null; f1: number | null } {
  const pred = labelsFromIntervals(labels.length, predicted);
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
  const f1 = p !== null && r !== null ? (p + r > 0 ? (2 * p * r) / (p + r) : 0) : null;
  return { p, r, f1 };
}

export function iou(a: Interval, b: Interval): number {
  const inter = Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
  const union = Math.max(a.end, b.end) - Math.min(a.start, b.start);
  return union > 0 ? inter / union : 0;
}

/**
 * Interval-level matching (the VisAnomBench convention as we read it): predicted and true intervals
 * are paired one-to-one, greedily by highest IoU among overlapping pairs. A matched prediction is a
 * TP, an unmatched prediction a FP, an unmatched true interval a FN. `meanIou` averages the IoU over
 * the true intervals, an unmatched one counting 0.
 */
export function matchIntervals(
  truth: Interval[],
  predicted: Interval[],
): { tp: number; fp: number; fn: number; meanIou: number | null } {
  const pairs: { t: number; p: number; v: number }[] = [];
  truth.forEach((t, ti) =>
    predicted.forEach((p, pi) => {
      const v = iou(t, p);
      if (v > 0) pairs.push({ t: ti, p: pi, v });
    }),
  );
  pairs.sort((a, b) => b.v - a.v);
  const usedT = new Set<number>();
  const usedP = new Set<number>();
  let iouSum = 0;
  for (const pair of pairs) {
    if (usedT.has(pair.t) || usedP.has(pair.p)) continue;
    usedT.add(pair.t);
    usedP.add(pair.p);
    iouSum += pair.v;
  }
  return {
    tp: usedP.size,
    fp: predicted.length - usedP.size,
    fn: truth.length - usedT.size,
    meanIou: truth.length > 0 ? iouSum / truth.length : null,
  };
}

export function prf(tp: number, fp: number, fn: number): { p: number | null; r: number | null; f1: number | null } {
  const p = tp + fp > 0 ? tp / (tp + fp) : null;
  const r = tp + fn > 0 ? tp / (tp + fn) : null;
  const f1 = p !== null && r !== null ? (p + r > 0 ? (2 * p * r) / (p + r) : 0) : null;
  return { p, r, f1 };
}
