import path from 'node:path';
import { WorkbenchError } from '../../../common/errors';
import type { ProjectStore } from '../../store';
import { writeAtomically, writeText } from '../atomic';
import { importLabelRecords, LABELS_CONVENTION, recordsOf, type LabelRecord, type RawLabelRecord } from '../label-records';
import { selectForExport } from '../select';
import { summarize } from '../summary';
import type { Exporter, ExportOptions, ExportSummary, ImportOptions, ImportSummary } from '../types';
import { readText } from './labels-csv';

export const LABELS_JSON_FORMAT = 'tsad-workbench-labels';

/**
 * `{"format", "version", "convention", "labels": [LabelRecord, …]}` with one label object per line of
 * the file, so an import problem can name the line it is on.
 */
async function exportLabelsJson(store: ProjectStore, opts: ExportOptions, outPath: string): Promise<ExportSummary> {
  const series = selectForExport(store, opts);
  const records = recordsOf(series);
  if (!opts.dryRun) {
    await writeAtomically(outPath, 'file', opts.force, (tmp) => writeLabelsJson(tmp, records));
  }
  return summarize('labels-json', outPath, opts, series, [path.basename(outPath)], records.length);
}

export function writeLabelsJson(file: string, records: LabelRecord[]): void {
  writeText(file, (sink) => {
    sink.write(
      `{\n"format": "${LABELS_JSON_FORMAT}",\n"version": 1,\n"convention": ${JSON.stringify(LABELS_CONVENTION)},\n"labels": [\n`,
    );
    records.forEach((r, k) => sink.write(JSON.stringify(r) + (k < records.length - 1 ? ',\n' : '\n')));
    sink.write(']\n}\n');
  });
}

/** The line on which each element of the top-level "labels" array starts (found by scanning the text). */
function elementLines(text: string, topLevelArray: boolean): number[] {
  const lines: number[] = [];
  const key = topLevelArray ? text.indexOf('[') : text.search(/"labels"\s*:\s*\[/);
  if (key < 0) return lines;
  let i = text.indexOf('[', key) + 1;
  let line = text.slice(0, i).split('\n').length;
  let depth = 0;
  let quote = false;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (quote) {
      if (c === '\\') i++;
      else if (c === '"') quote = false;
      continue;
    }
    if (c === '"') quote = true;
    else if (c === '{' || c === '[') {
      if (depth === 0) lines.push(line);
      depth++;
    } else if (c === '}' || c === ']') {
      if (depth === 0) break;
      depth--;
    }
  }
  return lines;
}

export function readLabelsJson(file: string): RawLabelRecord[] {
  const text = readText(file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new WorkbenchError('parse_error', `${file} is not valid JSON: ${(err as Error).message}`, { file });
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { labels?: unknown } | null)?.labels;
  if (!Array.isArray(list)) {
    throw new WorkbenchError('parse_error', `${file}: expected {"labels": [...]} or a list of label objects.`, { file });
  }
  const lines = elementLines(text, Array.isArray(parsed));
  return list.map((item: unknown, k) => ({
    line: lines[k] ?? 0,
    fields: typeof item === 'object' && item !== null ? (item as Partial<Record<keyof LabelRecord, unknown>>) : {},
  }));
}

async function importLabelsJson(store: ProjectStore, file: string, opts: ImportOptions = {}): Promise<ImportSummary> {
  return importLabelRecords(store, file, 'labels-json', readLabelsJson(file), opts.actor ?? 'import', opts.dryRun);
}

export const labelsJson: Exporter = {
  id: 'labels-json',
  description: 'One JSON object per labeled interval (same fields as labels-csv)',
  output: 'file',
  reads: ['seriesIds', 'labels', 'range'],
  extension: '.json',
  export: exportLabelsJson,
  import: importLabelsJson,
};
