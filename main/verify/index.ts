export { TWO_STAGE_ID, twoStageDetect, twoStageInfo, type TwoStageInput, type TwoStageOutput } from './two-stage';
export {
  DEFAULT_VERIFIER,
  defaultBundledVerifiersDir,
  listVerifiers,
  loadVerifier,
  readExamples,
  resolveVerifier,
  saveVerifier,
  type LoadedVerifier,
  type StoredExample,
  type VerifierCard,
  type VerifierEntry,
  type VerifierRoots,
} from './bundle';
export { FEATURE_NAMES, FEATURE_VERSION, SCREENING_MEMBERS } from './features';
export { scoreMembers } from './members';
export { candidatesWithFeatures, seriesExamples } from './examples';
export { decide } from './decide';
export { DEFAULT_SELECTION, type SelectionOptions } from './select';
export { trainVerifierModel, type TrainingExample } from './train';
export {
  retrainVerifier,
  reviewExamples,
  REVIEW_WEIGHT,
  type RetrainInput,
  type RetrainResult,
  type ReviewedSeries,
} from './retrain';
