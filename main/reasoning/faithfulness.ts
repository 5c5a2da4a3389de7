import { agrees, CLAIM_PATTERNS } from './claims';
import type { Interval } from '../../common/domain';
import { discordOn, summarize, type Summary } from './evidence';
import { checkFreeText } from './freetext';

export type ClaimStatus = 'verified' | 'contradicted' | 'unverifiable';

export interface ClaimCheck {
  text: string;
  kind: 'statistic' | 'missing' | 'value' | 'z-score' | 'position' | 'duration' | 'type' | 'number';
  status: ClaimStatus;
  quoted?: number;
  actual?: number | null;
  reason?: string;
}

export interface FaithfulnessReport {
  verified: number;
  contradicted: number;
  unverifiable: number;
  claims: ClaimCheck[];
}

const STAT_FIELD: Record<string, keyof Summary> = {
  mean: 'mean',
  median: 'median',
  'standard deviation': 'std',
  slope: 'slope',
  'dominant period': 'period',
};

export interface CheckOptions {
  /** the interval the text is about; free-text claims without a stated range are checked on it (default: the first range the text names) */
  interval?: Interval;
}

/**
 * Re-reads a rationale (ours or a model's), extracts its numeric, positional and type claims, and
 * checks each against the data by recomputing it on the stated or implied range or point. Claims in
 * the shared grammar (see claims.ts) are checked to their quoted rounding; free-text claims ("the
 * mean rises from 1.2 to 5.3", "z-score of 7 at index 2031", "a level shift") with the tolerances in
 * freetext.ts. Any other number is reported as unverifiable. Self-reported confidence is not a claim
 * about the data and is skipped.
 */
export function checkRationale(text: string, values: Float64Array, options: CheckOptions = {}): FaithfulnessReport {
  const claims: ClaimCheck[] = [];
  const covered: [number, number][] = [];
  const n = values.length;
  const inBounds = (lo: number, hi: number) => lo >= 0 && hi <= n && hi > lo;
  const take = (re: RegExp, fn: (m: RegExpExecArray) => ClaimCheck) => {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (covered.some(([a, b]) => m!.index >= a && m!.index < b)) continue;
      covered.push([m.index, m.index + m[0].length]);
      claims.push(fn(m));
    }
  };
  const judge = (text: string, kind: ClaimCheck['kind'], quoted: string, actual: number | null): ClaimCheck =>
    actual === null
      ? { text, kind, status: 'unverifiable', quoted: Number(quoted), actual, reason: 'not defined on that range' }
      : { text, kind, status: agrees(quoted, actual) ? 'verified' : 'contradicted', quoted: Number(quoted), actual };

  take(CLAIM_PATTERNS.z, (m) => {
    const [text, q, idx, lo, hi] = [m[0], m[1], Number(m[2]), Number(m[3]), Number(m[4])];
    if (!inBounds(lo, hi) || idx >= n)
      return { text, kind: 'z-score', status: 'contradicted', reason: 'index or range outside the series' };
    const ctx = summarize(values, [lo, hi]);
    const actual = ctx.median !== null && ctx.mad ? (values[idx] - ctx.median) / (1.4826 * ctx.mad) : null;
    return judge(text, 'z-score', q, actual);
  });
  take(CLAIM_PATTERNS.plainZ, (m) => {
    const [text, q, idx, lo, hi] = [m[0], m[1], Number(m[2]), Number(m[3]), Number(m[4])];
    if (!inBounds(lo, hi) || idx >= n)
      return { text, kind: 'z-score', status: 'contradicted', reason: 'index or range outside the series' };
    const ctx = summarize(values, [lo, hi]);
    const actual = ctx.mean !== null && ctx.std ? (values[idx] - ctx.mean) / ctx.std : null;
    return judge(text, 'z-score', q, actual);
  });
  take(CLAIM_PATTERNS.discord, (m) => {
    const [text, q, w, s, t, lo, hi] = [m[0], m[1], ...m.slice(2, 7).map(Number)] as [string, string, ...number[]];
    if (!inBounds(lo, hi) || !inBounds(s, t) || w < 2)
      return { text, kind: 'z-score', status: 'contradicted', reason: 'range outside the series' };
    return judge(text, 'z-score', q, discordOn(values, [s, t], [lo, hi], w)?.z ?? null);
  });
  take(CLAIM_PATTERNS.stat, (m) => {
    const [text, stat, q, lo, hi] = [m[0], m[1].toLowerCase(), m[2], Number(m[3]), Number(m[4])];
    if (!inBounds(lo, hi))
      return { text, kind: 'statistic', status: 'contradicted', reason: `range [${lo}, ${hi}) is outside the series` };
    const actual = summarize(values, [lo, hi])[STAT_FIELD[stat]] as number | null;
    return judge(text, 'statistic', q, actual);
  });
  take(CLAIM_PATTERNS.missing, (m) => {
    const [text, q, lo, hi] = [m[0], m[1], Number(m[2]), Number(m[3])];
    if (!inBounds(lo, hi)) return { text, kind: 'missing', status: 'contradicted', reason: 'range outside the series' };
    let miss = 0;
    for (let i = lo; i < hi; i++) if (!Number.isFinite(values[i])) miss++;
    return judge(text, 'missing', q, (100 * miss) / (hi - lo));
  });
  take(CLAIM_PATTERNS.value, (m) => {
    const [text, q, idx] = [m[0], m[1], Number(m[2])];
    if (idx >= n) return { text, kind: 'value', status: 'contradicted', reason: `index ${idx} is past the end (length ${n})` };
    return judge(text, 'value', q, Number.isFinite(values[idx]) ? values[idx] : null);
  });
  take(/\[(\d+),\s*(\d+)\) lasts (\d+) points/gi, (m) => {
    const [text, lo, hi, len] = [m[0], Number(m[1]), Number(m[2]), Number(m[3])];
    const ok = inBounds(lo, hi) && hi - lo === len;
    return { text, kind: 'duration', status: ok ? 'verified' : 'contradicted', quoted: len, actual: hi - lo };
  });
  take(CLAIM_PATTERNS.position, (m) => {
    const [text, lo, hi] = [m[0], Number(m[1]), Number(m[2])];
    return {
      text,
      kind: 'position',
      status: lo <= hi && hi <= n ? 'verified' : 'contradicted',
      reason: hi > n ? `index ${hi} is past the end` : undefined,
    };
  });
  // self-reported confidence is not a claim about the data
  take(/confidence (?:of )?\d+(?:\.\d+)?%?/gi, (m) => ({ text: m[0], kind: 'number', status: 'verified', reason: 'skip' }));
  checkFreeText(text, values, take, options.interval);
  claims.splice(0, claims.length, ...claims.filter((c) => c.reason !== 'skip'));
  // any other number is a claim we cannot check
  CLAIM_PATTERNS.number.lastIndex = 0;
  for (let m = CLAIM_PATTERNS.number.exec(text); m; m = CLAIM_PATTERNS.number.exec(text)) {
    const at = m.index;
    if (covered.some(([a, b]) => at >= a && at < b)) continue;
    if (/[A-Za-z]/.test(text[at - 1] ?? '')) continue; // part of a word, e.g. "VUS-PR2"
    claims.push({
      text: m[0],
      kind: 'number',
      status: 'unverifiable',
      quoted: Number(m[0]),
      reason: 'a number not tied to a range or point',
    });
  }
  return {
    verified: claims.filter((c) => c.status === 'verified').length,
    contradicted: claims.filter((c) => c.status === 'contradicted').length,
    unverifiable: claims.filter((c) => c.status === 'unverifiable').length,
    claims,
  };
}
