import { matrixProfile } from '../numeric/matrix-profile';
import type { Detector } from './types';
import { maskMissing, PERIOD_RANK_PARAM, prepareSeries, resolveWindow, WINDOW_PARAM } from './windowing';

/** Cells of the distance matrix a run may take (about 2–5 s); beyond it the anytime mode processes this many. */
export const MATRIX_PROFILE_CELL_BUDGET = 1e9;

/**
 * Matrix-profile discords as in TSB-AD (STUMPY stump, subsequence length m = the window): each
 * point's score is the z-normalized distance of the subsequence starting ⌊m/2⌋ points earlier to its
 * nearest non-trivial neighbour; the ⌊m/2⌋ leading and ⌈m/2⌉−1 trailing points get the profile's
 * minimum. Exact (O(n²)) while the (n−m+1)²/2 distance cells fit the budget of 10⁹; longer series
 * process a seeded random share of diagonals (SCRIMP anytime mode; distances are upper bounds).
 */
export const matrixProfileDetector: Detector = {
  id: 'matrix-profile',
  name: 'Matrix profile (discords)',
  description: 'Distance of each subsequence to its most similar other subsequence; discords score high.',
  params: {
    window: WINDOW_PARAM,
    periodRank: PERIOD_RANK_PARAM,
    approximate: {
      type: 'number',
      default: 1,
      min: 0.0001,
      max: 1,
      description: 'share of the distance matrix to compute (1 = exact; long series are capped automatically)',
    },
    seed: { type: 'integer', default: 42, min: 0, max: 2 ** 31 - 1, description: 'seed for the anytime mode' },
  },
  randomized: false,
  score(values, params, ctx) {
    const n = values.length;
    const { filled, missing } = prepareSeries(values);
    if (n < 8) return maskMissing(new Float32Array(n), missing);
    const m = Math.min(resolveWindow('matrix-profile', filled, params, 4), Math.floor(n / 2));
    const l = n - m + 1;
    const cells = (l * l) / 2;
    const fraction = Math.min(Number(params.approximate), MATRIX_PROFILE_CELL_BUDGET / cells);
    const { profile } = matrixProfile(filled, m, {
      approximate: Math.max(1e-6, Math.min(1, fraction)),
      seed: Number(params.seed),
      progress: ctx?.progress,
      signal: ctx?.signal,
    });
    let min = Infinity;
    for (let i = 0; i < l; i++) if (profile[i] < min) min = profile[i];
    if (!Number.isFinite(min)) min = 0;
    const out = new Float32Array(n).fill(min);
    const start = Math.floor(m / 2);
    for (let i = 0; i < l; i++) out[start + i] = Number.isFinite(profile[i]) ? profile[i] : min;
    return maskMissing(out, missing);
  },
};
