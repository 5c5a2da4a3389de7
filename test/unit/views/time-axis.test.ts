import { describe, expect, it } from 'vitest';
import { indicesAt, timesAt } from '../../../main/views';

const t0 = Date.UTC(2013, 11, 2, 21, 15);
const step = 5 * 60_000;
const time = Float64Array.from({ length: 10 }, (_, i) => t0 + i * step);

describe('time axis lookups', () => {
  it('gives the time of each index, and one step past the last row for the end index', () => {
    expect(timesAt(time, [0, 3, 9, 10])).toEqual([t0, t0 + 3 * step, t0 + 9 * step, t0 + 10 * step]);
  });

  it('refuses an index past the end, naming it', () => {
    expect(() => timesAt(time, [11])).toThrow(/index 11 is outside the series \(0 to 10\)/);
  });

  it('finds the first row at or after a time, clamped to [0, length]', () => {
    expect(indicesAt(time, [t0 - 1, t0, t0 + 1, t0 + 3 * step, t0 + 100 * step])).toEqual([0, 0, 1, 3, 10]);
  });

  it('round-trips every index through its time', () => {
    const all = Array.from({ length: 11 }, (_, i) => i);
    expect(indicesAt(time, timesAt(time, all))).toEqual(all);
  });

  it('refuses an unsorted axis, naming the first row out of order', () => {
    const unsorted = Float64Array.from([1, 2, 5, 4, 6]);
    expect(() => indicesAt(unsorted, [3])).toThrow(/row 3 is earlier than row 2/);
  });
});
