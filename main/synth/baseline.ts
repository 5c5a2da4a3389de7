import type { Rng } from './prng';

/** The kinds of normal (anomaly-free) signal the generator draws from. */
export const BASE_KINDS = ['sine', 'random-walk', 'trend', 'multi-seasonal', 'regime'] as const;
export type BaseKind = (typeof BASE_KINDS)[number];

/**
 * A normal signal kept as its parts, so injectors can re-synthesize one part (the seasonal one for a
 * frequency change or a shapelet) without touching the others: values = level + seasonal + noise.
 */
export interface Baseline {
  kind: BaseKind;
  values: Float64Array;
  level: Float64Array;
  seasonal: Float64Array;
  noise: Float64Array;
  /** main period of the seasonal part, in points */
  period: number;
  /** amplitude of the main seasonal component */
  amplitude: number;
  /** standard deviation of the noise part (before regime scaling) */
  noiseStd: number;
  /** the seasonal part evaluated at a (fractional) time t; seasonal[i] = seasonalAt(i) */
  seasonalAt(t: number): number;
}

interface Component {
  amplitude: number;
  period: number;
  phase: number;
  harmonic: number;
  harmonicPhase: number;
}

function component(rng: Rng, amplitude: number, period: number): Component {
  return {
    amplitude,
    period,
    phase: rng.uniform(0, 2 * Math.PI),
    harmonic: rng.next() < 0.4 ? rng.uniform(0.1, 0.4) : 0,
    harmonicPhase: rng.uniform(0, 2 * Math.PI),
  };
}

function evalComponents(components: readonly Component[], t: number): number {
  let sum = 0;
  for (const c of components) {
    const theta = (2 * Math.PI * t) / c.period + c.phase;
    sum += c.amplitude * (Math.sin(theta) + c.harmonic * Math.sin(2 * theta + c.harmonicPhase));
  }
  return sum;
}

/** Smooth 0→1 step of the given width centred on `at`. */
function smoothStep(i: number, at: number, width: number): number {
  const x = (i - at) / Math.max(1, width) + 0.5;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  return x * x * (3 - 2 * x);
}

export function generateBaseline(rng: Rng, length: number, kind: BaseKind): Baseline {
  const maxPeriod = Math.max(8, Math.min(200, length / 8));
  const period = rng.uniform(Math.min(16, maxPeriod), maxPeriod);
  const amplitude = rng.uniform(0.5, 3);
  const offset = rng.uniform(-3, 3);
  const noiseStd = amplitude * rng.uniform(0.02, 0.12);

  const components: Component[] = [];
  const level = new Float64Array(length);
  const noiseScale = new Float64Array(length).fill(1);

  switch (kind) {
    case 'sine':
      components.push(component(rng, amplitude, period));
      level.fill(offset);
      break;
    case 'trend': {
      components.push(component(rng, amplitude, period));
      const rise = rng.sign() * rng.uniform(0.5, 3) * amplitude;
      for (let i = 0; i < length; i++) level[i] = offset + (rise * i) / length;
      break;
    }
    case 'multi-seasonal': {
      const short = Math.max(8, period / rng.uniform(3, 6));
      components.push(component(rng, amplitude, period));
      components.push(component(rng, amplitude * rng.uniform(0.2, 0.6), short));
      if (rng.next() < 0.5 && period * 4 < length / 2) {
        components.push(component(rng, amplitude * rng.uniform(0.3, 0.8), period * rng.uniform(3, 5)));
      }
      level.fill(offset);
      break;
    }
    case 'random-walk': {
      // Mean-reverting walk so long series stay bounded; a weak seasonal part keeps a period to perturb.
      components.push(component(rng, amplitude * rng.uniform(0.15, 0.4), period));
      const stepStd = amplitude * rng.uniform(0.03, 0.08);
      let x = offset;
      for (let i = 0; i < length; i++) {
        x = offset + 0.998 * (x - offset) + stepStd * rng.normal();
        level[i] = x;
      }
      break;
    }
    case 'regime': {
      // Long normal regimes with their own noise level and a mild amplitude change, joined smoothly.
      components.push(component(rng, amplitude, period));
      level.fill(offset);
      const regimes = rng.int(2, 3);
      const bounds = [0];
      for (let r = 1; r < regimes; r++)
        bounds.push(Math.floor((r * length) / regimes + rng.uniform(-0.1, 0.1) * (length / regimes)));
      let prevScale = 1;
      for (let r = 1; r < bounds.length; r++) {
        const nextScale = rng.uniform(0.6, 1.6);
        const at = bounds[r] as number;
        for (let i = 0; i < length; i++) {
          const s = smoothStep(i, at, period);
          if (s > 0) noiseScale[i] = (noiseScale[i] as number) * (1 + s * (nextScale / prevScale - 1));
        }
        prevScale = nextScale;
      }
      break;
    }
  }

  const seasonalAt = (t: number): number => evalComponents(components, t);
  const seasonal = new Float64Array(length);
  const noise = new Float64Array(length);
  const values = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    seasonal[i] = seasonalAt(i);
    noise[i] = noiseStd * (noiseScale[i] as number) * rng.normal();
    values[i] = (level[i] as number) + (seasonal[i] as number) + (noise[i] as number);
  }
  return { kind, values, level, seasonal, noise, period, amplitude, noiseStd, seasonalAt };
}
