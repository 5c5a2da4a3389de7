import { METHOD_NAMES } from './contract';
import type { Envelope, MethodInput, MethodName, MethodResult, WorkbenchApi, WorkbenchEvent } from './contract';
import { WorkbenchError } from './errors';

/**
 * What a transport provides: one envelope-returning function per contract method, plus events.
 * Envelopes (not thrown errors) cross the boundary because only an error's message survives IPC.
 */
export type WorkbenchTransport = {
  [M in MethodName]: (input: MethodInput<M>) => Promise<Envelope<MethodResult<M>>>;
} & {
  onEvent(listener: (event: WorkbenchEvent) => void): () => void;
};

/** Builds a transport from a single invoke function; used by the preload and the HTTP client. */
export function transportFrom(
  invoke: (name: MethodName, input: unknown) => Promise<Envelope<unknown>>,
  onEvent: (listener: (event: WorkbenchEvent) => void) => () => void,
): WorkbenchTransport {
  const t: Record<string, unknown> = { onEvent };
  for (const name of METHOD_NAMES) t[name] = (input: unknown) => invoke(name, input);
  return t as WorkbenchTransport;
}

/** The typed API the renderer uses: unwraps envelopes, throwing WorkbenchError on failure. */
export function createClient(transport: WorkbenchTransport): WorkbenchApi {
  const api: Record<string, unknown> = { onEvent: transport.onEvent };
  for (const name of METHOD_NAMES) {
    const call = transport[name] as (input: unknown) => Promise<Envelope<unknown>>;
    api[name] = async (input: unknown) => {
      const envelope = await call(input ?? {});
      if (envelope.ok) return envelope.value;
      throw new WorkbenchError(envelope.error.code, envelope.error.message, envelope.error.details);
    };
  }
  return api as WorkbenchApi;
}
