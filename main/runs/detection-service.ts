import os from 'node:os';
import { clearInterval, setInterval } from 'node:timers';
import type { JobStarted, WorkbenchEvent } from '../../common/contract';
import type { DetectorInfo, MetricValues, RunEvaluation } from '../../common/detection';
import { isCancelled, toErrorData, WorkbenchError } from '../../common/errors';
import { getDetector, listDetectorInfos, validateParams } from '../detectors';
import { loadModel, modelDetector, parseScales, type ModelEntry, type ModelRoots, type ProviderName } from '../inference';
import {
  isModelDetectorId,
  listModelDetectorInfos,
  modelDetectorInfo,
  providerPreference,
  resolveModelDetector,
} from './model-detectors';
import { evaluateSeries, aggregateEvaluations } from './evaluate';
import type { JobManager } from '../jobs';
import { runTask, workerCount } from '../jobs';
import { assertCompleteRun, type ProjectStore } from '../store';
import { HEARTBEAT_EVERY_MS } from '../store/owner';
import { pausePoint } from '../testing/pause-point';
import { resolveVerifier, TWO_STAGE_ID, twoStageInfo, type VerifierRoots } from '../verify';
import { isVlmDetectorId, listVlmDetectorInfos, startVlmDetection } from './vlm-detectors';

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
    /** where `model:` detectors are found (bundled and the user's models) */
    private readonly models: ModelRoots = {},
    /** where the two-stage detector's verifiers are found (bundled and retrained) */
    private readonly verifiers: VerifierRoots = {},
  ) {}

  /** model + provider preference → the provider that actually loads (probed once: a failing GPU probe takes seconds) */
  private readonly providerProbes = new Map<string, Promise<{ provider: ProviderName; fallbackReason?: string }>>();

  private probeProvider(entry: ModelEntry, preference: string) {
    const key = `${entry.id}|${preference}`;
    let probe = this.providerProbes.get(key);
    if (!probe) {
      probe = (async () => {
        const model = await loadModel(entry.modelPath, {
          card: entry.card,
          provider: providerPreference({ provider: preference }),
        });
        await model.release();
        return {
          provider: model.provider,
          ...(model.fallbackReason !== undefined ? { fallbackReason: model.fallbackReason } : {}),
        };
      })();
      probe.catch(() => this.providerProbes.delete(key));
      this.providerProbes.set(key, probe);
    }
    return probe;
  }

  /** The classical suite, then every learned model version (`model:NAME@VERSION`). */
  async listDetectors(): Promise<DetectorInfo[]> {
    return [
      twoStageInfo(),
      ...listDetectorInfos(),
      ...(await listModelDetectorInfos(this.models)),
      ...(await listVlmDetectorInfos(this.models)),
    ];
  }

  /** The detector's manifest entry and validated parameters; a `model:NAME` id is pinned to its newest version. */
  private async resolveDetector(
    id: string,
    rawParams: Record<string, unknown>,
  ): Promise<{
    info: DetectorInfo;
    params: Record<string, unknown>;
    version: string;
    /** what the workers get: for a model, the provider already chosen (workers need not probe again) */
    workerParams: Record<string, unknown>;
    execution: Record<string, unknown>;
    /** the model version a `model:` id resolved to */
    model?: ModelEntry;
  }> {
    if (id === TWO_STAGE_ID) {
      const info = twoStageInfo();
      const params = validateParams(info, rawParams);
      // pin the verifier to its exact version here, so every worker uses the same one and the run says which
      let verifier: Record<string, unknown>;
      let workerParams = params;
      try {
        const entry = resolveVerifier(String(params.verifier), this.verifiers);
        verifier = { verifier: entry.id, verifierSha256: entry.card.onnx.sha256 };
        workerParams = { ...params, verifier: entry.id };
      } catch (err) {
        verifier = { verifierError: toErrorData(err).message };
      }
      return { info, params, version: RUN_RECORD_VERSION, workerParams, execution: verifier };
    }
    if (!isModelDetectorId(id)) {
      const detector = getDetector(id);
      const info = listDetectorInfos().find((d) => d.id === detector.id) as DetectorInfo;
      const params = validateParams(detector, rawParams);
      return { info, params, version: RUN_RECORD_VERSION, workerParams: params, execution: {} };
    }
    const entry = await resolveModelDetector(id, this.models);
    const info = modelDetectorInfo(entry, await modelDetector(entry.id, this.models));
    const params = validateParams(info, rawParams);
    if (typeof params.scales === 'string') parseScales(params.scales); // a bad list fails here, not in every worker
    const probe = await this.probeProvider(entry, String(params.provider));
    return {
      info,
      params,
      version: entry.version,
      workerParams: { ...params, provider: probe.provider },
      execution: { model: entry.id, requestedProvider: params.provider, ...probe },
      model: entry,
    };
  }

  /**
   * Takes an interrupted (or failed, cancelled) run up again in this process and scores only the series it
   * is missing, with the detector and parameters it was started with: the finished run is the same as one
   * that was never interrupted.
   */
  async resumeRun(store: ProjectStore, runId: number): Promise<JobStarted & { runId: number }> {
    const run = store.runs.get(runId);
    if (run.status === 'running')
      throw new WorkbenchError('conflict', `Run ${runId} is still running (pid ${run.owner?.pid} on ${run.owner?.host}).`, {
        runId,
      });
    if (run.missingSeriesIds.length === 0)
      throw new WorkbenchError(
        'conflict',
        `Run ${runId} covers all ${run.plannedSeriesIds.length} of its series: nothing to resume.`,
        {
          runId,
        },
      );
    if (run.detector.startsWith('vlm:'))
      throw new WorkbenchError('unsupported', `Run ${runId} asked a vision-language model; run it again with \`tsad vlm\`.`, {
        runId,
      });
    const resolved = await this.resolveDetector(run.detector, run.params);
    if (resolved.version !== run.detectorVersion)
      throw new WorkbenchError(
        'conflict',
        `Run ${runId} was made with ${run.detector} version ${run.detectorVersion}; this workbench has ${resolved.version}, so resuming would mix two versions. Start a new run.`,
        { runId },
      );
    const missing = store.runs.claim(runId);
    return this.score(store, runId, resolved, missing, run.seriesIds.length);
  }

  async startRun(
    store: ProjectStore,
    input: { detector: string; params?: Record<string, unknown>; seriesIds?: number[] },
  ): Promise<JobStarted & { runId: number }> {
    store.assertWritable();
    if (isVlmDetectorId(input.detector))
      return startVlmDetection(store, this.jobs, this.emit, this.models, { ...input, params: input.params ?? {} });
    const resolved = await this.resolveDetector(input.detector, input.params ?? {});
    const { info: detector, params, version, execution, model } = resolved;
    const seriesIds = input.seriesIds ?? store.listSeries().map((s) => s.id);
    if (seriesIds.length === 0) throw new WorkbenchError('invalid_input', 'The project has no series to run a detector on.');
    const names = new Map(store.listSeries().map((s) => [s.id, s.name]));
    for (const id of seriesIds) {
      if (!names.has(id)) throw new WorkbenchError('not_found', `No series with id ${id} in this project.`, { seriesId: id });
    }
    const concurrency = Math.min(workerCount(), seriesIds.length);
    const modelId =
      model === undefined
        ? null
        : store.runs.recordModel({
            name: model.name,
            version: model.version,
            path: model.modelPath,
            sha256: model.card.onnx.sha256 ?? null,
            card: model.card,
          });
    const runId = store.runs.create({
      detector: detector.id,
      detectorVersion: version,
      params,
      modelId,
      seriesIds,
      execution: {
        engine: 'worker_threads',
        workers: concurrency,
        cpu: os.cpus()[0]?.model ?? 'unknown',
        cores: os.cpus().length,
        ...execution,
      },
    });
    pausePoint('detect:run-created');
    return this.score(store, runId, resolved, seriesIds, 0);
  }

  /** Scores `seriesIds` for the run as a job, then closes the run (`already`: series it had finished before). */
  private score(
    store: ProjectStore,
    runId: number,
    resolved: Awaited<ReturnType<DetectionService['resolveDetector']>>,
    seriesIds: number[],
    already: number,
  ): JobStarted & { runId: number } {
    const { info: detector, workerParams } = resolved;
    const concurrency = Math.min(workerCount(), seriesIds.length);
    this.emit({ type: 'projectChanged', reason: 'runs' });
    const started = Date.now();
    const executions: Record<string, unknown>[] = [];
    // the owner's sign of life: a run whose heartbeat stops (another host, a reused pid) reads as interrupted
    const heartbeat = setInterval(() => {
      if (store.isOpen) store.runs.heartbeat(runId);
    }, HEARTBEAT_EVERY_MS);
    heartbeat.unref();
    const title =
      already > 0
        ? `Resume ${detector.name} on ${seriesIds.length} more series`
        : `${detector.name} on ${seriesIds.length} series`;
    const job = this.jobs.start('detect', title, async (ctx) => {
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
            { detectorId: detector.id, params: workerParams, values, models: this.models, verifiers: this.verifiers },
            {
              signal: ctx.signal,
              onProgress: (f) => {
                fractions.set(seriesId, f);
                report();
              },
            },
          );
          await retryWhileBusy(() => store.runs.saveSeriesResult(runId, seriesId, result.scores, result.intervals), ctx.signal);
          pausePoint('detect:series-saved');
          timings[`series_${seriesId}_s`] = result.seconds;
          if (result.execution) executions.push(result.execution);
          fractions.set(seriesId, 1);
          report();
        }
      };
      await Promise.all(Array.from({ length: concurrency }, lane));
      return timings;
    });
    const previous = already > 0 ? store.runs.get(runId).timings : {};
    job.done.then(
      (timings) => {
        clearInterval(heartbeat);
        store.runs.finish(runId, 'done', {
          timings: {
            ...previous,
            ...timings,
            total_s: (Date.now() - started) / 1000 + (already > 0 ? (previous.total_s ?? 0) : 0),
          },
          ...(executions.length > 0 ? { execution: summarizeExecutions(executions) } : {}),
        });
        this.emit({ type: 'projectChanged', reason: 'runs' });
      },
      (err: unknown) => {
        clearInterval(heartbeat);
        if (!store.isOpen) return;
        store.runs.finish(runId, isCancelled(err) ? 'cancelled' : 'failed', {
          error: isCancelled(err) ? null : toErrorData(err).message,
          timings: { total_s: (Date.now() - started) / 1000 },
        });
        this.emit({ type: 'projectChanged', reason: 'runs' });
      },
    );
    return { jobId: job.id, runId };
  }

  /**
   * Every metric of a run against the current labels, per series and overall. A running or interrupted
   * run (or one missing series) is refused unless `allowPartial`: its metrics would look final.
   */
  evaluateRun(store: ProjectStore, runId: number, seriesIds?: number[], allowPartial?: boolean): RunEvaluation {
    const run = store.runs.get(runId);
    assertCompleteRun(run, allowPartial, 'evaluate with --allow-partial (in the app: "Evaluate partial")');
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
    return {
      runId,
      detector: run.detector,
      perSeries,
      overall: aggregateEvaluations(perSeries.map((s) => s.metrics)),
      ...(isPartial(run) ? { partial: { seriesIds: run.seriesIds, missingSeriesIds: run.missingSeriesIds } } : {}),
    };
  }
}

function isPartial(run: { status: string; missingSeriesIds: number[] }): boolean {
  return run.status !== 'done' || run.missingSeriesIds.length > 0;
}

/**
 * Runs a synchronous store write, waiting (without blocking the event loop) while another connection of
 * this process holds the write lock, e.g. an import committing in a worker. Gives up after a minute.
 */
async function retryWhileBusy<T>(write: () => T, signal?: AbortSignal): Promise<T> {
  for (let waited = 0; ; waited += 50) {
    try {
      return write();
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const busy = typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
      if (!busy || waited >= 60_000 || signal?.aborted) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * What ran, for the run record: the provider(s) that actually executed (one per series worker; they agree
 * unless a provider failed in one worker only), any fallback reason, and the inference seconds in total.
 */
function summarizeExecutions(executions: Record<string, unknown>[]): Record<string, unknown> {
  if (executions.some((e) => typeof e.stage === 'string')) return summarizeStages(executions);
  const providers = [...new Set(executions.map((e) => String(e.provider)))];
  const reasons = [...new Set(executions.map((e) => e.fallbackReason).filter((r): r is string => typeof r === 'string'))];
  const seconds = executions.reduce((a, e) => a + (typeof e.seconds === 'number' ? e.seconds : 0), 0);
  return {
    provider: providers.join(', '),
    ...(reasons.length > 0 ? { fallbackReason: reasons.join(' | ') } : {}),
    inference_s: seconds,
    batchSize: executions[0]?.batchSize,
    stride: executions[0]?.stride,
    windows: executions.reduce((a, e) => a + (typeof e.windows === 'number' ? e.windows : 0), 0),
  };
}

/** What the two-stage detector did over the series: the stage each ran (verified or screening only, and why), candidates and kept intervals. */
function summarizeStages(executions: Record<string, unknown>[]): Record<string, unknown> {
  const stages = [...new Set(executions.map((e) => String(e.stage)))];
  const errors = [...new Set(executions.map((e) => e.verifierError).filter((r): r is string => typeof r === 'string'))];
  const sum = (key: string) => executions.reduce((a, e) => a + (typeof e[key] === 'number' ? e[key] : 0), 0);
  const verifiers = [...new Set(executions.map((e) => e.verifier).filter((v): v is string => typeof v === 'string'))];
  return {
    stage: stages.join(', '),
    ...(verifiers.length > 0 ? { verifier: verifiers.join(', ') } : {}),
    ...(errors.length > 0
      ? { verifierError: errors.join(' | '), note: 'the verifier could not be used: screening intervals only' }
      : {}),
    candidates: sum('candidates'),
    kept: sum('kept'),
  };
}
