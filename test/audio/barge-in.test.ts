/**
 * Barge-in truncation against what was really heard: the app core (createApp, turn runner, NaudiodonEngine) plays a
 * known reply from the simulator on the rig's speaker, a press interrupts it at a known point, and the
 * `audio_end_ms` the server receives is compared with where the sound stops in a recording of the speaker
 * (speaker_timeline, the true timeline). Needs `bash scripts/audio-rig.sh start` (or TALKIE_SKIP_AUDIO=1 to skip).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/app';
import { NaudiodonEngine } from '../../src/main/adapters/naudiodon/engine';
import { startSimulator } from '../../src/main/core/simulator/index';
import { openBrowserModeStores } from '../../src/main/web/stores';
import { holdRigLock } from '../helpers/audio/hold-rig';
import { sleep, TimedRecorder } from '../helpers/audio/pulse';
import { audioRigGate } from '../helpers/audio/rig';
import { heardUntil, noise, toInt16 } from '../helpers/audio/signals';

const gate = audioRigGate();
const RATE = 24000;

describe.skipIf(gate === 'skip')('barge-in on real devices', () => {
  holdRigLock();

  it('truncates at what the speaker really played: audio_end_ms within 5 ms of the recording', async () => {
    // Noise, so the last stretch of sound before the stop says by itself where in the reply it is.
    const reply = toInt16(noise(RATE, 4));
    // A realtime server's pacing: a small first delta, then 40 ms deltas in real time.
    const sim = await startSimulator({
      port: 0,
      audioPacing: { firstMs: 20, deltaMs: 40, speed: 1 },
      replyAudio: () => reply,
    });
    const dir = mkdtempSync(join(tmpdir(), 'talkie-barge-in-'));
    const recorder = new TimedRecorder('speaker_timeline');
    const engine = new NaudiodonEngine();
    const app = await createApp({
      ...openBrowserModeStores(dir),
      dataDir: dir,
      audio: engine,
      shell: 'browser',
      env: { REALTIME_URL: sim.url, OPENAI_API_KEY: 'sk-test-0123456789abcdefghijklmnop' },
    });
    try {
      await recorder.ready();
      const snapshot = (): ReturnType<(typeof app.handlers)['app.snapshot']> =>
        app.handlers['app.snapshot']({});
      for (let i = 0; i < 200 && (await snapshot()).connection.state !== 'connected'; i++) await sleep(50);
      await app.handlers['turn.setNext']({ replyAs: 'voice', instructions: '', instructionsMode: 'append' });
      // The speaker recording is the instrument here: a stop cue after the barge-in would be its last sound. (Cues
      // are tested in cues-preroll.test.ts.)
      await app.handlers['settings.update']({ soundCues: false });
      await engine.prime({ input: null, output: null });
      const results: { sent: number; heard: number }[] = [];
      for (const interruptAfterMs of [900, 1600]) {
        await app.handlers['talk.press']({ source: 'button' });
        await sleep(300);
        await app.handlers['talk.release']({ source: 'button' });
        for (let i = 0; i < 200 && engine.heardNow() === null; i++) await sleep(10);
        const from = recorder.samples().length;
        await sleep(interruptAfterMs);
        const truncations = sim.truncations.length;
        // The interrupting turn is answered in text, so no new sound follows the stop in the recording.
        await app.handlers['turn.setNext']({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
        await app.handlers['talk.press']({ source: 'button' }); // barge-in
        await sleep(200);
        await app.handlers['talk.release']({ source: 'button' });
        await sleep(800);
        await app.handlers['turn.setNext']({
          replyAs: 'voice',
          instructions: '',
          instructionsMode: 'append',
        });
        expect(sim.truncations.length).toBe(truncations + 1);
        const sent = sim.truncations[truncations]?.audioEndMs ?? NaN;
        // How much of the reply the recording shows before its sound stops.
        const heard = heardUntil(recorder.samples(), reply, from, RATE);
        expect(heard.score, 'the sound before the stop is the reply').toBeGreaterThan(0.9);
        results.push({ sent, heard: (heard.samples * 1000) / RATE });
      }
      for (const { sent, heard } of results) {
        expect(sent).toBeGreaterThan(500);
        expect(Math.abs(sent - heard), JSON.stringify(results)).toBeLessThanOrEqual(5);
      }
    } finally {
      await app.dispose();
      await sim.close();
      await recorder.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
