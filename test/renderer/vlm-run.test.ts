// @vitest-environment happy-dom
import path from 'node:path';
import { mount } from '@vue/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DetectorInfo, RunRecord } from '../../common/detection';
import { valueOf } from '../helpers/backend';
import { rendererBackend, until } from './helpers';
import { makeProject } from '../reliability/helpers';

// The bundled VLM from the runs panel, for real (onnxruntime-node in this process), and its rationale in
// the card with what it saw. Series of 1200 points: two overlapping windows of 1000, one a shorter one.
let ctx: ReturnType<typeof rendererBackend>;
let seriesIds: number[];

beforeAll(async () => {
  ctx = rendererBackend();
  const file = path.join(ctx.dir, 'p.tsad.sqlite');
  seriesIds = makeProject(file, 1, 1200);
  valueOf(await ctx.backend.call('openProject', { path: file }));
});
afterAll(() => ctx.cleanup());

describe('the plot VLM in the app', () => {
  it('runs from the runs panel and its rationale card shows the plot, prompt, raw output and check', async () => {
    const { default: RunsPanel } = await import('../../renderer/src/components/RunsPanel.vue');
    const { default: RationaleCard } = await import('../../renderer/src/components/RationaleCard.vue');
    const detectors = valueOf<DetectorInfo[]>(await ctx.backend.call('listDetectors', {}));
    const vlm = detectors.find((d) => d.kind === 'vlm');
    expect(vlm?.id).toMatch(/^vlm:tsad-plot-vlm@\d+\.\d+\.\d+$/);
    const wrapper = mount(RunsPanel, {
      props: { runs: [], seriesId: seriesIds[0], visible: [], activeRunId: null, labelsVersion: 0 },
    });
    await until(() => wrapper.findAll('[data-testid="detector-select"] option').length > 0, 'the detector list');
    await wrapper.get('[data-testid="detector-select"]').setValue(vlm!.id);
    expect(wrapper.text()).toContain('reads a 1000×150 plot');
    await wrapper.get('[data-testid="start-run"]').trigger('click');
    await until(() => ctx.backend.jobs.list().length > 0, 'the VLM run to start');
    for (const job of valueOf<{ id: string }[]>(await ctx.backend.call('listJobs', {}))) await ctx.backend.jobs.wait(job.id);
    const [run] = valueOf<RunRecord[]>(await ctx.backend.call('listRuns', {}));
    expect(run).toMatchObject({ detector: vlm!.id, status: 'done', seriesIds });
    expect(wrapper.find('[role="alert"]').exists()).toBe(false);

    const store = ctx.backend.currentProject()!;
    const predictions = store.runs.predictions({ runId: run.id, seriesId: seriesIds[0] });
    // the series has a +6 bump at 360..380 that the model is expected to flag
    expect(predictions.length).toBeGreaterThan(0);
    const p = predictions[0];
    const card = mount(RationaleCard, { props: { seriesId: seriesIds[0], start: p.start, end: p.end, labelsVersion: 0 } });
    await until(() => card.find('[data-testid="other-rationale"][data-source="model"]').exists(), 'the model rationale');
    const model = card.get('[data-testid="other-rationale"][data-source="model"]');
    expect(model.text()).toContain(`Model answer (${vlm!.id.slice(4)})`);
    // its claims checked on the window it saw (a contradicted one is listed with what the data says)
    expect(model.text()).toMatch(/✓ \d+ verified · ✗ \d+ contradicted · \? \d+ unverifiable/);
    expect(model.get('[data-testid="model-seen-image"]').attributes('src')).toMatch(/^data:image\/png;base64,iVBOR/);
    expect(model.text()).toContain('the same image (sha256 matches)');
    expect(model.get('[data-testid="model-seen-prompt"]').text()).toMatch(/time series of 1000 points/);
    expect(model.get('[data-testid="model-seen-raw"]').text()).toMatch(/^<think>[\s\S]*<\/think><answer>\[.*\]<\/answer><class>/);
  }, 120_000);
});
