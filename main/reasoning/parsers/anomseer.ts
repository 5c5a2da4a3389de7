import { clampIntervals, mapClass, parseError, saysNoAnomaly, type ParsedAnswer } from './common';

/**
 * AnomSeer: `<think>…</think>`, `<answer>[[s, e], ...]</answer>`, `<class>…</class>`.
 * Convention: intervals are HALF-OPEN [s, e), as in the paper's prompt; `[{"start": s, "end": e}]` objects are read too. Missing <think> or <class>
 * is tolerated; a missing or unreadable <answer> is an error; "[]" (or "no anomaly") means none.
 */
export function parseAnomSeer(text: string, length: number): ParsedAnswer {
  const notes: string[] = [];
  const tag = (name: string) => new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'i').exec(text)?.[1]?.trim() ?? null;
  const answer = tag('answer');
  if (answer === null) throw parseError('anomseer', 'no <answer>…</answer> tag');
  let pairs: unknown;
  if (saysNoAnomaly(answer)) pairs = [];
  else
    try {
      // tuples and trailing commas are common slips
      pairs = JSON.parse(answer.replace(/\(/g, '[').replace(/\)/g, ']').replace(/,\s*]/g, ']') || '[]');
    } catch {
      throw parseError('anomseer', `<answer> is not a list of [start, end] pairs: ${answer.slice(0, 80)}`);
    }
  if (!Array.isArray(pairs)) throw parseError('anomseer', '<answer> is not a list');
  // AnomSeer's reward code accepts both [[s, e]] pairs and [{"start": s, "end": e}] objects
  const intervals = pairs.map((p) => {
    if (typeof p === 'object' && p !== null && !Array.isArray(p) && 'start' in p && 'end' in p)
      return { start: Number((p as { start: unknown }).start), end: Number((p as { end: unknown }).end) };
    if (!Array.isArray(p) || p.length !== 2)
      throw parseError(
        'anomseer',
        `an interval is neither a [start, end] pair nor a {"start", "end"} object: ${JSON.stringify(p)}`,
      );
    return { start: Number(p[0]), end: Number(p[1]) };
  });
  return {
    format: 'anomseer',
    intervals: clampIntervals(intervals, length, notes),
    type: mapClass(tag('class')),
    reasoning: tag('think'),
    notes,
  };
}

export function anomSeerPrompt(length: number, yMin: number, yMax: number): string {
  return (
    `The plot shows a time series of ${length} points (x axis: index 0 to ${length - 1}; y axis: ${yMin} to ${yMax}). ` +
    'Find the anomalous intervals. Reason step by step inside <think></think>, quoting what you see. ' +
    'Then give the intervals as half-open index ranges inside <answer>[[start, end], ...]</answer> ([] if there is none), ' +
    'and the anomaly class inside <class></class>: one of contextual point, global point, seasonal, trend, shapelet, normal.'
  );
}
