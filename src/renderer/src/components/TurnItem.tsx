/** One turn: what the user said or typed, the reply as it streams, the turn's options, timings, outcome. */
import { ToolCalls } from './ToolCalls';
import { memo, useEffect, useId, useState, type ReactElement } from 'react';
import type { TurnView } from '../../../shared/types';
import { DEFAULT_PRICES, totalUsage, usageLine, type PriceTable } from '../../../shared/usage';
import { getBridge } from '../bridge';
import { copyText } from '../dom/clipboard';
import {
  attemptLabel,
  timingParts,
  turnStatus,
  UNSENT_NOTE,
  userLine,
  type TurnContext,
} from '../model/format';
import { canCancel, canCopyReply, isInFlight, statusKind, turnNote } from '../model/turn';
import { CopyIcon } from './icons';
import { ReplyText } from './ReplyText';
import { ImageThumb } from './ImageThumb';

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

/** Cancels a turn that has no reply yet (queued, waiting for the connection, or requested). */
function CancelButton({ turnId }: { turnId: string }): ReactElement {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const cancel = (): void => {
    setBusy(true);
    setError(null);
    const bridge = getBridge();
    bridge['turn.cancel']({ turnId })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setBusy(false));
  };
  return (
    <>
      <button type="button" className="button button-small" onClick={cancel} disabled={busy}>
        Cancel
      </button>
      {error && <span className="turn-retry-error">{error}</span>}
    </>
  );
}

/** How long "Copied" shows before the button reads "Copy reply" again. */
const COPIED_MS = 2000;

/** Copies the reply's text; the button says "Copied" for a moment (and a live region says it aloud). */
function CopyReplyButton({ text }: { text: string }): ReactElement {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  useEffect(() => {
    if (!copied) return;
    const timer = window.setTimeout(() => setCopied(null), COPIED_MS);
    return () => window.clearTimeout(timer);
  }, [copied]);
  return (
    <>
      <button
        type="button"
        className="button button-small button-quiet turn-copy"
        onClick={() => void copyText(text).then((ok) => setCopied(ok ? 'yes' : 'failed'))}
      >
        <CopyIcon />
        {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Could not copy' : 'Copy reply'}
      </button>
      <span className="visually-hidden" aria-live="polite">
        {copied === 'yes' ? 'Reply copied to the clipboard' : ''}
      </span>
    </>
  );
}

/** Send or Discard a turn Talkie could not answer before it last closed. */
function UnsentActions({ turnId, describedBy }: { turnId: string; describedBy: string }): ReactElement {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = (command: 'turn.send' | 'turn.discard'): void => {
    setBusy(true);
    setError(null);
    const bridge = getBridge();
    bridge[command]({ turnId })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setBusy(false));
  };
  return (
    <>
      <button
        type="button"
        className="button button-small button-primary"
        aria-describedby={describedBy}
        disabled={busy}
        onClick={() => run('turn.send')}
      >
        Send
      </button>
      <button
        type="button"
        className="button button-small"
        aria-describedby={describedBy}
        disabled={busy}
        onClick={() => run('turn.discard')}
      >
        Discard
      </button>
      {error && <span className="turn-retry-error">{error}</span>}
    </>
  );
}

/** A conversation entry; memoised because only the streaming turn changes at delta rate. */
export const TurnItem = memo(function TurnItem({
  turn,
  lost = false,
  offline = false,
  prices = DEFAULT_PRICES,
}: {
  turn: TurnView;
  /** The price table in force (Settings), for the turn's cost estimate. */
  prices?: Readonly<PriceTable>;
} & TurnContext): ReactElement {
  const unsentId = useId();
  // While the page cannot reach Talkie nothing about a turn in flight is known: no typing dots, no "Replying…".
  const inFlight = isInFlight(turn) && !lost;
  const attempt = attemptLabel(turn);
  const note = turnNote(turn);
  const user = userLine(turn);
  const timings = timingParts(turn);
  return (
    <li className="turn">
      <article aria-label={`Turn ${turn.index}`} aria-busy={inFlight}>
        {turn.images && turn.images.length > 0 && (
          <ul className="turn-images" aria-label="Images you sent">
            {turn.images.map((image) => (
              <li key={image.id}>
                <ImageThumb image={image} alt={`Sent image, ${image.width}×${image.height}`} max={160} />
              </li>
            ))}
          </ul>
        )}
        {user && (
          <div
            className={`bubble bubble-user ${turn.input === 'voice' && !turn.userText ? 'bubble-muted' : ''}`}
          >
            <span className="visually-hidden">You: </span>
            {user}
          </div>
        )}
        {turn.tools && turn.tools.length > 0 && <ToolCalls calls={turn.tools} />}
        {(turn.assistantText || (inFlight && AWAITING_REPLY.has(turn.phase))) && (
          <div className="bubble bubble-assistant">
            <span className="visually-hidden">Assistant: </span>
            {turn.assistantText ? (
              <ReplyText text={turn.assistantText} />
            ) : (
              <span className="typing" aria-label="Waiting for the reply" />
            )}
          </div>
        )}
        <div className="turn-meta">
          {canCopyReply(turn) && <CopyReplyButton text={turn.assistantText} />}
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
          {attempt && <span className="turn-timing">{attempt}</span>}
          {turn.usage && (
            <span
              className="turn-timing turn-usage"
              title={`Estimated from the tokens the server reported (${turn.usage.model}); prices in Settings`}
            >
              {usageLine(totalUsage([turn.usage], prices))}
            </span>
          )}
          <span className={`turn-status turn-status-${lost && isInFlight(turn) ? 'lost' : statusKind(turn)}`}>
            {turnStatus(turn, { lost, offline })}
          </span>
          {inFlight && canCancel(turn) && <CancelButton turnId={turn.id} />}
        </div>
        {note?.kind === 'unsent' && (
          <div className="turn-note">
            <span id={unsentId}>{UNSENT_NOTE}</span>
            <UnsentActions turnId={turn.id} describedBy={unsentId} />
          </div>
        )}
        {note?.kind === 'failed' && (
          <div className="turn-alert" role="alert">
            <span>{note.reason}</span>
            {note.retryable && <RetryButton turnId={turn.id} />}
          </div>
        )}
        {note?.kind === 'no-audio' && (
          <div className="turn-note">
            <span>
              <strong>No audio returned</strong> — {note.reason}
            </span>
            <RetryButton turnId={turn.id} />
          </div>
        )}
        {note?.kind === 'interrupted' && <p className="turn-note turn-note-quiet">{note.reason}</p>}
        {note?.kind === 'cancelled' && (
          <div className="turn-note turn-note-quiet">
            <span>{note.reason}</span>
            <RetryButton turnId={turn.id} />
          </div>
        )}
      </article>
    </li>
  );
});
