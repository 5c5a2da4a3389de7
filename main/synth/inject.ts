import type { AnomalyType } from '../../common/domain';
import type { Baseline } from './baseline';
import type { Rng } from './prng';

/** The anomaly types the generator can inject: every type of the taxonomy except 'unknown'. */
export const INJECTABLE_TYPES = [
  'global-point',
  'contextual-point',
  'level-shift',
  'trend-change',
  'frequency-change',
  'variance-change',
  'shapelet',
  'flatline',
  'dropout',
] as const satisfies readonly AnomalyType[];
export type InjectableType = (typeof INJECTABLE_TYPES)[number];

/** Numbers and names describing one injection (e.g. `delta` for a level shift), kept in the manifest. */
export type InjectionParams = Record<string, number | string>;

export interface InjectionContext {
  rng: Rng;
  baseline: Baseline;
  /** the series being built: starts as a copy of baseline.values */
  values: Float64Array;
  /** statistics of the baseline, computed once */
  stats: { mean: number; std: number; min: number; max: number };
}

/** Range of interval lengths for a type, given the series' period and length. */
export function lengthRange(type: InjectableType, period: number, length: number): [number, number] {
  const cap = Math.max(1, Math.floor(length / 8));
  const clamp = (lo: number, hi: number): [number, number] => {
    const l = Math.max(1, Math.min(Math.round(lo), cap));
    return [l, Math.max(l, Math.min(Math.round(hi), cap))];
  };
  switch (type) {
    case 'global-point':
    case 'contextual-point':
      return [1, 1];
    case 'dropout':
      return clamp(1, Math.min(50, period));
    case 'level-shift':
    case 'flatline':
      return clamp(Math.max(10, period / 2), Math.max(20, 3 * period));
    case 'trend-change':
    case 'variance-change':
      return clamp(Math.max(16, period), Math.max(32, 4 * period));
    case 'frequency-change':
      return clamp(Math.max(24, 2 * period), Math.max(48, 5 * period));
    case 'shapelet':
      return clamp(Math.max(8, period), Math.max(12, 2 * period));
  }
}

type Injector = (ctx: InjectionContext, start: number, end: number) => InjectionParams | null;

const SHAPES = ['square', 'sawtooth', 'inverted', 'bump', 'flat-spike'] as const;

const injectors: Record<InjectableType, Injector> = {
  'global-point': ({ rng, values, stats }, start) => {
    const sign = rng.sign();
    const beyond = rng.uniform(0.5, 2) * stats.std + 0.05 * (stats.max - stats.min);
    const value = sign > 0 ? stats.max + beyond : stats.min - beyond;
    values[start] = value;
    return { value, sign };
  },
  'contextual-point': ({ rng, values, baseline, stats }, start) => {
    const here = values[start] as number;
    const up = stats.max - here;
    const down = here - stats.min;
    const room = Math.max(up, down);
    const delta = (up >= down ? 1 : -1) * rng.uniform(0.6, 0.95) * room;
    // Too close to the noise to be an anomaly: let the caller try another spot.
    if (Math.abs(delta) < Math.max(5 * baseline.noiseStd, 0.5 * stats.std)) return null;
    values[start] = here + delta;
    return { delta, value: here + delta };
  },
  'level-shift': ({ rng, values, stats }, start, end) => {
    const delta = rng.sign() * rng.uniform(0.8, 2.5) * stats.std;
    for (let i = start; i < end; i++) values[i] = (values[i] as number) + delta;
    return { delta };
  },
  'trend-change': ({ rng, values, stats }, start, end) => {
    const total = rng.sign() * rng.uniform(1, 3) * stats.std;
    const slope = total / (end - start);
    for (let i = start; i < end; i++) values[i] = (values[i] as number) + slope * (i - start + 1);
    return { slope, total };
  },
  'frequency-change': ({ rng, values, baseline }, start, end) => {
    const factor = rng.pick([1 / 3, 0.5, 2, 3]);
    for (let i = start; i < end; i++) {
      const t = start + (i - start) * factor;
      values[i] = (values[i] as number) - (baseline.seasonal[i] as number) + baseline.seasonalAt(t);
    }
    return { factor };
  },
  'variance-change': ({ rng, values, baseline, stats }, start, end) => {
    const addedStd = Math.max(4 * baseline.noiseStd, 0.3 * stats.std) * rng.uniform(1, 2);
    for (let i = start; i < end; i++) values[i] = (values[i] as number) + addedStd * rng.normal();
    return { addedStd };
  },
  shapelet: ({ rng, values, baseline }, start, end) => {
    const shape = rng.pick(SHAPES);
    const amp = baseline.amplitude;
    const p = baseline.period;
    for (let i = start; i < end; i++) {
      const u = (i - start) / p; // cycles since the start
      const frac = u - Math.floor(u);
      let s: number;
      switch (shape) {
        case 'square':
          s = frac < 0.5 ? amp : -amp;
          break;
        case 'sawtooth':
          s = amp * (2 * frac - 1);
          break;
        case 'inverted':
          s = -(baseline.seasonal[i] as number) * 1.2;
          break;
        case 'bump':
          s = amp * 1.5 * Math.exp(-(((frac - 0.5) / 0.15) ** 2));
          break;
        case 'flat-spike':
          s = Math.abs(frac - 0.5) < 0.05 ? amp * 1.8 : 0;
          break;
      }
      values[i] = (values[i] as number) - (baseline.seasonal[i] as number) + s;
    }
    return { shape };
  },
  flatline: ({ values }, start, end) => {
    const value = start > 0 ? (values[start - 1] as number) : (values[start] as number);
    for (let i = start; i < end; i++) values[i] = value;
    return { value };
  },
  dropout: ({ values }, start, end) => {
    for (let i = start; i < end; i++) values[i] = Number.NaN;
    return {};
  },
};

/** Applies one anomaly of `type` on [start, end); returns its parameters, or null when the spot is unsuitable. */
export function inject(type: InjectableType, ctx: InjectionContext, start: number, end: number): InjectionParams | null {
  return injectors[type](ctx, start, end);
}
