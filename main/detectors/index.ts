export type { Detector, ParamValues, ScoreContext } from './types';
export { THRESHOLD_PARAMS } from './types';
export { getDetector, listDetectors, listDetectorInfos } from './registry';
export { validateParams, allParams, defaultThresholding } from './params';
export { scoresToIntervals, intervalsAbove } from './intervals';
export type { ScoredInterval } from './intervals';
export {
  rankNormalize,
  robustZNormalize,
  minMaxNormalize,
  normalizeScores,
  combineScores,
  parseWeights,
  DEFAULT_MEMBERS,
} from './ensemble';
export { calibrateEnsemble } from './calibrate';
export type { CalibrationSeries, CalibrationResult, CalibrationMetrics, CalibrationOptions } from './calibrate';
