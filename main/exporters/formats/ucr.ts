import fs from 'node:fs';
import path from 'node:path';
import { WorkbenchError } from '../../../common/errors';
import { hashFile } from '../../datasets';
import type { ProjectStore } from '../../store';
import { writeAtomically, writeText } from '../atomic';
import { commitDatasets, listFiles, SidecarIndex, type DatasetPlan } from '../data-import';
import { defaultTrainEnd, step } from '../data-export';
import { selectForExport, truthOf, type ExportSeries } from '../select';
import { sidecarLabels, SIDECAR_NAME, writeSidecar, type SidecarEntry } from '../sidecar';
import { safeName, summarize } from '../summary';
import type { Exporter, ExportOptions, ExportSummary, ImportOptions, ImportSummary } from '../types';

/**
 * UCR Anomaly Archive (KDD Cup 2021): one value per line in
 * `<id>_UCR_Anomaly_<name>_<trainEnd>_<anomalyStart>_<anomalyEnd>.txt`, exactly one anomaly per series.
 * The archive counts rows from 1 and its anomaly range is INCLUSIVE, so the half-open 0-based label
 * [s, e) is written as anomalyStart = s + 1, anomalyEnd = e (the same rows). trainEnd is the number of
 * leading rows that form the anomaly-free training part (rows 1..trainEnd), so it must be ≤ s.
 */
export const UCR_NAME = /^(\d+)_UCR_Anomaly_(.+)_(\d+)_(\d+)_(\d+)\.txt$/;

export function ucrFileName(index: number, name: string, trainEnd: number, start: number, end: number): string {
  return `${String(index).padStart(3, '0')}_UCR_Anomaly_${name}_${trainEnd}_${start + 1}_${end}.txt`;
}

function ucrName(s: ExportSeries, seriesOfDataset: number): string {
  const raw = seriesOfDataset === 1 ? s.datasetName : `${s.datasetName}-${s.info.name}`;
  return safeName(raw, `series${s.info.id}`).replace(/[._]/g, '-');
}

function plan(store: ProjectStore, opts: ExportOptions): { series: ExportSeries[]; names: string[] } {
  const series = selectForExport(store, opts);
  const perDataset = new Map<number, number>();
  for (const s of store.listSeries()) perDataset.set(s.datasetId, (perDataset.get(s.datasetId) ?? 0) + 1);
  const problems: string[] = [];
  const names = series.map((s, k) => {
    const labels = truthOf(s);
    if (labels.length !== 1) {
      problems.push(`"${s.info.name}" (id ${s.info.id}) has ${labels.length} labels`);
      return '';
    }
    const start = labels[0].start - s.from;
    const end = labels[0].end - s.from;
    const trainEnd = opts.trainEnd === undefined ? Math.min(defaultTrainEnd(s, opts), start) : defaultTrainEnd(s, opts);
    if (trainEnd > start) {
      problems.push(`"${s.info.name}" (id ${s.info.id}): trainEnd ${trainEnd} runs into the anomaly starting at row ${start}`);
      return '';
    }
    return ucrFileName(k + 1, ucrName(s, perDataset.get(s.info.datasetId) ?? 1), trainEnd, start, end);
  });
  if (problems.length > 0) {
    throw new WorkbenchError(
      'unsupported',
      `UCR files hold exactly one anomaly after an anomaly-free training part; cannot export: ${problems.join('; ')}. Choose other series, a row range around one anomaly, or another format.`,
      { problems },
    );
  }
  return { series, names };
}

async function exportUcr(store: ProjectStore, opts: ExportOptions, outPath: string): Promise<ExportSummary> {
  const { series, names } = plan(store, opts);
  if (!opts.dryRun) {
    await writeAtomically(outPath, 'folder', opts.force, (tmp) => {
      const entries: SidecarEntry[] = [];
      series.forEach((s, k) => {
        step(opts, 'UCR', k, series.length);
        const values = s.values();
        writeText(path.join(tmp, names[k]), (sink) => {
          for (let i = 0; i < values.length; i++) sink.write(Number.isNaN(values[i]) ? 'NaN\n' : `${values[i]}\n`);
        });
        entries.push({
          file: names[k],
          column: 'value',
          dataset: s.datasetName,
          series: s.info.name,
          labels: sidecarLabels(s.intervals, s.from),
        });
      });
      writeSidecar(tmp, 'ucr', entries);
      opts.progress?.(1);
    });
  }
  return summarize(
    'ucr',
    outPath,
    opts,
    series,
    [...names, SIDECAR_NAME],
    series.reduce((a, s) => a + s.to - s.from, 0),
    ['UCR names count rows from 1 and give the anomaly as an inclusive range: [s, e) is written as s+1 and e.'],
  );
}

/** Values of a UCR file: numbers separated by line breaks or spaces (some archive files put all on one line). */
function readValues(file: string): Float64Array {
  const text = fs.readFileSync(file, 'utf8');
  const tokens = text.split(/[\s,]+/).filter((t) => t !== '');
  const values = new Float64Array(tokens.length);
  tokens.forEach((t, i) => {
    const v = t.toLowerCase() === 'nan' ? NaN : Number(t);
    if (Number.isNaN(v) && t.toLowerCase() !== 'nan') {
      throw new WorkbenchError('parse_error', `${file}: value ${i + 1} "${t.slice(0, 20)}" is not a number.`, {
        file,
        row: i + 1,
      });
    }
    values[i] = v;
  });
  return values;
}

/** Imports UCR files (one, or every one in a folder) as one dataset each with its one anomaly as a label. */
async function importUcr(store: ProjectStore, input: string, opts: ImportOptions = {}): Promise<ImportSummary> {
  const { root, files } = listFiles(input, (n) => UCR_NAME.test(n));
  const sidecar = new SidecarIndex(root);
  const notes: string[] = [];
  const plans: DatasetPlan[] = [];
  const problems: { line: number; message: string }[] = [];
  for (const file of files) {
    const m = UCR_NAME.exec(path.basename(file));
    if (!m) {
      problems.push({
        line: 0,
        message: `${path.basename(file)}: not a UCR name (<id>_UCR_Anomaly_<name>_<trainEnd>_<start>_<end>.txt)`,
      });
      continue;
    }
    const values = readValues(file);
    const [trainEnd, first, last] = [Number(m[3]), Number(m[4]), Number(m[5])];
    if (first < 1 || last < first || last > values.length) {
      problems.push({
        line: 0,
        message: `${path.basename(file)}: anomaly ${first}..${last} (1-based, inclusive) is not inside its ${values.length} rows`,
      });
      continue;
    }
    if (trainEnd >= first) notes.push(`${path.basename(file)}: the training part (rows 1..${trainEnd}) reaches the anomaly.`);
    const fromFile = [{ start: first - 1, end: last }];
    const { name, labels } = sidecar.labelsFor(file, 'value', fromFile, notes);
    const stat = fs.statSync(file);
    plans.push({
      file,
      name: files.length === 1 && opts.datasetName ? opts.datasetName : (sidecar.datasetName(file) ?? m[2]),
      sourcePath: file,
      sourceHash: await hashFile(file),
      sourceSize: stat.size,
      time: null,
      series: [{ name: name ?? 'value', values, labels }],
    });
  }
  if (problems.length > 0) {
    throw new WorkbenchError('invalid_input', `${input}: nothing was imported; ${problems.map((p) => p.message).join('; ')}`, {
      file: input,
      problems,
    });
  }
  return commitDatasets(store, 'ucr', input, plans, opts.actor ?? 'import', notes, opts.dryRun);
}

export const ucr: Exporter = {
  id: 'ucr',
  description: 'UCR Anomaly Archive .txt per single-anomaly series (1-based inclusive range in the name)',
  output: 'folder',
  reads: ['seriesIds', 'labels', 'range', 'trainEnd'],
  export: exportUcr,
  import: importUcr,
};
