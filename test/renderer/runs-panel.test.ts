// @vitest-environment happy-dom
import path from 'node:path';
import { mount } from '@vue/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../common/detection';
import { valueOf } from '../helpers/backend';
import { rendererBackend, until } from './helpers';
import { makeProject } from '../reliability/helpers';
import { rawDatabase } from '../../main/store/testing';

// A real backend behind the panel; the interrupted run is one whose owner process is gone (a pid that
// cannot exist), exactly what a killed `tsad detect` leaves.
let ctx: ReturnType<typeof rendererBackend>;
let seriesIds: number[];

beforeAll(async () => {
  ctx = rendererBackend();
  const file = path.join(ctx.dir, 'p.tsad.sqlite');
  seriesIds = makeProject(file, 3, 400);
  valueOf(await ctx.backend.call('openProject', { path: file }));
  const store = ctx.backend.currentProject()!;
  const runId = store.runs.create({ detector: 'rolling-zscore', detectorVersion: '1', params: { window: 20 }, seriesIds });
  store.runs.saveSeriesResult(runId, seriesIds[0], new Float32Array(400), []);
  rawDatabase(store).prepare('UPDATE runs SET owner_pid = 2147483646 WHERE id = ?').run(runId);
});
afterAll(() => ctx.cleanup());

describe('RunsPanel', () => {
  it('shows an interrupted run as partial with Resume, and Resume completes it', async () => {
    const { default: RunsPanel } = await import('../../renderer/src/components/RunsPanel.vue');
    const runs = valueOf<RunRecord[]>(await ctx.backend.call('listRuns', {}));
    expect(runs[0].status).toBe('interrupted');
    const wrapper = mount(RunsPanel, {
      props: { runs, seriesId: seriesIds[0], visible: [], activeRunId: null, labelsVersion: 0 },
    });
    await until(() => wrapper.find('[data-testid="run-partial"]').exists(), 'the partial marker');
    expect(wrapper.get('[data-testid="run-partial"]').text()).toBe('partial · 1 of 3 series');
    expect(wrapper.text()).toContain('interrupted');
    await wrapper.get('[data-testid="run-resume"]').trigger('click');
    // the panel asks the backend; the list updates from the backend's 'runs' event (one-way data flow)
    await until(() => ctx.backend.jobs.list().length > 0, 'the resume to start');
    for (const job of valueOf<{ id: string }[]>(await ctx.backend.call('listJobs', {}))) await ctx.backend.jobs.wait(job.id);
    const [done] = valueOf<RunRecord[]>(await ctx.backend.call('listRuns', {}));
    expect(done.status).toBe('done');
    expect(done.seriesIds).toEqual(seriesIds);
    await wrapper.setProps({ runs: [done] });
    expect(wrapper.find('[data-testid="run-resume"]').exists()).toBe(false);
  });
});
