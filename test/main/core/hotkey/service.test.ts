import { describe, expect, it } from 'vitest';
import { NO_MODIFIERS } from '../../../../src/main/core/hotkey/accelerator';
import { MAX_HOLD_MS } from '../../../../src/main/core/hotkey/machine';
import {
  createHotkeyService,
  type HotkeyServiceOptions,
  type KeyEvent,
  type NativeKeySource,
  type ShortcutSource,
} from '../../../../src/main/core/hotkey/service';
import type { HotkeyStatus } from '../../../../src/shared/types';

/** In-memory key sources standing in for uiohook and globalShortcut. */
function rig(
  over: Partial<HotkeyServiceOptions> = {},
  nativeResult: { ok: true } | { ok: false; reason: string } = { ok: true },
) {
  const calls: string[] = [];
  const statuses: HotkeyStatus[] = [];
  let listener: ((e: KeyEvent) => void) | null = null;
  const shortcuts = new Map<string, () => void>();
  const timers = new Map<number, { fn: () => void; ms: number }>();
  let nextTimer = 1;
  const native: NativeKeySource = {
    start: async (l) => {
      calls.push('native.start');
      if (nativeResult.ok) listener = l;
      return nativeResult;
    },
    stop: () => {
      calls.push('native.stop');
      listener = null;
    },
  };
  const shortcut: ShortcutSource = {
    register: (acc, fn) => {
      calls.push(`register ${acc}`);
      if (acc === 'F1') return false;
      shortcuts.set(acc, fn);
      return true;
    },
    unregister: (acc) => {
      calls.push(`unregister ${acc}`);
      shortcuts.delete(acc);
    },
  };
  let clock = 0;
  const service = createHotkeyService({
    platform: 'linux',
    env: { DISPLAY: ':0', XDG_SESSION_TYPE: 'x11' },
    native,
    shortcut,
    press: () => calls.push('press'),
    release: () => calls.push('release'),
    onStatus: (s) => statuses.push(s),
    now: () => clock,
    setTimer: (fn, ms) => {
      const id = nextTimer++;
      timers.set(id, { fn, ms });
      return id;
    },
    clearTimer: (id) => timers.delete(id as number),
    ...over,
  });
  const key = (type: KeyEvent['type'], k: string): void =>
    listener?.({ type, key: k, modifiers: NO_MODIFIERS });
  const fire = (acc: string, at: number): void => {
    clock = at;
    shortcuts.get(acc)?.();
  };
  return { service, calls, statuses, key, fire, timers, hasListener: () => listener !== null };
}

describe('hotkey service', () => {
  it('holds to talk through the native hook on X11', async () => {
    const r = rig();
    const status = await r.service.configure({ hotkey: 'F9', hotkeyMode: 'auto' });
    expect(status).toEqual({ mode: 'hold', accelerator: 'F9', reason: 'Hold F9 to talk, release to send.' });
    r.key('keydown', 'F9');
    r.key('keydown', 'F9');
    r.key('keyup', 'F9');
    expect(r.calls).toEqual(['native.start', 'press', 'release']);
    expect(r.statuses.at(-1)?.mode).toBe('hold');
  });

  it('releases a key stuck for two minutes', async () => {
    const r = rig();
    await r.service.configure({ hotkey: 'F9', hotkeyMode: 'auto' });
    r.key('keydown', 'F9');
    const [timer] = [...r.timers.values()];
    expect(timer?.ms).toBe(MAX_HOLD_MS);
    timer?.fn();
    expect(r.calls).toEqual(['native.start', 'press', 'release']);
    r.service.dispose();
  });

  it('falls back to a toggle shortcut when the native hook cannot start, and says why', async () => {
    const r = rig({}, { ok: false, reason: 'The X display could not be opened' });
    const status = await r.service.configure({ hotkey: 'F9', hotkeyMode: 'auto' });
    expect(status.mode).toBe('toggle');
    expect(status.reason).toMatch(
      /^The X display could not be opened\. .*press F9 once to start talking, again to send/,
    );
    r.fire('F9', 1000);
    r.fire('F9', 1100); // auto-repeat of the same press
    r.fire('F9', 5000);
    expect(r.calls).toEqual(['native.start', 'register F9', 'press', 'release']);
  });

  it('toggles through the shortcut on Wayland without touching the native hook', async () => {
    const r = rig({ env: { WAYLAND_DISPLAY: 'wayland-0', XDG_SESSION_TYPE: 'wayland' } });
    const status = await r.service.configure({ hotkey: 'Control+Shift+Space', hotkeyMode: 'hold' });
    expect(status.mode).toBe('toggle');
    expect(r.calls).toEqual(['register Control+Shift+Space']);
  });

  it('turns the hotkey off with a plain reason when the key is taken', async () => {
    const r = rig({ env: { XDG_SESSION_TYPE: 'wayland' } });
    const status = await r.service.configure({ hotkey: 'F1', hotkeyMode: 'auto' });
    expect(status).toEqual({
      mode: 'off',
      accelerator: 'F1',
      reason: 'F1 could not be registered (another app may use it): choose another key in Settings.',
    });
  });

  it('stops the old source when the hotkey changes', async () => {
    const r = rig({ env: { XDG_SESSION_TYPE: 'wayland' } });
    await r.service.configure({ hotkey: 'F9', hotkeyMode: 'auto' });
    await r.service.configure({ hotkey: 'F10', hotkeyMode: 'auto' });
    r.service.dispose();
    expect(r.calls).toEqual(['register F9', 'unregister F9', 'register F10', 'unregister F10']);
  });

  it('reports an unusable accelerator instead of throwing', async () => {
    const r = rig();
    const status = await r.service.configure({ hotkey: 'Hyper+F9', hotkeyMode: 'auto' });
    expect(status.mode).toBe('off');
    expect(status.reason).toContain('"Hyper" is not a modifier');
    expect(r.calls).toEqual([]);
  });

  it('is off in browser mode with no display and no shortcut service', async () => {
    const r = rig({ env: {}, shortcut: null });
    const status = await r.service.configure({ hotkey: 'F9', hotkeyMode: 'auto' });
    expect(status.mode).toBe('off');
    expect(r.calls).toEqual([]);
  });
});
