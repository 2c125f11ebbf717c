/**
 * Retry after a failure (row 6): the turn is asked again, but after repeated server failures not before a
 * backoff of 1 s, 2 s, 4 s … (capped), with a notice saying when. `Step.fail` counts the streak; a
 * completed reply resets it (response.ts); dispatch.ts honours `notBefore`.
 */
import type { Step } from './step';

/** Retry backoff after repeated failures: 1 s, 2 s, 4 s, capped here (row 6). */
export const MAX_BACKOFF_MS = 8000;

/** The user pressed Retry on a failed, no-audio or cancelled turn. */
export function retry(ctx: Step, turnId: string): void {
  const s = ctx.s;
  const t = ctx.turn(turnId);
  if (!t) return;
  const o = t.view.outcome;
  const retryable =
    (o?.kind === 'failed' && o.retryable) || o?.kind === 'no-audio' || o?.kind === 'cancelled';
  if (!retryable) return;
  ctx.resetAttempt(t);
  t.textRecoveryUsed = false;
  t.acceptText = false;
  t.view.phase = 'queued';
  t.wantsResponse = true;
  t.requestedAt = ctx.now;
  const commit = t.view.timings.releaseToCommitMs;
  t.view.timings = commit === undefined ? {} : { releaseToCommitMs: commit };
  if (s.failureStreak > 0) {
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (s.failureStreak - 1));
    const due = s.lastFailureAt + delay;
    if (due > ctx.now) {
      s.notBefore = Math.max(s.notBefore, due);
      const secs = Math.ceil((s.notBefore - ctx.now) / 1000);
      ctx.notice('info', `Retrying in ${secs} s: the server failed ${s.failureStreak} time(s) in a row.`);
    }
  }
}
