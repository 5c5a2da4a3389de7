/**
 * From candidates with probabilities to the intervals a run keeps: label-free selection, boundary
 * refinement, merging fragments of one event, and the run's per-point scores. Shared by the detection
 * worker, the benches and the retraining checks, so all of them decide the same way.
 */
import type { Interval } from '../../common/domain';
import { classifyByRules, computeEvidence, globalLevel, type Classification, type Evidence } from '../reasoning';
import {
  DEFAULT_SELECTION,
  mergeClose,
  refineBoundaries,
  selectByProbability,
  verifiedScores,
  type SelectionOptions,
} from './select';

export interface ProbableCandidate extends Interval {
  probability: number;
  score: number;
  features: Float64Array;
  evidence: Evidence;
}

export interface Decision {
  /** the kept intervals with the evidence measured on their final bounds and the type it gives */
  kept: (ProbableCandidate & { classification: Classification })[];
  scores: Float32Array;
}

export function decide(
  values: Float64Array,
  combined: Float32Array,
  candidates: readonly ProbableCandidate[],
  period: number,
  options: SelectionOptions = DEFAULT_SELECTION,
): Decision {
  const selected = selectByProbability(candidates, values.length, options);
  const refined = selected.map((c) => (options.refine ? { ...c, ...refineBoundaries(values, c, c.evidence, period) } : c));
  const global = globalLevel(values);
  const kept = mergeClose(refined, Math.max(2, period)).map((c) => {
    const evidence = computeEvidence(values, c, [], { global });
    return { ...c, evidence, classification: classifyByRules(evidence) };
  });
  return { kept, scores: verifiedScores(combined, candidates) };
}
