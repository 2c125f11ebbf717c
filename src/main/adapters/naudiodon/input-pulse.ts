/**
 * Microphone capture straight from the sound server (PulseAudio, or PipeWire's pulse server), through the patched
 * naudiodon's `pulse.record*` functions (src/PulseIn.cc).
 *
 * Why: through PortAudio and ALSA's pulse plugin the server handed audio over in 20 ms fragments whatever period was
 * asked (the wait for a fragment added to every press), and an idle capture thread could spin a core at real-time
 * priority. Here the server sends small fragments, libpulse's thread gathers them into wire-sized blocks, and only
 * then is JavaScript woken. The stream has the surface InputPump reads (data, error, start, abort).
 */
import { EventEmitter } from 'node:events';
import type { PulseApi } from './pulse-api';

export interface PulseInputOptions {
  /** The server's fragment: how often it hands audio over (ms). */
  periodMs: number;
  /** Blocks handed to JavaScript (ms). */
  gatherMs: number;
}

/** A build with the capture functions (PulseIn.cc came after PulseOut.cc). */
type RecordingApi = PulseApi & Required<Pick<PulseApi, 'recordOpen' | 'recordClose'>>;

export function canRecord(api: PulseApi | null): api is RecordingApi {
  return typeof api?.recordOpen === 'function' && typeof api.recordClose === 'function';
}

/** Records the default source at `rate` (mono PCM16) from construction; throws with the server's reason. */
export class PulseInputStream extends EventEmitter {
  private readonly handle: unknown;
  private closed = false;

  constructor(
    private readonly api: RecordingApi,
    rate: number,
    options: PulseInputOptions,
  ) {
    super();
    this.handle = api.recordOpen({ sampleRate: rate, name: 'Talkie', ...options }, (block, reason) => {
      if (this.closed) return;
      if (block) this.emit('data', block);
      else this.fail(reason ?? 'the sound server ended the recording');
    });
  }

  start(): void {
    // Recording from the moment it opened.
  }

  quit(cb?: () => void): void {
    this.abort(cb);
  }

  abort(cb?: () => void): void {
    this.close();
    cb?.();
  }

  private fail(reason: string): void {
    this.close();
    this.emit('error', new Error(reason));
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.api.recordClose(this.handle);
  }
}
