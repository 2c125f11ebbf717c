/**
 * The Conversations list (navigation landmark "Conversations"): newest first, the open one marked
 * current, "New conversation", and full-text search whose hits show the matching words highlighted.
 */
import { useEffect, useId, useState, type KeyboardEvent, type ReactElement } from 'react';
import type { ConversationHit } from '../../../shared/types';
import { getBridge } from '../bridge';
import { useNow } from '../hooks/useNow';
import { conversationTime, conversationTitle, turnCountLabel } from '../model/format';
import type { Shortcut } from '../model/shortcut';
import type { ListedConversation } from '../model/state';
import { PlusIcon } from './icons';
import { SnippetText } from './SnippetText';

/** Typing pauses this long before a search is sent. */
const SEARCH_DEBOUNCE_MS = 250;

export interface ConversationsPanelProps {
  /** Newest first, the open one included (see listedConversations). */
  conversations: readonly ListedConversation[];
  openId: string | null;
  /** The new-conversation shortcut, for the button's tooltip and aria-keyshortcuts. */
  shortcut: Shortcut;
  onNew(): void;
  onOpen(id: string): void;
  /** Escape inside the panel (the narrow layout closes it). */
  onEscape(): void;
}

type Search = { query: string; hits: ConversationHit[] } | { query: string; error: string };

/**
 * Debounced `conversation.list {query}`, re-run when the list changes so hits follow renames and deletes.
 * Returns the newest answer (possibly for an earlier query, shown while the next one is on its way).
 */
function useSearch(query: string, conversations: readonly ListedConversation[]): Search | null {
  const [result, setResult] = useState<Search | null>(null);
  useEffect(() => {
    if (query === '') return;
    let live = true;
    const timer = window.setTimeout(() => {
      const bridge = getBridge();
      bridge['conversation.list']({ query })
        .then((list) => {
          // With a query main answers hits; an entry without a snippet still shows, just without one.
          if (live) setResult({ query, hits: list.map((c) => ({ snippet: '', ...c })) });
        })
        .catch((e: unknown) => {
          if (live) setResult({ query, error: e instanceof Error ? e.message : String(e) });
        });
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [query, conversations]);
  return query === '' ? null : result;
}

/** What the status line says once this query's answer is in (nothing while it is on its way). */
function searchStatus(query: string, search: Search | null): string {
  if (!search || search.query !== query) return '';
  if ('error' in search) return `Could not search: ${search.error}`;
  const n = search.hits.length;
  if (n === 0) return `No conversations match “${query}”`;
  return n === 1 ? '1 conversation found' : `${n} conversations found`;
}

interface EntryProps {
  conversation: ListedConversation;
  snippet?: string | undefined;
  current: boolean;
  now: number;
  onOpen(id: string): void;
}

/** One conversation: named by its title only; the time, size and snippet describe it. */
function Entry({ conversation, snippet, current, now, onOpen }: EntryProps): ReactElement {
  const id = useId();
  return (
    <li>
      <button
        type="button"
        className="conv-entry"
        data-conversation-entry=""
        aria-current={current ? 'true' : undefined}
        aria-labelledby={`${id}-title`}
        aria-describedby={snippet ? `${id}-meta ${id}-snippet` : `${id}-meta`}
        onClick={() => onOpen(conversation.id)}
      >
        <span id={`${id}-title`} className="conv-entry-title">
          {conversationTitle(conversation.title)}
        </span>
        <span id={`${id}-meta`} className="conv-entry-meta">
          {conversation.updatedAt === undefined
            ? turnCountLabel(conversation.turnCount)
            : `${conversationTime(conversation.updatedAt, now)} · ${turnCountLabel(conversation.turnCount)}`}
        </span>
        {snippet && (
          <span id={`${id}-snippet`} className="conv-entry-snippet">
            <SnippetText snippet={snippet} />
          </span>
        )}
      </button>
    </li>
  );
}

/** Up/Down/Home/End move between entries (Tab still reaches each one). */
function onListKey(event: KeyboardEvent<HTMLUListElement>): void {
  const entries = [...event.currentTarget.querySelectorAll<HTMLElement>('[data-conversation-entry]')];
  const at = entries.indexOf(event.target as HTMLElement);
  if (at < 0) return;
  const to =
    event.key === 'ArrowDown'
      ? at + 1
      : event.key === 'ArrowUp'
        ? at - 1
        : event.key === 'Home'
          ? 0
          : event.key === 'End'
            ? entries.length - 1
            : null;
  if (to === null || to < 0 || to >= entries.length) return;
  event.preventDefault();
  entries[to]?.focus();
}

/** The left-hand panel. */
export function ConversationsPanel(props: ConversationsPanelProps): ReactElement {
  const { conversations, openId, shortcut, onNew, onOpen, onEscape } = props;
  const [text, setText] = useState('');
  const query = text.trim();
  const search = useSearch(query, conversations);
  // Minute resolution is enough for "13:05" / "Yesterday".
  const now = useNow(true, 60_000);

  const status = searchStatus(query, search);
  const pending = query !== '' && search?.query !== query;
  // While a search is on its way the previous hits stay (or the whole list, before the first answer).
  const shown: ReadonlyArray<ListedConversation | ConversationHit> =
    search && 'hits' in search ? search.hits : search ? [] : conversations;

  return (
    <nav
      id="conversations"
      className="conv-panel"
      aria-label="Conversations"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented) onEscape();
      }}
    >
      <div className="conv-panel-top">
        <button
          type="button"
          className="button button-primary conv-new"
          aria-keyshortcuts={shortcut.aria}
          title={`New conversation (${shortcut.label})`}
          onClick={onNew}
        >
          <PlusIcon /> New conversation
        </button>
        <input
          type="search"
          className="input input-small"
          aria-label="Search conversations"
          placeholder="Search conversations…"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            // Escape empties the search first; a second Escape reaches the panel.
            if (e.key === 'Escape' && text !== '') {
              e.preventDefault();
              setText('');
            }
          }}
        />
      </div>
      <p className="conv-search-status" role="status">
        {status}
      </p>
      {query === '' && conversations.length === 0 ? (
        <p className="conv-empty">No conversations yet.</p>
      ) : (
        <ul className="conv-list" onKeyDown={onListKey} aria-busy={pending}>
          {shown.map((c) => (
            <Entry
              key={c.id}
              conversation={c}
              snippet={'snippet' in c ? c.snippet : undefined}
              current={c.id === openId}
              now={now}
              onOpen={onOpen}
            />
          ))}
        </ul>
      )}
    </nav>
  );
}
