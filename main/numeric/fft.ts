import { factorize, mixedRadix, mixedRadixInto, nextSmooth } from './fft-mixed';

/**
 * Discrete Fourier transform of any length. Power-of-two lengths use an iterative radix-2 FFT with
 * cached twiddle tables; lengths whose prime factors are at most 13 a mixed-radix Stockham FFT
 * (fft-mixed.ts); every other length Bluestein's chirp-z algorithm (an exact DFT of the original
 * length via a convolution of 5-smooth length), so spectra are never distorted by zero padding.
 */

export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p <<= 1;
  return p;
}

interface Plan {
  /** bit-reversal permutation */
  rev: Uint32Array;
  /** twiddles per stage, contiguous: entry half + k holds e^(−2πik/(2·half)) */
  cos: Float64Array;
  sin: Float64Array;
}

const planCache = new Map<number, Plan>();

function plan(n: number): Plan {
  let p = planCache.get(n);
  if (!p) {
    const rev = new Uint32Array(n);
    let bits = 0;
    while (1 << bits < n) bits++;
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0, v = i; b < bits; b++, v >>= 1) r = (r << 1) | (v & 1);
      rev[i] = r;
    }
    const cos = new Float64Array(Math.max(1, n));
    const sin = new Float64Array(Math.max(1, n));
    for (let half = 1; half < n; half <<= 1) {
      for (let k = 0; k < half; k++) {
        cos[half + k] = Math.cos((Math.PI * k) / half);
        sin[half + k] = -Math.sin((Math.PI * k) / half);
      }
    }
    p = { rev, cos, sin };
    if (planCache.size > 32) planCache.clear();
    planCache.set(n, p);
  }
  return p;
}

/** Forward radix-2 FFT in place (no scaling); n must be a power of two. Exported for hot loops that manage their own buffers. */
export function radix2(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (n < 2) return;
  const { rev, cos, sin } = plan(n);
  for (let i = 0; i < n; i++) {
    const j = rev[i];
    if (i < j) {
      const tr = re[i];
      re[i] = re[j];
      re[j] = tr;
      const ti = im[i];
      im[i] = im[j];
      im[j] = ti;
    }
  }
  // stage of length 2: no multiplications
  for (let i = 0; i < n; i += 2) {
    const ar = re[i];
    const ai = im[i];
    const br = re[i + 1];
    const bi = im[i + 1];
    re[i] = ar + br;
    im[i] = ai + bi;
    re[i + 1] = ar - br;
    im[i + 1] = ai - bi;
  }
  if (n >= 4) {
    // stage of length 4: twiddles 1 and −i
    for (let i = 0; i < n; i += 4) {
      let ar = re[i];
      let ai = im[i];
      let br = re[i + 2];
      let bi = im[i + 2];
      re[i] = ar + br;
      im[i] = ai + bi;
      re[i + 2] = ar - br;
      im[i + 2] = ai - bi;
      ar = re[i + 1];
      ai = im[i + 1];
      // (br + i·bi)·(−i) = bi − i·br
      br = im[i + 3];
      bi = -re[i + 3];
      re[i + 1] = ar + br;
      im[i + 1] = ai + bi;
      re[i + 3] = ar - br;
      im[i + 3] = ai - bi;
    }
  }
  for (let half = 4; half < n; half <<= 1) {
    const len = half << 1;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < half; k++) {
        const a = i + k;
        const b = a + half;
        const wr = cos[half + k];
        const wi = sin[half + k];
        const br = re[b];
        const bi = im[b];
        const xr = br * wr - bi * wi;
        const xi = br * wi + bi * wr;
        const ar = re[a];
        const ai = im[a];
        re[b] = ar - xr;
        im[b] = ai - xi;
        re[a] = ar + xr;
        im[a] = ai + xi;
      }
    }
  }
}

interface Chirp {
  /** w_k = exp(−iπk²/n) */
  wr: Float64Array;
  wi: Float64Array;
  /** FFT of the conjugate chirp, wrapped to the convolution length */
  br: Float64Array;
  bi: Float64Array;
}

const chirpCache = new Map<number, Chirp>();

function chirp(n: number): Chirp {
  let c = chirpCache.get(n);
  if (c) return c;
  const m = nextSmooth(2 * n - 1);
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    // k² mod 2n keeps the angle small, so large k loses no precision
    const ang = (Math.PI * ((k * k) % (2 * n))) / n;
    wr[k] = Math.cos(ang);
    wi[k] = -Math.sin(ang);
  }
  const br = new Float64Array(m);
  const bi = new Float64Array(m);
  br[0] = wr[0];
  bi[0] = -wi[0];
  for (let k = 1; k < n; k++) {
    br[k] = br[m - k] = wr[k];
    bi[k] = bi[m - k] = -wi[k];
  }
  forward(br, bi);
  c = { wr, wi, br, bi };
  if (chirpCache.size > 8) chirpCache.clear();
  chirpCache.set(n, c);
  return c;
}

function bluestein(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  const { wr, wi, br, bi } = chirp(n);
  const m = br.length;
  const ar = new Float64Array(m);
  const ai = new Float64Array(m);
  for (let k = 0; k < n; k++) {
    ar[k] = re[k] * wr[k] - im[k] * wi[k];
    ai[k] = re[k] * wi[k] + im[k] * wr[k];
  }
  forward(ar, ai);
  for (let k = 0; k < m; k++) {
    const r = ar[k] * br[k] - ai[k] * bi[k];
    ai[k] = ar[k] * bi[k] + ai[k] * br[k];
    ar[k] = r;
  }
  // inverse transform of the product via conjugation
  for (let k = 0; k < m; k++) ai[k] = -ai[k];
  forward(ar, ai);
  for (let k = 0; k < n; k++) {
    const r = ar[k] / m;
    const i = -ai[k] / m;
    re[k] = r * wr[k] - i * wi[k];
    im[k] = r * wi[k] + i * wr[k];
  }
}

/**
 * Forward DFT without scaling, any length, leaving the result in (re, im) or in scratch buffers of
 * the same length that are returned (valid until the next transform of that length).
 */
export function forwardInto(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
  const n = re.length;
  if (n > 1 && (n & (n - 1)) !== 0) {
    const radices = factorize(n);
    if (radices) return mixedRadixInto(re, im, radices);
  }
  forward(re, im);
  return [re, im];
}

/** Forward DFT in place, no scaling, any length (the dispatch of fft). */
export function forward(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (n <= 1) return;
  if ((n & (n - 1)) === 0) return radix2(re, im);
  const radices = factorize(n);
  if (radices) mixedRadix(re, im, radices);
  else bluestein(re, im);
}

/**
 * In-place DFT of any length: X_k = Σ x_j·e^(−2πijk/n). With `inverse`, the inverse transform
 * including the 1/n factor (numpy's ifft convention).
 */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (n !== im.length) throw new RangeError(`fft needs equal lengths, got ${n} and ${im.length}`);
  if (n <= 1) return;
  if (inverse) for (let i = 0; i < n; i++) im[i] = -im[i];
  forward(re, im);
  if (inverse) {
    for (let i = 0; i < n; i++) {
      re[i] /= n;
      im[i] = -im[i] / n;
    }
  }
}

/** Mean-removed copy of x[from, to); non-finite values become 0 (the mean) so they add no power. */
function centredSegment(x: ArrayLike<number>, from: number, to: number): Float64Array | null {
  let s = 0;
  let k = 0;
  for (let i = from; i < to; i++) {
    if (Number.isFinite(x[i])) {
      s += x[i];
      k++;
    }
  }
  if (k === 0) return null;
  const m = s / k;
  const out = new Float64Array(to - from);
  for (let i = from; i < to; i++) out[i - from] = Number.isFinite(x[i]) ? x[i] - m : 0;
  return out;
}

/**
 * Power |X_k|² of the mean-removed segment x[from, to) for k = 0 … ⌊L/2⌋ (frequency k/L cycles per
 * point). Non-finite values are treated as the segment mean. Empty for an empty or all-missing segment.
 */
export function powerSpectrum(x: ArrayLike<number>, from = 0, to = x.length): Float64Array {
  const lo = Math.max(0, from);
  const hi = Math.min(x.length, to);
  if (hi <= lo) return new Float64Array(0);
  const re = centredSegment(x, lo, hi);
  if (!re) return new Float64Array(0);
  const im = new Float64Array(re.length);
  fft(re, im);
  const out = new Float64Array((re.length >> 1) + 1);
  for (let k = 0; k < out.length; k++) out[k] = re[k] * re[k] + im[k] * im[k];
  return out;
}

/** Segments shorter than this have too few frequencies for a meaningful period. */
export const MIN_PERIOD_SEGMENT = 8;

/**
 * Period in samples (L / k, not rounded) of the strongest non-DC frequency of x[from, to); null when
 * the segment has fewer than 8 points or is flat (no power above rounding noise).
 */
export function dominantPeriod(x: ArrayLike<number>, from = 0, to = x.length): number | null {
  const lo = Math.max(0, from);
  const hi = Math.min(x.length, to);
  const len = hi - lo;
  if (len < MIN_PERIOD_SEGMENT) return null;
  const re = centredSegment(x, lo, hi);
  if (!re) return null;
  let energy = 0;
  let scale = 0;
  for (let i = lo; i < hi; i++) if (Number.isFinite(x[i])) scale = Math.max(scale, Math.abs(x[i]));
  for (let i = 0; i < len; i++) energy += re[i] * re[i];
  // flat: deviations no larger than floating-point rounding of the values
  if (!(energy > len * (1e-12 * scale) ** 2) || energy === 0) return null;
  const im = new Float64Array(len);
  fft(re, im);
  let best = 0;
  let bestPower = 0;
  for (let k = 1; k <= len >> 1; k++) {
    const p = re[k] * re[k] + im[k] * im[k];
    if (p > bestPower) {
      bestPower = p;
      best = k;
    }
  }
  return best === 0 ? null : len / best;
}
