/**
 * Plugs the hotkey service into a running app, the same way in both shells: key press/release →
 * talk.press/talk.release (source 'hotkey'), status → the 'hotkey' event, the newest turn's phase →
 * the machine's idea of "listening", and hotkey setting changes → reconfigure.
 */
import type { EventName, Handlers } from '../../../shared/contract';
import { errorMessage } from '../../../shared/error-message';
import { isSameOrNewerTurn } from '../../../shared/turn-order';

const report = (error: unknown): void => console.error(`hotkey: ${errorMessage(error)}`);
import type { HotkeyStatus, ModeKeyStatus, TurnView } from '../../../shared/types';
import type { SettingsStore } from '../settings/types';
import { MAX_HOLD_MS } from './machine';
import { findMode, talkCaptureKey, type Settings } from '../../../shared/settings';
import { createHotkeyService, type HotkeyService, type HotkeyServiceOptions } from './service';
import { shareNativeSource } from './shared-native';

/** The parts of the app the hotkey needs (createApp's result satisfies it). */
export interface HotkeyAppPort {
  /** Typed in-process calls: the same handlers the window's commands run. */
  handlers: Pick<Handlers, 'talk.press' | 'talk.release'> &
    Partial<Pick<Handlers, 'talk.toggle' | 'screen.grab'>>;
  emit(name: 'hotkey', payload: HotkeyStatus): void;
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
}

/** A mode's own key: holding it talks in that mode. */
export interface ModeHotkey {
  modeId: string;
  accelerator: string;
}

/** The modes that have a key of their own, in the order the user listed them. */
export function modeHotkeys(settings: Pick<Settings, 'modes'>): ModeHotkey[] {
  return settings.modes.flatMap((mode) =>
    mode.hotkey === null ? [] : [{ modeId: mode.id, accelerator: mode.hotkey }],
  );
}

/**
 * Global keys besides the push-to-talk key, in a fixed order: each mode's own key (holds to talk in that mode),
 * the push-to-talk key with the capture modifier (holds to talk with a screen capture), and the Capture screen
 * key (captures into the next turn).
 */
export type ExtraHotkey =
  | { kind: 'mode'; modeId: string; accelerator: string }
  | { kind: 'talk-capture'; accelerator: string }
  | { kind: 'capture'; accelerator: string };

/** The global keys the settings ask for besides the push-to-talk key. */
export function extraHotkeys(
  settings: Pick<Settings, 'modes' | 'hotkey' | 'captureHotkey' | 'talkCaptureModifier'>,
): ExtraHotkey[] {
  const withCapture = talkCaptureKey(settings);
  return [
    ...modeHotkeys(settings).map((m) => ({ kind: 'mode' as const, ...m })),
    ...(withCapture ? [{ kind: 'talk-capture' as const, accelerator: withCapture }] : []),
    ...(settings.captureHotkey ? [{ kind: 'capture' as const, accelerator: settings.captureHotkey }] : []),
  ];
}

/** The sources and platform facts; press/release/onStatus are filled in here. */
export type HotkeySetup = Omit<HotkeyServiceOptions, 'press' | 'release' | 'onStatus'>;

/** A hotkey attached to an app. */
export interface AttachedHotkey {
  service: HotkeyService;
  /** Resolves once the first configuration (and native hook start) finished. */
  ready: Promise<HotkeyStatus>;
  /** The push-to-talk key's status, with each mode key's (what Settings shows). */
  status(): HotkeyStatus;
  /**
   * Push-to-talk from outside the app (`talkie --toggle` / `--press` / `--release`, e.g. bound in
   * the compositor), optionally in a mode named by name or id (`--mode`). A press with no release is
   * sent after MAX_HOLD_MS, like a stuck key. Returns why nothing was done (an unknown mode), else null.
   */
  command(action: 'toggle' | 'press' | 'release', mode?: string): string | null;
  dispose(): void;
}

/** Starts the global hotkey for `app` with the current settings and keeps it in step with them. */
export function attachHotkey(
  setup: HotkeySetup,
  app: HotkeyAppPort,
  settings: SettingsStore,
): AttachedHotkey {
  // The push-to-talk key and every mode's key listen to one native hook.
  const shared = setup.native ? shareNativeSource(setup.native) : null;
  // Which talk key started the turn being held: the push-to-talk key (MAIN) or a mode's (its id). Another talk
  // key pressed or let go meanwhile is "another key during the hold": it neither starts a turn nor ends this one.
  const MAIN = Symbol('push-to-talk key');
  const TALK_CAPTURE = Symbol('push-to-talk key with the capture modifier');
  let holder: string | symbol | null = null;
  let listening = false;
  // Each mode key's latest status, by mode id; sent along with the push-to-talk key's.
  let modeStatuses = new Map<string, ModeKeyStatus>();
  let modeOrder: string[] = [];
  const status = (): HotkeyStatus => {
    const base = service.status();
    const modeKeys = modeOrder.flatMap((id) => {
      const s = modeStatuses.get(id);
      return s ? [s] : [];
    });
    return modeKeys.length > 0 ? { ...base, modeKeys } : base;
  };
  const publish = (): void => app.emit('hotkey', status());
  const service = createHotkeyService({
    ...setup,
    native: shared?.user() ?? null,
    press: () => {
      if (holder !== null) return;
      holder = MAIN;
      void app.handlers['talk.press']({ source: 'hotkey' }).catch(report);
    },
    release: () => {
      if (holder !== null && holder !== MAIN) return;
      holder = null;
      void app.handlers['talk.release']({ source: 'hotkey' }).catch(report);
    },
    onStatus: () => publish(),
  });

  // Each mode's key, the push-to-talk key with the capture modifier, and the Capture screen key go through the
  // same path as the push-to-talk key (same sources, same platform rules).
  let extraServices: HotkeyService[] = [];
  let extraKeys = '[]';
  const talkKey = (
    key: string | symbol,
    pressPayload: { source: 'hotkey'; modeId?: string; capture?: boolean },
  ): Pick<HotkeyServiceOptions, 'press' | 'release'> => ({
    press: () => {
      if (listening || holder !== null) return;
      holder = key;
      void app.handlers['talk.press'](pressPayload).catch(report);
    },
    release: () => {
      if (holder !== key) return;
      holder = null;
      void app.handlers['talk.release']({ source: 'hotkey' }).catch(report);
    },
  });
  const captureKey = (): Pick<HotkeyServiceOptions, 'press' | 'release'> & { toggle: boolean } => {
    const grab = (): void => void app.handlers['screen.grab']?.({}).catch(report);
    // One capture per press: in hold mode key-down captures; in toggle mode every activation does (the machine
    // calls them press and release in turn).
    const keys = { toggle: false, press: grab, release: (): void => (keys.toggle ? grab() : undefined) };
    return keys;
  };
  const configureExtras = (settings: Settings): void => {
    const keys = extraHotkeys(settings);
    const signature = JSON.stringify([keys, settings.hotkeyMode]);
    if (signature === extraKeys) return;
    extraKeys = signature;
    for (const old of extraServices) old.dispose();
    const modeKeys = keys.flatMap((k) => (k.kind === 'mode' ? [k] : []));
    const hadKeys = modeOrder.length > 0;
    modeOrder = modeKeys.map((k) => k.modeId);
    modeStatuses = new Map(
      modeKeys.map(({ modeId, accelerator }) => [
        modeId,
        { modeId, accelerator, mode: 'off', reason: 'Starting the global hotkey…' },
      ]),
    );
    if (hadKeys || modeKeys.length > 0) publish();
    extraServices = keys.map((extra) => {
      const capture = extra.kind === 'capture' ? captureKey() : null;
      const actions =
        capture ??
        talkKey(
          extra.kind === 'mode' ? extra.modeId : TALK_CAPTURE,
          extra.kind === 'mode'
            ? { source: 'hotkey', modeId: extra.modeId }
            : { source: 'hotkey', capture: true },
        );
      const extraService = createHotkeyService({
        ...setup,
        native: shared?.user() ?? null,
        ...actions,
        onStatus: (s) => {
          if (capture) capture.toggle = s.mode === 'toggle';
          if (extra.kind === 'mode') {
            if (!modeStatuses.has(extra.modeId)) return; // a mode key replaced since
            modeStatuses.set(extra.modeId, {
              modeId: extra.modeId,
              accelerator: s.accelerator,
              mode: s.mode,
              reason: s.reason,
            });
            publish();
          } else if (s.mode === 'off')
            console.warn(`hotkey ${extra.accelerator} (${extra.kind}): ${s.reason ?? 'off'}`);
        },
      });
      // The capture key starts no turn: whether one is being held does not change what it does.
      if (!capture) extraService.setListening(listening);
      void extraService
        .configure({ hotkey: extra.accelerator, hotkeyMode: settings.hotkeyMode })
        .catch(report);
      return extraService;
    });
  };

  let newest: TurnView | null = null;
  const offEvents = app.onEvent((name, payload) => {
    if (name !== 'turn') return;
    const turn = payload as TurnView;
    if (newest && !isSameOrNewerTurn(turn, newest)) return; // a late update of an older turn says nothing about now
    newest = turn;
    const now = turn.phase === 'listening';
    if (now !== listening) {
      listening = now;
      if (!now) holder = null; // the turn ended elsewhere (sent from the window, a stuck key)
      service.setListening(now);
      for (const extra of extraServices) extra.setListening(now);
    }
  });

  let previous = settings.get();
  const offSettings = settings.onChange((next) => {
    if (next.hotkey !== previous.hotkey || next.hotkeyMode !== previous.hotkeyMode)
      void service.configure(next);
    configureExtras(next);
    previous = next;
  });

  let stuck: ReturnType<typeof setTimeout> | null = null;
  const unstick = (): void => {
    if (stuck !== null) clearTimeout(stuck);
    stuck = null;
  };
  const talk = (name: 'talk.press' | 'talk.release' | 'talk.toggle', modeId?: string): void => {
    if (name === 'talk.press' && modeId !== undefined) {
      void app.handlers['talk.press']({ source: 'hotkey', modeId }).catch(report);
      return;
    }
    const handler = app.handlers[name];
    if (handler) void handler({ source: 'hotkey' }).catch(report);
  };

  const ready = service.configure(previous);
  configureExtras(previous);
  return {
    service,
    ready,
    status,
    command(action, mode): string | null {
      let modeId: string | undefined;
      if (mode !== undefined) {
        const found = findMode(settings.get().modes, mode);
        if (!found.ok) return found.error;
        modeId = found.mode.id;
      }
      unstick();
      if (action === 'press') {
        talk('talk.press', modeId);
        stuck = setTimeout(() => {
          stuck = null;
          talk('talk.release');
        }, MAX_HOLD_MS);
      } else if (action === 'release') talk('talk.release');
      // A mode's toggle starts a turn in that mode; talk.toggle knows no modes.
      else if (app.handlers['talk.toggle'] && modeId === undefined) talk('talk.toggle');
      else talk(listening ? 'talk.release' : 'talk.press', modeId);
      return null;
    },
    dispose(): void {
      unstick();
      offEvents();
      offSettings();
      service.dispose();
      for (const extra of extraServices) extra.dispose();
      extraServices = [];
    },
  };
}
