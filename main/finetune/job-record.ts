import fs from 'node:fs';
import path from 'node:path';
import type { FinetuneJob, FinetuneRecord } from '../../common/detection';
import { ownerGone, thisOwner } from '../store/owner';
import { tempPath } from '../store/temp-files';

/**
 * A fine-tune's lifecycle on disk: `job.json` in its folder under the state folder's finetune/ (beside the
 * exported data/), written while it runs and refreshed as a heartbeat, so a process that ends before the
 * version is registered (SIGKILL, a crash, a power cut) leaves a record that the next listing turns into
 * `interrupted`. A finished fine-tune removes its job file (the version's finetune.json says the rest).
 */
export const FINETUNE_JOB_FILE = 'job.json';
const FORMAT = 'tsad-finetune-job-v1';

export interface FinetuneJobFile {
  format: typeof FORMAT;
  base: string;
  /** NAME@VERSION being written */
  model: string;
  quick: boolean;
  status: FinetuneJob['status'];
  owner: { pid: number; host: string };
  startedAt: string;
  heartbeatAt: string;
  message: string | null;
  record: FinetuneRecord;
}

export function jobFilePath(jobDir: string): string {
  return path.join(jobDir, FINETUNE_JOB_FILE);
}

/** Writes the job file under a fresh temporary name, then renames it: a reader sees the old or the new one. */
export function writeJobFile(jobDir: string, job: FinetuneJobFile): void {
  const file = jobFilePath(jobDir);
  const tmp = tempPath(file, 'partial');
  fs.writeFileSync(tmp, `${JSON.stringify(job, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

export function newJobFile(
  fields: Omit<FinetuneJobFile, 'format' | 'status' | 'owner' | 'startedAt' | 'heartbeatAt' | 'message'>,
): FinetuneJobFile {
  const now = new Date().toISOString();
  return { format: FORMAT, ...fields, status: 'running', owner: thisOwner(), startedAt: now, heartbeatAt: now, message: null };
}

function readJobFile(jobDir: string): FinetuneJobFile | null {
  try {
    const json = JSON.parse(fs.readFileSync(jobFilePath(jobDir), 'utf8')) as Partial<FinetuneJobFile>;
    return json.format === FORMAT ? (json as FinetuneJobFile) : null;
  } catch {
    return null;
  }
}

/** Whether a running job's process has certainly ended (this host: pid gone; any host: a stale heartbeat). */
export function jobOwnerGone(job: FinetuneJobFile): boolean {
  return job.status === 'running' && ownerGone({ ...job.owner, heartbeatAt: job.heartbeatAt });
}

/**
 * The unfinished fine-tunes under `workDir` (one folder each), newest first. A running one whose owner is
 * gone is rewritten as interrupted (where the folder is writable), with a message saying so.
 */
export function readJobs(workDir: string): { id: string; dir: string; job: FinetuneJobFile }[] {
  let names: string[];
  try {
    names = fs.readdirSync(workDir);
  } catch {
    return [];
  }
  const jobs: { id: string; dir: string; job: FinetuneJobFile }[] = [];
  for (const id of names) {
    const dir = path.join(workDir, id);
    const job = readJobFile(dir);
    if (job === null) continue;
    if (jobOwnerGone(job)) {
      job.status = 'interrupted';
      job.message =
        `The fine-tune of ${job.base} was interrupted: process ${job.owner.pid} on ${job.owner.host} ended before ` +
        `${job.model} was trained; nothing was registered. Resume trains it again from the same data, or delete it.`;
      try {
        writeJobFile(dir, job);
      } catch {
        // a read-only state folder: shown as interrupted all the same
      }
    }
    jobs.push({ id, dir, job });
  }
  return jobs.sort((a, b) => (a.job.startedAt < b.job.startedAt ? 1 : a.job.startedAt > b.job.startedAt ? -1 : 0));
}

export function toFinetuneJob(id: string, job: FinetuneJobFile): FinetuneJob {
  return {
    id,
    base: job.base,
    model: job.model,
    project: job.record.project,
    status: job.status,
    startedAt: job.startedAt,
    owner: job.owner,
    message: job.message,
  };
}
