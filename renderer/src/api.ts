import { createClient, type WorkbenchTransport } from '../../common/client';
import type { WorkbenchApi } from '../../common/contract';
import { createHttpTransport } from './http-transport';

declare global {
  interface Window {
    /** provided by the desktop preload; absent in a browser */
    workbench?: WorkbenchTransport;
  }
}

/** The renderer's one API object. Picks the transport once, at start. */
export const api: WorkbenchApi = createClient(window.workbench ?? createHttpTransport());
