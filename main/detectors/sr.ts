import { fft } from '../numeric/fft';
import { realForward, realInverse } from '../numeric/rfft';
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
 * The averaged log spectrum is symmetric (bin n − k equals bin k), so the scaled spectrum stays
 * Hermitian and the saliency is the magnitude of a real series: even lengths use real DFTs of half
 * the size (saliencyReal), odd ones the complex form (saliencyComplex, the reference's arithmetic).
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
    const windowAmp = Number(params.spectrumWindow);
    const scaled = new Float64Array(n);
    for (let i = 0; i < n; i++) scaled[i] = (filled[i] - min) / (max - min);
    if (n % 2 === 0) saliencyReal(scaled, windowAmp, out);
    else saliencyComplex(scaled, windowAmp, out);
    return maskMissing(out, missing);
  },
};

/**
 * The moving average of the log amplitude over bins 1 … ⌊n/2⌋ ('valid' box filter of windowAmp
 * over the bins padded with `first` and `last`), as TSB-AD computes it: ma[k − 1] belongs to bin k.
 */
function averagedLogAmplitude(logAmp: Float64Array, n: number, windowAmp: number, first: number, last: number): Float64Array {
  const nFreq = Math.floor(n / 2); // (len(sym) + 1) // 2 with len(sym) = n − 1
  const padLeft = Math.floor((windowAmp - 1) / 2);
  const padded = new Float64Array(nFreq + windowAmp - 1);
  padded.fill(first, 0, padLeft);
  for (let k = 0; k < nFreq; k++) padded[padLeft + k] = logAmp[1 + k];
  padded.fill(last, padLeft + nFreq);
  const ma = new Float64Array(nFreq);
  let s = 0;
  for (let k = 0; k < windowAmp; k++) s += padded[k];
  for (let k = 0; k < nFreq; k++) {
    ma[k] = s / windowAmp;
    s += padded[k + windowAmp] - padded[k];
  }
  return ma;
}

function logAbs(re: number, im: number): number {
  return Math.log(Math.max(Math.sqrt(re * re + im * im), 1e-12));
}

/** Even n: bins 0 … n/2 only (the rest mirror them), inverse by a real DFT; |x| is the saliency. */
function saliencyReal(scaled: Float64Array, windowAmp: number, out: Float32Array): void {
  const n = scaled.length;
  const h = n / 2;
  const re = new Float64Array(h + 1);
  const im = new Float64Array(h + 1);
  realForward(scaled, re, im);
  const logAmp = new Float64Array(h + 1);
  for (let k = 0; k <= h; k++) logAmp[k] = logAbs(re[k], im[k]);
  const ma = averagedLogAmplitude(logAmp, n, windowAmp, scaled[0], scaled[n - 1]);
  // exp(log|F| − ma + i·phase) = F · exp(−ma); bin 0 keeps its own log amplitude (factor 1/|F_0|)
  const f0 = Math.exp(-logAmp[0]);
  re[0] *= f0;
  im[0] *= f0;
  for (let k = 1; k <= h; k++) {
    const f = Math.exp(-ma[k - 1]);
    re[k] *= f;
    im[k] *= f;
  }
  realInverse(re, im, out, true);
}

/** Any n, as the reference: a complex DFT of length n and the magnitude of the complex inverse. */
function saliencyComplex(scaled: Float64Array, windowAmp: number, out: Float32Array): void {
  const n = scaled.length;
  const re = Float64Array.from(scaled);
  const im = new Float64Array(n);
  fft(re, im);
  const logAmp = new Float64Array(n);
  for (let k = 0; k < n; k++) logAmp[k] = logAbs(re[k], im[k]);
  const ma = averagedLogAmplitude(logAmp, n, windowAmp, scaled[0], scaled[n - 1]);
  const nFreq = ma.length;
  // ma_log_amp = [bias, ma, mirror(ma without its last element when n − 1 is odd)]
  const maLog = new Float64Array(n);
  maLog[0] = logAmp[0];
  maLog.set(ma, 1);
  const mirrored = (n - 1) % 2 === 1 ? nFreq - 1 : nFreq;
  for (let k = 0; k < mirrored; k++) maLog[1 + nFreq + k] = ma[mirrored - 1 - k];
  for (let k = 0; k < n; k++) {
    const f = Math.exp(-maLog[k]);
    re[k] *= f;
    im[k] *= f;
  }
  fft(re, im, true);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(re[i] * re[i] + im[i] * im[i]);
}
