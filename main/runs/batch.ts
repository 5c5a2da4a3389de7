import fs from 'node:fs';
import path from 'node:path';
import type { MetricValues } from '../../common/detection';
import { toErrorData } from '../../common/errors';
import { importIntoProject } from '../datasets/import-into-project';
import { getDetector, validateParams } from '../detectors';
import { runTask, workerCount } from '../jobs';
import { ProjectStore } from '../store';
import { aggregateEvaluations, evaluateSeries } from './evaluate';

export interface BatchRow {
  file: string;
  project: string | null;
  rows: number;
  series: number;
  labels: number;
  intervals: number;
  seconds: number;
  metrics: MetricValues | null;
  error: string | null;
}

const DATA_FILE = /\.(csv|tsv|txt|psv|csv\.gz|tsv\.gz|parquet|json|ndjson|jsonl)$/i;

export function dataFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return e.name === 'labels' ? [] : dataFiles(p);
      // data files only: not licence or read-me texts, nor TSB-AD's published result tables
      return DATA_FILE.test(e.name) && !/^(license|licence|readme|notice|uni_mergedTable)/i.test(e.name) ? [p] : [];
    })
    .sort();
}

/**
 * Every data file under `dir` into its own project in `outDir`, one detector over every series (worker
 * threads, files in parallel up to the number of cores), evaluated against the labels that came with the
 * data. A file that fails is reported in its row and does not stop the others.
 */
export async function runBatch(
  dir: string,
  outDir: string,
  detectorId: string,
  rawParams: Record<string, unknown>,
  onProgress?: (done: number, total: number) => void,
): Promise<BatchRow[]> {
  const detector = getDetector(detectorId);
  const params = validateParams(detector, rawParams);
  fs.mkdirSync(outDir, { recursive: true });
  const files = dataFiles(dir);
  const rows: BatchRow[] = new Array(files.length);
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < files.length) {
      const i = next++;
      const file = files[i];
      const started = Date.now();
      const project = path.join(outDir, `${path.relative(dir, file).replace(/[\\/]/g, '__')}.tsad.sqlite`);
      try {
        for (const suffix of ['', '-wal', '-shm']) fs.rmSync(project + suffix, { force: true });
        ProjectStore.create(project).close();
        const imported = await importIntoProject({ projectPath: project, filePath: file });
        const store = ProjectStore.open(project);
        try {
          const runId = store.runs.create({
            detector: detector.id,
            detectorVersion: '1',
            params,
            execution: { engine: 'batch' },
            seriesIds: store.listSeries().map((s) => s.id),
          });
          const perSeries: MetricValues[] = [];
          let intervals = 0;
          for (const s of store.listSeries()) {
            const values = store.loadValues(s.id);
            const r = await runTask('detect', { detectorId: detector.id, params, values });
            store.runs.saveSeriesResult(runId, s.id, r.scores, r.intervals);
            intervals += r.intervals.length;
            store.runs.heartbeat(runId);
            const labels = store.listLabels(s.id);
            if (labels.length > 0) perSeries.push(evaluateSeries(values, r.scores, labels, r.intervals));
          }
          store.runs.finish(runId, 'done');
          rows[i] = {
            file,
            project,
            rows: imported.rows,
            series: imported.seriesIds.length,
            labels: imported.labels,
            intervals,
            seconds: (Date.now() - started) / 1000,
            metrics: perSeries.length > 0 ? aggregateEvaluations(perSeries) : null,
            error: null,
          };
        } finally {
          store.close();
        }
      } catch (err) {
        rows[i] = {
          file,
          project: null,
          rows: 0,
          series: 0,
          labels: 0,
          intervals: 0,
          seconds: (Date.now() - started) / 1000,
          metrics: null,
          error: toErrorData(err).message,
        };
        for (const suffix of ['', '-wal', '-shm']) fs.rmSync(project + suffix, { force: true });
      }
      onProgress?.(++done, files.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(workerCount(), Math.max(1, files.length)) }, lane));
  return rows;
}
