/**
 * Stage one, screening: the members' robust z-scores (the default ensemble's four detectors and the
 * learned model), their mean as the screening score, and candidate intervals taken generously from it
 * (a low cut, fragments merged), so the verifier sees nearly every event and decides which to keep.
 */
import { robustZNormalize, intervalsAbove, type ScoredInterval } from '../detectors';
import { estimatePeriodWindow } from '../numeric';

/** What screening hands the verifier for one series. */
export interface Screening {
  /** member id → robust z-scores (≥ 0), one per point */
  members: Map<string, Float32Array>;
  /** mean of the members' robust z-scores */
  combined: Float32Array;
  candidates: ScoredInterval[];
  /** the series' period window (estimatePeriodWindow), used for merging and context */
  period: number;
}

export interface ScreeningOptions {
  /** the cut on the combined score, in standard deviations above its mean */
  k: number;
  /** at most this many candidates per 1,000 points (the strongest by peak), and at least `minCandidates` */
  perThousand: number;
  minCandidates: number;
}

export const DEFAULT_SCREENING: ScreeningOptions = { k: 1.5, perThousand: 4, minCandidates: 20 };

function meanStd(x: Float32Array): { mean: number; std: number } {
  let s = 0;
  let n = 0;
  for (const v of x)
    if (Number.isFinite(v)) {
      s += v;
      n++;
    }
  const mean = s / Math.max(1, n);
  let ss = 0;
  for (const v of x) if (Number.isFinite(v)) ss += (v - mean) ** 2;
  return { mean, std: Math.sqrt(ss / Math.max(1, n)) };
}

/** Robust z of each member's raw scores and their mean (NaN where the series is missing). */
export function combineMembers(raw: ReadonlyMap<string, Float32Array>, length: number): Pick<Screening, 'members' | 'combined'> {
  const members = new Map<string, Float32Array>();
  for (const [id, scores] of raw) members.set(id, robustZNormalize(scores));
  const combined = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    let s = 0;
    let n = 0;
    for (const z of members.values()) {
      const v = z[i];
      if (Number.isFinite(v)) {
        s += v;
        n++;
      }
    }
    combined[i] = n > 0 ? s / n : NaN;
  }
  return { members, combined };
}

/** Candidate intervals of a combined score: above mean + k·σ, merged across gaps under half a period. */
export function screenCandidates(
  combined: Float32Array,
  period: number,
  options: ScreeningOptions = DEFAULT_SCREENING,
): ScoredInterval[] {
  const { mean, std } = meanStd(combined);
  if (!(std > 0)) return [];
  const gap = Math.max(2, Math.round(period / 2));
  const all = intervalsAbove(combined, mean + options.k * std, 1, gap);
  const cap = Math.max(options.minCandidates, Math.ceil((combined.length / 1000) * options.perThousand));
  if (all.length <= cap) return all;
  return all
    .slice()
    .sort((a, b) => b.score - a.score || a.start - b.start)
    .slice(0, cap)
    .sort((a, b) => a.start - b.start);
}

export function screen(
  values: Float64Array,
  rawMembers: ReadonlyMap<string, Float32Array>,
  options: ScreeningOptions = DEFAULT_SCREENING,
): Screening {
  const { members, combined } = combineMembers(rawMembers, values.length);
  const period = estimatePeriodWindow(values);
  return { members, combined, candidates: screenCandidates(combined, period, options), period };
}
