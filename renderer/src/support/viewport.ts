/** Pure zoom/pan arithmetic over a half-open index window [from, to) of a series of `length` points. */
export interface Viewport {
  from: number;
  to: number;
}

export const MIN_SPAN = 10;

export function fullViewport(length: number): Viewport {
  return { from: 0, to: Math.max(1, length) };
}

export function clampViewport(v: Viewport, length: number, minSpan = MIN_SPAN): Viewport {
  const span = Math.min(Math.max(Math.round(v.to - v.from), Math.min(minSpan, length)), length);
  let from = Math.round(v.from);
  from = Math.max(0, Math.min(from, length - span));
  return { from, to: from + span };
}

/** Zooms by `factor` (< 1 zooms in) keeping the point at `anchor` (an index) in place. */
export function zoomAt(v: Viewport, anchor: number, factor: number, length: number): Viewport {
  const span = (v.to - v.from) * factor;
  const t = (anchor - v.from) / (v.to - v.from);
  return clampViewport({ from: anchor - t * span, to: anchor - t * span + span }, length);
}

/** Pans by `fraction` of the current span (negative = left). */
export function panBy(v: Viewport, fraction: number, length: number): Viewport {
  const shift = (v.to - v.from) * fraction;
  return clampViewport({ from: v.from + shift, to: v.to + shift }, length);
}

/** Orders and clamps two dragged positions into a half-open interval of whole indices. */
export function dragToInterval(a: number, b: number, length: number): { start: number; end: number } | null {
  const lo = Math.max(0, Math.floor(Math.min(a, b)));
  const hi = Math.min(length, Math.ceil(Math.max(a, b)));
  return hi > lo ? { start: lo, end: hi } : null;
}
