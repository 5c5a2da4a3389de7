import os from 'node:os';
import type { JobStarted, WorkbenchEvent } from '../../common/contract';
import type { DetectorInfo, MetricValues, RunEvaluation } from '../../common/detection';
import { isCancelled, toErrorData, WorkbenchError } from '../../common/errors';
import { getDetector, listDetectorInfos, validateParams } from '../detectors';
import { evaluateSeries, aggregateEvaluations } from './evaluate';
import type { JobManager } from '../jobs';
import { runTask, workerCount } from '../jobs';
import type { ProjectStore } from '../store';

export const RUN_RECORD_VERSION = '1';

/**
 * Detection runs: validate the detector and its parameters, record a run, score every series in
 * worker threads (all cores, one series per worker), store each series' score lane and intervals as
 * it finishes, and close the run as done, failed or cancelled.
 */
export class DetectionService {
  constructor(
    private readonly jobs: JobManager,
    private readonly emit: (event: WorkbenchEvent) => void,
  ) {}

  listDetectors(): DetectorInfo[] {
    return listDetectorInfos();
  }

  startRun(
    store: ProjectStore,
    input: { detector: string; params?: Record<string, unknown>; seriesIds?: number[] },
  ): JobStarted & { runId: number } {
    const detector = getDetector(input.detector);
    const params = validateParams(detector, input.params ?? {});
    const seriesIds = input.seriesIds ?? store.listSeries().map((s) => s.id);
    if (seriesIds.length === 0) throw new WorkbenchError('invalid_input', 'The project has no series to run a detector on.');
    const names = new Map(store.listSeries().map((s) => [s.id, s.name]));
    for (const id of seriesIds) {
      if (!names.has(id)) throw new WorkbenchError('not_found', `No series with id ${id} in this project.`, { seriesId: id });
    }
    const concurrency = Math.min(workerCount(), seriesIds.length);
    const runId = store.runs.create({
      detector: detector.id,
      detectorVersion: RUN_RECORD_VERSION,
      params: params as Record<string, unknown>,
      execution: {
        engine: 'worker_threads',
        workers: concurrency,
        cpu: os.cpus()[0]?.model ?? 'unknown',
        cores: os.cpus().length,
      },
    });
    this.emit({ type: 'projectChanged', reason: 'runs' });
    const started = Date.now();
    const job = this.jobs.start('detect', `${detector.name} on ${seriesIds.length} series`, async (ctx) => {
      const fractions = new Map<number, number>();
      const report = () => ctx.progress([...fractions.values()].reduce((a, b) => a + b, 0) / seriesIds.length);
      const timings: Record<string, number> = {};
      let next = 0;
      const lane = async () => {
        while (next < seriesIds.length) {
          const seriesId = seriesIds[next++];
          const values = store.loadValues(seriesId);
          const result = await runTask(
            'detect',
            { detectorId: detector.id, params: params as Record<string, unknown>, values },
            {
              signal: ctx.signal,
              onProgress: (f) => {
                fractions.set(seriesId, f);
                report();
              },
            },
          );
          store.runs.saveSeriesResult(runId, seriesId, result.scores, result.intervals);
          timings[`series_${seriesId}_s`] = result.seconds;
          fractions.set(seriesId, 1);
          report();
        }
      };
      await Promise.all(Array.from({ length: concurrency }, lane));
      return timings;
    });
    job.done.then(
      (timings) => {
        store.runs.finish(runId, 'done', { timings: { ...timings, total_s: (Date.now() - started) / 1000 } });
        this.emit({ type: 'projectChanged', reason: 'runs' });
      },
      (err: unknown) => {
        if (!store.db.open) return;
        store.runs.finish(runId, isCancelled(err) ? 'cancelled' : 'failed', {
          error: isCancelled(err) ? null : toErrorData(err).message,
          timings: { total_s: (Date.now() - started) / 1000 },
        });
        this.emit({ type: 'projectChanged', reason: 'runs' });
      },
    );
    return { jobId: job.id, runId };
  }

  /** Every metric of a run against the current labels, per series and overall. */
  evaluateRun(store: ProjectStore, runId: number, seriesIds?: number[]): RunEvaluation {
    const run = store.runs.get(runId);
    const ids = seriesIds ?? run.seriesIds;
    const names = new Map(store.listSeries().map((s) => [s.id, s.name]));
    const perSeries = ids.map((seriesId) => {
      const scores = store.runs.loadScores(runId, seriesId);
      if (!scores)
        throw new WorkbenchError('not_found', `Run ${runId} has no scores for series ${seriesId}.`, { runId, seriesId });
      const labels = store.listLabels(seriesId);
      const predicted = store.runs.predictions({ runId, seriesId });
      const metrics: MetricValues = evaluateSeries(store.loadValues(seriesId), scores, labels, predicted);
      return { seriesId, seriesName: names.get(seriesId) ?? String(seriesId), labelCount: labels.length, metrics };
    });
    return { runId, detector: run.detector, perSeries, overall: aggregateEvaluations(perSeries.map((s) => s.metrics)) };
  }
}
