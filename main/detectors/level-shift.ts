import { scaleFloor, WindowStats } from '../numeric/prefix';
import type { Detector } from './types';

/** Change in level: |mean after − mean before| over two adjacent windows, in pooled standard deviations. */
export const levelShift: Detector = {
  id: 'level-shift',
  name: 'Level shift',
  description:
    'Difference between the mean of the window after each point and the window before it, in pooled standard deviations.',
  params: { window: { type: 'integer', default: 50, min: 2, max: 100_000, description: 'length of each of the two windows' } },
  randomized: false,
  score(values, params) {
    const w = Number(params.window);
    const n = values.length;
    const s = new WindowStats(values);
    const out = new Float32Array(n);
    const floor = scaleFloor(values);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(values[i])) {
        out[i] = NaN;
        continue;
      }
      const b0 = Math.max(0, i - w);
      const a1 = Math.min(n, i + w);
      if (s.count(b0, i) < 2 || s.count(i, a1) < 2) continue;
      const pooled = Math.max(Math.sqrt((s.variance(b0, i) + s.variance(i, a1)) / 2), floor);
      out[i] = Math.abs(s.mean(i, a1) - s.mean(b0, i)) / pooled;
    }
    return out;
  },
};
