/**
 * Runs the hotkey machine against real key sources: picks the mode for this platform, starts the
 * native hook or registers a toggle shortcut, turns the machine's effects into talk press/release
 * and a timer, and reports the status (mode + reason) for the UI. Electron-free: sources are injected.
 */
import type { HotkeyStatus } from '../../../shared/types';
import { parseAccelerator, type Modifiers } from './accelerator';
import { initialHotkeyState, step, type HotkeyEffect, type HotkeyInput, type HotkeyState } from './machine';
import { chooseHotkeyMode, type ModeInputs } from './mode';

/** A key event from a native hook, with accelerator-style key names ("F9", "Space", "Control"). */
export interface KeyEvent {
  type: 'keydown' | 'keyup';
  key: string;
  modifiers: Modifiers;
}

/** A global hook that sees key-down and key-up (uiohook). */
export interface NativeKeySource {
  /** Starts the hook; resolves with why it cannot run where it cannot. Never throws. */
  start(listener: (event: KeyEvent) => void): Promise<{ ok: true } | { ok: false; reason: string }>;
  stop(): void;
}

/** A toggle-only global shortcut (Electron's globalShortcut): fires on press, no key-up. */
export interface ShortcutSource {
  /** False when the accelerator is taken or invalid. */
  register(accelerator: string, onActivate: () => void): boolean;
  unregister(accelerator: string): void;
}

/** Platform facts, key sources and callbacks the service runs with. */
export interface HotkeyServiceOptions {
  platform: NodeJS.Platform;
  env: {
    DISPLAY?: string | undefined;
    WAYLAND_DISPLAY?: string | undefined;
    XDG_SESSION_TYPE?: string | undefined;
  };
  native: NativeKeySource | null;
  shortcut: ShortcutSource | null;
  /** macOS Accessibility trust (Electron's systemPreferences); undefined elsewhere. */
  accessibilityTrusted?: () => boolean;
  /** Talk key pressed / released (the app calls talk.press / talk.release with source 'hotkey'). */
  press(): void;
  release(): void;
  onStatus(status: HotkeyStatus): void;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/** The running global hotkey. */
export interface HotkeyService {
  /** Applies the hotkey settings: (re)starts the right source. Resolves with the resulting status. */
  configure(settings: { hotkey: string; hotkeyMode: 'auto' | 'hold' | 'toggle' }): Promise<HotkeyStatus>;
  /** Tell the machine whether the app is capturing (any source), so toggle and stuck-key logic agree. */
  setListening(value: boolean): void;
  status(): HotkeyStatus;
  dispose(): void;
}

/** Builds the service; nothing starts until `configure`. */
export function createHotkeyService(options: HotkeyServiceOptions): HotkeyService {
  const now = options.now ?? Date.now;
  const setTimer = options.setTimer ?? ((fn: () => void, ms: number): unknown => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((h: unknown): void => clearTimeout(h as NodeJS.Timeout));

  let state: HotkeyState = initialHotkeyState('off', {
    key: 'F9',
    modifiers: { ctrl: false, shift: false, alt: false, meta: false },
  });
  let current: HotkeyStatus = { mode: 'off', accelerator: '', reason: 'Starting the global hotkey…' };
  let timer: unknown = null;
  let nativeRunning = false;
  let registered: string | null = null;
  let nativeFailed: string | null = null;
  let generation = 0;

  const run = (effects: HotkeyEffect[]): void => {
    for (const effect of effects) {
      switch (effect.type) {
        case 'press':
          options.press();
          break;
        case 'release':
          options.release();
          break;
        case 'startTimer':
          if (timer !== null) clearTimer(timer);
          timer = setTimer(() => {
            timer = null;
            feed({ type: 'timeout' });
          }, effect.ms);
          break;
        case 'cancelTimer':
          if (timer !== null) clearTimer(timer);
          timer = null;
          break;
      }
    }
  };
  const feed = (input: HotkeyInput): void => {
    const next = step(state, input);
    state = next.state;
    run(next.effects);
  };

  const stopSources = (): void => {
    if (nativeRunning) options.native?.stop();
    nativeRunning = false;
    if (registered !== null) options.shortcut?.unregister(registered);
    registered = null;
  };
  const report = (status: HotkeyStatus): HotkeyStatus => {
    current = status;
    options.onStatus(status);
    return status;
  };

  return {
    async configure({ hotkey, hotkeyMode }): Promise<HotkeyStatus> {
      const mine = ++generation;
      stopSources();
      const parsed = parseAccelerator(hotkey, options.platform);
      if (!parsed.ok) {
        feed({ type: 'configure', mode: 'off', chord: state.chord });
        return report({ mode: 'off', accelerator: hotkey, reason: `The hotkey is off: ${parsed.error}.` });
      }
      const inputs: ModeInputs = {
        platform: options.platform,
        sessionType: options.env.XDG_SESSION_TYPE,
        waylandDisplay: options.env.WAYLAND_DISPLAY,
        hasDisplay: options.platform !== 'linux' || Boolean(options.env.DISPLAY),
        userChoice: hotkeyMode,
        accelerator: hotkey,
        accessibilityTrusted: options.accessibilityTrusted?.(),
        nativeAvailable: options.native !== null && nativeFailed === null,
        shortcutAvailable: options.shortcut !== null,
      };
      let choice = chooseHotkeyMode(inputs);
      let failure: string | null = null;

      if (choice.source === 'native' && options.native) {
        const started = await options.native.start((event) => {
          if (mine === generation) feed(event);
        });
        if (mine !== generation) {
          if (started.ok) options.native.stop();
          return current; // a newer configure() took over while the hook was starting
        }
        if (started.ok) {
          nativeRunning = true;
        } else {
          failure = started.reason;
          nativeFailed = started.reason;
          choice = chooseHotkeyMode({ ...inputs, nativeAvailable: false });
        }
      }
      if (choice.source === 'shortcut' && options.shortcut) {
        const ok = options.shortcut.register(hotkey, () => feed({ type: 'activate', at: now() }));
        if (ok) registered = hotkey;
        else
          choice = {
            mode: 'off',
            source: 'none',
            reason: `${hotkey} could not be registered (another app may use it): choose another key in Settings.`,
          };
      }
      feed({ type: 'configure', mode: choice.mode, chord: parsed.chord });
      const reason = failure ? `${failure}. ${choice.reason}` : choice.reason;
      return report({ mode: choice.mode, accelerator: hotkey, reason });
    },
    setListening(value: boolean): void {
      feed({ type: 'listening', value });
    },
    status: () => current,
    dispose(): void {
      generation++;
      stopSources();
      if (timer !== null) clearTimer(timer);
      timer = null;
    },
  };
}
