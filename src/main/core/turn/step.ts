/**
 * One step's working copy of the turn machine: copy-on-write turns, the effects collected so far, and the
 * small verbs every rule module shares (intents, notices, timers, finishing a turn). Rules live in the
 * modules listed in machine.ts; this file decides nothing about the Realtime API.
 */
import type { Notice, TurnOutcome, TurnView } from '../../../shared/types';
import type { Effect, MachineState, StepResult, TimerName, TurnState } from './types';

const TERMINAL = new Set<TurnView['phase']>(['done', 'failed', 'cancelled']);

/** A turn that is done, failed or cancelled: nothing more happens to it until a Retry. */
export const isTerminal = (t: TurnState): boolean => TERMINAL.has(t.view.phase);

/** A finished turn whose audio no longer plays: it leaves the machine. */
const settled = (t: TurnState): boolean => isTerminal(t) && t.playback !== 'open' && t.playback !== 'ended';

/** The id of the response the server has open (active or being cancelled), if any. */
export function openResponseId(s: MachineState): string | null {
  return s.response.phase === 'active' || s.response.phase === 'cancelling' ? s.response.responseId : null;
}

/** The state being built by one call of `step`, plus the effects it asks for. */
export class Step {
  readonly s: MachineState;
  private readonly effects: Effect[] = [];
  private readonly touched = new Set<string>();

  constructor(
    prev: MachineState,
    readonly now: number,
  ) {
    this.s = { ...prev, turns: prev.turns.slice(), awaitingCommitted: prev.awaitingCommitted.slice() };
  }

  /**
   * The new state, with one emitTurn for every turn this step changed (after the other effects); finished
   * turns leave the machine here, so a step never costs more with a longer conversation.
   */
  finish(): StepResult {
    const kept: TurnState[] = [];
    for (const t of this.s.turns) {
      if (this.touched.has(t.view.id)) this.effects.push({ kind: 'emitTurn', turn: t.view });
      if (!settled(t)) {
        kept.push(t);
        continue;
      }
      this.effects.push({
        kind: 'turnSettled',
        turn: { view: t.view, userItemId: t.userItemId, inputSentInSession: t.inputSentInSession },
      });
    }
    this.s.turns = kept;
    return { state: this.s, effects: this.effects };
  }

  emit(effect: Effect): void {
    this.effects.push(effect);
  }

  /** A notice; one with a topic replaces the previous notice of that topic. */
  notice(level: Notice['level'], text: string, topic?: string, action?: Notice['action']): void {
    this.s.noticeSeq += 1;
    const notice: Notice = { id: `notice-${this.s.noticeSeq}`, level, text, at: this.now };
    if (topic) notice.topic = topic;
    if (action) notice.action = action;
    this.emit({ kind: 'notice', notice });
  }

  /** What the notices of this topic said no longer holds. */
  clearNotice(topic: string): void {
    this.emit({ kind: 'clearNotice', topic });
  }

  timer(name: TimerName, ms: number): void {
    this.emit({ kind: 'setTimer', name, ms: Math.max(0, ms) });
  }

  clearTimer(name: TimerName): void {
    this.emit({ kind: 'clearTimer', name });
  }

  /** A mutable copy of a turn in flight (copied once per step), marked for emitTurn. */
  turn(id: string | null | undefined): TurnState | null {
    if (!id) return null;
    const i = this.s.turns.findIndex((t) => t.view.id === id);
    const t = this.s.turns[i];
    if (!t) return null;
    if (this.touched.has(id)) return t;
    const copy: TurnState = {
      ...t,
      responseIds: t.responseIds.slice(),
      calls: t.calls.map((c) => ({ ...c })),
      view: { ...t.view, timings: { ...t.view.timings } },
    };
    this.s.turns[i] = copy;
    this.touched.add(id);
    return copy;
  }

  /** Adds a turn created this step (already a fresh object, so it is not copied again). */
  addTurn(t: TurnState): void {
    this.s.turns.push(t);
    this.touched.add(t.view.id);
  }

  /** The turn whose current attempt is this response. */
  turnByResponse(responseId: string | null): TurnState | null {
    if (!responseId) return null;
    return this.turn(this.s.turns.find((t) => t.responseIds.at(-1) === responseId)?.view.id);
  }

  /** ms since the turn was requested (release / Send), the zero of its timings. */
  since(t: TurnState): number {
    return Math.max(0, this.now - (t.requestedAt ?? t.view.startedAt));
  }

  finishTurn(t: TurnState, outcome: TurnOutcome): void {
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

  /** A retryable failure; the streak feeds Retry's backoff (row 6, retry.ts). */
  fail(t: TurnState, reason: string): void {
    this.s.failureStreak += 1;
    this.s.lastFailureAt = this.now;
    this.finishTurn(t, { kind: 'failed', reason, retryable: true });
  }

  /** Forget the current attempt's reply so it can be requested again. */
  resetAttempt(t: TurnState): void {
    t.cancelOnCreate = false;
    t.textItemToDelete = null;
    t.sawFirstPart = false;
    t.audioItemId = null;
    t.audioContentIndex = 0;
    t.receivedAudioMs = 0;
    t.playback = 'none';
    t.pendingOutcome = null;
    t.calls = [];
    t.view.assistantText = '';
    t.view.hasAudio = false;
    t.view.outcome = undefined;
  }

  /** Cancel the open response and wait for its response.done, under the cancel watchdog (rows 2 and 3). */
  cancelResponse(responseId: string, turnId: string | null): void {
    this.emit(
      turnId ? { kind: 'cancelResponse', responseId, turnId } : { kind: 'cancelResponse', responseId },
    );
    this.s.response = { phase: 'cancelling', responseId, turnId };
    this.clearTimer('stall');
    this.timer('cancel', this.s.config.stallTimeoutMs);
  }
}
