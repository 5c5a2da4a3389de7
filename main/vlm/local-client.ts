import { pathToFileURL } from 'node:url';
import { WorkbenchError } from '../../common/errors';
import { answerPlots, type LoadedVlm } from '../inference/vlm';
import type { ChatRequest, ChatResponse } from './openai-client';
import type { ChatLike } from './vlm-run';

/**
 * The bundled VLM as runVlm's client, in this process: the same answers `tsad vlm-serve` gives over
 * HTTP, without the HTTP. Runs record it as `vlm:NAME@VERSION` with the model folder as endpoint.
 */
export function localVlmClient(model: LoadedVlm): ChatLike {
  return {
    endpoint: { baseUrl: pathToFileURL(model.dir).href, model: model.id },
    engine: 'in-process onnxruntime-node (greedy, KV cache)',
    async complete(req: ChatRequest, signal?: AbortSignal): Promise<ChatResponse> {
      if (!req.image) throw new WorkbenchError('invalid_input', 'The model needs the plot image.');
      const started = performance.now();
      const [answer] = await answerPlots(model, [{ png: req.image, prompt: req.prompt }], {
        ...(signal ? { signal } : {}),
        ...(req.maxTokens !== undefined ? { maxTokens: req.maxTokens } : {}),
      });
      return {
        text: answer.text,
        model: model.id,
        finishReason: answer.finishReason,
        usage: { completionTokens: answer.completionTokens },
        attempts: 1,
        seconds: (performance.now() - started) / 1000,
      };
    },
  };
}
