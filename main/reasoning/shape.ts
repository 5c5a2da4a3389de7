/**
 * Shape features of one interval for the type classifier: how the segment sits against its context
 * (level inside and after vs before, whether it returns to level, slope inside vs before, spread,
 * roughness, rhythm, constancy, gaps) and against the whole series (outside its range or not). All are
 * scale-free (in units of the context's robust spread) and cheap: linear in the context length, plus one
 * pass over the series for its range. Computed on the interval as given, so the classifier trained on
 * jittered bounds reads imprecise bounds too.
 */
import type { Interval } from '../../common/domain';
import { mad, median, std } from '../numeric/stats';

const CORE_NAMES = [
  'log2_duration',
  'missing_share',
  'mean_inside_vs_before',
  'median_after_vs_before',
  'near_after_vs_near_before',
  'max_inside_vs_before',
  'min_inside_vs_before',
  'log_std_ratio',
  'log_roughness_ratio',
  'slope_inside_total',
  'slope_before_total',
  'last_quarter_vs_first_quarter',
  'log_residual_ratio',
  'deviant_share',
  'longest_deviant_run_share',
  'log1p_deviant_points',
  'constant_step_share',
  'log_crossing_rate_ratio',
  'beyond_series_range',
  'peak_position',
  'above_before_max',
  'below_before_min',
  'log_lag_ratio',
  'edge_jump_start',
  'edge_jump_end',
  'step_at_start',
  'step_at_end',
  'largest_rise',
  'largest_rise_position',
  'largest_fall',
  'largest_fall_position',
] as const;

/**
 * The core features on the interval, then on the interval widened by its duration (at least 8 points)
 * each side: imprecise bounds often cover only part of the event, and the wider window sees the rest.
 */
export const SHAPE_FEATURE_NAMES = [...CORE_NAMES, ...CORE_NAMES.map((n) => `wide_${n}`)];

const CORE_COUNT = CORE_NAMES.length;
export const SHAPE_FEATURE_COUNT = SHAPE_FEATURE_NAMES.length;

/** The whole series' range and spread, computed once when typing many intervals of one series. */
export interface SeriesRange {
  std: number;
  /** sorted finite values, to find the range outside an interval without rescanning */
  sorted: Float64Array;
}

export function seriesRange(values: Float64Array): SeriesRange {
  const sorted = Float64Array.from(values.filter(Number.isFinite)).sort();
  return { std: sorted.length > 1 ? std(sorted) : 0, sorted };
}

function finite(values: Float64Array, lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let i = Math.max(0, lo); i < Math.min(values.length, hi); i++) if (Number.isFinite(values[i])) out.push(values[i]);
  return out;
}

const maxOf = (x: readonly number[]) => x.reduce((a, v) => (v > a ? v : a), -Infinity);
const minOf = (x: readonly number[]) => x.reduce((a, v) => (v < a ? v : a), Infinity);
const avg = (x: readonly number[]) => (x.length ? x.reduce((a, v) => a + v, 0) / x.length : NaN);

function sd(x: readonly number[]): number {
  if (x.length < 2) return NaN;
  const m = avg(x);
  return Math.sqrt(x.reduce((a, v) => a + (v - m) ** 2, 0) / x.length);
}

/** Least-squares slope per step and the residual std of a line through x (by position). */
function line(x: readonly number[]): { slope: number; residual: number } {
  const n = x.length;
  if (n < 3) return { slope: 0, residual: 0 };
  const tm = (n - 1) / 2;
  const m = avg(x);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - tm) * (x[i] - m);
    sxx += (i - tm) ** 2;
  }
  const slope = sxy / sxx;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - (m + slope * (i - tm))) ** 2;
  return { slope, residual: Math.sqrt(ss / n) };
}

const diffs = (x: readonly number[]) => x.slice(1).map((v, i) => v - x[i]);

/** Sign changes of the mean-removed, 3-point-smoothed values per point (a rhythm's frequency). */
function crossingRate(x: readonly number[]): number {
  if (x.length < 5) return NaN;
  const s = x.map((_, i) => avg(x.slice(Math.max(0, i - 1), i + 2)));
  const m = avg(s);
  let c = 0;
  for (let i = 1; i < s.length; i++) if ((s[i] - m) * (s[i - 1] - m) < 0) c++;
  return c / (s.length - 1);
}

/** Lag-1 autocorrelation (how smooth the values are against their own spread). */
function lag1(x: readonly number[]): number {
  if (x.length < 4) return NaN;
  const m = avg(x);
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) {
    den += (x[i] - m) ** 2;
    if (i > 0) num += (x[i] - m) * (x[i - 1] - m);
  }
  return den > 0 ? num / den : NaN;
}

const logRatio = (a: number, b: number) => (a > 0 && b > 0 ? Math.log(a / b) : a > 0 ? 5 : b > 0 ? -5 : 0);
const clip = (x: number, lim = 50) => (Number.isFinite(x) ? Math.max(-lim, Math.min(lim, x)) : 0);

/** Smallest and largest finite value of the series outside [lo, hi), from its sorted values. */
function rangeOutside(values: Float64Array, lo: number, hi: number, sorted: Float64Array): { min: number; max: number } {
  const inside = finite(values, lo, hi).sort((a, b) => a - b);
  // walk the sorted series past the values that lie inside the excluded span (multiset difference)
  let i = 0;
  let k = 0;
  while (i < sorted.length && k < inside.length && sorted[i] === inside[k]) {
    i++;
    k++;
  }
  let j = sorted.length - 1;
  k = inside.length - 1;
  while (j >= 0 && k >= 0 && sorted[j] === inside[k]) {
    j--;
    k--;
  }
  return i <= j ? { min: sorted[i], max: sorted[j] } : { min: NaN, max: NaN };
}

/** The shape features of `interval` (see SHAPE_FEATURE_NAMES), in that order. */
export function shapeFeatures(values: Float64Array, interval: Interval, range: SeriesRange = seriesRange(values)): Float64Array {
  const d = interval.end - interval.start;
  const widen = (pad: number) => ({ start: Math.max(0, interval.start - pad), end: Math.min(values.length, interval.end + pad) });
  const f = new Float64Array(SHAPE_FEATURE_COUNT);
  f.set(coreFeatures(values, interval, range), 0);
  f.set(coreFeatures(values, widen(Math.max(8, d)), range), CORE_COUNT);
  return f;
}

function coreFeatures(values: Float64Array, { start, end }: Interval, range: SeriesRange): Float64Array {
  const d = end - start;
  const w = Math.max(3 * d, 100);
  const before = finite(values, start - w, start);
  const after = finite(values, end, end + w);
  const inside = finite(values, start, end);
  const near = Math.max(5, Math.min(d, 50));
  const nearBefore = finite(values, start - near, start);
  const nearAfter = finite(values, end, end + near);
  const ctx = before.length >= 5 ? before : after.length >= 5 ? after : inside;
  const center = ctx.length ? median(ctx) : 0;
  let s = ctx.length ? 1.4826 * mad(ctx) : NaN;
  if (!(s > 0)) s = sd(ctx);
  if (!(s > 0)) s = range.std > 0 ? range.std : 1;
  const z = (v: number) => clip((v - center) / s);
  const f = new Float64Array(CORE_COUNT);
  f[0] = Math.log2(d);
  f[1] = 1 - inside.length / d;
  if (inside.length === 0) return f;
  f[2] = z(avg(inside));
  f[3] = after.length ? z(median(after)) : 0;
  f[4] = nearAfter.length && nearBefore.length ? clip((median(nearAfter) - median(nearBefore)) / s) : 0;
  let peak = inside[0];
  let peakAt = 0;
  for (let i = 0; i < inside.length; i++)
    if (Math.abs(inside[i] - center) > Math.abs(peak - center)) {
      peak = inside[i];
      peakAt = i;
    }
  f[5] = z(maxOf(inside));
  f[6] = z(minOf(inside));
  f[7] = clip(logRatio(sd(inside), sd(ctx)), 8);
  f[8] = clip(logRatio(sd(diffs(inside)), sd(diffs(ctx))), 8);
  const li = line(inside);
  f[9] = clip((li.slope * d) / s);
  f[10] = clip((line(before).slope * d) / s);
  const q = Math.max(1, Math.floor(inside.length / 4));
  f[11] = clip((avg(inside.slice(-q)) - avg(inside.slice(0, q))) / s);
  f[12] = clip(logRatio(li.residual, sd(ctx)), 8);
  let deviant = 0;
  let run = 0;
  let longest = 0;
  for (const v of inside) {
    if (Math.abs(v - center) > 3 * s) {
      deviant++;
      longest = Math.max(longest, ++run);
    } else run = 0;
  }
  f[13] = deviant / inside.length;
  f[14] = longest / inside.length;
  f[15] = Math.log1p(deviant);
  const steps = diffs(inside);
  f[16] = steps.length ? steps.filter((v) => Math.abs(v) <= 1e-9 * (Math.abs(center) + s)).length / steps.length : 0;
  f[17] = clip(logRatio(crossingRate(inside), crossingRate(ctx)), 5);
  const margin = d + 2;
  const out = rangeOutside(values, start - margin, end + margin, range.sorted);
  const gs = range.std > 0 ? range.std : s;
  f[18] = Number.isFinite(out.max) ? clip(peak >= center ? (peak - out.max) / gs : (out.min - peak) / gs) : 0;
  f[19] = inside.length > 1 ? peakAt / (inside.length - 1) : 0.5;
  f[20] = ctx.length ? clip((maxOf(inside) - maxOf(ctx)) / s) : 0;
  f[21] = ctx.length ? clip((minOf(ctx) - minOf(inside)) / s) : 0;
  f[22] = clip(logRatio(1 - (lag1(inside) || 0), 1 - (lag1(ctx) || 0)), 5);
  const first = values[start];
  const last = values[end - 1];
  f[23] = nearBefore.length && Number.isFinite(first) ? z(first) - z(avg(nearBefore)) : 0;
  f[24] = nearAfter.length && Number.isFinite(last) ? z(last) - z(avg(nearAfter)) : 0;
  // steps against the context's point-to-point noise, signed so + points the way the segment departs:
  // a level shift steps at both edges, a ramp only where it ends
  const noise = diffs(ctx).map(Math.abs);
  let ds = noise.length ? 1.4826 * median(noise) : NaN;
  if (!(ds > 0)) ds = s;
  const dir = f[2] >= 0 ? 1 : -1;
  const step = (i: number) =>
    i > 0 && i < values.length && Number.isFinite(values[i]) && Number.isFinite(values[i - 1])
      ? dir * (values[i] - values[i - 1])
      : 0;
  f[25] = clip(step(start) / ds, 100);
  f[26] = clip(step(end) / ds, 100);
  let rise = 0;
  let riseAt = 0;
  let fall = 0;
  let fallAt = 0;
  for (let i = start; i <= Math.min(end, values.length - 1); i++) {
    const st = step(i);
    if (st > rise) [rise, riseAt] = [st, i];
    if (st < fall) [fall, fallAt] = [st, i];
  }
  f[27] = clip(rise / ds, 100);
  f[28] = (riseAt - start) / d;
  f[29] = clip(fall / ds, 100);
  f[30] = (fallAt - start) / d;
  return f;
}

/** How far the extreme must lie from the context, in robust deviations, to count as a sharp excursion. */
export const SHARP_Z = 10;
/** Within how many points of the extreme the values must come back. */
export const SHARP_RETURN = 3;

export interface SharpExcursion {
  index: number;
  value: number;
  /** robust z of the extreme against the context before */
  z: number;
  /** the extreme lies outside the range of the rest of the series */
  global: boolean;
}

/**
 * A spike or dip that returns to level: the interval's most extreme value lies at least SHARP_Z robust
 * deviations from the context before, and on at least one side the values come back within SHARP_RETURN
 * points to within 30 % of the excursion's depth. Such an event is a point anomaly whatever the slope that
 * led into it (NAB machine_temperature's dip to 2.08, robust z −49, had been typed a trend change).
 * Null when the interval holds no such excursion.
 */
export function sharpExcursion(
  values: Float64Array,
  { start, end }: Interval,
  range: SeriesRange = seriesRange(values),
): SharpExcursion | null {
  const before = finite(values, start - Math.max(3 * (end - start), 100), start);
  if (before.length < 10) return null;
  const center = median(before);
  const s = 1.4826 * mad(before) || sd(before);
  if (!(s > 0)) return null;
  let p = -1;
  for (let i = start; i < end; i++)
    if (Number.isFinite(values[i]) && (p < 0 || Math.abs(values[i] - center) > Math.abs(values[p] - center))) p = i;
  if (p < 0) return null;
  const depth = values[p] - center;
  const z = depth / s;
  if (Math.abs(z) < SHARP_Z) return null;
  const back = (j: number) =>
    j >= 0 && j < values.length && Number.isFinite(values[j]) && Math.abs(values[j] - center) <= 0.3 * Math.abs(depth);
  let returns = false;
  for (let k = 1; k <= SHARP_RETURN && !returns; k++) returns = back(p + k) || back(p - k);
  if (!returns) return null;
  const out = rangeOutside(values, p - SHARP_RETURN, p + SHARP_RETURN + 1, range.sorted);
  const global = depth > 0 ? !(values[p] <= out.max) : !(values[p] >= out.min);
  return { index: p, value: values[p], z, global };
}
