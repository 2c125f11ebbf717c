/**
 * Rows 4/5: a Voice turn's reply that starts as text (modality stickiness). On the first content part:
 * cancel, delete the text item once the cancelled response is done, and ask again once; if it happens
 * again, keep the text and let the turn end "no audio returned".
 */
import type { Step } from './step';
import { words } from '../words';
import type { TurnState } from './types';

const isTextPart = (type: string | null): boolean => type === 'text' || type === 'output_text';

const wantsAudio = (t: TurnState): boolean => t.view.replyAs === 'voice' && !t.acceptText;

/** response.content_part.added: only the first part of an attempt decides. */
export function contentPartAdded(ctx: Step, t: TurnState, partType: string | null, itemId: string): void {
  const first = !t.sawFirstPart;
  t.sawFirstPart = true;
  if (first && wantsAudio(t) && isTextPart(partType)) textInsteadOfAudio(ctx, t, itemId);
}

/**
 * A text delta with no content part before it counts as the first part. Returns true when the delta
 * belongs to a reply being recovered and must not be shown.
 */
export function textDeltaFirst(ctx: Step, t: TurnState, itemId: string): boolean {
  if (!wantsAudio(t) || t.sawFirstPart) return false;
  t.sawFirstPart = true;
  textInsteadOfAudio(ctx, t, itemId);
  return !!t.textItemToDelete;
}

function textInsteadOfAudio(ctx: Step, t: TurnState, itemId: string): void {
  if (t.textRecoveryUsed) {
    t.acceptText = true;
    return;
  }
  t.textRecoveryUsed = true;
  t.textItemToDelete = itemId;
  t.view.assistantText = '';
  const current = t.responseIds.at(-1);
  if (current) ctx.cancelResponse(current, t.view.id);
}

/**
 * The end of a response cancelled for recovery: delete its text item and queue the turn again.
 * Returns false when the turn was not recovering.
 */
export function finishRecovery(ctx: Step, t: TurnState): boolean {
  if (!t.textItemToDelete) return false;
  ctx.emit({ kind: 'deleteItem', turnId: t.view.id, itemId: t.textItemToDelete });
  const recoveryUsed = t.textRecoveryUsed;
  ctx.resetAttempt(t);
  t.textRecoveryUsed = recoveryUsed;
  delete t.view.timings.toDoneMs;
  delete t.view.timings.toFirstDeltaMs;
  t.view.attemptReason = words.attemptTextInsteadOfAudio;
  t.view.phase = 'queued';
  t.wantsResponse = true;
  return true;
}
