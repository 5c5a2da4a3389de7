/**
 * The bridge. Runs sandboxed with context isolation; exposes exactly the contract's methods on
 * `window.workbench` (each resolving to an envelope) and an event subscription that strips
 * Electron's event object and returns its unsubscribe function. Nothing generic is exposed.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { transportFrom } from '../common/client';
import { ipcChannel, IPC_EVENT_CHANNEL } from '../common/contract';
import type { Envelope, WorkbenchEvent } from '../common/contract';

const transport = transportFrom(
  (name, input) => ipcRenderer.invoke(ipcChannel(name), input) as Promise<Envelope<unknown>>,
  (listener) => {
    const handler = (_event: IpcRendererEvent, payload: WorkbenchEvent) => listener(payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
);

contextBridge.exposeInMainWorld('workbench', transport);
