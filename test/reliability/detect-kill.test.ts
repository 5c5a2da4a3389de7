// A detect killed with SIGKILL at fixed phases: the next open marks the run interrupted (keeping the series
// that finished), evaluate and export refuse it unless allowPartial, and Resume completes it to exactly the
// predictions of an uninterrupted run. The kill is of the real CLI; the checks after it go through the
// backend in this process (the CLI's own code path) to keep the suite short on a loaded machine.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../common/contract';
import type { PredictionRecord, RunEvaluation, RunRecord } from '../../common/detection';
import { makeBackend, valueOf } from '../helpers/backend';
import { cli, killAtPhase, makeProject } from './helpers';

let h: ReturnType<typeof makeBackend>;
let env: Record<string, string>;
beforeAll(() => {
  h = makeBackend();
  env = { TSAD_STATE_DIR: path.join(h.dir, 'cli-state') };
});
afterAll(() => h.cleanup());

const DETECTOR = ['--detector', 'rolling-zscore', '--params', '{"window":50}'];

async function predictions(runId: number) {
  const run = valueOf<RunRecord[]>(await h.backend.call('listRuns', {})).find((r) => r.id === runId)!;
  const all: PredictionRecord[] = [];
  for (const seriesId of run.plannedSeriesIds)
    all.push(...valueOf<PredictionRecord[]>(await h.backend.call('listPredictions', { seriesId, runId })));
  return all.map(({ seriesId, start, end, score, type, status }) => ({ seriesId, start, end, score, type, status }));
}

async function runToEnd(call: Promise<Envelope<unknown>>): Promise<RunRecord> {
  const { jobId, runId } = valueOf<{ jobId: string; runId: number }>(await call);
  const job = await h.backend.jobs.wait(jobId);
  expect(job.state, job.error?.message).toBe('done');
  return valueOf<RunRecord[]>(await h.backend.call('listRuns', {})).find((r) => r.id === runId)!;
}

describe('a detect killed midway', () => {
  it('is interrupted after the next open, refused by evaluate and export, and Resume gives the uninterrupted result', async () => {
    const file = path.join(h.dir, 'p.tsad.sqlite');
    const seriesIds = makeProject(file, 5, 1500);
    await killAtPhase(['detect', file, ...DETECTOR], 'detect:series-saved#2', h.dir, env);

    // the CLI says what the run covers and how to go on
    const refusedCli = await cli(['evaluate', file, '--run', '1'], env);
    expect(refusedCli.status).toBe(1);
    expect(refusedCli.stderr).toContain('Run 1 is interrupted: it covers 2 of 5 series');
    expect(refusedCli.stderr).toContain('--allow-partial');

    valueOf(await h.backend.call('openProject', { path: file }));
    const [run] = valueOf<RunRecord[]>(await h.backend.call('listRuns', {}));
    expect(run.status).toBe('interrupted');
    expect(run.seriesIds).toHaveLength(2);
    expect(run.plannedSeriesIds).toEqual(seriesIds);
    expect(run.missingSeriesIds).toHaveLength(3);
    expect(run.error).toMatch(/ended before it finished/);

    const refused = await h.backend.call('evaluateRun', { runId: run.id });
    expect(refused.ok || refused.error.code).toBe('conflict');
    const exportRefused = await h.backend.call('previewExport', {
      format: 'labels-json',
      path: path.join(h.dir, 'x.json'),
      options: { labels: 'with-predictions' },
    });
    expect(exportRefused.ok || exportRefused.error.message).toContain('covers 2 of 5 series');
    const exportPartial = await h.backend.call('previewExport', {
      format: 'labels-json',
      path: path.join(h.dir, 'x.json'),
      options: { labels: 'with-predictions', allowPartial: true },
    });
    expect(exportPartial.ok).toBe(true);

    const ev = valueOf<RunEvaluation>(await h.backend.call('evaluateRun', { runId: run.id, allowPartial: true }));
    expect(ev.perSeries.map((s) => s.seriesId)).toEqual(run.seriesIds);
    expect(ev.partial?.missingSeriesIds).toEqual(run.missingSeriesIds);

    const resumed = await runToEnd(h.backend.call('resumeRun', { runId: run.id }));
    expect(resumed.id).toBe(run.id);
    expect(resumed.status).toBe('done');
    expect(resumed.missingSeriesIds).toEqual([]);
    expect(resumed.seriesIds).toEqual(seriesIds);

    const reference = await runToEnd(h.backend.call('startRun', { detector: 'rolling-zscore', params: { window: 50 } }));
    expect(await predictions(run.id)).toEqual(await predictions(reference.id));
    const complete = valueOf<RunEvaluation>(await h.backend.call('evaluateRun', { runId: run.id }));
    expect(complete.partial).toBeUndefined();
    const again = await h.backend.call('resumeRun', { runId: run.id });
    expect(again.ok || again.error.code).toBe('conflict');
  }, 240_000);

  it('killed right after the run was recorded: interrupted with nothing finished, and resumes in full', async () => {
    const file = path.join(h.dir, 'q.tsad.sqlite');
    makeProject(file, 3, 1000);
    await killAtPhase(['detect', file, ...DETECTOR], 'detect:run-created', h.dir, env);
    valueOf(await h.backend.call('openProject', { path: file }));
    const [run] = valueOf<RunRecord[]>(await h.backend.call('listRuns', {}));
    expect(run.status).toBe('interrupted');
    expect(run.seriesIds).toEqual([]);
    expect(run.missingSeriesIds).toHaveLength(3);
    const resumed = await runToEnd(h.backend.call('resumeRun', { runId: run.id }));
    expect(resumed.seriesIds).toHaveLength(3);
  }, 240_000);
});
