import { describe, expect, it } from 'vitest';
import { PlaybackBuffer } from '../../../../src/main/core/audio/playback-buffer';

const RATE = 24000;
const TICK = 240; // 10 ms

function ramp(n: number, start = 1): Int16Array {
  const a = new Int16Array(n);
  for (let i = 0; i < n; i++) a[i] = 1000 + ((start + i) % 1000);
  return a;
}

function drain(buffer: PlaybackBuffer, maxTicks = 1000): Int16Array[] {
  const out: Int16Array[] = [];
  for (let i = 0; i < maxTicks && buffer.state !== 'drained' && buffer.state !== 'flushed'; i++) {
    out.push(buffer.read(TICK).samples);
  }
  return out;
}

describe('PlaybackBuffer', () => {
  it('waits for the start-up cushion before playing', () => {
    const b = new PlaybackBuffer({ rate: RATE, prebufferMs: 50 });
    b.write(ramp(480)); // 20 ms
    expect(b.read(TICK).content).toBe(0);
    b.write(ramp(960)); // now 60 ms queued
    expect(b.read(TICK).content).toBe(TICK);
    expect(b.state).toBe('playing');
  });

  it('starts anyway once it has waited the cushion length, so a short trickle is not held forever', () => {
    const b = new PlaybackBuffer({ rate: RATE, prebufferMs: 50 });
    b.write(ramp(480));
    const contents = Array.from({ length: 7 }, () => b.read(TICK).content);
    expect(contents.some((c) => c > 0)).toBe(true);
    expect(contents.filter((c) => c > 0).reduce((a, c) => a + c, 0)).toBe(480);
  });

  it('plays every sample of a reply, tail included, when ended (drain)', () => {
    const b = new PlaybackBuffer({ rate: RATE, prebufferMs: 50, fadeMs: 5 });
    const reply = ramp(24000 + 77);
    b.write(reply);
    b.end();
    const ticks = drain(b);
    expect(b.state).toBe('drained');
    expect(b.emitted).toBe(reply.length);
    const all = new Int16Array(ticks.length * TICK);
    ticks.forEach((t, i) => all.set(t, i * TICK));
    // After the 5 ms fade-in the audio is bit-exact, up to and including the last sample.
    expect(Array.from(all.subarray(120, reply.length))).toEqual(Array.from(reply.subarray(120)));
    expect(b.underruns).toBe(0);
  });

  it('fades in over the first 5 ms so the start does not click', () => {
    const b = new PlaybackBuffer({ rate: RATE, prebufferMs: 0, fadeMs: 5 });
    b.write(new Int16Array(TICK).fill(10000));
    const s = b.read(TICK).samples;
    expect(s[0]).toBeLessThan(200);
    expect(s[60]).toBeGreaterThan(4000);
    expect(s[60]).toBeLessThan(6000);
    expect(s[200]).toBe(10000);
  });

  it('on barge-in fades out within 5 ms, drops the rest, and reports exactly what reached the device', () => {
    const b = new PlaybackBuffer({ rate: RATE, prebufferMs: 0, fadeMs: 5 });
    b.write(new Int16Array(24000).fill(10000));
    for (let i = 0; i < 10; i++) b.read(TICK);
    const total = b.flush();
    expect(total).toBe(10 * TICK + 120);
    const fade = b.read(TICK);
    expect(fade.content).toBe(120);
    expect(Math.abs(fade.samples[119] ?? 99)).toBeLessThan(100);
    expect(fade.samples[0]).toBeGreaterThan(9000);
    expect(Array.from(fade.samples.subarray(120)).every((v) => v === 0)).toBe(true);
    expect(b.state).toBe('flushed');
    expect(b.read(TICK).content).toBe(0);
    expect(b.playedAt(1e9)).toBe(total);
    expect(b.flush()).toBe(total);
  });

  it('ignores audio written after a flush (late deltas of a cancelled reply)', () => {
    const b = new PlaybackBuffer({ rate: RATE, prebufferMs: 0 });
    b.write(ramp(480));
    b.read(TICK);
    b.flush();
    b.write(ramp(4800));
    expect(b.received).toBe(480);
  });

  it('counts a starved reply as an underrun and resumes after rebuilding the cushion', () => {
    const b = new PlaybackBuffer({ rate: RATE, prebufferMs: 20 });
    b.write(ramp(600));
    const first = [b.read(TICK).content, b.read(TICK).content, b.read(TICK).content];
    expect(first).toEqual([240, 240, 120]);
    expect(b.underruns).toBe(1);
    b.write(ramp(480));
    expect(b.read(TICK).content).toBe(240);
  });

  it('knows how much reply audio was heard at any device position, including mid-tick', () => {
    const b = new PlaybackBuffer({ rate: RATE, prebufferMs: 50 });
    b.write(ramp(480)); // below the cushion: silent ticks first
    b.read(TICK); // silence (waiting)
    b.write(ramp(960));
    b.read(TICK); // content 240
    b.read(TICK); // content 240
    expect(b.playedAt(0)).toBe(0);
    expect(b.playedAt(TICK)).toBe(0);
    expect(b.playedAt(TICK + 100)).toBe(100);
    expect(b.playedAt(3 * TICK)).toBe(480);
    expect(b.contentEndPosition).toBe(3 * TICK);
  });

  it('a flush before anything played reports zero and plays nothing', () => {
    const b = new PlaybackBuffer({ rate: RATE, prebufferMs: 50 });
    b.write(ramp(240));
    expect(b.flush()).toBe(0);
    expect(b.read(TICK).content).toBe(0);
  });

  it('when the device is lost, stops without a fade and reports only what was handed over', () => {
    const b = new PlaybackBuffer({ rate: RATE, prebufferMs: 0 });
    b.write(ramp(2400));
    b.read(TICK);
    expect(b.abort()).toBe(TICK);
    expect(b.flush()).toBe(TICK);
    expect(b.read(TICK).content).toBe(0);
  });
});
