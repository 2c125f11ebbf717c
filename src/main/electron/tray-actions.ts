/** The tray menu's actions as typed calls of the contract's handlers: the same code the window's commands run. */
import type { Emit, Handlers } from '../../shared/contract';
import { errorMessage } from '../../shared/error-message';
import type { NextTurnOptions } from '../../shared/types';
import type { TrayActions } from './tray';
import { DEFAULT_NEXT_TURN } from '../../shared/next-turn';

/** What the tray's actions act on. */
export interface TrayActionDeps {
  handlers: Pick<Handlers, 'talk.toggle' | 'turn.setNext' | 'settings.update'>;
  emit: Emit;
  /** The next-turn options in force (the radio items change replyAs only). */
  next: () => NextTurnOptions | null;
  showWindow(): void;
  quit(): void;
  /** Where a failed command is reported (a notice); the tray has no place to show errors. */
  onError(message: string): void;
}

/** Builds the tray's actions over the handlers. */
export function createTrayActions(deps: TrayActionDeps): TrayActions {
  const run = (call: () => Promise<unknown>): void => {
    call().catch((error: unknown) => deps.onError(errorMessage(error)));
  };
  return {
    show: () => deps.showWindow(),
    toggleTalk: () => run(() => deps.handlers['talk.toggle']({ source: 'tray' })),
    setReplyAs: (replyAs) => {
      const next = deps.next() ?? DEFAULT_NEXT_TURN;
      run(() => deps.handlers['turn.setNext']({ ...next, replyAs }));
    },
    chooseMode: (modeId) =>
      run(async () => {
        const result = await deps.handlers['settings.update']({ modeId });
        if (!result.ok) throw new Error(Object.values(result.errors)[0] ?? 'That mode cannot be chosen');
      }),
    openSettings: () => {
      deps.showWindow();
      deps.emit('navigate', { to: 'settings' });
    },
    captureScreen: () => {
      deps.showWindow();
      deps.emit('navigate', { to: 'capture' });
    },
    quit: () => deps.quit(),
  };
}
