/**
 * Row 3: nothing waits forever. `stall` — the active response went quiet: cancel it and fail the turn with
 * the reason (Retry is offered). `created` — a response request was never answered. `cancel` — the server
 * never confirmed a cancel: stop waiting for it, or every later turn would hang. Armed in response.ts,
 * dispatch.ts and Step.cancelResponse.
 */
import { endPlayback } from './playback';
import { reasons } from '../words';
import { isTerminal, type Step } from './step';

/** No server event for the active response within the stall timeout. */
export function stallTimer(ctx: Step): void {
  const s = ctx.s;
  if (s.response.phase !== 'active') return;
  const { responseId, turnId } = s.response;
  const t = ctx.turnByResponse(responseId);
  ctx.cancelResponse(responseId, turnId);
  if (t && !isTerminal(t)) {
    endPlayback(ctx, t);
    t.textItemToDelete = null;
    ctx.fail(t, reasons.stalled(s.config.stallTimeoutMs));
  }
}

/** A response was requested, and not created within the stall timeout. */
export function createdTimer(ctx: Step): void {
  const s = ctx.s;
  if (s.response.phase !== 'requested') return;
  const t = ctx.turn(s.response.turnId);
  s.response = { phase: 'idle' };
  if (t && !isTerminal(t)) {
    if (t.pendingOutcome) ctx.finishTurn(t, t.pendingOutcome);
    else ctx.fail(t, reasons.notCreated(s.config.stallTimeoutMs));
  }
}

/** A cancel was sent, and the response did not end within the stall timeout. */
export function cancelTimer(ctx: Step): void {
  const s = ctx.s;
  if (s.response.phase !== 'cancelling') return;
  const id = s.response.responseId;
  s.response = { phase: 'idle' };
  const t = ctx.turnByResponse(id);
  if (t && !isTerminal(t)) {
    if (t.pendingOutcome) ctx.finishTurn(t, t.pendingOutcome);
    else if (t.textItemToDelete) ctx.fail(t, reasons.stalled(s.config.stallTimeoutMs));
  }
}
