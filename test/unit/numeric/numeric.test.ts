import { describe, expect, it } from 'vitest';
import {
  dominantPeriod,
  estimatePeriodWindow,
  fft,
  mad,
  matrixProfile,
  mean,
  median,
  powerSpectrum,
  quantile,
  savgolCoefficients,
  savgolFilter,
  std,
  symmetricEigen,
  zscores,
} from '../../../main/numeric';
import { seeded } from '../../helpers/random';

describe('stats', () => {
  const x = [1, NaN, 2, 3, Infinity, 10];
  it('skips non-finite values', () => {
    expect(mean(x)).toBe(4);
    expect(std([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2);
    expect(median(x)).toBe(2.5);
    // |1,2,3,10 − 2.5| = 1.5, 0.5, 0.5, 7.5 → median 1
    expect(mad(x)).toBe(1);
    expect(mean([NaN])).toBeNaN();
    expect(median([])).toBeNaN();
  });
  it('respects [from, to)', () => {
    expect(mean([1, 2, 3, 4], 1, 3)).toBe(2.5);
    expect(median([9, 1, 2, 3, 9], 1, 4)).toBe(2);
  });
  it('quantile interpolates like numpy', () => {
    // numpy.quantile([1, 2, 3, 4], 0.1) = 1.3
    expect(quantile([4, 1, NaN, 3, 2], 0.1)).toBeCloseTo(1.3, 12);
    expect(quantile([5], 0.7)).toBe(5);
  });
  it('zscores', () => {
    const z = zscores(Float64Array.from([1, 3, NaN]));
    expect(Array.from(z.subarray(0, 2))).toEqual([-1, 1]);
    expect(z[2]).toBeNaN();
    expect(Array.from(zscores(Float64Array.from([2, 2])))).toEqual([0, 0]);
  });
});

function naiveDft(re: number[], im: number[]) {
  const n = re.length;
  const or: number[] = [];
  const oi: number[] = [];
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const a = (-2 * Math.PI * j * k) / n;
      sr += re[j] * Math.cos(a) - im[j] * Math.sin(a);
      si += re[j] * Math.sin(a) + im[j] * Math.cos(a);
    }
    or.push(sr);
    oi.push(si);
  }
  return [or, oi];
}

describe('fft', () => {
  it('matches a naive DFT for power-of-two and other lengths (Bluestein)', () => {
    const rnd = seeded(1);
    for (const n of [1, 2, 3, 5, 8, 12, 17, 31, 64, 97, 100]) {
      const re = Array.from({ length: n }, () => rnd() - 0.5);
      const im = Array.from({ length: n }, () => rnd() - 0.5);
      const [er, ei] = naiveDft(re, im);
      const r = Float64Array.from(re);
      const i = Float64Array.from(im);
      fft(r, i);
      for (let k = 0; k < n; k++) {
        expect(r[k]).toBeCloseTo(er[k], 9);
        expect(i[k]).toBeCloseTo(ei[k], 9);
      }
      fft(r, i, true);
      for (let k = 0; k < n; k++) {
        expect(r[k]).toBeCloseTo(re[k], 9);
        expect(i[k]).toBeCloseTo(im[k], 9);
      }
    }
  });

  it('power spectrum of a pure sine peaks at its frequency; dominant period', () => {
    const x = Float64Array.from({ length: 200 }, (_, i) => 5 + Math.sin((2 * Math.PI * i) / 25));
    const p = powerSpectrum(x);
    expect(p.length).toBe(101);
    expect(p[0]).toBeCloseTo(0, 9);
    // amplitude 1 sine, n = 200: |X_8| = n/2 = 100
    expect(p[8]).toBeCloseTo(100 * 100, 6);
    expect(dominantPeriod(x)).toBeCloseTo(25, 9);
    expect(dominantPeriod(x, 0, 100)).toBeCloseTo(25, 9);
    expect(dominantPeriod(new Float64Array(50).fill(0.1))).toBeNull();
    expect(dominantPeriod(x, 0, 5)).toBeNull();
    const gap = Float64Array.from(x);
    gap[10] = NaN;
    expect(dominantPeriod(gap)).toBeCloseTo(25, 6);
  });
});

describe('savgol', () => {
  it('known coefficients (scipy savgol_coeffs use=dot)', () => {
    const c = savgolCoefficients(5, 2);
    [-3, 12, 17, 12, -3].forEach((v, k) => expect(c[k]).toBeCloseTo(v / 35, 12));
    const d = savgolCoefficients(5, 2, 1);
    [-2, -1, 0, 1, 2].forEach((v, k) => expect(d[k]).toBeCloseTo(v / 10, 12));
  });
  it('reproduces a polynomial of the filter order exactly, edges included (mode interp)', () => {
    const x = Float64Array.from({ length: 40 }, (_, i) => 0.5 * i * i - 3 * i + 2);
    const s = savgolFilter(x, 7, 2);
    const g = savgolFilter(x, 7, 2, 1);
    for (let i = 0; i < x.length; i++) {
      expect(s[i]).toBeCloseTo(x[i], 8);
      expect(g[i]).toBeCloseTo(i - 3, 8);
    }
  });
  it('rejects even windows and too high orders', () => {
    expect(() => savgolCoefficients(4, 2)).toThrow(/odd/);
    expect(() => savgolFilter(new Float64Array(10), 5, 5)).toThrow(/order/);
  });
});

/** O(n²·m) reference: z-normalized distances with STUMPY's constant-subsequence rules. */
function naiveProfile(x: Float64Array, m: number, excl: number) {
  const l = x.length - m + 1;
  const z: (Float64Array | null)[] = [];
  const flat: boolean[] = [];
  for (let i = 0; i < l; i++) {
    const w = x.subarray(i, i + m);
    if (w.some((v) => !Number.isFinite(v))) {
      z.push(null);
      flat.push(false);
      continue;
    }
    const mu = w.reduce((a, b) => a + b, 0) / m;
    const sd = Math.sqrt(w.reduce((a, b) => a + (b - mu) ** 2, 0) / m);
    flat.push(sd < 1e-8);
    z.push(w.map((v) => (sd < 1e-8 ? 0 : (v - mu) / sd)));
  }
  const profile = new Float64Array(l).fill(Infinity);
  for (let i = 0; i < l; i++) {
    if (!z[i]) continue;
    for (let j = 0; j < l; j++) {
      if (Math.abs(i - j) <= excl || !z[j]) continue;
      let d: number;
      if (flat[i] && flat[j]) d = 0;
      else if (flat[i] || flat[j]) d = Math.sqrt(m);
      else {
        let s = 0;
        for (let k = 0; k < m; k++) s += (z[i]![k] - z[j]![k]) ** 2;
        d = Math.sqrt(s);
      }
      if (d < profile[i]) profile[i] = d;
    }
  }
  return profile;
}

describe('matrixProfile', () => {
  const rnd = seeded(7);
  const x = Float64Array.from({ length: 300 }, (_, i) => Math.sin(i / 5) + 0.3 * (rnd() - 0.5));
  x[150] += 3;

  it('equals the naive O(n²·m) reference', () => {
    for (const m of [4, 16, 33]) {
      const { profile, index } = matrixProfile(x, m);
      const ref = naiveProfile(x, m, Math.ceil(m / 4));
      for (let i = 0; i < ref.length; i++) expect(profile[i]).toBeCloseTo(ref[i], 6);
      // the reported neighbour really is at that distance
      const j = index[10];
      expect(Math.abs(j - 10)).toBeGreaterThan(Math.ceil(m / 4));
    }
  });

  it('handles constant stretches and missing values like STUMPY', () => {
    const y = Float64Array.from(x);
    y.fill(2, 40, 80);
    y.fill(2, 200, 240);
    y[120] = NaN;
    const { profile } = matrixProfile(y, 10);
    const ref = naiveProfile(y, 10, 3);
    for (let i = 0; i < ref.length; i++) {
      if (ref[i] === Infinity) expect(profile[i]).toBe(Infinity);
      else expect(profile[i]).toBeCloseTo(ref[i], 6);
    }
    expect(profile[120]).toBe(Infinity);
  });

  it('the discord is at the injected spike', () => {
    const { profile } = matrixProfile(x, 20);
    let best = 0;
    for (let i = 0; i < profile.length; i++) if (profile[i] > profile[best]) best = i;
    expect(best).toBeGreaterThan(150 - 20);
    expect(best).toBeLessThanOrEqual(150);
  });

  it('approximate mode gives upper bounds that are exact at fraction 1', () => {
    const exact = matrixProfile(x, 16).profile;
    const approx = matrixProfile(x, 16, { approximate: 0.2, seed: 3 }).profile;
    for (let i = 0; i < exact.length; i++) expect(approx[i]).toBeGreaterThanOrEqual(exact[i] - 1e-9);
    expect(matrixProfile(x, 16, { approximate: 0.2, seed: 3 }).profile).toEqual(approx);
  });

  it('rejects bad arguments', () => {
    expect(() => matrixProfile(x, 1)).toThrow(/m must/);
    expect(() => matrixProfile(new Float64Array(5), 10)).toThrow(/at least/);
    expect(() => matrixProfile(x, 10, { approximate: 0 })).toThrow(/approximate/);
  });

  it('cancels', () => {
    const ac = new AbortController();
    ac.abort();
    expect(() => matrixProfile(x, 10, { signal: ac.signal })).toThrow(/cancelled/);
  });
});

describe('estimatePeriodWindow (find_length_rank)', () => {
  it('finds the period of a noisy sine', () => {
    const rnd = seeded(2);
    const x = Float64Array.from({ length: 3000 }, (_, i) => Math.sin((2 * Math.PI * i) / 50) + 0.1 * (rnd() - 0.5));
    expect(estimatePeriodWindow(x)).toBe(50);
    // rank 2: best local maximum at a longer lag than the best one (2 periods)
    expect(estimatePeriodWindow(x, 2)).toBe(100);
  });
  it('falls back to 125 for flat, short or out-of-range periods', () => {
    expect(estimatePeriodWindow(new Float64Array(1000).fill(1))).toBe(125);
    expect(estimatePeriodWindow(new Float64Array([1, 2]))).toBe(125);
    // period 4: the lag-4 peak is dropped with lags < 6, next peaks at 8, 12… are below index 3 + 3
    const fast = Float64Array.from({ length: 2000 }, (_, i) => Math.sin((2 * Math.PI * i) / 350));
    expect(estimatePeriodWindow(fast)).toBe(125);
  });
});

describe('symmetricEigen', () => {
  it('decomposes a known matrix', () => {
    // [[2,1],[1,2]] → 3 with (1,1)/√2, 1 with (1,−1)/√2
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[0])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[2] * vectors[3]).toBeCloseTo(-0.5, 12);
  });
});
