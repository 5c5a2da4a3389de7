import fs from 'node:fs';
import path from 'node:path';
import { WorkbenchError } from '../../../common/errors';
import { readFile, readNabLabels } from '../../datasets';
import type { ProjectStore } from '../../store';
import { writeAtomically, writeText } from '../atomic';
import { commitDatasets, listFiles, SidecarIndex, type DatasetPlan } from '../data-import';
import { plainTime, relative, step, valueText } from '../data-export';
import { selectForExport, truthOf, type ExportSeries } from '../select';
import { sidecarLabels, SIDECAR_NAME, writeSidecar, type SidecarEntry } from '../sidecar';
import { safeName, summarize } from '../summary';
import type { Exporter, ExportOptions, ExportSummary, ImportOptions, ImportSummary } from '../types';

/**
 * NAB layout: `data/<dataset>/<series>.csv` with `timestamp,value`, and `labels/combined_windows.json`
 * mapping '<dataset>/<series>.csv' to [start, end] timestamp windows, INCLUSIVE at both ends: a label
 * [s, e) becomes [time[s], time[e-1]]. Timestamps are written in UTC without a zone (NAB's style); the
 * dataset reader takes zone-less times as UTC, so they read back to the same rows. Needs a time axis:
 * series without one are refused.
 */
function nabKey(s: ExportSeries, used: Set<string>): string {
  const dir = safeName(s.datasetName, 'dataset');
  let base = safeName(s.info.name, 'series');
  if (used.has(`${dir}/${base}.csv`)) base = `${base}-${s.info.id}`;
  const key = `${dir}/${base}.csv`;
  used.add(key);
  return key;
}

async function exportNab(store: ProjectStore, opts: ExportOptions, outPath: string): Promise<ExportSummary> {
  const series = selectForExport(store, opts);
  const untimed = series.filter((s) => !s.hasTime);
  if (untimed.length > 0) {
    throw new WorkbenchError(
      'unsupported',
      `NAB files need timestamps; ${untimed.map((s) => `"${s.info.name}" (id ${s.info.id})`).join(', ')} ${untimed.length === 1 ? 'has' : 'have'} no time axis. Export ${untimed.length === 1 ? 'it' : 'them'} as TSB-AD or TimeEval instead.`,
      { seriesIds: untimed.map((s) => s.info.id) },
    );
  }
  const used = new Set<string>();
  const keys = series.map((s) => nabKey(s, used));
  if (!opts.dryRun) {
    await writeAtomically(outPath, 'folder', opts.force, (tmp) => {
      const windows: Record<string, [string, string][]> = {};
      const entries: SidecarEntry[] = [];
      series.forEach((s, k) => {
        step(opts, 'NAB', k, series.length);
        const values = s.values();
        const time = s.time() as Float64Array;
        const file = path.join(tmp, 'data', ...keys[k].split('/'));
        fs.mkdirSync(path.dirname(file), { recursive: true });
        writeText(file, (sink) => {
          sink.write('timestamp,value\n');
          for (let i = 0; i < values.length; i++) sink.write(`${plainTime(time[i])},${valueText(values[i])}\n`);
        });
        windows[keys[k]] = truthOf(s).map((iv) => [
          plainTime(time[iv.start - s.from], true),
          plainTime(time[iv.end - 1 - s.from], true),
        ]);
        entries.push({
          file: relative(tmp, file),
          column: 'value',
          dataset: s.datasetName,
          series: s.info.name,
          labels: sidecarLabels(s.intervals, s.from),
        });
      });
      fs.mkdirSync(path.join(tmp, 'labels'));
      writeText(path.join(tmp, 'labels', 'combined_windows.json'), (sink) => sink.write(JSON.stringify(windows, null, 4) + '\n'));
      writeSidecar(tmp, 'nab', entries);
      opts.progress?.(1);
    });
  }
  return summarize(
    'nab',
    outPath,
    opts,
    series,
    [...keys.map((k) => `data/${k}`), 'labels/combined_windows.json', SIDECAR_NAME],
    series.reduce((a, s) => a + s.to - s.from, 0),
    ['Windows are inclusive timestamp ranges [time of first row, time of last row].'],
  );
}

/**
 * Imports a NAB tree (a folder with data/… and labels/combined_windows.json) as one dataset per data
 * file; windows become half-open row intervals (readNabLabels).
 */
async function importNab(store: ProjectStore, input: string, opts: ImportOptions = {}): Promise<ImportSummary> {
  const windowsPath = path.join(input, 'labels', 'combined_windows.json');
  if (!fs.existsSync(windowsPath)) {
    throw new WorkbenchError('not_found', `${input} is not a NAB folder: it has no labels/combined_windows.json.`, {
      file: input,
    });
  }
  const keys = Object.keys(JSON.parse(fs.readFileSync(windowsPath, 'utf8')) as Record<string, unknown>);
  const { files } = listFiles(path.join(input, 'data'), (n) => /\.csv$/i.test(n));
  const sidecar = new SidecarIndex(input);
  const notes: string[] = [];
  const plans: DatasetPlan[] = [];
  for (const file of files) {
    const key = relative(path.join(input, 'data'), file);
    // NAB files repeat timestamps or step back an hour (DST): sort and keep every row, as the dataset import does
    const table = await readFile(file, { unsortedTimestamps: 'sort', duplicateTimestamps: 'keep', signal: opts.signal });
    if (!table.time) throw new WorkbenchError('invalid_input', `${file} has no timestamp column.`, { file });
    const fromFile = keys.includes(key) ? readNabLabels(windowsPath, key, table.time) : [];
    plans.push({
      file,
      name: sidecar.datasetName(file) ?? key.replace(/\.csv$/i, ''),
      sourcePath: table.sourcePath,
      sourceHash: table.sourceHash,
      sourceSize: table.sourceSize,
      time: table.time,
      series: table.columns.map((c) => {
        const { name, labels } = sidecar.labelsFor(file, c.name, fromFile, notes);
        return { name: name ?? c.name, values: c.values, labels };
      }),
    });
  }
  return commitDatasets(store, 'nab', input, plans, opts.actor ?? 'import', notes, opts.dryRun);
}

export const nab: Exporter = {
  id: 'nab',
  description: 'NAB: data/<group>/<file>.csv (timestamp,value) + labels/combined_windows.json (inclusive windows)',
  output: 'folder',
  reads: ['seriesIds', 'labels', 'range'],
  export: exportNab,
  import: importNab,
};
