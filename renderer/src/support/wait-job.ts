import type { JobInfo, WorkbenchApi } from '../../../common/contract';

/**
 * Resolves with a job's final state (done, failed or cancelled). Listens to job events and also asks
 * once, so a job that finished before the listener was attached is not waited on forever.
 */
export function waitForJob(api: Pick<WorkbenchApi, 'onEvent' | 'listJobs'>, jobId: string): Promise<JobInfo> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const check = async () => {
      try {
        const job = (await api.listJobs({})).find((j) => j.id === jobId);
        if (!job) throw new Error(`Job ${jobId} is not known to the backend.`);
        if (job.state !== 'running' && !settled) {
          settled = true;
          off();
          resolve(job);
        }
      } catch (err) {
        if (!settled) {
          settled = true;
          off();
          reject(err as Error);
        }
      }
    };
    const off = api.onEvent((event) => {
      if (event.type === 'jobProgress' && event.jobId === jobId && event.state !== 'running') void check();
    });
    void check();
  });
}
