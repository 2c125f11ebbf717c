/**
 * Coalesces bursts into at most one flush per frame: items pushed between two frames are handed over
 * together. The scheduler is injected (requestAnimationFrame in the window), so this is testable in Node.
 */

/** Schedules a callback once; returns a function that cancels it. */
export type Schedule = (run: () => void) => () => void;

export interface Batcher<T> {
  push(items: readonly T[]): void;
  /** Hands over anything pending now (e.g. before unmount) and cancels the scheduled flush. */
  flush(): void;
  dispose(): void;
}

/** Creates a batcher that calls `deliver` with everything pushed since the last delivery. */
export function createBatcher<T>(schedule: Schedule, deliver: (items: T[]) => void): Batcher<T> {
  let pending: T[] = [];
  let cancel: (() => void) | null = null;
  const run = (): void => {
    cancel = null;
    if (pending.length === 0) return;
    const items = pending;
    pending = [];
    deliver(items);
  };
  return {
    push(items) {
      if (items.length === 0) return;
      for (const item of items) pending.push(item);
      cancel ??= schedule(run);
    },
    flush() {
      cancel?.();
      run();
    },
    dispose() {
      cancel?.();
      cancel = null;
      pending = [];
    },
  };
}
