import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/main/core/clock';
import { createAppEvents } from '../../src/main/events';
import type { TurnView } from '../../src/shared/types';

/** A manual clock: timers fire only when the test moves time on. */
function manualClock(): Clock & { advance(ms: number): void } {
  let t = 0;
  let timers: Array<{ at: number; fn: () => void }> = [];
  return {
    now: () => t,
    setTimeout: (fn, ms) => {
      const timer = { at: t + ms, fn };
      timers.push(timer);
      return timer;
    },
    clearTimeout: (handle) => (timers = timers.filter((x) => x !== handle)),
    advance: (ms) => {
      t += ms;
      const due = timers.filter((x) => x.at <= t);
      timers = timers.filter((x) => x.at > t);
      for (const x of due) x.fn();
    },
  };
}

const turn = (id: string, assistantText: string): TurnView => ({
  id,
  conversationId: 'c1',
  index: 1,
  input: 'text',
  replyAs: 'text',
  assistantText,
  hasAudio: false,
  phase: 'replying',
  timings: {},
  startedAt: 0,
  attempts: 1,
});

describe('app events', () => {
  it('sends a lone update at once, then one per turn per interval, carrying the latest text', () => {
    const clock = manualClock();
    const events = createAppEvents(clock);
    const seen: Array<[string, unknown]> = [];
    events.on((name, payload) => seen.push([name, payload]));
    events.emit('turn', turn('a', 'H'));
    expect(seen).toEqual([['turn', turn('a', 'H')]]);
    for (const text of ['He', 'Hel', 'Hello']) events.emit('turn', turn('a', text));
    events.emit('turn', turn('b', 'other'));
    expect(seen).toHaveLength(1);
    clock.advance(66); // nothing else came: the fallback timer delivers the latest of each
    expect(seen).toEqual([
      ['turn', turn('a', 'H')],
      ['turn', turn('a', 'Hello')],
      ['turn', turn('b', 'other')],
    ]);
  });

  it('keeps only the latest level reading per interval', () => {
    const clock = manualClock();
    const events = createAppEvents(clock);
    const seen: unknown[] = [];
    events.on((_name, payload) => seen.push(payload));
    events.emit('levels', { input: -40, output: null });
    events.emit('levels', { input: -30, output: null });
    events.emit('levels', { input: -20, output: null });
    clock.advance(40);
    events.emit('levels', { input: -10, output: null }); // the next reading after the interval takes it along
    expect(seen).toEqual([
      { input: -40, output: null },
      { input: -10, output: null },
    ]);
  });

  it('delivers notices immediately and keeps going when one listener throws', () => {
    const events = createAppEvents(manualClock());
    const seen: unknown[] = [];
    events.on(() => {
      throw new Error('broken window');
    });
    events.on((_name, payload) => seen.push(payload));
    const notice = { id: 'n', level: 'error' as const, text: 'No microphone', at: 1 };
    const original = console.error;
    console.error = () => undefined;
    try {
      events.emit('notice', notice);
    } finally {
      console.error = original;
    }
    expect(seen).toEqual([notice]);
  });

  it('flushes pending updates on dispose so the last state is not lost', () => {
    const events = createAppEvents(manualClock());
    const seen: unknown[] = [];
    events.on((_name, payload) => seen.push(payload));
    events.emit('turn', turn('a', 'first words'));
    events.emit('turn', turn('a', 'final words'));
    events.dispose();
    expect(seen).toEqual([turn('a', 'first words'), turn('a', 'final words')]);
  });
});
