/**
 * Metrics over the full ranking of the scores, as sklearn computes them (TSB-AD calls
 * `roc_auc_score`, `average_precision_score` and `precision_recall_curve`): one operating point per
 * distinct score value, predicted = score ≥ that value. Undefined cases (no anomaly; for AUC-ROC also
 * no normal point) are null.
 */
import { binaryLabels, checkLengths, finiteScores } from './scores';

/** (tp, fp) after each group of tied scores, walking from the highest score down. */
function operatingPoints(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): { tp: number[]; fp: number[]; positives: number } {
  const s = finiteScores(scores);
  const y = binaryLabels(labels);
  const order = new Uint32Array(s.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => s[b] - s[a]);
  const tp: number[] = [];
  const fp: number[] = [];
  let t = 0;
  let f = 0;
  for (let k = 0; k < order.length; k++) {
    if (y[order[k]]) t++;
    else f++;
    if (k + 1 === order.length || s[order[k + 1]] !== s[order[k]]) {
      tp.push(t);
      fp.push(f);
    }
  }
  return { tp, fp, positives: t };
}

/** Area under the ROC curve (trapezoids; a tied positive/negative pair counts one half). */
export function aucRoc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  checkLengths(scores, labels, 'AUC-ROC');
  const { tp, fp, positives } = operatingPoints(scores, labels);
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return null;
  let area = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (let i = 0; i < tp.length; i++) {
    area += ((fp[i] - prevFp) / negatives) * ((tp[i] + prevTp) / 2 / positives);
    prevTp = tp[i];
    prevFp = fp[i];
  }
  return area;
}

/** Average precision (sklearn): Σ (Rₖ − Rₖ₋₁)·Pₖ over the operating points. */
export function aucPr(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  checkLengths(scores, labels, 'AUC-PR');
  const { tp, fp, positives } = operatingPoints(scores, labels);
  if (positives === 0) return null;
  let ap = 0;
  let prevR = 0;
  for (let i = 0; i < tp.length; i++) {
    const r = tp[i] / positives;
    ap += (r - prevR) * (tp[i] / (tp[i] + fp[i]));
    prevR = r;
  }
  return ap;
}

/**
 * Standard-F1: TSB-AD's `metric_PointF1` without predictions, max over the PR curve of
 * 2PR / (P + R + 1e-5) (the 1e-5 is TSB-AD's, so a perfect detector scores 0.999995).
 */
export function standardF1(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  checkLengths(scores, labels, 'Standard-F1');
  const { tp, fp, positives } = operatingPoints(scores, labels);
  if (positives === 0) return null;
  let best = 0;
  for (let i = 0; i < tp.length; i++) {
    const p = tp[i] / (tp[i] + fp[i]);
    const r = tp[i] / positives;
    best = Math.max(best, (2 * p * r) / (p + r + 1e-5));
  }
  return best;
}
