// @vitest-environment happy-dom
import fs from 'node:fs';
import path from 'node:path';
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { transportFrom } from '../../common/client';
import type { Envelope } from '../../common/contract';
import { makeBackend } from '../helpers/backend';

// The component talks to a real backend (real SQLite, real sample import) through the same
// transport shape the preload provides; only the process boundary is skipped.
let ctx: ReturnType<typeof makeBackend>;

beforeAll(() => {
  ctx = makeBackend();
  window.workbench = transportFrom(
    (name, input) => ctx.backend.call(name, input) as Promise<Envelope<unknown>>,
    (listener) => ctx.backend.onEvent(listener),
  );
});
afterAll(() => ctx.cleanup());

/** Lets the backend answer: at least 20 rounds, and until `done` holds (a loaded machine may need more). */
async function settle(done: () => boolean = () => true): Promise<void> {
  for (let i = 0; i < 20 || (!done() && i < 1000); i++) {
    await flushPromises();
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('HomeView', () => {
  it('opens the bundled sample into a new project and reports it', async () => {
    const { default: HomeView } = await import('../../renderer/src/components/HomeView.vue');
    const wrapper = mount(HomeView);
    await settle();
    expect(wrapper.text()).toContain('No recent projects yet');
    await wrapper.get('[data-testid="open-sample"]').trigger('click');
    // the sample import takes seconds when the whole suite shares two cores: wait for it, not a fixed 200 ms
    await vi.waitFor(() => expect(wrapper.emitted('opened')).toHaveLength(1), { timeout: 30_000, interval: 50 });
    const project = ctx.backend.currentProject();
    expect(project).not.toBeNull();
    expect(project!.listSeries()).toHaveLength(1);
    expect(project!.listSeries()[0].length).toBe(4031);
    wrapper.unmount();
  });

  it('creates a project through the folder browser and shows errors from the backend', async () => {
    const { default: HomeView } = await import('../../renderer/src/components/HomeView.vue');
    const wrapper = mount(HomeView);
    await settle();
    expect(wrapper.text()).toContain('sample-'); // the sample project is now a recent project
    await wrapper.get('[data-testid="new-project"]').trigger('click');
    await settle();
    const browser = wrapper.get('[data-testid="file-browser"]');
    expect(browser.text()).toContain(path.basename(ctx.dir) === '' ? '' : 'state');
    await wrapper.get('[data-testid="save-name"]').setValue('mine.tsad.sqlite');
    await wrapper.get('[data-testid="save-confirm"]').trigger('click');
    await vi.waitFor(() => expect(wrapper.emitted('opened')).toHaveLength(1), { timeout: 30_000, interval: 50 });
    expect(fs.existsSync(path.join(ctx.dir, 'mine.tsad.sqlite'))).toBe(true);
    expect(wrapper.emitted('opened')).toHaveLength(1);

    // creating it again is refused with the backend's message, shown to the user
    await wrapper.get('[data-testid="new-project"]').trigger('click');
    await settle();
    await wrapper.get('[data-testid="save-name"]').setValue('mine.tsad.sqlite');
    await wrapper.get('[data-testid="save-confirm"]').trigger('click');
    await settle();
    expect(wrapper.get('[data-testid="home-error"]').text()).toMatch(/already exists/);
    wrapper.unmount();
  });
});
