/**
 * The two-stage detector through the backend (real SQLite, worker threads, onnxruntime): what a run
 * records, and how a verifier that cannot be used (missing, damaged, not ONNX, another feature version)
 * makes the run fall back to screening with the reason in its record instead of failing.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredRationale } from '../../../common/contract';
import type { DetectorInfo, PredictionRecord, RunRecord } from '../../../common/detection';
import { ANOMALY_TYPES } from '../../../common/domain';
import { defaultBundledVerifiersDir } from '../../../main/verify';
import { makeBackend, valueOf as value } from '../../helpers/backend';
import { sineWithSpikeAndShift } from '../../helpers/random';

type Made = ReturnType<typeof makeBackend>;
let made: Made;
let seriesId = 0;
const userDir = () => path.join(made.dir, 'state', 'verifiers');

async function run(detector: string, params: Record<string, unknown> = {}): Promise<RunRecord> {
  const { jobId, runId } = value<{ jobId: string; runId: number }>(await made.backend.call('startRun', { detector, params }));
  await made.backend.jobs.wait(jobId);
  return value<RunRecord[]>(await made.backend.call('listRuns', {})).find((r) => r.id === runId)!;
}

/** A copy of the bundled verifier as a user version, changed by `edit`. */
function plantVerifier(version: string, edit: (dir: string, card: Record<string, unknown>) => void): void {
  const src = path.join(defaultBundledVerifiersDir(), 'tsad-verifier', '1.0.0');
  const dir = path.join(userDir(), 'tsad-verifier', version);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(src)) fs.copyFileSync(path.join(src, f), path.join(dir, f));
  const card = JSON.parse(fs.readFileSync(path.join(dir, 'card.json'), 'utf8')) as Record<string, unknown>;
  card.version = version;
  edit(dir, card);
  fs.writeFileSync(path.join(dir, 'card.json'), JSON.stringify(card));
}

beforeAll(async () => {
  made = makeBackend();
  const values = sineWithSpikeAndShift(4000);
  const csv = path.join(made.dir, 'one.csv');
  fs.writeFileSync(csv, `value\n${Array.from(values, (v) => v.toFixed(5)).join('\n')}\n`);
  value(await made.backend.call('createProject', { path: path.join(made.dir, 'one.tsad') }));
  const { jobId } = value<{ jobId: string }>(
    await made.backend.call('importDataset', { path: csv, options: { timeColumn: null } }),
  );
  expect((await made.backend.jobs.wait(jobId)).state).toBe('done');
  seriesId = value<{ series: { id: number }[] }>(await made.backend.call('getProject', {})).series[0].id;
}, 120_000);
afterAll(() => made.cleanup());

describe('two-stage detection', () => {
  it('is listed first, with the verifier and selection parameters', async () => {
    const list = value<DetectorInfo[]>(await made.backend.call('listDetectors', {}));
    expect(list[0].id).toBe('two-stage');
    expect(Object.keys(list[0].params)).toEqual(
      expect.arrayContaining(['verifier', 'minProbability', 'falseAlarmsPer10k', 'refine', 'threshold', 'k']),
    );
  });

  it('keeps verified intervals with their probability and type, and records the exact verifier', async () => {
    const r = await run('two-stage');
    expect(r.status, r.error ?? '').toBe('done');
    expect(r.execution).toMatchObject({ stage: 'two-stage', verifier: 'tsad-verifier@1.0.0' });
    expect(Number(r.execution.candidates)).toBeGreaterThanOrEqual(Number(r.execution.kept));
    const predictions = value<PredictionRecord[]>(await made.backend.call('listPredictions', { seriesId, runId: r.id }));
    expect(predictions.length).toBe(r.predictionCount);
    expect(predictions.length).toBeGreaterThan(0);
    for (const p of predictions) {
      expect(p.score).toBeGreaterThanOrEqual(0.5);
      expect(p.score).toBeLessThanOrEqual(1);
      expect(ANOMALY_TYPES).toContain(p.type);
    }
    // the spike of sineWithSpikeAndShift at 1500 is among them
    const spike = predictions.find((p) => p.start <= 1500 && p.end > 1500);
    expect(spike).toBeDefined();
    // and it says why it survived, in claims the checker verifies
    const why = value<StoredRationale[]>(
      await made.backend.call('listRationales', { seriesId, start: spike!.start, end: spike!.end }),
    ).find((r) => r.source === 'verifier' && r.predictionId === spike!.id);
    expect(why?.text).toMatch(/^The verifier kept this interval with confidence \d+%\. Its strongest evidence: /);
    expect(why?.detail).toMatchObject({ verifier: 'tsad-verifier@1.0.0' });
    expect(why!.faithfulness.contradicted).toBe(0);
    expect(why!.faithfulness.verified).toBeGreaterThanOrEqual(2);
    // a stricter minimum keeps no more
    const strict = await run('two-stage', { minProbability: 0.99 });
    expect(strict.predictionCount).toBeLessThanOrEqual(r.predictionCount);
  });

  it('falls back to screening, saying why, when the verifier is missing, damaged, not ONNX or of another feature version', async () => {
    plantVerifier('9.0.0', (dir) => fs.appendFileSync(path.join(dir, 'verifier.onnx'), 'x'));
    plantVerifier('9.0.1', (_dir, card) => {
      card.featureVersion = 0;
    });
    plantVerifier('9.0.2', (dir, card) => {
      fs.writeFileSync(path.join(dir, 'verifier.onnx'), 'not a model');
      // a card that matches the garbage, so the hash check passes and onnxruntime gets to refuse it
      (card.onnx as { sha256: string }).sha256 = createHash('sha256').update('not a model').digest('hex');
    });
    const cases: [string, RegExp][] = [
      ['no-such-verifier', /No verifier "no-such-verifier"/],
      ['tsad-verifier@9.0.0', /damaged: its sha256/],
      ['tsad-verifier@9.0.1', /feature version 0 .*Retrain it/],
      ['tsad-verifier@9.0.2', /cannot be loaded by onnxruntime/],
    ];
    for (const [verifier, why] of cases) {
      const r = await run('two-stage', { verifier });
      expect(r.status, `${verifier}: ${r.error ?? ''}`).toBe('done');
      expect(r.execution.stage, verifier).toBe('screening-only');
      expect(String(r.execution.verifierError), verifier).toMatch(why);
      expect(String(r.execution.note)).toMatch(/screening intervals only/);
      expect(r.predictionCount, verifier).toBeGreaterThan(0);
    }
  });
});
