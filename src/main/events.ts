/**
 * The app's outgoing event stream to every window / browser tab. Bursty sources are coalesced so the
 * renderer gets at most one update per ~33 ms (≤ 30/s, the level meter's rate and smooth enough for streamed
 * text; see Coalescer): turn upserts keep the latest view per turn, levels and connection keep only the latest value.
 * Everything else goes out at once. Every update wakes the renderer, so a 50-frames-a-second press must not
 * become 50 re-renders a second.
 */
import type { Emit, EventName, EventPayload } from '../shared/contract';
import type { TurnView } from '../shared/types';
import { Coalescer } from './core/coalesce';
import { systemClock, type Clock } from './core/clock';

export type EventListener = (name: EventName, payload: unknown) => void;

export interface AppEvents {
  emit: Emit;
  /** Subscribe; returns the unsubscribe function. */
  on: (listener: EventListener) => () => void;
  dispose(): void;
}

const COALESCE_MS = 33;

/** Creates the coalescing event stream. The clock is injectable so tests need no real timers. */
export function createAppEvents(clock: Clock = systemClock): AppEvents {
  const listeners = new Set<EventListener>();
  const pendingTurns = new Map<string, TurnView>();
  const latest = new Map<'levels' | 'connection', unknown>();

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

  const coalescer = new Coalescer(
    () => {
      for (const [name, payload] of latest) deliver(name, payload);
      latest.clear();
      for (const view of pendingTurns.values()) deliver('turn', view);
      pendingTurns.clear();
    },
    COALESCE_MS,
    clock,
  );

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
    coalescer.request();
  };

  return {
    emit,
    on: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose: () => {
      coalescer.flush();
      listeners.clear();
    },
  };
}
