/**
 * The assistant's audio on the user's speaker: drained, never cut, at the end of a reply (row 9); flushed
 * and truncated to what the user heard on barge-in or Stop (row 8).
 */
import type { TurnOutcome } from '../../../shared/types';
import { reasons } from '../words';
import { isTerminal, openResponseId, type Step } from './step';
import { stopTools } from './tools';
import type { Effect, TurnState } from './types';

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
  if (t.pendingOutcome && t.responseIds.at(-1) !== openResponseId(ctx.s)) ctx.finishTurn(t, t.pendingOutcome);
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
  let truncate: Effect | null = null;
  for (const prev of s.turns) {
    if (prev.playback !== 'open' && prev.playback !== 'ended') continue;
    const t = ctx.turn(prev.view.id);
    if (!t) continue;
    ctx.emit({ kind: 'flushPlayback', turnId: t.view.id });
    t.playback = 'flushed';
    if (t.audioItemId && playedMs !== null) {
      truncate = {
        kind: 'truncate',
        turnId: t.view.id,
        itemId: t.audioItemId,
        contentIndex: t.audioContentIndex,
        audioEndMs: Math.min(playedMs, t.receivedAudioMs),
      };
    }
    const interrupted: TurnOutcome = { kind: 'interrupted', reason: reasons.interrupted };
    const current = t.responseIds.at(-1);
    if (current && current === openResponseId(s)) t.pendingOutcome = interrupted;
    else if (!isTerminal(t)) ctx.finishTurn(t, interrupted);
  }
  // A reply that was still going to tools (or about to continue after them) is cut short; the turn stays.
  for (const prev of s.turns) {
    if (prev.calls.length === 0 && !prev.followUp) continue;
    const t = ctx.turn(prev.view.id);
    if (!t || isTerminal(t)) continue;
    stopTools(ctx, t);
    t.followUp = false;
    ctx.finishTurn(t, { kind: 'interrupted', reason: reasons.interrupted });
  }
  const cancelled: TurnOutcome = {
    kind: 'cancelled',
    reason: why === 'press' ? reasons.supersededByPress : reasons.stopped,
  };
  if (s.response.phase === 'active') {
    const active = s.response;
    const t = ctx.turnByResponse(active.responseId);
    if (t && !isTerminal(t) && !t.pendingOutcome) t.pendingOutcome = { ...cancelled };
    if (t?.textItemToDelete) t.textItemToDelete = null; // a recovery in flight is abandoned too
    ctx.cancelResponse(active.responseId, active.turnId);
  }
  if (truncate) ctx.emit(truncate);
  const awaiting = s.response.phase === 'requested' ? ctx.turn(s.response.turnId) : null;
  if (awaiting) {
    awaiting.cancelOnCreate = true;
    awaiting.pendingOutcome = { ...cancelled };
  }
}
