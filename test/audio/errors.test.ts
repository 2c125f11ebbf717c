/**
 * Real device failures end as AudioErrors in plain words, never a crash, and never lose captured audio.
 * Needs `bash scripts/audio-rig.sh start` (or TALKIE_SKIP_AUDIO=1 to skip).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NaudiodonEngine } from '../../src/main/adapters/naudiodon/engine';
import { AudioError } from '../../src/main/core/audio/engine';
import { sine, toInt16 } from '../helpers/audio/signals';
import { killPulseStream, playIntoMic, pulseStreamsOf, sleep } from '../helpers/audio/pulse';
import { audioRigGate, scratchDir, wavBytes } from '../helpers/audio/rig';
import { holdRigLock } from '../helpers/audio/hold-rig';

const gate = audioRigGate();

describe.skipIf(gate === 'skip')('audio failures on real devices', () => {
  holdRigLock();
  let engine: NaudiodonEngine | null = null;
  let scratch: ReturnType<typeof scratchDir>;
  let toneWav: string;
  beforeAll(() => {
    scratch = scratchDir();
    toneWav = join(scratch.dir, 'tone.wav');
    writeFileSync(toneWav, wavBytes(toInt16(sine(700, 24000, 0.5, 0.5))));
  });
  afterAll(() => scratch.cleanup());
  afterEach(async () => {
    await engine?.close();
    engine = null;
  });

  it('with no sound server reachable, lists no devices and refuses a press with "No microphone was found"', async () => {
    // Runs first in this file: PortAudio only re-reads the system while none of its streams is open.
    const saved = process.env.PULSE_SERVER;
    process.env.PULSE_SERVER = 'unix:/nonexistent/talkie-test';
    try {
      engine = new NaudiodonEngine();
      const list = await engine.listDevices();
      expect(list.inputs).toEqual([]);
      expect(list.outputs).toEqual([]);
      const open = engine.openCapture({ device: null, frameMs: 20, onFrame: () => undefined });
      await expect(open).rejects.toBeInstanceOf(AudioError);
      await expect(open).rejects.toMatchObject({ code: 'no-device', message: /No microphone was found/ });
      await expect(engine.openPlayback({ device: null })).rejects.toMatchObject({
        code: 'no-device',
        message: /No speaker/,
      });
    } finally {
      if (saved === undefined) delete process.env.PULSE_SERVER;
      else process.env.PULSE_SERVER = saved;
    }
  });

  it('refuses a microphone that is not connected, by name, in plain words', async () => {
    engine = new NaudiodonEngine();
    const open = engine.openCapture({ device: 'USB Headset (gone)', frameMs: 20, onFrame: () => undefined });
    await expect(open).rejects.toMatchObject({
      code: 'no-device',
      message:
        'The microphone "USB Headset (gone)" is not connected. Choose another in Settings, or use the default.',
    });
  });

  it('when the microphone dies mid-press: keeps what was captured, says so, and carries on with the default', async () => {
    engine = new NaudiodonEngine({ stallMs: 300 });
    const frames: Buffer[] = [];
    const errors: AudioError[] = [];
    const capture = await engine.openCapture({
      device: null,
      frameMs: 20,
      onFrame: (f) => frames.push(f),
      onError: (e) => errors.push(e),
    });
    await playIntoMic(toneWav);
    await sleep(100);
    const before = Buffer.concat(frames);
    const streams = pulseStreamsOf('source-outputs');
    expect(streams.length).toBeGreaterThan(0);
    for (const s of streams) killPulseStream('source-output', s);
    // The stall watchdog notices, reports, and reopens the default microphone.
    for (let i = 0; i < 100 && errors.length === 0; i++) await sleep(50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(AudioError);
    expect(errors[0]?.code).toBe('device-lost');
    expect(errors[0]?.message).toMatch(
      /stopped working \(.+\)(\. Switched to the default microphone| and was reopened).*what you said before is kept/,
    );
    const countAfterLoss = frames.length;
    await playIntoMic(toneWav); // the press continues on the fallback device
    await sleep(100);
    await capture.stop();
    const all = Buffer.concat(frames);
    expect(all.subarray(0, before.length).equals(before)).toBe(true); // nothing captured earlier was lost
    expect(frames.length).toBeGreaterThan(countAfterLoss + 10);
    // The tone played after the fallback was captured too.
    const tail = all.subarray(countAfterLoss * 960);
    let peak = 0;
    for (let i = 0; i + 1 < tail.length; i += 2) peak = Math.max(peak, Math.abs(tail.readInt16LE(i)));
    expect(peak).toBeGreaterThan(8000);
  });

  it('when the speaker dies mid-reply: reports it in words, freezes the played count, and does not crash', async () => {
    engine = new NaudiodonEngine({ stallMs: 300 });
    const errors: AudioError[] = [];
    const playback = await engine.openPlayback({ device: null, onError: (e) => errors.push(e) });
    const reply = toInt16(sine(500, 24000, 3, 0.3));
    playback.write(Buffer.from(new Uint8Array(reply.buffer)));
    await sleep(500);
    for (const s of pulseStreamsOf('sink-inputs')) killPulseStream('sink-input', s);
    for (let i = 0; i < 100 && errors.length === 0; i++) await sleep(50);
    expect(errors[0]?.code).toBe('device-lost');
    expect(errors[0]?.message).toMatch(/The speaker ".+" stopped working/);
    const played = playback.playedSamples();
    expect(played).toBeGreaterThan(0);
    expect(played).toBeLessThan(reply.length);
    await sleep(300);
    expect(playback.playedSamples()).toBe(played);
    expect(playback.flush()).toBe(played);
    // The next reply opens a working stream again.
    const next = await engine.openPlayback({ device: null });
    next.write(Buffer.alloc(4800));
    next.end();
    expect(next.receivedSamples()).toBe(2400);
  });

  it('lets go of both devices when closed: no stream of ours is left open in the sound server', async () => {
    // A stream left open keeps the device busy (and the microphone indicator on) and burns CPU all day.
    engine = new NaudiodonEngine();
    await engine.prime({ input: null, output: null });
    expect(pulseStreamsOf('source-outputs')).toHaveLength(1);
    expect(pulseStreamsOf('sink-inputs')).toHaveLength(1);
    await engine.close();
    engine = null;
    expect(pulseStreamsOf('source-outputs')).toEqual([]);
    expect(pulseStreamsOf('sink-inputs')).toEqual([]);
  });
});
