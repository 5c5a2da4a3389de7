/**
 * `npm run bench:finetune [-- --seed S] [--steps N] [--model name@version] [--keep DIR]`: splits the labeled
 * univariate series of shared/data by series (seeded shuffle, half/half), fine-tunes the bundled model on
 * one half with main/finetune (training/finetune.py, CPU; it keeps the last 20% of that half for its own
 * card metrics), then evaluates base and fine-tuned model on the other half as bench/quality.ts does
 * (VUS-PR with the period window; interval F1 of the default thresholding, counts summed over series).
 * Labels are exported as intervals of type 'unknown' (they train the point scores only).
 * Last line: {"bench":"finetune","vus_pr_before":…,"vus_pr_after":…,"interval_f1_before":…,"interval_f1_after":…}
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { intervalsFromLabels } from '../main/evaluation';
import { findTrainingPython, finetuneCommand, runFinetune, writeTrainingFolder, type TrainingSeries } from '../main/finetune';
import { resolveModel } from '../main/inference';
import { shuffleWith } from '../main/numeric';
import { createRng } from '../main/synth';
import { evaluateModel, type ModelEvaluation } from './model-eval';
import { loadLabeledSeries, type LabeledSeries } from './shared-data';

const { values: args } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    steps: { type: 'string' },
    model: { type: 'string', default: 'tsad-window-cnn' },
    keep: { type: 'string' },
  },
});

function split(series: LabeledSeries[], seed: number): { train: LabeledSeries[]; test: LabeledSeries[] } {
  const order = shuffleWith(
    series.map((_, i) => i),
    createRng(seed).next,
  );
  const half = Math.floor(series.length / 2);
  return {
    train: order.slice(0, half).map((i) => series[i] as LabeledSeries),
    test: order.slice(half).map((i) => series[i] as LabeledSeries),
  };
}

function toTraining(s: LabeledSeries): TrainingSeries {
  return {
    name: s.name,
    values: s.values,
    intervals: intervalsFromLabels(s.labels).map(({ start, end }) => ({ start, end, type: 'unknown' as const })),
  };
}

const all = loadLabeledSeries();
const { train, test } = split(all, Number(args.seed));
const base = await resolveModel(args.model);
const work = args.keep ?? (await mkdtemp(join(tmpdir(), 'bench-finetune-')));
const dataDir = join(work, 'data');
const userDir = join(work, 'user-models');
const plan = { base, dataDir, outDir: userDir, ...(args.steps !== undefined ? { steps: Number(args.steps) } : {}) };
console.log(
  `${all.length} labeled series: fine-tune on ${train.length}, evaluate on ${test.length} (seed ${args.seed}); base ${base.id}`,
);

try {
  await writeTrainingFolder(dataDir, train.map(toTraining));
  const python = await findTrainingPython();
  if (!python.ok) {
    console.error(`${python.reason}\nRun by hand:\n  ${finetuneCommand(plan)}`);
    process.exit(1);
  }
  const t0 = performance.now();
  let lastShown = -1;
  const tuned = await runFinetune(plan, {
    python: python.python,
    progress: (f, message) => {
      if (Math.floor(f * 20) > lastShown) {
        lastShown = Math.floor(f * 20);
        console.error(`  ${(f * 100).toFixed(0).padStart(3)}% ${message}`);
      }
    },
  });
  const finetuneSeconds = (performance.now() - t0) / 1000;
  console.log(`fine-tuned ${tuned.id} in ${finetuneSeconds.toFixed(0)} s (${python.python}, torch ${python.torch})`);

  const before = await evaluateModel(base.id, test);
  const after = await evaluateModel(tuned.id, test, { userDir });
  const bySource = (e: ModelEvaluation, src: string): string => {
    const xs = e.perSeries.filter((p) => p.source === src).map((p) => p.metrics.vus_pr ?? NaN);
    return xs.length ? (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3) : '—';
  };
  const fmt = (v: number | null): string => (v === null ? '—' : v.toFixed(3));
  console.log(`\nmodel${' '.repeat(24)}VUS-PR  AUC-PR  Int-F1  VUS-PR TSB-AD / MGAB / NAB  (${test.length} held-out series)`);
  for (const [label, e] of [
    [base.id, before],
    [tuned.id, after],
  ] as const) {
    console.log(
      `${label.padEnd(29)}${fmt(e.mean.vus_pr).padStart(6)}${fmt(e.mean.auc_pr).padStart(8)}${fmt(e.mean.interval_f1).padStart(8)}  ${['tsb-ad', 'mgab', 'nab'].map((s) => bySource(e, s)).join(' / ')}`,
    );
  }
  const round = (v: number | null): number | null => (v === null ? null : Number(v.toFixed(4)));
  console.log(
    JSON.stringify({
      bench: 'finetune',
      vus_pr_before: round(before.mean.vus_pr),
      vus_pr_after: round(after.mean.vus_pr),
      interval_f1_before: round(before.mean.interval_f1),
      interval_f1_after: round(after.mean.interval_f1),
      base: base.id,
      tuned: tuned.id,
      train_series: train.length,
      test_series: test.length,
      seed: Number(args.seed),
      finetune_seconds: Math.round(finetuneSeconds),
    }),
  );
} finally {
  if (args.keep === undefined) await rm(work, { recursive: true, force: true });
}
