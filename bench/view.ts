/**
 * `npm run bench:view`: 1,000 random `getView` calls on a 10M-point series at 1,600 px, through the
 * backend's real path (project store → values cache → min/max pyramid → M4).
 * Last line: {"bench":"view","points":10000000,"median_ms":…,"p99_ms":…}
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Backend } from '../main/backend';
import { ProjectStore } from '../main/store';

const POINTS = 10_000_000;
const CALLS = 1000;
const PIXELS = 1600;

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsad-bench-view-'));
try {
  const rnd = seeded(42);
  const values = new Float64Array(POINTS);
  let level = 0;
  for (let i = 0; i < POINTS; i++) {
    level += (rnd() - 0.5) * 0.1;
    values[i] = level + Math.sin(i / 500) + (rnd() < 1e-5 ? 25 : 0);
  }
  const file = path.join(dir, 'view.tsad.sqlite');
  const store = ProjectStore.create(file);
  const [seriesId] = store.insertDataset({
    name: 'bench',
    sourcePath: null,
    sourceHash: null,
    sourceSize: null,
    time: null,
    columns: [{ name: 'v', values }],
  }).seriesIds;
  store.close();

  const backend = new Backend({
    stateDir: path.join(dir, 'state'),
    roots: [dir],
    resourcesDir: path.resolve('resources'),
    version: 'bench',
  });
  await backend.call('openProject', { path: file });

  const t0 = performance.now();
  const first = await backend.call('getView', { seriesId, from: 0, to: POINTS, pixels: PIXELS });
  const firstMs = performance.now() - t0;
  if (!first.ok) throw new Error(first.error.message);

  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    // a mix of zoom levels: whole series down to a few thousand points
    const span = Math.max(2000, Math.floor(POINTS * rnd() ** 3));
    const from = Math.floor(rnd() * (POINTS - span));
    const s = performance.now();
    const r = await backend.call('getView', { seriesId, from, to: from + span, pixels: PIXELS });
    times.push(performance.now() - s);
    if (!r.ok) throw new Error(r.error.message);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  console.log('view benchmark: 10M points, 1,600 px, 1,000 random windows');
  console.log(`  first call (loads values from SQLite, builds the pyramid): ${firstMs.toFixed(1)} ms`);
  console.log(
    `  median ${q(0.5).toFixed(2)} ms · p90 ${q(0.9).toFixed(2)} ms · p99 ${q(0.99).toFixed(2)} ms · max ${times.at(-1)!.toFixed(2)} ms`,
  );
  backend.close();
  console.log(
    JSON.stringify({
      bench: 'view',
      points: POINTS,
      median_ms: +q(0.5).toFixed(3),
      p99_ms: +q(0.99).toFixed(3),
      first_call_ms: +firstMs.toFixed(1),
    }),
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
