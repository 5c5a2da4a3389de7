/**
 * Stage two's decisions after the verifier: which candidates to keep without labels, where their
 * boundaries lie, fragments of one event merged, and the per-point scores of the verified run.
 */
import type { Interval } from '../../common/domain';
import type { Evidence } from '../reasoning';
import { contextSpread } from '../reasoning';

export interface VerifiedCandidate extends Interval {
  /** calibrated probability that the interval is a real anomaly */
  probability: number;
  /** peak of the combined screening score inside */
  score: number;
  evidence: Evidence;
  features: Float64Array;
}

export interface SelectionOptions {
  /** keep only candidates at least this likely */
  minProbability: number;
  /**
   * the expected false alarms allowed per 10,000 points: candidates are kept in order of probability
   * while the sum of (1 − p) over the kept ones stays within the budget for the series' length
   */
  falseAlarmsPer10k: number;
  /** refine boundaries to where the values return to their context */
  refine: boolean;
  /**
   * the series' most likely candidate is kept when it is at least this likely, even under
   * `minProbability` (a series then rarely shows nothing when screening found its anomaly); absent: off
   */
  keepTopAbove?: number;
}

export const DEFAULT_SELECTION: SelectionOptions = { minProbability: 0.5, falseAlarmsPer10k: 0.5, refine: true };

/** Kept candidates by probability under the minimum and the false-alarm budget (label-free). */
export function selectByProbability<T extends { probability: number }>(
  candidates: readonly T[],
  length: number,
  options: Pick<SelectionOptions, 'minProbability' | 'falseAlarmsPer10k' | 'keepTopAbove'> = DEFAULT_SELECTION,
): T[] {
  const budget = Math.max(0.5, (options.falseAlarmsPer10k * length) / 10_000);
  const floor = Math.min(options.minProbability, options.keepTopAbove ?? options.minProbability);
  const ordered = [...candidates].sort((a, b) => b.probability - a.probability);
  const top = ordered[0];
  if (top && top.probability < options.minProbability) return top.probability >= floor ? [top] : [];
  return keepWithinBudget(
    ordered.filter((c) => c.probability >= options.minProbability),
    budget,
  );
}

function keepWithinBudget<T extends { probability: number }>(ordered: readonly T[], budget: number): T[] {
  const kept: T[] = [];
  let expected = 0;
  for (const c of ordered) {
    // the most likely candidate is always kept when it passes the minimum
    if (kept.length > 0 && expected + (1 - c.probability) > budget) break;
    kept.push(c);
    expected += 1 - c.probability;
  }
  return kept;
}

/**
 * Start and end moved to where the evidence changes: inside the candidate, leading and trailing points
 * that sit within 3 robust deviations of the level before are trimmed; outside, the interval grows while
 * its neighbours stay that far out (at most by its own duration or one period each side).
 */
export function refineBoundaries(values: Float64Array, c: Interval, e: Evidence, period: number): Interval {
  const center = e.before.median ?? e.inside.median;
  if (center === null) return c;
  const mad = e.before.mad;
  const scale = mad && mad > 0 ? 1.4826 * mad : contextSpread(e);
  const deviant = (i: number) => Number.isFinite(values[i]) && Math.abs(values[i] - center) > 3 * scale;
  let { start, end } = c;
  while (end - start > 1 && !deviant(start)) start++;
  while (end - start > 1 && !deviant(end - 1)) end--;
  if (!deviant(start)) return c; // nothing inside stands out from the level: keep the screening bounds
  const reach = Math.max(1, Math.min(c.end - c.start, period));
  const lo = Math.max(0, c.start - reach);
  const hi = Math.min(values.length, c.end + reach);
  while (start > lo && deviant(start - 1)) start--;
  while (end < hi && deviant(end)) end++;
  return { start, end };
}

/** Selected (and refined) intervals as a run keeps them: fragments less than a period apart merged. */
export function finishSelection<T extends Interval & { probability: number }>(selected: readonly T[], period: number): T[] {
  return mergeClose(selected, Math.max(2, period));
}

/** Intervals closer than `gap` points merged (the highest probability kept), in start order. */
export function mergeClose<T extends Interval & { probability: number }>(intervals: readonly T[], gap: number): T[] {
  const out: T[] = [];
  for (const iv of [...intervals].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last && iv.start - last.end < gap) {
      const better = iv.probability > last.probability ? iv : last;
      out[out.length - 1] = { ...better, start: last.start, end: Math.max(last.end, iv.end), probability: better.probability };
    } else out.push({ ...iv });
  }
  return out;
}

/**
 * Per-point scores of the verified run: the combined screening score weighted by the probability of the
 * candidate that covers the point (0.05 outside every candidate), so the ranking inside an interval keeps
 * the screening's shape and intervals the verifier doubts sink below those it trusts.
 */
export function verifiedScores(
  combined: Float32Array,
  candidates: readonly (Interval & { probability: number })[],
): Float32Array {
  const weight = new Float32Array(combined.length).fill(0.05);
  for (const c of candidates) for (let i = c.start; i < c.end; i++) weight[i] = Math.max(weight[i], c.probability);
  const out = new Float32Array(combined.length);
  for (let i = 0; i < combined.length; i++) out[i] = Number.isFinite(combined[i]) ? combined[i] * weight[i] : NaN;
  return out;
}
