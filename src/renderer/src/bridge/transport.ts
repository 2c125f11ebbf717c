/**
 * Whether the window can reach main at all. In Electron main is always there; in browser mode the page talks
 * to it over a WebSocket that can drop (browser mode stopped, restarted, the machine asleep). The window shows
 * "Lost connection to Talkie" while it is gone and loads its state afresh when it is back.
 */

import type { TransportStatus } from './websocket';

export type { TransportStatus };

type Listener = (status: TransportStatus) => void;

/** A status value with subscribers; the bridge's transport sets it, the window reads it. */
export interface TransportState {
  get(): TransportStatus;
  set(status: TransportStatus): void;
  /** Subscribe; returns the unsubscribe function. */
  on(listener: Listener): () => void;
}

/** Creates a status holder starting at `initial`. */
export function createTransportState(initial: TransportStatus): TransportState {
  let current = initial;
  const listeners = new Set<Listener>();
  return {
    get: () => current,
    set(status) {
      if (status === current) return;
      current = status;
      for (const listener of [...listeners]) listener(status);
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
