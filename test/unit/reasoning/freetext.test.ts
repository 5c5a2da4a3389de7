import { describe, expect, it } from 'vitest';
import { agrees, checkRationale, impliedInterval } from '../../../main/reasoning';

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

function base(n = 3000): Float64Array {
  const rnd = seeded(5);
  return new Float64Array(n).map((_, i) => Math.sin((2 * Math.PI * i) / 60) + 0.2 * (rnd() - 0.5));
}

const naiveMean = (x: Float64Array, lo: number, hi: number) => {
  let s = 0;
  for (let i = lo; i < hi; i++) s += x[i];
  return s / (hi - lo);
};
const naiveMedian = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const statusOf = (text: string, values: Float64Array, needle: string) =>
  checkRationale(text, values).claims.find((c) => c.text.toLowerCase().includes(needle.toLowerCase()))?.status;

describe('quoted rounding', () => {
  it('accepts half a unit of the last quoted digit and no more', () => {
    expect(agrees('1.23', 1.234)).toBe(true);
    expect(agrees('1.23', 1.236)).toBe(false);
    expect(agrees('-0.500', -0.5004)).toBe(true);
    expect(agrees('12', 12.6)).toBe(false);
    expect(agrees('1230', 1234)).toBe(true); // 3 significant digits
    expect(agrees('2.5e3', 2540)).toBe(true);
  });
});

describe('free-text claims', () => {
  const shifted = base();
  for (let i = 1500; i < 1800; i++) shifted[i] += 6;
  const meanBefore = naiveMean(shifted, 600, 1500); // context: max(3 × 300, 100) = 900 points before
  const meanInside = naiveMean(shifted, 1500, 1800);

  it('finds the interval a text talks about', () => {
    expect(impliedInterval('The anomaly between index 120 and 180 looks odd; see also [10, 20].', 1000)).toEqual({
      start: 120,
      end: 180,
    });
    expect(impliedInterval('Anomaly in [10, 20] (inclusive).', 1000)).toEqual({ start: 10, end: 21 });
    expect(impliedInterval('Nothing here', 1000)).toBeNull();
  });

  it('verifies a correct description of a level shift and contradicts a wrong one', () => {
    const good = `Between index 1500 and 1800 the mean rises from ${meanBefore.toFixed(1)} to ${meanInside.toFixed(1)}: a level shift lasting 300 points.`;
    const r = checkRationale(good, shifted);
    expect(r.contradicted, JSON.stringify(r.claims)).toBe(0);
    expect(r.claims.map((c) => c.kind).sort()).toEqual(['duration', 'position', 'statistic', 'type']);
    expect(r.verified).toBe(4);

    expect(statusOf('Between index 1500 and 1800 the mean rises from 0 to 2.5.', shifted, 'mean rises')).toBe('contradicted');
    expect(statusOf('Between index 1500 and 1800 the values are flat.', shifted, 'flat')).toBe('contradicted');
    expect(statusOf('Between index 1500 and 1800 the values lasting 40 points.', shifted, 'lasting')).toBe('contradicted');
    // an extreme value in a long interval does not make it a spike, and a negated type is no claim
    expect(statusOf('Between index 1500 and 1800 there is a spike.', shifted, 'spike')).toBe('unverifiable');
    expect(checkRationale('Between index 1500 and 1800 there is no spike.', shifted).claims.some((c) => c.kind === 'type')).toBe(
      false,
    );
  });

  it('checks a stated z-score and value at an index against a naive robust z-score', () => {
    const x = base();
    x[2031] = 9;
    const ctx = Array.from(x.subarray(1931, 2031)); // max(3 × 1, 100) points before
    const med = naiveMedian(ctx);
    const z = (9 - med) / (1.4826 * naiveMedian(ctx.map((v) => Math.abs(v - med))));
    expect(statusOf(`A spike with a peak z-score of ${z.toFixed(1)} at index 2031.`, x, 'z-score')).toBe('verified');
    expect(statusOf(`A spike with a peak z-score of ${(2 * z).toFixed(1)} at index 2031.`, x, 'z-score')).toBe('contradicted');
    expect(statusOf('The series peaks at 9 at index 2031.', x, 'peaks')).toBe('verified');
    expect(statusOf('The series peaks at 4 at index 2031.', x, 'peaks')).toBe('contradicted');
    expect(statusOf('The series peaks at 9 at index 99999.', x, 'peaks')).toBe('contradicted');
    expect(statusOf('There is a spike at index 2031.', x, 'spike')).toBe('verified');
  });

  it('checks a change of period before vs inside', () => {
    const x = base();
    for (let i = 1500; i < 1800; i++) x[i] = Math.sin((2 * Math.PI * i) / 15);
    expect(statusOf('From index 1500 to 1800 the period changes from 60 to 15.', x, 'period')).toBe('verified');
    expect(statusOf('From index 1500 to 1800 the period changes from 60 to 40.', x, 'period')).toBe('contradicted');
  });

  it('uses the interval it is given over the ones the text names, and leaves claims without one unverifiable', () => {
    const text = `The mean rises from ${meanBefore.toFixed(1)} to ${meanInside.toFixed(1)}.`;
    expect(checkRationale(text, shifted, { interval: { start: 1500, end: 1800 } }).claims[0].status).toBe('verified');
    expect(checkRationale(text, shifted).claims[0].status).toBe('unverifiable');
  });

  it('checks strict-grammar claims to their quoted rounding against a naive mean', () => {
    const m = naiveMean(shifted, 1500, 1800);
    expect(statusOf(`The mean ${m.toFixed(3)} over [1500, 1800).`, shifted, 'mean')).toBe('verified');
    expect(statusOf(`The mean ${(m + 0.01).toFixed(3)} over [1500, 1800).`, shifted, 'mean')).toBe('contradicted');
    expect(statusOf('The mean 1.0 over [1500, 9000).', shifted, 'mean')).toBe('contradicted');
  });
});
