/**
 * Time-axis checks after reading: missing timestamps, order and duplicates, each handled by an explicit
 * choice or refused with the rows named. Also 0/1 label columns to half-open intervals.
 */
import type { Interval } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';

export interface TimelineOptions {
  duplicateTimestamps: 'error' | 'keep-first' | 'mean' | 'keep';
  unsortedTimestamps: 'error' | 'sort' | 'keep';
}

export interface Timeline {
  time: Float64Array;
  columns: Float64Array[];
  label: Float64Array | null;
  warnings: string[];
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}

/** Row numbers in messages are 1-based data rows, as a spreadsheet user counts them below the header. */
export function orderTimeline(
  file: string,
  time: Float64Array,
  columns: Float64Array[],
  label: Float64Array | null,
  opts: TimelineOptions,
): Timeline {
  const warnings: string[] = [];
  const n = time.length;
  let firstUnsorted = -1;
  let firstDuplicate = -1;
  for (let i = 1; i < n; i++) {
    if (time[i] < time[i - 1]) {
      if (firstUnsorted < 0) firstUnsorted = i;
    } else if (time[i] === time[i - 1] && firstDuplicate < 0) {
      firstDuplicate = i;
    }
  }

  if (firstUnsorted >= 0) {
    if (opts.unsortedTimestamps === 'error') {
      const i = firstUnsorted;
      throw new WorkbenchError(
        'invalid_input',
        `${file}: timestamps are not in order: row ${i + 1} (${iso(time[i])}) comes after row ${i} (${iso(time[i - 1])}); choose unsortedTimestamps: 'sort' to sort the rows by time`,
        { file, row: i + 1, parameter: 'unsortedTimestamps' },
      );
    }
    if (opts.unsortedTimestamps === 'keep') {
      warnings.push(`timestamps are not in order (first at row ${firstUnsorted + 1}); rows kept in file order as asked`);
      if (firstDuplicate >= 0 && opts.duplicateTimestamps === 'keep') {
        warnings.push(`rows repeat the previous timestamp (first at row ${firstDuplicate + 1}); kept as asked`);
        return { time, columns, label, warnings };
      }
      if (firstDuplicate < 0) return { time, columns, label, warnings };
      throw new WorkbenchError(
        'invalid_input',
        `${file}: duplicate timestamp ${iso(time[firstDuplicate])} at rows ${firstDuplicate} and ${firstDuplicate + 1}; rows kept in file order can only keep duplicates (duplicateTimestamps: 'keep')`,
        { file, row: firstDuplicate + 1, parameter: 'duplicateTimestamps' },
      );
    }
    const order = stableTimeOrder(time);
    time = permute(time, order);
    columns = columns.map((c) => permute(c, order));
    label = label ? permute(label, order) : null;
    warnings.push(`rows were not in time order and were sorted by time (first out-of-order row: ${firstUnsorted + 1})`);
    firstDuplicate = -1;
    for (let i = 1; i < n; i++) {
      if (time[i] === time[i - 1]) {
        firstDuplicate = i;
        break;
      }
    }
  }

  if (firstDuplicate >= 0) {
    if (opts.duplicateTimestamps === 'error') {
      throw new WorkbenchError(
        'invalid_input',
        `${file}: duplicate timestamp ${iso(time[firstDuplicate])} at rows ${firstDuplicate} and ${firstDuplicate + 1}${firstUnsorted >= 0 ? ' (after sorting)' : ''}; choose duplicateTimestamps: 'keep-first', 'mean' or 'keep'`,
        { file, row: firstDuplicate + 1, parameter: 'duplicateTimestamps' },
      );
    }
    if (opts.duplicateTimestamps === 'keep') {
      let repeats = 0;
      for (let i = 1; i < time.length; i++) if (time[i] === time[i - 1]) repeats++;
      warnings.push(`${repeats} rows repeat the previous timestamp (first at row ${firstDuplicate + 1}); kept as asked`);
      return { time, columns, label, warnings };
    }
    const merged = mergeDuplicates(time, columns, label, opts.duplicateTimestamps);
    warnings.push(
      `${n - merged.time.length} rows with a repeated timestamp were ${opts.duplicateTimestamps === 'mean' ? 'averaged into the first' : 'dropped (first kept)'}`,
    );
    return { ...merged, warnings };
  }
  return { time, columns, label, warnings };
}

function stableTimeOrder(time: Float64Array): Uint32Array {
  const order = new Uint32Array(time.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  // TypedArray sort with a comparator is stable (ES2019).
  return order.sort((a, b) => time[a] - time[b] || a - b);
}

function permute(values: Float64Array, order: Uint32Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < order.length; i++) out[i] = values[order[i]];
  return out;
}

function mergeDuplicates(
  time: Float64Array,
  columns: Float64Array[],
  label: Float64Array | null,
  mode: 'keep-first' | 'mean',
): { time: Float64Array; columns: Float64Array[]; label: Float64Array | null } {
  const n = time.length;
  let groups = n > 0 ? 1 : 0;
  for (let i = 1; i < n; i++) if (time[i] !== time[i - 1]) groups++;
  const outTime = new Float64Array(groups);
  const outColumns = columns.map(() => new Float64Array(groups));
  const outLabel = label ? new Float64Array(groups) : null;
  let g = -1;
  let start = 0;
  for (let i = 0; i <= n; i++) {
    if (i < n && i > 0 && time[i] === time[i - 1]) continue;
    if (g >= 0) {
      // Close group g spanning rows [start, i).
      for (let c = 0; c < columns.length; c++) {
        const src = columns[c];
        if (mode === 'keep-first') {
          outColumns[c][g] = src[start];
        } else {
          let sum = 0;
          let count = 0;
          for (let k = start; k < i; k++) {
            if (!Number.isNaN(src[k])) {
              sum += src[k];
              count++;
            }
          }
          outColumns[c][g] = count > 0 ? sum / count : NaN;
        }
      }
      if (label && outLabel) {
        let anomalous = 0;
        for (let k = start; k < (mode === 'keep-first' ? start + 1 : i); k++)
          if (label[k] !== 0 && !Number.isNaN(label[k])) anomalous = 1;
        outLabel[g] = anomalous;
      }
    }
    if (i < n) {
      g++;
      start = i;
      outTime[g] = time[i];
    }
  }
  return { time: outTime, columns: outColumns, label: outLabel };
}

/** Runs of non-zero labels as half-open row intervals; NaN counts as not anomalous. */
export function labelRuns(values: ArrayLike<number>): Interval[] {
  const intervals: Interval[] = [];
  let start = -1;
  for (let i = 0; i < values.length; i++) {
    const on = values[i] !== 0 && !Number.isNaN(values[i]);
    if (on && start < 0) start = i;
    else if (!on && start >= 0) {
      intervals.push({ start, end: i });
      start = -1;
    }
  }
  if (start >= 0) intervals.push({ start, end: values.length });
  return intervals;
}

/** Notes on a label column's values that are neither 0 nor 1. */
export function labelWarnings(column: string, values: ArrayLike<number>): string[] {
  let missing = 0;
  let other = 0;
  const found = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) missing++;
    else if (v !== 0 && v !== 1) {
      other++;
      if (found.size < 6) found.add(v);
    }
  }
  const warnings: string[] = [];
  if (missing > 0) warnings.push(`label column "${column}": ${missing} missing values read as not anomalous`);
  if (other > 0) {
    const shown = [...found].sort((a, b) => a - b).join(', ');
    warnings.push(
      `label column "${column}": ${other} values other than 0 and 1 (${shown}${found.size === 6 ? ', ...' : ''}) read as anomalous`,
    );
  }
  return warnings;
}

/** UTC offset (ms) of an IANA zone at a UTC instant; cached per quarter hour (zones change on quarter hours). */
function zoneOffsets(zone: string): (utc: number) => number {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new WorkbenchError(
      'invalid_input',
      `timeZone "${zone}" is not an IANA time zone (e.g. Europe/Berlin, America/New_York)`,
      {
        parameter: 'timeZone',
        value: zone,
      },
    );
  }
  const cache = new Map<number, number>();
  return (utc) => {
    const key = Math.floor(utc / 900_000);
    let offset = cache.get(key);
    if (offset === undefined) {
      const at = key * 900_000;
      const p = Object.fromEntries(format.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
      offset = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - at;
      cache.set(key, offset);
    }
    return offset;
  };
}

const wallText = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/**
 * Local wall-clock times (read as if UTC) in an IANA zone to UTC. A time in a repeated hour (clocks turned back)
 * is placed by the file's order: the first pass before the change, and once the times step back, the second pass
 * after it. A time the zone skips (clocks turned forward) is refused, naming its row.
 */
export function localTimesToUtc(file: string, wall: Float64Array, zone: string): { time: Float64Array; warnings: string[] } {
  const offsetAt = zoneOffsets(zone);
  const out = new Float64Array(wall.length);
  let previous = -Infinity;
  let repeated = 0;
  let secondPass = 0;
  const days = new Set<string>();
  for (let i = 0; i < wall.length; i++) {
    const w = wall[i];
    if (Number.isNaN(w)) {
      out[i] = w;
      continue;
    }
    const candidates: number[] = [];
    for (const probe of [w - 43_200_000, w + 43_200_000]) {
      const off = offsetAt(probe);
      const u = w - off;
      if (offsetAt(u) === off && !candidates.includes(u)) candidates.push(u);
    }
    candidates.sort((a, b) => a - b);
    if (candidates.length === 0) {
      throw new WorkbenchError(
        'parse_error',
        `${file}: data row ${i + 1}: ${wallText(w)} does not exist in ${zone} (the clocks jump over it); fix the time or import without timeZone`,
        { file, row: i + 1, timeZone: zone },
      );
    }
    let u = candidates[0];
    if (candidates.length > 1) {
      repeated++;
      days.add(wallText(w).slice(0, 10));
      if (u < previous) {
        u = candidates[candidates.length - 1];
        secondPass++;
      }
    }
    out[i] = u;
    previous = u;
  }
  const warnings = [`local times in ${zone} converted to UTC`];
  if (repeated > 0) {
    warnings.push(
      `${repeated} rows fell in a repeated hour (clocks turned back on ${[...days].join(', ')}) and were placed by their order: ${repeated - secondPass} before the change, ${secondPass} after it`,
    );
  }
  return { time: out, warnings };
}
