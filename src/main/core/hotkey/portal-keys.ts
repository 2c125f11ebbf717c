/**
 * Turns the desktop portal's Activated/Deactivated signals (org.freedesktop.portal.GlobalShortcuts,
 * Wayland) into inputs for the hotkey machine. Activated is the key going down and Deactivated the
 * key coming up, so the portal can hold-to-talk. Not every backend sends Deactivated: a second
 * Activated while the first press is still "held", with no Deactivated ever seen, means this
 * backend only reports presses, and the key becomes a toggle from then on (that press sends).
 * Pure: the service runs the inputs.
 */
import type { Chord } from './accelerator';
import { REPEAT_GUARD_MS, type HotkeyInput, type HotkeyState } from './machine';

/** Why the portal could not bind the shortcut; `missing` kinds mean no GlobalShortcuts portal at all. */
export type PortalFailure =
  /** No D-Bus session bus to reach the portal on. */
  | { kind: 'no-bus'; detail: string }
  /** org.freedesktop.portal.Desktop is not on the session bus (xdg-desktop-portal not installed/running). */
  | { kind: 'no-portal' }
  /** The portal runs, but its backend has no GlobalShortcuts interface. */
  | { kind: 'no-interface' }
  /** The user dismissed the desktop's "allow this shortcut" dialog. */
  | { kind: 'declined' }
  | { kind: 'failed'; detail: string };

/** True when there is no GlobalShortcuts portal at all (so Electron's globalShortcut has none either). */
export function portalMissing(failure: PortalFailure): boolean {
  return failure.kind === 'no-bus' || failure.kind === 'no-portal' || failure.kind === 'no-interface';
}

const INSTALL =
  'install xdg-desktop-portal with a backend that has it, such as KDE’s (xdg-desktop-portal-kde) or GNOME 48+ (xdg-desktop-portal-gnome)';

/** The failure in words the user can act on. */
export function portalFailureWords(failure: PortalFailure): string {
  switch (failure.kind) {
    case 'no-bus':
      return `The desktop portal cannot be reached: there is no D-Bus session bus (${failure.detail}). Global keys on Wayland need org.freedesktop.portal.GlobalShortcuts: ${INSTALL}`;
    case 'no-portal':
      return `No desktop portal is running (org.freedesktop.portal.Desktop is not on the session bus). Global keys on Wayland need org.freedesktop.portal.GlobalShortcuts: ${INSTALL}`;
    case 'no-interface':
      return `The desktop portal has no global shortcuts (org.freedesktop.portal.GlobalShortcuts is missing): ${INSTALL}`;
    case 'declined':
      return 'The desktop’s global shortcut request was declined';
    case 'failed':
      return `The desktop portal could not bind the shortcut (${failure.detail})`;
  }
}

/** How the portal's signals are read right now. */
export interface PortalKeysState {
  /** hold: Activated = key down, Deactivated = key up. toggle: each Activated flips. */
  mode: 'hold' | 'toggle';
  /** A Deactivated has arrived since the bind: this backend reports key-ups. */
  sawRelease: boolean;
  /** When the last Activated arrived, to tell auto-repeat from a new press. */
  lastActivatedAt: number | null;
}

/** Fresh state after a bind: hold unless the user chose toggle. */
export function initialPortalKeys(mode: 'hold' | 'toggle'): PortalKeysState {
  return { mode, sawRelease: false, lastActivatedAt: null };
}

/** One portal signal's effect: the next portal state, machine inputs, and whether hold became toggle. */
export interface PortalStep {
  portal: PortalKeysState;
  inputs: HotkeyInput[];
  becameToggle: boolean;
}

/** Reads one signal, given the machine's current state (its phase says whether a press is held). */
export function portalStep(
  portal: PortalKeysState,
  machine: Pick<HotkeyState, 'phase'>,
  chord: Chord,
  signal: 'activated' | 'deactivated',
  at: number,
): PortalStep {
  if (signal === 'deactivated') {
    const next = { ...portal, sawRelease: true };
    return {
      portal: next,
      inputs: portal.mode === 'hold' ? [{ type: 'keyup', key: chord.key }] : [],
      becameToggle: false,
    };
  }
  const repeat = portal.lastActivatedAt !== null && at - portal.lastActivatedAt < REPEAT_GUARD_MS;
  const next = { ...portal, lastActivatedAt: at };
  if (portal.mode === 'toggle')
    return { portal: next, inputs: [{ type: 'activate', at }], becameToggle: false };
  if (machine.phase !== 'idle' && !portal.sawRelease) {
    // Auto-repeat while held is not a second press.
    if (repeat) return { portal: next, inputs: [], becameToggle: false };
    // Pressed again without a key-up in between: this backend has no Deactivated. Switching the
    // machine to toggle sends a turn still capturing; a turn already ended makes this press a start.
    const inputs: HotkeyInput[] = [{ type: 'configure', mode: 'toggle', chord }];
    if (machine.phase === 'expired') inputs.push({ type: 'activate', at });
    return { portal: { ...next, mode: 'toggle' }, inputs, becameToggle: true };
  }
  return {
    portal: next,
    inputs: [{ type: 'keydown', key: chord.key, modifiers: chord.modifiers }],
    becameToggle: false,
  };
}
