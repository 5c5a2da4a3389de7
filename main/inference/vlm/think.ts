import { fmt, range } from '../../reasoning/claims';
import { contextRanges } from '../../reasoning/evidence';

/** How the think part names each class, in words the faithfulness checker reads as a type claim. */
const CLASS_PHRASE: Record<string, string> = {
  'global point': 'a global point anomaly',
  'contextual point': 'a contextual point anomaly',
  'level shift': 'a level shift',
  trend: 'a trend change',
  seasonal: 'a frequency change',
  variance: 'a variance change',
  shapelet: 'an unusual shape (shapelet)',
  flatline: 'a flatline',
  unknown: 'missing values (a dropout)',
};

function finiteMean(trace: Float64Array, lo: number, hi: number): number | null {
  let sum = 0;
  let n = 0;
  for (let i = lo; i < hi; i++)
    if (Number.isFinite(trace[i])) {
      sum += trace[i];
      n++;
    }
  return n >= Math.max(3, 0.5 * (hi - lo)) ? sum / n : null;
}

/**
 * The `<think>` part of an answer, in the checker's grammar, from what the model saw: the class and
 * intervals the decoder wrote and the line read back from the plot's pixels (image.ts readTrace, on
 * the window's indices). Durations are exact; the level before and inside the first interval is
 * quoted as the plot shows it (free-text "from A to B", which the checker verifies within a visual
 * tolerance). Nothing here reads the series itself.
 */
export function writeThink(
  trace: Float64Array,
  intervals: readonly { start: number; end: number }[],
  className: string | null,
): string {
  if (intervals.length === 0 || className === null || className === 'normal') return 'The line shows no anomaly.';
  const out = [`The plot shows ${CLASS_PHRASE[className] ?? 'an anomaly'}.`];
  intervals.forEach((iv, k) => {
    out.push(`The interval ${range(iv.start, iv.end)} lasts ${iv.end - iv.start} points.`);
    if (k > 0 || iv.end - iv.start < 8) return;
    const [lo, hi] = contextRanges(trace.length, [iv.start, iv.end]).before;
    const before = hi - lo >= 8 ? finiteMean(trace, lo, hi) : null;
    const inside = finiteMean(trace, iv.start, iv.end);
    if (before !== null && inside !== null) out.push(`Its level goes from ${fmt(before)} to ${fmt(inside)}.`);
  });
  return out.join(' ');
}
