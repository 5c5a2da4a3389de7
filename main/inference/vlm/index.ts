export { loadVlm, type LoadedVlm, type Decoded, type DecodeOptions } from './model';
export { answerPlots, readPrompt, type PlotAnswer, type PlotQuestion } from './assistant';
export { listVlms, resolveVlm, DEFAULT_VLM_NAME, type VlmEntry } from './registry';
export { readVlmCard, isVlmCardJson, type VlmCard } from './card';
export { plotToGray, readTrace, decodePng, VLM_IMAGE } from './image';
export { writeThink } from './think';
export { VOCAB, encode, decode, answerTokens, LOCATIONS, locOf } from './tokenizer';
export { synthWindow, VLM_WINDOW } from './windows';
