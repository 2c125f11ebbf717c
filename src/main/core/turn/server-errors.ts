/**
 * The server's `error` events, matched to what caused them (row 13): by event id — a refused commit (row 7),
 * a refused response request (row 6), a request while a response is still active (row 2) — and, when the
 * server echoes no event id, to the turn waiting for its reply, which ends at once with the server's reason
 * instead of waiting for the stall watchdog. The rest become a notice; session-level errors are shown through
 * the connection status instead. Long messages are shortened for display (whole in the event log).
 */
import { serverError } from '../words';
import { isTerminal, type Step } from './step';

/** An `error` event from the server. */
export function serverErrorEvent(
  ctx: Step,
  error: { code: string | null; message: string; eventId: string | null },
): void {
  const s = ctx.s;
  const code = error.code;
  const eventId = error.eventId ?? '';
  if (code === 'response_cancel_not_active') return; // harmless race with response.done
  if (code === 'session_expired' || code === 'beta_api_shape_disabled') return; // shown via the connection status
  const requested = s.response.phase === 'requested' ? s.response.turnId : null;
  if (code === 'conversation_already_has_active_response') {
    const t = ctx.turn(requested);
    if (t) {
      // The server still has a response we lost track of: ask again shortly.
      s.response = { phase: 'idle' };
      ctx.clearTimer('created');
      t.view.attempts = Math.max(0, t.view.attempts - 1);
      t.view.phase = 'queued';
      t.wantsResponse = true;
      s.notBefore = ctx.now + 1000;
    }
    return;
  }
  if (eventId.startsWith('commit-') || code === 'input_audio_buffer_commit_empty') {
    const id = eventId.startsWith('commit-') ? eventId.slice('commit-'.length) : s.awaitingCommitted[0];
    s.awaitingCommitted = s.awaitingCommitted.filter((x) => x !== id);
    const t = ctx.turn(id);
    if (t && !isTerminal(t)) {
      if (requested === id) s.response = { phase: 'idle' };
      ctx.finishTurn(t, { kind: 'failed', reason: serverError(code, error.message), retryable: false });
    }
    return;
  }
  // Echoed for this turn's request, or echoing nothing while this turn waits: the error is its answer.
  if (requested && (eventId.startsWith(`create-${requested}-`) || !eventId)) {
    const t = ctx.turn(requested);
    s.response = { phase: 'idle' };
    ctx.clearTimer('created');
    if (t) ctx.fail(t, serverError(code, error.message));
    return;
  }
  ctx.notice('warning', serverError(code, error.message));
}
