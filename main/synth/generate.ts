import type { AnomalyType, Interval } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import { BASE_KINDS, generateBaseline, type BaseKind } from './baseline';
import { INJECTABLE_TYPES, inject, lengthRange, type InjectableType, type InjectionParams } from './inject';
import { createRng, deriveSeed } from './prng';

export interface SynthAnomaly extends Interval {
  type: InjectableType;
  /** what was injected, e.g. { delta } for a level shift, { factor } for a frequency change */
  params: InjectionParams;
}

export interface GenerateSeriesOptions {
  length: number;
  seed: number;
  /** number of anomalies to inject; default: 1 to 3, drawn from the seed */
  anomalies?: number;
  /** types to draw from (uniformly); default: every injectable type. 'unknown' is not injectable. */
  types?: readonly AnomalyType[];
  /** kind of normal signal; default: drawn from the seed */
  base?: BaseKind;
}

export interface SynthSeries {
  /** the series with anomalies; dropouts are NaN */
  values: Float64Array;
  /** the same series without anomalies (identical outside the anomaly intervals) */
  baseline: Float64Array;
  /** injected anomalies, sorted by start, non-overlapping, half-open */
  anomalies: SynthAnomaly[];
  base: BaseKind;
  /** main period of the normal signal, in points */
  period: number;
  seed: number;
}

export const MIN_SYNTH_LENGTH = 64;

function checkTypes(types: readonly AnomalyType[]): InjectableType[] {
  if (types.length === 0)
    throw new WorkbenchError('invalid_input', 'types: the list of anomaly types is empty.', { parameter: 'types' });
  return types.map((t) => {
    if (!(INJECTABLE_TYPES as readonly string[]).includes(t)) {
      throw new WorkbenchError(
        'invalid_input',
        `types: '${t}' cannot be injected (injectable: ${INJECTABLE_TYPES.join(', ')}).`,
        {
          parameter: 'types',
          value: t,
        },
      );
    }
    return t as InjectableType;
  });
}

function baselineStats(values: Float64Array): { mean: number; std: number; min: number; max: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / values.length;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return { mean, std: Math.sqrt(ss / values.length), min, max };
}

/**
 * One synthetic series: a normal signal of a seeded kind with anomalies injected at non-overlapping,
 * seeded positions. Each anomaly keeps a margin of normal signal around it so its context is visible.
 * When the series is too short to hold all requested anomalies, fewer are injected (never overlapping).
 */
export function generateSeries(opts: GenerateSeriesOptions): SynthSeries {
  const { length, seed } = opts;
  if (!Number.isInteger(length) || length < MIN_SYNTH_LENGTH) {
    throw new WorkbenchError('invalid_input', `length: must be an integer ≥ ${MIN_SYNTH_LENGTH}, got ${length}.`, {
      parameter: 'length',
    });
  }
  if (!Number.isFinite(seed))
    throw new WorkbenchError('invalid_input', `seed: must be a finite number, got ${seed}.`, { parameter: 'seed' });
  const types = checkTypes(opts.types ?? INJECTABLE_TYPES);
  const rng = createRng(seed);
  const base = opts.base ?? rng.pick(BASE_KINDS);
  const count = opts.anomalies ?? rng.int(1, 3);
  if (!Number.isInteger(count) || count < 0) {
    throw new WorkbenchError('invalid_input', `anomalies: must be a non-negative integer, got ${count}.`, {
      parameter: 'anomalies',
    });
  }

  const baseline = generateBaseline(rng, length, base);
  const values = Float64Array.from(baseline.values);
  const ctx = { rng, baseline, values, stats: baselineStats(baseline.values) };
  const margin = Math.max(4, Math.min(Math.round(baseline.period), Math.floor(length / 16)));
  const taken: Interval[] = [];
  const anomalies: SynthAnomaly[] = [];

  for (let k = 0; k < count; k++) {
    // Cycle through the types first so a request for n ≥ |types| anomalies covers every type.
    const type = k < types.length && count >= types.length ? (types[k] as InjectableType) : rng.pick(types);
    const [lo, hi] = lengthRange(type, baseline.period, length);
    for (let attempt = 0; attempt < 50; attempt++) {
      const len = rng.int(lo, hi);
      const firstStart = margin;
      const lastStart = length - margin - len;
      if (lastStart < firstStart) break;
      const start = rng.int(firstStart, lastStart);
      const end = start + len;
      if (taken.some((t) => start < t.end + margin && t.start < end + margin)) continue;
      const params = inject(type, ctx, start, end);
      if (params === null) continue;
      taken.push({ start, end });
      anomalies.push({ start, end, type, params });
      break;
    }
  }
  anomalies.sort((a, b) => a.start - b.start);
  return { values, baseline: baseline.values, anomalies, base, period: baseline.period, seed };
}

export interface GenerateDatasetOptions extends Omit<GenerateSeriesOptions, 'seed' | 'length'> {
  /** series length; default 4096 */
  length?: number;
}

/** `count` series; series i uses a seed derived from (seed, i), so one series can be regenerated alone. */
export function generateDataset(count: number, seed: number, opts: GenerateDatasetOptions = {}): SynthSeries[] {
  if (!Number.isInteger(count) || count < 0) {
    throw new WorkbenchError('invalid_input', `count: must be a non-negative integer, got ${count}.`, { parameter: 'count' });
  }
  const out: SynthSeries[] = [];
  for (let i = 0; i < count; i++) {
    out.push(generateSeries({ ...opts, length: opts.length ?? 4096, seed: deriveSeed(seed, i) }));
  }
  return out;
}

/** 0/1 label per point from anomaly intervals. */
export function pointLabels(length: number, anomalies: readonly Interval[]): Uint8Array {
  const labels = new Uint8Array(length);
  for (const a of anomalies) labels.fill(1, Math.max(0, a.start), Math.min(length, a.end));
  return labels;
}
