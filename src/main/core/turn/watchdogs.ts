/**
 * Row 3: nothing waits forever. `stall` — the active response went quiet: cancel it and fail the turn with
 * the reason (Retry is offered). `created` — response.create was never answered. `cancel` — the server never
 * confirmed a cancel: stop waiting for it, or every later turn would hang. Armed in response.ts, dispatch.ts
 * and Step.cancelResponse.
 */
import { endPlayback } from './playback';
import { reasons } from './reasons';
import { isTerminal, type Step } from './step';

/** No server event for the active response within the stall timeout. */
export function stallTimer(ctx: Step): void {
  const s = ctx.s;
  const id = s.activeResponseId;
  if (!id || s.cancellingId === id) return;
  const t = ctx.turnByResponse(id);
  ctx.cancelResponse(id);
  if (t && !isTerminal(t)) {
    endPlayback(ctx, t);
    t.textItemToDelete = null;
    ctx.fail(t, reasons.stalled(s.config.stallTimeoutMs));
  }
}

/** response.create sent, no response.created within the stall timeout. */
export function createdTimer(ctx: Step): void {
  const s = ctx.s;
  const t = ctx.turn(s.awaitingCreatedId);
  s.awaitingCreatedId = null;
  if (t && !isTerminal(t)) {
    if (t.pendingOutcome) ctx.finishTurn(t, t.pendingOutcome);
    else ctx.fail(t, reasons.notCreated(s.config.stallTimeoutMs));
  }
}

/** response.cancel sent, no response.done within the stall timeout. */
export function cancelTimer(ctx: Step): void {
  const s = ctx.s;
  const id = s.cancellingId;
  s.cancellingId = null;
  if (id && s.activeResponseId === id) s.activeResponseId = null;
  const t = id ? ctx.turnByResponse(id) : null;
  if (t && !isTerminal(t)) {
    if (t.pendingOutcome) ctx.finishTurn(t, t.pendingOutcome);
    else if (t.textItemToDelete) ctx.fail(t, reasons.stalled(s.config.stallTimeoutMs));
  }
}
