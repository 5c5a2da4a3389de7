import { describe, expect, it } from 'vitest';
import { computeEvidence } from '../../../main/reasoning';
import { evaluateSelections, tuneSelection, type TuningSeries } from '../../../main/verify/tune';

// a flat, lightly noisy series with spikes at the given starts (6 points each)
function series(length: number, spikes: number[]): Float64Array {
  const v = Float64Array.from({ length }, (_, i) => Math.sin(i / 7) * 0.1);
  for (const s of spikes) for (let i = s; i < s + 6; i++) v[i] = 5;
  return v;
}

function tuning(
  values: Float64Array,
  cands: [number, number, number][],
  truth: [number, number][],
  anomalyFree = false,
): TuningSeries {
  return {
    values,
    period: 20,
    candidates: cands.map(([start, end, probability]) => ({
      start,
      end,
      probability,
      evidence: computeEvidence(values, { start, end }),
    })),
    truth: truth.map(([start, end]) => ({ start, end })),
    anomalyFree,
  };
}

describe('tuning the label-free selection on training series', () => {
  // labeled series: the real anomalies get 0.45 and 0.6, a false alarm 0.3; anomaly-free series: a burst at 0.4
  const labeled = tuning(
    series(5000, [1000, 3000]),
    [
      [995, 1010, 0.45],
      [2995, 3010, 0.6],
      [4000, 4010, 0.3],
    ],
    [
      [1000, 1006],
      [3000, 3006],
    ],
  );
  const free = tuning(series(20_000, [7000]), [[6995, 7010, 0.4]], [], true);

  it('measures F1, Affiliation-F and false alarms per 10k for each setting as a run would keep them', () => {
    const grid = { minProbability: [0.5, 0.42, 0.25], falseAlarmsPer10k: [8], keepTopAbove: [null] };
    const [strict, middle, loose] = evaluateSelections([labeled, free], grid);
    // p ≥ 0.5: one of two found, no false alarm anywhere
    expect(strict.f1).toBeCloseTo(2 / 3, 6);
    expect(strict.falseAlarmsPer10k).toBe(0);
    // p ≥ 0.42: both found; the anomaly-free series' burst is below it
    expect(middle.f1).toBeCloseTo(1, 6);
    expect(middle.falseAlarmsPer10k).toBe(0);
    // p ≥ 0.25: the false alarm on the labeled series and the burst on the free one come in
    expect(loose.f1).toBeCloseTo(0.8, 6);
    expect(loose.falseAlarmsPer10k).toBeCloseTo(0.5, 6);
    expect(middle.affiliationF).toBeGreaterThan(loose.affiliationF);
  });

  it('picks the best setting within the false-alarm target, and the fewest false alarms when none is', () => {
    const grid = { minProbability: [0.6, 0.42, 0.35], falseAlarmsPer10k: [8], keepTopAbove: [null] };
    expect(tuneSelection([labeled, free], { grid }).selection.minProbability).toBe(0.42);
    // with the burst at 0.5 every setting that finds both anomalies also raises it; the target rules them out
    const noisy = tuning(series(20_000, [7000]), [[6995, 7010, 0.5]], [], true);
    const t = tuneSelection([labeled, noisy], { grid, maxFalseAlarmsPer10k: 0.1 });
    expect(t.selection.minProbability).toBe(0.6);
    expect(t.falseAlarmsPer10k).toBe(0);
  });
});
