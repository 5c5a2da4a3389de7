import { describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../common/errors';
import { blockMeans, parseScales, scoreAtScales, usableScales } from '../../../main/inference/multiscale';

describe('multi-scale scoring', () => {
  it('parses scales, sorted and distinct, and names the parameter on bad input', () => {
    expect(parseScales('16, 1,4,4')).toEqual([1, 4, 16]);
    expect(parseScales('1')).toEqual([1]);
    for (const bad of ['', '4,16', '1,0', '1,2.5', '1,x', '1,5000']) {
      let err: unknown;
      try {
        parseScales(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(WorkbenchError);
      expect((err as WorkbenchError).code).toBe('invalid_input');
      expect((err as WorkbenchError).details).toEqual({ parameter: 'scales' });
    }
  });

  it('uses a scale only while the averaged series holds two windows', () => {
    expect(usableScales(100, 256, [1, 4, 16])).toEqual([1]);
    expect(usableScales(2048, 256, [1, 4, 16])).toEqual([1, 4]);
    expect(usableScales(2044, 256, [1, 4, 16])).toEqual([1]); // ceil(2044 / 4) = 511 < 512
    expect(usableScales(8192, 256, [1, 4, 16])).toEqual([1, 4, 16]);
  });

  it('block means skip missing points; an all-missing block stays missing; the last block may be short', () => {
    const x = Float64Array.from([1, 3, NaN, 5, NaN, NaN, 7]);
    expect(Array.from(blockMeans(x, 2))).toEqual([2, 5, NaN, 7]);
    expect(blockMeans(x, 1)).toBe(x);
  });

  it('one usable scale returns the model scores untouched', async () => {
    const values = Float64Array.from({ length: 300 }, (_, i) => Math.sin(i / 5));
    const scores = Float32Array.from(values, (v) => (v + 1) / 2);
    const out = await scoreAtScales(values, 256, [1, 4, 16], async () => scores);
    expect(out).toBe(scores);
  });

  it('a shift longer than the window, seen only at the coarse scale, scores higher inside than outside', async () => {
    const window = 16;
    const n = 1024;
    const values = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 3) + (i >= 400 && i < 600 ? 2 : 0));
    // a "model" of `window` points that only sees local jumps: high where the series changes level within
    // its window, so at the original scale it flags the two edges only; at scale 4 the whole shift is
    // near its own edges, and at 16 the 200-point regime is 12 coarse points, inside one window
    const seen: number[] = [];
    const scoreAt = async (series: Float64Array, progress: (f: number) => void): Promise<Float32Array> => {
      seen.push(series.length);
      progress(1);
      return Float32Array.from(series, (_, i) => {
        const lo = Math.max(0, i - window / 2);
        const hi = Math.min(series.length, i + window / 2);
        let mean = 0;
        for (let j = lo; j < hi; j++) mean += series[j] as number;
        mean /= hi - lo;
        return Math.abs((series[i] as number) - mean);
      });
    };
    const progress: number[] = [];
    const out = await scoreAtScales(values, window, [1, 4, 16], scoreAt, (f) => progress.push(f));
    expect(seen).toEqual([1024, 256, 64]);
    expect(progress.at(-1)).toBeCloseTo(1, 9);
    expect(progress.every((f, i) => i === 0 || f >= (progress[i - 1] as number))).toBe(true);
    const mean = (a: number, b: number) => out.subarray(a, b).reduce((s, v) => s + v, 0) / (b - a);
    // the middle of the shift, where no window at the original scale sees a change (there it scores as the sine does)
    expect(mean(450, 550)).toBeGreaterThan(2 * mean(0, 300));
    expect(out.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
  });
});
