/**
 * Anomaly-type accuracy on the synthetic generator's typed held-out set (series of seed 12; the type
 * classifier is trained on seeds 11, 13 and 14 only, scripts/train-types.ts), per type and overall, with
 * confusion matrices, for: the evidence rules at the true bounds; the rules at realistic bounds (edges
 * jittered by up to a quarter of the duration, then refined as the two-stage detector refines a kept
 * interval); the learned shape classifier at both; and what the cards and the two-stage detector use
 * (classify with the values). Also: typed intervals of the shared labeled data (there are none: NAB,
 * TSB-AD and MGAB labels carry no types) and the NAB machine_temperature dip.
 *
 *   npm run bench:types [-- --series 100] [-- --seed 12]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ANOMALY_TYPES, type AnomalyType, type Interval } from '../common/domain';
import { classify, classifyByRules, computeEvidence, globalLevel } from '../main/reasoning';
import { seriesRange } from '../main/reasoning/shape';
import { bundledTypeModel, learnedTypes } from '../main/reasoning/type-model';
import { syntheticTypedSeries, typedIntervals, type BoundsKind } from '../main/reasoning/type-examples';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const COUNT = arg('series', 100);
/** 12 is the held-out seed the features were designed against; 15 was looked at only once, for the report */
const TEST_SEED = arg('seed', 12);

type Method = 'rules' | 'learned' | 'used';
const short: Record<AnomalyType, string> = {
  'global-point': 'gpt',
  'contextual-point': 'cpt',
  'level-shift': 'lvl',
  'trend-change': 'trd',
  'frequency-change': 'frq',
  'variance-change': 'var',
  shapelet: 'shp',
  flatline: 'flt',
  dropout: 'drp',
  unknown: 'unk',
};

function top(d: Partial<Record<AnomalyType, number>> | null): AnomalyType {
  if (!d) return 'unknown';
  let best: AnomalyType = 'unknown';
  for (const t of ANOMALY_TYPES) if ((d[t] ?? 0) > (d[best] ?? 0)) best = t;
  return best;
}

function report(title: string, pairs: readonly [AnomalyType, AnomalyType][]): { overall: number; worst: number } {
  const truths = ANOMALY_TYPES.filter((t) => pairs.some(([a]) => a === t));
  const m = new Map<string, number>();
  for (const [a, b] of pairs) m.set(`${a}|${b}`, (m.get(`${a}|${b}`) ?? 0) + 1);
  const right = pairs.filter(([a, b]) => a === b).length;
  const overall = right / Math.max(1, pairs.length);
  console.log(`\n${title}: ${right}/${pairs.length} right = ${overall.toFixed(3)}`);
  console.log(`  truth \\ typed  ${ANOMALY_TYPES.map((t) => short[t].padStart(4)).join('')}    acc`);
  let worst = 1;
  for (const t of truths) {
    const row = ANOMALY_TYPES.map((p) => String(m.get(`${t}|${p}`) ?? 0).padStart(4)).join('');
    const n = pairs.filter(([a]) => a === t).length;
    const acc = (m.get(`${t}|${t}`) ?? 0) / n;
    worst = Math.min(worst, acc);
    console.log(`  ${t.padEnd(16)}${row}  ${acc.toFixed(3)}`);
  }
  console.log(`  lowest per-type accuracy ${worst.toFixed(3)}`);
  return { overall, worst };
}

const set = syntheticTypedSeries(COUNT, TEST_SEED);
const model = bundledTypeModel();
console.log(
  `Type bench: ${COUNT} held-out synthetic series (seed ${TEST_SEED}), ${set.reduce((a, s) => a + s.anomalies.length, 0)} typed anomalies; ` +
    `learned classifier: ${model ? `bundled (trained on ${model.training.seeds})` : 'none bundled'}`,
);
const t0 = Date.now();
const results: Record<BoundsKind, Record<Method, [AnomalyType, AnomalyType][]>> = {} as never;
for (const bounds of ['true', 'refined'] as const) {
  const ivs = typedIntervals(set, [bounds], 1000 + TEST_SEED);
  const r: Record<Method, [AnomalyType, AnomalyType][]> = { rules: [], learned: [], used: [] };
  const ctx = new Map<number, { global: ReturnType<typeof globalLevel>; range: ReturnType<typeof seriesRange> }>();
  for (const iv of ivs) {
    const values = set[iv.series].values;
    let c = ctx.get(iv.series);
    if (!c) ctx.set(iv.series, (c = { global: globalLevel(values), range: seriesRange(values) }));
    const e = computeEvidence(values, iv, [], { global: c.global });
    r.rules.push([iv.type, classifyByRules(e).type]);
    if (model) r.learned.push([iv.type, top(learnedTypes(values, iv, c.range))]);
    r.used.push([iv.type, classify(e, undefined, { values, range: c.range }).type]);
  }
  results[bounds] = r;
}

const summary: string[] = [];
for (const bounds of ['true', 'refined'] as const) {
  const label = bounds === 'true' ? 'true bounds' : 'realistic bounds (jittered ±25 %, then refineBoundaries)';
  for (const method of ['rules', 'learned', 'used'] as const) {
    if (results[bounds][method].length === 0) continue;
    const name =
      method === 'rules'
        ? 'evidence rules'
        : method === 'learned'
          ? 'learned shape classifier'
          : 'classify() as cards/two-stage use it';
    const { overall, worst } = report(`${name}, ${label}`, results[bounds][method]);
    summary.push(`${name.padEnd(40)} ${bounds.padEnd(8)} overall ${overall.toFixed(3)}  lowest type ${worst.toFixed(3)}`);
  }
}
console.log('\nSummary');
for (const s of summary) console.log(`  ${s}`);
console.log('\nShared labeled data with types: none (NAB, TSB-AD and MGAB labels carry no anomaly types).');

const nabFile = path.join(
  import.meta.dirname,
  '../test/fixtures/data/nab/data/realKnownCause/machine_temperature_system_failure.csv',
);
const nab = Float64Array.from(
  readFileSync(nabFile, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => Number(l.split(',')[1])),
);
for (const iv of [
  { start: 3983, end: 3989 },
  { start: 3975, end: 3990 },
] satisfies Interval[]) {
  const e = computeEvidence(nab, iv);
  console.log(
    `NAB machine_temperature dip [${iv.start}, ${iv.end}) (min ${nab[3986].toFixed(2)}): rules ${classifyByRules(e).type}, used ${classify(e, undefined, { values: nab }).type}`,
  );
}
console.log(`(${((Date.now() - t0) / 1000).toFixed(1)} s)`);
