import { describe, expect, it } from 'vitest';
import {
  getDetector,
  intervalsAbove,
  listDetectorInfos,
  listDetectors,
  rankNormalize,
  scoresToIntervals,
  validateParams,
} from '../../../main/detectors';
import { averagePathLength } from '../../../main/detectors/iforest';
import { seeded, sineWithSpikeAndShift } from '../../helpers/random';

const argmax = (a: Float32Array, from = 0, to = a.length) => {
  let best = from;
  for (let i = from; i < to; i++) if (a[i] > a[best]) best = i;
  return best;
};

describe('every registered detector (conformance)', () => {
  const x = sineWithSpikeAndShift();
  for (const d of listDetectors()) {
    it(`${d.id}: one finite score per point, deterministic, manifest defaults valid`, () => {
      const params = validateParams(d, {});
      const a = d.score(x, params);
      expect(a.length).toBe(x.length);
      expect(a.every((v) => Number.isFinite(v))).toBe(true);
      expect(d.score(x, params)).toEqual(a);
      expect(d.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    });

    it(`${d.id}: NaN in, NaN out at missing points; constant and tiny series do not crash`, () => {
      const withGap = Float64Array.from(x);
      withGap.fill(NaN, 100, 120);
      const s = d.score(withGap, validateParams(d, {}));
      expect(Number.isNaN(s[110])).toBe(true);
      expect(Number.isFinite(s[2000])).toBe(true);
      expect(d.score(new Float64Array(500).fill(3), validateParams(d, {})).length).toBe(500);
      expect(d.score(new Float64Array([1]), validateParams(d, {})).length).toBe(1);
    });
  }

  for (const d of listDetectors()) {
    it(`${d.id}: rejects out-of-range and mistyped parameters; same seed, same scores`, () => {
      for (const [key, spec] of Object.entries(d.params)) {
        if (spec.type === 'integer' || spec.type === 'number') {
          if (spec.min !== undefined) expect(() => validateParams(d, { [key]: spec.min! - 1 }), key).toThrow(key);
          expect(() => validateParams(d, { [key]: 'ten' }), key).toThrow(key);
        }
        if (spec.type === 'boolean') expect(() => validateParams(d, { [key]: 1 }), key).toThrow(key);
      }
      if (d.randomized) {
        expect(d.params.seed, `${d.id} is randomized, so it takes a seed`).toBeDefined();
        const short = x.subarray(0, 1500);
        expect(d.score(short, validateParams(d, { seed: 5 }))).toEqual(d.score(short, validateParams(d, { seed: 5 })));
      }
    });

    it(`${d.id}: two-point, all-NaN and ±Infinity-laced series are handled`, () => {
      const params = validateParams(d, {});
      expect(d.score(new Float64Array([1, 2]), params).length).toBe(2);
      const allNaN = d.score(new Float64Array(300).fill(NaN), params);
      expect(allNaN.length).toBe(300);
      expect(allNaN.every((v) => Number.isNaN(v))).toBe(true);
      const inf = Float64Array.from(x.subarray(0, 1000));
      inf[500] = Infinity;
      const s = d.score(inf, params);
      expect(Number.isNaN(s[500])).toBe(true);
      expect(s.every((v, i) => i === 500 || Number.isFinite(v))).toBe(true);
    });
  }

  it('lists manifests with the thresholding parameters for the UI and CLI', () => {
    const infos = listDetectorInfos();
    expect(infos.map((i) => i.id)).toEqual(
      expect.arrayContaining([
        'sub-pca',
        'poly',
        'sr',
        'iforest',
        'iforest-window',
        'kmeans',
        'matrix-profile',
        'kshape',
        'lof',
        'rolling-zscore',
        'level-shift',
        'variance-change',
        'trend-break',
        'period-change',
        'ensemble',
      ]),
    );
    for (const i of infos)
      expect(Object.keys(i.params)).toEqual(expect.arrayContaining(['threshold', 'k', 'minLength', 'mergeGap']));
  });
});

describe('detectors find what they are for', () => {
  const x = sineWithSpikeAndShift();
  it('rolling z-score and SR peak at the spike', () => {
    for (const id of ['rolling-zscore', 'sr']) {
      const d = getDetector(id);
      expect(Math.abs(argmax(d.score(x, validateParams(d, {})), 0, 2900) - 1500), id).toBeLessThanOrEqual(1);
    }
  });

  it('level shift peaks where the level changes', () => {
    const d = getDetector('level-shift');
    expect(Math.abs(argmax(d.score(x, validateParams(d, {}))) - 3000)).toBeLessThanOrEqual(2);
  });

  it('variance change peaks where the spread changes', () => {
    const rnd = seeded(5);
    const y = new Float64Array(2000).map((_, i) => (rnd() - 0.5) * (i >= 1200 ? 10 : 1));
    const d = getDetector('variance-change');
    expect(Math.abs(argmax(d.score(y, validateParams(d, {}))) - 1200)).toBeLessThanOrEqual(15);
  });

  it('isolation forest scores rare values higher and matches a per-point evaluation of the same idea', () => {
    const d = getDetector('iforest');
    const s = d.score(x, validateParams(d, {}));
    expect(argmax(s)).toBe(1500);
    expect(s[1500]).toBeGreaterThan(0.6);
    expect(averagePathLength(256)).toBeCloseTo(10.2444, 3); // c(256) from Liu et al.
    // another seed gives other trees, but the same verdict
    const other = d.score(x, validateParams(d, { seed: 7 }));
    expect(argmax(other)).toBe(1500);
    expect(other).not.toEqual(s);
  });

  it('the ensemble scores the spike above every normal point', () => {
    // its default members are window methods: the spike's neighbours and the level shift (a larger
    // anomaly for them) may outrank the spike point itself, but no point far from both anomalies may
    const d = getDetector('ensemble');
    const s = d.score(x, validateParams(d, {}));
    const normal = Array.from(s).filter((_, i) => Math.abs(i - 1500) > 100 && Math.abs(i - 3000) > 100);
    expect(s[1500]).toBeGreaterThan(Math.max(...normal));
  });
});

describe('parameters and thresholding', () => {
  it('rejects unknown, mistyped and absurd parameters, naming them', () => {
    const d = getDetector('rolling-zscore');
    expect(() => validateParams(d, { window: -5 })).toThrow(/window .* at least 3/);
    expect(() => validateParams(d, { window: 10.5 })).toThrow(/whole number/);
    expect(() => validateParams(d, { windw: 10 })).toThrow(/no parameter "windw"/);
    expect(() => validateParams(d, { k: 0 })).toThrow(/k .* at least/);
    expect(() => validateParams(d, { threshold: 'magic' })).toThrow(/one of sigma, quantile, top-k/);
    expect(() => getDetector('series2graph')).toThrow(/No detector/);
  });

  it('turns scores into intervals by k·σ, quantile or top-k, with merge gap and minimum length', () => {
    const s = new Float32Array(100);
    s.fill(10, 10, 13);
    s.fill(10, 15, 17);
    s.fill(5, 50, 51);
    expect(intervalsAbove(s, 1)).toEqual([
      { start: 10, end: 13, score: 10 },
      { start: 15, end: 17, score: 10 },
      { start: 50, end: 51, score: 5 },
    ]);
    expect(intervalsAbove(s, 1, 2, 3)).toEqual([{ start: 10, end: 17, score: 10 }]);
    expect(scoresToIntervals(s, { threshold: 'top-k', k: 1, minLength: 1, mergeGap: 0 })).toEqual([
      { start: 10, end: 13, score: 10 },
    ]);
    expect(
      scoresToIntervals(s, { threshold: 'quantile', contamination: 0.02, minLength: 1, mergeGap: 0 }).length,
    ).toBeGreaterThan(0);
    expect(scoresToIntervals(new Float32Array(10).fill(2), { threshold: 'sigma', k: 3 })).toEqual([]);
  });

  it('rank-normalizes with shared ranks for ties and keeps NaN', () => {
    expect(Array.from(rankNormalize(Float32Array.from([5, 1, 5, NaN, 3])))).toEqual([
      0.8333333134651184,
      0,
      0.8333333134651184,
      NaN,
      0.3333333432674408,
    ]);
  });
});

describe('rolling z-score against a naive reference', () => {
  it('matches |x − median| / (1.4826·MAD) of the previous `window` points, recomputed from scratch', () => {
    const rnd = seeded(11);
    const x = new Float64Array(600).map(() => Math.round(rnd() * 50) / 10);
    x[300] = NaN;
    const w = 25;
    const d = getDetector('rolling-zscore');
    const fast = d.score(x, validateParams(d, { window: w }));
    let sum = 0;
    let sumSq = 0;
    let cnt = 0;
    for (const v of x) {
      if (!Number.isFinite(v)) continue;
      sum += v;
      sumSq += v * v;
      cnt++;
    }
    const floor = Math.sqrt(sumSq / cnt - (sum / cnt) ** 2) / 10;
    const q = (s: number[], p: number) => {
      const pos = p * (s.length - 1);
      const i = Math.floor(pos);
      return i + 1 < s.length ? s[i] + (pos - i) * (s[i + 1] - s[i]) : s[i];
    };
    for (let i = 0; i < x.length; i++) {
      const win = Array.from(x.slice(Math.max(0, i - w), i))
        .filter(Number.isFinite)
        .sort((a, b) => a - b);
      const expected = !Number.isFinite(x[i])
        ? NaN
        : win.length < 3
          ? 0
          : Math.abs(x[i] - q(win, 0.5)) /
            Math.max(
              1.4826 *
                q(
                  win.map((v) => Math.abs(v - q(win, 0.5))).sort((a, b) => a - b),
                  0.5,
                ),
              floor,
            );
      if (Number.isNaN(expected)) expect(Number.isNaN(fast[i])).toBe(true);
      else expect(fast[i], `point ${i}`).toBeCloseTo(expected, 4);
    }
  });
});
