import { scaleFloor, WindowStats } from '../numeric/prefix';
import type { Detector } from './types';

/** Change in spread: |log(σ after / σ before)| over two adjacent windows. */
export const varianceChange: Detector = {
  id: 'variance-change',
  name: 'Variance change',
  description: 'Absolute log ratio of the standard deviation after each point to the one before it.',
  params: { window: { type: 'integer', default: 50, min: 3, max: 100_000, description: 'length of each of the two windows' } },
  randomized: false,
  score(values, params) {
    const w = Number(params.window);
    const n = values.length;
    const s = new WindowStats(values);
    const out = new Float32Array(n);
    const floor = scaleFloor(values);
    const eps = floor * floor;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(values[i])) {
        out[i] = NaN;
        continue;
      }
      const b0 = Math.max(0, i - w);
      const a1 = Math.min(n, i + w);
      if (s.count(b0, i) < 3 || s.count(i, a1) < 3) continue;
      out[i] = Math.abs(0.5 * Math.log((s.variance(i, a1) + eps) / (s.variance(b0, i) + eps)));
    }
    return out;
  },
};
