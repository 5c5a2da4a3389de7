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

  constructor(private readonly values: Float64Array) {
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
        let min = Infinity;
        let max = -Infinity;
        let minI = -1;
        let maxI = -1;
        let gap = -1;
        if (prev === null) {
          const end = Math.min(values.length, (b + 1) * block);
          for (let i = b * block; i < end; i++) {
            const v = values[i];
            if (v !== v) {
              if (gap < 0) gap = i;
            } else {
              if (v < min) {
                min = v;
                minI = i;
              }
              if (v > max) {
                max = v;
                maxI = i;
              }
            }
          }
        } else {
          const end = Math.min(prev.min.length, (b + 1) * FANOUT);
          for (let c = b * FANOUT; c < end; c++) {
            if (prev.gap[c] >= 0 && gap < 0) gap = prev.gap[c];
            if (prev.minIdx[c] >= 0 && prev.min[c] < min) {
              min = prev.min[c];
              minI = prev.minIdx[c];
            }
            if (prev.maxIdx[c] >= 0 && prev.max[c] > max) {
              max = prev.max[c];
              maxI = prev.maxIdx[c];
            }
          }
        }
        level.min[b] = min;
        level.max[b] = max;
        level.minIdx[b] = minI;
        level.maxIdx[b] = maxI;
        level.gap[b] = gap;
      }
      this.levels.push(level);
      prev = level;
    }
  }

  /**
   * Min and max (with indices) and the first missing index over [lo, hi). Indices are -1 when the
   * range holds no finite value / no missing value.
   */
  extremes(lo: number, hi: number): { minI: number; maxI: number; gap: number } {
    const acc = { min: Infinity, max: -Infinity, minI: -1, maxI: -1, gap: -1 };
    this.cover(lo, hi, this.levels.length - 1, acc);
    return { minI: acc.minI, maxI: acc.maxI, gap: acc.gap };
  }

  private cover(
    lo: number,
    hi: number,
    levelIndex: number,
    acc: { min: number; max: number; minI: number; maxI: number; gap: number },
  ): void {
    if (lo >= hi) return;
    if (levelIndex < 0) {
      const v = this.values;
      for (let i = lo; i < hi; i++) {
        const x = v[i];
        if (x !== x) {
          if (acc.gap < 0 || i < acc.gap) acc.gap = i;
        } else {
          if (x < acc.min) {
            acc.min = x;
            acc.minI = i;
          }
          if (x > acc.max) {
            acc.max = x;
            acc.maxI = i;
          }
        }
      }
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
      if (level.gap[b] >= 0 && (acc.gap < 0 || level.gap[b] < acc.gap)) acc.gap = level.gap[b];
      if (level.minIdx[b] >= 0 && level.min[b] < acc.min) {
        acc.min = level.min[b];
        acc.minI = level.minIdx[b];
      }
      if (level.maxIdx[b] >= 0 && level.max[b] > acc.max) {
        acc.max = level.max[b];
        acc.maxI = level.maxIdx[b];
      }
    }
    this.cover(last * level.block, hi, levelIndex - 1, acc);
  }
}

const pyramids = new WeakMap<Float64Array, MinMaxPyramid>();

/** The pyramid of a loaded series, built on first use and kept as long as the values are. */
export function pyramidFor(values: Float64Array): MinMaxPyramid {
  let p = pyramids.get(values);
  if (!p) {
    p = new MinMaxPyramid(values);
    pyramids.set(values, p);
  }
  return p;
}
