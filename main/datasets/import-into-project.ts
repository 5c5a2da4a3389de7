import fs from 'node:fs';
import path from 'node:path';
import type { Interval } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import { ProjectStore } from '../store';
import type { ReadOptions, ReadProgress } from './types';
import { readFile, readNabLabels } from './index';

export interface ImportRequest {
  projectPath: string;
  filePath: string;
  options?: Omit<ReadOptions, 'progress' | 'signal'>;
  /** dataset name (default: the file name) */
  name?: string;
  /** a NAB windows JSON (e.g. labels/combined_windows.json); found automatically in a NAB tree */
  nabWindowsPath?: string | null;
}

export interface ImportResult {
  datasetId: number;
  seriesIds: number[];
  rows: number;
  labels: number;
  warnings: string[];
}

/** In a NAB checkout, data/<group>/<file>.csv has its windows in labels/combined_windows.json. */
export function findNabWindows(filePath: string): { windowsPath: string; key: string } | null {
  const abs = path.resolve(filePath);
  const group = path.basename(path.dirname(abs));
  const dataDir = path.dirname(path.dirname(abs));
  if (path.basename(dataDir) !== 'data') return null;
  const windowsPath = path.join(path.dirname(dataDir), 'labels', 'combined_windows.json');
  if (!fs.existsSync(windowsPath)) return null;
  return { windowsPath, key: `${group}/${path.basename(abs)}` };
}

/**
 * Reads a file and writes it into a project as one dataset, in one transaction: a failure or a
 * cancel at any point leaves the project exactly as it was.
 */
export async function importIntoProject(
  req: ImportRequest,
  progress?: (p: ReadProgress) => void,
  signal?: AbortSignal,
): Promise<ImportResult> {
  const nab = req.nabWindowsPath
    ? { windowsPath: req.nabWindowsPath, key: path.basename(req.filePath) }
    : req.nabWindowsPath === null
      ? null
      : findNabWindows(req.filePath);
  // Several NAB files repeat timestamps or step back an hour (DST); the NAB windows need sorted time,
  // so a NAB file is sorted and keeps every row unless the caller chose otherwise.
  const options = nab
    ? { unsortedTimestamps: 'sort' as const, duplicateTimestamps: 'keep' as const, ...req.options }
    : req.options;
  const table = await readFile(req.filePath, { ...options, progress, signal });
  if (signal?.aborted) throw new WorkbenchError('cancelled', `Import of ${req.filePath} was cancelled.`);
  let intervals: Interval[] = table.labels?.intervals ?? [];
  if (nab) {
    if (!table.time) {
      throw new WorkbenchError(
        'invalid_input',
        `${req.filePath} has no time column, so NAB label windows cannot be matched to its rows.`,
      );
    }
    intervals = [...intervals, ...readNabLabels(nab.windowsPath, nab.key, table.time)];
  }
  const store = ProjectStore.open(req.projectPath);
  try {
    const { datasetId, seriesIds } = store.insertDataset({
      name: req.name ?? table.name,
      sourcePath: table.sourcePath,
      sourceHash: table.sourceHash,
      sourceSize: table.sourceSize,
      time: table.time,
      columns: table.columns,
      labels: intervals.length > 0 ? [{ series: null, intervals }] : [],
      options: { ...options },
    });
    return {
      datasetId,
      seriesIds,
      rows: table.time?.length ?? table.columns[0]?.values.length ?? 0,
      labels: intervals.length,
      warnings: table.warnings,
    };
  } finally {
    store.close();
  }
}
