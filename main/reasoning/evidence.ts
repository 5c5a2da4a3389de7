import type { Interval } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import { dominantPeriod as spectrumPeriod } from '../numeric/fft';
import { matrixProfile } from '../numeric/matrix-profile';
import { savgolFilter } from '../numeric/savgol';
import { mad, mean, median, quantileSorted, sortedFinite, std } from '../numeric/stats';

/** Bump when a measurement's definition changes: stored evidence records the version it was made with. */
export const EVIDENCE_VERSION = 2;

/** Savitzky–Golay gradient settings, as in AnomSeer's ExpCoT trend check. */
export const SLOPE_WINDOW = 21;
export const SLOPE_ORDER = 2;
/** The matrix profile runs on at most this many points around the interval (exact below, anytime above). */
export const DISCORD_MAX_POINTS = 4000;

export type Range = [number, number];

export interface Summary {
  range: Range;
  count: number;
  mean: number | null;
  std: number | null;
  median: number | null;
  /** median absolute deviation, unscaled */
  mad: number | null;
  /** mean Savitzky–Golay gradient (window 21, order 2, computed on the range alone), per point */
  slope: number | null;
  /** strongest period in points (FFT of the mean-removed segment), when the segment is long enough */
  period: number | null;
}

/**
 * AnomSeer's discord check on the bounded context: the largest z-normalized nearest-neighbour
 * distance of a length-m window touching the interval, as a robust z-score against the distances of
 * the windows that do not touch it (m = min(50, max(8, duration)); the robust deviation is floored
 * at 0.05·√m so clean periodic data does not make rounding noise a discord).
 */
export interface Discord {
  /** the points the matrix profile was computed on */
  range: Range;
  m: number;
  /** start of the most unusual window touching the interval */
  index: number;
  distance: number;
  /** median distance of the windows outside the interval */
  typical: number;
  z: number | null;
  /** false when the context was too long for the exact profile and the anytime approximation was used */
  exact: boolean;
}

export interface Evidence {
  version: number;
  seriesLength: number;
  interval: Range;
  duration: number;
  missingShare: number;
  before: Summary;
  inside: Summary;
  after: Summary;
  /** the most extreme point inside, as a robust z-score against the context before */
  peak: { index: number; value: number; z: number | null; zStd: number | null } | null;
  /** std inside / std before */
  varianceRatio: number | null;
  discord: Discord | null;
  /** the whole series, for global-vs-contextual judgements */
  global: { median: number | null; mad: number | null };
  detectors: { detectorId: string; score: number }[];
}

const nullIfNaN = (x: number): number | null => (Number.isNaN(x) ? null : x);

export function medianOf(sorted: Float64Array): number | null {
  if (sorted.length === 0) return null;
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/** Mean, std, median, MAD, slope and period of values[lo, hi) (missing values left out). Exported for the checker. */
export function summarize(values: Float64Array, range: Range): Summary {
  const [lo, hi] = range;
  const sorted = sortedFinite(values, lo, hi);
  const n = sorted.length;
  if (n === 0) return { range, count: 0, mean: null, std: null, median: null, mad: null, slope: null, period: null };
  return {
    range,
    count: n,
    mean: mean(values, lo, hi),
    std: std(values, lo, hi),
    median: quantileSorted(sorted, 0.5),
    mad: mad(values, lo, hi),
    slope: n >= 3 ? meanGradient(values, range) : null,
    period: dominantPeriod(values, range),
  };
}

/**
 * Mean Savitzky–Golay first derivative over values[lo, hi) (gaps interpolated). The filter runs on the
 * range widened by half a window each side (clipped to the series) so its edge fits do not dominate
 * short ranges; the result depends on the range only, so the checker can recompute it.
 */
export function meanGradient(values: Float64Array, [lo, hi]: Range): number {
  const h = (SLOPE_WINDOW - 1) / 2;
  const from = Math.max(0, lo - h);
  const g = savgolFilter(values.subarray(from, Math.min(values.length, hi + h)), SLOPE_WINDOW, SLOPE_ORDER, 1);
  let s = 0;
  for (let i = lo; i < hi; i++) s += g[i - from];
  return s / (hi - lo);
}

/**
 * Period (in points) of the strongest non-constant frequency of values[lo, hi); null under 16 points,
 * for flat data, or when the range holds less than two such periods (one cycle is no rhythm).
 */
export function dominantPeriod(values: Float64Array, [lo, hi]: Range): number | null {
  if (hi - lo < 16) return null;
  const p = spectrumPeriod(values, lo, hi);
  return p !== null && p <= (hi - lo) / 2 ? p : null;
}

/** The discord check of an interval (see Discord); null when the context is too short for it. */
export function discordOf(values: Float64Array, [start, end]: Range): Discord | null {
  const n = values.length;
  const dur = end - start;
  const m = Math.min(50, Math.max(8, dur));
  const { before, after } = contextRanges(n, [start, end]);
  let lo = before[0];
  let hi = after[1];
  if (hi - lo > DISCORD_MAX_POINTS) {
    const w = Math.max(200, Math.floor((DISCORD_MAX_POINTS - dur) / 2));
    lo = Math.max(0, start - w);
    hi = Math.min(n, end + w);
  }
  return discordOn(values, [start, end], [lo, hi], m);
}

/** The discord of the interval [start, end) measured on values[lo, hi) with windows of length m (the checker's entry point). */
export function discordOn(values: Float64Array, [start, end]: Range, [lo, hi]: Range, m: number): Discord | null {
  const len = hi - lo;
  if (len < 4 * m || lo < 0 || hi > values.length) return null;
  const exact = len <= DISCORD_MAX_POINTS;
  const mp = matrixProfile(values.subarray(lo, hi), m, exact ? {} : { approximate: (DISCORD_MAX_POINTS / len) ** 2, seed: 1 });
  const outside: number[] = [];
  let best = -1;
  for (let i = 0; i < mp.profile.length; i++) {
    const d = mp.profile[i];
    if (!Number.isFinite(d)) continue;
    const at = lo + i;
    if (at < end && at + m > start) {
      if (best < 0 || d > mp.profile[best]) best = i;
    } else outside.push(d);
  }
  if (best < 0 || outside.length < 2 * m) return null;
  const sorted = Float64Array.from(outside).sort();
  const typical = medianOf(sorted)!;
  // a floor on the scale: on clean periodic data all distances are near 0 and rounding noise would look extreme
  const spread = Math.max(medianOf(sorted.map((d) => Math.abs(d - typical)).sort())! * 1.4826, 0.05 * Math.sqrt(m));
  const distance = mp.profile[best];
  return { range: [lo, hi], m, index: lo + best, distance, typical, z: spread > 0 ? (distance - typical) / spread : null, exact };
}

/** The comparison windows: max(3 × duration, 100) points on each side, clipped to the series. */
export function contextRanges(length: number, [start, end]: Range): { before: Range; after: Range } {
  const w = Math.max(3 * (end - start), 100);
  return { before: [Math.max(0, start - w), start], after: [end, Math.min(length, end + w)] };
}

export interface EvidenceOptions {
  /** the whole series' median and MAD, when explaining many intervals of one series (see globalLevel) */
  global?: Evidence['global'];
}

/** The whole series' median and MAD (unscaled), computed once for many computeEvidence calls. */
export function globalLevel(values: Float64Array): Evidence['global'] {
  return { median: nullIfNaN(median(values)), mad: nullIfNaN(mad(values)) };
}

/**
 * The expert checks for one interval: level and spread before, inside and after, peak robust z,
 * slope and dominant period before vs inside, variance ratio, duration, missing share, and which
 * detectors flagged it. Every figure names the index range it was measured on.
 */
export function computeEvidence(
  values: Float64Array,
  interval: Interval,
  detectors: { detectorId: string; score: number }[] = [],
  options: EvidenceOptions = {},
): Evidence {
  const { start, end } = interval;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end > start && end <= values.length)) {
    throw new WorkbenchError('invalid_input', `Interval [${start}, ${end}) is not inside the series (length ${values.length}).`);
  }
  const { before, after } = contextRanges(values.length, [start, end]);
  const b = summarize(values, before);
  const inside = summarize(values, [start, end]);
  const a = summarize(values, after);
  let missing = 0;
  for (let i = start; i < end; i++) if (!Number.isFinite(values[i])) missing++;
  let peak: Evidence['peak'] = null;
  const center = b.median ?? inside.median;
  if (center !== null) {
    for (let i = start; i < end; i++) {
      const v = values[i];
      if (Number.isFinite(v) && (peak === null || Math.abs(v - center) > Math.abs(peak.value - center)))
        peak = { index: i, value: v, z: null, zStd: null };
    }
    if (peak && b.mad !== null && b.mad > 0 && b.median !== null) peak.z = (peak.value - b.median) / (1.4826 * b.mad);
    // when half the context is one repeated value its MAD is 0: the plain z-score still says something
    if (peak && b.std !== null && b.std > 0 && b.mean !== null) peak.zStd = (peak.value - b.mean) / b.std;
  }
  const global = options.global ?? globalLevel(values);
  return {
    version: EVIDENCE_VERSION,
    seriesLength: values.length,
    interval: [start, end],
    duration: end - start,
    missingShare: missing / (end - start),
    before: b,
    inside,
    after: a,
    peak,
    varianceRatio: inside.std !== null && b.std !== null && b.std > 0 ? inside.std / b.std : null,
    discord: discordOf(values, [start, end]),
    global,
    detectors,
  };
}
