import { clampIntervals, extractJson, parseError, saysNoAnomaly, type ParsedAnswer } from './common';

/** AnomLLM: a JSON list `[{"start": s, "end": e}, ...]`. Convention: HALF-OPEN [s, e). */
export function parseAnomLlm(text: string, length: number): ParsedAnswer {
  const notes: string[] = [];
  if (saysNoAnomaly(text)) return { format: 'anomllm', intervals: [], type: null, reasoning: null, notes };
  const json = extractJson(text, 'anomllm');
  const list = Array.isArray(json) ? json : (json as { intervals?: unknown }).intervals;
  if (!Array.isArray(list)) throw parseError('anomllm', 'expected a list of {"start", "end"} objects');
  const intervals = list.map((o) => {
    const r = o as { start?: unknown; end?: unknown };
    if (typeof r !== 'object' || r === null || r.start === undefined || r.end === undefined) {
      throw parseError('anomllm', `an item lacks start or end: ${JSON.stringify(o)}`);
    }
    return { start: Number(r.start), end: Number(r.end) };
  });
  return { format: 'anomllm', intervals: clampIntervals(intervals, length, notes), type: null, reasoning: null, notes };
}

export function anomLlmPrompt(length: number): string {
  return (
    `The plot shows a time series of ${length} points (x axis: index 0 to ${length - 1}). ` +
    'List the anomalous intervals as JSON: [{"start": s, "end": e}, ...] with half-open index ranges; [] if there is none.'
  );
}
