import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkbenchEvent } from '../../../common/contract';
import { startServer, type RunningServer } from '../../../main/server/serve';
import { makeBackend } from '../../helpers/backend';

let ctx: ReturnType<typeof makeBackend>;
let server: RunningServer;

beforeAll(async () => {
  ctx = makeBackend();
  const rendererDir = path.join(ctx.dir, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>workbench</title>');
  fs.writeFileSync(path.join(ctx.dir, 'secret.txt'), 'outside the renderer');
  server = await startServer({ backend: ctx.backend, rendererDir });
});
afterAll(async () => {
  await server.close();
  ctx.cleanup();
});

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: 2000 });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

describe('serve mode', () => {
  it('listens on 127.0.0.1 only', async () => {
    expect(server.url.startsWith('http://127.0.0.1:')).toBe(true);
    expect(await connects('127.0.0.1', server.port)).toBe(true);
    const external = Object.values(os.networkInterfaces())
      .flat()
      .filter((i): i is os.NetworkInterfaceInfo => !!i && !i.internal);
    for (const iface of external) expect(await connects(iface.address, server.port), iface.address).toBe(false);
    expect(await connects('::1', server.port)).toBe(false);
  });

  it('refuses requests without the token, or with a wrong one', async () => {
    for (const url of [`${server.origin}/`, `${server.origin}/?token=wrong`, `${server.origin}/api/appInfo`]) {
      const res = await fetch(url, { method: url.includes('/api/') ? 'POST' : 'GET', redirect: 'manual' });
      expect(res.status, url).toBe(401);
    }
    const bearer = await fetch(`${server.origin}/api/appInfo`, { method: 'POST', headers: { Authorization: 'Bearer nope' } });
    expect(bearer.status).toBe(401);
  });

  it('trades the URL token for an HttpOnly cookie and serves the app with a strict CSP', async () => {
    const first = await fetch(server.url, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('/');
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await fetch(`${server.origin}/`, { headers: { cookie: cookie.split(';')[0] } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('workbench');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    const api = await fetch(`${server.origin}/api/appInfo`, {
      method: 'POST',
      headers: { cookie: cookie.split(';')[0] },
      body: '{}',
    });
    expect(await api.json()).toMatchObject({ ok: true, value: { name: 'TSAD Workbench' } });
  });

  it('refuses foreign Host headers (DNS rebinding) and cross-origin API calls', async () => {
    const auth = { Authorization: `Bearer ${server.token}` };
    const rebind = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: server.port, path: '/', headers: { ...auth, Host: 'evil.example' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(rebind).toBe(403);
    const cross = await fetch(`${server.origin}/api/appInfo`, {
      method: 'POST',
      headers: { ...auth, Origin: 'https://evil.example' },
      body: '{}',
    });
    expect(cross.status).toBe(403);
  });

  it('does not serve files outside the renderer folder', async () => {
    const res = await fetch(`${server.origin}/..%2Fsecret.txt`, { headers: { Authorization: `Bearer ${server.token}` } });
    expect([403, 404]).toContain(res.status);
    expect(await res.text()).not.toContain('outside the renderer');
  });

  it('refuses paths outside the allowed roots through the API', async () => {
    const res = await fetch(`${server.origin}/api/openProject`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}` },
      body: JSON.stringify({ path: `${ctx.dir}/../../../../etc/passwd` }),
    });
    const body = (await res.json()) as { ok: boolean; error?: { code: string } };
    expect(body.ok).toBe(false);
    expect(['unauthorized', 'invalid_input']).toContain(body.error?.code);
    const list = await fetch(`${server.origin}/api/listDirectory`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}` },
      body: JSON.stringify({ path: '/etc' }),
    });
    expect(((await list.json()) as { ok: boolean }).ok).toBe(false);
  });

  it('streams events over an authenticated WebSocket and refuses unauthenticated ones', async () => {
    const wsUrl = `ws://127.0.0.1:${server.port}/events`;
    const refused = await new Promise<boolean>((resolve) => {
      const ws = new WebSocket(wsUrl);
      ws.on('open', () => resolve(false));
      ws.on('error', () => resolve(true));
    });
    expect(refused).toBe(true);

    const ws = new WebSocket(wsUrl, { headers: { Authorization: `Bearer ${server.token}` } });
    await new Promise((resolve, reject) => {
      ws.on('open', resolve);
      ws.on('error', reject);
    });
    const got = new Promise<WorkbenchEvent>((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))));
    await fetch(`${server.origin}/api/openSampleProject`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}` },
      body: '{}',
    });
    expect(await got).toMatchObject({ type: 'projectChanged', reason: 'opened' });
    ws.close();
  });
});
