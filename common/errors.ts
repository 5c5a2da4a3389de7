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
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message };
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
