import type { PredictionRecord } from '../../../common/detection';

export type QueueOrder = 'score' | 'disagreement';

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * The review queue: the unreviewed predictions of one run, ordered by score (highest first) or by
 * disagreement (how many of the other runs did not flag the same span; most disputed first, then score).
 */
export function reviewQueue(run: PredictionRecord[], others: PredictionRecord[][], order: QueueOrder): PredictionRecord[] {
  const pending = run.filter((p) => p.status === 'unreviewed');
  const score = (p: PredictionRecord) => p.score ?? -Infinity;
  if (order === 'score' || others.length === 0) {
    return [...pending].sort((a, b) => score(b) - score(a) || a.start - b.start);
  }
  const dissent = new Map(pending.map((p) => [p.id, others.filter((o) => !o.some((q) => overlaps(p, q))).length]));
  return [...pending].sort((a, b) => dissent.get(b.id)! - dissent.get(a.id)! || score(b) - score(a) || a.start - b.start);
}
