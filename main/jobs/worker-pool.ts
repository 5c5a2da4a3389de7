import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { WorkbenchError, isErrorData } from '../../common/errors';
import type { TaskName, TaskInput, TaskOutput } from './tasks';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Where the worker entry lives: next to this module when running from TypeScript sources (tests,
 * CLI through tsx: a small bootstrap registers tsx in the worker), or as the bundled `worker.js` beside the
 * built main process.
 */
function workerEntry(): string {
  return import.meta.url.endsWith('.ts') ? path.join(here, 'worker-dev.mjs') : path.join(here, 'worker.js');
}

export interface RunTaskOptions {
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
  transfer?: ArrayBuffer[];
}

type WorkerMessage =
  { type: 'progress'; fraction: number } | { type: 'result'; value: unknown } | { type: 'error'; error: unknown };

/** Runs one task in its own worker thread; aborting terminates the worker at once. */
export function runTask<N extends TaskName>(name: N, input: TaskInput<N>, opts: RunTaskOptions = {}): Promise<TaskOutput<N>> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new WorkbenchError('cancelled', `${name} was cancelled.`));
      return;
    }
    const worker = new Worker(workerEntry(), {
      workerData: { name, input },
      transferList: opts.transfer,
    });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      void worker.terminate();
      finish(() => reject(new WorkbenchError('cancelled', `${name} was cancelled.`)));
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (msg: WorkerMessage) => {
      if (msg.type === 'progress') opts.onProgress?.(msg.fraction);
      else if (msg.type === 'result') finish(() => resolve(msg.value as TaskOutput<N>));
      else if (msg.type === 'error') {
        const e = msg.error;
        finish(() =>
          reject(isErrorData(e) ? new WorkbenchError(e.code, e.message, e.details) : new WorkbenchError('internal', String(e))),
        );
      }
    });
    worker.on('error', (err) =>
      finish(() => reject(new WorkbenchError('internal', `Worker for ${name} crashed: ${err.message}`))),
    );
    worker.on('exit', (code) => {
      finish(() => reject(new WorkbenchError('internal', `Worker for ${name} exited with code ${code} before finishing.`)));
    });
  });
}

/** How many workers to use for parallel work: every core, at least one. */
export function workerCount(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/** Runs many tasks with at most `concurrency` workers at once, preserving input order. */
export async function runTasks<N extends TaskName>(
  name: N,
  inputs: TaskInput<N>[],
  opts: { signal?: AbortSignal; concurrency?: number; onProgress?: (fraction: number) => void } = {},
): Promise<TaskOutput<N>[]> {
  const results = new Array<TaskOutput<N>>(inputs.length);
  const fractions = new Array<number>(inputs.length).fill(0);
  let next = 0;
  const report = () => opts.onProgress?.(fractions.reduce((a, b) => a + b, 0) / Math.max(1, inputs.length));
  const lane = async () => {
    while (next < inputs.length) {
      const i = next++;
      results[i] = await runTask(name, inputs[i], {
        signal: opts.signal,
        onProgress: (f) => {
          fractions[i] = f;
          report();
        },
      });
      fractions[i] = 1;
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.min(inputs.length, opts.concurrency ?? workerCount()) }, lane));
  return results;
}
