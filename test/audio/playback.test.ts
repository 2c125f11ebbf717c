/**
 * Real speaker path: reply audio written to NaudiodonEngine comes out of the rig's virtual speaker complete (no
 * gaps, tail present), barge-in reports what was really heard, and a 48 kHz device stream keeps the pitch.
 * The speaker is recorded through the rig's `speaker_timeline` source with wall-clock timestamps.
 * Needs `bash scripts/audio-rig.sh start` (or TALKIE_SKIP_AUDIO=1 to skip).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NaudiodonEngine } from '../../src/main/adapters/naudiodon/engine';
import {
  bestAlignment,
  heardUntil,
  noise,
  silentRuns,
  sine,
  toFloat,
  toInt16,
  toneSequence,
  zeroCrossingFrequency,
} from '../helpers/audio/signals';
import { pulseStreamsOf, sleep, TimedRecorder } from '../helpers/audio/pulse';
import { audioRigGate } from '../helpers/audio/rig';
import { holdRigLock } from '../helpers/audio/hold-rig';

const gate = audioRigGate();
const RATE = 24000;

function pcmBytes(x: Int16Array): Buffer {
  return Buffer.from(new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
}

/** Writes `pcm` the way the Realtime API delivers it: a first delta, then more, faster than real time. */
async function writeLikeDeltas(
  write: (b: Buffer) => void,
  pcm: Int16Array,
  deltaMs = 100,
  everyMs = 40,
): Promise<void> {
  const step = (RATE * deltaMs) / 1000;
  for (let i = 0; i < pcm.length; i += step) {
    write(pcmBytes(pcm.subarray(i, i + step)));
    await sleep(everyMs);
  }
}

describe.skipIf(gate === 'skip')('playback through PortAudio to the virtual speaker', () => {
  holdRigLock();
  let engine: NaudiodonEngine;
  let recorder: TimedRecorder;
  beforeEach(async () => {
    recorder = new TimedRecorder('speaker_timeline');
    await recorder.ready();
  });
  afterEach(async () => {
    await engine?.close();
    await recorder.stop();
  });

  it('plays a whole reply without gaps, tail included, and reports drained only after the tail was heard', async () => {
    engine = new NaudiodonEngine();
    await engine.prime({ output: null });
    const reply = toInt16(toneSequence(RATE, 2));
    let drainedAt = 0;
    const drained = new Promise<void>((resolve) => {
      void engine
        .openPlayback({
          device: null,
          onDrained: () => {
            drainedAt = performance.now();
            resolve();
          },
        })
        .then(async (playback) => {
          await writeLikeDeltas((b) => playback.write(b), reply);
          playback.end();
        });
    });
    await drained;
    await sleep(200);
    const heard = recorder.samples();
    const { lag, score } = bestAlignment(toFloat(heard), toFloat(reply), heard.length);
    expect(score).toBeGreaterThan(0.95);
    // No dropout of 2 ms or more anywhere inside the reply (after the 5 ms fade-in).
    expect(silentRuns(heard, lag + 240, lag + reply.length - 48, 200, 48)).toEqual([]);
    // The last 100 ms is there, where it belongs: shifted by less than the 2 ms that counts as a dropout. (Under
    // load in CI a 22-sample slip was seen twice: below the dropout threshold above, so tolerated, not hidden.)
    const tail = bestAlignment(toFloat(heard), toFloat(reply.subarray(reply.length - 2400)), heard.length);
    expect(Math.abs(tail.lag - (lag + reply.length - 2400))).toBeLessThan(48);
    expect(tail.score).toBeGreaterThan(0.95);
    // onDrained came after the last sample was heard (within the clock model's few ms).
    expect(drainedAt).toBeGreaterThan(recorder.timeOf(lag + reply.length) - 10);
  });

  it('rests the reply stream between replies, keeps the device running, and starts the next reply at once', async () => {
    engine = new NaudiodonEngine({ restAfterMs: 400 });
    await engine.prime({ output: null });
    // Primed: only the standby stream (long periods, silence) is open.
    expect(pulseStreamsOf('sink-inputs')).toHaveLength(1);
    const play = (pcm: Int16Array): Promise<number> =>
      new Promise((resolve) => {
        const t0 = performance.now();
        let startedAfter = Infinity;
        void engine
          .openPlayback({
            device: null,
            onStarted: () => (startedAfter = performance.now() - t0),
            onDrained: () => resolve(startedAfter),
          })
          .then((playback) => {
            playback.write(pcmBytes(pcm));
            playback.end();
          });
      });
    await play(toInt16(sine(500, RATE, 0.3, 0.3)));
    expect(pulseStreamsOf('sink-inputs')).toHaveLength(2);
    await sleep(800);
    expect(pulseStreamsOf('sink-inputs')).toHaveLength(1);
    const reply = toInt16(toneSequence(RATE, 1));
    // Without the standby stream a new stream on this idle PulseAudio sink waits 1–2 s for its first period.
    expect(await play(reply)).toBeLessThan(500);
    await sleep(200);
    const heard = recorder.samples();
    expect(bestAlignment(toFloat(heard), toFloat(reply), heard.length).score).toBeGreaterThan(0.95);
  });

  /** Plays `reply` (noise, so where its sound stops can be read off the recording), stops it, checks the count. */
  async function bargeIn(feed: (write: (pcm: Int16Array) => void) => Promise<void>): Promise<void> {
    engine = new NaudiodonEngine();
    await engine.prime({ output: null });
    const from = recorder.samples().length;
    const playback = await engine.openPlayback({ device: null });
    await feed((pcm) => playback.write(pcmBytes(pcm)));
    const played = playback.flush();
    await sleep(300);
    const heard = heardUntil(recorder.samples(), REPLY, from, RATE);
    expect(heard.score, 'the sound before the stop is the reply').toBeGreaterThan(0.9);
    expect(played).toBeGreaterThan(RATE); // about 1.2 s of the reply had played
    expect(played).toBeLessThan(REPLY.length);
    expect(
      Math.abs(played - heard.samples),
      `reported ${played}, heard ${heard.samples}`,
    ).toBeLessThanOrEqual(120);
    expect(playback.playedSamples()).toBe(played);
  }
  const REPLY = toInt16(noise(RATE, 3));

  it('on barge-in reports a played count that matches what the speaker recording shows within 5 ms', async () => {
    await bargeIn(async (write) => {
      write(REPLY);
      await sleep(1200);
    });
  });

  it('on barge-in the moment a delta arrives, none of that delta is heard', async () => {
    // 40 ms deltas in real time; the stop comes in the same tick as a delta, while its audio is still on its way
    // into the device stream.
    await bargeIn(async (write) => {
      const step = (RATE * 40) / 1000;
      let at = 0;
      for (; at < RATE * 1.2; at += step) {
        write(REPLY.subarray(at, at + step));
        await sleep(40);
      }
      write(REPLY.subarray(at, at + step));
    });
  });

  it('keeps the pitch when the device stream runs at 48 kHz', async () => {
    engine = new NaudiodonEngine({ outputDeviceRate: 48000 });
    const tone = toInt16(sine(1000, RATE, 1, 0.4));
    const playback = await engine.openPlayback({ device: null });
    const done = new Promise<void>((resolve) => {
      // onDrained is set at open; poll the played count instead (same clock).
      const timer = setInterval(() => {
        if (playback.playedSamples() >= tone.length) {
          clearInterval(timer);
          resolve();
        }
      }, 20);
    });
    playback.write(pcmBytes(tone));
    playback.end();
    await done;
    await sleep(200);
    const heard = toFloat(recorder.samples());
    const loud: number[] = [];
    for (let i = 0; i < heard.length; i++) if (Math.abs(heard[i] ?? 0) > 0.1) loud.push(i);
    const start = (loud[0] ?? 0) + 2400;
    const end = (loud.at(-1) ?? 0) - 2400;
    expect(end - start).toBeGreaterThan(12000);
    // The median of 50 ms windows: a dropout of the rig in one window does not move it; a wrong rate would (by 8 %
    // for 44.1 kHz, by half or double for 48 kHz taken as 24 kHz).
    const perWindow: number[] = [];
    for (let at = start; at + 1200 <= end; at += 1200)
      perWindow.push(zeroCrossingFrequency(heard.subarray(at, at + 1200), RATE));
    perWindow.sort((a, b) => a - b);
    expect(perWindow[Math.floor(perWindow.length / 2)]).toBeCloseTo(1000, -1);
  });
});
