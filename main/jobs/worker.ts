// Worker-thread entry: runs one named task and reports progress, result or error to its parent.
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorData } from '../../common/errors';
import { TASKS, type TaskName } from './tasks';

const { name, input } = workerData as { name: TaskName; input: unknown };
const progress = (fraction: number) => parentPort?.postMessage({ type: 'progress', fraction });

try {
  const task = TASKS[name] as (input: unknown, progress: (f: number) => void) => Promise<unknown> | unknown;
  if (!task) throw new Error(`Unknown task ${name}`);
  const value = await task(input, progress);
  parentPort?.postMessage({ type: 'result', value });
} catch (err) {
  parentPort?.postMessage({ type: 'error', error: toErrorData(err) });
}
