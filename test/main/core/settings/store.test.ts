import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MODES, DEFAULT_SETTINGS, type Mode } from '../../../../src/shared/settings';
import { SETTINGS_MIGRATIONS, type Migration } from '../../../../src/main/core/settings/migrations';
import { createSettingsStore, settingsConfOptions } from '../../../../src/main/core/settings/store';

let dir: string;
const file = (): string => join(dir, 'settings.json');
const open = (migrations?: Record<string, Migration>, version?: string): Conf<Record<string, unknown>> =>
  new Conf<Record<string, unknown>>({ ...settingsConfOptions(migrations, version), cwd: dir });
const onDisk = (): Record<string, unknown> =>
  JSON.parse(readFileSync(file(), 'utf8')) as Record<string, unknown>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'talkie-settings-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('settings store over conf', () => {
  it('starts on the defaults with no notices when nothing was saved', () => {
    const store = createSettingsStore(open());
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.notices).toEqual([]);
  });

  it('keeps a saved change after the app restarts', () => {
    const store = createSettingsStore(open());
    const result = store.update({ voice: 'cedar', hotkey: 'Control+Shift+Space' });
    expect(result).toEqual({
      ok: true,
      settings: { ...DEFAULT_SETTINGS, voice: 'cedar', hotkey: 'Control+Shift+Space' },
    });
    const reopened = createSettingsStore(open());
    expect(reopened.get().voice).toBe('cedar');
    expect(reopened.get().hotkey).toBe('Control+Shift+Space');
  });

  it('writes nothing and names each bad field when any field of a patch is invalid', () => {
    const store = createSettingsStore(open());
    const before = readFileSync(file(), 'utf8');
    const result = store.update({ voice: 'cedar', stallTimeoutMs: 5, customUrl: 'http://x' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.stallTimeoutMs).toBe('At least 2 seconds');
    expect(result.errors.customUrl).toBe('Use a ws:// or wss:// URL');
    expect(result.errors.voice).toBeUndefined();
    expect(store.get().voice).toBe(DEFAULT_SETTINGS.voice);
    expect(readFileSync(file(), 'utf8')).toBe(before);
  });

  it('rejects unknown fields instead of storing them', () => {
    const store = createSettingsStore(open());
    const result = store.update({ nope: 1 } as never);
    expect(result.ok).toBe(false);
    expect(onDisk()).not.toHaveProperty('nope');
  });

  it('repairs an invalid saved value to its default with a notice and keeps the valid ones', () => {
    writeFileSync(file(), JSON.stringify({ voice: 'robot', stallTimeoutMs: 'soon', hotkey: 'F10' }));
    const store = createSettingsStore(open());
    expect(store.get().voice).toBe(DEFAULT_SETTINGS.voice);
    expect(store.get().stallTimeoutMs).toBe(DEFAULT_SETTINGS.stallTimeoutMs);
    expect(store.get().hotkey).toBe('F10');
    expect(store.notices).toHaveLength(2);
    expect(store.notices[0]).toContain('"voice"');
    expect(store.notices[0]).toContain('reset to "marin"');
    expect(onDisk()).toMatchObject({ voice: 'marin', stallTimeoutMs: 10000, hotkey: 'F10' });
  });

  it('leaves keys it does not know (e.g. from a newer version) on disk', () => {
    writeFileSync(file(), JSON.stringify({ futureThing: { a: 1 } }));
    const store = createSettingsStore(open());
    store.update({ voice: 'ash' });
    expect(onDisk()).toMatchObject({ futureThing: { a: 1 }, voice: 'ash' });
  });

  it('stamps the file with the schema version and stores it readable by the owner only', () => {
    createSettingsStore(open());
    expect(onDisk()).toMatchObject({ __internal__: { migrations: { version: '0.2.0' } } });
    if (process.platform !== 'win32') expect(statSync(file()).mode & 0o777).toBe(0o600);
  });

  it('tells listeners about changes until they unsubscribe', () => {
    const store = createSettingsStore(open());
    const seen: string[] = [];
    const off = store.onChange((s) => seen.push(s.voice));
    store.update({ voice: 'sage' });
    store.update({ voice: 'sage' });
    off();
    store.update({ voice: 'verse' });
    expect(seen).toEqual(['sage']);
    store.dispose();
  });

  it('reports a save failure as a form error instead of throwing', () => {
    const store = createSettingsStore(open());
    writeFileSync(file(), '{ broken');
    const result = store.update({ voice: 'ash' });
    expect(result).toEqual({ ok: false, errors: { _: expect.stringContaining('Could not save settings') } });
    expect(store.get().voice).toBe(DEFAULT_SETTINGS.voice);
  });
});

describe('settings migrations', () => {
  // An example of how a future schema change ships: 0.3.0 renames a key. It runs once, from the
  // version stamped in the file, through the same conf options both shells use.
  const renameHotkey: Migration = (store) => {
    if (store.has('pushToTalkKey')) {
      store.set('hotkey', store.get('pushToTalkKey'));
      store.delete('pushToTalkKey');
    }
  };
  const withExample = { ...SETTINGS_MIGRATIONS, '0.3.0': renameHotkey };

  it('moves a renamed key forward when the schema version goes up, once', () => {
    writeFileSync(
      file(),
      JSON.stringify({
        pushToTalkKey: 'F8',
        voice: 'ash',
        __internal__: { migrations: { version: '0.2.0' } },
      }),
    );
    const store = createSettingsStore(open(withExample, '0.3.0'));
    expect(store.get().hotkey).toBe('F8');
    expect(store.get().voice).toBe('ash');
    expect(onDisk()).not.toHaveProperty('pushToTalkKey');
    expect(onDisk()).toMatchObject({ __internal__: { migrations: { version: '0.3.0' } } });

    // A later value under the old name (e.g. a downgrade wrote it) is not migrated again.
    const raw = onDisk();
    writeFileSync(file(), JSON.stringify({ ...raw, pushToTalkKey: 'F2' }));
    expect(createSettingsStore(open(withExample, '0.3.0')).get().hotkey).toBe('F8');
  });

  it('treats an unversioned file as the 0.1.0 baseline and brings it up to date', () => {
    writeFileSync(file(), JSON.stringify({ voice: 'coral' }));
    const store = createSettingsStore(open());
    expect(store.get().voice).toBe('coral');
    expect(onDisk()).toMatchObject({ voice: 'coral', __internal__: { migrations: { version: '0.2.0' } } });
  });

  it('gives a settings file from before modes the example modes, every other setting unchanged', () => {
    const before = {
      voice: 'ash',
      hotkey: 'F8',
      sessionInstructions: 'Be brief.',
      stallTimeoutMs: 15000,
      __internal__: { migrations: { version: '0.1.0' } },
    };
    writeFileSync(file(), JSON.stringify(before));
    const store = createSettingsStore(open());
    expect(store.notices).toEqual([]);
    expect(store.get()).toEqual({
      ...DEFAULT_SETTINGS,
      voice: 'ash',
      hotkey: 'F8',
      sessionInstructions: 'Be brief.',
      stallTimeoutMs: 15000,
    });
    expect(store.get().modes.map((m) => m.name)).toEqual(['Default', 'Translate to French', 'Short answers']);
    expect(store.get().modeId).toBe('default');
    expect(onDisk()).toMatchObject({
      voice: 'ash',
      modes: DEFAULT_MODES,
      modeId: 'default',
      __internal__: { migrations: { version: '0.2.0' } },
    });
  });
});

describe('modes in settings', () => {
  const mode = (over: Partial<Mode>): Mode => ({
    id: 'm',
    name: 'M',
    replyAs: 'text',
    instructions: 'Be a pirate.',
    instructionsMode: 'append',
    hotkey: null,
    ...over,
  });

  it('adds, renames, edits and deletes modes, and keeps them after a restart', () => {
    const store = createSettingsStore(open());
    const pirate = mode({ id: 'pirate', name: 'Pirate', hotkey: 'F7' });
    expect(store.update({ modes: [...DEFAULT_MODES, pirate], modeId: 'pirate' }).ok).toBe(true);
    const renamed = {
      ...pirate,
      name: 'Captain',
      instructions: 'Talk like a captain.',
      replyAs: 'voice' as const,
    };
    expect(store.update({ modes: [...DEFAULT_MODES, renamed] }).ok).toBe(true);
    const reopened = createSettingsStore(open());
    expect(reopened.get().modes.at(-1)).toEqual(renamed);
    expect(reopened.get().modeId).toBe('pirate');
    // Deleting the chosen mode chooses the first one left.
    expect(reopened.update({ modes: [...DEFAULT_MODES] })).toMatchObject({
      ok: true,
      settings: { modeId: 'default' },
    });
  });

  it.each([
    ['an empty name', [mode({ name: '  ' })], 'Give the mode a name'],
    [
      'two modes with one name',
      [mode({ id: 'a', name: 'Same' }), mode({ id: 'b', name: 'same' })],
      'Two modes are called "same"',
    ],
    [
      'two modes with one id',
      [mode({ id: 'a', name: 'A' }), mode({ id: 'a', name: 'B' })],
      'Two modes share the id "a"',
    ],
    [
      'two modes with one key',
      [mode({ id: 'a', name: 'A', hotkey: 'F7' }), mode({ id: 'b', name: 'B', hotkey: 'F7' })],
      'Two modes use the key F7',
    ],
    ['a key that is not a key', [mode({ hotkey: 'Hyper+Q' })], 'Use a key like F9 or Control+Shift+Space'],
    ['no modes at all', [], 'Keep at least one mode'],
    [
      'the push-to-talk key',
      [mode({ hotkey: 'F9' })],
      '"M" uses the push-to-talk key F9; choose another key',
    ],
  ])('refuses %s and writes nothing', (_what, modes, message) => {
    const store = createSettingsStore(open());
    const before = readFileSync(file(), 'utf8');
    const result = store.update({ modes, modeId: modes[0]?.id ?? 'default' });
    expect(result).toEqual({ ok: false, errors: { modes: message } });
    expect(readFileSync(file(), 'utf8')).toBe(before);
    expect(store.get().modes).toEqual(DEFAULT_MODES);
  });

  it('refuses to choose a mode that does not exist', () => {
    const store = createSettingsStore(open());
    expect(store.update({ modeId: 'nope' })).toEqual({
      ok: false,
      errors: { modeId: 'Choose one of the modes' },
    });
  });

  it('refuses a push-to-talk key that a mode already holds', () => {
    const store = createSettingsStore(open());
    store.update({ modes: [...DEFAULT_MODES, mode({ hotkey: 'F7' })] });
    expect(store.update({ hotkey: 'F7' })).toEqual({
      ok: false,
      errors: { modes: '"M" uses the push-to-talk key F7; choose another key' },
    });
  });

  it('keeps the screen-capture keys (off by default) and refuses ones that clash with a talk key', () => {
    const store = createSettingsStore(open());
    expect(store.get()).toMatchObject({
      captureHotkey: '',
      talkCaptureModifier: 'off',
      carryImages: 'as-sent',
    });
    expect(store.update({ captureHotkey: 'F9' })).toEqual({
      ok: false,
      errors: { captureHotkey: 'F9 already talks; choose another key for Capture screen' },
    });
    expect(
      store.update({ captureHotkey: 'F8', talkCaptureModifier: 'Shift', carryImages: 'placeholder' }).ok,
    ).toBe(true);
    // The push-to-talk key may not take the modifier its capture chord adds.
    expect(store.update({ hotkey: 'Shift+F9' })).toEqual({
      ok: false,
      errors: {
        talkCaptureModifier: 'The push-to-talk key Shift+F9 already uses Shift; choose another modifier',
      },
    });
    expect(createSettingsStore(open()).get()).toMatchObject({
      captureHotkey: 'F8',
      talkCaptureModifier: 'Shift',
      carryImages: 'placeholder',
    });
  });

  it('repairs a saved choice of a missing mode, and a mode key equal to the push-to-talk key, with notices', () => {
    writeFileSync(
      file(),
      JSON.stringify({
        modes: [mode({ hotkey: 'F9' })],
        modeId: 'gone',
        __internal__: { migrations: { version: '0.2.0' } },
      }),
    );
    const store = createSettingsStore(open());
    expect(store.get().modeId).toBe('m');
    expect(store.get().modes[0]?.hotkey).toBeNull();
    expect(store.notices).toHaveLength(2);
    expect(onDisk()).toMatchObject({ modeId: 'm', modes: [{ id: 'm', hotkey: null }] });
  });
});
