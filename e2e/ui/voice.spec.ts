/**
 * A full voice turn with real audio: speech played into the virtual microphone while the button is held,
 * released, the simulator's reply transcript appears, and the virtual speaker heard non-silent audio.
 * Needs the PulseAudio rig (scripts/audio-rig.sh); fails loudly without it unless TALKIE_SKIP_AUDIO=1.
 */
import { acquireRigLock, audioRigGate, makeSpeech, scratchDir } from '../../test/helpers/audio/rig';
import { playIntoMic, sleep, TimedRecorder } from '../../test/helpers/audio/pulse';
import { rms, toFloat } from '../../test/helpers/audio/signals';
import { expect, openApp, replyAs, simTest as test, turn } from './helpers';

test('hold the button, speak, release: the reply is shown and heard', async ({ page, app, sim }) => {
  test.skip(audioRigGate() === 'skip', 'TALKIE_SKIP_AUDIO=1 and no PulseAudio rig on this machine');
  test.setTimeout(90_000);
  const release = await acquireRigLock();
  const scratch = scratchDir();
  const speaker = new TimedRecorder('virtual_speaker.monitor');
  try {
    const speech = makeSpeech(scratch.dir, 'What is the weather like in Lisbon today?');
    const speechSeconds = speech.pcm.length / 24000;
    await openApp(page, app.url);
    await replyAs(page, 'Voice');
    await speaker.ready();

    const ptt = page.getByRole('button', { name: 'Push to talk' });
    await ptt.hover();
    await page.mouse.down();
    await expect(ptt).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByText('Listening… release to send')).toBeVisible();
    await playIntoMic(speech.wav);
    // Let the tail of the speech reach the capture buffer before letting go.
    await sleep(300);
    await page.mouse.up();
    await expect(ptt).toHaveAttribute('aria-pressed', 'false');

    const first = turn(page, 1);
    await expect(first).toContainText('Reply as Voice');
    await expect(first).toContainText(/I heard \d+\.\d seconds of audio/, { timeout: 30_000 });
    await expect(first).toContainText('Completed', { timeout: 30_000 });
    await expect(first).toContainText(/first audio after \d/);
    const heard = Number(/I heard (\d+\.\d) seconds/.exec((await first.textContent()) ?? '')?.[1]);
    // The commit holds the speech plus the hold before and after it.
    expect(heard).toBeGreaterThanOrEqual(speechSeconds - 0.2);
    expect(heard).toBeLessThan(speechSeconds + 3);

    // What the server got was the speech, not silence.
    const committed = sim.committedAudio[0];
    expect(committed).toBeDefined();
    const pcm = new Int16Array(committed!.pcm.buffer, committed!.pcm.byteOffset, committed!.pcm.length / 2);
    expect(rms(toFloat(pcm))).toBeGreaterThan(0.01);

    // And the reply was played: the speaker carried clearly non-silent audio.
    await sleep(500);
    const played = toFloat(speaker.samples());
    let loudest = 0;
    for (let i = 0; i + 2400 <= played.length; i += 2400)
      loudest = Math.max(loudest, rms(played.subarray(i, i + 2400)));
    expect(loudest, 'loudest 100 ms of the speaker').toBeGreaterThan(0.02);
  } finally {
    await speaker.stop();
    scratch.cleanup();
    release();
  }
});
