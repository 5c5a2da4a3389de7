/**
 * A min/max pyramid over a series, so an M4 view of any range costs O(pixels × log) instead of a
 * scan of every point: each level stores, per block, the min and max (with their indices) and
 * whether the block holds a missing value. Pixel buckets are covered by whole blocks from the
 * coarsest level that fits, and raw points only at their ragged edges.
 */
const FANOUT = 64;

interface Level {
  block: number;
  min: Float64Array;
  max: Float64Array;
  minIdx: Int32Array;
  maxIdx: Int32Array;
  /** index of the first missing value in the block, or -1 */
  gap: Int32Array;
}

export class MinMaxPyramid {
  private readonly levels: Level[] = [];

  constructor(private readonly values: Float64Array | Float32Array) {
    let prev: Level | null = null;
    for (let block = FANOUT; block < values.length; block *= FANOUT) {
      const n = Math.ceil(values.length / block);
      const level: Level = {
        block,
        min: new Float64Array(n),
        max: new Float64Array(n),
        minIdx: new Int32Array(n),
        maxIdx: new Int32Array(n),
        gap: new Int32Array(n),
      };
      for (let b = 0; b < n; b++) {
        let e: Extremes;
        if (prev === null) e = scanExtremes(values, b * block, Math.min(values.length, (b + 1) * block));
        else {
          e = { min: Infinity, max: -Infinity, minI: -1, maxI: -1, gap: -1 };
          const end = Math.min(prev.min.length, (b + 1) * FANOUT);
          for (let c = b * FANOUT; c < end; c++) {
            mergeExtremes(e, {
              min: prev.min[c],
              max: prev.max[c],
              minI: prev.minIdx[c],
              maxI: prev.maxIdx[c],
              gap: prev.gap[c],
            });
          }
        }
        level.min[b] = e.min;
        level.max[b] = e.max;
        level.minIdx[b] = e.minI;
        level.maxIdx[b] = e.maxI;
        level.gap[b] = e.gap;
      }
      this.levels.push(level);
      prev = level;
    }
  }

  /**
   * Min and max (with indices) and the first missing index over [lo, hi). Indices are -1 when the
   * range holds no finite value / no missing value.
   */
  extremes(lo: number, hi: number): Extremes {
    const acc: Extremes = { min: Infinity, max: -Infinity, minI: -1, maxI: -1, gap: -1 };
    this.cover(lo, hi, this.levels.length - 1, acc);
    return acc;
  }

  private cover(lo: number, hi: number, levelIndex: number, acc: Extremes): void {
    if (lo >= hi) return;
    if (levelIndex < 0) {
      mergeExtremes(acc, scanExtremes(this.values, lo, hi));
      return;
    }
    const level = this.levels[levelIndex];
    const first = Math.ceil(lo / level.block);
    const last = Math.floor(hi / level.block); // blocks [first, last) lie wholly inside
    if (first >= last) {
      this.cover(lo, hi, levelIndex - 1, acc);
      return;
    }
    this.cover(lo, first * level.block, levelIndex - 1, acc);
    for (let b = first; b < last; b++) {
      mergeExtremes(acc, {
        min: level.min[b],
        max: level.max[b],
        minI: level.minIdx[b],
        maxI: level.maxIdx[b],
        gap: level.gap[b],
      });
    }
    this.cover(last * level.block, hi, levelIndex - 1, acc);
  }
}

export interface Extremes {
  min: number;
  max: number;
  /** -1 when the range holds no finite value */
  minI: number;
  maxI: number;
  /** index of the first missing value, or -1 */
  gap: number;
}

/** Min, max (first occurrences) and first missing index of values[lo, hi), by a plain scan. */
export function scanExtremes(values: Float64Array | Float32Array, lo: number, hi: number): Extremes {
  const e: Extremes = { min: Infinity, max: -Infinity, minI: -1, maxI: -1, gap: -1 };
  for (let i = lo; i < hi; i++) {
    const v = values[i];
    if (v !== v) {
      if (e.gap < 0) e.gap = i;
    } else {
      if (v < e.min) {
        e.min = v;
        e.minI = i;
      }
      if (v > e.max) {
        e.max = v;
        e.maxI = i;
      }
    }
  }
  return e;
}

/** Folds `next` (a range to the right of what `acc` covers) into `acc`, keeping first occurrences. */
function mergeExtremes(acc: Extremes, next: Extremes): void {
  if (next.gap >= 0 && (acc.gap < 0 || next.gap < acc.gap)) acc.gap = next.gap;
  if (next.minI >= 0 && next.min < acc.min) {
    acc.min = next.min;
    acc.minI = next.minI;
  }
  if (next.maxI >= 0 && next.max > acc.max) {
    acc.max = next.max;
    acc.maxI = next.maxI;
  }
}

const pyramids = new WeakMap<Float64Array | Float32Array, MinMaxPyramid>();

/** The pyramid of a loaded series, built on first use and kept as long as the values are. */
export function pyramidFor(values: Float64Array | Float32Array): MinMaxPyramid {
  let p = pyramids.get(values);
  if (!p) {
    p = new MinMaxPyramid(values);
    pyramids.set(values, p);
  }
  return p;
}
