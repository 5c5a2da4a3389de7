// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { newJobFile, writeJobFile } from '../../main/finetune';
import { valueOf } from '../helpers/backend';
import { rendererBackend, until } from './helpers';

// A real backend behind the panel (real SQLite, onnxruntime, detectors); no Python for training here on
// purpose (TSAD_PYTHON=none), so "Fine-tune" shows the command instead of starting a job.
process.env.TSAD_PYTHON = 'none';
let ctx: ReturnType<typeof rendererBackend>;

beforeAll(async () => {
  ctx = rendererBackend();
  valueOf(await ctx.backend.call('openSampleProject', {}));
});
afterAll(() => ctx.cleanup());

describe('ModelsPanel', () => {
  it('lists the models, shows the training command without Python, and runs a calibrated ensemble', async () => {
    const { default: ModelsPanel } = await import('../../renderer/src/components/ModelsPanel.vue');
    const wrapper = mount(ModelsPanel);
    await until(() => wrapper.findAll('[data-testid="model-item"]').length > 0, 'the model list');
    expect(wrapper.text()).toContain('tsad-window-cnn');

    await wrapper.get('[data-testid="start-finetune"]').trigger('click');
    await until(() => wrapper.find('[data-testid="finetune-command"]').exists(), 'the command');
    expect(wrapper.get('[data-testid="finetune-command"]').text()).toContain('finetune.py');
    expect(wrapper.text()).toContain('TSAD_PYTHON=none');

    await wrapper.get('[data-testid="start-calibrate"]').trigger('click');
    await until(() => wrapper.find('[data-testid="calibration-table"]').exists(), 'the calibration table');
    expect(wrapper.get('[data-testid="calibration-table"]').text()).toMatch(/calibrated\s*\d\.\d{3}/);

    await wrapper.get('[data-testid="run-calibrated"]').trigger('click');
    await until(() => (wrapper.emitted('runsChanged') ?? []).length > 0, 'the run to start');
    const runs = ctx.backend.currentProject()!.runs.list();
    expect(runs.some((r) => r.detector === 'ensemble')).toBe(true);
    wrapper.unmount();
  }, 120_000);
  it('shows an interrupted fine-tune with what happened, and Delete forgets it', async () => {
    const dir = path.join(ctx.backend.options.stateDir, 'finetune', 'tsad-window-cnn-1.2.0-ft.1-x');
    fs.mkdirSync(dir, { recursive: true });
    const record = {
      base: 'tsad-window-cnn@1.2.0',
      project: 'p',
      trainSeriesIds: [1],
      heldOutSeriesIds: [],
      labelCount: 1,
      createdAt: '',
    };
    // a process id no process has (pid_max is at most 2^22): the owner is gone
    writeJobFile(dir, {
      ...newJobFile({ base: record.base, model: 'tsad-window-cnn@1.2.0-ft.1', quick: true, record }),
      owner: { pid: 2 ** 22 + 1, host: (await import('node:os')).hostname() },
    });
    const { default: ModelsPanel } = await import('../../renderer/src/components/ModelsPanel.vue');
    const wrapper = mount(ModelsPanel);
    await until(() => wrapper.find('[data-testid="unfinished-finetune"]').exists(), 'the interrupted fine-tune');
    const item = wrapper.get('[data-testid="unfinished-finetune"]');
    expect(item.text()).toContain('interrupted');
    expect(item.text()).toContain('nothing was registered');
    await item
      .findAll('button')
      .find((b) => b.text() === 'Delete')!
      .trigger('click');
    await until(() => !wrapper.find('[data-testid="unfinished-finetune"]').exists(), 'the fine-tune to be forgotten');
    expect(fs.existsSync(dir)).toBe(false);
    wrapper.unmount();
  }, 120_000);
});
