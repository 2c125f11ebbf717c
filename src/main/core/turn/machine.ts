/**
 * The push-to-talk turn machine: `step(state, input, now) → { state, effects }`, pure.
 *
 * Every rule from FIELD-REPORTS.md lives here and only here: no empty instructions (row 1), one active
 * response at a time with queued turns (row 2), stall watchdogs (row 3), explicit output_modalities and
 * text-instead-of-audio recovery (rows 4/5), failed responses with reasons and throttled Retry (row 6),
 * the 100 ms minimum (row 7), barge-in truncation (row 8), drain-not-flush (row 9), a new session with the
 * conversation carried over as text (row 11) and the beta-dialect notice (row 12).
 */
import type { RealtimeClientEvent, RealtimeServerEvent } from '../realtime/connection-types';
import { base64ByteLength, bytesPerMs } from '../realtime/base64';
import type { NextTurnOptions, Notice, TurnOutcome, TurnView } from '../../../shared/types';
import { reasons, responseFailure, serverError } from './reasons';
import type { Effect, Input, MachineState, SessionConfig, StepResult, TimerName, TurnState } from './types';
import * as wire from './wire';

/** Shortest audio the server accepts in a commit (row 7). */
export const MIN_COMMIT_MS = 100;
/** Warn this long before the server's session limit (row 11). */
export const EXPIRY_WARNING_MS = 2 * 60 * 1000;
/** At most this many earlier turns are carried into a new session as text. */
export const CARRY_OVER_TURNS = 20;
/** Retry backoff after repeated failures: 1 s, 2 s, 4 s, capped here (row 6). */
export const MAX_BACKOFF_MS = 8000;

/** A fresh machine: not connected, no turns. */
export function initialState(config: SessionConfig, next: NextTurnOptions): MachineState {
  return {
    connected: false,
    sessionEpoch: 0,
    sessionReady: false,
    serverInstructions: null,
    sentConfig: null,
    config,
    next,
    turns: [],
    listeningId: null,
    stoppingId: null,
    pressPending: false,
    activeResponseId: null,
    awaitingCreatedId: null,
    cancellingId: null,
    awaitingCommitted: [],
    failureStreak: 0,
    lastFailureAt: 0,
    notBefore: 0,
    lostBecause: null,
    noticeSeq: 0,
    turnSeq: 0,
  };
}

/** The public views of all turns, oldest first. */
export function turnViews(state: MachineState): TurnView[] {
  return state.turns.map((t) => t.view);
}

/** Advances the machine by one input. Pure: the input state is not modified. */
export function step(state: MachineState, input: Input, now: number): StepResult {
  const ctx = new Step(state, now);
  ctx.handle(input);
  ctx.dispatch();
  return ctx.finish();
}

const TERMINAL = new Set<TurnView['phase']>(['done', 'failed', 'cancelled']);
const isTerminal = (t: TurnState): boolean => TERMINAL.has(t.view.phase);
const isTextPart = (type: string | undefined | null): boolean => type === 'text' || type === 'output_text';

/** One step's working copy: copy-on-write turns, collected effects. */
class Step {
  readonly s: MachineState;
  private readonly effects: Effect[] = [];
  private readonly touched = new Set<string>();

  constructor(
    prev: MachineState,
    private readonly now: number,
  ) {
    this.s = { ...prev, turns: prev.turns.slice(), awaitingCommitted: prev.awaitingCommitted.slice() };
  }

  finish(): StepResult {
    for (const t of this.s.turns)
      if (this.touched.has(t.view.id)) this.effects.push({ kind: 'emitTurn', turn: t.view });
    return { state: this.s, effects: this.effects };
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private emit(effect: Effect): void {
    this.effects.push(effect);
  }

  private send(event: RealtimeClientEvent, turnId?: string): void {
    this.effects.push(turnId ? { kind: 'send', event, turnId } : { kind: 'send', event });
  }

  private notice(level: Notice['level'], text: string): void {
    this.s.noticeSeq += 1;
    this.emit({ kind: 'notice', notice: { id: `notice-${this.s.noticeSeq}`, level, text, at: this.now } });
  }

  private timer(name: TimerName, ms: number): void {
    this.emit({ kind: 'setTimer', name, ms: Math.max(0, ms) });
  }

  private clearTimer(name: TimerName): void {
    this.emit({ kind: 'clearTimer', name });
  }

  /** A mutable copy of a turn (copied once per step), marked for emitTurn. */
  private turn(id: string | null | undefined): TurnState | null {
    if (!id) return null;
    const i = this.s.turns.findIndex((t) => t.view.id === id);
    const t = this.s.turns[i];
    if (!t) return null;
    if (this.touched.has(id)) return t;
    const copy: TurnState = {
      ...t,
      toolCalls: t.toolCalls.slice(),
      view: { ...t.view, timings: { ...t.view.timings } },
    };
    this.s.turns[i] = copy;
    this.touched.add(id);
    return copy;
  }

  private turnByResponse(responseId: string): TurnState | null {
    return this.turn(this.s.turns.find((t) => t.responseId === responseId)?.view.id);
  }

  private since(t: TurnState): number {
    return Math.max(0, this.now - (t.requestedAt ?? t.view.startedAt));
  }

  private finishTurn(t: TurnState, outcome: TurnOutcome): void {
    t.view.outcome = outcome;
    t.view.phase =
      outcome.kind === 'failed'
        ? 'failed'
        : outcome.kind === 'cancelled' || outcome.kind === 'ignored'
          ? 'cancelled'
          : 'done';
    t.wantsResponse = false;
    t.pendingOutcome = null;
    // Failed / no-audio / cancelled turns keep their audio: Retry may need it in a new session.
    if (outcome.kind === 'completed' || outcome.kind === 'interrupted' || outcome.kind === 'ignored') {
      if (t.view.input === 'voice') this.emit({ kind: 'dropAudio', turnId: t.view.id });
    }
  }

  private fail(t: TurnState, reason: string): void {
    this.s.failureStreak += 1;
    this.s.lastFailureAt = this.now;
    this.finishTurn(t, { kind: 'failed', reason, retryable: true });
  }

  /** Forget the current attempt's reply so it can be requested again. */
  private resetAttempt(t: TurnState): void {
    t.responseId = null;
    t.cancelOnCreate = false;
    t.textItemToDelete = null;
    t.sawFirstPart = false;
    t.audioItemId = null;
    t.audioContentIndex = 0;
    t.receivedAudioMs = 0;
    t.playback = 'none';
    t.pendingOutcome = null;
    t.toolCalls = [];
    t.view.assistantText = '';
    t.view.hasAudio = false;
    t.view.outcome = undefined;
  }

  private cancelResponse(responseId: string): void {
    this.send(wire.responseCancel(responseId));
    this.s.cancellingId = responseId;
    this.clearTimer('stall');
    this.timer('cancel', this.s.config.stallTimeoutMs);
  }

  private newTurn(input: 'voice' | 'text'): TurnState {
    this.s.turnSeq += 1;
    const next = this.s.next;
    const instructions = next.instructions.trim();
    const view: TurnView = {
      id: `turn-${this.s.turnSeq}`,
      index: this.s.turnSeq,
      input,
      replyAs: next.replyAs,
      ...(instructions ? { instructions: next.instructions, instructionsMode: next.instructionsMode } : {}),
      assistantText: '',
      hasAudio: false,
      phase: input === 'voice' ? 'listening' : 'queued',
      timings: {},
      startedAt: this.now,
      attempts: 0,
    };
    const t: TurnState = {
      view,
      inputSentInSession: null,
      liveInSession: null,
      wantsResponse: false,
      requestedAt: null,
      responseId: null,
      cancelOnCreate: false,
      textRecoveryUsed: false,
      textItemToDelete: null,
      acceptText: false,
      sawFirstPart: false,
      audioItemId: null,
      audioContentIndex: 0,
      receivedAudioMs: 0,
      playback: 'none',
      pendingOutcome: null,
      toolCalls: [],
      userItemId: null,
    };
    this.s.turns.push(t);
    this.touched.add(view.id);
    return t;
  }

  // ---- inputs ----------------------------------------------------------------------------------

  handle(input: Input): void {
    switch (input.type) {
      case 'press':
        return this.press(input.playedMs);
      case 'release':
        return this.release();
      case 'frame':
        return this.frame(input.ms);
      case 'captureStopped':
        return this.captureStopped(null);
      case 'captureFailed':
        return this.captureFailed(input.reason);
      case 'text':
        return this.text(input.text);
      case 'server':
        return this.server(input.event);
      case 'timer':
        return this.timerFired(input.name);
      case 'playbackStarted': {
        const t = this.turn(input.turnId);
        if (t && t.view.timings.toFirstAudioMs === undefined) t.view.timings.toFirstAudioMs = this.since(t);
        return;
      }
      case 'playbackDrained':
        return this.playbackDrained(input.turnId);
      case 'playbackFailed':
        this.notice('error', `Playback stopped: ${input.reason}`);
        return this.playbackDrained(input.turnId);
      case 'connectionUp':
        return this.connectionUp(input.expiresAt);
      case 'connectionDown':
        return this.connectionDown(input.code, input.reason);
      case 'retry':
        return this.retry(input.turnId);
      case 'stopReply':
        return this.stopAssistant(input.playedMs, 'stop');
      case 'config':
        return this.configChanged(input.config);
      case 'setNext':
        this.s.next = { ...input.next };
        return;
    }
  }

  /** Key down (push-to-talk sequence step 2). */
  private press(playedMs: number | null): void {
    if (this.s.listeningId) return;
    if (this.s.stoppingId) {
      // The previous capture is still delivering its last frame; start once it is committed.
      this.s.pressPending = true;
      return;
    }
    this.stopAssistant(playedMs, 'press');
    const t = this.newTurn('voice');
    t.view.recordedMs = 0;
    this.s.listeningId = t.view.id;
    if (this.s.connected) {
      this.send(wire.clearInput(), t.view.id);
      t.liveInSession = this.s.sessionEpoch;
    }
    this.emit({ kind: 'startCapture', turnId: t.view.id });
  }

  /**
   * Barge-in / Stop (row 8): flush playback, cancel the active response, truncate the assistant's audio at
   * min(played, received) — skipped when playback had already finished.
   */
  private stopAssistant(playedMs: number | null, why: 'press' | 'stop'): void {
    let truncate: ReturnType<typeof wire.truncate> | null = null;
    let truncateTurn: string | undefined;
    for (const prev of this.s.turns) {
      if (prev.playback !== 'open' && prev.playback !== 'ended') continue;
      const t = this.turn(prev.view.id);
      if (!t) continue;
      this.emit({ kind: 'flushPlayback', turnId: t.view.id });
      t.playback = 'flushed';
      if (t.audioItemId && playedMs !== null) {
        truncate = wire.truncate(t.audioItemId, t.audioContentIndex, Math.min(playedMs, t.receivedAudioMs));
        truncateTurn = t.view.id;
      }
      const interrupted: TurnOutcome = { kind: 'interrupted', reason: reasons.interrupted };
      if (t.responseId && t.responseId === this.s.activeResponseId) t.pendingOutcome = interrupted;
      else if (!isTerminal(t)) this.finishTurn(t, interrupted);
    }
    const active = this.s.activeResponseId;
    if (active && this.s.cancellingId !== active) {
      const t = this.turnByResponse(active);
      if (t && !isTerminal(t) && !t.pendingOutcome) {
        t.pendingOutcome = {
          kind: 'cancelled',
          reason: why === 'press' ? reasons.supersededByPress : reasons.stopped,
        };
      }
      if (t?.textItemToDelete) t.textItemToDelete = null; // a recovery in flight is abandoned too
      this.cancelResponse(active);
    }
    if (truncate) this.send(truncate, truncateTurn);
    const awaiting = this.turn(this.s.awaitingCreatedId);
    if (awaiting) {
      awaiting.cancelOnCreate = true;
      awaiting.pendingOutcome = {
        kind: 'cancelled',
        reason: why === 'press' ? reasons.supersededByPress : reasons.stopped,
      };
    }
  }

  private release(): void {
    const t = this.turn(this.s.listeningId);
    if (!t) return;
    this.s.listeningId = null;
    this.s.stoppingId = t.view.id;
    t.view.phase = 'committing';
    t.requestedAt = this.now;
    this.emit({ kind: 'stopCapture', turnId: t.view.id });
  }

  private frame(ms: number): void {
    const t = this.turn(this.s.listeningId ?? this.s.stoppingId);
    if (!t || !(ms > 0)) return;
    t.view.recordedMs = (t.view.recordedMs ?? 0) + ms;
    if (this.s.connected && t.liveInSession === this.s.sessionEpoch) {
      this.emit({ kind: 'sendAudio', turnId: t.view.id, fromStart: false });
    }
  }

  /** Capture has delivered its last frame: commit (≥ 100 ms) or clear (row 7). */
  private captureStopped(problem: string | null): void {
    const t = this.turn(this.s.stoppingId);
    this.s.stoppingId = null;
    if (t) {
      const live = this.s.connected && t.liveInSession === this.s.sessionEpoch;
      if ((t.view.recordedMs ?? 0) < MIN_COMMIT_MS) {
        if (live) this.send(wire.clearInput(), t.view.id);
        if (problem)
          this.finishTurn(t, { kind: 'failed', reason: reasons.micFailed(problem), retryable: false });
        else this.finishTurn(t, { kind: 'ignored', reason: reasons.holdToTalk });
      } else {
        if (problem) this.notice('warning', `${reasons.micFailed(problem)}. Sending what was recorded.`);
        t.view.phase = 'queued';
        t.wantsResponse = true;
        if (live) this.commit(t);
      }
    }
    if (this.s.pressPending) {
      this.s.pressPending = false;
      this.press(null);
    }
  }

  private captureFailed(reason: string): void {
    const id = this.s.listeningId;
    if (id) {
      const t = this.turn(id);
      this.s.listeningId = null;
      this.s.stoppingId = id;
      this.emit({ kind: 'stopCapture', turnId: id }); // release the device; what was recorded is kept
      if (t) {
        t.view.phase = 'committing';
        t.requestedAt = this.now;
      }
    }
    if (this.s.stoppingId) this.captureStopped(reason);
    else this.notice('error', reasons.micFailed(reason));
  }

  private commit(t: TurnState): void {
    this.send(wire.commitInput(`commit-${t.view.id}`), t.view.id);
    this.s.awaitingCommitted.push(t.view.id);
    t.inputSentInSession = this.s.sessionEpoch;
    if (t.view.timings.releaseToCommitMs === undefined) t.view.timings.releaseToCommitMs = this.since(t);
  }

  private text(text: string): void {
    const t = this.newTurn('text');
    t.view.userText = text;
    t.requestedAt = this.now;
    t.wantsResponse = true;
  }

  private retry(turnId: string): void {
    const t = this.turn(turnId);
    if (!t) return;
    const o = t.view.outcome;
    const retryable =
      (o?.kind === 'failed' && o.retryable) || o?.kind === 'no-audio' || o?.kind === 'cancelled';
    if (!retryable) return;
    this.resetAttempt(t);
    t.textRecoveryUsed = false;
    t.acceptText = false;
    t.view.phase = 'queued';
    t.wantsResponse = true;
    t.requestedAt = this.now;
    const commit = t.view.timings.releaseToCommitMs;
    t.view.timings = commit === undefined ? {} : { releaseToCommitMs: commit };
    if (this.s.failureStreak > 0) {
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (this.s.failureStreak - 1));
      const due = this.s.lastFailureAt + delay;
      if (due > this.now) {
        this.s.notBefore = Math.max(this.s.notBefore, due);
        const secs = Math.ceil((this.s.notBefore - this.now) / 1000);
        this.notice(
          'info',
          `Retrying in ${secs} s: the server failed ${this.s.failureStreak} time(s) in a row.`,
        );
      }
    }
  }

  /** Sends the next queued turn when nothing is active (rows 2 and 3). */
  dispatch(): void {
    const s = this.s;
    if (!s.connected || !s.sessionReady || s.activeResponseId || s.awaitingCreatedId || s.cancellingId)
      return;
    const next = s.turns.find((t) => t.wantsResponse);
    if (!next) return;
    if (this.now < s.notBefore) {
      this.timer('backoff', s.notBefore - this.now);
      return;
    }
    // While the user holds the key nothing new starts talking over them (and the input buffer is theirs).
    if (s.listeningId || s.stoppingId) return;
    const t = this.turn(next.view.id);
    if (!t) return;
    if (t.inputSentInSession !== s.sessionEpoch) {
      if (t.view.input === 'voice') {
        this.emit({ kind: 'sendAudio', turnId: t.view.id, fromStart: true });
        this.commit(t);
      } else {
        this.send(wire.userText(t.view.userText ?? ''), t.view.id);
        t.inputSentInSession = s.sessionEpoch;
      }
    }
    t.wantsResponse = false;
    t.view.phase = 'waiting';
    t.view.attempts += 1;
    const instructions = wire.responseInstructions(
      t.view.instructions,
      t.view.instructionsMode,
      s.serverInstructions,
    );
    this.send(
      wire.responseCreate(t.view.replyAs, instructions, `create-${t.view.id}-${t.view.attempts}`),
      t.view.id,
    );
    s.awaitingCreatedId = t.view.id;
    this.timer('created', s.config.stallTimeoutMs);
  }

  // ---- server events ---------------------------------------------------------------------------

  private server(event: RealtimeServerEvent): void {
    switch (event.type) {
      case 'session.created':
      case 'session.updated': {
        const instructions = (event.session as { instructions?: string | null }).instructions;
        this.s.serverInstructions = typeof instructions === 'string' ? instructions : null;
        if (!this.s.sessionReady) this.clearTimer('session');
        this.s.sessionReady = true;
        return;
      }
      case 'input_audio_buffer.committed': {
        const t = this.turn(this.s.awaitingCommitted.shift());
        if (t) t.userItemId = event.item_id;
        return;
      }
      case 'conversation.item.input_audio_transcription.delta': {
        const t = this.turn(this.s.turns.find((x) => x.userItemId === event.item_id)?.view.id);
        if (t) t.view.userText = (t.view.userText ?? '') + (event.delta ?? '');
        return;
      }
      case 'conversation.item.input_audio_transcription.completed': {
        const t = this.turn(this.s.turns.find((x) => x.userItemId === event.item_id)?.view.id);
        if (t) t.view.userText = event.transcript;
        return;
      }
      case 'response.created':
        return this.responseCreated(event.response.id ?? '');
      case 'response.done':
        return this.responseDone(event.response);
      case 'error':
        return this.serverErrorEvent(event.error);
      default:
        break;
    }
    const responseId = (event as { response_id?: unknown }).response_id;
    if (typeof responseId === 'string') this.responseEvent(responseId, event);
  }

  private responseCreated(id: string): void {
    const s = this.s;
    const t = this.turn(s.awaitingCreatedId);
    s.activeResponseId = id;
    if (!t) {
      // A response we did not ask for (or one whose request timed out): stop it so it cannot talk over us.
      this.cancelResponse(id);
      return;
    }
    s.awaitingCreatedId = null;
    this.clearTimer('created');
    t.responseId = id;
    t.view.timings.toCreatedMs = this.since(t);
    if (t.cancelOnCreate) {
      t.cancelOnCreate = false;
      this.cancelResponse(id);
      return;
    }
    this.timer('stall', s.config.stallTimeoutMs);
  }

  /** Any event carrying a response_id: content, deltas, item lifecycle. */
  private responseEvent(responseId: string, event: RealtimeServerEvent): void {
    const s = this.s;
    if (responseId !== s.activeResponseId) return; // a finished or unknown response: nothing to do
    if (s.cancellingId !== responseId) this.timer('stall', s.config.stallTimeoutMs);
    const t = this.turnByResponse(responseId);
    if (!t || t.pendingOutcome || t.textItemToDelete || isTerminal(t)) return;
    const voice = t.view.replyAs === 'voice';
    switch (event.type) {
      case 'response.output_item.added':
      case 'response.output_item.done': {
        const item = event.item as { type?: string; name?: string | null };
        if (item.type === 'function_call' && event.type === 'response.output_item.done') {
          t.toolCalls.push(item.name ?? 'a function');
        }
        return;
      }
      case 'response.content_part.added': {
        const first = !t.sawFirstPart;
        t.sawFirstPart = true;
        if (first && voice && !t.acceptText && isTextPart(event.part.type))
          this.textInsteadOfAudio(t, event.item_id);
        return;
      }
      case 'response.output_text.delta': {
        if (voice && !t.acceptText && !t.sawFirstPart) {
          t.sawFirstPart = true;
          this.textInsteadOfAudio(t, event.item_id);
          if (t.textItemToDelete) return;
        }
        t.sawFirstPart = true;
        this.delta(t);
        t.view.assistantText += event.delta;
        return;
      }
      case 'response.output_audio_transcript.delta':
        t.sawFirstPart = true;
        this.delta(t);
        t.view.assistantText += event.delta;
        return;
      case 'response.output_audio.delta': {
        t.sawFirstPart = true;
        this.delta(t);
        if (!voice) return; // Text was asked for: never play unrequested audio
        t.view.hasAudio = true;
        t.audioItemId = event.item_id;
        t.audioContentIndex = event.content_index;
        t.receivedAudioMs +=
          base64ByteLength(event.delta) / bytesPerMs(wire.formatObject(s.config.audioFormat));
        if (t.playback === 'none') {
          this.emit({ kind: 'openPlayback', turnId: t.view.id });
          t.playback = 'open';
        }
        if (t.playback === 'open')
          this.emit({ kind: 'writePlayback', turnId: t.view.id, audio: event.delta });
        return;
      }
      case 'response.output_audio.done':
        this.endPlayback(t);
        return;
      default:
        return;
    }
  }

  private delta(t: TurnState): void {
    if (t.view.timings.toFirstDeltaMs === undefined) t.view.timings.toFirstDeltaMs = this.since(t);
    if (t.view.phase === 'waiting' || t.view.phase === 'queued') t.view.phase = 'replying';
  }

  /** Row 9: no more audio is coming — let the player drain what it has. */
  private endPlayback(t: TurnState): void {
    if (t.playback !== 'open') return;
    this.emit({ kind: 'endPlayback', turnId: t.view.id });
    t.playback = 'ended';
  }

  /** Rows 4/5: a Voice turn's reply started as text. Cancel, delete the item, ask again once. */
  private textInsteadOfAudio(t: TurnState, itemId: string): void {
    if (t.textRecoveryUsed) {
      t.acceptText = true;
      return;
    }
    t.textRecoveryUsed = true;
    t.textItemToDelete = itemId;
    t.view.assistantText = '';
    if (t.responseId) this.cancelResponse(t.responseId);
  }

  private responseDone(response: { id?: string; status?: string; status_details?: unknown }): void {
    const s = this.s;
    const id = response.id ?? '';
    if (id === s.cancellingId) {
      s.cancellingId = null;
      this.clearTimer('cancel');
    }
    if (id === s.activeResponseId) {
      s.activeResponseId = null;
      this.clearTimer('stall');
    }
    const t = this.turnByResponse(id);
    if (!t) return;
    this.endPlayback(t);
    if (t.view.timings.toDoneMs === undefined) t.view.timings.toDoneMs = this.since(t);
    if (t.textItemToDelete) {
      this.send(wire.deleteItem(t.textItemToDelete), t.view.id);
      const recoveryUsed = t.textRecoveryUsed;
      this.resetAttempt(t);
      t.textRecoveryUsed = recoveryUsed;
      delete t.view.timings.toDoneMs;
      delete t.view.timings.toFirstDeltaMs;
      t.view.phase = 'queued';
      t.wantsResponse = true;
      return;
    }
    if (isTerminal(t)) return; // e.g. already failed by the stall watchdog
    if (t.pendingOutcome) {
      this.finishTurn(t, t.pendingOutcome);
      return;
    }
    const status = response.status ?? 'completed';
    if (status === 'failed' || status === 'incomplete') {
      // Tool calls of a failed response are ignored (row 6).
      this.fail(t, responseFailure(status, response.status_details as Parameters<typeof responseFailure>[1]));
      return;
    }
    if (status === 'cancelled') {
      const details = response.status_details as { reason?: string } | undefined;
      this.finishTurn(t, {
        kind: 'cancelled',
        reason: responseFailure('cancelled', details).replace(
          'The reply failed',
          'The server cancelled the reply',
        ),
      });
      return;
    }
    s.failureStreak = 0;
    for (const name of t.toolCalls) {
      t.view.assistantText += `${t.view.assistantText ? '\n' : ''}(the assistant tried to call ${name})`;
    }
    const outcome: TurnOutcome =
      t.view.replyAs === 'voice' && t.acceptText && !t.view.hasAudio
        ? { kind: 'no-audio', reason: reasons.noAudio }
        : { kind: 'completed' };
    if (t.playback === 'ended') {
      t.pendingOutcome = outcome; // finished when the player has drained (row 9)
      t.view.phase = 'replying';
    } else {
      this.finishTurn(t, outcome);
    }
  }

  private serverErrorEvent(error: { code?: string | null; message: string; event_id?: string | null }): void {
    const s = this.s;
    const code = error.code ?? null;
    const eventId = error.event_id ?? '';
    if (code === 'response_cancel_not_active') return; // harmless race with response.done
    if (code === 'session_expired' || code === 'beta_api_shape_disabled') return; // shown via the connection status
    if (code === 'conversation_already_has_active_response') {
      const t = this.turn(s.awaitingCreatedId);
      if (t) {
        // The server still has a response we lost track of: ask again shortly.
        s.awaitingCreatedId = null;
        this.clearTimer('created');
        t.view.attempts = Math.max(0, t.view.attempts - 1);
        t.view.phase = 'queued';
        t.wantsResponse = true;
        s.notBefore = this.now + 1000;
      }
      return;
    }
    if (eventId.startsWith('commit-') || code === 'input_audio_buffer_commit_empty') {
      const id = eventId.startsWith('commit-') ? eventId.slice('commit-'.length) : s.awaitingCommitted[0];
      s.awaitingCommitted = s.awaitingCommitted.filter((x) => x !== id);
      const t = this.turn(id);
      if (t && !isTerminal(t)) {
        if (s.awaitingCreatedId === id) s.awaitingCreatedId = null;
        this.finishTurn(t, { kind: 'failed', reason: serverError(code, error.message), retryable: false });
      }
      return;
    }
    if (
      eventId.startsWith('create-') &&
      s.awaitingCreatedId &&
      eventId.startsWith(`create-${s.awaitingCreatedId}-`)
    ) {
      const t = this.turn(s.awaitingCreatedId);
      s.awaitingCreatedId = null;
      this.clearTimer('created');
      if (t) this.fail(t, serverError(code, error.message));
      return;
    }
    this.notice('warning', serverError(code, error.message));
  }

  // ---- timers, playback, connection, settings ----------------------------------------------------

  private timerFired(name: TimerName): void {
    const s = this.s;
    switch (name) {
      case 'stall': {
        const id = s.activeResponseId;
        if (!id || s.cancellingId === id) return;
        const t = this.turnByResponse(id);
        this.cancelResponse(id);
        if (t && !isTerminal(t)) {
          this.endPlayback(t);
          t.textItemToDelete = null;
          this.fail(t, reasons.stalled(s.config.stallTimeoutMs));
        }
        return;
      }
      case 'created': {
        const t = this.turn(s.awaitingCreatedId);
        s.awaitingCreatedId = null;
        if (t && !isTerminal(t)) {
          if (t.pendingOutcome) this.finishTurn(t, t.pendingOutcome);
          else this.fail(t, reasons.notCreated(s.config.stallTimeoutMs));
        }
        return;
      }
      case 'cancel': {
        // The server never confirmed the cancel: stop waiting for it, or every later turn would hang.
        const id = s.cancellingId;
        s.cancellingId = null;
        if (id && s.activeResponseId === id) s.activeResponseId = null;
        const t = id ? this.turnByResponse(id) : null;
        if (t && !isTerminal(t)) {
          if (t.pendingOutcome) this.finishTurn(t, t.pendingOutcome);
          else if (t.textItemToDelete) this.fail(t, reasons.stalled(s.config.stallTimeoutMs));
        }
        return;
      }
      case 'backoff':
        return; // dispatch() runs after every input
      case 'session':
        // A server that never describes its session: go ahead with what we asked for.
        if (s.connected && !s.sessionReady) {
          s.sessionReady = true;
          s.serverInstructions = s.config.instructions.trim() ? s.config.instructions : null;
        }
        return;
      case 'expiry':
        if (s.connected) {
          this.notice(
            'warning',
            'This session reaches the server’s time limit in about 2 minutes. The conversation will continue in a new session as text.',
          );
        }
        return;
    }
  }

  private playbackDrained(turnId: string): void {
    const t = this.turn(turnId);
    if (!t || t.playback === 'flushed') return;
    t.playback = 'drained';
    if (t.pendingOutcome && t.responseId !== this.s.activeResponseId) this.finishTurn(t, t.pendingOutcome);
  }

  private connectionUp(expiresAt: number | null): void {
    const s = this.s;
    s.connected = true;
    s.sessionEpoch += 1;
    // Turns wait for session.created/updated: append mode needs the new session's instructions (row 1).
    s.sessionReady = false;
    s.serverInstructions = null;
    this.timer('session', s.config.stallTimeoutMs);
    this.send(wire.sessionUpdate(s.config));
    s.sentConfig = s.config;
    const carried = this.carryOver();
    if (carried > 0) {
      this.notice(
        'info',
        s.lostBecause === 'session_expired'
          ? 'The server ended the session at its time limit. A new session continues with the conversation so far as text.'
          : 'Reconnected in a new session; the conversation so far was carried over as text.',
      );
    }
    s.lostBecause = null;
    if (expiresAt !== null && expiresAt - EXPIRY_WARNING_MS > this.now)
      this.timer('expiry', expiresAt - EXPIRY_WARNING_MS - this.now);
  }

  /** Row 11: prior answered turns become text items in the new session. Returns how many turns. */
  private carryOver(): number {
    const answered = this.s.turns.filter(
      (t) =>
        t.inputSentInSession !== null &&
        t.inputSentInSession !== this.s.sessionEpoch &&
        (t.view.outcome?.kind === 'completed' ||
          t.view.outcome?.kind === 'interrupted' ||
          t.view.outcome?.kind === 'no-audio'),
    );
    const recent = answered.slice(-CARRY_OVER_TURNS);
    for (const t of recent) {
      const said = t.view.userText?.trim() || '(spoken message; no transcript available)';
      this.send(wire.userText(said), t.view.id);
      const reply = t.view.assistantText.trim();
      if (reply) this.send(wire.assistantText(reply), t.view.id);
    }
    return recent.length;
  }

  private connectionDown(code: string | null, reason: string | null): void {
    const s = this.s;
    if (code === 'beta_api_shape_disabled' && s.lostBecause !== code) {
      this.notice('error', reason ?? serverError(code, ''));
    }
    if (code) s.lostBecause = code;
    if (!s.connected) return;
    s.connected = false;
    s.sessionReady = false;
    for (const name of ['stall', 'created', 'cancel', 'expiry', 'session'] as const) this.clearTimer(name);
    const lost = new Set(
      [s.activeResponseId, s.awaitingCreatedId, s.cancellingId].filter((x): x is string => !!x),
    );
    s.activeResponseId = null;
    s.awaitingCreatedId = null;
    s.cancellingId = null;
    s.awaitingCommitted = [];
    for (const prev of s.turns) {
      const inFlight = (prev.responseId && lost.has(prev.responseId)) || lost.has(prev.view.id);
      if (!inFlight || isTerminal(prev)) continue;
      const t = this.turn(prev.view.id);
      if (!t) continue;
      if (t.pendingOutcome) {
        this.finishTurn(t, t.pendingOutcome);
        continue;
      }
      // The reply was lost with the socket: ask again in the new session (never lose the turn).
      if (t.playback === 'open' || t.playback === 'ended')
        this.emit({ kind: 'flushPlayback', turnId: t.view.id });
      this.resetAttempt(t);
      t.view.phase = 'queued';
      t.wantsResponse = true;
    }
  }

  private configChanged(config: SessionConfig): void {
    const s = this.s;
    const prev = s.sentConfig;
    s.config = config;
    if (!s.connected || !prev) return;
    const changed =
      prev.voice !== config.voice ||
      prev.instructions !== config.instructions ||
      prev.audioFormat !== config.audioFormat ||
      prev.transcriptionModel !== config.transcriptionModel;
    if (!changed) return;
    this.send(wire.sessionUpdate(config));
    s.sentConfig = config;
    if (prev.instructions.trim() && !config.instructions.trim()) {
      this.notice(
        'info',
        'Session instructions were cleared. The server keeps the previous ones until the next connection (an empty text is never sent).',
      );
    }
  }
}
