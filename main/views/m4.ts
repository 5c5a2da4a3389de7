/**
 * Reduction of a series range for drawing: per pixel column keep the first, min, max and last point
 * (M4), so spikes never vanish and the drawn line is pixel-identical to drawing every point. A column
 * that contains missing values gets a null point so the line breaks there (gaps are drawn as gaps).
 */
import { scanExtremes, type Extremes, type MinMaxPyramid } from './pyramid';

export interface ReducedRange {
  x: number[];
  y: (number | null)[];
  reduced: boolean;
}

/** Below this many points per pixel the raw points are returned unreduced. */
export const RAW_POINTS_PER_PIXEL = 4;

/** Columns at least this wide use the pyramid (when given) instead of scanning their points. */
const PYRAMID_MIN_COLUMN = 256;

export function reduceRange(
  values: Float64Array | Float32Array,
  from: number,
  to: number,
  pixels: number,
  pyramid?: MinMaxPyramid,
): ReducedRange {
  const lo = Math.max(0, Math.min(from, values.length));
  const hi = Math.max(lo, Math.min(to, values.length));
  const n = hi - lo;
  if (n <= pixels * RAW_POINTS_PER_PIXEL) {
    const x = new Array<number>(n);
    const y = new Array<number | null>(n);
    for (let i = 0; i < n; i++) {
      const v = values[lo + i];
      x[i] = lo + i;
      y[i] = Number.isNaN(v) ? null : v;
    }
    return { x, y, reduced: false };
  }
  const x: number[] = [];
  const y: (number | null)[] = [];
  const step = n / pixels;
  for (let p = 0; p < pixels; p++) {
    const b0 = lo + Math.floor(p * step);
    const b1 = p === pixels - 1 ? hi : lo + Math.floor((p + 1) * step);
    if (b1 <= b0) continue;
    const e = pyramid && b1 - b0 >= PYRAMID_MIN_COLUMN ? pyramid.extremes(b0, b1) : scanExtremes(values, b0, b1);
    pushColumn(values, b0, b1, e, x, y);
  }
  return { x, y, reduced: true };
}

/** One M4 column: first and last finite points (short edge scans), extremes, and a null at the first gap. */
function pushColumn(
  values: Float64Array | Float32Array,
  b0: number,
  b1: number,
  e: Extremes,
  x: number[],
  y: (number | null)[],
): void {
  if (e.minI < 0) {
    x.push(b0);
    y.push(null);
    return;
  }
  let first = b0;
  while (Number.isNaN(values[first])) first++;
  let last = b1 - 1;
  while (Number.isNaN(values[last])) last--;
  const picks = [first, e.minI, e.maxI, last];
  if (e.gap >= 0) picks.push(e.gap);
  picks.sort((a, b) => a - b);
  let prev = -1;
  for (const i of picks) {
    if (i === prev) continue;
    prev = i;
    x.push(i);
    const v = values[i];
    y.push(Number.isNaN(v) ? null : v);
  }
}
