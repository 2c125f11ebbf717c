import { describe, expect, it } from 'vitest';
import { PlaybackBuffer, PlayoutDelay } from '../../../../src/main/core/audio/playback-buffer';

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
  it('starts a set delay after the first audio arrives, whatever the delta sizes', () => {
    for (const deltaMs of [5, 20, 40, 100]) {
      const clock = { t: 1000 };
      const b = new PlaybackBuffer({ rate: RATE, delay: 10, now: () => clock.t });
      b.write(ramp((RATE * deltaMs) / 1000));
      expect(b.startsAt).toBe(1010);
      clock.t = 1009;
      expect(b.read(TICK).content).toBe(0);
      clock.t = 1010;
      expect(b.read(TICK).content).toBe(Math.min(TICK, (RATE * deltaMs) / 1000));
      expect(b.state).toBe('playing');
    }
  });

  it('counts the delay from when the audio arrived, not from when it was handled', () => {
    const clock = { t: 1000 };
    const delay = new PlayoutDelay({ initialMs: 10, marginMs: 5, cadenceMs: 40 });
    const b = new PlaybackBuffer({ rate: RATE, delay, now: () => clock.t });
    // Arrived 3 ms ago (the event was being handled since); a 20 ms first delta of a 40 ms cadence waits 25 ms.
    b.write(ramp(480), 997);
    expect(b.startsAt).toBe(1022);
    // The next 40 ms delta arrives 40 ms after the first, also handled late: it is on the same schedule, not later.
    clock.t = 1040;
    b.write(ramp(960), 1037);
    expect(delay.ms).toBe(25);
  });

  it('starts at once when the reply has ended, however little audio there is', () => {
    const clock = { t: 0 };
    const b = new PlaybackBuffer({ rate: RATE, delay: 50, now: () => clock.t });
    b.write(ramp(480));
    b.end();
    expect(b.read(TICK).content).toBe(TICK);
  });

  it('plays every sample of a reply, tail included, when ended (drain)', () => {
    const b = new PlaybackBuffer({ rate: RATE, delay: 50, fadeMs: 5 });
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
    const b = new PlaybackBuffer({ rate: RATE, delay: 0, fadeMs: 5 });
    b.write(new Int16Array(TICK).fill(10000));
    const s = b.read(TICK).samples;
    expect(s[0]).toBeLessThan(200);
    expect(s[60]).toBeGreaterThan(4000);
    expect(s[60]).toBeLessThan(6000);
    expect(s[200]).toBe(10000);
  });

  it('on barge-in fades out within 5 ms, drops the rest, and reports exactly what reached the device', () => {
    const b = new PlaybackBuffer({ rate: RATE, delay: 0, fadeMs: 5 });
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
    const b = new PlaybackBuffer({ rate: RATE, delay: 0 });
    b.write(ramp(480));
    b.read(TICK);
    b.flush();
    b.write(ramp(4800));
    expect(b.received).toBe(480);
  });

  it('counts a starved reply as an underrun and applies the delay again from the next audio', () => {
    const clock = { t: 0 };
    const b = new PlaybackBuffer({ rate: RATE, delay: 20, now: () => clock.t });
    b.write(ramp(600));
    clock.t = 20;
    const first = [b.read(TICK).content, b.read(TICK).content, b.read(TICK).content];
    expect(first).toEqual([240, 240, 120]);
    expect(b.underruns).toBe(1);
    clock.t = 100;
    b.write(ramp(480));
    expect(b.startsAt).toBe(120);
    clock.t = 119;
    expect(b.read(TICK).content).toBe(0);
    clock.t = 120;
    expect(b.read(TICK).content).toBe(240);
  });

  it('re-applies the delay when the device ran dry between deltas (starved), counting it once', () => {
    const clock = { t: 0 };
    const b = new PlaybackBuffer({ rate: RATE, delay: 10, now: () => clock.t });
    b.write(ramp(960));
    clock.t = 10;
    for (let i = 0; i < 4; i++) b.read(TICK);
    b.starved();
    b.starved();
    expect(b.underruns).toBe(1);
    expect(b.state).toBe('buffering');
    clock.t = 70;
    b.write(ramp(960));
    expect(b.startsAt).toBe(80);
    clock.t = 80;
    expect(b.read(TICK).content).toBe(240);
    expect(b.emitted).toBe(1200);
  });

  it('knows how much reply audio was heard at any device position, including mid-tick (lead silence is not audio)', () => {
    const clock = { t: 0 };
    const b = new PlaybackBuffer({ rate: RATE, delay: 10, now: () => clock.t });
    b.write(ramp(480));
    b.read(TICK); // silence (the playout delay)
    b.write(ramp(960));
    clock.t = 10;
    b.read(TICK); // content 240
    b.read(TICK); // content 240
    expect(b.playedAt(0)).toBe(0);
    expect(b.playedAt(TICK)).toBe(0);
    expect(b.playedAt(TICK + 100)).toBe(100);
    expect(b.playedAt(3 * TICK)).toBe(480);
    expect(b.contentEndPosition).toBe(3 * TICK);
  });

  it('a flush before anything played reports zero and plays nothing', () => {
    const b = new PlaybackBuffer({ rate: RATE, delay: 50 });
    b.write(ramp(240));
    expect(b.flush()).toBe(0);
    expect(b.read(TICK).content).toBe(0);
  });

  it('when the device is lost, stops without a fade and reports only what was handed over', () => {
    const b = new PlaybackBuffer({ rate: RATE, delay: 0 });
    b.write(ramp(2400));
    b.read(TICK);
    expect(b.abort()).toBe(TICK);
    expect(b.flush()).toBe(TICK);
    expect(b.read(TICK).content).toBe(0);
  });
});

describe('PlayoutDelay', () => {
  /** Feeds one reply: a first delta of `firstMs`, then `deltaMs` deltas in real time (each arrives once generated). */
  function reply(
    delay: PlayoutDelay,
    firstMs: number,
    deltaMs: number,
    jitter: number[] = [],
  ): PlaybackBuffer {
    const clock = { t: 0 };
    const b = new PlaybackBuffer({ rate: RATE, delay, now: () => clock.t });
    let generated = firstMs;
    clock.t = firstMs;
    b.write(ramp((RATE * firstMs) / 1000));
    for (let k = 0; k < 10; k++) {
      generated += deltaMs;
      clock.t = generated + (jitter[k] ?? 0);
      b.write(ramp((RATE * deltaMs) / 1000));
    }
    b.end();
    return b;
  }

  it('starts near 10 ms when deltas come on time', () => {
    const delay = new PlayoutDelay();
    const b = reply(delay, 40, 40);
    expect(delay.ms).toBe(10);
    expect(b.underruns).toBe(0);
  });

  it('waits the difference when the first delta is shorter than the usual one (real-time servers)', () => {
    const delay = new PlayoutDelay();
    const clock = { t: 20 };
    const b = new PlaybackBuffer({ rate: RATE, delay, now: () => clock.t });
    b.write(ramp(480)); // 20 ms first delta; 40 ms deltas follow in real time
    expect(b.startsAt).toBe(20 + 25);
  });

  it('grows at once to cover a late delta, and shrinks slowly once deltas are on time again', () => {
    const delay = new PlayoutDelay();
    reply(delay, 40, 40, [0, 0, 30]);
    expect(delay.ms).toBe(35);
    reply(delay, 40, 40);
    expect(delay.ms).toBe(28.75);
    for (let i = 0; i < 20; i++) reply(delay, 40, 40);
    expect(delay.ms).toBe(10);
  });

  it('learns the server’s delta length, so a short first delta is covered from the next reply on', () => {
    const delay = new PlayoutDelay({ cadenceMs: 40 });
    reply(delay, 100, 100);
    const clock = { t: 0 };
    const b = new PlaybackBuffer({ rate: RATE, delay, now: () => clock.t });
    b.write(ramp(480)); // 20 ms, then 100 ms deltas expected: wait 85 ms
    expect(b.startsAt).toBe(85);
  });

  it('grows after an underrun', () => {
    const delay = new PlayoutDelay();
    const clock = { t: 0 };
    const b = new PlaybackBuffer({ rate: RATE, delay, now: () => clock.t });
    b.write(ramp(960));
    clock.t = 10;
    for (let i = 0; i < 5; i++) b.read(TICK);
    expect(b.underruns).toBe(1);
    expect(delay.ms).toBe(15);
  });
});
