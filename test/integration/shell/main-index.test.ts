/**
 * main/index.ts, the Electron main process, run under plain Node against a test double of the `electron`
 * module (test/helpers/electron-double.ts): the Electron binary cannot run on these machines (it is fetched on
 * first launch from a host they cannot reach). The backend behind it is the real one (real SQLite). Each
 * "checklist N" test is one item of Electron's security checklist as main/shell/hardening.ts implements it;
 * what the double cannot prove is how Chromium enforces the settings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ipcChannel, type Envelope, type MethodName, type ProjectSummary } from '../../../common/contract';
import { ProjectStore } from '../../../main/store';
import { FakeEvent, FakeWebContents, makeElectronDouble, type ElectronDouble } from '../../helpers/electron-double';
import { makeTempDir, REPO_ROOT } from '../../helpers/tmp';

const RENDERER_INDEX = path.join(REPO_ROOT, 'renderer/index.html');
const APP_FILE_URL = `file://${RENDERER_INDEX}`;
// as electron-vite sets it: no trailing slash (a prefix test would then also pass localhost:5173.evil.example)
const DEV_URL = 'http://localhost:5173';

interface Shell {
  electron: ElectronDouble;
  win: InstanceType<ElectronDouble['module']['BrowserWindow']>;
  prefs: Record<string, unknown>;
  home: string;
  userData: string;
  call: <T>(frameUrl: string, method: MethodName, input?: unknown) => Promise<Envelope<T>>;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

/** Imports main/index.ts afresh with the double as `electron`, fires 'ready', waits for the page load. */
async function startShell(
  isPackaged: boolean,
  rendererUrl?: string,
  keyring?: 'gnome_libsecret' | 'basic_text' | 'unavailable',
): Promise<Shell> {
  const tmp = makeTempDir('tsad-shell-');
  const home = path.join(tmp.dir, 'home');
  fs.mkdirSync(home);
  const electron = makeElectronDouble({
    isPackaged,
    userData: path.join(tmp.dir, 'userData'),
    home,
    ...(keyring !== undefined ? { keyring } : {}),
  });
  const before = process.env.ELECTRON_RENDERER_URL;
  if (rendererUrl) process.env.ELECTRON_RENDERER_URL = rendererUrl;
  else delete process.env.ELECTRON_RENDERER_URL;
  // a packaged app finds its resources (models, sample) in process.resourcesPath
  Object.defineProperty(process, 'resourcesPath', { value: path.join(REPO_ROOT, 'resources'), configurable: true });
  vi.resetModules();
  vi.doMock('electron', () => electron.module);
  await import('../../../main/index');
  electron.app.fireReady();
  const win = await electron.loaded;
  cleanups.push(() => {
    if (!win.isDestroyed()) win.close();
    vi.doUnmock('electron');
    if (before === undefined) delete process.env.ELECTRON_RENDERER_URL;
    else process.env.ELECTRON_RENDERER_URL = before;
    tmp.cleanup();
  });
  const call = async <T>(frameUrl: string, method: MethodName, input: unknown = {}) =>
    (await electron.ipcMain.invoke(frameUrl, ipcChannel(method), input)) as Envelope<T>;
  return {
    electron,
    win,
    prefs: win.options.webPreferences as Record<string, unknown>,
    home,
    userData: path.join(tmp.dir, 'userData'),
    call,
  };
}

describe('the desktop shell (main/index.ts) against the electron double', () => {
  it('checklist 1-3: context isolation, sandbox (window and app-wide), no Node integration anywhere', async () => {
    const { electron, prefs } = await startShell(true);
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    });
    expect(electron.app.sandboxEnabled).toBe(true);
    expect(prefs.preload).toBe(path.join(REPO_ROOT, 'preload/index.cjs'));
  });

  it('checklist 4-5: web security on, no insecure content, no experimental or Blink features, no <webview>', async () => {
    const { win, prefs } = await startShell(true);
    expect(prefs).toMatchObject({
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(win.webContents.attachWebview()).toBe(false);
  });

  it('checklist 6: a CSP on every response that connects nowhere when packaged, only to the dev server in development', async () => {
    const packaged = await startShell(true);
    let headers: Record<string, string[] | string> = {};
    packaged.electron.session.headersListener!(
      { responseHeaders: { 'X-Other': ['kept'] } },
      (r) => (headers = r.responseHeaders),
    );
    expect(headers['X-Other']).toEqual(['kept']);
    const csp = String(headers['Content-Security-Policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toContain("script-src 'self'");
    cleanups.splice(0).forEach((c) => c());

    const dev = await startShell(false, DEV_URL);
    dev.electron.session.headersListener!({}, (r) => (headers = r.responseHeaders));
    expect(String(headers['Content-Security-Policy'])).toContain("connect-src 'self' ws://localhost:5173;");
    // the page's own meta policy (the one a file:// page gets) has no WebSocket to any port
    const meta = fs.readFileSync(RENDERER_INDEX, 'utf8');
    expect(meta).not.toMatch(/ws:\/\/[^ ;"]*:\*/);
  });

  it('checklist 7: navigation and redirects away from the app page are stopped, in the main frame and in sub-frames', async () => {
    const { win } = await startShell(true);
    const wc = win.webContents;
    expect(wc.navigate('will-navigate', 'https://evil.example/')).toBe(false);
    expect(wc.navigate('will-redirect', 'https://evil.example/')).toBe(false);
    expect(wc.frameNavigate('https://evil.example/frame')).toBe(false);
    expect(wc.navigate('will-navigate', 'file:///etc/passwd')).toBe(false);
    expect(wc.navigate('will-navigate', APP_FILE_URL)).toBe(true);
    expect(wc.frameNavigate(APP_FILE_URL)).toBe(true);
  });

  it('checklist 8: new windows are denied', async () => {
    const { win } = await startShell(true);
    expect(win.webContents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(win.webContents.windowOpenHandler?.({ url: APP_FILE_URL })).toEqual({ action: 'deny' });
  });

  it('checklist 9: every web contents the app creates gets the same locks (web-contents-created)', async () => {
    const { electron } = await startShell(true);
    const other = new FakeWebContents();
    electron.app.emit('web-contents-created', new FakeEvent(), other);
    expect(other.windowOpenHandler?.({ url: 'https://x.example/' })).toEqual({ action: 'deny' });
    expect(other.navigate('will-navigate', 'https://x.example/')).toBe(false);
    expect(other.navigate('will-redirect', 'https://x.example/')).toBe(false);
    expect(other.frameNavigate('https://x.example/')).toBe(false);
    expect(other.attachWebview()).toBe(false);
  });

  it('checklist 10-11: every permission request and every permission check is denied', async () => {
    const { electron } = await startShell(true);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: boolean | null = null;
      electron.session.requestHandler!(null, permission, (g) => (granted = g));
      expect(granted, permission).toBe(false);
      expect(electron.session.checkHandler!(null, permission), permission).toBe(false);
    }
  });

  it('checklist 12: IPC is answered only for the app page, compared exactly (no prefix match)', async () => {
    const packaged = await startShell(true);
    expect(packaged.electron.ipcMain.handlers.size).toBeGreaterThan(10);
    const ok = await packaged.call<{ version: string }>(APP_FILE_URL, 'appInfo');
    expect(ok.ok).toBe(true);
    for (const url of ['https://evil.example/', 'file:///tmp/index.html', `${APP_FILE_URL}.evil.html`, '', `${DEV_URL}/`]) {
      const r = await packaged.call(url, 'appInfo');
      expect(r, url).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
    cleanups.splice(0).forEach((c) => c());

    const dev = await startShell(false, DEV_URL);
    expect((await dev.call('http://localhost:5173/some/route', 'appInfo')).ok).toBe(true);
    for (const url of [
      'http://localhost:5173.evil.example/',
      'http://localhost:51730/',
      'http://127.0.0.1:5173/',
      APP_FILE_URL,
    ]) {
      expect(await dev.call(url, 'appInfo'), url).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
  });

  it('checklist 13: ELECTRON_RENDERER_URL is honoured only when not packaged, and only for a loopback dev server', async () => {
    const packaged = await startShell(true, 'https://evil.example/');
    expect(packaged.win.loadedUrl).toBeNull();
    expect(packaged.win.loadedFile).toBe(RENDERER_INDEX);
    // the environment did not make the other page trusted either
    expect(await packaged.call('https://evil.example/', 'appInfo')).toMatchObject({ ok: false });
    cleanups.splice(0).forEach((c) => c());

    const dev = await startShell(false, DEV_URL);
    expect(dev.win.loadedUrl).toBe(`${DEV_URL}/`);

    const { rendererTarget } = await import('../../../main/shell/hardening');
    expect(() => rendererTarget(false, { ELECTRON_RENDERER_URL: 'https://evil.example/' }, RENDERER_INDEX)).toThrow(
      /must be an http\(s\) URL on localhost/,
    );
    expect(() => rendererTarget(false, { ELECTRON_RENDERER_URL: 'not a url' }, RENDERER_INDEX)).toThrow(/is not a URL/);
  });

  it('checklist 14: DevTools are off when packaged (and closed again if opened), available in development', async () => {
    const packaged = await startShell(true);
    expect(packaged.prefs.devTools).toBe(false);
    packaged.win.webContents.openDevTools();
    expect(packaged.win.webContents.devToolsOpen).toBe(false);
    cleanups.splice(0).forEach((c) => c());

    const dev = await startShell(false, DEV_URL);
    expect(dev.prefs.devTools).toBe(true);
    dev.win.webContents.openDevTools();
    expect(dev.win.webContents.devToolsOpen).toBe(true);
  });

  it('closing the last window closes the project cleanly (WAL checkpointed, nothing lost) and quits', async () => {
    const { electron, win, call } = await startShell(true);
    const opened = await call<ProjectSummary>(APP_FILE_URL, 'openSampleProject');
    if (!opened.ok) throw new Error(opened.error.message);
    const file = opened.value.path;
    const seriesId = opened.value.series[0].id;
    const before = opened.value.series[0].labelCount;
    expect((await call(APP_FILE_URL, 'createLabel', { seriesId, start: 10, end: 20 })).ok).toBe(true);
    expect(fs.existsSync(`${file}-wal`)).toBe(true);
    win.close();
    expect(electron.app.quitCalls).toBe(1);
    expect(fs.existsSync(`${file}-wal`)).toBe(false); // the last connection closed: checkpointed and removed
    const store = ProjectStore.open(file);
    expect(store.listSeries().find((s) => s.id === seriesId)?.labelCount).toBe(before + 1);
    store.close();
    // and the backend is closed: no project is open any more
    expect(await call(APP_FILE_URL, 'getProject')).toEqual({ ok: true, value: null });
  });

  it('opens projects through the better-sqlite3 build that TSAD_SQLITE_NATIVE_BINDING names (the Electron-ABI path)', async () => {
    // npm start builds a copy of the addon for Electron's ABI and points the backend at it; building one needs
    // Electron's headers (not reachable here), so the Node build stands in for it, and a wrong path must fail clearly.
    const { call, home } = await startShell(false);
    const require = createRequire(import.meta.url);
    const nodeBuild = path.join(
      path.dirname(require.resolve('better-sqlite3/package.json')),
      'build/Release/better_sqlite3.node',
    );
    const saved = process.env.TSAD_SQLITE_NATIVE_BINDING;
    try {
      process.env.TSAD_SQLITE_NATIVE_BINDING = path.join(home, 'missing/better_sqlite3.node');
      const refused = await call(APP_FILE_URL, 'createProject', { path: path.join(home, 'a.tsad.sqlite') });
      expect(refused).toMatchObject({ ok: false });
      expect(!refused.ok && refused.error.message).toMatch(/a\.tsad\.sqlite/);

      process.env.TSAD_SQLITE_NATIVE_BINDING = nodeBuild;
      const made = await call<ProjectSummary>(APP_FILE_URL, 'createProject', { path: path.join(home, 'b.tsad.sqlite') });
      expect(made.ok, JSON.stringify(made)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.TSAD_SQLITE_NATIVE_BINDING;
      else process.env.TSAD_SQLITE_NATIVE_BINDING = saved;
    }
  });
  it('endpoint keys: the shell builds the safeStorage store, so only keyring-encrypted values reach the disk', async () => {
    const { electron, userData, call } = await startShell(true);
    const key = 'sk-planted-0123456789abcdef';
    expect((await call(APP_FILE_URL, 'setSecret', { name: 'openai', value: key })).ok).toBe(true);
    expect(electron.safeStorage.encrypted).toBe(1);
    const status = await call<{ names: string[]; protection: string }>(APP_FILE_URL, 'secretStatus');
    expect(status.ok && status.value.names).toEqual(['openai']);
    expect(status.ok && status.value.protection).toContain('encrypted with a key held by the system keyring');
    // the safeStorage file holds the encrypted value only; the CLI's file store (key beside ciphertext) is not used
    const stored = fs.readFileSync(path.join(userData, 'secrets.safe.json'), 'utf8');
    expect(stored).not.toContain(key);
    expect(fs.existsSync(path.join(userData, 'secrets.json'))).toBe(false);
    expect(fs.existsSync(path.join(userData, 'secrets.key'))).toBe(false);
    expect(fs.statSync(path.join(userData, 'secrets.safe.json')).mode & 0o777).toBe(0o600);
    expect((await call(APP_FILE_URL, 'deleteSecret', { name: 'openai' })).ok).toBe(true);
    const none = await call<{ names: string[] }>(APP_FILE_URL, 'secretStatus');
    expect(none.ok && none.value.names).toEqual([]);
  });

  it('endpoint keys without a keyring: the app says plainly that file permissions are what protects them', async () => {
    const basic = await startShell(true, undefined, 'basic_text');
    const status = await basic.call<{ protection: string }>(APP_FILE_URL, 'secretStatus');
    expect(status.ok && status.value.protection).toContain(
      'no system keyring was found, so file permissions (0600) are what protects it',
    );
    const none = await startShell(true, undefined, 'unavailable');
    const fileStatus = await none.call<{ protection: string }>(APP_FILE_URL, 'secretStatus');
    expect(fileStatus.ok && fileStatus.value.protection).toContain('protected by file permissions only');
    expect(fileStatus.ok && fileStatus.value.protection).toContain('not encryption');
  });
});
