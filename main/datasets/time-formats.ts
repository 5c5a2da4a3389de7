/**
 * Recognising time columns from sampled text. Formats are 'iso8601', 'epoch_s', 'epoch_ms' or a strptime
 * pattern (DuckDB's dialect). Timestamps without a zone are UTC throughout the reader.
 */

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const ZONE_SUFFIX = /\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$/;

export const TIME_NAME =
  /^(time|timestamp|timestamps|date|datetime|date_time|ts|time_stamp|dt|epoch|unix_time|unixtime|time_utc|timestamp_utc|utc|datum|zeit)$/i;

export function isIsoTimestamp(text: string): boolean {
  const m = ISO_8601.exec(text);
  if (!m) return false;
  return validDate(Number(m[1]), Number(m[2]), Number(m[3])) && (m[4] === undefined || Number(m[4]) < 24);
}

/** True when the text ends in a zone designator after a clock time: Z, UTC, +02:00, -0500... */
export function hasZoneSuffix(text: string): boolean {
  return ZONE_SUFFIX.test(text.trim());
}

interface PatternSpec {
  pattern: string;
  regex: RegExp;
  /** group order of year, month, day within the regex (1-based group numbers) */
  ymd: [number, number, number];
}

function spec(pattern: string): PatternSpec {
  const order: string[] = [];
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '%' && i + 1 < pattern.length) {
      const code = pattern[++i];
      order.push(code);
      source +=
        {
          Y: '(\\d{4})',
          m: '(\\d{1,2})',
          d: '(\\d{1,2})',
          H: '(\\d{1,2})',
          I: '(\\d{1,2})',
          M: '(\\d{2})',
          S: '(\\d{2})',
          f: '(\\d{1,6})',
          p: '(AM|PM|am|pm)',
        }[code] ?? '';
    } else {
      source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  const group = (code: string) => order.indexOf(code) + 1;
  return { pattern, regex: new RegExp(`^${source}$`), ymd: [group('Y'), group('m'), group('d')] };
}

/** Non-ISO layouts tried in order; day-first and month-first both listed so the data can decide. */
const PATTERNS: PatternSpec[] = [
  '%Y/%m/%d %H:%M:%S',
  '%Y/%m/%d %H:%M',
  '%Y/%m/%d',
  '%m/%d/%Y %H:%M:%S',
  '%m/%d/%Y %H:%M',
  '%m/%d/%Y %I:%M:%S %p',
  '%m/%d/%Y %I:%M %p',
  '%m/%d/%Y',
  '%d/%m/%Y %H:%M:%S',
  '%d/%m/%Y %H:%M',
  '%d/%m/%Y',
  '%d.%m.%Y %H:%M:%S',
  '%d.%m.%Y %H:%M',
  '%d.%m.%Y',
  '%d-%m-%Y %H:%M:%S',
  '%d-%m-%Y %H:%M',
  '%d-%m-%Y',
  '%Y%m%d %H:%M:%S',
].map(spec);

function validDate(y: number, m: number, d: number): boolean {
  return y >= 1000 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

function matchesPattern(p: PatternSpec, text: string): boolean {
  const m = p.regex.exec(text);
  if (!m) return false;
  const [yi, mi, di] = p.ymd;
  return validDate(Number(m[yi]), Number(m[mi]), Number(m[di]));
}

export interface TextTimeDetection {
  format: string;
  /** for iso8601: whether the sampled values carry a zone (all do, none do, or a mix) */
  zones: 'none' | 'all' | 'mixed';
  /** index in the sample of the first value whose zone-ness differs from the first value's */
  firstZoneMismatch: number;
  ambiguous: boolean;
}

/** The time format every non-empty sampled value fits, or null. */
export function detectTextTimeFormat(values: readonly string[]): TextTimeDetection | null {
  const present = values.map((v) => v.trim()).filter((v) => v !== '');
  if (present.length === 0) return null;
  if (present.every(isIsoTimestamp)) {
    const firstZoned = hasZoneSuffix(present[0]);
    const mismatch = present.findIndex((v) => hasZoneSuffix(v) !== firstZoned);
    const zones = mismatch >= 0 ? 'mixed' : firstZoned ? 'all' : 'none';
    const firstZoneMismatch = mismatch < 0 ? -1 : values.findIndex((v) => v.trim() === present[mismatch]);
    return { format: 'iso8601', zones, firstZoneMismatch, ambiguous: false };
  }
  const fitting = PATTERNS.filter((p) => present.every((v) => matchesPattern(p, v)));
  if (fitting.length === 0) return null;
  const chosen = fitting[0];
  const swapped = chosen.pattern.replace('%m/%d', '%d/%m');
  const ambiguous = chosen.pattern.startsWith('%m/%d') && fitting.some((p) => p.pattern === swapped);
  return { format: chosen.pattern, zones: 'none', firstZoneMismatch: -1, ambiguous };
}

/** Epoch unit guessed from magnitudes: seconds up to about year 5000, milliseconds beyond. */
export function detectEpochUnit(values: readonly number[]): 'epoch_s' | 'epoch_ms' {
  let maxAbs = 0;
  for (const v of values) if (Number.isFinite(v)) maxAbs = Math.max(maxAbs, Math.abs(v));
  return maxAbs >= 1e11 ? 'epoch_ms' : 'epoch_s';
}

/**
 * Where a column mixes epoch seconds and epoch milliseconds (both between 1990 and 2100): the index of the first
 * value in each unit, or null when it does not mix them.
 */
export function epochUnitMix(values: readonly number[]): { firstSeconds: number; firstMillis: number } | null {
  let firstSeconds = -1;
  let firstMillis = -1;
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i]);
    if (firstSeconds < 0 && v >= 631_152_000 && v <= 4_102_444_800) firstSeconds = i;
    else if (firstMillis < 0 && v >= 631_152_000_000 && v <= 4_102_444_800_000) firstMillis = i;
  }
  return firstSeconds >= 0 && firstMillis >= 0 ? { firstSeconds, firstMillis } : null;
}

/** True when numbers look like epoch seconds or milliseconds between 1990 and 2100. */
export function looksLikeEpoch(values: readonly number[]): boolean {
  if (values.length < 2) return false;
  const inSeconds = (v: number) => v >= 631_152_000 && v <= 4_102_444_800;
  const inMillis = (v: number) => v >= 631_152_000_000 && v <= 4_102_444_800_000;
  return values.every((v) => Number.isInteger(v) && inSeconds(v)) || values.every((v) => Number.isInteger(v) && inMillis(v));
}

/** Parses a zone-less 'YYYY-MM-DD[ HH:MM[:SS[.ffffff]]]' as UTC epoch milliseconds; NaN when it does not fit. */
export function parseUtcTimestamp(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/.exec(text.trim());
  if (!m) return NaN;
  const fraction = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  return (
    Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)) + fraction
  );
}
