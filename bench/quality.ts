/**
 * `npm run bench:quality`: every detector and the ensemble on every labeled univariate series in
 * shared/data, with the metrics implemented so far (AUC-PR, AUC-ROC, Standard-F1, PA-F1, interval F1
 * from the default thresholding). VUS-PR and Affiliation-F are not implemented yet and print as null.
 * Last line: {"bench":"quality","vus_pr":{…},"auc_pr":{…},"standard_f1":{…},"affiliation_f":{…},"interval_f1":{…}}
 */
import { listDetectors, scoresToIntervals, validateParams } from '../main/detectors';
import { aggregateMetrics, evaluateScores, labelsFromIntervals, type MetricSet } from '../main/evaluation';
import { loadLabeledSeries } from './shared-data';

const series = await loadLabeledSeries();
console.log(`${series.length} labeled series, ${series.reduce((a, s) => a + s.values.length, 0).toLocaleString()} points`);
const keys = ['auc_pr', 'auc_roc', 'standard_f1', 'pa_f1', 'interval_f1'] as const;
const summary: Record<string, Record<string, number | null>> = {
  vus_pr: {},
  auc_pr: {},
  standard_f1: {},
  affiliation_f: {},
  interval_f1: {},
};
console.log(`detector          ${keys.map((k) => k.padStart(12)).join('')}`);
for (const d of listDetectors()) {
  const params = validateParams(d, {});
  const per: MetricSet[] = series.map((s) => {
    const scores = d.score(s.values, params);
    return evaluateScores(scores, labelsFromIntervals(s.values.length, s.labels), {
      predicted: scoresToIntervals(scores, params),
    });
  });
  const m = aggregateMetrics(per);
  console.log(`${d.id.padEnd(16)} ${keys.map((k) => (m[k] === null ? '—' : m[k]!.toFixed(3)).padStart(12)).join('')}`);
  for (const k of Object.keys(summary)) summary[k][d.id] = m[k] === null || m[k] === undefined ? null : Number(m[k]!.toFixed(4));
}
console.log(JSON.stringify({ bench: 'quality', ...summary }));
