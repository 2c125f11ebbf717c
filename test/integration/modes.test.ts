/**
 * Modes, core ↔ simulator over real sockets: a chosen mode's options reach every turn's response.create, and a
 * turn pressed for a mode (its own key) carries that mode's instructions and output_modalities, leaving the
 * window's next-turn options alone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { attachHotkey } from '../../src/main/core/hotkey/attach';
import type { KeyEvent } from '../../src/main/core/hotkey/service';
import type { SettingsStore } from '../../src/main/core/settings/types';
import { DEFAULT_MODES, type Mode } from '../../src/shared/settings';
import { Rig } from './rig';

let rig: Rig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

type Create = { response: { instructions?: string; output_modalities?: string[] } };
const creates = (r: Rig): Create[] =>
  r.received().filter((e) => e.type === 'response.create') as unknown as Create[];

const pirate: Mode = {
  id: 'pirate',
  name: 'Pirate',
  replyAs: 'text',
  instructions: 'Talk like a pirate.',
  instructionsMode: 'replace',
  hotkey: 'F7',
};

describe('modes against the simulator', () => {
  it('a turn started by a mode’s key sends that mode’s instructions and modality; the next turn is the window’s', async () => {
    rig = await Rig.start({
      sim: { audioPacing: 'fast', instructions: 'You are Talkie.' },
      settings: { modes: [...DEFAULT_MODES, pirate] },
    });
    // The mode's key, held on an X11 desktop: the hotkey attached as the app attaches it, its calls going to
    // the assistant the way the talk.press / talk.release handlers pass them on.
    const r = rig;
    let listener: ((event: KeyEvent) => void) | null = null;
    const settings: SettingsStore = {
      get: () => r.settings,
      update: () => ({ ok: true, settings: r.settings }),
      onChange: () => () => undefined,
    };
    const hotkey = attachHotkey(
      {
        platform: 'linux',
        env: { DISPLAY: ':0', XDG_SESSION_TYPE: 'x11' },
        native: {
          start: async (l) => {
            listener = l;
            return { ok: true };
          },
          stop: () => undefined,
        },
        shortcut: null,
      },
      {
        handlers: {
          'talk.press': ({ source, modeId }) => r.assistant.press(source, modeId),
          'talk.release': ({ source, heldMs }) => r.assistant.release(source, heldMs),
        },
        emit: () => undefined,
        onEvent: () => () => undefined,
      },
      settings,
    );
    await hotkey.ready;
    await new Promise((resolve) => setImmediate(resolve));
    const key = (type: KeyEvent['type']): void =>
      listener?.({ type, key: 'F7', modifiers: { ctrl: false, shift: false, alt: false, meta: false } });
    key('keydown');
    await rig.until(() => rig?.assistant.snapshot().turns.length === 1, 'the turn to start');
    const id = rig.assistant.snapshot().turns.at(-1)?.id ?? '';
    await rig.until(() => (rig?.turn(id)?.recordedMs ?? 0) >= 400, '400 ms recorded');
    key('keyup');
    const turn = await rig.settled(id);
    hotkey.dispose();
    expect(turn).toMatchObject({
      phase: 'done',
      replyAs: 'text',
      instructions: 'Talk like a pirate.',
      instructionsMode: 'replace',
    });
    // The window's choice (Default: voice, no instructions) is untouched and is what a plain press uses.
    expect(rig.assistant.snapshot().next).toEqual({
      replyAs: 'voice',
      instructions: '',
      instructionsMode: 'append',
    });
    await rig.settled(await rig.talk(400));
    expect(creates(rig).map((c) => c.response)).toEqual([
      expect.objectContaining({ instructions: 'Talk like a pirate.', output_modalities: ['text'] }),
      expect.objectContaining({ output_modalities: ['audio'] }),
    ]);
    expect(creates(rig)[1]?.response).not.toHaveProperty('instructions');
    rig.expectAllValid();
  });

  it('a chosen mode’s instructions go with every turn, not just the first', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'fast', instructions: 'You are Talkie.' } });
    rig.settings = { ...rig.settings, modeId: 'translate-french' };
    rig.assistant.settingsChanged(rig.settings);
    const french = DEFAULT_MODES.find((m) => m.id === 'translate-french');
    expect(rig.assistant.snapshot().next).toEqual({
      replyAs: 'voice',
      instructions: french?.instructions,
      instructionsMode: 'replace',
    });
    for (const text of ['good morning', 'thank you']) {
      const { turnId } = await rig.assistant.sendText(text);
      await rig.settled(turnId);
    }
    expect(creates(rig).map((c) => c.response.instructions)).toEqual([
      french?.instructions,
      french?.instructions,
    ]);
    rig.expectAllValid();
  });
});
