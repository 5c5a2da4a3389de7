import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WorkbenchError } from '../../common/errors';
import { generateSeries, pointLabels, type GenerateDatasetOptions } from './generate';
import { manifestEntry, seriesToCsv, SERIES_CSV_HEADER, SERIES_FOLDER_FORMAT, type SeriesFolderManifest } from './format';
import { deriveSeed } from './prng';

export interface WriteSynthOptions extends GenerateDatasetOptions {
  progress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/**
 * Writes `count` synthetic series into `dir` (created if missing) as one CSV per series plus
 * manifest.json (layout in format.ts). Series i is generateSeries({ seed: deriveSeed(seed, i), ... }),
 * the same as generateDataset(count, seed)[i]. Returns the manifest.
 */
export async function writeSynthDataset(
  dir: string,
  count: number,
  seed: number,
  opts: WriteSynthOptions = {},
): Promise<SeriesFolderManifest> {
  if (!Number.isInteger(count) || count < 0) {
    throw new WorkbenchError('invalid_input', `count: must be a non-negative integer, got ${count}.`, { parameter: 'count' });
  }
  const length = opts.length ?? 4096;
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new WorkbenchError('io_error', `Cannot create folder ${dir}: ${(err as Error).message}`, { path: dir });
  }
  const manifest: SeriesFolderManifest = {
    format: SERIES_FOLDER_FORMAT,
    csv: { header: SERIES_CSV_HEADER, missing: 'empty', intervals: 'half-open' },
    source: { kind: 'synthetic', seed, count, length },
    series: [],
  };
  for (let i = 0; i < count; i++) {
    if (opts.signal?.aborted)
      throw new WorkbenchError('cancelled', `Synthetic dataset writing cancelled after ${i} of ${count} series.`);
    const series = generateSeries({ ...opts, length, seed: deriveSeed(seed, i) });
    const entry = manifestEntry(series, i);
    const path = join(dir, entry.file);
    try {
      await writeFile(path, seriesToCsv(series.values, pointLabels(length, series.anomalies)));
    } catch (err) {
      throw new WorkbenchError('io_error', `Cannot write ${path}: ${(err as Error).message}`, { path });
    }
    manifest.series.push(entry);
    opts.progress?.((i + 1) / count);
  }
  const manifestPath = join(dir, 'manifest.json');
  try {
    await writeFile(manifestPath, JSON.stringify(manifest, null, 1));
  } catch (err) {
    throw new WorkbenchError('io_error', `Cannot write ${manifestPath}: ${(err as Error).message}`, { path: manifestPath });
  }
  return manifest;
}
