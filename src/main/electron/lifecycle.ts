/**
 * App-level desktop behaviour: one running instance, start at login, start hidden, and the
 * difference between closing the window (hide to tray) and quitting.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'electron';

/** Command-line flags of the desktop app. */
export interface MainArgs {
  /** --data-dir <path>: settings, key and logs go here instead of the OS default. */
  dataDir: string | null;
  /** --hidden: start in the tray (used by the login item). */
  hidden: boolean;
  /**
   * --toggle / --press / --release: push-to-talk for the instance already running (what a key bound
   * in the compositor runs on Wayland, where no app sees global keys without the portal).
   */
  talk: TalkCommand | null;
}

/** A push-to-talk command from the command line, optionally in a mode (`--mode NAME`, by name or id). */
export interface TalkCommand {
  action: 'toggle' | 'press' | 'release';
  mode?: string;
}

/** Parses our flags, ignoring Chromium's and Electron's own. */
export function parseMainArgs(argv: readonly string[]): MainArgs {
  const out: MainArgs = { dataDir: null, hidden: false, talk: null };
  let mode: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--hidden') out.hidden = true;
    else if (arg === '--toggle' || arg === '--press' || arg === '--release')
      out.talk = { action: arg.slice(2) as TalkCommand['action'] };
    else if (arg === '--mode' && argv[i + 1] !== undefined) mode = argv[++i];
    else if (arg.startsWith('--mode=')) mode = arg.slice('--mode='.length);
    else if (arg === '--data-dir' && argv[i + 1] !== undefined) out.dataDir = argv[++i] ?? null;
    else if (arg.startsWith('--data-dir=')) out.dataDir = arg.slice('--data-dir='.length);
  }
  if (out.dataDir === '') out.dataDir = null;
  if (out.talk && mode !== undefined) out.talk.mode = mode;
  return out;
}

/**
 * Takes the single-instance lock. A second launch focuses the running window and exits, or, when it
 * carries --toggle / --press / --release, hands that to `talk` without touching the window. Returns
 * false in that second process (the caller stops there).
 */
export function claimSingleInstance(
  app: Pick<App, 'requestSingleInstanceLock' | 'quit' | 'on'>,
  focus: () => void,
  talk: (command: TalkCommand) => void = () => undefined,
): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', (_event, argv: readonly string[]) => {
    const command = parseMainArgs(argv.slice(1)).talk;
    if (command) talk(command);
    else focus();
  });
  return true;
}

/** Tracks "the user asked to quit" so the window's close handler lets the window go. */
export function trackQuitting(app: Pick<App, 'on'>): () => boolean {
  let quitting = false;
  app.on('before-quit', () => {
    quitting = true;
  });
  return () => quitting;
}

/** The XDG autostart entry for Linux, where Electron has no login-item API. */
export function autostartDesktopEntry(exec: string, hidden: boolean): string {
  const quoted = `"${exec.replace(/(["\\$`])/g, '\\$1')}"`;
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Talkie',
    'Comment=Push-to-talk voice assistant',
    `Exec=${quoted}${hidden ? ' --hidden' : ''}`,
    'X-GNOME-Autostart-enabled=true',
    'Terminal=false',
    '',
  ].join('\n');
}

/** Where and how to register the login item. */
export interface LoginItemEnv {
  platform: NodeJS.Platform;
  /** The launcher to start (on Linux the AppImage path when running from one). */
  exec: string;
  /** ~/.config (XDG_CONFIG_HOME) on Linux. */
  configHome: string;
}

/**
 * Starts the app at login (hidden in the tray when startHidden), or stops doing so. macOS and
 * Windows use Electron's API; Linux gets an XDG autostart file.
 */
export function applyLoginItem(
  app: Pick<App, 'setLoginItemSettings'>,
  settings: { startAtLogin: boolean; startHidden: boolean },
  env: LoginItemEnv,
): void {
  if (env.platform === 'linux') {
    const file = join(env.configHome, 'autostart', 'talkie.desktop');
    if (settings.startAtLogin) {
      mkdirSync(join(env.configHome, 'autostart'), { recursive: true });
      writeFileSync(file, autostartDesktopEntry(env.exec, settings.startHidden));
    } else {
      rmSync(file, { force: true });
    }
    return;
  }
  app.setLoginItemSettings({
    openAtLogin: settings.startAtLogin,
    // macOS < 13 honours openAsHidden; Windows and newer macOS get the flag instead.
    openAsHidden: settings.startHidden,
    args: settings.startHidden ? ['--hidden'] : [],
  });
}
