/** The new-conversation shortcut per platform. Pure (no DOM types), so it is unit-tested in plain Node. */

/** The parts of a key event the shortcut looks at. */
export interface KeyState {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

export interface Shortcut {
  /** As shown to people: "Ctrl+N" or "⌘N". */
  label: string;
  /** As aria-keyshortcuts wants it. */
  aria: string;
}

/** The shortcut for this platform (`process.platform` as main reports it). */
export function newConversationShortcut(platform: string): Shortcut {
  return platform === 'darwin' ? { label: '⌘N', aria: 'Meta+N' } : { label: 'Ctrl+N', aria: 'Control+N' };
}

/** True for exactly the platform's modifier plus N (no Shift/Alt, and not the other modifier). */
export function isNewConversationKey(e: KeyState, platform: string): boolean {
  const mac = platform === 'darwin';
  if (e.altKey || e.shiftKey || (mac ? !e.metaKey || e.ctrlKey : !e.ctrlKey || e.metaKey)) return false;
  return e.key === 'n' || e.key === 'N';
}
