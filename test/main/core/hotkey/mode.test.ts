import { describe, expect, it } from 'vitest';
import { chooseHotkeyMode, type ModeInputs } from '../../../../src/main/core/hotkey/mode';

const base: ModeInputs = {
  platform: 'linux',
  sessionType: 'x11',
  hasDisplay: true,
  userChoice: 'auto',
  accelerator: 'F9',
  shortcutAvailable: true,
};

describe('hotkey mode per platform', () => {
  it.each<[string, Partial<ModeInputs>, 'hold' | 'toggle' | 'off', 'native' | 'shortcut' | 'none', RegExp]>([
    ['Linux X11 holds', {}, 'hold', 'native', /^Hold F9 to talk, release to send\.$/],
    ['Windows holds', { platform: 'win32', sessionType: undefined }, 'hold', 'native', /^Hold F9/],
    [
      'macOS with Accessibility holds',
      { platform: 'darwin', accessibilityTrusted: true },
      'hold',
      'native',
      /^Hold F9/,
    ],
    [
      'macOS without Accessibility toggles and says where to allow it',
      { platform: 'darwin', accessibilityTrusted: false },
      'toggle',
      'shortcut',
      /Privacy & Security › Accessibility.*press F9 once to start talking, again to send/,
    ],
    [
      'Wayland toggles through the shortcut',
      { sessionType: 'wayland', waylandDisplay: 'wayland-0' },
      'toggle',
      'shortcut',
      /^Wayland does not tell apps when a global key is released: press F9 once/,
    ],
    [
      'Wayland toggles even when the user asked to hold',
      { sessionType: 'wayland', userChoice: 'hold' },
      'toggle',
      'shortcut',
      /^Wayland/,
    ],
    [
      'Wayland without XWayland toggles',
      { sessionType: undefined, hasDisplay: false, waylandDisplay: 'wayland-0' },
      'toggle',
      'shortcut',
      /^Wayland/,
    ],
    [
      'Wayland in browser mode (no shortcut service) is off',
      { sessionType: 'wayland', shortcutAvailable: false },
      'off',
      'none',
      /hotkey is off. Use the Talk button/,
    ],
    [
      'Linux with no display is off in browser mode',
      { hasDisplay: false, sessionType: 'tty', shortcutAvailable: false },
      'off',
      'none',
      /^There is no X display/,
    ],
    [
      'the user can choose toggle on X11 (native key events)',
      { userChoice: 'toggle' },
      'toggle',
      'native',
      /^Toggle mode: press F9 once/,
    ],
    [
      'a native hook that failed falls back to the shortcut',
      { nativeAvailable: false },
      'toggle',
      'shortcut',
      /could not start here: press F9/,
    ],
    [
      'Wayland without a GlobalShortcuts portal does not pretend with the shortcut (it needs that portal)',
      { sessionType: 'wayland', portalFailure: { kind: 'no-portal' } },
      'off',
      'none',
      /^No desktop portal is running.*org\.freedesktop\.portal\.GlobalShortcuts.*hotkey is off\. Use the Talk button/,
    ],
    [
      'Wayland without a portal, in the desktop app, says to bind `talkie --toggle` in the compositor',
      { sessionType: 'wayland', portalFailure: { kind: 'no-interface' }, commandLine: 'talkie' },
      'off',
      'none',
      /has no global shortcuts.*bind a key .* `talkie --toggle` .*`talkie --press`.*`talkie --release`/,
    ],
    [
      'Wayland with a portal that declined our bind toggles through the shortcut',
      { sessionType: 'wayland', portalFailure: { kind: 'declined' } },
      'toggle',
      'shortcut',
      /^The desktop’s global shortcut request was declined: press F9 once/,
    ],
  ])('%s', (_name, over, mode, source, reason) => {
    const choice = chooseHotkeyMode({ ...base, ...over });
    expect(choice.mode).toBe(mode);
    expect(choice.source).toBe(source);
    expect(choice.reason).toMatch(reason);
  });
});
