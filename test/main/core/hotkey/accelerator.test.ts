import { describe, expect, it } from 'vitest';
import { matchesChord, NO_MODIFIERS, parseAccelerator } from '../../../../src/main/core/hotkey/accelerator';

describe('accelerators', () => {
  it.each([
    ['F9', 'linux', { key: 'F9', modifiers: NO_MODIFIERS }],
    [
      'CommandOrControl+Shift+Space',
      'linux',
      { key: 'Space', modifiers: { ...NO_MODIFIERS, ctrl: true, shift: true } },
    ],
    [
      'CommandOrControl+Shift+Space',
      'darwin',
      { key: 'Space', modifiers: { ...NO_MODIFIERS, meta: true, shift: true } },
    ],
    ['Option+Esc', 'darwin', { key: 'Escape', modifiers: { ...NO_MODIFIERS, alt: true } }],
    ['Super+x', 'linux', { key: 'X', modifiers: { ...NO_MODIFIERS, meta: true } }],
  ] as const)('reads %s on %s', (acc, platform, chord) => {
    expect(parseAccelerator(acc, platform)).toEqual({ ok: true, chord });
  });

  it.each([
    ['Hyper+F9', '"Hyper" is not a modifier (use Control, Shift, Alt or Super)'],
    ['Control+Shift', '"Control+Shift" needs a key besides modifiers'],
    ['', '"" has no key'],
  ])('explains why %s is not usable', (acc, error) => {
    expect(parseAccelerator(acc, 'linux')).toEqual({ ok: false, error });
  });

  it('does not fire an F9 hotkey for Shift+F9', () => {
    const parsed = parseAccelerator('F9', 'linux');
    if (!parsed.ok) throw new Error(parsed.error);
    expect(matchesChord(parsed.chord, 'F9', { ...NO_MODIFIERS, shift: true })).toBe(false);
    expect(matchesChord(parsed.chord, 'F9', NO_MODIFIERS)).toBe(true);
  });
});
