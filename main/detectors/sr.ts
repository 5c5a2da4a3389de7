import { fft, nextPowerOfTwo } from '../numeric/fft';
import type { Detector } from './types';

function movingAverage(x: Float64Array, w: number): Float64Array {
  // trailing average like TSB-AD's average_filter: mean of the last w values (fewer at the start)
  const out = new Float64Array(x.length);
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    sum += x[i];
    if (i >= w) sum -= x[i - w];
    out[i] = sum / Math.min(i + 1, w);
  }
  return out;
}

/**
 * Spectral residual (Ren et al., 2019; TSB-AD's SR): the log-amplitude spectrum minus its moving
 * average, transformed back with the original phase, gives a saliency map; the score is the
 * saliency's relative excess over its trailing average. The series is extended to a power of two by
 * repeating its last value (the FFT here is radix-2); missing values are filled with the previous
 * value for the transform and score NaN.
 */
export const spectralResidual: Detector = {
  id: 'sr',
  name: 'Spectral residual (SR)',
  description: 'Saliency from the residual of the log-amplitude spectrum; strong on point anomalies.',
  params: {
    magWindow: { type: 'integer', default: 3, min: 1, max: 1000, description: 'moving-average length over the log spectrum' },
    scoreWindow: { type: 'integer', default: 40, min: 1, max: 100_000, description: 'trailing average length over the saliency' },
  },
  randomized: false,
  score(values, params) {
    const n = values.length;
    const out = new Float32Array(n);
    if (n < 4) return out;
    const size = nextPowerOfTwo(n);
    const re = new Float64Array(size);
    const im = new Float64Array(size);
    let last = 0;
    for (let i = 0; i < n; i++)
      if (Number.isFinite(values[i])) {
        last = values[i];
        break;
      }
    for (let i = 0; i < size; i++) {
      const v = i < n ? values[i] : NaN;
      if (Number.isFinite(v)) last = v;
      re[i] = last;
    }
    fft(re, im);
    const eps = 1e-8;
    const mag = new Float64Array(size);
    const logMag = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      mag[i] = Math.hypot(re[i], im[i]);
      logMag[i] = mag[i] > eps ? Math.log(mag[i]) : 0;
    }
    const avg = movingAverage(logMag, Number(params.magWindow));
    for (let i = 0; i < size; i++) {
      if (mag[i] <= eps) {
        re[i] = 0;
        im[i] = 0;
      } else {
        const k = Math.exp(logMag[i] - avg[i]) / mag[i];
        re[i] *= k;
        im[i] *= k;
      }
    }
    fft(re, im, true);
    const saliency = new Float64Array(n);
    for (let i = 0; i < n; i++) saliency[i] = Math.hypot(re[i], im[i]);
    const ave = movingAverage(saliency, Number(params.scoreWindow));
    for (let i = 0; i < n; i++) {
      out[i] = !Number.isFinite(values[i]) ? NaN : ave[i] > eps ? Math.abs(saliency[i] - ave[i]) / ave[i] : 0;
    }
    return out;
  },
};
