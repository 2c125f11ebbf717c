import type { Clock } from './clock';

/**
 * "At most one update per interval" without a timer per update. Audio-driven streams (50 appends a second while
 * a key is held, deltas while a reply plays) would otherwise wake the main thread once more per UI flush: a
 * steady stream here rides on its own wake-ups instead, and a timer fires only to deliver the last state once
 * the stream stops.
 *
 * - The first update after a quiet interval runs at once (a lone status change is never delayed).
 * - Updates within the interval wait; the first update after it runs them all together.
 * - A fallback timer runs what is still waiting at most 2 intervals after the last run.
 *
 * Node leaves its libuv timer running when a timeout is cleared, so on a plain clock a fallback that was armed and
 * then made unnecessary still wakes the event loop once at its original time (no callback runs): about one wake-up
 * per two intervals per coalescer during a steady stream. The app gives its coalescers a BeatClock, whose timeouts
 * ride on the microphone's wake-ups instead.
 */
export class Coalescer {
  private lastRun = Number.NEGATIVE_INFINITY;
  private waiting = false;
  private timer: unknown = null;

  constructor(
    private readonly run: () => void,
    private readonly intervalMs: number,
    private readonly clock: Clock,
  ) {}

  /** Something new is ready to go out. */
  request(): void {
    this.waiting = true;
    const now = this.clock.now();
    if (now - this.lastRun >= this.intervalMs) {
      this.flush();
      return;
    }
    this.timer ??= this.clock.setTimeout(
      () => {
        this.timer = null;
        this.flush();
      },
      this.lastRun + 2 * this.intervalMs - now,
    );
  }

  /** Runs what is waiting now (e.g. on shutdown). */
  flush(): void {
    this.cancelTimer();
    if (!this.waiting) return;
    this.waiting = false;
    this.lastRun = this.clock.now();
    this.run();
  }

  /** Drops what is waiting. */
  cancel(): void {
    this.cancelTimer();
    this.waiting = false;
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
