/**
 * What a turn shows besides its bubbles, decided from its phase and outcome in one place (pure, so every
 * phase and outcome kind is unit-tested; TurnItem only draws the answer).
 */
import type { TurnView } from '../../../shared/types';

const IN_FLIGHT = new Set<TurnView['phase']>(['listening', 'committing', 'queued', 'waiting', 'replying']);

/** At most one note under a turn, each with its own offer (Send/Discard, Retry). */
export type TurnNote =
  | { kind: 'unsent' }
  | { kind: 'failed'; reason: string; retryable: boolean }
  | { kind: 'no-audio'; reason: string }
  | { kind: 'interrupted'; reason: string }
  | { kind: 'cancelled'; reason: string };

/** Still capturing, sending or replying (and not yet given an outcome). */
export function isInFlight(turn: TurnView): boolean {
  return IN_FLIGHT.has(turn.phase) && !turn.outcome;
}

/** The turn's note. An unsent turn's Send does what Retry would, so an older outcome's note is not shown. */
export function turnNote(turn: TurnView): TurnNote | null {
  if (turn.phase === 'unsent') return { kind: 'unsent' };
  const outcome = turn.outcome;
  if (!outcome) {
    // A failed phase without an outcome yet still gets the alert, with a generic reason.
    return turn.phase === 'failed' ? { kind: 'failed', reason: 'The reply failed.', retryable: true } : null;
  }
  switch (outcome.kind) {
    case 'failed':
      return { kind: 'failed', reason: outcome.reason, retryable: outcome.retryable };
    case 'no-audio':
    case 'interrupted':
    case 'cancelled':
      return { kind: outcome.kind, reason: outcome.reason };
    case 'completed':
    case 'ignored':
      return null;
  }
}

/** A turn with no reply yet (queued behind another, waiting for the connection, or requested) can be cancelled. */
export function canCancel(turn: TurnView): boolean {
  return !turn.outcome && (turn.phase === 'queued' || turn.phase === 'waiting');
}

/** "Copy reply" is offered once a reply has text and has stopped streaming. */
export function canCopyReply(turn: TurnView): boolean {
  return turn.assistantText !== '' && !isInFlight(turn);
}

/** The status's style: the outcome's kind, else the phase ("unsent" wins over an older outcome). */
export function statusKind(turn: TurnView): string {
  return turn.phase === 'unsent' ? 'unsent' : (turn.outcome?.kind ?? turn.phase);
}
