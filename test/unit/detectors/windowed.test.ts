import { describe, expect, it } from 'vitest';
import { getDetector, validateParams } from '../../../main/detectors';
import { kthAbsDeviation } from '../../../main/detectors/rolling-zscore';
import { meanOverCoveringWindows, placeAtCentres } from '../../../main/detectors/windowing';
import { matrixProfile, symmetricEigen } from '../../../main/numeric';
import { seeded } from '../../helpers/random';

const argmax = (a: ArrayLike<number>) => {
  let best = 0;
  for (let i = 0; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
};

/** Noisy sine of period 40 with a spike at `at`. */
function spiky(n = 2000, at = 1300, seed = 4): Float64Array {
  const rnd = seeded(seed);
  const x = Float64Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * i) / 40) + 0.05 * (rnd() - 0.5));
  x[at] += 3;
  return x;
}

const run = (id: string, x: Float64Array, raw: Record<string, unknown> = {}) => {
  const d = getDetector(id);
  return d.score(x, validateParams(d, raw));
};

describe('window score placement', () => {
  it('places window scores at centres like TSB-AD', () => {
    // w = 4: ceil(3/2) = 2 leading copies, floor(3/2) = 1 trailing
    expect(Array.from(placeAtCentres([1, 2, 3], 4, 6))).toEqual([1, 1, 1, 2, 3, 3]);
  });
  it('averages covering windows with prefix sums (naive check)', () => {
    const rnd = seeded(1);
    const scores = Array.from({ length: 30 }, () => rnd());
    for (const [w, stride] of [
      [5, 1],
      [7, 3],
    ]) {
      const n = (scores.length - 1) * stride + w + 2;
      const fast = meanOverCoveringWindows(scores, w, n, stride);
      for (let t = 0; t < n; t++) {
        const cover = scores.filter((_, k) => k * stride <= t && t < k * stride + w);
        const expected = cover.length ? cover.reduce((a, b) => a + b, 0) / cover.length : 0;
        expect(fast[t]).toBeCloseTo(expected, 6);
      }
    }
  });
});

describe('rolling z-score MAD selection', () => {
  it('k-th absolute deviation equals sorting the deviations', () => {
    const rnd = seeded(9);
    for (let trial = 0; trial < 200; trial++) {
      const size = 1 + Math.floor(rnd() * 20);
      const s = Float64Array.from({ length: size }, () => Math.round(rnd() * 10)).sort();
      const med = size % 2 ? s[size >> 1] : (s[(size >> 1) - 1] + s[size >> 1]) / 2;
      const dev = Array.from(s, (v) => Math.abs(v - med)).sort((a, b) => a - b);
      for (let k = 0; k < size; k++) expect(kthAbsDeviation(s, size, med, k)).toBe(dev[k]);
    }
  });
});

describe('sub-pca', () => {
  it('equals a naive implementation on the explicit window matrix', () => {
    const x = spiky(400, 250);
    const w = 12;
    const fast = run('sub-pca', x, { window: w });
    const N = x.length - w + 1;
    const rows = Array.from({ length: N }, (_, i) => Array.from(x.subarray(i, i + w)));
    const mu = Array.from({ length: w }, (_, a) => rows.reduce((s, r) => s + r[a], 0) / N);
    const sd = mu.map((m, a) => Math.sqrt(rows.reduce((s, r) => s + (r[a] - m) ** 2, 0) / N));
    const z = rows.map((r) => r.map((v, a) => (v - mu[a]) / sd[a]));
    const cov = new Float64Array(w * w);
    for (const r of z) for (let a = 0; a < w; a++) for (let b = 0; b < w; b++) cov[a * w + b] += (r[a] * r[b]) / N;
    const { values, vectors } = symmetricEigen(cov, w);
    const total = values.reduce((a, b) => a + b, 0);
    const axes = Array.from({ length: w }, (_, j) => {
      const v = Array.from(vectors.subarray(j * w, j * w + w));
      const big = v.reduce((bi, e, q) => (Math.abs(e) > Math.abs(v[bi]) ? q : bi), 0);
      return v[big] < 0 ? v.map((e) => -e) : v;
    });
    const win = z.map((r) =>
      axes.reduce((s, v, j) => s + Math.sqrt(r.reduce((q, e, a) => q + (e - v[a]) ** 2, 0)) / (values[j] / total), 0),
    );
    const lead = Math.ceil((w - 1) / 2);
    for (let t = 0; t < x.length; t++) {
      const expected = win[Math.min(N - 1, Math.max(0, t - lead))];
      expect(fast[t] / expected).toBeCloseTo(1, 4);
    }
  });
  it('puts the spike in the top-scored region', () => {
    const s = run('sub-pca', spiky());
    expect(Math.abs(argmax(s) - 1300)).toBeLessThanOrEqual(40);
  });
});

/** Direct DFT (O(n²)) for the SR reference. */
function dft(re: number[], im: number[], inverse: boolean): [number[], number[]] {
  const n = re.length;
  const sign = inverse ? 1 : -1;
  const or: number[] = [];
  const oi: number[] = [];
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const a = (sign * 2 * Math.PI * j * k) / n;
      sr += re[j] * Math.cos(a) - im[j] * Math.sin(a);
      si += re[j] * Math.sin(a) + im[j] * Math.cos(a);
    }
    or.push(inverse ? sr / n : sr);
    oi.push(inverse ? si / n : si);
  }
  return [or, oi];
}

describe('sr', () => {
  it('follows the TSB-AD SR formula (naive DFT reference, odd and even lengths)', () => {
    for (const n of [101, 128, 150]) {
      const x = spiky(n, 60, n);
      const fast = run('sr', x);
      const min = Math.min(...x);
      const max = Math.max(...x);
      const X = Array.from(x, (v) => (v - min) / (max - min));
      const [fr, fi] = dft(X, new Array(n).fill(0), false);
      const logAmp = fr.map((r, k) => Math.log(Math.hypot(r, fi[k])));
      const sym = logAmp.slice(1);
      const freq = sym.slice(0, Math.floor((sym.length + 1) / 2));
      const padded = [...new Array(49).fill(X[0]), ...freq, ...new Array(50).fill(X[n - 1])];
      const ma = freq.map((_, j) => padded.slice(j, j + 100).reduce((a, b) => a + b, 0) / 100);
      const maLog = [logAmp[0], ...ma, ...(sym.length % 2 === 1 ? ma.slice(0, -1) : ma).reverse()];
      const res = logAmp.map((v, k) => v - maLog[k]);
      const phase = fr.map((r, k) => Math.atan2(fi[k], r));
      const [br, bi] = dft(
        res.map((v, k) => Math.exp(v) * Math.cos(phase[k])),
        res.map((v, k) => Math.exp(v) * Math.sin(phase[k])),
        true,
      );
      for (let i = 0; i < n; i++) expect(fast[i] / Math.hypot(br[i], bi[i])).toBeCloseTo(1, 4);
    }
  });
  it('scores the spike highest', () => {
    expect(argmax(run('sr', spiky()))).toBe(1300);
  });
});

describe('poly', () => {
  it('scores the block holding the spike highest and the initial segment 0', () => {
    const x = spiky();
    const s = run('poly', x, { window: 40 });
    const top = argmax(s);
    expect(Math.floor(top / 40)).toBe(Math.floor(1300 / 40));
    // initial segment: min(500, 10 % of 2000) = 200 points
    expect(Array.from(s.subarray(0, 200)).every((v) => v === 0)).toBe(true);
  });
  it('a constant series scores 0', () => {
    expect(run('poly', new Float64Array(1000).fill(2), { window: 20 }).every((v) => Math.abs(v) < 1e-9)).toBe(true);
  });
});

describe('iforest-window', () => {
  it('isolates the window with the spike; seeded and reproducible', () => {
    const x = spiky();
    // all window positions available to every tree: the spike's windows are the easiest to isolate
    const a = run('iforest-window', x, { window: 20, features: 0 });
    expect(Math.abs(argmax(a) - 1300)).toBeLessThanOrEqual(20);
    expect(run('iforest-window', x, { window: 20, features: 0 })).toEqual(a);
    expect(run('iforest-window', x, { window: 20, features: 0, seed: 1 })).not.toEqual(a);
    // features: 0 is the default
    expect(run('iforest-window', x, { window: 20 })).toEqual(a);
  });
});

describe('kmeans', () => {
  it('flags the spike region, with raw and z-normalized windows', () => {
    const x = spiky();
    for (const normalize of [true, false]) {
      const s = run('kmeans', x, { window: 40, normalize });
      expect(Math.abs(argmax(s) - 1300)).toBeLessThanOrEqual(40);
    }
  });
});

describe('matrix-profile detector', () => {
  it('places the profile at ⌊m/2⌋ and fills the edges with its minimum', () => {
    const x = spiky(500, 300);
    const m = 40;
    const s = run('matrix-profile', x, { window: m });
    const { profile } = matrixProfile(x, m);
    const min = Math.min(...profile);
    expect(s[0]).toBeCloseTo(min, 4);
    expect(s[499]).toBeCloseTo(min, 4);
    for (let i = 0; i < profile.length; i += 37) expect(s[20 + i]).toBeCloseTo(profile[i], 4);
    expect(Math.abs(argmax(s) - 300)).toBeLessThanOrEqual(m);
  });
});

/** Brute-force LOF (scikit-learn definitions) for distinct points. */
function naiveLof(points: number[][], k: number): number[] {
  const n = points.length;
  const d = (a: number[], b: number[]) => Math.sqrt(a.reduce((s, v, q) => s + (v - b[q]) ** 2, 0));
  const nn = points.map((p, i) =>
    points
      .map((q, j) => ({ j, dist: d(p, q) }))
      .filter((e) => e.j !== i)
      .sort((a, b) => a.dist - b.dist)
      .slice(0, k),
  );
  const kd = nn.map((l) => l[k - 1].dist);
  const lrd = nn.map((l) => 1 / (l.reduce((s, e) => s + Math.max(kd[e.j], e.dist), 0) / k + 1e-10));
  return Array.from({ length: n }, (_, i) => nn[i].reduce((s, e) => s + lrd[e.j], 0) / k / lrd[i]);
}

describe('lof', () => {
  it('matches brute-force LOF point-wise and on windows', () => {
    const rnd = seeded(21);
    const x = Float64Array.from({ length: 150 }, () => rnd() * 10);
    x[70] = 30;
    const fast1 = run('lof', x, { neighbors: 5 });
    const ref1 = naiveLof(
      Array.from(x, (v) => [v]),
      5,
    );
    for (let i = 0; i < x.length; i++) expect(fast1[i]).toBeCloseTo(ref1[i], 3);
    expect(argmax(fast1)).toBe(70);
    const w = 3;
    const fast3 = run('lof', x, { neighbors: 5, window: w });
    const ref3 = naiveLof(
      Array.from({ length: x.length - w + 1 }, (_, i) => Array.from(x.subarray(i, i + w))),
      5,
    );
    // window i sits at its centre i + 1
    for (let i = 0; i < ref3.length; i++) expect(fast3[i + 1]).toBeCloseTo(ref3[i], 3);
  });
  it('refuses windowed LOF on very long series instead of running for hours', () => {
    expect(() =>
      run(
        'lof',
        new Float64Array(30_000).map((_, i) => Math.sin(i)),
        { window: 10 },
      ),
    ).toThrow(/exceed the limit/);
  });
});

describe('trend-break and period-change', () => {
  it('trend-break peaks where the slope changes', () => {
    const x = Float64Array.from({ length: 1000 }, (_, i) => (i < 600 ? 0.01 * i : 6 - 0.05 * (i - 600)));
    expect(Math.abs(argmax(run('trend-break', x)) - 600)).toBeLessThanOrEqual(12);
  });
  it('period-change flags the stretch with another period', () => {
    const x = Float64Array.from({ length: 3000 }, (_, i) =>
      i >= 1500 && i < 1700 ? Math.sin((2 * Math.PI * i) / 12) : Math.sin((2 * Math.PI * i) / 25),
    );
    const s = run('period-change', x);
    const top = argmax(s);
    expect(top).toBeGreaterThan(1450);
    expect(top).toBeLessThan(1750);
  });
});

describe('kshape', () => {
  it('flags an odd shape among repeated ones', () => {
    const rnd = seeded(8);
    const x = Float64Array.from({ length: 3000 }, (_, i) => Math.sin((2 * Math.PI * i) / 50) + 0.05 * (rnd() - 0.5));
    for (let i = 2000; i < 2050; i++) x[i] = ((i - 2000) / 50) * 2 - 1; // a sawtooth period
    const s = run('kshape', x, { window: 50 });
    expect(Math.abs(argmax(s) - 2025)).toBeLessThanOrEqual(60);
  });
});

describe('bad input', () => {
  it('rejects an explicit window longer than the series, naming the parameter', () => {
    for (const id of ['sub-pca', 'poly', 'kmeans', 'matrix-profile', 'kshape', 'lof', 'iforest-window']) {
      expect(() => run(id, spiky(50, 10), { window: 80 }), id).toThrow(/window/);
    }
  });
  it('±Infinity counts as missing', () => {
    const x = spiky(600, 300);
    x[100] = Infinity;
    x[101] = -Infinity;
    for (const id of ['sub-pca', 'poly', 'sr', 'kmeans', 'matrix-profile', 'lof', 'iforest-window']) {
      const s = run(id, x);
      expect(Number.isNaN(s[100]) && Number.isNaN(s[101]), id).toBe(true);
      expect(Number.isFinite(s[300]), id).toBe(true);
    }
  });
});
