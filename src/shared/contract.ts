/**
 * The IPC contract, written once: every command (request schema → response type) and every event
 * (payload type). The preload, the ipcMain registration, the browser-mode WebSocket server and the
 * renderer's bridge are all derived from this file.
 *
 * Requests are validated at runtime in main (zod); responses and events are trusted main → renderer
 * and only typed.
 */
import { z } from 'zod';
import { SettingsPatchSchema } from './settings';
import type {
  AppSnapshot,
  ConnectionView,
  ConversationHit,
  ConversationSummary,
  OpenConversation,
  DeviceList,
  HotkeyStatus,
  ImageData,
  ImageRef,
  Levels,
  LogEntry,
  NextTurnOptions,
  Notice,
  ScreenSource,
  SettingsView,
  ToolsView,
  TurnView,
} from './types';
import type { FieldErrors } from './settings';

/** A phantom marker carrying a TypeScript type with no runtime cost. */
const type = <T>(): T => undefined as T;

const Empty = z.object({}).strict();
const TalkSource = z.enum(['button', 'keyboard', 'hotkey', 'tray']);
const TurnId = z.string().min(1).max(100);
const ConversationId = z.string().min(1).max(100);
const McpServerName = z.string().trim().min(1, 'Give the server a name').max(100);
/** An MCP server's address, local or run by the Realtime server. */
const HttpUrl = z
  .string()
  .trim()
  .max(2000)
  .regex(/^https?:\/\/\S+$/i, 'Use an http:// or https:// URL');
const StringMap = z.record(z.string().trim().min(1).max(200), z.string().max(8192));
/** A server added by hand. Env values and headers are secrets: they go to main and never come back. */
const McpServerInput = z.discriminatedUnion('transport', [
  z
    .object({
      transport: z.literal('stdio'),
      name: McpServerName,
      command: z.string().trim().min(1, 'Enter the command that starts the server').max(2000),
      args: z.array(z.string().max(4000)).max(100),
      env: StringMap,
    })
    .strict(),
  z
    .object({
      transport: z.literal('http'),
      name: McpServerName,
      url: HttpUrl,
      headers: StringMap,
    })
    .strict(),
]);
const ImageId = z.string().min(1).max(100);

/** Largest image file the window may hand over (main checks again and says so in words). */
export const MAX_IMAGE_INPUT_BYTES = 20 * 1024 * 1024;
/** base64 of MAX_IMAGE_INPUT_BYTES, rounded up to whole 4-character groups. */
const MAX_IMAGE_BASE64 = Math.ceil(MAX_IMAGE_INPUT_BYTES / 3) * 4;

/** What attaching an image answers: the fitted image, or why it cannot be attached (in words). */
export type AttachResult = { ok: true; image: ImageRef } | { ok: false; reason: string };

export const commands = {
  /** Everything the window needs to draw itself after (re)loading. */
  'app.snapshot': { request: Empty, response: type<AppSnapshot>() },
  /**
   * Push-to-talk pressed: barge-in if needed, start capturing. `modeId`: this turn uses that mode's options
   * (a mode's own key), not the next-turn options.
   */
  'talk.press': {
    request: z
      .object({
        source: TalkSource,
        modeId: z.string().min(1).max(64).optional(),
        /** The push-to-talk key was held with the capture modifier: a capture of the screen joins this turn. */
        capture: z.boolean().optional(),
      })
      .strict(),
    response: type<void>(),
  },
  /**
   * Push-to-talk released: flush, commit (≥100 ms) or clear, then request the reply. `heldMs` is how long the key
   * was held where it was pressed (the window knows it exactly; a busy main process may see the release late).
   */
  'talk.release': {
    request: z
      .object({ source: TalkSource, heldMs: z.number().finite().min(0).max(86_400_000).optional() })
      .strict(),
    response: type<void>(),
  },
  /** Tray / toggle hotkey: start talking when idle, send when listening. */
  'talk.toggle': { request: z.object({ source: TalkSource }).strict(), response: type<void>() },
  /** Stop the assistant (flush playback, cancel, truncate) without starting a new turn. */
  'reply.stop': { request: Empty, response: type<void>() },
  /** Per-turn options for the next turn. */
  'turn.setNext': {
    request: z
      .object({
        replyAs: z.enum(['voice', 'text']),
        instructions: z.string().max(20000),
        instructionsMode: z.enum(['append', 'replace']),
      })
      .strict(),
    response: type<NextTurnOptions>(),
  },
  /** A typed user message (an input_text item). Kept and sent later if the connection is down. */
  'message.send': {
    request: z.object({ text: z.string().trim().min(1, 'Type a message first').max(32000) }).strict(),
    response: type<{ turnId: string }>(),
  },
  /**
   * Attach an image to the next turn (paste, drop, file picker, a captured screen in browser mode). Main
   * decodes it, downscales it to the longest side in Settings, re-encodes it without metadata and keeps it.
   */
  'image.attach': {
    request: z
      .object({
        /** The file's bytes, base64 (no data: prefix). */
        data: z.string().min(1).max(MAX_IMAGE_BASE64, 'That image is over 20 MB'),
        source: z.enum(['file', 'paste', 'screen']),
      })
      .strict(),
    response: type<AttachResult>(),
  },
  /** Take an attached image off the next turn. */
  'image.remove': { request: z.object({ id: ImageId }).strict(), response: type<void>() },
  /** An image's bytes to show (an attachment, or one sent with an earlier turn). */
  'image.get': { request: z.object({ id: ImageId }).strict(), response: type<ImageData | null>() },
  /** Desktop only: the screens and windows that can be captured (never Talkie's own window). */
  'screen.sources': { request: Empty, response: type<ScreenSource[]>() },
  /** Desktop only: grab one frame of a screen or window and attach it to the next turn. */
  'screen.capture': {
    request: z.object({ sourceId: z.string().min(1).max(200) }).strict(),
    response: type<AttachResult>(),
  },
  /**
   * The Capture screen key: capture the screen into the next turn (desktop: the primary screen, no picker; browser
   * mode: the page is asked through `capture.request`). Null when nothing was captured (the user cancelled).
   */
  'screen.grab': { request: Empty, response: type<AttachResult | null>() },
  /** Browser mode: the page's answer to `capture.request`, one frame as base64, or why there is none. */
  'screen.frame': {
    request: z
      .object({
        requestId: z.string().min(1).max(100),
        data: z.string().min(1).max(MAX_IMAGE_BASE64, 'That image is over 20 MB').optional(),
        error: z.string().max(500).optional(),
      })
      .strict(),
    response: type<void>(),
  },
  /** Re-request the reply of a failed / stalled / no-audio turn. */
  'turn.retry': { request: z.object({ turnId: TurnId }).strict(), response: type<void>() },
  /** Send a turn that was left unsent when Talkie last quit. */
  'turn.send': { request: z.object({ turnId: TurnId }).strict(), response: type<void>() },
  /** Discard a turn that was left unsent. */
  'turn.discard': { request: z.object({ turnId: TurnId }).strict(), response: type<void>() },
  /**
   * The user's answer to a tool call waiting for approval (a turn's tool with status 'approval'): run it once,
   * always allow that tool from now on, or deny (the model is told the user declined).
   */
  'tool.decide': {
    request: z
      .object({ callId: z.string().min(1).max(200), decision: z.enum(['once', 'always', 'deny']) })
      .strict(),
    response: type<{ ok: true } | { ok: false; reason: string }>(),
  },
  /** Settings › Tools: built-ins and local MCP servers with their status (never a secret). */
  'tools.get': { request: Empty, response: type<ToolsView>() },
  /** Switch a built-in tool on or off (applies at once, kept across restarts). */
  'tools.setBuiltin': {
    request: z.object({ name: z.string().min(1).max(100), enabled: z.boolean() }).strict(),
    response: type<ToolsView>(),
  },
  /**
   * Add MCP servers from a pasted `mcpServers` block (Claude Desktop format). Good entries are added (a server of
   * the same name is replaced) even when others are wrong; each wrong one is named with the reason.
   */
  'mcp.import': {
    request: z.object({ json: z.string().min(1, 'Paste an mcpServers block').max(100_000) }).strict(),
    response: type<{ added: string[]; errors: Array<{ name: string; message: string }>; view: ToolsView }>(),
  },
  /** Add (or replace) one MCP server typed by hand. */
  'mcp.add': {
    request: z.object({ server: McpServerInput }).strict(),
    response: type<{ ok: true; view: ToolsView } | { ok: false; reason: string }>(),
  },
  /** Add (or replace) a remote MCP server, which the Realtime server itself lists and calls. */
  'mcp.addRemote': {
    request: z
      .object({
        label: z
          .string()
          .trim()
          .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'Letters, digits, _ and - only (at most 64)'),
        url: HttpUrl,
        headers: StringMap,
        authorization: z.string().trim().max(8192),
        allowedTools: z.array(z.string().trim().min(1).max(200)).max(200),
        requireApproval: z.enum(['always', 'never']),
      })
      .strict(),
    response: type<ToolsView>(),
  },
  'mcp.removeRemote': {
    request: z.object({ label: z.string().min(1).max(64) }).strict(),
    response: type<ToolsView>(),
  },
  'mcp.remove': { request: z.object({ name: McpServerName }).strict(), response: type<ToolsView>() },
  /** Start a server again now, with a fresh failure count. */
  'mcp.restart': { request: z.object({ name: McpServerName }).strict(), response: type<ToolsView>() },
  /** Offer or withdraw one tool of a server (by the server's own tool name). */
  'mcp.setTool': {
    request: z
      .object({ server: McpServerName, tool: z.string().min(1).max(200), enabled: z.boolean() })
      .strict(),
    response: type<ToolsView>(),
  },
  /** Cancel a turn still waiting for its reply (queued behind another, or for the connection). */
  'turn.cancel': { request: z.object({ turnId: TurnId }).strict(), response: type<void>() },
  /**
   * Open a link from a reply in the default browser. Main checks it first: only http(s) and mailto, no
   * credentials in the URL; anything else is refused with the reason.
   */
  'link.open': {
    request: z.object({ url: z.string().min(1).max(8192) }).strict(),
    /** openedByApp false (browser mode): the link passed the check and the page opens it itself. */
    response: type<{ ok: true; openedByApp: boolean } | { ok: false; reason: string }>(),
  },
  /** Newest first; with a query, conversations whose messages match it (full-text search). */
  'conversation.list': {
    request: z.object({ query: z.string().max(500).optional() }).strict(),
    response: type<ConversationHit[] | ConversationSummary[]>(),
  },
  /** Start a new, empty conversation and open it. */
  'conversation.new': { request: Empty, response: type<OpenConversation>() },
  /** Open (switch to) a conversation; talking continues it. */
  'conversation.open': {
    request: z.object({ id: ConversationId }).strict(),
    response: type<OpenConversation>(),
  },
  'conversation.rename': {
    request: z
      .object({ id: ConversationId, title: z.string().trim().min(1, 'Give it a name').max(200) })
      .strict(),
    response: type<ConversationSummary>(),
  },
  /** Moves it out of the list; `conversation.restore` undoes that until the app quits. */
  'conversation.delete': { request: z.object({ id: ConversationId }).strict(), response: type<void>() },
  'conversation.restore': { request: z.object({ id: ConversationId }).strict(), response: type<void>() },
  /** The conversation as Markdown, for the renderer to save. */
  'conversation.export': {
    request: z.object({ id: ConversationId }).strict(),
    response: type<{ filename: string; markdown: string }>(),
  },
  /** After a provider or endpoint switch: carry this (earlier) conversation over to the new server. */
  'conversation.continueHere': {
    request: z.object({ id: ConversationId }).strict(),
    response: type<OpenConversation>(),
  },
  'settings.get': { request: Empty, response: type<SettingsView>() },
  'settings.update': {
    request: SettingsPatchSchema,
    response: type<{ ok: true; view: SettingsView } | { ok: false; errors: FieldErrors }>(),
  },
  /** Write-only: the key goes to main and never comes back. */
  'secret.setApiKey': {
    request: z
      .object({
        apiKey: z.string().trim().min(1, 'Paste your API key').max(4096),
        /** Explicit consent to store without OS encryption when no keyring exists. */
        acceptPlaintext: z.boolean().optional(),
      })
      .strict(),
    response: type<SettingsView>(),
  },
  'secret.clearApiKey': { request: Empty, response: type<SettingsView>() },
  /**
   * Settings and (optionally) a new key applied together, then one reconnect: no connection is ever opened
   * with the new endpoint and the old key, or the old endpoint and the new key.
   */
  'settings.save': {
    request: z
      .object({
        patch: SettingsPatchSchema,
        apiKey: z.string().trim().min(1, 'Paste your API key').max(4096).optional(),
        acceptPlaintext: z.boolean().optional(),
      })
      .strict(),
    response: type<{ ok: true; view: SettingsView } | { ok: false; errors: FieldErrors }>(),
  },
  'audio.listDevices': { request: Empty, response: type<DeviceList>() },
  /** Level test for a device: input shows mic levels for a few seconds, output plays a short tone. */
  'audio.test': {
    request: z.object({ kind: z.enum(['input', 'output']), device: z.string().max(500).nullable() }).strict(),
    response: type<{ ok: true } | { ok: false; error: string }>(),
  },
  'connection.reconnect': { request: Empty, response: type<void>() },
  /** The whole event log as JSONL (audio elided, no key), for the renderer to save. */
  'log.export': { request: Empty, response: type<{ filename: string; jsonl: string }>() },
  'log.entries': {
    request: z.object({ sinceSeq: z.number().int().min(0).optional() }).strict(),
    response: type<LogEntry[]>(),
  },
  'log.clear': { request: Empty, response: type<void>() },
  /** Electron only (browser mode answers with an error): show/hide the window, quit. */
  'window.hide': { request: Empty, response: type<void>() },
} as const;

export const events = {
  connection: type<ConnectionView>(),
  /** Upsert of one turn (of the open conversation; others are ignored by the window). */
  turn: type<TurnView>(),
  /** A turn was removed (Discard). */
  'turn.removed': type<{ id: string; conversationId: string }>(),
  /** The open conversation changed (new, switched, restored after a restart): replaces all turns. */
  conversation: type<OpenConversation>(),
  /** The Conversations list changed (newest first). */
  conversations: type<ConversationSummary[]>(),
  next: type<NextTurnOptions>(),
  /** The images attached to the next turn changed (attached, removed, or sent with a turn). */
  attachments: type<ImageRef[]>(),
  /** ≤ ~30 per second. */
  levels: type<Levels>(),
  /** A batch of new log rows, coalesced (≤ 60 batches per second). */
  log: type<LogEntry[]>(),
  settings: type<SettingsView>(),
  notice: type<Notice>(),
  /** What the notices of this topic said no longer holds: remove them. */
  'notice.clear': type<{ topic: string }>(),
  hotkey: type<HotkeyStatus>(),
  /** Settings › Tools changed: a server started, failed, listed new tools; a switch moved. */
  tools: type<ToolsView>(),
  /** Browser mode: a tool the user allowed opens a checked link; the page opens it in a new tab. */
  'link.open': type<{ url: string }>(),
  /**
   * Desktop only: main asks the window to show a page (tray › Settings) or to start "Capture screen" (tray ›
   * Capture screen…: the picker opens in the window, and the frame shows there before anything is sent).
   */
  navigate: type<{ to: 'settings' | 'capture' }>(),
  /**
   * Browser mode: a global key asked for a screen capture; the page grabs one frame (getDisplayMedia) and answers
   * with `screen.frame`, so the capture shows as an attachment like the button's.
   */
  'capture.request': type<{ requestId: string }>(),
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandRequest<K extends CommandName> = z.input<Commands[K]['request']>;
/** What a handler receives after validation (defaults applied, strings trimmed). */
export type CommandPayload<K extends CommandName> = z.output<Commands[K]['request']>;
export type CommandResponse<K extends CommandName> = Commands[K]['response'];

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = Events[E];

/** Handlers, written once and served by both transports (Electron IPC and browser-mode WebSocket). */
export type Handlers = {
  [K in CommandName]: (payload: CommandPayload<K>) => Promise<CommandResponse<K>>;
};

/** Broadcast an event to every window / browser client. */
export type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/**
 * What every transport returns. Errors are data, so both transports report them identically
 * (ipcMain.handle would otherwise wrap thrown errors in its own text).
 */
export type Envelope<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      error: { code: 'invalid-request' | 'unknown-command' | 'failed' | 'unavailable'; message: string };
    };

/** The renderer's view of main: one function per command, plus event subscription. */
export type Bridge = {
  readonly [K in CommandName]: (request: CommandRequest<K>) => Promise<CommandResponse<K>>;
} & {
  /** Subscribe to an event; returns the unsubscribe function. */
  readonly on: <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => () => void;
};

/**
 * What a transport exposes before unwrapping: the preload's `window.api` and the browser-mode socket
 * both return Envelopes, and one piece of renderer code turns them into the `Bridge` above.
 */
export type RawApi = {
  readonly [K in CommandName]: (request: CommandRequest<K>) => Promise<Envelope<CommandResponse<K>>>;
} & {
  readonly on: <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => () => void;
};
