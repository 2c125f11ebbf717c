/**
 * The main window: options from a pure function (asserted by a test), navigation and new windows
 * denied, no permission ever granted (audio is native in main), and close-to-tray.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, Session, WebContents } from 'electron';

/** Secure window options. `show: false` until ready-to-show, so no white flash. */
export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1100,
    height: 760,
    minWidth: 640,
    minHeight: 480,
    show: false,
    backgroundColor: '#111827',
    title: 'Talkie',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/**
 * The page may reload itself but never go anywhere else, open windows, or attach webviews.
 * `isAppUrl` says whether a URL is our renderer (app:// or the dev server).
 */
export function hardenWebContents(contents: WebContents, isAppUrl: (url: string) => boolean): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** No camera, microphone, notifications, geolocation… for any page in this session. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * Closing the window hides it to the tray while `closeToTray()` holds; otherwise (or once the app
 * is quitting) the window really closes.
 */
export function attachCloseToTray(
  win: Pick<BrowserWindow, 'on' | 'hide'>,
  options: { closeToTray: () => boolean; isQuitting: () => boolean },
): void {
  win.on('close', (event) => {
    if (options.isQuitting() || !options.closeToTray()) return;
    event.preventDefault();
    win.hide();
  });
}

/** Shows, restores and focuses the window (tray "Show", second instance, Settings). */
export function revealWindow(
  win: Pick<BrowserWindow, 'isMinimized' | 'restore' | 'show' | 'focus' | 'isDestroyed'>,
): void {
  if (win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
