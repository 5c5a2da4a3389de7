import { describe, expect, it } from 'vitest';
import { computeEvidence } from '../../../main/reasoning';
import { mergeClose, refineBoundaries, selectByProbability, verifiedScores } from '../../../main/verify/select';

const c = (start: number, end: number, probability: number) => ({ start, end, probability });

describe('label-free selection', () => {
  it('keeps candidates above the minimum, most likely first, within the false-alarm budget', () => {
    const candidates = [c(0, 5, 0.95), c(10, 12, 0.55), c(20, 30, 0.7), c(40, 41, 0.3), c(50, 55, 0.6)];
    // 10k points at 0.5 per 10k: budget 0.5 expected false alarms → 0.05 + 0.3 = 0.35 fits, + 0.4 does not
    const kept = selectByProbability(candidates, 10_000, { minProbability: 0.5, falseAlarmsPer10k: 0.5 });
    expect(kept.map((k) => k.probability)).toEqual([0.95, 0.7]);
    // a larger budget keeps every one above the minimum, never the one below
    const all = selectByProbability(candidates, 10_000, { minProbability: 0.5, falseAlarmsPer10k: 10 });
    expect(all.map((k) => k.probability).sort()).toEqual([0.55, 0.6, 0.7, 0.95]);
    expect(selectByProbability(candidates, 10_000, { minProbability: 0.99, falseAlarmsPer10k: 10 })).toEqual([]);
  });

  it('keeps the most likely candidate of a series above keepTopAbove even under the minimum', () => {
    const weak = [c(0, 5, 0.35), c(10, 12, 0.15), c(20, 30, 0.25)];
    expect(selectByProbability(weak, 10_000, { minProbability: 0.5, falseAlarmsPer10k: 10 })).toEqual([]);
    const top = selectByProbability(weak, 10_000, { minProbability: 0.5, falseAlarmsPer10k: 10, keepTopAbove: 0.3 });
    expect(top.map((k) => k.probability)).toEqual([0.35]);
    // only the top one, and only when it reaches the floor
    expect(selectByProbability(weak, 10_000, { minProbability: 0.5, falseAlarmsPer10k: 10, keepTopAbove: 0.4 })).toEqual([]);
    // when something passes the minimum the floor changes nothing
    const mixed = [...weak, c(40, 45, 0.8)];
    expect(
      selectByProbability(mixed, 10_000, { minProbability: 0.5, falseAlarmsPer10k: 10, keepTopAbove: 0.1 }).map(
        (k) => k.probability,
      ),
    ).toEqual([0.8]);
  });

  it('merges fragments closer than the gap, keeping the higher probability', () => {
    const merged = mergeClose([c(30, 40, 0.9), c(0, 10, 0.6), c(12, 20, 0.8), c(100, 110, 0.7)], 5);
    expect(merged.map(({ start, end, probability }) => [start, end, probability])).toEqual([
      [0, 20, 0.8],
      [30, 40, 0.9],
      [100, 110, 0.7],
    ]);
  });

  it('moves bounds to where the values return to their context', () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => Math.sin(i / 5) * 0.1);
    for (let i = 500; i < 506; i++) values[i] = 5;
    // screening found [490, 520): the spike is [500, 506)
    const loose = { start: 490, end: 520 };
    expect(refineBoundaries(values, loose, computeEvidence(values, loose), 30)).toEqual({ start: 500, end: 506 });
    // found too short: it grows to the whole spike
    const tight = { start: 502, end: 504 };
    expect(refineBoundaries(values, tight, computeEvidence(values, tight), 30)).toEqual({ start: 500, end: 506 });
    // nothing stands out: the bounds stay
    const calm = { start: 100, end: 120 };
    expect(refineBoundaries(values, calm, computeEvidence(values, calm), 30)).toEqual(calm);
  });

  it('weights the screening score by the covering candidate’s probability', () => {
    const combined = Float32Array.from([1, 2, 3, 4, NaN, 6]);
    const s = verifiedScores(combined, [c(1, 3, 0.5), c(2, 4, 0.9)]);
    const f = Math.fround;
    expect(Array.from(s.subarray(0, 4))).toEqual([f(0.05), 1, f(3 * f(0.9)), f(4 * f(0.9))]);
    expect(Number.isNaN(s[4])).toBe(true);
    expect(s[5]).toBeCloseTo(0.3, 6);
  });
});
