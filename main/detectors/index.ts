// PROVISIONAL (lead): a minimal registry with one detector so runs work end to end until the full
// detector suite lands in main/detectors/.
import type { DetectorInfo, ParamSpec } from '../../common/detection';
import { WorkbenchError } from '../../common/errors';

export interface Detector<P = Record<string, unknown>> {
  id: string;
  name: string;
  description: string;
  params: Record<string, ParamSpec>;
  randomized: boolean;
  score(values: Float64Array, params: P, ctx?: { progress?: (f: number) => void; signal?: AbortSignal }): Float32Array;
}

function median(a: Float64Array): number {
  const s = Float64Array.from(a.filter((v) => Number.isFinite(v))).sort();
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const rollingZscore: Detector<{ window: number; k: number }> = {
  id: 'rolling-zscore',
  name: 'Robust rolling z-score',
  description: '|x − rolling median| / (1.4826 × rolling MAD) over a trailing window.',
  params: {
    window: { type: 'integer', default: 100, min: 3, max: 100_000, description: 'trailing window length' },
    k: { type: 'number', default: 4, min: 0.1, max: 100, description: 'threshold in robust standard deviations' },
  },
  randomized: false,
  score(values, { window }) {
    const out = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const lo = Math.max(0, i - window);
      if (i - lo < 3) continue;
      const ctx = values.subarray(lo, i);
      const med = median(ctx);
      const mad = median(ctx.map((v) => Math.abs(v - med)));
      const v = values[i];
      out[i] = Number.isFinite(v) ? Math.abs(v - med) / (1.4826 * mad || 1e-9) : NaN;
    }
    return out;
  },
};

const REGISTRY = new Map<string, Detector>([[rollingZscore.id, rollingZscore as unknown as Detector]]);

export function getDetector(id: string): Detector {
  const d = REGISTRY.get(id);
  if (!d)
    throw new WorkbenchError('not_found', `No detector "${id}". Available: ${[...REGISTRY.keys()].join(', ')}.`, {
      detector: id,
    });
  return d;
}

export function listDetectorInfos(): DetectorInfo[] {
  return [...REGISTRY.values()].map(({ id, name, description, params, randomized }) => ({
    id,
    name,
    description,
    params,
    randomized,
  }));
}

export function validateParams(d: Detector, raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new WorkbenchError('invalid_input', 'params must be an object');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!(key in d.params)) throw new WorkbenchError('invalid_input', `Unknown parameter "${key}" for ${d.id}.`);
    out[key] = value;
  }
  for (const [key, spec] of Object.entries(d.params)) {
    const v = out[key] ?? spec.default;
    if (
      typeof v !== 'number' ||
      !Number.isFinite(v) ||
      (spec.min !== undefined && v < spec.min) ||
      (spec.max !== undefined && v > spec.max)
    ) {
      throw new WorkbenchError(
        'invalid_input',
        `Parameter ${key} of ${d.id} must be a number in [${spec.min}, ${spec.max}], got ${JSON.stringify(v)}.`,
      );
    }
    out[key] = v;
  }
  return out;
}

export function scoresToIntervals(
  scores: Float32Array,
  params: Record<string, unknown>,
): { start: number; end: number; score: number }[] {
  const k = typeof params.k === 'number' ? params.k : 4;
  const out: { start: number; end: number; score: number }[] = [];
  let start = -1;
  let peak = 0;
  for (let i = 0; i <= scores.length; i++) {
    const on = i < scores.length && scores[i] > k;
    if (on && start < 0) {
      start = i;
      peak = scores[i];
    } else if (on) peak = Math.max(peak, scores[i]);
    else if (start >= 0) {
      out.push({ start, end: i, score: peak });
      start = -1;
    }
  }
  return out;
}
