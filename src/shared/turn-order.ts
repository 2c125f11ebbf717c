/** Which of two turns is the newer, for views that follow "the current turn" (tray icon, hotkey). */
import type { TurnView } from './types';

/**
 * True when `a` is `b` or started after it. Indices restart in each conversation, start times do not;
 * the index breaks ties between turns started in the same millisecond.
 */
export function isSameOrNewerTurn(a: TurnView, b: TurnView): boolean {
  if (a.id === b.id) return true;
  if (a.startedAt !== b.startedAt) return a.startedAt > b.startedAt;
  return a.index >= b.index;
}
