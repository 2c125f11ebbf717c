/**
 * The next-turn options before anyone chose: reply in voice, and no per-turn instructions (an empty box
 * means "the session's instructions apply"; the wire omits the field, it never sends an empty string).
 */
import type { NextTurnOptions } from './types';

export const DEFAULT_NEXT_TURN: Readonly<NextTurnOptions> = Object.freeze({
  replyAs: 'voice',
  instructions: '',
  instructionsMode: 'append',
});
