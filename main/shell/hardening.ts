/**
 * The desktop shell's security settings, one function per concern, written against the small slices of
 * Electron's API they use (so tests can drive them with a double: the Electron binary cannot run on the
 * build machines). main/index.ts applies them; test/integration/shell/ checks each item of Electron's
 * security checklist (https://www.electronjs.org/docs/latest/tutorial/security) through that double.
 *
 * The 15 items, numbered as in test/integration/shell/main-index.test.ts:
 *  1 context isolation, 2 sandbox (window and app.enableSandbox), 3 no Node integration (page, workers, frames),
 *  4 web security on and no insecure content, 5 no experimental or Blink features and no <webview>,
 *  6 a CSP whose connect-src is only what the page needs, 7 navigation and redirects limited (will-navigate,
 *  will-redirect, will-frame-navigate), 8 new windows denied, 9 all of that on every web contents
 *  (web-contents-created), 10 permission requests denied, 11 permission checks denied, 12 IPC senders checked by
 *  exact origin or file, 13 the dev renderer URL only when not packaged, 14 DevTools off when packaged,
 *  15 Electron fuses (electron-builder.json, checked by test/unit/packaging/electron-builder.test.ts).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the window's page comes from: the built file, or (development only) the electron-vite dev server. */
export type RendererTarget = { kind: 'file'; path: string } | { kind: 'url'; url: string; origin: string };

/**
 * ELECTRON_RENDERER_URL is honoured only when the app is not packaged (checklist: an environment variable must
 * not point the IPC-trusted window at another page), and only for an http(s) URL on the loopback interface.
 */
export function rendererTarget(isPackaged: boolean, env: NodeJS.ProcessEnv, rendererIndex: string): RendererTarget {
  const devUrl = env.ELECTRON_RENDERER_URL;
  if (isPackaged || !devUrl) return { kind: 'file', path: path.resolve(rendererIndex) };
  let u: URL;
  try {
    u = new URL(devUrl);
  } catch {
    throw new Error(`ELECTRON_RENDERER_URL is not a URL: ${JSON.stringify(devUrl)}`);
  }
  if (!/^https?:$/.test(u.protocol) || !['localhost', '127.0.0.1', '[::1]'].includes(u.hostname))
    throw new Error(`ELECTRON_RENDERER_URL must be an http(s) URL on localhost (the dev server), not ${u.href}`);
  return { kind: 'url', url: u.href, origin: u.origin };
}

/**
 * Whether a URL is the app's own page: the same origin as the dev server (compared exactly, never as a prefix:
 * `http://localhost:5173.evil.example` is another host), or the built index.html itself.
 */
export function appUrlCheck(target: RendererTarget): (url: string) => boolean {
  return (url) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (target.kind === 'url') return u.origin === target.origin;
    return u.protocol === 'file:' && !u.host && path.resolve(fileURLToPath(u)) === target.path;
  };
}

/** The page's Content-Security-Policy in the desktop app: it talks to the backend over IPC only. */
export function desktopContentSecurityPolicy(target: RendererTarget): string {
  // The dev server's hot reload needs its own WebSocket; nothing else ever connects anywhere.
  const connect = target.kind === 'url' ? `connect-src 'self' ${target.origin.replace(/^http/, 'ws')}` : "connect-src 'none'";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    connect,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** webPreferences of the app window: isolation, sandbox, no Node, web security, no DevTools when packaged. */
export function secureWebPreferences(preload: string, isPackaged: boolean) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    devTools: !isPackaged,
    spellcheck: false,
  } as const;
}

interface PreventableEvent {
  preventDefault(): void;
}

/** The slice of Electron's WebContents the hardening touches. */
export interface WebContentsLike {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-frame-navigate', listener: (event: PreventableEvent & { url: string }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'devtools-opened', listener: () => void): unknown;
  closeDevTools(): void;
}

/**
 * Applied to every web contents the app ever creates (app 'web-contents-created'), not only the main window's:
 * no new windows, no navigation or redirect (main frame or sub-frame) away from the app page, no <webview>,
 * and DevTools closed again at once when packaged.
 */
export function hardenWebContents(contents: WebContentsLike, isAppUrl: (url: string) => boolean, isPackaged: boolean): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const guard = (event: PreventableEvent, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-frame-navigate', (event) => guard(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  if (isPackaged) contents.on('devtools-opened', () => contents.closeDevTools());
}

/** The slice of Electron's Session the hardening touches. */
export interface SessionLike {
  setPermissionRequestHandler(handler: (wc: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (wc: unknown, permission: string) => boolean): void;
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { responseHeaders?: Record<string, string[] | string> },
        callback: (response: { responseHeaders: Record<string, string[] | string> }) => void,
      ) => void,
    ): void;
  };
}

/** Every permission request and check denied (the app needs none); the CSP on every response. */
export function hardenSession(session: SessionLike, csp: string): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
}
