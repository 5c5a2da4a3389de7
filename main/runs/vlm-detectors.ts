import type { JobStarted, WorkbenchEvent } from '../../common/contract';
import type { DetectorInfo } from '../../common/detection';
import { WorkbenchError } from '../../common/errors';
import { validateParams } from '../detectors';
import type { ModelRoots } from '../inference';
import { listVlms, loadVlm, resolveVlm, type VlmEntry } from '../inference/vlm';
import type { JobManager } from '../jobs';
import type { ProjectStore } from '../store';
import { createVlmRun, localVlmClient, runVlm } from '../vlm';

/** The bundled plot VLMs as detectors of the runs panel: `vlm:NAME@VERSION`, run in this process. */
export const isVlmDetectorId = (id: string) => id.startsWith('vlm:');

function vlmInfo(entry: VlmEntry): DetectorInfo {
  return {
    id: `vlm:${entry.id}`,
    name: `${entry.id} (plot VLM)`,
    description:
      'The bundled vision-language model reads a 1000×150 plot of each window and writes AnomSeer answers ' +
      '(intervals, class, a checked <think>); each interval keeps what the model saw: image, prompt, raw output.',
    params: {
      overlap: {
        type: 'integer',
        default: 200,
        min: 0,
        max: 900,
        description: 'points shared by neighbouring windows of 1000 (an anomaly on a border is seen whole once)',
      },
    },
    randomized: false,
    kind: 'vlm',
  };
}

export async function listVlmDetectorInfos(roots: ModelRoots): Promise<DetectorInfo[]> {
  return (await listVlms(roots)).map(vlmInfo);
}

/**
 * Starts a VLM run as a job: the model is loaded (hashes checked) and the run recorded before this
 * returns, so a missing or damaged model is an error here, not a failed run; the job asks the model
 * about every window (main/vlm/vlm-run.ts) and closes the run as done, failed or cancelled.
 */
export async function startVlmDetection(
  store: ProjectStore,
  jobs: JobManager,
  emit: (event: WorkbenchEvent) => void,
  roots: ModelRoots,
  input: { detector: string; params: Record<string, unknown>; seriesIds?: number[] },
): Promise<JobStarted & { runId: number }> {
  const entry = await resolveVlm(input.detector.slice('vlm:'.length), roots);
  const info = vlmInfo(entry);
  const params = validateParams(info, input.params);
  const seriesIds = input.seriesIds ?? store.listSeries().map((s) => s.id);
  if (seriesIds.length === 0) throw new WorkbenchError('invalid_input', 'The project has no series to run a detector on.');
  const known = new Set(store.listSeries().map((s) => s.id));
  for (const id of seriesIds)
    if (!known.has(id)) throw new WorkbenchError('not_found', `No series with id ${id} in this project.`, { seriesId: id });
  const model = await loadVlm(entry.dir, { threads: 2 });
  const client = localVlmClient(model);
  const opts = { format: 'anomseer' as const, overlap: Number(params.overlap), seriesIds };
  let runId: number;
  try {
    runId = createVlmRun(store, client, opts);
  } catch (err) {
    await model.release();
    throw err;
  }
  emit({ type: 'projectChanged', reason: 'runs' });
  const job = jobs.start('detect', `${info.name} on ${seriesIds.length} series`, async (ctx) =>
    runVlm(store, client, { ...opts, runId, signal: ctx.signal, progress: (f) => ctx.progress(f) }),
  );
  const settle = () => {
    void model.release();
    if (store.isOpen) emit({ type: 'projectChanged', reason: 'runs' });
  };
  job.done.then(settle, settle);
  return { jobId: job.id, runId };
}
