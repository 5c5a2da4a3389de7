/**
 * NaN-aware descriptive statistics over x[from, to). Non-finite values (NaN, ±Infinity) are skipped;
 * a range with no finite value gives NaN.
 */

function bounds(x: ArrayLike<number>, from?: number, to?: number): [number, number] {
  const lo = Math.max(0, Math.floor(from ?? 0));
  const hi = Math.min(x.length, Math.floor(to ?? x.length));
  return [lo, Math.max(lo, hi)];
}

/** The finite values of x[from, to), sorted ascending. */
export function sortedFinite(x: ArrayLike<number>, from?: number, to?: number): Float64Array {
  const [lo, hi] = bounds(x, from, to);
  const out = new Float64Array(hi - lo);
  let k = 0;
  for (let i = lo; i < hi; i++) {
    const v = x[i];
    if (Number.isFinite(v)) out[k++] = v;
  }
  return out.subarray(0, k).sort();
}

export function mean(x: ArrayLike<number>, from?: number, to?: number): number {
  const [lo, hi] = bounds(x, from, to);
  let s = 0;
  let k = 0;
  for (let i = lo; i < hi; i++) {
    const v = x[i];
    if (Number.isFinite(v)) {
      s += v;
      k++;
    }
  }
  return k > 0 ? s / k : NaN;
}

/** Population standard deviation (divides by the count), two-pass for accuracy. */
export function std(x: ArrayLike<number>, from?: number, to?: number): number {
  const m = mean(x, from, to);
  if (Number.isNaN(m)) return NaN;
  const [lo, hi] = bounds(x, from, to);
  let s = 0;
  let k = 0;
  for (let i = lo; i < hi; i++) {
    const v = x[i];
    if (Number.isFinite(v)) {
      s += (v - m) * (v - m);
      k++;
    }
  }
  return Math.sqrt(s / k);
}

/** Quantile q ∈ [0, 1] of already sorted values, linear interpolation (numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = Math.min(1, Math.max(0, q)) * (n - 1);
  const i = Math.floor(pos);
  return i + 1 < n ? sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]) : sorted[n - 1];
}

export function median(x: ArrayLike<number>, from?: number, to?: number): number {
  return quantileSorted(sortedFinite(x, from, to), 0.5);
}

/** Raw median absolute deviation (not scaled by 1.4826). */
export function mad(x: ArrayLike<number>, from?: number, to?: number): number {
  const s = sortedFinite(x, from, to);
  if (s.length === 0) return NaN;
  const med = quantileSorted(s, 0.5);
  for (let i = 0; i < s.length; i++) s[i] = Math.abs(s[i] - med);
  return quantileSorted(s.sort(), 0.5);
}

/** Quantile with linear interpolation like numpy's default; NaN-skipping; q outside [0, 1] is clamped. */
export function quantile(x: ArrayLike<number>, q: number): number {
  return quantileSorted(sortedFinite(x), q);
}

/** (x − mean) / std over the finite values; NaN stays NaN; a constant series gives zeros. */
export function zscores(x: Float64Array): Float64Array {
  const m = mean(x);
  const s = std(x);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = !Number.isFinite(v) ? NaN : s > 0 ? (v - m) / s : 0;
  }
  return out;
}

/** Min and max of the finite values (NaN, NaN when none). */
export function finiteRange(x: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // NaN fails both comparisons; infinities are excluded explicitly
  if (min === -Infinity || max === Infinity) {
    min = Infinity;
    max = -Infinity;
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (!Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return min <= max ? { min, max } : { min: NaN, max: NaN };
}
