import type { Interval } from '../../common/domain';
import { iou } from '../evaluation';
import { checkRationale } from './faithfulness';

export interface RewardWeights {
  localization: number;
  groundedness: number;
  axis: number;
  clarity: number;
}

/** Defaults (VisAnomBench does not publish its weights): localization and groundedness weigh most. */
export const DEFAULT_REWARD_WEIGHTS: RewardWeights = { localization: 0.4, groundedness: 0.3, axis: 0.15, clarity: 0.15 };

export interface Candidate {
  id: string;
  text: string;
  intervals: Interval[];
}

export interface RewardContext {
  values: Float64Array;
  labels: Interval[];
  /** the plotted ranges the model saw */
  axis: { xMin: number; xMax: number; yMin: number; yMax: number };
  weights?: Partial<RewardWeights>;
}

export interface Reward {
  id: string;
  total: number;
  components: RewardWeights;
}

const HEDGES = /\b(it seems|seems to|possibly|perhaps|maybe|might be|could be|appears to|i think|it is unclear|hard to say)\b/gi;
const TYPE_WORDS =
  /\b(spike|point|level|shift|trend|drift|frequency|period|seasonal|variance|spread|flat|dropout|missing|pattern|shape)\b/i;

/** Mean best IoU of each label with the candidate's intervals (1 when both have none). */
function localization(labels: Interval[], predicted: Interval[]): number {
  if (labels.length === 0) return predicted.length === 0 ? 1 : 0;
  return labels.reduce((a, l) => a + Math.max(0, ...predicted.map((p) => iou(l, p))), 0) / labels.length;
}

/** Share of the numbers the text quotes that lie inside the plotted axis ranges (positions and values). */
function axisConsistency(text: string, intervals: Interval[], axis: RewardContext['axis']): number {
  const inX = intervals.filter((iv) => iv.start >= axis.xMin && iv.end <= axis.xMax + 1).length;
  const positions = [...text.matchAll(/\bindex (\d+)/gi)].map((m) => Number(m[1]));
  const posOk = positions.filter((p) => p >= axis.xMin && p <= axis.xMax).length;
  const values = [...text.matchAll(/\bvalue (-?\d+(?:\.\d+)?)/gi)].map((m) => Number(m[1]));
  const span = axis.yMax - axis.yMin;
  const valOk = values.filter((v) => v >= axis.yMin - 0.05 * span && v <= axis.yMax + 0.05 * span).length;
  const total = intervals.length + positions.length + values.length;
  return total === 0 ? 1 : (inX + posOk + valOk) / total;
}

/** States a type, a location and evidence, without hedging filler. */
function clarity(text: string): number {
  let score = 0;
  if (TYPE_WORDS.test(text)) score += 1 / 3;
  if (/\b(index|between|\[\d+)/i.test(text)) score += 1 / 3;
  if (/\d/.test(text)) score += 1 / 3;
  const hedges = (text.match(HEDGES) ?? []).length;
  return Math.max(0, score - 0.15 * hedges);
}

/**
 * The composite reward of VisAnomBench's selection step: localization (IoU with the labels),
 * groundedness (the faithfulness checker's verified share of checkable claims), axis consistency
 * (positions and values inside the plotted ranges) and clarity, weighted.
 */
export function scoreRationale(c: Candidate, ctx: RewardContext): Reward {
  const w = { ...DEFAULT_REWARD_WEIGHTS, ...ctx.weights };
  const report = checkRationale(c.text, ctx.values, c.intervals.length > 0 ? { interval: c.intervals[0] } : {});
  const checkable = report.verified + report.contradicted;
  const components: RewardWeights = {
    localization: localization(ctx.labels, c.intervals),
    groundedness: checkable === 0 ? 0 : report.verified / (checkable + 0.5 * report.unverifiable),
    axis: axisConsistency(c.text, c.intervals, ctx.axis),
    clarity: clarity(c.text),
  };
  const sum = w.localization + w.groundedness + w.axis + w.clarity;
  const total =
    (w.localization * components.localization +
      w.groundedness * components.groundedness +
      w.axis * components.axis +
      w.clarity * components.clarity) /
    sum;
  return { id: c.id, total, components };
}

/** Candidates best first; the first is the one that goes to export. */
export function rankRationales(candidates: Candidate[], ctx: RewardContext): Reward[] {
  return candidates.map((c) => scoreRationale(c, ctx)).sort((a, b) => b.total - a.total);
}
