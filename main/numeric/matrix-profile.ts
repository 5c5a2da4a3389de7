import { WorkbenchError } from '../../common/errors';
import { scanAllGroups } from './matrix-profile-parallel';
import { seededRandom } from './random';

export interface MatrixProfileOptions {
  /** neighbours with |i − j| ≤ exclusionZone are ignored (trivial matches); default ceil(m / 4), as in STUMPY */
  exclusionZone?: number;
  /**
   * Share of diagonals (0, 1] to process, in seeded random order (SCRIMP-style anytime mode, in groups of four adjacent diagonals). 1 = exact.
   * With less, every distance is an upper bound of the exact one, converging as the share grows.
   */
  approximate?: number;
  /** seed for the diagonal order of the approximate mode */
  seed?: number;
  progress?: (fraction: number) => void;
  signal?: AbortSignal;
  /**
   * Share the diagonals with one worker thread (same result up to ties in `index`). Default: when the
   * run covers at least PARALLEL_MIN_CELLS distance cells and the machine has two or more cores.
   */
  parallel?: boolean;
}

export interface MatrixProfile {
  /** z-normalized Euclidean distance of subsequence i to its nearest non-trivial neighbour; Infinity when none (or the subsequence has missing values) */
  profile: Float64Array;
  /** index of that neighbour, −1 when none */
  index: Int32Array;
}

/** Mean and population standard deviation of every length-m subsequence (non-finite values read as 0). */
export function slidingMeanStd(x: ArrayLike<number>, m: number): { mean: Float64Array; std: Float64Array } {
  const l = x.length - m + 1;
  const mean = new Float64Array(Math.max(0, l));
  const sd = new Float64Array(Math.max(0, l));
  for (let i = 0; i < l; i++) {
    // exact per-window two-pass sums would be O(n·m); a running sum re-anchored every 1024 steps is accurate and O(n)
    let s = 0;
    if (i % 1024 === 0) {
      for (let k = 0; k < m; k++) s += fin(x[i + k]);
    } else {
      s = mean[i - 1] * m + fin(x[i + m - 1]) - fin(x[i - 1]);
    }
    mean[i] = s / m;
  }
  for (let i = 0; i < l; i++) {
    let ss = 0;
    if (i % 1024 === 0) {
      for (let k = 0; k < m; k++) ss += (fin(x[i + k]) - mean[i]) ** 2;
      sd[i] = ss;
    } else {
      // Σ(x − μ)² updated from the previous window: add the entering and remove the leaving point
      const a = fin(x[i + m - 1]);
      const b = fin(x[i - 1]);
      sd[i] = sd[i - 1] + (a - b) * (a - mean[i] + b - mean[i - 1]);
    }
  }
  for (let i = 0; i < l; i++) sd[i] = Math.sqrt(Math.max(0, sd[i]) / m);
  return { mean, std: sd };
}

function fin(v: number): number {
  return Number.isFinite(v) ? v : 0;
}

/**
 * Exact matrix profile by the SCAMP/SCRIMP diagonal traversal: along each diagonal the centred
 * covariance of subsequences (i, i + k) is updated in O(1), so the whole profile costs O(n²) and
 * O(n) memory. Constant subsequences follow STUMPY: distance 0 between two constant ones, √m between
 * a constant and a non-constant one. Subsequences containing non-finite values get Infinity.
 * Large runs split the diagonals with a worker thread (matrix-profile-parallel.ts).
 */
export function matrixProfile(x: Float64Array, m: number, opts: MatrixProfileOptions = {}): MatrixProfile {
  if (!Number.isInteger(m) || m < 2)
    throw new WorkbenchError('invalid_input', `Matrix profile subsequence length m must be an integer ≥ 2 (got ${m}).`, {
      parameter: 'm',
    });
  const n = x.length;
  if (n < m)
    throw new WorkbenchError('invalid_input', `Matrix profile needs at least m = ${m} points (series has ${n}).`, {
      parameter: 'm',
    });
  const excl = opts.exclusionZone ?? Math.ceil(m / 4);
  if (!Number.isInteger(excl) || excl < 0)
    throw new WorkbenchError('invalid_input', `exclusionZone must be a non-negative integer (got ${excl}).`, {
      parameter: 'exclusionZone',
    });
  const fraction = opts.approximate ?? 1;
  if (!(fraction > 0 && fraction <= 1))
    throw new WorkbenchError('invalid_input', `approximate must be in (0, 1] (got ${fraction}).`, { parameter: 'approximate' });

  const l = n - m + 1;
  const t = new Float64Array(n);
  const badPrefix = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const ok = Number.isFinite(x[i]);
    t[i] = ok ? x[i] : 0;
    badPrefix[i + 1] = badPrefix[i] + (ok ? 0 : 1);
  }
  const { mean: mu, std: sd } = slidingMeanStd(t, m);
  const invNorm = new Float64Array(l);
  const flat = new Uint8Array(l);
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(t[i]));
  const flatTol = 1e-8 * Math.max(scale, 1e-300);
  for (let i = 0; i < l; i++) {
    if (badPrefix[i + m] - badPrefix[i] > 0) invNorm[i] = NaN;
    else if (sd[i] <= flatTol) flat[i] = 1;
    else invNorm[i] = 1 / (sd[i] * Math.sqrt(m));
  }
  // SCAMP update terms: cov(i, j) = cov(i−1, j−1) + df[i]·dg[j] + df[j]·dg[i]
  const df = new Float64Array(l);
  const dg = new Float64Array(l);
  for (let i = 1; i < l; i++) {
    df[i] = (t[i + m - 1] - t[i - 1]) / 2;
    dg[i] = t[i + m - 1] - mu[i] + (t[i - 1] - mu[i - 1]);
  }
  const corr = new Float64Array(l).fill(-Infinity);
  const index = new Int32Array(l).fill(-1);

  // diagonals go in groups of four consecutive ones (one pass each, see scanDiagonals4); the
  // anytime mode takes a seeded random share of the groups
  const groups: number[] = [];
  for (let k = excl + 1; k < l; k += 4) groups.push(k);
  let count = groups.length;
  if (fraction < 1) {
    const rand = seededRandom(opts.seed ?? 0);
    for (let a = groups.length - 1; a > 0; a--) {
      const b = Math.floor(rand() * (a + 1));
      const tmp = groups[a];
      groups[a] = groups[b];
      groups[b] = tmp;
    }
    count = Math.min(groups.length, Math.max(1, Math.ceil(fraction * groups.length)));
  }
  let cellsTotal = 0;
  for (let g = 0; g < count; g++) for (let k = groups[g]; k < Math.min(l, groups[g] + 4); k++) cellsTotal += l - k;
  scanAllGroups(Int32Array.from(groups), count, cellsTotal, { l, m, t, mu, df, dg, invNorm }, corr, index, opts);

  // constant subsequences (their invNorm is 0, so the loop above saw correlation 0 for them)
  let firstFlat = -1;
  let lastFlat = -1;
  for (let i = 0; i < l; i++) {
    if (flat[i]) {
      if (firstFlat < 0) firstFlat = i;
      lastFlat = i;
    }
  }
  if (firstFlat >= 0) {
    for (let i = 0; i < l; i++) {
      if (Number.isNaN(invNorm[i])) continue;
      const flatOutside = firstFlat < i - excl ? firstFlat : lastFlat > i + excl ? lastFlat : -1;
      if (flat[i]) {
        if (flatOutside >= 0) {
          corr[i] = 1;
          index[i] = flatOutside;
        } else if (index[i] >= 0) corr[i] = 0.5;
      } else if (flatOutside >= 0 && corr[i] < 0.5) {
        corr[i] = 0.5;
        index[i] = flatOutside;
      }
    }
  }
  const profile = new Float64Array(l);
  for (let i = 0; i < l; i++) {
    const c = corr[i];
    profile[i] = c === -Infinity || Number.isNaN(invNorm[i]) ? Infinity : Math.sqrt(Math.max(0, 2 * m * (1 - Math.min(1, c))));
    if (profile[i] === Infinity) index[i] = -1;
  }
  opts.progress?.(1);
  return { profile, index };
}
