import fs from 'node:fs';
import path from 'node:path';
import { WorkbenchError } from '../../common/errors';
import { EXPORT_FORMAT_IDS, type ExportFormatId } from '../../common/lists';
import type { ProjectStore } from '../store';
import { bundle } from './formats/bundle';
import { labelsCsv } from './formats/labels-csv';
import { labelsJson } from './formats/labels-json';
import { nab } from './formats/nab';
import { preferenceJsonl } from './formats/preference-jsonl';
import { reportHtml } from './formats/report-html';
import { sftJsonl } from './formats/sft-jsonl';
import { timeEval } from './formats/timeeval';
import { tsbAd } from './formats/tsb-ad';
import { ucr } from './formats/ucr';
import type { Exporter, ExportOptions, ExportSummary, ImportOptions, ImportSummary } from './types';

/** Every export format, by id. Adding one is one file in formats/ plus one line here. */
export const EXPORTERS = {
  bundle,
  'labels-csv': labelsCsv,
  'labels-json': labelsJson,
  'tsb-ad': tsbAd,
  nab,
  timeeval: timeEval,
  ucr,
  'sft-jsonl': sftJsonl,
  'preference-jsonl': preferenceJsonl,
  'report-html': reportHtml,
} as const satisfies Record<ExportFormatId, Exporter>;

export { EXPORT_FORMAT_IDS, type ExportFormatId };

export function getExporter(id: string): Exporter {
  const e = (EXPORTERS as Record<string, Exporter>)[id];
  if (!e)
    throw new WorkbenchError('invalid_input', `Unknown export format "${id}" (one of ${EXPORT_FORMAT_IDS.join(', ')}).`, {
      parameter: 'format',
    });
  return e;
}

/** The real path of `p`, or of its folder with its name appended when it does not exist yet. */
function realOrPlanned(p: string): string {
  const abs = path.resolve(p);
  try {
    return fs.realpathSync(abs);
  } catch {
    try {
      return path.join(fs.realpathSync(path.dirname(abs)), path.basename(abs));
    } catch {
      return abs;
    }
  }
}

/**
 * Refuses an output that would replace the project itself (even with force): its file, SQLite's files
 * next to it, or a folder that holds it (a folder export replaces the whole folder).
 */
export function assertNotProject(store: ProjectStore, outPath: string): void {
  const project = realOrPlanned(store.path);
  const target = realOrPlanned(outPath);
  const rel = path.relative(target, project);
  const holdsProject = rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  if (holdsProject || ['-wal', '-shm', '-journal'].some((suffix) => target === project + suffix)) {
    throw new WorkbenchError('conflict', `${target} is the project or holds its files; export to another path.`, {
      path: target,
    });
  }
}

/** Exports with the format's own writer (temp file + rename; never overwrites without force, never the project). */
export async function exportProject(
  store: ProjectStore,
  format: string,
  opts: ExportOptions,
  outPath: string,
): Promise<ExportSummary> {
  const exporter = getExporter(format);
  assertNotProject(store, outPath);
  return exporter.export(store, opts, outPath);
}

/** Imports a file or folder of `format` into the project: all of it in one transaction, or nothing. */
export function importIntoStore(store: ProjectStore, format: string, file: string, opts?: ImportOptions): Promise<ImportSummary> {
  const e = getExporter(format);
  if (!e.import) {
    throw new WorkbenchError(
      'unsupported',
      `The ${format} format cannot be imported into a project${e.restore ? ' (restore it as a project instead)' : ''}.`,
      {
        parameter: 'format',
      },
    );
  }
  return e.import(store, file, opts);
}

/** Recreates a bundled project at `projectPath`. */
export function restoreBundle(file: string, projectPath: string, opts?: ImportOptions): Promise<ImportSummary> {
  return (bundle.restore as NonNullable<Exporter['restore']>)(file, projectPath, opts);
}
