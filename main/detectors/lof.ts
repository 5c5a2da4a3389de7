import { throwIfAborted, WorkbenchError } from '../../common/errors';
import type { Detector } from './types';
import { maskMissing, placeAtCentres, prepareSeries } from './windowing';

/** Windows beyond which the windowed (brute-force O(N²·w)) LOF is refused rather than left to run for hours. */
export const LOF_MAX_WINDOWS = 20_000;

/**
 * k nearest neighbours of every point of a 1-D sample: in sorted order they are contiguous, so a
 * two-pointer walk finds them in O(k) per point (after an O(n log n) sort). The point itself is
 * excluded by position, equal values are neighbours at distance 0 (as scikit-learn).
 */
function knn1d(v: Float64Array, k: number): { idx: Int32Array; dist: Float64Array } {
  const n = v.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => v[a] - v[b] || a - b);
  const idx = new Int32Array(n * k);
  const dist = new Float64Array(n * k);
  for (let p = 0; p < n; p++) {
    const i = order[p];
    let lo = p - 1;
    let hi = p + 1;
    for (let q = 0; q < k; q++) {
      const dl = lo >= 0 ? v[i] - v[order[lo]] : Infinity;
      const dh = hi < n ? v[order[hi]] - v[i] : Infinity;
      if (dl <= dh) {
        idx[i * k + q] = order[lo];
        dist[i * k + q] = dl;
        lo--;
      } else {
        idx[i * k + q] = order[hi];
        dist[i * k + q] = dh;
        hi++;
      }
    }
  }
  return { idx, dist };
}

/** Brute-force k nearest windows (Euclidean), O(N²·w). */
function knnWindows(x: Float64Array, w: number, N: number, k: number, signal?: AbortSignal) {
  const idx = new Int32Array(N * k);
  const dist = new Float64Array(N * k);
  const bd = new Float64Array(k);
  const bi = new Int32Array(k);
  for (let i = 0; i < N; i++) {
    bd.fill(Infinity);
    bi.fill(-1);
    for (let j = 0; j < N; j++) {
      if (j === i) continue;
      let s = 0;
      for (let a = 0; a < w && s < bd[k - 1]; a++) {
        const d = x[i + a] - x[j + a];
        s += d * d;
      }
      if (s < bd[k - 1]) {
        let q = k - 1;
        while (q > 0 && bd[q - 1] > s) {
          bd[q] = bd[q - 1];
          bi[q] = bi[q - 1];
          q--;
        }
        bd[q] = s;
        bi[q] = j;
      }
    }
    for (let q = 0; q < k; q++) {
      idx[i * k + q] = bi[q];
      dist[i * k + q] = Math.sqrt(bd[q]);
    }
    if ((i & 255) === 0) throwIfAborted(signal, 'LOF');
  }
  return { idx, dist };
}

/**
 * Local Outlier Factor (Breunig et al.; scikit-learn/pyod as in TSB-AD): lrd(p) = 1 / (mean over its
 * k neighbours o of max(k-dist(o), d(p, o)) + 1e-10), LOF(p) = mean lrd(o) / lrd(p). TSB-AD's LOF runs
 * on single values (window 1; the published results match k = 50), where neighbours come from a sorted sweep in O(n·k); windows
 * > 1 (Sub-LOF) use brute force and are limited to 20,000 windows. Scores sit at window centres.
 */
export const localOutlierFactor: Detector = {
  id: 'lof',
  name: 'Local Outlier Factor',
  description: 'How much sparser each value (or window) lies than its nearest neighbours.',
  params: {
    window: {
      type: 'integer',
      default: 1,
      min: 1,
      max: 10_000,
      description: 'window length (1 = point-wise like TSB-AD LOF; longer windows are limited to 20,000 windows)',
    },
    neighbors: {
      type: 'integer',
      default: 50,
      min: 1,
      max: 1000,
      description: 'number of neighbours k (50 reproduces the published TSB-AD LOF results)',
    },
  },
  randomized: false,
  score(values, params, ctx) {
    const n = values.length;
    const { filled: x, missing } = prepareSeries(values);
    const w = Number(params.window);
    if (w > n)
      throw new WorkbenchError('invalid_input', `Parameter window of lof is ${w} but the series has only ${n} points.`, {
        detector: 'lof',
        parameter: 'window',
      });
    const N = n - w + 1;
    if (N < 3) return maskMissing(new Float32Array(n), missing);
    if (w > 1 && N > LOF_MAX_WINDOWS)
      throw new WorkbenchError(
        'unsupported',
        `Windowed LOF compares every window with every other; ${N} windows exceed the limit of ${LOF_MAX_WINDOWS}. Use window 1 or a shorter series.`,
        { detector: 'lof', parameter: 'window' },
      );
    const k = Math.min(Number(params.neighbors), N - 1);
    const { idx, dist } = w === 1 ? knn1d(x, k) : knnWindows(x, w, N, k, ctx?.signal);
    const kDist = new Float64Array(N);
    for (let i = 0; i < N; i++) kDist[i] = dist[i * k + k - 1];
    const lrd = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += Math.max(kDist[idx[i * k + q]], dist[i * k + q]);
      lrd[i] = 1 / (s / k + 1e-10);
    }
    const lof = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += lrd[idx[i * k + q]];
      lof[i] = s / k / lrd[i];
    }
    return maskMissing(placeAtCentres(lof, w, n), missing);
  },
};
