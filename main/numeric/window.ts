// PROVISIONAL (lead): minimal TSB-AD-style period window until main/numeric lands in full.
/** Window length: the autocorrelation period of the first ≤ 20,000 points (lags 3..400) plus 3, else 125. */
export function estimatePeriodWindow(x: Float64Array): number {
  const n = Math.min(x.length, 20_000);
  let mean = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(x[i])) {
      mean += x[i];
      count++;
    }
  }
  if (count < 10) return 125;
  mean /= count;
  let var0 = 0;
  for (let i = 0; i < n; i++) if (Number.isFinite(x[i])) var0 += (x[i] - mean) ** 2;
  if (var0 === 0) return 125;
  const maxLag = Math.min(400, Math.floor(n / 2));
  const acf = new Float64Array(maxLag + 1);
  for (let lag = 1; lag <= maxLag; lag++) {
    let s = 0;
    for (let i = 0; i + lag < n; i++) {
      const a = x[i];
      const b = x[i + lag];
      if (Number.isFinite(a) && Number.isFinite(b)) s += (a - mean) * (b - mean);
    }
    acf[lag] = s / var0;
  }
  let best = -1;
  let bestVal = -Infinity;
  for (let lag = 3; lag < maxLag; lag++) {
    if (acf[lag] > acf[lag - 1] && acf[lag] >= acf[lag + 1] && acf[lag] > bestVal) {
      bestVal = acf[lag];
      best = lag;
    }
  }
  const w = best + 3;
  return best < 0 || w < 3 || w > 300 ? 125 : w;
}
