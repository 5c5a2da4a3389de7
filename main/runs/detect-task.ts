import type { NewPrediction } from '../store';
import { getDetector, scoresToIntervals, validateParams, type ParamValues } from '../detectors';
import { modelDetector, type AsyncDetector, type ModelRoots } from '../inference';
import { TWO_STAGE_ID, twoStageDetect, twoStageInfo, type VerifierRoots } from '../verify';
import { isModelDetectorId, modelDetectorParams, modelRef, providerPreference } from './model-detectors';

export interface DetectInput {
  detectorId: string;
  params: Record<string, unknown>;
  values: Float64Array;
  /** where `model:` detectors are looked up */
  models?: ModelRoots;
  /** where the two-stage detector's verifiers are looked up */
  verifiers?: VerifierRoots;
}

export interface DetectOutput {
  scores: Float32Array;
  intervals: NewPrediction[];
  seconds: number;
  /** what actually ran (for a learned model: provider, fallback reason, windows, batch size) */
  execution?: Record<string, unknown>;
}

// One loaded model per worker and ref: a worker scores several series of one run in a row only in tests,
// but loading is the slow part of a small series.
const loadedModels = new Map<string, Promise<AsyncDetector>>();

async function scoreWithModel(input: DetectInput, progress: (fraction: number) => void) {
  const ref = modelRef(input.detectorId);
  // the provider the service chose (already validated there); the manifest is the same for every provider
  const provider = providerPreference(input.params);
  const key = `${ref}|${provider}|${JSON.stringify(input.models ?? {})}`;
  let pending = loadedModels.get(key);
  if (!pending) {
    pending = modelDetector(ref, { ...(input.models ?? {}), provider, threads: 1 });
    loadedModels.set(key, pending);
  }
  const detector = await pending;
  const params = validateParams({ id: input.detectorId, params: modelDetectorParams(detector) }, input.params);
  const scores = await detector.score(input.values, params, { progress });
  return { scores, params, execution: detector.lastExecution() };
}

/** Worker task: one detector over one series → per-point scores and thresholded intervals. */
export async function detectIntervals(input: DetectInput, progress: (fraction: number) => void): Promise<DetectOutput> {
  const t0 = performance.now();
  if (input.detectorId === TWO_STAGE_ID) {
    const detector = { id: TWO_STAGE_ID, params: twoStageInfo().params };
    const out = await twoStageDetect({
      values: input.values,
      params: validateParams(detector, input.params),
      models: input.models,
      verifiers: input.verifiers,
      progress,
    });
    return { ...out, seconds: (performance.now() - t0) / 1000 };
  }
  let scores: Float32Array;
  let params: ParamValues;
  let execution: Record<string, unknown> | undefined;
  if (isModelDetectorId(input.detectorId)) {
    ({ scores, params, execution } = await scoreWithModel(input, progress));
  } else {
    const detector = getDetector(input.detectorId);
    params = validateParams(detector, input.params);
    scores = detector.score(input.values, params, { progress });
  }
  const intervals = scoresToIntervals(scores, params).map((iv) => ({
    start: iv.start,
    end: iv.end,
    score: iv.score,
  }));
  return { scores, intervals, seconds: (performance.now() - t0) / 1000, ...(execution ? { execution } : {}) };
}
