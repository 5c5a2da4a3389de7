import { ANOMALY_TYPE_NAMES, type AnomalyType, type Interval } from '../../common/domain';
import { buildCard } from '../reasoning/card';
import { statClaim, valueClaim } from '../reasoning/claims';
import { computeEvidence, summarize } from '../reasoning/evidence';
import { checkRationale, type FaithfulnessReport } from '../reasoning/faithfulness';
import { BETWEEN_WORDS, FROM_WORDS, INT } from '../reasoning/freetext';

/**
 * Reasoning texts for fine-tuning answers, grounded in measurements of the values the model is shown.
 * Every number is a claim in the checker's grammar (main/reasoning/claims.ts) measured on the plotted
 * window, so every index is window-local: 0 is the first row of the plot.
 */

/** Where an anomaly's text came from. */
export type GroundedSource = 'stored' | 'stored+evidence' | 'evidence';

export interface GroundedText {
  text: string;
  source: GroundedSource;
  /** a stored rationale existed but could not be carried into the window's coordinates faithfully */
  storedDropped: boolean;
  /** the type the evidence engine measures on the window (the card's conclusion) */
  measuredType: AnomalyType;
  /** the label has a type the window's evidence does not bear out, so the conclusion states the measured type only */
  labelTypeNotBorneOut: boolean;
}

/** Separates the texts of the anomalies of one window (a stored text never contains it, see normalizeStored). */
export const SEGMENT_SEPARATOR = '\n\n';

// positions the checker reads: "[a, b)", "[a, b]", "index i", "indices i", "between (index) a and b", "from index a to b"
// (the two range phrases are the checker's own, from reasoning/freetext.ts, so both read the same words)
const POSITION_PATTERNS: RegExp[] = [
  /\[(\d+),(\s*)(\d+)([)\]])/g,
  new RegExp(`(${BETWEEN_WORDS})${INT}( and )${INT}`, 'gi'),
  new RegExp(`(${FROM_WORDS})${INT}( to )${INT}`, 'gi'),
  /\b(ind(?:ex|ices) |position |t ?= ?)(\d+)(?!\d|\.\d)/gi,
];

/**
 * Rewrites the row positions a text quotes from series rows to window rows (subtracting `offset`).
 * Returns null when a position falls outside the window [0, length], so the text cannot be told in
 * the window's coordinates. Only positions in the checker's forms are moved; a text that quotes rows
 * any other way is caught afterwards by the faithfulness check on the window (see groundAnomaly).
 */
export function shiftPositions(text: string, offset: number, length: number): string | null {
  let ok = true;
  const move = (s: string) => {
    const v = Number(s) - offset;
    if (v < 0 || v > length) ok = false;
    return String(v);
  };
  // one pass per pattern over the text, each span moved once: mark spans already rewritten
  const taken: [number, number][] = [];
  const edits: { at: number; len: number; text: string }[] = [];
  const collect = (re: RegExp, rewrite: (m: RegExpExecArray) => string) => {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const at = m.index;
      const end = at + m[0].length;
      if (taken.some(([a, b]) => at < b && a < end)) continue;
      taken.push([at, end]);
      edits.push({ at, len: m[0].length, text: rewrite(m) });
    }
  };
  collect(POSITION_PATTERNS[0], (m) => `[${move(m[1])},${m[2]}${move(m[3])}${m[4]}`);
  collect(POSITION_PATTERNS[1], (m) => `${m[1]}${move(m[2])}${m[3]}${move(m[4])}`);
  collect(POSITION_PATTERNS[2], (m) => `${m[1]}${move(m[2])}${m[3]}${move(m[4])}`);
  collect(POSITION_PATTERNS[3], (m) => `${m[1]}${move(m[2])}`);
  if (!ok) return null;
  let out = text;
  for (const e of edits.sort((a, b) => b.at - a.at)) out = out.slice(0, e.at) + e.text + out.slice(e.at + e.len);
  return out;
}

/** A stored text on one paragraph-free block, so the window's segments stay apart. */
function normalizeStored(text: string): string {
  return text.trim().replace(/\n\s*\n+/g, '\n');
}

const allVerified = (r: FaithfulnessReport) => r.contradicted === 0 && r.unverifiable === 0;

/**
 * The reasoning for one anomaly of a window: the stored rationale (the analyst's first, see
 * RationaleLookup) moved to window rows when every claim it makes then checks out on the window's
 * values; otherwise the evidence engine's card computed on the window's values. A stored text with
 * no checkable claim (prose) is kept and followed by the card. Free text that names rows in a way
 * shiftPositions does not know would fail the check, so it falls back to the card rather than teach
 * a wrong number.
 */
export function groundAnomaly(
  windowValues: Float64Array,
  local: Interval,
  labelType: AnomalyType,
  stored: string,
  windowStart: number,
): GroundedText {
  const card = buildCard(computeEvidence(windowValues, local), undefined, { values: windowValues });
  let conclusion = card.parts.conclusion;
  let labelTypeNotBorneOut = false;
  if (labelType !== card.type && labelType !== 'unknown') {
    const stated = `labeled ${ANOMALY_TYPE_NAMES[labelType].toLowerCase()}; the measured checks point to ${card.parts.conclusion.charAt(0).toLowerCase()}${card.parts.conclusion.slice(1)}`;
    // the label's type is a claim too: keep it only when the window's evidence does not contradict it
    if (allVerified(checkRationale(stated, windowValues, { interval: local }))) conclusion = stated;
    else labelTypeNotBorneOut = true;
  }
  const cardText = `Observation: ${card.parts.observation}\nReasoning and validation: ${card.parts.reasoning}\nConclusion: ${conclusion}`;
  const trimmed = stored.trim();
  if (trimmed === '')
    return { text: cardText, source: 'evidence', storedDropped: false, labelTypeNotBorneOut, measuredType: card.type };
  const moved = shiftPositions(normalizeStored(trimmed), windowStart, windowValues.length);
  if (moved !== null) {
    const report = checkRationale(moved, windowValues, { interval: local });
    if (allVerified(report) && report.verified > 0)
      return { text: moved, source: 'stored', storedDropped: false, labelTypeNotBorneOut, measuredType: card.type };
    if (report.claims.length === 0)
      return {
        text: `${moved}\n${cardText}`,
        source: 'stored+evidence',
        storedDropped: false,
        labelTypeNotBorneOut,
        measuredType: card.type,
      };
  }
  return { text: cardText, source: 'evidence', storedDropped: true, labelTypeNotBorneOut, measuredType: card.type };
}

/**
 * A window with no anomaly: its measured level, spread, slope, period and extremes, and the means of
 * its two halves (a steady window has similar halves).
 */
export function groundNormal(windowValues: Float64Array): string {
  const n = windowValues.length;
  const whole = summarize(windowValues, [0, n]);
  if (whole.count === 0) return `Observation: The window [0, ${n}) lasts ${n} points and holds no values.\nConclusion: normal.`;
  const obs: string[] = [`The window [0, ${n}) lasts ${n} points.`];
  const stats: string[] = [];
  if (whole.mean !== null) stats.push(`the ${statClaim('mean', whole.mean, 0, n)}`);
  if (whole.std !== null) stats.push(`the ${statClaim('standard deviation', whole.std, 0, n)}`);
  if (whole.slope !== null) stats.push(`the ${statClaim('slope', whole.slope, 0, n)}`);
  if (whole.period !== null) stats.push(`the ${statClaim('dominant period', whole.period, 0, n)}`);
  if (stats.length > 0) obs.push(`It has ${stats.join(', ')}.`);
  let lo = -1;
  let hi = -1;
  let missing = 0;
  for (let i = 0; i < n; i++) {
    const v = windowValues[i];
    if (!Number.isFinite(v)) {
      missing++;
      continue;
    }
    if (lo < 0 || v < windowValues[lo]) lo = i;
    if (hi < 0 || v > windowValues[hi]) hi = i;
  }
  obs.push(
    `The lowest point is the ${valueClaim(windowValues[lo], lo)} and the highest the ${valueClaim(windowValues[hi], hi)}.`,
  );
  if (missing > 0) obs.push(`There is ${statClaim('missing', missing / n, 0, n)}.`);
  const why: string[] = [];
  const h = n >> 1;
  const first = summarize(windowValues, [0, h]);
  const second = summarize(windowValues, [h, n]);
  if (first.mean !== null && second.mean !== null && first.std !== null && second.std !== null) {
    why.push(
      `The first half has the ${statClaim('mean', first.mean, 0, h)} and the ${statClaim('standard deviation', first.std, 0, h)}; ` +
        `the second half the ${statClaim('mean', second.mean, h, n)} and the ${statClaim('standard deviation', second.std, h, n)}.`,
    );
  }
  const text = [`Observation: ${obs.join(' ')}`];
  if (why.length > 0) text.push(`Reasoning and validation: ${why.join(' ')}`);
  text.push('Conclusion: no anomaly is marked in this window: normal.');
  return text.join('\n');
}

export interface WindowAnomaly {
  /** window-local, half-open */
  local: Interval;
  type: AnomalyType;
  /** the stored rationale of the label in series rows ('' for none) */
  rationale: string;
}

export interface GroundedWindow {
  /** the <think> text: one segment per anomaly (separated by SEGMENT_SEPARATOR), or the normal reasoning */
  text: string;
  /** per anomaly, in the order given */
  segments: GroundedText[];
}

/** The grounded reasoning of a window (values = the plotted rows; windowStart = their first series row). */
export function groundWindow(windowValues: Float64Array, anomalies: WindowAnomaly[], windowStart: number): GroundedWindow {
  if (anomalies.length === 0) return { text: groundNormal(windowValues), segments: [] };
  const segments = anomalies.map((a) => groundAnomaly(windowValues, a.local, a.type, a.rationale, windowStart));
  return { text: segments.map((s) => s.text).join(SEGMENT_SEPARATOR), segments };
}
