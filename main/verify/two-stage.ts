/**
 * The two-stage detector: screening (the default ensemble's members and the learned model propose
 * candidates generously), verification (a calibrated verifier scores each candidate from its grounded
 * features), then label-free selection, boundary refinement and merging. When the verifier cannot be
 * used (missing, damaged, another feature version) the run keeps screening's intervals at the default
 * k·σ threshold and says why in its execution record.
 */
import type { DetectorInfo, ParamSpec } from '../../common/detection';
import { toErrorData } from '../../common/errors';
import type { AnomalyType } from '../../common/domain';
import { allParams, scoresToIntervals, type ParamValues } from '../detectors';
import type { ModelRoots } from '../inference';
import { seriesRange } from '../reasoning';
import { loadVerifier, resolveVerifier, DEFAULT_VERIFIER, type LoadedVerifier, type VerifierRoots } from './bundle';
import { classifyKept, decide } from './decide';
import { candidatesWithFeatures } from './examples';
import { scoreMembers } from './members';
import { DEFAULT_SELECTION } from './select';
import { FEATURE_NAMES } from './features';
import { whyKept } from './why';

export const TWO_STAGE_ID = 'two-stage';

const PARAMS: Record<string, ParamSpec> = {
  verifier: {
    type: 'string',
    default: DEFAULT_VERIFIER,
    description: 'verifier NAME or NAME@VERSION (bundled or retrained); the run records the exact version',
  },
  minProbability: {
    type: 'number',
    default: DEFAULT_SELECTION.minProbability,
    min: 0,
    max: 1,
    description: 'keep intervals whose calibrated probability is at least this',
  },
  falseAlarmsPer10k: {
    type: 'number',
    default: DEFAULT_SELECTION.falseAlarmsPer10k,
    min: 0,
    max: 1000,
    description: 'expected false alarms allowed per 10,000 points (sum of 1 − p over the kept intervals)',
  },
  keepTopAbove: {
    type: 'number',
    default: DEFAULT_SELECTION.keepTopAbove ?? 1,
    min: 0,
    max: 1,
    description: "keep a series' most likely interval when it is at least this likely, even under the minimum (1: off)",
  },
  refine: {
    type: 'boolean',
    default: DEFAULT_SELECTION.refine,
    description: 'move interval bounds to where the values return to their context',
  },
};

export function twoStageInfo(): DetectorInfo {
  return {
    id: TWO_STAGE_ID,
    name: 'Screen + verify',
    description:
      'Screening (ensemble members and the learned model) proposes candidates; a calibrated verifier keeps those its evidence supports. Intervals carry their probability.',
    params: allParams({ params: PARAMS }),
    randomized: false,
    kind: 'classical',
  };
}

export interface TwoStageInput {
  values: Float64Array;
  params: ParamValues;
  models?: ModelRoots;
  verifiers?: VerifierRoots;
  signal?: AbortSignal;
  progress?: (fraction: number) => void;
}

export interface TwoStagePrediction {
  start: number;
  end: number;
  score: number;
  type: AnomalyType | null;
  /** why the verifier kept it, in the claim grammar */
  rationale?: { source: string; text: string; detail: Record<string, unknown> };
}

export interface TwoStageOutput {
  scores: Float32Array;
  intervals: TwoStagePrediction[];
  execution: Record<string, unknown>;
}

// one loaded verifier per worker and exact id
const loadedVerifiers = new Map<string, Promise<LoadedVerifier>>();

function openVerifier(ref: string, roots: VerifierRoots | undefined): Promise<LoadedVerifier> {
  const entry = resolveVerifier(ref, roots);
  const key = `${entry.dir}|${entry.card.onnx.sha256}`;
  let pending = loadedVerifiers.get(key);
  if (!pending) {
    pending = loadVerifier(entry);
    pending.catch(() => loadedVerifiers.delete(key));
    loadedVerifiers.set(key, pending);
  }
  return pending;
}

/** Per kept interval and feature: the drop in probability when that feature takes its typical false-alarm value. */
async function featureContributions(verifier: LoadedVerifier, kept: readonly { features: Float64Array; probability: number }[]) {
  const baseline = verifier.entry.card.baseline;
  const F = FEATURE_NAMES.length;
  const rows = kept.flatMap((k) =>
    FEATURE_NAMES.map((_, f) => {
      const row = Float64Array.from(k.features);
      row[f] = baseline[f];
      return row;
    }),
  );
  const { probability } = await verifier.predict(rows);
  return kept.map((k, i) => Float64Array.from({ length: F }, (_, f) => k.probability - probability[i * F + f]));
}

export async function twoStageDetect(input: TwoStageInput): Promise<TwoStageOutput> {
  const { values, params } = input;
  const members = await scoreMembers(values, {
    models: input.models,
    signal: input.signal,
    progress: (f) => input.progress?.(0.8 * f),
  });
  const { screening, candidates: found } = candidatesWithFeatures(values, members);
  input.progress?.(0.9);
  let verifier: LoadedVerifier;
  try {
    verifier = await openVerifier(String(params.verifier ?? DEFAULT_VERIFIER), input.verifiers);
  } catch (err) {
    // screening alone, at the default threshold of a single-stage run
    const intervals = scoresToIntervals(screening.combined, params).map((iv) => ({
      start: iv.start,
      end: iv.end,
      score: iv.score,
      type: null,
    }));
    return {
      scores: screening.combined,
      intervals,
      execution: { stage: 'screening-only', verifierError: toErrorData(err).message, candidates: found.length },
    };
  }
  const { probability } = await verifier.predict(found.map((c) => c.features));
  const candidates = found.map((c, k) => ({ ...c, probability: probability[k] }));
  const decision = decide(values, screening, candidates, {
    minProbability: Number(params.minProbability ?? DEFAULT_SELECTION.minProbability),
    falseAlarmsPer10k: Number(params.falseAlarmsPer10k ?? DEFAULT_SELECTION.falseAlarmsPer10k),
    keepTopAbove: Number(params.keepTopAbove ?? DEFAULT_SELECTION.keepTopAbove ?? 1),
    refine: params.refine !== false,
  });
  const types = (await verifier.predict(decision.kept.map((k) => k.finalFeatures))).types;
  const contributions = await featureContributions(verifier, decision.kept);
  const shape = { values, range: seriesRange(values) };
  input.progress?.(1);
  return {
    scores: decision.scores,
    intervals: decision.kept.map((k, i) => {
      const why = whyKept(k.evidence, k.probability, contributions[i]);
      return {
        start: k.start,
        end: k.end,
        score: k.probability,
        type: classifyKept(k, types?.[i], shape).type,
        rationale: {
          source: 'verifier',
          text: why.text,
          detail: { verifier: verifier.entry.id, probability: k.probability, topFeatures: why.top },
        },
      };
    }),
    execution: { stage: 'two-stage', verifier: verifier.entry.id, candidates: found.length, kept: decision.kept.length },
  };
}
