/**
 * Learning from review, end to end through the backend (real SQLite, real worker threads, real
 * onnxruntime, real retraining): a process whose normal behaviour includes short bursts that the bundled
 * verifier has never seen. The analyst rejects the bursts the two-stage run proposes on some series;
 * the retrained verifier then proposes fewer of them on the project's other (held-out) series.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PredictionRecord, RunRecord, VerifierInfo, VerifierRetrainResult } from '../../../common/detection';
import { makeBackend, valueOf as value } from '../../helpers/backend';
import { seeded } from '../../helpers/random';

type Made = ReturnType<typeof makeBackend>;
let made: Made;
let seriesIds: number[] = [];

const SERIES = 7;
const LENGTH = 2400;
const TRAIN = 4; // series 0..3 reviewed, 4..6 held out

/** A daily-like cycle with noise and, every 150–250 points, a 4-point burst: normal for this process. */
function burstySeries(seed: number): Float64Array {
  const rand = seeded(seed);
  const x = new Float64Array(LENGTH);
  let next = 100 + Math.floor(rand() * 100);
  for (let i = 0; i < LENGTH; i++) {
    x[i] = Math.sin((2 * Math.PI * i) / 60) + 0.15 * (rand() - 0.5);
    if (i === next) {
      const amp = 2.5 + rand();
      for (let k = 0; k < 4 && i + k < LENGTH; k++) x[i + k] += amp;
      next = i + 150 + Math.floor(rand() * 100);
    }
  }
  return x;
}

async function runTwoStage(params: Record<string, unknown> = {}): Promise<RunRecord> {
  const { jobId, runId } = value<{ jobId: string; runId: number }>(
    await made.backend.call('startRun', { detector: 'two-stage', params }),
  );
  await made.backend.jobs.wait(jobId);
  return value<RunRecord[]>(await made.backend.call('listRuns', {})).find((r) => r.id === runId)!;
}

async function predictionsOf(runId: number, seriesId: number): Promise<PredictionRecord[]> {
  return value<PredictionRecord[]>(await made.backend.call('listPredictions', { seriesId, runId }));
}

beforeAll(async () => {
  made = makeBackend();
  const columns = Array.from({ length: SERIES }, (_, s) => burstySeries(101 + s));
  const rows = [columns.map((_, s) => `s${s}`).join(',')];
  for (let i = 0; i < LENGTH; i++) rows.push(columns.map((c) => c[i].toFixed(5)).join(','));
  const csv = path.join(made.dir, 'bursty.csv');
  fs.writeFileSync(csv, `${rows.join('\n')}\n`);
  value(await made.backend.call('createProject', { path: path.join(made.dir, 'bursty.tsad') }));
  const { jobId } = value<{ jobId: string }>(
    await made.backend.call('importDataset', { path: csv, options: { timeColumn: null } }),
  );
  const job = await made.backend.jobs.wait(jobId);
  expect(job.state, job.error?.message).toBe('done');
  seriesIds = value<{ series: { id: number }[] }>(await made.backend.call('getProject', {})).series.map((s) => s.id);
  expect(seriesIds).toHaveLength(SERIES);
}, 120_000);
afterAll(() => made.cleanup());

describe('retraining the verifier on reviews', () => {
  it('refuses to retrain before anything was reviewed', async () => {
    const { jobId } = value<{ jobId: string }>(await made.backend.call('retrainVerifier', {}));
    const job = await made.backend.jobs.wait(jobId);
    expect(job.state).toBe('failed');
    expect(job.error?.message).toMatch(/Nothing reviewed yet/);
  });

  it('rejecting false alarms and retraining lowers the false alarms on held-out series', async () => {
    const base = await runTwoStage();
    expect(base.status, base.error ?? '').toBe('done');
    expect(base.execution.verifier).toMatch(/^tsad-verifier@1\.0\.0$/);
    const trainIds = seriesIds.slice(0, TRAIN);
    const heldOutIds = seriesIds.slice(TRAIN);
    const baseHeldOut = (await Promise.all(heldOutIds.map((id) => predictionsOf(base.id, id)))).flat();
    // the bundled verifier takes some of these normal bursts for anomalies: there is something to learn
    expect(baseHeldOut.length).toBeGreaterThan(0);

    const toReject = (await Promise.all(trainIds.map((id) => predictionsOf(base.id, id)))).flat();
    expect(toReject.length).toBeGreaterThan(0);
    value(await made.backend.call('reviewPredictions', { predictionIds: toReject.map((p) => p.id), action: 'reject' }));

    const { jobId } = value<{ jobId: string }>(await made.backend.call('retrainVerifier', {}));
    const job = await made.backend.jobs.wait(jobId);
    expect(job.state, job.error?.message).toBe('done');
    const result = job.result as VerifierRetrainResult;
    expect(result.parent).toBe('tsad-verifier@1.0.0');
    expect(result.verifier).toBe('tsad-verifier@1.0.0-r.1');
    expect(result.reviewedSeries).toBe(TRAIN);
    expect(result.examples.negatives).toBeGreaterThanOrEqual(toReject.length);
    const listed = value<VerifierInfo[]>(await made.backend.call('listVerifiers', {}));
    expect(listed.find((v) => v.id === result.verifier)).toMatchObject({ source: 'user', parent: 'tsad-verifier@1.0.0' });

    // the newest version is the default from now on, and the run records it
    const tuned = await runTwoStage();
    expect(tuned.status, tuned.error ?? '').toBe('done');
    expect(tuned.execution.verifier).toBe(result.verifier);
    const tunedHeldOut = (await Promise.all(heldOutIds.map((id) => predictionsOf(tuned.id, id)))).flat();
    expect(tunedHeldOut.length).toBeLessThan(baseHeldOut.length);
  }, 600_000);
});
