/**
 * Typed turns: Enter sends, Shift+Enter adds a line; a failed send keeps the text. The box grows with what is
 * typed (up to a limit, then it scrolls). While Talkie cannot be reached, Send is off and says why.
 */
import { useState, type FormEvent, type KeyboardEvent, type ReactElement } from 'react';
import { getBridge } from '../bridge';

export interface ComposerProps {
  /** Sends pending per-turn options first, so the message uses what the user sees. */
  beforeSend(): Promise<void>;
  /** Why nothing can be sent right now (plain words), or null. */
  unavailable?: string | null;
}

/** The message box and its Send button. */
export function Composer({ beforeSend, unavailable = null }: ComposerProps): ReactElement {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const send = async (): Promise<void> => {
    if (sending || unavailable) return;
    if (text.trim() === '') {
      setError('Type a message first');
      return;
    }
    setSending(true);
    setError(null);
    const sent = text;
    try {
      await beforeSend();
      await getBridge()['message.send']({ text: sent });
      // Only clear what was sent: anything typed meanwhile stays.
      setText((current) => (current === sent ? '' : current));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setSending(false);
    }
  };

  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    void send();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  return (
    <form className="composer" onSubmit={onSubmit} noValidate>
      <label className="field-label" htmlFor="message">
        Message
      </label>
      <div className="composer-row">
        <textarea
          id="message"
          className="input composer-input"
          rows={2}
          placeholder="Type a message…"
          value={text}
          aria-describedby={error ? 'message-error' : unavailable ? 'message-unavailable' : 'message-hint'}
          aria-invalid={error ? true : undefined}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <button
          type="submit"
          className="button button-primary"
          disabled={sending || unavailable !== null}
          aria-describedby={unavailable ? 'message-unavailable' : undefined}
        >
          Send
        </button>
      </div>
      {unavailable && !error ? (
        <p id="message-unavailable" className="field-hint field-hint-warning">
          {unavailable}
        </p>
      ) : error ? (
        <p id="message-error" className="field-error" role="alert">
          {error}
        </p>
      ) : (
        <p id="message-hint" className="field-hint">
          Enter to send · Shift+Enter for a new line
        </p>
      )}
    </form>
  );
}
