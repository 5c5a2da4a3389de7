export { JobManager } from './job-manager';
export type { JobContext, JobInfo } from './job-manager';
export { runTask, runTasks, workerCount } from './worker-pool';
