export { modelCardSchema, parseModelCard, typeLabels, type ModelCard } from './card';
export { modelDetector, type AsyncDetector, type ModelDetectorOptions } from './detector';
export { movingMax, movingMean, smoothScores, SMOOTHING_MODES, type SmoothingMode } from './postprocess';
export { blockMeans, parseScales, scoreAtScales, usableScales } from './multiscale';
export {
  FEATURE_CHANNELS,
  PREPROCESSING_KIND,
  globalStats,
  windowStarts,
  writeWindowFeatures,
  type FeatureTail,
  type GlobalStats,
} from './preprocess';
export {
  addModelFromDisk,
  compareVersions,
  DEFAULT_MODEL_NAME,
  defaultBundledModelsDir,
  listModels,
  resolveModel,
  scanModels,
  type AddModelOptions,
  type ModelEntry,
  type ModelProblem,
  type ModelRoots,
  type ModelSource,
} from './registry';
export {
  intervalTypeDistribution,
  scoreSeriesWithModel,
  type ExecutionReport,
  type ModelScores,
  type ScoreWithModelOptions,
} from './score';
export {
  listSupportedBackends,
  loadModel,
  PROVIDER_ORDER,
  providerCandidates,
  resetProviderFailures,
  type BackendInfo,
  type LoadedModel,
  type LoadModelOptions,
  type ProviderName,
  type ProviderPreference,
} from './session';
