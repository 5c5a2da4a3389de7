import { describe, expect, it } from 'vitest';
import { modelDetector, movingMax, movingMean, resolveModel, smoothScores } from '../../../main/inference';
import { createRng, generateSeries } from '../../../main/synth';

function naive(x: Float32Array, h: number, f: (xs: number[]) => number): Float32Array {
  return Float32Array.from(x, (_, i) => f(Array.from(x.subarray(Math.max(0, i - h), Math.min(x.length, i + h + 1)))));
}

describe('score smoothing', () => {
  it('moving max and mean match the obvious versions', () => {
    const rng = createRng(5);
    for (const [n, h] of [
      [1, 3],
      [10, 1],
      [57, 4],
      [200, 30],
    ] as const) {
      const x = Float32Array.from({ length: n }, () => rng.next());
      expect(Array.from(movingMax(x, h))).toEqual(Array.from(naive(x, h, (xs) => Math.max(...xs))));
      const mean = naive(x, h, (xs) => xs.reduce((a, b) => a + b, 0) / xs.length);
      movingMean(x, h).forEach((v, i) => expect(v).toBeCloseTo(mean[i] as number, 5));
    }
  });

  it("'none' leaves scores alone; 'period' spreads a spike over its neighbourhood", () => {
    const values = Float64Array.from({ length: 400 }, (_, i) => Math.sin((2 * Math.PI * i) / 25));
    const scores = new Float32Array(400).fill(0.1);
    scores[200] = 0.9;
    expect(smoothScores(scores, values, 'none')).toBe(scores);
    const s = smoothScores(scores, values, 'period');
    expect(s[200]).toBeGreaterThan(0.1);
    expect(s[205]).toBeGreaterThan(0.1);
    expect(s[0]).toBeCloseTo(0.1, 6);
  });

  it('the model detector smooths as its card says, and keeps NaN only at missing points', async () => {
    const entry = await resolveModel('tsad-window-cnn');
    const detector = await modelDetector(entry.id);
    try {
      expect(detector.params.smooth?.default).toBe(entry.card.postprocessing?.smooth ?? 'none');
      const s = generateSeries({ length: 3000, seed: 8, anomalies: 3, types: ['dropout', 'global-point', 'level-shift'] });
      const smoothed = await detector.score(s.values, { stride: 256, batchSize: 16, smooth: 'period' });
      const raw = await detector.score(s.values, { stride: 256, batchSize: 16, smooth: 'none' });
      s.values.forEach((v, i) => {
        expect(Number.isNaN(smoothed[i])).toBe(!Number.isFinite(v));
        expect(Number.isNaN(raw[i])).toBe(!Number.isFinite(v));
      });
      expect(Array.from(smoothed)).not.toEqual(Array.from(raw));
    } finally {
      await detector.release();
    }
  });

  it('scores at the scales its card lists (or those asked for), and refuses bad scales by name', async () => {
    const entry = await resolveModel('tsad-window-cnn');
    const detector = await modelDetector(entry.id);
    try {
      expect(detector.params.scales?.default).toBe((entry.card.postprocessing?.scales ?? [1]).join(','));
      const s = generateSeries({ length: 9000, seed: 4, anomalies: 3, types: ['level-shift', 'trend-change', 'global-point'] });
      const multi = await detector.score(s.values, { stride: 256, batchSize: 16, smooth: 'none', scales: '1,4,16' });
      expect(detector.lastExecution()?.scales).toEqual([1, 4, 16]);
      const single = await detector.score(s.values, { stride: 256, batchSize: 16, smooth: 'none', scales: '1' });
      expect(detector.lastExecution()?.scales).toEqual([1]);
      expect(single.every((v) => v >= 0 && v <= 1)).toBe(true); // one scale: the model's probabilities
      expect(Array.from(multi)).not.toEqual(Array.from(single));
      await expect(detector.score(s.values, { scales: '4,16' })).rejects.toMatchObject({
        code: 'invalid_input',
        details: { parameter: 'scales' },
      });
    } finally {
      await detector.release();
    }
  });
});
