/**
 * The conversation: one entry per turn. It follows the newest text while the user is at the bottom; once they
 * scroll up it stays where they are and offers "Jump to latest". A new turn (the user just talked or typed)
 * brings it back to the bottom.
 */
import { useEffect, useLayoutEffect, useRef, useState, type ReactElement } from 'react';
import type { TurnView } from '../../../shared/types';
import type { PriceTable } from '../../../shared/usage';
import { TurnItem } from './TurnItem';

/** Within this many pixels of the bottom counts as "following" the conversation. */
const FOLLOW_SLACK_PX = 48;

export interface ConversationProps {
  turns: readonly TurnView[];
  /** The page cannot reach Talkie (browser mode's server is gone). */
  lost: boolean;
  /** The server connection is down: queued turns wait for it. */
  offline: boolean;
  /** Prices for each turn's cost estimate (Settings); absent: the published defaults. */
  prices?: Readonly<PriceTable> | undefined;
}

/** Role log: assistive tech announces new entries politely. */
export function Conversation({ turns, lost, offline, prices }: ConversationProps): ReactElement {
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLElement>(null);
  const following = useRef(true);
  const [atBottom, setAtBottom] = useState(true);
  const count = useRef(turns.length);

  const toBottom = (): void => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  };

  // Opening another conversation remounts this (App keys it by id): it starts at the newest turn.
  useLayoutEffect(() => {
    // The scroll this causes tells onScroll the view is at the bottom again (and hides Jump to latest).
    if (turns.length > count.current) following.current = true;
    count.current = turns.length;
    if (following.current) toBottom();
  }, [turns]);

  // Growth that is not a new turn event (Show more, fonts, a narrower window) keeps a follower at the bottom.
  useEffect(() => {
    const inner = content.current;
    if (!inner) return;
    const observer = new ResizeObserver(() => {
      if (following.current) toBottom();
    });
    observer.observe(inner);
    return () => observer.disconnect();
  }, []);

  const stopFollowing = (): void => {
    following.current = false;
    setAtBottom(false);
  };

  return (
    <div
      ref={scroller}
      className="conversation"
      onScroll={(e) => {
        const el = e.currentTarget;
        const near = el.scrollHeight - el.scrollTop - el.clientHeight < FOLLOW_SLACK_PX;
        following.current = near;
        setAtBottom(near);
      }}
      // Scrolling up is the user's wish at once, before the scroll event: a delta arriving in between must not
      // pull the view back down.
      onWheel={(e) => {
        if (e.deltaY < 0) stopFollowing();
      }}
      onKeyDown={(e) => {
        if (e.key === 'PageUp' || e.key === 'ArrowUp' || e.key === 'Home') stopFollowing();
      }}
    >
      <section ref={content} role="log" aria-label="Conversation" className="conversation-inner">
        {turns.length === 0 ? (
          <div className="empty">
            <p className="empty-title">Ready when you are</p>
            <p>Hold the button below (or Space) and speak, or type a message.</p>
          </div>
        ) : (
          <ol className="turns">
            {turns.map((turn) => (
              <TurnItem
                key={turn.id}
                turn={turn}
                lost={lost}
                offline={offline}
                {...(prices ? { prices } : {})}
              />
            ))}
          </ol>
        )}
      </section>
      {!atBottom && turns.length > 0 && (
        <div className="jump-latest">
          <button
            type="button"
            className="button button-small jump-latest-button"
            onClick={() => {
              following.current = true;
              setAtBottom(true);
              toBottom();
            }}
          >
            Jump to latest
          </button>
        </div>
      )}
    </div>
  );
}
