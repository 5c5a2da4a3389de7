/**
 * The hot loops of the matrix profile (SCAMP diagonal traversal). Every function here is
 * self-contained (it uses only its arguments, Math and the other functions of this file) because
 * their source text also runs on a worker thread (see matrix-profile-parallel.ts).
 */

export function exactCov(t: Float64Array, mu: Float64Array, m: number, i: number, j: number): number {
  let s = 0;
  const a = mu[i];
  const b = mu[j];
  for (let k = 0; k < m; k++) s += (t[i + k] - a) * (t[j + k] - b);
  return s;
}

/** The hot loop, kept small and monomorphic so V8 optimizes it: one diagonal (i, i + k) of the distance matrix. */
export function scanDiagonal(
  k: number,
  len: number,
  m: number,
  t: Float64Array,
  mu: Float64Array,
  df: Float64Array,
  dg: Float64Array,
  invNorm: Float64Array,
  corr: Float64Array,
  index: Int32Array,
): void {
  for (let start = 0; start < len; start += 8192) {
    const stop = Math.min(len, start + 8192);
    // re-anchor every 8192 steps so rounding in the running update cannot accumulate
    let cov = exactCov(t, mu, m, start, start + k);
    for (let i = start; i < stop; i++) {
      const j = i + k;
      if (i > start) cov += df[i] * dg[j] + df[j] * dg[i];
      const c = cov * invNorm[i] * invNorm[j];
      if (c > corr[i]) {
        corr[i] = c;
        index[i] = j;
      }
      if (c > corr[j]) {
        corr[j] = c;
        index[j] = i;
      }
    }
  }
}

/**
 * Four adjacent diagonals k … k+3 in one pass over i: the row-side loads and the row-side maximum
 * are shared, which saves about a third of the memory traffic of four single passes. Covers
 * i < len − 3 (the length of diagonal k+3); the caller finishes the three short tails.
 */
export function scanDiagonals4(
  k: number,
  len: number,
  m: number,
  t: Float64Array,
  mu: Float64Array,
  df: Float64Array,
  dg: Float64Array,
  invNorm: Float64Array,
  corr: Float64Array,
  index: Int32Array,
): void {
  const stopAll = len - 3;
  for (let start = 0; start < stopAll; start += 8192) {
    const stop = Math.min(stopAll, start + 8192);
    let c0 = exactCov(t, mu, m, start, start + k);
    let c1 = exactCov(t, mu, m, start, start + k + 1);
    let c2 = exactCov(t, mu, m, start, start + k + 2);
    let c3 = exactCov(t, mu, m, start, start + k + 3);
    for (let i = start; i < stop; i++) {
      const j = i + k;
      const dfi = df[i];
      const dgi = dg[i];
      if (i > start) {
        c0 += dfi * dg[j] + df[j] * dgi;
        c1 += dfi * dg[j + 1] + df[j + 1] * dgi;
        c2 += dfi * dg[j + 2] + df[j + 2] * dgi;
        c3 += dfi * dg[j + 3] + df[j + 3] * dgi;
      }
      const ni = invNorm[i];
      const r0 = c0 * ni * invNorm[j];
      const r1 = c1 * ni * invNorm[j + 1];
      const r2 = c2 * ni * invNorm[j + 2];
      const r3 = c3 * ni * invNorm[j + 3];
      let best = r0;
      let bj = j;
      if (r1 > best) {
        best = r1;
        bj = j + 1;
      }
      if (r2 > best) {
        best = r2;
        bj = j + 2;
      }
      if (r3 > best) {
        best = r3;
        bj = j + 3;
      }
      if (best > corr[i]) {
        corr[i] = best;
        index[i] = bj;
      }
      if (r0 > corr[j]) {
        corr[j] = r0;
        index[j] = i;
      }
      if (r1 > corr[j + 1]) {
        corr[j + 1] = r1;
        index[j + 1] = i;
      }
      if (r2 > corr[j + 2]) {
        corr[j + 2] = r2;
        index[j + 2] = i;
      }
      if (r3 > corr[j + 3]) {
        corr[j + 3] = r3;
        index[j + 3] = i;
      }
    }
  }
}

/** Cells i ∈ [from, len) of diagonal k, correlations computed exactly (for short tails). */
export function scanTail(
  k: number,
  from: number,
  len: number,
  m: number,
  t: Float64Array,
  mu: Float64Array,
  invNorm: Float64Array,
  corr: Float64Array,
  index: Int32Array,
): void {
  for (let i = Math.max(0, from); i < len; i++) {
    const j = i + k;
    const c = exactCov(t, mu, m, i, j) * invNorm[i] * invNorm[j];
    if (c > corr[i]) {
      corr[i] = c;
      index[i] = j;
    }
    if (c > corr[j]) {
      corr[j] = c;
      index[j] = i;
    }
  }
}

/**
 * Diagonal groups g = first, first + step, … < count of `groups` (each the first of four adjacent
 * diagonals): the cells they cover are folded into corr/index. `tick(work)` is called with the cells
 * done so far about every 5 million cells and at the end; it returns false to stop early (then so
 * does this, returning false).
 */
export function scanGroups(
  groups: Int32Array,
  first: number,
  step: number,
  count: number,
  l: number,
  m: number,
  t: Float64Array,
  mu: Float64Array,
  df: Float64Array,
  dg: Float64Array,
  invNorm: Float64Array,
  corr: Float64Array,
  index: Int32Array,
  tick: (work: number) => boolean,
): boolean {
  let work = 0;
  let nextReport = 0;
  for (let g = first; g < count; g += step) {
    const k = groups[g];
    const len = l - k;
    if (k + 3 < l && len - 3 > 64) {
      scanDiagonals4(k, len, m, t, mu, df, dg, invNorm, corr, index);
      for (let q = 0; q < 3; q++) scanTail(k + q, len - 3, len - q, m, t, mu, invNorm, corr, index);
      work += 4 * len;
    } else {
      for (let q = 0; q < 4 && k + q < l; q++) {
        scanDiagonal(k + q, len - q, m, t, mu, df, dg, invNorm, corr, index);
        work += len - q;
      }
    }
    if (work >= nextReport) {
      nextReport = work + 5_000_000;
      if (!tick(work)) return false;
    }
  }
  return tick(work);
}
