/**
 * One native key hook shared by several hotkey services (the push-to-talk key and each mode's key): the hook
 * starts with the first user, every user sees every key event, and it stops when the last one stops. Without
 * this, one service stopping (a mode's key removed) would stop the hook under the others.
 */
import type { KeyEvent, NativeKeySource } from './service';

/** A shared hook: `user()` is a NativeKeySource of its own for each service. */
export interface SharedNativeSource {
  user(): NativeKeySource;
}

/** Shares `native` (null stays null: there is no hook to share). */
export function shareNativeSource(native: NativeKeySource): SharedNativeSource {
  const listeners = new Set<(event: KeyEvent) => void>();
  let started: Promise<{ ok: true } | { ok: false; reason: string }> | null = null;
  const fanOut = (event: KeyEvent): void => {
    for (const listener of [...listeners]) listener(event);
  };
  return {
    user(): NativeKeySource {
      let mine: ((event: KeyEvent) => void) | null = null;
      return {
        async start(listener) {
          if (mine) listeners.delete(mine);
          mine = listener;
          listeners.add(listener);
          started ??= native.start(fanOut);
          const result = await started;
          if (!result.ok) {
            listeners.delete(listener);
            if (listeners.size === 0) started = null;
          }
          return result;
        },
        stop() {
          if (!mine) return;
          listeners.delete(mine);
          mine = null;
          if (listeners.size === 0 && started) {
            started = null;
            native.stop();
          }
        },
      };
    },
  };
}
