/**
 * Which push-to-talk style the platform allows. Holding needs a global key-up, which only a native
 * hook (uiohook) sees: on X11, Windows, and macOS with Accessibility permission. Wayland gives apps
 * no global key-up at all, so there the key toggles (press to start, press again to send) through
 * Electron's globalShortcut.
 */
import type { ActiveMode } from './machine';

/** What the platform and the user's setting say about global keys. */
export interface ModeInputs {
  platform: NodeJS.Platform;
  /** process.env.XDG_SESSION_TYPE ('x11', 'wayland', 'tty', …). */
  sessionType?: string | undefined;
  /** process.env.WAYLAND_DISPLAY. */
  waylandDisplay?: string | undefined;
  /** An X display is set (process.env.DISPLAY); always true off Linux. */
  hasDisplay: boolean;
  /** The user's setting. */
  userChoice: 'auto' | 'hold' | 'toggle';
  /** The accelerator, for the words in `reason`. */
  accelerator?: string;
  /** macOS: the app is trusted for Accessibility (needed to see global key events). */
  accessibilityTrusted?: boolean;
  /** The native key hook loaded and can run here (false after a failed start). */
  nativeAvailable?: boolean;
  /** A toggle-only shortcut service exists (Electron's globalShortcut; absent in browser mode). */
  shortcutAvailable?: boolean;
}

/** The chosen mode, the key source that serves it, and why, in words. */
export interface ModeChoice {
  mode: ActiveMode;
  /** Plain words shown next to the hotkey setting. */
  reason: string;
  /** Where key events come from: the native hook, the shortcut service, or nowhere. */
  source: 'native' | 'shortcut' | 'none';
}

/** True on a Wayland session, where no app sees global key-ups (XWayland only sees its own windows). */
export function isWayland(
  inputs: Pick<ModeInputs, 'platform' | 'sessionType' | 'waylandDisplay' | 'hasDisplay'>,
): boolean {
  if (inputs.platform !== 'linux') return false;
  return inputs.sessionType === 'wayland' || (!inputs.hasDisplay && Boolean(inputs.waylandDisplay));
}

/** Picks hold or toggle (or off) and says why in words the user can act on. */
export function chooseHotkeyMode(inputs: ModeInputs): ModeChoice {
  const key = inputs.accelerator ?? 'the hotkey';
  const shortcut = inputs.shortcutAvailable ?? false;
  let noHold: string | null = null;
  let nativeUsable = inputs.nativeAvailable ?? true;

  if (isWayland(inputs)) {
    noHold = 'Wayland does not tell apps when a global key is released';
    nativeUsable = false;
  } else if (inputs.platform === 'linux' && !inputs.hasDisplay) {
    noHold = 'There is no X display (DISPLAY is not set)';
    nativeUsable = false;
  } else if (inputs.platform === 'darwin' && inputs.accessibilityTrusted === false) {
    noHold = `To hold ${key}, allow Talkie in System Settings › Privacy & Security › Accessibility, then restart Talkie`;
    nativeUsable = false;
  } else if (!nativeUsable) {
    noHold = 'The global key listener could not start here';
  }

  const toggleSource: ModeChoice['source'] = nativeUsable ? 'native' : shortcut ? 'shortcut' : 'none';
  const toggleWords = `press ${key} once to start talking, again to send`;

  if (inputs.userChoice !== 'toggle' && noHold === null) {
    return { mode: 'hold', source: 'native', reason: `Hold ${key} to talk, release to send.` };
  }
  if (toggleSource === 'none') {
    return {
      mode: 'off',
      source: 'none',
      reason: `${noHold ?? 'No global key listener is available here'}: the global hotkey is off. Use the Talk button in the window.`,
    };
  }
  if (inputs.userChoice === 'toggle')
    return { mode: 'toggle', source: toggleSource, reason: `Toggle mode: ${toggleWords}.` };
  return { mode: 'toggle', source: toggleSource, reason: `${noHold ?? ''}: ${toggleWords}.` };
}
