import { WorkbenchError } from '../../common/errors';
import { polyfit } from './linalg';

function checkArgs(window: number, order: number, deriv: number): void {
  if (!Number.isInteger(window) || window < 1 || window % 2 === 0)
    throw new WorkbenchError('invalid_input', `Savitzky–Golay window must be a positive odd integer (got ${window}).`, {
      parameter: 'window',
    });
  if (!Number.isInteger(order) || order < 0 || order >= window)
    throw new WorkbenchError('invalid_input', `Savitzky–Golay order must be an integer in [0, window) (got ${order}).`, {
      parameter: 'order',
    });
  if (!Number.isInteger(deriv) || deriv < 0)
    throw new WorkbenchError('invalid_input', `Savitzky–Golay derivative must be a non-negative integer (got ${deriv}).`, {
      parameter: 'deriv',
    });
}

/**
 * Savitzky–Golay coefficients in dot-product order: the smoothed value (or `deriv`-th derivative,
 * unit sample spacing) at the centre of a window is Σ c[k]·x[centre − h + k], h = (window − 1)/2.
 * Equal to scipy.signal.savgol_coeffs(window, order, deriv, use='dot').
 */
export function savgolCoefficients(window: number, order: number, deriv = 0): Float64Array {
  checkArgs(window, order, deriv);
  const h = (window - 1) / 2;
  const out = new Float64Array(window);
  if (deriv > order) return out;
  // the fit is linear in the data: fitting a unit impulse at k gives coefficient k
  const t = new Float64Array(window);
  for (let k = 0; k < window; k++) t[k] = k - h;
  const y = new Float64Array(window);
  let fact = 1;
  for (let j = 2; j <= deriv; j++) fact *= j;
  for (let k = 0; k < window; k++) {
    y.fill(0);
    y[k] = 1;
    out[k] = polyfit(t, y, order)[deriv] * fact;
  }
  return out;
}

/** deriv-th derivative at t of the polynomial with ascending coefficients c. */
function derivAt(c: Float64Array, deriv: number, t: number): number {
  let v = 0;
  for (let j = c.length - 1; j >= deriv; j--) {
    let f = 1;
    for (let q = 0; q < deriv; q++) f *= j - q;
    v = v * t + c[j] * f;
  }
  return v;
}

/**
 * Savitzky–Golay filter. Edges follow scipy's mode='interp' (its default): the first and last h
 * outputs come from a polynomial of the same order fitted to the first / last `window` samples. A
 * series shorter than the window gets a single polynomial fit over all of it. Non-finite inputs are
 * linearly interpolated before filtering (their outputs stay defined).
 */
export function savgolFilter(x: Float64Array, window: number, order: number, deriv = 0): Float64Array {
  checkArgs(window, order, deriv);
  const n = x.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const v = fillGaps(x);
  const h = (window - 1) / 2;
  const edgeFit = (lo: number, len: number, first: number, last: number) => {
    const t = new Float64Array(len);
    const y = new Float64Array(len);
    const mid = (len - 1) / 2;
    for (let k = 0; k < len; k++) {
      t[k] = k - mid;
      y[k] = v[lo + k];
    }
    const c = polyfit(t, y, Math.min(order, len - 1));
    for (let i = first; i < last; i++) out[i] = derivAt(c, deriv, i - lo - mid);
  };
  if (n < window) {
    edgeFit(0, n, 0, n);
    return out;
  }
  const c = savgolCoefficients(window, order, deriv);
  for (let i = h; i < n - h; i++) {
    let s = 0;
    const base = i - h;
    for (let k = 0; k < window; k++) s += c[k] * v[base + k];
    out[i] = s;
  }
  edgeFit(0, window, 0, h);
  edgeFit(n - window, window, n - h, n);
  return out;
}

/** Copy with non-finite values replaced by linear interpolation between finite neighbours (held flat at the ends; zeros when none). */
export function fillGaps(x: Float64Array): Float64Array {
  const n = x.length;
  const out = Float64Array.from(x);
  let prev = -1;
  for (let i = 0; i <= n; i++) {
    if (i < n && !Number.isFinite(out[i])) continue;
    if (i - prev > 1) {
      const a = prev >= 0 ? out[prev] : i < n ? out[i] : 0;
      const b = i < n ? out[i] : a;
      for (let j = prev + 1; j < i; j++)
        out[j] = prev >= 0 && i < n ? a + ((b - a) * (j - prev)) / (i - prev) : prev >= 0 ? a : b;
    }
    prev = i;
  }
  return out;
}
