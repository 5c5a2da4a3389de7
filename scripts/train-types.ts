/**
 * Trains the bundled anomaly-type classifier (main/reasoning/type-model.ts) on synthetic series only
 * (seeds 11, 13 and 14; the type bench holds out seed 12), each anomaly at its true bounds and at
 * imprecise ones, and writes resources/type-classifier/type-model.json.
 *
 *   npm run train:types [-- --series 200]
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { seriesRange, shapeFeatures } from '../main/reasoning/shape';
import { syntheticTypedSeries, typedIntervals } from '../main/reasoning/type-examples';
import { TYPE_MODEL_GBDT, trainTypeClassifier, type TypedExample } from '../main/reasoning/type-model';

const TRAIN_SEEDS = [11, 13, 14];
const i = process.argv.indexOf('--series');
const COUNT = i >= 0 ? Number(process.argv[i + 1]) : 200;
const OUT = path.join(import.meta.dirname, '../resources/type-classifier/type-model.json');

const t0 = Date.now();
const examples: TypedExample[] = [];
for (const seed of TRAIN_SEEDS) {
  const set = syntheticTypedSeries(COUNT, seed);
  const ranges = set.map((s) => seriesRange(s.values));
  const ivs = typedIntervals(set, ['true', 'jittered', 'jittered', 'refined', 'refined', 'edge'], 2000 + seed);
  for (const iv of ivs) examples.push({ features: shapeFeatures(set[iv.series].values, iv, ranges[iv.series]), type: iv.type });
  console.log(`seed ${seed}: ${ivs.length} typed intervals (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}
const model = trainTypeClassifier(examples, {
  seeds: TRAIN_SEEDS.join(', '),
  seriesPerSeed: COUNT,
  examples: examples.length,
  bounds:
    'true; jittered by 10-50 % of the duration (x2); jittered 25 % then refined as the two-stage refines (x2); one change edge',
  gbdt: JSON.stringify(TYPE_MODEL_GBDT),
});
// thresholds and leaf values at 6 significant digits keep the file small without changing a prediction that matters
const json = JSON.stringify(model, (_, v: unknown) =>
  typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v,
);
writeFileSync(OUT, `${json}\n`);
console.log(
  `wrote ${OUT} (${(json.length / 1024).toFixed(0)} KiB, ${examples.length} examples, ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
);
