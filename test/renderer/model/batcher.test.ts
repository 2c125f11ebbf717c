import { describe, expect, it } from 'vitest';
import { createBatcher, type Schedule } from '../../../src/renderer/src/model/batcher';

/** A manual frame clock: frames run only when the test says so. */
function frames(): { schedule: Schedule; tick(): void; scheduled(): number } {
  let queue: Array<() => void> = [];
  let count = 0;
  return {
    schedule: (run) => {
      count++;
      queue.push(run);
      return () => {
        queue = queue.filter((r) => r !== run);
      };
    },
    tick: () => {
      const runs = queue;
      queue = [];
      for (const run of runs) run();
    },
    scheduled: () => count,
  };
}

describe('log batch coalescing', () => {
  it('delivers every batch pushed within one frame as a single update', () => {
    const clock = frames();
    const delivered: number[][] = [];
    const batcher = createBatcher<number>(clock.schedule, (items) => delivered.push(items));
    batcher.push([1, 2]);
    batcher.push([3]);
    batcher.push([4, 5]);
    expect(delivered).toEqual([]);
    clock.tick();
    expect(delivered).toEqual([[1, 2, 3, 4, 5]]);
    expect(clock.scheduled()).toBe(1);
  });

  it('schedules a new frame only when something new arrives', () => {
    const clock = frames();
    const delivered: number[][] = [];
    const batcher = createBatcher<number>(clock.schedule, (items) => delivered.push(items));
    batcher.push([1]);
    clock.tick();
    clock.tick();
    batcher.push([]);
    expect(clock.scheduled()).toBe(1);
    batcher.push([2]);
    clock.tick();
    expect(delivered).toEqual([[1], [2]]);
  });

  it('drops pending items on dispose so nothing renders after unmount', () => {
    const clock = frames();
    const delivered: number[][] = [];
    const batcher = createBatcher<number>(clock.schedule, (items) => delivered.push(items));
    batcher.push([1]);
    batcher.dispose();
    clock.tick();
    expect(delivered).toEqual([]);
  });

  it('hands over pending items at once on flush', () => {
    const clock = frames();
    const delivered: number[][] = [];
    const batcher = createBatcher<number>(clock.schedule, (items) => delivered.push(items));
    batcher.push([7]);
    batcher.flush();
    clock.tick();
    expect(delivered).toEqual([[7]]);
  });
});
