import { describe, expect, it } from 'vitest';
import { eventF1, eventF1Binary, paF1, paF1Binary, rangeF1, rangePRF, sweptMetrics } from '../../../main/evaluation';
import { eventF1PA, pointAdjustedF1, rangeF1Binary, sweep } from './tsb-ad-port';

const bits = (s: string) => Uint8Array.from(s.split('').map(Number));
const spike = (n: number, at: number, value = 9) => Array.from({ length: n }, (_, i) => (i === at ? value : 0));

function rng(seed: number): () => number {
  return () => (seed = (seed * 16807) % 2147483647) / 2147483647;
}

describe('PA-F1', () => {
  it('credits a whole event when one of its points is flagged', () => {
    // threshold 0 flags only point 4 → adjusted 2..5: TP 4, FP 0, FN 0 → 1
    expect(paF1(spike(10, 4), bits('0011110000'))).toBeCloseTo(1, 12);
    // binary: event 2..5 hit, one false alarm at 8: TP 4, FP 1 → 2·4/(8+1) = 8/9
    expect(paF1Binary(bits('0011110000'), bits('0000100010'))).toBeCloseTo(8 / 9, 12);
  });

  it('keeps TSB-AD’s back-fill quirk: point 0 is not adjusted', () => {
    // event 0..2 first hit at 1: adjusted {1, 2}, point 0 stays a miss → TP 2, FN 1 → 4/5
    expect(paF1(spike(10, 1, 5), bits('1110000000'))).toBeCloseTo(4 / 5, 12);
  });
});

describe('Event-F1', () => {
  it('is event recall against point precision', () => {
    // events {1,2} and {6,7}; scores 3 at point 2, 2 at point 8 (a false alarm).
    // thresholds < 2: flags {2, 8}: recall ½, precision ½ → ½; thresholds in [2, 3): flags {2}: ½ and 1 → ⅔
    const scores = [0, 0, 3, 0, 0, 0, 0, 0, 2, 0];
    expect(eventF1(scores, bits('0110001100'))).toBeCloseTo(2 / 3, 12);
    expect(eventF1Binary(bits('0110001100'), bits('0010000010'))).toBeCloseTo(0.5, 12);
  });

  it('keeps TSB-AD’s quirk: an event running to the last point ends one point early', () => {
    // event {8, 9} is read as {8}: flagging only point 9 detects nothing → 0 (PA-F1 still sees it)
    expect(eventF1(spike(10, 9), bits('0000000011'))).toBe(0);
    expect(paF1(spike(10, 9), bits('0000000011'))).toBeCloseTo(1, 12);
  });
});

describe('Range-F1 (Tatbul et al., TSB-AD’s α = 0.2, flat bias, 1/x cardinality)', () => {
  it('matches hand computations', () => {
    // label run [2,5]; predicted runs [2,3] and [8,8].
    // recall = .2·1 (exists) + .8·(2/4 overlap · 1 run) = .6; precision = (1 + 0)/2 = .5 → F = .6/1.1
    const r = rangePRF(bits('0011110000'), bits('0011000010'));
    expect(r.recall).toBeCloseTo(0.6, 12);
    expect(r.precision).toBeCloseTo(0.5, 12);
    expect(r.f1).toBeCloseTo(0.6 / 1.1, 12);
    // label run [0,9] hit by two runs covering 4 of 10 points: recall = .2 + .8·(.4 · ½) = .36, precision 1
    const c = rangePRF(bits('111111111100'), bits('011001100000'));
    expect(c.recall).toBeCloseTo(0.36, 12);
    expect(c.precision).toBeCloseTo(1, 12);
    expect(c.f1).toBeCloseTo(0.72 / 1.36, 12);
  });

  it('is 0 when nothing is predicted, and refuses predictions of another length', () => {
    expect(rangePRF(bits('0110'), bits('0000')).f1).toBe(0);
    expect(() => rangePRF(bits('0110'), bits('011'))).toThrow(/predictions have 3 points but labels have 4/);
  });
});

describe('threshold sweeps agree with line-by-line ports of TSB-AD', () => {
  it('on random scores and labels (runs at both ends included)', () => {
    const r = rng(3);
    for (let trial = 0; trial < 25; trial++) {
      const n = 30 + Math.floor(r() * 120);
      const labels = new Array<number>(n).fill(0);
      for (let k = 0; k < 1 + Math.floor(r() * 4); k++) {
        const start = trial % 5 === 0 && k === 0 ? 0 : Math.floor(r() * n);
        for (let t = start; t < Math.min(n, start + 1 + Math.floor(r() * 8)); t++) labels[t] = 1;
      }
      if (trial % 4 === 1) labels[n - 1] = 1;
      const scores = labels.map((y) => Math.round((r() + 0.5 * y) * 8) / 8);
      const got = sweptMetrics(scores, labels);
      expect(got.pa_f1).toBeCloseTo(
        sweep(scores, (p) => pointAdjustedF1(labels, p)),
        12,
      );
      expect(got.event_f1).toBeCloseTo(
        sweep(scores, (p) => eventF1PA(labels, p)),
        12,
      );
      expect(got.range_f1).toBeCloseTo(
        sweep(scores, (p) => rangeF1Binary(labels, p)),
        12,
      );
      expect(rangeF1(scores, labels)).toBe(got.range_f1);
    }
  });
});

describe('sweep edge cases', () => {
  it('constant scores predict nothing at any threshold', () => {
    const m = sweptMetrics([2, 2, 2, 2], [0, 1, 1, 0]);
    expect(m).toEqual({ pa_f1: 0, event_f1: 0, range_f1: 0, affiliation_p: null, affiliation_r: 0, affiliation_f: 0 });
  });

  it('treats NaN as the lowest score', () => {
    const labels = [0, 0, 1, 1, 0, 0];
    expect(sweptMetrics([NaN, 0.1, 0.9, 0.8, 0, 0.2], labels)).toEqual(sweptMetrics([0, 0.1, 0.9, 0.8, 0, 0.2], labels));
  });

  it('all-anomaly labels: the lowest threshold flags all but the lowest point', () => {
    // threshold 1 flags points 1..3 of the single event [0,3]; the index-0 quirk leaves point 0 a
    // miss: TP 3, FN 1 → 6/7
    expect(paF1([1, 2, 3, 4], [1, 1, 1, 1])).toBeCloseTo(6 / 7, 12);
    // with the lowest score elsewhere the event is fully adjusted: TP 4 → 1
    expect(paF1([4, 2, 3, 1], [1, 1, 1, 1])).toBeCloseTo(1, 12);
  });

  it('refuses labels without anomaly and mismatched lengths', () => {
    expect(() => sweptMetrics([1, 2, 3], [0, 0, 0])).toThrow(/no anomaly/);
    expect(() => sweptMetrics([1, 2, 3], [0, 1])).toThrow(/3 points but labels have 2/);
  });
});
