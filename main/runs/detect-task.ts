import type { NewPrediction } from '../store';
import { getDetector, scoresToIntervals, validateParams } from '../detectors';

export interface DetectInput {
  detectorId: string;
  params: Record<string, unknown>;
  values: Float64Array;
}

export interface DetectOutput {
  scores: Float32Array;
  intervals: NewPrediction[];
  seconds: number;
}

/** Worker task: one detector over one series → per-point scores and thresholded intervals. */
export function detectIntervals(input: DetectInput, progress: (fraction: number) => void): DetectOutput {
  const detector = getDetector(input.detectorId);
  const params = validateParams(detector, input.params);
  const t0 = performance.now();
  const scores = detector.score(input.values, params, { progress });
  const intervals = scoresToIntervals(scores, params).map((iv) => ({
    start: iv.start,
    end: iv.end,
    score: iv.score,
  }));
  return { scores, intervals, seconds: (performance.now() - t0) / 1000 };
}
