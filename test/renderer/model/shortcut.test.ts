import { describe, expect, it } from 'vitest';
import {
  type KeyState,
  isNewConversationKey,
  newConversationShortcut,
} from '../../../src/renderer/src/model/shortcut';

const key = (patch: Partial<KeyState>): KeyState => ({
  key: 'n',
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...patch,
});

describe('new conversation shortcut', () => {
  it('is Ctrl+N on Linux and Windows, and nothing else', () => {
    for (const platform of ['linux', 'win32']) {
      expect(isNewConversationKey(key({ ctrlKey: true }), platform)).toBe(true);
      expect(isNewConversationKey(key({ ctrlKey: true, key: 'N' }), platform)).toBe(true);
      expect(isNewConversationKey(key({}), platform)).toBe(false);
      expect(isNewConversationKey(key({ metaKey: true }), platform)).toBe(false);
      expect(isNewConversationKey(key({ ctrlKey: true, shiftKey: true }), platform)).toBe(false);
      expect(isNewConversationKey(key({ ctrlKey: true, altKey: true }), platform)).toBe(false);
      expect(isNewConversationKey(key({ ctrlKey: true, key: 'm' }), platform)).toBe(false);
    }
    expect(newConversationShortcut('linux')).toEqual({ label: 'Ctrl+N', aria: 'Control+N' });
  });

  it('is ⌘N on macOS, where Ctrl+N moves the cursor in text fields', () => {
    expect(isNewConversationKey(key({ metaKey: true }), 'darwin')).toBe(true);
    expect(isNewConversationKey(key({ ctrlKey: true }), 'darwin')).toBe(false);
    expect(isNewConversationKey(key({ metaKey: true, ctrlKey: true }), 'darwin')).toBe(false);
    expect(newConversationShortcut('darwin')).toEqual({ label: '⌘N', aria: 'Meta+N' });
  });
});
