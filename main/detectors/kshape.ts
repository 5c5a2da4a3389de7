import { throwIfAborted } from '../../common/errors';
import { fft, nextPowerOfTwo } from '../numeric/fft';
import { seededRandom } from '../numeric/random';
import type { Detector } from './types';
import { maskMissing, meanOverCoveringWindows, PERIOD_RANK_PARAM, prepareSeries, resolveWindow, WINDOW_PARAM } from './windowing';

/** Subsequences k-Shape is fitted on (a seeded sample) and the scoring stride's divisor. */
const FIT_SAMPLE = 1000;

function norm2(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

function znorm(x: Float64Array, from: number, w: number, out: Float64Array): void {
  let m = 0;
  for (let a = 0; a < w; a++) m += x[from + a];
  m /= w;
  let v = 0;
  for (let a = 0; a < w; a++) v += (x[from + a] - m) ** 2;
  const sd = Math.sqrt(v / w);
  for (let a = 0; a < w; a++) out[a] = sd > 1e-12 * (Math.abs(m) + 1e-300) ? (x[from + a] - m) / sd : 0;
}

/** Spectra for fast cross-correlation: FFT of the zero-padded vector (length L ≥ 2w − 1). */
function spectrum(v: Float64Array, L: number): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(L);
  const im = new Float64Array(L);
  re.set(v);
  fft(re, im);
  return { re, im };
}

/**
 * Shape-based distance SBD = 1 − max_s NCC_s (Paparrizos & Gravano) from two spectra, plus the best
 * shift (positive: y lags x).
 */
function sbd(
  a: { re: Float64Array; im: Float64Array },
  b: { re: Float64Array; im: Float64Array },
  normA: number,
  normB: number,
  w: number,
  bufRe: Float64Array,
  bufIm: Float64Array,
): { dist: number; shift: number } {
  const L = bufRe.length;
  for (let k = 0; k < L; k++) {
    // A · conj(B): circular cross-correlation of a with b
    bufRe[k] = a.re[k] * b.re[k] + a.im[k] * b.im[k];
    bufIm[k] = a.im[k] * b.re[k] - a.re[k] * b.im[k];
  }
  fft(bufRe, bufIm, true);
  let best = -Infinity;
  let shift = 0;
  for (let s = -(w - 1); s < w; s++) {
    const v = bufRe[(s + L) % L];
    if (v > best) {
      best = v;
      shift = s;
    }
  }
  const den = normA * normB;
  return { dist: den > 0 ? 1 - best / den : 1, shift };
}

/** Largest eigenvector of a symmetric w×w matrix by power iteration. */
function topEigenvector(M: Float64Array, w: number, start: Float64Array): Float64Array {
  let v = Float64Array.from(start);
  let norm = norm2(v);
  if (!(norm > 0)) v = new Float64Array(w).fill(1 / Math.sqrt(w));
  else for (let a = 0; a < w; a++) v[a] /= norm;
  const next = new Float64Array(w);
  for (let it = 0; it < 100; it++) {
    next.fill(0);
    for (let r = 0; r < w; r++) {
      let s = 0;
      for (let c = 0; c < w; c++) s += M[r * w + c] * v[c];
      next[r] = s;
    }
    norm = norm2(next);
    if (!(norm > 0)) break;
    let diff = 0;
    for (let a = 0; a < w; a++) {
      const nv = next[a] / norm;
      diff += Math.abs(nv - v[a]);
      v[a] = nv;
    }
    if (diff < 1e-9) break;
  }
  return v;
}

/**
 * KShapeAD (simplified from TSB-AD's SAND offline mode): k-Shape clustering (k = 6; SBD assignment,
 * shape extraction by the top eigenvector of the aligned members' scatter) of up to 1,000 sampled
 * z-normalized subsequences of the window length; every subsequence (stride ⌈w/8⌉) then scores the
 * size²-weighted SBD to all centroids, so distance to large clusters counts most, and each point gets
 * the mean over the scored subsequences covering it. SAND's streaming updates and its 4·w
 * subsequences are not reproduced.
 */
export const kshapeAd: Detector = {
  id: 'kshape',
  name: 'KShapeAD (k-Shape clustering)',
  description: 'Shape-based distance of each subsequence to k-Shape centroids, weighted by cluster size.',
  params: {
    window: WINDOW_PARAM,
    periodRank: PERIOD_RANK_PARAM,
    clusters: { type: 'integer', default: 6, min: 1, max: 50, description: 'number of clusters k' },
    iterations: { type: 'integer', default: 10, min: 1, max: 100, description: 'k-Shape refinement iterations' },
    seed: { type: 'integer', default: 42, min: 0, max: 2 ** 31 - 1, description: 'random seed (same seed, same scores)' },
  },
  randomized: true,
  score(values, params, ctx) {
    const n = values.length;
    const { filled: x, missing } = prepareSeries(values);
    if (n < 8) return maskMissing(new Float32Array(n), missing);
    const w = resolveWindow('kshape', x, params, 4);
    const N = n - w + 1;
    const L = nextPowerOfTwo(2 * w - 1);
    const rand = seededRandom(Number(params.seed));
    const F = Math.min(FIT_SAMPLE, N);
    const starts = new Int32Array(F);
    for (let r = 0; r < F; r++) starts[r] = F === N ? r : Math.floor(rand() * N);
    const members = starts.length;
    const subs: Float64Array[] = [];
    const specs: { re: Float64Array; im: Float64Array }[] = [];
    const norms = new Float64Array(members);
    for (let r = 0; r < members; r++) {
      const v = new Float64Array(w);
      znorm(x, starts[r], w, v);
      subs.push(v);
      specs.push(spectrum(v, L));
      norms[r] = norm2(v);
    }
    const k = Math.min(Number(params.clusters), members);
    const assign = new Int32Array(members);
    for (let r = 0; r < members; r++) assign[r] = Math.floor(rand() * k);
    let cents: Float64Array[] = Array.from({ length: k }, () => new Float64Array(w));
    const bufRe = new Float64Array(L);
    const bufIm = new Float64Array(L);
    const iterations = Number(params.iterations);
    for (let it = 0; it < iterations; it++) {
      // shape extraction
      cents = cents.map((old, c) => {
        const S = new Float64Array(w * w);
        const oldSpec = spectrum(old, L);
        const oldNorm = norm2(old);
        let count = 0;
        for (let r = 0; r < members; r++) {
          if (assign[r] !== c) continue;
          count++;
          let y = subs[r];
          if (oldNorm > 0) {
            const { shift } = sbd(specs[r], oldSpec, norms[r], oldNorm, w, bufRe, bufIm);
            // align y to the centroid: shift it by −shift
            const al = new Float64Array(w);
            for (let a = 0; a < w; a++) {
              const src = a + shift;
              if (src >= 0 && src < w) al[a] = y[src];
            }
            y = al;
          }
          for (let p = 0; p < w; p++) for (let q = 0; q < w; q++) S[p * w + q] += y[p] * y[q];
        }
        if (count === 0) return subs[Math.floor(rand() * members)];
        // M = Q S Q with Q = I − 11ᵀ/w (centring)
        const rowMean = new Float64Array(w);
        const colMean = new Float64Array(w);
        let all = 0;
        for (let p = 0; p < w; p++)
          for (let q = 0; q < w; q++) {
            rowMean[p] += S[p * w + q] / w;
            colMean[q] += S[p * w + q] / w;
            all += S[p * w + q] / (w * w);
          }
        const M = new Float64Array(w * w);
        for (let p = 0; p < w; p++) for (let q = 0; q < w; q++) M[p * w + q] = S[p * w + q] - rowMean[p] - colMean[q] + all;
        let v = topEigenvector(M, w, old.some((e) => e !== 0) ? old : subs[0]);
        // the eigenvector's sign is arbitrary: keep the one closer to the members
        let dPlus = 0;
        let dMinus = 0;
        for (let r = 0; r < members; r++) {
          if (assign[r] !== c) continue;
          for (let a = 0; a < w; a++) {
            dPlus += (subs[r][a] - v[a]) ** 2;
            dMinus += (subs[r][a] + v[a]) ** 2;
          }
        }
        if (dMinus < dPlus) v = v.map((e) => -e);
        const z = new Float64Array(w);
        znorm(v, 0, w, z);
        return z;
      });
      const centSpecs = cents.map((c) => spectrum(c, L));
      const centNorms = cents.map((c) => norm2(c));
      let changed = 0;
      for (let r = 0; r < members; r++) {
        let bc = 0;
        let bd = Infinity;
        for (let c = 0; c < k; c++) {
          const { dist } = sbd(specs[r], centSpecs[c], norms[r], centNorms[c], w, bufRe, bufIm);
          if (dist < bd) {
            bd = dist;
            bc = c;
          }
        }
        if (assign[r] !== bc) changed++;
        assign[r] = bc;
      }
      throwIfAborted(ctx?.signal, 'KShapeAD');
      ctx?.progress?.((0.5 * (it + 1)) / iterations);
      if (changed === 0) break;
    }
    const sizes = new Float64Array(k);
    for (let r = 0; r < members; r++) sizes[assign[r]]++;
    let sq = 0;
    for (let c = 0; c < k; c++) sq += sizes[c] ** 2;
    const weight = Array.from(sizes, (s) => (s * s) / sq);
    const centSpecs = cents.map((c) => spectrum(c, L));
    const centNorms = cents.map((c) => norm2(c));
    const stride = Math.max(1, Math.ceil(w / 8));
    const count = Math.floor((N - 1) / stride) + 1;
    const winScores = new Float64Array(count);
    const v = new Float64Array(w);
    for (let s = 0; s < count; s++) {
      znorm(x, s * stride, w, v);
      const spec = spectrum(v, L);
      const nv = norm2(v);
      let score = 0;
      for (let c = 0; c < k; c++)
        if (weight[c] > 0) score += weight[c] * sbd(spec, centSpecs[c], nv, centNorms[c], w, bufRe, bufIm).dist;
      winScores[s] = score;
      if ((s & 1023) === 0) {
        throwIfAborted(ctx?.signal, 'KShapeAD');
        ctx?.progress?.(0.5 + (0.5 * s) / count);
      }
    }
    const out = meanOverCoveringWindows(winScores, w, n, stride);
    // points after the last scored subsequence take its score
    out.fill(winScores[count - 1], (count - 1) * stride + w);
    return maskMissing(out, missing);
  },
};
