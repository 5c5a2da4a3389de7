import { throwIfAborted } from '../../common/errors';
import { scaleFloor } from '../numeric/prefix';
import type { Detector } from './types';

/**
 * k-th smallest (0-based) of |s[i] − med| over a sorted window s[0, size), in O(log size): the
 * distances split at the median into two ascending runs (left side read backwards), and the k-th
 * smallest of two sorted runs is a binary search on how many come from the left run.
 */
export function kthAbsDeviation(s: Float64Array, size: number, med: number, k: number): number {
  // p = first index with s[p] ≥ med
  let lo = 0;
  let hi = size;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s[mid] < med) lo = mid + 1;
    else hi = mid;
  }
  const p = lo;
  const nA = p; // A[j] = med − s[p − 1 − j]
  const nB = size - p; // B[j] = s[p + j] − med
  // take a from A and k + 1 − a from B, the largest of those is the answer
  let aLo = Math.max(0, k + 1 - nB);
  let aHi = Math.min(k + 1, nA);
  while (aLo < aHi) {
    const a = (aLo + aHi) >> 1;
    const b = k + 1 - a;
    // too few from A when A[a] < B[b − 1]
    const nextA = a < nA ? med - s[p - 1 - a] : Infinity;
    const lastB = b > 0 ? s[p + b - 1] - med : -Infinity;
    if (nextA < lastB) aLo = a + 1;
    else aHi = a;
  }
  const a = aLo;
  const b = k + 1 - a;
  const lastA = a > 0 ? med - s[p - a] : -Infinity;
  const lastB = b > 0 ? s[p + b - 1] - med : -Infinity;
  return Math.max(lastA, lastB);
}

/**
 * Robust rolling z-score: |x − median| / (1.4826 · MAD) over the trailing window (the w points before
 * each point). The window is kept sorted (binary-search insert/remove), its median read directly and
 * its MAD found by a logarithmic two-run selection, so a point costs O(w) memory moves + O(log w).
 * The scale is floored at a tenth of the series' σ so flat stretches do not give infinite scores.
 * Points with fewer than 3 finite values behind them score 0.
 */
export const rollingZscore: Detector = {
  id: 'rolling-zscore',
  name: 'Robust rolling z-score',
  description: 'How many robust standard deviations (median/MAD) each point lies from the median of the window before it.',
  params: {
    window: { type: 'integer', default: 100, min: 3, max: 100_000, description: 'trailing window length, in points' },
  },
  randomized: false,
  score(values, params, ctx) {
    const w = Number(params.window);
    const n = values.length;
    const out = new Float32Array(n);
    const floor = scaleFloor(values);
    const sorted = new Float64Array(w);
    let size = 0;
    const position = (v: number) => {
      let lo = 0;
      let hi = size;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid] < v) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) out[i] = NaN;
      else if (size >= 3) {
        const half = size >> 1;
        const med = size % 2 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
        const mad =
          size % 2
            ? kthAbsDeviation(sorted, size, med, half)
            : (kthAbsDeviation(sorted, size, med, half - 1) + kthAbsDeviation(sorted, size, med, half)) / 2;
        out[i] = Math.abs(v - med) / Math.max(1.4826 * mad, floor);
      }
      // slide: the window behind point i + 1 is values[i + 1 − w, i]
      const leaving = i - w >= 0 ? values[i - w] : NaN;
      if (Number.isFinite(leaving)) {
        const at = position(leaving);
        sorted.copyWithin(at, at + 1, size);
        size--;
      }
      if (Number.isFinite(v)) {
        const at = position(v);
        sorted.copyWithin(at + 1, at, size);
        sorted[at] = v;
        size++;
      }
      if ((i & 0xffff) === 0) {
        ctx?.progress?.(i / n);
        throwIfAborted(ctx?.signal, 'Rolling z-score');
      }
    }
    return out;
  },
};
