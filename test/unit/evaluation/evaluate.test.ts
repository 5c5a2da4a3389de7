import { describe, expect, it } from 'vitest';
import {
  aggregateMetrics,
  aucPr,
  evaluateScores,
  intervalsFromLabels,
  iou,
  labelsFromIntervals,
  matchIntervals,
  METRIC_NAMES,
  pointPRF,
  vus,
} from '../../../main/evaluation';

const bits = (s: string) => Uint8Array.from(s.split('').map(Number));

describe('interval helpers', () => {
  it('convert between 0/1 labels and half-open intervals, clipping to the series', () => {
    expect(intervalsFromLabels(bits('1100111001'))).toEqual([
      { start: 0, end: 2 },
      { start: 4, end: 7 },
      { start: 9, end: 10 },
    ]);
    expect(
      Array.from(
        labelsFromIntervals(6, [
          { start: -2, end: 1 },
          { start: 4, end: 99 },
        ]),
      ),
    ).toEqual([1, 0, 0, 0, 1, 1]);
    expect(intervalsFromLabels(labelsFromIntervals(10, [{ start: 3, end: 5 }]))).toEqual([{ start: 3, end: 5 }]);
    expect(intervalsFromLabels(new Uint8Array(4))).toEqual([]);
  });

  it('IoU of half-open intervals', () => {
    expect(iou({ start: 0, end: 10 }, { start: 5, end: 15 })).toBeCloseTo(5 / 15, 12);
    expect(iou({ start: 0, end: 10 }, { start: 2, end: 4 })).toBeCloseTo(0.2, 12);
    expect(iou({ start: 0, end: 5 }, { start: 5, end: 9 })).toBe(0);
  });

  it('match one to one, greedily by IoU', () => {
    const truth = [
      { start: 0, end: 10 },
      { start: 20, end: 30 },
      { start: 50, end: 60 },
    ];
    const predicted = [
      { start: 5, end: 10 }, // IoU .5 with truth 0
      { start: 0, end: 4 }, // IoU .4 with truth 0, which is taken → FP
      { start: 22, end: 28 }, // IoU .6 with truth 1
      { start: 80, end: 90 }, // overlaps nothing → FP
    ];
    const m = matchIntervals(truth, predicted);
    expect(m).toMatchObject({ tp: 2, fp: 2, fn: 1 });
    // mean over the 3 true intervals, the unmatched one counting 0
    expect(m.meanIou).toBeCloseTo((0.5 + 0.6 + 0) / 3, 12);
    // one long prediction over two true intervals matches only one of them
    expect(matchIntervals(truth.slice(0, 2), [{ start: 0, end: 30 }])).toMatchObject({ tp: 1, fp: 0, fn: 1 });
    expect(matchIntervals([], [])).toEqual({ tp: 0, fp: 0, fn: 0, meanIou: null });
  });

  it('point P/R/F1 with the zero-division rule', () => {
    // labels 2..4, predicted 3..5: TP 2, FP 1, FN 1 → P = R = F1 = 2/3
    const m = pointPRF(bits('0011100000'), [{ start: 3, end: 6 }]);
    expect(m.p).toBeCloseTo(2 / 3, 12);
    expect(m.r).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(2 / 3, 12);
    expect(pointPRF(bits('0011100000'), [])).toEqual({ p: 0, r: 0, f1: 0 });
    expect(pointPRF(bits('0000000000'), [{ start: 1, end: 2 }])).toEqual({ p: 0, r: 0, f1: 0 });
    expect(pointPRF(bits('0000000000'), [])).toEqual({ p: null, r: null, f1: null });
  });
});

describe('evaluateScores', () => {
  const labels = bits('0000111000000000');
  const scores = Float32Array.from([0, 0.1, 0, 0.2, 0.9, 0.8, 0.7, 0.1, 0, 0, 0.3, 0, 0, 0.1, 0, 0]);

  it('reports every metric under its short name', () => {
    const m = evaluateScores(scores, labels, { slidingWindow: 4, predicted: [{ start: 5, end: 8 }] });
    expect(Object.keys(m).sort()).toEqual([...METRIC_NAMES].sort());
    // the anomaly holds the three highest scores
    expect(m.auc_roc).toBeCloseTo(1, 12);
    expect(m.auc_pr).toBeCloseTo(1, 12);
    expect(m.vus_pr).toBeCloseTo(vus(scores, labels, 4).pr, 14);
    // predicted 5..7 vs labels 4..6: TP 2, FP 1, FN 1
    expect(m.point_p).toBeCloseTo(2 / 3, 12);
    expect(m.point_r).toBeCloseTo(2 / 3, 12);
    expect([m.interval_tp, m.interval_fp, m.interval_fn]).toEqual([1, 0, 0]);
    expect(m.interval_f1).toBe(1);
    expect(m.mean_iou).toBeCloseTo(2 / 4, 12);
    for (const k of ['pa_f1', 'event_f1', 'range_f1', 'affiliation_f', 'pred_affiliation_f'] as const) {
      expect(m[k]).toBeGreaterThan(0);
      expect(m[k]).toBeLessThanOrEqual(1);
    }
  });

  it('without predictions leaves the prediction metrics null', () => {
    const m = evaluateScores(scores, labels, { slidingWindow: 4 });
    expect(m.point_f1).toBeNull();
    expect(m.interval_tp).toBeNull();
    expect(m.standard_f1).not.toBeNull();
  });

  it('with empty predictions counts every true interval as missed', () => {
    const m = evaluateScores(scores, labels, { slidingWindow: 4, predicted: [] });
    expect([m.point_p, m.point_r, m.point_f1]).toEqual([0, 0, 0]);
    expect([m.interval_tp, m.interval_fp, m.interval_fn, m.interval_f1, m.mean_iou]).toEqual([0, 0, 1, 0, 0]);
    expect(m.pred_affiliation_p).toBeNull();
    expect(m.pred_affiliation_r).toBe(0);
  });

  it('labels without anomalies: score metrics null, false alarms still count', () => {
    const m = evaluateScores(scores, new Uint8Array(16), { slidingWindow: 4, predicted: [{ start: 2, end: 3 }] });
    for (const k of [
      'auc_roc',
      'auc_pr',
      'vus_roc',
      'vus_pr',
      'standard_f1',
      'pa_f1',
      'affiliation_f',
      'pred_affiliation_f',
    ] as const) {
      expect(m[k]).toBeNull();
    }
    expect([m.interval_fp, m.point_p, m.mean_iou]).toEqual([1, 0, null]);
  });

  it('labels all anomalies: ROC metrics null, PR metrics 1', () => {
    const m = evaluateScores(scores, new Uint8Array(16).fill(1), { slidingWindow: 4 });
    expect(m.auc_roc).toBeNull();
    expect(m.vus_roc).toBeNull();
    expect(m.auc_pr).toBeCloseTo(1, 12);
    expect(m.vus_pr).toBeCloseTo(1, 12);
  });

  it('constant scores: AUC-ROC ½, AUC-PR = anomaly rate, nothing predicted by the sweeps', () => {
    const m = evaluateScores(new Float64Array(16).fill(0.5), labels, { slidingWindow: 4 });
    expect(m.auc_roc).toBeCloseTo(0.5, 12);
    expect(m.auc_pr).toBeCloseTo(3 / 16, 12);
    expect([m.pa_f1, m.event_f1, m.range_f1, m.affiliation_f, m.affiliation_p]).toEqual([0, 0, 0, 0, null]);
  });

  it('NaN scores count as the lowest score', () => {
    const withNaN = Float64Array.from(scores);
    withNaN[0] = NaN;
    withNaN[8] = NaN;
    expect(evaluateScores(withNaN, labels, { slidingWindow: 4 })).toEqual(evaluateScores(scores, labels, { slidingWindow: 4 }));
    expect(aucPr([NaN, NaN], [1, 0])).toBeCloseTo(0.5, 12);
  });

  it('refuses scores and labels of different lengths', () => {
    expect(() => evaluateScores(scores.subarray(1), labels, { slidingWindow: 4 })).toThrow(/15 points but labels have 16/);
  });

  it('honours cancellation', () => {
    const c = new AbortController();
    c.abort();
    expect(() => evaluateScores(scores, labels, { slidingWindow: 4, signal: c.signal })).toThrow(/cancelled/);
  });
});

describe('aggregateMetrics', () => {
  it('averages defined values, sums interval counts and recomputes interval P/R/F1 from the sums', () => {
    const a = { auc_pr: 0.5, vus_pr: 0.2, interval_tp: 1, interval_fp: 1, interval_fn: 0, interval_f1: 0.667 };
    const b = { auc_pr: null, vus_pr: 0.4, interval_tp: 3, interval_fp: 0, interval_fn: 2, interval_f1: 0.75 };
    const agg = aggregateMetrics([a, b]);
    expect(agg.auc_pr).toBe(0.5);
    expect(agg.vus_pr).toBeCloseTo(0.3, 12);
    expect(agg.interval_tp).toBe(4);
    expect(agg.interval_fn).toBe(2);
    // P = 4/5, R = 4/6 → F1 = 2·.8·.667/1.467
    expect(agg.interval_p).toBeCloseTo(0.8, 12);
    expect(agg.interval_r).toBeCloseTo(4 / 6, 12);
    expect(agg.interval_f1).toBeCloseTo((2 * 0.8 * (4 / 6)) / (0.8 + 4 / 6), 12);
    expect(agg.affiliation_f).toBeNull();
    expect(aggregateMetrics([]).auc_pr).toBeNull();
  });
});
