import { throwIfAborted } from '../../common/errors';
import { dominantPeriod } from '../numeric/fft';
import { mean, std } from '../numeric/stats';
import type { Detector } from './types';
import { maskMissing, meanOverCoveringWindows, prepareSeries } from './windowing';

/**
 * Period change (AnomSeer's frequency check): the dominant FFT period of sliding windows (default
 * 100 points, every `hop` points); a window's score is |p − mean(p)| / σ(p) over all windows (flat
 * windows, which have no period, score 0); each point gets the mean over the windows covering it.
 * Series shorter than one window score 0.
 */
export const periodChange: Detector = {
  id: 'period-change',
  name: 'Period change (sliding dominant period)',
  description: 'How unusual the dominant period of the surrounding window is, in standard deviations.',
  params: {
    window: { type: 'integer', default: 100, min: 8, max: 100_000, description: 'window length for the period estimate' },
    hop: { type: 'integer', default: 10, min: 1, max: 100_000, description: 'points between window starts' },
  },
  randomized: false,
  score(values, params, ctx) {
    const n = values.length;
    const { filled, missing } = prepareSeries(values);
    const w = Number(params.window);
    const hop = Number(params.hop);
    if (n < w) return maskMissing(new Float32Array(n), missing);
    const count = Math.floor((n - w) / hop) + 1;
    const periods = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      periods[k] = dominantPeriod(filled, k * hop, k * hop + w) ?? NaN;
      if ((k & 1023) === 0) {
        throwIfAborted(ctx?.signal, 'Period change');
        ctx?.progress?.(k / count);
      }
    }
    const m = mean(periods);
    const s = std(periods);
    const winScores = new Float64Array(count);
    for (let k = 0; k < count; k++) winScores[k] = Number.isFinite(periods[k]) && s > 0 ? Math.abs(periods[k] - m) / s : 0;
    const out = meanOverCoveringWindows(winScores, w, n, hop);
    // the few points after the last window's end take that window's score
    out.fill(winScores[count - 1], (count - 1) * hop + w);
    return maskMissing(out, missing);
  },
};
