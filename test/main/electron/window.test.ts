import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

// window.ts must not need Electron at runtime; the mock makes any accidental import harmless.
vi.mock('electron', () => import('./electron-mock'));

const { attachCloseToTray, denyAllPermissions, hardenWebContents, revealWindow, windowOptions } =
  await import('../../../src/main/electron/window');

describe('window options', () => {
  const options = windowOptions('/app/out/preload/index.js');

  it('isolate the page from Node and Electron', () => {
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('keep the window hidden until its first paint, on a dark background, with a usable minimum size', () => {
    expect(options.show).toBe(false);
    expect(options.backgroundColor).toMatch(/^#[0-9a-f]{6}$/i);
    expect(options.minWidth).toBeGreaterThanOrEqual(640);
    expect(options.minHeight).toBeGreaterThanOrEqual(480);
  });
});

class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
}
const navigation = (contents: FakeContents, event: string, url: string): boolean => {
  let prevented = false;
  contents.emit(event, { preventDefault: () => (prevented = true) }, url);
  return prevented;
};

describe('page hardening', () => {
  const isApp = (url: string): boolean => url.startsWith('app://talkie/');

  it('lets the page reload itself but not navigate or redirect anywhere else', () => {
    const contents = new FakeContents();
    hardenWebContents(contents as never, isApp);
    expect(navigation(contents, 'will-navigate', 'app://talkie/index.html')).toBe(false);
    expect(navigation(contents, 'will-navigate', 'https://example.com/')).toBe(true);
    expect(navigation(contents, 'will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigation(contents, 'will-redirect', 'https://example.com/')).toBe(true);
    expect(navigation(contents, 'will-attach-webview', 'app://talkie/x')).toBe(true);
  });

  it('denies every new window', () => {
    const contents = new FakeContents();
    hardenWebContents(contents as never, isApp);
    expect(contents.openHandler?.({ url: 'app://talkie/index.html' })).toEqual({ action: 'deny' });
    expect(contents.openHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });

  it('grants no permission to any page, the microphone included', () => {
    const got: {
      request?: (c: unknown, p: string, cb: (ok: boolean) => void) => void;
      check?: (...a: unknown[]) => boolean;
    } = {};
    denyAllPermissions({
      setPermissionRequestHandler: (h: typeof got.request) => (got.request = h),
      setPermissionCheckHandler: (h: typeof got.check) => (got.check = h),
    } as never);
    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read']) {
      got.request?.({}, permission, (ok) => answers.push(ok));
    }
    expect(answers).toEqual([false, false, false, false]);
    expect(got.check?.({}, 'media', 'app://talkie', {})).toBe(false);
  });
});

class FakeWindow extends EventEmitter {
  hidden = 0;
  hide(): void {
    this.hidden++;
  }
}
const close = (win: FakeWindow): boolean => {
  let prevented = false;
  win.emit('close', { preventDefault: () => (prevented = true) });
  return prevented;
};

describe('closing the window', () => {
  it('hides it to the tray when "close to tray" is on', () => {
    const win = new FakeWindow();
    attachCloseToTray(win as never, { closeToTray: () => true, isQuitting: () => false });
    expect(close(win)).toBe(true);
    expect(win.hidden).toBe(1);
  });

  it('really closes it when "close to tray" is off (the app then quits)', () => {
    const win = new FakeWindow();
    attachCloseToTray(win as never, { closeToTray: () => false, isQuitting: () => false });
    expect(close(win)).toBe(false);
    expect(win.hidden).toBe(0);
  });

  it('really closes it when the user chose Quit', () => {
    const win = new FakeWindow();
    attachCloseToTray(win as never, { closeToTray: () => true, isQuitting: () => true });
    expect(close(win)).toBe(false);
    expect(win.hidden).toBe(0);
  });

  it('follows the setting as it changes', () => {
    const win = new FakeWindow();
    let toTray = true;
    attachCloseToTray(win as never, { closeToTray: () => toTray, isQuitting: () => false });
    expect(close(win)).toBe(true);
    toTray = false;
    expect(close(win)).toBe(false);
  });
});

describe('showing the window', () => {
  it('restores a minimised window, shows and focuses it', () => {
    const calls: string[] = [];
    revealWindow({
      isDestroyed: () => false,
      isMinimized: () => true,
      restore: () => calls.push('restore'),
      show: () => calls.push('show'),
      focus: () => calls.push('focus'),
    });
    expect(calls).toEqual(['restore', 'show', 'focus']);
  });
});
