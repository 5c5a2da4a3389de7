import { throwIfAborted } from '../../common/errors';
import { scaleFloor } from '../numeric/prefix';
import type { Detector } from './types';

/**
 * Robust rolling z-score: |x − median| / (IQR / 1.349) over the trailing window. The IQR-based scale
 * is a standard robust σ estimate that, unlike MAD, comes straight off the sorted window, which keeps
 * this O(n·w) with small constants. Points with fewer than 3 finite values behind them score 0.
 */
export const rollingZscore: Detector = {
  id: 'rolling-zscore',
  name: 'Robust rolling z-score',
  description: 'How many robust standard deviations each point lies from the median of the window before it.',
  params: {
    window: { type: 'integer', default: 100, min: 3, max: 100_000, description: 'trailing window length, in points' },
  },
  randomized: false,
  score(values, params, ctx) {
    const w = Number(params.window);
    const n = values.length;
    const out = new Float32Array(n);
    const floor = scaleFloor(values);
    const sorted = new Float64Array(w);
    let size = 0;
    const insert = (v: number) => {
      let lo = 0;
      let hi = size;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid] < v) lo = mid + 1;
        else hi = mid;
      }
      sorted.copyWithin(lo + 1, lo, size);
      sorted[lo] = v;
      size++;
    };
    const remove = (v: number) => {
      let lo = 0;
      let hi = size;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid] < v) lo = mid + 1;
        else hi = mid;
      }
      sorted.copyWithin(lo, lo + 1, size);
      size--;
    };
    const at = (q: number) => {
      const pos = q * (size - 1);
      const i = Math.floor(pos);
      return i + 1 < size ? sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
    };
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) out[i] = NaN;
      else if (size >= 3) {
        const scale = Math.max((at(0.75) - at(0.25)) / 1.349, floor);
        out[i] = Math.abs(v - at(0.5)) / scale;
      }
      // slide: the window behind point i + 1 is values[i + 1 - w, i]
      const leaving = i - w >= 0 ? values[i - w] : NaN;
      if (Number.isFinite(leaving)) remove(leaving);
      if (Number.isFinite(v)) insert(v);
      if ((i & 0xffff) === 0) {
        ctx?.progress?.(i / n);
        throwIfAborted(ctx?.signal, 'Rolling z-score');
      }
    }
    return out;
  },
};
