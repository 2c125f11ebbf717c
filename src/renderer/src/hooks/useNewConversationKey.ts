/**
 * Ctrl+N (⌘N on macOS) starts a new conversation from anywhere in the window, text fields included:
 * neither key has a text-editing meaning there. Not while a dialog is open or an IME is composing.
 * (Chrome keeps Ctrl+N for a new window, so in browser mode in a desktop browser the button is the way.)
 */
import { useEffect } from 'react';
import { isNewConversationKey } from '../model/shortcut';

/** Listens on the window while mounted. */
export function useNewConversationKey(platform: string, onNew: () => void): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent): void => {
      if (!isNewConversationKey(e, platform) || e.isComposing) return;
      if (document.querySelector('dialog[open]')) return;
      e.preventDefault();
      if (!e.repeat) onNew();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [platform, onNew]);
}
