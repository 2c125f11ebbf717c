/**
 * Notices from main as toasts: info and warnings in a polite status region, errors as alerts.
 * Info fades after a while; warnings and errors stay until dismissed.
 */
import { useEffect, type ReactElement } from 'react';
import type { Notice } from '../../../shared/types';
import { CloseIcon } from './icons';

const INFO_MS = 8000;

export interface NoticesProps {
  notices: readonly Notice[];
  onDismiss(id: string): void;
}

function Toast({ notice, onDismiss }: { notice: Notice; onDismiss(id: string): void }): ReactElement {
  useEffect(() => {
    if (notice.level !== 'info') return;
    const timer = window.setTimeout(() => onDismiss(notice.id), INFO_MS);
    return () => window.clearTimeout(timer);
  }, [notice, onDismiss]);
  return (
    <li className={`toast toast-${notice.level}`}>
      <span>{notice.text}</span>
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
export function Notices({ notices, onDismiss }: NoticesProps): ReactElement {
  const errors = notices.filter((n) => n.level === 'error');
  const others = notices.filter((n) => n.level !== 'error');
  return (
    <div className="toasts">
      {errors.length > 0 && (
        <ul role="alert" aria-label="Errors" className="toast-list">
          {errors.map((notice) => (
            <Toast key={notice.id} notice={notice} onDismiss={onDismiss} />
          ))}
        </ul>
      )}
      <ul role="status" aria-label="Notices" className="toast-list">
        {others.map((notice) => (
          <Toast key={notice.id} notice={notice} onDismiss={onDismiss} />
        ))}
      </ul>
    </div>
  );
}
