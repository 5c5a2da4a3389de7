/**
 * Data for the interval benches: the shared labeled series (with members' scores from the score cache
 * when bench/cache-scores.ts filled it, else scored here), NAB's series without any labeled anomaly (for
 * false alarms per 10k points), and seeded synthetic series with typed anomalies, some with none. Member
 * scores of synthetic series are cached under /tmp/tsad-verify-cache by seed.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Interval } from '../common/domain';
import { intervalsFromLabels } from '../main/evaluation';
import { deriveSeed, generateSeries, type SynthAnomaly } from '../main/synth';
import { SCREENING_MEMBERS } from '../main/verify/features';
import { scoreMembers } from '../main/verify/members';
import { cacheFile, DEFAULT_CACHE_DIR, readCachedScores, type CacheIndex } from './score-cache';
import { loadLabeledSeries, SHARED_DATA, type LabeledSeries } from './shared-data';

export interface BenchSeries {
  name: string;
  source: 'tsb-ad' | 'mgab' | 'nab' | 'synthetic' | 'nab-unlabeled';
  values: Float64Array;
  labels: Uint8Array;
  evaluated: Uint8Array;
  truth: Interval[];
  members: Map<string, Float32Array>;
  anomalies?: SynthAnomaly[];
}

const SYNTH_CACHE = '/tmp/tsad-verify-cache';

function cachedOrScore(dir: string, key: (id: string) => string): (values: Float64Array) => Promise<Map<string, Float32Array>> {
  return async (values) => {
    const files = SCREENING_MEMBERS.map((id) => path.join(dir, key(id)));
    if (files.every((f) => fs.existsSync(f))) {
      return new Map(
        SCREENING_MEMBERS.map((id, k) => {
          const buf = fs.readFileSync(files[k]);
          return [id, new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4).slice()];
        }),
      );
    }
    const m = await scoreMembers(values);
    fs.mkdirSync(dir, { recursive: true });
    SCREENING_MEMBERS.forEach((id, k) => {
      const s = m.get(id)!;
      fs.writeFileSync(files[k], new Uint8Array(s.buffer, s.byteOffset, s.byteLength));
    });
    return m;
  };
}

export function sharedDataPresent(): boolean {
  return fs.existsSync(SHARED_DATA);
}

/** The shared labeled series with their members' scores (the score cache's when it matches). */
export async function sharedSeries(): Promise<BenchSeries[]> {
  const series = loadLabeledSeries();
  const indexFile = path.join(DEFAULT_CACHE_DIR, 'index.json');
  const index = fs.existsSync(indexFile) ? (JSON.parse(fs.readFileSync(indexFile, 'utf8')) as CacheIndex) : null;
  const cacheId = (id: string) => (id === 'model' ? 'model:tsad-window-cnn' : id);
  const out: BenchSeries[] = [];
  for (const [i, s] of series.entries()) {
    const cached =
      index?.series[i]?.name === s.name &&
      SCREENING_MEMBERS.every((id) => fs.existsSync(cacheFile(DEFAULT_CACHE_DIR, cacheId(id), i)));
    const members = cached
      ? new Map(SCREENING_MEMBERS.map((id) => [id, readCachedScores(DEFAULT_CACHE_DIR, cacheId(id), i)]))
      : await scoreMembers(s.values);
    out.push(fromLabeled(s, members));
  }
  return out;
}

function fromLabeled(s: LabeledSeries, members: Map<string, Float32Array>): BenchSeries {
  return { ...s, truth: intervalsFromLabels(s.labels), members };
}

/** NAB series whose label windows are empty: every interval proposed on them is a false alarm. */
export async function unlabeledNab(): Promise<BenchSeries[]> {
  const windows = JSON.parse(fs.readFileSync(path.join(SHARED_DATA, 'nab/labels/combined_windows.json'), 'utf8')) as Record<
    string,
    unknown[]
  >;
  const out: BenchSeries[] = [];
  for (const key of Object.keys(windows).sort()) {
    if (windows[key].length > 0) continue;
    const file = path.join(SHARED_DATA, 'nab/data', key);
    if (!fs.existsSync(file)) continue;
    const rows = fs.readFileSync(file, 'utf8').split(/\r?\n/).slice(1).filter(Boolean);
    const values = Float64Array.from(rows, (r) => Number(r.split(',')[1]));
    const members = await cachedOrScore(
      path.join(SYNTH_CACHE, 'nab-unlabeled'),
      (id) => `${key.replace(/\W/g, '_')}-${id}.f32`,
    )(values);
    out.push({
      name: `nab/${key}`,
      source: 'nab-unlabeled',
      values,
      labels: new Uint8Array(values.length),
      evaluated: new Uint8Array(values.length).fill(1),
      truth: [],
      members,
    });
  }
  return out;
}

const LENGTHS = [4096, 8192, 16384];

/** `count` synthetic series of seed `seed` (lengths 4k–16k; every fifth without anomalies). */
export async function syntheticSeries(count: number, seed: number): Promise<BenchSeries[]> {
  const out: BenchSeries[] = [];
  for (let i = 0; i < count; i++) {
    const s = generateSeries({
      length: LENGTHS[i % LENGTHS.length],
      seed: deriveSeed(seed, i),
      ...(i % 5 === 4 ? { anomalies: 0 } : {}),
    });
    const members = await cachedOrScore(path.join(SYNTH_CACHE, `synth-${seed}`), (id) => `${i}-${id}.f32`)(s.values);
    const labels = new Uint8Array(s.values.length);
    for (const a of s.anomalies) labels.fill(1, a.start, a.end);
    out.push({
      name: `synthetic/${seed}/${i}`,
      source: 'synthetic',
      values: s.values,
      labels,
      evaluated: new Uint8Array(s.values.length).fill(1),
      truth: s.anomalies.map((a) => ({ start: a.start, end: a.end })),
      members,
      anomalies: s.anomalies,
    });
  }
  return out;
}
