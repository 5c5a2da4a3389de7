import { ipcChannel, IPC_EVENT_CHANNEL, METHOD_NAMES } from '../../common/contract';
import type { Envelope } from '../../common/contract';
import type { Backend } from '../backend';

/** The slice of Electron's ipcMain this layer uses (so tests can drive it without Electron). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface IpcInvokeEventLike {
  senderFrame?: { url: string } | null;
}

/**
 * Registers one IPC handler per contract method. Calls from any frame whose URL is not the app's
 * own renderer are refused; inputs are validated by the backend's dispatcher.
 */
export function registerIpcHandlers(
  ipcMain: IpcMainLike,
  backend: Pick<Backend, 'call'>,
  isTrustedSender: (url: string) => boolean,
): () => void {
  for (const name of METHOD_NAMES) {
    ipcMain.handle(ipcChannel(name), async (event, input): Promise<Envelope<unknown>> => {
      const url = event.senderFrame?.url ?? '';
      if (!isTrustedSender(url)) {
        return {
          ok: false,
          error: { code: 'unauthorized', message: `IPC call from an untrusted frame (${url || 'unknown'}) refused.` },
        };
      }
      return backend.call(name, input);
    });
  }
  return () => {
    for (const name of METHOD_NAMES) ipcMain.removeHandler(ipcChannel(name));
  };
}

export { IPC_EVENT_CHANNEL };
