/** First run: says replies are simulated and points to Settings. */
import type { ReactElement } from 'react';
import { CloseIcon } from './icons';

export interface DemoBannerProps {
  onOpenSettings(): void;
  onDismiss(): void;
}

/** A dismissible banner shown while the app talks to its local simulator. */
export function DemoBanner({ onOpenSettings, onDismiss }: DemoBannerProps): ReactElement {
  return (
    <aside className="banner" aria-label="Demo mode">
      <p>
        Demo mode: replies come from a local simulator. Add your OpenAI or Azure key in Settings to talk to a
        real model.
      </p>
      <div className="banner-actions">
        <button type="button" className="button button-small button-primary" onClick={onOpenSettings}>
          Add a key
        </button>
        <button type="button" className="icon-button" aria-label="Dismiss demo notice" onClick={onDismiss}>
          <CloseIcon />
        </button>
      </div>
    </aside>
  );
}
