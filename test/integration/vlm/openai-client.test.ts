import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, FileSecretStore, redact } from '../../../main/vlm';
import { makeTempDir } from '../../helpers/tmp';

/**
 * TEST DOUBLE: a local server speaking the OpenAI chat-completions protocol over loopback, because no
 * model server runs on this machine. Its behaviour per request is scripted by the test.
 */
type Script = (
  body: { model: string; messages: { role: string; content: unknown }[] },
  req: http.IncomingMessage,
) => { status: number; body: unknown; delayMs?: number };
let script: Script = () => ({ status: 200, body: {} });
let inFlight = 0;
let maxInFlight = 0;
let requests = 0;
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      requests++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const out = script(JSON.parse(raw), req);
      setTimeout(() => {
        inFlight--;
        if (res.destroyed) return;
        res.writeHead(out.status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(out.body));
      }, out.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
afterEach(() => {
  requests = 0;
  maxInFlight = 0;
});

const answer = (text: string) => ({
  status: 200,
  body: {
    model: 'qwen2.5-vl-7b',
    choices: [{ message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 5 },
  },
});

describe('ChatClient (against a loopback test double)', () => {
  it('sends the prompt and the PNG as an image part, with the key as a bearer token', async () => {
    let seen: { auth?: string; content?: unknown } = {};
    script = (body, req) => {
      seen = { auth: req.headers.authorization, content: body.messages.at(-1)?.content };
      return answer('<answer>[[1, 5]]</answer>');
    };
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    const client = new ChatClient({ baseUrl, model: 'qwen2.5-vl-7b', apiKey: 'sk-test-123' });
    const r = await client.complete({ prompt: 'Find anomalies', image: png });
    expect(r).toMatchObject({ text: '<answer>[[1, 5]]</answer>', attempts: 1, finishReason: 'stop' });
    expect(seen.auth).toBe('Bearer sk-test-123');
    expect(seen.content).toEqual([
      { type: 'image_url', image_url: { url: `data:image/png;base64,${png.toString('base64')}` } },
      { type: 'text', text: 'Find anomalies' },
    ]);
  });

  it('retries transient failures and gives up with a clear error that never shows the key', async () => {
    let n = 0;
    script = () => (++n < 3 ? { status: 503, body: { error: 'busy' } } : answer('ok'));
    const client = new ChatClient({ baseUrl, model: 'm', apiKey: 'sk-secret-xyz' }, { retries: 2 });
    expect((await client.complete({ prompt: 'x' })).attempts).toBe(3);

    script = () => ({ status: 500, body: { error: 'down' } });
    const failing = new ChatClient({ baseUrl, model: 'm', apiKey: 'sk-secret-xyz' }, { retries: 1 });
    const err = (await failing.complete({ prompt: 'x' }).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/HTTP 500/);
    expect(err.message).not.toContain('sk-secret-xyz');

    script = () => ({ status: 400, body: { error: 'bad request' } });
    await expect(failing.complete({ prompt: 'x' })).rejects.toThrow(/HTTP 400/);
    expect(requests).toBe(2 + 1 + 3); // 4xx other than 408/429 is not retried
  });

  it('times out, cancels, and limits concurrency', async () => {
    script = () => ({ ...answer('slow'), delayMs: 400 });
    const impatient = new ChatClient({ baseUrl, model: 'm' }, { timeoutMs: 100, retries: 0 });
    await expect(impatient.complete({ prompt: 'x' })).rejects.toThrow(/did not answer within 100 ms/);

    const controller = new AbortController();
    const patient = new ChatClient({ baseUrl, model: 'm' }, { retries: 0 });
    const pending = patient.complete({ prompt: 'x' }, controller.signal);
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });

    while (inFlight > 0) await new Promise((r) => setTimeout(r, 20)); // let the abandoned slow requests drain
    script = () => ({ ...answer('ok'), delayMs: 60 });
    const limited = new ChatClient({ baseUrl, model: 'm' }, { concurrency: 2 });
    maxInFlight = 0;
    await Promise.all(Array.from({ length: 6 }, () => limited.complete({ prompt: 'x' })));
    expect(maxInFlight).toBe(2);
  });

  it('rejects malformed answers and bad endpoints clearly', async () => {
    script = () => ({ status: 200, body: { nothing: true } });
    await expect(new ChatClient({ baseUrl, model: 'm' }).complete({ prompt: 'x' })).rejects.toMatchObject({
      code: 'parse_error',
    });
    expect(() => new ChatClient({ baseUrl: 'not a url', model: 'm' })).toThrow(/not a valid URL/);
    expect(() => new ChatClient({ baseUrl: 'file:///etc/passwd', model: 'm' })).toThrow(/http or https/);
    expect(redact('http://user:pw@host/v1?api_key=abc&x=1')).toBe('http://host/v1?api_key=***&x=1');
  });
});

describe('FileSecretStore', () => {
  it('keeps keys encrypted at rest with owner-only files', () => {
    const tmp = makeTempDir();
    try {
      const store = new FileSecretStore(path.join(tmp.dir, 'state'));
      store.set('endpoint:local', 'sk-very-secret');
      expect(store.get('endpoint:local')).toBe('sk-very-secret');
      const onDisk = fs.readFileSync(path.join(tmp.dir, 'state', 'secrets.json'), 'utf8');
      expect(onDisk).not.toContain('sk-very-secret');
      expect(fs.statSync(path.join(tmp.dir, 'state', 'secrets.key')).mode & 0o777).toBe(0o600);
      expect(new FileSecretStore(path.join(tmp.dir, 'state')).get('endpoint:local')).toBe('sk-very-secret');
      store.delete('endpoint:local');
      expect(store.get('endpoint:local')).toBeNull();
    } finally {
      tmp.cleanup();
    }
  });
});
