/**
 * Training examples for the verifier: every screening candidate of a series with its features, labeled
 * 1 when it overlaps a true anomaly interval (the interval-level matching rule of the evaluation), 0
 * otherwise; candidates wholly in points excluded from evaluation are left out. Typed anomalies also give
 * the type head examples on refined bounds, as kept intervals have them.
 */
import type { AnomalyType, Interval } from '../../common/domain';
import type { Evidence } from '../reasoning';
import { candidateFeatures, seriesContext } from './features';
import { screen, type Screening, type ScreeningOptions } from './screening';
import { refineBoundaries } from './select';
import type { TrainingExample } from './train';

export interface Candidate extends Interval {
  score: number;
  features: Float64Array;
  evidence: Evidence;
}

export function candidatesWithFeatures(
  values: Float64Array,
  members: ReadonlyMap<string, Float32Array>,
  options?: ScreeningOptions,
): { screening: Screening; candidates: Candidate[] } {
  const screening = screen(values, members, options);
  const ctx = seriesContext(values, screening);
  const candidates = screening.candidates.map((c) => {
    const f = candidateFeatures(values, { start: c.start, end: c.end }, screening, ctx);
    return { start: c.start, end: c.end, score: c.score, features: f.features, evidence: f.evidence };
  });
  return { screening, candidates };
}

export interface ExampleSeries {
  name: string;
  values: Float64Array;
  members: ReadonlyMap<string, Float32Array>;
  truth: readonly Interval[];
  /** 1 where evaluated; default all */
  evaluated?: Uint8Array;
  /** typed anomalies (synthetic series) */
  anomalies?: readonly (Interval & { type: AnomalyType })[];
}

export interface SeriesExamples {
  screening: Screening;
  candidates: Candidate[];
  examples: TrainingExample[];
  /** extra typed examples on refined bounds, for the type head only */
  typeExamples: TrainingExample[];
}

const overlaps = (a: Interval, b: Interval) => a.start < b.end && b.start < a.end;

export function seriesExamples(s: ExampleSeries, options?: ScreeningOptions): SeriesExamples {
  const { screening, candidates } = candidatesWithFeatures(s.values, s.members, options);
  const ctx = seriesContext(s.values, screening);
  const examples: TrainingExample[] = [];
  const typeExamples: TrainingExample[] = [];
  for (const c of candidates) {
    if (s.evaluated && !s.evaluated.subarray(c.start, c.end).some((v) => v === 1)) continue;
    const typed = s.anomalies?.find((a) => overlaps(a, c));
    examples.push({
      features: c.features,
      label: s.truth.some((t) => overlaps(t, c)) ? 1 : 0,
      group: s.name,
      type: typed?.type ?? null,
    });
    if (!typed) continue;
    const r = refineBoundaries(s.values, c, c.evidence, screening.period);
    if (r.start !== c.start || r.end !== c.end)
      typeExamples.push({
        features: candidateFeatures(s.values, r, screening, ctx).features,
        label: 1,
        group: s.name,
        type: typed.type,
      });
  }
  // the anomalies themselves, at their true bounds and at bounds off by up to a fifth of their length
  for (const [k, a] of (s.anomalies ?? []).entries()) {
    const d = a.end - a.start;
    const j = Math.max(1, Math.round(d / 5));
    const variants: Interval[] = [
      a,
      { start: a.start - j, end: a.end + j },
      { start: a.start + (k % 2 ? j : -j), end: a.end + (k % 2 ? -j : j) },
    ];
    for (const v of variants) {
      const iv = { start: Math.max(0, v.start), end: Math.min(s.values.length, v.end) };
      if (iv.end - iv.start < 1) continue;
      typeExamples.push({
        features: candidateFeatures(s.values, iv, screening, ctx).features,
        label: 1,
        group: s.name,
        type: a.type,
      });
    }
  }
  return { screening, candidates, examples, typeExamples };
}
