/** One turn: what the user said or typed, the reply as it streams, the turn's options, timings, outcome. */
import { memo, useState, type ReactElement } from 'react';
import type { TurnView } from '../../../shared/types';
import { getBridge } from '../bridge';
import { timingParts, turnStatus, userLine } from '../model/format';

const IN_FLIGHT = new Set<TurnView['phase']>(['listening', 'committing', 'queued', 'waiting', 'replying']);
/** Phases where a reply is on its way: the assistant's bubble shows a typing indicator until text arrives. */
const AWAITING_REPLY = new Set<TurnView['phase']>(['waiting', 'replying']);

function RetryButton({ turnId }: { turnId: string }): ReactElement {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const retry = (): void => {
    setBusy(true);
    setError(null);
    const bridge = getBridge();
    bridge['turn.retry']({ turnId })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setBusy(false));
  };
  return (
    <>
      <button type="button" className="button button-small" onClick={retry} disabled={busy}>
        Retry
      </button>
      {error && <span className="turn-retry-error">{error}</span>}
    </>
  );
}

/** A conversation entry; memoised because only the streaming turn changes at delta rate. */
export const TurnItem = memo(function TurnItem({ turn }: { turn: TurnView }): ReactElement {
  const outcome = turn.outcome;
  const inFlight = IN_FLIGHT.has(turn.phase) && !outcome;
  const user = userLine(turn);
  const timings = timingParts(turn);
  // A failed phase without an outcome yet still gets the alert, with a generic reason.
  const failure =
    outcome?.kind === 'failed'
      ? outcome
      : turn.phase === 'failed' && !outcome
        ? { reason: 'The reply failed.', retryable: true }
        : null;
  return (
    <li className="turn">
      <article aria-label={`Turn ${turn.index}`} aria-busy={inFlight}>
        {user && (
          <div
            className={`bubble bubble-user ${turn.input === 'voice' && !turn.userText ? 'bubble-muted' : ''}`}
          >
            <span className="visually-hidden">You: </span>
            {user}
          </div>
        )}
        {(turn.assistantText || (inFlight && AWAITING_REPLY.has(turn.phase))) && (
          <div className="bubble bubble-assistant">
            <span className="visually-hidden">Assistant: </span>
            {turn.assistantText || <span className="typing" aria-label="Waiting for the reply" />}
          </div>
        )}
        <div className="turn-meta">
          <span className="chip">Reply as {turn.replyAs === 'voice' ? 'Voice' : 'Text'}</span>
          {turn.instructions && (
            <span className="chip chip-instructions" title={turn.instructions}>
              {turn.instructionsMode === 'replace' ? 'Instructions (replacing session): ' : 'Instructions: '}
              {turn.instructions}
            </span>
          )}
          {timings.map((part) => (
            <span key={part} className="turn-timing">
              {part}
            </span>
          ))}
          {turn.attempts > 1 && <span className="turn-timing">attempt {turn.attempts}</span>}
          <span className={`turn-status turn-status-${outcome?.kind ?? turn.phase}`}>{turnStatus(turn)}</span>
        </div>
        {failure && (
          <div className="turn-alert" role="alert">
            <span>{failure.reason}</span>
            {failure.retryable && <RetryButton turnId={turn.id} />}
          </div>
        )}
        {outcome?.kind === 'no-audio' && (
          <div className="turn-note">
            <span>
              <strong>No audio returned</strong> — {outcome.reason}
            </span>
            <RetryButton turnId={turn.id} />
          </div>
        )}
        {outcome?.kind === 'interrupted' && <p className="turn-note turn-note-quiet">{outcome.reason}</p>}
        {outcome?.kind === 'cancelled' && (
          <div className="turn-note turn-note-quiet">
            <span>{outcome.reason}</span>
            <RetryButton turnId={turn.id} />
          </div>
        )}
      </article>
    </li>
  );
});
