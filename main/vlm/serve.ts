import { randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkbenchError } from '../../common/errors';
import { answerPlots, type LoadedVlm } from '../inference/vlm';

export interface VlmServeOptions {
  model: LoadedVlm;
  /** loopback only: 127.0.0.1 (default), ::1 or localhost */
  host?: string;
  /** 0 (default): a free port */
  port?: number;
  /** when set, every request must send `Authorization: Bearer <token>` */
  token?: string | null;
  /** request bodies above this are refused (default 16 MiB) */
  maxBodyBytes?: number;
}

export interface VlmServer {
  /** base URL for OpenAI clients, e.g. http://127.0.0.1:8089/v1 */
  url: string;
  port: number;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw new HttpError(413, 'invalid_request_error', `The request body is over ${limit} bytes.`);
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

interface Part {
  type?: unknown;
  text?: unknown;
  image_url?: unknown;
}

/** The prompt and PNG of an OpenAI chat request: the last user message, its text parts and one data-URL image. */
export function readChatRequest(body: unknown): { prompt: string; png: Buffer; maxTokens: number | undefined; model: unknown } {
  if (typeof body !== 'object' || body === null)
    throw new HttpError(400, 'invalid_request_error', 'The body is not a JSON object.');
  const { messages, max_tokens: maxTokens, max_completion_tokens: maxCompletion, model } = body as Record<string, unknown>;
  if (!Array.isArray(messages) || messages.length === 0)
    throw new HttpError(400, 'invalid_request_error', "'messages' must be a non-empty array.");
  const user = [...messages].reverse().find((m) => (m as { role?: unknown })?.role === 'user') as
    { content?: unknown } | undefined;
  if (!user) throw new HttpError(400, 'invalid_request_error', "'messages' has no user message.");
  const parts: Part[] =
    typeof user.content === 'string' ? [{ type: 'text', text: user.content }] : Array.isArray(user.content) ? user.content : [];
  const prompt = parts
    .filter((p) => p?.type === 'text' && typeof p.text === 'string')
    .map((p) => p.text as string)
    .join('\n');
  const images = parts.filter((p) => p?.type === 'image_url');
  if (images.length !== 1)
    throw new HttpError(
      400,
      'invalid_request_error',
      `The user message must carry exactly one image_url part (found ${images.length}).`,
    );
  const ref = images[0].image_url;
  const url =
    typeof ref === 'string' ? ref : typeof ref === 'object' && ref !== null ? (ref as { url?: unknown }).url : undefined;
  const m = typeof url === 'string' ? /^data:image\/png;base64,([A-Za-z0-9+/=\s]+)$/.exec(url) : null;
  if (!m) throw new HttpError(400, 'invalid_request_error', 'The image must be a data URL of a PNG (data:image/png;base64,…).');
  const budget = maxCompletion ?? maxTokens;
  if (budget !== undefined && budget !== null && !(typeof budget === 'number' && Number.isInteger(budget) && budget >= 1))
    throw new HttpError(400, 'invalid_request_error', "'max_tokens' must be a positive integer.");
  return { prompt, png: Buffer.from(m[1], 'base64'), maxTokens: typeof budget === 'number' ? budget : undefined, model };
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/**
 * The bundled VLM over the OpenAI chat-completions protocol on a loopback port: POST
 * /v1/chat/completions (one user message with a PNG data URL and the prompt; `max_tokens` is the
 * decoder's token budget; a client that disconnects cancels its request) and GET /v1/models. Requests
 * run one at a time. Errors come back in OpenAI's shape ({"error": {"message", "type"}}) and never
 * echo the token.
 */
export async function startVlmServer(opts: VlmServeOptions): Promise<VlmServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host))
    throw new WorkbenchError('invalid_input', `vlm-serve listens on loopback only (127.0.0.1, ::1 or localhost), not ${host}.`);
  const limit = opts.maxBodyBytes ?? 16 * 1024 * 1024;
  const model = opts.model;
  let queue: Promise<unknown> = Promise.resolve();

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (opts.token && !tokenMatches(req.headers.authorization, opts.token))
      throw new HttpError(401, 'authentication_error', 'Missing or wrong bearer token.');
    const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '');
    if (req.method === 'GET' && path === '/v1/models') {
      send(res, 200, { object: 'list', data: [{ id: model.id, object: 'model', owned_by: 'tsad-workbench' }] });
      return;
    }
    if (path !== '/v1/chat/completions') throw new HttpError(404, 'not_found_error', `No route ${req.method} ${path}.`);
    if (req.method !== 'POST') throw new HttpError(405, 'invalid_request_error', 'Use POST.');
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req, limit));
    } catch (err) {
      if (err instanceof HttpError) throw err;
      throw new HttpError(400, 'invalid_request_error', 'The body is not valid JSON.');
    }
    const chat = readChatRequest(body);
    if (chat.model !== undefined && chat.model !== model.id && chat.model !== model.card.name)
      throw new HttpError(404, 'not_found_error', `This server runs ${model.id}, not ${String(chat.model)}.`);
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableEnded) abort.abort();
    });
    const run = queue.then(() =>
      answerPlots(model, [{ png: chat.png, prompt: chat.prompt }], {
        signal: abort.signal,
        ...(chat.maxTokens !== undefined ? { maxTokens: chat.maxTokens } : {}),
      }),
    );
    queue = run.catch(() => undefined);
    let answer;
    try {
      [answer] = await run;
    } catch (err) {
      if (err instanceof WorkbenchError && err.code === 'invalid_input')
        throw new HttpError(400, 'invalid_request_error', err.message);
      throw err;
    }
    send(res, 200, {
      id: `chatcmpl-${randomUUID()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: model.id,
      choices: [{ index: 0, message: { role: 'assistant', content: answer.text }, finish_reason: answer.finishReason }],
      usage: { prompt_tokens: 0, completion_tokens: answer.completionTokens, total_tokens: answer.completionTokens },
      tsad_notes: answer.notes,
    });
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) return;
      if (err instanceof HttpError) send(res, err.status, { error: { message: err.message, type: err.type } });
      else if (err instanceof WorkbenchError && err.code === 'cancelled') res.destroy();
      else send(res, 500, { error: { message: (err as Error).message, type: 'server_error' } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/v1`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
