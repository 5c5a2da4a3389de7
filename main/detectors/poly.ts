import { polyfitFromSums, polyval } from '../numeric/linalg';
import type { Detector } from './types';
import { maskMissing, PERIOD_RANK_PARAM, prepareSeries, resolveWindow, WINDOW_PARAM } from './windowing';

/**
 * POLY as in TSB-AD: the series is cut into blocks of w points; each block is predicted by a
 * polynomial fitted to its neighbourhood (max(10w, 100) points around it, the block itself left out)
 * and scored by the Fourier distance between block and prediction, ‖FFT(x) − FFT(ŷ)‖₂ / w — which by
 * Parseval equals ‖x − ŷ‖₂ / √w, computed without the FFT. The first min(500, 10 %) points are the
 * initial segment and score 0; neighbourhood edge cases and the block-grid prediction
 * (np.linspace over each block) follow the reference. Fits use centred, scaled positions for
 * numerical stability (same polynomial, better conditioning).
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
    const models = new Map<number, { coef: Float64Array; centre: number; scale: number }>();
    const pw = new Float64Array(2 * power + 1);
    const rhs = new Float64Array(power + 1);
    // normal-equation sums accumulated straight from the ranges (no per-block arrays)
    const fit = (ranges: [number, number][]) => {
      let lo = Infinity;
      let hi = -Infinity;
      let count = 0;
      for (const [a, b] of ranges) {
        const s0 = Math.max(0, a);
        const s1 = Math.min(n, b);
        if (s1 > s0) {
          lo = Math.min(lo, s0);
          hi = Math.max(hi, s1 - 1);
          count += s1 - s0;
        }
      }
      if (count === 0) return { coef: new Float64Array(power + 1), centre: 0, scale: 1 };
      const centre = (lo + hi) / 2;
      const scale = Math.max(1, (hi - lo) / 2);
      pw.fill(0);
      rhs.fill(0);
      const top = 2 * power;
      for (const [a, b] of ranges) {
        for (let t = Math.max(0, a); t < Math.min(n, b); t++) {
          const u = (t - centre) / scale;
          const yv = data[t];
          let p = 1;
          for (let j = 0; j <= top; j++) {
            pw[j] += p;
            if (j <= power) rhs[j] += p * yv;
            p *= u;
          }
        }
      }
      return { coef: polyfitFromSums(pw, rhs, count, power), centre, scale };
    };
    for (let i = M; i <= N; i++) {
      const index = i * w;
      let ranges: [number, number][];
      if (index + half < n && index - half > 0)
        ranges = [
          [index - half, index],
          [index + w, index + half],
        ];
      else if (index + half >= n && index + w < n)
        ranges = [
          [n - neighborhood, index],
          [index + w, n],
        ];
      else if (index + w >= n) ranges = [[n - neighborhood, index]];
      else if (index + w < neighborhood)
        ranges = [
          [0, index],
          [index + w, neighborhood],
        ];
      else
        ranges = [
          [index - half, index],
          [index + w, index + half],
        ];
      models.set(index, fit(ranges));
    }
    const estimate = new Float64Array(n);
    const evalAt = (index: number, pos: number) => {
      const m = models.get(index)!;
      return polyval(m.coef, (pos - m.centre) / m.scale);
    };
    for (let i = M; i < N; i++) {
      // np.linspace(w·i, w·(i+1), w): w points including both ends
      const step = w > 1 ? w / (w - 1) : 0;
      for (let k = 0; k < w; k++) estimate[w * i + k] = evalAt(w * i, w * i + k * step);
    }
    if (n % N !== 0) for (let t = N * w; t < n; t++) estimate[t] = evalAt(N * w, t);
    const out = new Float32Array(n);
    for (let i = M; i <= N; i++) {
      const index = i * w;
      const end = i === N ? n : index + w;
      if (end <= index) continue;
      let ss = 0;
      for (let t = index; t < end; t++) ss += (data[t] - estimate[t]) ** 2;
      const score = Math.sqrt(ss) / Math.sqrt(end - index);
      out.fill(score, index, Math.min(n, index + w));
    }
    return maskMissing(out, missing);
  },
};
