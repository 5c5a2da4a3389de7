/**
 * Ensemble calibration from labels: member weights and thresholding fitted to an analyst's labeled series.
 *
 * Each member scores each series once (defaults, as in the ensemble); everything after works on those
 * cached, normalized scores:
 * 1. weights: coordinate search over WEIGHT_GRID, starting from equal weights, maximizing the mean
 *    AUC-PR over the fit segments (a change is kept only if it gains ≥ MIN_GAIN, so never below the start);
 * 2. thresholding: every setting of THRESHOLD_GRID × MERGE_GAPS (the default one included) on the
 *    calibrated scores; the one with the best interval F1 (counts pooled over the fit segments) wins.
 * Members whose weight ends at 0 are dropped from the returned params, which is also faster to run.
 * With `holdOutShare`, part of the data is kept out of the fit: whole series when there are two or more
 * labeled series (a seeded shuffle), otherwise the last share of each series; both before/after are then
 * also reported on that held-out part. Metrics: VUS-PR and AUC-PR are means over segments with an
 * anomaly, interval F1 pools its counts (as `aggregateMetrics` does).
 */
import { WorkbenchError } from '../../common/errors';
import type { Interval } from '../../common/domain';
import { aucPr, intervalsFromLabels, matchIntervals, prf, vus } from '../evaluation';
import { estimatePeriodWindow, seededShuffle } from '../numeric';
import {
  checkMembers,
  combineScores,
  DEFAULT_COMBINATION,
  DEFAULT_MEMBERS,
  DEFAULT_NORMALIZATION,
  DEFAULT_WEIGHTS,
  normalizeScores,
  parseWeights,
  type Combination,
  type Normalization,
} from './ensemble';
import { scoresToIntervals } from './intervals';
import { defaultThresholding, validateParams } from './params';
import { getDetector } from './registry';
import type { ParamValues } from './types';

export interface CalibrationSeries {
  values: Float64Array;
  /** 1 = anomaly, one per value */
  labels: Uint8Array;
}

export interface CalibrationMetrics {
  vus_pr: number | null;
  auc_pr: number | null;
  /** null when the part has neither labeled nor predicted intervals */
  interval_f1: number | null;
}

export interface CalibrationResult {
  /** ensemble params to run with: members, weights, normalize, combine, threshold, k, contamination, minLength, mergeGap */
  params: Record<string, unknown>;
  /** the ensemble with default params (members as given) on the fit part */
  before: CalibrationMetrics;
  /** the calibrated params on the fit part */
  after: CalibrationMetrics;
  /** the same on the held-out part, when `holdOutShare` was given */
  heldOut?: { before: CalibrationMetrics; after: CalibrationMetrics; how: 'series' | 'time' };
  seriesUsed: number;
}

export interface CalibrationOptions {
  /** members to weigh (default: the ensemble's default members) */
  members?: string[];
  signal?: AbortSignal;
  progress?: (fraction: number) => void;
  /** share of the data kept out of the fit, in (0, 0.9] */
  holdOutShare?: number;
  /** seed of the series split (default 1) */
  seed?: number;
}

export const WEIGHT_GRID = [0, 0.25, 0.5, 1, 2, 4];
const WEIGHT_ROUNDS = 3;
/** a weight change must raise the fit mean AUC-PR by this much: small gains on few series are mostly noise */
const MIN_GAIN = 0.005;
const THRESHOLD_GRID: ParamValues[] = [
  ...[1, 1.5, 2, 2.5, 3, 4, 5, 6, 8].map((k) => ({ threshold: 'sigma', k })),
  ...[0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1].map((contamination) => ({ threshold: 'quantile', contamination })),
];
const MERGE_GAPS = [0, 5, 20, 100];

/** A part of one series, [start, end). */
interface Segment {
  series: number;
  start: number;
  end: number;
}

function cancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new WorkbenchError('cancelled', 'Ensemble calibration was cancelled.');
}

function hasAnomaly(labels: Uint8Array, start = 0, end = labels.length): boolean {
  for (let i = start; i < end; i++) if (labels[i]) return true;
  return false;
}

function split(series: CalibrationSeries[], share: number | undefined, seed: number) {
  const whole = (i: number): Segment => ({ series: i, start: 0, end: series[i].values.length });
  if (share === undefined) return { fit: series.map((_, i) => whole(i)), test: undefined, how: undefined };
  const labeled = series.map((s, i) => i).filter((i) => hasAnomaly(series[i].labels));
  if (labeled.length >= 2) {
    const order = seededShuffle(
      series.map((_, i) => i),
      seed,
    );
    // at least one labeled series on each side
    const nTest = Math.min(series.length - 1, Math.max(1, Math.round(share * series.length)));
    let test = order.slice(0, nTest);
    if (!test.some((i) => labeled.includes(i))) test = [...test.slice(1), labeled[0]];
    if (labeled.every((i) => test.includes(i))) test = test.filter((i) => i !== labeled[0]);
    const fit = series.map((_, i) => i).filter((i) => !test.includes(i));
    return { fit: fit.map(whole), test: test.map(whole), how: 'series' as const };
  }
  const cut = (i: number) => Math.round(series[i].values.length * (1 - share));
  return {
    fit: series.map((s, i) => ({ series: i, start: 0, end: cut(i) })),
    test: series.map((s, i) => ({ series: i, start: cut(i), end: s.values.length })),
    how: 'time' as const,
  };
}

/** Intervals of the whole series' scores, clipped to the segment and shifted to segment coordinates. */
function segmentIntervals(scores: Float32Array, params: ParamValues, seg: Segment): Interval[] {
  const out: Interval[] = [];
  for (const iv of scoresToIntervals(scores, params)) {
    const start = Math.max(iv.start, seg.start);
    const end = Math.min(iv.end, seg.end);
    if (end > start) out.push({ start: start - seg.start, end: end - seg.start });
  }
  return out;
}

function intervalF1(
  scores: readonly Float32Array[],
  series: CalibrationSeries[],
  truth: Interval[][],
  segs: Segment[],
  params: ParamValues,
): number | null {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  segs.forEach((seg, k) => {
    const m = matchIntervals(truth[k], segmentIntervals(scores[seg.series], params, seg));
    tp += m.tp;
    fp += m.fp;
    fn += m.fn;
  });
  return prf(tp, fp, fn).f1;
}

function meanOf(values: (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

/**
 * Fits ensemble weights and thresholding to labeled series (see the module comment). Throws
 * `invalid_input` when no series has a labeled anomaly, when values and labels differ in length, or on
 * a bad member list or holdOutShare; `cancelled` when the signal aborts.
 */
export function calibrateEnsemble(series: CalibrationSeries[], opts: CalibrationOptions = {}): CalibrationResult {
  series.forEach((s, i) => {
    if (s.values.length !== s.labels.length) {
      throw new WorkbenchError(
        'invalid_input',
        `Calibration: series ${i} has ${s.values.length} values but ${s.labels.length} labels.`,
        { series: i },
      );
    }
  });
  if (!series.some((s) => hasAnomaly(s.labels))) {
    throw new WorkbenchError(
      'invalid_input',
      'Calibration needs labeled anomalies: none of the given series has a point labeled as an anomaly.',
      { series: series.length },
    );
  }
  const share = opts.holdOutShare;
  if (share !== undefined && !(share > 0 && share <= 0.9)) {
    throw new WorkbenchError('invalid_input', `Calibration: holdOutShare must be in (0, 0.9], got ${share}.`, {
      parameter: 'holdOutShare',
    });
  }
  const members = opts.members ?? DEFAULT_MEMBERS;
  const detectors = checkMembers(members, getDetector);
  const normalize: Normalization = DEFAULT_NORMALIZATION;
  const combine: Combination = DEFAULT_COMBINATION;
  const startWeights = opts.members ? members.map(() => 1) : parseWeights(DEFAULT_WEIGHTS, members);

  // 1. every member once per series, normalized
  const total = series.length * detectors.length;
  const normalized: Float32Array[][] = series.map((s, i) =>
    detectors.map((d, k) => {
      cancelled(opts.signal);
      const raw = d.score(s.values, validateParams(d, {}), { signal: opts.signal });
      opts.progress?.((0.7 * (i * detectors.length + k + 1)) / total);
      return normalizeScores(raw, normalize);
    }),
  );
  const combined = (weights: readonly number[]) =>
    series.map((s, i) => combineScores(normalized[i], weights, combine, (t) => !Number.isFinite(s.values[t])));

  const parts = split(series, opts.holdOutShare, opts.seed ?? 1);
  const labelsOf = (seg: Segment) => series[seg.series].labels.subarray(seg.start, seg.end);
  const truthOf = (segs: Segment[]) => segs.map((seg) => intervalsFromLabels(labelsOf(seg)));
  const fitTruth = truthOf(parts.fit);
  const fitLabeled = parts.fit.filter((seg) => hasAnomaly(series[seg.series].labels, seg.start, seg.end));
  if (fitLabeled.length === 0) {
    throw new WorkbenchError('invalid_input', 'Calibration: the fit part holds no labeled anomaly; lower holdOutShare.', {
      parameter: 'holdOutShare',
    });
  }
  const meanAucPr = (scores: Float32Array[]) =>
    meanOf(fitLabeled.map((seg) => aucPr(scores[seg.series].subarray(seg.start, seg.end), labelsOf(seg)))) ?? 0;

  // 2. weights: coordinate search on cached scores
  let weights = [...startWeights];
  let best = meanAucPr(combined(weights));
  for (let round = 0; round < WEIGHT_ROUNDS; round++) {
    let improved = false;
    for (let k = 0; k < members.length; k++) {
      for (const w of WEIGHT_GRID) {
        if (w === weights[k]) continue;
        const trial = weights.map((v, j) => (j === k ? w : v));
        if (!trial.some((v) => v > 0)) continue;
        cancelled(opts.signal);
        const fit = meanAucPr(combined(trial));
        if (fit >= best + MIN_GAIN) {
          best = fit;
          weights = trial;
          improved = true;
        }
      }
    }
    opts.progress?.(0.7 + (0.2 * (round + 1)) / WEIGHT_ROUNDS);
    if (!improved) break;
  }

  // 3. thresholding on the calibrated scores, the default setting first (kept on ties)
  const scores = combined(weights);
  let threshold = defaultThresholding();
  let bestF1 = intervalF1(scores, series, fitTruth, parts.fit, threshold) ?? 0;
  for (const t of THRESHOLD_GRID) {
    for (const mergeGap of MERGE_GAPS) {
      cancelled(opts.signal);
      const trial = { ...defaultThresholding(), ...t, mergeGap };
      const f1 = intervalF1(scores, series, fitTruth, parts.fit, trial) ?? 0;
      if (f1 > bestF1 + 1e-12) {
        bestF1 = f1;
        threshold = trial;
      }
    }
  }

  const kept = members.map((_, k) => k).filter((k) => weights[k] > 0);
  const params: Record<string, unknown> = {
    members: kept.map((k) => members[k]),
    weights: kept.map((k) => String(weights[k])).join(', '),
    normalize,
    combine,
    ...threshold,
  };
  validateParams(getDetector('ensemble'), params); // the result must run as is

  const windows = series.map((s) => estimatePeriodWindow(s.values));
  const measure = (all: Float32Array[], thresholdParams: ParamValues, segs: Segment[]): CalibrationMetrics => {
    const labeled = segs.filter((seg) => hasAnomaly(series[seg.series].labels, seg.start, seg.end));
    const part = (seg: Segment) => all[seg.series].subarray(seg.start, seg.end);
    return {
      vus_pr: meanOf(labeled.map((seg) => vus(part(seg), labelsOf(seg), windows[seg.series]).pr)),
      auc_pr: meanOf(labeled.map((seg) => aucPr(part(seg), labelsOf(seg)))),
      interval_f1: intervalF1(all, series, truthOf(segs), segs, thresholdParams),
    };
  };
  const startScores = combined(startWeights);
  const result: CalibrationResult = {
    params,
    before: measure(startScores, defaultThresholding(), parts.fit),
    after: measure(scores, threshold, parts.fit),
    seriesUsed: series.length,
  };
  if (parts.test && parts.how) {
    result.heldOut = {
      before: measure(startScores, defaultThresholding(), parts.test),
      after: measure(scores, threshold, parts.test),
      how: parts.how,
    };
  }
  opts.progress?.(1);
  return result;
}
