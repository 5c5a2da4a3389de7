import fs from 'node:fs';
import path from 'node:path';
import { readFile } from '../../datasets';
import type { ProjectStore } from '../../store';
import { writeAtomically, writeText } from '../atomic';
import { csvField } from '../csv';
import { commitDatasets, listFiles, SidecarIndex, type DatasetPlan } from '../data-import';
import { step, valueText } from '../data-export';
import { selectForExport, truthOf, type ExportSeries } from '../select';
import { sidecarLabels, SIDECAR_NAME, writeSidecar, type SidecarEntry } from '../sidecar';
import { safeName, summarize } from '../summary';
import type { Exporter, ExportOptions, ExportSummary, ImportOptions, ImportSummary } from '../types';

/**
 * TimeEval canonical format: one CSV per dataset, `timestamp,<value columns…>,is_anomaly`. TimeEval
 * reads the value columns by position, so they keep the series names. timestamp is ISO 8601 UTC when
 * the dataset has a time axis, else the row index. is_anomaly is 1 on rows inside any exported series'
 * label (TimeEval has one label per row); the sidecar keeps each series' own labels.
 */
function groupByDataset(series: ExportSeries[]): ExportSeries[][] {
  const groups = new Map<number, ExportSeries[]>();
  for (const s of series) groups.set(s.info.datasetId, [...(groups.get(s.info.datasetId) ?? []), s]);
  return [...groups.values()];
}

function fileNames(groups: ExportSeries[][]): string[] {
  const used = new Set<string>();
  return groups.map((g) => {
    let name = `${safeName(g[0].datasetName, 'dataset')}.csv`;
    if (used.has(name)) name = `${safeName(g[0].datasetName, 'dataset')}-${g[0].info.datasetId}.csv`;
    used.add(name);
    return name;
  });
}

async function exportTimeEval(store: ProjectStore, opts: ExportOptions, outPath: string): Promise<ExportSummary> {
  const series = selectForExport(store, opts);
  const groups = groupByDataset(series);
  const names = fileNames(groups);
  if (!opts.dryRun) {
    await writeAtomically(outPath, 'folder', opts.force, (tmp) => {
      const entries: SidecarEntry[] = [];
      groups.forEach((g, k) => {
        step(opts, 'TimeEval', k, groups.length);
        const rows = g[0].to - g[0].from;
        const columns = g.map((s) => s.values());
        const time = g[0].time();
        const label = new Uint8Array(rows);
        for (const s of g) for (const iv of truthOf(s)) label.fill(1, iv.start - s.from, iv.end - s.from);
        const header = ['timestamp', ...g.map((s) => s.info.name), 'is_anomaly'].map(csvField).join(',');
        writeText(path.join(tmp, names[k]), (sink) => {
          sink.write(header + '\n');
          for (let i = 0; i < rows; i++) {
            let line = time ? new Date(time[i]).toISOString() : String(i);
            for (const c of columns) line += ',' + valueText(c[i]);
            sink.write(`${line},${label[i]}\n`);
          }
        });
        for (const s of g)
          entries.push({
            file: names[k],
            column: s.info.name,
            dataset: s.datasetName,
            series: s.info.name,
            labels: sidecarLabels(s.intervals, s.from),
          });
      });
      writeSidecar(tmp, 'timeeval', entries);
      opts.progress?.(1);
    });
  }
  return summarize(
    'timeeval',
    outPath,
    opts,
    series,
    [...names, SIDECAR_NAME],
    groups.reduce((a, g) => a + g[0].to - g[0].from, 0),
    ['is_anomaly is the union of the labels of the series in each file.'],
  );
}

/** First line of a text file (the CSV header), without reading the whole file. */
function firstLines(file: string, count: number): string[] {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 16);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8').split(/\r?\n/).slice(0, count);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Imports TimeEval CSVs (a file or a folder) as one dataset per file. The first column is the time
 * axis unless it holds plain integers (a row index); the last column is_anomaly becomes the labels of
 * every value column.
 */
async function importTimeEval(store: ProjectStore, input: string, opts: ImportOptions = {}): Promise<ImportSummary> {
  const { root, files } = listFiles(input, (n) => /\.csv$/i.test(n));
  const sidecar = new SidecarIndex(root);
  const notes: string[] = [];
  const plans: DatasetPlan[] = [];
  for (const file of files) {
    const [headerLine, firstRow] = firstLines(file, 2);
    const header = headerLine.split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
    const indexTime = /^\s*-?\d+\s*,/.test(firstRow ?? '');
    const table = await readFile(file, {
      timeColumn: indexTime ? null : header[0],
      valueColumns: header.slice(1, -1),
      labelColumn: header[header.length - 1],
      signal: opts.signal,
    });
    const fromFile = table.labels?.intervals ?? [];
    plans.push({
      file,
      name: files.length === 1 && opts.datasetName ? opts.datasetName : (sidecar.datasetName(file) ?? table.name),
      sourcePath: table.sourcePath,
      sourceHash: table.sourceHash,
      sourceSize: table.sourceSize,
      time: table.time ?? null,
      series: table.columns.map((c) => {
        const { name, labels } = sidecar.labelsFor(file, c.name, fromFile, notes, true);
        return { name: name ?? c.name, values: c.values, labels };
      }),
    });
  }
  return commitDatasets(store, 'timeeval', input, plans, opts.actor ?? 'import', notes, opts.dryRun);
}

export const timeEval: Exporter = {
  id: 'timeeval',
  description: 'TimeEval canonical CSV per dataset (timestamp, value columns, is_anomaly)',
  output: 'folder',
  reads: ['seriesIds', 'labels', 'range'],
  export: exportTimeEval,
  import: importTimeEval,
};
