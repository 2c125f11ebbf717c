/**
 * The façade the shells talk to: one object per app that owns the current connection, the turn runner and
 * the open conversation; turns commands (press, release, send text, retry, switch conversation…) into
 * machine inputs, and publishes what the user sees (turns, conversations, connection, levels, notices)
 * through `emit`. It decides where context may go: a conversation's history reaches only a session of the
 * server it was held with, unless the user chose to continue it elsewhere.
 */
import type { AudioEngine } from '../audio/engine';
import type { EventLog } from '../eventlog/event-log';
import type { ConnectionStatus, Endpoint, RealtimeConnection } from '../realtime/connection-types';
import type { Emit } from '../../../shared/contract';
import { chosenMode, modeOptions, type Provider, type Settings } from '../../../shared/settings';
import type {
  ConnectionView,
  ConversationSummary,
  RateLimitView,
  ImageData,
  ImageRef,
  Levels,
  NextTurnOptions,
  Notice,
  OpenConversation,
  TalkSource,
  TurnView,
} from '../../../shared/types';
import type { Conversations } from '../conversation/conversations';
import type { ToolRegistry } from '../tools/types';
import { ToolRunner, type ApprovalDecision, type ToolRunnerDeps } from './tool-runner';
import { systemClock, type Clock } from '../clock';
import { initialState } from '../turn/machine';
import { TurnRunner } from '../turn/runner';
import type { RemoteMcpDefinition, SessionConfig } from '../turn/types';
import { DEFAULT_NEXT_TURN } from '../../../shared/next-turn';
import { clearNoticeTopic, upsertNotice } from '../../../shared/notices';
import { reasons, words } from '../words';
import { ImageError } from '../images/fit';
import { inlineFitter, type ImageFitter } from '../images/fitter';
import { SoundCues } from '../audio/cues';
import type { AttachResult } from '../../../shared/contract';
import { MonthlyBudget } from './budget';
import { OutOfBand } from './out-of-band';
import { shortTitle } from '../conversation/conversations';
import type { CarriedTurn } from '../turn/types';
import { formatCost, tokensFromUsage } from '../../../shared/usage';

/** What the model is asked for a conversation's title (out of band, after the first exchange). */
export const TITLE_INSTRUCTIONS =
  'Give this conversation a short title of at most six words, in the language it is in. Reply with the title only: no quotes, no full stop.';
/** What the model is asked before a long conversation moves to a new session (out of band). */
export const SUMMARY_INSTRUCTIONS =
  'Summarize this conversation so far in at most 150 words: the topics, facts, names, numbers, decisions and open questions the assistant needs to go on. Reply with the summary only.';
/** A carried conversation longer than this (characters of its messages) goes as a summary and its last turns. */
export const SUMMARY_THRESHOLD_CHARS = 12_000;
/** Turns carried as they were after a summary (at least). */
export const SUMMARY_KEEPS_TURNS = 4;
/** Notices kept for the snapshot. */
export const KEPT_NOTICES = 50;
/** Images one turn may carry. */
export const MAX_ATTACHMENTS = 8;
/**
 * How long a release waits for the screen capture its press asked for (the key held with the capture modifier),
 * so the picture goes with the turn; a capture later than this waits, shown, for the next turn.
 */
export const CAPTURE_WAIT_MS = 3000;

/** What the assistant needs from the composition root. */
export interface AssistantDeps {
  audio: AudioEngine;
  log: EventLog;
  emit: Emit;
  settings: () => Settings;
  connect: (endpoint: Endpoint) => RealtimeConnection;
  conversations: Conversations;
  /** Functions the model may call, and the user's standing approvals. */
  tools?: {
    registry: ToolRegistry;
    alwaysAllowed: () => readonly string[];
    allowAlways: (name: string) => void;
    onApprovalNeeded?: ToolRunnerDeps['onApprovalNeeded'];
    /** Remote MCP servers the Realtime server calls itself, offered in the session. */
    remoteMcp?: () => RemoteMcpDefinition[];
  };
  clock?: Clock;
  /** Where attached images are fitted (a worker thread in the app); default: in this thread. */
  imageFitter?: ImageFitter;
  /**
   * One frame of the screen for a global key (desktop: the primary screen; browser mode: asked of the page), or
   * null when the user declined to share. Absent where nothing can capture.
   */
  captureScreen?: () => Promise<Buffer | null>;
  /** The event log's monotonic clock, for turn-relative log times. Default performance.now. */
  logNow?: () => number;
  /** Above this many characters a carried conversation goes as a summary (default SUMMARY_THRESHOLD_CHARS). */
  summaryThresholdChars?: number;
}

/** The session a set of settings asks for. */
export function sessionConfig(
  settings: Settings,
  provider: Provider,
  tools: SessionConfig['tools'] = [],
  remoteMcp: RemoteMcpDefinition[] = [],
): SessionConfig {
  return {
    ...(remoteMcp.length > 0 ? { remoteMcp } : {}),
    voice: settings.voice,
    instructions: settings.sessionInstructions,
    audioFormat: settings.audioFormat,
    stallTimeoutMs: settings.stallTimeoutMs,
    transcriptionModel: transcriptionModelFor(settings, provider),
    transcriptionLanguage: settings.transcriptionLanguage.trim().toLowerCase() || null,
    truncationRetention: settings.truncationRetention,
    noiseReduction: settings.noiseReduction === 'off' ? null : settings.noiseReduction,
    tools,
  };
}

/**
 * The transcription model a session asks for, or null for none. Azure names its own transcription deployment
 * (asking for a model it has not deployed fails the session update), so it is off there unless one is given.
 */
export function transcriptionModelFor(settings: Settings, provider: Provider): string | null {
  const name = provider === 'azure' ? settings.azureTranscriptionDeployment : settings.transcriptionModel;
  return name.trim() || null;
}

/**
 * Which server a conversation is held with: provider and URL (never the key). The demo simulator's port
 * changes from run to run, so it is one endpoint whatever its port.
 */
export function endpointKey(endpoint: Endpoint): string {
  return endpoint.provider === 'simulator' ? 'simulator' : `${endpoint.provider} ${endpoint.url}`;
}

/**
 * How long a session may last before Talkie moves to a new one: the user's setting, else the server's known limit
 * (60 min OpenAI, 30 min Azure); null when neither says (a custom server, the demo).
 */
export function sessionLimitMs(settings: Settings, endpoint: Endpoint): number | null {
  if (settings.sessionLimitMinutes !== null) return settings.sessionLimitMinutes * 60_000;
  return endpoint.sessionLimitMs ?? null;
}

/** The model (or Azure deployment) an endpoint's URL asks for, if it names one. */
export function modelOf(endpoint: Endpoint | null): string | null {
  if (!endpoint) return null;
  try {
    return new URL(endpoint.url).searchParams.get('model') || null;
  } catch {
    return null;
  }
}

/** What the month's estimated cost depends on besides the turns: the prices and the budget. */
function budgetBasis(settings: Settings): string {
  return JSON.stringify([settings.prices, settings.monthlyBudgetUsd]);
}

/** Host (and port) of a URL for display; never the query (it may carry a deployment) or credentials. */
function displayHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'unknown endpoint';
  }
}

/** The core, as the UI sees it. */
export class Assistant {
  private readonly clock: Clock;
  private readonly runner: TurnRunner;
  private connection: RealtimeConnection | null = null;
  private endpoint: Endpoint | null = null;
  private provider: Provider = 'simulator';
  private view: ConnectionView;
  private readonly conversations: Conversations;
  private readonly tools: ToolRunner | null;
  private readonly stopToolUpdates: () => void;
  private notices: Notice[] = [];
  private noticeSeq = 0;
  /** The socket is open (the session may not have started yet). */
  private socketUp = false;
  private session: 'starting' | 'ready' | 'missing' = 'starting';
  private levels: Levels = { input: null, output: null };
  private disposed = false;
  /** Images attached to the next turn, in order (their files are already kept). */
  private attachments: ImageRef[] = [];
  /** The screen capture owed to the turn being held (its key was held with the capture modifier). */
  private owedCapture: { turnId: string; pressedAt: number; done: Promise<void> } | null = null;
  /** The chosen mode's options as last given to the machine (JSON), so only a change resets the next turn. */
  private appliedMode = 'null';
  private readonly budget: MonthlyBudget;
  private readonly outOfBand: OutOfBand;
  /** Conversations whose title the model was asked for (once each). */
  private readonly titled = new Set<string>();
  /** The latest summary of each long conversation and the last turn it covers (this run only). */
  private readonly summaries = new Map<string, { text: string; throughTurnId: string }>();
  /** A rotation waiting for its summary ('asking'), or going ahead with the one it got ('ready'). */
  private summaryStep: 'idle' | 'asking' | 'ready' = 'idle';
  /** Prices and budget the month was last added up with (JSON): a change adds it up again. */
  private budgetBasis: string;
  private readonly cues: SoundCues;
  /** Turns whose failure already sounded the error cue (a failed turn is reported more than once). */
  private failedCued = new Set<string>();

  constructor(private readonly deps: AssistantDeps) {
    this.clock = deps.clock ?? systemClock;
    this.cues = new SoundCues(deps.audio, () => this.deps.settings());
    this.conversations = deps.conversations;
    const settings = deps.settings();
    const tools = deps.tools;
    this.tools = tools
      ? new ToolRunner({
          registry: tools.registry,
          alwaysAllowed: tools.alwaysAllowed,
          allowAlways: tools.allowAlways,
          input: (input) => this.runner.input(input),
          now: () => this.clock.now(),
          ...(tools.onApprovalNeeded ? { onApprovalNeeded: tools.onApprovalNeeded } : {}),
        })
      : null;
    // The functions on offer follow the registry (an MCP server starting, a tool switched off).
    this.stopToolUpdates =
      tools?.registry.onChange(() => this.settingsChanged(this.deps.settings())) ?? ((): void => undefined);
    this.runner = new TurnRunner(
      {
        audio: deps.audio,
        log: deps.log,
        clock: this.clock,
        devices: () => {
          const s = this.deps.settings();
          return { input: s.inputDevice, output: s.outputDevice };
        },
        onTurn: (turn) => {
          let view = turn;
          if (turn.outcome?.kind === 'ignored' && turn.images?.length) {
            // A tap too short to send gives its pictures back: they wait for the next real turn, and the tap's
            // record keeps none (deleting its conversation must not delete pictures still pending).
            const { images, ...rest } = turn;
            view = rest;
            // After the machine's step, which may already have started the next press's turn.
            queueMicrotask(() => this.giveBack(images));
          }
          deps.emit(
            'turn',
            this.conversations.turnChanged(view, () => this.runner.recordedAudio(turn.id)),
          );
          if (turn.outcome?.kind === 'failed') this.failureCue(turn.id);
        },
        onResponse: (record) => {
          // The server names its model in session.created; else the one asked for in the URL.
          const model = record.model ?? modelOf(this.endpoint);
          const turn = this.conversations.responseChanged({ ...record, ...(model ? { model } : {}) });
          if (turn) this.counted(turn, record.usage);
        },
        ...(this.tools ? { tools: this.tools } : {}),
        onSettled: (turn) => {
          this.conversations.turnSettled(turn);
          this.askTitle(turn.view);
        },
        onLateTranscript: (itemId, text, complete) => {
          const turn = this.conversations.lateTranscript(itemId, text, complete);
          if (turn) deps.emit('turn', turn);
        },
        onNotice: (notice) => this.notice(notice),
        onClearNotice: (topic) => this.clearNotices(topic),
        onRotate: () => this.rotate(),
        onSession: (state) => this.sessionChanged(state),
        onNext: (next) => deps.emit('next', next),
        onLevel: (side, dbfs) => this.level(side, dbfs),
        ...(deps.logNow ? { logNow: deps.logNow } : {}),
        images: {
          imageUrl: (image) => this.conversations.imageUrl(image.id),
          detail: () => this.deps.settings().imageDetail,
        },
        claim: (event) => this.outOfBand.claim(event),
      },
      initialState(
        sessionConfig(settings, 'simulator', this.offeredTools(), this.remoteMcp()),
        this.modeNext(settings) ?? { ...DEFAULT_NEXT_TURN },
        this.modeNext(settings),
      ),
    );
    this.appliedMode = JSON.stringify(this.modeNext(settings) ?? null);
    this.budget = new MonthlyBudget({
      usageBetween: (from, to) => this.conversations.usageBetween(from, to),
      now: () => this.clock.now(),
      settings: () => this.deps.settings(),
      onOver: (spent, budget) =>
        this.notice({
          ...this.noticeBase('warning'),
          text: words.overBudget(formatCost(spent), formatCost(budget)),
          topic: 'budget',
        }),
      onUnder: () => this.clearNotices('budget'),
    });
    this.outOfBand = new OutOfBand({
      send: (event) => this.runner.send(event),
      clock: this.clock,
      timeoutMs: () => Math.max(3 * this.deps.settings().stallTimeoutMs, 30_000),
      // Out-of-band responses cost tokens too: added to the turn they were asked for, so the turn's cost line,
      // the session cost and the month's total include them.
      onUsage: (record) => {
        const model = this.runner.state.sessionModel ?? modelOf(this.endpoint);
        const turn = this.conversations.responseChanged({ ...record, ...(model ? { model } : {}) });
        if (turn) this.counted(turn, record.usage);
      },
    });
    this.budgetBasis = budgetBasis(settings);
    this.budget.recount();
    // Images attached but not sent when Talkie last quit are still the next turn's: the window shows them again.
    this.attachments = this.conversations.pendingImages().slice(0, MAX_ATTACHMENTS);
    this.view = { state: 'closed', provider: 'simulator', demoMode: true, endpoint: '' };
  }

  /** (Re)connect to an endpoint; demoMode=true when it is the built-in simulator. */
  useEndpoint(endpoint: Endpoint, info: { demoMode: boolean; provider: Provider }): void {
    if (this.disposed) return;
    const key = endpointKey(endpoint);
    const held = this.conversations.endpoint;
    if (!this.conversations.isEmpty && held !== null && held !== key) {
      // Context goes only where the user sent it: a new server starts a new conversation (row: privacy).
      const left = this.conversations.current();
      this.runner.input({ type: 'abandon', reason: reasons.serverChanged });
      this.dropConnection('endpoint-changed');
      this.conversations.startNew(key);
      this.notice({
        ...this.noticeBase('info'),
        text: words.newConversationForServer(displayHost(endpoint.url), left.title),
        topic: 'conversation',
        action: { label: 'Continue here', command: 'conversation.continueHere', conversationId: left.id },
      });
    } else {
      this.dropConnection('endpoint-changed');
      if (held !== key) this.conversations.setEndpoint(key);
    }
    this.endpoint = endpoint;
    this.provider = info.provider;
    // Belt and braces: the log scrubs key patterns, and also the exact credentials in use.
    for (const value of Object.values(endpoint.headers)) {
      this.deps.log.addSecret(value);
      this.deps.log.addSecret(value.replace(/^Bearer\s+/i, ''));
    }
    this.view = {
      state: 'connecting',
      provider: info.provider,
      demoMode: info.demoMode,
      endpoint: displayHost(endpoint.url),
    };
    this.deps.emit('connection', this.view);
    this.runner.input({
      type: 'config',
      config: sessionConfig(this.deps.settings(), info.provider, this.offeredTools(), this.remoteMcp()),
    });
    this.openConnection();
  }

  /**
   * Push-to-talk pressed: barge-in if the assistant is talking, then start capturing. `modeId`: the turn uses
   * that mode's options (its own hotkey), whatever the window has chosen for the next turn.
   */
  async press(_source: TalkSource, modeId?: string, capture = false): Promise<void> {
    if (this.runner.state.mic.phase === 'listening') return;
    const mode = modeId === undefined ? undefined : this.deps.settings().modes.find((m) => m.id === modeId);
    const turn = this.mintWithImages();
    const playedMs = this.runner.playedMs();
    this.runner.input({
      type: 'press',
      turn,
      playedMs,
      ...(mode ? { preset: modeOptions(mode) } : {}),
    });
    // A press over a reply is a barge-in: the reply stopping is the feedback, no cue over it.
    if (this.listening()) this.cues.play('start', playedMs !== null);
    // Talking starts at once; the capture joins the turn when it arrives (the release waits for it). A capture
    // that finds the turn over (or not started yet) stays attached, shown, for the next one.
    if (capture)
      this.owedCapture = { turnId: turn.id, pressedAt: this.clock.now(), done: this.captureInto(turn.id) };
  }

  /** Push-to-talk released: commit (≥ 100 ms) or clear, then request the reply. */
  async release(_source: TalkSource, heldMs?: number): Promise<void> {
    const owed = this.owedCapture;
    this.owedCapture = null;
    if (owed && this.listeningTo(owed.turnId)) {
      // A tap is still judged by how long the key was down, not by how long the capture took.
      heldMs ??= this.clock.now() - owed.pressedAt;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        owed.done,
        new Promise<void>((done) => (timer = setTimeout(done, CAPTURE_WAIT_MS))),
      ]);
      clearTimeout(timer);
    }
    const wasListening = this.listening();
    this.runner.input(heldMs === undefined ? { type: 'release' } : { type: 'release', heldMs });
    if (wasListening) this.cues.play('stop', this.runner.playedMs() !== null);
  }

  /** The microphone is capturing a press (read afresh: an input changes it). */
  private listening(): boolean {
    return this.runner.state.mic.phase === 'listening';
  }

  /** The error cue, once per failed turn. */
  private failureCue(turnId: string): void {
    if (this.failedCued.has(turnId)) return;
    this.failedCued.add(turnId);
    if (this.failedCued.size > 100) this.failedCued = new Set([turnId]);
    this.cues.play('error', this.runner.playedMs() !== null);
  }

  /**
   * Capture the screen into the next turn (the Capture screen key). The picture is shown as an attachment before
   * anything is sent; a failure is said in a notice. Null when the user declined to share.
   */
  async captureScreen(): Promise<AttachResult | null> {
    const grab = this.deps.captureScreen;
    const failed = (why: string): AttachResult => {
      const reason = `The screen could not be captured: ${why}`;
      this.notice({ ...this.noticeBase('warning'), text: reason, topic: 'capture' });
      return { ok: false, reason };
    };
    if (!grab) return failed('screen capture is not available here.');
    let bytes: Buffer | null;
    try {
      bytes = await grab();
    } catch (error) {
      return failed(error instanceof Error ? error.message : String(error));
    }
    if (!bytes) return null;
    const result = await this.attachImage(bytes, 'screen');
    if (!result.ok) this.notice({ ...this.noticeBase('warning'), text: result.reason, topic: 'capture' });
    return result;
  }

  /** A capture for the turn being held: it joins that turn if the turn is still held, else it stays attached. */
  private async captureInto(turnId: string): Promise<void> {
    const result = await this.captureScreen();
    if (!result?.ok || !this.listeningTo(turnId)) return;
    this.setAttachments(this.attachments.filter((a) => a.id !== result.image.id));
    this.runner.input({ type: 'addImages', turnId, images: [result.image] });
  }

  private listeningTo(turnId: string): boolean {
    const mic = this.runner.state.mic;
    return mic.phase === 'listening' && mic.turnId === turnId;
  }

  /** Start talking when idle, send when listening (tray, toggle hotkey). */
  async toggle(source: TalkSource): Promise<void> {
    if (this.runner.state.mic.phase === 'listening') await this.release(source);
    else await this.press(source);
  }

  /** Stop the assistant (flush, cancel, truncate) without starting a turn. */
  async stopReply(): Promise<void> {
    this.runner.input({ type: 'stopReply', playedMs: this.runner.playedMs() });
  }

  /** Options for the next turn; returns what is now in force. */
  setNext(options: NextTurnOptions): NextTurnOptions {
    const next: NextTurnOptions = {
      replyAs: options.replyAs,
      instructions: options.instructions,
      instructionsMode: options.instructionsMode,
    };
    this.runner.input({ type: 'setNext', next });
    this.deps.emit('next', next);
    return next;
  }

  /** A typed message: sent now, queued behind an active reply, or kept until the connection is back. */
  async sendText(text: string): Promise<{ turnId: string }> {
    const trimmed = text.trim();
    if (!trimmed) throw new Error('Type a message first');
    const turn = this.mintWithImages();
    this.runner.input({ type: 'text', turn, text: trimmed });
    return { turnId: turn.id };
  }

  /**
   * Attach an image to the next turn: fitted (decoded, downscaled to Settings' longest side, re-encoded without
   * metadata) and kept beside the conversations. A file that cannot be used is refused in words; nothing else
   * changes (what is typed, the other attachments, the turn).
   */
  async attachImage(bytes: Buffer, source: ImageRef['source']): Promise<AttachResult> {
    if (this.attachments.length >= MAX_ATTACHMENTS)
      return { ok: false, reason: `A turn can carry up to ${MAX_ATTACHMENTS} images.` };
    let image: ImageRef;
    try {
      const fitter = this.deps.imageFitter ?? inlineFitter;
      const fitted = await fitter.fit(bytes, this.deps.settings().imageMaxSide);
      const id = this.conversations.newImageId();
      this.conversations.saveImage(id, fitted.bytes, fitted.mime);
      image = {
        id,
        mime: fitted.mime,
        width: fitted.width,
        height: fitted.height,
        bytes: fitted.bytes.byteLength,
        source,
      };
    } catch (error) {
      const reason =
        error instanceof ImageError
          ? error.message
          : `The image could not be attached: ${error instanceof Error ? error.message : String(error)}`;
      return { ok: false, reason };
    }
    if (this.attachments.length >= MAX_ATTACHMENTS || this.disposed) {
      // Others were attached while this one was being fitted.
      this.conversations.deleteImage(image.id);
      return { ok: false, reason: `A turn can carry up to ${MAX_ATTACHMENTS} images.` };
    }
    this.setAttachments([...this.attachments, image]);
    return { ok: true, image };
  }

  /** Take an image off the next turn (its file goes too: nothing refers to it). */
  removeImage(id: string): void {
    if (!this.attachments.some((a) => a.id === id)) return;
    this.setAttachments(this.attachments.filter((a) => a.id !== id));
    this.conversations.deleteImage(id);
  }

  /** An image to show: an attachment, or one sent with a turn. */
  image(id: string): ImageData | null {
    const dataUrl = this.conversations.imageUrl(id);
    return dataUrl ? { id, dataUrl } : null;
  }

  /**
   * Re-request the reply of a failed / stalled / no-audio / cancelled turn (throttled after failures), or
   * send a turn left unsent by an earlier run. The reply answers that turn's own message (row 17).
   */
  async retry(turnId: string): Promise<void> {
    const turn = this.conversations.retryable(turnId);
    if (!turn) {
      const exists = this.conversations.current().turns.some((t) => t.id === turnId);
      const inFlight = this.runner.state.turns.some((t) => t.view.id === turnId);
      this.notice({
        ...this.noticeBase('info'),
        text: inFlight ? words.alreadyAsked : exists ? words.notRetryable : words.noSuchTurn,
      });
      return;
    }
    if (turn.view.input === 'voice' && !this.runner.hasRecording(turnId)) {
      const pcm = this.conversations.savedAudio(turnId);
      if (!pcm) {
        this.notice({ ...this.noticeBase('warning'), text: words.recordingGone });
        return;
      }
      this.runner.restoreAudio(turnId, pcm);
    }
    this.runner.input({ type: 'retry', turn });
  }

  /** Cancel a turn still waiting for its reply (queued, or waiting for the connection). */
  async cancelTurn(turnId: string): Promise<void> {
    this.runner.input({ type: 'cancelTurn', turnId });
  }

  /** Drop a turn left unsent by an earlier run. */
  async discard(turnId: string): Promise<void> {
    const conversationId = this.conversations.current().id;
    if (this.conversations.discard(turnId)) this.deps.emit('turn.removed', { id: turnId, conversationId });
  }

  /** The Conversations list, or the conversations whose messages match a query. */
  listConversations(query?: string): ConversationSummary[] {
    return query?.trim() ? this.conversations.search(query) : this.conversations.list();
  }

  /** Start a new, empty conversation in a new session. */
  async newConversation(): Promise<OpenConversation> {
    this.leaveConversation();
    const open = this.conversations.startNew(this.endpoint ? endpointKey(this.endpoint) : null);
    this.restartSession();
    return open;
  }

  /** Open a conversation; talking continues it (its history goes to a new session of the server it was held with). */
  async openConversation(id: string): Promise<OpenConversation> {
    if (id === this.conversations.current().id) return this.conversations.current();
    const exists = this.conversations.list().some((c) => c.id === id);
    if (!exists) throw new Error(words.noSuchConversation);
    this.leaveConversation();
    const open = this.conversations.switchTo(id);
    if (!open) throw new Error(words.noSuchConversation);
    const key = this.endpoint ? endpointKey(this.endpoint) : null;
    const held = this.conversations.endpoint;
    if (key && held && held !== key && open.turns.length > 0) {
      this.notice({
        ...this.noticeBase('info'),
        text: words.heldElsewhere(displayHost(this.endpoint?.url ?? '')),
        topic: 'conversation',
        action: { label: 'Continue here', command: 'conversation.continueHere', conversationId: id },
      });
    } else if (key && !held) this.conversations.setEndpoint(key);
    this.restartSession();
    return open;
  }

  /** Carry a conversation held with another server over to this one, as the user asked. */
  async continueHere(id: string): Promise<OpenConversation> {
    if (id !== this.conversations.current().id) {
      this.leaveConversation();
      if (!this.conversations.switchTo(id)) throw new Error(words.noSuchConversation);
    }
    if (this.endpoint) this.conversations.setEndpoint(endpointKey(this.endpoint));
    this.restartSession();
    return this.conversations.current();
  }

  renameConversation(id: string, title: string): ConversationSummary {
    const summary = this.conversations.rename(id, title);
    if (!summary) throw new Error(words.noSuchConversation);
    return summary;
  }

  /** Soft delete; leaving the open one first when it is the one deleted. */
  deleteConversation(id: string): void {
    if (id === this.conversations.current().id) {
      this.leaveConversation();
      this.conversations.delete(id);
      this.restartSession();
      return;
    }
    this.conversations.delete(id);
  }

  restoreConversation(id: string): void {
    this.conversations.restore(id);
  }

  exportConversation(id: string): { filename: string; markdown: string } {
    const out = this.conversations.exportMarkdown(id);
    if (!out) throw new Error(words.noSuchConversation);
    return out;
  }

  /** Drop the socket and open a fresh one (a new server session; the conversation carries over as text). */
  reconnect(): void {
    if (!this.endpoint || this.disposed) return;
    this.dropConnection('user-reconnect');
    this.openConnection();
  }

  /** Voice / instructions / format / stall timeout / devices changed: session.update when needed. */
  settingsChanged(settings: Settings): void {
    this.runner.input({
      type: 'config',
      config: sessionConfig(settings, this.provider, this.offeredTools(), this.remoteMcp()),
    });
    const basis = budgetBasis(settings);
    if (basis !== this.budgetBasis) {
      this.budgetBasis = basis;
      this.budget.recount();
    }
    // A mode chosen (window, tray) or the chosen one edited: its options become the next turn's.
    const mode = this.modeNext(settings);
    const applied = JSON.stringify(mode ?? null);
    if (mode && applied !== this.appliedMode) {
      this.appliedMode = applied;
      this.runner.input({ type: 'setMode', next: mode });
    }
  }

  /** A response's usage was added to a turn: shown, and counted against the monthly budget. */
  private counted(turn: TurnView, usage: unknown): void {
    this.deps.emit('turn', turn);
    const tokens = tokensFromUsage(usage);
    if (tokens && turn.usage) this.budget.added(turn.usage.model, tokens);
  }

  /** The next-turn options of the chosen mode. */
  private modeNext(settings: Settings): NextTurnOptions | undefined {
    const mode = chosenMode(settings);
    return mode ? modeOptions(mode) : undefined;
  }

  /** The user's answer to a tool waiting for approval. */
  decideTool(callId: string, decision: ApprovalDecision): { ok: true } | { ok: false; reason: string } {
    if (this.tools?.decide(callId, decision)) return { ok: true };
    return { ok: false, reason: words.noSuchApproval };
  }

  /** The remote MCP servers offered to the model now. */
  private remoteMcp(): RemoteMcpDefinition[] {
    return this.deps.tools?.remoteMcp?.() ?? [];
  }

  /** A new turn's identity, carrying the attachments (which are then the turn's, no longer pending). */
  private mintWithImages(): ReturnType<Conversations['mint']> {
    const turn = this.conversations.mint();
    if (this.attachments.length === 0) return turn;
    const images = this.attachments;
    this.setAttachments([]);
    return { ...turn, images };
  }

  /** Images of a tap: to the turn held since (pressed again at once), else attached again for the next one. */
  private giveBack(images: readonly ImageRef[]): void {
    const mic = this.runner.state.mic;
    if (mic.phase !== 'listening') {
      this.restoreAttachments(images);
      return;
    }
    const held = this.runner.state.turns.find((t) => t.view.id === mic.turnId)?.view.images ?? [];
    const missing = images.filter((i) => !held.some((h) => h.id === i.id));
    if (missing.length) this.runner.input({ type: 'addImages', turnId: mic.turnId, images: missing });
  }

  /** Images of a turn that was not sent go back in front of whatever was attached since. */
  private restoreAttachments(images: readonly ImageRef[]): void {
    const known = new Set(this.attachments.map((a) => a.id));
    const back = images.filter((i) => !known.has(i.id));
    if (back.length === 0) return;
    this.setAttachments([...back, ...this.attachments].slice(0, MAX_ATTACHMENTS));
  }

  /** The images for the next turn changed: the window is told, and they are kept for a restart. */
  private setAttachments(images: ImageRef[]): void {
    this.attachments = images;
    this.conversations.setPendingImages(images);
    this.deps.emit('attachments', images);
  }

  /** The functions offered to the model now. */
  private offeredTools(): SessionConfig['tools'] {
    return (this.deps.tools?.registry.list() ?? []).map((t) => ({
      name: t.name,
      description: t.description,
      parameters: t.parameters,
    }));
  }

  /** Everything the window needs to draw itself. */
  snapshot(): {
    connection: ConnectionView;
    conversation: { id: string; title: string };
    conversations: ConversationSummary[];
    turns: TurnView[];
    next: NextTurnOptions;
    attachments: ImageRef[];
    notices: Notice[];
  } {
    const open = this.conversations.current();
    return {
      connection: { ...this.view },
      conversation: { id: open.id, title: open.title },
      conversations: this.conversations.list(),
      turns: open.turns,
      next: { ...this.runner.state.next },
      attachments: this.attachments.slice(),
      notices: this.notices.slice(),
    };
  }

  /** Closes the connection, stops audio and timers. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.stopToolUpdates();
    const connection = this.connection;
    this.connection = null;
    this.runner.attach(null);
    connection?.close();
    await this.runner.dispose();
    await this.deps.imageFitter?.dispose();
  }

  // ---- internals -----------------------------------------------------------------------------

  private openConnection(): void {
    const endpoint = this.endpoint;
    if (!endpoint) return;
    const connection = this.deps.connect(endpoint);
    this.connection = connection;
    this.runner.attach(connection);
    connection.onStatus((status) => {
      if (this.connection === connection) this.status(status, endpoint);
    });
    connection.onEvent((event) => {
      if (this.connection === connection && event.type === 'rate_limits.updated')
        this.rateLimits(event.rate_limits);
    });
    connection.connect();
  }

  /** Every turn in flight ends here: none of it may reach the next conversation's session. */
  private leaveConversation(): void {
    this.runner.input({ type: 'abandon', reason: reasons.leftConversation });
  }

  /** A new server session for the open conversation (its history, where allowed, goes with it). */
  private restartSession(): void {
    if (!this.endpoint || this.disposed) return;
    this.dropConnection(null);
    this.openConnection();
  }

  private noticeBase(level: Notice['level']): Omit<Notice, 'text'> {
    this.noticeSeq += 1;
    return { id: `assistant-${this.noticeSeq}`, level, at: this.clock.now() };
  }

  private dropConnection(code: string | null): void {
    const old = this.connection;
    if (!old) return;
    this.connection = null;
    this.socketUp = false;
    this.sessionEnded();
    this.runner.attach(null);
    old.close();
    this.runner.input({ type: 'connectionDown', code, reason: null });
  }

  private status(status: ConnectionStatus, endpoint: Endpoint): void {
    const now = this.clock.now();
    const view: ConnectionView = {
      state: status.state,
      provider: this.provider,
      demoMode: this.view.demoMode,
      endpoint: displayHost(endpoint.url),
    };
    if (status.reason) view.reason = status.reason;
    if (status.retryAt !== undefined) view.retryAt = status.retryAt;
    // Rate limits are the account's, not the socket's: the last report holds until the next.
    if (this.view.rateLimits) view.rateLimits = this.view.rateLimits;
    if (status.state === 'connected') {
      if (this.socketUp) {
        // A repeated "connected" (e.g. a reason update) is not a new session: keep the conversation as is.
        this.view = {
          ...view,
          ...this.sessionView(),
          ...(this.view.expiresAt !== undefined ? { expiresAt: this.view.expiresAt } : {}),
        };
        this.deps.emit('connection', this.view);
        return;
      }
      this.socketUp = true;
      this.session = 'starting';
      this.deps.log.markConnected();
      const limitMs = sessionLimitMs(this.deps.settings(), endpoint);
      const expiresAt = limitMs ? now + limitMs : null;
      if (expiresAt !== null) view.expiresAt = expiresAt;
      // "Connected" only once the server has started the session (its session.created / updated).
      this.view = { ...view, ...this.sessionView() };
      this.deps.emit('connection', this.view);
      // The conversation's history goes only to a session of the server it was held with.
      const sameServer = this.conversations.endpoint === endpointKey(endpoint);
      const inFlight = new Set(this.runner.state.turns.map((t) => t.view.id));
      const carried = this.carry(
        sameServer ? this.conversations.history(inFlight, this.deps.settings().carryImages) : [],
      );
      this.runner.input({ type: 'connectionUp', expiresAt, ...carried });
      return;
    }
    this.socketUp = false;
    this.sessionEnded();
    this.view = view;
    this.deps.emit('connection', view);
    this.runner.input({ type: 'connectionDown', code: status.code ?? null, reason: status.reason ?? null });
  }

  /** The session is gone: out-of-band requests in it will not be answered, and a rotation is no longer due. */
  private sessionEnded(): void {
    this.summaryStep = 'idle';
    this.outOfBand.reset();
  }

  /**
   * After the first exchange of a conversation whose title is still Talkie's own, the model is asked for a short
   * title (out of band, when Settings allow). A rename by the user meanwhile wins.
   */
  private askTitle(view: TurnView): void {
    if (!this.deps.settings().autoTitles || this.titled.has(view.conversationId)) return;
    const history = this.conversations.history(new Set());
    // Past its first exchange (e.g. reopened from an earlier run): never asked, and not looked at again.
    if (history.length > 1) this.titled.add(view.conversationId);
    if (history.length !== 1 || history[0]?.turnId !== view.id) return;
    if (!this.conversations.hasAutomaticTitle(view.conversationId)) return;
    const user = view.userText?.trim() ?? '';
    const reply = view.assistantText.trim();
    if (!user && !reply) return;
    this.titled.add(view.conversationId);
    this.outOfBand.request(
      {
        purpose: 'title',
        turnId: view.id,
        instructions: TITLE_INSTRUCTIONS,
        input: [
          { role: 'user', text: user || '(a spoken message; no transcript)' },
          ...(reply ? [{ role: 'assistant' as const, text: reply }] : []),
        ],
      },
      (result) => {
        const title = result ? shortTitle(result.text.replace(/^["'“”]+|["'“”.]+$/g, '')) : null;
        if (title) this.conversations.autoTitle(view.conversationId, title);
      },
    );
  }

  /** Characters of a carried conversation's messages: what the summary threshold is about. */
  private static sizeOf(history: readonly CarriedTurn[]): number {
    return history.reduce((n, t) => n + t.user.length + t.assistant.length, 0);
  }

  /**
   * What a new session is told: the whole conversation, or — when summaries are on, the conversation is over
   * the threshold and a summary of it is kept — the summary and the turns after it (at least the last few).
   */
  private carry(history: CarriedTurn[]): { history: CarriedTurn[]; summary?: string } {
    const threshold = this.deps.summaryThresholdChars ?? SUMMARY_THRESHOLD_CHARS;
    if (!this.deps.settings().carryOverSummary || Assistant.sizeOf(history) <= threshold) return { history };
    const kept = this.summaries.get(this.conversations.current().id);
    const through = kept ? history.findIndex((t) => t.turnId === kept.throughTurnId) : -1;
    if (!kept || through < 0) return { history };
    const from = Math.min(through + 1, Math.max(0, history.length - SUMMARY_KEEPS_TURNS));
    return { history: history.slice(from), summary: kept.text };
  }

  /**
   * The session nears its limit and nothing is in flight. A long conversation (summaries on) is first summarized
   * out of band in this session; the machine is then asked to rotate again at its next quiet moment, which goes
   * ahead with the summary (or without one, if it failed: the last one kept, else the full transcript).
   */
  private rotate(): void {
    const settings = this.deps.settings();
    const threshold = this.deps.summaryThresholdChars ?? SUMMARY_THRESHOLD_CHARS;
    const history = this.conversations.history(new Set());
    const last = history.at(-1);
    const wanted = settings.carryOverSummary && last && Assistant.sizeOf(history) > threshold;
    if (this.summaryStep === 'asking') return;
    if (!wanted || this.summaryStep === 'ready') {
      this.summaryStep = 'idle';
      this.restartSession();
      return;
    }
    const conversationId = this.conversations.current().id;
    this.summaryStep = 'asking';
    this.outOfBand.request(
      { purpose: 'summary', turnId: last.turnId, instructions: SUMMARY_INSTRUCTIONS },
      (result) => {
        if (result?.text)
          this.summaries.set(conversationId, { text: result.text, throughTurnId: last.turnId });
        if (this.summaryStep !== 'asking') return; // the session ended meanwhile
        this.summaryStep = 'ready';
        this.runner.input({ type: 'timer', name: 'rotate' });
      },
    );
  }

  /** The server said what is left of its rate limits: shown with the connection. */
  private rateLimits(
    limits: ReadonlyArray<{ name?: string; limit?: number; remaining?: number; reset_seconds?: number }>,
  ): void {
    const at = this.clock.now();
    const views: RateLimitView[] = [];
    for (const l of limits) {
      if (!l.name || typeof l.limit !== 'number' || typeof l.remaining !== 'number') continue;
      views.push({
        name: l.name,
        limit: l.limit,
        remaining: l.remaining,
        resetSeconds: l.reset_seconds ?? 0,
        at,
      });
    }
    this.view = { ...this.view, rateLimits: views };
    this.deps.emit('connection', this.view);
  }

  /** The connection's state and reason while the socket is open, from where the session is. */
  private sessionView(): Pick<ConnectionView, 'state' | 'reason'> {
    if (this.session === 'ready') return { state: 'connected' };
    return {
      state: 'connecting',
      reason: this.session === 'missing' ? words.sessionMissing : words.sessionStarting,
    };
  }

  /** The machine saw the session start, or gave up waiting for it. */
  private sessionChanged(state: 'ready' | 'missing'): void {
    this.session = state;
    if (!this.socketUp) return;
    const { reason: _old, ...rest } = this.view;
    this.view = { ...rest, ...this.sessionView() };
    this.deps.emit('connection', this.view);
    if (state === 'missing')
      this.notice({ ...this.noticeBase('warning'), text: words.sessionMissing, topic: 'session-missing' });
    else this.clearNotices('session-missing');
  }

  private notice(notice: Notice): void {
    this.notices = upsertNotice(this.notices, notice, KEPT_NOTICES);
    this.deps.emit('notice', notice);
  }

  /** What the notices of a topic said no longer holds. */
  private clearNotices(topic: string): void {
    if (!this.notices.some((n) => n.topic === topic)) return;
    this.notices = clearNoticeTopic(this.notices, topic);
    this.deps.emit('notice.clear', { topic });
  }

  /**
   * Passes capture and playback levels on. The meters report at most ~30 times a second each; the event stream
   * (events.ts) keeps the latest for the UI.
   */
  private level(side: 'input' | 'output', dbfs: number | null): void {
    this.levels = { ...this.levels, [side]: dbfs };
    if (!this.disposed) this.deps.emit('levels', this.levels);
  }
}
