// @vitest-environment happy-dom
import path from 'node:path';
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transportFrom } from '../../common/client';
import type { Envelope } from '../../common/contract';
import type { RunRecord } from '../../common/detection';
import { makeBackend, valueOf } from '../helpers/backend';
import { makeProject } from '../reliability/helpers';
import { rawDatabase } from '../../main/store/testing';

// A real backend behind the panel; the interrupted run is one whose owner process is gone (a pid that
// cannot exist), exactly what a killed `tsad detect` leaves.
let ctx: ReturnType<typeof makeBackend>;
let seriesIds: number[];

beforeAll(async () => {
  ctx = makeBackend();
  window.workbench = transportFrom(
    (name, input) => ctx.backend.call(name, input) as Promise<Envelope<unknown>>,
    (listener) => ctx.backend.onEvent(listener),
  );
  const file = path.join(ctx.dir, 'p.tsad.sqlite');
  seriesIds = makeProject(file, 3, 400);
  valueOf(await ctx.backend.call('openProject', { path: file }));
  const store = ctx.backend.currentProject()!;
  const runId = store.runs.create({ detector: 'rolling-zscore', detectorVersion: '1', params: { window: 20 }, seriesIds });
  store.runs.saveSeriesResult(runId, seriesIds[0], new Float32Array(400), []);
  rawDatabase(store).prepare('UPDATE runs SET owner_pid = 2147483646 WHERE id = ?').run(runId);
});
afterAll(() => ctx.cleanup());

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    await flushPromises();
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

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
