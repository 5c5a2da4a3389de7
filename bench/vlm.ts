/**
 * bench:vlm — the bundled VLM (resources/models/tsad-plot-vlm) on held-out windows of 1000 points,
 * beside the learned CNN detector (tsad-window-cnn, default thresholding) and, on real data, the
 * ensemble, both with the evidence engine's class and rationale card for their first interval.
 *
 * - synthetic: windows of main/synth never trained on (seed 3; training used seeds 1 and 2)
 * - real: every labeled univariate series of shared/data cut into windows of 1000 (the VLM never saw
 *   shared data), at most VLM_BENCH_REAL windows spread evenly over them
 *
 * Figures: interval P/R/F1 (window level, VisAnomBench matching summed over windows), Affiliation-F
 * (mean over windows with labels), class accuracy (AnomSeer class of the dominant type; synthetic
 * only), the share of numeric claims in <think> verified / contradicted / unverifiable by the
 * faithfulness checker (type words apart), AnomSeer's reward (0.7 × mean of point P/R/F1 and
 * affiliation P/R/F1 + 0.2 × class + 0.1 × format), and windows per second (2 ORT threads, batch 8; the
 * issue's "2 CPU threads").
 *
 *   npm run bench:vlm            VLM_BENCH_WINDOWS=200 VLM_BENCH_REAL=150 VLM_BENCH_THREADS=2 by default;
 *                                VLM_BENCH_MODEL=NAME@VERSION or a model folder (default: the newest bundled)
 */
import type { Interval } from '../common/domain';
import { defaultThresholding, getDetector, scoresToIntervals, validateParams } from '../main/detectors';
import {
  affiliationFromEvents,
  intervalsFromLabels,
  labelsFromIntervals,
  matchIntervals,
  pointPRF,
  prf,
} from '../main/evaluation';
import { ANOMSEER_CLASS } from '../main/exporters/formats/sft-jsonl';
import { modelDetector } from '../main/inference';
import { answerPlots, DEFAULT_VLM_NAME, loadVlm, resolveVlm, synthWindow } from '../main/inference/vlm';
import { buildCard, checkRationale, classify, computeEvidence } from '../main/reasoning';
import { anomSeerPrompt, parseAnomSeer } from '../main/reasoning/parsers';
import { renderSeriesPlot } from '../main/render';
import { evaluatedPart, loadLabeledSeries } from './shared-data';

interface BenchWindow {
  values: Float64Array;
  labels: Interval[];
  /** null: untyped labels (real data) */
  className: string | null;
}

interface Prediction {
  intervals: Interval[];
  className: string | null;
  think: string | null;
  formatOk: boolean;
}

function summarizeRun(name: string, windows: BenchWindow[], preds: Prediction[], seconds: number) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let affF = 0;
  let affN = 0;
  let classRight = 0;
  let classN = 0;
  let reward = 0;
  const claims = { verified: 0, contradicted: 0, unverifiable: 0, levelVerified: 0, levelAll: 0, types: 0, typesVerified: 0 };
  windows.forEach((w, k) => {
    const p = preds[k];
    const m = matchIntervals(w.labels, p.intervals);
    tp += m.tp;
    fp += m.fp;
    fn += m.fn;
    const n = w.values.length;
    let aff = { p: 1, r: 1, f: 1 };
    if (w.labels.length > 0) {
      const a = affiliationFromEvents(
        p.intervals.map((iv) => [iv.start, iv.end] as [number, number]),
        w.labels.map((iv) => [iv.start, iv.end] as [number, number]),
        n,
      );
      const ap = a.precision ?? 0;
      aff = { p: ap, r: a.recall, f: ap + a.recall > 0 ? (2 * ap * a.recall) / (ap + a.recall) : 0 };
      affF += aff.f;
      affN++;
    } else if (p.intervals.length > 0) aff = { p: 0, r: 0, f: 0 };
    const pt = pointPRF(labelsFromIntervals(n, w.labels), p.intervals);
    const point = pt.f1 === null ? { p: 1, r: 1, f: 1 } : { p: pt.p ?? 0, r: pt.r ?? 0, f: pt.f1 };
    let cls = 0;
    if (w.className !== null) {
      classN++;
      cls = p.className === w.className ? 1 : 0;
      classRight += cls;
    }
    reward += 0.7 * ((point.p + point.r + point.f + aff.p + aff.r + aff.f) / 6) + 0.2 * cls + 0.1 * (p.formatOk ? 1 : 0);
    if (p.think) {
      const report = checkRationale(p.think, w.values, p.intervals.length > 0 ? { interval: p.intervals[0] } : {});
      for (const c of report.claims) {
        if (c.kind === 'type') {
          claims.types++;
          if (c.status === 'verified') claims.typesVerified++;
          continue;
        }
        claims[c.status]++;
        if (c.kind === 'statistic') {
          claims.levelAll++;
          if (c.status === 'verified') claims.levelVerified++;
        }
      }
    }
  });
  const f = prf(tp, fp, fn);
  const numeric = claims.verified + claims.contradicted + claims.unverifiable;
  const share = (x: number, of: number) => (of > 0 ? Number((x / of).toFixed(3)) : null);
  return {
    method: name,
    windows: windows.length,
    intervalP: share(f.p ?? 0, 1),
    intervalR: share(f.r ?? 0, 1),
    intervalF1: share(f.f1 ?? 0, 1),
    affiliationF: share(affF, affN),
    classAccuracy: share(classRight, classN),
    numericClaims: numeric,
    verified: share(claims.verified, numeric),
    contradicted: share(claims.contradicted, numeric),
    unverifiable: share(claims.unverifiable, numeric),
    levelClaimsVerified: `${claims.levelVerified}/${claims.levelAll}`,
    typeClaimsVerified: `${claims.typesVerified}/${claims.types}`,
    anomSeerReward: share(reward, windows.length),
    windowsPerSecond: Number((windows.length / seconds).toFixed(1)),
  };
}

function plotOf(values: Float64Array) {
  const plot = renderSeriesPlot(values, { from: 0, to: values.length, style: 'anomllm' });
  const prompt = anomSeerPrompt(values.length, Number(plot.axis.yMin.toFixed(3)), Number(plot.axis.yMax.toFixed(3)));
  return { png: plot.png, prompt };
}

async function runVlmOn(windows: BenchWindow[]) {
  const entry = await resolveVlm(process.env.VLM_BENCH_MODEL ?? DEFAULT_VLM_NAME);
  const model = await loadVlm(entry.dir, { threads: Number(process.env.VLM_BENCH_THREADS ?? 2) });
  const plots = windows.map((w) => plotOf(w.values));
  const preds: Prediction[] = [];
  const t0 = performance.now();
  for (let a = 0; a < plots.length; a += 8) {
    const answers = await answerPlots(model, plots.slice(a, a + 8));
    answers.forEach((ans, k) => {
      try {
        const parsed = parseAnomSeer(ans.text, windows[a + k].values.length);
        const cls = /<class>([\s\S]*?)<\/class>/.exec(ans.text)?.[1]?.trim() ?? null;
        preds.push({
          intervals: parsed.intervals,
          className: cls,
          think: parsed.reasoning,
          formatOk: parsed.reasoning !== null && cls !== null,
        });
      } catch {
        preds.push({ intervals: [], className: null, think: null, formatOk: false });
      }
    });
  }
  const seconds = (performance.now() - t0) / 1000;
  await model.release();
  return { name: entry.id, preds, seconds };
}

/** A score detector's intervals, with the evidence engine's class and card for the first one. */
async function runScorer(name: string, windows: BenchWindow[], score: (v: Float64Array) => Promise<Float32Array> | Float32Array) {
  const thresholding = defaultThresholding();
  const preds: Prediction[] = [];
  const t0 = performance.now();
  for (const w of windows) {
    const intervals = scoresToIntervals(await score(w.values), thresholding).map(({ start, end }) => ({ start, end }));
    if (intervals.length === 0) {
      preds.push({ intervals, className: 'normal', think: 'No anomaly.', formatOk: true });
      continue;
    }
    const e = computeEvidence(w.values, intervals[0]);
    preds.push({ intervals, className: ANOMSEER_CLASS[classify(e).type], think: buildCard(e).text, formatOk: true });
  }
  return { name, preds, seconds: (performance.now() - t0) / 1000 };
}

async function compare(label: string, windows: BenchWindow[], withEnsemble: boolean) {
  const rows = [];
  const vlm = await runVlmOn(windows);
  rows.push(summarizeRun(vlm.name, windows, vlm.preds, vlm.seconds));
  const cnn = await modelDetector('tsad-window-cnn');
  const c = await runScorer(`${cnn.model.id} + evidence`, windows, (v) => cnn.score(v, {}));
  rows.push(summarizeRun(c.name, windows, c.preds, c.seconds));
  await cnn.release();
  if (withEnsemble) {
    const ens = getDetector('ensemble');
    const params = validateParams(ens, {});
    const e = await runScorer('ensemble + evidence', windows, (v) => ens.score(v, params));
    rows.push(summarizeRun(e.name, windows, e.preds, e.seconds));
  }
  console.log(`\n## ${label}`);
  console.table(rows);
  console.log(JSON.stringify({ set: label, rows }));
}

async function main() {
  const nSynth = Number(process.env.VLM_BENCH_WINDOWS ?? 200);
  const synth: BenchWindow[] = [];
  for (let k = 0; k < nSynth; k++) {
    const w = synthWindow(3, k);
    synth.push({ values: w.series.values, labels: w.intervals, className: w.className });
  }
  await compare(`held-out synthetic windows (seed 3, ${nSynth})`, synth, false);

  const nReal = Number(process.env.VLM_BENCH_REAL ?? 150);
  if (nReal <= 0) return; // VLM_BENCH_REAL=0: the synthetic set only
  const all: BenchWindow[] = [];
  for (const s of loadLabeledSeries()) {
    const values = evaluatedPart(s.values, s.evaluated);
    const labels = evaluatedPart(s.labels, s.evaluated);
    for (let a = 0; a + 1000 <= values.length; a += 1000) {
      all.push({ values: values.slice(a, a + 1000), labels: intervalsFromLabels(labels.subarray(a, a + 1000)), className: null });
    }
  }
  const step = Math.max(1, all.length / nReal);
  const real = Array.from({ length: Math.min(nReal, all.length) }, (_, k) => all[Math.floor(k * step)]);
  await compare(`shared-data windows (${real.length} of ${all.length}, every ${step.toFixed(1)}th)`, real, true);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
