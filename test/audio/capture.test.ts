/**
 * Real microphone path: speech played into the rig's virtual microphone while NaudiodonEngine captures arrives
 * intact, start and end included. Needs `bash scripts/audio-rig.sh start` (or TALKIE_SKIP_AUDIO=1 to skip).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NaudiodonEngine } from '../../src/main/adapters/naudiodon/engine';
import { bestAlignment, sine, toFloat, toInt16, zeroCrossingFrequency } from '../helpers/audio/signals';
import { playIntoMic, sleep } from '../helpers/audio/pulse';
import { audioRigGate, makeSpeech, scratchDir, wavBytes } from '../helpers/audio/rig';
import { holdRigLock } from '../helpers/audio/hold-rig';

const gate = audioRigGate();

function concatFrames(frames: Buffer[]): Int16Array {
  const all = Buffer.concat(frames);
  const out = new Int16Array(all.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = all.readInt16LE(i * 2);
  return out;
}

describe.skipIf(gate === 'skip')('capture through PortAudio on the virtual microphone', () => {
  holdRigLock();
  let scratch: ReturnType<typeof scratchDir>;
  let speech: { wav: string; pcm: Int16Array };
  beforeAll(() => {
    scratch = scratchDir();
    speech = makeSpeech(scratch.dir, 'Push to talk. The first and the last words must both arrive.');
  });
  afterAll(() => scratch.cleanup());

  it('captures speech played into the microphone intact, from the first word to the last', async () => {
    const engine = new NaudiodonEngine();
    try {
      const frames: Buffer[] = [];
      const capture = await engine.openCapture({ device: null, frameMs: 20, onFrame: (f) => frames.push(f) });
      // The default device is the sound server: recorded from it directly, not through PortAudio's ALSA plugin.
      expect(engine.inputBackend()).toBe('pulse');
      await playIntoMic(speech.wav); // resolves once paplay has drained into the sink
      await sleep(300);
      await capture.stop();
      expect(frames.slice(0, -1).every((f) => f.byteLength === 960)).toBe(true);
      const got = toFloat(concatFrames(frames));
      // The spoken part of the file: its leading/trailing digital silence is not speech (and PulseAudio may render
      // a stream's first few silent samples before a monitor sees them).
      const pcm = speech.pcm;
      let first = 0;
      while (first < pcm.length && Math.abs(pcm[first] ?? 0) < 100) first++;
      let last = pcm.length - 1;
      while (last > first && Math.abs(pcm[last] ?? 0) < 100) last--;
      const want = toFloat(pcm.subarray(first, last + 1));
      expect(want.length).toBeGreaterThan(24000);
      const { lag, score } = bestAlignment(got, want, got.length);
      expect(score).toBeGreaterThanOrEqual(0.9);
      // The whole utterance, first word to last, lies inside the press.
      expect(lag + want.length).toBeLessThanOrEqual(got.length);
      const head = bestAlignment(got, want.subarray(0, 4800), got.length);
      const tail = bestAlignment(got, want.subarray(want.length - 4800), got.length);
      expect(head.lag).toBe(lag);
      expect(head.score).toBeGreaterThan(0.9);
      expect(tail.lag).toBe(lag + want.length - 4800);
      expect(tail.score).toBeGreaterThan(0.9);
    } finally {
      await engine.close();
    }
  });

  it('beats once per 20 ms block (10 ms fragments from the sound server, gathered natively) while the microphone is primed, with no press, and stops when closed', async () => {
    // The window's update timers ride on these beats (BeatClock): they must come steadily all day, and end.
    const engine = new NaudiodonEngine();
    let beats = 0;
    engine.onBeat(() => (beats += 1));
    try {
      await engine.prime({ input: null });
      const from = beats;
      await sleep(1000);
      expect(beats - from).toBeGreaterThanOrEqual(40);
      expect(beats - from).toBeLessThanOrEqual(60);
    } finally {
      await engine.close();
    }
    const after = beats;
    await sleep(200);
    expect(beats).toBe(after);
  });

  it('delivers correct 24 kHz audio when the device stream runs at 48 kHz (resampled, pitch preserved)', async () => {
    const engine = new NaudiodonEngine({ inputDeviceRate: 48000 });
    try {
      const tonePath = join(scratch.dir, 'tone-1k.wav');
      writeFileSync(tonePath, wavBytes(toInt16(sine(1000, 24000, 1, 0.5))));
      const frames: Buffer[] = [];
      const capture = await engine.openCapture({ device: null, frameMs: 40, onFrame: (f) => frames.push(f) });
      // A forced device rate is PortAudio's path (the sound server would take 24 kHz itself).
      expect(engine.inputBackend()).toBe('portaudio');
      await playIntoMic(tonePath);
      await sleep(200);
      await capture.stop();
      const got = toFloat(concatFrames(frames));
      // Measure inside the loud part only.
      const loud: number[] = [];
      for (let i = 0; i < got.length; i++) if (Math.abs(got[i] ?? 0) > 0.05) loud.push(i);
      const start = (loud[0] ?? 0) + 2400;
      const end = (loud.at(-1) ?? 0) - 2400;
      expect(end - start).toBeGreaterThan(12000);
      expect(zeroCrossingFrequency(got.subarray(start, end), 24000)).toBeCloseTo(1000, 0);
    } finally {
      await engine.close();
    }
  });
});
