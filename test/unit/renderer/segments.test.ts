import { describe, expect, it } from 'vitest';
import { segmentText } from '../../../renderer/src/support/segments';

describe('segmentText', () => {
  it('marks each claim once, in order, and keeps the rest as plain text', () => {
    const text = 'the mean 5 over [0, 10) and value 9 at index 3.';
    expect(segmentText(text, ['value 9 at index 3', 'mean 5 over [0, 10)', 'absent'])).toEqual([
      { text: 'the ', claim: null },
      { text: 'mean 5 over [0, 10)', claim: 1 },
      { text: ' and ', claim: null },
      { text: 'value 9 at index 3', claim: 0 },
      { text: '.', claim: null },
    ]);
    expect(segmentText('plain', [])).toEqual([{ text: 'plain', claim: null }]);
  });
});
