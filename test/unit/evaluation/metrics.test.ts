import { describe, expect, it } from 'vitest';
import { aggregateMetrics, aucPr, aucRoc, evaluateScores, matchIntervals, paF1, standardF1 } from '../../../main/evaluation';

const L = (s: string) => Uint8Array.from(s.split('').map(Number));

describe('threshold-free metrics', () => {
  it('AUC-ROC counts correctly ordered positive/negative pairs, ties as half', () => {
    // positives {0.9, 0.4}, negatives {0.8, 0.1}: pairs (0.9>0.8) (0.9>0.1) (0.4<0.8) (0.4>0.1) → 3/4
    expect(aucRoc([0.9, 0.8, 0.4, 0.1], [1, 0, 1, 0])).toBeCloseTo(0.75, 12);
    // a tie between a positive and a negative counts 1/2: pairs (0.5=0.5) → 0.5, (0.5>0.1) → 1 → 0.75
    expect(aucRoc([0.5, 0.5, 0.1], [1, 0, 0])).toBeCloseTo(0.75, 12);
    expect(aucRoc([1, 2, 3], [0, 0, 0])).toBeNull();
    expect(aucRoc([1, 2, 3], [1, 1, 1])).toBeNull();
  });

  it('AUC-PR is sklearn average precision', () => {
    // sorted: 0.9(1) 0.8(0) 0.4(1) 0.1(0): AP = 0.5·1 + 0.5·(2/3) = 0.8333…
    expect(aucPr([0.9, 0.8, 0.4, 0.1], [1, 0, 1, 0])).toBeCloseTo(5 / 6, 12);
    // constant scores: one threshold, precision = base rate
    expect(aucPr([1, 1, 1, 1], [1, 0, 0, 0])).toBeCloseTo(0.25, 12);
    // NaN scores rank lowest
    expect(aucPr([NaN, 0.2, 0.1], [1, 0, 0])).toBeCloseTo(1 / 3, 12);
    expect(aucPr([1, 2], [0, 0])).toBeNull();
  });

  it('Standard-F1 is the best F1 on the PR curve', () => {
    // thresholds: top1 → P1 R.5 F.667; top2 → P.5 R.5; top3 → P2/3 R1 F.8 ← best
    expect(standardF1([0.9, 0.8, 0.4, 0.1], [1, 0, 1, 0])).toBeCloseTo(0.8, 12);
  });

  it('PA-F1 credits a whole event when one of its points is flagged', () => {
    const labels = L('0011110000');
    const scores = [0, 0, 0, 0, 9, 0, 0, 0, 0, 0]; // only one point of the event is high
    expect(paF1(scores, labels)).toBeCloseTo(1, 12);
    // Standard-F1 cannot do better than flagging everything: P=.4, R=1 → 4/7 (the spike alone: P=1, R=1/4 → 0.4)
    expect(standardF1(scores, labels)).toBeCloseTo(4 / 7, 12);
    expect(paF1(scores, L('0000000000'))).toBeNull();
  });
});

describe('interval metrics', () => {
  it('match intervals one to one by IoU', () => {
    const truth = [
      { start: 0, end: 10 },
      { start: 20, end: 30 },
      { start: 50, end: 60 },
    ];
    const predicted = [
      { start: 5, end: 10 }, // IoU .5 with truth 0
      { start: 0, end: 4 }, // also overlaps truth 0, but truth 0 is taken → FP
      { start: 22, end: 28 }, // IoU .6
      { start: 80, end: 90 }, // FP
    ];
    const m = matchIntervals(truth, predicted);
    expect(m).toMatchObject({ tp: 2, fp: 2, fn: 1 });
    expect(m.meanIou).toBeCloseTo((0.5 + 0.6 + 0) / 3, 12);
  });

  it('evaluateScores reports point and interval figures from predictions and refuses length mismatches', () => {
    const labels = L('0011100000');
    const m = evaluateScores([0, 0, 1, 1, 1, 0, 0, 0, 0, 0], labels, { predicted: [{ start: 3, end: 6 }] });
    expect(m.point_p).toBeCloseTo(2 / 3, 12);
    expect(m.point_r).toBeCloseTo(2 / 3, 12);
    expect(m.interval_f1).toBeCloseTo(1, 12);
    expect(m.auc_roc).toBeCloseTo(1, 12);
    expect(() => evaluateScores([1, 2], labels)).toThrow(/2 points/);
  });

  it('aggregates by mean, but sums interval counts (VisAnomBench convention)', () => {
    const a = { auc_pr: 0.5, interval_tp: 1, interval_fp: 1, interval_fn: 0, interval_f1: 0.667 };
    const b = { auc_pr: null, interval_tp: 3, interval_fp: 0, interval_fn: 2, interval_f1: 0.75 };
    const agg = aggregateMetrics([a, b]);
    expect(agg.auc_pr).toBe(0.5);
    expect(agg.interval_tp).toBe(4);
    // P = 4/5, R = 4/6 → F1 = 2·.8·.667/(1.467) = 0.727…
    expect(agg.interval_f1).toBeCloseTo((2 * 0.8 * (4 / 6)) / (0.8 + 4 / 6), 12);
  });
});

describe('VUS-PR', () => {
  it('is null without anomalies, prefers a score that peaks on the anomaly, and refuses nothing for NaN scores', async () => {
    const { vusPr } = await import('../../../main/evaluation');
    const labels = new Uint8Array(300);
    labels.fill(1, 140, 150);
    const good = Float64Array.from({ length: 300 }, (_, i) => (i >= 140 && i < 150 ? 1 : 0.01 * (i % 7)));
    const bad = Float64Array.from({ length: 300 }, (_, i) => (i >= 20 && i < 30 ? 1 : 0.01 * (i % 7)));
    expect(vusPr(good, new Uint8Array(300), 10)).toBeNull();
    expect(vusPr(good, labels, 10)!).toBeGreaterThan(0.9);
    expect(vusPr(bad, labels, 10)!).toBeLessThan(vusPr(good, labels, 10)!);
    const withNaN = Float64Array.from(good);
    withNaN[5] = NaN;
    expect(Number.isFinite(vusPr(withNaN, labels, 10)!)).toBe(true);
  });
});
