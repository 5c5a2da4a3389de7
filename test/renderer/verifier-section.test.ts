// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { valueOf } from '../helpers/backend';
import { rendererBackend, until } from './helpers';

// A real backend behind the section (real SQLite, worker threads, onnxruntime, real retraining).
let ctx: ReturnType<typeof rendererBackend>;

beforeAll(async () => {
  ctx = rendererBackend();
  valueOf(await ctx.backend.call('openSampleProject', {}));
});
afterAll(() => ctx.cleanup());

describe('VerifierSection', () => {
  it('lists the bundled verifier, retrains one on a label, and lists the new version', async () => {
    const { default: VerifierSection } = await import('../../renderer/src/components/VerifierSection.vue');
    const wrapper = mount(VerifierSection);
    await until(() => wrapper.findAll('[data-testid="verifier-item"]').length > 0, 'the verifier list');
    expect(wrapper.text()).toContain('tsad-verifier@1.0.0');

    const project = valueOf<{ series: { id: number; length: number }[] }>(await ctx.backend.call('getProject', {}));
    const s = project.series[0];
    valueOf(
      await ctx.backend.call('createLabel', {
        seriesId: s.id,
        start: Math.floor(s.length / 2),
        end: Math.floor(s.length / 2) + 5,
      }),
    );

    await wrapper.get('[data-testid="retrain-verifier"]').trigger('click');
    await until(() => wrapper.find('[data-testid="retrain-result"]').exists(), 'the retraining result', 6000);
    expect(wrapper.get('[data-testid="retrain-result"]').text()).toMatch(
      /tsad-verifier@1\.0\.0-r\.1 \(from tsad-verifier@1\.0\.0\): \d+ anomalies/,
    );
    await until(() => wrapper.findAll('[data-testid="verifier-item"]').length === 2, 'the new version in the list', 6000);
    expect(wrapper.text()).toMatch(/1\.0\.0-r\.1\s*retrained\s*from tsad-verifier@1\.0\.0/);
  }, 600_000);
});
