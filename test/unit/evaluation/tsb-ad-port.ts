/**
 * Literal, unoptimized transcriptions of TSB-AD's metric code (basic_metrics.py), loop for loop, used
 * as references for the optimized implementations. Inclusive [start, end] ranges as in the Python.
 */

export function rangeConversNew(label: ArrayLike<number>): [number, number][] {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i + 1 < label.length; i++) {
    const d = label[i + 1] - label[i];
    if (d === 1) starts.push(i + 1);
    if (d === -1) ends.push(i);
  }
  if (ends.length && (!starts.length || ends[0] < starts[0])) starts.unshift(0);
  if (starts.length && (!ends.length || ends[ends.length - 1] < starts[starts.length - 1])) ends.push(label.length - 1);
  return starts.map((s, i) => [s, ends[i]]);
}

function newSequence(n: number, seq: [number, number][], window: number): [number, number][] {
  const h = Math.floor(window / 2);
  let a = Math.max(seq[0][0] - h, 0);
  const out: [number, number][] = [];
  for (let i = 0; i < seq.length - 1; i++) {
    if (seq[i][1] + h < seq[i + 1][0] - h) {
      out.push([a, seq[i][1] + h]);
      a = seq[i + 1][0] - h;
    }
  }
  out.push([a, Math.min(seq[seq.length - 1][1] + h, n - 1)]);
  return out;
}

function sequencing(x: ArrayLike<number>, L: [number, number][], window: number): Float64Array {
  const n = x.length;
  const label = Float64Array.from(x);
  const h = Math.floor(window / 2);
  for (const [s, e] of L) {
    for (let t = e + 1; t < Math.min(e + h + 1, n); t++) label[t] += Math.sqrt(1 - (t - e) / window);
    for (let t = Math.max(s - h, 0); t < s; t++) label[t] += Math.sqrt(1 - (s - t) / window);
  }
  for (let i = 0; i < n; i++) label[i] = Math.min(1, label[i]);
  return label;
}

/** RangeAUC_volume_opt → [avg VUS-ROC, avg VUS-PR]. */
export function rangeAucVolumeOpt(
  labelsOriginal: ArrayLike<number>,
  score: ArrayLike<number>,
  windowSize: number,
  thre = 250,
): [number, number] {
  const n = score.length;
  let P = 0;
  for (let i = 0; i < n; i++) P += labelsOriginal[i];
  const seq = rangeConversNew(labelsOriginal);
  const l = newSequence(n, seq, windowSize);
  const sorted = Float64Array.from(score).sort().reverse();
  const idx: number[] = [];
  const step = (n - 1) / (thre - 1);
  for (let k = 0; k < thre; k++) idx.push(k === thre - 1 ? n - 1 : Math.trunc(k * step));
  let aucSum = 0;
  let apSum = 0;
  for (let window = 0; window <= windowSize; window++) {
    const ext = sequencing(labelsOriginal, seq, window);
    const L = newSequence(n, seq, window);
    const TF: [number, number][] = [[0, 0]];
    const prec: number[] = [1];
    for (const i of idx) {
      const threshold = sorted[i];
      const pred: number[] = [];
      for (let t = 0; t < n; t++) pred.push(score[t] >= threshold ? 1 : 0);
      let nPred = 0;
      for (const v of pred) nPred += v;
      const labels = Float64Array.from(ext);
      let existence = 0;
      for (const [a, b] of L) {
        let any = false;
        for (let t = a; t <= b; t++) {
          labels[t] = ext[t] * pred[t];
          if (pred[t] > 0) any = true;
        }
        if (any) existence++;
      }
      for (const [a, b] of seq) for (let t = a; t <= b; t++) labels[t] = 1;
      let TP = 0;
      let NL = 0;
      for (const [a, b] of l)
        for (let t = a; t <= b; t++) {
          TP += labels[t] * pred[t];
          NL += labels[t];
        }
      const FP = nPred - TP;
      const Pnew = (P + NL) / 2;
      const recall = Math.min(TP / Pnew, 1);
      TF.push([recall * (existence / L.length), FP / (n - Pnew)]);
      prec.push(TP / nPred);
    }
    TF.push([1, 1]);
    let auc = 0;
    for (let j = 1; j < TF.length; j++) auc += (TF[j][1] - TF[j - 1][1]) * ((TF[j][0] + TF[j - 1][0]) / 2);
    let ap = 0;
    for (let j = 1; j <= thre; j++) ap += (TF[j][0] - TF[j - 1][0]) * prec[j];
    aucSum += auc;
    apSum += ap;
  }
  return [aucSum / (windowSize + 1), apSum / (windowSize + 1)];
}

/** range_recall_new(labels, preds, alpha)[0] with bias 'flat'. */
export function rangeRecallNew(labels: number[], preds: number[], alpha: number): number {
  const p = preds.flatMap((v, i) => (v === 1 ? [i] : []));
  const rangePred = rangeConversNew(preds);
  const rangeLabel = rangeConversNew(labels);
  const Nr = rangeLabel.length;
  let existence = 0;
  for (const [s, e] of rangeLabel) if (preds.slice(s, e + 1).some((v) => v)) existence++;
  let overlap = 0;
  for (const [start, end] of rangeLabel) {
    let my = 0;
    let max = 0;
    for (let i = start; i <= end; i++) {
      max += 1;
      if (p.includes(i)) my += 1;
    }
    let score = 0;
    for (const [i0, i1] of rangePred) {
      if (i0 >= start && i0 <= end) score += 1;
      else if (start >= i0 && start <= i1) score += 1;
      else if (end >= i0 && end <= i1) score += 1;
      else if (start >= i0 && end <= i1) score += 1;
    }
    overlap += (my / max) * (score === 0 ? 0 : 1 / score);
  }
  return Nr !== 0 ? (alpha * existence + (1 - alpha) * overlap) / Nr : 0;
}

export function rangeF1Binary(label: number[], preds: number[]): number {
  const r = rangeRecallNew(label, preds, 0.2);
  const p = rangeRecallNew(preds, label, 0);
  return p + r === 0 ? 0 : (2 * r * p) / (p + r);
}

/** _adjust_predicts followed by sklearn f1_score. */
export function pointAdjustedF1(label: number[], pred: number[]): number {
  const predict = pred.map((v) => v > 0);
  const actual = label.map((v) => v > 0.1);
  let state = false;
  for (let i = 0; i < label.length; i++) {
    if (actual[i] && predict[i] && !state) {
      state = true;
      for (let j = i; j > 0; j--) {
        if (!actual[j]) break;
        predict[j] = true;
      }
    } else if (!actual[i]) state = false;
    if (state) predict[i] = true;
  }
  let tp = 0;
  let fp = 0;
  let fn = 0;
  label.forEach((y, i) => {
    if (y && predict[i]) tp++;
    else if (predict[i]) fp++;
    else if (y) fn++;
  });
  const p = tp + fp > 0 ? tp / (tp + fp) : 0;
  const r = tp / (tp + fn);
  return p + r > 0 ? (2 * p * r) / (p + r) : 0;
}

/** metric_EventF1PA for one prediction (with `_get_events`). */
export function eventF1PA(label: number[], preds: number[]): number {
  const events: [number, number][] = [];
  let prev = 0;
  let start = 0;
  let tim = 0;
  for (tim = 0; tim < label.length; tim++) {
    if (label[tim] === 1) {
      if (prev === 0) start = tim;
    } else if (prev === 1) events.push([start, tim - 1]);
    prev = label[tim];
  }
  if (prev === 1) events.push([start, tim - 2]); // Python's `tim` is the last index here
  const tp = events.filter(([s, e]) => preds.slice(s, e + 1).some((v) => v)).length;
  const rec = tp / events.length;
  let ptp = 0;
  let flagged = 0;
  preds.forEach((v, i) => {
    if (v) {
      flagged++;
      if (label[i]) ptp++;
    }
  });
  const prec = flagged > 0 ? ptp / flagged : 0;
  return (2 * rec * prec) / (rec + prec + 1e-15);
}

/** np.linspace(score.min(), score.max(), 100) sweep with score > threshold, max of `metric`. */
export function sweep(score: number[], metric: (preds: number[]) => number): number {
  const lo = Math.min(...score);
  const hi = Math.max(...score);
  let best = -Infinity;
  for (let k = 0; k < 100; k++) {
    const thr = k === 99 ? hi : k * ((hi - lo) / 99) + lo;
    const v = metric(score.map((s) => (s > thr ? 1 : 0)));
    if (v > best) best = v;
  }
  return best;
}
