import { flushPromises } from '@vue/test-utils';
import { transportFrom } from '../../common/client';
import type { Envelope } from '../../common/contract';
import { makeBackend } from '../helpers/backend';

/** A real backend behind `window.workbench`, as the renderer sees it in either transport. */
export function rendererBackend(): ReturnType<typeof makeBackend> {
  const ctx = makeBackend();
  window.workbench = transportFrom(
    (name, input) => ctx.backend.call(name, input) as Promise<Envelope<unknown>>,
    (listener) => ctx.backend.onEvent(listener),
  );
  return ctx;
}

/** Flushes Vue's updates until `check` holds (every 50 ms, `tries` times), else fails naming `what`. */
export async function until(check: () => boolean, what: string, tries = 600): Promise<void> {
  for (let i = 0; i < tries; i++) {
    await flushPromises();
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
