/**
 * InputPump's stall watchdog with naudiodon replaced at the module boundary and fake timers: a microphone that goes
 * silent is reported at the limit, a fresh one gets its start grace, and a healthy one costs the main thread about
 * two watchdog wake-ups a second (each wake-up is most of the cost on a VM). The real device path is in test/audio.
 */
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PortDevice } from '../../../../src/main/adapters/naudiodon/devices';
import { InputPump } from '../../../../src/main/adapters/naudiodon/input';
import type { NaudiodonModule } from '../../../../src/main/adapters/naudiodon/load';

const DEVICE = { id: 1, name: 'default', defaultSampleRate: 24000 } as unknown as PortDevice;
const STALL_MS = 500;
const GRACE_MS = 3000;
const CHUNK = Buffer.alloc(960); // 20 ms of 24 kHz PCM16
/** The confirming look after a check finds silence (input.ts). */
const CONFIRM_MS = 60;

class FakeStream extends EventEmitter {
  stops: string[] = [];
  start(): void {}
  quit(cb?: () => void): void {
    this.stops.push('quit');
    cb?.();
  }
  abort(cb?: () => void): void {
    this.stops.push('abort');
    cb?.();
  }
}

function openPump(): { pump: InputPump; stream: FakeStream; lost: string[] } {
  const stream = new FakeStream();
  const lib = { SampleFormat16Bit: 16, AudioIO: () => stream } as unknown as NaudiodonModule;
  const lost: string[] = [];
  const pump = InputPump.open(lib, DEVICE, {
    periodMs: 20,
    stallMs: STALL_MS,
    startGraceMs: GRACE_MS,
    onLost: (reason) => lost.push(reason),
  });
  return { pump, stream, lost };
}

/** Delivers a 20 ms chunk every 20 ms of fake time for `ms`. */
function flow(stream: FakeStream, ms: number): void {
  for (let t = 0; t < ms; t += 20) {
    vi.advanceTimersByTime(20);
    stream.emit('data', CHUNK);
  }
}

describe('InputPump stall watchdog', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reports a microphone that goes silent at the stall limit plus one confirming look, not a check later', async () => {
    const { pump, stream, lost } = openPump();
    flow(stream, GRACE_MS + 1000); // settled and healthy
    expect(lost).toEqual([]);
    vi.advanceTimersByTime(STALL_MS + CONFIRM_MS - 5);
    expect(lost).toEqual([]);
    vi.advanceTimersByTime(10);
    expect(lost).toEqual(['no audio arrived from the device']);
    expect(pump.running).toBe(false);
    await pump.close();
  });

  it('gives a fresh stream its start grace, then holds it to the short limit as soon as it settles', async () => {
    const { pump, stream, lost } = openPump();
    // PulseAudio can take seconds to start a cold source: silence inside the grace is not a failure.
    vi.advanceTimersByTime(GRACE_MS - 500);
    expect(lost).toEqual([]);
    flow(stream, 600); // the first audio, and the grace ends while it flows
    vi.advanceTimersByTime(STALL_MS + CONFIRM_MS - 5);
    expect(lost).toEqual([]);
    vi.advanceTimersByTime(10);
    expect(lost).toEqual(['no audio arrived from the device']);
    await pump.close();
  });

  it('reports a stream that never delivers at the end of the start grace', async () => {
    const { pump, lost } = openPump();
    vi.advanceTimersByTime(GRACE_MS + CONFIRM_MS - 5);
    expect(lost).toEqual([]);
    vi.advanceTimersByTime(10);
    expect(lost).toEqual(['no audio arrived from the device']);
    await pump.close();
  });

  it('reads the audio queued behind a late check before judging: a paused process does not lose its microphone', async () => {
    const { pump, stream, lost } = openPump();
    flow(stream, GRACE_MS + 1000);
    // The process is paused for 1.2 s (SIGSTOP, a long GC): its clock jumps, the due check runs late, first.
    const now = performance.now.bind(performance);
    const jump = 1200;
    const spy = vi.spyOn(performance, 'now').mockImplementation(() => now() + jump);
    vi.advanceTimersByTime(STALL_MS); // the late check
    expect(lost).toEqual([]);
    // Then the audio captured meanwhile is read, and flows on.
    for (let i = 0; i < jump / 20; i++) stream.emit('data', CHUNK);
    flow(stream, 2000);
    expect(lost).toEqual([]);
    expect(pump.running).toBe(true);
    spy.mockRestore();
    await pump.close();
  });

  it('does not call a device silent when its queued audio arrives between the first look and the confirming one', async () => {
    const { pump, stream, lost } = openPump();
    flow(stream, GRACE_MS + 1000);
    vi.advanceTimersByTime(STALL_MS + 5); // on time, silent: a suspicion only
    stream.emit('data', CHUNK); // the queued audio is read
    flow(stream, 2000);
    expect(lost).toEqual([]);
    await pump.close();
  });

  it('still reports a device that stays silent after the process resumes', async () => {
    const { pump, stream, lost } = openPump();
    flow(stream, GRACE_MS + 1000);
    const now = performance.now.bind(performance);
    const spy = vi.spyOn(performance, 'now').mockImplementation(() => now() + 1200);
    vi.advanceTimersByTime(STALL_MS); // late: silence counts from here
    expect(lost).toEqual([]);
    vi.advanceTimersByTime(STALL_MS + CONFIRM_MS + 10);
    expect(lost).toEqual(['no audio arrived from the device']);
    spy.mockRestore();
    await pump.close();
  });

  it('wakes the main thread about twice a second while audio flows (it used to be 8)', async () => {
    // Count timer callbacks that run: each is a main-thread wake-up of its own in the app.
    let fired = 0;
    const fakeTimeout = globalThis.setTimeout;
    const fakeInterval = globalThis.setInterval;
    type Arm = (fn: () => void, ms?: number) => ReturnType<typeof setTimeout>;
    const counting =
      (arm: Arm): Arm =>
      (fn, ms) =>
        arm(() => {
          fired++;
          fn();
        }, ms);
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(
      counting(fakeTimeout) as unknown as typeof setTimeout,
    );
    vi.spyOn(globalThis, 'setInterval').mockImplementation(
      counting(fakeInterval) as unknown as typeof setInterval,
    );
    const { pump, stream, lost } = openPump();
    flow(stream, GRACE_MS + 500);
    fired = 0;
    flow(stream, 10_000);
    vi.restoreAllMocks();
    expect(lost).toEqual([]);
    expect(fired).toBeGreaterThanOrEqual(19); // it still watches: one check per stall limit
    expect(fired).toBeLessThanOrEqual(21);
    await pump.close();
  });

  it('closes the microphone by aborting it: a graceful stop of a stalled capture never returns and spins a core', async () => {
    const { pump, stream } = openPump();
    flow(stream, 100);
    await pump.close();
    expect(stream.stops).toEqual(['abort']);
  });

  it('stops watching once closed', async () => {
    const { pump, lost } = openPump();
    await pump.close();
    vi.advanceTimersByTime(GRACE_MS * 3);
    expect(lost).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
