/**
 * Threshold-free and threshold-swept point metrics over a per-point score and 0/1 labels. Missing
 * (NaN) scores count as the lowest possible score. Metrics that are undefined for the labels (no
 * anomaly, or nothing but anomalies) are null.
 */

function cleaned(scores: ArrayLike<number>): Float64Array {
  const out = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = Number.isNaN(scores[i]) ? -Infinity : scores[i];
  return out;
}

function order(s: Float64Array): Uint32Array {
  const idx = new Uint32Array(s.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  return idx.sort((a, b) => s[b] - s[a]);
}

/** Walks the distinct thresholds from the highest score down: (tp, fp) after each tie group. */
function curve(scores: ArrayLike<number>, labels: ArrayLike<number>): { tp: number[]; fp: number[]; positives: number } {
  const s = cleaned(scores);
  const idx = order(s);
  const tp: number[] = [];
  const fp: number[] = [];
  let t = 0;
  let f = 0;
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]) positives++;
  for (let k = 0; k < idx.length; k++) {
    if (labels[idx[k]]) t++;
    else f++;
    if (k + 1 === idx.length || s[idx[k + 1]] !== s[idx[k]]) {
      tp.push(t);
      fp.push(f);
    }
  }
  return { tp, fp, positives };
}

/** Area under the ROC curve (trapezoids over tie groups, as sklearn's roc_auc_score). */
export function aucRoc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const { tp, fp, positives } = curve(scores, labels);
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

/** Average precision (sklearn's average_precision_score): Σ (Rₙ − Rₙ₋₁)·Pₙ over tie groups. */
export function aucPr(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const { tp, fp, positives } = curve(scores, labels);
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

/** Best F1 over every threshold of the precision-recall curve (TSB-AD's Standard-F1). */
export function standardF1(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const { tp, fp, positives } = curve(scores, labels);
  if (positives === 0) return null;
  let best = 0;
  for (let i = 0; i < tp.length; i++) {
    const p = tp[i] / (tp[i] + fp[i]);
    const r = tp[i] / positives;
    if (p + r > 0) best = Math.max(best, (2 * p * r) / (p + r));
  }
  return best;
}

/** Label runs as [start, end) intervals. */
export function eventsOf(labels: ArrayLike<number>): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
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

/**
 * Point-adjusted F1, maximized over 100 score quantile thresholds: when any point of a labeled
 * event is flagged, the whole event counts as detected (the convention TSB-AD reports as PA-F1).
 */
export function paF1(scores: ArrayLike<number>, labels: ArrayLike<number>, thresholds = 100): number | null {
  const events = eventsOf(labels);
  if (events.length === 0) return null;
  const s = cleaned(scores);
  const sorted = Float64Array.from(s).sort();
  let best = 0;
  for (let t = 0; t < thresholds; t++) {
    const thr = sorted[Math.min(sorted.length - 1, Math.floor(((t + 0.5) / thresholds) * sorted.length))];
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const flagged = (i: number) => s[i] >= thr;
    let e = 0;
    for (let i = 0; i < s.length; i++) {
      while (e < events.length && events[e].end <= i) e++;
      const inEvent = e < events.length && events[e].start <= i;
      if (!inEvent && flagged(i)) fp++;
    }
    for (const ev of events) {
      let hit = false;
      for (let i = ev.start; i < ev.end && !hit; i++) hit = flagged(i);
      if (hit) tp += ev.end - ev.start;
      else fn += ev.end - ev.start;
    }
    const p = tp + fp > 0 ? tp / (tp + fp) : 0;
    const r = tp / (tp + fn);
    if (p + r > 0) best = Math.max(best, (2 * p * r) / (p + r));
  }
  return best;
}
