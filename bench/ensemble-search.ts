/**
 * `npx tsx bench/ensemble-search.ts [--cache dir] [--metric vus_pr|auc_pr] [--exclude id,id] [--model] [--max-members n] [--min-gain g] [--eval specs]`: chooses ensemble defaults from
 * the scores cached by bench/cache-scores.ts, honestly: the choice procedure (greedy forward selection of
 * members, for each normalization × combination, maximizing the mean metric) is run on one part of the
 * 64 labeled series and scored on the other part, for two splits:
 *   - 2-fold by series index (even / odd), both halves reported;
 *   - leave-one-source-out (fit on two of TSB-AD / MGAB / NAB, test on the third).
 * Each test figure is compared with the best single detector chosen on the same fit part, and with the
 * best single detector on the test part (an oracle, so a hard bar). Finally the procedure is run on all
 * series, which gives the default. Per-series metrics of each configuration are computed once and reused.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  COMBINATIONS,
  NORMALIZATIONS,
  combineScores,
  normalizeScores,
  type Combination,
  type Normalization,
} from '../main/detectors/ensemble';
import { aucPr, vus } from '../main/evaluation';
import { estimatePeriodWindow } from '../main/numeric';
import { DEFAULT_CACHE_DIR, readCachedScores, type CacheIndex } from './score-cache';
import { evaluatedPart, loadLabeledSeries } from './shared-data';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const dir = arg('--cache') ?? DEFAULT_CACHE_DIR;
const metric = (arg('--metric') ?? 'vus_pr') as 'vus_pr' | 'auc_pr';
const maxMembers = Number(arg('--max-members') ?? 5);
/** a member must raise the fit mean by at least this much to join (cost-aware: each member costs run time) */
const minGain = Number(arg('--min-gain') ?? 0.005);
const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as CacheIndex;
const exclude = new Set(arg('--exclude')?.split(',') ?? []);
const detectorIds = Object.keys(index.seconds).filter(
  (id) => !exclude.has(id) && (!id.startsWith('model:') || process.argv.includes('--model')),
);
const series = loadLabeledSeries();
const windows = series.map((s) => estimatePeriodWindow(s.values));
const labels = series.map((s) => evaluatedPart(s.labels, s.evaluated));

const raw = new Map<string, Float32Array[]>();
function rawScores(id: string): Float32Array[] {
  let r = raw.get(id);
  if (!r) {
    r = series.map((_, i) => readCachedScores(dir, id, i));
    raw.set(id, r);
  }
  return r;
}
const normalized = new Map<string, Float32Array[]>();
function norm(id: string, how: Normalization): Float32Array[] {
  const key = `${id}|${how}`;
  let r = normalized.get(key);
  if (!r) {
    r = rawScores(id).map((s) => normalizeScores(s, how));
    normalized.set(key, r);
  }
  return r;
}

function seriesMetric(scores: Float32Array, i: number): number {
  const s = evaluatedPart(scores, series[i].evaluated);
  return metric === 'vus_pr' ? vus(s, labels[i], windows[i]).pr : (aucPr(s, labels[i]) ?? 0);
}

interface Config {
  members: string[];
  normalize: Normalization;
  combine: Combination;
}
const key = (c: Config) => `${[...c.members].sort().join('+')}|${c.normalize}|${c.combine}`;
const perSeries = new Map<string, Float64Array>();
function evaluate(c: Config): Float64Array {
  const k = c.members.length === 1 ? `${c.members[0]}|single` : key(c);
  let r = perSeries.get(k);
  if (!r) {
    r = new Float64Array(series.length);
    for (let i = 0; i < series.length; i++) {
      const values = series[i].values;
      const scores =
        c.members.length === 1
          ? rawScores(c.members[0])[i]
          : combineScores(
              c.members.map((id) => norm(id, c.normalize)[i]),
              c.members.map(() => 1),
              c.combine,
              (t) => !Number.isFinite(values[t]),
            );
      r[i] = seriesMetric(scores, i);
    }
    perSeries.set(k, r);
  }
  return r;
}
const mean = (r: Float64Array, part: number[]) => part.reduce((a, i) => a + r[i], 0) / part.length;

/** The choice procedure: best single, then greedy forward selection per normalization × combination. */
function choose(part: number[]): { single: string; config: Config; fit: number } {
  let single = detectorIds[0];
  for (const id of detectorIds)
    if (
      mean(evaluate({ members: [id], normalize: 'rank', combine: 'mean' }), part) >
      mean(evaluate({ members: [single], normalize: 'rank', combine: 'mean' }), part)
    )
      single = id;
  let best: { config: Config; fit: number } | undefined;
  for (const normalize of NORMALIZATIONS) {
    for (const combine of COMBINATIONS) {
      let members: string[] = [];
      let current = -Infinity;
      while (members.length < maxMembers) {
        let step: { id: string; fit: number } | undefined;
        for (const id of detectorIds) {
          if (members.includes(id)) continue;
          const fit = mean(evaluate({ members: [...members, id], normalize, combine }), part);
          if (!step || fit > step.fit) step = { id, fit };
        }
        if (!step || step.fit < current + minGain) break;
        members = [...members, step.id];
        current = step.fit;
      }
      const config = { members, normalize, combine };
      console.error(`  ${normalize}/${combine}: ${members.join(', ')} → ${current.toFixed(4)}`);
      if (members.length > 1 && (!best || current > best.fit)) best = { config, fit: current };
    }
  }
  if (!best) throw new Error('no ensemble found');
  return { single, ...best };
}

function report(name: string, fitPart: number[], testPart: number[]): void {
  console.error(`${name}: choosing on ${fitPart.length} series`);
  const c = choose(fitPart);
  const testEnsemble = mean(evaluate(c.config), testPart);
  const testSingle = mean(evaluate({ members: [c.single], normalize: 'rank', combine: 'mean' }), testPart);
  let oracle = { id: '', v: -Infinity };
  for (const id of detectorIds) {
    const v = mean(evaluate({ members: [id], normalize: 'rank', combine: 'mean' }), testPart);
    if (v > oracle.v) oracle = { id, v };
  }
  console.log(
    `${name.padEnd(22)} fit ${c.fit.toFixed(4)}  test: ensemble ${testEnsemble.toFixed(4)} | single chosen on fit (${c.single}) ${testSingle.toFixed(4)} | best single on test (${oracle.id}) ${oracle.v.toFixed(4)}  [${c.config.normalize}/${c.config.combine}: ${c.config.members.join(', ')}]`,
  );
}

const all = series.map((_, i) => i);
const even = all.filter((i) => i % 2 === 0);
const odd = all.filter((i) => i % 2 === 1);
const evalOnly = arg('--eval');
if (evalOnly) {
  // `--eval "a+b+c/robust-z/mean;..."`: just these configurations, on all series and on both halves
  for (const spec of evalOnly.split(';')) {
    const [m, normalize, combine] = spec.split('/');
    const r = evaluate({ members: m.split('+'), normalize: normalize as Normalization, combine: combine as Combination });
    const halves = [all, even, odd].map((part) => mean(r, part).toFixed(4));
    console.log(`${spec.padEnd(60)} all ${halves[0]}  even ${halves[1]}  odd ${halves[2]}`);
  }
  process.exit(0);
}
console.log(`metric ${metric}, ${series.length} series, detectors: ${detectorIds.join(', ')}`);
report('fit even, test odd', even, odd);
report('fit odd, test even', odd, even);
for (const src of ['tsb-ad', 'mgab', 'nab'] as const) {
  const test = all.filter((i) => series[i].source === src);
  report(
    `test ${src} only`,
    all.filter((i) => series[i].source !== src),
    test,
  );
}
const final = choose(all);
console.log(
  `all series: ${final.config.normalize}/${final.config.combine}: ${final.config.members.join(', ')} → ${final.fit.toFixed(4)} (best single ${final.single} ${mean(evaluate({ members: [final.single], normalize: 'rank', combine: 'mean' }), all).toFixed(4)})`,
);
