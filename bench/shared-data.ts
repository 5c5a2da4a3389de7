/** The labeled univariate series of shared/data, read through the real dataset reader. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Interval } from '../common/domain';
import { readFile, readNabLabels } from '../main/datasets';
import { findNabWindows } from '../main/datasets/import-into-project';

export const SHARED_DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/data');

export interface LabeledSeries {
  name: string;
  values: Float64Array;
  labels: Interval[];
}

function csvFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? csvFiles(p) : e.name.endsWith('.csv') && !e.name.startsWith('uni_mergedTable') ? [p] : [];
  });
}

/** Every univariate series with at least one labeled anomaly (NAB windows, TSB-AD `Label`, MGAB `is_anomaly`). */
export async function loadLabeledSeries(): Promise<LabeledSeries[]> {
  const out: LabeledSeries[] = [];
  for (const file of csvFiles(SHARED_DATA)) {
    const nab = findNabWindows(file);
    const table = await readFile(file, nab ? { unsortedTimestamps: 'sort', duplicateTimestamps: 'keep' } : {});
    if (table.columns.length !== 1) continue; // univariate only (skips the 25-channel SMAP sample)
    const labels = nab && table.time ? readNabLabels(nab.windowsPath, nab.key, table.time) : (table.labels?.intervals ?? []);
    if (labels.length === 0) continue;
    out.push({ name: path.relative(SHARED_DATA, file), values: table.columns[0].values, labels });
  }
  return out;
}
