import { ANOMALY_TYPES, type AnomalyType } from '../../common/domain';
import type { Evidence } from './evidence';
import { bundledTypeModel, learnedTypes } from './type-model';
import { seriesRange, sharpExcursion, SHARP_Z, type SeriesRange } from './shape';

export interface Classification {
  type: AnomalyType;
  confidence: number;
  /** the rule that decided, in words */
  rule: string;
}

const clamp01 = (x: number) => Math.max(0, Math.min(1, x));

/** The scale changes are measured in: the std of the context before, else the whole series' robust spread, else 1. */
export function contextSpread(e: Evidence): number {
  const b = e.before.std;
  return b && b > 0 ? b : (e.global.mad ?? 0) * 1.4826 || 1;
}

/** A learned model's probability per type (need not sum to 1; missing types count as 0). */
export type TypeDistribution = Partial<Record<AnomalyType, number>>;

/** How much a learned model's probability counts against a rule's confidence: the rules are grounded in the data. */
const LEARNED_WEIGHT = 0.8;

/** The series an interval's evidence was measured on, for the shape classifier (range: computed once per series). */
export interface ShapeInput {
  values: Float64Array;
  range?: SeriesRange;
}

/**
 * The type by the bundled shape classifier (type-model.ts), null when none is bundled. On the synthetic
 * held-out set it is right far more often than the rules, at true and at imprecise bounds
 * (bench/types.ts); the rules still decide dropouts, which the data shows directly.
 */
export function classifyByShape(e: Evidence, shape: ShapeInput): Classification | null {
  if (!bundledTypeModel()) return null;
  if (e.missingShare >= 0.5) return classifyByRules(e);
  const interval = { start: e.interval[0], end: e.interval[1] };
  const range = shape.range ?? seriesRange(shape.values);
  const sharp = sharpExcursion(shape.values, interval, range);
  if (sharp)
    return {
      type: sharp.global ? 'global-point' : 'contextual-point',
      confidence: clamp01(Math.abs(sharp.z) / (2 * SHARP_Z)),
      rule: `a ${sharp.z > 0 ? 'peak' : 'trough'} far outside its context that comes straight back to the level before${sharp.global ? ', beyond the range of the whole series' : ''}`,
    };
  const dist = learnedTypes(shape.values, interval, range);
  if (!dist) return null;
  let top: AnomalyType = ANOMALY_TYPES[0];
  for (const t of ANOMALY_TYPES) if ((dist[t] ?? 0) > (dist[top] ?? 0)) top = t;
  const byRules = classifyByRules(e);
  return {
    type: top,
    confidence: clamp01(dist[top] ?? 0),
    rule:
      byRules.type === top
        ? `the shape classifier's most likely type; ${byRules.rule}`
        : "the shape classifier's most likely type (level, slope, spread and steps against the context)",
  };
}

/**
 * The anomaly type of an interval. With the series' values and a bundled shape classifier, the
 * classifier decides (classifyByShape). Otherwise the evidence rules (see classifyByRules), optionally
 * weighed against a learned model's type distribution: agreement raises the confidence; on disagreement
 * the stronger of the rule's confidence and 0.8 × the model's probability wins, and loses confidence for
 * the dissent. Deterministic (ties go to the rules, then to the taxonomy order).
 */
export function classify(e: Evidence, learned?: TypeDistribution, shape?: ShapeInput): Classification {
  const byShape = shape ? classifyByShape(e, shape) : null;
  if (byShape) return byShape;
  const byRules = classifyByRules(e);
  if (!learned) return byRules;
  let total = 0;
  for (const t of ANOMALY_TYPES) total += Math.max(0, learned[t] ?? 0);
  if (!(total > 0)) return byRules;
  let top: AnomalyType = ANOMALY_TYPES[0];
  for (const t of ANOMALY_TYPES) if ((learned[t] ?? 0) > (learned[top] ?? 0)) top = t;
  const p = Math.max(0, learned[top] ?? 0) / total;
  const pRule = Math.max(0, learned[byRules.type] ?? 0) / total;
  if (top === byRules.type)
    return {
      ...byRules,
      confidence: clamp01(1 - (1 - byRules.confidence) * (1 - p)),
      rule: `${byRules.rule}; the learned model agrees`,
    };
  const modelScore = LEARNED_WEIGHT * p;
  if (byRules.type === 'unknown' || modelScore > byRules.confidence)
    return {
      type: top,
      confidence: clamp01(modelScore * (1 - 0.5 * (byRules.type === 'unknown' ? 0 : byRules.confidence))),
      rule:
        byRules.type === 'unknown'
          ? "no check exceeded its threshold; the learned model's most likely type"
          : "the learned model's most likely type, against the checks",
    };
  return {
    ...byRules,
    confidence: clamp01(byRules.confidence * (1 - 0.5 * (p - pRule))),
    rule: `${byRules.rule}; the learned model prefers another type`,
  };
}

/**
 * The anomaly type from the evidence, by the first rule that fires (most specific first). The
 * confidence grows with how far past its threshold the deciding figure is. Deterministic.
 */
export function classifyByRules(e: Evidence): Classification {
  const b = e.before;
  const ins = e.inside;
  const spread = contextSpread(e);
  if (e.missingShare >= 0.5)
    return { type: 'dropout', confidence: clamp01(e.missingShare), rule: 'at least half of the interval is missing' };
  if (ins.count >= 5 && ins.std !== null && ins.std <= 0.02 * spread) {
    return {
      type: 'flatline',
      confidence: clamp01(1 - ins.std / (0.02 * spread)),
      rule: 'the values stay constant while the context varies',
    };
  }
  const z = e.peak?.z ?? null;
  if (e.duration <= 3 && z !== null && Math.abs(z) >= 4) {
    const gz =
      e.global.mad && e.global.median !== null && e.peak
        ? Math.abs(e.peak.value - e.global.median) / (1.4826 * e.global.mad)
        : Infinity;
    return gz >= 4
      ? {
          type: 'global-point',
          confidence: clamp01(Math.abs(z) / 10),
          rule: 'a short spike outside the range of the whole series',
        }
      : {
          type: 'contextual-point',
          confidence: clamp01(Math.abs(z) / 10),
          rule: 'a short spike unusual for its neighbourhood only',
        };
  }
  const shift = b.mean !== null && ins.mean !== null ? Math.abs(ins.mean - b.mean) / spread : 0;
  const vr = e.varianceRatio;
  // a lasting change of level: the mean after the interval stays shifted too (the ramp into it may
  // inflate the spread inside, so the variance ratio alone does not veto it)
  const shiftAfter = b.mean !== null && e.after.mean !== null ? Math.abs(e.after.mean - b.mean) / spread : 0;
  if (shift >= 3 && (vr === null || (vr < 3 && vr > 1 / 3) || shiftAfter >= 3)) {
    return {
      type: 'level-shift',
      confidence: clamp01(shift / 8),
      rule: 'the mean moves by at least three standard deviations of the context',
    };
  }
  // a spread needs a few points: one or two points have none, which is no variance change
  if (vr !== null && ins.count >= 5 && (vr >= 2.5 || vr <= 0.4)) {
    const f = vr >= 1 ? vr : 1 / vr;
    return {
      type: 'variance-change',
      confidence: clamp01(f / 6),
      rule: 'the spread changes by a factor of at least two and a half',
    };
  }
  if (b.slope !== null && ins.slope !== null) {
    const change = (Math.abs(ins.slope - b.slope) * e.duration) / spread;
    if (change >= 3)
      return {
        type: 'trend-change',
        confidence: clamp01(change / 8),
        rule: 'the slope inside drifts by at least three standard deviations over the interval',
      };
  }
  if (b.period !== null && ins.period !== null) {
    const r = ins.period > b.period ? ins.period / b.period : b.period / ins.period;
    if (r >= 1.5)
      return {
        type: 'frequency-change',
        confidence: clamp01(r / 4),
        rule: 'the dominant period changes by a factor of at least one and a half',
      };
  }
  if (z !== null && Math.abs(z) >= 4)
    return {
      type: 'shapelet',
      confidence: clamp01(Math.abs(z) / 12),
      rule: 'an unusual shape with extreme values but no lasting change',
    };
  const dz = e.discord?.z ?? null;
  if (dz !== null && dz >= 3.5)
    return {
      type: 'shapelet',
      confidence: clamp01(dz / 10),
      rule: 'a window touching the interval is a matrix-profile discord, its distance over three and a half robust deviations above the typical one',
    };
  return { type: 'unknown', confidence: 0.2, rule: 'no check exceeded its threshold' };
}
