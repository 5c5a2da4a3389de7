/**
 * VUS-ROC and VUS-PR (Paparrizos et al., VLDB 2022) exactly as TSB-AD computes them by default
 * (`get_metrics(..., version='opt', thre=250)` → `basic_metricor.RangeAUC_volume_opt`):
 *
 * for every label buffer w = 0..slidingWindow, each anomaly run [s, e] is extended by ⌊w/2⌋ points on
 * both sides with weights √(1 − d/w) (summed where extensions meet, capped at 1); at 250 thresholds
 * (the scores at ranks ⌊linspace(0, n−1, 250)⌋ of the descending sort, predicted = score ≥ threshold)
 *   TP = predicted anomaly points + Σ weights of predicted buffer points,  P' = P + (buffer part of TP)/2,
 *   TPR = min(TP/P', 1) · (buffered runs hit / buffered runs),  FPR = (predicted − TP)/(n − P'),
 *   precision = TP / predicted;
 * ROC area: trapezoids through (0,0), the 250 points and (1,1); PR area: Σ (TPRₖ − TPRₖ₋₁)·precisionₖ.
 * Both are averaged over the slidingWindow + 1 buffers.
 *
 * Same arithmetic, different bookkeeping: instead of re-scanning the series for each (buffer,
 * threshold) pair, each point gets the index of the first threshold that predicts it, so per buffer
 * the buffer weights and the run hits are bucketed by threshold and prefix-summed: O(n log n +
 * slidingWindow · (250 + buffer points)). Sums are taken in another order than numpy's, so results
 * agree with TSB-AD to rounding (≈1e-12), not bit for bit.
 */
import { WorkbenchError } from '../../common/errors';
import { binaryLabels, checkCancelled, checkLengths, countOnes, finiteScores, inclusiveRuns } from './scores';

export const VUS_THRESHOLDS = 250;

export interface VusOptions {
  thresholds?: number;
  signal?: AbortSignal;
  progress?: (fraction: number) => void;
}

/** Runs merged when their ⌊w/2⌋ buffers touch (TSB-AD's `new_sequence`). */
function bufferedRuns(runs: [number, number][], n: number, window: number): [number, number][] {
  const h = Math.floor(window / 2);
  const out: [number, number][] = [];
  let a = Math.max(runs[0][0] - h, 0);
  for (let i = 0; i < runs.length - 1; i++) {
    if (runs[i][1] + h < runs[i + 1][0] - h) {
      out.push([a, runs[i][1] + h]);
      a = runs[i + 1][0] - h;
    }
  }
  out.push([a, Math.min(runs[runs.length - 1][1] + h, n - 1)]);
  return out;
}

/** Range-minimum queries over an Int32Array in O(1) after O(n log n) preparation. */
class RangeMin {
  private readonly levels: Int32Array[];
  constructor(values: Int32Array) {
    this.levels = [values];
    for (let span = 2; span <= values.length; span *= 2) {
      const prev = this.levels[this.levels.length - 1];
      const half = span / 2;
      const next = new Int32Array(values.length - span + 1);
      for (let i = 0; i < next.length; i++) next[i] = Math.min(prev[i], prev[i + half]);
      this.levels.push(next);
    }
  }
  /** Minimum over [a, b] inclusive. */
  query(a: number, b: number): number {
    const level = 31 - Math.clz32(b - a + 1);
    const row = this.levels[level];
    return Math.min(row[a], row[b - (1 << level) + 1]);
  }
}

/**
 * VUS-ROC and VUS-PR in one pass. `roc` is null when every point is an anomaly (no negatives).
 * Throws `invalid_input` on a length mismatch, a negative window, or labels without any anomaly.
 */
export function vus(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  slidingWindow: number,
  options: VusOptions = {},
): { roc: number | null; pr: number } {
  checkLengths(scores, labels, 'VUS');
  if (!Number.isInteger(slidingWindow) || slidingWindow < 0) {
    throw new WorkbenchError('invalid_input', `VUS: slidingWindow must be a non-negative integer, got ${slidingWindow}.`, {
      parameter: 'slidingWindow',
    });
  }
  const label = binaryLabels(labels);
  const P = countOnes(label);
  if (P === 0) throw new WorkbenchError('invalid_input', 'VUS: the labels contain no anomaly; VUS is undefined.');
  const n = label.length;
  const T = options.thresholds ?? VUS_THRESHOLDS;
  const s = finiteScores(scores);

  const sorted = Float64Array.from(s).sort();
  const thr = new Float64Array(T); // non-increasing
  const step = T > 1 ? (n - 1) / (T - 1) : 0;
  for (let k = 0; k < T; k++) {
    const rank = k === T - 1 ? n - 1 : Math.trunc(k * step);
    thr[k] = sorted[n - 1 - rank];
  }
  // first threshold index predicting each point (T = never)
  const firstK = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    let lo = 0;
    let hi = T;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (thr[mid] <= s[t]) hi = mid;
      else lo = mid + 1;
    }
    firstK[t] = lo;
  }
  const nPred = new Float64Array(T + 1);
  const anomalyTp = new Float64Array(T + 1);
  for (let t = 0; t < n; t++) {
    nPred[firstK[t]]++;
    if (label[t]) anomalyTp[firstK[t]]++;
  }
  for (let k = 1; k <= T; k++) {
    nPred[k] += nPred[k - 1];
    anomalyTp[k] += anomalyTp[k - 1];
  }

  const runs = inclusiveRuns(label);
  const rangeMin = new RangeMin(firstK);
  const buffer = new Float64Array(n);
  const touched: number[] = [];
  const bufferTp = new Float64Array(T + 1);
  const hits = new Float64Array(T + 1);
  const tpr = new Float64Array(T);
  const fpr = new Float64Array(T);
  const precision = new Float64Array(T);
  let aucSum = 0;
  let apSum = 0;

  for (let w = 0; w <= slidingWindow; w++) {
    checkCancelled(options.signal, 'VUS');
    const h = Math.floor(w / 2);
    // buffer weights, added in TSB-AD's order (per run: after-side, then before-side)
    for (const [a, e] of runs) {
      for (let t = e + 1; t < Math.min(e + h + 1, n); t++) {
        if (label[t]) continue;
        if (buffer[t] === 0) touched.push(t);
        buffer[t] += Math.sqrt(1 - (t - e) / w);
      }
      for (let t = Math.max(a - h, 0); t < a; t++) {
        if (label[t]) continue;
        if (buffer[t] === 0) touched.push(t);
        buffer[t] += Math.sqrt(1 - (a - t) / w);
      }
    }
    bufferTp.fill(0);
    for (const t of touched) {
      bufferTp[firstK[t]] += Math.min(1, buffer[t]);
      buffer[t] = 0;
    }
    touched.length = 0;
    hits.fill(0);
    const merged = bufferedRuns(runs, n, w);
    for (const [a, b] of merged) hits[rangeMin.query(a, b)]++;
    for (let k = 1; k <= T; k++) {
      bufferTp[k] += bufferTp[k - 1];
      hits[k] += hits[k - 1];
    }
    for (let k = 0; k < T; k++) {
      const tp = anomalyTp[k] + bufferTp[k];
      const pNew = P + bufferTp[k] / 2;
      tpr[k] = Math.min(tp / pNew, 1) * (hits[k] / merged.length);
      fpr[k] = (nPred[k] - tp) / (n - pNew);
      precision[k] = tp / nPred[k];
    }
    let auc = 0;
    let ap = 0;
    let prevTpr = 0;
    let prevFpr = 0;
    for (let k = 0; k < T; k++) {
      auc += (fpr[k] - prevFpr) * ((tpr[k] + prevTpr) / 2);
      ap += (tpr[k] - prevTpr) * precision[k];
      prevTpr = tpr[k];
      prevFpr = fpr[k];
    }
    auc += (1 - prevFpr) * ((1 + prevTpr) / 2);
    aucSum += auc;
    apSum += ap;
    options.progress?.((w + 1) / (slidingWindow + 1));
  }
  return { roc: P === n ? null : aucSum / (slidingWindow + 1), pr: apSum / (slidingWindow + 1) };
}

/** VUS-PR of per-point scores against 0/1 labels (TSB-AD 'opt', 250 thresholds). */
export function vusPr(scores: ArrayLike<number>, labels: ArrayLike<number>, slidingWindow: number, options?: VusOptions): number {
  return vus(scores, labels, slidingWindow, options).pr;
}

/** VUS-ROC of per-point scores against 0/1 labels; NaN when every point is an anomaly. */
export function vusRoc(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  slidingWindow: number,
  options?: VusOptions,
): number {
  return vus(scores, labels, slidingWindow, options).roc ?? Number.NaN;
}
