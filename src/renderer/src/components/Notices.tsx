/**
 * Notices from main as toasts: info and warnings in a polite status region, errors as alerts.
 * Info fades after a while; warnings and errors stay until dismissed. A notice with a button
 * ("Continue here", "Undo") stays longer, and never fades while the pointer or focus is on it.
 */
import { useEffect, useState, type ReactElement } from 'react';
import type { UiNotice } from '../model/state';
import { CloseIcon } from './icons';

const INFO_MS = 8000;
const INFO_WITH_ACTION_MS = 20_000;

export interface NoticesProps {
  notices: readonly UiNotice[];
  onDismiss(id: string): void;
  /** Runs the notice's button; the notice is dismissed at once. */
  onAction(action: NonNullable<UiNotice['action']>): void;
}

function Toast({
  notice,
  onDismiss,
  onAction,
}: {
  notice: UiNotice;
  onDismiss(id: string): void;
  onAction: NoticesProps['onAction'];
}): ReactElement {
  const [held, setHeld] = useState({ pointer: false, focus: false });
  const paused = held.pointer || held.focus;
  useEffect(() => {
    if (notice.level !== 'info' || paused) return;
    const timer = window.setTimeout(
      () => onDismiss(notice.id),
      notice.action ? INFO_WITH_ACTION_MS : INFO_MS,
    );
    return () => window.clearTimeout(timer);
  }, [notice, onDismiss, paused]);
  const action = notice.action;
  return (
    <li
      className={`toast toast-${notice.level}`}
      onPointerEnter={() => setHeld((h) => ({ ...h, pointer: true }))}
      onPointerLeave={() => setHeld((h) => ({ ...h, pointer: false }))}
      onFocus={() => setHeld((h) => ({ ...h, focus: true }))}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null))
          setHeld((h) => ({ ...h, focus: false }));
      }}
    >
      <span>{notice.text}</span>
      {action && (
        <button
          type="button"
          className="button button-small toast-action"
          onClick={() => {
            onDismiss(notice.id);
            onAction(action);
          }}
        >
          {action.label}
        </button>
      )}
      <button
        type="button"
        className="icon-button"
        aria-label="Dismiss notice"
        onClick={() => onDismiss(notice.id)}
      >
        <CloseIcon />
      </button>
    </li>
  );
}

/** The status region always exists so its first notice is announced; an alert announces on insertion. */
export function Notices({ notices, onDismiss, onAction }: NoticesProps): ReactElement {
  const errors = notices.filter((n) => n.level === 'error');
  const others = notices.filter((n) => n.level !== 'error');
  return (
    <div className="toasts">
      {errors.length > 0 && (
        <ul role="alert" aria-label="Errors" className="toast-list">
          {errors.map((notice) => (
            <Toast key={notice.id} notice={notice} onDismiss={onDismiss} onAction={onAction} />
          ))}
        </ul>
      )}
      <ul role="status" aria-label="Notices" className="toast-list">
        {others.map((notice) => (
          <Toast key={notice.id} notice={notice} onDismiss={onDismiss} onAction={onAction} />
        ))}
      </ul>
    </div>
  );
}
