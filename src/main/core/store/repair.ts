/**
 * Turns a killed Talkie left in flight. A turn is saved as it progresses, so after a crash or a kill the database
 * may hold one still "listening", "waiting" or "replying" that no process will ever finish; shown as is, it would
 * spin forever. Nothing the user said or heard is dropped: a turn that never got an answer waits to be sent, and
 * a reply that was coming in keeps what had arrived.
 */
import type { TurnPhase, TurnView } from '../../../shared/types';

/** Phases of a turn that is still in progress. */
export const IN_FLIGHT_PHASES: readonly TurnPhase[] = [
  'listening',
  'committing',
  'queued',
  'waiting',
  'replying',
];

/** Why a reply stopped short, as shown on the turn. */
export const CLOSED_REASON = 'Talkie closed before this reply finished.';

/**
 * The settled form of a turn found in flight at start-up, or null when it needs nothing. No answer started (no
 * assistant text, no response requested) → 'unsent', to Send or Discard; otherwise → 'done', interrupted, keeping
 * the partial text.
 */
export function settleTurn(view: TurnView, hasResponses: boolean): TurnView | null {
  if (!IN_FLIGHT_PHASES.includes(view.phase)) return null;
  if (view.assistantText.trim() === '' && !hasResponses) {
    const { outcome: _dropped, ...rest } = view;
    return { ...rest, phase: 'unsent' };
  }
  return { ...view, phase: 'done', outcome: { kind: 'interrupted', reason: CLOSED_REASON } };
}

/** The notice for what settleTurn changed, or null when nothing was. */
export function repairNotice(unsent: number, cutShort: number): string | null {
  const total = unsent + cutShort;
  if (total === 0) return null;
  const parts: string[] = [];
  if (unsent > 0) parts.push(`${unsent} not sent yet (Send or Discard ${unsent === 1 ? 'it' : 'them'})`);
  if (cutShort > 0)
    parts.push(`${cutShort} with ${cutShort === 1 ? 'its reply' : 'their replies'} cut short`);
  return total === 1
    ? `1 unfinished turn from last time was kept: ${parts.join('')}.`
    : `${total} unfinished turns from last time were kept: ${parts.join(', ')}.`;
}
