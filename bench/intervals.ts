/**
 * `npx tsx bench/intervals.ts [--splits 3] [--folds 4] [--synthetic 240] [--held-out 100]`: the two-stage
 * detector against screening alone, with default thresholds, evaluated honestly:
 * - shared data, by-series cross-validation: the series are split into folds (stratified by source, one
 *   split per seed); for each fold a verifier is trained on the synthetic training set plus the other
 *   folds' series and scores the fold's series only. No series is in both. Every fold and seed printed.
 * - synthetic held-out set: series of another seed than any training series; verifier trained on the
 *   synthetic training set alone.
 * Per source: interval P/R/F1 (counts summed), Affiliation P/R/F of the intervals, VUS-PR of the final
 * scores, false intervals per 10k points on NAB's series without labels, and AnomSeer's reward
 * (0.7 × mean of point P, R, F1 and affiliation P, R, F1). The screening row is the default ensemble
 * (poly, matrix-profile, variance-change, iforest-window; robust z mean) with its default k·σ threshold.
 * Two-stage rows: the fixed product selection (DEFAULT_SELECTION, or --min-p/--fa-budget), and the
 * selection tuned per fold on the training series' out-of-fold probabilities (main/verify/tune.ts: best
 * mean of F1 and Aff-F within --max-fa false alarms per 10k), with where true intervals are lost
 * (no candidate, candidate under the minimum, dropped by the budget).
 */
import { defaultThresholding, scoresToIntervals } from '../main/detectors';
import { aggregateMetrics, evaluateScores, intervalsFromLabels, labelsFromIntervals, type MetricSet } from '../main/evaluation';
import { estimatePeriodWindow } from '../main/numeric';
import { seededShuffle } from '../main/numeric';
import { seriesExamples, type SeriesExamples } from '../main/verify/examples';
import { combineMembers } from '../main/verify/screening';
import { classifyKept, decide } from '../main/verify/decide';
import { DEFAULT_SELECTION, type SelectionOptions } from '../main/verify/select';
import { trainTypeModels, trainVerifier, VERIFIER_TYPES, type TrainedVerifier } from '../main/verify/train';
import { tuneSelection, type TuningSeries } from '../main/verify/tune';
import { classifyByRules, type TypeDistribution } from '../main/reasoning';
import type { AnomalyType } from '../common/domain';
import { predictProbability, type GbdtModel } from '../main/verify/gbdt';

function typeDistribution(models: readonly GbdtModel[], x: Float64Array): TypeDistribution {
  return Object.fromEntries(VERIFIER_TYPES.map((t, k) => [t, predictProbability(models[k], x)]));
}
import type { Interval } from '../common/domain';
import { sharedDataPresent, sharedSeries, syntheticSeries, unlabeledNab, type BenchSeries } from './interval-data';
import { evaluatedPart } from './shared-data';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const SPLITS = arg('--splits', 3);
const FOLDS = arg('--folds', 4);
const SYNTH_TRAIN = arg('--synthetic', 240);
const SYNTH_HELD_OUT = arg('--held-out', 100);
// fixed selection (the product default) beside the selection tuned on each fold's training series
const fixedSelection: SelectionOptions = {
  ...DEFAULT_SELECTION,
  minProbability: arg('--min-p', DEFAULT_SELECTION.minProbability),
  falseAlarmsPer10k: arg('--fa-budget', DEFAULT_SELECTION.falseAlarmsPer10k),
  refine: !process.argv.includes('--no-refine'),
};
const MAX_FA = arg('--max-fa', 0.5);

interface Prepared extends SeriesExamples {
  series: BenchSeries;
}

function overlaps(a: Interval, b: Interval) {
  return a.start < b.end && b.start < a.end;
}

function prepare(s: BenchSeries): Prepared {
  return { series: s, ...seriesExamples(s) };
}

function ensembleScores(s: BenchSeries): Float32Array {
  // the default ensemble: mean robust z of the four classical members (screening's combined score without the model)
  const classical = new Map([...s.members].filter(([id]) => id !== 'model'));
  return combineMembers(classical, s.values.length).combined;
}

interface SeriesResult {
  metrics: MetricSet;
  reward: number | null;
  falseIntervals: number;
  unlabeledPoints: number;
}

function evaluate(s: BenchSeries, scores: Float32Array, predicted: Interval[]): SeriesResult {
  const y = evaluatedPart(s.labels, s.evaluated);
  const mask = labelsFromIntervals(s.values.length, predicted);
  const pred = intervalsFromLabels(evaluatedPart(mask, s.evaluated));
  const hasLabels = y.some((v) => v === 1);
  const metrics = evaluateScores(evaluatedPart(scores, s.evaluated), y, {
    slidingWindow: estimatePeriodWindow(s.values),
    predicted: pred,
  });
  const parts = [
    metrics.point_p,
    metrics.point_r,
    metrics.point_f1,
    metrics.pred_affiliation_p,
    metrics.pred_affiliation_r,
    metrics.pred_affiliation_f,
  ];
  const reward = hasLabels ? (0.7 * parts.reduce<number>((a, v) => a + (v ?? 0), 0)) / parts.length : null;
  return { metrics, reward, falseIntervals: hasLabels ? 0 : pred.length, unlabeledPoints: hasLabels ? 0 : y.length };
}

function verify(p: Prepared, model: GbdtModel, selection: SelectionOptions) {
  const candidates = p.candidates.map((c) => ({ ...c, probability: predictProbability(model, c.features) }));
  return decide(p.series.values, p.screening, candidates, selection);
}

/** Training series with out-of-fold probabilities, for tuning the selection without the test fold. */
function tuningSeries(train: readonly Prepared[], trained: TrainedVerifier): TuningSeries[] {
  const oof = trained.outOfFold;
  if (!oof) throw new Error('the verifier could not be calibrated out of fold');
  return train.map((p) => ({
    values: p.series.values,
    period: p.screening.period,
    candidates: p.candidates.map((c) => ({ ...c, probability: oof(p.series.name, c.features) })),
    truth: p.series.truth,
    evaluated: p.series.evaluated,
    anomalyFree: p.series.truth.length === 0,
  }));
}

function tuned(train: readonly Prepared[], trained: TrainedVerifier): SelectionOptions {
  const t = tuneSelection(tuningSeries(train, trained), { maxFalseAlarmsPer10k: MAX_FA, refine: fixedSelection.refine });
  console.log(
    `    tuned on training series: p ≥ ${t.selection.minProbability}, budget ${t.selection.falseAlarmsPer10k}/10k, top kept above ${t.selection.keepTopAbove ?? 'off'} (training OOF: F1 ${t.f1.toFixed(3)}, Aff-F ${t.affiliationF.toFixed(3)}, FA/10k ${t.falseAlarmsPer10k.toFixed(2)})`,
  );
  return t.selection;
}

/** Where true intervals are lost: found by a candidate, candidate above the minimum, kept at the end. */
function recallBreakdown(p: Prepared, model: GbdtModel, kept: readonly Interval[], minProbability: number) {
  const truth = intervalsFromLabels(evaluatedPart(p.series.labels, p.series.evaluated)).length ? p.series.truth : [];
  const probs = p.candidates.map((c) => predictProbability(model, c.features));
  let candidate = 0;
  let likely = 0;
  let final = 0;
  for (const t of truth) {
    if (p.candidates.some((c) => overlaps(c, t))) candidate++;
    if (p.candidates.some((c, k) => overlaps(c, t) && probs[k] >= minProbability)) likely++;
    if (kept.some((k) => overlaps(k, t))) final++;
  }
  return { truth: truth.length, candidate, likely, final };
}

function screeningAlone(p: Prepared): { scores: Float32Array; intervals: Interval[] } {
  const scores = ensembleScores(p.series);
  return { scores, intervals: scoresToIntervals(scores, defaultThresholding()).map(({ start, end }) => ({ start, end })) };
}

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '   —  ' : v.toFixed(3).padStart(6));

function summarize(label: string, results: { source: string; r: SeriesResult }[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const sources = ['all', ...new Set(results.map((x) => x.source))];
  for (const src of sources) {
    const rs = results.filter((x) => src === 'all' || x.source === src).map((x) => x.r);
    const labeled = rs.filter((r) => r.reward !== null);
    const m = aggregateMetrics(labeled.map((r) => r.metrics));
    const fi = rs.reduce((a, r) => a + r.falseIntervals, 0);
    const up = rs.reduce((a, r) => a + r.unlabeledPoints, 0);
    const reward = labeled.length ? labeled.reduce((a, r) => a + (r.reward ?? 0), 0) / labeled.length : null;
    const row = {
      p: m.interval_p,
      r: m.interval_r,
      f1: m.interval_f1,
      aff_p: m.pred_affiliation_p,
      aff_r: m.pred_affiliation_r,
      aff_f: m.pred_affiliation_f,
      vus_pr: m.vus_pr,
      fa_per_10k: up > 0 ? (fi / up) * 10_000 : null,
      reward,
    };
    out[src] = row;
    console.log(
      `  ${label.padEnd(22)}${src.padEnd(15)}${[row.p, row.r, row.f1, row.aff_p, row.aff_r, row.aff_f, row.vus_pr, row.fa_per_10k, row.reward].map(fmt).join(' ')}`,
    );
  }
  return out;
}

const HEADER = `  ${'stage'.padEnd(22)}${'source'.padEnd(15)}${['Int-P', 'Int-R', 'Int-F1', 'Aff-P', 'Aff-R', 'Aff-F', 'VUS-PR', 'FA/10k', 'reward'].map((h) => h.padStart(6)).join(' ')}`;

async function main(): Promise<void> {
  const t0 = performance.now();
  const synthTrain = (await syntheticSeries(SYNTH_TRAIN, 11)).map(prepare);
  const synthTest = (await syntheticSeries(SYNTH_HELD_OUT, 12)).map(prepare);
  console.error(`synthetic prepared (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  const synthExamples = synthTrain.flatMap((p) => p.examples);
  console.log(
    `synthetic training: ${synthTrain.length} series, ${synthExamples.length} candidates (${synthExamples.filter((e) => e.label).length} positive)`,
  );
  const report: Record<string, unknown> = { bench: 'intervals', fixedSelection, maxFalseAlarmsPer10k: MAX_FA };

  // synthetic held-out
  const synthTrained = trainVerifier(synthExamples);
  const synthModel = synthTrained.model;
  console.log(`\nSynthetic held-out (${synthTest.length} series of seed 12; verifier trained on seed 11 only)`);
  console.log(HEADER);
  const synthScreen = synthTest.map((p) => ({
    source: 'synthetic',
    r: evaluate(p.series, ...(Object.values(screeningAlone(p)) as [Float32Array, Interval[]])),
  }));
  report.synthetic_screening = summarize('screening', synthScreen);
  const synthSelection = tuned(synthTrain, synthTrained);
  report.synthetic_selection = synthSelection;
  const typeModels = trainTypeModels([...synthExamples, ...synthTrain.flatMap((p) => p.typeExamples)]);
  let typed = 0;
  const right = { rules: 0, learned: 0, combined: 0 };
  const confusion = new Map<string, number>();
  const synthVerified = synthTest.map((p) => {
    const d = verify(p, synthModel, synthSelection);
    for (const k of d.kept) {
      const truth = p.series.anomalies?.find((a) => overlaps(a, k));
      if (!truth) continue;
      typed++;
      const learned = typeModels ? typeDistribution(typeModels, k.finalFeatures) : undefined;
      const combined = classifyKept(k, learned, { values: p.series.values }).type;
      const top = learned ? (Object.entries(learned).sort((a, b) => b[1] - a[1])[0][0] as AnomalyType) : 'unknown';
      if (classifyByRules(k.evidence).type === truth.type) right.rules++;
      if (top === truth.type) right.learned++;
      if (combined === truth.type) right.combined++;
      confusion.set(`${truth.type} -> ${top}`, (confusion.get(`${truth.type} -> ${top}`) ?? 0) + 1);
    }
    return { source: 'synthetic', r: evaluate(p.series, d.scores, d.kept) };
  });
  report.synthetic_verified = summarize('screening + verifier', synthVerified);
  console.log(
    `  type of kept true intervals right (${typed}): rules ${(right.rules / Math.max(1, typed)).toFixed(3)}, learned ${(right.learned / Math.max(1, typed)).toFixed(3)}, classifyKept (shape classifier first) ${(right.combined / Math.max(1, typed)).toFixed(3)}`,
  );
  for (const [k, v] of [...confusion].sort()) console.log(`    ${k}: ${v}`);
  report.synthetic_type_accuracy = Object.fromEntries(Object.entries(right).map(([k, v]) => [k, v / Math.max(1, typed)]));

  if (!sharedDataPresent()) {
    console.log('\n../shared/data is not here: the shared-data cross-validation is skipped.');
    console.log(JSON.stringify(report));
    return;
  }
  const shared = (await sharedSeries()).map(prepare);
  const unlabeled = (await unlabeledNab()).map(prepare);
  console.error(`shared prepared (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  console.log(
    `\nShared data: ${shared.length} labeled series (${shared.reduce((a, p) => a + p.examples.length, 0)} candidates), ${unlabeled.length} NAB series without labels`,
  );
  const allScreen: { source: string; r: SeriesResult }[] = [];
  for (const p of [...shared, ...unlabeled]) {
    const s = screeningAlone(p);
    allScreen.push({ source: p.series.source, r: evaluate(p.series, s.scores, s.intervals) });
  }
  console.log(HEADER);
  report.shared_screening = summarize('screening (all)', allScreen);
  const splits: unknown[] = [];
  for (let seed = 1; seed <= SPLITS; seed++) {
    // fold of each series: stratified by source, shuffled with the split seed
    const fold = new Map<string, number>();
    for (const src of ['tsb-ad', 'mgab', 'nab', 'nab-unlabeled']) {
      const names = [...shared, ...unlabeled].filter((p) => p.series.source === src).map((p) => p.series.name);
      seededShuffle(names, seed * 7919 + src.length).forEach((name, k) => fold.set(name, (k + seed) % FOLDS));
    }
    const results: { source: string; r: SeriesResult }[] = [];
    const fixedResults: { source: string; r: SeriesResult }[] = [];
    const lost = { truth: 0, candidate: 0, likely: 0, final: 0 };
    console.log(`\nsplit seed ${seed}`);
    const perFold: unknown[] = [];
    for (let f = 0; f < FOLDS; f++) {
      const trainSeries = [...shared, ...unlabeled].filter((p) => fold.get(p.series.name) !== f);
      const trained = trainVerifier([...synthExamples, ...trainSeries.flatMap((p) => p.examples)]);
      const model = trained.model;
      // tuned on the real training series (labeled: F1 and Aff-F; without labels: false alarms) and the
      // synthetic series without anomalies (false alarms), with out-of-fold probabilities
      const selection = tuned([...trainSeries, ...synthTrain.filter((p) => p.series.truth.length === 0)], trained);
      const foldResults = [...shared, ...unlabeled]
        .filter((p) => fold.get(p.series.name) === f)
        .map((p) => {
          const d = verify(p, model, selection);
          const b = recallBreakdown(p, model, d.kept, selection.minProbability);
          lost.truth += b.truth;
          lost.candidate += b.candidate;
          lost.likely += b.likely;
          lost.final += b.final;
          const fixed = verify(p, model, fixedSelection);
          fixedResults.push({ source: p.series.source, r: evaluate(p.series, fixed.scores, fixed.kept) });
          return { source: p.series.source, r: evaluate(p.series, d.scores, d.kept) };
        });
      results.push(...foldResults);
      const all = aggregateMetrics(foldResults.filter((x) => x.r.reward !== null).map((x) => x.r.metrics));
      perFold.push({
        fold: f,
        series: foldResults.length,
        f1: all.interval_f1,
        aff_f: all.pred_affiliation_f,
        vus_pr: all.vus_pr,
      });
      console.log(
        `  fold ${f}: ${foldResults.length} series, interval F1 ${fmt(all.interval_f1)}, Aff-F ${fmt(all.pred_affiliation_f)}, VUS-PR ${fmt(all.vus_pr)}`,
      );
    }
    console.log(
      `  true intervals ${lost.truth}: overlapped by a candidate ${lost.candidate}, by one above the minimum ${lost.likely}, kept ${lost.final}`,
    );
    console.log(HEADER);
    const fixed = summarize(`fixed p≥${fixedSelection.minProbability}/${fixedSelection.falseAlarmsPer10k}`, fixedResults);
    splits.push({ seed, folds: perFold, recall: lost, fixed, summary: summarize('tuned selection', results) });
  }
  report.shared_verified = splits;
  console.error(`done (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  console.log(JSON.stringify(report));
}

await main();
