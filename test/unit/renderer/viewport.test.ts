import { describe, expect, it } from 'vitest';
import { clampViewport, dragToInterval, fullViewport, MIN_SPAN, panBy, zoomAt } from '../../../renderer/src/support/viewport';

describe('viewport arithmetic', () => {
  it('zooms around the anchor, keeping it at the same relative position', () => {
    const v = zoomAt({ from: 0, to: 1000 }, 250, 0.5, 10_000);
    expect(v).toEqual({ from: 125, to: 625 });
  });

  it('never zooms below the minimum span or beyond the series', () => {
    expect(zoomAt({ from: 100, to: 120 }, 110, 0.01, 1000).to - zoomAt({ from: 100, to: 120 }, 110, 0.01, 1000).from).toBe(
      MIN_SPAN,
    );
    expect(zoomAt({ from: 0, to: 1000 }, 500, 10, 1000)).toEqual({ from: 0, to: 1000 });
    expect(clampViewport({ from: -50, to: 50 }, 1000)).toEqual({ from: 0, to: 100 });
    expect(clampViewport({ from: 950, to: 1050 }, 1000)).toEqual({ from: 900, to: 1000 });
  });

  it('pans by a fraction of the span and stops at the ends', () => {
    expect(panBy({ from: 100, to: 200 }, 0.5, 1000)).toEqual({ from: 150, to: 250 });
    expect(panBy({ from: 0, to: 100 }, -1, 1000)).toEqual({ from: 0, to: 100 });
  });

  it('turns a drag in either direction into a half-open interval of whole indices', () => {
    expect(dragToInterval(10.4, 3.2, 100)).toEqual({ start: 3, end: 11 });
    expect(dragToInterval(-5, 3, 100)).toEqual({ start: 0, end: 3 });
    expect(dragToInterval(98, 130, 100)).toEqual({ start: 98, end: 100 });
    expect(dragToInterval(5, 5, 100)).toBeNull();
    expect(fullViewport(0)).toEqual({ from: 0, to: 1 });
  });
});
