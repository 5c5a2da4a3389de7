/**
 * Choosing the label-free selection (minimum probability, false-alarm budget) from training series,
 * never from the series it will be judged on: every training series' candidates carry out-of-fold
 * probabilities (see `trainVerifier`), each setting of a small grid is applied to them exactly as a run
 * would apply it, and the setting with the best mean of interval F1 and Affiliation-F on the labeled
 * series wins among those whose false alarms on anomaly-free series stay within the target.
 */
import type { Interval } from '../../common/domain';
import { affiliationFromEvents, intervalsFromLabels, labelsFromIntervals, matchIntervals, prf } from '../evaluation';
import type { Evidence } from '../reasoning';
import { finishSelection, refineBoundaries, selectByProbability, type SelectionOptions } from './select';

export interface TuningSeries {
  values: Float64Array;
  period: number;
  /** candidates with out-of-fold probabilities */
  candidates: readonly (Interval & { probability: number; evidence: Evidence })[];
  truth: readonly Interval[];
  /** 1 where evaluated; default all */
  evaluated?: Uint8Array;
  /** known to hold no anomaly: every interval kept on it is a false alarm */
  anomalyFree: boolean;
}

export interface TuningOutcome {
  selection: SelectionOptions;
  f1: number;
  affiliationF: number;
  falseAlarmsPer10k: number;
}

export interface SelectionGrid {
  minProbability: readonly number[];
  falseAlarmsPer10k: readonly number[];
  /** `keepTopAbove` values; null: off */
  keepTopAbove: readonly (number | null)[];
}

export const SELECTION_GRID: SelectionGrid = {
  minProbability: [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7],
  falseAlarmsPer10k: [0.25, 0.5, 1, 2, 4, 8],
  keepTopAbove: [null, 0.1, 0.2, 0.3],
};

function evaluatedOnly<T extends Uint8Array>(values: T, evaluated: Uint8Array | undefined): T {
  if (!evaluated || evaluated.every((v) => v === 1)) return values;
  return values.filter((_, i) => evaluated[i] === 1) as T;
}

interface Prepared {
  s: TuningSeries;
  refined: (Interval & { probability: number })[];
  labels: Uint8Array;
  truthEvents: Interval[];
  truthSpans: [number, number][];
  whole: boolean;
}

/** Every setting of the grid on the series; the outcomes in grid order. */
export function evaluateSelections(
  series: readonly TuningSeries[],
  grid: SelectionGrid = SELECTION_GRID,
  refine = true,
): TuningOutcome[] {
  const prepared: Prepared[] = series.map((s) => {
    const refined = s.candidates.map((c) => ({
      ...(refine ? refineBoundaries(s.values, c, c.evidence, s.period) : { start: c.start, end: c.end }),
      probability: c.probability,
    }));
    const labels = evaluatedOnly(labelsFromIntervals(s.values.length, s.truth), s.evaluated);
    const truthEvents = intervalsFromLabels(labels);
    const whole = !s.evaluated || s.evaluated.every((v) => v === 1);
    return { s, refined, labels, truthEvents, truthSpans: truthEvents.map((t) => [t.start, t.end]), whole };
  });
  // kept intervals are sorted and disjoint after merging: on fully evaluated series they are the events
  const predictedOf = (p: Prepared, kept: Interval[]) =>
    p.whole ? kept : intervalsFromLabels(evaluatedOnly(labelsFromIntervals(p.s.values.length, kept), p.s.evaluated));
  const out: TuningOutcome[] = [];
  const settings = grid.minProbability.flatMap((minProbability) =>
    grid.falseAlarmsPer10k.flatMap((falseAlarmsPer10k) =>
      grid.keepTopAbove
        .filter((t) => t === null || t < minProbability)
        .map((t): SelectionOptions => ({
          minProbability,
          falseAlarmsPer10k,
          refine,
          ...(t === null ? {} : { keepTopAbove: t }),
        })),
    ),
  );
  for (const selection of settings) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let aff = 0;
    let labeled = 0;
    let falseAlarms = 0;
    let freePoints = 0;
    for (const p of prepared) {
      const kept = finishSelection(selectByProbability(p.refined, p.s.values.length, selection), p.s.period);
      const predicted = predictedOf(p, kept);
      if (p.s.anomalyFree) {
        falseAlarms += predicted.length;
        freePoints += p.labels.length;
      } else if (p.truthEvents.length > 0) {
        const m = matchIntervals(p.truthEvents, predicted);
        tp += m.tp;
        fp += m.fp;
        fn += m.fn;
        const a = affiliationFromEvents(
          predicted.map((k) => [k.start, k.end]),
          p.truthSpans,
          p.labels.length,
        );
        aff += a.precision === null ? 0 : (2 * a.precision * a.recall) / (a.precision + a.recall + 1e-15);
        labeled++;
      }
    }
    out.push({
      selection,
      f1: prf(tp, fp, fn).f1 ?? 0,
      affiliationF: labeled > 0 ? aff / labeled : 0,
      falseAlarmsPer10k: freePoints > 0 ? (falseAlarms / freePoints) * 10_000 : 0,
    });
  }
  return out;
}

/**
 * The best setting: highest mean of interval F1 and Affiliation-F among those within `maxFalseAlarmsPer10k`
 * on the anomaly-free series (the fewest false alarms when none is within it); ties go to the stricter
 * setting (higher minimum, smaller budget), which comes first in a stable sort of the grid order reversed.
 */
export function tuneSelection(
  series: readonly TuningSeries[],
  options: { maxFalseAlarmsPer10k?: number; grid?: SelectionGrid; refine?: boolean } = {},
): TuningOutcome & { tried: TuningOutcome[] } {
  const max = options.maxFalseAlarmsPer10k ?? 0.5;
  const tried = evaluateSelections(series, options.grid, options.refine ?? true);
  const within = tried.filter((t) => t.falseAlarmsPer10k <= max);
  const strictFirst = (a: TuningOutcome, b: TuningOutcome) =>
    b.selection.minProbability - a.selection.minProbability ||
    a.selection.falseAlarmsPer10k - b.selection.falseAlarmsPer10k ||
    (b.selection.keepTopAbove ?? 1) - (a.selection.keepTopAbove ?? 1);
  const best = within.length
    ? [...within].sort((a, b) => b.f1 + b.affiliationF - (a.f1 + a.affiliationF) || strictFirst(a, b))[0]
    : [...tried].sort((a, b) => a.falseAlarmsPer10k - b.falseAlarmsPer10k || strictFirst(a, b))[0];
  return { ...best, tried };
}
