/**
 * Toggle-only global hotkey through Electron's globalShortcut: it works on Wayland (through the
 * desktop portal) and without Accessibility on macOS, but only reports presses, never key-ups.
 */
import type { GlobalShortcut } from 'electron';
import type { ShortcutSource } from '../core/hotkey/service';

/** Wraps globalShortcut; an accelerator Electron rejects reports false instead of throwing. */
export function createGlobalShortcutSource(
  globalShortcut: Pick<GlobalShortcut, 'register' | 'unregister'>,
): ShortcutSource {
  return {
    register(accelerator, onActivate) {
      try {
        return globalShortcut.register(accelerator, onActivate);
      } catch {
        return false;
      }
    },
    unregister(accelerator) {
      try {
        globalShortcut.unregister(accelerator);
      } catch {
        // Unregistering something Electron never accepted has nothing to undo.
      }
    },
  };
}
