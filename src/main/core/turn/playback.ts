/**
 * The assistant's audio on the user's speaker: drained, never cut, at the end of a reply (row 9); flushed
 * and truncated to what the user heard on barge-in or Stop (row 8).
 */
import type { TurnOutcome } from '../../../shared/types';
import { reasons } from './reasons';
import { isTerminal, type Step } from './step';
import type { TurnState } from './types';
import * as wire from './wire';

/** Row 9: no more audio is coming — let the player drain what it has. */
export function endPlayback(ctx: Step, t: TurnState): void {
  if (t.playback !== 'open') return;
  ctx.emit({ kind: 'endPlayback', turnId: t.view.id });
  t.playback = 'ended';
}

/** The player has played everything: a reply that was waiting for it is finished now. */
export function playbackDrained(ctx: Step, turnId: string): void {
  const t = ctx.turn(turnId);
  if (!t || t.playback === 'flushed') return;
  t.playback = 'drained';
  if (t.pendingOutcome && t.responseId !== ctx.s.activeResponseId) ctx.finishTurn(t, t.pendingOutcome);
}

/** The first audio reached the speaker: recorded once per attempt. */
export function playbackStarted(ctx: Step, turnId: string): void {
  const t = ctx.turn(turnId);
  if (t && t.view.timings.toFirstAudioMs === undefined) t.view.timings.toFirstAudioMs = ctx.since(t);
}

/**
 * Barge-in / Stop (row 8): flush playback, cancel the active response, truncate the assistant's audio at
 * min(played, received) — skipped when playback had already finished.
 */
export function stopAssistant(ctx: Step, playedMs: number | null, why: 'press' | 'stop'): void {
  const s = ctx.s;
  let truncate: ReturnType<typeof wire.truncate> | null = null;
  let truncateTurn: string | undefined;
  for (const prev of s.turns) {
    if (prev.playback !== 'open' && prev.playback !== 'ended') continue;
    const t = ctx.turn(prev.view.id);
    if (!t) continue;
    ctx.emit({ kind: 'flushPlayback', turnId: t.view.id });
    t.playback = 'flushed';
    if (t.audioItemId && playedMs !== null) {
      truncate = wire.truncate(t.audioItemId, t.audioContentIndex, Math.min(playedMs, t.receivedAudioMs));
      truncateTurn = t.view.id;
    }
    const interrupted: TurnOutcome = { kind: 'interrupted', reason: reasons.interrupted };
    if (t.responseId && t.responseId === s.activeResponseId) t.pendingOutcome = interrupted;
    else if (!isTerminal(t)) ctx.finishTurn(t, interrupted);
  }
  const cancelled: TurnOutcome = {
    kind: 'cancelled',
    reason: why === 'press' ? reasons.supersededByPress : reasons.stopped,
  };
  const active = s.activeResponseId;
  if (active && s.cancellingId !== active) {
    const t = ctx.turnByResponse(active);
    if (t && !isTerminal(t) && !t.pendingOutcome) t.pendingOutcome = { ...cancelled };
    if (t?.textItemToDelete) t.textItemToDelete = null; // a recovery in flight is abandoned too
    ctx.cancelResponse(active);
  }
  if (truncate) ctx.send(truncate, truncateTurn);
  const awaiting = ctx.turn(s.awaitingCreatedId);
  if (awaiting) {
    awaiting.cancelOnCreate = true;
    awaiting.pendingOutcome = { ...cancelled };
  }
}
