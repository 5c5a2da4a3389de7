/**
 * Errors cross process boundaries as data: a closed set of codes, a message that names the problem
 * and where it is, and optional structured details (file, row, column, parameter...).
 */
export const ERROR_CODES = [
  'invalid_input',
  'not_found',
  'unsupported',
  'parse_error',
  'io_error',
  'conflict',
  'no_project',
  'cancelled',
  'unauthorized',
  /** another process or job is writing the project right now: try again */
  'busy',
  /** the project (or the output) is on read-only media, or another process holds the project's write lock */
  'read_only',
  /** ENOSPC / SQLITE_FULL: the disk is full */
  'disk_full',
  /** EFBIG: a file size limit was reached */
  'file_too_large',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorData {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export class WorkbenchError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'WorkbenchError';
    this.code = code;
    this.details = details;
  }

  toData(): ErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** Turns anything thrown into error data that can cross a process boundary. */
export function toErrorData(err: unknown): ErrorData {
  if (err instanceof WorkbenchError) return err.toData();
  if (isErrorData(err)) return err;
  const system = systemErrorData(err);
  if (system) return system;
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message };
}

/**
 * Disk and database conditions that are not bugs (a full disk, a file size limit, read-only media, a
 * database another writer holds) as their own codes, from a Node `fs` error (`code`, `path`) or a SQLite
 * error (`SQLITE_…` code). `file` names the file when the error itself does not (SQLite errors never do).
 */
export function systemErrorData(err: unknown, file?: string): ErrorData | null {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  if (typeof code !== 'string') return null;
  const errPath = (err as { path?: unknown }).path;
  const where = typeof errPath === 'string' ? errPath : (file ?? 'the project file');
  const details = { path: where, cause: code };
  if (code === 'ENOSPC' || code.startsWith('SQLITE_FULL'))
    return {
      code: 'disk_full',
      message: `The disk holding ${where} is full: the change was not written. Free some space and try again.`,
      details,
    };
  if (code === 'EFBIG')
    return {
      code: 'file_too_large',
      message: `${where} cannot grow: the file size limit was reached, so the change was not written.`,
      details,
    };
  if (code === 'EROFS' || code.startsWith('SQLITE_READONLY'))
    return {
      code: 'read_only',
      message: `${where} is read-only (read-only media, or another process is writing the project): the change was not written.`,
      details,
    };
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return {
      code: 'busy',
      message: `${where} is busy: another process or job is writing it. Try again in a moment.`,
      details,
    };
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO')
    return { code: 'io_error', message: `Cannot read or write ${where} (${code}).`, details };
  return null;
}

export function isErrorData(value: unknown): value is ErrorData {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorData).code === 'string' &&
    (ERROR_CODES as readonly string[]).includes((value as ErrorData).code) &&
    typeof (value as ErrorData).message === 'string'
  );
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorData };

export function isCancelled(err: unknown): boolean {
  return err instanceof WorkbenchError && err.code === 'cancelled';
}

export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new WorkbenchError('cancelled', `${what} was cancelled`);
}
