/**
 * The per-turn options as the user edits them. Reply-as and the replace option are sent at once;
 * instruction text is sent after a short pause in typing, and `flush()` sends it immediately so a turn
 * started right after typing uses what is in the box. While an edit is unsent or in flight the window
 * shows the edit; otherwise it shows main's value (the `next` event), which keeps window and tray in sync.
 *
 * Instructions that are only blanks are no instructions: main gets "" (so nothing is kept or sent). "Replace
 * session instructions" belongs to the instructions it was ticked for: once a turn has used them up (the box is
 * empty again), new instructions start with it unticked.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { NextTurnOptions } from '../../../shared/types';
import { getBridge } from '../bridge';

const TYPING_PAUSE_MS = 300;

export interface TurnOptionsControl {
  value: NextTurnOptions;
  /** Set when main refused the options (plain words). */
  error: string | null;
  /** `immediate: false` waits for a pause in typing. */
  change(patch: Partial<NextTurnOptions>, immediate?: boolean): void;
  /** Sends a pending edit now; resolves once main has it (or refused it). */
  flush(): Promise<void>;
}

/**
 * Local edits of the next turn's options over main's value. `onConfirmed` receives main's answer so
 * the app state updates in the same render as the edit is dropped (no flicker back to the old value).
 */
export function useTurnOptions(
  fromMain: NextTurnOptions,
  onConfirmed: (options: NextTurnOptions) => void,
): TurnOptionsControl {
  const [edit, setEdit] = useState<NextTurnOptions | null>(null);
  const [error, setError] = useState<string | null>(null);
  const unsent = useRef<NextTurnOptions | null>(null);
  const sending = useRef<NextTurnOptions | null>(null);
  const timer = useRef<number | null>(null);
  const inFlight = useRef<Promise<void>>(Promise.resolve());
  const value = edit ?? fromMain;

  const send = useCallback((): Promise<void> => {
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = null;
    const options = unsent.current;
    if (!options || sending.current === options) return inFlight.current;
    sending.current = options;
    const bridge = getBridge();
    const blank = options.instructions.trim() === '';
    const call = bridge['turn.setNext'](blank ? { ...options, instructions: '' } : options)
      .then((confirmed) => {
        setError(null);
        if (unsent.current === options) {
          unsent.current = null;
          onConfirmed(confirmed);
          setEdit(null);
        }
      })
      .catch((e: unknown) => {
        // Keep the edit on screen so nothing typed is lost; the next change or flush tries again.
        setError(e instanceof Error ? e.message : String(e));
      })
      .finally(() => {
        if (sending.current === options) sending.current = null;
      });
    inFlight.current = call;
    return call;
  }, [onConfirmed]);

  const change = useCallback(
    (patch: Partial<NextTurnOptions>, immediate = true) => {
      const base = unsent.current ?? value;
      const updated = { ...base, ...patch };
      if (
        patch.instructions !== undefined &&
        patch.instructionsMode === undefined &&
        base.instructions.trim() === '' &&
        patch.instructions.trim() !== ''
      )
        updated.instructionsMode = 'append';
      unsent.current = updated;
      setEdit(updated);
      if (timer.current !== null) window.clearTimeout(timer.current);
      if (immediate) void send();
      else timer.current = window.setTimeout(() => void send(), TYPING_PAUSE_MS);
    },
    [send, value],
  );

  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
    },
    [],
  );

  return { value, error, change, flush: send };
}
