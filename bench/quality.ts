/**
 * `npx tsx bench/quality.ts [--detectors id,id] [--max-points n]`: every registry detector (and the
 * ensemble) with default parameters on every labeled univariate series of shared/data (see
 * shared-data.ts), scored with the evaluation module: VUS-PR (TSB-AD's sliding window = the series'
 * period window), AUC-PR, Standard-F1, Affiliation-F (TSB-AD oracle sweeps) and interval F1 of the
 * detector's default thresholding (counts summed over series). Means over series.
 * A detector slower than SLOW_SECONDS on one series is skipped on the remaining long (> 50k points)
 * series, and the table says so. Last line: one JSON object with the means per detector.
 */
import { getDetector, listDetectors, scoresToIntervals, validateParams, type Detector } from '../main/detectors';
import { aggregateMetrics, evaluateScores, intervalsFromLabels, labelsFromIntervals, type MetricSet } from '../main/evaluation';
import { estimatePeriodWindow } from '../main/numeric';
import { evaluatedPart, loadLabeledSeries, type LabeledSeries } from './shared-data';

const SLOW_SECONDS = 60;
const LONG_SERIES = 50_000;

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const onlyDetectors = argValue('--detectors')?.split(',');
const maxPoints = Number(argValue('--max-points') ?? Infinity);
const detectors: Detector[] = onlyDetectors ? onlyDetectors.map(getDetector) : listDetectors();
const series = loadLabeledSeries().map((s): LabeledSeries => {
  if (s.values.length <= maxPoints) return s;
  return {
    ...s,
    values: s.values.subarray(0, maxPoints),
    labels: s.labels.subarray(0, maxPoints),
    evaluated: s.evaluated.subarray(0, maxPoints),
  };
});
const windows = series.map((s) => estimatePeriodWindow(s.values));
const totalPoints = series.reduce((a, s) => a + s.values.length, 0);
console.log(
  `${series.length} labeled series (${series.filter((s) => s.source === 'tsb-ad').length} TSB-AD, ${series.filter((s) => s.source === 'mgab').length} MGAB, ${series.filter((s) => s.source === 'nab').length} NAB), ${totalPoints.toLocaleString('en-US')} points`,
);

function evaluateOne(
  d: Detector,
  s: LabeledSeries,
  slidingWindow: number,
): { metrics: MetricSet; detectSeconds: number; evalSeconds: number } {
  const params = validateParams(d, {});
  const t0 = performance.now();
  const scores = d.score(s.values, params);
  const t1 = performance.now();
  const predicted = labelsFromIntervals(s.values.length, scoresToIntervals(scores, params));
  const metrics = evaluateScores(evaluatedPart(scores, s.evaluated), evaluatedPart(s.labels, s.evaluated), {
    slidingWindow,
    predicted: intervalsFromLabels(evaluatedPart(predicted, s.evaluated)),
  });
  return { metrics, detectSeconds: (t1 - t0) / 1000, evalSeconds: (performance.now() - t1) / 1000 };
}

const KEYS = ['vus_pr', 'auc_pr', 'standard_f1', 'affiliation_f', 'interval_f1'] as const;
const summary: Record<(typeof KEYS)[number], Record<string, number | null>> = {
  vus_pr: {},
  auc_pr: {},
  standard_f1: {},
  affiliation_f: {},
  interval_f1: {},
};
const rows: string[] = [];
const bySource: string[] = [];
const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(3));

for (const d of detectors) {
  const per: MetricSet[] = [];
  const perSource: Record<string, MetricSet[]> = { 'tsb-ad': [], mgab: [], nab: [] };
  let detectSeconds = 0;
  let evalSeconds = 0;
  let slow = false;
  const notes: string[] = [];
  let skipped = 0;
  let failed = 0;
  series.forEach((s, i) => {
    if (slow && s.values.length > LONG_SERIES) {
      skipped++;
      return;
    }
    try {
      const r = evaluateOne(d, s, windows[i]);
      per.push(r.metrics);
      perSource[s.source].push(r.metrics);
      detectSeconds += r.detectSeconds;
      evalSeconds += r.evalSeconds;
      if (r.detectSeconds > SLOW_SECONDS) slow = true;
    } catch (e) {
      failed++;
      if (failed === 1) notes.push(`failed on ${s.name}: ${(e as Error).message}`);
    }
  });
  if (skipped) notes.push(`skipped on ${skipped} series > ${LONG_SERIES} points (too slow)`);
  const m = aggregateMetrics(per);
  for (const k of KEYS) summary[k][d.id] = m[k] === null ? null : Number(m[k]!.toFixed(4));
  rows.push(
    `${d.id.padEnd(16)}${KEYS.map((k) => fmt(m[k]).padStart(9)).join('')}${String(per.length).padStart(7)}${detectSeconds.toFixed(1).padStart(9)}${evalSeconds.toFixed(1).padStart(8)}  ${notes.join('; ')}`,
  );
  bySource.push(
    `${d.id.padEnd(16)}${['tsb-ad', 'mgab', 'nab'].map((src) => fmt(aggregateMetrics(perSource[src]).vus_pr).padStart(9)).join('')}`,
  );
  console.error(`${d.id}: done (${detectSeconds.toFixed(1)} s detect, ${evalSeconds.toFixed(1)} s evaluate)`);
}

console.log(`\ndetector          VUS-PR   AUC-PR  Std-F1   Aff-F   Int-F1 series detect_s  eval_s`);
for (const r of rows) console.log(r);
console.log(`\nVUS-PR by source  TSB-AD     MGAB      NAB`);
for (const r of bySource) console.log(r);
console.log(JSON.stringify({ bench: 'quality', ...summary }));
