import { fft } from '../numeric/fft';
import { finiteRange } from '../numeric/stats';
import type { Detector } from './types';
import { maskMissing, prepareSeries } from './windowing';

/**
 * Spectral residual as in TSB-AD's SR: the series is min-max scaled, its log-amplitude spectrum
 * loses a moving average (100 bins, mirrored onto the negative frequencies), and the inverse
 * transform's magnitude is the saliency, used directly as the score. The DFT has the exact series
 * length (Bluestein for non-powers of two). Like the reference, the average's edge padding repeats
 * the first and last *scaled series* values (a quirk kept for fidelity). Zero-amplitude bins (only in
 * degenerate spectra) are floored at 1e-12 instead of giving −∞. A constant series scores 0.
 */
export const spectralResidual: Detector = {
  id: 'sr',
  name: 'Spectral residual (SR)',
  description: 'Saliency from the residual of the log-amplitude spectrum; strong on point anomalies.',
  params: {
    spectrumWindow: {
      type: 'integer',
      default: 100,
      min: 1,
      max: 100_000,
      description: 'moving-average length over the log-amplitude spectrum, in frequency bins',
    },
  },
  randomized: false,
  score(values, params) {
    const n = values.length;
    const { filled, missing } = prepareSeries(values);
    const out = new Float32Array(n);
    const { min, max } = finiteRange(filled);
    if (n < 3 || !(max > min)) return maskMissing(out, missing);
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    for (let i = 0; i < n; i++) re[i] = (filled[i] - min) / (max - min);
    const first = re[0];
    const last = re[n - 1];
    fft(re, im);
    const logAmp = new Float64Array(n);
    for (let k = 0; k < n; k++) logAmp[k] = Math.log(Math.max(Math.sqrt(re[k] * re[k] + im[k] * im[k]), 1e-12));
    const windowAmp = Number(params.spectrumWindow);
    const nFreq = Math.floor(n / 2); // (len(sym) + 1) // 2 with len(sym) = n − 1
    const padLeft = Math.floor((windowAmp - 1) / 2);
    const padded = new Float64Array(nFreq + windowAmp - 1);
    padded.fill(first, 0, padLeft);
    for (let k = 0; k < nFreq; k++) padded[padLeft + k] = logAmp[1 + k];
    padded.fill(last, padLeft + nFreq);
    // 'valid' convolution with a box of windowAmp: nFreq outputs
    const ma = new Float64Array(nFreq);
    let s = 0;
    for (let k = 0; k < windowAmp; k++) s += padded[k];
    for (let k = 0; k < nFreq; k++) {
      ma[k] = s / windowAmp;
      s += padded[k + windowAmp] - padded[k];
    }
    // ma_log_amp = [bias, ma, mirror(ma without its last element when n − 1 is odd)]
    const maLog = new Float64Array(n);
    maLog[0] = logAmp[0];
    maLog.set(ma, 1);
    const mirrored = (n - 1) % 2 === 1 ? nFreq - 1 : nFreq;
    for (let k = 0; k < mirrored; k++) maLog[1 + nFreq + k] = ma[mirrored - 1 - k];
    // exp(log|F| − ma + i·phase) = F · exp(−ma)
    for (let k = 0; k < n; k++) {
      const f = Math.exp(-maLog[k]);
      re[k] *= f;
      im[k] *= f;
    }
    fft(re, im, true);
    for (let i = 0; i < n; i++) out[i] = Math.sqrt(re[i] * re[i] + im[i] * im[i]);
    return maskMissing(out, missing);
  },
};
