/**
 * The composition shared by both shells: settings + secrets + audio + the conversation store in, handlers +
 * events out. Composition only: what each command does is in handlers.ts, which server is used in
 * core/app/endpoints.ts, the conversation model in core/conversation/. The Electron root
 * (src/main/index.ts) and browser mode (src/main/web/cli.ts) differ only in the stores, the audio engine
 * and the transport they plug around this.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Assistant } from './core/app/assistant';
import { EndpointManager } from './core/app/endpoints';
import { createPageCapture } from './core/app/page-capture';
import { BeatClock } from './core/beat-clock';
import type { AudioEngine } from './core/audio/engine';
import { Conversations } from './core/conversation/conversations';
import { EventLog } from './core/eventlog/event-log';
import { createConnection } from './core/realtime/connection';
import type { Endpoint, RealtimeConnection } from './core/realtime/connection-types';
import type { SecretStore, SettingsStore } from './core/settings/types';
import { ConversationStore } from './core/store/conversation-store';
import { MemoryConversationStore, memoryOnlyNotice } from './core/store/memory-store';
import { sqliteLoadProblem } from './core/store/open-database';
import type { ConversationStorePort } from './core/store/port';
import { words } from './core/words';
import { createAppEvents, type EventListener } from './events';
import { createHandlers } from './handlers';
import { ToolPreferences } from './core/app/tool-preferences';
import type { ClipboardPort } from './core/tools/builtins';
import type { SecretCipher } from './core/app/mcp-servers';
import { ToolsService } from './core/app/tools-service';
import type { McpTimings } from './core/tools/mcp/connection';
import { createImageFitter } from './core/images/fitter';
import { createDispatcher, type Dispatch } from './ipc/dispatch';
import type { Emit, Handlers } from '../shared/contract';
import { errorMessage } from '../shared/error-message';
import { clearNoticeTopic, upsertNotice } from '../shared/notices';
import type { Settings } from '../shared/settings';
import type { HotkeyStatus, Notice, ScreenSource, SettingsView } from '../shared/types';

export interface DesktopHooks {
  hideWindow(): void;
  /** Opens a checked link in the default browser. */
  openExternal(url: string): Promise<void>;
  /** The system clipboard, for the clipboard tools. */
  clipboard?: ClipboardPort;
  /** Screens and windows to capture (never Talkie's own), and one frame of one as PNG. */
  screen?: {
    sources(): Promise<ScreenSource[]>;
    capture(sourceId: string): Promise<Buffer>;
    /** One frame of the primary screen, as PNG (the Capture screen key: no picker). */
    capturePrimary(): Promise<Buffer>;
  };
  /** A tool call waits for the user's approval (the desktop app notifies when its window is hidden). */
  approvalNeeded?: (request: ApprovalRequest) => void;
}

/** A tool call waiting for the user, in words fit for a notification. */
export interface ApprovalRequest {
  callId: string;
  /** The tool's own name. */
  tool: string;
  /** The MCP server it belongs to; absent for a built-in. */
  server?: string;
  /** The arguments as the model sent them (JSON text). */
  arguments: string;
}

export interface AppDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  /** Owned by the app from here on: primed at start, closed by dispose(). */
  audio: AudioEngine;
  /** The data folder: the conversation database lives here. */
  dataDir: string;
  /**
   * The better-sqlite3 binary to load instead of the one in node_modules: the desktop app in development passes
   * the build for Electron's ABI (scripts/electron-abi-sqlite.mjs). Absent: better-sqlite3's own build.
   */
  nativeBinding?: string;
  shell: 'electron' | 'browser';
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Present in the desktop app only. */
  desktop?: DesktopHooks;
  /** The global hotkey's state, where one is attached (the app; browser mode with --global-hotkey). */
  hotkeyStatus?: () => HotkeyStatus | undefined;
  /** Plain-words notes from opening the stores (e.g. a repaired settings file). */
  startupNotices?: readonly string[];
  /**
   * The built image worker (out/main/image-worker.js, beside the entry that passes it): attached images are fitted
   * there, off the main thread. Absent (tests running the sources): fitted in this thread.
   */
  imageWorkerFile?: string;
  /** Injected in tests; the real `ws` connection otherwise. */
  connect?: (endpoint: Endpoint) => RealtimeConnection;
  /**
   * Encrypts the MCP servers' secrets (env values, headers) like the API key: Electron's safeStorage in the app;
   * null or absent where the OS has none (then they are kept for this run only, unless plain text is allowed).
   */
  secretCipher?: SecretCipher | null;
  /** Overrides for MCP start / restart timings (tests). */
  mcpTimings?: Partial<McpTimings>;
}

export interface App {
  handlers: Handlers;
  dispatch: Dispatch;
  /** Subscribe to every event for the windows / browser tabs. */
  onEvent: (listener: EventListener) => () => void;
  emit: Emit;
  assistant: Assistant;
  /** Built-in tools and the user's MCP servers. */
  tools: ToolsService;
  /** Whether the app is currently talking to its built-in simulator. */
  demoMode(): boolean;
  dispose(): Promise<void>;
}

/** Fields whose change means a different server or credentials: reconnect. */
const ENDPOINT_FIELDS = ['provider', 'openaiModel', 'azureResource', 'azureDeployment', 'customUrl'] as const;
/** The conversation database's file name in the data folder. */
export const DATABASE_FILE = 'conversations.db';

let noticeSeq = 0;
const notice = (level: Notice['level'], text: string): Notice => ({
  id: `app-${++noticeSeq}`,
  level,
  text,
  at: Date.now(),
});

/** Short random ids, unique across restarts (the Realtime API takes item ids of at most 32 characters). */
const newId = (prefix: string): string => `${prefix}_${randomBytes(9).toString('base64url')}`;

/**
 * Opens the conversation store. Talking never depends on it: a data folder without write access gets a temporary
 * database until Talkie quits; a computer where the SQLite module cannot be loaded at all (better-sqlite3 built for
 * another Node.js or Electron) gets conversations in memory only. Either way the user is told, once.
 */
function openStore(
  dataDir: string,
  nativeBinding: string | undefined,
): { store: ConversationStorePort; notices: string[] } {
  const sqlite = nativeBinding === undefined ? {} : { nativeBinding };
  const unloadable = sqliteLoadProblem(sqlite);
  if (unloadable !== null) return memoryStore(unloadable);
  try {
    return ConversationStore.open(join(dataDir, DATABASE_FILE), sqlite);
  } catch (error) {
    try {
      const temporary = join(mkdtempSync(join(tmpdir(), 'talkie-')), DATABASE_FILE);
      const { store } = ConversationStore.open(temporary, sqlite);
      return { store, notices: [words.storeUnavailable(dataDir, errorMessage(error))] };
    } catch (again) {
      return memoryStore(
        `neither ${dataDir} nor a temporary folder could hold them (${errorMessage(error)}; ${errorMessage(again)})`,
      );
    }
  }
}

function memoryStore(reason: string): { store: ConversationStorePort; notices: string[] } {
  console.warn(`Talkie: conversations are kept in memory only: ${reason}`);
  return { store: new MemoryConversationStore(), notices: [memoryOnlyNotice(reason)] };
}

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

  // Notices raised here (not by the assistant), kept so a reloaded window still sees them.
  let notices: Notice[] = [];
  const pushNotice = (level: Notice['level'], text: string, topic?: string): void => {
    const item = notice(level, text);
    if (topic) item.topic = topic;
    notices = upsertNotice(notices, item, 20);
    events.emit('notice', item);
  };
  const clearNotices = (topic: string): void => {
    if (!notices.some((n) => n.topic === topic)) return;
    notices = clearNoticeTopic(notices, topic);
    events.emit('notice.clear', { topic });
  };
  for (const text of deps.startupNotices ?? []) pushNotice('warning', text);

  const opened = openStore(deps.dataDir, deps.nativeBinding);
  for (const text of opened.notices) pushNotice('warning', text);
  const conversations = new Conversations({
    store: opened.store,
    now: () => Date.now(),
    newId,
    onOpened: (open) => events.emit('conversation', open),
    onList: (list) => events.emit('conversations', list),
    onStoreError: (message) => pushNotice('error', words.notSaved(message), 'store'),
  });

  // Functions the model may call: the built-ins and the user's MCP servers; each acts only as the user allows.
  const toolPreferences = ToolPreferences.in(deps.dataDir);
  for (const text of toolPreferences.notices) pushNotice('warning', text, 'tools');
  const tools = new ToolsService({
    dataDir: deps.dataDir,
    builtinPorts: {
      // Browser mode's "default browser" is the one showing the page: it opens the (checked) link.
      openExternal: deps.desktop
        ? (url) => deps.desktop?.openExternal(url) ?? Promise.resolve()
        : async (url) => events.emit('link.open', { url }),
      clipboard: deps.desktop?.clipboard ?? { unavailable: words.noClipboardHere },
      search: (query) => conversations.search(query),
    },
    preferences: toolPreferences,
    cipher: deps.secretCipher ?? null,
    plaintextAllowed: () => settings.get().allowPlaintextKey,
    log,
    onView: (view) => events.emit('tools', view),
    ...(deps.mcpTimings ? { mcpTimings: deps.mcpTimings } : {}),
  });
  for (const text of tools.notices) pushNotice('warning', text, 'tools');
  const registry = tools.registry;

  // A global key's capture: the desktop app takes the primary screen itself; in browser mode only the page can.
  const pageCapture = deps.desktop?.screen ? null : createPageCapture(events.emit);
  const desktopScreen = deps.desktop?.screen;
  const assistant = new Assistant({
    captureScreen: desktopScreen
      ? () => desktopScreen.capturePrimary()
      : () => pageCapture?.grab() ?? Promise.resolve(null),
    audio,
    log,
    emit: events.emit,
    settings: () => settings.get(),
    connect: deps.connect ?? ((endpoint) => createConnection(endpoint)),
    conversations,
    imageFitter: createImageFitter(deps.imageWorkerFile ?? null),
    tools: {
      registry,
      alwaysAllowed: () => toolPreferences.alwaysAllowed(),
      allowAlways: (name) => toolPreferences.allowAlways(name),
      remoteMcp: () => tools.remoteMcp(),
      onApprovalNeeded: (call) => {
        const source = call.remote
          ? { kind: 'mcp' as const, ...call.remote }
          : registry.list().find((t) => t.name === call.name)?.source;
        try {
          deps.desktop?.approvalNeeded?.({
            callId: call.callId,
            tool: source?.kind === 'mcp' ? source.tool : call.name,
            ...(source?.kind === 'mcp' ? { server: source.server } : {}),
            arguments: call.arguments,
          });
        } catch (error) {
          // A notification that cannot be shown must not stop the turn: the card is still there.
          console.warn(`Talkie: the approval notification failed: ${errorMessage(error)}`);
        }
      },
    },
  });

  const stopRemoteUpdates = tools.onRemoteChange(() => assistant.settingsChanged(settings.get()));

  const endpoints = new EndpointManager({
    settings,
    secrets,
    env,
    log,
    use: (endpoint, info) => assistant.useEndpoint(endpoint, info),
    warn: (text) => pushNotice('warning', text, 'endpoint'),
    settled: () => clearNotices('endpoint'),
  });

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

  /**
   * Opens the devices now, not at the first press: a cold PulseAudio stream takes 0.3–2 s to deliver
   * audio, which would cut off the first words of the first turn. Problems are said up front.
   */
  const primeAudio = async (s: Settings): Promise<void> => {
    try {
      if (audio.prime) {
        await audio.prime({ input: s.inputDevice, output: s.outputDevice });
        clearNotices('audio');
        return;
      }
      // An engine that cannot prime (no sound system) still says why through its device list.
      const { error } = await audio.listDevices();
      if (error) pushNotice('warning', `${error} Typed messages still work.`, 'audio');
      else clearNotices('audio');
    } catch (error) {
      pushNotice('warning', `${errorMessage(error)} Typed messages still work.`, 'audio');
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
    if (endpointChanged) void endpoints.apply();
  });

  const handlers = createHandlers({
    assistant,
    endpoints,
    settings,
    secrets,
    audio,
    log,
    emit: events.emit,
    settingsView,
    tools,
    appNotices: () => notices.slice(),
    hotkeyStatus: () => deps.hotkeyStatus?.(),
    shell: deps.shell,
    platform: deps.platform ?? process.platform,
    ...(deps.desktop ? { desktop: deps.desktop } : {}),
    ...(pageCapture ? { pageCapture } : {}),
  });

  // Servers start in the background: a slow `npx` download must not hold the window back.
  tools
    .start()
    .catch((error: unknown) => pushNotice('warning', words.mcpStartFailed(errorMessage(error)), 'tools'));
  await endpoints.apply();

  return {
    handlers,
    dispatch: createDispatcher(handlers, (name, error) => console.error(`command ${name} failed:`, error)),
    onEvent: events.on,
    emit: events.emit,
    assistant,
    tools,
    demoMode: () => endpoints.demoMode,
    dispose: async () => {
      unsubscribeSettings();
      stopRemoteUpdates();
      pageCapture?.dispose();
      // Not waiting for a prime still in progress: a cold device can take seconds, and closing the
      // engine stops it.
      await assistant.dispose();
      await tools.dispose(); // every MCP server stopped, its process gone
      await audio.close();
      stopBeats?.();
      await endpoints.close();
      opened.store.close();
      events.dispose();
    },
  };
}
