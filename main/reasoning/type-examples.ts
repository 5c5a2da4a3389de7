/**
 * Typed intervals from the synthetic generator for training and measuring the type classifier: each
 * injected anomaly at its true bounds and at imprecise ones (edges jittered; jittered then refined as the
 * two-stage detector refines kept intervals; for long anomalies, only one change edge). Series are drawn
 * as bench/interval-data.ts draws the synthetic held-out set (lengths 4k–16k, every fifth without
 * anomalies), so a seed names the same series in both.
 */
import type { AnomalyType, Interval } from '../../common/domain';
import { generateSeries, type SynthSeries } from '../synth';
import { createRng, deriveSeed, type Rng } from '../synth/prng';
import { refineBoundaries } from '../verify/select';
import { computeEvidence, globalLevel } from './evidence';

const LENGTHS = [4096, 8192, 16384];

export function syntheticTypedSeries(count: number, seed: number): SynthSeries[] {
  return Array.from({ length: count }, (_, i) =>
    generateSeries({ length: LENGTHS[i % LENGTHS.length], seed: deriveSeed(seed, i), ...(i % 5 === 4 ? { anomalies: 0 } : {}) }),
  );
}

export type BoundsKind = 'true' | 'jittered' | 'refined' | 'edge';

export interface TypedInterval extends Interval {
  type: AnomalyType;
  bounds: BoundsKind;
  /** index of the series in its set */
  series: number;
}

/**
 * Both edges moved by up to `share` of the duration (at least 2 points), kept inside the series, non-empty
 * and overlapping the interval (a detector's interval that misses the anomaly is no typed example).
 */
export function jitter(rng: Rng, iv: Interval, share: number, length: number): Interval {
  const d = iv.end - iv.start;
  const reach = Math.max(2, Math.round(share * d));
  const start = Math.max(0, Math.min(iv.end - 1, iv.start + rng.int(-reach, reach)));
  const end = Math.min(length, Math.max(start + 1, iv.start + 1, iv.end + rng.int(-reach, reach)));
  return { start, end };
}

/** Jittered bounds refined as the two-stage detector refines a kept interval (select.ts refineBoundaries). */
export function refined(rng: Rng, values: Float64Array, iv: Interval, period: number, global = globalLevel(values)): Interval {
  const j = jitter(rng, iv, 0.25, values.length);
  return refineBoundaries(values, j, computeEvidence(values, j, [], { global }), period);
}

/**
 * The typed intervals of a set of series at the bounds named in `kinds` (one interval per anomaly and kind;
 * 'edge' only for anomalies of 16 points or more). Deterministic for a seed.
 */
export function typedIntervals(set: readonly SynthSeries[], kinds: readonly BoundsKind[], seed: number): TypedInterval[] {
  const rng = createRng(seed);
  const out: TypedInterval[] = [];
  set.forEach((s, series) => {
    const n = s.values.length;
    const global = kinds.includes('refined') ? globalLevel(s.values) : undefined;
    for (const a of s.anomalies) {
      const d = a.end - a.start;
      for (const bounds of kinds) {
        let iv: Interval;
        if (bounds === 'true') iv = a;
        else if (bounds === 'jittered') iv = jitter(rng, a, rng.uniform(0.1, 0.5), n);
        else if (bounds === 'refined') iv = refined(rng, s.values, a, s.period, global);
        else {
          if (d < 16) continue;
          const k = Math.max(2, Math.round(rng.uniform(0.1, 0.3) * d));
          const at = rng.next() < 0.5 ? a.start : a.end;
          iv = { start: Math.max(0, at - k), end: Math.min(n, at + k) };
        }
        out.push({ start: iv.start, end: iv.end, type: a.type, bounds, series });
      }
    }
  });
  return out;
}
