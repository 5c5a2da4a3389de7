import { describe, expect, it } from 'vitest';
import { aucPr, aucRoc, standardF1 } from '../../../main/evaluation';

/** Standard-F1 with TSB-AD's 1e-5 in the denominator. */
const f1 = (p: number, r: number) => (2 * p * r) / (p + r + 1e-5);

describe('AUC-ROC', () => {
  it('counts correctly ordered positive/negative pairs, ties as half', () => {
    // positives {0.9, 0.4}, negatives {0.8, 0.1}: (0.9>0.8) (0.9>0.1) (0.4<0.8) (0.4>0.1) → 3/4
    expect(aucRoc([0.9, 0.8, 0.4, 0.1], [1, 0, 1, 0])).toBeCloseTo(0.75, 12);
    // positive 0.5 vs negatives {0.5, 0.1}: tie → ½, win → 1 → (½ + 1)/2 = 0.75
    expect(aucRoc([0.5, 0.5, 0.1], [1, 0, 0])).toBeCloseTo(0.75, 12);
  });

  it('is 0.5 for constant scores and null without positives or without negatives', () => {
    expect(aucRoc([3, 3, 3, 3], [0, 1, 0, 0])).toBeCloseTo(0.5, 12);
    expect(aucRoc([1, 2, 3], [0, 0, 0])).toBeNull();
    expect(aucRoc([1, 2, 3], [1, 1, 1])).toBeNull();
  });

  it('agrees with the pair-counting definition on random data', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const scores = Array.from({ length: 300 }, () => Math.round(rnd() * 20) / 20); // many ties
    const labels = scores.map((s) => (rnd() < 0.2 + 0.3 * s ? 1 : 0));
    let wins = 0;
    let pairs = 0;
    scores.forEach((sp, i) => {
      if (!labels[i]) return;
      scores.forEach((sn, j) => {
        if (labels[j]) return;
        pairs++;
        wins += sp > sn ? 1 : sp === sn ? 0.5 : 0;
      });
    });
    expect(aucRoc(scores, labels)).toBeCloseTo(wins / pairs, 12);
  });
});

describe('AUC-PR (average precision)', () => {
  it('sums precision at each recall step', () => {
    // ranked 0.9(1) 0.8(0) 0.4(1) 0.1(0): AP = ½·1 + ½·(2/3) = 5/6
    expect(aucPr([0.9, 0.8, 0.4, 0.1], [1, 0, 1, 0])).toBeCloseTo(5 / 6, 12);
    // tie group {0.5: one positive, one negative} after 0.9(1): AP = ½·1 + ½·(2/3) = 5/6 as well
    expect(aucPr([0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0])).toBeCloseTo(5 / 6, 12);
  });

  it('equals the anomaly rate for constant scores, 1 when all points are anomalies, null without anomalies', () => {
    expect(aucPr([1, 1, 1, 1], [1, 0, 0, 0])).toBeCloseTo(0.25, 12);
    expect(aucPr([0.3, 0.1, 0.2], [1, 1, 1])).toBeCloseTo(1, 12);
    expect(aucPr([1, 2], [0, 0])).toBeNull();
  });

  it('treats NaN as tied with the lowest score', () => {
    // NaN → 0.1: ranked 0.2(0), {0.1(0), 0.1(1)} → AP = 1·(1/3)
    expect(aucPr([NaN, 0.2, 0.1], [1, 0, 0])).toBeCloseTo(1 / 3, 12);
    // NaN on a negative, tied with the lowest positive: 0.9(1), {0.1(1), NaN(0)} → ½·1 + ½·(2/3)
    expect(aucPr([0.9, 0.1, NaN], [1, 1, 0])).toBeCloseTo(5 / 6, 12);
  });
});

describe('Standard-F1', () => {
  it('is the best F1 over the PR curve, with TSB-AD’s 1e-5', () => {
    // top1: P=1 R=½ → .667; top2: P=½ R=½; top3: P=⅔ R=1 → .8 (best); top4: P=½ R=1
    expect(standardF1([0.9, 0.8, 0.4, 0.1], [1, 0, 1, 0])).toBeCloseTo(f1(2 / 3, 1), 12);
    // perfect ranking: P=R=1 → 2/(2+1e-5)
    expect(standardF1([0.1, 0.9, 0.8, 0.2], [0, 1, 1, 0])).toBeCloseTo(f1(1, 1), 12);
  });

  it('handles constant scores, all-anomaly labels and no anomalies', () => {
    // one threshold: everything flagged, P = ¼, R = 1
    expect(standardF1([5, 5, 5, 5], [0, 0, 1, 0])).toBeCloseTo(f1(0.25, 1), 12);
    expect(standardF1([1, 2, 3], [1, 1, 1])).toBeCloseTo(f1(1, 1), 12);
    expect(standardF1([1, 2, 3], [0, 0, 0])).toBeNull();
  });

  it('refuses scores and labels of different lengths', () => {
    expect(() => standardF1([1, 2], [0, 1, 0])).toThrow(/2 points but labels have 3/);
  });
});
