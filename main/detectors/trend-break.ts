import { savgolFilter } from '../numeric/savgol';
import { mean, std } from '../numeric/stats';
import type { Detector } from './types';
import { maskMissing, prepareSeries } from './windowing';

/**
 * Trend break (AnomSeer's trend check): Savitzky–Golay smoothing (window 21, order 2), its gradient
 * (central differences, like numpy.gradient), and the score |g − mean(g)| / σ(g): how unusual the
 * local slope is. A constant or straight-line series scores 0.
 */
export const trendBreak: Detector = {
  id: 'trend-break',
  name: 'Trend break (Savitzky–Golay gradient)',
  description: 'How far the smoothed local slope lies from the typical slope, in standard deviations.',
  params: {
    window: { type: 'integer', default: 21, min: 3, max: 10_001, description: 'Savitzky–Golay window (odd)' },
    order: { type: 'integer', default: 2, min: 1, max: 6, description: 'Savitzky–Golay polynomial order (< window)' },
  },
  randomized: false,
  score(values, params) {
    const n = values.length;
    const { filled, missing } = prepareSeries(values);
    const out = new Float32Array(n);
    if (n < 3) return maskMissing(out, missing);
    let w = Number(params.window);
    if (w % 2 === 0) w += 1;
    const order = Math.min(Number(params.order), w - 1);
    const smooth = savgolFilter(filled, w, order);
    const g = new Float64Array(n);
    g[0] = smooth[1] - smooth[0];
    g[n - 1] = smooth[n - 1] - smooth[n - 2];
    for (let i = 1; i < n - 1; i++) g[i] = (smooth[i + 1] - smooth[i - 1]) / 2;
    const m = mean(g);
    const s = std(g);
    // slopes equal up to rounding: no break anywhere
    const tiny = 1e-9 * (Math.abs(m) + std(filled) / n + 1e-300);
    if (s > tiny) for (let i = 0; i < n; i++) out[i] = Math.abs(g[i] - m) / s;
    return maskMissing(out, missing);
  },
};
