import { estimatePeriodWindow } from '../numeric';

/**
 * Score post-processing of the model detector. 'period': a moving maximum over ±w points followed by a
 * moving mean over ±w, with w the series' period window (estimatePeriodWindow, as TSB-AD's metrics use):
 * an event's score spreads over the window around it, as benchmarks label a window around each event.
 */
export const SMOOTHING_MODES = ['none', 'period'] as const;
export type SmoothingMode = (typeof SMOOTHING_MODES)[number];

/** Moving maximum over [i − h, i + h] (clipped at the ends), O(n) with a monotonic deque. */
export function movingMax(x: Float32Array, h: number): Float32Array {
  const n = x.length;
  const out = new Float32Array(n);
  const deque = new Int32Array(n);
  let head = 0;
  let tail = 0;
  let next = 0; // next index to push
  for (let i = 0; i < n; i++) {
    const hi = Math.min(n - 1, i + h);
    for (; next <= hi; next++) {
      while (tail > head && (x[deque[tail - 1] as number] as number) <= (x[next] as number)) tail--;
      deque[tail++] = next;
    }
    while ((deque[head] as number) < i - h) head++;
    out[i] = x[deque[head] as number] as number;
  }
  return out;
}

/** Moving mean over [i − h, i + h] (clipped at the ends). */
export function movingMean(x: Float32Array, h: number): Float32Array {
  const n = x.length;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = (prefix[i] as number) + (x[i] as number);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - h);
    const b = Math.min(n, i + h + 1);
    out[i] = ((prefix[b] as number) - (prefix[a] as number)) / (b - a);
  }
  return out;
}

/** Applies `mode` to finite per-point scores of `values` (before missing points are set to NaN). */
export function smoothScores(scores: Float32Array, values: Float64Array, mode: SmoothingMode): Float32Array {
  if (mode === 'none' || scores.length < 3) return scores;
  const h = Math.max(1, estimatePeriodWindow(values));
  return movingMean(movingMax(scores, h), h);
}
