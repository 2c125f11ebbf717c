/**
 * The app's outgoing event stream to every window / browser tab. Bursty sources are coalesced so the
 * renderer gets at most one update per frame (≤ 60/s): turn upserts keep the latest view per turn,
 * levels and connection keep only the latest value. Everything else goes out at once.
 */
import type { Emit, EventName, EventPayload } from '../shared/contract';
import type { TurnView } from '../shared/types';

export type EventListener = (name: EventName, payload: unknown) => void;

export interface AppEvents {
  emit: Emit;
  /** Subscribe; returns the unsubscribe function. */
  on: (listener: EventListener) => () => void;
  dispose(): void;
}

const FRAME_MS = 16;

/** Creates the coalescing event stream. `schedule` is injectable so tests need no real timers. */
export function createAppEvents(
  schedule: (fn: () => void, ms: number) => { cancel(): void } = (fn, ms) => {
    const timer = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(timer) };
  },
): AppEvents {
  const listeners = new Set<EventListener>();
  const pendingTurns = new Map<string, TurnView>();
  const latest = new Map<'levels' | 'connection', unknown>();
  let flushTimer: { cancel(): void } | undefined;

  const deliver = (name: EventName, payload: unknown): void => {
    for (const listener of [...listeners]) {
      try {
        listener(name, payload);
      } catch (error) {
        // One broken window must not stop the others from hearing about the app.
        console.error(`event listener failed for ${name}:`, error);
      }
    }
  };

  const flush = (): void => {
    flushTimer = undefined;
    for (const [name, payload] of latest) deliver(name, payload);
    latest.clear();
    for (const view of pendingTurns.values()) deliver('turn', view);
    pendingTurns.clear();
  };

  const emit: Emit = <E extends EventName>(name: E, payload: EventPayload<E>): void => {
    if (name === 'turn') {
      const view = payload as TurnView;
      pendingTurns.set(view.id, view);
    } else if (name === 'levels' || name === 'connection') {
      latest.set(name, payload);
    } else {
      deliver(name, payload);
      return;
    }
    flushTimer ??= schedule(flush, FRAME_MS);
  };

  return {
    emit,
    on: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose: () => {
      flushTimer?.cancel();
      flush();
      listeners.clear();
    },
  };
}
