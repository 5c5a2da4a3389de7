import os from 'node:os';

/** Who holds something (a run, a temporary file, a project's write lock): a process on a host. */
export interface Owner {
  pid: number;
  host: string;
  /** ISO time of the last sign of life, when the owner leaves one */
  heartbeatAt?: string | null;
}

/** An owner silent for longer than this is gone even when its pid is in use (a reused pid, another host). */
export const HEARTBEAT_STALE_MS = 10 * 60 * 1000;
/** How often a live owner refreshes its heartbeat. */
export const HEARTBEAT_EVERY_MS = 15 * 1000;

export function thisOwner(): { pid: number; host: string } {
  return { pid: process.pid, host: os.hostname() };
}

export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the owner is certainly gone: on this host its pid is no longer running; on any host, its
 * heartbeat is older than HEARTBEAT_STALE_MS. An owner on another host without a heartbeat is kept.
 */
export function ownerGone(owner: Owner | null, now = Date.now()): boolean {
  if (owner === null) return true;
  if (owner.host === os.hostname() && !pidAlive(owner.pid)) return true;
  if (owner.heartbeatAt) {
    const at = Date.parse(owner.heartbeatAt);
    if (Number.isFinite(at) && now - at > HEARTBEAT_STALE_MS) return true;
  }
  return false;
}
