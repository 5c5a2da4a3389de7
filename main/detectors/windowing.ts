import type { ParamSpec } from '../../common/detection';
import { WorkbenchError } from '../../common/errors';
import { fillGaps } from '../numeric/savgol';
import { estimatePeriodWindow } from '../numeric/window';
import type { ParamValues } from './types';

/**
 * Shared plumbing of the windowed detectors: gap filling, the window choice (TSB-AD's period rule
 * when `window` is 0) and the two ways TSB-AD maps per-window scores back to points.
 */

export const WINDOW_PARAM: ParamSpec = {
  type: 'integer',
  default: 0,
  min: 0,
  max: 100_000,
  description: 'window length in points; 0 = automatic (autocorrelation period, TSB-AD find_length_rank)',
};

export const PERIOD_RANK_PARAM: ParamSpec = {
  type: 'integer',
  default: 1,
  min: 1,
  max: 3,
  description: 'which autocorrelation peak sets the automatic window (1 = strongest, as TSB-AD periodicity)',
};

export interface PreparedSeries {
  /** the values with non-finite entries linearly interpolated (what the detectors compute on) */
  filled: Float64Array;
  /** 1 where the input was NaN or ±Infinity; null when there is none */
  missing: Uint8Array | null;
  /** number of finite input values */
  finiteCount: number;
}

export function prepareSeries(values: Float64Array): PreparedSeries {
  let missing: Uint8Array | null = null;
  let finiteCount = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) finiteCount++;
    else (missing ??= new Uint8Array(values.length))[i] = 1;
  }
  return { filled: missing ? fillGaps(values) : values, missing, finiteCount };
}

/** Scores at missing input points become NaN (the detector contract). */
export function maskMissing(scores: Float32Array, missing: Uint8Array | null): Float32Array {
  if (missing) for (let i = 0; i < scores.length; i++) if (missing[i]) scores[i] = NaN;
  return scores;
}

/**
 * The window for a run: the explicit `window` parameter, or (0) the period estimate clamped to half
 * the series so at least n/2 windows exist. An explicit window longer than the series is rejected.
 */
export function resolveWindow(detectorId: string, filled: Float64Array, params: ParamValues, minWindow = 2): number {
  const n = filled.length;
  const given = Number(params.window ?? 0);
  if (given > 0) {
    if (given > n)
      throw new WorkbenchError(
        'invalid_input',
        `Parameter window of ${detectorId} is ${given} but the series has only ${n} points.`,
        { detector: detectorId, parameter: 'window' },
      );
    return Math.max(minWindow, given);
  }
  const w = estimatePeriodWindow(filled, Number(params.periodRank ?? 1));
  return Math.max(minWindow, Math.min(w, Math.floor(n / 2)));
}

/**
 * TSB-AD's placement of window scores: the score of the window starting at s goes to its centre
 * point; the first ⌈(w−1)/2⌉ points repeat the first window's score and the last ⌊(w−1)/2⌋ the last's.
 */
export function placeAtCentres(windowScores: ArrayLike<number>, w: number, n: number): Float32Array {
  const out = new Float32Array(n);
  const count = windowScores.length;
  if (count === 0) return out;
  const lead = Math.ceil((w - 1) / 2);
  for (let t = 0; t < n; t++) out[t] = windowScores[Math.min(count - 1, Math.max(0, t - lead))];
  return out;
}

/**
 * Each point gets the mean score of all windows covering it (windows start every `stride` points,
 * length w), computed with prefix sums in O(n) (KMeansAD's reverse windowing). Points no window
 * covers (a tail shorter than the stride) score 0, as in TSB-AD.
 */
export function meanOverCoveringWindows(windowScores: ArrayLike<number>, w: number, n: number, stride = 1): Float32Array {
  const out = new Float32Array(n);
  const count = windowScores.length;
  if (count === 0) return out;
  const prefix = new Float64Array(count + 1);
  for (let k = 0; k < count; k++) prefix[k + 1] = prefix[k] + windowScores[k];
  for (let t = 0; t < n; t++) {
    // windows k with k·stride ≤ t < k·stride + w
    const hi = Math.min(count - 1, Math.floor(t / stride));
    const lo = Math.max(0, Math.ceil((t - w + 1) / stride));
    if (hi >= lo) out[t] = (prefix[hi + 1] - prefix[lo]) / (hi - lo + 1);
  }
  return out;
}
