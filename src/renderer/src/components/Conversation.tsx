/** The conversation: one entry per turn, kept scrolled to the newest unless the user scrolled up. */
import { useLayoutEffect, useRef, type ReactElement } from 'react';
import type { TurnView } from '../../../shared/types';
import { TurnItem } from './TurnItem';

/** Within this many pixels of the bottom counts as "following" the conversation. */
const FOLLOW_SLACK_PX = 80;

export interface ConversationProps {
  /** The open conversation: opening another starts at its newest turn again. */
  conversationId: string | null;
  turns: readonly TurnView[];
}

/** Role log: assistive tech announces new entries politely. */
export function Conversation({ conversationId, turns }: ConversationProps): ReactElement {
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);

  useLayoutEffect(() => {
    following.current = true;
  }, [conversationId]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && following.current) el.scrollTop = el.scrollHeight;
  }, [turns]);

  return (
    <div
      ref={scroller}
      className="conversation"
      onScroll={(e) => {
        const el = e.currentTarget;
        following.current = el.scrollHeight - el.scrollTop - el.clientHeight < FOLLOW_SLACK_PX;
      }}
    >
      <section role="log" aria-label="Conversation" className="conversation-inner">
        {turns.length === 0 ? (
          <div className="empty">
            <p className="empty-title">Ready when you are</p>
            <p>Hold the button below (or Space) and speak, or type a message.</p>
          </div>
        ) : (
          <ol className="turns">
            {turns.map((turn) => (
              <TurnItem key={turn.id} turn={turn} />
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
