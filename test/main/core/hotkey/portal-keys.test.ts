import { describe, expect, it } from 'vitest';
import { NO_MODIFIERS, type Chord } from '../../../../src/main/core/hotkey/accelerator';
import { REPEAT_GUARD_MS } from '../../../../src/main/core/hotkey/machine';
import {
  initialPortalKeys,
  portalFailureWords,
  portalMissing,
  portalStep,
} from '../../../../src/main/core/hotkey/portal-keys';
import { portalTrigger } from '../../../../src/main/core/hotkey/portal-trigger';

const F9: Chord = { key: 'F9', modifiers: NO_MODIFIERS };

describe('portal signals as key events', () => {
  it('reads Activated as the key going down and Deactivated as it coming up', () => {
    const down = portalStep(initialPortalKeys('hold'), { phase: 'idle' }, F9, 'activated', 0);
    expect(down.inputs).toEqual([{ type: 'keydown', key: 'F9', modifiers: NO_MODIFIERS }]);
    const up = portalStep(down.portal, { phase: 'talking' }, F9, 'deactivated', 300);
    expect(up.inputs).toEqual([{ type: 'keyup', key: 'F9' }]);
    expect(up.portal.sawRelease).toBe(true);
  });

  it('ignores auto-repeated Activated while the key is held', () => {
    const down = portalStep(initialPortalKeys('hold'), { phase: 'idle' }, F9, 'activated', 0);
    const repeat = portalStep(down.portal, { phase: 'talking' }, F9, 'activated', REPEAT_GUARD_MS - 1);
    expect(repeat).toMatchObject({ inputs: [], becameToggle: false });
  });

  it('becomes a toggle when pressed again with no Deactivated ever seen, and that press sends', () => {
    const down = portalStep(initialPortalKeys('hold'), { phase: 'idle' }, F9, 'activated', 0);
    const again = portalStep(down.portal, { phase: 'talking' }, F9, 'activated', 2000);
    expect(again.becameToggle).toBe(true);
    expect(again.portal.mode).toBe('toggle');
    expect(again.inputs).toEqual([{ type: 'configure', mode: 'toggle', chord: F9 }]);
  });

  it('starts a new turn on that press when the first one already ended (timeout or elsewhere)', () => {
    const down = portalStep(initialPortalKeys('hold'), { phase: 'idle' }, F9, 'activated', 0);
    const again = portalStep(down.portal, { phase: 'expired' }, F9, 'activated', 200_000);
    expect(again.inputs).toEqual([
      { type: 'configure', mode: 'toggle', chord: F9 },
      { type: 'activate', at: 200_000 },
    ]);
  });

  it('stays hold once the desktop has reported a key-up', () => {
    let portal = initialPortalKeys('hold');
    portal = portalStep(portal, { phase: 'idle' }, F9, 'activated', 0).portal;
    portal = portalStep(portal, { phase: 'talking' }, F9, 'deactivated', 500).portal;
    const stuck = portalStep(portal, { phase: 'expired' }, F9, 'activated', 5000);
    expect(stuck).toMatchObject({ becameToggle: false, inputs: [{ type: 'keydown' }] });
  });

  it('in toggle mode each Activated is an activation and Deactivated does nothing', () => {
    const toggle = initialPortalKeys('toggle');
    expect(portalStep(toggle, { phase: 'idle' }, F9, 'activated', 7).inputs).toEqual([
      { type: 'activate', at: 7 },
    ]);
    expect(portalStep(toggle, { phase: 'talking' }, F9, 'deactivated', 9).inputs).toEqual([]);
  });
});

describe('portal failures in words', () => {
  it('names the missing portal interface and what to install', () => {
    for (const failure of [
      { kind: 'no-portal' },
      { kind: 'no-interface' },
      { kind: 'no-bus', detail: 'x' },
    ] as const) {
      expect(portalMissing(failure)).toBe(true);
      const words = portalFailureWords(failure);
      expect(words).toContain('org.freedesktop.portal.GlobalShortcuts');
      expect(words).toContain('xdg-desktop-portal-kde');
      expect(words).toContain('GNOME 48+');
    }
    expect(portalMissing({ kind: 'declined' })).toBe(false);
    expect(portalMissing({ kind: 'failed', detail: 'x' })).toBe(false);
  });
});

describe('preferred trigger for the portal', () => {
  it.each([
    ['F9', { key: 'F9', modifiers: NO_MODIFIERS }, 'F9'],
    [
      'Control+Shift+Space',
      { key: 'Space', modifiers: { ...NO_MODIFIERS, ctrl: true, shift: true } },
      'CTRL+SHIFT+space',
    ],
    ['Super+A', { key: 'A', modifiers: { ...NO_MODIFIERS, meta: true } }, 'LOGO+a'],
    ['Alt+Enter', { key: 'Enter', modifiers: { ...NO_MODIFIERS, alt: true } }, 'ALT+Return'],
    ['Control+/', { key: '/', modifiers: { ...NO_MODIFIERS, ctrl: true } }, 'CTRL+slash'],
  ])('%s → freedesktop shortcut format', (_name, chord, expected) => {
    expect(portalTrigger(chord)).toBe(expected);
  });
});
