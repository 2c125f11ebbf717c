/**
 * The native global key hook (uiohook-napi): the only source of global key-up, so the only way to
 * hold-to-talk outside the window. Loaded lazily. On Linux, `uIOhook.start()` aborts the whole
 * process (SIGABRT) when the X display cannot be opened, even with DISPLAY set, so it is first
 * started in a throwaway child process; only if that child exits cleanly is it started here.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { KeyEvent, NativeKeySource } from '../../core/hotkey/service';

/** The parts of uiohook-napi used here. */
interface UiohookKeyEvent {
  keycode: number;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}
interface UiohookModule {
  uIOhook: {
    start(): void;
    stop(): void;
    on(event: 'keydown' | 'keyup', listener: (e: UiohookKeyEvent) => void): unknown;
    off(event: 'keydown' | 'keyup', listener: (e: UiohookKeyEvent) => void): unknown;
  };
  UiohookKey: Readonly<Record<string, number>>;
}

/** uiohook key names that differ from Electron accelerator names. */
const RENAMES: Readonly<Record<string, string>> = {
  ArrowUp: 'Up',
  ArrowDown: 'Down',
  ArrowLeft: 'Left',
  ArrowRight: 'Right',
  Ctrl: 'Control',
  CtrlRight: 'Control',
  AltRight: 'Alt',
  ShiftRight: 'Shift',
  MetaRight: 'Meta',
  Semicolon: ';',
  Equal: '=',
  Comma: ',',
  Minus: '-',
  Period: '.',
  Slash: '/',
  Backquote: '`',
  BracketLeft: '[',
  Backslash: '\\',
  BracketRight: ']',
  Quote: "'",
};

/** keycode → accelerator key name ("F9", "Space", "Control"), from uiohook's own key table. */
export function keyNamesByCode(table: Readonly<Record<string, number>>): ReadonlyMap<number, string> {
  const map = new Map<number, string>();
  for (const [name, code] of Object.entries(table)) {
    if (name.startsWith('Numpad')) continue; // Electron names them differently; not offered as hotkeys
    if (!map.has(code)) map.set(code, RENAMES[name] ?? name);
  }
  return map;
}

/** Why the hook cannot run in this environment without even trying it, or null when it may. */
export function displayProblem(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string | null {
  if (platform !== 'linux') return null;
  if (env.XDG_SESSION_TYPE === 'wayland') return 'Wayland does not tell apps when a global key is released';
  if (!env.DISPLAY) return 'There is no X display (DISPLAY is not set)';
  return null;
}

const PROBE = `
const { uIOhook } = require(process.argv[1]);
uIOhook.start();
setTimeout(() => { uIOhook.stop(); process.exit(0); }, 150);
`;

/**
 * Starts and stops the hook in a child process. A display that aborts the child (exit 134) would
 * have aborted us. Inside Electron, execPath is the Electron binary: ELECTRON_RUN_AS_NODE makes it
 * behave as Node.
 */
export function probeInChild(modulePath: string, env: NodeJS.ProcessEnv, timeoutMs = 5000): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', PROBE, modulePath], {
      env: { ...env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: 'ignore',
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

/** Platform, environment and test seams for the native source. */
export interface UiohookSourceOptions {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  /** Overridable for tests; defaults to resolving uiohook-napi (without loading it). */
  resolve?: () => string;
  /** Overridable for tests; defaults to requiring the resolved path. */
  load?: (path: string) => UiohookModule;
  /** Overridable for tests; defaults to `probeInChild`. */
  probe?: (modulePath: string, env: NodeJS.ProcessEnv) => Promise<boolean>;
}

const requireHere = createRequire(import.meta.url);
const resolveUiohook = (): string => requireHere.resolve('uiohook-napi');
const loadUiohook = (path: string): UiohookModule => requireHere(path) as UiohookModule;

/** The native key source for the hotkey service. */
export function createUiohookSource(options: UiohookSourceOptions = {}): NativeKeySource {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const resolvePath = options.resolve ?? resolveUiohook;
  const load = options.load ?? loadUiohook;
  const probe = options.probe ?? probeInChild;
  let running: {
    hook: UiohookModule['uIOhook'];
    down: (e: UiohookKeyEvent) => void;
    up: (e: UiohookKeyEvent) => void;
  } | null = null;

  return {
    async start(listener) {
      if (running) return { ok: true };
      const problem = displayProblem(platform, env);
      if (problem) return { ok: false, reason: problem };
      const failed = (what: string, error: unknown): { ok: false; reason: string } => ({
        ok: false,
        reason: `The global key listener could not ${what} (${(error as Error).message.split('\n')[0]})`,
      });
      let path: string;
      try {
        path = resolvePath();
      } catch (error) {
        return failed('be found', error);
      }
      // Probe before loading: merely loading the addon with a dead display makes Node exit with
      // code 1 at shutdown ("Couldn't find per display information"), as seen here.
      if (platform === 'linux' && !(await probe(path, env))) {
        return {
          ok: false,
          reason: `The X display ${env.DISPLAY ?? ''} could not be used by the global key listener`,
        };
      }
      let loaded: UiohookModule;
      try {
        loaded = load(path);
      } catch (error) {
        return failed('be loaded', error);
      }
      const names = keyNamesByCode(loaded.UiohookKey);
      const forward =
        (type: KeyEvent['type']) =>
        (e: UiohookKeyEvent): void => {
          const key = names.get(e.keycode);
          if (key === undefined) return;
          listener({
            type,
            key,
            modifiers: { ctrl: e.ctrlKey, shift: e.shiftKey, alt: e.altKey, meta: e.metaKey },
          });
        };
      const hook = loaded.uIOhook;
      const down = forward('keydown');
      const up = forward('keyup');
      hook.on('keydown', down);
      hook.on('keyup', up);
      try {
        hook.start();
      } catch (error) {
        hook.off('keydown', down);
        hook.off('keyup', up);
        return {
          ok: false,
          reason: `The global key listener could not start (${(error as Error).message.split('\n')[0]})`,
        };
      }
      running = { hook, down, up };
      return { ok: true };
    },
    stop(): void {
      if (!running) return;
      const { hook, down, up } = running;
      running = null;
      hook.off('keydown', down);
      hook.off('keyup', up);
      try {
        hook.stop();
      } catch {
        // Stopping a hook that already died has nothing left to undo.
      }
    },
  };
}
