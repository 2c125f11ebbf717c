/**
 * The hotkey service's portal path with an in-memory portal source: preference order on Wayland,
 * outdated binds, the portal going away, dispose. (The real D-Bus client is tested in
 * test/main/adapters/hotkey/portal*.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import {
  createHotkeyService,
  type PortalBindResult,
  type PortalEvent,
  type PortalKeySource,
  type ShortcutSource,
} from '../../../../src/main/core/hotkey/service';

function rig(
  results: Array<PortalBindResult | 'ok'>,
  env: Record<string, string> = { XDG_SESSION_TYPE: 'wayland' },
) {
  const calls: string[] = [];
  const listeners: Array<(e: PortalEvent) => void> = [];
  let binds = 0;
  const portal: PortalKeySource = {
    start: async (shortcut, listener) => {
      const n = ++binds;
      calls.push(`bind#${n} ${shortcut.accelerator}`);
      listeners.push(listener);
      const result = results.shift() ?? 'ok';
      return result === 'ok'
        ? { ok: true, trigger: shortcut.accelerator, stop: () => calls.push(`stop#${n}`) }
        : result;
    },
  };
  const shortcut: ShortcutSource = {
    register: (acc) => {
      calls.push(`register ${acc}`);
      return true;
    },
    unregister: (acc) => void calls.push(`unregister ${acc}`),
  };
  let clock = 0;
  const service = createHotkeyService({
    platform: 'linux',
    env,
    native: {
      start: async () => (calls.push('native.start'), { ok: true }),
      stop: () => calls.push('native.stop'),
    },
    shortcut,
    portal,
    press: () => calls.push('press'),
    release: () => calls.push('release'),
    onStatus: () => undefined,
    now: () => (clock += 1000),
  });
  const signal = (e: PortalEvent, bind = listeners.length): void => listeners[bind - 1]?.(e);
  return { service, calls, signal };
}

describe('hotkey service with the desktop portal', () => {
  it('prefers the portal on Wayland and uses neither the native hook nor the shortcut', async () => {
    const r = rig(['ok']);
    const status = await r.service.configure({ hotkey: 'F9', hotkeyMode: 'auto' });
    expect(status.mode).toBe('hold');
    r.signal({ type: 'activated' });
    r.signal({ type: 'deactivated' });
    expect(r.calls).toEqual(['bind#1 F9', 'press', 'release']);
  });

  it('does not use the portal off Wayland', async () => {
    const r = rig(['ok'], { XDG_SESSION_TYPE: 'x11', DISPLAY: ':0' });
    await r.service.configure({ hotkey: 'F9', hotkeyMode: 'auto' });
    expect(r.calls).toEqual(['native.start']);
  });

  it('binds as a toggle when the user chose toggle', async () => {
    const r = rig(['ok']);
    expect((await r.service.configure({ hotkey: 'F9', hotkeyMode: 'toggle' })).mode).toBe('toggle');
    r.signal({ type: 'activated' });
    r.signal({ type: 'deactivated' });
    r.signal({ type: 'activated' });
    expect(r.calls).toEqual(['bind#1 F9', 'press', 'release']);
  });

  it('stops a bind made outdated by a newer configure, and the previous bind on reconfigure', async () => {
    const r = rig(['ok', 'ok', 'ok']);
    const first = r.service.configure({ hotkey: 'F9', hotkeyMode: 'auto' });
    const second = r.service.configure({ hotkey: 'F8', hotkeyMode: 'auto' });
    await Promise.all([first, second]);
    expect(r.calls).toEqual(['bind#1 F9', 'bind#2 F8', 'stop#1']);
    await r.service.configure({ hotkey: 'F7', hotkeyMode: 'auto' });
    expect(r.calls.slice(3)).toEqual(['stop#2', 'bind#3 F7']);
    r.service.dispose();
    expect(r.calls.at(-1)).toBe('stop#3');
  });

  it('ends a held turn when the portal goes away and falls back, saying why', async () => {
    const r = rig(['ok', { ok: false, failure: { kind: 'failed', detail: 'boom' } }]);
    await r.service.configure({ hotkey: 'F9', hotkeyMode: 'auto' });
    r.signal({ type: 'activated' });
    r.signal({ type: 'lost', reason: 'The desktop portal stopped' });
    expect(r.calls.slice(0, 4)).toEqual(['bind#1 F9', 'press', 'stop#1', 'release']);
    await expect.poll(() => r.service.status().mode).toBe('toggle');
    expect(r.service.status().reason).toMatch(
      /^The desktop portal stopped\. The desktop portal could not bind the shortcut \(boom\): press F9 once/,
    );
    expect(r.calls.slice(4)).toEqual(['bind#2 F9', 'register F9']);
  });
});
