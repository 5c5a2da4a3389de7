import crypto from 'node:crypto';
import type { JobInfo, JobProgressEvent } from '../../common/contract';
import { isCancelled, WorkbenchError } from '../../common/errors';
import { safeErrorData } from '../security/safe-error';

export type { JobInfo };

export interface JobContext {
  signal: AbortSignal;
  progress(fraction: number, message?: string): void;
}

/**
 * Long work runs as jobs: each has an id, reports progress as events (throttled), can be cancelled
 * through its AbortSignal, and ends done, failed or cancelled. The job body decides where the heavy
 * part runs (worker threads, DuckDB's own threads); the manager never blocks the caller.
 */
export class JobManager {
  private readonly jobs = new Map<string, { info: JobInfo; controller: AbortController; done: Promise<unknown> }>();

  constructor(private readonly emit: (event: JobProgressEvent) => void) {}

  start<T>(kind: string, title: string, body: (ctx: JobContext) => Promise<T>): { id: string; done: Promise<T> } {
    const id = crypto.randomUUID();
    const controller = new AbortController();
    const info: JobInfo = {
      id,
      kind,
      title,
      state: 'running',
      fraction: 0,
      message: title,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      error: null,
      result: null,
    };
    let lastEmit = 0;
    const send = () =>
      this.emit({ type: 'jobProgress', jobId: id, kind, state: info.state, fraction: info.fraction, message: info.message });
    const ctx: JobContext = {
      signal: controller.signal,
      progress: (fraction, message) => {
        info.fraction = Math.max(0, Math.min(1, fraction));
        if (message) info.message = message;
        const now = Date.now();
        if (now - lastEmit >= 100) {
          lastEmit = now;
          send();
        }
      },
    };
    send();
    const done = (async () => {
      try {
        const result = await body(ctx);
        if (controller.signal.aborted) throw new WorkbenchError('cancelled', `${title} was cancelled.`);
        info.state = 'done';
        info.fraction = 1;
        info.result = result;
        return result;
      } catch (err) {
        info.state = isCancelled(err) || controller.signal.aborted ? 'cancelled' : 'failed';
        info.error = info.state === 'cancelled' ? { code: 'cancelled', message: `${title} was cancelled.` } : safeErrorData(err);
        info.message = info.error.message;
        throw err;
      } finally {
        info.finishedAt = new Date().toISOString();
        send();
      }
    })();
    done.catch(() => undefined); // observed through the job's state; callers may also await `done`
    this.jobs.set(id, { info, controller, done });
    return { id, done };
  }

  cancel(id: string): JobInfo {
    const job = this.jobs.get(id);
    if (!job) throw new WorkbenchError('not_found', `No job with id ${id}.`, { jobId: id });
    if (job.info.state === 'running') job.controller.abort();
    return { ...job.info };
  }

  get(id: string): JobInfo {
    const job = this.jobs.get(id);
    if (!job) throw new WorkbenchError('not_found', `No job with id ${id}.`, { jobId: id });
    return { ...job.info };
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => ({ ...j.info }));
  }

  /** Waits for a job to end; resolves with its final info whatever the outcome. */
  async wait(id: string): Promise<JobInfo> {
    const job = this.jobs.get(id);
    if (!job) throw new WorkbenchError('not_found', `No job with id ${id}.`, { jobId: id });
    await job.done.catch(() => undefined);
    return { ...job.info };
  }

  cancelAll(): void {
    for (const j of this.jobs.values()) if (j.info.state === 'running') j.controller.abort();
  }
}
