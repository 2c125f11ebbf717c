/**
 * The Settings "level test": an input device shows its level for a few seconds; an output device
 * plays a short, quiet tone. Errors come back as words for the field, never as a crash.
 */
import type { AudioEngine } from './core/audio/engine';
import type { Emit } from '../shared/contract';
import { errorMessage } from '../shared/error-message';

const INPUT_TEST_MS = 3000;
const RATE = 24000;

/** A 600 ms 440 Hz tone at about -18 dBFS with 20 ms fades (no clicks). */
export function testTone(): Buffer {
  const samples = Math.round(RATE * 0.6);
  const fade = Math.round(RATE * 0.02);
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    const envelope = Math.min(1, i / fade, (samples - 1 - i) / fade);
    pcm.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / RATE) * 4096 * envelope), i * 2);
  }
  return pcm;
}

/** Runs one level test; resolves with words for the Settings field when the device fails. */
export async function runAudioTest(
  audio: AudioEngine,
  kind: 'input' | 'output',
  device: string | null,
  emit: Emit,
): Promise<{ ok: true } | { ok: false; error: string }> {
  try {
    if (kind === 'input') {
      const capture = await audio.openCapture({
        device,
        frameMs: 20,
        onFrame: () => undefined,
        onLevel: (input) => emit('levels', { input, output: null }),
      });
      await new Promise((resolve) => setTimeout(resolve, INPUT_TEST_MS));
      await capture.stop();
    } else {
      let finish: (error?: Error) => void = () => undefined;
      const finished = new Promise<Error | undefined>((resolve) => (finish = resolve));
      const playback = await audio.openPlayback({
        device,
        onDrained: () => finish(),
        onError: (error) => finish(error),
        onLevel: (output) => emit('levels', { input: null, output }),
      });
      // A device that never drains (stuck or unplugged) must not hang the Settings button.
      const timeout = setTimeout(
        () => finish(new Error('The output device did not play the test tone.')),
        5000,
      );
      playback.write(testTone());
      playback.end();
      const error = await finished;
      clearTimeout(timeout);
      if (error) throw error;
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, error: errorMessage(error) };
  } finally {
    emit('levels', { input: null, output: null });
  }
}
