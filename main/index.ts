/**
 * Electron's main process: a thin shell. It hosts the plain-Node backend, registers the contract on
 * IPC, and opens one hardened window. Nothing heavy runs on this thread.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, session } from 'electron';
import { Backend } from './backend';
import { IPC_EVENT_CHANNEL, registerIpcHandlers } from './ipc/register';
import { contentSecurityPolicy } from './server/serve';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererIndex = path.join(here, '../renderer/index.html');
const rendererUrl = process.env.ELECTRON_RENDERER_URL ?? null;

app.enableSandbox();

function isAppUrl(url: string): boolean {
  if (rendererUrl) return url.startsWith(rendererUrl);
  try {
    const u = new URL(url);
    return u.protocol === 'file:' && path.resolve(fileURLToPath(u)) === path.resolve(rendererIndex);
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  await app.whenReady();
  const backend = new Backend({
    stateDir: app.getPath('userData'),
    roots: [app.getPath('home')],
    resourcesDir: app.isPackaged ? process.resourcesPath : path.join(here, '../../resources'),
    version: app.getVersion(),
  });
  registerIpcHandlers(ipcMain, backend, isAppUrl);

  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [contentSecurityPolicy()],
      },
    });
  });

  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'TSAD Workbench',
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  const off = backend.onEvent((event) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, event);
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', off);

  if (rendererUrl) await win.loadURL(rendererUrl);
  else await win.loadFile(rendererIndex);

  app.on('window-all-closed', () => {
    backend.close();
    app.quit();
  });
}

void main();
