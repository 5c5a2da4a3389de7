import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnomalyType } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import { labelsFromIntervals } from '../evaluation';
import { SERIES_CSV_HEADER, SERIES_FOLDER_FORMAT, seriesToCsv, type SeriesFolderManifest } from '../synth/format';

/** One labeled series to fine-tune on; intervals are half-open [start, end) point indices. */
export interface TrainingSeries {
  name: string;
  values: Float64Array;
  intervals: { start: number; end: number; type: AnomalyType }[];
}

/** A file name from a series name: index prefix (keeps names unique), then a slug of the name. */
function fileName(index: number, name: string): string {
  const slug = name
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 80);
  return `${String(index).padStart(4, '0')}-${slug || 'series'}.csv`;
}

function checkSeries(s: TrainingSeries, index: number): void {
  const n = s.values.length;
  for (const iv of s.intervals) {
    if (!Number.isInteger(iv.start) || !Number.isInteger(iv.end) || iv.start < 0 || iv.end <= iv.start || iv.end > n) {
      throw new WorkbenchError(
        'invalid_input',
        `Training series ${index} ('${s.name}'): interval [${iv.start}, ${iv.end}) is not inside its ${n} points.`,
        { series: s.name, start: iv.start, end: iv.end },
      );
    }
  }
}

/**
 * Writes labeled series as a series folder (main/synth/format.ts layout: manifest.json + one
 * `index,value,label` CSV per series), the input of training/finetune.py. Returns the manifest's path.
 */
export async function writeTrainingFolder(dir: string, series: TrainingSeries[]): Promise<string> {
  if (series.length === 0) throw new WorkbenchError('invalid_input', `No labeled series to write into ${dir}.`, { path: dir });
  series.forEach(checkSeries);
  const labelCount = series.reduce((a, s) => a + s.intervals.length, 0);
  const manifest: SeriesFolderManifest = {
    format: SERIES_FOLDER_FORMAT,
    csv: { header: SERIES_CSV_HEADER, missing: 'empty', intervals: 'half-open' },
    source: { kind: 'export', description: `${series.length} labeled series, ${labelCount} labeled intervals` },
    series: [],
  };
  try {
    await mkdir(dir, { recursive: true });
    for (const [i, s] of series.entries()) {
      const file = fileName(i, s.name);
      await writeFile(join(dir, file), seriesToCsv(s.values, labelsFromIntervals(s.values.length, s.intervals)));
      const anomalies = [...s.intervals].sort((a, b) => a.start - b.start).map(({ start, end, type }) => ({ start, end, type }));
      manifest.series.push({ file, name: s.name, length: s.values.length, anomalies });
    }
    const manifestPath = join(dir, 'manifest.json');
    await writeFile(manifestPath, `${JSON.stringify(manifest, null, 1)}\n`);
    return manifestPath;
  } catch (err) {
    throw new WorkbenchError('io_error', `Cannot write the training folder ${dir}: ${(err as Error).message}`, { path: dir });
  }
}
