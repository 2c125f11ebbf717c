/**
 * Retry after a failure (row 6) answers the turn's own message (row 17): the finished turn comes back into
 * the machine with where its input already is, and its request references the conversation up to that
 * input, whatever came after. After repeated server failures not before a backoff of 1 s, 2 s, 4 s …
 * (capped), with a notice saying when. `Step.fail` counts the streak; a completed reply resets it
 * (response.ts); dispatch.ts honours `notBefore`.
 */
import type { TurnView } from '../../../shared/types';
import { isTerminal, type Step } from './step';
import type { RetryTurn } from './types';
import { freshState } from './views';
import { reasons, words } from '../words';

/** Retry backoff after repeated failures: 1 s, 2 s, 4 s, capped here (row 6). */
export const MAX_BACKOFF_MS = 8000;

/** Whether a turn as the user sees it may be asked again. */
export function canRetry(view: TurnView): boolean {
  const o = view.outcome;
  return (
    view.phase === 'unsent' ||
    (o?.kind === 'failed' && o.retryable) ||
    o?.kind === 'no-audio' ||
    o?.kind === 'cancelled'
  );
}

/** The user pressed Retry on a failed, no-audio or cancelled turn, or Send on an unsent one. */
export function retry(ctx: Step, turn: RetryTurn): void {
  const s = ctx.s;
  if (!canRetry(turn.view) || s.turns.some((t) => t.view.id === turn.view.id)) return;
  const commit = turn.view.timings.releaseToCommitMs;
  const t = freshState({
    ...turn.view,
    assistantText: '',
    hasAudio: false,
    phase: 'queued',
    outcome: undefined,
    attemptReason: words.attemptRetry,
    timings: commit === undefined ? {} : { releaseToCommitMs: commit },
  });
  t.inputSentInSession = turn.inputSentInSession;
  t.userItemId = turn.userItemId;
  t.ownContext = true;
  t.wantsResponse = true;
  t.requestedAt = ctx.now;
  ctx.addTurn(t);
  if (s.failureStreak > 0) {
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (s.failureStreak - 1));
    const due = s.lastFailureAt + delay;
    if (due > ctx.now) {
      s.notBefore = Math.max(s.notBefore, due);
      const secs = Math.ceil((s.notBefore - ctx.now) / 1000);
      ctx.notice('info', words.retryingIn(secs, s.failureStreak), 'retry');
    }
  }
}

/**
 * The user cancelled a turn that has no reply yet: a queued one simply ends; one whose reply was requested
 * is cancelled as soon as the server creates it (rows 2 and 8), so nothing is left talking.
 */
export function cancelTurn(ctx: Step, turnId: string): void {
  const s = ctx.s;
  const t = ctx.turn(turnId);
  if (!t || isTerminal(t) || t.view.phase === 'listening' || t.view.phase === 'committing') return;
  const cancelled = { kind: 'cancelled' as const, reason: reasons.cancelledByUser };
  if (s.response.phase === 'requested' && s.response.turnId === turnId) {
    t.cancelOnCreate = true;
    t.pendingOutcome = cancelled;
    return;
  }
  if (s.response.phase === 'active' && s.response.turnId === turnId) {
    t.pendingOutcome = cancelled;
    if (t.playback === 'open' || t.playback === 'ended') {
      ctx.emit({ kind: 'flushPlayback', turnId });
      t.playback = 'flushed';
    }
    ctx.cancelResponse(s.response.responseId, turnId);
    return;
  }
  if (t.wantsResponse) ctx.finishTurn(t, cancelled);
}
