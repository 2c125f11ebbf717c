/**
 * Loads the snapshot and the log, then keeps the state current from main's events. Log batches are
 * coalesced to one render per animation frame, so a burst of deltas costs at most ~60 renders a second.
 * When the page loses main (browser mode stopped or restarted) it says so, and once main is back it loads
 * everything afresh: main may have restarted, with its turns settled and its log numbered anew.
 */
import { useEffect, useReducer, type Dispatch } from 'react';
import type { LogEntry } from '../../../shared/types';
import { getBridge, getTransport } from '../bridge';
import { createBatcher, type Schedule } from '../model/batcher';
import { parseDismissals } from '../model/dismissals';
import { initialState, reduce, type UiAction, type UiState } from '../model/state';

/** Where the dismissed notices are remembered across reloads. */
const DISMISSED_KEY = 'talkie.dismissedNotices';

/** One frame when the window is visible; a slower timer when hidden, where frames stop entirely. */
const nextFrame: Schedule = (run) => {
  if (document.hidden) {
    const timer = window.setTimeout(run, 250);
    return () => window.clearTimeout(timer);
  }
  const frame = window.requestAnimationFrame(run);
  return () => window.cancelAnimationFrame(frame);
};

const readDismissed = (): string[] => {
  try {
    return parseDismissals(window.localStorage.getItem(DISMISSED_KEY));
  } catch {
    return [];
  }
};

/** The app's state plus a dispatcher for local actions (dismissing a notice, clearing the log view). */
export function useAppState(): [UiState, Dispatch<UiAction>] {
  const [state, dispatch] = useReducer(reduce, initialState, (s) => ({ ...s, dismissed: readDismissed() }));

  useEffect(() => {
    try {
      window.localStorage.setItem(DISMISSED_KEY, JSON.stringify(state.dismissed));
    } catch {
      // Storage can be unavailable (privacy settings); dismissals then last until the page reloads.
    }
  }, [state.dismissed]);

  useEffect(() => {
    const bridge = getBridge();
    const transport = getTransport();
    let live = true;
    const logBatcher = createBatcher<LogEntry>(nextFrame, (entries) => dispatch({ type: 'log', entries }));
    const unsubscribe = [
      bridge.on('connection', (payload) => dispatch({ type: 'connection', payload })),
      bridge.on('turn', (payload) => dispatch({ type: 'turn', payload })),
      bridge.on('turn.removed', (payload) => dispatch({ type: 'turn.removed', payload })),
      bridge.on('conversation', (payload) => dispatch({ type: 'conversation', payload })),
      bridge.on('conversations', (payload) => dispatch({ type: 'conversations', payload })),
      bridge.on('next', (payload) => dispatch({ type: 'next', payload })),
      bridge.on('attachments', (payload) => dispatch({ type: 'attachments', payload })),
      bridge.on('settings', (payload) => dispatch({ type: 'settings', payload })),
      bridge.on('hotkey', (payload) => dispatch({ type: 'hotkey', payload })),
      bridge.on('notice', (payload) => dispatch({ type: 'notice', payload })),
      bridge.on('notice.clear', (payload) => dispatch({ type: 'notice.clear', payload })),
      bridge.on('log', (entries) => logBatcher.push(entries)),
    ];
    // Subscribed first, then loaded: an event racing the snapshot is applied again on top, which is
    // harmless for upserts, and the log's seq filter drops any overlap. A failed load is shown and
    // retried with a growing pause (main may still be starting, or the socket reconnecting).
    let retry: number | undefined;
    let generation = 0;
    const load = async (attempt: number, reset: boolean, ticket: number): Promise<void> => {
      try {
        const snapshot = await bridge['app.snapshot']({});
        if (!live || ticket !== generation) return;
        dispatch({ type: 'snapshot', snapshot });
        const entries = await bridge['log.entries']({});
        if (!live || ticket !== generation) return;
        dispatch(reset ? { type: 'log.reset', entries } : { type: 'log', entries });
      } catch (e) {
        if (!live || ticket !== generation) return;
        dispatch({ type: 'load.failed', reason: e instanceof Error ? e.message : String(e) });
        retry = window.setTimeout(
          () => void load(attempt + 1, reset, ticket),
          Math.min(5000, 500 * 2 ** attempt),
        );
      }
    };
    dispatch({ type: 'transport', status: transport.get() });
    let wasLost = false;
    unsubscribe.push(
      transport.on((status) => {
        dispatch({ type: 'transport', status });
        if (status === 'lost') wasLost = true;
        if (status === 'open' && wasLost) {
          // Main is back (perhaps restarted): everything is loaded again, the log from scratch.
          wasLost = false;
          window.clearTimeout(retry);
          void load(0, true, ++generation);
        }
      }),
    );
    void load(0, false, generation);
    return () => {
      live = false;
      window.clearTimeout(retry);
      logBatcher.dispose();
      for (const off of unsubscribe) off();
    };
  }, []);

  return [state, dispatch];
}
