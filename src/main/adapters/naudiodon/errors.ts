/** PortAudio's error strings, turned into AudioErrors a user can act on. */
import { AudioError, WIRE_RATE } from '../../core/audio/engine';
import type { PortDevice } from './devices';
import { errorMessage } from '../../../shared/error-message';

/** Wraps a failure to open a device stream. */
export function openError(error: unknown, kind: 'input' | 'output', deviceName: string): AudioError {
  if (error instanceof AudioError) return error;
  const detail = errorMessage(error);
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
  const detail = errorMessage(error);
  return /format not supported|sample rate|invalid sample/i.test(detail);
}

/**
 * Opens a stream at the wire rate (24 kHz) when the device takes it, otherwise at the device's own rate
 * (callers resample); a forced rate is the only one tried. A refused rate or format tries the next one;
 * any other failure is the device's answer, in words.
 */
export function openAtBestRate<T>(
  device: PortDevice,
  forcedRate: number | undefined,
  kind: 'input' | 'output',
  open: (rate: number) => T,
): { stream: T; rate: number } {
  const rates = forcedRate ? [forcedRate] : [WIRE_RATE, device.rate];
  let lastError: unknown;
  for (const rate of rates) {
    try {
      return { stream: open(rate), rate };
    } catch (error) {
      lastError = error;
      if (!isFormatError(error)) break;
    }
  }
  throw openError(lastError, kind, device.name);
}
