/**
 * Threshold-dependent metrics of TSB-AD (`basic_metricor`): PA-F1, Event-F1, Range-F1 and
 * Affiliation-F, each for one binary prediction and as TSB-AD reports them from scores — the best
 * value over the 100 thresholds linspace(min score, max score, 100), predicted = score > threshold
 * (strictly, so the top threshold predicts nothing).
 *
 * Faithful to TSB-AD's code, including two quirks (both only at the series boundaries):
 *  - PA-F1 (`_adjust_predicts`) back-fills a detected event down to index 1, never index 0, so an event
 *    starting at 0 and detected later keeps its point 0 unpredicted;
 *  - Event-F1 (`_get_events`) ends an event that runs to the last point one point early (n − 2).
 * One deliberate deviation: TSB-AD's `range_convers_new` finds no run in an all-ones vector, so its
 * Range-F1 is 0 when every point is labeled; here that vector is one run [0, n − 1].
 * Where nothing is predicted at any threshold (constant scores) TSB-AD's Affiliation-F is NaN; here
 * it is 0 with an undefined (null) precision.
 */
import { WorkbenchError } from '../../common/errors';
import { affiliationFlat, flatEventsOfVector, type FlatEvents } from './affiliation';
import { binaryLabels, checkCancelled, checkLengths, finiteScores, inclusiveRuns, sweepThresholds } from './scores';

export interface SweepOptions {
  thresholds?: number;
  signal?: AbortSignal;
  progress?: (fraction: number) => void;
}

/** sklearn's F1 of binary predictions (zero_division = 0). */
function f1FromCounts(tp: number, fp: number, fn: number): number {
  return tp > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0;
}

/** Point-adjusted F1 of a binary prediction (TSB-AD `_adjust_predicts` + `f1_score`). */
export function paF1Binary(labels: Uint8Array, predicted: Uint8Array, runs = inclusiveRuns(labels)): number {
  checkLengths(predicted, labels, 'paF1Binary', 'predictions');
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) if (!labels[i] && predicted[i]) fp++;
  for (const [s, e] of runs) {
    let first = -1;
    for (let i = s; i <= e; i++) {
      if (predicted[i]) {
        first = i;
        break;
      }
    }
    const length = e - s + 1;
    if (first < 0) fn += length;
    else if (s === 0 && first > 0) {
      tp += length - 1; // TSB-AD's back-fill stops at index 1
      fn += 1;
    } else tp += length;
  }
  return f1FromCounts(tp, fp, fn);
}

/** TSB-AD's `_get_events`: inclusive runs, except a run reaching the last point ends at n − 2. */
export function tsbAdEvents(labels: Uint8Array): [number, number][] {
  const runs = inclusiveRuns(labels);
  const last = runs[runs.length - 1];
  if (last && last[1] === labels.length - 1) last[1] = labels.length - 2;
  return runs;
}

/** Event-based F1 of a binary prediction: event recall × point precision (TSB-AD `metric_EventF1PA`). */
export function eventF1Binary(labels: Uint8Array, predicted: Uint8Array, events = tsbAdEvents(labels)): number {
  checkLengths(predicted, labels, 'eventF1Binary', 'predictions');
  if (events.length === 0) return 0;
  let detected = 0;
  for (const [s, e] of events) {
    for (let i = s; i <= e; i++) {
      if (predicted[i]) {
        detected++;
        break;
      }
    }
  }
  let tp = 0;
  let flagged = 0;
  for (let i = 0; i < labels.length; i++) {
    if (predicted[i]) {
      flagged++;
      if (labels[i]) tp++;
    }
  }
  const recall = detected / events.length;
  const precision = flagged > 0 ? tp / flagged : 0;
  return (2 * recall * precision) / (recall + precision + 1e-15);
}

/** Inclusive runs [start[k], end[k]] of a 0/1 vector in flat arrays. */
interface FlatRuns {
  start: Int32Array;
  end: Int32Array;
  count: number;
}

function flatRuns(v: Uint8Array, into?: FlatRuns): FlatRuns {
  const cap = Math.ceil(v.length / 2) + 1;
  const out = into && into.start.length >= cap ? into : { start: new Int32Array(cap), end: new Int32Array(cap), count: 0 };
  let count = 0;
  let open = -1;
  for (let i = 0; i < v.length; i++) {
    if (v[i]) {
      if (open < 0) open = i;
    } else if (open >= 0) {
      out.start[count] = open;
      out.end[count++] = i - 1;
      open = -1;
    }
  }
  if (open >= 0) {
    out.start[count] = open;
    out.end[count++] = v.length - 1;
  }
  out.count = count;
  return out;
}

/**
 * Tatbul et al.'s range recall as TSB-AD's `range_recall_new` computes it: flat positional bias,
 * cardinality factor 1/(number of overlapping runs of the other side), reward α·existence + (1−α)·overlap.
 * With the roles swapped (α = 0) it is range precision.
 */
function rangeRecall(real: FlatRuns, other: FlatRuns, otherPrefix: Int32Array, alpha: number): number {
  if (real.count === 0) return 0;
  let existence = 0;
  let overlap = 0;
  let p = 0;
  for (let r = 0; r < real.count; r++) {
    const s = real.start[r];
    const e = real.end[r];
    const covered = otherPrefix[e + 1] - otherPrefix[s];
    if (covered > 0) existence++;
    while (p < other.count && other.end[p] < s) p++;
    let count = 0;
    for (let q = p; q < other.count && other.start[q] <= e; q++) count++;
    if (count > 0) overlap += (covered / (e - s + 1)) * (1 / count);
  }
  return (alpha * existence + (1 - alpha) * overlap) / real.count;
}

function prefixCounts(v: Uint8Array, into?: Int32Array): Int32Array {
  const out = into ?? new Int32Array(v.length + 1);
  for (let i = 0; i < v.length; i++) out[i + 1] = out[i] + (v[i] ? 1 : 0);
  return out;
}

interface Scratch {
  predRuns?: FlatRuns;
  predPrefix?: Int32Array;
  predEvents?: FlatEvents;
}

/**
 * Range-based precision, recall (α = 0.2) and F1 of a binary prediction (TSB-AD `metric_RF1`). The
 * optional arguments (here and in the other *Binary functions) are label structures and buffers the
 * threshold sweep computes once and reuses.
 */
export function rangePRF(
  labels: Uint8Array,
  predicted: Uint8Array,
  labelRuns = flatRuns(labels),
  labelPrefix = prefixCounts(labels),
  scratch: Scratch = {},
): { precision: number; recall: number; f1: number } {
  checkLengths(predicted, labels, 'rangePRF', 'predictions');
  const predRuns = (scratch.predRuns = flatRuns(predicted, scratch.predRuns));
  const predPrefix = (scratch.predPrefix = prefixCounts(predicted, scratch.predPrefix));
  const recall = rangeRecall(labelRuns, predRuns, predPrefix, 0.2);
  const precision = rangeRecall(predRuns, labelRuns, labelPrefix, 0);
  const f1 = precision + recall === 0 ? 0 : (2 * recall * precision) / (precision + recall);
  return { precision, recall, f1 };
}

/** Affiliation precision, recall and F (TSB-AD's F: 2PR/(P+R+1e-15)) of a binary prediction. */
export function affiliationBinary(
  labels: Uint8Array,
  predicted: Uint8Array,
  truthEvents = flatEventsOfVector(labels),
  scratch: Scratch = {},
): { precision: number | null; recall: number; f: number } {
  checkLengths(predicted, labels, 'affiliationBinary', 'predictions');
  if (truthEvents.count === 0) throw new WorkbenchError('invalid_input', 'Affiliation: the labels contain no anomaly.');
  const predEvents = (scratch.predEvents = flatEventsOfVector(predicted, scratch.predEvents));
  const { precision, recall } = affiliationFlat(predEvents, truthEvents, labels.length);
  const f = precision === null ? 0 : (2 * precision * recall) / (precision + recall + 1e-15);
  return { precision, recall, f };
}

export interface SweptMetrics {
  pa_f1: number;
  event_f1: number;
  range_f1: number;
  /** Affiliation precision and recall at the first threshold with the best Affiliation-F. */
  affiliation_p: number | null;
  affiliation_r: number;
  affiliation_f: number;
}

/** All four swept metrics in one pass over the thresholds. Throws `invalid_input` when labels have no anomaly. */
export function sweptMetrics(scores: ArrayLike<number>, labels: ArrayLike<number>, options: SweepOptions = {}): SweptMetrics {
  checkLengths(scores, labels, 'Threshold sweep');
  const y = binaryLabels(labels);
  const labelRuns = inclusiveRuns(y);
  if (labelRuns.length === 0) throw new WorkbenchError('invalid_input', 'Threshold sweep: the labels contain no anomaly.');
  const s = finiteScores(scores);
  const thresholds = sweepThresholds(s, options.thresholds ?? 100);
  const events = tsbAdEvents(y);
  const truthEvents = flatEventsOfVector(y);
  const labelFlatRuns = flatRuns(y);
  const labelPrefix = prefixCounts(y);
  const scratch: Scratch = {};
  const predicted = new Uint8Array(s.length);
  const out: SweptMetrics = { pa_f1: 0, event_f1: 0, range_f1: 0, affiliation_p: null, affiliation_r: 0, affiliation_f: 0 };
  let bestAffiliation = -1;
  thresholds.forEach((threshold, k) => {
    checkCancelled(options.signal, 'Threshold sweep');
    for (let i = 0; i < s.length; i++) predicted[i] = s[i] > threshold ? 1 : 0;
    out.pa_f1 = Math.max(out.pa_f1, paF1Binary(y, predicted, labelRuns));
    out.event_f1 = Math.max(out.event_f1, eventF1Binary(y, predicted, events));
    out.range_f1 = Math.max(out.range_f1, rangePRF(y, predicted, labelFlatRuns, labelPrefix, scratch).f1);
    const aff = affiliationBinary(y, predicted, truthEvents, scratch);
    if (aff.precision !== null && aff.f > bestAffiliation) {
      bestAffiliation = aff.f;
      out.affiliation_p = aff.precision;
      out.affiliation_r = aff.recall;
      out.affiliation_f = aff.f;
    }
    options.progress?.((k + 1) / thresholds.length);
  });
  return out;
}

export function paF1(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  return sweptMetrics(scores, labels).pa_f1;
}
export function eventF1(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  return sweptMetrics(scores, labels).event_f1;
}
export function rangeF1(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  return sweptMetrics(scores, labels).range_f1;
}
export function affiliationF(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  return sweptMetrics(scores, labels).affiliation_f;
}
