/**
 * Electron's main process: a thin shell. It hosts the plain-Node backend, registers the contract on
 * IPC, and opens one hardened window. Nothing heavy runs on this thread. The security settings live in
 * shell/hardening.ts; test/integration/shell/ runs this file against a double of the `electron` module.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, safeStorage, session } from 'electron';
import { Backend } from './backend';
import { IPC_EVENT_CHANNEL, registerIpcHandlers } from './ipc/register';
import {
  appUrlCheck,
  desktopContentSecurityPolicy,
  hardenSession,
  hardenWebContents,
  rendererTarget,
  secureWebPreferences,
} from './shell/hardening';
import { desktopSecretStore } from './shell/secrets';

const here = path.dirname(fileURLToPath(import.meta.url));
// the dev server's URL only in development: a packaged app never lets the environment choose its page
const target = rendererTarget(app.isPackaged, process.env, path.join(here, '../renderer/index.html'));
const isAppUrl = appUrlCheck(target);

app.enableSandbox();
// every web contents, the main window's and any other, gets the navigation, window and webview locks
app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, isAppUrl, app.isPackaged));

async function main(): Promise<void> {
  await app.whenReady();
  const backend = new Backend({
    stateDir: app.getPath('userData'),
    roots: [app.getPath('home')],
    resourcesDir: app.isPackaged ? process.resourcesPath : path.join(here, '../../resources'),
    version: app.getVersion(),
    // endpoint keys in the system keyring (safeStorage), not in a file beside its own key
    secrets: desktopSecretStore(safeStorage, app.getPath('userData')),
  });
  registerIpcHandlers(ipcMain, backend, isAppUrl);
  hardenSession(session.defaultSession, desktopContentSecurityPolicy(target));

  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'TSAD Workbench',
    webPreferences: secureWebPreferences(path.join(here, '../preload/index.cjs'), app.isPackaged),
  });
  const off = backend.onEvent((event) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, event);
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', off);

  // closing the last window closes the project (WAL checkpointed, workers stopped) before quitting
  app.on('window-all-closed', () => {
    backend.close();
    app.quit();
  });

  if (target.kind === 'url') await win.loadURL(target.url);
  else await win.loadFile(target.path);
}

void main();
