/**
 * Input checks and score preparation shared by every metric.
 *
 * Non-finite scores: NaN and -Infinity are replaced by the lowest finite score of the series (they tie
 * with it), +Infinity by the highest; a series without any finite score becomes all zeros. TSB-AD has
 * no rule for them (its sklearn calls reject NaN), so this is the workbench's documented choice.
 */
import { WorkbenchError } from '../../common/errors';

export function checkLengths(scores: ArrayLike<number>, labels: ArrayLike<number>, where: string, what = 'scores'): void {
  if (scores.length !== labels.length) {
    throw new WorkbenchError(
      'invalid_input',
      `${where}: ${what} have ${scores.length} points but labels have ${labels.length}.`,
      {
        scores: scores.length,
        labels: labels.length,
      },
    );
  }
}

export function checkCancelled(signal: AbortSignal | undefined, where: string): void {
  if (signal?.aborted) throw new WorkbenchError('cancelled', `${where} was cancelled.`);
}

/** Scores as float64 with non-finite values replaced (see the module comment). */
export function finiteScores(scores: ArrayLike<number>): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i];
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo === Infinity) return new Float64Array(scores.length);
  const out = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i];
    out[i] = Number.isFinite(v) ? v : v === Infinity ? hi : lo;
  }
  return out;
}

/** Labels as 0/1 (any non-zero value is an anomaly). */
export function binaryLabels(labels: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = labels[i] ? 1 : 0;
  return out;
}

export function countOnes(labels: ArrayLike<number>): number {
  let c = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]) c++;
  return c;
}

/** numpy.linspace(start, stop, num): k·step + start, the last value exactly `stop`. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let k = 0; k < num; k++) out[k] = k * step + start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

/** The 100 thresholds TSB-AD sweeps for PA-F1, Event-F1, Range-F1 and Affiliation-F: linspace(min, max, 100). */
export function sweepThresholds(scores: Float64Array, count = 100): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    if (scores[i] < lo) lo = scores[i];
    if (scores[i] > hi) hi = scores[i];
  }
  return linspace(lo, hi, count);
}

/** Inclusive runs [start, end] of non-zero values (TSB-AD's `range_convers_new`, without its all-ones quirk). */
export function inclusiveRuns(values: ArrayLike<number>): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  for (let i = 0; i < values.length; i++) {
    if (values[i]) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push([start, i - 1]);
      start = -1;
    }
  }
  if (start >= 0) out.push([start, values.length - 1]);
  return out;
}
