/**
 * Training examples for the verifier: every screening candidate of a series with its features, labeled
 * 1 when it overlaps a true anomaly interval (the interval-level matching rule of the evaluation), 0
 * otherwise. Candidates that lie wholly in points excluded from evaluation are left out.
 */
import type { Interval } from '../../common/domain';
import { candidateFeatures, seriesContext } from './features';
import { screen, type Screening, type ScreeningOptions } from './screening';

export interface LabeledExample {
  features: Float64Array;
  label: 0 | 1;
  /** which series it came from (folds and retraining split by series, never by example) */
  group: string;
  interval: Interval;
  score: number;
}

export interface ExampleSeries {
  name: string;
  values: Float64Array;
  members: ReadonlyMap<string, Float32Array>;
  truth: readonly Interval[];
  /** 1 where evaluated; default all */
  evaluated?: Uint8Array;
}

function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

export function candidatesWithFeatures(
  values: Float64Array,
  members: ReadonlyMap<string, Float32Array>,
  options?: ScreeningOptions,
): {
  screening: Screening;
  items: {
    interval: Interval;
    score: number;
    features: Float64Array;
    evidence: ReturnType<typeof candidateFeatures>['evidence'];
  }[];
} {
  const screening = screen(values, members, options);
  const ctx = seriesContext(values, screening);
  const items = screening.candidates.map((c) => {
    const interval = { start: c.start, end: c.end };
    const f = candidateFeatures(values, interval, screening, ctx);
    return { interval, score: c.score, features: f.features, evidence: f.evidence };
  });
  return { screening, items };
}

export function labeledExamples(s: ExampleSeries, options?: ScreeningOptions): LabeledExample[] {
  const { items } = candidatesWithFeatures(s.values, s.members, options);
  const out: LabeledExample[] = [];
  for (const it of items) {
    if (s.evaluated) {
      let any = false;
      for (let i = it.interval.start; i < it.interval.end && !any; i++) any = s.evaluated[i] === 1;
      if (!any) continue;
    }
    out.push({
      features: it.features,
      label: s.truth.some((t) => overlaps(t, it.interval)) ? 1 : 0,
      group: s.name,
      interval: it.interval,
      score: it.score,
    });
  }
  return out;
}
