import { describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../common/errors';
import { calibrateEnsemble, getDetector, validateParams, type CalibrationSeries } from '../../../main/detectors';
import { aucPr } from '../../../main/evaluation';
import { generateSeries } from '../../../main/synth';
import { errorOf } from '../../helpers/errors';

function synthetic(seed: number, length = 3000): CalibrationSeries {
  const s = generateSeries({ length, seed, anomalies: 3 });
  const labels = new Uint8Array(length);
  for (const a of s.anomalies) labels.fill(1, a.start, a.end);
  return { values: s.values, labels };
}

describe('calibrateEnsemble', () => {
  const series = [1, 2, 3].map((seed) => synthetic(seed));
  const result = calibrateEnsemble(series);

  it('returns params the ensemble accepts, with one weight per kept member', () => {
    const ensemble = getDetector('ensemble');
    const params = validateParams(ensemble, result.params);
    const members = params.members as string[];
    expect(members.length).toBeGreaterThan(0);
    expect(String(params.weights).split(',')).toHaveLength(members.length);
    expect(result.seriesUsed).toBe(3);
  });

  it('does not make the fitted metric (mean AUC-PR) worse than the default on the fit set', () => {
    expect(result.before.auc_pr).not.toBeNull();
    expect(result.after.auc_pr!).toBeGreaterThanOrEqual(result.before.auc_pr! - 1e-12);
    for (const m of [result.before, result.after]) {
      expect(m.vus_pr).toBeGreaterThanOrEqual(0);
      expect(m.interval_f1).not.toBeNull();
      expect(m.interval_f1!).toBeGreaterThanOrEqual(0);
    }
  });

  it('reports the metric the calibrated ensemble really gets when run through the registry', () => {
    const ensemble = getDetector('ensemble');
    const params = validateParams(ensemble, result.params);
    const aucs = series.map((s) => aucPr(ensemble.score(s.values, params), s.labels)!);
    expect(aucs.reduce((a, b) => a + b, 0) / aucs.length).toBeCloseTo(result.after.auc_pr!, 6);
  });

  it('holds out whole series when there are several, the end of the series when there is one', () => {
    const four = [4, 5, 6, 7].map((seed) => synthetic(seed, 2000));
    const split = calibrateEnsemble(four, { holdOutShare: 0.25, seed: 3, members: ['rolling-zscore', 'sr', 'level-shift'] });
    expect(split.heldOut?.how).toBe('series');
    expect(split.heldOut?.after.interval_f1 ?? 0).toBeGreaterThanOrEqual(0);
    const one = calibrateEnsemble([four[0]], { holdOutShare: 0.3, members: ['rolling-zscore', 'sr'] });
    expect(one.heldOut?.how).toBe('time');
    expect(calibrateEnsemble(four, { members: ['sr'] }).heldOut).toBeUndefined();
  });

  it('reports progress up to 1 and stops when cancelled', () => {
    const seen: number[] = [];
    calibrateEnsemble([series[0]], { members: ['rolling-zscore', 'sr'], progress: (f) => seen.push(f) });
    expect(seen[seen.length - 1]).toBe(1);
    expect(seen.every((f, i) => i === 0 || f >= seen[i - 1])).toBe(true);
    const controller = new AbortController();
    controller.abort();
    expect(errorOf<WorkbenchError>(() => calibrateEnsemble(series, { signal: controller.signal })).code).toBe('cancelled');
  });

  it('rejects series without any labeled anomaly, mismatched lengths and bad members as invalid_input', () => {
    const unlabeled = { values: series[0].values, labels: new Uint8Array(series[0].values.length) };
    const none = errorOf<WorkbenchError>(() => calibrateEnsemble([unlabeled]));
    expect(none.code).toBe('invalid_input');
    expect(none.message).toMatch(/labeled anomal/);
    expect(
      errorOf<WorkbenchError>(() => calibrateEnsemble([{ values: series[0].values, labels: new Uint8Array(5) }])).message,
    ).toMatch(/series 0 has 3000 values but 5 labels/);
    expect(errorOf<WorkbenchError>(() => calibrateEnsemble(series, { members: ['nope'] })).message).toMatch(
      /"nope" is not a detector/,
    );
    expect(errorOf<WorkbenchError>(() => calibrateEnsemble(series, { holdOutShare: 1 })).code).toBe('invalid_input');
  });
});
