// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transportFrom } from '../../common/client';
import type { Envelope } from '../../common/contract';
import { makeBackend, valueOf } from '../helpers/backend';

// A real backend behind the section (real SQLite, worker threads, onnxruntime, real retraining).
let ctx: ReturnType<typeof makeBackend>;

beforeAll(async () => {
  ctx = makeBackend();
  window.workbench = transportFrom(
    (name, input) => ctx.backend.call(name, input) as Promise<Envelope<unknown>>,
    (listener) => ctx.backend.onEvent(listener),
  );
  valueOf(await ctx.backend.call('openSampleProject', {}));
});
afterAll(() => ctx.cleanup());

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    await flushPromises();
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

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
    await until(() => wrapper.find('[data-testid="retrain-result"]').exists(), 'the retraining result');
    expect(wrapper.get('[data-testid="retrain-result"]').text()).toMatch(
      /tsad-verifier@1\.0\.0-r\.1 \(from tsad-verifier@1\.0\.0\): \d+ anomalies/,
    );
    await until(() => wrapper.findAll('[data-testid="verifier-item"]').length === 2, 'the new version in the list');
    expect(wrapper.text()).toMatch(/1\.0\.0-r\.1\s*retrained\s*from tsad-verifier@1\.0\.0/);
  }, 600_000);
});
