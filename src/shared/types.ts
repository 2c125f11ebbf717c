/**
 * Data shapes that cross from main to the renderer (DTOs). Pure types: no runtime code.
 * Audio never crosses: the renderer gets state, text and levels only.
 */
import type { Provider, Settings } from './settings';
import type { TurnUsage } from './usage';

export type ReplyAs = 'voice' | 'text';
/** append: the turn's instructions are added to the session's; replace: they stand alone for this turn. */
export type InstructionsMode = 'append' | 'replace';
export type TalkSource = 'button' | 'keyboard' | 'hotkey' | 'tray';

/** What the next turn will use; set from the window or the tray. */
export interface NextTurnOptions {
  replyAs: ReplyAs;
  /** Empty = the session instructions apply (the field is omitted on the wire, never sent as ""). */
  instructions: string;
  instructionsMode: InstructionsMode;
}

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed' | 'failed';

export interface ConnectionView {
  state: ConnectionState;
  provider: Provider;
  /** True when talking to the built-in local simulator because no provider is configured. */
  demoMode: boolean;
  /** Plain-words reason for reconnecting/closed/failed, e.g. "The API key was rejected". */
  reason?: string;
  /** Host shown to the user (never the key). */
  endpoint: string;
  /** Next reconnect attempt, ms since epoch, while reconnecting. */
  retryAt?: number;
  /** Warn before the server's session limit (60 min OpenAI, 30 min Azure). */
  expiresAt?: number;
  /** The server's latest `rate_limits.updated`: what is left of each limit. */
  rateLimits?: RateLimitView[];
}

/** One of the server's rate limits (requests, tokens) as last reported. */
export interface RateLimitView {
  name: string;
  limit: number;
  remaining: number;
  /** Seconds until the limit resets, as reported. */
  resetSeconds: number;
  /** ms since epoch when it was reported. */
  at: number;
}

export type TurnPhase =
  | 'listening' // key held, capturing
  | 'committing' // key released, flushing + commit
  | 'queued' // waiting for the previous response or for the connection
  | 'waiting' // response requested, nothing received yet
  | 'replying' // text streaming and/or audio playing
  | 'done'
  | 'failed'
  | 'cancelled'
  | 'unsent'; // recorded or typed, not answered when Talkie last quit: Send or Discard

export type TurnOutcome =
  | { kind: 'completed' }
  | { kind: 'no-audio'; reason: string } // Voice requested, text came back twice
  | { kind: 'interrupted'; reason: string } // barge-in
  | { kind: 'cancelled'; reason: string }
  | { kind: 'failed'; reason: string; retryable: boolean }
  | { kind: 'ignored'; reason: string }; // e.g. press under 100 ms

export interface TurnTimings {
  /** ms from key release to input_audio_buffer.commit sent. */
  releaseToCommitMs?: number;
  /** ms from the turn's request (release or Send) to response.created. */
  toCreatedMs?: number;
  /** ms to the first text/audio/transcript delta. */
  toFirstDeltaMs?: number;
  /** ms to the first assistant audio actually played. */
  toFirstAudioMs?: number;
  /** ms to response.done. */
  toDoneMs?: number;
}

/** A function the assistant called during a turn, as the user sees it (FIELD-REPORTS row 14). */
export interface ToolCallView {
  callId: string;
  /** The function name offered to the model (MCP tools: `<server>__<tool>`). */
  name: string;
  /** The arguments as the model sent them (JSON text). */
  arguments: string;
  status: 'approval' | 'running' | 'done' | 'failed' | 'declined' | 'cancelled';
  /** What went back to the model: the tool's output, or the error in words. */
  result?: string;
  durationMs?: number;
}

/** An image attached to a turn: already fitted by main (decoded, downscaled, re-encoded), kept as a file by id. */
export interface ImageRef {
  /** Unique across restarts; names its file beside the conversation database. */
  id: string;
  mime: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
  /** Size of the fitted file. */
  bytes: number;
  /** How it was attached. */
  source: 'file' | 'paste' | 'screen';
}

/** Image bytes for display, as a data: URL (the window's CSP allows data: for images only). */
export interface ImageData {
  id: string;
  dataUrl: string;
}

/** A screen or window the desktop app can capture (Electron only), with a small preview. */
export interface ScreenSource {
  id: string;
  name: string;
  kind: 'screen' | 'window';
  /** A small PNG preview as a data: URL. */
  thumbnail: string;
}

export interface TurnView {
  /** Unique across restarts. */
  id: string;
  /** The conversation this turn belongs to. */
  conversationId: string;
  /** 1-based, in order of creation within its conversation. */
  index: number;
  input: 'voice' | 'text';
  replyAs: ReplyAs;
  instructions?: string;
  instructionsMode?: InstructionsMode;
  /** Typed text, or the transcript of the user's audio when the server provides one. */
  userText?: string;
  /** ms of audio recorded for a voice turn. */
  recordedMs?: number;
  /** The assistant's text, or its audio transcript, as it streams in. */
  assistantText: string;
  /** True once assistant audio has been received for this turn. */
  hasAudio: boolean;
  phase: TurnPhase;
  outcome?: TurnOutcome;
  timings: TurnTimings;
  /** ms since epoch. */
  startedAt: number;
  /** How many times the response was (re)requested, e.g. after text-instead-of-audio or Retry. */
  attempts: number;
  /** Why the response was requested again (attempts > 1), in plain words, e.g. "the connection dropped". */
  attemptReason?: string;
  /** Functions the assistant called while answering, in order. */
  tools?: ToolCallView[];
  /** Tokens the turn's responses used (from each response.done), with the model, for its cost estimate. */
  usage?: TurnUsage;
  /** Images sent with the user's message, in the order shown (before the text / the recorded audio). */
  images?: ImageRef[];
}

export type Direction = 'out' | 'in' | 'local';

/** One event-log row. Audio payloads are elided; the API key is never present. */
export interface LogEntry {
  seq: number;
  /** ms since the connection opened (monotonic). */
  t: number;
  /** ms since the current turn began, when one is active. */
  turnT?: number;
  turnId?: string;
  dir: Direction;
  type: string;
  /** The event as sent/received, with base64 audio replaced by a marker like "<audio 4800 bytes>". */
  payload: unknown;
}

export interface Levels {
  /** RMS dBFS, null when not capturing / not playing. */
  input: number | null;
  output: number | null;
}

export interface AudioDeviceInfo {
  /** Stable name: devices are chosen by name, ids change between runs. */
  name: string;
  isDefault: boolean;
  channels: number;
  defaultSampleRate: number;
}

export interface DeviceList {
  inputs: AudioDeviceInfo[];
  outputs: AudioDeviceInfo[];
  /** Set when the audio system could not be used at all (plain words). */
  error?: string;
}

export interface Notice {
  id: string;
  level: 'info' | 'warning' | 'error';
  text: string;
  at: number;
  /** A button on the notice that runs one command, e.g. "Continue here". */
  action?: NoticeAction;
  /**
   * What the notice is about (e.g. 'endpoint', 'session', 'microphone'): a newer notice of the same topic
   * replaces it, and the `notice.clear` event removes it once it no longer holds.
   */
  topic?: string;
}

/** The commands a notice's button may run (kept to a closed list: a notice never runs arbitrary commands). */
export type NoticeAction =
  | {
      label: 'Continue here';
      command: 'conversation.continueHere';
      conversationId: string;
    }
  /** A new server session for the open conversation (e.g. so a new voice applies now). */
  | { label: 'Start new session'; command: 'connection.reconnect' };

/** One conversation in the Conversations list. */
export interface ConversationSummary {
  id: string;
  /** From the first message, or the name the user gave it. */
  title: string;
  /** ms since epoch. */
  createdAt: number;
  /** ms since epoch of the last change (newest first in the list). */
  updatedAt: number;
  turnCount: number;
}

/** A search hit: the conversation and the matching text with the words marked by « ». */
export interface ConversationHit extends ConversationSummary {
  snippet: string;
}

/** The conversation shown in the window, with all its turns. */
export interface OpenConversation {
  id: string;
  title: string;
  turns: TurnView[];
}

export type HotkeyMode = 'hold' | 'toggle' | 'off';
export interface HotkeyStatus {
  mode: HotkeyMode;
  accelerator: string;
  /** Why this mode is active, e.g. "Wayland has no global key-up: press once to start, again to send". */
  reason: string;
  /** Each mode's own key, in the listed order (absent when no mode has one). */
  modeKeys?: ModeKeyStatus[];
}

/** A mode's own hotkey: how it works, or why it does not. */
export interface ModeKeyStatus {
  modeId: string;
  mode: HotkeyMode;
  accelerator: string;
  reason: string;
}

export type KeyStorage = 'encrypted' | 'plaintext' | 'session' | 'none' | 'env';

/** Settings as the renderer sees them: never the key, only whether one is saved and how. */
export interface SettingsView {
  settings: Settings;
  apiKey: { saved: boolean; storage: KeyStorage; encryptionAvailable: boolean };
  /** Env overrides in force (REALTIME_URL, OPENAI_API_KEY), shown so the user knows why a field is ignored. */
  overrides: string[];
}

export interface AppSnapshot {
  connection: ConnectionView;
  /** The open conversation: its id and title; its turns are `turns`. */
  conversation: { id: string; title: string };
  /** Newest first. */
  conversations: ConversationSummary[];
  turns: TurnView[];
  next: NextTurnOptions;
  /** Images attached to the next turn, in order. */
  attachments: ImageRef[];
  settings: SettingsView;
  hotkey: HotkeyStatus;
  notices: Notice[];
  /** Browser mode or Electron: the UI hides desktop-only settings in the browser. */
  shell: 'electron' | 'browser';
  platform: string;
}

/** A built-in tool in Settings › Tools. */
export interface BuiltinToolRow {
  name: string;
  description: string;
  approval: 'ask' | 'never';
  enabled: boolean;
  /** Why it cannot run in this app at all (then it is never offered). */
  unavailable?: string;
}

/** An MCP server's settings as the window may see them: names of env variables and headers, never their values. */
export type McpServerSettingsRow =
  | {
      name: string;
      enabled: boolean;
      disabledTools: string[];
      transport: 'stdio';
      command: string;
      args: string[];
      envNames: string[];
      cwd?: string;
    }
  | {
      name: string;
      enabled: boolean;
      disabledTools: string[];
      transport: 'http';
      url: string;
      headerNames: string[];
    };

/** Where an MCP server is: starting, ready with N tools, failed with the reason and its stderr's last lines. */
export type McpStatusView =
  | { state: 'starting' }
  | { state: 'ready'; tools: number }
  | { state: 'failed'; reason: string; stderrTail: string; retryInMs: number | null }
  | { state: 'stopped' };

/** One local MCP server in Settings › Tools. */
export interface McpServerRow {
  config: McpServerSettingsRow;
  status: McpStatusView;
  tools: Array<{ name: string; functionName: string; description: string; enabled: boolean }>;
}

/** A remote MCP server (run by the Realtime server) in Settings › Tools: no header values, no token. */
export interface RemoteMcpRow {
  label: string;
  /** Without credentials or query values. */
  url: string;
  headerNames: string[];
  hasAuthorization: boolean;
  /** Empty: all of its tools. */
  allowedTools: string[];
  requireApproval: 'always' | 'never';
}

/** Settings › Tools. */
export interface ToolsView {
  builtins: BuiltinToolRow[];
  servers: McpServerRow[];
  remote: RemoteMcpRow[];
  /** How env values and headers of MCP servers are kept (never shown back). */
  secretStorage: 'encrypted' | 'plaintext' | 'session';
}
