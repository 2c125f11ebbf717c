/**
 * The desktop app's "Capture screen" choice: the screens and windows main lists (never Talkie's own), each with a
 * small preview. Picking one grabs a single frame and attaches it; the thumbnail then shows above the message box,
 * so nothing is sent before the user has seen it.
 */
import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { AttachResult } from '../../../shared/contract';
import type { ScreenSource } from '../../../shared/types';
import { getBridge } from '../bridge';
import { CloseIcon } from './icons';

export function ScreenPicker({
  onClose,
  onPicked,
}: {
  onClose(): void;
  onPicked(result: AttachResult): void;
}): ReactElement {
  const dialog = useRef<HTMLDialogElement>(null);
  const [sources, setSources] = useState<ScreenSource[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
    let live = true;
    const bridge = getBridge();
    bridge['screen.sources']({})
      .then((list) => live && setSources(list))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, []);

  const pick = (sourceId: string): void => {
    setBusy(true);
    setError(null);
    const bridge = getBridge();
    bridge['screen.capture']({ sourceId })
      .then(onPicked)
      .catch((e: unknown) => {
        setError(e instanceof Error ? e.message : String(e));
        setBusy(false);
      });
  };

  return (
    <dialog
      ref={dialog}
      className="dialog screen-picker"
      aria-labelledby="screen-picker-title"
      onClose={onClose}
    >
      <div className="dialog-form">
        <header className="dialog-header">
          <h2 id="screen-picker-title">Capture screen</h2>
          <button type="button" className="icon-button" aria-label="Close dialog" onClick={onClose}>
            <CloseIcon />
          </button>
        </header>
        <div className="dialog-body">
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
          {sources === null && !error && <p className="field-hint">Looking for screens and windows…</p>}
          {sources?.length === 0 && <p className="field-hint">No screen or window can be captured.</p>}
          <ul className="screen-sources">
            {sources?.map((source) => (
              <li key={source.id}>
                <button
                  type="button"
                  className="screen-source"
                  disabled={busy}
                  onClick={() => pick(source.id)}
                >
                  <img src={source.thumbnail} alt="" />
                  <span>
                    {source.kind === 'screen' ? 'Screen: ' : 'Window: '}
                    {source.name}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </dialog>
  );
}
