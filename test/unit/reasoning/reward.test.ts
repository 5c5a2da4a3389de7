import { describe, expect, it } from 'vitest';
import { buildCard, computeEvidence, rankRationales } from '../../../main/reasoning';

function series(): Float64Array {
  let s = 3;
  const x = new Float64Array(2000).map((_, i) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return Math.sin(i / 20) + 0.1 * (s / 2 ** 32 - 0.5);
  });
  for (let i = 1000; i < 1100; i++) x[i] += 5;
  return x;
}

describe('composite reward', () => {
  const values = series();
  const label = { start: 1000, end: 1100 };
  const axis = { xMin: 0, xMax: 1999, yMin: -1.5, yMax: 6.5 };
  const ours = buildCard(computeEvidence(values, label));
  const contradicted = {
    id: 'model',
    text: 'It seems there is possibly a spike. The mean 42 over [1000, 1100) is maybe huge; the value 99 at index 5000.',
    intervals: [{ start: 900, end: 1010 }],
  };

  it('ranks a correct, grounded rationale above a contradicted one', () => {
    const ranked = rankRationales([contradicted, { id: 'ours', text: ours.text, intervals: [label] }], {
      values,
      labels: [label],
      axis,
    });
    expect(ranked.map((r) => r.id)).toEqual(['ours', 'model']);
    expect(ranked[0].components.groundedness).toBe(1);
    expect(ranked[0].components.localization).toBe(1);
    expect(ranked[1].components.groundedness).toBe(0);
    expect(ranked[1].components.axis).toBeLessThan(1);
    expect(ranked[1].components.clarity).toBeLessThan(ranked[0].components.clarity);
  });

  it('follows the weights: groundedness first or localization first changes the winner', () => {
    const wellPlacedButWrong = { id: 'placed', text: 'The mean 42 over [1000, 1100).', intervals: [label] };
    const groundedButMisplaced = { id: 'grounded', text: ours.text, intervals: [{ start: 10, end: 20 }] };
    const ctx = { values, labels: [label], axis };
    expect(
      rankRationales([wellPlacedButWrong, groundedButMisplaced], {
        ...ctx,
        weights: { localization: 0, groundedness: 1, axis: 0, clarity: 0 },
      })[0].id,
    ).toBe('grounded');
    expect(
      rankRationales([wellPlacedButWrong, groundedButMisplaced], {
        ...ctx,
        weights: { localization: 1, groundedness: 0, axis: 0, clarity: 0 },
      })[0].id,
    ).toBe('placed');
  });
});
