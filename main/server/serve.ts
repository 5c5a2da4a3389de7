import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { HTTP_API_PREFIX, HTTP_EVENTS_PATH } from '../../common/contract';
import type { Envelope } from '../../common/contract';
import type { Backend } from '../backend';

export const LOOPBACK = '127.0.0.1';
const COOKIE = 'tsad_token';
const MAX_BODY = 32 * 1024 * 1024;

export interface ServeOptions {
  backend: Backend;
  /** the built renderer (index.html and assets) */
  rendererDir: string;
  /** 0 (default) picks a free port */
  port?: number;
  /** defaults to a fresh random token */
  token?: string;
}

export interface RunningServer {
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** The page's content security policy; `port` allows the serve-mode event socket. */
export function contentSecurityPolicy(port?: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    port === undefined ? "connect-src 'self'" : `connect-src 'self' ws://${LOOPBACK}:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function sameToken(a: string | null | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function cookieToken(req: http.IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return null;
}

/**
 * Serve mode: the same backend behind HTTP (one POST route per contract method) and a WebSocket
 * for events, on 127.0.0.1 only, guarded by a random token. The token arrives once in the URL; the
 * server trades it for an HttpOnly SameSite=Strict cookie and redirects to a token-free URL.
 */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const token = opts.token ?? crypto.randomBytes(24).toString('base64url');
  const rendererDir = path.resolve(opts.rendererDir);
  let port = 0;

  const allowedHosts = (): string[] => [`${LOOPBACK}:${port}`, `localhost:${port}`];
  const allowedOrigins = (): string[] => allowedHosts().map((h) => `http://${h}`);

  const authorized = (req: http.IncomingMessage, url: URL): boolean => {
    const bearer = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : null;
    return sameToken(url.searchParams.get('token'), token) || sameToken(cookieToken(req), token) || sameToken(bearer, token);
  };

  const send = (
    res: http.ServerResponse,
    status: number,
    body: string | Buffer,
    type: string,
    extra: Record<string, string> = {},
  ) => {
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Length': Buffer.byteLength(body),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      ...extra,
    });
    res.end(body);
  };
  const sendJson = (res: http.ServerResponse, status: number, envelope: Envelope<unknown>) =>
    send(res, status, JSON.stringify(envelope), 'application/json; charset=utf-8');

  const handleApi = (req: http.IncomingMessage, res: http.ServerResponse, name: string) => {
    if (req.method !== 'POST') {
      sendJson(res, 405, { ok: false, error: { code: 'invalid_input', message: 'API calls must use POST.' } });
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().includes(origin)) {
      sendJson(res, 403, { ok: false, error: { code: 'unauthorized', message: `Cross-origin call from ${origin} refused.` } });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let aborted = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY && !aborted) {
        aborted = true;
        sendJson(res, 413, { ok: false, error: { code: 'invalid_input', message: `Request body over ${MAX_BODY} bytes.` } });
        req.destroy();
      } else if (!aborted) chunks.push(c);
    });
    req.on('end', () => {
      if (aborted) return;
      const text = Buffer.concat(chunks).toString('utf8');
      let input: unknown = {};
      if (text.trim() !== '') {
        try {
          input = JSON.parse(text);
        } catch (err) {
          sendJson(res, 400, {
            ok: false,
            error: { code: 'invalid_input', message: `Request body is not valid JSON: ${(err as Error).message}` },
          });
          return;
        }
      }
      void opts.backend.call(name, input).then((envelope) => sendJson(res, 200, envelope));
    });
  };

  const handleStatic = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'Method not allowed', 'text/plain');
      return;
    }
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = path.resolve(rendererDir, '.' + rel);
    if (file !== rendererDir && !file.startsWith(rendererDir + path.sep)) {
      send(res, 403, 'Forbidden', 'text/plain');
      return;
    }
    fs.readFile(file, (err, data) => {
      if (err) {
        if (rel === '/index.html') {
          send(res, 500, `The renderer is not built (no ${file}). Run \`npm run build\` first.`, 'text/plain');
        } else send(res, 404, 'Not found', 'text/plain');
        return;
      }
      send(res, 200, data, MIME[path.extname(file)] ?? 'application/octet-stream', {
        'Content-Security-Policy': contentSecurityPolicy(port),
        'X-Frame-Options': 'DENY',
      });
    });
  };

  const server = http.createServer((req, res) => {
    try {
      if (!allowedHosts().includes(req.headers.host ?? '')) {
        send(res, 403, 'Forbidden host', 'text/plain');
        return;
      }
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      if (!authorized(req, url)) {
        send(res, 401, 'Unauthorized: open the URL with the token that `tsad serve` printed.', 'text/plain');
        return;
      }
      if (url.searchParams.has('token')) {
        // Trade the URL token for a cookie, and drop it from the address bar and history.
        url.searchParams.delete('token');
        res.writeHead(302, {
          'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
          Location: url.pathname + url.search,
          'Cache-Control': 'no-store',
        });
        res.end();
        return;
      }
      if (url.pathname.startsWith(HTTP_API_PREFIX)) handleApi(req, res, url.pathname.slice(HTTP_API_PREFIX.length));
      else handleStatic(req, res, url);
    } catch (err) {
      send(res, 400, `Bad request: ${(err as Error).message}`, 'text/plain');
    }
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const originOk = req.headers.origin === undefined || allowedOrigins().includes(req.headers.origin);
    if (
      !allowedHosts().includes(req.headers.host ?? '') ||
      !originOk ||
      !authorized(req, url) ||
      url.pathname !== HTTP_EVENTS_PATH
    ) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const off = opts.backend.onEvent((event) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
      });
      ws.on('close', off);
      ws.on('error', off);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, LOOPBACK, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${LOOPBACK}:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
