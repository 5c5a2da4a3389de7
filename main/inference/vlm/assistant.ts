import { WorkbenchError } from '../../../common/errors';
import { parseAnomSeer } from '../../reasoning/parsers';
import { plotToGray, readTrace } from './image';
import type { DecodeOptions, LoadedVlm } from './model';
import { writeThink } from './think';

export interface PlotQuestion {
  /** the plot (PNG, 1000×150, main/render style 'anomllm') */
  png: Buffer;
  /** the prompt sent with it; anomSeerPrompt's wording gives the window length and y axis range */
  prompt: string;
}

export interface PlotAnswer {
  /** `<think>…</think><answer>[[s, e], …]</answer><class>…</class>` in the window's indices */
  text: string;
  finishReason: 'stop' | 'length';
  /** decoder tokens generated */
  completionTokens: number;
  /** what the runtime changed or could not do (cut off, rescaled indices, no axis range in the prompt) */
  notes: string[];
}

/** Window length and y axis range as anomSeerPrompt states them, or null. */
export function readPrompt(prompt: string): { length: number; yMin: number; yMax: number } | null {
  const m = /time series of (\d+) points.*?y axis: (-?\d+(?:\.\d+)?(?:e[-+]?\d+)?) to (-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)/is.exec(
    prompt,
  );
  if (!m) return null;
  const [length, yMin, yMax] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return length >= 2 && yMax > yMin ? { length, yMin, yMax } : null;
}

/**
 * The model's answers to plots: the decoder writes `<answer>` and `<class>` (greedy, batched, token
 * budget, cancel); positions are mapped from the model's 1000-point frame to the window's length; the
 * `<think>` is written from the plotted line (think.ts). An answer cut off at the token budget comes
 * back as far as it got, with finishReason 'length' and a note.
 */
export async function answerPlots(
  model: LoadedVlm,
  questions: readonly PlotQuestion[],
  opts: DecodeOptions = {},
): Promise<PlotAnswer[]> {
  const grays = questions.map((q, k) => {
    try {
      return plotToGray(q.png);
    } catch (err) {
      if (err instanceof WorkbenchError && questions.length > 1)
        throw new WorkbenchError(err.code, `Plot ${k}: ${err.message}`, err.details);
      throw err;
    }
  });
  const decoded = await model.generate(grays, opts);
  const frame = model.card.window;
  return decoded.map((d, k) => {
    const notes: string[] = [];
    if (d.finishReason === 'length') {
      notes.push(`the answer was cut off at the token budget of ${d.tokens.length} tokens`);
      return { text: d.text, finishReason: d.finishReason, completionTokens: d.tokens.length, notes };
    }
    const axis = readPrompt(questions[k].prompt);
    if (!axis)
      notes.push('the prompt names no window length and y axis range: positions are in a 1000-point frame, no levels quoted');
    const length = axis?.length ?? frame;
    let parsed;
    try {
      parsed = parseAnomSeer(d.text, frame);
    } catch (err) {
      notes.push(`the decoder wrote an unreadable answer (${(err as Error).message})`);
      return { text: d.text, finishReason: d.finishReason, completionTokens: d.tokens.length, notes };
    }
    let intervals = parsed.intervals.map(({ start, end }) => ({ start, end }));
    if (length !== frame) {
      const scale = (length - 1) / (frame - 1);
      intervals = intervals
        .map((iv) => ({
          start: Math.round(iv.start * scale),
          end: Math.max(Math.round(iv.start * scale) + 1, Math.round(iv.end * scale)),
        }))
        .map((iv) => ({ start: Math.min(iv.start, length - 1), end: Math.min(iv.end, length) }));
      notes.push(`positions rescaled from the model's ${frame}-point frame to ${length} points`);
    }
    const className = /<class>([\s\S]*?)<\/class>/.exec(d.text)?.[1]?.trim() ?? null;
    const trace = axis ? readTrace(questions[k].png, length, axis.yMin, axis.yMax) : new Float64Array(length).fill(Number.NaN);
    const think = writeThink(trace, intervals, className);
    const text = `<think>${think}</think><answer>[${intervals.map((iv) => `[${iv.start}, ${iv.end}]`).join(', ')}]</answer><class>${className ?? 'normal'}</class>`;
    return { text, finishReason: d.finishReason, completionTokens: d.tokens.length, notes };
  });
}
