/**
 * The façade the shells talk to: one object per app that owns the current connection and the turn runner,
 * turns commands (press, release, send text, retry…) into machine inputs, and publishes what the user sees
 * (turns, connection, levels, notices) through `emit`.
 */
import type { AudioEngine } from '../audio/engine';
import type { EventLog } from '../eventlog/event-log';
import type { ConnectionStatus, Endpoint, RealtimeConnection } from '../realtime/connection-types';
import type { Emit } from '../../../shared/contract';
import type { Provider, Settings } from '../../../shared/settings';
import type {
  ConnectionView,
  Levels,
  NextTurnOptions,
  Notice,
  TalkSource,
  TurnView,
} from '../../../shared/types';
import { systemClock, type Clock } from '../turn/clock';
import { initialState } from '../turn/machine';
import { TurnRunner } from '../turn/runner';
import type { SessionConfig } from '../turn/types';
import { DEFAULT_NEXT_TURN } from '../../../shared/next-turn';

/** Model asked for user-speech transcripts (so the user's words appear on their turn). */
export const TRANSCRIPTION_MODEL = 'gpt-4o-mini-transcribe';
/** Notices kept for the snapshot. */
export const KEPT_NOTICES = 50;

/** What the assistant needs from the composition root. */
export interface AssistantDeps {
  audio: AudioEngine;
  log: EventLog;
  emit: Emit;
  settings: () => Settings;
  connect: (endpoint: Endpoint) => RealtimeConnection;
  clock?: Clock;
  /** The event log's monotonic clock, for turn-relative log times. Default performance.now. */
  logNow?: () => number;
}

/** The session a set of settings asks for. */
export function sessionConfig(settings: Settings, provider: Provider): SessionConfig {
  return {
    voice: settings.voice,
    instructions: settings.sessionInstructions,
    audioFormat: settings.audioFormat,
    stallTimeoutMs: settings.stallTimeoutMs,
    // Azure needs its own transcription deployment; asking for one it lacks fails the session update.
    transcriptionModel: provider === 'azure' ? null : TRANSCRIPTION_MODEL,
  };
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
  private readonly turns = new Map<string, TurnView>();
  private notices: Notice[] = [];
  private levels: Levels = { input: null, output: null };
  private disposed = false;

  constructor(private readonly deps: AssistantDeps) {
    this.clock = deps.clock ?? systemClock;
    const settings = deps.settings();
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
          this.turns.set(turn.id, turn);
          deps.emit('turn', turn);
        },
        onNotice: (notice) => this.notice(notice),
        onNext: (next) => deps.emit('next', next),
        onLevel: (side, dbfs) => this.level(side, dbfs),
        ...(deps.logNow ? { logNow: deps.logNow } : {}),
      },
      initialState(sessionConfig(settings, 'simulator'), { ...DEFAULT_NEXT_TURN }),
    );
    this.view = { state: 'closed', provider: 'simulator', demoMode: true, endpoint: '' };
  }

  /** (Re)connect to an endpoint; demoMode=true when it is the built-in simulator. */
  useEndpoint(endpoint: Endpoint, info: { demoMode: boolean; provider: Provider }): void {
    if (this.disposed) return;
    this.dropConnection('endpoint-changed');
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
    this.runner.input({ type: 'config', config: sessionConfig(this.deps.settings(), info.provider) });
    this.openConnection();
  }

  /** Push-to-talk pressed: barge-in if the assistant is talking, then start capturing. */
  async press(_source: TalkSource): Promise<void> {
    this.runner.input({ type: 'press', playedMs: this.runner.playedMs() });
  }

  /** Push-to-talk released: commit (≥ 100 ms) or clear, then request the reply. */
  async release(_source: TalkSource): Promise<void> {
    this.runner.input({ type: 'release' });
  }

  /** Start talking when idle, send when listening (tray, toggle hotkey). */
  async toggle(source: TalkSource): Promise<void> {
    if (this.runner.state.listeningId) await this.release(source);
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
    this.runner.input({ type: 'text', text: trimmed });
    const last = this.runner.state.turns.at(-1);
    return { turnId: last?.view.id ?? '' };
  }

  /** Re-request the reply of a failed / stalled / no-audio / cancelled turn (throttled after failures). */
  async retry(turnId: string): Promise<void> {
    const turn = this.runner.state.turns.find((t) => t.view.id === turnId);
    const o = turn?.view.outcome;
    const retryable =
      (o?.kind === 'failed' && o.retryable) || o?.kind === 'no-audio' || o?.kind === 'cancelled';
    if (!turn || !retryable) {
      this.notice({
        id: `retry-${turnId}-${this.clock.now()}`,
        level: 'info',
        text: turn
          ? 'Only a failed, stopped or text-only reply can be retried.'
          : 'That turn no longer exists.',
        at: this.clock.now(),
      });
      return;
    }
    this.runner.input({ type: 'retry', turnId });
  }

  /** Drop the socket and open a fresh one (a new server session; the conversation carries over as text). */
  reconnect(): void {
    if (!this.endpoint || this.disposed) return;
    this.dropConnection('user-reconnect');
    this.openConnection();
  }

  /** Voice / instructions / format / stall timeout / devices changed: session.update when needed. */
  settingsChanged(settings: Settings): void {
    this.runner.input({ type: 'config', config: sessionConfig(settings, this.provider) });
  }

  /** Everything the window needs to draw itself. */
  snapshot(): { connection: ConnectionView; turns: TurnView[]; next: NextTurnOptions; notices: Notice[] } {
    return {
      connection: { ...this.view },
      turns: this.runner.state.turns.map((t) => this.turns.get(t.view.id) ?? t.view),
      next: { ...this.runner.state.next },
      notices: this.notices.slice(),
    };
  }

  /** Closes the connection, stops audio and timers. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const connection = this.connection;
    this.connection = null;
    this.runner.attach(null);
    connection?.close();
    await this.runner.dispose();
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
    connection.connect();
  }

  private dropConnection(code: string): void {
    const old = this.connection;
    if (!old) return;
    this.connection = null;
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
    if (status.state === 'connected') {
      if (this.view.state === 'connected') {
        // A repeated "connected" (e.g. a reason update) is not a new session: keep the conversation as is.
        this.view = {
          ...view,
          ...(this.view.expiresAt !== undefined ? { expiresAt: this.view.expiresAt } : {}),
        };
        this.deps.emit('connection', this.view);
        return;
      }
      this.deps.log.markConnected();
      const expiresAt = endpoint.sessionLimitMs ? now + endpoint.sessionLimitMs : null;
      if (expiresAt !== null) view.expiresAt = expiresAt;
      this.view = view;
      this.deps.emit('connection', view);
      this.runner.input({ type: 'connectionUp', expiresAt });
      return;
    }
    this.view = view;
    this.deps.emit('connection', view);
    this.runner.input({ type: 'connectionDown', code: status.code ?? null, reason: status.reason ?? null });
  }

  private notice(notice: Notice): void {
    this.notices = [...this.notices, notice].slice(-KEPT_NOTICES);
    this.deps.emit('notice', notice);
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
