import { clampIntervals, extractJson, parseError, saysNoAnomaly, type ParsedAnswer } from './common';

/**
 * VLM4TS: a JSON object `{"anomalies": [{"interval_index": [s, e], "confidence": 1-3, "abnormal_description": "..."}]}`
 * (a bare list of such items is accepted too). Convention: INCLUSIVE [s, e]; converted to half-open
 * [s, e + 1).
 */
export function parseVlm4ts(text: string, length: number): ParsedAnswer {
  const notes: string[] = [];
  if (saysNoAnomaly(text)) return { format: 'vlm4ts', intervals: [], type: null, reasoning: null, notes };
  const json = extractJson(text, 'vlm4ts');
  const list = Array.isArray(json) ? json : ((json as { anomalies?: unknown }).anomalies ?? [json]);
  if (!Array.isArray(list)) throw parseError('vlm4ts', 'expected {"anomalies": [...]}');
  const intervals = list
    .filter((o) => o && typeof o === 'object' && Object.keys(o as object).length > 0)
    .map((o) => {
      const r = o as { interval_index?: unknown; confidence?: unknown; abnormal_description?: unknown };
      if (!Array.isArray(r.interval_index) || r.interval_index.length !== 2) {
        throw parseError('vlm4ts', `an item lacks "interval_index": [start, end]: ${JSON.stringify(o)}`);
      }
      const confidence = Number(r.confidence);
      return {
        start: Number(r.interval_index[0]),
        end: Number(r.interval_index[1]) + 1,
        ...(Number.isFinite(confidence) ? { confidence: Math.max(1, Math.min(3, confidence)) } : {}),
        ...(typeof r.abnormal_description === 'string' ? { description: r.abnormal_description } : {}),
      };
    });
  return {
    format: 'vlm4ts',
    intervals: clampIntervals(intervals, length, notes),
    type: null,
    reasoning:
      intervals
        .map((i) => i.description)
        .filter(Boolean)
        .join(' ') || null,
    notes,
  };
}

export function vlm4tsPrompt(length: number): string {
  return (
    `The plot shows a time series of ${length} points; the x axis ticks give the index. ` +
    'Answer with JSON {"anomalies": [{"interval_index": [start, end], "confidence": 1-3, "abnormal_description": "..."}]} ' +
    'where start and end are INCLUSIVE indices; {"anomalies": []} if there is none.'
  );
}
