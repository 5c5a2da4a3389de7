/** Where bench/cache-scores.ts keeps detector scores of the shared labeled series, and how to read them back. */
import fs from 'node:fs';
import path from 'node:path';

export const DEFAULT_CACHE_DIR = '/tmp/tsad-score-cache';

export interface CacheIndex {
  series: { name: string; length: number }[];
  /** detector id → seconds spent scoring (only detectors scored on every series) */
  seconds: Record<string, number>;
}

export function cacheFile(dir: string, detector: string, seriesIndex: number): string {
  return path.join(dir, detector.replace(/[^a-z0-9-]/gi, '_'), `${seriesIndex}.f32`);
}

export function readCachedScores(dir: string, detector: string, seriesIndex: number): Float32Array {
  const buf = fs.readFileSync(cacheFile(dir, detector, seriesIndex));
  return new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4).slice();
}

export function writeCachedScores(dir: string, detector: string, seriesIndex: number, scores: Float32Array): void {
  const file = cacheFile(dir, detector, seriesIndex);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, new Uint8Array(scores.buffer, scores.byteOffset, scores.byteLength));
}
