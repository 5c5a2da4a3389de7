// @vitest-environment happy-dom
import fs from 'node:fs';
import path from 'node:path';
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transportFrom } from '../../common/client';
import type { Envelope, ProjectSummary } from '../../common/contract';
import { makeBackend } from '../helpers/backend';

// The dialog talks to a real backend (real SQLite, real export jobs in worker threads) through the
// transport shape the preload provides; every call is recorded to check what was sent.
let ctx: ReturnType<typeof makeBackend>;
const calls: { name: string; input: Record<string, unknown> }[] = [];
let project: ProjectSummary;

beforeAll(async () => {
  ctx = makeBackend();
  window.workbench = transportFrom(
    (name, input) => {
      calls.push({ name, input: input as Record<string, unknown> });
      return ctx.backend.call(name, input) as Promise<Envelope<unknown>>;
    },
    (listener) => ctx.backend.onEvent(listener),
  );
  const created = await ctx.backend.call('createProject', { path: path.join(ctx.dir, 'p.tsad.sqlite') });
  if (!created.ok) throw new Error(created.error.message);
  const store = ctx.backend.currentProject()!;
  const values = Float64Array.from({ length: 400 }, (_, i) => Math.sin(i / 6) + (i >= 200 && i < 220 ? 4 : 0));
  const { seriesIds } = store.insertDataset({
    name: 'plant',
    sourcePath: null,
    sourceHash: null,
    sourceSize: null,
    time: null,
    columns: [{ name: 'temp', values }],
  });
  store.createLabels([{ seriesId: seriesIds[0], start: 200, end: 220, type: 'level-shift', note: '', origin: 'drawn' }]);
  const summary = await ctx.backend.call('getProject', {});
  if (!summary.ok) throw new Error(summary.error.message);
  project = summary.value as ProjectSummary;
});
afterAll(() => ctx.cleanup());

/** Lets backend calls, worker jobs and their events come back. */
async function settle(until: () => boolean = () => false, maxMs = 10_000): Promise<void> {
  const t0 = Date.now();
  do {
    await flushPromises();
    await new Promise((r) => setTimeout(r, 20));
  } while (!until() && Date.now() - t0 < maxMs);
}

const exportCalls = () => calls.filter((c) => c.name === 'exportProject');

describe('ExportDialog', () => {
  it('counts first, exports, and overwrites an existing file only after the user confirms', async () => {
    const { default: ExportDialog } = await import('../../renderer/src/components/ExportDialog.vue');
    const wrapper = mount(ExportDialog, { props: { project, seriesId: project.series[0].id }, attachTo: document.body });
    await settle(() => wrapper.findAll('[data-testid="export-format"] option').length > 0);
    // the suggested target sits next to the project file
    expect((wrapper.get('[data-testid="export-path"]').element as HTMLInputElement).value).toBe(
      path.join(ctx.dir, 'p-labels-csv.csv'),
    );
    const out = path.join(ctx.dir, 'labels.csv');
    await wrapper.get('[data-testid="export-path"]').setValue(out);

    await wrapper.get('[data-testid="export-count"]').trigger('click');
    await settle(() => wrapper.find('[data-testid="export-preview"]').exists());
    expect(wrapper.get('[data-testid="export-preview"]').text()).toMatch(/1\s+record from 1 series \(1\s+label,/);
    expect(fs.existsSync(out)).toBe(false);

    await wrapper.get('[data-testid="export-start"]').trigger('click');
    await settle(() => wrapper.find('[data-testid="export-status"]').text().startsWith('Wrote'));
    expect(wrapper.get('[data-testid="export-status"]').text()).toContain(`Wrote 1 record to ${fs.realpathSync(out)}`);
    expect(wrapper.find('[data-testid="export-confirm"]').exists()).toBe(false);
    expect(exportCalls().map((c) => c.input.force)).toEqual([undefined]);
    const written = fs.readFileSync(out, 'utf8');
    expect(written).toContain('plant,temp,');

    // the target exists now: a second export asks first, and "Keep it" leaves the file alone
    fs.writeFileSync(out, 'keep me');
    await wrapper.get('[data-testid="export-start"]').trigger('click');
    await settle(() => wrapper.find('[data-testid="export-confirm"]').exists());
    expect(wrapper.get('[data-testid="export-confirm"]').text()).toContain(`Overwrite ${fs.realpathSync(out)}?`);
    expect(exportCalls()).toHaveLength(1);
    await wrapper.get('[data-testid="export-confirm-cancel"]').trigger('click');
    await settle(() => !wrapper.find('[data-testid="export-confirm"]').exists(), 500);
    expect(wrapper.find('[data-testid="export-confirm"]').exists()).toBe(false);
    expect(exportCalls()).toHaveLength(1);
    expect(fs.readFileSync(out, 'utf8')).toBe('keep me');

    // confirming sends force and replaces the file
    await wrapper.get('[data-testid="export-start"]').trigger('click');
    await settle(() => wrapper.find('[data-testid="export-overwrite"]').exists());
    await wrapper.get('[data-testid="export-overwrite"]').trigger('click');
    await settle(
      () => fs.readFileSync(out, 'utf8') !== 'keep me' && wrapper.get('[data-testid="export-status"]').text().startsWith('Wrote'),
    );
    expect(exportCalls().map((c) => c.input.force)).toEqual([undefined, true]);
    expect(fs.readFileSync(out, 'utf8')).toBe(written);
    wrapper.unmount();
  }, 60_000);

  it('shows the backend error for a target outside the allowed folders', async () => {
    const { default: ExportDialog } = await import('../../renderer/src/components/ExportDialog.vue');
    const wrapper = mount(ExportDialog, { props: { project, seriesId: null } });
    await settle(() => wrapper.findAll('[data-testid="export-format"] option').length > 0);
    await wrapper.get('[data-testid="export-path"]').setValue('/proc/tsad-export.csv');
    await wrapper.get('[data-testid="export-count"]').trigger('click');
    await settle(() => wrapper.find('[data-testid="export-error"]').exists());
    expect(wrapper.get('[data-testid="export-error"]').text()).toMatch(/outside|allowed/i);
    wrapper.unmount();
  });
});
