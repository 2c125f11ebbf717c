/**
 * A stand-in for the `electron` module (no binary here), used with
 * `vi.mock('electron', () => import('./electron-mock'))`. Records what main-process code does with
 * it; each test reads `mock` to see the calls.
 */
import { EventEmitter } from 'node:events';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

export class FakeTray extends EventEmitter {
  image: unknown;
  tooltip = '';
  menu: unknown = null;
  destroyed = false;
  constructor(image: unknown) {
    super();
    this.image = image;
    mock.trays.push(this);
  }
  setImage(image: unknown): void {
    this.image = image;
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: unknown): void {
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

let nextContentsId = 1;
export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  sent: Array<[string, unknown]> = [];
  openHandler: unknown = null;
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  isDestroyed(): boolean {
    return false;
  }
  setWindowOpenHandler(handler: unknown): void {
    this.openHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  url = '';
  visible = false;
  destroyed = false;
  constructor(readonly options: unknown) {
    super();
    mock.windows.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.url = url;
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {}
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  static getAllWindows(): FakeBrowserWindow[] {
    return mock.windows;
  }
}

class FakeApp extends EventEmitter {
  paths = new Map<string, string>();
  quits = 0;
  isPackaged = false;
  setPath(name: string, path: string): void {
    this.paths.set(name, path);
  }
  getPath(name: string): string {
    return this.paths.get(name) ?? `/nonexistent/${name}`;
  }
  getAppPath(): string {
    return '/app';
  }
  getVersion(): string {
    return '0.1.0';
  }
  requestSingleInstanceLock(): boolean {
    return true;
  }
  whenReady(): Promise<void> {
    mock.order.push('whenReady');
    return Promise.resolve();
  }
  quit(): void {
    this.quits++;
    const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
    this.emit('will-quit', event);
  }
  exit(): void {}
  setLoginItemSettings(): void {}
  /** Chromium switches, as `app.commandLine` keeps them (a later append of the same name wins). */
  readonly commandLine = {
    switches: new Map<string, string>(),
    appendSwitch: (name: string, value = ''): void => {
      mock.order.push(`appendSwitch ${name}=${value}`);
      this.commandLine.switches.set(name, value);
    },
    hasSwitch: (name: string): boolean => this.commandLine.switches.has(name),
    getSwitchValue: (name: string): string => this.commandLine.switches.get(name) ?? '',
  };
}

export const mock = {
  trays: [] as FakeTray[],
  windows: [] as FakeBrowserWindow[],
  ipcHandlers: new Map<string, Handler>(),
  shortcuts: new Map<string, () => void>(),
  schemes: [] as unknown[],
  protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
  permissionRequest: null as null | ((c: unknown, p: string, cb: (ok: boolean) => void) => void),
  /** What happened before and after 'ready', in order (switches appended, whenReady called). */
  order: [] as string[],
  reset(): void {
    mock.trays.length = 0;
    mock.windows.length = 0;
  },
};

export const app = new FakeApp();
export const Tray = FakeTray;
export const BrowserWindow = FakeBrowserWindow;
export const Menu = { buildFromTemplate: (template: unknown[]): { template: unknown[] } => ({ template }) };
export const nativeImage = { createFromPath: (path: string): { path: string } => ({ path }) };
/** Screen capture (src/main/electron/screen-capture.ts has its own test with sources to pick from). */
export const desktopCapturer = { getSources: async (): Promise<unknown[]> => [] };
export const screen = { getAllDisplays: (): unknown[] => [], getPrimaryDisplay: (): unknown => ({ id: 0 }) };
export const ipcMain = {
  handle: (channel: string, handler: Handler): void => {
    mock.ipcHandlers.set(channel, handler);
  },
  removeHandler: (channel: string): void => {
    mock.ipcHandlers.delete(channel);
  },
};
export const globalShortcut = {
  register: (accelerator: string, fn: () => void): boolean => {
    mock.shortcuts.set(accelerator, fn);
    return true;
  },
  unregister: (accelerator: string): void => {
    mock.shortcuts.delete(accelerator);
  },
  unregisterAll: (): void => mock.shortcuts.clear(),
};
export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown[]): void => {
    mock.schemes.push(...schemes);
  },
  handle: (scheme: string, handler: (request: Request) => Promise<Response>): void => {
    mock.protocolHandlers.set(scheme, handler);
  },
};
/** Reversible, marked "encryption", so tests can tell ciphertext from the key. */
export const safeStorage = {
  isEncryptionAvailable: (): boolean => true,
  getSelectedStorageBackend: (): string => 'gnome_libsecret',
  encryptString: (plain: string): Buffer =>
    Buffer.concat([Buffer.from('v10'), Buffer.from(plain).map((b) => b ^ 0x5a)]),
  decryptString: (enc: Buffer): string => Buffer.from(enc.subarray(3).map((b) => b ^ 0x5a)).toString(),
};
export const session = {
  defaultSession: {
    setPermissionRequestHandler: (h: typeof mock.permissionRequest): void => {
      mock.permissionRequest = h;
    },
    setPermissionCheckHandler: (): void => {},
    webRequest: { onHeadersReceived: (): void => {} },
  },
};
export const systemPreferences = { isTrustedAccessibilityClient: (): boolean => false };
export const clipboard = {
  text: '',
  readText: (): string => clipboard.text,
  writeText: (text: string): void => {
    clipboard.text = text;
  },
};
/** Records each notification shown; `isSupported` as on a desktop with a notification server. */
export class Notification extends EventEmitter {
  static shown: Array<{ title: string; body: string }> = [];
  static isSupported(): boolean {
    return true;
  }
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  show(): void {
    Notification.shown.push({ title: this.options.title, body: this.options.body });
  }
}
export const shell = {
  opened: [] as string[],
  openExternal: async (url: string): Promise<void> => {
    shell.opened.push(url);
  },
};

export default {
  app,
  Tray,
  BrowserWindow,
  Menu,
  nativeImage,
  desktopCapturer,
  screen,
  ipcMain,
  globalShortcut,
  protocol,
  safeStorage,
  session,
  clipboard,
  shell,
  systemPreferences,
  Notification,
};
