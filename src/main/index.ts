/**
 * The Electron composition root: stores, core, IPC, window, tray, hotkey. Everything with logic
 * lives in src/main/electron (tested with electron replaced) or the Electron-free core; this file
 * only plugs them together in order.
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  BrowserWindow,
  Notification,
  app,
  clipboard,
  globalShortcut,
  ipcMain,
  protocol,
  safeStorage,
  session,
  shell,
  systemPreferences,
} from 'electron';
import { attachHotkey, type AttachedHotkey } from './core/hotkey/attach';
import { createPortalSource } from './adapters/hotkey/portal';
import { createUiohookSource } from './adapters/hotkey/uiohook';
import { detectTray } from './adapters/tray/status-notifier';
import { createSafeStorageSecrets, encryptionUsable } from './adapters/secrets/safe-storage';
import { openElectronSettings } from './adapters/settings/electron-store';
import { electronDevBuild } from './core/store/native-binding';
import { createApp, type App } from './app';
import { loadAudioEngine } from './audio';
import {
  APP_INDEX_URL,
  APP_ORIGIN,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  createAppProtocolHandler,
} from './electron/app-protocol';
import { createApprovalNotifier } from './electron/approval-notification';
import { devContentSecurityPolicy } from './electron/csp';
import { enableFeatures } from './electron/features';
import { createGlobalShortcutSource } from './electron/global-shortcut';
import { createScreenCapture } from './electron/screen-capture';
import { broadcast, createSenderCheck, registerIpc } from './electron/ipc';
import {
  applyLoginItem,
  claimSingleInstance,
  parseMainArgs,
  trackQuitting,
  type TalkCommand,
} from './electron/lifecycle';
import { createTray } from './electron/tray';
import { createTrayActions } from './electron/tray-actions';
import { gateMicrophone } from './electron/microphone-permission';
import { trayPolicy } from './electron/tray-presence';
import { TrayTracker } from './electron/tray-state';
import {
  attachCloseToTray,
  denyAllPermissions,
  hardenWebContents,
  revealWindow,
  windowOptions,
} from './electron/window';

const args = parseMainArgs(process.argv.slice(1));
if (args.dataDir) app.setPath('userData', resolve(args.dataDir));
// Before 'ready': Chromium reads its features once. Wayland's globalShortcut needs the portal one.
enableFeatures(app.commandLine);
// Must happen before 'ready': app:// gets an origin of its own and fetch support.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

const isQuitting = trackQuitting(app);
let win: BrowserWindow | null = null;
const showWindow = (): void => {
  if (win) revealWindow(win);
};
let hotkey: AttachedHotkey | null = null;
/** The app's event emitter, once it runs (a talk command can arrive before). */
let coreEmit: App['emit'] | null = null;

async function start(): Promise<void> {
  const dataDir = app.getPath('userData');
  mkdirSync(dataDir, { recursive: true });
  const settings = openElectronSettings(dataDir);
  const secrets = createSafeStorageSecrets(safeStorage, join(dataDir, 'api-key.json'), settings);
  const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
  const devOrigin = devUrl ? new URL(devUrl).origin : null;
  const isAppUrl = (url: string): boolean => {
    if (url.startsWith(`${APP_ORIGIN}/`)) return true;
    try {
      return devOrigin !== null && new URL(url).origin === devOrigin;
    } catch {
      return false;
    }
  };

  // Packaged apps carry better-sqlite3 built for Electron in place. In development node_modules holds the Node
  // build (tests, browser mode); `npm start` / `npm run dev` first make one for this Electron beside it. Without it
  // the app still starts, keeping conversations in memory only (createApp says so).
  const nativeBinding = app.isPackaged
    ? undefined
    : electronDevBuild(app.getAppPath(), process.versions.electron);
  if (!app.isPackaged && nativeBinding === undefined)
    console.warn(
      `Talkie: no build of better-sqlite3 for Electron ${process.versions.electron} in node_modules/.cache/talkie; ` +
        'conversations will not be saved. Run: node scripts/electron-abi-sqlite.mjs dev (needs a network connection once).',
    );

  // Linux: with no tray to hide into, closing must quit and start-hidden must show the window.
  const trayRules = trayPolicy(
    process.platform === 'linux' ? await detectTray(process.env) : { kind: 'present' },
  );
  const core = await createApp({
    settings,
    secrets,
    audio:
      process.platform === 'darwin'
        ? gateMicrophone(await loadAudioEngine(process.env), systemPreferences)
        : await loadAudioEngine(process.env),
    dataDir,
    ...(nativeBinding === undefined ? {} : { nativeBinding }),
    shell: 'electron',
    env: process.env,
    imageWorkerFile: join(__dirname, 'image-worker.js'),
    desktop: {
      hideWindow: () => win?.hide(),
      openExternal: (url) => shell.openExternal(url),
      clipboard: {
        readText: async () => clipboard.readText(),
        writeText: async (text) => clipboard.writeText(text),
      },
      approvalNeeded: createApprovalNotifier({
        isSupported: () => Notification.isSupported(),
        create: (options) => new Notification(options),
        windowInView: () => win !== null && win.isVisible() && !win.isMinimized(),
        showWindow,
      }),
      screen: createScreenCapture(() => win),
    },
    // MCP servers' env values and headers are kept like the API key.
    secretCipher: encryptionUsable(safeStorage)
      ? {
          encrypt: (plain) => safeStorage.encryptString(plain),
          decrypt: (encrypted) => safeStorage.decryptString(encrypted),
        }
      : null,
    hotkeyStatus: () =>
      hotkey?.status() ?? {
        mode: 'off',
        accelerator: settings.get().hotkey,
        reason: 'Starting the global hotkey…',
      },
    startupNotices: [
      ...settings.notices,
      ...secrets.notices,
      ...(trayRules.notice ? [trayRules.notice] : []),
    ],
  });

  protocol.handle(APP_SCHEME, createAppProtocolHandler(join(__dirname, '../renderer')));
  denyAllPermissions(session.defaultSession);
  if (devUrl) {
    const csp = devContentSecurityPolicy(devUrl);
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      const headers = { ...details.responseHeaders };
      if (isAppUrl(details.url)) headers['Content-Security-Policy'] = [csp];
      callback({ responseHeaders: headers });
    });
  }
  registerIpc(
    ipcMain,
    core.dispatch,
    createSenderCheck(() => (win ? [win.webContents.id] : []), isAppUrl),
  );

  win = new BrowserWindow(windowOptions(join(__dirname, '../preload/index.js')));
  hardenWebContents(win.webContents, isAppUrl);
  attachCloseToTray(win, {
    closeToTray: () => trayRules.closeToTray(settings.get().closeToTray),
    isQuitting,
  });
  const startHidden = trayRules.startHidden(args.hidden || settings.get().startHidden);
  win.once('ready-to-show', () => {
    if (!startHidden) win?.show();
  });
  win.on('closed', () => {
    win = null;
  });
  void win.loadURL(devUrl ?? APP_INDEX_URL);

  const tracker = new TrayTracker(await core.handlers['app.snapshot']({}));
  const trayIcons = app.isPackaged
    ? join(process.resourcesPath, 'tray')
    : join(app.getAppPath(), 'resources', 'tray');
  const tray = createTray(
    trayIcons,
    tracker.view(),
    createTrayActions({
      handlers: core.handlers,
      emit: core.emit,
      next: () => tracker.nextOptions(),
      showWindow,
      quit: () => app.quit(),
      onError: (message) => console.warn(`tray command failed: ${message}`),
    }),
  );
  core.onEvent((name, payload) => {
    broadcast(win ? [win.webContents] : [], name, payload as never);
    const view = tracker.apply(name, payload);
    if (view) tray.update(view);
  });
  coreEmit = core.emit;
  hotkey = attachHotkey(
    {
      platform: process.platform,
      env: process.env,
      native: createUiohookSource(),
      shortcut: createGlobalShortcutSource(globalShortcut),
      portal: createPortalSource(),
      commandLine: 'talkie',
      accessibilityTrusted:
        process.platform === 'darwin'
          ? () => systemPreferences.isTrustedAccessibilityClient(false)
          : undefined,
    },
    core,
    settings,
  );
  const attached = hotkey;

  if (process.env.TALKIE_E2E === '1') {
    // Read-only peek for e2e/electron (Electron has no API to list tray icons).
    Object.assign(globalThis, {
      __talkieE2E: { tray: () => tray.shown(), hotkey: () => attached.service.status() },
    });
  }

  const loginEnv = {
    platform: process.platform,
    exec: process.env.APPIMAGE ?? process.execPath,
    configHome: process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'),
  };
  // Only packaged apps register at login: a dev build would register the bare Electron binary.
  if (app.isPackaged) applyLoginItem(app, settings.get(), loginEnv);
  let previous = settings.get();
  settings.onChange((next) => {
    if (
      app.isPackaged &&
      (next.startAtLogin !== previous.startAtLogin || next.startHidden !== previous.startHidden)
    )
      applyLoginItem(app, next, loginEnv);
    previous = next;
  });

  app.on('activate', showWindow); // macOS: clicking the dock icon
  app.on('window-all-closed', () => app.quit()); // closeToTray off: closing the window quits
  // Quit waits (briefly) for the core to close its socket and the demo simulator cleanly.
  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    disposed = true;
    attached.dispose();
    globalShortcut.unregisterAll();
    tray.destroy();
    const timeout = new Promise((done) => setTimeout(done, 3000).unref());
    void Promise.race([core.dispose(), timeout])
      .catch((error: unknown) => console.error('Talkie did not shut down cleanly:', error))
      .finally(() => app.quit());
  });
}

/** `talkie --press --mode NAME` naming no mode: said in the window, since the launching process has exited. */
function talkCommand(command: TalkCommand): void {
  const problem = hotkey?.command(command.action, command.mode) ?? null;
  if (problem === null) return;
  console.error(`talkie --${command.action}: ${problem}`);
  coreEmit?.('notice', { id: `talk-command-${Date.now()}`, level: 'warning', text: problem, at: Date.now() });
}

// `talkie --toggle` / `--press` / `--release` (and `--mode`) from a key bound in the compositor reach us here.
if (claimSingleInstance(app, showWindow, talkCommand)) {
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      console.error('Talkie could not start:', error);
      app.exit(1);
    });
}
