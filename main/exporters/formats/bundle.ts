import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { WorkbenchError } from '../../../common/errors';
import { ProjectStore } from '../../store';
import { removeWithSideFiles, tempPath } from '../../store/temp-files';
import { pausePoint } from '../../testing/pause-point';
import { checkDestination, writeAtomically } from '../atomic';
import { selectForExport } from '../select';
import { summarize } from '../summary';
import { extractTarEntry, listTar, readTarEntry, TarWriter } from '../tar';
import type { Exporter, ExportOptions, ExportSummary, ImportOptions, ImportSummary } from '../types';

/**
 * A whole project in one `.tar`: `manifest.json` (format, schema version, counts, sha256 of the
 * database) and `project.tsad.sqlite`, a consistent copy made with `VACUUM INTO` (a snapshot even
 * while the project is open and being written). Restoring checks the hash, opens the copy as a
 * project (migrating an older schema) and only then moves it into place.
 */
export const BUNDLE_FORMAT = 'tsad-workbench-bundle';
const DB_ENTRY = 'project.tsad.sqlite';
const MANIFEST_ENTRY = 'manifest.json';

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  version: 1;
  createdAt: string;
  schemaVersion: number;
  project: string;
  database: { entry: string; bytes: number; sha256: string };
  counts: Record<string, number>;
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 22 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function exportBundle(store: ProjectStore, opts: ExportOptions, outPath: string): Promise<ExportSummary> {
  if (opts.seriesIds || opts.range || (opts.labels && opts.labels !== 'human')) {
    throw new WorkbenchError('invalid_input', 'A bundle is the whole project: series, range and label selections do not apply.', {
      parameter: 'seriesIds',
    });
  }
  const series = selectForExport(store, { labels: 'human' });
  const counts = store.tableCounts();
  if (!opts.dryRun) {
    const abs = checkDestination(outPath, opts.force);
    const snapshot = tempPath(abs, 'snapshot', '.sqlite');
    try {
      store.snapshotTo(snapshot);
      pausePoint('export:snapshot');
      opts.progress?.(0.4);
      const manifest: BundleManifest = {
        format: BUNDLE_FORMAT,
        version: 1,
        createdAt: new Date().toISOString(),
        schemaVersion: store.schemaVersion,
        project: path.basename(store.path),
        database: { entry: DB_ENTRY, bytes: fs.statSync(snapshot).size, sha256: await sha256(snapshot) },
        counts,
      };
      opts.progress?.(0.6);
      await writeAtomically(abs, 'file', opts.force, (tmp) => {
        const tar = new TarWriter(tmp);
        try {
          tar.addBuffer(MANIFEST_ENTRY, Buffer.from(JSON.stringify(manifest, null, 2) + '\n'));
          tar.addFile(DB_ENTRY, snapshot, opts.signal);
        } catch (err) {
          tar.abandon();
          throw err;
        }
        tar.close();
      });
      opts.progress?.(1);
    } finally {
      removeWithSideFiles(snapshot);
    }
  }
  return summarize('bundle', outPath, opts, series, [path.basename(outPath)], 1, [
    `Whole project: ${Object.entries(counts)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}.`,
  ]);
}

export function readBundleManifest(file: string): BundleManifest {
  const entries = listTar(file);
  const m = entries.find((e) => e.name === MANIFEST_ENTRY);
  if (!m || !entries.some((e) => e.name === DB_ENTRY)) {
    throw new WorkbenchError('parse_error', `${file} is not a workbench bundle (needs ${MANIFEST_ENTRY} and ${DB_ENTRY}).`, {
      file,
    });
  }
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(readTarEntry(file, m).toString('utf8')) as BundleManifest;
  } catch (err) {
    throw new WorkbenchError('parse_error', `${file}: ${MANIFEST_ENTRY} is not valid JSON: ${(err as Error).message}`, { file });
  }
  if (manifest.format !== BUNDLE_FORMAT) {
    throw new WorkbenchError('parse_error', `${file}: the manifest is not a ${BUNDLE_FORMAT} manifest.`, { file });
  }
  if (manifest.version !== 1) {
    throw new WorkbenchError('unsupported', `${file} is bundle version ${manifest.version}; this workbench reads version 1.`, {
      file,
    });
  }
  return manifest;
}

/** Recreates the bundled project at `projectPath` (a new file; an existing one only with force). */
async function restoreBundle(file: string, projectPath: string, opts: ImportOptions = {}): Promise<ImportSummary> {
  const manifest = readBundleManifest(file);
  const entry = listTar(file).find((e) => e.name === DB_ENTRY);
  if (!entry) throw new WorkbenchError('parse_error', `${file} has no ${DB_ENTRY}.`, { file });
  const abs = checkDestination(projectPath, opts.force);
  const tmp = tempPath(abs, 'create', '.sqlite');
  const cleanup = () => removeWithSideFiles(tmp);
  let counts: Record<string, number>;
  try {
    extractTarEntry(file, entry, tmp);
    const hash = await sha256(tmp);
    if (hash !== manifest.database.sha256) {
      throw new WorkbenchError('parse_error', `${file} is damaged: the database's sha256 does not match the manifest.`, { file });
    }
    const store = ProjectStore.open(tmp);
    try {
      counts = store.tableCounts();
      store.checkpoint();
    } finally {
      store.close();
    }
    for (const suffix of ['-wal', '-shm']) fs.rmSync(tmp + suffix, { force: true });
    fs.renameSync(tmp, abs);
  } catch (err) {
    cleanup();
    throw err;
  }
  return {
    format: 'bundle',
    file,
    datasetIds: [],
    seriesIds: [],
    labels: counts.labels,
    rationales: counts.rationales,
    skipped: 0,
    notes: [`Restored ${abs} (schema ${manifest.schemaVersion}, bundled ${manifest.createdAt}).`],
  };
}

export const bundle: Exporter = {
  id: 'bundle',
  description: 'The whole project (SQLite snapshot + manifest) in one .tar; restore opens it elsewhere as it was',
  output: 'file',
  reads: [],
  extension: '.tar',
  export: exportBundle,
  restore: restoreBundle,
};
