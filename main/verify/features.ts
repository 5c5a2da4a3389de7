/**
 * The verifier's input: one feature vector per candidate interval, every entry a measurement on the data
 * (the evidence engine's checks) or on the screening scores (agreement, score shape). All entries are
 * finite float32 values: a check that cannot be made has a fixed stand-in value, listed with its name.
 * Bump FEATURE_VERSION whenever a definition, the order or the member list changes: a verifier records
 * the version it was trained on and is refused for another.
 */
import type { Interval } from '../../common/domain';
import { computeEvidence, contextSpread, globalLevel, type Evidence } from '../reasoning';
import { quantileSorted, sortedFinite } from '../numeric';
import type { Screening } from './screening';

export const FEATURE_VERSION = 1;

/** The screening members, in the order their features appear. */
export const SCREENING_MEMBERS = ['poly', 'matrix-profile', 'variance-change', 'iforest-window', 'model'] as const;

export const FEATURE_NAMES = [
  'log_duration',
  'log_duration_share',
  'peak_z',
  'peak_z_std',
  'peak_global_z',
  'outside_normal_range',
  'level_shift',
  'level_shift_after',
  'log_variance_ratio',
  'slope_change',
  'discord_z',
  'log_period_ratio',
  'missing_share',
  'log_step_ratio',
  'log_crossing_ratio',
  'log_range_ratio',
  'return_to_level',
  'log_duration_per_period',
  'score_peak',
  'score_mean',
  'score_peak_vs_series',
  'score_rank',
  'score_sharpness',
  'log_candidates_per_10k',
  'members_agreeing',
  ...SCREENING_MEMBERS.map((m) => `member_${m.replace('-', '_')}`),
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

/** Per-series quantities computed once for all its candidates. */
export interface SeriesContext {
  global: Evidence['global'];
  /** 1st and 99th percentile of the values */
  q01: number;
  q99: number;
  /** 99.9th percentile of the combined screening score */
  scoreTop: number;
  candidateCount: number;
  /** peaks of all candidates, descending */
  peaks: Float64Array;
}

export function seriesContext(values: Float64Array, screening: Screening): SeriesContext {
  const sorted = sortedFinite(values);
  const scores = sortedFinite(screening.combined);
  return {
    global: globalLevel(values),
    q01: sorted.length ? quantileSorted(sorted, 0.01) : 0,
    q99: sorted.length ? quantileSorted(sorted, 0.99) : 0,
    scoreTop: scores.length ? quantileSorted(scores, 0.999) : 1,
    candidateCount: screening.candidates.length,
    peaks: Float64Array.from(screening.candidates, (c) => c.score)
      .sort()
      .reverse(),
  };
}

/** Median |x[i+1] − x[i]| over [lo, hi) (finite pairs only); 0 when fewer than two points. */
function medianStep(values: Float64Array, lo: number, hi: number): number {
  const steps: number[] = [];
  for (let i = lo + 1; i < hi; i++) {
    const d = values[i] - values[i - 1];
    if (Number.isFinite(d)) steps.push(Math.abs(d));
  }
  if (steps.length === 0) return 0;
  steps.sort((a, b) => a - b);
  return steps[steps.length >> 1];
}

/** Share of consecutive pairs that cross the range's mean (a frequency measure that needs no FFT). */
function crossingRate(values: Float64Array, lo: number, hi: number): number {
  let s = 0;
  let n = 0;
  for (let i = lo; i < hi; i++)
    if (Number.isFinite(values[i])) {
      s += values[i];
      n++;
    }
  if (n < 2) return 0;
  const m = s / n;
  let crossings = 0;
  let pairs = 0;
  for (let i = lo + 1; i < hi; i++) {
    const a = values[i - 1] - m;
    const b = values[i] - m;
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    pairs++;
    if ((a < 0 && b >= 0) || (a >= 0 && b < 0)) crossings++;
  }
  return pairs ? crossings / pairs : 0;
}

function valueRange(values: Float64Array, lo: number, hi: number): number {
  let min = Infinity;
  let max = -Infinity;
  for (let i = lo; i < hi; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return max >= min ? max - min : 0;
}

/** log((a + ε) / (b + ε)) with ε relative to the larger, so two zeros give 0 and a zero against a value stays finite. */
function logRatio(a: number, b: number): number {
  const eps = 1e-6 * Math.max(Math.abs(a), Math.abs(b), 1e-12);
  return Math.log((a + eps) / (b + eps));
}

const slog = (x: number) => Math.sign(x) * Math.log1p(Math.abs(x));
const orElse = (x: number | null | undefined, fallback: number) =>
  x === null || x === undefined || !Number.isFinite(x) ? fallback : x;

export interface CandidateFeatures {
  features: Float64Array;
  evidence: Evidence;
}

/** The feature vector of one candidate (and the evidence it was measured from, for the rationale). */
export function candidateFeatures(
  values: Float64Array,
  interval: Interval,
  screening: Screening,
  ctx: SeriesContext,
): CandidateFeatures {
  const e = computeEvidence(values, interval, [], { global: ctx.global });
  const spread = contextSpread(e);
  const n = values.length;
  const dur = interval.end - interval.start;
  const b = e.before;
  const ins = e.inside;
  const gScale = (ctx.global.mad ?? 0) * 1.4826 || spread;
  const peakValue = e.peak?.value ?? null;
  const globalZ = peakValue !== null && ctx.global.median !== null ? Math.abs(peakValue - ctx.global.median) / gScale : 0;
  const outside = peakValue === null ? 0 : Math.max(0, peakValue - ctx.q99, ctx.q01 - peakValue) / Math.max(gScale, 1e-12);
  let peak = 0;
  let sum = 0;
  let count = 0;
  for (let i = interval.start; i < interval.end; i++) {
    const v = screening.combined[i];
    if (!Number.isFinite(v)) continue;
    if (v > peak) peak = v;
    sum += v;
    count++;
  }
  const meanScore = count ? sum / count : 0;
  let rank = 0;
  while (rank < ctx.peaks.length && ctx.peaks[rank] > peak) rank++;
  const memberMax = SCREENING_MEMBERS.map((id) => {
    const z = screening.members.get(id);
    if (!z) return 0;
    let m = 0;
    for (let i = interval.start; i < interval.end; i++) if (z[i] > m) m = z[i];
    return m;
  });
  const shift = b.mean !== null && ins.mean !== null ? Math.abs(ins.mean - b.mean) / spread : 0;
  const shiftAfter = b.mean !== null && e.after.mean !== null ? Math.abs(e.after.mean - b.mean) / spread : 0;
  const slopeChange = b.slope !== null && ins.slope !== null ? (Math.abs(ins.slope - b.slope) * dur) / spread : 0;
  const periodRatio = b.period !== null && ins.period !== null ? Math.log(ins.period / b.period) : 0;
  const raw = [
    Math.log(dur),
    Math.log(dur / n),
    slog(orElse(e.peak?.z, 0)),
    slog(orElse(e.peak?.zStd, 0)),
    slog(globalZ),
    slog(outside),
    slog(shift),
    slog(shiftAfter),
    e.varianceRatio !== null && e.varianceRatio > 0 ? Math.log(e.varianceRatio) : 0,
    slog(slopeChange),
    slog(orElse(e.discord?.z, -1)),
    periodRatio,
    e.missingShare,
    logRatio(medianStep(values, interval.start, interval.end), medianStep(values, b.range[0], b.range[1])),
    logRatio(crossingRate(values, interval.start, interval.end), crossingRate(values, b.range[0], b.range[1])),
    logRatio(valueRange(values, interval.start, interval.end), valueRange(values, b.range[0], b.range[1])),
    ins.mean !== null && e.after.mean !== null && b.mean !== null
      ? slog(Math.abs(e.after.mean - b.mean) / spread) - slog(Math.abs(ins.mean - b.mean) / spread)
      : 0,
    Math.log(dur / Math.max(1, screening.period)),
    slog(peak),
    slog(meanScore),
    peak / Math.max(ctx.scoreTop, 1e-9),
    ctx.candidateCount > 1 ? rank / (ctx.candidateCount - 1) : 0,
    peak > 0 ? meanScore / peak : 0,
    Math.log1p((ctx.candidateCount / n) * 10_000),
    memberMax.filter((m) => m >= 3).length / SCREENING_MEMBERS.length,
    ...memberMax.map(slog),
  ];
  // float32, as onnxruntime sees them, so both evaluate the same trees identically
  return { features: Float64Array.from(raw, (v) => Math.fround(Number.isFinite(v) ? v : 0)), evidence: e };
}
