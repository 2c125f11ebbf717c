import { describe, expect, it } from 'vitest';
import { attachHotkey, type HotkeyAppPort } from '../../../../src/main/core/hotkey/attach';
import type { ShortcutSource } from '../../../../src/main/core/hotkey/service';
import type { SettingsStore } from '../../../../src/main/core/settings/types';
import type { EventName } from '../../../../src/shared/contract';
import { DEFAULT_SETTINGS, type Settings } from '../../../../src/shared/settings';
import type { TurnView } from '../../../../src/shared/types';

/** An in-memory settings store (the real one is tested on its own). */
function memorySettings(): SettingsStore & { set(patch: Partial<Settings>): void } {
  let current: Settings = { ...DEFAULT_SETTINGS };
  const listeners = new Set<(s: Settings) => void>();
  return {
    get: () => current,
    update: (patch) => {
      current = { ...current, ...patch } as Settings;
      for (const l of listeners) l(current);
      return { ok: true, settings: current };
    },
    set(patch) {
      this.update(patch);
    },
    onChange: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

function rig() {
  const dispatched: Array<[string, unknown]> = [];
  const emitted: Array<[string, unknown]> = [];
  const listeners = new Set<(name: EventName, payload: unknown) => void>();
  const shortcuts = new Map<string, () => void>();
  const app: HotkeyAppPort = {
    handlers: {
      'talk.press': async (payload) => void dispatched.push(['talk.press', payload]),
      'talk.release': async (payload) => void dispatched.push(['talk.release', payload]),
    },
    emit: (name, payload) => emitted.push([name, payload]),
    onEvent: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  const shortcut: ShortcutSource = {
    register: (acc, fn) => {
      shortcuts.set(acc, fn);
      return true;
    },
    unregister: (acc) => shortcuts.delete(acc),
  };
  const settings = memorySettings();
  let clock = 0;
  // Wayland: toggle through the shortcut, so the test drives it with activations.
  const attached = attachHotkey(
    { platform: 'linux', env: { XDG_SESSION_TYPE: 'wayland' }, native: null, shortcut, now: () => clock },
    app,
    settings,
  );
  const turnEvent = (index: number, phase: TurnView['phase']): void => {
    const turn = { id: `t${index}`, index, phase } as TurnView;
    for (const l of listeners) l('turn', turn);
  };
  const activate = (acc = 'F9'): void => {
    clock += 1000;
    shortcuts.get(acc)?.();
  };
  return { attached, dispatched, emitted, shortcuts, settings, turnEvent, activate, listeners };
}

describe('hotkey attached to the app', () => {
  it('sends talk.press and talk.release with source "hotkey", and reports its status as an event', async () => {
    const r = rig();
    await r.attached.ready;
    expect(r.emitted).toEqual([['hotkey', expect.objectContaining({ mode: 'toggle', accelerator: 'F9' })]]);
    r.activate();
    r.turnEvent(1, 'listening');
    r.activate();
    expect(r.dispatched).toEqual([
      ['talk.press', { source: 'hotkey' }],
      ['talk.release', { source: 'hotkey' }],
    ]);
  });

  it('sends a turn that was started from the window with the next press', async () => {
    const r = rig();
    await r.attached.ready;
    r.turnEvent(1, 'listening');
    r.activate();
    expect(r.dispatched).toEqual([['talk.release', { source: 'hotkey' }]]);
  });

  it('starts a new turn after one was sent from the window, ignoring late updates of older turns', async () => {
    const r = rig();
    await r.attached.ready;
    r.activate();
    r.turnEvent(1, 'listening');
    r.turnEvent(1, 'waiting'); // sent from the window
    r.turnEvent(0, 'listening'); // stale
    r.activate();
    expect(r.dispatched.map(([n]) => n)).toEqual(['talk.press', 'talk.press']);
  });

  it('re-registers when the hotkey setting changes, and only then', async () => {
    const r = rig();
    await r.attached.ready;
    r.settings.set({ voice: 'ash' });
    expect([...r.shortcuts.keys()]).toEqual(['F9']);
    r.settings.set({ hotkey: 'Control+Shift+Space' });
    await new Promise((resolve) => setImmediate(resolve));
    expect([...r.shortcuts.keys()]).toEqual(['Control+Shift+Space']);
  });

  it('lets go of the key, the events and the settings on dispose', async () => {
    const r = rig();
    await r.attached.ready;
    r.attached.dispose();
    expect(r.shortcuts.size).toBe(0);
    expect(r.listeners.size).toBe(0);
  });
});
