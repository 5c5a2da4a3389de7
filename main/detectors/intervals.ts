import { WorkbenchError } from '../../common/errors';
import type { ParamValues } from './types';

export interface ScoredInterval {
  start: number;
  end: number;
  /** the highest score inside */
  score: number;
}

/**
 * Runs of points above `threshold` (or at it, when `inclusive`) as half-open intervals, merged across
 * gaps shorter than mergeGap, with those shorter than minLength dropped.
 */
export function intervalsAbove(
  scores: ArrayLike<number>,
  threshold: number,
  minLength = 1,
  mergeGap = 0,
  inclusive = false,
): ScoredInterval[] {
  const raw: ScoredInterval[] = [];
  let start = -1;
  let peak = -Infinity;
  for (let i = 0; i <= scores.length; i++) {
    const s = i < scores.length ? scores[i] : NaN;
    if (s > threshold || (inclusive && s === threshold)) {
      if (start < 0) {
        start = i;
        peak = s;
      } else if (s > peak) peak = s;
    } else if (start >= 0) {
      raw.push({ start, end: i, score: peak });
      start = -1;
    }
  }
  const merged: ScoredInterval[] = [];
  for (const iv of raw) {
    const last = merged[merged.length - 1];
    if (last && iv.start - last.end < mergeGap) {
      last.end = iv.end;
      last.score = Math.max(last.score, iv.score);
    } else merged.push({ ...iv });
  }
  return merged.filter((iv) => iv.end - iv.start >= minLength);
}

function finiteStats(scores: ArrayLike<number>): { mean: number; std: number; sorted: Float64Array } {
  const finite: number[] = [];
  for (let i = 0; i < scores.length; i++) if (Number.isFinite(scores[i])) finite.push(scores[i]);
  const sorted = Float64Array.from(finite).sort();
  const mean = finite.reduce((a, b) => a + b, 0) / Math.max(1, finite.length);
  const std = Math.sqrt(finite.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, finite.length));
  return { mean, std, sorted };
}

/**
 * Scores → intervals with the run's thresholding parameters: mean + k·σ, the (1 − contamination)
 * quantile, or the k highest-scoring events. Constant or all-NaN scores give no intervals.
 */
export function scoresToIntervals(scores: ArrayLike<number>, params: ParamValues): ScoredInterval[] {
  const minLength = Number(params.minLength ?? 1);
  const mergeGap = Number(params.mergeGap ?? 0);
  const { mean, std, sorted } = finiteStats(scores);
  if (sorted.length === 0 || std === 0) return [];
  const mode = String(params.threshold ?? 'sigma');
  if (mode === 'sigma') return intervalsAbove(scores, mean + Number(params.k ?? 3) * std, minLength, mergeGap);
  if (mode === 'quantile') {
    const c = Number(params.contamination ?? 0.01);
    const idx = Math.min(sorted.length - 1, Math.max(0, Math.floor((1 - c) * (sorted.length - 1))));
    // the top `contamination` share of points, ties at the cut included
    return intervalsAbove(scores, sorted[idx], minLength, mergeGap, true);
  }
  if (mode === 'top-k') {
    const k = Math.max(1, Math.round(Number(params.k ?? 3)));
    // events above the median, best k by their peak
    const events = intervalsAbove(scores, sorted[Math.floor(sorted.length / 2)], minLength, mergeGap);
    return events
      .sort((a, b) => b.score - a.score)
      .slice(0, k)
      .sort((a, b) => a.start - b.start);
  }
  throw new WorkbenchError('invalid_input', `Unknown threshold mode "${mode}"; use sigma, quantile or top-k.`, {
    parameter: 'threshold',
  });
}
