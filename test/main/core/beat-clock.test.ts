import { afterEach, describe, expect, it, vi } from 'vitest';
import { BeatClock } from '../../../src/main/core/beat-clock';
import type { Clock } from '../../../src/main/core/clock';
import { createAppEvents } from '../../../src/main/events';

/** A manual clock that counts the timers it was asked for: each one is an event-loop wake-up in Node. */
function manualClock(): Clock & { advance(ms: number): void; t(): number; armed: number } {
  let t = 0;
  let timers: Array<{ at: number; fn: () => void }> = [];
  const clock = {
    armed: 0,
    now: () => t,
    t: () => t,
    setTimeout: (fn: () => void, ms: number) => {
      clock.armed += 1;
      const timer = { at: t + ms, fn };
      timers.push(timer);
      return timer;
    },
    clearTimeout: (handle: unknown) => (timers = timers.filter((x) => x !== handle)),
    advance: (ms: number) => {
      const end = t + ms;
      for (;;) {
        const next = timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!next) break;
        t = next.at;
        timers = timers.filter((x) => x !== next);
        next.fn();
      }
      t = end;
    },
  };
  return clock;
}

const levels = (input: number) => ({ input, output: -120 });

function setup(): { base: ReturnType<typeof manualClock>; clock: BeatClock } {
  const base = manualClock();
  return { base, clock: new BeatClock(base, { gapMs: 100, guardMs: 250 }, () => base.t()) };
}

/** The microphone: one beat per 20 ms period, each after that period's frame did its work. */
function beatFor(
  base: ReturnType<typeof manualClock>,
  clock: BeatClock,
  ms: number,
  frame = (): void => {},
): void {
  for (let elapsed = 0; elapsed < ms; elapsed += 20) {
    base.advance(20);
    frame();
    clock.beat();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('BeatClock', () => {
  it('a press streaming levels to the window: updates still flow at ≤ 30/s, the last one arrives, and the timers armed fall from one per update cycle to the guard alone', () => {
    const run = (clock: Clock, base: ReturnType<typeof manualClock>, beat: () => void) => {
      const events = createAppEvents(clock);
      const seen: number[] = [];
      events.on((_name, payload) => seen.push((payload as { input: number }).input));
      let frame = 0;
      for (let i = 0; i < 100; i++) {
        base.advance(20);
        events.emit('levels', levels(++frame));
        beat();
      }
      return seen;
    };

    const plain = manualClock();
    const seenPlain = run(plain, plain, () => undefined);
    plain.advance(500);

    const { base, clock } = setup();
    const seenRiding = run(clock, base, () => clock.beat());
    const armedDuringPress = base.armed;
    // The key is released: the microphone keeps beating (primed), then the last update goes out.
    beatFor(base, clock, 200);

    for (const seen of [seenPlain, seenRiding]) {
      expect(seen.length).toBeLessThanOrEqual(2000 / 33 + 1);
      expect(seen.length).toBeGreaterThan(20);
      expect(seen.at(-1)).toBe(100);
    }
    expect(plain.armed).toBeGreaterThan(40);
    expect(armedDuringPress).toBeLessThanOrEqual(2000 / 250 + 1);
  });

  it('runs a timeout on the first beat at or after its due time, never before', () => {
    const { base, clock } = setup();
    beatFor(base, clock, 40);
    const ran: number[] = [];
    clock.setTimeout(() => ran.push(base.t()), 50);
    beatFor(base, clock, 40);
    expect(ran).toEqual([]);
    beatFor(base, clock, 20);
    expect(ran).toEqual([100]);
  });

  it('never runs a cleared timeout', () => {
    const { base, clock } = setup();
    beatFor(base, clock, 20);
    const fn = vi.fn();
    const handle = clock.setTimeout(fn, 10);
    clock.clearTimeout(handle);
    beatFor(base, clock, 1000);
    expect(fn).not.toHaveBeenCalled();
  });

  it('when the beats stop (microphone closed or lost), a waiting timeout still runs, on a timer of its own', () => {
    const { base, clock } = setup();
    beatFor(base, clock, 20);
    const ran: number[] = [];
    clock.setTimeout(() => ran.push(base.t()), 60);
    base.advance(1000);
    expect(ran).toHaveLength(1);
    // At the guard's check: the beat gap (100 ms) had passed and it was overdue.
    expect(ran[0]).toBe(20 + 250);
  });

  it('a cleared timeout that had moved to a timer of its own stays cancelled', () => {
    const { base, clock } = setup();
    beatFor(base, clock, 20);
    const fn = vi.fn();
    const handle = clock.setTimeout(fn, 400);
    base.advance(260); // the guard found no beats: the timeout now has its own timer, due at 420
    clock.clearTimeout(handle);
    base.advance(1000);
    expect(fn).not.toHaveBeenCalled();
  });

  it('without beats, a timeout is a plain timer, exactly on time', () => {
    const { base, clock } = setup();
    const ran: number[] = [];
    clock.setTimeout(() => ran.push(base.t()), 66);
    base.advance(500);
    expect(ran).toEqual([66]);
    expect(base.armed).toBe(1);
  });

  it('a callback that throws is reported; the others still run and the beat (the audio path) goes on', () => {
    const { base, clock } = setup();
    const report = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    beatFor(base, clock, 20);
    const after = vi.fn();
    clock.setTimeout(() => {
      throw new Error('window gone');
    }, 5);
    clock.setTimeout(after, 5);
    expect(() => beatFor(base, clock, 20)).not.toThrow();
    expect(after).toHaveBeenCalledOnce();
    expect(report).toHaveBeenCalledWith('A scheduled update failed:', expect.any(Error));
  });
});
