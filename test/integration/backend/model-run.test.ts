import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DetectorInfo, RunRecord } from '../../../common/detection';
import { makeBackend, valueOf as value } from '../../helpers/backend';

type Made = ReturnType<typeof makeBackend>;
let made: Made;

beforeAll(async () => {
  made = makeBackend();
  value(await made.backend.call('openSampleProject', {}));
});
afterAll(() => made.cleanup());

async function runToEnd(detector: string, params: Record<string, unknown> = {}): Promise<RunRecord> {
  const { jobId, runId } = value<{ jobId: string; runId: number }>(await made.backend.call('startRun', { detector, params }));
  await made.backend.jobs.wait(jobId);
  return value<RunRecord[]>(await made.backend.call('listRuns', {})).find((r) => r.id === runId)!;
}

describe('learned models as detectors in runs (real onnxruntime in worker threads)', () => {
  it('lists every model version as a detector with its parameters, the provider choice and thresholding', async () => {
    const list = value<DetectorInfo[]>(await made.backend.call('listDetectors', {}));
    const models = list.filter((d) => d.kind === 'model');
    expect(models.length).toBeGreaterThan(0);
    const m = models[0];
    expect(m.id).toMatch(/^model:tsad-window-cnn@\d/);
    expect(m.model).toMatchObject({ name: 'tsad-window-cnn', source: 'bundled' });
    expect(Object.keys(m.params)).toEqual(expect.arrayContaining(['stride', 'batchSize', 'provider', 'threshold', 'k']));
    expect(list.some((d) => d.id === 'poly')).toBe(true);
  });

  it('runs model:NAME pinned to its newest version and records what ran', async () => {
    const run = await runToEnd('model:tsad-window-cnn', { threshold: 'top-k', k: 2 });
    expect(run.status, run.error ?? '').toBe('done');
    expect(run.detector).toMatch(/^model:tsad-window-cnn@/);
    expect(run.detector.endsWith(`@${run.detectorVersion}`)).toBe(true);
    expect(run.modelId).not.toBeNull();
    expect(run.execution.provider).toBe('cpu');
    expect(typeof run.execution.inference_s).toBe('number');
    expect(run.predictionCount).toBeGreaterThan(0);
    const series = value<{ series: { id: number; length: number }[] }>(await made.backend.call('getProject', {})).series[0];
    const view = value<{ length: number }>(
      await made.backend.call('getScoreView', { runId: run.id, seriesId: series.id, from: 0, to: series.length, pixels: 100 }),
    );
    expect(view.length).toBe(series.length);
    const evaluation = value<{ overall: Record<string, number | null> }>(
      await made.backend.call('evaluateRun', { runId: run.id }),
    );
    expect(typeof evaluation.overall.vus_pr).toBe('number');
  });

  it('falls back to the CPU with the reason recorded when the preferred provider cannot run', async () => {
    const run = await runToEnd('model:tsad-window-cnn', { provider: 'webgpu' });
    expect(run.status, run.error ?? '').toBe('done');
    // on a machine where WebGPU works the run says so; everywhere else it ran on the CPU and says why
    if (run.execution.provider !== 'webgpu') {
      expect(run.execution.provider).toBe('cpu');
      expect(String(run.execution.fallbackReason)).toMatch(/webgpu/i);
    }
  });

  it('refuses an unknown model and bad parameters with clear errors', async () => {
    const unknown = await made.backend.call('startRun', { detector: 'model:no-such-model' });
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) {
      expect(unknown.error.code).toBe('not_found');
      expect(unknown.error.message).toMatch(/no-such-model.*known: .*tsad-window-cnn/);
    }
    const bad = await made.backend.call('startRun', { detector: 'model:tsad-window-cnn', params: { stride: 0 } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/stride/);
    const runsBefore = value<RunRecord[]>(await made.backend.call('listRuns', {})).length;
    const scales = await made.backend.call('startRun', { detector: 'model:tsad-window-cnn', params: { scales: '4,16' } });
    expect(scales.ok).toBe(false);
    if (!scales.ok) {
      expect(scales.error.code).toBe('invalid_input');
      expect(scales.error.message).toMatch(/scales: must include 1/);
    }
    // refused before a run was created
    expect(value<RunRecord[]>(await made.backend.call('listRuns', {})).length).toBe(runsBefore);
  });
});
