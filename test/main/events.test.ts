import { describe, expect, it } from 'vitest';
import { createAppEvents } from '../../src/main/events';
import type { TurnView } from '../../src/shared/types';

/** A manual scheduler: nothing fires until the test says a frame passed. */
function manualFrames(): { schedule: Parameters<typeof createAppEvents>[0]; tick(): void } {
  let pending: Array<() => void> = [];
  return {
    schedule: (fn) => {
      pending.push(fn);
      return { cancel: () => (pending = pending.filter((f) => f !== fn)) };
    },
    tick: () => {
      const due = pending;
      pending = [];
      for (const fn of due) fn();
    },
  };
}

const turn = (id: string, assistantText: string): TurnView => ({
  id,
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
  it('sends one update per turn per frame, carrying the latest text', () => {
    const frames = manualFrames();
    const events = createAppEvents(frames.schedule);
    const seen: Array<[string, unknown]> = [];
    events.on((name, payload) => seen.push([name, payload]));
    for (const text of ['H', 'He', 'Hel', 'Hello']) events.emit('turn', turn('a', text));
    events.emit('turn', turn('b', 'other'));
    expect(seen).toEqual([]);
    frames.tick();
    expect(seen).toEqual([
      ['turn', turn('a', 'Hello')],
      ['turn', turn('b', 'other')],
    ]);
  });

  it('keeps only the latest level reading per frame', () => {
    const frames = manualFrames();
    const events = createAppEvents(frames.schedule);
    const seen: unknown[] = [];
    events.on((_name, payload) => seen.push(payload));
    events.emit('levels', { input: -40, output: null });
    events.emit('levels', { input: -20, output: null });
    frames.tick();
    expect(seen).toEqual([{ input: -20, output: null }]);
  });

  it('delivers notices immediately and keeps going when one listener throws', () => {
    const events = createAppEvents(manualFrames().schedule);
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
    const events = createAppEvents(manualFrames().schedule);
    const seen: unknown[] = [];
    events.on((_name, payload) => seen.push(payload));
    events.emit('turn', turn('a', 'final words'));
    events.dispose();
    expect(seen).toEqual([turn('a', 'final words')]);
  });
});
