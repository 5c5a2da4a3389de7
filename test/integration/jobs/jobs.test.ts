import { describe, expect, it } from 'vitest';
import type { JobProgressEvent } from '../../../common/contract';
import { JobManager, runTask, runTasks } from '../../../main/jobs';

describe('worker tasks', () => {
  it('run in a worker thread and return their result', async () => {
    const values = new Float64Array(100_000).fill(0.5);
    const fractions: number[] = [];
    const sum = await runTask('sum', { values }, { onProgress: (f) => fractions.push(f) });
    expect(sum).toBe(50_000);
    expect(fractions.length).toBeGreaterThan(0);
  });

  it('are terminated at once when cancelled', async () => {
    const controller = new AbortController();
    const running = runTask('sum', { values: new Float64Array(10), spin: true }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('run many inputs across workers and keep their order', async () => {
    const inputs = [1, 2, 3, 4, 5].map((k) => ({ values: new Float64Array(10).fill(k) }));
    expect(await runTasks('sum', inputs, { concurrency: 2 })).toEqual([10, 20, 30, 40, 50]);
  });
});

describe('JobManager', () => {
  it('reports progress and completion as events', async () => {
    const events: JobProgressEvent[] = [];
    const jobs = new JobManager((e) => events.push(e));
    const { id, done } = jobs.start('test', 'Counting', async (ctx) => {
      ctx.progress(0.5, 'half way');
      return 42;
    });
    expect(await done).toBe(42);
    expect(jobs.get(id)).toMatchObject({ state: 'done', fraction: 1, result: 42 });
    expect(events[0]).toMatchObject({ jobId: id, state: 'running' });
    expect(events.at(-1)).toMatchObject({ jobId: id, state: 'done' });
  });

  it('cancels a running job through its signal and records why a job failed', async () => {
    const jobs = new JobManager(() => undefined);
    const spinning = jobs.start('test', 'Spinning', (ctx) =>
      runTask('sum', { values: new Float64Array(1), spin: true }, { signal: ctx.signal }),
    );
    setTimeout(() => jobs.cancel(spinning.id), 100);
    expect((await jobs.wait(spinning.id)).state).toBe('cancelled');

    const failing = jobs.start('test', 'Failing', async () => {
      throw new Error('disk on fire');
    });
    expect(await jobs.wait(failing.id)).toMatchObject({ state: 'failed', error: { message: 'disk on fire' } });
    expect(() => jobs.cancel('nope')).toThrow(/No job/);
  });
});
