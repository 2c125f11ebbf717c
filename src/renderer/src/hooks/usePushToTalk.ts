/**
 * Hold-to-talk from the pointer and from Space. A press is sent once and its release always follows
 * it in order (even when the press waited for pending turn options). Presses under 100 ms show
 * "Hold to talk"; the core ignores them too.
 */
import { useCallback, useEffect, useRef, useState, type PointerEvent } from 'react';
import type { TalkSource } from '../../../shared/types';
import { getBridge } from '../bridge';

/** Presses shorter than this are taps, not speech (the core clears the buffer instead of committing). */
export const MIN_PRESS_MS = 100;
const HINT_MS = 4000;

/** Marks the push-to-talk button so Space on it still talks while Space on other controls does not. */
export const PTT_ATTRIBUTE = 'data-push-to-talk';

/** True when Space belongs to the focused element: typing, or activating another control. */
export function spaceBelongsTo(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.closest(`[${PTT_ATTRIBUTE}]`)) return false;
  if (target.isContentEditable) return true;
  return (
    target.closest('input, textarea, select, button, a[href], summary, [role="button"], [role="radio"]') !==
    null
  );
}

export interface PushToTalk {
  pressed: boolean;
  /** "Hold to talk" after a tap, or why a press/release failed. */
  hint: string | null;
  buttonProps: {
    [PTT_ATTRIBUTE]: '';
    onPointerDown(event: PointerEvent<HTMLButtonElement>): void;
    onPointerUp(event: PointerEvent<HTMLButtonElement>): void;
    onPointerCancel(): void;
    onLostPointerCapture(): void;
    onContextMenu(event: { preventDefault(): void }): void;
  };
}

/** Wires pointer and Space to talk.press / talk.release. `beforePress` flushes the turn options. */
export function usePushToTalk(beforePress: () => Promise<void>): PushToTalk {
  const [pressed, setPressed] = useState(false);
  const [hint, setHint] = useState<string | null>(null);
  const held = useRef<{ source: TalkSource; at: number } | null>(null);
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const hintTimer = useRef<number | null>(null);

  const showHint = useCallback((text: string) => {
    setHint(text);
    if (hintTimer.current !== null) window.clearTimeout(hintTimer.current);
    hintTimer.current = window.setTimeout(() => setHint(null), HINT_MS);
  }, []);

  const report = useCallback(
    (e: unknown) => showHint(e instanceof Error ? e.message : String(e)),
    [showHint],
  );

  // `at` is the input event's own time (same clock as performance.now()): a busy page handles events late, but a
  // tap is still a tap.
  const press = useCallback(
    (source: TalkSource, at: number = performance.now()) => {
      if (held.current) return;
      held.current = { source, at };
      setPressed(true);
      setHint(null);
      chain.current = beforePress()
        .then(() => getBridge()['talk.press']({ source }))
        .catch(report);
    },
    [beforePress, report],
  );

  const release = useCallback(
    (source?: TalkSource, at: number = performance.now()) => {
      const current = held.current;
      if (!current || (source && current.source !== source)) return;
      held.current = null;
      setPressed(false);
      const heldMs = Math.max(0, at - current.at);
      if (heldMs < MIN_PRESS_MS) showHint('Hold to talk');
      chain.current = chain.current
        .then(() => getBridge()['talk.release']({ source: current.source, heldMs }))
        .catch(report);
    },
    [report, showHint],
  );

  useEffect(() => {
    const isSpace = (e: KeyboardEvent): boolean => e.code === 'Space' || e.key === ' ';
    const onKeyDown = (e: KeyboardEvent): void => {
      if (!isSpace(e) || e.altKey || e.ctrlKey || e.metaKey) return;
      if (spaceBelongsTo(e.target) || document.querySelector('dialog[open]')) return;
      e.preventDefault();
      if (!e.repeat) press('keyboard', e.timeStamp);
    };
    const onKeyUp = (e: KeyboardEvent): void => {
      if (!isSpace(e) || held.current?.source !== 'keyboard') return;
      e.preventDefault();
      release('keyboard', e.timeStamp);
    };
    // A key-up lost to another window must not leave the microphone open.
    const onBlur = (): void => release();
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);
    window.addEventListener('blur', onBlur);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
      window.removeEventListener('blur', onBlur);
    };
  }, [press, release]);

  useEffect(
    () => () => {
      if (hintTimer.current !== null) window.clearTimeout(hintTimer.current);
    },
    [],
  );

  return {
    pressed,
    hint,
    buttonProps: {
      [PTT_ATTRIBUTE]: '',
      onPointerDown: (event) => {
        if (event.button !== 0) return;
        event.currentTarget.setPointerCapture(event.pointerId);
        press('button', event.timeStamp);
      },
      onPointerUp: (event) => release('button', event.timeStamp),
      onPointerCancel: () => release('button'),
      onLostPointerCapture: () => release('button'),
      onContextMenu: (event) => event.preventDefault(),
    },
  };
}
