/**
 * Loads naudiodon lazily: the native module (and PortAudio behind it) is only touched when audio is first used,
 * and a missing or broken build becomes a plain-words AudioError instead of a crash at startup.
 */
import { createRequire } from 'node:module';
import type * as Naudiodon from 'naudiodon';
import { AudioError } from '../../core/audio/engine';
import { errorMessage } from '../../../shared/error-message';

export type NaudiodonModule = typeof Naudiodon;

let cached: NaudiodonModule | null = null;

/** Requires naudiodon once; throws AudioError('unavailable') with the reason when it cannot load. */
export function loadNaudiodon(): NaudiodonModule {
  if (cached) return cached;
  try {
    // require, not import: it must not run at module load, and it is CommonJS with a native addon.
    const req = typeof require === 'function' ? require : createRequire(import.meta.url);
    cached = req('naudiodon') as NaudiodonModule;
    return cached;
  } catch (error) {
    const reason = errorMessage(error).split('\n')[0];
    throw new AudioError(
      'unavailable',
      `The audio library could not be loaded, so voice input and output are off (${reason}). Text turns still work.`,
    );
  }
}
