/**
 * From candidates with probabilities to the intervals a run keeps: label-free selection, boundary
 * refinement, merging fragments of one event, and the run's per-point scores; then each kept interval's
 * type from the evidence on its final bounds and the verifier's type head. Shared by the detection
 * worker, the benches and the retraining checks, so all of them decide the same way.
 */
import type { AnomalyType, Interval } from '../../common/domain';
import {
  classify,
  classifyByShape,
  computeEvidence,
  globalLevel,
  type Classification,
  type Evidence,
  type ShapeInput,
  type TypeDistribution,
} from '../reasoning';
import { candidateFeatures, seriesContext } from './features';
import type { Screening } from './screening';
import {
  DEFAULT_SELECTION,
  finishSelection,
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

export interface KeptInterval extends ProbableCandidate {
  /** features measured on the final bounds (what the type head reads) */
  finalFeatures: Float64Array;
}

export interface Decision {
  /** the kept intervals, with the evidence measured on their final bounds */
  kept: KeptInterval[];
  scores: Float32Array;
}

export function decide(
  values: Float64Array,
  screening: Screening,
  candidates: readonly ProbableCandidate[],
  options: SelectionOptions = DEFAULT_SELECTION,
): Decision {
  const selected = selectByProbability(candidates, values.length, options);
  const refined = selected.map((c) =>
    options.refine ? { ...c, ...refineBoundaries(values, c, c.evidence, screening.period) } : c,
  );
  const global = globalLevel(values);
  const ctx = seriesContext(values, screening);
  const kept = finishSelection(refined, screening.period).map((c) => {
    const evidence = computeEvidence(values, c, [], { global });
    return { ...c, evidence, finalFeatures: candidateFeatures(values, c, screening, ctx).features };
  });
  return { kept, scores: verifiedScores(screening.combined, candidates) };
}

/**
 * The type of a kept interval: with the series' values, the bundled shape classifier (trained on jittered
 * and refined bounds; bench/types.ts), which measures better than the verifier's type head; else the
 * verifier's type head when it has one (see bench/intervals.ts); else the evidence rules.
 */
export function classifyKept(kept: KeptInterval, types?: TypeDistribution, shape?: ShapeInput): Classification {
  const byShape = shape ? classifyByShape(kept.evidence, shape) : null;
  if (byShape) return byShape;
  if (!types) return classify(kept.evidence);
  let top: AnomalyType | null = null;
  for (const [t, p] of Object.entries(types) as [AnomalyType, number][]) if (top === null || p > (types[top] ?? 0)) top = t;
  if (top === null) return classify(kept.evidence);
  const total = Object.values(types).reduce((a, p) => a + p, 0);
  return { type: top, confidence: total > 0 ? (types[top] ?? 0) / total : 0, rule: "the verifier's type head" };
}
