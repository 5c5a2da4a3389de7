import { WorkbenchError } from '../../common/errors';
import { firstAtOrAfter } from '../numeric/sorted';

/**
 * Index ↔ time over a dataset's time axis (epoch ms per row). Intervals are half-open index ranges, so
 * the end index of an interval over the last row is `length`: its time is one step after the last row.
 */

/** Epoch ms of each index in [0, length]; `length` maps to the last time plus the last step. */
export function timesAt(time: Float64Array, indices: readonly number[]): number[] {
  const n = time.length;
  return indices.map((i) => {
    if (!Number.isInteger(i) || i < 0 || i > n)
      throw new WorkbenchError('invalid_input', `index ${i} is outside the series (0 to ${n}).`, { index: i, length: n });
    if (i < n) return time[i];
    if (n === 0) throw new WorkbenchError('invalid_input', 'The series has no rows.', { index: i });
    return n === 1 ? time[0] : time[n - 1] + (time[n - 1] - time[n - 2]);
  });
}

function firstUnsorted(time: Float64Array): number {
  for (let i = 1; i < time.length; i++) if (!(time[i] >= time[i - 1])) return i;
  return -1;
}

/**
 * For each time, the first index whose time is at or after it (0 before the first row, `length` after the
 * last). Needs a sorted time axis; a dataset imported with `--unsorted keep` is refused, naming the row.
 */
export function indicesAt(time: Float64Array, times: readonly number[]): number[] {
  const bad = firstUnsorted(time);
  if (bad >= 0)
    throw new WorkbenchError(
      'invalid_input',
      `The time axis is not sorted (row ${bad} is earlier than row ${bad - 1}), so a time cannot be turned into a row.`,
      { row: bad },
    );
  return times.map((ms) => firstAtOrAfter(time, ms));
}
