import { describe, expect, it } from 'vitest';
import { RAW_POINTS_PER_PIXEL, reduceRange } from '../../../main/views/m4';

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

describe('reduceRange (M4)', () => {
  it('returns raw points when the range is small enough, with gaps as null', () => {
    const v = new Float64Array([1, 2, NaN, 4, 5]);
    const r = reduceRange(v, 1, 5, 100);
    expect(r).toEqual({ x: [1, 2, 3, 4], y: [2, null, 4, 5], reduced: false });
  });

  it('keeps, per pixel column, the first, last, min and max point of a naive scan', () => {
    const rnd = seeded(7);
    const n = 100_000;
    const v = new Float64Array(n).map(() => rnd());
    v[54_321] = 50; // a one-point spike must survive
    v[77_777] = -50;
    const pixels = 300;
    const r = reduceRange(v, 0, n, pixels);
    expect(r.reduced).toBe(true);
    const kept = new Set(r.x);
    const step = n / pixels;
    for (let p = 0; p < pixels; p++) {
      const b0 = Math.floor(p * step);
      const b1 = p === pixels - 1 ? n : Math.floor((p + 1) * step);
      let minI = b0;
      let maxI = b0;
      for (let i = b0; i < b1; i++) {
        if (v[i] < v[minI]) minI = i;
        if (v[i] > v[maxI]) maxI = i;
      }
      for (const i of [b0, b1 - 1, minI, maxI]) expect(kept.has(i), `pixel ${p} index ${i}`).toBe(true);
    }
    expect(Math.max(...(r.y as number[]))).toBe(50);
    expect(Math.min(...(r.y as number[]))).toBe(-50);
    // x strictly increasing, at most 4 points per column
    for (let i = 1; i < r.x.length; i++) expect(r.x[i]).toBeGreaterThan(r.x[i - 1]);
    expect(r.x.length).toBeLessThanOrEqual(pixels * 4);
    expect(r.x.length).toBeGreaterThan((pixels * RAW_POINTS_PER_PIXEL) / 4);
  });

  it('breaks the line where a column holds missing values and never invents zeros', () => {
    const v = new Float64Array(10_000).fill(1);
    for (let i = 4000; i < 6000; i++) v[i] = NaN;
    const r = reduceRange(v, 0, 10_000, 100);
    const nullAt = r.x.filter((_, i) => r.y[i] === null);
    expect(nullAt.length).toBeGreaterThan(0);
    expect(nullAt.every((i) => i >= 4000 && i < 6000)).toBe(true);
    expect(r.y.filter((y) => y !== null).every((y) => y === 1)).toBe(true);
  });

  it('clamps ranges to the series', () => {
    const v = new Float64Array([1, 2, 3]);
    expect(reduceRange(v, 2, 99, 10).x).toEqual([2]);
    expect(reduceRange(v, 5, 9, 10).x).toEqual([]);
  });
});

describe('reduceRange with a min/max pyramid', () => {
  it('returns exactly what the plain scan returns, gaps and ties included', async () => {
    const { MinMaxPyramid } = await import('../../../main/views/pyramid');
    const rnd = seeded(11);
    const n = 300_007;
    const v = new Float64Array(n).map(() => Math.round(rnd() * 20)); // many ties
    for (let i = 1000; i < 1500; i++) v[i] = NaN;
    for (let i = 200_000; i < 260_000; i++) v[i] = NaN; // a whole-column gap
    v[123_457] = NaN;
    const pyramid = new MinMaxPyramid(v);
    for (const [from, to, pixels] of [
      [0, n, 1600],
      [0, n, 7],
      [12_345, 234_567, 800],
      [199_000, 261_000, 50],
      [5, 70_005, 101],
    ]) {
      expect(reduceRange(v, from, to, pixels, pyramid)).toEqual(reduceRange(v, from, to, pixels));
    }
  });
});
