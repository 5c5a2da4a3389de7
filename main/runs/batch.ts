import fs from 'node:fs';
import path from 'node:path';
import type { MetricValues } from '../../common/detection';
import { toErrorData } from '../../common/errors';
import { importIntoProject } from '../datasets/import-into-project';
import { getDetector, validateParams } from '../detectors';
import { runTask, workerCount } from '../jobs';
import { ProjectStore } from '../store';
import { ownerGone, thisOwner } from '../store/owner';
import { removeWithSideFiles, sweepTemporaries, tempPath } from '../store/temp-files';
import { pausePoint } from '../testing/pause-point';
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

export const BATCH_SUMMARY_FILE = 'summary.json';

/**
 * `summary.json` of a batch's output folder. It is written when the batch starts (`running`, with its
 * owner), after every file, and at the end (`done`); a batch whose process ended before the end reads back
 * as `interrupted` (readBatchSummary), its rows being the files that finished.
 */
export interface BatchSummary {
  status: 'running' | 'done' | 'interrupted';
  owner: { pid: number; host: string };
  startedAt: string;
  heartbeatAt: string;
  detector: string;
  files: number;
  failed: number;
  seconds: number;
  rows: BatchRow[];
  message?: string;
}

/** Written under a fresh temporary name and renamed: a reader sees a whole summary, old or new. */
export function writeBatchSummary(outDir: string, summary: BatchSummary): void {
  const file = path.join(outDir, BATCH_SUMMARY_FILE);
  const tmp = tempPath(file, 'partial');
  fs.writeFileSync(tmp, `${JSON.stringify(summary, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

/** The output folder's summary, a running one whose process is gone as `interrupted` (with why); null when none. */
export function readBatchSummary(outDir: string): BatchSummary | null {
  let summary: BatchSummary;
  try {
    summary = JSON.parse(fs.readFileSync(path.join(outDir, BATCH_SUMMARY_FILE), 'utf8')) as BatchSummary;
  } catch {
    return null;
  }
  if (summary.status === 'running' && summary.owner && ownerGone({ ...summary.owner, heartbeatAt: summary.heartbeatAt })) {
    summary.status = 'interrupted';
    summary.message =
      `The batch into ${outDir} was interrupted: process ${summary.owner.pid} on ${summary.owner.host} ended after ` +
      `${summary.rows.length} of ${summary.files} files. The projects there are those that finished (a file's project ` +
      `appears only once it is imported and detected); run the batch again for the rest.`;
  }
  return summary;
}

/**
 * Every data file under `dir` into its own project in `outDir`, one detector over every series (worker
 * threads, files in parallel up to the number of cores), evaluated against the labels that came with the
 * data. A file that fails is reported in its row and does not stop the others. Each project is built
 * under a temporary name and renamed into place once imported and detected, and `summary.json` follows
 * the batch (BatchSummary), so a killed batch leaves finished projects, a summary that reads back as
 * interrupted, and temporaries that the next batch into the folder (or the next open there) sweeps.
 * `notice` hears of a previous batch into the folder that was interrupted.
 */
export async function runBatch(
  dir: string,
  outDir: string,
  detectorId: string,
  rawParams: Record<string, unknown>,
  onProgress?: (done: number, total: number) => void,
  notice?: (message: string) => void,
): Promise<BatchRow[]> {
  const detector = getDetector(detectorId);
  const params = validateParams(detector, rawParams);
  fs.mkdirSync(outDir, { recursive: true });
  sweepTemporaries(outDir);
  const previous = readBatchSummary(outDir);
  if (previous?.status === 'interrupted' && previous.message) notice?.(previous.message);
  const files = dataFiles(dir);
  const rows: BatchRow[] = new Array(files.length);
  const startedAt = new Date().toISOString();
  const t0 = Date.now();
  const progress = (): void => {
    const finished = rows.filter((r) => r !== undefined);
    writeBatchSummary(outDir, {
      status: 'running',
      owner: thisOwner(),
      startedAt,
      heartbeatAt: new Date().toISOString(),
      detector: detector.id,
      files: files.length,
      failed: finished.filter((r) => r.error !== null).length,
      seconds: (Date.now() - t0) / 1000,
      rows: finished,
    });
  };
  progress();
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < files.length) {
      const i = next++;
      const file = files[i];
      const started = Date.now();
      const project = path.join(outDir, `${path.relative(dir, file).replace(/[\\/]/g, '__')}.tsad.sqlite`);
      const building = tempPath(project, 'create', '.tsad.sqlite');
      try {
        for (const suffix of ['', '-wal', '-shm']) fs.rmSync(project + suffix, { force: true });
        ProjectStore.create(building).close();
        const imported = await importIntoProject({ projectPath: building, filePath: file });
        pausePoint('batch:imported');
        const store = ProjectStore.open(building);
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
          store.close();
          fs.renameSync(building, project);
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
        removeWithSideFiles(building);
      }
      progress();
      onProgress?.(++done, files.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(workerCount(), Math.max(1, files.length)) }, lane));
  return rows;
}
