/**
 * Window preprocessing of the bundled model family ('tsad-window-v1'), mirrored exactly by
 * training/common.py (the parity test checks both against a fixture written by PyTorch):
 *   global stats: finite values at indices i % step == 0, step = ceil(n / 65536); median (mean of the two
 *                 middle values for an even count) and scale = 1.4826 · MAD, falling back to the sample std,
 *                 then to 1, below 1e-12.
 *   per window:   mean/std of its finite values (population std), std floored at 1e-3 · global scale;
 *                 ch0 = tail((x − mean)/std), ch1 = tail((x − median)/scale), ch2 = 1 where x is
 *                 missing (NaN/±inf); ch0 = ch1 = 0 there.
 *   tail:         the card's preprocessing.tail: 'clip' (default) clips at ±10; 'log' keeps |z| ≤ 10 and maps
 *                 larger ones to ±(10 + ln(|z| − 9)), capped at ±30, so a spike 1000× the series' spread still
 *                 stands out from one 20× it (clipping made them equal: NAB's AWS CloudWatch series).
 *   windows:      starts 0, stride, 2·stride, … plus one last window ending at n; a series shorter than the
 *                 window is padded at the end with its last finite value (outputs there are dropped).
 *   overlap:      per-point outputs averaged over covering windows with weights sin(π(i+½)/W) + 0.05.
 */
export const PREPROCESSING_KIND = 'tsad-window-v1';
export const FEATURE_CHANNELS = 3;
const CLIP = 10;
const LOG_TAIL_CAP = 30;
const GLOBAL_SAMPLE = 65536;

/** How feature values beyond ±10 are treated (card preprocessing.tail). */
export type FeatureTail = 'clip' | 'log';

export interface GlobalStats {
  median: number;
  scale: number;
}

function medianOfSorted(sorted: Float64Array): number {
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function globalStats(values: ArrayLike<number>): GlobalStats {
  const n = values.length;
  const step = Math.max(1, Math.ceil(n / GLOBAL_SAMPLE));
  const sample: number[] = [];
  for (let i = 0; i < n; i += step) {
    const v = values[i] as number;
    if (Number.isFinite(v)) sample.push(v);
  }
  if (sample.length === 0) return { median: 0, scale: 1 };
  const sorted = Float64Array.from(sample).sort();
  const median = medianOfSorted(sorted);
  const dev = new Float64Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) dev[i] = Math.abs((sorted[i] as number) - median);
  dev.sort();
  let scale = 1.4826 * medianOfSorted(dev);
  if (scale < 1e-12) {
    let mean = 0;
    for (const v of sorted) mean += v;
    mean /= sorted.length;
    let ss = 0;
    for (const v of sorted) ss += (v - mean) ** 2;
    scale = Math.sqrt(ss / sorted.length);
  }
  if (scale < 1e-12) scale = 1;
  return { median, scale };
}

function clip(v: number): number {
  return v > CLIP ? CLIP : v < -CLIP ? -CLIP : v;
}

function logTail(v: number): number {
  const a = Math.abs(v);
  if (a <= CLIP) return v;
  const t = Math.min(LOG_TAIL_CAP, CLIP + Math.log(a - CLIP + 1));
  return v < 0 ? -t : t;
}

/**
 * Writes the features of the window values[start, start+window) into out[offset …] as
 * [3, window] (channel-major), the layout of one batch item of the model input.
 */
export function writeWindowFeatures(
  values: ArrayLike<number>,
  start: number,
  window: number,
  stats: GlobalStats,
  out: Float32Array,
  offset: number,
  tail: FeatureTail = 'clip',
): void {
  const squash = tail === 'log' ? logTail : clip;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < window; i++) {
    const v = values[start + i] as number;
    if (Number.isFinite(v)) {
      sum += v;
      count++;
    }
  }
  const mean = sum / Math.max(count, 1);
  let ss = 0;
  for (let i = 0; i < window; i++) {
    const v = values[start + i] as number;
    if (Number.isFinite(v)) ss += (v - mean) * (v - mean);
  }
  const std = Math.max(Math.sqrt(ss / Math.max(count, 1)), 1e-3 * stats.scale);
  const local = offset;
  const global = offset + window;
  const mask = offset + 2 * window;
  for (let i = 0; i < window; i++) {
    const v = values[start + i] as number;
    if (Number.isFinite(v)) {
      out[local + i] = squash((v - mean) / std);
      out[global + i] = squash((v - stats.median) / stats.scale);
      out[mask + i] = 0;
    } else {
      out[local + i] = 0;
      out[global + i] = 0;
      out[mask + i] = 1;
    }
  }
}

/** Window start indices over a (padded) series of length n. */
export function windowStarts(n: number, window: number, stride: number): number[] {
  if (n <= window) return [0];
  const starts: number[] = [];
  for (let s = 0; s + window <= n; s += stride) starts.push(s);
  if (starts[starts.length - 1] !== n - window) starts.push(n - window);
  return starts;
}

/** The series padded to at least `window` points with its last finite value. */
export function padSeries(values: Float64Array, window: number): Float64Array {
  if (values.length >= window) return values;
  let fill = 0;
  for (let i = values.length - 1; i >= 0; i--) {
    if (Number.isFinite(values[i])) {
      fill = values[i] as number;
      break;
    }
  }
  const out = new Float64Array(window).fill(fill);
  out.set(values);
  return out;
}

export function overlapWeights(window: number): Float64Array {
  const w = new Float64Array(window);
  for (let i = 0; i < window; i++) w[i] = Math.sin((Math.PI * (i + 0.5)) / window) + 0.05;
  return w;
}
