import { describe, expect, it } from 'vitest';
import {
  attachHotkey,
  extraHotkeys,
  modeHotkeys,
  type HotkeyAppPort,
} from '../../../../src/main/core/hotkey/attach';
import type { KeyEvent, NativeKeySource, ShortcutSource } from '../../../../src/main/core/hotkey/service';
import type { SettingsStore } from '../../../../src/main/core/settings/types';
import type { EventName } from '../../../../src/shared/contract';
import {
  DEFAULT_MODES,
  DEFAULT_SETTINGS,
  captureKeyErrors,
  type Mode,
  type Settings,
} from '../../../../src/shared/settings';
import type { HotkeyStatus, TurnView } from '../../../../src/shared/types';

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
      'screen.grab': async () => {
        dispatched.push(['screen.grab', {}]);
        return null;
      },
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

describe('a mode’s own hotkey', () => {
  const pirate: Mode = {
    id: 'pirate',
    name: 'Pirate',
    replyAs: 'text',
    instructions: 'Talk like a pirate.',
    instructionsMode: 'replace',
    hotkey: 'F7',
  };
  const quiet: Mode = { ...pirate, id: 'quiet', name: 'Quiet', hotkey: 'Control+Shift+Q' };

  it('maps each mode with a key to its id, in the listed order, skipping modes without one', () => {
    expect(modeHotkeys({ modes: [...DEFAULT_MODES, pirate, quiet] })).toEqual([
      { modeId: 'pirate', accelerator: 'F7' },
      { modeId: 'quiet', accelerator: 'Control+Shift+Q' },
    ]);
    expect(modeHotkeys({ modes: [...DEFAULT_MODES] })).toEqual([]);
  });

  /** X11: a native hook that sees key-down and key-up, shared by every key. */
  function nativeRig(initial: Partial<Settings> = {}) {
    const dispatched: Array<[string, unknown]> = [];
    const native = { starts: 0, stops: 0, listener: null as ((e: KeyEvent) => void) | null };
    const source: NativeKeySource = {
      start: async (l) => {
        native.starts++;
        native.listener = l;
        return { ok: true };
      },
      stop: () => {
        native.stops++;
        native.listener = null;
      },
    };
    const app: HotkeyAppPort = {
      handlers: {
        'talk.press': async (payload) => void dispatched.push(['talk.press', payload]),
        'talk.release': async (payload) => void dispatched.push(['talk.release', payload]),
        'screen.grab': async () => {
          dispatched.push(['screen.grab', {}]);
          return null;
        },
      },
      emit: () => undefined,
      onEvent: () => () => undefined,
    };
    const settings = memorySettings();
    settings.set({ modes: [...DEFAULT_MODES, pirate, quiet], ...initial });
    let clock = 0;
    const attached = attachHotkey(
      {
        platform: 'linux',
        env: { DISPLAY: ':0', XDG_SESSION_TYPE: 'x11' },
        native: source,
        shortcut: null,
        now: () => clock,
      },
      app,
      settings,
    );
    const key = (
      type: KeyEvent['type'],
      name: string,
      modifiers: Partial<KeyEvent['modifiers']> = {},
    ): void => {
      clock += 500;
      native.listener?.({
        type,
        key: name,
        modifiers: { ctrl: false, shift: false, alt: false, meta: false, ...modifiers },
      });
    };
    return { attached, dispatched, native, settings, key };
  }

  it.each([
    ['F9 (push-to-talk)', 'F9', {}, { source: 'hotkey' }],
    ['F7 (Pirate)', 'F7', {}, { source: 'hotkey', modeId: 'pirate' }],
    ['Control+Shift+Q (Quiet)', 'Q', { ctrl: true, shift: true }, { source: 'hotkey', modeId: 'quiet' }],
  ] as const)('holding %s talks in that mode, releasing sends', async (_what, name, modifiers, press) => {
    const r = nativeRig();
    await r.attached.ready;
    await new Promise((resolve) => setImmediate(resolve));
    r.key('keydown', name, modifiers);
    r.key('keyup', name, modifiers);
    expect(r.dispatched).toEqual([
      ['talk.press', press],
      ['talk.release', { source: 'hotkey' }],
    ]);
    // One native hook for all the keys.
    expect(r.native.starts).toBe(1);
    r.attached.dispose();
    expect(r.native.stops).toBe(1);
  });

  it('another talk key during a hold neither starts a turn nor ends the held one', async () => {
    const r = nativeRig();
    await r.attached.ready;
    await new Promise((resolve) => setImmediate(resolve));
    r.key('keydown', 'F9');
    r.key('keydown', 'F7');
    r.key('keyup', 'F7');
    r.key('keyup', 'F9');
    r.key('keydown', 'F7');
    r.key('keydown', 'F9');
    r.key('keyup', 'F9');
    r.key('keyup', 'F7');
    expect(r.dispatched).toEqual([
      ['talk.press', { source: 'hotkey' }],
      ['talk.release', { source: 'hotkey' }],
      ['talk.press', { source: 'hotkey', modeId: 'pirate' }],
      ['talk.release', { source: 'hotkey' }],
    ]);
    r.attached.dispose();
  });

  it('follows the modes in settings: a key removed stops talking, a key added starts, the hook keeps running', async () => {
    const r = nativeRig();
    await r.attached.ready;
    await new Promise((resolve) => setImmediate(resolve));
    r.settings.set({ modes: [...DEFAULT_MODES, { ...pirate, hotkey: 'F6' }] });
    await new Promise((resolve) => setImmediate(resolve));
    r.key('keydown', 'F7');
    r.key('keyup', 'F7');
    r.key('keydown', 'F6');
    r.key('keyup', 'F6');
    expect(r.dispatched).toEqual([
      ['talk.press', { source: 'hotkey', modeId: 'pirate' }],
      ['talk.release', { source: 'hotkey' }],
    ]);
    expect(r.native.stops).toBe(0);
    // The push-to-talk key still works.
    r.key('keydown', 'F9');
    expect(r.dispatched.at(-1)).toEqual(['talk.press', { source: 'hotkey' }]);
    r.attached.dispose();
  });

  it('Wayland without a hook: a mode’s key toggles through the global shortcut, naming its mode', async () => {
    const r = rig();
    r.settings.set({ modes: [...DEFAULT_MODES, pirate] });
    await r.attached.ready;
    await new Promise((resolve) => setImmediate(resolve));
    expect([...r.shortcuts.keys()].sort()).toEqual(['F7', 'F9']);
    r.activate('F7');
    r.turnEvent(1, 'listening');
    r.activate('F7');
    expect(r.dispatched).toEqual([
      ['talk.press', { source: 'hotkey', modeId: 'pirate' }],
      ['talk.release', { source: 'hotkey' }],
    ]);
    r.attached.dispose();
    expect([...r.shortcuts.keys()]).toEqual([]);
  });

  it('push-to-talk held with the capture modifier talks with a capture; the key alone talks without one', async () => {
    const r = nativeRig({ talkCaptureModifier: 'Shift' });
    await r.attached.ready;
    await new Promise((resolve) => setImmediate(resolve));
    r.key('keydown', 'F9', { shift: true });
    r.key('keydown', 'F9', { shift: true }); // auto-repeat
    r.key('keyup', 'Shift');
    r.key('keyup', 'F9'); // Shift let go first: the key's release still sends
    r.key('keydown', 'F9');
    r.key('keyup', 'F9');
    expect(r.dispatched).toEqual([
      ['talk.press', { source: 'hotkey', capture: true }],
      ['talk.release', { source: 'hotkey' }],
      ['talk.press', { source: 'hotkey' }],
      ['talk.release', { source: 'hotkey' }],
    ]);
    r.attached.dispose();
  });

  it('the Capture screen key captures once per press and starts no turn; it follows the setting', async () => {
    const r = nativeRig({ captureHotkey: 'F8' });
    await r.attached.ready;
    await new Promise((resolve) => setImmediate(resolve));
    r.key('keydown', 'F8');
    r.key('keydown', 'F8'); // auto-repeat
    r.key('keyup', 'F8');
    r.key('keydown', 'F8');
    r.key('keyup', 'F8');
    expect(r.dispatched).toEqual([
      ['screen.grab', {}],
      ['screen.grab', {}],
    ]);
    r.settings.set({ captureHotkey: '' });
    await new Promise((resolve) => setImmediate(resolve));
    r.key('keydown', 'F8');
    r.key('keyup', 'F8');
    expect(r.dispatched).toHaveLength(2);
    r.attached.dispose();
  });

  it('Wayland without a hook: each activation of the Capture screen key captures, and PTT+modifier toggles', async () => {
    const r = rig();
    r.settings.set({ captureHotkey: 'F8', talkCaptureModifier: 'Alt' });
    await r.attached.ready;
    await new Promise((resolve) => setImmediate(resolve));
    expect([...r.shortcuts.keys()].sort()).toEqual(['Alt+F9', 'F8', 'F9']);
    r.activate('F8');
    r.activate('F8');
    r.activate('Alt+F9');
    r.turnEvent(1, 'listening');
    r.activate('Alt+F9');
    expect(r.dispatched).toEqual([
      ['screen.grab', {}],
      ['screen.grab', {}],
      ['talk.press', { source: 'hotkey', capture: true }],
      ['talk.release', { source: 'hotkey' }],
    ]);
    r.attached.dispose();
  });

  it('reports each mode key’s status with the push-to-talk key’s: working, or why not', async () => {
    const emitted: HotkeyStatus[] = [];
    const app: HotkeyAppPort = {
      handlers: { 'talk.press': async () => undefined, 'talk.release': async () => undefined },
      emit: (_name, payload) => emitted.push(payload),
      onEvent: () => () => undefined,
    };
    // Another app holds Control+Shift+Q.
    const shortcut: ShortcutSource = {
      register: (acc) => acc !== 'Control+Shift+Q',
      unregister: () => undefined,
    };
    const settings = memorySettings();
    settings.set({ modes: [...DEFAULT_MODES, pirate, quiet] });
    const attached = attachHotkey(
      { platform: 'linux', env: { XDG_SESSION_TYPE: 'wayland' }, native: null, shortcut },
      app,
      settings,
    );
    await attached.ready;
    await new Promise((resolve) => setImmediate(resolve));
    const status = attached.status();
    expect(status).toMatchObject({ mode: 'toggle', accelerator: 'F9' });
    expect(status.modeKeys).toEqual([
      { modeId: 'pirate', accelerator: 'F7', mode: 'toggle', reason: expect.stringContaining('F7') },
      {
        modeId: 'quiet',
        accelerator: 'Control+Shift+Q',
        mode: 'off',
        reason:
          'Control+Shift+Q could not be registered (another app may use it): choose another key in Settings.',
      },
    ]);
    // The window hears the same (the latest 'hotkey' event), and a removed key leaves the list.
    expect(emitted.at(-1)).toEqual(status);
    settings.set({ modes: [...DEFAULT_MODES, pirate] });
    await new Promise((resolve) => setImmediate(resolve));
    expect(attached.status().modeKeys?.map((k) => k.modeId)).toEqual(['pirate']);
    settings.set({ modes: [...DEFAULT_MODES] });
    expect(attached.status().modeKeys).toBeUndefined();
    attached.dispose();
  });
});

describe('the screen-capture keys in settings', () => {
  it.each([
    [{}, []],
    [{ talkCaptureModifier: 'Shift' }, [{ kind: 'talk-capture', accelerator: 'Shift+F9' }]],
    [
      { hotkey: 'Control+Space', talkCaptureModifier: 'Alt', captureHotkey: 'F8' },
      [
        { kind: 'talk-capture', accelerator: 'Alt+Control+Space' },
        { kind: 'capture', accelerator: 'F8' },
      ],
    ],
    // The key already holds the modifier: there is no distinct chord to listen for.
    [{ hotkey: 'Shift+F9', talkCaptureModifier: 'Shift' }, []],
  ] as const)('%j listens for %j besides the push-to-talk key', (patch, keys) => {
    expect(extraHotkeys({ ...DEFAULT_SETTINGS, ...patch })).toEqual(keys);
  });

  it('refuses keys that clash, in words', () => {
    expect(
      captureKeyErrors({ ...DEFAULT_SETTINGS, hotkey: 'Shift+F9', talkCaptureModifier: 'Shift' }),
    ).toEqual({
      talkCaptureModifier: 'The push-to-talk key Shift+F9 already uses Shift; choose another modifier',
    });
    expect(captureKeyErrors({ ...DEFAULT_SETTINGS, captureHotkey: 'F9' })).toEqual({
      captureHotkey: 'F9 already talks; choose another key for Capture screen',
    });
    expect(
      captureKeyErrors({ ...DEFAULT_SETTINGS, talkCaptureModifier: 'Shift', captureHotkey: 'Shift+F9' }),
    ).toEqual({ captureHotkey: 'Shift+F9 already talks; choose another key for Capture screen' });
    expect(
      captureKeyErrors({ ...DEFAULT_SETTINGS, talkCaptureModifier: 'Shift', captureHotkey: 'F8' }),
    ).toEqual({});
  });
});

describe('talk commands from the command line (talkie --press / --release / --toggle [--mode])', () => {
  it('--press --mode by name or by id presses in that mode; --release ends the turn', async () => {
    const r = rig();
    await r.attached.ready;
    expect(r.attached.command('press', 'Translate to French')).toBeNull();
    expect(r.attached.command('release')).toBeNull();
    expect(r.attached.command('press', '  short-answers ')).toBeNull();
    expect(r.attached.command('release')).toBeNull();
    expect(r.attached.command('press')).toBeNull();
    await Promise.resolve();
    expect(r.dispatched).toEqual([
      ['talk.press', { source: 'hotkey', modeId: 'translate-french' }],
      ['talk.release', { source: 'hotkey' }],
      ['talk.press', { source: 'hotkey', modeId: 'short-answers' }],
      ['talk.release', { source: 'hotkey' }],
      ['talk.press', { source: 'hotkey' }],
    ]);
    r.attached.dispose();
  });

  it('--toggle --mode starts a turn in that mode when idle and sends it when listening', async () => {
    const r = rig();
    await r.attached.ready;
    expect(r.attached.command('toggle', 'translate to french')).toBeNull();
    r.turnEvent(1, 'listening');
    expect(r.attached.command('toggle', 'Translate to French')).toBeNull();
    await Promise.resolve();
    expect(r.dispatched).toEqual([
      ['talk.press', { source: 'hotkey', modeId: 'translate-french' }],
      ['talk.release', { source: 'hotkey' }],
    ]);
    r.attached.dispose();
  });

  it('an unknown mode does nothing and says which modes there are', async () => {
    const r = rig();
    await r.attached.ready;
    expect(r.attached.command('press', 'Klingon')).toBe(
      'There is no mode "Klingon". The modes are "Default", "Translate to French", "Short answers" (a mode\'s id works too).',
    );
    await Promise.resolve();
    expect(r.dispatched).toEqual([]);
    r.attached.dispose();
  });
});
