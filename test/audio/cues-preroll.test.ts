/**
 * Sound cues and pre-roll on real devices: the app core (createApp, NaudiodonEngine, the simulator) with cues on
 * and the default pre-roll. What counts is what the server received (the simulator's committed audio).
 * - A loopback from the speaker into the microphone stands in for the room, so the start cue really reaches the
 *   microphone during the press: the speaker and the microphone recordings show it, the committed audio must not.
 * - A "word" (a burst of seeded noise) played into the microphone so that it starts 200 ms before the key goes
 *   down is found whole in the committed audio.
 * Needs `bash scripts/audio-rig.sh start` (or TALKIE_SKIP_AUDIO=1 to skip).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/main/app';
import { NaudiodonEngine } from '../../src/main/adapters/naudiodon/engine';
import { startSimulator, type SimulatorHandle } from '../../src/main/core/simulator/index';
import { openBrowserModeStores } from '../../src/main/web/stores';
import { holdRigLock } from '../helpers/audio/hold-rig';
import { MicFeeder, onsetIndex, sleep, TimedRecorder } from '../helpers/audio/pulse';
import { audioRigGate } from '../helpers/audio/rig';
import { bestAlignment, noise, toFloat, toInt16 } from '../helpers/audio/signals';

const gate = audioRigGate();
const RATE = 24000;
const ms = (n: number): number => Math.round((n * RATE) / 1000);

/**
 * The loudest tone in the cue band (1.2–1.8 kHz) over 20 ms windows, as an amplitude in PCM16 units (Goertzel).
 * Returns it with the first window's start index where it exceeds `onset` (or -1).
 */
function cueBand(pcm: Int16Array, onset = Infinity): { peak: number; firstAbove: number } {
  const n = ms(20);
  let peak = 0;
  let firstAbove = -1;
  for (let start = 0; start + n <= pcm.length; start += ms(5)) {
    let best = 0;
    for (let hz = 1200; hz <= 1800; hz += 50) {
      const w = (2 * Math.PI * hz) / RATE;
      let s1 = 0;
      let s2 = 0;
      for (let i = start; i < start + n; i++) {
        const s0 = (pcm[i] ?? 0) + 2 * Math.cos(w) * s1 - s2;
        s2 = s1;
        s1 = s0;
      }
      best = Math.max(best, (2 * Math.sqrt(Math.max(0, s1 * s1 + s2 * s2 - 2 * Math.cos(w) * s1 * s2))) / n);
    }
    if (best > onset && firstAbove < 0) firstAbove = start;
    peak = Math.max(peak, best);
  }
  return { peak, firstAbove };
}

const committed = (sim: SimulatorHandle, index: number): Int16Array => {
  const pcm = sim.committedAudio[index]?.pcm ?? Buffer.alloc(0);
  return new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength));
};

describe.skipIf(gate === 'skip')('sound cues and pre-roll on real devices', () => {
  holdRigLock();
  let sim: SimulatorHandle;
  let app: App;
  let engine: NaudiodonEngine;
  let dir: string;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, audioPacing: 'fast' });
    dir = mkdtempSync(join(tmpdir(), 'talkie-cues-'));
    engine = new NaudiodonEngine();
    app = await createApp({
      ...openBrowserModeStores(dir),
      dataDir: dir,
      audio: engine,
      shell: 'browser',
      env: { REALTIME_URL: sim.url, OPENAI_API_KEY: 'sk-test-0123456789abcdefghijklmnop' },
    });
    for (let i = 0; i < 200 && (await app.handlers['app.snapshot']({})).connection.state !== 'connected'; i++)
      await sleep(50);
    // Text replies: nothing but the cues plays on the speaker.
    await app.handlers['turn.setNext']({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
    await engine.prime({ input: null, output: null });
  }, 30_000);

  afterAll(async () => {
    await app?.dispose();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** One held press; resolves with the committed audio and the press/release times. */
  async function hold(heldMs: number): Promise<{ pcm: Int16Array; pressAt: number; releaseAt: number }> {
    const before = sim.committedAudio.length;
    const pressAt = performance.now();
    await app.handlers['talk.press']({ source: 'button' });
    await sleep(heldMs);
    const releaseAt = performance.now();
    await app.handlers['talk.release']({ source: 'button' });
    for (let i = 0; i < 100 && sim.committedAudio.length === before; i++) await sleep(20);
    expect(sim.committedAudio.length).toBe(before + 1);
    return { pcm: committed(sim, before), pressAt, releaseAt };
  }

  it('the start cue plays and reaches the microphone during the press, yet the server gets none of it', async () => {
    const settings = (await app.handlers['app.snapshot']({})).settings.settings;
    expect(settings).toMatchObject({ soundCues: true });
    const loopback = spawnSync(
      'pactl',
      [
        'load-module',
        'module-loopback',
        'source=virtual_speaker.monitor',
        'sink=virtual_mic',
        'latency_msec=20',
      ],
      { encoding: 'utf8' },
    );
    if (loopback.status !== 0) throw new Error(`pactl load-module module-loopback: ${loopback.stderr}`);
    const speaker = new TimedRecorder('speaker_timeline');
    const mic = new TimedRecorder('mic_timeline');
    try {
      await Promise.all([speaker.ready(), mic.ready()]);
      await sleep(300); // the loopback is running
      const speakerFrom = speaker.samples().length;
      const micFrom = mic.samples().length;
      const { pcm, pressAt, releaseAt } = await hold(700);
      // The next press comes 150 ms after this release: the stop cue sounds into the microphone in its pre-roll time.
      await sleep(Math.max(0, releaseAt + 150 - performance.now()));
      const again = await hold(300);
      await sleep(200);
      const played = cueBand(speaker.samples().subarray(speakerFrom), 200);
      const heard = cueBand(mic.samples().subarray(micFrom, mic.indexAt(releaseAt)), 100);
      const sent = cueBand(pcm);
      // The cue sounded, and the room (the loopback) brought it to the microphone while the key was down.
      expect(played.peak).toBeGreaterThan(500);
      expect(heard.peak).toBeGreaterThan(300);
      const heardAt = mic.timeOf(micFrom + heard.firstAbove);
      expect(heardAt).toBeGreaterThan(pressAt);
      expect(heardAt).toBeLessThan(releaseAt);
      // The whole press went to the server (pre-roll included), and none of the cue did.
      expect(pcm.length).toBeGreaterThanOrEqual(ms(700));
      expect(sent.peak, `cue band: speaker ${played.peak}, microphone ${heard.peak}`).toBeLessThan(
        heard.peak / 50,
      );

      // The stop cue, heard before the second press, is not in that press's pre-roll.
      const gapFrom = mic.indexAt(releaseAt);
      const echo = cueBand(mic.samples().subarray(gapFrom, mic.indexAt(again.pressAt)), 100);
      expect(echo.peak, 'the stop cue reached the microphone before the next press').toBeGreaterThan(300);
      const echoAt = mic.timeOf(gapFrom + echo.firstAbove);
      expect(again.pressAt - echoAt).toBeLessThan(300);
      const resent = cueBand(again.pcm);
      expect(resent.peak).toBeLessThan(echo.peak / 50);
      console.log(
        `cue: speaker ${Math.round(played.peak)}, microphone ${Math.round(heard.peak)} (${Math.round(heardAt - pressAt)} ms after the press), committed ${sent.peak.toFixed(1)}; ` +
          `stop cue in the microphone ${Math.round(again.pressAt - echoAt)} ms before the next press: ${Math.round(echo.peak)}, committed ${resent.peak.toFixed(1)}`,
      );
    } finally {
      spawnSync('pactl', ['unload-module', loopback.stdout.trim()]);
      await Promise.all([speaker.stop(), mic.stop()]);
    }
  }, 20_000);

  it('keeps a word that starts 200 ms before the key goes down, whole', async () => {
    // A "word": 180 ms of seeded noise, so its place in the committed audio is unambiguous.
    const word = toInt16(noise(RATE, 0.18, 0.3, 7));
    const feeder = new MicFeeder();
    const mic = new TimedRecorder('mic_timeline');
    let arrivedAt = -1;
    const stopTap = engine.tapInput((chunk, at) => {
      if (arrivedAt >= 0) return;
      const i = onsetIndex(chunk, 2000);
      if (i >= 0) arrivedAt = at - ((chunk.length - i) * 1000) / RATE;
    });
    try {
      await mic.ready();
      const micFrom = mic.samples().length;
      const lead = new Int16Array(ms(300));
      feeder.write(Buffer.from(new Int16Array([...lead, ...word, ...new Int16Array(ms(1500))]).buffer));
      for (let i = 0; i < 200 && arrivedAt < 0; i++) await sleep(5);
      expect(arrivedAt, 'the word reached the microphone').toBeGreaterThan(0);
      // The key goes down 200 ms after the word began.
      await sleep(Math.max(0, arrivedAt + 200 - performance.now()));
      const { pcm, pressAt } = await hold(500);
      const spokenAt = mic.timeOf(micFrom + onsetIndex(mic.samples().subarray(micFrom), 2000));
      const found = bestAlignment(toFloat(pcm), toFloat(word), pcm.length);
      console.log(
        `pre-roll: the word began ${Math.round(pressAt - spokenAt)} ms before the press (played into the microphone), ` +
          `found at ${Math.round((found.lag * 1000) / RATE)} ms of ${Math.round((pcm.length * 1000) / RATE)} ms committed, match ${found.score.toFixed(3)}`,
      );
      expect(pressAt - spokenAt).toBeGreaterThanOrEqual(190);
      // Whole: every sample of the word is there, in order (a clipped start would lower the match).
      expect(found.score).toBeGreaterThan(0.98);
      expect(found.lag + word.length).toBeLessThanOrEqual(pcm.length);
    } finally {
      stopTap();
      await Promise.all([feeder.close(), mic.stop()]);
    }
  }, 20_000);
});
