// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
