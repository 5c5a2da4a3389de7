/** x axis ticks of the series charts: round times mapped onto the row-index scale, or round row numbers. Pure. */
import { tickLabels, timeAtX, timeTicks, xAtTime, type Clock } from './time';

/** Round row numbers (1, 2, 5 × 10^k apart) in [min, max]. */
export function indexTicks(min: number, max: number, maxTicks: number): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / Math.max(1, maxTicks);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag);
  const out: number[] = [];
  for (let x = Math.ceil(min / step) * step; x <= max; x += step) out.push(x);
  return out;
}

/**
 * Ticks for the index scale [min, max] of a view whose points `x` (indices) have times `t`: round times
 * between the times at min and max, each placed at its interpolated index. Null when the view's times do
 * not cover the range (or are not sorted), so the caller falls back to row numbers.
 */
export function timeAxis(
  x: readonly number[],
  t: readonly number[],
  min: number,
  max: number,
  maxTicks: number,
  clock: Clock,
): { splits: number[]; labels: string[] } | null {
  if (x.length < 2) return null;
  for (let i = 1; i < t.length; i++) if (t[i] < t[i - 1]) return null;
  const t0 = timeAtX(x, t, Math.max(min, x[0]));
  const t1 = timeAtX(x, t, Math.min(max, x[x.length - 1]));
  if (t0 === null || t1 === null || !(t1 > t0)) return null;
  const { unit, ticks } = timeTicks(t0, t1, Math.max(2, Math.floor(maxTicks)), clock);
  const placed = ticks
    .map((tick) => ({ tick, at: xAtTime(x, t, tick) }))
    .filter((p): p is { tick: number; at: number } => p.at !== null);
  return {
    splits: placed.map((p) => p.at),
    labels: tickLabels(
      placed.map((p) => p.tick),
      unit,
      clock,
    ),
  };
}
