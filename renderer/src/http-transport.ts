import { transportFrom, type WorkbenchTransport } from '../../common/client';
import { HTTP_EVENTS_PATH, httpPath } from '../../common/contract';
import type { Envelope, WorkbenchEvent } from '../../common/contract';

/**
 * Serve mode's transport: one POST per call (authenticated by the HttpOnly cookie the server set
 * when the page was opened with its token) and one WebSocket for events, reconnecting on loss.
 */
export function createHttpTransport(origin: string = window.location.origin): WorkbenchTransport {
  const listeners = new Set<(event: WorkbenchEvent) => void>();
  let socket: WebSocket | null = null;
  let retry = 0;

  const connect = () => {
    if (socket || listeners.size === 0) return;
    const ws = new WebSocket(origin.replace(/^http/, 'ws') + HTTP_EVENTS_PATH);
    socket = ws;
    ws.onopen = () => (retry = 0);
    ws.onmessage = (msg) => {
      const event = JSON.parse(String(msg.data)) as WorkbenchEvent;
      for (const l of listeners) l(event);
    };
    ws.onclose = () => {
      socket = null;
      if (listeners.size > 0) setTimeout(connect, Math.min(5000, 250 * 2 ** retry++));
    };
  };

  return transportFrom(
    async (name, input) => {
      let res: Response;
      try {
        res = await fetch(origin + httpPath(name), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          credentials: 'same-origin',
          body: JSON.stringify(input ?? {}),
        });
      } catch (err) {
        return {
          ok: false,
          error: { code: 'io_error', message: `The workbench server is unreachable: ${(err as Error).message}` },
        };
      }
      if (res.headers.get('content-type')?.includes('application/json')) return (await res.json()) as Envelope<unknown>;
      return { ok: false, error: { code: res.status === 401 ? 'unauthorized' : 'internal', message: await res.text() } };
    },
    (listener) => {
      listeners.add(listener);
      connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) socket?.close();
      };
    },
  );
}
