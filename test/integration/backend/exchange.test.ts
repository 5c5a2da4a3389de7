import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExportFormatInfo, ExportPreview, ImportReport, JobStarted, ProjectSummary } from '../../../common/contract';
import type { ExportSummary } from '../../../main/exporters';
import { makeBackend } from '../../helpers/backend';
import { buildProject, twinWithoutLabels } from '../exporters/fixture';

let ctx: ReturnType<typeof makeBackend>;
beforeEach(() => (ctx = makeBackend()));
afterEach(() => ctx.cleanup());

async function call<T>(name: string, input: unknown): Promise<T> {
  const r = await ctx.backend.call(name, input);
  if (!r.ok) throw new Error(`${name}: [${r.error.code}] ${r.error.message}`);
  return r.value as T;
}

async function failure(name: string, input: unknown): Promise<{ code: string; message: string }> {
  const r = await ctx.backend.call(name, input);
  if (r.ok) throw new Error(`${name} succeeded; expected a failure`);
  return r.error;
}

/** Opens the exporter fixture project (3 series, 6 labels) through the backend. */
async function openFixture(name = 'source.tsad.sqlite'): Promise<ProjectSummary> {
  buildProject(ctx.dir, name).close();
  return call<ProjectSummary>('openProject', { path: path.join(ctx.dir, name) });
}

function labelCount(): number {
  const store = ctx.backend.currentProject()!;
  return store.listSeries().reduce((a, s) => a + store.listLabels(s.id).length, 0);
}

describe('export from the app', () => {
  it('lists the formats with their output kind and the options each reads', async () => {
    const formats = await call<ExportFormatInfo[]>('listExportFormats', {});
    const csv = formats.find((f) => f.id === 'labels-csv')!;
    expect(csv).toMatchObject({ output: 'file', extension: '.csv', importable: true });
    expect(csv.options).toContain('labels');
    expect(formats.find((f) => f.id === 'sft-jsonl')).toMatchObject({ output: 'folder', importable: false });
    expect(formats.find((f) => f.id === 'sft-jsonl')!.options).toContain('sft');
  });

  it('counts on a dry run, writes as a job, and refuses to overwrite without force', async () => {
    await openFixture();
    const out = path.join(ctx.dir, 'labels.csv');
    const preview = await call<ExportPreview>('previewExport', { format: 'labels-csv', path: out });
    expect(preview).toMatchObject({ exists: false, output: 'file', labels: labelCount(), records: labelCount() });
    const accepted = await call<ExportPreview>('previewExport', {
      format: 'labels-csv',
      path: out,
      options: { labels: 'accepted-only' },
    });
    expect(accepted.labels).toBeLessThan(preview.labels);
    expect(fs.existsSync(out)).toBe(false);

    const events: string[] = [];
    ctx.backend.onEvent((e) => e.type === 'jobProgress' && events.push(e.state));
    const { jobId } = await call<JobStarted>('exportProject', { format: 'labels-csv', path: out });
    const job = await ctx.backend.jobs.wait(jobId);
    expect(job.state).toBe('done');
    expect((job.result as ExportSummary).records).toBe(preview.records);
    expect(events.at(-1)).toBe('done');
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toContain('\ndataset,series,series_id,kind,start,end,');

    expect((await call<ExportPreview>('previewExport', { format: 'labels-csv', path: out })).exists).toBe(true);
    const refused = await failure('exportProject', { format: 'labels-csv', path: out });
    expect(refused.code).toBe('conflict');
    expect(refused.message).toContain(`${fs.realpathSync(out)} already exists`);
    fs.writeFileSync(out, 'old');
    const forced = await call<JobStarted>('exportProject', { format: 'labels-csv', path: out, force: true });
    expect((await ctx.backend.jobs.wait(forced.jobId)).state).toBe('done');
    expect(fs.readFileSync(out, 'utf8')).toBe(text);
  });

  it('a dry-run job writes nothing; paths outside the roots and unread options are refused', async () => {
    await openFixture();
    const out = path.join(ctx.dir, 'dry.json');
    const { jobId } = await call<JobStarted>('exportProject', { format: 'labels-json', path: out, dryRun: true });
    const job = await ctx.backend.jobs.wait(jobId);
    expect(job.state).toBe('done');
    expect(job.result).toMatchObject({ dryRun: true, labels: labelCount() });
    expect(fs.existsSync(out)).toBe(false);
    const outside = await failure('exportProject', { format: 'labels-csv', path: '/tmp/../etc/tsad-export.csv' });
    expect(outside.message).toMatch(/outside|not allowed|allowed folders/i);
    const unread = await failure('previewExport', { format: 'labels-csv', path: out, options: { title: 'x' } });
    expect(unread.message).toContain('does not take title');
  });

  it('a cancelled export leaves neither the target nor a temporary file', async () => {
    await openFixture();
    const out = path.join(ctx.dir, 'sft');
    const { jobId } = await call<JobStarted>('exportProject', { format: 'sft-jsonl', path: out });
    await call('cancelJob', { jobId });
    const job = await ctx.backend.jobs.wait(jobId);
    expect(job.state).toBe('cancelled');
    expect(fs.readdirSync(ctx.dir).filter((n) => n.includes('sft'))).toEqual([]);
  });

  it('a cancel while the worker writes removes its temporary folder', async () => {
    await call('createProject', { path: path.join(ctx.dir, 'long.tsad.sqlite') });
    const values = Float64Array.from({ length: 150_000 }, (_, i) => Math.sin(i / 30) + 0.1 * Math.sin(i / 7));
    ctx.backend.currentProject()!.insertDataset({
      name: 'long',
      sourcePath: null,
      sourceHash: null,
      sourceSize: null,
      time: null,
      columns: [{ name: 'wave', values }],
    });
    const out = path.join(ctx.dir, 'sft-long');
    let jobId = '';
    const writing = new Promise<void>((resolve) =>
      ctx.backend.onEvent((e) => {
        if (e.type === 'jobProgress' && e.jobId === jobId && e.state === 'running' && e.fraction > 0) resolve();
      }),
    );
    ({ jobId } = await call<JobStarted>('exportProject', { format: 'sft-jsonl', path: out }));
    await writing; // plots are being written under the temporary name
    expect(fs.readdirSync(ctx.dir).some((n) => n.startsWith('.sft-long.partial.') && n.includes('.tsad-tmp'))).toBe(true);
    await call('cancelJob', { jobId });
    const job = await ctx.backend.jobs.wait(jobId);
    expect(job.state).toBe('cancelled');
    expect(fs.readdirSync(ctx.dir).filter((n) => n.includes('sft-long'))).toEqual([]);
  }, 60_000);
});

describe('label import from the app', () => {
  async function exportedLabels(): Promise<{ file: string; n: number }> {
    await openFixture();
    const n = labelCount();
    const file = path.join(ctx.dir, 'labels.csv');
    const { jobId } = await call<JobStarted>('exportProject', { format: 'labels-csv', path: file });
    expect((await ctx.backend.jobs.wait(jobId)).state).toBe('done');
    // a twin project holding the same data and no labels: the import's target
    const source = ctx.backend.currentProject()!;
    twinWithoutLabels(source, path.join(ctx.dir, 'twin.tsad.sqlite')).close();
    await call('openProject', { path: path.join(ctx.dir, 'twin.tsad.sqlite') });
    return { file, n };
  }

  it('lists every problem with its line and imports nothing', async () => {
    await openFixture();
    const bad = path.join(ctx.dir, 'bad.csv');
    fs.writeFileSync(
      bad,
      [
        'dataset,series,start,end,type',
        'plant_A,temp,10,20,level-shift',
        'plant_A,nope,10,20,level-shift',
        'plant_A,temp,40,30,level-shift',
        'ecg,lead1,450,9999,shapelet',
        'plant_A,temp,15,25,level-shift',
      ].join('\n') + '\n',
    );
    const before = labelCount();
    const history = ctx.backend.currentProject()!.historyEntries().length;
    for (const dryRun of [true, false]) {
      const report = await call<ImportReport>('importLabels', { path: bad, format: 'labels-csv', dryRun });
      expect(report.imported).toBe(false);
      expect(report.problems.map((p) => p.line)).toEqual([3, 4, 5, 6]);
      expect(report.problems[0].message).toContain('unknown series "temp"'.replace('temp', 'nope'));
      expect(report.problems[1].message).toMatch(/inverted/);
      expect(report.problems[2].message).toMatch(/runs past the end/);
      expect(report.problems[3].message).toMatch(/overlaps \[10, 20\) of line 2/);
    }
    expect(labelCount()).toBe(before);
    expect(ctx.backend.currentProject()!.historyEntries().length).toBe(history);
    const noHeader = path.join(ctx.dir, 'noheader.csv');
    fs.writeFileSync(noHeader, 'a,b\n1,2\n');
    const report = await call<ImportReport>('importLabels', { path: noHeader, format: 'labels-csv' });
    expect(report.problems).toEqual([{ line: 1, message: expect.stringContaining('no "start" column') }]);
  });

  it('a good file: the dry run counts, the import adds the labels as one undoable step', async () => {
    const { file, n } = await exportedLabels();
    expect(n).toBeGreaterThan(3);
    const dry = await call<ImportReport>('importLabels', { path: file, format: 'labels-csv', dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, imported: false, problems: [], labels: n });
    expect(labelCount()).toBe(0);
    const events: string[] = [];
    ctx.backend.onEvent((e) => e.type === 'projectChanged' && events.push(e.reason));
    const report = await call<ImportReport>('importLabels', { path: file, format: 'labels-csv' });
    expect(report).toMatchObject({ imported: true, labels: n, problems: [] });
    expect(report.history.canUndo).toBe(true);
    expect(labelCount()).toBe(n);
    expect(events).toContain('labels');
    await call('undo', {});
    expect(labelCount()).toBe(0);
    // importing the same file twice adds nothing
    await call('redo', {});
    const again = await call<ImportReport>('importLabels', { path: file, format: 'labels-csv' });
    expect(again).toMatchObject({ imported: false, labels: 0, skipped: n });
  });
});
