import { describe, expect, it } from 'vitest';
import { vus, vusPr, vusRoc } from '../../../main/evaluation';
import { rangeAucVolumeOpt } from './tsb-ad-port';

function rng(seed: number): () => number {
  return () => (seed = (seed * 16807) % 2147483647) / 2147483647;
}

describe('VUS (TSB-AD RangeAUC_volume_opt)', () => {
  it('matches a hand computation on four points', () => {
    // scores .9 .8 .4 .1, labels 1 0 1 0; thresholds at ranks 0 (k<83), 1, 2, 3 of 250.
    // buffers w = 0, 1 (no extension): (TPR, precision) = (¼,1) (¼,½) (1,⅔) (1,½) → AP = ¼ + ¾·⅔ = ¾;
    //   FPR = 0, ½, ½, 1 → ROC = ½·¼ + ½·1 = ⅝.
    // w = 2: point 1 gets min(1, 2√½) = 1, point 3 gets √½; both runs merge into one buffered run,
    //   TPR = ½, .8, 1, 1 with precision 1, 1, 1, .93 → AP = 1; FPR = 0, 0, 0, .26 → ROC = 1.
    const scores = [0.9, 0.8, 0.4, 0.1];
    const labels = [1, 0, 1, 0];
    expect(vusPr(scores, labels, 0)).toBeCloseTo(0.75, 12);
    expect(vusRoc(scores, labels, 0)).toBeCloseTo(0.625, 12);
    expect(vusPr(scores, labels, 2)).toBeCloseTo((0.75 + 0.75 + 1) / 3, 12);
    expect(vusRoc(scores, labels, 2)).toBeCloseTo((0.625 + 0.625 + 1) / 3, 12);
  });

  it('agrees with a line-by-line port of TSB-AD on random series (ties, runs at both ends, merging buffers)', () => {
    const r = rng(42);
    for (let trial = 0; trial < 12; trial++) {
      const n = 80 + Math.floor(r() * 300);
      const labels = new Array<number>(n).fill(0);
      const runs = 1 + Math.floor(r() * 5);
      for (let k = 0; k < runs; k++) {
        const start = trial === 0 && k === 0 ? 0 : Math.floor(r() * n);
        const len = 1 + Math.floor(r() * 12);
        for (let t = start; t < Math.min(n, start + len); t++) labels[t] = 1;
      }
      if (trial === 1) labels[n - 1] = 1;
      const quantized = trial % 3 === 0;
      const scores = labels.map((y) => {
        const v = r() + (y ? 0.4 : 0);
        return quantized ? Math.round(v * 5) / 5 : v;
      });
      const window = Math.floor(r() * 40);
      const [roc, pr] = rangeAucVolumeOpt(labels, scores, window);
      const got = vus(scores, labels, window);
      expect(got.pr).toBeCloseTo(pr, 10);
      expect(got.roc!).toBeCloseTo(roc, 10);
    }
  });

  it('prefers a score that peaks on the anomaly', () => {
    const labels = new Uint8Array(300).fill(1, 140, 150);
    const good = Float64Array.from({ length: 300 }, (_, i) => (i >= 140 && i < 150 ? 1 : 0.01 * (i % 7)));
    const bad = Float64Array.from({ length: 300 }, (_, i) => (i >= 20 && i < 30 ? 1 : 0.01 * (i % 7)));
    expect(vusPr(good, labels, 10)).toBeGreaterThan(0.9);
    expect(vusPr(bad, labels, 10)).toBeLessThan(0.2);
  });

  it('handles NaN (lowest score), constant scores and all-anomaly labels; refuses no anomalies and bad input', () => {
    const labels = [0, 0, 1, 1, 0, 0];
    // NaN replaced by the lowest finite score (0) gives the same as writing 0
    expect(vusPr([NaN, 0.1, 0.9, 0.8, 0, 0.2], labels, 2)).toBeCloseTo(vusPr([0, 0.1, 0.9, 0.8, 0, 0.2], labels, 2), 14);
    // constant scores: every threshold flags everything → TPR = 1 at once, precision = TP/n
    const [, pr] = rangeAucVolumeOpt(labels, [1, 1, 1, 1, 1, 1], 2);
    expect(vusPr([1, 1, 1, 1, 1, 1], labels, 2)).toBeCloseTo(pr, 12);
    expect(vusPr([1, 1, 1, 1, 1, 1], labels, 0)).toBeCloseTo(2 / 6, 12);
    // all anomalies: precision 1 everywhere → VUS-PR 1; no negatives → VUS-ROC undefined
    expect(vus([0.3, 0.1, 0.2], [1, 1, 1], 4)).toEqual({ pr: 1, roc: null });
    expect(Number.isNaN(vusRoc([0.3, 0.1, 0.2], [1, 1, 1], 4))).toBe(true);
    expect(() => vusPr([1, 2, 3], [0, 0, 0], 2)).toThrow(/no anomaly/);
    expect(() => vusPr([1, 2], [0, 1, 0], 2)).toThrow(/2 points but labels have 3/);
    expect(() => vusPr([1, 2, 3], [0, 1, 0], -1)).toThrow(/slidingWindow/);
  });

  it('reports progress and honours cancellation', () => {
    const labels = new Uint8Array(200).fill(1, 50, 60);
    const scores = Float64Array.from({ length: 200 }, (_, i) => Math.sin(i));
    const seen: number[] = [];
    vus(scores, labels, 9, { progress: (f) => seen.push(f) });
    expect(seen.at(-1)).toBe(1);
    const controller = new AbortController();
    controller.abort();
    expect(() => vus(scores, labels, 9, { signal: controller.signal })).toThrow(/cancelled/);
  });
});
