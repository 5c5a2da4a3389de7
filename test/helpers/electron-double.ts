/**
 * A test double of the `electron` module, for running main/index.ts under plain Node: the Electron binary cannot
 * be had on the build machines (it is downloaded on first launch from a host they cannot reach), so the shell is
 * tested against this stand-in. It records what the main process asks of Electron (window options, handlers,
 * listeners, loads) and lets a test fire the events Electron would (web contents created, navigation, IPC calls,
 * last window closed). Only the parts main/index.ts uses exist; it proves wiring and policy, not Chromium.
 */
import { EventEmitter } from 'node:events';

export interface DoubleOptions {
  isPackaged: boolean;
  userData: string;
  home: string;
  version?: string;
  /** what safeStorage finds: a keyring (default), Linux's 'basic_text' fallback, or no encryption at all */
  keyring?: 'gnome_libsecret' | 'basic_text' | 'unavailable';
}

/** An Electron event: preventDefault() is recorded. */
export class FakeEvent {
  defaultPrevented = false;
  constructor(readonly url = '') {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  sent: { channel: string; payload: unknown }[] = [];
  devToolsOpen = false;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  openDevTools(): void {
    this.devToolsOpen = true;
    this.emit('devtools-opened');
  }
  closeDevTools(): void {
    this.devToolsOpen = false;
  }
  /** What Electron does on a navigation: emit, and report whether the listener let it happen. */
  navigate(event: 'will-navigate' | 'will-redirect', url: string): boolean {
    const e = new FakeEvent(url);
    this.emit(event, e, url);
    return !e.defaultPrevented;
  }
  frameNavigate(url: string): boolean {
    const e = new FakeEvent(url);
    this.emit('will-frame-navigate', e);
    return !e.defaultPrevented;
  }
  attachWebview(): boolean {
    const e = new FakeEvent();
    this.emit('will-attach-webview', e, {}, {});
    return !e.defaultPrevented;
  }
}

export function makeElectronDouble(options: DoubleOptions) {
  const app = new (class extends EventEmitter {
    isPackaged = options.isPackaged;
    sandboxEnabled = false;
    quitCalls = 0;
    private readyResolve!: () => void;
    private readonly ready = new Promise<void>((r) => (this.readyResolve = r));
    enableSandbox(): void {
      this.sandboxEnabled = true;
    }
    whenReady(): Promise<void> {
      return this.ready;
    }
    fireReady(): void {
      this.readyResolve();
    }
    getPath(name: string): string {
      if (name === 'userData') return options.userData;
      if (name === 'home') return options.home;
      throw new Error(`electron double: app.getPath(${name}) is not modelled`);
    }
    getVersion(): string {
      return options.version ?? '0.0.0-test';
    }
    quit(): void {
      this.quitCalls++;
    }
  })();

  const windows: FakeBrowserWindow[] = [];
  let loadedResolve!: (w: FakeBrowserWindow) => void;
  const loaded = new Promise<FakeBrowserWindow>((r) => (loadedResolve = r));

  class FakeBrowserWindow extends EventEmitter {
    readonly webContents = new FakeWebContents();
    loadedUrl: string | null = null;
    loadedFile: string | null = null;
    destroyed = false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
      // as Electron does: every new web contents is announced on the app
      app.emit('web-contents-created', new FakeEvent(), this.webContents);
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    show(): void {}
    async loadURL(url: string): Promise<void> {
      this.loadedUrl = url;
      loadedResolve(this);
    }
    async loadFile(file: string): Promise<void> {
      this.loadedFile = file;
      loadedResolve(this);
    }
    close(): void {
      this.destroyed = true;
      this.emit('closed');
      if (windows.every((w) => w.destroyed)) app.emit('window-all-closed');
    }
  }

  type Handler = (event: { senderFrame?: { url: string } | null }, ...args: unknown[]) => unknown;
  const handlers = new Map<string, Handler>();
  const ipcMain = {
    handle(channel: string, listener: Handler): void {
      if (handlers.has(channel)) throw new Error(`electron double: a second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler(channel: string): void {
      handlers.delete(channel);
    },
    /** What the renderer's ipcRenderer.invoke reaches, sent from a frame at `frameUrl`. */
    invoke(frameUrl: string, channel: string, ...args: unknown[]): Promise<unknown> {
      const h = handlers.get(channel);
      if (!h) throw new Error(`electron double: no handler for ${channel}`);
      return Promise.resolve(h({ senderFrame: { url: frameUrl } }, ...args));
    },
    handlers,
  };

  type HeadersListener = (
    details: { responseHeaders?: Record<string, string[] | string> },
    callback: (response: { responseHeaders: Record<string, string[] | string> }) => void,
  ) => void;
  type RequestHandler = (wc: unknown, permission: string, callback: (granted: boolean) => void) => void;
  type CheckHandler = (wc: unknown, permission: string) => boolean;
  const defaultSession: {
    requestHandler: RequestHandler | null;
    checkHandler: CheckHandler | null;
    headersListener: HeadersListener | null;
    setPermissionRequestHandler(h: RequestHandler): void;
    setPermissionCheckHandler(h: CheckHandler): void;
    webRequest: { onHeadersReceived(listener: HeadersListener): void };
  } = {
    requestHandler: null,
    checkHandler: null,
    headersListener: null,
    setPermissionRequestHandler(h) {
      defaultSession.requestHandler = h;
    },
    setPermissionCheckHandler(h) {
      defaultSession.checkHandler = h;
    },
    webRequest: {
      onHeadersReceived(listener) {
        defaultSession.headersListener = listener;
      },
    },
  };

  // a stand-in cipher (byte-wise XOR under a fixed mask): what matters to the shell is which store it builds
  // and that only encryptString's output reaches the disk
  const keyring = options.keyring ?? 'gnome_libsecret';
  const mask = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  const safeStorage = {
    encrypted: 0,
    isEncryptionAvailable(): boolean {
      return keyring !== 'unavailable';
    },
    encryptString(plain: string): Buffer {
      if (keyring === 'unavailable') throw new Error('electron double: encryption is not available');
      safeStorage.encrypted++;
      return Buffer.concat([Buffer.from('v10'), mask(Buffer.from(plain, 'utf8'))]);
    },
    decryptString(encrypted: Buffer): string {
      return mask(encrypted.subarray(3)).toString('utf8');
    },
    getSelectedStorageBackend(): string {
      return keyring === 'unavailable' ? 'unknown' : keyring;
    },
  };

  return {
    module: { app, BrowserWindow: FakeBrowserWindow, ipcMain, safeStorage, session: { defaultSession }, default: {} },
    safeStorage,
    app,
    ipcMain,
    session: defaultSession,
    windows,
    /** Resolves with the window once main/index.ts has loaded its page. */
    loaded,
  };
}

export type ElectronDouble = ReturnType<typeof makeElectronDouble>;
