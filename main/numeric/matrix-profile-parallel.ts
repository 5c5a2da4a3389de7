import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { WorkbenchError } from '../../common/errors';
import { exactCov, scanDiagonal, scanDiagonals4, scanGroups, scanTail } from './matrix-profile-kernel';

/**
 * Runs the diagonal groups of a matrix profile on this thread and, for large problems, one worker
 * thread: the groups alternate between the two (a static split, so the result does not depend on
 * timing), each side folds its cells into its own corr/index arrays, and the two are merged. The
 * call stays synchronous: this thread waits for the worker with Atomics.wait. Any failure of the
 * worker (no threads, a worker that does not start, an error in it) only costs time: its groups are
 * then computed here.
 */

/** Below this many distance cells one thread does everything (starting a worker costs tens of ms). */
export const PARALLEL_MIN_CELLS = 2e8;
/** How long a worker may take to start once this thread has finished its share, before its share is done here. */
const START_GRACE_MS = 10_000;

export interface ProfileInputs {
  l: number;
  m: number;
  t: Float64Array;
  mu: Float64Array;
  df: Float64Array;
  dg: Float64Array;
  invNorm: Float64Array;
}

interface Callbacks {
  progress?: (fraction: number) => void;
  signal?: AbortSignal;
  /** force (true) or forbid (false) the worker; default: by size and core count */
  parallel?: boolean;
}

// worker states (slot 0); slot 1 is the cancel flag set by this thread
const NOT_STARTED = 0;
const RUNNING = 1;
const DONE = 2;
const FAILED = 3;

const WORKER_SOURCE = `
const { workerData: d } = require('node:worker_threads');
${String(exactCov)}
${String(scanDiagonal)}
${String(scanDiagonals4)}
${String(scanTail)}
${String(scanGroups)}
const state = new Int32Array(d.state);
const done = new Float64Array(d.done);
Atomics.store(state, 0, ${RUNNING});
let result = ${FAILED};
try {
  const ok = scanGroups(new Int32Array(d.groups), 1, 2, d.count, d.l, d.m, new Float64Array(d.t), new Float64Array(d.mu),
    new Float64Array(d.df), new Float64Array(d.dg), new Float64Array(d.invNorm), new Float64Array(d.corr), new Int32Array(d.index),
    (work) => { done[0] = work; return Atomics.load(state, 1) === 0; });
  if (ok) result = ${DONE};
} finally {
  Atomics.store(state, 0, result);
  Atomics.notify(state, 0);
}
`;

function cancelled(): WorkbenchError {
  return new WorkbenchError('cancelled', 'Matrix profile computation was cancelled.');
}

function shared(a: Float64Array): SharedArrayBuffer {
  const buf = new SharedArrayBuffer(a.byteLength);
  new Float64Array(buf).set(a);
  return buf;
}

/** Folds the cells of groups[0 … count) into corr/index (see the module comment). */
export function scanAllGroups(
  groups: Int32Array,
  count: number,
  cellsTotal: number,
  p: ProfileInputs,
  corr: Float64Array,
  index: Int32Array,
  cb: Callbacks,
): void {
  const { l, m, t, mu, df, dg, invNorm } = p;
  const total = Math.max(1, cellsTotal);
  const useWorker = cb.parallel ?? (cellsTotal >= PARALLEL_MIN_CELLS && availableParallelism() >= 2);
  if (!useWorker || count < 2) {
    scanGroups(groups, 0, 1, count, l, m, t, mu, df, dg, invNorm, corr, index, (work) => {
      if (cb.signal?.aborted) throw cancelled();
      cb.progress?.(Math.min(1, work / total));
      return true;
    });
    return;
  }

  const state = new Int32Array(new SharedArrayBuffer(8));
  const done = new Float64Array(new SharedArrayBuffer(8));
  const corr2 = new Float64Array(new SharedArrayBuffer(8 * l)).fill(-Infinity);
  const index2 = new Int32Array(new SharedArrayBuffer(4 * l)).fill(-1);
  let worker: Worker | null = null;
  try {
    const groupsBuf = new SharedArrayBuffer(groups.byteLength);
    new Int32Array(groupsBuf).set(groups);
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        state: state.buffer,
        done: done.buffer,
        groups: groupsBuf,
        count,
        l,
        m,
        t: shared(t),
        mu: shared(mu),
        df: shared(df),
        dg: shared(dg),
        invNorm: shared(invNorm),
        corr: corr2.buffer,
        index: index2.buffer,
      },
    });
    // errors surface through the state slot; this listener only keeps them from becoming uncaught
    worker.on('error', () => undefined);
    worker.unref();
  } catch {
    worker = null;
  }
  const stopWorker = () => {
    Atomics.store(state, 1, 1);
    void worker?.terminate();
  };

  let mine = 0;
  try {
    scanGroups(groups, 0, 2, count, l, m, t, mu, df, dg, invNorm, corr, index, (work) => {
      if (cb.signal?.aborted) throw cancelled();
      mine = work;
      cb.progress?.(Math.min(1, (mine + done[0]) / total));
      return true;
    });
    const finishedAt = performance.now();
    let s = Atomics.load(state, 0);
    while (worker && (s === RUNNING || (s === NOT_STARTED && performance.now() - finishedAt < START_GRACE_MS))) {
      Atomics.wait(state, 0, s, 100);
      if (cb.signal?.aborted) throw cancelled();
      cb.progress?.(Math.min(1, (mine + done[0]) / total));
      s = Atomics.load(state, 0);
    }
    if (cb.signal?.aborted) throw cancelled();
    if (s !== DONE) {
      // the worker never started or failed: its share is computed here, into fresh arrays
      stopWorker();
      const c = new Float64Array(l).fill(-Infinity);
      const x = new Int32Array(l).fill(-1);
      scanGroups(groups, 1, 2, count, l, m, t, mu, df, dg, invNorm, c, x, (work) => {
        if (cb.signal?.aborted) throw cancelled();
        cb.progress?.(Math.min(1, (mine + work) / total));
        return true;
      });
      merge(corr, index, c, x);
    } else merge(corr, index, corr2, index2);
  } finally {
    stopWorker();
  }
}

/** corr/index ← the better of the two; ties keep the first (deterministic). */
function merge(corr: Float64Array, index: Int32Array, c: Float64Array, x: Int32Array): void {
  for (let i = 0; i < corr.length; i++) {
    if (c[i] > corr[i]) {
      corr[i] = c[i];
      index[i] = x[i];
    }
  }
}
