import { describe, expect, it } from 'vitest';
import type { PredictionRecord } from '../../../common/detection';
import { reviewQueue } from '../../../renderer/src/support/review-queue';

const p = (
  id: number,
  start: number,
  end: number,
  score: number | null,
  status: PredictionRecord['status'] = 'unreviewed',
): PredictionRecord => ({
  id,
  runId: 1,
  seriesId: 1,
  start,
  end,
  score,
  type: null,
  status,
});

describe('reviewQueue', () => {
  const run = [p(1, 0, 10, 0.5), p(2, 20, 30, 0.9), p(3, 40, 50, null), p(4, 60, 70, 0.99, 'accepted'), p(5, 80, 90, 0.7)];

  it('keeps only unreviewed predictions, highest score first, missing scores last', () => {
    expect(reviewQueue(run, [], 'score').map((x) => x.id)).toEqual([2, 5, 1, 3]);
  });

  it('orders by how many other runs disagree, then by score', () => {
    const other1 = [p(10, 25, 26, 1)]; // agrees with 2
    const other2 = [p(11, 5, 6, 1), p(12, 21, 22, 1)]; // agrees with 1 and 2
    // dissent: 1 -> 1 (other1), 2 -> 0, 3 -> 2, 5 -> 2
    expect(reviewQueue(run, [other1, other2], 'disagreement').map((x) => x.id)).toEqual([5, 3, 1, 2]);
  });
});
