import type { AnswerFormat } from '../../../common/lists';
import type { AnomalyType, Interval } from '../../../common/domain';
import { WorkbenchError } from '../../../common/errors';

export type OutputFormat = AnswerFormat;

export interface ParsedAnswer {
  format: OutputFormat;
  /** half-open, clamped to the series (window) length */
  intervals: (Interval & { confidence?: number; description?: string })[];
  type: AnomalyType | null;
  /** the model's reasoning text, when the format has one */
  reasoning: string | null;
  /** what was changed to fit: clamped or dropped intervals */
  notes: string[];
}

export function parseError(format: OutputFormat, reason: string): WorkbenchError {
  return new WorkbenchError('parse_error', `Cannot read the ${format} answer: ${reason}`, { format });
}

/** An answer that says in words that there is nothing, e.g. "No anomalies detected." or "none". */
export function saysNoAnomaly(text: string): boolean {
  return /^\s*(?:there (?:are|is) )?(no anomal(?:y|ies)|none|normal)\b/i.test(text) && !/[[{]/.test(text);
}

/** The first JSON value (object or array) in text that may carry prose or code fences around it. */
export function extractJson(text: string, format: OutputFormat): unknown {
  const src = text.replace(/```(?:json)?/gi, ' ');
  const start = src.search(/[[{]/);
  if (start < 0) throw parseError(format, 'no JSON in the answer');
  const stack: string[] = [];
  let quote: string | null = null;
  for (let i = start; i < src.length; i++) {
    const c = src[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') stack.push(c === '[' ? ']' : '}');
    else if (c === ']' || c === '}') {
      if (stack.pop() !== c) throw parseError(format, `mismatched "${c}" in the JSON`);
      if (stack.length === 0) return parseLenient(src.slice(start, i + 1), format);
    }
  }
  throw parseError(format, 'unterminated JSON');
}

/** JSON, forgiving the two slips models make most: trailing commas and single quotes. */
function parseLenient(raw: string, format: OutputFormat): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    try {
      return JSON.parse(raw.replace(/,\s*([\]}])/g, '$1').replace(/'/g, '"'));
    } catch (err) {
      throw parseError(format, `malformed JSON (${(err as Error).message})`);
    }
  }
}

/** Clamps intervals to [0, length), dropping empty or entirely out-of-range ones and saying so. */
export function clampIntervals<T extends Interval>(intervals: T[], length: number, notes: string[]): T[] {
  const out: T[] = [];
  for (const iv of intervals) {
    if (!Number.isFinite(iv.start) || !Number.isFinite(iv.end)) {
      notes.push(`dropped a non-numeric interval`);
      continue;
    }
    const start = Math.max(0, Math.floor(iv.start));
    const end = Math.min(length, Math.ceil(iv.end));
    if (end <= start) {
      notes.push(`dropped [${iv.start}, ${iv.end}): outside the series of length ${length} or empty`);
      continue;
    }
    if (start !== iv.start || end !== iv.end) notes.push(`clamped [${iv.start}, ${iv.end}) to [${start}, ${end})`);
    out.push({ ...iv, start, end });
  }
  return out.sort((a, b) => a.start - b.start);
}

const CLASS_MAP: Record<string, AnomalyType> = {
  'contextual point': 'contextual-point',
  'global point': 'global-point',
  seasonal: 'frequency-change',
  trend: 'trend-change',
  shapelet: 'shapelet',
  'level shift': 'level-shift',
  flatline: 'flatline',
  variance: 'variance-change',
  // the short names AnomSeer's reward normalizes to its classes
  contextual: 'contextual-point',
  global: 'global-point',
  'point anomaly': 'global-point',
  season: 'frequency-change',
  seasonality: 'frequency-change',
  'trend change': 'trend-change',
  shape: 'shapelet',
};

export function mapClass(text: string | null): AnomalyType | null {
  if (!text) return null;
  const t = text.trim().toLowerCase().replace(/[_-]/g, ' ');
  if (t === 'normal' || t === 'none') return null;
  return CLASS_MAP[t] ?? 'unknown';
}
