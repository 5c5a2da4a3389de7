export {
  computeEvidence,
  contextRanges,
  discordOf,
  discordOn,
  dominantPeriod,
  meanGradient,
  summarize,
  globalLevel,
  EVIDENCE_VERSION,
} from './evidence';
export type { Discord, Evidence, EvidenceOptions, Summary, Range } from './evidence';
export { impliedInterval } from './freetext';
export { classify, classifyByRules, classifyByShape, contextSpread } from './classify';
export type { Classification, ShapeInput, TypeDistribution } from './classify';
export { seriesRange } from './shape';
export { buildCard } from './card';
export type { RationaleCard, CardClaim, ClaimReference } from './card';
export { checkRationale } from './faithfulness';
export type { FaithfulnessReport, ClaimCheck, ClaimStatus, CheckOptions } from './faithfulness';
export { fmt, agrees } from './claims';
export { explainInterval, listRationales, saveRationale } from './explain';
export { rankRationales, scoreRationale, DEFAULT_REWARD_WEIGHTS } from './reward';
export type { Candidate, Reward, RewardWeights, RewardContext } from './reward';
export { OUTPUT_FORMATS, parseAnomLlm, parseAnomSeer, parseVlm4ts } from './parsers';
export type { OutputFormat, ParsedAnswer } from './parsers';
export { anomLlmPrompt, anomSeerPrompt, vlm4tsPrompt } from './parsers';
