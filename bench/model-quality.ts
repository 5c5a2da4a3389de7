/**
 * `npx tsx bench/model-quality.ts [--model name@version] [--stride S] [--user-dir DIR] [--write-card]`: a
 * learned model on every labeled univariate series of shared/data, evaluated as bench/quality.ts does (see
 * model-eval.ts). --write-card records the figures in the model's card.json as metrics.sharedData.
 * Last line: {"bench":"model-quality","model":…,"vus_pr":…,"interval_f1":…,"by_source":{…}}
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { aggregateMetrics } from '../main/evaluation';
import { resolveModel } from '../main/inference';
import { evaluateModel } from './model-eval';
import { loadLabeledSeries } from './shared-data';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'tsad-window-cnn' },
    stride: { type: 'string' },
    'user-dir': { type: 'string' },
    'write-card': { type: 'boolean', default: false },
  },
});
const series = loadLabeledSeries();
const result = await evaluateModel(args.model, series, {
  ...(args['user-dir'] !== undefined ? { userDir: args['user-dir'] } : {}),
  ...(args.stride !== undefined ? { params: { stride: Number(args.stride) } } : {}),
  onSeries: (name, m) => console.error(`${name.padEnd(70)} ${m.vus_pr?.toFixed(3)} ${m.interval_f1?.toFixed(3) ?? '—'}`),
});
const bySource: Record<string, number | null> = {};
for (const src of ['tsb-ad', 'mgab', 'nab'] as const) {
  const v = aggregateMetrics(result.perSeries.filter((p) => p.source === src).map((p) => p.metrics)).vus_pr;
  bySource[src] = v === null ? null : Number(v.toFixed(4));
}
const round = (v: number | null) => (v === null ? null : Number(v.toFixed(4)));
console.log(`${result.model}: ${series.length} series, scoring ${result.scoreSeconds.toFixed(1)} s`);
console.log(
  `VUS-PR ${result.mean.vus_pr?.toFixed(3)}  AUC-PR ${result.mean.auc_pr?.toFixed(3)}  interval F1 ${result.mean.interval_f1?.toFixed(3)}`,
);
console.log(
  JSON.stringify({
    bench: 'model-quality',
    model: result.model,
    vus_pr: round(result.mean.vus_pr),
    auc_pr: round(result.mean.auc_pr),
    interval_f1: round(result.mean.interval_f1),
    by_source: bySource,
  }),
);
if (args['write-card']) {
  const entry = await resolveModel(result.model, args['user-dir'] !== undefined ? { userDir: args['user-dir'] } : {});
  const cardPath = join(entry.dir, 'card.json');
  const card = JSON.parse(await readFile(cardPath, 'utf8')) as { metrics?: Record<string, unknown> };
  card.metrics = {
    ...card.metrics,
    sharedData: {
      protocol:
        'bench/model-quality.ts (bench/quality.ts metrics: VUS-PR with the period window, interval F1 of sigma-3 thresholding)',
      series: series.length,
      stride: args.stride !== undefined ? Number(args.stride) : entry.card.preprocessing.defaultStride,
      smooth: entry.card.postprocessing?.smooth ?? 'none',
      scales: entry.card.postprocessing?.scales ?? [1],
      vus_pr: round(result.mean.vus_pr),
      auc_pr: round(result.mean.auc_pr),
      interval_f1: round(result.mean.interval_f1),
      vus_pr_by_source: bySource,
    },
  };
  await writeFile(cardPath, `${JSON.stringify(card, null, 2)}\n`);
  console.error(`wrote metrics.sharedData into ${cardPath}`);
}
