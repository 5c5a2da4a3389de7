import type { Interval } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import { fft, nextPowerOfTwo } from '../numeric/fft';

/** Bump when a measurement's definition changes: stored evidence records the version it was made with. */
export const EVIDENCE_VERSION = 1;

export type Range = [number, number];

export interface Summary {
  range: Range;
  count: number;
  mean: number | null;
  std: number | null;
  median: number | null;
  /** median absolute deviation, unscaled */
  mad: number | null;
  /** least-squares slope, per point */
  slope: number | null;
  /** strongest period in points (FFT of the mean-removed segment), when the segment is long enough */
  period: number | null;
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
  /** the whole series, for global-vs-contextual judgements */
  global: { median: number | null; mad: number | null };
  detectors: { detectorId: string; score: number }[];
}

function finite(values: Float64Array, [lo, hi]: Range): Float64Array {
  const out: number[] = [];
  for (let i = lo; i < hi; i++) if (Number.isFinite(values[i])) out.push(values[i]);
  return Float64Array.from(out);
}

export function medianOf(sorted: Float64Array): number | null {
  if (sorted.length === 0) return null;
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/** Mean, std, median, MAD, slope and period of values[lo, hi) (missing values left out). Exported for the checker. */
export function summarize(values: Float64Array, range: Range): Summary {
  const [lo, hi] = range;
  const xs = finite(values, range);
  const n = xs.length;
  if (n === 0) return { range, count: 0, mean: null, std: null, median: null, mad: null, slope: null, period: null };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  const sorted = Float64Array.from(xs).sort();
  const median = medianOf(sorted)!;
  const mad = medianOf(sorted.map((v) => Math.abs(v - median)).sort())!;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  let k = 0;
  for (let i = lo; i < hi; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    sx += i;
    sy += v;
    sxx += i * i;
    sxy += i * v;
    k++;
  }
  const denom = k * sxx - sx * sx;
  const slope = k >= 2 && denom !== 0 ? (k * sxy - sx * sy) / denom : null;
  return { range, count: n, mean, std, median, mad, slope, period: dominantPeriod(values, range) };
}

/** Period (in points) of the strongest non-constant frequency of values[lo, hi), or null under 16 points or for flat data. */
export function dominantPeriod(values: Float64Array, [lo, hi]: Range): number | null {
  const n = hi - lo;
  if (n < 16) return null;
  const size = nextPowerOfTwo(n);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  let mean = 0;
  let k = 0;
  for (let i = lo; i < hi; i++) {
    if (Number.isFinite(values[i])) {
      mean += values[i];
      k++;
    }
  }
  if (k < 16) return null;
  mean /= k;
  for (let i = 0; i < n; i++) re[i] = Number.isFinite(values[lo + i]) ? values[lo + i] - mean : 0;
  fft(re, im);
  let best = 0;
  let bestPower = 0;
  for (let f = 1; f < size / 2; f++) {
    const p = re[f] * re[f] + im[f] * im[f];
    if (p > bestPower) {
      bestPower = p;
      best = f;
    }
  }
  return best > 0 && bestPower > 1e-12 ? size / best : null;
}

/** The comparison windows: max(3 × duration, 100) points on each side, clipped to the series. */
export function contextRanges(length: number, [start, end]: Range): { before: Range; after: Range } {
  const w = Math.max(3 * (end - start), 100);
  return { before: [Math.max(0, start - w), start], after: [end, Math.min(length, end + w)] };
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
  const all = Float64Array.from(values.filter((v) => Number.isFinite(v))).sort();
  const gMedian = medianOf(all);
  const gMad = gMedian === null ? null : medianOf(all.map((v) => Math.abs(v - gMedian)).sort());
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
    global: { median: gMedian, mad: gMad },
    detectors,
  };
}
