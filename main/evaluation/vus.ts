/**
 * VUS-PR, a port of TSB-AD's `RangeAUC_volume_opt` (Paparrizos et al., VLDB 2022): range-aware
 * precision-recall AUCs averaged over label buffers 0..slidingWindow, at 250 score thresholds. It
 * reproduces the published per-file values of the leaderboard (see the reference test). Cost is
 * O(slidingWindow × 250 × n): above VUS_MAX_CELLS (about a second here) it answers null instead of
 * holding the backend for minutes; a faster VUS is future work.
 */
export const VUS_MAX_CELLS = 2e8;

function ranges(label: ArrayLike<number>): [number, number][] {
  const out: [number, number][] = [];
  let s = -1;
  for (let i = 0; i <= label.length; i++) {
    const v = i < label.length ? label[i] : 0;
    if (v !== 0 && s < 0) s = i;
    if (v === 0 && s >= 0) {
      out.push([s, i - 1]);
      s = -1;
    }
  }
  return out;
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
  const label = Float64Array.from(x as ArrayLike<number>);
  const h = Math.floor(window / 2);
  for (const [s, e] of L) {
    for (let t = e + 1; t < Math.min(e + h + 1, n); t++) label[t] += Math.sqrt(1 - (t - e) / window);
    for (let t = Math.max(s - h, 0); t < s; t++) label[t] += Math.sqrt(1 - (s - t) / window);
  }
  for (let i = 0; i < n; i++) label[i] = Math.min(1, label[i]);
  return label;
}
function vusPrExact(score: ArrayLike<number>, labelsOriginal: ArrayLike<number>, windowSize: number, thre = 250): number {
  const n = score.length;
  let P = 0;
  for (let i = 0; i < n; i++) P += labelsOriginal[i];
  const seq = ranges(labelsOriginal);
  const l = newSequence(n, seq, windowSize);
  const sorted = Float64Array.from(score as ArrayLike<number>)
    .sort()
    .reverse();
  const idx: number[] = [];
  for (let k = 0; k < thre; k++) idx.push(Math.floor((k * (n - 1)) / (thre - 1)));
  const preds = idx.map((i) => {
    const t = sorted[i];
    const p = new Uint8Array(n);
    let c = 0;
    for (let q = 0; q < n; q++)
      if (score[q] >= t) {
        p[q] = 1;
        c++;
      }
    return { p, c };
  });
  let apSum = 0;
  for (let window = 0; window <= windowSize; window++) {
    const ext = sequencing(labelsOriginal, seq, window);
    const L = newSequence(n, seq, window);
    const tpr: number[] = [0];
    const prec: number[] = [1];
    for (const { p, c } of preds) {
      const labels = Float64Array.from(ext);
      let existence = 0;
      for (const [a, b] of L) {
        let any = false;
        for (let t = a; t <= b; t++) {
          labels[t] = ext[t] * p[t];
          if (p[t]) any = true;
        }
        if (any) existence++;
      }
      for (const [a, b] of seq) for (let t = a; t <= b; t++) labels[t] = 1;
      let TP = 0;
      let NL = 0;
      for (const [a, b] of l)
        for (let t = a; t <= b; t++) {
          TP += labels[t] * p[t];
          NL += labels[t];
        }
      const Pnew = (P + NL) / 2;
      const recall = Math.min(TP / Pnew, 1);
      tpr.push(recall * (existence / L.length));
      prec.push(TP / c);
    }
    // AP = Σ (tpr[j] − tpr[j−1]) · prec[j], j = 1..thre
    let ap = 0;
    for (let j = 1; j <= thre; j++) ap += (tpr[j] - tpr[j - 1]) * prec[j];
    apSum += ap;
  }
  return apSum / (windowSize + 1);
}

/** VUS-PR of per-point scores against 0/1 labels; null without anomalies or when too costly (see VUS_MAX_CELLS). */
export function vusPr(scores: ArrayLike<number>, labels: ArrayLike<number>, slidingWindow: number): number | null {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]) positives++;
  if (positives === 0) return null;
  if ((slidingWindow + 1) * 250 * scores.length > VUS_MAX_CELLS) return null;
  const finite = Float64Array.from(scores as ArrayLike<number>, (v) => (Number.isNaN(v) ? -Infinity : v));
  return vusPrExact(
    finite,
    Uint8Array.from(labels as ArrayLike<number>, (v) => (v ? 1 : 0)),
    slidingWindow,
  );
}
