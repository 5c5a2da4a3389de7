import type { ParamSpec } from '../../common/detection';
import { WorkbenchError } from '../../common/errors';
import { THRESHOLD_PARAMS, type Detector, type ParamValues } from './types';

/** Every parameter a detector accepts: its own plus the thresholding ones. */
export function allParams(detector: Pick<Detector, 'params'>): Record<string, ParamSpec> {
  return { ...detector.params, ...THRESHOLD_PARAMS };
}

/** The thresholding parameters (THRESHOLD_PARAMS) at their defaults. */
export function defaultThresholding(): ParamValues {
  return validateParams({ id: 'thresholding', params: {} }, {});
}

/** Applies defaults and rejects unknown, mistyped or out-of-range parameters, naming the parameter. */
export function validateParams(detector: Pick<Detector, 'id' | 'params'>, raw: unknown): ParamValues {
  if (raw === undefined || raw === null) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new WorkbenchError('invalid_input', `Parameters of ${detector.id} must be an object.`, { detector: detector.id });
  }
  const specs = allParams(detector);
  const given = raw as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(key in specs)) {
      throw new WorkbenchError(
        'invalid_input',
        `${detector.id} has no parameter "${key}"; it takes ${Object.keys(specs).join(', ')}.`,
        {
          detector: detector.id,
          parameter: key,
        },
      );
    }
  }
  const out: ParamValues = {};
  for (const [key, spec] of Object.entries(specs)) {
    const value = given[key] ?? spec.default;
    const bad = (why: string) =>
      new WorkbenchError('invalid_input', `Parameter ${key} of ${detector.id} ${why} (got ${JSON.stringify(value)}).`, {
        detector: detector.id,
        parameter: key,
      });
    if (spec.type === 'number' || spec.type === 'integer') {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw bad('must be a finite number');
      if (spec.type === 'integer' && !Number.isInteger(value)) throw bad('must be a whole number');
      if (spec.min !== undefined && value < spec.min) throw bad(`must be at least ${spec.min}`);
      if (spec.max !== undefined && value > spec.max) throw bad(`must be at most ${spec.max}`);
    } else if (spec.type === 'boolean') {
      if (typeof value !== 'boolean') throw bad('must be true or false');
    } else if (spec.type === 'enum') {
      if (typeof value !== 'string' || !spec.options?.includes(value)) throw bad(`must be one of ${spec.options?.join(', ')}`);
    } else if (spec.type === 'string[]') {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw bad('must be a list of strings');
    } else if (typeof value !== 'string') throw bad('must be text');
    out[key] = value as ParamValues[string];
  }
  return out;
}
