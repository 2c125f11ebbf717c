/**
 * Typed turns: Enter sends, Shift+Enter adds a line; a failed send keeps the text. The box grows with what is
 * typed (up to a limit, then it scrolls). While Talkie cannot be reached, Send is off and says why.
 *
 * Images for the next turn (voice or typed) are attached here: paste, drop, Attach image, or Capture screen. They
 * show as thumbnails above the box until the turn takes them; nothing is captured or sent without being shown.
 */
import {
  useEffect,
  useRef,
  useState,
  type DragEvent,
  type FormEvent,
  type KeyboardEvent,
  type ReactElement,
} from 'react';
import type { ImageRef } from '../../../shared/types';
import type { AttachResult } from '../../../shared/contract';
import { getBridge } from '../bridge';
import { blobToBase64, grabScreenFrame, imageFiles, readableImage, tooBig } from '../dom/images';
import { ImageThumb } from './ImageThumb';
import { ScreenPicker } from './ScreenPicker';

export interface ComposerProps {
  /** Sends pending per-turn options first, so the message uses what the user sees. */
  beforeSend(): Promise<void>;
  /** Why nothing can be sent right now (plain words), or null. */
  unavailable?: string | null;
  /** Images attached to the next turn, in order. */
  attachments?: readonly ImageRef[];
  /** Browser mode captures with getDisplayMedia; the desktop app lists screens and windows itself. */
  shell?: 'electron' | 'browser';
  /** Bumped when the tray's "Capture screen…" asks for a capture. */
  captureRequest?: number;
}

/** "1 image goes with your next turn": what the pending indicator says. */
export function attachmentsNote(count: number): string {
  return `${count} image${count === 1 ? '' : 's'} will go with your next turn (spoken or typed)`;
}

/** The message box and its Send button. */
export function Composer({
  beforeSend,
  unavailable = null,
  attachments = [],
  shell = 'browser',
  captureRequest = 0,
}: ComposerProps): ReactElement {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [attaching, setAttaching] = useState(0);
  const [picking, setPicking] = useState(false);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  /** Attaching still under way: a message sent meanwhile waits for it, so the picture goes with it. */
  const attachingNow = useRef<Promise<void>>(Promise.resolve());

  const settle = (result: AttachResult): void => {
    if (!result.ok) setError(result.reason);
  };

  /** Each file in turn, in the order given (the order they are shown and sent). */
  const attach = (blobs: readonly Blob[], source: ImageRef['source']): Promise<void> => {
    const run = attachingNow.current.then(() => attachAll(blobs, source));
    attachingNow.current = run;
    return run;
  };

  const attachAll = async (blobs: readonly Blob[], source: ImageRef['source']): Promise<void> => {
    if (blobs.length === 0) return;
    setError(null);
    setAttaching((n) => n + 1);
    try {
      for (const blob of blobs) {
        const big = tooBig(blob.size);
        if (big) {
          setError(big);
          continue;
        }
        const data = await blobToBase64(await readableImage(blob));
        settle(await getBridge()['image.attach']({ data, source }));
      }
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setAttaching((n) => n - 1);
    }
  };

  const captureScreen = async (): Promise<void> => {
    setError(null);
    if (shell === 'electron') {
      setPicking(true);
      return;
    }
    try {
      const frame = await grabScreenFrame();
      if (frame) await attach([frame], 'screen');
    } catch (e) {
      setError(`The screen could not be captured: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  // Browser mode: a global key (Capture screen, or push-to-talk with the capture modifier) asks for a frame; only
  // the page can capture here. Main attaches what it gets (shown above the box) and says in a notice what failed.
  useEffect(() => {
    if (shell !== 'browser') return;
    const bridge = getBridge();
    return bridge.on('capture.request', ({ requestId }) => {
      const answer = async (): Promise<void> => {
        try {
          const frame = await grabScreenFrame();
          const big = frame ? tooBig(frame.size) : null;
          if (big) await bridge['screen.frame']({ requestId, error: big });
          else if (frame) await bridge['screen.frame']({ requestId, data: await blobToBase64(frame) });
          else await bridge['screen.frame']({ requestId });
        } catch (e) {
          const reason = e instanceof Error ? e.message : String(e);
          await bridge['screen.frame']({ requestId, error: reason });
        }
      };
      answer().catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    });
  }, [shell]);

  // The tray's "Capture screen…" (desktop): the same as the button, so its picker opens here. Adjusted while
  // rendering, as React advises for state that follows a prop.
  const [seenCapture, setSeenCapture] = useState(captureRequest);
  if (captureRequest !== seenCapture) {
    setSeenCapture(captureRequest);
    setError(null);
    if (shell === 'electron') setPicking(true);
  }

  const remove = (id: string): void => {
    const bridge = getBridge();
    bridge['image.remove']({ id }).catch((e: unknown) =>
      setError(e instanceof Error ? e.message : String(e)),
    );
  };

  const onDrop = (e: DragEvent): void => {
    setDragging(false);
    if (!Array.from(e.dataTransfer.types).includes('Files')) return; // dropped text goes into the box
    // A dropped file never opens in place of the window.
    e.preventDefault();
    const files = imageFiles(e.dataTransfer);
    if (files.length === 0) setError('Only images can be attached.');
    else void attach(files, 'file');
  };

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
      await attachingNow.current;
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
    <form
      className={`composer${dragging ? ' composer-drop' : ''}`}
      onSubmit={onSubmit}
      noValidate
      onDragOver={(e) => {
        if (!Array.from(e.dataTransfer.types).includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <label className="field-label" htmlFor="message">
        Message
      </label>
      {(attachments.length > 0 || attaching > 0) && (
        <div className="attachments">
          <ul className="attachment-list" aria-label="Attached images">
            {attachments.map((image) => (
              <li key={image.id} className="attachment">
                <ImageThumb image={image} alt="Attached image" max={56} />
                <button
                  type="button"
                  className="button button-small button-quiet attachment-remove"
                  aria-label="Remove image"
                  title="Remove image"
                  onClick={() => remove(image.id)}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
          <p className="field-hint attachment-note" role="status">
            {attaching > 0 ? 'Attaching image…' : attachmentsNote(attachments.length)}
          </p>
        </div>
      )}
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
          onPaste={(e) => {
            const files = imageFiles(e.clipboardData);
            if (files.length === 0) return; // text pastes as text
            e.preventDefault();
            void attach(files, 'paste');
          }}
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
      <div className="composer-footer">
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
        <div className="composer-tools">
          <button
            type="button"
            className="button button-small button-quiet composer-tool"
            onClick={() => fileInput.current?.click()}
          >
            Attach image
          </button>
          <button
            type="button"
            className="button button-small button-quiet composer-tool"
            onClick={() => void captureScreen()}
          >
            Capture screen
          </button>
          <input
            ref={fileInput}
            type="file"
            accept="image/*"
            multiple
            hidden
            aria-label="Image files"
            onChange={(e) => {
              const files = Array.from(e.target.files ?? []);
              e.target.value = ''; // the same file can be chosen again
              void attach(files, 'file');
            }}
          />
        </div>
      </div>
      {picking && (
        <ScreenPicker
          onClose={() => setPicking(false)}
          onPicked={(result) => {
            setPicking(false);
            settle(result);
          }}
        />
      )}
    </form>
  );
}
