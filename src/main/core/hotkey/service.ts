/**
 * Runs the hotkey machine against real key sources: picks the mode for this platform, binds the key
 * through the desktop portal (Wayland), starts the native hook or registers a toggle shortcut, turns
 * the machine's effects into talk press/release and a timer, and reports the status (mode + reason)
 * for the UI. Electron-free: sources are injected.
 */
import type { HotkeyStatus } from '../../../shared/types';
import { parseAccelerator, type Chord, type Modifiers } from './accelerator';
import { initialHotkeyState, step, type HotkeyEffect, type HotkeyInput, type HotkeyState } from './machine';
import { chooseHotkeyMode, isWayland, type ModeInputs } from './mode';
import { initialPortalKeys, portalStep, type PortalFailure, type PortalKeysState } from './portal-keys';
import { portalTrigger } from './portal-trigger';

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

/** What the desktop portal reports about the bound shortcut. */
export type PortalEvent =
  | { type: 'activated' }
  | { type: 'deactivated' }
  /** The portal or the bus went away: no further events will come from this bind. */
  | { type: 'lost'; reason: string };

/** A global shortcut bound through org.freedesktop.portal.GlobalShortcuts (Wayland). */
export interface PortalKeySource {
  /**
   * Binds one shortcut, with the accelerator as the preferred trigger (the desktop may ask the user
   * or assign another). `trigger` is the desktop's description of the key it bound. Never throws.
   */
  start(
    shortcut: { accelerator: string; chord: Chord; description: string },
    listener: (event: PortalEvent) => void,
  ): Promise<PortalBindResult>;
  /**
   * Optional: calls `onAppeared` each time a desktop portal takes its name on the bus (it started late, or came
   * back after it stopped), so the key can be bound again without the user. Returns the stop function.
   */
  watch?(onAppeared: () => void): () => void;
}

/** A bind: its own `stop` (closes the portal session), so an outdated bind never stops a newer one. */
export type PortalBindResult =
  { ok: true; trigger: string | null; stop: () => void } | { ok: false; failure: PortalFailure };

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
  /** The desktop portal client, tried first on Wayland; null where there is none. */
  portal?: PortalKeySource | null;
  /**
   * The command that reaches this running app with --toggle / --press / --release ("talkie" for the
   * desktop app), named in the reason as the way out where no global key works; absent where none does.
   */
  commandLine?: string;
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
  let portalStop: (() => void) | null = null;
  let portalKeys: PortalKeysState = initialPortalKeys('hold');
  /** Why the last portal bind ended (it went away), said once in the next status. */
  let portalLost: string | null = null;
  let lastSettings: { hotkey: string; hotkeyMode: 'auto' | 'hold' | 'toggle' } | null = null;
  let registered: string | null = null;
  let nativeFailed: string | null = null;
  let generation = 0;
  /** Stops watching for the portal to (re)appear; started with the first configure on Wayland. */
  let unwatch: (() => void) | null = null;

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
    portalStop?.();
    portalStop = null;
    if (registered !== null) options.shortcut?.unregister(registered);
    registered = null;
  };
  const report = (status: HotkeyStatus): HotkeyStatus => {
    current = status;
    options.onStatus(status);
    return status;
  };

  const portalReason = (
    hotkey: string,
    chord: Chord,
    trigger: string | null,
    mode: 'hold' | 'toggle',
  ): string => {
    const via = 'through the desktop’s global shortcuts portal';
    // The desktop may let the user pick another key: then say which one it bound.
    const other = trigger && trigger !== hotkey && trigger !== portalTrigger(chord);
    const assigned = other ? `; the desktop set it to ${trigger}` : '';
    return mode === 'hold'
      ? `Hold ${hotkey} to talk, release to send (${via}${assigned}).`
      : `Toggle mode: press ${hotkey} once to start talking, again to send (${via}${assigned}).`;
  };

  const onPortal = (event: PortalEvent, hotkey: string, chord: Chord): void => {
    if (event.type === 'lost') {
      portalStop?.();
      portalStop = null;
      portalLost = event.reason;
      // End a turn this key started now; the fallback source may take a while to come up.
      feed({ type: 'configure', mode: 'off', chord });
      if (lastSettings) void service.configure(lastSettings);
      return;
    }
    const next = portalStep(portalKeys, state, chord, event.type, now());
    portalKeys = next.portal;
    for (const input of next.inputs) feed(input);
    if (next.becameToggle)
      report({
        mode: 'toggle',
        accelerator: hotkey,
        reason: `The desktop portal does not report key releases: press ${hotkey} once to start talking, again to send.`,
      });
  };

  const service: HotkeyService = {
    async configure(settings): Promise<HotkeyStatus> {
      const { hotkey, hotkeyMode } = settings;
      lastSettings = { hotkey, hotkeyMode };
      const mine = ++generation;
      stopSources();
      const parsed = parseAccelerator(hotkey, options.platform);
      if (!parsed.ok) {
        feed({ type: 'configure', mode: 'off', chord: state.chord });
        return report({ mode: 'off', accelerator: hotkey, reason: `The hotkey is off: ${parsed.error}.` });
      }
      const lost = portalLost;
      portalLost = null;
      const lostWords = lost ? `${lost}. ` : '';
      let portalFailure: PortalFailure | undefined;
      const env = options.env;
      const wayland = isWayland({
        platform: options.platform,
        sessionType: env.XDG_SESSION_TYPE,
        waylandDisplay: env.WAYLAND_DISPLAY,
        hasDisplay: options.platform !== 'linux' || Boolean(env.DISPLAY),
      });
      if (wayland && options.portal?.watch && unwatch === null) {
        // A portal that starts after us, or restarts, gets our key bound again by itself.
        unwatch = options.portal.watch(() => {
          if (portalStop === null && lastSettings) void service.configure(lastSettings);
        });
      }
      if (wayland && options.portal) {
        const chord = parsed.chord;
        const started = await options.portal.start(
          { accelerator: hotkey, chord, description: 'Talk to Talkie (hold to talk)' },
          (event) => {
            if (mine === generation) onPortal(event, hotkey, chord);
          },
        );
        if (mine !== generation) {
          if (started.ok) started.stop();
          return current; // a newer configure() took over while the portal was binding
        }
        if (started.ok) {
          portalStop = started.stop;
          const mode = hotkeyMode === 'toggle' ? 'toggle' : 'hold';
          portalKeys = initialPortalKeys(mode);
          feed({ type: 'configure', mode, chord });
          return report({
            mode,
            accelerator: hotkey,
            reason: lostWords + portalReason(hotkey, chord, started.trigger, mode),
          });
        }
        portalFailure = started.failure;
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
        ...(portalFailure ? { portalFailure } : {}),
        ...(options.commandLine ? { commandLine: options.commandLine } : {}),
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
      const reason = lostWords + (failure ? `${failure}. ${choice.reason}` : choice.reason);
      return report({ mode: choice.mode, accelerator: hotkey, reason });
    },
    setListening(value: boolean): void {
      feed({ type: 'listening', value });
    },
    status: () => current,
    dispose(): void {
      generation++;
      unwatch?.();
      unwatch = null;
      stopSources();
      if (timer !== null) clearTimer(timer);
      timer = null;
    },
  };
  return service;
}
