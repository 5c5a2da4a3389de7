import { WorkbenchError } from '../../common/errors';
import { validateParams } from './params';
import type { Detector } from './types';

/** Ranks scaled to [0, 1] (ties share their mean rank); NaN stays NaN. */
export function rankNormalize(scores: Float32Array): Float32Array {
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) if (Number.isFinite(scores[i])) idx.push(i);
  idx.sort((a, b) => scores[a] - scores[b]);
  const out = new Float32Array(scores.length).fill(NaN);
  const denom = Math.max(1, idx.length - 1);
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const r = (i + j) / 2 / denom;
    for (let k = i; k <= j; k++) out[idx[k]] = r;
    i = j + 1;
  }
  return out;
}

export const DEFAULT_MEMBERS = ['rolling-zscore', 'sr', 'iforest', 'level-shift', 'variance-change'];

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
      const sum = new Float32Array(values.length);
      members.forEach((id, k) => {
        if (id === 'ensemble')
          throw new WorkbenchError('invalid_input', 'The ensemble cannot contain itself.', { parameter: 'members' });
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
