import { type ErrorData, toErrorData } from '../../common/errors';
import { storageError } from '../store/storage-errors';
import { redactSecrets } from './redact';

/**
 * What crosses a boundary (an error envelope, a job's error, stderr) for anything thrown: disk and
 * database conditions as their own codes naming `file`, and no secret in the message or details.
 */
export function safeErrorData(err: unknown, file?: string): ErrorData {
  const data = toErrorData(storageError(err, file) ?? err);
  const message = redactSecrets(data.message);
  if (data.details === undefined) return { code: data.code, message };
  let details = data.details;
  try {
    details = JSON.parse(redactSecrets(JSON.stringify(data.details))) as Record<string, unknown>;
  } catch {
    details = {};
  }
  return { code: data.code, message, details };
}
