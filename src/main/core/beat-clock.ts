import { systemClock, type Clock } from './clock';

/**
 * A Clock whose timeouts ride on wake-ups that happen anyway.
 *
 * While the microphone is primed, its chunks wake the main thread 50 times a second all day (the "beat"). The
 * coalescers in front of the window (UI events, event-log batches) arm a fallback timeout on most beats and clear
 * it on the next one; Node still wakes the event loop at every cleared timeout's original time, so a steady press
 * cost about 28 extra wake-ups a second with nothing to do. Here a timeout set while beats arrive waits for the
 * first beat at or after its due time instead: no timer of its own, at most one beat period late.
 *
 * Beats can stop without notice (device closed or lost). One guard timer, armed only while timeouts wait and never
 * cleared, checks every `guardMs`: once no beat has come for `gapMs`, each waiting timeout moves to a real timer
 * for what is left of its delay. Timeouts set while no beats arrive are plain timers from the start.
 */
export class BeatClock implements Clock {
  private lastBeat = Number.NEGATIVE_INFINITY;
  private readonly waiting = new Set<Riding>();
  private guardArmed = false;

  constructor(
    private readonly base: Clock = systemClock,
    private readonly options: { gapMs: number; guardMs: number } = { gapMs: 100, guardMs: 250 },
    /** Monotonic ms for due times and beat gaps (wall time can jump). */
    private readonly mono: () => number = () => performance.now(),
  ) {}

  now(): number {
    return this.base.now();
  }

  /** A wake-up that happened anyway: runs every waiting timeout that is due. */
  beat(): void {
    const now = this.mono();
    this.lastBeat = now;
    if (this.waiting.size === 0) return;
    for (const riding of [...this.waiting]) {
      if (riding.due > now || !this.waiting.has(riding)) continue; // cleared by an earlier callback
      this.waiting.delete(riding);
      run(riding.fn);
    }
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const now = this.mono();
    if (now - this.lastBeat > this.options.gapMs) return { timer: this.base.setTimeout(fn, ms) };
    const riding: Riding = { due: now + ms, fn, timer: null };
    this.waiting.add(riding);
    this.armGuard();
    return riding;
  }

  clearTimeout(handle: unknown): void {
    const h = handle as Partial<Riding> | null;
    if (!h || typeof h !== 'object') return;
    if ('due' in h) this.waiting.delete(h as Riding);
    if (h.timer != null) this.base.clearTimeout(h.timer);
  }

  private armGuard(): void {
    if (this.guardArmed) return;
    this.guardArmed = true;
    this.base.setTimeout(() => {
      this.guardArmed = false;
      if (this.waiting.size === 0) return;
      const now = this.mono();
      if (now - this.lastBeat <= this.options.gapMs) {
        this.armGuard();
        return;
      }
      // The beats stopped: what still waits gets a real timer for the rest of its delay.
      for (const riding of this.waiting) {
        this.waiting.delete(riding);
        riding.timer = this.base.setTimeout(riding.fn, Math.max(0, riding.due - now));
      }
    }, this.options.guardMs);
  }
}

interface Riding {
  due: number;
  fn: () => void;
  /** Set once the beats stopped and this timeout moved to a real timer. */
  timer: unknown;
}

/** Runs a timeout's callback on a beat: a throw is reported and must not stop the audio path that beats. */
function run(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    console.error('A scheduled update failed:', error);
  }
}
