import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobStarted, ProjectSummary } from '../../../common/contract';
import { makeBackend } from '../../helpers/backend';

let ctx: ReturnType<typeof makeBackend>;
beforeEach(() => (ctx = makeBackend()));
afterEach(() => ctx.cleanup());

async function call<T>(name: string, input: unknown): Promise<T> {
  const r = await ctx.backend.call(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
  return r.value as T;
}

function writeCsv(file: string, rows: number): void {
  const fd = fs.openSync(file, 'w');
  let buf = 'timestamp,a,b\n';
  const t0 = Date.UTC(2024, 0, 1);
  for (let i = 0; i < rows; i++) {
    buf += `${new Date(t0 + i * 1000).toISOString()},${Math.sin(i / 50).toFixed(5)},${(i % 97) / 97}\n`;
    if (buf.length > 1 << 20) {
      fs.writeSync(fd, buf);
      buf = '';
    }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
}

/** Everything a user could see of a project, to compare before and after. */
function snapshot(projectFile: string) {
  return {
    summary: ctx.backend.currentProject()!.listDatasets(),
    series: ctx.backend.currentProject()!.listSeries(),
    history: ctx.backend.currentProject()!.historyEntries(),
    bytes: fs.statSync(projectFile).size,
  };
}

describe('import jobs', () => {
  it('import in a worker, report progress, and add the dataset', async () => {
    const project = path.join(ctx.dir, 'p.tsad.sqlite');
    await call('createProject', { path: project });
    const file = path.join(ctx.dir, 'small.csv');
    writeCsv(file, 5000);
    const events: number[] = [];
    ctx.backend.onEvent((e) => e.type === 'jobProgress' && events.push(e.fraction));
    const { jobId } = await call<JobStarted>('importDataset', { path: file });
    const job = await ctx.backend.jobs.wait(jobId);
    expect(job.state).toBe('done');
    const summary = await call<ProjectSummary>('getProject', {});
    expect(summary.series.map((s) => [s.name, s.length])).toEqual([
      ['a', 5000],
      ['b', 5000],
    ]);
    expect(summary.datasets[0]).toMatchObject({ rowCount: 5000, hasTime: true, sourcePath: file });
    expect(events.at(-1)).toBe(1);
  });

  it('leave the project exactly as it was when cancelled mid-import', async () => {
    const project = path.join(ctx.dir, 'p.tsad.sqlite');
    await call('createProject', { path: project });
    const before = snapshot(project);
    const file = path.join(ctx.dir, 'big.csv');
    writeCsv(file, 3_000_000);
    const { jobId } = await call<JobStarted>('importDataset', { path: file });
    await new Promise((r) => setTimeout(r, 300)); // the worker is reading by now
    await call('cancelJob', { jobId });
    const job = await ctx.backend.jobs.wait(jobId);
    expect(job.state).toBe('cancelled');
    expect(snapshot(project)).toEqual(before);
  });

  it('leave the project exactly as it was when the file is bad, with an error naming the file and row', async () => {
    const project = path.join(ctx.dir, 'p.tsad.sqlite');
    await call('createProject', { path: project });
    const good = path.join(ctx.dir, 'good.csv');
    writeCsv(good, 100);
    await ctx.backend.jobs.wait((await call<JobStarted>('importDataset', { path: good })).jobId);
    const before = snapshot(project);
    const bad = path.join(ctx.dir, 'bad.csv');
    fs.writeFileSync(bad, 'timestamp,a\n2024-01-01T00:00:00Z,1\n2024-01-01T00:00:01Z,oops\n');
    const job = await ctx.backend.jobs.wait((await call<JobStarted>('importDataset', { path: bad })).jobId);
    expect(job.state).toBe('failed');
    expect(job.error?.message).toContain('bad.csv');
    expect(job.error?.message).toMatch(/oops|row|line/);
    expect(snapshot(project)).toEqual(before);
  });

  it('refuse files outside the allowed folders', async () => {
    await call('createProject', { path: path.join(ctx.dir, 'p.tsad.sqlite') });
    const r = await ctx.backend.call('importDataset', { path: '/etc/passwd' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('unauthorized');
    const traversal = await ctx.backend.call('previewDataset', { path: path.join(ctx.dir, '../../../etc/hostname') });
    expect(traversal.ok).toBe(false);
  });
});
