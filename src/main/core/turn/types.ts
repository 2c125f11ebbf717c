/**
 * The turn machine's vocabulary: its state, the inputs it reacts to and the effects it asks for.
 * Pure data only, so the machine can be driven from tables in tests.
 */
import type { RealtimeClientEvent, RealtimeServerEvent } from '../realtime/connection-types';
import type { AUDIO_FORMATS } from '../../../shared/settings';
import type { NextTurnOptions, Notice, TurnView } from '../../../shared/types';

/** A wire audio format (settings.audioFormat). */
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

/** Named timers the machine sets; setting one again replaces it. */
export type TimerName =
  | 'stall' // no server event for the active response
  | 'created' // response.create sent, no response.created yet
  | 'cancel' // response.cancel sent, no response.done yet
  | 'backoff' // throttled Retry becomes due
  | 'expiry' // warn before the server's session limit
  | 'session'; // connected, but no session.created/updated yet

/** What the session should look like; the machine sends session.update when it changes. */
export interface SessionConfig {
  voice: string;
  /** Empty = server defaults (never sent as ""). */
  instructions: string;
  audioFormat: AudioFormat;
  stallTimeoutMs: number;
  /** Model for user-speech transcripts; null = none asked for. */
  transcriptionModel: string | null;
}

/** The machine's record of one turn: the public view plus bookkeeping. */
export interface TurnState {
  view: TurnView;
  /** The user input is in the current session's conversation (committed / item created). */
  inputSentInSession: number | null;
  /** Audio appended live while the key was held (so release only needs a commit). */
  liveInSession: number | null;
  /** Waiting in the queue for its response.create. */
  wantsResponse: boolean;
  /** ms since epoch of release / Send: the zero of the turn's timings. */
  requestedAt: number | null;
  /** Response id of the current attempt. */
  responseId: string | null;
  /** Cancel the response as soon as response.created arrives (pressed before it existed). */
  cancelOnCreate: boolean;
  /** Text-instead-of-audio recovery already used once for this request. */
  textRecoveryUsed: boolean;
  /** Set while recovering: the text item to delete once the cancelled response is done. */
  textItemToDelete: string | null;
  /** A Voice turn whose reply came back as text twice: shown as text, outcome no-audio. */
  acceptText: boolean;
  /** The first content part of the current attempt has been seen. */
  sawFirstPart: boolean;
  /** Assistant audio item (for truncate). */
  audioItemId: string | null;
  audioContentIndex: number;
  /** ms of assistant audio received for this attempt (from delta sizes). */
  receivedAudioMs: number;
  playback: 'none' | 'open' | 'ended' | 'drained' | 'flushed';
  /** Outcome to apply when the cancelled response's response.done arrives. */
  pendingOutcome: TurnView['outcome'] | null;
  /** Names of function calls the assistant tried (shown only when the response completes). */
  toolCalls: string[];
  /** User audio item id (to match transcripts). */
  userItemId: string | null;
}

/** Everything the machine knows. Treated as immutable by callers; `step` returns a fresh object. */
export interface MachineState {
  connected: boolean;
  /** Bumped on every new connection: a new socket is a new server session with an empty conversation. */
  sessionEpoch: number;
  /** session.created/updated seen on this connection (so the session's instructions are known, row 1). */
  sessionReady: boolean;
  /** Instructions as last seen in session.created / session.updated (row 1, append mode). */
  serverInstructions: string | null;
  /** What we last asked the server for (to send session.update only on change). */
  sentConfig: SessionConfig | null;
  config: SessionConfig;
  next: NextTurnOptions;
  turns: TurnState[];
  /** The turn being recorded. */
  listeningId: string | null;
  /** The turn whose capture is stopping (last frames still arriving). */
  stoppingId: string | null;
  /** A press that arrived while the previous capture was still stopping. */
  pressPending: boolean;
  /** Response that is active on the server (response.created → response.done). */
  activeResponseId: string | null;
  /** Turn whose response.create was sent and awaits response.created. */
  awaitingCreatedId: string | null;
  /** response.cancel sent for this response id; wait for its response.done. */
  cancellingId: string | null;
  /** Voice turns whose commit was sent, in order, awaiting input_audio_buffer.committed. */
  awaitingCommitted: string[];
  failureStreak: number;
  lastFailureAt: number;
  /** No response.create before this time (Retry throttling, row 6). */
  notBefore: number;
  /** The last connection loss, for the notice shown on reconnect. */
  lostBecause: string | null;
  noticeSeq: number;
  turnSeq: number;
}

/** Inputs to the machine. `now` is passed alongside (ms since epoch). */
export type Input =
  | { type: 'press'; playedMs: number | null }
  | { type: 'release' }
  | { type: 'frame'; ms: number }
  | { type: 'captureStopped' }
  | { type: 'captureFailed'; reason: string }
  | { type: 'text'; text: string }
  | { type: 'server'; event: RealtimeServerEvent }
  | { type: 'timer'; name: TimerName }
  | { type: 'playbackStarted'; turnId: string }
  | { type: 'playbackDrained'; turnId: string }
  | { type: 'playbackFailed'; turnId: string; reason: string }
  | { type: 'connectionUp'; expiresAt: number | null }
  | { type: 'connectionDown'; code: string | null; reason: string | null }
  | { type: 'retry'; turnId: string }
  | { type: 'stopReply'; playedMs: number | null }
  | { type: 'config'; config: SessionConfig }
  | { type: 'setNext'; next: NextTurnOptions };

/** What the machine asks the runner to do, in order. */
export type Effect =
  | { kind: 'startCapture'; turnId: string }
  | { kind: 'stopCapture'; turnId: string }
  | { kind: 'send'; event: RealtimeClientEvent; turnId?: string }
  /** Append the turn's recorded audio not yet sent (all of it when fromStart) as input_audio_buffer.append. */
  | { kind: 'sendAudio'; turnId: string; fromStart: boolean }
  /** The turn's recorded audio is no longer needed. */
  | { kind: 'dropAudio'; turnId: string }
  | { kind: 'openPlayback'; turnId: string }
  | { kind: 'writePlayback'; turnId: string; audio: string }
  | { kind: 'endPlayback'; turnId: string }
  | { kind: 'flushPlayback'; turnId: string }
  | { kind: 'setTimer'; name: TimerName; ms: number }
  | { kind: 'clearTimer'; name: TimerName }
  | { kind: 'emitTurn'; turn: TurnView }
  /** The next-turn options changed inside the machine (instructions are used up by the turn they went with). */
  | { kind: 'nextChanged'; next: NextTurnOptions }
  | { kind: 'notice'; notice: Notice };

/** Result of one step. */
export interface StepResult {
  state: MachineState;
  effects: Effect[];
}
