/**
 * The composition shared by both shells: settings + secrets + audio in, handlers + events out.
 * The Electron root (src/main/index.ts) and browser mode (src/main/web/cli.ts) differ only in the
 * stores, the audio engine and the transport they plug around this.
 */
import { Assistant } from './core/app/assistant';
import { BeatClock } from './core/beat-clock';
import type { AudioEngine } from './core/audio/engine';
import { EventLog } from './core/eventlog/event-log';
import { createConnection } from './core/realtime/connection';
import type { Endpoint, RealtimeConnection } from './core/realtime/connection-types';
import { resolveEndpoint } from './core/realtime/endpoints';
import type { SecretStore, SettingsStore } from './core/settings/types';
import { startSimulator, type SimulatorHandle } from './core/simulator';
import { createAppEvents, type EventListener } from './events';
import { createDispatcher, UserFacingError, type Dispatch } from './ipc/dispatch';
import type { Emit, Handlers } from '../shared/contract';
import type { Settings } from '../shared/settings';
import type { HotkeyStatus, Notice, SettingsView } from '../shared/types';
import { runAudioTest } from './audio-test';

export interface DesktopHooks {
  hideWindow(): void;
}

export interface AppDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  /** Owned by the app from here on: primed at start, closed by dispose(). */
  audio: AudioEngine;
  shell: 'electron' | 'browser';
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Present in the desktop app only. */
  desktop?: DesktopHooks;
  /** The global hotkey's state, where one is attached (the app; browser mode with --global-hotkey). */
  hotkeyStatus?: () => HotkeyStatus | undefined;
  /** Plain-words notes from opening the stores (e.g. a repaired settings file). */
  startupNotices?: readonly string[];
  /** Injected in tests; the real `ws` connection otherwise. */
  connect?: (endpoint: Endpoint) => RealtimeConnection;
}

export interface App {
  handlers: Handlers;
  dispatch: Dispatch;
  /** Subscribe to every event for the windows / browser tabs. */
  onEvent: (listener: EventListener) => () => void;
  emit: Emit;
  assistant: Assistant;
  /** Whether the app is currently talking to its built-in simulator. */
  demoMode(): boolean;
  dispose(): Promise<void>;
}

/** Fields whose change means a different server or credentials: reconnect. */
const ENDPOINT_FIELDS = ['provider', 'openaiModel', 'azureResource', 'azureDeployment', 'customUrl'] as const;

let noticeSeq = 0;
const notice = (level: Notice['level'], text: string): Notice => ({
  id: `app-${++noticeSeq}`,
  level,
  text,
  at: Date.now(),
});

/** Builds the core, chooses the endpoint (the local simulator when none is configured), wires events. */
export async function createApp(deps: AppDeps): Promise<App> {
  const { settings, secrets, audio, env } = deps;
  // The coalescers in front of the window set a fallback timeout on most microphone frames and clear it on the
  // next; their timeouts ride on the microphone's own wake-ups instead of waking the main thread again.
  const clock = new BeatClock();
  const stopBeats = audio.onBeat?.(() => clock.beat());
  const events = createAppEvents(clock);
  const log = new EventLog({ timer: clock });
  log.onBatch((entries) => events.emit('log', entries));

  const assistant = new Assistant({
    audio,
    log,
    emit: events.emit,
    settings: () => settings.get(),
    connect: deps.connect ?? ((endpoint) => createConnection(endpoint)),
  });

  // Notices raised here (not by the assistant), kept so a reloaded window still sees them.
  const notices: Notice[] = [];
  const pushNotice = (level: Notice['level'], text: string): void => {
    const item = notice(level, text);
    notices.push(item);
    if (notices.length > 20) notices.shift();
    events.emit('notice', item);
  };
  for (const text of deps.startupNotices ?? []) pushNotice('warning', text);

  let simulator: SimulatorHandle | undefined;
  let demo = true;
  let currentTarget = '';

  const overrides = (): string[] =>
    [env.REALTIME_URL ? 'REALTIME_URL' : '', env.OPENAI_API_KEY ? 'OPENAI_API_KEY' : ''].filter(Boolean);

  const settingsView = (): SettingsView => {
    const status = secrets.status();
    return {
      settings: settings.get(),
      apiKey: env.OPENAI_API_KEY ? { ...status, saved: true, storage: 'env' } : status,
      overrides: overrides(),
    };
  };

  /** Points the assistant at whatever the settings, key and environment say, if that changed. */
  const applyEndpoint = async (): Promise<void> => {
    const storedKey = secrets.getApiKey();
    // Belt and braces: keys that do not look like "sk-…" (Azure's) are redacted by value too.
    for (const key of [storedKey, env.OPENAI_API_KEY]) if (key) log.addSecret(key);
    const choice = resolveEndpoint(settings.get(), storedKey, {
      REALTIME_URL: env.REALTIME_URL,
      OPENAI_API_KEY: env.OPENAI_API_KEY,
    });
    let endpoint: Endpoint;
    if (choice.kind === 'remote') {
      endpoint = choice.endpoint;
      demo = false;
    } else {
      if (choice.kind === 'invalid') {
        pushNotice('warning', `${choice.reason} Using Demo mode (local simulator) until then.`);
      }
      // Demo mode runs for hours: keep no per-event records in memory.
      simulator ??= await startSimulator({ port: 0, record: false });
      endpoint = { provider: 'simulator', url: simulator.url, headers: {} };
      demo = true;
    }
    // Compared in memory only: the key is part of the target but never leaves this process.
    const target = JSON.stringify([endpoint.url, endpoint.headers]);
    if (target === currentTarget) return;
    currentTarget = target;
    assistant.useEndpoint(endpoint, { demoMode: demo, provider: demo ? 'simulator' : endpoint.provider });
  };

  /**
   * Opens the devices now, not at the first press: a cold PulseAudio stream takes 0.3–2 s to deliver
   * audio, which would cut off the first words of the first turn. Problems are said up front.
   */
  const primeAudio = async (s: Settings): Promise<void> => {
    try {
      if (audio.prime) {
        await audio.prime({ input: s.inputDevice, output: s.outputDevice });
        return;
      }
      // An engine that cannot prime (no sound system) still says why through its device list.
      const { error } = await audio.listDevices();
      if (error) pushNotice('warning', `${error} Typed messages still work.`);
    } catch (error) {
      pushNotice(
        'warning',
        `${error instanceof Error ? error.message : String(error)} Typed messages still work.`,
      );
    }
  };
  void primeAudio(settings.get());

  let previous: Settings = settings.get();
  const unsubscribeSettings = settings.onChange((next) => {
    const endpointChanged = ENDPOINT_FIELDS.some((field) => next[field] !== previous[field]);
    const devicesChanged =
      next.inputDevice !== previous.inputDevice || next.outputDevice !== previous.outputDevice;
    previous = next;
    if (devicesChanged) void primeAudio(next);
    assistant.settingsChanged(next);
    events.emit('settings', settingsView());
    if (endpointChanged) void applyEndpoint();
  });

  const handlers: Handlers = {
    'app.snapshot': async () => {
      const core = assistant.snapshot();
      return {
        ...core,
        notices: [...notices, ...core.notices].sort((a, b) => a.at - b.at),
        settings: settingsView(),
        hotkey: deps.hotkeyStatus?.() ?? {
          mode: 'off',
          accelerator: settings.get().hotkey,
          reason:
            'No global hotkey here: hold Space in the window, or the button (the desktop app adds one).',
        },
        shell: deps.shell,
        platform: deps.platform ?? process.platform,
      };
    },
    'talk.press': ({ source }) => assistant.press(source),
    'talk.release': ({ source }) => assistant.release(source),
    'talk.toggle': ({ source }) => assistant.toggle(source),
    'reply.stop': () => assistant.stopReply(),
    'turn.setNext': async (options) => assistant.setNext(options),
    'message.send': ({ text }) => assistant.sendText(text),
    'turn.retry': ({ turnId }) => assistant.retry(turnId),
    'settings.get': async () => settingsView(),
    'settings.update': async (patch) => {
      const result = settings.update(patch);
      return result.ok ? { ok: true, view: settingsView() } : { ok: false, errors: result.errors };
    },
    'secret.setApiKey': async ({ apiKey, acceptPlaintext }) => {
      secrets.setApiKey(apiKey, { acceptPlaintext });
      const view = settingsView();
      events.emit('settings', view);
      await applyEndpoint();
      return view;
    },
    'secret.clearApiKey': async () => {
      secrets.clear();
      const view = settingsView();
      events.emit('settings', view);
      await applyEndpoint();
      return view;
    },
    'audio.listDevices': () => audio.listDevices(),
    'audio.test': ({ kind, device }) => runAudioTest(audio, kind, device, events.emit),
    'connection.reconnect': async () => assistant.reconnect(),
    'log.export': async () => ({
      filename: `talkie-log-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`,
      jsonl: log.toJSONL(),
    }),
    'log.entries': async ({ sinceSeq }) => log.entries(sinceSeq),
    'log.clear': async () => log.clear(),
    'window.hide': async () => {
      if (!deps.desktop)
        throw new UserFacingError('Only the desktop app has a window to hide.', 'unavailable');
      deps.desktop.hideWindow();
    },
  };

  await applyEndpoint();

  return {
    handlers,
    dispatch: createDispatcher(handlers, (name, error) => console.error(`command ${name} failed:`, error)),
    onEvent: events.on,
    emit: events.emit,
    assistant,
    demoMode: () => demo,
    dispose: async () => {
      unsubscribeSettings();
      // Not waiting for a prime still in progress: a cold device can take seconds, and closing the
      // engine stops it.
      await assistant.dispose();
      await audio.close();
      stopBeats?.();
      await simulator?.close();
      events.dispose();
    },
  };
}
