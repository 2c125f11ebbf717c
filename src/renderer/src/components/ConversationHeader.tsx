/**
 * Above the open conversation: its name (renamed in place: Enter saves, Escape cancels), and Export and
 * Delete. Each button shows a short word; its full name ("Rename conversation") is what assistive tech reads.
 */
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { conversationTitle } from '../model/format';
import type { OpenConversationRef } from '../model/state';
import { DownloadIcon, PencilIcon, TrashIcon } from './icons';

export interface ConversationHeaderProps {
  conversation: OpenConversationRef | null;
  /** The open conversation's tokens and estimated cost, e.g. "1,234 tokens · $0.012"; null before any reply. */
  cost?: string | null;
  /** Rejects with the reason to show beside the name field. */
  onRename(title: string): Promise<void>;
  onExport(): void;
  onDelete(): void;
}

function RenameField({
  title,
  onSave,
  onDone,
}: {
  title: string;
  onSave(title: string): Promise<void>;
  /** `keyboard`: the edit ended with Enter or Escape, so focus goes back to the Rename button. */
  onDone(keyboard: boolean): void;
}): ReactElement {
  const [draft, setDraft] = useState(title);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  // Set once the edit has ended, so the blur that follows Enter/Escape does not save a second time.
  const ended = useRef(false);

  const save = async (keyboard: boolean): Promise<void> => {
    if (ended.current || saving) return;
    const next = draft.trim();
    if (next === title.trim()) {
      ended.current = true;
      onDone(keyboard);
      return;
    }
    if (next === '') {
      // Leaving an emptied field keeps the old name; Enter says what is missing.
      if (!keyboard) {
        ended.current = true;
        onDone(false);
      } else setError('Give it a name');
      return;
    }
    setSaving(true);
    try {
      await onSave(next);
      ended.current = true;
      onDone(keyboard);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setSaving(false);
    }
  };

  return (
    <form
      className="conv-rename"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save(true);
      }}
    >
      <input
        className="input input-small"
        aria-label="Conversation name"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'conv-rename-error' : undefined}
        maxLength={200}
        autoFocus
        value={draft}
        readOnly={saving}
        onFocus={(e) => e.currentTarget.select()}
        onChange={(e) => {
          setDraft(e.target.value);
          setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key !== 'Escape') return;
          // Escape cancels the rename only: it must not also close a panel around it.
          e.preventDefault();
          e.stopPropagation();
          ended.current = true;
          onDone(true);
        }}
        onBlur={() => void save(false)}
      />
      {error && (
        <span id="conv-rename-error" className="field-error">
          {error}
        </span>
      )}
    </form>
  );
}

/** The header strip of the main column; keyed by conversation, so an edit never outlives a switch. */
export function ConversationHeader({
  conversation,
  cost = null,
  onRename,
  onExport,
  onDelete,
}: ConversationHeaderProps): ReactElement {
  const [editing, setEditing] = useState(false);
  // Set when an edit ended from the keyboard: focus goes back to the Rename button once it is drawn again.
  const refocus = useRef(false);
  const renameButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (editing || !refocus.current) return;
    refocus.current = false;
    renameButton.current?.focus();
  }, [editing]);

  const title = conversation ? conversationTitle(conversation.title) : '';
  return (
    <header className="conv-header">
      {editing && conversation ? (
        <RenameField
          title={conversation.title}
          onSave={onRename}
          onDone={(keyboard) => {
            refocus.current = keyboard;
            setEditing(false);
          }}
        />
      ) : (
        <h2 className="conv-title" title={title}>
          {title}
        </h2>
      )}
      <p
        role="status"
        aria-label="Session cost"
        className="conv-cost"
        title="Estimated from the tokens the server reported for this conversation; prices in Settings"
      >
        {cost ?? 'No cost yet'}
      </p>
      <div className="conv-actions">
        {!editing && (
          <button
            ref={renameButton}
            type="button"
            className="button button-small button-quiet"
            disabled={!conversation}
            onClick={() => setEditing(true)}
          >
            <PencilIcon />
            Rename
            <span className="visually-hidden"> conversation</span>
          </button>
        )}
        <button
          type="button"
          className="button button-small button-quiet"
          disabled={!conversation}
          onClick={onExport}
        >
          <DownloadIcon />
          Export
          <span className="visually-hidden"> conversation</span>
        </button>
        <button
          type="button"
          className="button button-small button-quiet"
          disabled={!conversation}
          onClick={onDelete}
        >
          <TrashIcon />
          Delete
          <span className="visually-hidden"> conversation</span>
        </button>
      </div>
    </header>
  );
}
