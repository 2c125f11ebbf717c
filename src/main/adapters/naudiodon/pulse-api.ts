/**
 * The patched naudiodon's PulseAudio functions (patches/naudiodon+2.3.6.patch: src/PulseOut.cc for replies,
 * src/PulseIn.cc for the microphone), and when to use them: on ALSA's "pulse" and "default" devices, which are the
 * sound server anyway.
 */
import type { PortDevice } from './devices';
import type { NaudiodonModule } from './load';

/** The functions (absent in an unpatched build and off Linux). */
export interface PulseApi {
  available(): boolean;
  open(options: {
    sampleRate: number;
    channelCount: number;
    name: string;
    targetMs: number;
    prebufMs: number;
  }): unknown;
  write(handle: unknown, bytes: Buffer): boolean;
  stats(handle: unknown): {
    framesHanded: number;
    framesHeard: number;
    outputLatency: number;
    underflows: number;
    /** The server ran out of audio since the last write (its underflow notice). */
    dry: boolean;
    healthy: boolean;
  };
  flush(handle: unknown): number;
  close(handle: unknown): void;
  /** Capture (absent in builds before PulseIn.cc): onData(block) per gathered block, onData(null, reason) once. */
  recordOpen?(
    options: { sampleRate: number; name: string; periodMs: number; gatherMs: number },
    onData: (block: Buffer | null, reason?: string) => void,
  ): unknown;
  recordClose?(handle: unknown): void;
}

/** ALSA devices that are the sound server itself (what the pulse stream replaces). */
const SERVER_DEVICES = new Set(['pulse', 'default']);

/** The PulseAudio functions when this build has them, libpulse loads, and `device` is the sound server. */
export function pulseFor(lib: NaudiodonModule, device: PortDevice): PulseApi | null {
  const api = (lib as unknown as { pulse?: PulseApi }).pulse;
  if (!api || !SERVER_DEVICES.has(device.name)) return null;
  try {
    return api.available() ? api : null;
  } catch {
    return null;
  }
}
