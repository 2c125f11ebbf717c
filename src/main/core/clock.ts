/**
 * Time and timers for core code, injectable so tests drive them without waiting. The one clock
 * interface: the turn runner, the Realtime connection, the coalescers, the event log and BeatClock
 * all take this shape.
 */
export interface Clock {
  /** ms since epoch (wall time: for timestamps shown or sent, not for measuring gaps). */
  now(): number;
  /** Runs `fn` once after `ms`; the handle is opaque and only good for this clock's clearTimeout. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a pending timeout; a handle that already ran or was cleared is ignored. */
  clearTimeout(handle: unknown): void;
}

/** The real clock: Date.now and the global timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
