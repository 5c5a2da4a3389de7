import { WorkbenchError } from '../../common/errors';
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
} as const satisfies Record<string, Exporter>;

export type ExportFormatId = keyof typeof EXPORTERS;
export const EXPORT_FORMAT_IDS = Object.keys(EXPORTERS) as ExportFormatId[];

export function getExporter(id: string): Exporter {
  const e = (EXPORTERS as Record<string, Exporter>)[id];
  if (!e)
    throw new WorkbenchError('invalid_input', `Unknown export format "${id}" (one of ${EXPORT_FORMAT_IDS.join(', ')}).`, {
      parameter: 'format',
    });
  return e;
}

/** Exports with the format's own writer (temp file + rename; never overwrites without force). */
export function exportProject(store: ProjectStore, format: string, opts: ExportOptions, outPath: string): Promise<ExportSummary> {
  return getExporter(format).export(store, opts, outPath);
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
