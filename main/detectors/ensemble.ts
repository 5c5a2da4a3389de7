import { WorkbenchError } from '../../common/errors';
import { validateParams } from './params';
import type { Detector } from './types';

/** Ranks scaled to [0, 1] (ties share their mean rank); NaN stays NaN. A native typed sort, then one binary search per point. */
export function rankNormalize(scores: Float32Array): Float32Array {
  let m = 0;
  const finite = new Float32Array(scores.length);
  for (let i = 0; i < scores.length; i++) if (Number.isFinite(scores[i])) finite[m++] = scores[i];
  const sorted = finite.subarray(0, m).sort();
  // mean rank of each tie group, stored at every position of the group
  const groupRank = new Float64Array(m);
  for (let i = 0; i < m;) {
    let j = i;
    while (j + 1 < m && sorted[j + 1] === sorted[i]) j++;
    groupRank.fill((i + j) / 2 / Math.max(1, m - 1), i, j + 1);
    i = j + 1;
  }
  const out = new Float32Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i];
    if (!Number.isFinite(v)) {
      out[i] = NaN;
      continue;
    }
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    out[i] = groupRank[lo];
  }
  return out;
}

/** A mix of the strongest TSB-AD methods (Sub-PCA, POLY), a point-anomaly specialist (SR) and cheap local checks. */
export const DEFAULT_MEMBERS = ['sub-pca', 'poly', 'sr', 'iforest', 'rolling-zscore', 'level-shift'];

/** Mean of the members' rank-normalized scores (each member with its default parameters). */
export function makeEnsemble(lookup: (id: string) => Detector): Detector {
  return {
    id: 'ensemble',
    name: 'Ensemble (rank mean)',
    description: 'Averages the rank-normalized scores of several detectors, so no single scale dominates.',
    params: {
      members: { type: 'string[]', default: DEFAULT_MEMBERS, description: 'detector ids to combine' },
    },
    randomized: false,
    score(values, params, ctx) {
      const members = params.members as string[];
      if (members.length === 0)
        throw new WorkbenchError('invalid_input', 'The ensemble needs at least one member.', { parameter: 'members' });
      for (const id of members) {
        if (id === 'ensemble')
          throw new WorkbenchError('invalid_input', 'The ensemble cannot contain itself.', { parameter: 'members' });
        try {
          lookup(id);
        } catch {
          throw new WorkbenchError('invalid_input', `Ensemble member "${id}" is not a detector.`, { parameter: 'members' });
        }
      }
      const sum = new Float32Array(values.length);
      members.forEach((id, k) => {
        const d = lookup(id);
        const ranks = rankNormalize(d.score(values, validateParams(d, {}), { signal: ctx?.signal }));
        for (let i = 0; i < values.length; i++) sum[i] += ranks[i];
        ctx?.progress?.((k + 1) / members.length);
      });
      for (let i = 0; i < values.length; i++) sum[i] = Number.isFinite(values[i]) ? sum[i] / members.length : NaN;
      return sum;
    },
  };
}
