/**
 * Picks the audio engine for either shell: naudiodon (PortAudio) when it loads, otherwise an engine
 * whose every call explains why there is no audio — the app still runs and typed turns still work.
 * TALKIE_AUDIO=none forces the latter (machines with no sound system at all).
 */
import type { AudioEngine } from './core/audio/engine';
import { NullAudioEngine } from './core/audio/null-engine';

export async function loadAudioEngine(env: NodeJS.ProcessEnv = process.env): Promise<AudioEngine> {
  if (env.TALKIE_AUDIO === 'none') return new NullAudioEngine('Audio is turned off (TALKIE_AUDIO=none).');
  // Imported lazily: naudiodon is a native module and only this path may load it.
  const { createAudioEngine } = await import('./adapters/naudiodon/engine');
  return createAudioEngine();
}
