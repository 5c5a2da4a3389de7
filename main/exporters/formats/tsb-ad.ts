import path from 'node:path';
import type { ProjectStore } from '../../store';
import { readFile } from '../../datasets';
import { writeAtomically, writeText } from '../atomic';
import { commitDatasets, listFiles, SidecarIndex, type DatasetPlan } from '../data-import';
import { defaultTrainEnd, step, valueText } from '../data-export';
import { selectForExport, truthOf, type ExportSeries } from '../select';
import { sidecarLabels, writeSidecar, type SidecarEntry, SIDECAR_NAME } from '../sidecar';
import { safeName, summarize } from '../summary';
import type { Exporter, ExportOptions, ExportSummary, ImportOptions, ImportSummary } from '../types';

/**
 * TSB-AD-U layout: one CSV per series with columns `Data,Label` (Label 0/1 per row), named
 * `[idx]_[Dataset]_id_[id]_[Domain]_tr_[TrainEnd]_1st_[FirstAnomaly].csv` where Dataset is the dataset
 * name and Domain the series name (made safe: no '_'), id the series id, TrainEnd the end of the
 * training prefix and FirstAnomaly the first labeled row (the row count when there is none).
 */
export function tsbAdFileName(index: number, s: ExportSeries, trainEnd: number): string {
  const first = truthOf(s)[0];
  const firstAnomaly = first ? first.start - s.from : s.to - s.from;
  const idx = String(index).padStart(3, '0');
  return `${idx}_${safeName(s.datasetName, 'dataset').replace(/\./g, '-')}_id_${s.info.id}_${safeName(s.info.name, 'series').replace(/\./g, '-')}_tr_${trainEnd}_1st_${firstAnomaly}.csv`;
}

async function exportTsbAd(store: ProjectStore, opts: ExportOptions, outPath: string): Promise<ExportSummary> {
  const series = selectForExport(store, opts);
  const names = series.map((s, k) => tsbAdFileName(k + 1, s, defaultTrainEnd(s, opts)));
  if (!opts.dryRun) {
    await writeAtomically(outPath, 'folder', opts.force, (tmp) => {
      const entries: SidecarEntry[] = [];
      series.forEach((s, k) => {
        step(opts, 'TSB-AD', k, series.length);
        const values = s.values();
        const label = new Uint8Array(values.length);
        for (const iv of truthOf(s)) label.fill(1, iv.start - s.from, iv.end - s.from);
        writeText(path.join(tmp, names[k]), (sink) => {
          sink.write('Data,Label\n');
          for (let i = 0; i < values.length; i++) sink.write(`${valueText(values[i])},${label[i]}\n`);
        });
        entries.push({
          file: names[k],
          column: 'Data',
          dataset: s.datasetName,
          series: s.info.name,
          labels: sidecarLabels(s.intervals, s.from),
        });
      });
      writeSidecar(tmp, 'tsb-ad', entries);
      opts.progress?.(1);
    });
  }
  const notes = ['Label is the union of the labels (predictions are never written as labels).'];
  return summarize(
    'tsb-ad',
    outPath,
    opts,
    series,
    [...names, SIDECAR_NAME],
    series.reduce((a, s) => a + s.to - s.from, 0),
    notes,
  );
}

/** Imports a TSB-AD CSV, or every CSV of a folder, as one new dataset per file (its Label column as labels). */
async function importTsbAd(store: ProjectStore, input: string, opts: ImportOptions = {}): Promise<ImportSummary> {
  const { root, files } = listFiles(input, (n) => /\.csv$/i.test(n));
  const sidecar = new SidecarIndex(root);
  const notes: string[] = [];
  const plans: DatasetPlan[] = [];
  for (const file of files) {
    const table = await readFile(file, { timeColumn: null, signal: opts.signal });
    const fromFile = table.labels?.intervals ?? [];
    plans.push({
      file,
      name: files.length === 1 && opts.datasetName ? opts.datasetName : (sidecar.datasetName(file) ?? table.name),
      sourcePath: table.sourcePath,
      sourceHash: table.sourceHash,
      sourceSize: table.sourceSize,
      time: null,
      series: table.columns.map((c) => {
        const { name, labels } = sidecar.labelsFor(file, c.name, fromFile, notes);
        return { name: name ?? c.name, values: c.values, labels };
      }),
    });
  }
  return commitDatasets(store, 'tsb-ad', input, plans, opts.actor ?? 'import', notes, opts.dryRun);
}

export const tsbAd: Exporter = {
  id: 'tsb-ad',
  description: 'TSB-AD CSV per series (Data,Label), TSB-AD file naming',
  output: 'folder',
  reads: ['seriesIds', 'labels', 'range', 'trainEnd'],
  export: exportTsbAd,
  import: importTsbAd,
};
