import fs from 'node:fs';
import path from 'node:path';
import { clearInterval, setInterval } from 'node:timers';
import { HEARTBEAT_EVERY_MS, ownerGone, thisOwner } from './owner';

/** Who holds a project's write lock. */
export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  heartbeatAt: string;
  /** what the process is: `tsad serve`, `tsad detect`, the desktop app */
  command: string;
}

export type LockResult =
  { kind: 'held'; release: () => void } | { kind: 'taken'; holder: LockHolder } | { kind: 'unavailable'; reason: string };

/**
 * The project's advisory write lock (option (b) of issue 23): one process writes a project at a time; a
 * second one opens it read-only and is told who holds it. The lock is a small JSON file beside the
 * project (`NAME-lock`, like SQLite's -wal and -shm) created with O_EXCL. A lock whose owner is gone (its
 * pid ended on this host, or its heartbeat is older than HEARTBEAT_STALE_MS) is taken over. Threads of
 * the holding process (import and export workers) share their process's lock.
 */
const held = new Map<string, { count: number; owned: boolean; timer: NodeJS.Timeout | null }>();

export function lockPathOf(projectPath: string): string {
  return `${projectPath}-lock`;
}

function describeCommand(): string {
  const arg = process.argv[2];
  if (process.versions.electron) return 'the TSAD Workbench desktop app';
  return arg && /^[a-z-]+$/.test(arg) ? `tsad ${arg}` : path.basename(process.argv[1] ?? process.argv0);
}

export function readLock(projectPath: string): LockHolder | null {
  try {
    const data = JSON.parse(fs.readFileSync(lockPathOf(projectPath), 'utf8')) as Partial<LockHolder>;
    if (typeof data.pid !== 'number' || typeof data.host !== 'string') return null;
    return {
      pid: data.pid,
      host: data.host,
      startedAt: String(data.startedAt ?? ''),
      heartbeatAt: String(data.heartbeatAt ?? data.startedAt ?? ''),
      command: String(data.command ?? 'another process'),
    };
  } catch {
    return null;
  }
}

export function describeHolder(h: LockHolder): string {
  return `${h.command} (pid ${h.pid} on ${h.host}, since ${h.startedAt})`;
}

export function acquireLock(projectPath: string): LockResult {
  const abs = path.resolve(projectPath);
  const file = lockPathOf(abs);
  const mine = held.get(abs);
  const release = () => releaseLock(abs);
  if (mine) {
    mine.count++;
    return { kind: 'held', release };
  }
  const me = thisOwner();
  for (let attempt = 0; attempt < 4; attempt++) {
    const now = new Date().toISOString();
    const holder: LockHolder = { ...me, startedAt: now, heartbeatAt: now, command: describeCommand() };
    try {
      fs.writeFileSync(file, JSON.stringify(holder), { flag: 'wx', mode: 0o644 });
      const timer = setInterval(() => {
        try {
          fs.writeFileSync(file, JSON.stringify({ ...holder, heartbeatAt: new Date().toISOString() }));
        } catch {
          // the folder went away or read-only: the lock reads as stale later, which is right
        }
      }, HEARTBEAT_EVERY_MS);
      timer.unref();
      held.set(abs, { count: 1, owned: true, timer });
      return { kind: 'held', release };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') return { kind: 'unavailable', reason: `cannot write ${file} (${code ?? 'error'})` };
    }
    const other = readLock(abs);
    if (other === null) {
      // half-written by a process killed between create and write, or just removed: look again
      if (attempt >= 2) removeStale(file);
      continue;
    }
    if (other.pid === me.pid && other.host === me.host) {
      // a worker thread of the holding process, or a lock this process left earlier
      held.set(abs, { count: 1, owned: false, timer: null });
      return { kind: 'held', release };
    }
    if (!ownerGone({ pid: other.pid, host: other.host, heartbeatAt: other.heartbeatAt })) return { kind: 'taken', holder: other };
    removeStale(file);
  }
  const other = readLock(abs);
  return other ? { kind: 'taken', holder: other } : { kind: 'unavailable', reason: `cannot take ${file}` };
}

/** Moves a stale lock out of the way under a unique name first, so two processes recovering it do not both win. */
function removeStale(file: string): void {
  const aside = `${file}.stale-${process.pid}-${Date.now().toString(36)}`;
  try {
    fs.renameSync(file, aside);
    fs.rmSync(aside, { force: true });
  } catch {
    // another process recovered it first
  }
}

function releaseLock(abs: string): void {
  const mine = held.get(abs);
  if (!mine) return;
  if (--mine.count > 0) return;
  held.delete(abs);
  if (mine.timer) clearInterval(mine.timer);
  if (!mine.owned) return;
  const current = readLock(abs);
  if (current && current.pid === process.pid) fs.rmSync(lockPathOf(abs), { force: true });
}
