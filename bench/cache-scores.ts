/**
 * `npx tsx bench/cache-scores.ts [--out dir] [--detectors id,id] [--model]`: scores every labeled series
 * of shared/data (see shared-data.ts) with each detector's defaults once and writes the scores to disk,
 * so ensemble combinations can be tried in seconds (bench/ensemble-search.ts) instead of re-running
 * detectors. Layout: DIR/<detector id>/<series index>.f32 (raw little-endian Float32, one per point of
 * the whole series) and DIR/index.json (series names, lengths, per-detector seconds). Existing files are
 * kept (delete the folder to re-score). `--model` adds the bundled learned model (model:tsad-window-cnn).
 * The ensemble itself is not cached: it is what the cache is for.
 */
import fs from 'node:fs';
import path from 'node:path';
import { getDetector, listDetectors, validateParams } from '../main/detectors';
import { modelDetector } from '../main/inference';
import { cacheFile, DEFAULT_CACHE_DIR, writeCachedScores, type CacheIndex } from './score-cache';
import { loadLabeledSeries } from './shared-data';

async function main(): Promise<void> {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const dir = arg('--out') ?? DEFAULT_CACHE_DIR;
  const only = arg('--detectors')?.split(',');
  const series = loadLabeledSeries();
  const indexFile = path.join(dir, 'index.json');
  const index: CacheIndex = fs.existsSync(indexFile)
    ? (JSON.parse(fs.readFileSync(indexFile, 'utf8')) as CacheIndex)
    : { series: [], seconds: {} };
  index.series = series.map((s) => ({ name: s.name, length: s.values.length }));

  type Scorer = { id: string; score: (values: Float64Array) => Promise<Float32Array> | Float32Array };
  const scorers: Scorer[] = (only ? only.map(getDetector) : listDetectors())
    .filter((d) => d.id !== 'ensemble')
    .map((d) => {
      const params = validateParams(d, {});
      return { id: d.id, score: (v: Float64Array) => d.score(v, params) };
    });
  if (process.argv.includes('--model')) {
    const m = await modelDetector('tsad-window-cnn', { threads: 1 });
    scorers.push({ id: m.id, score: (v) => m.score(v, {}) });
  }
  for (const d of scorers) {
    let seconds = 0;
    for (let i = 0; i < series.length; i++) {
      const file = cacheFile(dir, d.id, i);
      if (fs.existsSync(file)) continue;
      const t0 = performance.now();
      const scores = await d.score(series[i].values);
      seconds += (performance.now() - t0) / 1000;
      writeCachedScores(dir, d.id, i, scores);
    }
    if (seconds > 0) index.seconds[d.id] = Number(seconds.toFixed(2));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(indexFile, JSON.stringify(index, null, 1));
    console.error(`${d.id}: ${seconds.toFixed(1)} s`);
  }
}

await main();
