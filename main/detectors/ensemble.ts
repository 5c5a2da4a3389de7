import { WorkbenchError } from '../../common/errors';
import { validateParams } from './params';
import type { Detector, ParamValues } from './types';

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

function sortedFinite(scores: Float32Array): Float32Array {
  let m = 0;
  const finite = new Float32Array(scores.length);
  for (let i = 0; i < scores.length; i++) if (Number.isFinite(scores[i])) finite[m++] = scores[i];
  return finite.subarray(0, m).sort();
}

/**
 * |x − median| of the sorted values in ascending order (as float32, as a Float32Array of them would hold),
 * from the `skip`-th on: a merge of the two runs on either side of the median, so the median absolute
 * deviation needs no second sort. The first value yielded is the `skip`-th smallest deviation.
 */
function* sortedDeviations(sorted: Float32Array, skip: number): Generator<number, number> {
  const mid = sorted.length >> 1;
  const median = sorted[mid];
  let left = mid - 1;
  let right = mid;
  let k = 0;
  while (left >= 0 || right < sorted.length) {
    const dl = left >= 0 ? Math.fround(median - sorted[left]) : Infinity;
    const dr = right < sorted.length ? Math.fround(sorted[right] - median) : Infinity;
    const d = dl <= dr ? dl : dr;
    if (dl <= dr) left--;
    else right++;
    if (k++ >= skip) yield d;
  }
  return NaN;
}

/**
 * Robust z-score: (x − median) / (1.4826·MAD), clipped below at 0 (only the anomalous side counts, so a
 * member's low tail cannot cancel another's peak). A zero MAD (mostly-constant scores) falls back to the
 * mean absolute deviation, then to 1. NaN stays NaN.
 */
export function robustZNormalize(scores: Float32Array): Float32Array {
  const sorted = sortedFinite(scores);
  const out = new Float32Array(scores.length);
  if (sorted.length === 0) return out.fill(NaN);
  const median = sorted[sorted.length >> 1];
  const deviations = sortedDeviations(sorted, sorted.length >> 1);
  let scale = 1.4826 * deviations.next().value;
  if (!(scale > 0)) {
    let sum = 0;
    for (const d of sortedDeviations(sorted, 0)) sum += d;
    scale = (1.2533 * sum) / sorted.length;
  }
  if (!(scale > 0)) scale = 1;
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i];
    out[i] = Number.isFinite(v) ? Math.max(0, (v - median) / scale) : NaN;
  }
  return out;
}

/** (x − min) / (max − min) over the finite scores; a constant member gives zeros. NaN stays NaN. */
export function minMaxNormalize(scores: Float32Array): Float32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of scores) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  return Float32Array.from(scores, (v) => (Number.isFinite(v) ? (span > 0 ? (v - lo) / span : 0) : NaN));
}

export const NORMALIZATIONS = ['rank', 'robust-z', 'minmax'] as const;
export type Normalization = (typeof NORMALIZATIONS)[number];
export const COMBINATIONS = ['mean', 'max'] as const;
export type Combination = (typeof COMBINATIONS)[number];

export function normalizeScores(scores: Float32Array, how: Normalization): Float32Array {
  if (how === 'rank') return rankNormalize(scores);
  if (how === 'robust-z') return robustZNormalize(scores);
  return minMaxNormalize(scores);
}

/**
 * Combines already-normalized member scores point by point: the weighted mean (weights need not sum to
 * 1; members with weight 0 are ignored) or the weighted max (max of weight·score). A point is NaN where
 * the input is missing (`missing[i]`), otherwise NaN member scores are skipped.
 */
export function combineScores(
  normalized: readonly Float32Array[],
  weights: readonly number[],
  how: Combination,
  missing?: (i: number) => boolean,
): Float32Array {
  const n = normalized[0]?.length ?? 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (missing?.(i)) {
      out[i] = NaN;
      continue;
    }
    let acc = how === 'max' ? -Infinity : 0;
    let wsum = 0;
    for (let k = 0; k < normalized.length; k++) {
      const w = weights[k];
      const v = normalized[k][i];
      if (!(w > 0) || !Number.isFinite(v)) continue;
      if (how === 'max') acc = Math.max(acc, w * v);
      else acc += w * v;
      wsum += w;
    }
    out[i] = wsum === 0 ? 0 : how === 'max' ? acc : acc / wsum;
  }
  return out;
}

/** "1, 0.5, 2" → [1, 0.5, 2]; empty → equal weights. Throws invalid_input naming the bad entry or the count mismatch. */
export function parseWeights(text: string, members: readonly string[]): number[] {
  if (text.trim() === '') return members.map(() => 1);
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length !== members.length) {
    throw new WorkbenchError(
      'invalid_input',
      `Ensemble weights: ${parts.length} given for ${members.length} members (${members.join(', ')}); give one per member.`,
      { parameter: 'weights' },
    );
  }
  const weights = parts.map((p, k) => {
    const w = Number(p);
    if (p === '' || !Number.isFinite(w) || w < 0) {
      throw new WorkbenchError(
        'invalid_input',
        `Ensemble weight "${p}" for member ${members[k]} must be a non-negative number.`,
        { parameter: 'weights' },
      );
    }
    return w;
  });
  if (!weights.some((w) => w > 0))
    throw new WorkbenchError('invalid_input', 'Ensemble weights: at least one must be above 0.', { parameter: 'weights' });
  return weights;
}

/**
 * Default members, normalization and combination, chosen by `bench/ensemble-search.ts` on scores cached by
 * `bench/cache-scores.ts` for the 64 labeled series of shared/data (issue #4). The procedure: greedy
 * forward selection of members (a member joins only if it raises the mean VUS-PR by ≥ 0.005, at most 5),
 * for each normalization × combination, equal weights. Checked out of sample before it was run on all
 * series: fitted on the even-indexed series it scores 0.400 VUS-PR on the odd ones (best single detector
 * there, poly: 0.312), fitted on the odd ones 0.410 on the even ones (poly: 0.356); fitted without NAB it
 * scores 0.439 on NAB (poly 0.393), without MGAB 0.041 on MGAB (poly 0.044: MGAB is hard for all). On all
 * 64 series it picks these four members with robust z-scores and the mean (0.419; poly alone 0.334; the
 * previous rank mean of sub-pca, poly, sr, iforest, rolling-zscore, level-shift 0.239). Kshape would add
 * 0.002 for twice the run time, hence the minimum gain. Robust z won in every split (mean and max nearly
 * tied): unlike ranks, it keeps how far a member's peak stands out, so one confident member is not drowned.
 */
export const DEFAULT_MEMBERS = ['poly', 'matrix-profile', 'variance-change', 'iforest-window'];
export const DEFAULT_WEIGHTS = '';
export const DEFAULT_NORMALIZATION: Normalization = 'robust-z';
export const DEFAULT_COMBINATION: Combination = 'mean';

/** Checks the member list against the registry: non-empty, no ensemble inside, every id a detector. */
export function checkMembers(members: readonly string[], lookup: (id: string) => Detector): Detector[] {
  if (members.length === 0)
    throw new WorkbenchError('invalid_input', 'The ensemble needs at least one member.', { parameter: 'members' });
  return members.map((id) => {
    if (id === 'ensemble')
      throw new WorkbenchError('invalid_input', 'The ensemble cannot contain itself.', { parameter: 'members' });
    try {
      return lookup(id);
    } catch {
      throw new WorkbenchError('invalid_input', `Ensemble member "${id}" is not a detector.`, { parameter: 'members' });
    }
  });
}

/** Weighted combination of normalized member scores, each member with its default parameters. */
export function makeEnsemble(lookup: (id: string) => Detector): Detector {
  return {
    id: 'ensemble',
    name: 'Ensemble',
    description: 'Combines the normalized scores of several detectors (weighted mean or max), so no single scale dominates.',
    params: {
      members: { type: 'string[]', default: DEFAULT_MEMBERS, description: 'detector ids to combine' },
      weights: {
        type: 'string',
        default: DEFAULT_WEIGHTS,
        description: 'comma-separated non-negative weight per member, e.g. "2, 1, 0.5"; empty = equal weights',
      },
      normalize: {
        type: 'enum',
        default: DEFAULT_NORMALIZATION,
        options: NORMALIZATIONS,
        description: 'per-member scaling before combining: ranks in [0, 1], robust z (median/MAD), or min-max',
      },
      combine: {
        type: 'enum',
        default: DEFAULT_COMBINATION,
        options: COMBINATIONS,
        description: 'weighted mean of the members, or the highest weighted member score',
      },
    },
    randomized: false,
    score(values, params: ParamValues, ctx) {
      const members = params.members as string[];
      const detectors = checkMembers(members, lookup);
      const weights = parseWeights(String(params.weights ?? ''), members);
      const how = (params.normalize ?? DEFAULT_NORMALIZATION) as Normalization;
      const normalized: Float32Array[] = [];
      detectors.forEach((d, k) => {
        if (weights[k] > 0) {
          const raw = d.score(values, validateParams(d, {}), { signal: ctx?.signal });
          normalized.push(normalizeScores(raw, how));
        } else normalized.push(new Float32Array(values.length));
        ctx?.progress?.((k + 1) / members.length);
      });
      return combineScores(
        normalized,
        weights,
        (params.combine ?? DEFAULT_COMBINATION) as Combination,
        (i) => !Number.isFinite(values[i]),
      );
    },
  };
}
