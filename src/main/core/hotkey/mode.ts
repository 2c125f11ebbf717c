/**
 * Which push-to-talk style the platform allows when the native hook is the way (or the portal failed).
 * Holding needs a global key-up, which a native hook (uiohook) sees on X11, Windows, and macOS with
 * Accessibility permission. On Wayland only the desktop portal (org.freedesktop.portal.GlobalShortcuts)
 * reports keys; the service tries it first, and this decides what follows when it cannot: Electron's
 * globalShortcut as a toggle, or a key bound in the compositor to `talkie --toggle`.
 */
import type { ActiveMode } from './machine';
import { portalFailureWords, portalMissing, type PortalFailure } from './portal-keys';

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
  /** Wayland: why the desktop portal could not bind the key (the service tried it first). */
  portalFailure?: PortalFailure;
  /** The command that reaches this running app with --toggle / --press / --release ("talkie"). */
  commandLine?: string;
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
  let shortcut = inputs.shortcutAvailable ?? false;
  let noHold: string | null = null;
  let nativeUsable = inputs.nativeAvailable ?? true;

  if (isWayland(inputs)) {
    const failure = inputs.portalFailure;
    noHold = failure
      ? portalFailureWords(failure)
      : 'Wayland does not tell apps when a global key is released';
    // Electron's globalShortcut goes through the same portal on Wayland: with none, it sees nothing.
    if (failure && portalMissing(failure)) shortcut = false;
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
    const cmd = inputs.commandLine;
    const instead = cmd
      ? `Instead, bind a key in your desktop’s keyboard settings to run \`${cmd} --toggle\` (or \`${cmd} --press\` on key press and \`${cmd} --release\` on release, to hold), or use the Talk button in the window.`
      : 'Use the Talk button in the window.';
    return {
      mode: 'off',
      source: 'none',
      reason: `${noHold ?? 'No global key listener is available here'}: the global hotkey is off. ${instead}`,
    };
  }
  if (inputs.userChoice === 'toggle')
    return { mode: 'toggle', source: toggleSource, reason: `Toggle mode: ${toggleWords}.` };
  return { mode: 'toggle', source: toggleSource, reason: `${noHold ?? ''}: ${toggleWords}.` };
}
