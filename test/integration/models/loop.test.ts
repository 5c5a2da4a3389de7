import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalibrationReport, FinetuneStarted, ModelListing, RunEvaluation, RunRecord } from '../../../common/detection';
import { makeBackend, valueOf as value } from '../../helpers/backend';
import { TEST_DATA } from '../../helpers/tmp';
import { trainingPython } from '../../helpers/python';

// The learning loop on a real project (three TSB-AD series with their labels): fine-tune a new version with the
// real trainer child process, then run both versions on the held-out series and compare their metrics; and
// the Python-free loop (ensemble calibration). Real SQLite, DuckDB, onnxruntime and PyTorch.
type Made = ReturnType<typeof makeBackend>;
let made: Made;
const python = await trainingPython();

async function runAndEvaluate(detector: string, seriesIds: number[], params: Record<string, unknown> = {}) {
  const { jobId, runId } = value<{ jobId: string; runId: number }>(
    await made.backend.call('startRun', { detector, params, seriesIds }),
  );
  const job = await made.backend.jobs.wait(jobId);
  expect(job.state, job.error?.message).toBe('done');
  return value<RunEvaluation>(await made.backend.call('evaluateRun', { runId, seriesIds }));
}

beforeAll(async () => {
  made = makeBackend([TEST_DATA]);
  value(await made.backend.call('createProject', { path: path.join(made.dir, 'loop.tsad.sqlite') }));
  for (const [file, valueColumns] of [
    ['001_NAB_id_1_Facility_tr_1007_1st_2014.csv', undefined],
    ['107_SMAP_E-9_2075_5550.csv', ['0']], // one channel of this multivariate file
    ['277_NEK_id_1_WebService_tr_500_1st_17.csv', undefined],
  ] as const) {
    const { jobId } = value<{ jobId: string }>(
      await made.backend.call('importDataset', {
        path: path.join(TEST_DATA, 'tsb-ad-sample', file),
        ...(valueColumns ? { options: { valueColumns: [...valueColumns] } } : {}),
      }),
    );
    expect((await made.backend.jobs.wait(jobId)).state).toBe('done');
  }
}, 120_000);
afterAll(() => made.cleanup());

describe('models in the app', () => {
  it('lists the bundled model with its card and the providers of this build', async () => {
    const listing = value<ModelListing>(await made.backend.call('listModels', {}));
    const bundled = listing.models.find((m) => m.source === 'bundled');
    expect(bundled?.name).toBe('tsad-window-cnn');
    expect(bundled?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(bundled?.window).toBeGreaterThan(0);
    expect(listing.providers.map((p) => p.name)).toContain('cpu');
  });

  it('refuses an unknown base model and unknown series, naming them', async () => {
    const bad = await made.backend.call('finetuneModel', { base: 'no-such-model' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/no-such-model/);
    const unknownSeries = await made.backend.call('calibrateEnsemble', { seriesIds: [9999] });
    expect(unknownSeries.ok).toBe(false);
    if (!unknownSeries.ok) expect(unknownSeries.error.message).toMatch(/9999/);
  });

  it('calibrates the ensemble to the labels and the calibrated parameters run', async () => {
    const report = value<CalibrationReport>(await made.backend.call('calibrateEnsemble', { holdOutShare: 0.3 }));
    expect(report.seriesUsed).toBe(3);
    expect(report.heldOut).not.toBeNull();
    for (const m of [report.before, report.after]) expect(m.auc_pr).toBeGreaterThanOrEqual(0);
    const ids = made.backend
      .currentProject()!
      .listSeries()
      .map((s) => s.id);
    const evaluation = await runAndEvaluate('ensemble', ids, report.params);
    expect(evaluation.perSeries).toHaveLength(3);
  }, 120_000);

  it.skipIf(!python.ok)(
    'fine-tunes a new version on the labeled series, registers it, and compares both on the held-out series',
    async () => {
      const started = value<FinetuneStarted>(
        await made.backend.call('finetuneModel', { base: 'tsad-window-cnn', holdOutShare: 0.34, quick: true, seed: 3 }),
      );
      expect(started.jobId).not.toBeNull();
      expect(started.trainSeriesIds).toHaveLength(2);
      expect(started.heldOutSeriesIds).toHaveLength(1);
      expect(started.trainSeriesIds).not.toContain(started.heldOutSeriesIds[0]);
      expect(started.labelCount).toBeGreaterThan(0);
      const job = await made.backend.jobs.wait(started.jobId!);
      expect(job.state, job.error?.message).toBe('done');

      const listing = value<ModelListing>(await made.backend.call('listModels', {}));
      const tuned = listing.models.find((m) => m.id === started.model);
      expect(tuned?.source).toBe('user');
      expect(tuned?.parent).toMatch(/^tsad-window-cnn@/);
      expect(tuned?.finetune?.heldOutSeriesIds).toEqual(started.heldOutSeriesIds);

      const held = started.heldOutSeriesIds;
      const before = await runAndEvaluate(`model:${tuned!.parent}`, held);
      const after = await runAndEvaluate(`model:${tuned!.id}`, held);
      expect(before.perSeries.map((s) => s.seriesId)).toEqual(held);
      expect(typeof before.overall.vus_pr).toBe('number');
      expect(typeof after.overall.vus_pr).toBe('number');
      const runs = value<RunRecord[]>(await made.backend.call('listRuns', {}));
      expect(runs.find((r) => r.detector === `model:${tuned!.id}`)?.detectorVersion).toBe(tuned!.version);
    },
    240_000,
  );
});
