import { describe, expect, it } from 'vitest';
import {
  NO_MODIFIERS,
  parseAccelerator,
  type Chord,
  type Modifiers,
} from '../../../../src/main/core/hotkey/accelerator';
import {
  MAX_HOLD_MS,
  REPEAT_GUARD_MS,
  initialHotkeyState,
  step,
  type ActiveMode,
  type HotkeyEffect,
  type HotkeyInput,
} from '../../../../src/main/core/hotkey/machine';

const chord = (acc: string): Chord => {
  const parsed = parseAccelerator(acc, 'linux');
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.chord;
};
const mods = (m: Partial<Modifiers> = {}): Modifiers => ({ ...NO_MODIFIERS, ...m });
const down = (key: string, m: Partial<Modifiers> = {}): HotkeyInput => ({
  type: 'keydown',
  key,
  modifiers: mods(m),
});
const up = (key: string): HotkeyInput => ({ type: 'keyup', key });

const PRESS: HotkeyEffect[] = [{ type: 'press' }, { type: 'startTimer', ms: MAX_HOLD_MS }];
const SEND: HotkeyEffect[] = [{ type: 'cancelTimer' }, { type: 'release', reason: 'key' }];
const TIMEOUT: HotkeyEffect[] = [{ type: 'cancelTimer' }, { type: 'release', reason: 'timeout' }];

/** Runs inputs from idle and returns the effects of each step, in order. */
function run(mode: ActiveMode, accelerator: string, inputs: HotkeyInput[]): HotkeyEffect[][] {
  let state = initialHotkeyState(mode, chord(accelerator));
  return inputs.map((input) => {
    const next = step(state, input);
    state = next.state;
    return next.effects;
  });
}

describe('hold mode', () => {
  it.each<[string, string, HotkeyInput[], HotkeyEffect[][]]>([
    ['key down starts talking, key up sends', 'F9', [down('F9'), up('F9')], [PRESS, SEND]],
    [
      'auto-repeat key downs are not new presses',
      'F9',
      [down('F9'), down('F9'), down('F9'), up('F9')],
      [PRESS, [], [], SEND],
    ],
    [
      'another key pressed during the hold does not end the turn',
      'F9',
      [down('F9'), down('A'), up('A'), up('F9')],
      [PRESS, [], [], SEND],
    ],
    ['a stray key up with nothing held does nothing', 'F9', [up('F9'), down('F8'), up('F8')], [[], [], []]],
    [
      'a stuck key is released after two minutes, and its late key up starts nothing',
      'F9',
      [down('F9'), { type: 'timeout' }, down('F9'), up('F9'), down('F9')],
      [PRESS, TIMEOUT, [], [], PRESS],
    ],
    [
      'a chord needs exactly its modifiers',
      'Control+Shift+Space',
      [
        down('Space'),
        down('Space', { ctrl: true }),
        down('Space', { ctrl: true, shift: true, alt: true }),
        down('Space', { ctrl: true, shift: true }),
      ],
      [[], [], [], PRESS],
    ],
    [
      'releasing a modifier before the key keeps talking; the key up sends',
      'Control+Shift+Space',
      [down('Space', { ctrl: true, shift: true }), up('Control'), up('Shift'), up('Space')],
      [PRESS, [], [], SEND],
    ],
    ['letters match whatever their case', 'Alt+a', [down('A', { alt: true }), up('a')], [PRESS, SEND]],
    ['Return and Enter are the same key', 'Return', [down('Enter'), up('Enter')], [PRESS, SEND]],
    [
      'a timer firing after the key up does nothing',
      'F9',
      [down('F9'), up('F9'), { type: 'timeout' }],
      [PRESS, SEND, []],
    ],
    ['shortcut activations are ignored (hold needs key events)', 'F9', [{ type: 'activate', at: 0 }], [[]]],
  ])('%s', (_name, accelerator, inputs, expected) => {
    expect(run('hold', accelerator, inputs)).toEqual(expected);
  });

  it('a turn ended elsewhere (e.g. the window) is not restarted by the same hold', () => {
    expect(
      run('hold', 'F9', [down('F9'), { type: 'listening', value: false }, down('F9'), up('F9'), down('F9')]),
    ).toEqual([PRESS, [{ type: 'cancelTimer' }], [], [], PRESS]);
  });
});

describe('toggle mode', () => {
  const at = (t: number): HotkeyInput => ({ type: 'activate', at: t });
  it.each<[string, HotkeyInput[], HotkeyEffect[][]]>([
    ['press starts, press again sends', [at(0), at(5000)], [PRESS, SEND]],
    [
      'a shortcut firing again while held (auto-repeat) is one press',
      [at(0), at(REPEAT_GUARD_MS - 1), at(REPEAT_GUARD_MS + 30), at(5000)],
      [PRESS, [], [], SEND],
    ],
    [
      'with key events: repeats until key up are ignored',
      [down('F9'), down('F9'), up('F9'), down('F9'), up('F9')],
      [PRESS, [], [], SEND, []],
    ],
    [
      'a forgotten toggle sends after two minutes; the next press starts anew',
      [at(0), { type: 'timeout' }, at(200_000)],
      [PRESS, TIMEOUT, PRESS],
    ],
    [
      'a turn started from the window is sent by the next press',
      [{ type: 'listening', value: true }, at(0)],
      [[], SEND],
    ],
    [
      'a turn sent from the window makes the next press start again',
      [at(0), { type: 'listening', value: false }, at(5000)],
      [PRESS, [{ type: 'cancelTimer' }], PRESS],
    ],
  ])('%s', (_name, inputs, expected) => {
    expect(run('toggle', 'F9', inputs)).toEqual(expected);
  });
});

describe('configuration', () => {
  it('off ignores every key', () => {
    expect(
      run('off', 'F9', [down('F9'), up('F9'), { type: 'activate', at: 0 }, { type: 'timeout' }]),
    ).toEqual([[], [], [], []]);
  });

  it('changing the hotkey mid-turn sends the turn instead of leaving it capturing', () => {
    expect(
      run('hold', 'F9', [
        down('F9'),
        { type: 'configure', mode: 'hold', chord: chord('F10') },
        up('F9'),
        down('F10'),
      ]),
    ).toEqual([PRESS, [{ type: 'cancelTimer' }, { type: 'release', reason: 'reconfigured' }], [], PRESS]);
  });
});
