/**
 * The turn machine's vocabulary: its state, the inputs it reacts to and the intents it asks for.
 * Pure data only, so the machine can be driven from tables in tests. The machine never sees the wire:
 * realtime/ga-dialect.ts turns its intents into GA client events and GA server events into its inputs.
 */
import type { AUDIO_FORMATS } from '../../../shared/settings';
import type { ImageRef, NextTurnOptions, Notice, ReplyAs, TurnView } from '../../../shared/types';

/** A wire audio format (settings.audioFormat). */
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

/** Named timers the machine sets; setting one again replaces it. */
export type TimerName =
  | 'stall' // no server event for the active response
  | 'created' // response.create sent, no response.created yet
  | 'cancel' // response.cancel sent, no response.done yet
  | 'backoff' // throttled Retry becomes due
  | 'expiry' // warn before the server's session limit
  | 'rotate' // time to move to a new session, at the next quiet moment
  | 'session'; // connected, but no session.created/updated yet

/** What the session should look like; the machine asks for a session update when it changes. */
export interface SessionConfig {
  voice: string;
  /** Empty = server defaults (never sent as ""). */
  instructions: string;
  audioFormat: AudioFormat;
  stallTimeoutMs: number;
  /** Model for user-speech transcripts; null = none asked for. */
  transcriptionModel: string | null;
  /** ISO-639-1 language of the user's speech for the transcript; null or absent = detected. */
  transcriptionLanguage?: string | null;
  /** GA `truncation` as a retention ratio (0.1–1); null or absent = the server's default ("auto"). */
  truncationRetention?: number | null;
  /** Server-side input noise reduction; null or absent = off (the server's default). */
  noiseReduction?: 'near_field' | 'far_field' | null;
  /** Functions offered to the model (empty: none; the field is then not sent). */
  tools: ToolDefinition[];
  /** Remote MCP servers the Realtime server calls itself (GA `tools` entries of type "mcp"). */
  remoteMcp?: RemoteMcpDefinition[];
  /** Send `truncation: "auto"`: the retention ratio was turned off in a session that had it. */
  resetTruncation?: boolean;
  /** Send `tools: []`: the last tool was withdrawn (an absent field would leave the old ones offered). */
  clearTools?: boolean;
}

/** A remote MCP server offered in the session: the Realtime server lists and calls its tools. */
export interface RemoteMcpDefinition {
  serverLabel: string;
  serverUrl: string;
  /** Secret: sent to the Realtime server only. */
  headers?: Record<string, string>;
  /** Secret: an OAuth access token for the server. */
  authorization?: string;
  /** Only these tools (absent: all). */
  allowedTools?: string[];
  requireApproval: 'always' | 'never';
}

/** A function offered to the model in the session (GA `tools` entry of type "function"). */
export interface ToolDefinition {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** A function call of the current response, from its output item. */
export interface PendingCall {
  callId: string;
  name: string;
  arguments: string;
  /** The output has gone back to the server. */
  answered: boolean;
  /** A remote MCP call the Realtime server asks approval for (callId is the approval request's item id). */
  remote?: { server: string; tool: string };
}

/** Who a new turn is: minted by the caller, so ids are unique across restarts and the machine stays pure. */
export interface TurnIdentity {
  id: string;
  conversationId: string;
  /** 1-based position in its conversation. */
  index: number;
  /** Images attached to this turn, sent before its text or its recorded audio. */
  images?: ImageRef[];
}

/** The microphone: one phase, never two ids at once. */
export type MicPhase =
  | { phase: 'idle' }
  | { phase: 'listening'; turnId: string }
  /**
   * Key released; the last frames are still arriving. `pressed` = a new press came meanwhile; `heldMs` = how long
   * the key was held, as measured where it was pressed (null: judge by when press and release arrived here).
   */
  | { phase: 'stopping'; turnId: string; pressed: TurnIdentity | null; heldMs: number | null };

/** The server's one response slot (FIELD-REPORTS row 2): what it is doing, as one union. */
export type ResponsePhase =
  | { phase: 'idle' }
  /** response.create sent for this turn; no response.created yet. */
  | { phase: 'requested'; turnId: string }
  /** response.created → response.done. turnId null: a response we did not ask for. */
  | { phase: 'active'; responseId: string; turnId: string | null }
  /** response.cancel sent; waiting for its response.done. */
  | { phase: 'cancelling'; responseId: string; turnId: string | null };

/** The machine's record of one turn in flight: the public view plus bookkeeping. */
export interface TurnState {
  view: TurnView;
  /** The session epoch in which the user input is in the server's conversation (committed / created). */
  inputSentInSession: number | null;
  /** Audio appended live while the key was held (so release only needs a commit). */
  liveInSession: number | null;
  /** Waiting in the queue for its response request. */
  wantsResponse: boolean;
  /** This attempt answers the turn's own message, whatever came after it (Retry, row 17). */
  ownContext: boolean;
  /** ms since epoch of release / Send: the zero of the turn's timings. */
  requestedAt: number | null;
  /** Every response this turn owned, oldest first; the current attempt's is last. */
  responseIds: string[];
  /** Cancel the response as soon as it is created (pressed before it existed). */
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
  /** Function calls of the current response: run only once it completed (row 14). */
  calls: PendingCall[];
  /** The next request continues after tool outputs (not a new attempt). */
  followUp: boolean;
  /** A remote MCP call finished in this response and nothing was said yet: the reply needs another response. */
  mcpAwaitingReply: boolean;
  /** Response requests made for this turn (event ids stay unique across attempts and tool steps). */
  requests: number;
  /** User input item id in the current session (to match transcripts, and for Retry's context). */
  userItemId: string | null;
}

/** Everything the machine knows. Only turns in flight: finished ones leave with a `turnSettled` intent. */
export interface MachineState {
  connected: boolean;
  /** Bumped on every new connection: a new socket is a new server session with an empty conversation. */
  sessionEpoch: number;
  /** session.created/updated seen on this connection (so its instructions are known, row 1), or assumed after a wait. */
  sessionReady: false | 'described' | 'assumed';
  /** Instructions as last seen in session.created / session.updated (row 1, append mode). */
  serverInstructions: string | null;
  /** The model the server reported for this session (session.model), null until it says. */
  sessionModel: string | null;
  /** The model has produced audio in this session: its voice can no longer change (row 15). */
  spokeInSession: boolean;
  /** The session nears its time limit: move to a new one as soon as no turn is in flight (row 11). */
  rotateDue: boolean;
  /** What we last asked the server for (to update the session only on change). */
  sentConfig: SessionConfig | null;
  config: SessionConfig;
  next: NextTurnOptions;
  /**
   * What the instructions box goes back to once a turn has used it: the chosen mode's instructions (none by
   * default). Absent = no instructions.
   */
  resting?: Pick<NextTurnOptions, 'instructions' | 'instructionsMode'> | null;
  /** Turns in flight, oldest first. Bounded by what the user can have going at once, never by history. */
  turns: TurnState[];
  mic: MicPhase;
  response: ResponsePhase;
  /** Voice turns whose commit was sent, in order, awaiting the server's commit confirmation. */
  awaitingCommitted: string[];
  failureStreak: number;
  lastFailureAt: number;
  /** No response request before this time (Retry throttling, row 6). */
  notBefore: number;
  /** The last connection loss, for the notice shown on reconnect. */
  lostBecause: string | null;
  noticeSeq: number;
}

/** An earlier answered turn of the conversation, carried into a new session as text (row 11). */
export interface CarriedTurn {
  turnId: string;
  user: string;
  assistant: string;
  /** Images the user sent with it: carried over as sent. */
  images?: ImageRef[];
}

/** A finished turn asked again: its view as the conversation has it, and where its input already is. */
export interface RetryTurn {
  view: TurnView;
  /** The user input's item id in the session it was sent in (null: never sent). */
  userItemId: string | null;
  inputSentInSession: number | null;
}

/** A server event, decoded by the dialect into what the machine needs. */
export type ServerInput =
  /** `model`: the model the server says it runs (session.model), for the cost estimate. */
  | { type: 'sessionDescribed'; instructions: string | null; model?: string | null }
  | { type: 'inputCommitted'; itemId: string }
  | { type: 'userTranscript'; itemId: string; text: string; complete: boolean }
  | { type: 'responseCreated'; responseId: string }
  | {
      type: 'responseDone';
      responseId: string;
      status: string;
      details: ResponseStatusDetails | null;
      usage: unknown;
    }
  | { type: 'contentPart'; responseId: string; itemId: string; partType: string | null }
  | { type: 'textDelta'; responseId: string; itemId: string; delta: string; source: 'text' | 'transcript' }
  | {
      type: 'audioDelta';
      responseId: string;
      itemId: string;
      contentIndex: number;
      audio: string;
      ms: number;
      /** When its event arrived (performance.now() ms): the playout delay counts from here, not from the write. */
      arrivedAt?: number;
    }
  | { type: 'audioDone'; responseId: string }
  | { type: 'functionCall'; responseId: string; callId: string; name: string; arguments: string }
  /** The Realtime server asks before calling a remote MCP tool (an mcp_approval_request item). */
  | {
      type: 'mcpApprovalRequest';
      responseId: string;
      itemId: string;
      serverLabel: string;
      name: string;
      arguments: string;
    }
  /** The Realtime server called a remote MCP tool (an mcp_call item, done). */
  | {
      type: 'mcpCall';
      responseId: string;
      itemId: string;
      serverLabel: string;
      name: string;
      arguments: string;
      approvalRequestId: string | null;
      output: string | null;
      error: string | null;
    }
  /** Any other event of a response: it is alive (stall watchdog). */
  | { type: 'responseActivity'; responseId: string }
  | { type: 'serverError'; code: string | null; message: string; eventId: string | null };

/** status_details of a response.done, as far as the machine reads it. */
export interface ResponseStatusDetails {
  reason?: string | null;
  error?: { type?: string | null; code?: string | null } | null;
}

/** Inputs to the machine. `now` is passed alongside (ms since epoch). */
export type Input =
  /** `preset`: the turn uses these options instead of the next-turn ones (a mode's own hotkey). */
  | { type: 'press'; turn: TurnIdentity; playedMs: number | null; preset?: NextTurnOptions }
  | { type: 'release'; heldMs?: number }
  | { type: 'frame'; ms: number }
  | { type: 'captureStopped' }
  | { type: 'captureFailed'; reason: string }
  | { type: 'text'; turn: TurnIdentity; text: string }
  /** Images that join the turn being held (the screen captured by the key that started it), before its commit. */
  | { type: 'addImages'; turnId: string; images: ImageRef[] }
  | ServerInput
  | { type: 'timer'; name: TimerName }
  | { type: 'playbackStarted'; turnId: string }
  | { type: 'playbackDrained'; turnId: string }
  | { type: 'playbackFailed'; turnId: string; reason: string }
  | {
      type: 'connectionUp';
      expiresAt: number | null;
      history: CarriedTurn[];
      /** What the turns before `history` said, in short (a long conversation's summary); absent = none. */
      summary?: string;
    }
  | { type: 'connectionDown'; code: string | null; reason: string | null }
  | { type: 'retry'; turn: RetryTurn }
  /** A tool call is waiting for the user's approval, or running. */
  | { type: 'toolProgress'; turnId: string; callId: string; status: 'approval' | 'running' }
  /** A tool call finished: its output (or the error, or the user's refusal) goes back to the model. */
  | {
      type: 'toolResult';
      turnId: string;
      callId: string;
      status: 'done' | 'failed' | 'declined';
      output: string;
      durationMs: number;
    }
  /** The user cancelled a turn still waiting for its reply. */
  | { type: 'cancelTurn'; turnId: string }
  /** Leave the conversation: every turn in flight ends, nothing of it reaches the next session. */
  | { type: 'abandon'; reason: string }
  | { type: 'stopReply'; playedMs: number | null }
  | { type: 'config'; config: SessionConfig }
  | { type: 'setNext'; next: NextTurnOptions }
  /** A mode was chosen (or edited): its options are the next turn's, and its instructions stay after each turn. */
  | { type: 'setMode'; next: NextTurnOptions };

/**
 * What the machine asks for, in order. Wire intents are encoded by realtime/ga-dialect.ts; the rest are
 * carried out by the runner.
 */
export type Effect =
  // ---- the wire (intents, encoded by the dialect) ----
  | { kind: 'updateSession'; config: SessionConfig }
  | { kind: 'clearInput'; turnId: string }
  /** Append the turn's recorded audio not yet sent (all of it when fromStart). */
  | { kind: 'appendAudio'; turnId: string; fromStart: boolean }
  /** Send what the wire encoder still holds for this turn: a commit must include every recorded sample. */
  | { kind: 'flushAudio'; turnId: string }
  | { kind: 'commitInput'; turnId: string; eventId: string }
  | {
      kind: 'createMessage';
      turnId: string;
      itemId: string;
      /** system: a summary of earlier turns carried into a new session in their place. */
      role: 'user' | 'assistant' | 'system';
      /** Empty with images only: a voice turn's pictures, created just before its audio is committed. */
      text: string;
      /** A user message's images (input_image parts), before its text. */
      images?: ImageRef[];
    }
  | {
      kind: 'requestResponse';
      turnId: string;
      eventId: string;
      replyAs: ReplyAs;
      /** Absent: the session's instructions apply (never sent as ""). */
      instructions?: string;
      /** Answer the conversation only up to this item (Retry of an earlier turn, row 17). */
      upToItemId?: string;
    }
  | { kind: 'cancelResponse'; responseId: string; turnId?: string }
  /** A function call's output back to the model (a function_call_output item). */
  | { kind: 'toolOutput'; turnId: string; callId: string; output: string }
  /** The user's answer to a remote MCP approval request (an mcp_approval_response item). */
  | { kind: 'mcpApproval'; turnId: string; approvalRequestId: string; approve: boolean }
  | { kind: 'truncate'; turnId: string; itemId: string; contentIndex: number; audioEndMs: number }
  | { kind: 'deleteItem'; turnId: string; itemId: string }
  // ---- local ----
  /**
   * Run a function the model called (approval, if needed, is asked by the tool runner); `remote`: only ask the
   * user about a remote MCP call (the Realtime server runs it once approved).
   */
  | {
      kind: 'runTool';
      turnId: string;
      callId: string;
      name: string;
      arguments: string;
      remote?: { server: string; tool: string };
    }
  /** Stop the turn's running tools (barge-in, leaving the conversation). */
  | { kind: 'abortTools'; turnId: string }
  | { kind: 'startCapture'; turnId: string }
  | { kind: 'stopCapture'; turnId: string }
  /** Open the speaker while the server prepares a voice reply. */
  | { kind: 'warmSpeaker' }
  /** The turn's recorded audio is no longer needed. */
  | { kind: 'dropAudio'; turnId: string }
  | { kind: 'openPlayback'; turnId: string }
  | { kind: 'writePlayback'; turnId: string; audio: string; arrivedAt?: number }
  | { kind: 'endPlayback'; turnId: string }
  | { kind: 'flushPlayback'; turnId: string }
  | { kind: 'setTimer'; name: TimerName; ms: number }
  | { kind: 'clearTimer'; name: TimerName }
  | { kind: 'emitTurn'; turn: TurnView }
  /** A response started or ended for a turn (kept in the conversation, keyed by response id). */
  | {
      kind: 'responseRecord';
      turnId: string;
      responseId: string;
      status: string;
      reason?: string;
      usage?: unknown;
      /** The model the server reported for the session the response ran in (for its price). */
      model?: string;
    }
  /** The server started the session (ready), or did not within the stall timeout (missing). */
  | { kind: 'session'; state: 'ready' | 'missing' }
  /** The user's words for a turn no longer in flight (transcription can finish after the reply). */
  | { kind: 'lateTranscript'; itemId: string; text: string; complete: boolean }
  /** The turn is finished and leaves the machine; what a later Retry needs comes with it. */
  | { kind: 'turnSettled'; turn: RetryTurn }
  /** The next-turn options changed inside the machine (instructions are used up by the turn they went with). */
  | { kind: 'nextChanged'; next: NextTurnOptions }
  | { kind: 'notice'; notice: Notice }
  /** The notices of a topic no longer hold (e.g. a voice change waiting for the next session was undone). */
  | { kind: 'clearNotice'; topic: string }
  /** Open a new session now and carry the conversation over (nothing is in flight; the limit is near). */
  | { kind: 'rotateSession' };

/** The wire intents, for the dialect and the event log. */
export type WireIntent = Extract<
  Effect,
  {
    kind:
      | 'updateSession'
      | 'clearInput'
      | 'commitInput'
      | 'createMessage'
      | 'requestResponse'
      | 'cancelResponse'
      | 'toolOutput'
      | 'mcpApproval'
      | 'truncate'
      | 'deleteItem';
  }
>;

/** Result of one step. */
export interface StepResult {
  state: MachineState;
  effects: Effect[];
}
