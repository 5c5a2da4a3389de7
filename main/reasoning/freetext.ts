import type { AnomalyType, Interval } from '../../common/domain';
import { finiteRange } from '../numeric/stats';
import { classify, contextSpread } from './classify';
import { agrees } from './claims';
import { computeEvidence, contextRanges, summarize, type Evidence, type Range, type Summary } from './evidence';

/**
 * Claims in free text (a model's rationale), checked against the interval the text is about: the one
 * passed in, else the first range the text names ("[a, b)", "[a, b]" inclusive, "between (index) a
 * and b", "from index a to b"), else the first point ("at index i"). "Before" means the context window computeEvidence uses.
 *
 * Numbers read off a plot are approximate, so besides the quoted rounding a free-text number may be
 * off by a visual tolerance: a quarter of the context's standard deviation for levels, 20% for
 * spreads, periods, slopes and z-scores, 2% of the series' range for point values.
 */

export type FreeClaimKind = 'statistic' | 'z-score' | 'value' | 'position' | 'duration' | 'type';

export interface FreeClaim {
  text: string;
  kind: FreeClaimKind;
  status: 'verified' | 'contradicted' | 'unverifiable';
  quoted?: number;
  actual?: number | null;
  reason?: string;
}

export type Take = (re: RegExp, check: (m: RegExpExecArray) => FreeClaim) => void;

const NUM = '(-?\\d+(?:\\.\\d+)?)';
const ABOUT = '(?:about |around |approximately |roughly |~\\s?)?';
/** an integer, not the start of a decimal (a sentence's full stop may follow) */
export const INT = '(\\d+)(?!\\d|\\.\\d)';
/**
 * The words before the two ends of a range the checker reads as a position ("between indices 20 and 40",
 * "from index 20 to 40"); exported so texts can be moved to other coordinates in the same grammar
 * (exporters/grounded.ts).
 */
export const BETWEEN_WORDS = '\\bbetween (?:indices |index(?:es)? |points |t ?= ?)?';
export const FROM_WORDS = '\\bfrom (?:index|point|t ?=) ?';

/** The interval the text talks about, when it names one. */
export function impliedInterval(text: string, length: number): Interval | null {
  const patterns: [RegExp, number][] = [
    [/\[(\d+),\s*(\d+)\)/, 0],
    [/\[(\d+),\s*(\d+)\]/, 1],
    [new RegExp(`${BETWEEN_WORDS}${INT} and ${INT}`, 'i'), 0],
    [new RegExp(`${FROM_WORDS}${INT} to ${INT}`, 'i'), 0],
  ];
  let best: { at: number; iv: Interval } | null = null;
  for (const [re, extra] of patterns) {
    const m = re.exec(text);
    if (!m) continue;
    const iv = { start: Number(m[1]), end: Number(m[2]) + extra };
    if (iv.end > iv.start && iv.end <= length && (best === null || m.index < best.at)) best = { at: m.index, iv };
  }
  if (best) return best.iv;
  // a single point named as the place of the anomaly
  const at = new RegExp(`\\b(?:at|around|near) (?:index|position|t ?=) ?${INT}`, 'i').exec(text);
  return at && Number(at[1]) < length ? { start: Number(at[1]), end: Number(at[1]) + 1 } : null;
}

const STAT_OF: Record<string, 'mean' | 'median' | 'std' | 'variance' | 'slope' | 'period'> = {
  mean: 'mean',
  average: 'mean',
  level: 'mean',
  median: 'median',
  'standard deviation': 'std',
  std: 'std',
  spread: 'std',
  variance: 'variance',
  slope: 'slope',
  gradient: 'slope',
  period: 'period',
  'dominant period': 'period',
};

function statValue(s: Summary, stat: (typeof STAT_OF)[string]): number | null {
  if (stat === 'variance') return s.std === null ? null : s.std * s.std;
  return s[stat];
}

/** The type words a text may use, the types they name, and the words that mark a negation. */
const TYPE_WORDS: [RegExp, AnomalyType[]][] = [
  [/\b(spikes?|outliers?|global point|contextual point|point anomaly)\b/gi, ['global-point', 'contextual-point']],
  [/\b(level shift|level change|step change|jumps? (?:up|down))\b/gi, ['level-shift']],
  [/\b(trend change|trend|drift(?:s|ing)?|ramps?)\b/gi, ['trend-change']],
  [/\b(frequency change|frequency|seasonal(?:ity)?|period change|rhythm)\b/gi, ['frequency-change']],
  [/\b(variance change|variance increase|variance decrease|spread changes|noisier|burst)\b/gi, ['variance-change']],
  [/\b(flatline|flat line|flat|constant|stuck)\b/gi, ['flatline']],
  [/\b(dropout|missing)\b/gi, ['dropout']],
  [/\b(shapelet|unusual shape|unusual pattern|abnormal shape)\b/gi, ['shapelet']],
];

/**
 * Does the evidence bear out a type word? Verified when the classification agrees or the deciding
 * figure is past a loose threshold; contradicted when it is clearly below; otherwise unverifiable.
 */
function typeSupport(
  e: Evidence,
  types: AnomalyType[],
  values: Float64Array,
): { status: FreeClaim['status']; actual: number | null } {
  // the rules' type or the shape classifier's (what a card built with the values says) bears the word out
  if (types.includes(classify(e).type) || types.includes(classify(e, undefined, { values }).type))
    return { status: 'verified', actual: null };
  const spread = contextSpread(e);
  const grade = (x: number | null, yes: number, no: number) =>
    ({
      status: x === null ? 'unverifiable' : x >= yes ? 'verified' : x < no ? 'contradicted' : 'unverifiable',
      actual: x,
    }) as const;
  const b = e.before;
  const ins = e.inside;
  switch (types[0]) {
    case 'global-point':
    case 'contextual-point': {
      const z = e.peak ? Math.max(Math.abs(e.peak.z ?? 0), Math.abs(e.peak.zStd ?? 0)) : null;
      const g = grade(z, 3, 2);
      // an extreme value inside a long interval does not make the interval a point anomaly
      return e.duration > 20 && g.status === 'verified' ? { status: 'unverifiable', actual: z } : g;
    }
    case 'level-shift':
      return grade(b.mean !== null && ins.mean !== null ? Math.abs(ins.mean - b.mean) / spread : null, 2, 1);
    case 'trend-change':
      return grade(b.slope !== null && ins.slope !== null ? (Math.abs(ins.slope - b.slope) * e.duration) / spread : null, 2, 0.5);
    case 'frequency-change':
      return grade(
        b.period !== null && ins.period !== null ? Math.max(ins.period / b.period, b.period / ins.period) : null,
        1.3,
        1.1,
      );
    case 'variance-change':
      return grade(
        e.varianceRatio === null || e.varianceRatio === 0 ? null : Math.max(e.varianceRatio, 1 / e.varianceRatio),
        1.8,
        1.2,
      );
    case 'flatline':
      // smaller is flatter: grade the inverse
      return ins.std === null ? { status: 'unverifiable', actual: null } : grade(spread / Math.max(ins.std, 1e-300), 20, 3);
    case 'dropout':
      return { status: e.missingShare > 0 ? 'verified' : 'contradicted', actual: e.missingShare };
    case 'shapelet':
      return grade(e.discord?.z ?? null, 3, 1);
    default:
      return { status: 'unverifiable', actual: null };
  }
}

const within = (quoted: string, actual: number, tol: number) =>
  agrees(quoted, actual) || Math.abs(Number(quoted) - actual) <= tol;

/** Checks the free-text claims of `text` not already taken by the strict grammar. */
export function checkFreeText(text: string, values: Float64Array, take: Take, given?: Interval): void {
  const n = values.length;
  const valid =
    given &&
    Number.isInteger(given.start) &&
    Number.isInteger(given.end) &&
    given.start >= 0 &&
    given.end > given.start &&
    given.end <= n;
  const iv = valid ? given : impliedInterval(text, n);
  let evidence: Evidence | null | undefined;
  const ev = (): Evidence | null => {
    if (evidence === undefined) evidence = iv ? computeEvidence(values, iv) : null;
    return evidence;
  };
  const noInterval = (text: string, kind: FreeClaimKind): FreeClaim => ({
    text,
    kind,
    status: 'unverifiable',
    reason: 'the text names no interval to check it on',
  });

  // "the mean rises from 1.2 to 5.3", "period changes from 24 to 8": before the interval, then inside it
  take(
    new RegExp(
      `\\b(mean|average|level|median|standard deviation|std|spread|variance|slope|gradient|dominant period|period)\\b[^.\\d\\[]{0,40}?\\bfrom ${ABOUT}${NUM}(?: \\w+)? to ${ABOUT}${NUM}`,
      'gi',
    ),
    (m) => {
      const e = ev();
      if (!e) return noInterval(m[0], 'statistic');
      const stat = STAT_OF[m[1].toLowerCase()];
      const spread = contextSpread(e);
      const checks = [
        [m[2], statValue(e.before, stat)],
        [m[3], statValue(e.inside, stat)],
      ] as const;
      let status: FreeClaim['status'] = 'verified';
      for (const [q, actual] of checks) {
        if (actual === null) status = status === 'contradicted' ? status : 'unverifiable';
        else {
          const tol =
            stat === 'mean' || stat === 'median' ? Math.max(0.25 * spread, 0.05 * Math.abs(actual)) : 0.2 * Math.abs(actual);
          if (!within(q, actual, tol)) status = 'contradicted';
        }
      }
      return { text: m[0], kind: 'statistic', status, quoted: Number(m[3]), actual: checks[1][1] };
    },
  );

  // "peak z-score of 7.4 at index 2031", "a z-score around 6"
  take(
    new RegExp(
      `\\b(?:robust |peak |max(?:imum)? )?z-?score (?:of |is |reaches |=\\s*)?${ABOUT}${NUM}(?: at (?:index|t ?=) ?${INT})?`,
      'gi',
    ),
    (m) => {
      const idx = m[2] === undefined ? null : Number(m[2]);
      if (idx !== null && idx >= n)
        return { text: m[0], kind: 'z-score', status: 'contradicted', reason: `index ${idx} is past the end (length ${n})` };
      const at: Range | null =
        idx !== null
          ? iv && idx >= iv.start && idx < iv.end
            ? [iv.start, iv.end]
            : [idx, idx + 1]
          : iv
            ? [iv.start, iv.end]
            : null;
      if (!at) return noInterval(m[0], 'z-score');
      const ctx = summarize(values, contextRanges(n, at).before);
      let point = idx;
      if (point === null) {
        const e = ev();
        point = e?.peak?.index ?? null;
      }
      if (point === null || !Number.isFinite(values[point]))
        return { text: m[0], kind: 'z-score', status: 'unverifiable', reason: 'no value at that point' };
      const v = values[point];
      const candidates = [
        ctx.median !== null && ctx.mad ? (v - ctx.median) / (1.4826 * ctx.mad) : null,
        ctx.mean !== null && ctx.std ? (v - ctx.mean) / ctx.std : null,
      ].filter((z): z is number => z !== null);
      if (candidates.length === 0)
        return { text: m[0], kind: 'z-score', status: 'unverifiable', reason: 'the context has no spread' };
      // a z-score's sign is often left out in prose
      const ok = candidates.some((z) => within(m[1], Math.abs(z), 0.2 * Math.abs(z)) || within(m[1], z, 0.2 * Math.abs(z)));
      return {
        text: m[0],
        kind: 'z-score',
        status: ok ? 'verified' : 'contradicted',
        quoted: Number(m[1]),
        actual: candidates[0],
      };
    },
  );

  // "peaks at 9.8 at index 2031", "drops to -3 at index 40"
  take(
    new RegExp(
      `\\b(?:peaks?|spikes?|reaches|rises to|jumps to|drops to|falls to|maximum|minimum|max|min)(?: value)?(?: of| is| at)? ${ABOUT}${NUM} at (?:index|position|t ?=) ?${INT}`,
      'gi',
    ),
    (m) => {
      const idx = Number(m[2]);
      if (idx >= n)
        return { text: m[0], kind: 'value', status: 'contradicted', reason: `index ${idx} is past the end (length ${n})` };
      const v = values[idx];
      if (!Number.isFinite(v)) return { text: m[0], kind: 'value', status: 'unverifiable', reason: 'the value there is missing' };
      const { min, max } = finiteRange(values);
      const ok = within(m[1], v, 0.02 * (max - min));
      return { text: m[0], kind: 'value', status: ok ? 'verified' : 'contradicted', quoted: Number(m[1]), actual: v };
    },
  );

  // "lasting about 50 points"
  take(new RegExp(`\\b(?:lasts|lasting|spans|spanning|duration of|for) ${ABOUT}${INT} (?:points|samples|steps)`, 'gi'), (m) => {
    if (!iv) return noInterval(m[0], 'duration');
    const len = iv.end - iv.start;
    const ok = within(m[1], len, 0.1 * len) || within(m[1], len - 1, 0.1 * len);
    return { text: m[0], kind: 'duration', status: ok ? 'verified' : 'contradicted', quoted: Number(m[1]), actual: len };
  });

  // positions: "between 2000 and 2050", "[120, 180]", "at index 77"
  const position = (lo: number, hi: number, text: string): FreeClaim => ({
    text,
    kind: 'position',
    status: lo <= hi && hi <= n ? 'verified' : 'contradicted',
    reason: hi > n ? `index ${hi} is past the end (length ${n})` : lo > hi ? 'the range is reversed' : undefined,
  });
  take(new RegExp(`${BETWEEN_WORDS}${INT} and ${INT}`, 'gi'), (m) => position(Number(m[1]), Number(m[2]), m[0]));
  take(new RegExp(`${FROM_WORDS}${INT} to ${INT}`, 'gi'), (m) => position(Number(m[1]), Number(m[2]), m[0]));
  take(/\[(\d+),\s*(\d+)[\])]/g, (m) => position(Number(m[1]), Number(m[2]) + (m[0].endsWith(']') ? 1 : 0), m[0]));
  take(new RegExp(`\\b(?:at|around|near) (?:index|position|t ?=) ?${INT}`, 'gi'), (m) =>
    position(Number(m[1]), Number(m[1]) + 1, m[0]),
  );

  // type words, once per type group, unless negated ("no spike")
  for (const [re, types] of TYPE_WORDS) {
    let done = false;
    take(re, (m) => {
      const negated = /\b(no|not|without|nor|neither)\b[\w\s-]{0,12}$/i.test(text.slice(Math.max(0, m.index - 24), m.index));
      if (done || negated) return { text: m[0], kind: 'type', status: 'verified', reason: 'skip' };
      done = true;
      const e = ev();
      if (!e) return noInterval(m[0], 'type');
      const { status, actual } = typeSupport(e, types, values);
      return { text: m[0], kind: 'type', status, actual, reason: `as a ${types[0]} claim` };
    });
  }
}
