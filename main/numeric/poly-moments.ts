import { polyfitFromSums } from './linalg';

/**
 * Least-squares polynomial fits over the union of up to two index ranges of a series, in O(chunks)
 * instead of O(points): the series is cut into chunks of B points aligned at multiples of B, and
 * each chunk's moments Σ r^e·y (r = position − chunk centre, |r| < B/2) are computed once. A fit
 * moves every whole chunk's moments to its own centre with the binomial theorem,
 * Σ (r + δ)^j·y = Σ_e C(j, e)·δ^(j−e)·Σ r^e·y, and sums the partial chunks at the range ends point
 * by point. The normal equations are those of polyfit on positions (t − centre) / scale, with
 * centre and scale the midpoint and half-width of the covered span, as a direct fit would use.
 */
export class MomentFitter {
  private readonly n: number;
  /** chunk moments Σ r^e·y, e ≤ deg, chunk c at c·(deg + 1) */
  private readonly moments: Float64Array;
  /** Σ r^e over one whole chunk, e ≤ 2·deg (the same for every chunk) */
  private readonly unit: Float64Array;
  private readonly binom: Float64Array[];
  private readonly s: Float64Array;
  private readonly r: Float64Array;
  private readonly dp: Float64Array;

  constructor(
    private readonly y: Float64Array,
    private readonly deg: number,
    private readonly chunk: number,
  ) {
    const n = y.length;
    this.n = n;
    const B = chunk;
    const chunks = Math.floor(n / B);
    const k = deg + 1;
    this.moments = new Float64Array(chunks * k);
    const half = (B - 1) / 2;
    for (let c = 0; c < chunks; c++) {
      const base = c * k;
      for (let q = 0; q < B; q++) {
        const r = q - half;
        const v = y[c * B + q];
        let p = v;
        for (let e = 0; e < k; e++) {
          this.moments[base + e] += p;
          p *= r;
        }
      }
    }
    this.unit = new Float64Array(2 * deg + 1);
    for (let q = 0; q < B; q++) {
      let p = 1;
      for (let e = 0; e <= 2 * deg; e++) {
        this.unit[e] += p;
        p *= q - half;
      }
    }
    this.binom = [];
    for (let j = 0; j <= 2 * deg; j++) {
      const row = new Float64Array(j + 1);
      row[0] = 1;
      for (let e = 1; e <= j; e++) row[e] = (row[e - 1] * (j - e + 1)) / e;
      this.binom.push(row);
    }
    this.s = new Float64Array(2 * deg + 1);
    this.r = new Float64Array(deg + 1);
    this.dp = new Float64Array(2 * deg + 1);
  }

  /** Polynomial (ascending coefficients in u = (t − centre) / scale) fitted to y over [a0, b0) ∪ [a1, b1), clipped to the series. */
  fit(a0: number, b0: number, a1: number, b1: number): { coef: Float64Array; centre: number; scale: number } {
    const { n, deg, s, r } = this;
    const lo0 = Math.max(0, a0);
    const hi0 = Math.min(n, b0);
    const lo1 = Math.max(0, a1);
    const hi1 = Math.min(n, b1);
    let lo = Infinity;
    let hi = -Infinity;
    let count = 0;
    if (hi0 > lo0) {
      lo = lo0;
      hi = hi0 - 1;
      count += hi0 - lo0;
    }
    if (hi1 > lo1) {
      lo = Math.min(lo, lo1);
      hi = Math.max(hi, hi1 - 1);
      count += hi1 - lo1;
    }
    if (count === 0) return { coef: new Float64Array(deg + 1), centre: 0, scale: 1 };
    const centre = (lo + hi) / 2;
    const scale = Math.max(1, (hi - lo) / 2);
    s.fill(0);
    r.fill(0);
    if (hi0 > lo0) this.addRange(lo0, hi0, centre);
    if (hi1 > lo1) this.addRange(lo1, hi1, centre);
    // moments in (t − centre) → in u = (t − centre) / scale
    let f = 1;
    for (let j = 0; j <= 2 * deg; j++) {
      s[j] *= f;
      if (j <= deg) r[j] *= f;
      f /= scale;
    }
    return { coef: polyfitFromSums(s, r, count, deg), centre, scale };
  }

  private addRange(from: number, to: number, centre: number): void {
    const B = this.chunk;
    const c0 = Math.ceil(from / B);
    const c1 = Math.floor(to / B);
    if (c1 <= c0) {
      this.addPoints(from, to, centre);
      return;
    }
    this.addPoints(from, c0 * B, centre);
    for (let c = c0; c < c1; c++) this.addChunk(c, centre);
    this.addPoints(c1 * B, to, centre);
  }

  private addPoints(from: number, to: number, centre: number): void {
    const { y, deg, s, r } = this;
    const top = 2 * deg;
    for (let t = from; t < to; t++) {
      const d = t - centre;
      const v = y[t];
      let p = 1;
      for (let j = 0; j <= top; j++) {
        s[j] += p;
        if (j <= deg) r[j] += p * v;
        p *= d;
      }
    }
  }

  private addChunk(c: number, centre: number): void {
    const { deg, s, r, dp, unit, moments, binom } = this;
    const delta = c * this.chunk + (this.chunk - 1) / 2 - centre;
    const top = 2 * deg;
    dp[0] = 1;
    for (let e = 1; e <= top; e++) dp[e] = dp[e - 1] * delta;
    const base = c * (deg + 1);
    for (let j = 0; j <= top; j++) {
      const row = binom[j];
      let sj = 0;
      for (let e = 0; e <= j; e++) sj += row[e] * dp[j - e] * unit[e];
      s[j] += sj;
      if (j <= deg) {
        let rj = 0;
        for (let e = 0; e <= j; e++) rj += row[e] * dp[j - e] * moments[base + e];
        r[j] += rj;
      }
    }
  }
}
