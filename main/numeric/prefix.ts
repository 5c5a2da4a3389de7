/**
 * Prefix sums of x, x² and the count of finite values, so the mean and variance of any window cost
 * O(1). Missing values (NaN) are left out of every window that contains them.
 */
export class WindowStats {
  private readonly s1: Float64Array;
  private readonly s2: Float64Array;
  private readonly cnt: Float64Array;

  constructor(x: Float64Array) {
    const n = x.length;
    this.s1 = new Float64Array(n + 1);
    this.s2 = new Float64Array(n + 1);
    this.cnt = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      const v = x[i];
      const ok = Number.isFinite(v);
      this.s1[i + 1] = this.s1[i] + (ok ? v : 0);
      this.s2[i + 1] = this.s2[i] + (ok ? v * v : 0);
      this.cnt[i + 1] = this.cnt[i] + (ok ? 1 : 0);
    }
  }

  count(lo: number, hi: number): number {
    return this.cnt[hi] - this.cnt[lo];
  }

  mean(lo: number, hi: number): number {
    const c = this.count(lo, hi);
    return c > 0 ? (this.s1[hi] - this.s1[lo]) / c : NaN;
  }

  /** population variance over [lo, hi) */
  variance(lo: number, hi: number): number {
    const c = this.count(lo, hi);
    if (c === 0) return NaN;
    const m = (this.s1[hi] - this.s1[lo]) / c;
    return Math.max(0, (this.s2[hi] - this.s2[lo]) / c - m * m);
  }
}

/**
 * A floor for local scales: a tenth of the whole series' standard deviation (1e-9 for a constant
 * series). Dividing by a local spread of exactly 0, as in a flat stretch, would otherwise turn any
 * change into an infinite score that drowns every other score.
 */
export function scaleFloor(x: Float64Array): number {
  // two passes over the finite values (no prefix arrays: this runs once per detector call on long series)
  let sum = 0;
  let count = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isFinite(v)) {
      sum += v;
      count++;
    }
  }
  if (count === 0) return 1e-9;
  const mean = sum / count;
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isFinite(v)) ss += (v - mean) * (v - mean);
  }
  const sd = Math.sqrt(ss / count);
  return Number.isFinite(sd) && sd > 0 ? sd / 10 : 1e-9;
}
