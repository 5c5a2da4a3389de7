import { forwardInto } from './fft';
import { unitRoots } from './fft-mixed';

/**
 * DFTs of real series of even length n through one complex DFT of length n/2 (the even samples as
 * real part, the odd ones as imaginary part, split apart afterwards with one twiddle per bin): half
 * the work and memory of a complex transform of length n, and the same exact DFT of length n.
 */

interface RealPlan {
  /** cos and −sin of 2πk/n, k ≤ n/2 */
  cos: Float64Array;
  sin: Float64Array;
  zr: Float64Array;
  zi: Float64Array;
}

const realCache = new Map<number, RealPlan>();

function realPlan(n: number): RealPlan {
  let p = realCache.get(n);
  if (p) return p;
  const h = n / 2;
  const { cos, sin } = unitRoots(n, h + 1);
  p = { cos, sin, zr: new Float64Array(h), zi: new Float64Array(h) };
  if (realCache.size > 8) realCache.clear();
  realCache.set(n, p);
  return p;
}

function checkEven(n: number, what: string): void {
  if (n < 2 || n % 2 !== 0) throw new RangeError(`${what} needs an even length ≥ 2, got ${n}`);
}

/**
 * Bins k = 0 … n/2 of the DFT of the real series x (n = x.length, even) into re and im (length
 * ≥ n/2 + 1); the other bins are their complex conjugates, X_(n−k) = conj(X_k).
 */
export function realForward(x: Float64Array, re: Float64Array, im: Float64Array): void {
  const n = x.length;
  checkEven(n, 'realForward');
  const h = n / 2;
  const { cos, sin, zr, zi } = realPlan(n);
  for (let j = 0; j < h; j++) {
    zr[j] = x[2 * j];
    zi[j] = x[2 * j + 1];
  }
  const [yr, yi] = forwardInto(zr, zi);
  for (let k = 0; k <= h; k++) {
    const a = k === h ? 0 : k;
    const b = k === 0 ? 0 : h - k;
    // E = (Z_k + conj Z_(h−k)) / 2, O = (Z_k − conj Z_(h−k)) / (2i), X_k = E + w^k·O
    const er = (yr[a] + yr[b]) / 2;
    const ei = (yi[a] - yi[b]) / 2;
    const or = (yi[a] + yi[b]) / 2;
    const oi = -(yr[a] - yr[b]) / 2;
    re[k] = er + or * cos[k] - oi * sin[k];
    im[k] = ei + or * sin[k] + oi * cos[k];
  }
}

/**
 * The inverse DFT (with the 1/n factor) of the Hermitian spectrum whose bins 0 … n/2 are given in
 * re and im, written to out (length n, even; Float32Array rounds once at the end): the real series x
 * with realForward(x) = those bins. With `magnitude`, |x| is written instead.
 */
export function realInverse(re: Float64Array, im: Float64Array, out: Float64Array | Float32Array, magnitude = false): void {
  const n = out.length;
  checkEven(n, 'realInverse');
  const h = n / 2;
  const { cos, sin, zr, zi } = realPlan(n);
  for (let k = 0; k < h; k++) {
    const b = h - k;
    // E = (X_k + conj X_(h−k)) / 2, O = (X_k − conj X_(h−k)) / 2 · e^(+2πik/n), Z = E + i·O
    const er = (re[k] + re[b]) / 2;
    const ei = (im[k] - im[b]) / 2;
    const dr = (re[k] - re[b]) / 2;
    const di = (im[k] + im[b]) / 2;
    // multiply by conj(w^k) = cos − i·sin (sin holds −sin(2πk/n))
    const or = dr * cos[k] + di * sin[k];
    const oi = di * cos[k] - dr * sin[k];
    // Z = E + i·O, conjugated so the forward transform computes the inverse
    zr[k] = er - oi;
    zi[k] = -(ei + or);
  }
  const [yr, yi] = forwardInto(zr, zi);
  if (magnitude) {
    for (let j = 0; j < h; j++) {
      out[2 * j] = Math.abs(yr[j] / h);
      out[2 * j + 1] = Math.abs(yi[j] / h);
    }
  } else {
    for (let j = 0; j < h; j++) {
      out[2 * j] = yr[j] / h;
      out[2 * j + 1] = -yi[j] / h;
    }
  }
}
