/**
 * TSB-AD's window rule (`find_length_rank`): the autocorrelation of the first ≤ 20,000 points at
 * lags 0…400 (statsmodels `acf`: mean-removed, biased autocovariance / variance), with lags 0–2
 * dropped; the local maxima (strictly greater than both neighbours) are ranked by autocorrelation.
 * rank 1 takes the highest; rank 2 the best one at a longer lag than the highest; rank 3 repeats
 * TSB-AD's (quirky) third step. The result is that lag; it falls back to 125 when the lag is below 6
 * or above 303 (TSB-AD checks the index after dropping three lags against 3..300), when no local
 * maximum exists, or for a flat or too short series.
 */
export const FALLBACK_WINDOW = 125;

export function autocorrelation(x: ArrayLike<number>, maxLag: number): Float64Array {
  const n = x.length;
  let mean = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(x[i])) {
      mean += x[i];
      k++;
    }
  }
  const out = new Float64Array(maxLag + 1).fill(NaN);
  if (k === 0) return out;
  mean /= k;
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) c[i] = Number.isFinite(x[i]) ? x[i] - mean : 0;
  let c0 = 0;
  for (let i = 0; i < n; i++) c0 += c[i] * c[i];
  if (!(c0 > 0)) return out;
  for (let lag = 0; lag <= maxLag && lag < n; lag++) {
    let s = 0;
    for (let i = 0; i + lag < n; i++) s += c[i] * c[i + lag];
    out[lag] = s / c0;
  }
  return out;
}

export function estimatePeriodWindow(x: ArrayLike<number>, rank = 1): number {
  if (rank === 0) return 1;
  const data = Array.prototype.slice.call(x, 0, Math.min(20_000, x.length)) as number[];
  const base = 3;
  const acf = autocorrelation(data, 400);
  const ac = acf.subarray(base);
  const localMax: number[] = [];
  for (let i = 1; i + 1 < ac.length; i++) if (ac[i] > ac[i - 1] && ac[i] > ac[i + 1]) localMax.push(i);
  if (localMax.length === 0) return FALLBACK_WINDOW;
  // positions in localMax, by autocorrelation descending (ties: earlier lag first)
  const ranked = localMax.map((_, p) => p).sort((p, q) => ac[localMax[q]] - ac[localMax[p]] || p - q);
  let chosen = ranked[0];
  if (rank === 2) {
    for (const p of ranked.slice(1)) {
      if (p > ranked[0]) {
        chosen = p;
        break;
      }
    }
  } else if (rank === 3) {
    let idTmp: number | undefined;
    for (const p of ranked.slice(1)) {
      if (p > ranked[0]) {
        idTmp = p;
        break;
      }
    }
    if (idTmp === undefined || idTmp >= ranked.length) return FALLBACK_WINDOW;
    for (const p of ranked.slice(idTmp)) {
      if (p > ranked[idTmp]) {
        chosen = p;
        break;
      }
    }
  }
  const idx = localMax[chosen];
  if (idx < 3 || idx > 300) return FALLBACK_WINDOW;
  return idx + base;
}
