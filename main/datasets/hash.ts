import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { WorkbenchError } from '../../common/errors';

function hashError(path: string, err: NodeJS.ErrnoException): WorkbenchError {
  if (err instanceof WorkbenchError) return err;
  if (err.code === 'ENOENT') return new WorkbenchError('not_found', `no file at ${path}`, { file: path });
  if (err.code === 'EISDIR')
    return new WorkbenchError('invalid_input', `${path} is a directory, not a data file`, { file: path });
  return new WorkbenchError('io_error', `${path} cannot be read: ${err.message}`, { file: path });
}

/** sha256 of the file's bytes, hex. */
export async function hashFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(path, { highWaterMark: 1 << 20 });
    const onAbort = () => stream.destroy(new WorkbenchError('cancelled', `hashing ${path} was cancelled`));
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk) => hash.update(chunk));
    stream.on('end', () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    stream.on('error', (err: NodeJS.ErrnoException) => {
      signal?.removeEventListener('abort', onAbort);
      reject(hashError(path, err));
    });
  });
  return hash.digest('hex');
}

// Plain CommonJS so the worker needs no TypeScript loader, wherever this module is bundled.
const HASH_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
try {
  const hash = createHash('sha256');
  const fd = openSync(workerData, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  parentPort.postMessage({ hex: hash.digest('hex') });
} catch (err) {
  parentPort.postMessage({ code: err.code, message: err.message });
}
`;

/**
 * hashFile on a worker thread, so a large file is hashed while this thread does other work (the
 * reader copies DuckDB's result meanwhile). Terminated when `signal` aborts.
 */
export function hashFileInWorker(path: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(HASH_WORKER_SOURCE, { eval: true, workerData: path });
    const onAbort = () => {
      void worker.terminate();
      reject(new WorkbenchError('cancelled', `hashing ${path} was cancelled`));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (message: { hex?: string; code?: string; message?: string }) => {
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (message.hex) resolve(message.hex);
      else reject(hashError(path, Object.assign(new Error(message.message ?? 'hashing failed'), { code: message.code })));
    });
    worker.once('error', (err) => {
      signal?.removeEventListener('abort', onAbort);
      reject(new WorkbenchError('internal', `hashing ${path} failed: ${err.message}`, { file: path }));
    });
  });
}
