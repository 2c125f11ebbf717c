/** The tray menu's actions as contract commands, so the tray goes through the same validated path as the window. */
import type { Emit } from '../../shared/contract';
import type { NextTurnOptions } from '../../shared/types';
import type { Dispatch } from '../ipc/dispatch';
import type { TrayActions } from './tray';
import { DEFAULT_NEXT_TURN } from '../../shared/next-turn';

/** What the tray's actions act on. */
export interface TrayActionDeps {
  dispatch: Dispatch;
  emit: Emit;
  /** The next-turn options in force (the radio items change replyAs only). */
  next: () => NextTurnOptions | null;
  showWindow(): void;
  quit(): void;
  /** Where a failed command is reported (a notice); the tray has no place to show errors. */
  onError(message: string): void;
}

/** Builds the tray's actions over the dispatcher. */
export function createTrayActions(deps: TrayActionDeps): TrayActions {
  const run = async (name: string, payload: unknown): Promise<void> => {
    const result = await deps.dispatch(name, payload);
    if (!result.ok) deps.onError(result.error.message);
  };
  return {
    show: () => deps.showWindow(),
    toggleTalk: () => void run('talk.toggle', { source: 'tray' }),
    setReplyAs: (replyAs) => {
      const next = deps.next() ?? DEFAULT_NEXT_TURN;
      void run('turn.setNext', { ...next, replyAs });
    },
    openSettings: () => {
      deps.showWindow();
      deps.emit('navigate', { to: 'settings' });
    },
    quit: () => deps.quit(),
  };
}
