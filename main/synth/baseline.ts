import type { Rng } from './prng';

/** The kinds of normal (anomaly-free) signal the generator draws from. */
export const BASE_KINDS = ['sine', 'random-walk', 'trend', 'multi-seasonal', 'regime', 'sensor', 'counts'] as const;
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
  /** standard deviation of the noise part's Gaussian core (before regime or level scaling and spikes) */
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

/**
 * Normal noise with the heavy tails of real sensor data: a Gaussian core plus, at a seeded rate, isolated
 * spikes of a few σ (normal behaviour, not anomalies: injected point anomalies stay beyond them).
 */
function spikyNoise(rng: Rng, spikeRate: number, oneSided: boolean, laplace: boolean): number {
  // Laplace core (heavier tails, same variance) for part of the series, Gaussian otherwise.
  const z = laplace ? -Math.sign(rng.next() - 0.5) * Math.log(1 - rng.next()) * Math.SQRT1_2 : rng.normal();
  if (rng.next() >= spikeRate) return z;
  const spike = rng.uniform(2, 8);
  return oneSided ? Math.abs(z) * spike + spike : z * spike;
}

export function generateBaseline(rng: Rng, length: number, kind: BaseKind): Baseline {
  // Log-uniform period from 16 up to 400 points (a day of 5-minute samples is 288), at most length/8.
  const maxPeriod = Math.max(8, Math.min(400, length / 8));
  const minPeriod = Math.min(16, maxPeriod);
  const period = minPeriod * Math.exp(rng.uniform(0, Math.log(maxPeriod / minPeriod)));
  const amplitude = rng.uniform(0.5, 3);
  const offset = rng.uniform(-3, 3);
  const noiseStd = amplitude * rng.uniform(0.02, 0.12);
  // Noise spikes of normal behaviour (sensor-like kinds always, the others half the time).
  const spikeRate = kind === 'sensor' || kind === 'counts' || rng.next() < 0.5 ? rng.uniform(0.002, 0.04) : 0;
  const laplace = rng.next() < 0.3;
  // Sensors and counters often report few distinct values: round to a step comparable to the noise.
  const quantum = kind === 'counts' || rng.next() < 0.35 ? noiseStd * rng.uniform(0.3, 2.5) : 0;

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
    case 'sensor': {
      // Daily-like cycle with a sharp harmonic, a slowly wandering level and bursts of higher noise.
      components.push(component(rng, amplitude, period));
      components.push(component(rng, amplitude * rng.uniform(0.1, 0.4), period / 2));
      const stepStd = amplitude * rng.uniform(0.005, 0.03);
      let x = offset;
      for (let i = 0; i < length; i++) {
        x = offset + 0.999 * (x - offset) + stepStd * rng.normal();
        level[i] = x;
      }
      const bursts = rng.int(0, 4);
      for (let b = 0; b < bursts; b++) {
        const at = rng.int(0, length - 1);
        const width = rng.uniform(period / 4, 2 * period);
        const scale = rng.uniform(1.5, 2.5);
        for (let i = Math.max(0, Math.floor(at - width)); i < Math.min(length, Math.ceil(at + width)); i++) {
          noiseScale[i] = Math.max(noiseScale[i] as number, 1 + (scale - 1) * Math.max(0, 1 - Math.abs(i - at) / width));
        }
      }
      break;
    }
    case 'counts': {
      // Count-like: a daily (and weekly) cycle on a positive level, noise growing with the level (Poisson-like).
      const base = amplitude * rng.uniform(1.2, 3);
      components.push(component(rng, amplitude, period));
      if (rng.next() < 0.5) components.push(component(rng, amplitude * rng.uniform(0.2, 0.5), period * 7));
      level.fill(base + offset);
      for (let i = 0; i < length; i++) {
        const mean = Math.max(0.1 * base, base + evalComponents(components, i));
        noiseScale[i] = Math.sqrt(mean / base) * 1.5;
      }
      break;
    }
  }

  const oneSided = kind === 'counts';
  const seasonalAt = (t: number): number => evalComponents(components, t);
  const seasonal = new Float64Array(length);
  const noise = new Float64Array(length);
  const values = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    seasonal[i] = seasonalAt(i);
    noise[i] =
      noiseStd *
      (noiseScale[i] as number) *
      (spikeRate > 0 || laplace ? spikyNoise(rng, spikeRate, oneSided, laplace) : rng.normal());
    let v = (level[i] as number) + (seasonal[i] as number) + (noise[i] as number);
    if (quantum > 0) {
      v = Math.round(v / quantum) * quantum;
      noise[i] = v - (level[i] as number) - (seasonal[i] as number);
    }
    values[i] = v;
  }
  return { kind, values, level, seasonal, noise, period, amplitude, noiseStd, seasonalAt };
}
