import fs from 'node:fs';
import path from 'node:path';
import type { Interval } from '../../common/domain';
import { WorkbenchError } from '../../common/errors';
import { ProjectStore } from '../store';
import { removeWithSideFiles, tempPath } from '../store/temp-files';
import { pausePoint } from '../testing/pause-point';
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
  /**
   * projectPath does not exist yet: the project is created and filled under a temporary name beside it and
   * appears under its name only once the dataset is in, so a killed import leaves no project behind
   */
  create?: boolean;
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
  pausePoint('import:read');
  if (req.create === true) return createAndImport(req, table, intervals, options);
  return insertInto(req.projectPath, req, table, intervals, options);
}

/** A new project built under a temporary name, linked to its name (never over a file that appeared meanwhile). */
async function createAndImport(
  req: ImportRequest,
  table: Awaited<ReturnType<typeof readFile>>,
  intervals: Interval[],
  options: ImportRequest['options'],
): Promise<ImportResult> {
  const building = tempPath(req.projectPath, 'create', '.tsad.sqlite');
  try {
    ProjectStore.create(building).close();
    const result = await insertInto(building, req, table, intervals, options);
    pausePoint('import:inserted');
    try {
      fs.linkSync(building, req.projectPath);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // a file system without hard links (FAT, some network shares): check, then rename
      if (code !== 'EEXIST' && !fs.existsSync(req.projectPath)) {
        fs.renameSync(building, req.projectPath);
        return result;
      }
      if (code !== 'EEXIST') throw err;
      throw new WorkbenchError('conflict', `${req.projectPath} appeared while importing into it; nothing was written to it.`, {
        path: req.projectPath,
      });
    }
    return result;
  } catch (err) {
    // a disk error names the file the user asked for, not the temporary one
    if (!(err instanceof WorkbenchError) || !err.message.includes(building)) throw err;
    const named = (v: unknown) => (typeof v === 'string' ? v.split(building).join(req.projectPath) : v);
    const details = err.details && Object.fromEntries(Object.entries(err.details).map(([k, v]) => [k, named(v)]));
    throw new WorkbenchError(err.code, err.message.split(building).join(req.projectPath), details);
  } finally {
    removeWithSideFiles(building);
  }
}

async function insertInto(
  projectPath: string,
  req: ImportRequest,
  table: Awaited<ReturnType<typeof readFile>>,
  intervals: Interval[],
  options: ImportRequest['options'],
): Promise<ImportResult> {
  const store = ProjectStore.open(projectPath);
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
