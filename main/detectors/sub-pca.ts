import { throwIfAborted } from '../../common/errors';
import { nextPowerOfTwo } from '../numeric/fft';
import { factorize, mixedRadix, mixedRadixInto } from '../numeric/fft-mixed';
import { symmetricEigen } from '../numeric/linalg';
import type { Detector } from './types';
import { maskMissing, PERIOD_RANK_PARAM, placeAtCentres, prepareSeries, resolveWindow, WINDOW_PARAM } from './windowing';

/**
 * Sliding dot products y_f(i) = Σ_a f[a]·x[i + a], i < count, for a bank of real filters of equal
 * length, by FFT overlap-save: each block of x is transformed once, and two filters share one
 * complex inverse transform (one in the real part, one in the imaginary part, exact because x and
 * the filters are real). About 6× fewer operations than direct dot products for w ≈ 100.
 */
export function filterBank(
  x: Float64Array,
  filters: Float64Array[],
  count: number,
  /** called per block and filter with `count` outputs for windows start … start + count − 1: value k is values[k]·scale·sign */
  emit: (filter: number, start: number, values: Float64Array, scale: number, count: number) => void,
  onBlock?: (fraction: number) => void,
): void {
  if (filters.length === 0 || count <= 0) return;
  const w = filters[0].length;
  const L = Math.max(256, nextPowerOfTwo(8 * w));
  const B = L - w + 1;
  // radix-4 Stockham stages: about twice as fast as the radix-2 transform at these lengths
  const radices = factorize(L)!;
  // spectra of the reversed (complex-packed) filter pairs: g[(−a) mod L] = f_j[a] + i·f_{j+1}[a]
  const pairs: { re: Float64Array; im: Float64Array; j: number; hasSecond: boolean }[] = [];
  for (let j = 0; j < filters.length; j += 2) {
    const re = new Float64Array(L);
    const im = new Float64Array(L);
    for (let a = 0; a < w; a++) {
      const t = (L - a) % L;
      re[t] = filters[j][a];
      im[t] = j + 1 < filters.length ? filters[j + 1][a] : 0;
    }
    mixedRadix(re, im, radices);
    pairs.push({ re, im, j, hasSecond: j + 1 < filters.length });
  }
  const xr = new Float64Array(L);
  const xi = new Float64Array(L);
  const yr = new Float64Array(L);
  const yi = new Float64Array(L);
  const scale = 1 / L;
  for (let start = 0; start < count; start += B) {
    const outputs = Math.min(B, count - start);
    xr.fill(0);
    xi.fill(0);
    const avail = Math.min(L, x.length - start);
    for (let t = 0; t < avail; t++) xr[t] = x[start + t];
    mixedRadix(xr, xi, radices);
    for (const { re, im, j, hasSecond } of pairs) {
      // product, conjugated so the forward transform acts as the inverse
      for (let k = 0; k < L; k++) {
        yr[k] = xr[k] * re[k] - xi[k] * im[k];
        yi[k] = -(xr[k] * im[k] + xi[k] * re[k]);
      }
      const [zr, zi] = mixedRadixInto(yr, yi, radices);
      emit(j, start, zr, scale, outputs);
      if (hasSecond) emit(j + 1, start, zi, -scale, outputs);
    }
    onBlock?.(Math.min(1, (start + outputs) / count));
  }
}

/** One filter's sliding dot products (see filterBank). */
function slidingDots(x: Float64Array, f: Float64Array, count: number, emit: (i: number, value: number) => void): void {
  filterBank(x, [f], count, (_, start, values, scale, outputs) => {
    for (let k = 0; k < outputs; k++) emit(start + k, values[k] * scale);
  });
}

/**
 * Sub-PCA as in TSB-AD (pyod PCA on sliding windows): every window of length w is a sample; each of
 * the w columns is standardized; PCA keeps all components; a window's score is
 * Σ_j ‖z − v_j‖ / r_j, the (pyod) distance of the standardized window to each principal axis vector,
 * weighted by the inverse explained-variance ratio r_j, so the low-variance directions dominate.
 * Scores sit at window centres. The covariance of all windows is built from lagged products (one
 * sum per lag, slid along the window) in O(n·w) instead of O(n·w²). Eigenvector signs follow scikit-learn's svd_flip
 * (largest-magnitude coordinate positive).
 */
export const subPca: Detector = {
  id: 'sub-pca',
  name: 'Sub-PCA',
  description: 'Distance of each window to the principal axes of all windows, weighted towards low-variance axes.',
  params: { window: WINDOW_PARAM, periodRank: PERIOD_RANK_PARAM },
  randomized: false,
  score(values, params, ctx) {
    const n = values.length;
    const { filled: x, missing } = prepareSeries(values);
    if (n < 4) return maskMissing(new Float32Array(n), missing);
    const w = resolveWindow('sub-pca', x, params);
    const N = n - w + 1;
    if (N < 2) return maskMissing(new Float32Array(n), missing);

    // centre globally first: the lagged sums below then lose no precision to a large offset
    let g = 0;
    for (let i = 0; i < n; i++) g += x[i];
    g /= n;
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) c[i] = x[i] - g;
    const s1 = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) s1[i + 1] = s1[i] + c[i];
    const colMean = new Float64Array(w);
    for (let a = 0; a < w; a++) colMean[a] = (s1[a + N] - s1[a]) / N;
    // lagged products: cross[a][b] = Σ_t c[a+t]·c[b+t], t < N. Per lag d = b − a, the sum for a = 0 is
    // taken directly (four lags per pass over c) and slid along a by one product in and one out
    const cov = new Float64Array(w * w);
    const base = new Float64Array(4);
    for (let d0 = 0; d0 < w; d0 += 4) {
      const lags = Math.min(4, w - d0);
      if (lags === 4) {
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let t = 0; t < N; t++) {
          const ct = c[t];
          const u = t + d0;
          s0 += ct * c[u];
          s1 += ct * c[u + 1];
          s2 += ct * c[u + 2];
          s3 += ct * c[u + 3];
        }
        base[0] = s0;
        base[1] = s1;
        base[2] = s2;
        base[3] = s3;
      } else {
        for (let q = 0; q < lags; q++) {
          let sq = 0;
          for (let t = 0; t < N; t++) sq += c[t] * c[t + d0 + q];
          base[q] = sq;
        }
      }
      for (let q = 0; q < lags; q++) {
        const d = d0 + q;
        let sum = base[q];
        for (let a = 0; a + d < w; a++) {
          const b = a + d;
          const v = sum / N - colMean[a] * colMean[b];
          cov[a * w + b] = v;
          cov[b * w + a] = v;
          sum += c[a + N] * c[a + N + d] - c[a] * c[a + d];
        }
      }
      throwIfAborted(ctx?.signal, 'Sub-PCA');
    }
    const colStd = new Float64Array(w);
    const keep: number[] = [];
    for (let a = 0; a < w; a++) {
      colStd[a] = Math.sqrt(Math.max(0, cov[a * w + a]));
      // zero pruning: a constant column is all zeros after standardization
      if (colStd[a] > 1e-12 * (Math.abs(colMean[a] + g) + 1e-300)) keep.push(a);
    }
    const dim = keep.length;
    if (dim === 0) return maskMissing(new Float32Array(n), missing);
    const corr = new Float64Array(dim * dim);
    for (let p = 0; p < dim; p++)
      for (let q = 0; q < dim; q++) corr[p * dim + q] = cov[keep[p] * w + keep[q]] / (colStd[keep[p]] * colStd[keep[q]]);
    const { values: eig, vectors } = symmetricEigen(corr, dim);
    let total = 0;
    for (let j = 0; j < dim; j++) total += Math.max(0, eig[j]);
    const invRatio = new Float64Array(dim);
    for (let j = 0; j < dim; j++) invRatio[j] = total / Math.max(eig[j], 1e-12 * total);
    for (let j = 0; j < dim; j++) {
      let big = 0;
      for (let q = 0; q < dim; q++) if (Math.abs(vectors[j * dim + q]) > Math.abs(vectors[j * dim + big])) big = q;
      if (vectors[j * dim + big] < 0) for (let q = 0; q < dim; q++) vectors[j * dim + q] = -vectors[j * dim + q];
    }
    ctx?.progress?.(0.1);

    // projections p_j(i) = z_i·v_j = Σ_a u_j[a]·c[i + a] − k_j with u_j = v_j / σ (0 on pruned columns),
    // and ‖z_i‖² = Σ_a c[i+a]²/σ_a² − 2 Σ_a c[i+a]·μ_a/σ_a² + Σ_a μ_a²/σ_a²: all sliding dot products
    const filters: Float64Array[] = [];
    const offsets: number[] = [];
    for (let j = 0; j < dim; j++) {
      const f = new Float64Array(w);
      let k = 0;
      for (let q = 0; q < dim; q++) {
        f[keep[q]] = vectors[j * dim + q] / colStd[keep[q]];
        k += f[keep[q]] * colMean[keep[q]];
      }
      filters.push(f);
      offsets.push(k);
    }
    const sqFilter = new Float64Array(w);
    const linFilter = new Float64Array(w);
    let constTerm = 0;
    for (const a of keep) {
      sqFilter[a] = 1 / colStd[a] ** 2;
      linFilter[a] = colMean[a] / colStd[a] ** 2;
      constTerm += colMean[a] ** 2 / colStd[a] ** 2;
    }
    const zz = new Float64Array(N);
    const c2 = new Float64Array(n);
    for (let i = 0; i < n; i++) c2[i] = c[i] * c[i];
    slidingDots(c2, sqFilter, N, (i, v) => (zz[i] = v + constTerm));
    slidingDots(c, linFilter, N, (i, v) => (zz[i] -= 2 * v));
    const winScores = new Float64Array(N);
    filterBank(
      c,
      filters,
      N,
      (j, start, values, scale, outputs) => {
        const off = offsets[j];
        const weight = invRatio[j];
        for (let k = 0; k < outputs; k++) {
          const i = start + k;
          const d2 = zz[i] - 2 * (values[k] * scale - off) + 1;
          winScores[i] += Math.sqrt(d2 > 0 ? d2 : 0) * weight;
        }
      },
      (fraction) => {
        throwIfAborted(ctx?.signal, 'Sub-PCA');
        ctx?.progress?.(0.1 + 0.9 * fraction);
      },
    );
    return maskMissing(placeAtCentres(winScores, w, n), missing);
  },
};
