import fs from 'node:fs';
import path from 'node:path';
import { WorkbenchError } from '../../../common/errors';
import type { ProjectStore } from '../../store';
import { writeAtomically, writeText } from '../atomic';
import { csvRow, parseCsv } from '../csv';
import {
  importLabelRecords,
  LABEL_FIELDS,
  LABELS_CONVENTION,
  recordsOf,
  type LabelRecord,
  type RawLabelRecord,
} from '../label-records';
import { selectForExport } from '../select';
import { summarize } from '../summary';
import type { Exporter, ExportOptions, ExportSummary, ImportOptions, ImportSummary } from '../types';

/**
 * One CSV row per interval. The first lines are '#' comments stating the interval convention; the
 * header names the fields (LABEL_FIELDS). Import matches series by dataset and series name (series_id
 * when no name is given) and adds labels only.
 */
async function exportLabelsCsv(store: ProjectStore, opts: ExportOptions, outPath: string): Promise<ExportSummary> {
  const series = selectForExport(store, opts);
  const records = recordsOf(series);
  if (!opts.dryRun) {
    await writeAtomically(outPath, 'file', opts.force, (tmp) => {
      writeText(tmp, (sink) => {
        sink.write(`# TSAD Workbench labels (labels-csv v1)\n# ${LABELS_CONVENTION}\n`);
        sink.write(csvRow([...LABEL_FIELDS]));
        records.forEach((r, k) => {
          if (k % 10_000 === 0 && opts.signal?.aborted)
            throw new WorkbenchError('cancelled', 'The labels-csv export was cancelled.');
          sink.write(csvRow(LABEL_FIELDS.map((f) => r[f])));
        });
      });
    });
  }
  return summarize('labels-csv', outPath, opts, series, [path.basename(outPath)], records.length);
}

async function importLabelsCsv(store: ProjectStore, file: string, opts: ImportOptions = {}): Promise<ImportSummary> {
  const rows = parseCsv(readText(file), file);
  const header = rows.shift();
  if (!header) throw new WorkbenchError('parse_error', `${file} has no header line.`, { file });
  const names = header.fields.map((h) => h.trim());
  for (const required of ['start', 'end'] as const) {
    if (!names.includes(required)) {
      throw new WorkbenchError('parse_error', `${file}: line ${header.line}: the header has no "${required}" column.`, {
        file,
        line: header.line,
      });
    }
  }
  if (!names.includes('series') && !names.includes('series_id')) {
    throw new WorkbenchError('parse_error', `${file}: line ${header.line}: the header needs a "series" or "series_id" column.`, {
      file,
      line: header.line,
    });
  }
  const known = new Set<string>(LABEL_FIELDS);
  const raw: RawLabelRecord[] = rows.map((r) => {
    const fields: Partial<Record<keyof LabelRecord, unknown>> = {};
    names.forEach((n, k) => {
      if (known.has(n)) fields[n as keyof LabelRecord] = r.fields[k] ?? '';
    });
    return { line: r.line, fields };
  });
  const bad = rows.filter((r) => r.fields.length !== names.length);
  if (bad.length > 0) {
    throw new WorkbenchError(
      'invalid_input',
      `${file}: nothing was imported; ${bad.length} row(s) do not have ${names.length} fields, first at line ${bad[0].line}.`,
      { file, problems: bad.map((r) => ({ line: r.line, message: `${r.fields.length} fields, expected ${names.length}` })) },
    );
  }
  return importLabelRecords(store, file, 'labels-csv', raw, opts.actor ?? 'import', opts.dryRun);
}

export function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new WorkbenchError(code === 'ENOENT' ? 'not_found' : 'io_error', `Cannot read ${file}: ${(err as Error).message}`, {
      file,
    });
  }
}

export const labelsCsv: Exporter = {
  id: 'labels-csv',
  description: 'One CSV row per labeled interval (half-open indices, ISO times, type, origin, note, rationale)',
  output: 'file',
  reads: ['seriesIds', 'labels', 'range'],
  extension: '.csv',
  export: exportLabelsCsv,
  import: importLabelsCsv,
};
