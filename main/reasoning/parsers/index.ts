import type { OutputFormat, ParsedAnswer } from './common';
import { anomLlmPrompt, parseAnomLlm } from './anomllm';
import { anomSeerPrompt, parseAnomSeer } from './anomseer';
import { parseVlm4ts, vlm4tsPrompt } from './vlm4ts';

export type { OutputFormat, ParsedAnswer };
export { parseAnomLlm, parseAnomSeer, parseVlm4ts, anomLlmPrompt, anomSeerPrompt, vlm4tsPrompt };

export const OUTPUT_FORMATS: Record<
  OutputFormat,
  { parse: (text: string, length: number) => ParsedAnswer; prompt: (length: number, yMin: number, yMax: number) => string }
> = {
  anomseer: { parse: parseAnomSeer, prompt: anomSeerPrompt },
  anomllm: { parse: parseAnomLlm, prompt: (n) => anomLlmPrompt(n) },
  vlm4ts: { parse: parseVlm4ts, prompt: (n) => vlm4tsPrompt(n) },
};
