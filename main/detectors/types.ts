import type { ParamSpec } from '../../common/detection';

export type ParamValues = Record<string, number | boolean | string | string[]>;

export interface ScoreContext {
  progress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/**
 * A detector: one file plus one registry line. `score` returns one score per point, higher = more
 * anomalous; missing inputs (NaN, ±Infinity) give NaN scores at those points and are linearly
 * interpolated for the computation around them. A series too short for a detector (fewer points
 * than it needs, e.g. one point) scores all zeros; a constant series scores all zeros or a constant.
 * An explicit window longer than the series is an 'invalid_input' error. Scoring is kept apart from
 * thresholding (see intervals.ts).
 */
export interface Detector<P extends ParamValues = ParamValues> {
  /** kebab-case, stable: stored in runs */
  id: string;
  name: string;
  description: string;
  params: Record<string, ParamSpec>;
  randomized: boolean;
  /** `params` as returned by validateParams (defaults applied, checked against `params` specs) */
  score(values: Float64Array, params: P, ctx?: ScoreContext): Float32Array;
}

/** The thresholding parameters every detector accepts on top of its own. */
export const THRESHOLD_PARAMS: Record<string, ParamSpec> = {
  threshold: {
    type: 'enum',
    default: 'sigma',
    options: ['sigma', 'quantile', 'top-k'],
    description: 'how scores become intervals: mean + k·σ, a score quantile (contamination), or the k highest events',
  },
  k: { type: 'number', default: 3, min: 0.1, max: 1000, description: 'σ multiplier (sigma) or number of events (top-k)' },
  contamination: { type: 'number', default: 0.01, min: 0.0001, max: 0.5, description: 'share of points flagged (quantile)' },
  minLength: { type: 'integer', default: 1, min: 1, max: 1_000_000, description: 'shortest interval kept, in points' },
  mergeGap: {
    type: 'integer',
    default: 0,
    min: 0,
    max: 1_000_000,
    description: 'intervals closer than this many points are merged',
  },
};
