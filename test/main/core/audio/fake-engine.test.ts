import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AudioError } from '../../../../src/main/core/audio/engine';
import { FakeAudioEngine } from '../../../../src/main/core/audio/fake-engine';
import { NullAudioEngine } from '../../../../src/main/core/audio/null-engine';

function tone(samples: number, value = 5000): Buffer {
  const b = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) b.writeInt16LE(i % 2 ? value : -value, i * 2);
  return b;
}

describe('FakeAudioEngine', () => {
  let engine: FakeAudioEngine;
  beforeEach(() => {
    vi.useFakeTimers();
    engine = new FakeAudioEngine();
  });
  afterEach(async () => {
    await engine.close();
    vi.useRealTimers();
  });

  it('captures the microphone source in exact frames and delivers the last partial frame on stop', async () => {
    const source = tone(24000);
    engine.setMicSource(source);
    const frames: Buffer[] = [];
    const capture = await engine.openCapture({ device: null, frameMs: 20, onFrame: (f) => frames.push(f) });
    vi.advanceTimersByTime(250);
    await capture.stop();
    expect(frames.slice(0, -1).every((f) => f.byteLength === 960)).toBe(true);
    expect(frames.at(-1)?.byteLength).toBe(480); // 250 ms = 12 frames of 20 ms + 10 ms
    expect(Buffer.concat(frames).equals(source.subarray(0, 12000))).toBe(true);
  });

  it('reports levels while capturing', async () => {
    engine.setMicSource(tone(24000));
    const levels: number[] = [];
    const capture = await engine.openCapture({
      device: null,
      frameMs: 20,
      onFrame: () => {},
      onLevel: (d) => levels.push(d),
    });
    vi.advanceTimersByTime(1000);
    await capture.stop();
    expect(levels.length).toBeGreaterThan(20);
    expect(levels.length).toBeLessThanOrEqual(31);
  });

  it('plays a reply to the end, tail included, and reports drained', async () => {
    const onDrained = vi.fn();
    const onStarted = vi.fn();
    const playback = await engine.openPlayback({ device: null, onDrained, onStarted });
    playback.write(tone(2400));
    playback.write(tone(2401).subarray(0, 4801)); // odd byte split across deltas
    playback.write(Buffer.alloc(1));
    playback.end();
    vi.advanceTimersByTime(1000);
    expect(onStarted).toHaveBeenCalledTimes(1);
    expect(onDrained).toHaveBeenCalledTimes(1);
    expect(playback.receivedSamples()).toBe(4801);
    expect(playback.playedSamples()).toBe(4801);
  });

  it('advances the played count with time, and a barge-in returns what was heard', async () => {
    const playback = await engine.openPlayback({ device: null });
    playback.write(tone(24000));
    vi.advanceTimersByTime(100);
    const playedNow = playback.playedSamples();
    expect(playedNow).toBeGreaterThan(0);
    expect(playedNow).toBeLessThanOrEqual(2400);
    const played = playback.flush();
    expect(played).toBe(playedNow + 120); // what was heard plus the 5 ms fade-out
    vi.advanceTimersByTime(1000);
    expect(playback.playedSamples()).toBe(played);
  });

  it('refuses an unknown device with a plain-words AudioError', async () => {
    await expect(
      engine.openCapture({ device: 'USB headset', frameMs: 20, onFrame: () => {} }),
    ).rejects.toThrow(new AudioError('no-device', 'The microphone "USB headset" is not connected.'));
  });
});

describe('NullAudioEngine', () => {
  it('lists no devices and says why', async () => {
    const engine = new NullAudioEngine('naudiodon could not load.');
    expect(await engine.listDevices()).toEqual({
      inputs: [],
      outputs: [],
      error: 'naudiodon could not load.',
    });
  });

  it('fails every open with AudioError no-device in plain words', async () => {
    const engine = new NullAudioEngine('naudiodon could not load.');
    const capture = engine.openCapture();
    await expect(capture).rejects.toBeInstanceOf(AudioError);
    await expect(capture).rejects.toMatchObject({ code: 'no-device', message: /No microphone can be used/ });
    await expect(engine.openPlayback()).rejects.toMatchObject({ code: 'no-device', message: /No speaker/ });
  });
});
