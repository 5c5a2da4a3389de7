import fs from 'node:fs';
import path from 'node:path';
import { systemErrorData, WorkbenchError } from '../../common/errors';

/** The process's file size limit (RLIMIT_FSIZE) in bytes, or null when unlimited or unknown (not Linux). */
function fileSizeLimit(): number | null {
  try {
    const line = fs
      .readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max file size'));
    const soft = line?.slice('Max file size'.length).trim().split(/\s+/)[0];
    return soft === undefined || soft === 'unlimited' ? null : Number(soft);
  } catch {
    return null;
  }
}

function freeBytes(file: string): number | null {
  try {
    const s = fs.statfsSync(path.dirname(file));
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

/**
 * A disk or database condition as a WorkbenchError that names `file` (see systemErrorData), or null when
 * `err` is something else. SQLite reports a failed write (EFBIG from a file size limit, and on some file
 * systems ENOSPC) only as SQLITE_IOERR_WRITE; the free space and the size limit tell which it was.
 */
export function storageError(err: unknown, file?: string): WorkbenchError | null {
  if (err instanceof WorkbenchError) return null;
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  let refined: unknown = err;
  if (code === 'SQLITE_IOERR_WRITE' || code === 'SQLITE_IOERR_TRUNCATE' || code === 'SQLITE_IOERR_FSYNC') {
    const free = file ? freeBytes(file) : null;
    if (free !== null && free < 1 << 20) refined = { code: 'ENOSPC' };
    else if (fileSizeLimit() !== null) refined = { code: 'EFBIG' };
  }
  const data = systemErrorData(refined, file);
  return data ? new WorkbenchError(data.code, data.message, data.details) : null;
}

/** Runs `fn`, turning a disk or database condition into its WorkbenchError (naming `file`). */
export function withStorageErrors<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw storageError(err, file) ?? err;
  }
}
