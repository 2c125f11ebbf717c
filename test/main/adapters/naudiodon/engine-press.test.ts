/**
 * A press is never lost to the microphone (naudiodon replaced at the module boundary, fake timers): a press that
 * meets a cold device keeps listening after key-up until its held length of audio is in; a microphone lost while no
 * key is held is reopened in the background, and the user hears of it only if it stays lost. The real device path
 * (a paused process, a device removed and restored) is in test/audio/lost-press.test.ts.
 */
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NaudiodonEngine } from '../../../../src/main/adapters/naudiodon/engine';
import type { NaudiodonModule } from '../../../../src/main/adapters/naudiodon/load';

const CHUNK = (): Buffer => Buffer.alloc(960, 1); // 20 ms of 24 kHz PCM16

class FakeStream extends EventEmitter {
  started = false;
  stopped = false;
  start(): void {
    this.started = true;
  }
  quit(cb?: () => void): void {
    this.stopped = true;
    cb?.();
  }
  abort(cb?: () => void): void {
    this.stopped = true;
    cb?.();
  }
}

/** A naudiodon stand-in with one microphone that can be unplugged (opens then throw). */
function fakeLib(): { lib: NaudiodonModule; streams: FakeStream[]; setPresent(v: boolean): void } {
  const streams: FakeStream[] = [];
  let present = true;
  const lib = {
    SampleFormat16Bit: 16,
    getDevices: () => [
      {
        id: 0,
        name: 'default',
        maxInputChannels: 2,
        maxOutputChannels: 2,
        defaultSampleRate: 24000,
        hostAPIName: 'ALSA',
      },
    ],
    getHostAPIs: () => ({
      defaultHostAPI: 0,
      HostAPIs: [{ id: 0, name: 'ALSA', type: 'ALSA', deviceCount: 1, defaultInput: 0, defaultOutput: 0 }],
    }),
    AudioIO: () => {
      if (!present) throw new Error('Could not open stream: Invalid device');
      const s = new FakeStream();
      streams.push(s);
      return s;
    },
  };
  return {
    lib: lib as unknown as NaudiodonModule,
    streams,
    setPresent: (v) => (present = v),
  };
}

/** 20 ms chunks on `stream` for `ms` of fake time. */
function flow(stream: FakeStream | undefined, ms: number): void {
  for (let t = 0; t < ms; t += 20) {
    vi.advanceTimersByTime(20);
    stream?.emit('data', CHUNK());
  }
}

describe('NaudiodonEngine: a press is never lost to the microphone', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a press on a cold microphone released before any audio keeps listening for its held length, then ends', async () => {
    const fake = fakeLib();
    const engine = new NaudiodonEngine({ load: () => fake.lib });
    const frames: Buffer[] = [];
    // openCapture does not wait for the device to start delivering.
    const capture = await engine.openCapture({ device: null, frameMs: 20, onFrame: (f) => frames.push(f) });
    vi.advanceTimersByTime(700); // held 700 ms; the device delivers nothing yet
    let stopped = false;
    const stop = capture.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false); // not judged a tap: it waits for audio
    flow(fake.streams[0], 1000); // the device wakes up
    await stop;
    const ms = frames.reduce((sum, f) => sum + f.byteLength, 0) / 48;
    expect(ms).toBe(700);
    await engine.close();
  });

  it('a press with audio flowing ends at key-up (the release is not delayed)', async () => {
    const fake = fakeLib();
    const engine = new NaudiodonEngine({ load: () => fake.lib });
    const frames: Buffer[] = [];
    const capture = await engine.openCapture({ device: null, frameMs: 20, onFrame: (f) => frames.push(f) });
    flow(fake.streams[0], 300);
    let stopped = false;
    const stop = capture.stop().then(() => (stopped = true));
    await Promise.resolve();
    await Promise.resolve();
    expect(stopped).toBe(true);
    await stop;
    expect(frames.reduce((sum, f) => sum + f.byteLength, 0) / 48).toBe(300);
    await engine.close();
  });

  it('a press on a device that never wakes ends after the start grace with nothing (and does not hang)', async () => {
    const fake = fakeLib();
    const engine = new NaudiodonEngine({ load: () => fake.lib, startGraceMs: 3000 });
    const frames: Buffer[] = [];
    const capture = await engine.openCapture({ device: null, frameMs: 20, onFrame: (f) => frames.push(f) });
    vi.advanceTimersByTime(500);
    const stop = capture.stop();
    vi.advanceTimersByTime(3001);
    await stop;
    expect(frames).toEqual([]);
    await engine.close();
  });

  it('reopens a microphone lost while idle in the background, and tells the user only if it stays lost', async () => {
    const fake = fakeLib();
    // No pre-roll: the press below counts only the frames it was held for (pre-roll has its own tests).
    const engine = new NaudiodonEngine({
      load: () => fake.lib,
      stallMs: 500,
      lostNoticeMs: 3000,
      preRollMs: 0,
    });
    const problems: (string | null)[] = [];
    engine.onProblem((p) => problems.push(p));
    const priming = engine.prime({ input: null });
    await vi.advanceTimersByTimeAsync(0);
    flow(fake.streams[0], 100);
    await priming;
    flow(fake.streams[0], 3500); // settled
    // A brief loss: the device is back before the notice is due.
    fake.streams[0]?.emit('end');
    expect(fake.streams[0]?.stopped).toBe(true);
    await vi.advanceTimersByTimeAsync(150);
    expect(fake.streams).toHaveLength(2); // reopened, nobody pressed
    flow(fake.streams[1], 200);
    await vi.advanceTimersByTimeAsync(0);
    expect(problems).toEqual([]);
    // A long loss: unplugged for 5 s.
    fake.setPresent(false);
    fake.streams[1]?.emit('error', new Error('device gone'));
    await vi.advanceTimersByTimeAsync(2000);
    expect(problems).toEqual([]); // not yet: it may come back
    await vi.advanceTimersByTimeAsync(2000);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/The microphone "default" stopped working .*keeps trying/);
    fake.setPresent(true);
    for (let i = 0; i < 40 && fake.streams.length < 3; i++) await vi.advanceTimersByTimeAsync(100);
    expect(fake.streams).toHaveLength(3);
    for (let i = 0; i < 10; i++) {
      fake.streams[2]?.emit('data', CHUNK());
      await vi.advanceTimersByTimeAsync(20);
    }
    expect(problems).toEqual([problems[0], null]); // and that it works again
    // The next press finds it warm: its audio arrives at once.
    const frames: Buffer[] = [];
    const capture = await engine.openCapture({ device: null, frameMs: 20, onFrame: (f) => frames.push(f) });
    expect(fake.streams).toHaveLength(3);
    flow(fake.streams[2], 200);
    await capture.stop();
    expect(frames).toHaveLength(10);
    await engine.close();
  });
});
