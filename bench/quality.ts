/**
 * `npx tsx bench/quality.ts [--detectors id,id] [--max-points n]`: every registry detector (and the
 * ensemble) with default parameters on every labeled univariate series of shared/data (see
 * shared-data.ts), scored with the evaluation module: VUS-PR (TSB-AD's sliding window = the series'
 * period window), AUC-PR, Standard-F1, Affiliation-F (TSB-AD oracle sweeps) and interval F1 of the
 * detector's default thresholding (counts summed over series). Means over series.
 * A detector slower than SLOW_SECONDS on one series is skipped on the remaining long (> 50k points)
 * series, and the table says so. Last line: one JSON object with the means per detector.
 * The bundled learned model (model:tsad-window-cnn, ONNX on the CPU) has its row too, after the
 * registry's detectors; `--no-model` leaves it out.
 */
import { defaultThresholding, getDetector, listDetectors, validateParams, type ParamValues } from '../main/detectors';
import { aggregateMetrics, type MetricSet } from '../main/evaluation';
import { modelDetector } from '../main/inference';
import { estimatePeriodWindow } from '../main/numeric';
import { evaluateSeriesScores } from './model-eval';
import { loadLabeledSeries, type LabeledSeries } from './shared-data';

const SLOW_SECONDS = 60;
const LONG_SERIES = 50_000;

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const onlyDetectors = argValue('--detectors')?.split(',');
const maxPoints = Number(argValue('--max-points') ?? Infinity);
/** A registry detector or the learned model (async), with the params it runs with. */
interface Scorer {
  id: string;
  params: ParamValues;
  score(values: Float64Array): Float32Array | Promise<Float32Array>;
}
const MODEL_ID = 'model:tsad-window-cnn';
const detectors: Scorer[] = (
  onlyDetectors ? onlyDetectors.filter((id) => id !== MODEL_ID).map(getDetector) : listDetectors()
).map((d) => {
  const params = validateParams(d, {});
  return { id: d.id, params, score: (values: Float64Array) => d.score(values, params) };
});
if (onlyDetectors ? onlyDetectors.includes(MODEL_ID) : !process.argv.includes('--no-model')) {
  const model = await modelDetector('tsad-window-cnn', { threads: 1 });
  detectors.push({ id: model.id, params: defaultThresholding(), score: (values) => model.score(values, {}) });
}
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

async function evaluateOne(
  d: Scorer,
  s: LabeledSeries,
  slidingWindow: number,
): Promise<{ metrics: MetricSet; detectSeconds: number; evalSeconds: number }> {
  const t0 = performance.now();
  const scores = await d.score(s.values);
  const t1 = performance.now();
  const metrics = evaluateSeriesScores(scores, s, { thresholding: d.params, slidingWindow });
  return { metrics, detectSeconds: (t1 - t0) / 1000, evalSeconds: (performance.now() - t1) / 1000 };
}

const ID_WIDTH = Math.max(16, ...detectors.map((d) => d.id.length + 2));
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
  for (const [i, s] of series.entries()) {
    if (slow && s.values.length > LONG_SERIES) {
      skipped++;
      continue;
    }
    try {
      const r = await evaluateOne(d, s, windows[i]);
      per.push(r.metrics);
      perSource[s.source].push(r.metrics);
      detectSeconds += r.detectSeconds;
      evalSeconds += r.evalSeconds;
      if (r.detectSeconds > SLOW_SECONDS) slow = true;
    } catch (e) {
      failed++;
      if (failed === 1) notes.push(`failed on ${s.name}: ${(e as Error).message}`);
    }
  }
  if (skipped) notes.push(`skipped on ${skipped} series > ${LONG_SERIES} points (too slow)`);
  const m = aggregateMetrics(per);
  for (const k of KEYS) summary[k][d.id] = m[k] === null ? null : Number(m[k]!.toFixed(4));
  rows.push(
    `${d.id.padEnd(ID_WIDTH)}${KEYS.map((k) => fmt(m[k]).padStart(9)).join('')}${String(per.length).padStart(7)}${detectSeconds.toFixed(1).padStart(9)}${evalSeconds.toFixed(1).padStart(8)}  ${notes.join('; ')}`,
  );
  bySource.push(
    `${d.id.padEnd(ID_WIDTH)}${['tsb-ad', 'mgab', 'nab'].map((src) => fmt(aggregateMetrics(perSource[src]).vus_pr).padStart(9)).join('')}`,
  );
  console.error(`${d.id}: done (${detectSeconds.toFixed(1)} s detect, ${evalSeconds.toFixed(1)} s evaluate)`);
}

console.log(`\n${'detector'.padEnd(ID_WIDTH)}  VUS-PR   AUC-PR  Std-F1   Aff-F   Int-F1 series detect_s  eval_s`);
for (const r of rows) console.log(r);
console.log(`\n${'VUS-PR by source'.padEnd(ID_WIDTH)}   TSB-AD     MGAB      NAB`);
for (const r of bySource) console.log(r);
console.log(JSON.stringify({ bench: 'quality', ...summary }));
