import { MomentFitter } from '../numeric/poly-moments';
import type { Detector } from './types';
import { maskMissing, PERIOD_RANK_PARAM, prepareSeries, resolveWindow, WINDOW_PARAM } from './windowing';

/**
 * POLY as in TSB-AD: the series is cut into blocks of w points; each block is predicted by a
 * polynomial fitted to its neighbourhood (max(10w, 100) points around it, the block itself left out)
 * and scored by the Fourier distance between block and prediction, ‖FFT(x) − FFT(ŷ)‖₂ / w — which by
 * Parseval equals ‖x − ŷ‖₂ / √w, computed without the FFT. The first min(500, 10 %) points are the
 * initial segment and score 0; neighbourhood edge cases and the block-grid prediction
 * (np.linspace over each block) follow the reference. Fits use centred, scaled positions for
 * numerical stability (same polynomial, better conditioning). The normal-equation sums come from
 * per-chunk moments (MomentFitter), so a block costs O(neighbourhood / chunk) instead of O(neighbourhood).
 */
export const poly: Detector = {
  id: 'poly',
  name: 'POLY (polynomial fit)',
  description: 'Distance between each block and a polynomial fitted to the points around it.',
  params: {
    window: WINDOW_PARAM,
    periodRank: PERIOD_RANK_PARAM,
    power: { type: 'integer', default: 4, min: 0, max: 8, description: 'polynomial degree' },
  },
  randomized: false,
  score(values, params) {
    const n = values.length;
    const { filled: data, missing } = prepareSeries(values);
    if (n < 4) return maskMissing(new Float32Array(n), missing);
    const w = resolveWindow('poly', data, params, 1);
    const power = Number(params.power);
    const nInitial = Math.min(500, Math.floor(0.1 * n));
    const neighborhood = Math.min(n, Math.max(10 * w, 100));
    const N = Math.floor(n / w);
    const M = Math.ceil(nInitial / w);
    const half = Math.floor(neighborhood / 2);
    const fitter = new MomentFitter(data, power, w <= 128 ? w : 64);
    // per block index i·w (i = M … N): coefficients, centre and scale of its polynomial
    const coefs = new Float64Array((N + 1) * (power + 1));
    const centres = new Float64Array(N + 1);
    const scales = new Float64Array(N + 1);
    for (let i = M; i <= N; i++) {
      const index = i * w;
      let a0: number, b0: number, a1: number, b1: number;
      if (index + half < n && index - half > 0) [a0, b0, a1, b1] = [index - half, index, index + w, index + half];
      else if (index + half >= n && index + w < n) [a0, b0, a1, b1] = [n - neighborhood, index, index + w, n];
      else if (index + w >= n) [a0, b0, a1, b1] = [n - neighborhood, index, 0, 0];
      else if (index + w < neighborhood) [a0, b0, a1, b1] = [0, index, index + w, neighborhood];
      else [a0, b0, a1, b1] = [index - half, index, index + w, index + half];
      const fit = fitter.fit(a0, b0, a1, b1);
      coefs.set(fit.coef, i * (power + 1));
      centres[i] = fit.centre;
      scales[i] = fit.scale;
    }
    // block i's prediction is its polynomial on np.linspace(w·i, w·(i+1), w) (w points including both
    // ends); the tail block N is predicted at its own positions, or (reference quirk: its test is
    // n % N, not n % w) left at 0 when N divides n
    const out = new Float32Array(n);
    const k1 = power + 1;
    const step = w > 1 ? w / (w - 1) : 0;
    for (let i = M; i <= N; i++) {
      const index = i * w;
      const tail = i === N;
      const predicted = !tail || n % N !== 0;
      const end = tail ? n : index + w;
      if (end <= index) continue;
      const centre = centres[i];
      const scale = scales[i];
      let ss = 0;
      for (let t = index; t < end; t++) {
        const u = ((tail ? t : index + (t - index) * step) - centre) / scale;
        let v = 0;
        if (predicted) for (let j = power; j >= 0; j--) v = v * u + coefs[i * k1 + j];
        ss += (data[t] - v) ** 2;
      }
      out.fill(Math.sqrt(ss) / Math.sqrt(end - index), index, Math.min(n, index + w));
    }
    return maskMissing(out, missing);
  },
};
