/**
 * NAB label windows: `combined_windows.json` maps a data file key ('realKnownCause/nyc_taxi.csv') to
 * [start, end] timestamp pairs, inclusive at both ends, in local time without a zone. The reader takes
 * zone-less timestamps as UTC, and so does this, so a window lands on the rows that print the same times.
 */
import { readFileSync } from 'node:fs';
import type { Interval } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import { firstAfter, firstAtOrAfter } from '../numeric/sorted';
import { parseUtcTimestamp } from './time-formats';

/**
 * Half-open row intervals for the NAB windows of one data file. `time` is the file's time axis in epoch
 * ms (sorted), as `readFile` returns it. Windows that cover no row are left out.
 */
export function readNabLabels(windowsJsonPath: string, dataFileKey: string, time: Float64Array): Interval[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(windowsJsonPath, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new WorkbenchError('not_found', `no NAB windows file at ${windowsJsonPath}`, { file: windowsJsonPath });
    if (err instanceof SyntaxError) {
      throw new WorkbenchError('parse_error', `${windowsJsonPath} is not valid JSON: ${err.message}`, { file: windowsJsonPath });
    }
    throw new WorkbenchError('io_error', `${windowsJsonPath} cannot be read: ${(err as Error).message}`, {
      file: windowsJsonPath,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new WorkbenchError(
      'parse_error',
      `${windowsJsonPath} is not a NAB windows file (expected an object keyed by data file)`,
      {
        file: windowsJsonPath,
      },
    );
  }
  const key = dataFileKey.replace(/\\/g, '/');
  const windows = (parsed as Record<string, unknown>)[key];
  if (windows === undefined) {
    throw new WorkbenchError('not_found', `${windowsJsonPath} has no windows for "${key}"`, { file: windowsJsonPath, key });
  }
  if (!Array.isArray(windows)) {
    throw new WorkbenchError('parse_error', `${windowsJsonPath}: windows for "${key}" are not a list`, {
      file: windowsJsonPath,
      key,
    });
  }
  const intervals: Interval[] = [];
  windows.forEach((window: unknown, i) => {
    const pair = Array.isArray(window) ? window : [];
    const startMs = typeof pair[0] === 'string' ? parseUtcTimestamp(pair[0]) : NaN;
    const endMs = typeof pair[1] === 'string' ? parseUtcTimestamp(pair[1]) : NaN;
    if (pair.length !== 2 || Number.isNaN(startMs) || Number.isNaN(endMs) || endMs < startMs) {
      throw new WorkbenchError(
        'parse_error',
        `${windowsJsonPath}: window ${i} for "${key}" is not a [start, end] pair of timestamps`,
        {
          file: windowsJsonPath,
          key,
          window: i,
        },
      );
    }
    const start = firstAtOrAfter(time, startMs);
    const end = firstAfter(time, endMs);
    if (end > start) intervals.push({ start, end });
  });
  intervals.sort((a, b) => a.start - b.start);
  return intervals;
}
