import { WorkbenchError } from '../../common/errors';
import { redactSecrets, redactUrl, registerSecret, secretsInUrl } from '../security/redact';

export interface ChatEndpoint {
  /** e.g. http://127.0.0.1:8000/v1 (vLLM), http://127.0.0.1:11434/v1 (Ollama), https://api.openai.com/v1 */
  baseUrl: string;
  model: string;
  /** sent as a Bearer token; never logged */
  apiKey?: string | null;
}

export interface ChatRequest {
  system?: string;
  prompt: string;
  /** PNG bytes of the plot shown to the model */
  image?: Buffer;
  temperature?: number;
  maxTokens?: number;
}

export interface ChatResponse {
  text: string;
  model: string;
  finishReason: string | null;
  usage: { promptTokens?: number; completionTokens?: number } | null;
  attempts: number;
  seconds: number;
}

export interface ChatClientOptions {
  timeoutMs?: number;
  retries?: number;
  /** at most this many requests in flight per client */
  concurrency?: number;
  fetchImpl?: typeof fetch;
}

/** A small semaphore: bounds concurrent requests to one endpoint. */
class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

const RETRYABLE = new Set([408, 409, 425, 429, 500, 502, 503, 504]);

/**
 * Client for OpenAI-compatible chat-completions endpoints with image input (vLLM, Ollama, LM Studio,
 * llama.cpp server, OpenAI): timeouts, retries with backoff on transient failures, cancellation
 * through an AbortSignal, and a concurrency limit. The API key is sent, never logged or echoed in
 * errors.
 */
export class ChatClient {
  private readonly limiter: Limiter;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly fetchImpl: typeof fetch;

  constructor(
    readonly endpoint: ChatEndpoint,
    opts: ChatClientOptions = {},
  ) {
    let url: URL;
    try {
      url = new URL(endpoint.baseUrl);
    } catch {
      // never echoed raw: a mistyped URL may still carry a key
      throw new WorkbenchError(
        'invalid_input',
        `The endpoint URL "${redactSecrets(endpoint.baseUrl)}" is not a valid URL (expected e.g. http://127.0.0.1:8000/v1).`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new WorkbenchError('invalid_input', `The endpoint must be http or https, got ${url.protocol}`);
    }
    if (url.username || url.password) {
      registerSecret(decodeURIComponent(url.password));
      registerSecret(decodeURIComponent(url.username));
      throw new WorkbenchError(
        'invalid_input',
        `The endpoint URL ${redactUrl(endpoint.baseUrl)} carries credentials (user:password@): they would be sent and shown in the clear. Store the key with \`tsad secret set NAME\` and pass --key-name NAME instead.`,
        { parameter: 'endpoint' },
      );
    }
    // from here on these values are masked wherever an answer or an error is recorded or printed
    registerSecret(endpoint.apiKey);
    for (const secret of secretsInUrl(endpoint.baseUrl)) registerSecret(secret);
    if (!endpoint.model) throw new WorkbenchError('invalid_input', 'A model name is required.');
    this.limiter = new Limiter(Math.max(1, opts.concurrency ?? 2));
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.retries = Math.max(0, opts.retries ?? 2);
    this.fetchImpl = opts.fetchImpl ?? fetch;
  }

  complete(req: ChatRequest, signal?: AbortSignal): Promise<ChatResponse> {
    return this.limiter.run(() => this.completeNow(req, signal));
  }

  private async completeNow(req: ChatRequest, signal?: AbortSignal): Promise<ChatResponse> {
    const started = Date.now();
    const content: unknown[] = [];
    if (req.image)
      content.push({ type: 'image_url', image_url: { url: `data:image/png;base64,${req.image.toString('base64')}` } });
    content.push({ type: 'text', text: req.prompt });
    const body = JSON.stringify({
      model: this.endpoint.model,
      messages: [...(req.system ? [{ role: 'system', content: req.system }] : []), { role: 'user', content }],
      temperature: req.temperature ?? 0,
      max_tokens: req.maxTokens ?? 1024,
    });
    // the path gets /chat/completions; a query string (?api-version=, ?key=) stays a query string
    const target = new URL(this.endpoint.baseUrl);
    target.pathname = target.pathname.replace(/\/+$/, '') + '/chat/completions';
    const url = target.toString();
    let lastError: WorkbenchError | null = null;
    for (let attempt = 1; attempt <= this.retries + 1; attempt++) {
      if (signal?.aborted) throw new WorkbenchError('cancelled', 'The model request was cancelled.');
      const timeout = AbortSignal.timeout(this.timeoutMs);
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      try {
        const res = await this.fetchImpl(url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            ...(this.endpoint.apiKey ? { Authorization: `Bearer ${this.endpoint.apiKey}` } : {}),
          },
          body,
          signal: combined,
        });
        const text = await res.text();
        if (!res.ok) {
          lastError = new WorkbenchError(
            'io_error',
            `${this.endpoint.model} at ${redact(url)} answered HTTP ${res.status}: ${redactSecrets(text.slice(0, 300))}`,
            {
              status: res.status,
            },
          );
          if (RETRYABLE.has(res.status) && attempt <= this.retries) {
            await sleep(backoff(attempt, res.headers.get('retry-after')), signal);
            continue;
          }
          throw lastError;
        }
        let json: {
          choices?: { message?: { content?: unknown }; finish_reason?: string }[];
          model?: string;
          usage?: { prompt_tokens?: number; completion_tokens?: number };
        };
        try {
          json = JSON.parse(text) as typeof json;
        } catch {
          throw new WorkbenchError(
            'parse_error',
            `${redact(url)} did not answer with JSON: ${redactSecrets(text.slice(0, 200))}`,
          );
        }
        const message = json.choices?.[0]?.message?.content;
        const out =
          typeof message === 'string'
            ? message
            : Array.isArray(message)
              ? message.map((p: { text?: string }) => p.text ?? '').join('')
              : null;
        if (out === null) throw new WorkbenchError('parse_error', `${redact(url)} answered without choices[0].message.content.`);
        return {
          text: out,
          model: json.model ?? this.endpoint.model,
          finishReason: json.choices?.[0]?.finish_reason ?? null,
          usage: json.usage ? { promptTokens: json.usage.prompt_tokens, completionTokens: json.usage.completion_tokens } : null,
          attempts: attempt,
          seconds: (Date.now() - started) / 1000,
        };
      } catch (err) {
        if (signal?.aborted) throw new WorkbenchError('cancelled', 'The model request was cancelled.');
        if (err instanceof WorkbenchError && err.code !== 'io_error') throw err;
        if (err instanceof WorkbenchError && lastError === err) throw err;
        const timedOut = timeout.aborted;
        lastError =
          err instanceof WorkbenchError
            ? err
            : new WorkbenchError(
                'io_error',
                timedOut
                  ? `${this.endpoint.model} at ${redact(url)} did not answer within ${this.timeoutMs} ms.`
                  : `Cannot reach ${redact(url)}: ${redactSecrets((err as Error).message)}`,
              );
        if (attempt <= this.retries) {
          await sleep(backoff(attempt, null), signal);
          continue;
        }
        throw lastError;
      }
    }
    throw lastError ?? new WorkbenchError('internal', 'unreachable');
  }
}

function backoff(attempt: number, retryAfter: string | null): number {
  const s = retryAfter ? Number(retryAfter) : NaN;
  if (Number.isFinite(s) && s >= 0) return Math.min(30_000, s * 1000);
  return Math.min(8000, 250 * 2 ** (attempt - 1));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(new WorkbenchError('cancelled', 'The model request was cancelled.'));
      },
      { once: true },
    );
  });
}

/** URLs may carry credentials (user:pass@host, ?key=, a key in the path): never show them. */
export function redact(url: string): string {
  return redactUrl(url);
}
