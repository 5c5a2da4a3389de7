import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipcChannel, METHOD_NAMES } from '../../../common/contract';
import type { Envelope } from '../../../common/contract';
import { registerIpcHandlers, type IpcInvokeEventLike, type IpcMainLike } from '../../../main/ipc/register';
import { startServer, type RunningServer } from '../../../main/server/serve';
import { makeBackend } from '../../helpers/backend';

// Inputs that no method accepts: every method's schema is a strict object.
const GARBAGE: unknown[] = [
  null,
  42,
  'a string',
  [],
  [1, 2, 3],
  true,
  { unexpected: 'key' },
  { path: 123, seriesId: 'x', from: -1, to: 'y', pixels: 0, id: 1.5, start: -3, end: NaN },
  { seriesId: -1, from: 10, to: 5, pixels: 1_000_000 },
  { id: 'DROP TABLE labels', type: 'not-a-type', note: 7 },
  { path: 'x'.repeat(10_000) },
  { nested: { deeper: { deepest: [{}] } } },
];

/** A stand-in for Electron's ipcMain (the Electron binary cannot run here); the handlers are the real ones. */
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcInvokeEventLike, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void {
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, url: string, input: unknown): Promise<Envelope<unknown>> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`no handler for ${channel}`);
    return Promise.resolve(h({ senderFrame: { url } }, input) as Envelope<unknown>);
  }
}

const APP_URL = 'file:///opt/tsad/out/renderer/index.html';

let ctx: ReturnType<typeof makeBackend>;
let server: RunningServer;
const ipc = new FakeIpcMain();

beforeAll(async () => {
  ctx = makeBackend();
  const rendererDir = path.join(ctx.dir, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  server = await startServer({ backend: ctx.backend, rendererDir });
  registerIpcHandlers(ipc, ctx.backend, (url) => url === APP_URL);
  // open a project so methods get past "no project" and reach validation-dependent paths
  const created = await ctx.backend.call('openSampleProject', {});
  expect(created.ok).toBe(true);
});

afterAll(async () => {
  await server.close();
  ctx.cleanup();
});

async function httpCall(name: string, body: string): Promise<{ status: number; envelope: Envelope<unknown> }> {
  const res = await fetch(`${server.origin}/api/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` },
    body,
  });
  return { status: res.status, envelope: (await res.json()) as Envelope<unknown> };
}

describe('every API method rejects malformed input with a typed error', () => {
  it.each(METHOD_NAMES)('%s over HTTP', async (name) => {
    for (const input of GARBAGE) {
      const { envelope } = await httpCall(name, JSON.stringify(input));
      expect(envelope.ok, `${name} accepted ${JSON.stringify(input).slice(0, 80)}`).toBe(false);
      if (!envelope.ok) {
        expect(envelope.error.code).toBe('invalid_input');
        expect(envelope.error.message).toContain(name);
      }
    }
  });

  it.each(METHOD_NAMES)('%s through the IPC handler layer', async (name) => {
    for (const input of GARBAGE) {
      const envelope = await ipc.invoke(ipcChannel(name), APP_URL, input);
      expect(envelope.ok).toBe(false);
      if (!envelope.ok) expect(envelope.error.code).toBe('invalid_input');
    }
  });

  it('answers a body that is not JSON, and an unknown method, with typed errors', async () => {
    const notJson = await httpCall('getView', '{not json');
    expect(notJson.status).toBe(400);
    expect(notJson.envelope).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const unknown = await httpCall('dropEverything', '{}');
    expect(unknown.envelope).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('refuses IPC calls from frames that are not the app', async () => {
    const envelope = await ipc.invoke(ipcChannel('appInfo'), 'https://evil.example/', {});
    expect(envelope).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const ok = await ipc.invoke(ipcChannel('appInfo'), APP_URL, {});
    expect(ok.ok).toBe(true);
  });

  it('registers exactly one IPC channel per contract method', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(METHOD_NAMES.map(ipcChannel).sort());
  });

  it('still works after all that garbage', async () => {
    const { envelope } = await httpCall('getProject', '{}');
    expect(envelope.ok).toBe(true);
  });
});
