import { seededRandom } from '../numeric/random';
import type { Detector } from './types';

/** Average path length of an unsuccessful BST search among n points (Liu et al. 2008). */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + 0.5772156649) - (2 * (n - 1)) / n;
}

interface Leaf {
  lo: number;
  hi: number;
  depth: number;
}

/** One isolation tree over 1-D samples, returned as the leaves it cuts the line into. */
function buildTree(sample: Float64Array, rand: () => number, maxDepth: number): Leaf[] {
  const leaves: Leaf[] = [];
  const grow = (pts: Float64Array, lo: number, hi: number, depth: number) => {
    let min = Infinity;
    let max = -Infinity;
    for (const v of pts) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (depth >= maxDepth || pts.length <= 1 || min === max) {
      leaves.push({ lo, hi, depth: depth + averagePathLength(pts.length) });
      return;
    }
    const split = min + rand() * (max - min);
    grow(
      pts.filter((v) => v < split),
      lo,
      split,
      depth + 1,
    );
    grow(
      pts.filter((v) => v >= split),
      split,
      hi,
      depth + 1,
    );
  };
  grow(sample, -Infinity, Infinity, 0);
  return leaves;
}

/**
 * Isolation Forest on point values (200 trees of 256 samples, seeded). In one dimension every tree
 * cuts the line into intervals, so the forest's mean path length is constant between consecutive
 * split points of all trees: those segments are scored once and each point needs one binary search,
 * which is what makes this fast on millions of points. Score = 2^(−E[h]/c(ψ)), as in the paper.
 */
export const isolationForest: Detector = {
  id: 'iforest',
  name: 'Isolation Forest (point-wise)',
  description: 'How easily random splits isolate each value; rare values are isolated in few splits.',
  params: {
    trees: { type: 'integer', default: 200, min: 1, max: 2000, description: 'number of trees' },
    samples: { type: 'integer', default: 256, min: 2, max: 100_000, description: 'sub-sample size per tree' },
    seed: { type: 'integer', default: 42, min: 0, max: 2 ** 31 - 1, description: 'random seed (same seed, same scores)' },
  },
  randomized: true,
  score(values, params) {
    const n = values.length;
    const finite = Float64Array.from(values.filter((v) => Number.isFinite(v)));
    const out = new Float32Array(n);
    if (finite.length < 2) return out.fill(NaN);
    const rand = seededRandom(Number(params.seed));
    const psi = Math.min(Number(params.samples), finite.length);
    const maxDepth = Math.ceil(Math.log2(Math.max(2, psi)));
    const trees: Leaf[][] = [];
    for (let t = 0; t < Number(params.trees); t++) {
      const sample = new Float64Array(psi);
      for (let i = 0; i < psi; i++) sample[i] = finite[Math.floor(rand() * finite.length)];
      trees.push(buildTree(sample, rand, maxDepth).sort((a, b) => a.lo - b.lo));
    }
    // all split points of all trees, and the mean depth on each segment between them
    const cuts = Float64Array.from(new Set(trees.flatMap((leaves) => leaves.slice(1).map((l) => l.lo)))).sort();
    const segDepth = new Float64Array(cuts.length + 1);
    for (const leaves of trees) {
      let li = 0;
      for (let s = 0; s <= cuts.length; s++) {
        // a representative point of segment s: just below cuts[s]
        const x = s < cuts.length ? cuts[s] : Infinity;
        while (li + 1 < leaves.length && leaves[li + 1].lo < x) li++;
        segDepth[s] += leaves[li].depth;
      }
    }
    const c = averagePathLength(psi);
    const segScore = segDepth.map((d) => 2 ** (-(d / trees.length) / c));
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) {
        out[i] = NaN;
        continue;
      }
      let lo = 0;
      let hi = cuts.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cuts[mid] <= v) lo = mid + 1;
        else hi = mid;
      }
      out[i] = segScore[lo];
    }
    return out;
  },
};
