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

/** Whether taking a of the k + 1 smallest deviations from the left run is too few (A[a] < B[k − a]). */
function tooFew(s: Float64Array, p: number, nA: number, k: number, med: number, a: number): boolean {
  const nextA = a < nA ? med - s[p - 1 - a] : Infinity;
  const lastB = k - a >= 0 ? s[p + k - a] - med : -Infinity;
  return nextA < lastB;
}

/**
 * Median absolute deviation (raw, numpy's median of |s − med|) of a sorted window s[0, size), in
 * O(log size): for an even size the two middle deviations are the k-th smallest (kthAbsDeviation's
 * two-run selection) and the next one, which is the smaller of the two runs' next elements.
 * `hint[0]` (optional) carries the selection's split from one window to the next: consecutive
 * windows differ by one value, so the previous split is usually within a step or two.
 */
export function madOfSorted(s: Float64Array, size: number, med: number, hint?: Int32Array): number {
  const half = size >> 1;
  const k = size % 2 ? half : half - 1;
  // p = first index with s[p] ≥ med: the middle unless values equal to the median repeat below it
  let p = half;
  if (half > 0 && s[half - 1] >= med) {
    let lo = 0;
    let hi = half;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid] < med) lo = mid + 1;
      else hi = mid;
    }
    p = lo;
  }
  const nA = p;
  const nB = size - p;
  // a = how many of the k + 1 smallest come from the left run: the smallest a in [aLo, aHi] that is
  // not "too few" (A[a] ≥ B[k − a]); the predicate is monotone in a
  const aLo = Math.max(0, k + 1 - nB);
  const aHi = Math.min(k + 1, nA);
  const guess = hint ? hint[0] : -1;
  let a: number;
  if (guess >= aLo && guess <= aHi) {
    // the predicate holds at aHi (a run is exhausted there), so stepping up stops by then
    a = guess;
    if (!tooFew(s, p, nA, k, med, a)) while (a > aLo && !tooFew(s, p, nA, k, med, a - 1)) a--;
    else {
      a++;
      while (a < aHi && tooFew(s, p, nA, k, med, a)) a++;
    }
  } else {
    let lo = aLo;
    let hi = aHi;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tooFew(s, p, nA, k, med, mid)) lo = mid + 1;
      else hi = mid;
    }
    a = lo;
  }
  if (hint) hint[0] = a;
  const b = k + 1 - a;
  const lastA = a > 0 ? med - s[p - a] : -Infinity;
  const lastB = b > 0 ? s[p + b - 1] - med : -Infinity;
  const kth = lastA > lastB ? lastA : lastB;
  if (size % 2) return kth;
  const nextA = a < nA ? med - s[p - 1 - a] : Infinity;
  const nextB = b < nB ? s[p + b] - med : Infinity;
  return (kth + (nextA < nextB ? nextA : nextB)) / 2;
}

/**
 * Robust rolling z-score: |x − median| / (1.4826 · MAD) over the trailing window (the w points before
 * each point). The window is kept sorted (binary-search insert/remove), its median read directly and
 * its MAD found by a logarithmic two-run selection (madOfSorted), so a point costs O(log w) plus
 * moving the elements ranked between the leaving and the entering value.
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
    const hint = Int32Array.of(-1);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      const finite = Number.isFinite(v);
      if (!finite) out[i] = NaN;
      else if (size >= 3) {
        const half = size >> 1;
        const med = size % 2 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
        const mad = madOfSorted(sorted, size, med, hint);
        const scale = 1.4826 * mad;
        out[i] = Math.abs(v - med) / (scale > floor ? scale : floor);
      }
      // slide: the window behind point i + 1 is values[i + 1 − w, i]; leaving and entering values
      // are handled in one move of the elements between their ranks
      const leaving = i - w >= 0 ? values[i - w] : NaN;
      const leaves = Number.isFinite(leaving);
      if (leaves && finite) {
        // insertion-sort step from the leaving value's slot towards the entering value's rank
        let q = lowerBound(sorted, 0, size, leaving);
        if (v >= leaving) {
          while (q + 1 < size && sorted[q + 1] < v) {
            sorted[q] = sorted[q + 1];
            q++;
          }
        } else {
          while (q > 0 && sorted[q - 1] > v) {
            sorted[q] = sorted[q - 1];
            q--;
          }
        }
        sorted[q] = v;
      } else if (leaves) {
        const at = lowerBound(sorted, 0, size, leaving);
        sorted.copyWithin(at, at + 1, size);
        size--;
      } else if (finite) {
        const at = lowerBound(sorted, 0, size, v);
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

/** First index q in [lo, hi) of the sorted s with s[q] ≥ v (hi when none). */
function lowerBound(s: Float64Array, lo: number, hi: number, v: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
