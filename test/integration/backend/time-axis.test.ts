import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobStarted, ProjectSummary } from '../../../common/contract';
import type { Label } from '../../../common/domain';
import { makeBackend } from '../../helpers/backend';
import { REPO_ROOT } from '../../helpers/tmp';

/** The first 3,000 rows of NAB's machine_temperature_system_failure.csv, laid out as in NAB (MIT). */
const NAB_CUT = path.join(REPO_ROOT, 'test/fixtures/nab-machine-temperature');
const FILE = 'data/realKnownCause/machine_temperature_system_failure.csv';

let ctx: ReturnType<typeof makeBackend>;
beforeEach(() => (ctx = makeBackend()));
afterEach(() => ctx.cleanup());

async function call<T>(name: string, input: unknown): Promise<T> {
  const r = await ctx.backend.call(name, input);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

async function importNab(): Promise<ProjectSummary> {
  fs.cpSync(NAB_CUT, path.join(ctx.dir, 'nab'), { recursive: true });
  await call('createProject', { path: path.join(ctx.dir, 'p.tsad.sqlite') });
  const { jobId } = await call<JobStarted>('importDataset', { path: path.join(ctx.dir, 'nab', FILE) });
  expect((await ctx.backend.jobs.wait(jobId)).state).toBe('done');
  return call<ProjectSummary>('getProject', {});
}

describe('time axis over the contract', () => {
  it('gives the dataset its time span, and label ends their times, as the file prints them', async () => {
    const summary = await importNab();
    expect(summary.datasets[0]).toMatchObject({
      rowCount: 3000,
      hasTime: true,
      timeStart: Date.parse('2013-12-02T21:15:00Z'),
      timeEnd: Date.parse('2013-12-13T07:10:00Z'),
    });
    const seriesId = summary.series[0].id;
    const [window] = await call<Label[]>('listLabels', { seriesId });
    const [start, end] = (await call<number[]>('timesAt', { seriesId, indices: [window.start, window.end] })).map((ms) =>
      new Date(ms).toISOString(),
    );
    // NAB windows include their end timestamp; the half-open end is the next row, five minutes later
    expect(start).toBe('2013-12-10T06:25:00.000Z');
    expect(end).toBe('2013-12-12T05:40:00.000Z');
    expect(await call<number[]>('indicesAt', { seriesId, times: [Date.parse('2013-12-10T06:25:00Z')] })).toEqual([window.start]);
  });

  it('answers null times for a series without a time axis and refuses times for it', async () => {
    await call('createProject', { path: path.join(ctx.dir, 'q.tsad.sqlite') });
    const file = path.join(ctx.dir, 'plain.csv');
    fs.writeFileSync(file, 'value\n' + Array.from({ length: 50 }, (_, i) => String(Math.sin(i))).join('\n') + '\n');
    const { jobId } = await call<JobStarted>('importDataset', { path: file });
    expect((await ctx.backend.jobs.wait(jobId)).state).toBe('done');
    const summary = await call<ProjectSummary>('getProject', {});
    expect(summary.datasets[0]).toMatchObject({ hasTime: false, timeStart: null, timeEnd: null });
    const seriesId = summary.series[0].id;
    expect(await call('timesAt', { seriesId, indices: [0, 50] })).toBeNull();
    await expect(call('indicesAt', { seriesId, times: [0] })).rejects.toThrow(/has no time axis/);
    await expect(call('timesAt', { seriesId: 999, indices: [0] })).rejects.toThrow(/not_found/);
  });
});
