import { describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../common/errors';
import {
  combineScores,
  getDetector,
  minMaxNormalize,
  normalizeScores,
  parseWeights,
  rankNormalize,
  robustZNormalize,
  validateParams,
} from '../../../main/detectors';
import { errorOf } from '../../helpers/errors';
import { seeded, sineWithSpikeAndShift } from '../../helpers/random';

const ensemble = getDetector('ensemble');
const run = (x: Float64Array, params: Record<string, unknown>) => ensemble.score(x, validateParams(ensemble, params));
describe('ensemble normalizations (against direct formulas)', () => {
  it('min-max maps the finite range onto [0, 1] and keeps NaN', () => {
    expect(Array.from(minMaxNormalize(Float32Array.from([1, 3, NaN, 5])))).toEqual([0, 0.5, NaN, 1]);
    expect(Array.from(minMaxNormalize(Float32Array.from([2, 2])))).toEqual([0, 0]);
  });

  it('robust z is (x − median) / (1.4826·MAD), clipped at 0', () => {
    const x = Float32Array.from([1, 2, 3, 4, 100]);
    // median 3, |x − 3| = 2 1 0 1 97 → MAD 1
    const z = robustZNormalize(x);
    expect(z[0]).toBe(0);
    expect(z[3]).toBeCloseTo(1 / 1.4826, 5);
    expect(z[4]).toBeCloseTo(97 / 1.4826, 3);
    // a zero MAD falls back to a positive scale instead of dividing by zero
    const flat = robustZNormalize(Float32Array.from([0, 0, 0, 0, 5]));
    expect(flat.every((v) => Number.isFinite(v))).toBe(true);
    expect(flat[4]).toBeGreaterThan(0);
  });

  it('robust z equals the obvious version (sort the deviations) exactly, ties, NaN and flat inputs included', () => {
    const naive = (x: Float32Array): Float32Array => {
      const sorted = Float32Array.from(x.filter((v) => Number.isFinite(v))).sort();
      if (sorted.length === 0) return new Float32Array(x.length).fill(NaN);
      const median = sorted[sorted.length >> 1];
      const dev = Float32Array.from(sorted, (v) => Math.abs(v - median)).sort();
      let scale = 1.4826 * dev[dev.length >> 1];
      if (!(scale > 0)) scale = (1.2533 * dev.reduce((a, b) => a + b, 0)) / dev.length;
      if (!(scale > 0)) scale = 1;
      return Float32Array.from(x, (v) => (Number.isFinite(v) ? Math.max(0, (v - median) / scale) : NaN));
    };
    const rnd = seeded(17);
    const cases: Float32Array[] = [
      Float32Array.from([]),
      Float32Array.from([NaN, NaN]),
      Float32Array.from([2]),
      Float32Array.from([1, 1, 1, 1]),
      Float32Array.from([0, 0, 0, 0, 5, NaN]),
      Float32Array.from({ length: 1001 }, () => Math.round(rnd() * 5)), // many ties
      Float32Array.from({ length: 2000 }, (_, i) => (i % 97 === 0 ? NaN : rnd() ** 3 * 100)),
      Float32Array.from({ length: 4096 }, () => (rnd() < 0.6 ? 0.25 : rnd())), // MAD 0: the mean-deviation fallback
    ];
    for (const x of cases) expect(Array.from(robustZNormalize(x))).toEqual(Array.from(naive(x)));
  });

  it('normalizeScores dispatches by name', () => {
    const x = Float32Array.from([5, 1, 3]);
    expect(normalizeScores(x, 'rank')).toEqual(rankNormalize(x));
    expect(normalizeScores(x, 'minmax')).toEqual(minMaxNormalize(x));
    expect(normalizeScores(x, 'robust-z')).toEqual(robustZNormalize(x));
  });

  it('combines by weighted mean or weighted max, skipping zero weights and NaN members', () => {
    const a = Float32Array.from([0, 1, NaN]);
    const b = Float32Array.from([1, 0, 0.5]);
    expect(Array.from(combineScores([a, b], [3, 1], 'mean'))).toEqual([0.25, 0.75, 0.5]);
    expect(Array.from(combineScores([a, b], [3, 1], 'max'))).toEqual([1, 3, 0.5]);
    expect(Array.from(combineScores([a, b], [0, 1], 'mean'))).toEqual(Array.from(b));
    expect(Array.from(combineScores([a, b], [1, 1], 'mean', (i) => i === 0))).toEqual([NaN, 0.5, 0.5]);
  });
});

describe('ensemble parameters', () => {
  const x = sineWithSpikeAndShift();

  it('a member with weight 0 is left out: the result is the other member alone', () => {
    const z = getDetector('rolling-zscore');
    const alone = rankNormalize(z.score(x, validateParams(z, {})));
    const s = run(x, { members: ['rolling-zscore', 'level-shift'], weights: '1, 0', normalize: 'rank' });
    expect(Array.from(s)).toEqual(Array.from(alone));
  });

  it('weights move the result toward the heavier member', () => {
    const members = ['rolling-zscore', 'level-shift'];
    // rolling z-score favours the spike (1500), level-shift the shift (3000)
    const gap = (weights: string) => {
      const s = run(x, { members, weights, normalize: 'minmax' });
      return s[1500] - s[3000];
    };
    expect(gap('4, 1')).toBeGreaterThan(gap('1, 1'));
    expect(gap('1, 1')).toBeGreaterThan(gap('1, 4'));
  });

  it('every normalization and combination gives one finite score per point, NaN where the input is missing', () => {
    const y = Float64Array.from(x);
    y[10] = NaN;
    for (const normalize of ['rank', 'robust-z', 'minmax'])
      for (const combine of ['mean', 'max']) {
        const s = run(y, { members: ['rolling-zscore', 'sr'], normalize, combine });
        expect(s.length).toBe(y.length);
        expect(Number.isNaN(s[10])).toBe(true);
        expect(s.filter((v, i) => i !== 10).every((v) => Number.isFinite(v))).toBe(true);
      }
  });

  it('rejects an unknown member, a weight count mismatch and a negative weight as invalid_input, naming them', () => {
    const unknown = errorOf<WorkbenchError>(() => run(x, { members: ['rolling-zscore', 'no-such-detector'] }));
    expect(unknown.code).toBe('invalid_input');
    expect(unknown.message).toMatch(/"no-such-detector" is not a detector/);
    const mismatch = errorOf<WorkbenchError>(() => run(x, { members: ['rolling-zscore', 'sr'], weights: '1, 2, 3' }));
    expect(mismatch.code).toBe('invalid_input');
    expect(mismatch.message).toMatch(/3 given for 2 members/);
    expect(mismatch.details).toEqual({ parameter: 'weights' });
    const negative = errorOf<WorkbenchError>(() => parseWeights('1, -2', ['a', 'b']));
    expect(negative.code).toBe('invalid_input');
    expect(negative.message).toMatch(/"-2" for member b/);
    expect(errorOf<WorkbenchError>(() => parseWeights('0, 0', ['a', 'b'])).message).toMatch(/at least one/);
    expect(errorOf<WorkbenchError>(() => run(x, { members: [] })).message).toMatch(/at least one member/);
    expect(() => validateParams(ensemble, { normalize: 'softmax' })).toThrow(/one of rank, robust-z, minmax/);
  });
});
