/**
 * `npx tsx scripts/train-verifier.ts [--version 1.0.0] [--out resources/verifiers] [--synthetic 240]`: fits
 * the bundled interval verifier. Examples: the screening candidates of `--synthetic` seeded synthetic
 * series (seed 11: typed anomalies, every fifth series without any, so normal bursts, seasonal peaks and
 * noise are the hard negatives) plus, when ../shared/data is here, every labeled shared series and NAB's
 * series without labels. Deterministic: the same command gives the same ONNX bytes. The cross-validated
 * figures of this recipe come from bench/intervals.ts (the shipped verifier has seen every shared series,
 * so its own scores on them are not a result).
 */
import path from 'node:path';
import { seriesExamples } from '../main/verify/examples';
import { defaultBundledVerifiersDir, saveVerifier, type StoredExample } from '../main/verify/bundle';
import { trainTypeModels, trainVerifierModel, type TrainingExample } from '../main/verify/train';
import { sharedDataPresent, sharedSeries, syntheticSeries, unlabeledNab } from '../bench/interval-data';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const version = arg('--version', '1.0.0');
const out = path.resolve(arg('--out', defaultBundledVerifiersDir()));
const synthetic = Number(arg('--synthetic', '240'));

const toStored = (e: TrainingExample): StoredExample => ({ ...e, features: Array.from(e.features), type: e.type ?? null });

const series = [...(await syntheticSeries(synthetic, 11))];
const shared = sharedDataPresent();
if (shared) series.push(...(await sharedSeries()), ...(await unlabeledNab()));
else console.error('../shared/data is not here: training on synthetic series only');
const prepared = series.map((s) => seriesExamples(s));
const training = prepared.flatMap((p) => p.examples);
const model = trainVerifierModel(training);
const typeModels = trainTypeModels([...training, ...prepared.flatMap((p) => p.typeExamples)]);
const examples = training.map(toStored);
const positives = examples.filter((e) => e.label === 1).length;
const entry = saveVerifier(
  out,
  {
    name: 'tsad-verifier',
    version,
    description:
      'Gradient-boosted trees over the evidence of each screening candidate (peak z, level shift, spread ratio, slope change, discord, period, duration, distance to the normal range, member agreement and score shape), Platt-calibrated on out-of-fold scores.',
    parent: null,
    training: {
      command: `npx tsx scripts/train-verifier.ts --version ${version} --synthetic ${synthetic}`,
      synthetic: { seed: 11, count: synthetic },
      shared: shared ? 'every labeled series of ../shared/data and the NAB series without labels' : 'none',
      examples: examples.length,
      positives,
    },
  },
  model,
  typeModels,
  examples,
);
console.log(`${entry.id}: ${examples.length} examples (${positives} anomalies), ${model.trees.length} trees → ${entry.dir}`);
