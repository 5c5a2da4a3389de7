/**
 * The fast paths of the classical detectors against straightforward reference implementations on
 * random data (STUMPY-style "naive" checks): mixed-radix/Bluestein and real FFTs against an O(n²)
 * DFT, SR against the reference's arithmetic with an O(n²) DFT, POLY's chunk moments against a
 * per-block polyfit, the rolling z-score's sorted-window update and MAD selection against sorting
 * each window, and the two-thread matrix profile against the one-thread one.
 */
import { describe, expect, it } from 'vitest';
import { getDetector, validateParams } from '../../../main/detectors';
import { madOfSorted } from '../../../main/detectors/rolling-zscore';
import { fft, mad, matrixProfile, median, polyfit, scaleFloor, std } from '../../../main/numeric';
import { factorize, nextSmooth, unitRoots } from '../../../main/numeric/fft-mixed';
import { MomentFitter } from '../../../main/numeric/poly-moments';
import { realForward, realInverse } from '../../../main/numeric/rfft';
import { seeded } from '../../helpers/random';

/** O(n²) DFT with exactly reduced angles (jk mod n), accurate to about n·ε·max|x|. */
function naiveDft(re: ArrayLike<number>, im: ArrayLike<number>, inverse = false): [Float64Array, Float64Array] {
  const n = re.length;
  const or = new Float64Array(n);
  const oi = new Float64Array(n);
  const sign = inverse ? 1 : -1;
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const a = (sign * 2 * Math.PI * ((j * k) % n)) / n;
      sr += re[j] * Math.cos(a) - im[j] * Math.sin(a);
      si += re[j] * Math.sin(a) + im[j] * Math.cos(a);
    }
    or[k] = inverse ? sr / n : sr;
    oi[k] = inverse ? si / n : si;
  }
  return [or, oi];
}

const run = (id: string, x: Float64Array, raw: Record<string, unknown> = {}) => {
  const d = getDetector(id);
  return d.score(x, validateParams(d, raw));
};

/** max |a − b| / max |b| */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return d / Math.max(s, 1e-300);
}

describe('FFT fast paths', () => {
  it('factorizes smooth lengths and finds 5-smooth convolution lengths', () => {
    expect(factorize(1_000_000)).toEqual([4, 4, 4, 5, 5, 5, 5, 5, 5]);
    expect(factorize(2 * 3 * 7 * 11 * 13)).toEqual([2, 3, 7, 11, 13]);
    expect(factorize(17)).toBeNull();
    for (const n of [1, 7, 97, 1999, 123_457]) {
      const m = nextSmooth(n);
      expect(m).toBeGreaterThanOrEqual(n);
      expect(factorize(m)!.every((r) => r <= 5)).toBe(true);
      for (let v = n; v < m; v++) expect(factorize(v)?.every((r) => r <= 5) ?? false).toBe(false);
    }
  });

  it('unit roots from products of two exact roots are within a few ulp', () => {
    const n = 12_345;
    const { cos, sin } = unitRoots(n, n);
    // the direct formula itself rounds the angle 2πk/n (up to ~9e-16 near 2π): a few ulp either way
    for (let k = 0; k < n; k += 7) {
      expect(Math.abs(cos[k] - Math.cos((2 * Math.PI * k) / n))).toBeLessThan(4e-15);
      expect(Math.abs(sin[k] + Math.sin((2 * Math.PI * k) / n))).toBeLessThan(4e-15);
    }
  });

  it('mixed-radix and Bluestein transforms equal the O(n²) DFT', () => {
    const rnd = seeded(11);
    // 2·3·5·7·11·13 factors, prime powers, and primes above 13 (Bluestein with a 5-smooth convolution)
    for (const n of [6, 10, 15, 45, 49, 121, 169, 250, 360, 1001, 17, 74, 1009]) {
      const re = Float64Array.from({ length: n }, () => rnd() - 0.5);
      const im = Float64Array.from({ length: n }, () => rnd() - 0.5);
      const [er, ei] = naiveDft(re, im);
      const r = Float64Array.from(re);
      const i = Float64Array.from(im);
      fft(r, i);
      // values up to ~√n·0.4; both sides accumulate O(n·ε) rounding, so 1e-11 relative is float noise
      expect(relErr(r, er)).toBeLessThan(1e-11);
      expect(relErr(i, ei)).toBeLessThan(1e-11);
      fft(r, i, true);
      expect(relErr(r, re)).toBeLessThan(1e-12);
      expect(relErr(i, im)).toBeLessThan(1e-12);
    }
  });

  it('real transforms equal the complex DFT of the real series and invert it', () => {
    const rnd = seeded(12);
    for (const n of [2, 4, 10, 30, 98, 250, 2 * 1009]) {
      const x = Float64Array.from({ length: n }, () => rnd() - 0.5);
      const [er, ei] = naiveDft(x, new Float64Array(n));
      const re = new Float64Array(n / 2 + 1);
      const im = new Float64Array(n / 2 + 1);
      realForward(x, re, im);
      expect(relErr(re, er.subarray(0, n / 2 + 1))).toBeLessThan(1e-11);
      expect(relErr(im, ei.subarray(0, n / 2 + 1))).toBeLessThan(1e-11);
      const back = new Float64Array(n);
      realInverse(re, im, back);
      expect(relErr(back, x)).toBeLessThan(1e-12);
    }
    expect(() => realForward(new Float64Array(3), new Float64Array(2), new Float64Array(2))).toThrow(/even length/);
  });
});

/** TSB-AD's SR written out with O(n²) DFTs and the full (complex) spectrum. */
function naiveSr(x: Float64Array, windowAmp: number): Float64Array {
  const n = x.length;
  let min = Infinity;
  let max = -Infinity;
  for (const v of x) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const s = Float64Array.from(x, (v) => (v - min) / (max - min));
  const [re, im] = naiveDft(s, new Float64Array(n));
  const logAmp = Float64Array.from(re, (r, k) => Math.log(Math.max(Math.hypot(r, im[k]), 1e-12)));
  const nFreq = Math.floor(n / 2);
  const padLeft = Math.floor((windowAmp - 1) / 2);
  const padded = [
    ...new Array<number>(padLeft).fill(s[0]),
    ...logAmp.subarray(1, 1 + nFreq),
    ...new Array<number>(windowAmp - 1 - padLeft).fill(s[n - 1]),
  ];
  const ma = Array.from({ length: nFreq }, (_, k) => padded.slice(k, k + windowAmp).reduce((a, b) => a + b, 0) / windowAmp);
  const mirrored = (n - 1) % 2 === 1 ? ma.slice(0, nFreq - 1) : ma;
  const maLog = [logAmp[0], ...ma, ...mirrored.slice().reverse()];
  const f = maLog.map((v) => Math.exp(-v));
  const [yr, yi] = naiveDft(
    re.map((r, k) => r * f[k]),
    im.map((v, k) => v * f[k]),
    true,
  );
  return Float64Array.from(yr, (r, i) => Math.hypot(r, yi[i]));
}

describe('SR fast path', () => {
  it('equals the reference arithmetic (real FFT for even n, complex for odd n)', () => {
    const rnd = seeded(21);
    for (const [n, win] of [
      [400, 100],
      [402, 7],
      [398, 1],
      [401, 100],
      [333, 10],
      [2018, 100],
    ]) {
      const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 6) + 0.5 * rnd());
      x[n >> 2] += 3;
      const fast = run('sr', x, { spectrumWindow: win });
      // scores are Float32 (relative rounding 6e-8); the transforms add ~1e-13
      expect(relErr(fast, naiveSr(x, win))).toBeLessThan(2e-7);
    }
  });
});

/** POLY block by block with polyfit on explicitly gathered points (the reference's structure). */
function naivePoly(x: Float64Array, w: number, power: number): Float64Array {
  const n = x.length;
  const nInitial = Math.min(500, Math.floor(0.1 * n));
  const neighborhood = Math.min(n, Math.max(10 * w, 100));
  const N = Math.floor(n / w);
  const M = Math.ceil(nInitial / w);
  const half = Math.floor(neighborhood / 2);
  const estimate = new Float64Array(n);
  const model = (index: number) => {
    let ranges: [number, number][];
    if (index + half < n && index - half > 0)
      ranges = [
        [index - half, index],
        [index + w, index + half],
      ];
    else if (index + half >= n && index + w < n)
      ranges = [
        [n - neighborhood, index],
        [index + w, n],
      ];
    else if (index + w >= n) ranges = [[n - neighborhood, index]];
    else if (index + w < neighborhood)
      ranges = [
        [0, index],
        [index + w, neighborhood],
      ];
    else
      ranges = [
        [index - half, index],
        [index + w, index + half],
      ];
    const ts: number[] = [];
    for (const [a, b] of ranges) for (let t = Math.max(0, a); t < Math.min(n, b); t++) ts.push(t);
    const lo = Math.min(...ts);
    const hi = Math.max(...ts);
    const centre = (lo + hi) / 2;
    const scale = Math.max(1, (hi - lo) / 2);
    const coef = polyfit(
      ts.map((t) => (t - centre) / scale),
      ts.map((t) => x[t]),
      power,
    );
    return (pos: number) => coef.reduceRight((v, c) => v * ((pos - centre) / scale) + c, 0);
  };
  for (let i = M; i < N; i++) {
    const f = model(i * w);
    const step = w > 1 ? w / (w - 1) : 0;
    for (let k = 0; k < w; k++) estimate[w * i + k] = f(w * i + k * step);
  }
  if (n % N !== 0) {
    const f = model(N * w);
    for (let t = N * w; t < n; t++) estimate[t] = f(t);
  }
  const out = new Float64Array(n);
  for (let i = M; i <= N; i++) {
    const index = i * w;
    const end = i === N ? n : index + w;
    if (end <= index) continue;
    let ss = 0;
    for (let t = index; t < end; t++) ss += (x[t] - estimate[t]) ** 2;
    out.fill(Math.sqrt(ss / (end - index)), index, Math.min(n, index + w));
  }
  return out;
}

describe('POLY fast path', () => {
  it('chunk moments give the same fits as polyfit on the gathered points', () => {
    const rnd = seeded(31);
    const y = Float64Array.from({ length: 3000 }, (_, i) => 5 + Math.sin(i / 40) + rnd());
    for (const [deg, chunk] of [
      [4, 100],
      [2, 7],
      [8, 64],
    ]) {
      const fitter = new MomentFitter(y, deg, chunk);
      for (let trial = 0; trial < 20; trial++) {
        const a0 = Math.floor(rnd() * 2500) - 100;
        const b0 = a0 + 20 + Math.floor(rnd() * 300);
        const a1 = b0 + Math.floor(rnd() * 150);
        const b1 = a1 + Math.floor(rnd() * 300);
        const { coef, centre, scale } = fitter.fit(a0, b0, a1, b1);
        const ts: number[] = [];
        for (const [a, b] of [
          [a0, b0],
          [a1, b1],
        ])
          for (let t = Math.max(0, a); t < Math.min(y.length, b); t++) ts.push(t);
        const ref = polyfit(
          ts.map((t) => (t - centre) / scale),
          ts.map((t) => y[t]),
          deg,
        );
        // same normal equations summed in another order; their conditioning (degree 8 on [−1, 1]
        // about 1e7) turns ~1e-15 differences in the sums into at most ~1e-8 in the coefficients
        const fitted = (c: Float64Array, u: number) => c.reduceRight((v, k) => v * u + k, 0);
        for (const u of [-1, -0.3, 0.2, 1]) expect(Math.abs(fitted(coef, u) - fitted(ref, u))).toBeLessThan(1e-7);
      }
    }
  });

  it('scores equal a per-block polyfit implementation', () => {
    const rnd = seeded(32);
    for (const [n, w, power] of [
      [3000, 100, 4],
      [1010, 100, 4],
      [2345, 17, 3],
      [1500, 150, 8],
      [600, 7, 2],
    ]) {
      const x = Float64Array.from({ length: n }, (_, i) => 3 + Math.sin(i / 15) + 0.3 * rnd());
      x[n >> 1] += 4;
      // Float32 scores (6e-8 relative) on top of fit differences of ~1e-9 (see above)
      expect(relErr(run('poly', x, { window: w, power }), naivePoly(x, w, power))).toBeLessThan(1e-6);
    }
  });
});

describe('rolling z-score fast path', () => {
  it('madOfSorted (with and without a carried split) equals sorting the deviations', () => {
    const rnd = seeded(41);
    const hint = new Int32Array(1);
    for (let trial = 0; trial < 500; trial++) {
      const size = 1 + Math.floor(rnd() * 30);
      const s = Float64Array.from({ length: size }, () => Math.round(rnd() * (trial % 2 ? 5 : 1000))).sort();
      const med = median(s);
      hint[0] = Math.floor(rnd() * 40) - 5;
      expect(madOfSorted(s, size, med, hint)).toBe(mad(s));
      expect(madOfSorted(s, size, med)).toBe(mad(s));
    }
  });

  it('scores equal the median/MAD of each trailing window computed by sorting', () => {
    const rnd = seeded(42);
    for (const [w, ties, gaps] of [
      [3, false, false],
      [10, true, false],
      [51, false, true],
      [100, true, true],
    ] as const) {
      const x = Float64Array.from({ length: 1500 }, (_, i) => {
        const v = Math.sin(i / 20) + rnd();
        if (gaps && i % 89 < 4) return NaN;
        return ties ? Math.round(v * 2) : v;
      });
      const fast = run('rolling-zscore', x, { window: w });
      const floor = scaleFloor(x);
      for (let i = 0; i < x.length; i++) {
        if (!Number.isFinite(x[i])) {
          expect(fast[i]).toBeNaN();
          continue;
        }
        const from = Math.max(0, i - w);
        const finite = Array.from(x.subarray(from, i)).filter(Number.isFinite).length;
        const expected = finite < 3 ? 0 : Math.abs(x[i] - median(x, from, i)) / Math.max(1.4826 * mad(x, from, i), floor);
        // Float32 scores: 6e-8 relative
        expect(Math.abs(fast[i] - expected)).toBeLessThanOrEqual(1e-7 * Math.max(1, expected));
      }
    }
  });

  it('the scale floor is a tenth of the population σ of the finite values', () => {
    const x = Float64Array.from([1, 2, NaN, 4, 8, Infinity]);
    expect(scaleFloor(x)).toBeCloseTo(std(x) / 10, 14);
    expect(scaleFloor(new Float64Array(5).fill(3))).toBe(1e-9);
  });
});

function zDistance(x: Float64Array, m: number, i: number, j: number): number {
  const z = (s: number) => {
    const w = Array.from(x.subarray(s, s + m));
    const mu = w.reduce((a, b) => a + b, 0) / m;
    const sd = Math.sqrt(w.reduce((a, b) => a + (b - mu) ** 2, 0) / m);
    return w.map((v) => (v - mu) / sd);
  };
  const a = z(i);
  const b = z(j);
  return Math.sqrt(a.reduce((acc, v, k) => acc + (v - b[k]) ** 2, 0));
}

describe('matrix profile on two threads', () => {
  it('gives the same profile as one thread, with the worker forced on', () => {
    const rnd = seeded(51);
    const x = Float64Array.from({ length: 1200 }, (_, i) => Math.sin(i / 9) + 0.3 * rnd());
    x[700] += 3;
    x.fill(1, 300, 360);
    x[900] = NaN;
    for (const m of [8, 50]) {
      const one = matrixProfile(x, m, { parallel: false });
      const two = matrixProfile(x, m, { parallel: true });
      // the same cells and the same arithmetic, merged by max: identical values
      expect(Array.from(two.profile)).toEqual(Array.from(one.profile));
      for (let i = 0; i < one.index.length; i++) {
        const j = two.index[i];
        if (one.index[i] === j || two.profile[i] === Infinity || (i + m > 300 && i < 360) || (j + m > 300 && j < 360)) continue;
        // only a tie may pick another neighbour: the one reported is at the profile distance
        expect(zDistance(x, m, i, j)).toBeCloseTo(two.profile[i], 6);
      }
      const approx = matrixProfile(x, m, { parallel: true, approximate: 0.3, seed: 3 });
      const approxOne = matrixProfile(x, m, { parallel: false, approximate: 0.3, seed: 3 });
      expect(Array.from(approx.profile)).toEqual(Array.from(approxOne.profile));
    }
  });

  it('is cancelled from this thread while the worker runs', () => {
    const x = Float64Array.from({ length: 4000 }, (_, i) => Math.sin(i / 7) + ((i * 7919) % 13) / 50);
    const controller = new AbortController();
    let calls = 0;
    expect(() =>
      matrixProfile(x, 20, {
        parallel: true,
        signal: controller.signal,
        progress: () => {
          if (++calls === 2) controller.abort();
        },
      }),
    ).toThrow(/cancelled/);
  });
});
