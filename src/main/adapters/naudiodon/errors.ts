/** PortAudio's error strings, turned into AudioErrors a user can act on. */
import { AudioError } from '../../core/audio/engine';

/** Wraps a failure to open a device stream. */
export function openError(error: unknown, kind: 'input' | 'output', deviceName: string): AudioError {
  if (error instanceof AudioError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  const what = kind === 'input' ? 'microphone' : 'speaker';
  if (/unavailable|busy|in use/i.test(detail)) {
    return new AudioError(
      'device-busy',
      `The ${what} "${deviceName}" is busy or unavailable (another program may be using it). Close that program or choose another device. (${detail})`,
    );
  }
  if (/no default device/i.test(detail)) {
    return new AudioError(
      'no-device',
      `No ${what} was found. Connect one, or check the system's sound settings.`,
    );
  }
  return new AudioError('open-failed', `The ${what} "${deviceName}" could not be opened: ${detail}.`);
}

/** True when PortAudio refused the sample rate or format (so another rate may work). */
export function isFormatError(error: unknown): boolean {
  const detail = error instanceof Error ? error.message : String(error);
  return /format not supported|sample rate|invalid sample/i.test(detail);
}
