/**
 * The global push-to-talk key as a pure state machine: `step(state, input) → { state, effects }`.
 * It turns raw key events (or a toggle-only shortcut) into press/release of the talk key, and owns
 * the rules a physical keyboard needs: auto-repeat is not a new press, another key during the hold
 * does not end the turn, and a hold that never ends (lost key-up) is released after MAX_HOLD_MS.
 */
import { matchesChord, normalizeKey, type Chord, type Modifiers } from './accelerator';

/** A stuck key (missed key-up, e.g. the screen locked mid-hold) sends after this long. */
export const MAX_HOLD_MS = 120_000;
/**
 * Toggle shortcuts fire again while the key is held (auto-repeat) and have no key-up: an activation
 * this soon after the previous one is the same press.
 */
export const REPEAT_GUARD_MS = 400;

/** The mode the machine runs in: hold (key-down/up), toggle (press, press), or off. */
export type ActiveMode = 'hold' | 'toggle' | 'off';

/** The machine's whole state: mode, chord and where the current press stands. */
export interface HotkeyState {
  mode: ActiveMode;
  chord: Chord;
  /**
   * idle: nothing held. talking: a turn this key started is capturing. expired: hold mode, the turn
   * ended without the key coming up (timeout, or ended elsewhere); wait for the key-up.
   */
  phase: 'idle' | 'talking' | 'expired';
  /** Toggle mode with key events: the main key is down (its repeats are ignored). */
  keyDown: boolean;
  /** Time of the last shortcut activation (toggle without key-up), for the repeat guard. */
  lastActivateAt: number | null;
}

/** Everything that can happen to the hotkey. */
export type HotkeyInput =
  | { type: 'keydown'; key: string; modifiers: Modifiers }
  | { type: 'keyup'; key: string }
  /** A toggle-only shortcut fired (Electron globalShortcut): there will be no key-up. */
  | { type: 'activate'; at: number }
  /** The MAX_HOLD_MS timer fired. */
  | { type: 'timeout' }
  /** The app's turn started or stopped capturing, from any source (button, tray, this key). */
  | { type: 'listening'; value: boolean }
  | { type: 'configure'; mode: ActiveMode; chord: Chord };

/** What the caller must do: press/release the talk key, arm/disarm the stuck-key timer. */
export type HotkeyEffect =
  | { type: 'press' }
  | { type: 'release'; reason: 'key' | 'timeout' | 'reconfigured' }
  | { type: 'startTimer'; ms: number }
  | { type: 'cancelTimer' };

/** The result of one step: the next state and the effects to run, in order. */
export interface Step {
  state: HotkeyState;
  effects: HotkeyEffect[];
}

/** The machine before any key: idle in the given mode. */
export function initialHotkeyState(mode: ActiveMode, chord: Chord): HotkeyState {
  return { mode, chord, phase: 'idle', keyDown: false, lastActivateAt: null };
}

const start = (state: HotkeyState): Step => ({
  state: { ...state, phase: 'talking' },
  effects: [{ type: 'press' }, { type: 'startTimer', ms: MAX_HOLD_MS }],
});
const send = (
  state: HotkeyState,
  reason: 'key' | 'timeout' | 'reconfigured',
  phase: HotkeyState['phase'],
): Step => ({
  state: { ...state, phase },
  effects: [{ type: 'cancelTimer' }, { type: 'release', reason }],
});
const same = (state: HotkeyState): Step => ({ state, effects: [] });

/** Toggle: idle → start talking, talking → send. */
function flip(state: HotkeyState): Step {
  return state.phase === 'talking' ? send(state, 'key', 'idle') : start(state);
}

/** Advances the machine by one input. Pure: the caller runs the effects. */
export function step(state: HotkeyState, input: HotkeyInput): Step {
  if (input.type === 'configure') {
    const next = initialHotkeyState(input.mode, input.chord);
    // A turn this key started must not be left capturing under a key that no longer exists.
    return state.phase === 'talking'
      ? { state: next, effects: send(state, 'reconfigured', 'idle').effects }
      : same(next);
  }
  if (state.mode === 'off') return same(state);

  switch (input.type) {
    case 'keydown': {
      const isMain = normalizeKey(input.key) === state.chord.key;
      if (state.mode === 'hold') {
        // While held, every keydown (auto-repeat, another key) is ignored: the turn ends on key-up only.
        if (state.phase !== 'idle') return same(state);
        return matchesChord(state.chord, input.key, input.modifiers) ? start(state) : same(state);
      }
      if (!isMain || state.keyDown) return same(state);
      if (!matchesChord(state.chord, input.key, input.modifiers)) return same(state);
      const flipped = flip(state);
      return { ...flipped, state: { ...flipped.state, keyDown: true } };
    }
    case 'keyup': {
      if (normalizeKey(input.key) !== state.chord.key) return same(state);
      if (state.mode === 'toggle') return same({ ...state, keyDown: false });
      if (state.phase === 'talking') return send(state, 'key', 'idle');
      return same({ ...state, phase: 'idle' });
    }
    case 'activate': {
      if (state.mode !== 'toggle') return same(state);
      const repeat = state.lastActivateAt !== null && input.at - state.lastActivateAt < REPEAT_GUARD_MS;
      const withTime = { ...state, lastActivateAt: input.at };
      return repeat ? same(withTime) : flip(withTime);
    }
    case 'timeout': {
      if (state.phase !== 'talking') return same(state);
      // Hold: wait for the (late) key-up before a new press can start. Toggle: next press starts.
      return send(state, 'timeout', state.mode === 'hold' ? 'expired' : 'idle');
    }
    case 'listening': {
      if (input.value) {
        // Toggle: a turn started elsewhere (button, tray) is sent by the next press of this key.
        return state.mode === 'toggle' && state.phase === 'idle'
          ? same({ ...state, phase: 'talking' })
          : same(state);
      }
      if (state.phase !== 'talking') return same(state);
      // The turn ended elsewhere: forget it, and in hold mode ignore this hold until its key-up.
      return {
        state: { ...state, phase: state.mode === 'hold' ? 'expired' : 'idle' },
        effects: [{ type: 'cancelTimer' }],
      };
    }
  }
}
