import { throwIfAborted } from '../../common/errors';
import { slidingMeanStd } from '../numeric/matrix-profile';
import { seededRandom } from '../numeric/random';
import type { Detector } from './types';
import { maskMissing, meanOverCoveringWindows, PERIOD_RANK_PARAM, prepareSeries, resolveWindow, WINDOW_PARAM } from './windowing';

/** Largest number of windows k-means is fitted on (a seeded random subset); all windows are scored. */
export const KMEANS_FIT_SAMPLE = 20_000;

/**
 * KMeansAD (TSB-AD, after TimeEval): k-means (k-means++ start, Lloyd iterations) on the sliding
 * windows; a window's score is its distance to its nearest centroid; each point gets the mean score
 * of the windows covering it (prefix sums, O(n)). Windows are z-normalized by default (METHODS.md);
 * `normalize: false` clusters raw windows like the TimeEval code. Fitting uses at most 20,000
 * windows (seeded sample); every window is scored.
 */
export const kmeansAd: Detector = {
  id: 'kmeans',
  name: 'KMeansAD',
  description: 'Distance of each window to its nearest k-means centroid, averaged over the windows covering each point.',
  params: {
    window: WINDOW_PARAM,
    periodRank: PERIOD_RANK_PARAM,
    clusters: { type: 'integer', default: 10, min: 1, max: 1000, description: 'number of clusters k' },
    normalize: { type: 'boolean', default: true, description: 'z-normalize each window before clustering' },
    iterations: { type: 'integer', default: 50, min: 1, max: 1000, description: 'Lloyd iterations at most' },
    seed: { type: 'integer', default: 42, min: 0, max: 2 ** 31 - 1, description: 'random seed (same seed, same scores)' },
  },
  randomized: true,
  score(values, params, ctx) {
    const n = values.length;
    const { filled: x, missing } = prepareSeries(values);
    if (n < 4) return maskMissing(new Float32Array(n), missing);
    const w = resolveWindow('kmeans', x, params, 1);
    const N = n - w + 1;
    const normalize = Boolean(params.normalize);
    const { mean: mu, std: sd } = slidingMeanStd(x, w);
    // window i as a vector: (x[i + a] − shift[i]) · gain[i]
    const shift = new Float64Array(N);
    const gain = new Float64Array(N).fill(1);
    if (normalize) {
      for (let i = 0; i < N; i++) {
        shift[i] = mu[i];
        gain[i] = sd[i] > 1e-12 * (Math.abs(mu[i]) + 1e-300) ? 1 / sd[i] : 0;
      }
    }
    const k = Math.min(Number(params.clusters), N);
    const rand = seededRandom(Number(params.seed));
    // the fitting subset
    let fitRows: Int32Array;
    if (N <= KMEANS_FIT_SAMPLE) fitRows = Int32Array.from({ length: N }, (_, i) => i);
    else {
      const seen = new Set<number>();
      while (seen.size < KMEANS_FIT_SAMPLE) seen.add(Math.floor(rand() * N));
      fitRows = Int32Array.from([...seen].sort((a, b) => a - b));
    }
    const F = fitRows.length;
    const vec = (i: number, out: Float64Array) => {
      const s = shift[i];
      const g = gain[i];
      for (let a = 0; a < w; a++) out[a] = (x[i + a] - s) * g;
    };
    const data = new Float64Array(F * w);
    const tmp = new Float64Array(w);
    for (let r = 0; r < F; r++) {
      vec(fitRows[r], tmp);
      data.set(tmp, r * w);
    }
    const dist2 = (row: number, cents: Float64Array, c: number) => {
      let s = 0;
      const ro = row * w;
      const co = c * w;
      for (let a = 0; a < w; a++) {
        const d = data[ro + a] - cents[co + a];
        s += d * d;
      }
      return s;
    };
    // k-means++
    const cents = new Float64Array(k * w);
    const first = Math.floor(rand() * F);
    cents.set(data.subarray(first * w, first * w + w), 0);
    const best = new Float64Array(F).fill(Infinity);
    for (let c = 1; c < k; c++) {
      let total = 0;
      for (let r = 0; r < F; r++) {
        best[r] = Math.min(best[r], dist2(r, cents, c - 1));
        total += best[r];
      }
      let pick = Math.floor(rand() * F);
      if (total > 0) {
        let target = rand() * total;
        for (let r = 0; r < F; r++) {
          target -= best[r];
          if (target <= 0) {
            pick = r;
            break;
          }
        }
      }
      cents.set(data.subarray(pick * w, pick * w + w), c * w);
    }
    // Lloyd
    const assign = new Int32Array(F).fill(-1);
    const sums = new Float64Array(k * w);
    const counts = new Float64Array(k);
    const iterations = Number(params.iterations);
    for (let it = 0; it < iterations; it++) {
      let changed = 0;
      for (let r = 0; r < F; r++) {
        let bc = 0;
        let bd = Infinity;
        for (let c = 0; c < k; c++) {
          const d = dist2(r, cents, c);
          if (d < bd) {
            bd = d;
            bc = c;
          }
        }
        if (assign[r] !== bc) {
          assign[r] = bc;
          changed++;
        }
      }
      if (changed === 0) break;
      sums.fill(0);
      counts.fill(0);
      for (let r = 0; r < F; r++) {
        const c = assign[r];
        counts[c]++;
        for (let a = 0; a < w; a++) sums[c * w + a] += data[r * w + a];
      }
      for (let c = 0; c < k; c++) if (counts[c] > 0) for (let a = 0; a < w; a++) cents[c * w + a] = sums[c * w + a] / counts[c];
      throwIfAborted(ctx?.signal, 'KMeansAD');
      ctx?.progress?.((0.5 * (it + 1)) / iterations);
    }
    // score every window: ‖v − c‖² = ‖v‖² − 2 v·c + ‖c‖²
    const cNorm = new Float64Array(k);
    for (let c = 0; c < k; c++) for (let a = 0; a < w; a++) cNorm[c] += cents[c * w + a] ** 2;
    const winScores = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      vec(i, tmp);
      let vv = 0;
      for (let a = 0; a < w; a++) vv += tmp[a] * tmp[a];
      let bd = Infinity;
      for (let c = 0; c < k; c++) {
        let dot = 0;
        const co = c * w;
        for (let a = 0; a < w; a++) dot += tmp[a] * cents[co + a];
        const d = vv - 2 * dot + cNorm[c];
        if (d < bd) bd = d;
      }
      winScores[i] = Math.sqrt(Math.max(0, bd));
      if ((i & 16383) === 0) {
        throwIfAborted(ctx?.signal, 'KMeansAD');
        ctx?.progress?.(0.5 + (0.5 * i) / N);
      }
    }
    return maskMissing(meanOverCoveringWindows(winScores, w, n), missing);
  },
};
